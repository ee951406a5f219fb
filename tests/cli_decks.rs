//! `recall decks` and `recall check`, run as a user would, against temp data
//! directories.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

/// The binary with a private data dir and config, isolated from the user's.
fn recall(data_dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("recall").unwrap();
    cmd.env("RECALL_DATA_DIR", data_dir)
        .env("RECALL_CONFIG", data_dir.join("config.toml"))
        .env("NO_COLOR", "1");
    cmd
}

fn fixture(path: &str) -> String {
    format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn write_deck(dir: &Path, file: &str, text: &str) {
    std::fs::create_dir_all(dir.join("decks")).unwrap();
    std::fs::write(dir.join("decks").join(file), text).unwrap();
}

const GOOD: &str = "[deck]\nname = \"Capitals\"\n[[cards]]\nfront = \"France?\"\nback = \"Paris\"\n[[cards]]\nfront = \"Japan?\"\nback = \"Tokyo\"\n";

#[test]
fn decks_lists_the_bundled_deck_from_an_empty_data_dir() {
    let data = TempDir::new().unwrap();
    recall(data.path())
        .arg("decks")
        .assert()
        .success()
        .stdout("ID               NAME             CARDS  SOURCE\naws-api-gateway  AWS API Gateway     15  bundled\n")
        .stderr("");
}

#[test]
fn decks_json_is_machine_readable() {
    let data = TempDir::new().unwrap();
    write_deck(data.path(), "capitals.toml", GOOD);
    let output = recall(data.path())
        .args(["decks", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let decks: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let path = data.path().join("decks/capitals.toml");
    assert_eq!(
        decks,
        serde_json::json!([
            {"id": "aws-api-gateway", "name": "AWS API Gateway", "notes": 15, "cards": 15, "source": "bundled", "hidden": false},
            {"id": "capitals", "name": "Capitals", "notes": 2, "cards": 2, "source": path.display().to_string(), "hidden": false},
        ])
    );
}

#[test]
fn a_broken_deck_in_the_deck_dir_is_reported_and_skipped() {
    let data = TempDir::new().unwrap();
    write_deck(data.path(), "capitals.toml", GOOD);
    write_deck(
        data.path(),
        "broken.toml",
        "[[cards]]\nfront = \"Q\"\nbakc = \"A\"\n",
    );
    let broken = data.path().join("decks/broken.toml");
    recall(data.path())
        .arg("decks")
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"\ncapitals +Capitals +2 ").unwrap())
        .stdout(predicate::str::contains("broken").not())
        .stderr(format!(
            "recall: warning: skipping a deck: {}:3:1: unknown key `bakc` in card 1\n  help: did you mean `back`?\n",
            broken.display()
        ));
}

#[test]
fn two_decks_with_one_id_name_both_files() {
    let data = TempDir::new().unwrap();
    write_deck(
        data.path(),
        "a.toml",
        &format!("[deck]\nid = \"same\"\n{GOOD}").replace("[deck]\nname = \"Capitals\"\n", ""),
    );
    write_deck(
        data.path(),
        "b.toml",
        "[deck]\nid = \"same\"\n[[cards]]\nfront = \"x\"\nback = \"y\"\n",
    );
    let a = data.path().join("decks/a.toml");
    let b = data.path().join("decks/b.toml");
    recall(data.path())
        .arg("decks")
        .assert()
        .success()
        .stderr(format!(
            "recall: warning: skipping a deck: two decks have the id `same`: {} and {}; change `id` under [deck] in one of them\n",
            a.display(),
            b.display()
        ));
}

#[test]
fn deck_flag_adds_a_file_and_fails_loudly_when_it_is_broken() {
    let data = TempDir::new().unwrap();
    recall(data.path())
        .args(["decks", "--deck", &fixture("valid/unicode.toml")])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "japanese-basics  日本語 🇯🇵 basics",
        ));
    recall(data.path())
        .args(["decks", "--deck", &fixture("invalid/missing-back.toml")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "missing-back.toml:4:1: card 1 has no `back`",
        ));
}

#[test]
fn check_reports_ok_files_and_fails_on_any_error() {
    let data = TempDir::new().unwrap();
    recall(data.path())
        .args([
            "check",
            &fixture("valid/minimal.toml"),
            &fixture("valid/unicode.toml"),
        ])
        .assert()
        .success()
        .stdout(format!(
            "{}: ok, 1 card\n{}: ok, 2 cards\n",
            fixture("valid/minimal.toml"),
            fixture("valid/unicode.toml")
        ));
    recall(data.path())
        .args([
            "check",
            &fixture("valid/minimal.toml"),
            &fixture("invalid/unknown-key.toml"),
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("minimal.toml: ok, 1 card"))
        .stderr(predicate::str::contains(
            "unknown-key.toml:6:1: unknown key `bakc` in card 1",
        ));
}

#[test]
fn check_explains_missing_paths_and_directories() {
    let data = TempDir::new().unwrap();
    let missing = data.path().join("nope.toml");
    recall(data.path())
        .args(["check", missing.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(format!(
            "{}: no such file; check the path\n",
            missing.display()
        ));
    recall(data.path())
        .args(["check", data.path().to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(format!(
            "{}: is a directory, not a deck file; give the path of a .toml file\n",
            data.path().display()
        ));
}

#[test]
fn check_needs_a_file() {
    let data = TempDir::new().unwrap();
    recall(data.path()).arg("check").assert().code(2);
}

#[test]
fn the_bundled_deck_works_from_any_directory() {
    let data = TempDir::new().unwrap();
    let elsewhere = TempDir::new().unwrap();
    recall(data.path())
        .current_dir(elsewhere.path())
        .arg("decks")
        .assert()
        .success()
        .stdout(predicate::str::contains("aws-api-gateway"));
}

#[test]
fn check_warns_about_card_text_without_failing() {
    let data = TempDir::new().unwrap();
    let file = fixture("valid/text-warnings.toml");
    recall(data.path())
        .args(["check", &file])
        .assert()
        .success()
        .stdout(format!("{file}: ok, 2 cards\n"))
        .stderr(predicate::str::contains(format!(
            "{file}:7:1: warning: card 1, back: code block opened with ``` is never closed"
        )))
        .stderr(predicate::str::contains(format!(
            "{file}:16:1: warning: card 2, back: table row has 3 cells but the header has 2"
        )));
}

#[test]
fn check_warns_of_card_text_problems_at_file_line_column_and_still_passes() {
    let data = TempDir::new().unwrap();
    // Card 2 (in a later section of the file) opens a fence it never closes
    // on the third line of its multi-line back; card 3's table is ragged.
    let text = "[deck]\nname = \"Text\"\n\n[[cards]]\nfront = \"fine\"\nback = \"**ok**\"\n\n[[cards]]\nfront = \"Q2\"\nback = \"\"\"\nintro\n\n```rust\nfn x() {}\n\"\"\"\n\n[[cards]]\nfront = \"Q3\"\nback = \"\"\"\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n\"\"\"\n";
    let path = data.path().join("text.toml");
    std::fs::write(&path, text).unwrap();
    let output = recall(data.path())
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!("{}: ok, 3 cards\n", path.display())
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    let file = path.display();
    assert!(
        lines[0].starts_with(&format!("{file}:13:1: warning: card 2, back: ")),
        "{stderr}"
    );
    assert!(lines[0].contains("never closed"), "{stderr}");
    assert!(
        lines[1].starts_with(&format!("{file}:22:1: warning: card 3, back: ")),
        "{stderr}"
    );
    assert!(lines[1].contains("3 cells"), "{stderr}");
}
