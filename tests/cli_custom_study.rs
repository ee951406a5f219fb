//! The command line around custom study and the rough edges: decks named
//! by id or name in any case with a suggestion, `recall check` on every
//! import format, CSV files whose first row names the columns, and
//! `recall due --json`'s `next_due`.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use assert_cmd::Command;
use tempfile::TempDir;

fn recall(data: &TempDir) -> Command {
    let mut cmd = Command::cargo_bin("recall").unwrap();
    cmd.env("RECALL_DATA_DIR", data.path())
        .env("RECALL_CONFIG", data.path().join("config.toml"))
        .env("RECALL_NOW", "2026-11-25T09:00:00Z")
        .env("TZ", "UTC");
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn a_deck_is_found_by_id_or_name_in_any_case_and_a_typo_gets_a_suggestion() {
    let data = TempDir::new().unwrap();
    for typed in ["AWS-API-Gateway", "aws api gateway", "AWS API Gateway"] {
        let out = stdout(recall(&data).args(["export", typed, "--format", "md"]));
        assert!(out.starts_with("# AWS API Gateway"), "{typed}: {out}");
    }
    let output = recall(&data)
        .args(["export", "aws-api-gatway"])
        .assert()
        .failure()
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "recall: no deck has the id or name `aws-api-gatway`; did you mean `aws-api-gateway`?\n"
    );
    let output = recall(&data)
        .args(["study", "zzz"])
        .assert()
        .failure()
        .get_output()
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "recall: no deck has the id or name `zzz`; the decks are: aws-api-gateway\n"
    );
}

#[test]
fn custom_study_flags_exclude_each_other_and_need_a_deck() {
    let data = TempDir::new().unwrap();
    let output = recall(&data)
        .args([
            "study",
            "aws-api-gateway",
            "--ahead",
            "2",
            "--extra-new",
            "5",
        ])
        .assert()
        .failure()
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot be used with"));
    recall(&data)
        .args(["study", "--tag", "x"])
        .assert()
        .failure();
}

#[test]
fn check_reads_csv_and_markdown_as_import_does_and_writes_nothing() {
    let data = TempDir::new().unwrap();
    let csv = data.path().join("words.csv");
    std::fs::write(
        &csv,
        "Front,Back,Tags\nhola,hello,greeting\nadiós,goodbye,\n",
    )
    .unwrap();
    let md = data.path().join("notes.md");
    std::fs::write(
        &md,
        "# Notes\n\n## What is 2+2?\n\n4\n\n## Capital of France?\n\nParis\n",
    )
    .unwrap();
    let bad = data.path().join("bad.csv");
    std::fs::write(&bad, "hola,hello\n,empty front\n").unwrap();
    let output = recall(&data)
        .args(["check"])
        .args([&csv, &md, &bad])
        .assert()
        .failure()
        .get_output()
        .clone();
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        out.contains(&format!("{}: ok, 2 cards\n", csv.display())),
        "{out}"
    );
    assert!(
        out.contains(&format!("{}: ok, 2 cards\n", md.display())),
        "{out}"
    );
    assert!(!out.contains("bad.csv"), "{out}");
    assert!(err.contains(&format!("{}:2:", bad.display())), "{err}");
    assert!(
        err.contains("the first row (Front, Back, Tags) is read as column names"),
        "{err}"
    );
    assert!(!data.path().join("decks").exists(), "check writes nothing");
}

#[test]
fn a_csv_header_row_is_read_as_column_names_with_a_note() {
    let data = TempDir::new().unwrap();
    let csv = data.path().join("vocab.csv");
    std::fs::write(&csv, "question;ANSWER\nhola;hello\ngato;cat\n").unwrap();
    let out = stdout(recall(&data).arg("import").arg(&csv));
    assert!(out.contains("2 rows"), "{out}");
    assert!(
        out.contains(":1:1: note: the first row (question, ANSWER) is read as column names"),
        "{out}"
    );
    let exported = stdout(recall(&data).args(["export", "vocab", "--format", "md"]));
    assert!(!exported.contains("## question"), "{exported}");
    assert!(exported.contains("## hola\n"), "{exported}");
    assert!(exported.contains("## gato\n"), "{exported}");
}

#[test]
fn due_json_has_next_due_per_deck_and_counts_learning_due_later_today() {
    let data = TempDir::new().unwrap();
    // Graded Good at 08:55: the next step (10 minutes) is due at 09:05.
    std::fs::write(
        data.path().join("reviews.csv"),
        "reviewed_at,deck,card,rating,duration_ms\n2026-11-25T08:55:00.000Z,aws-api-gateway,endpoint-types,3,1000\n",
    )
    .unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&stdout(recall(&data).args(["due", "--json"]))).unwrap();
    let deck = &json["decks"][0];
    assert_eq!(deck["learning"], 1, "{json}");
    assert_eq!(deck["learning_now"], 0, "{json}");
    assert_eq!(deck["next_due"], "2026-11-25T09:05:00Z", "{json}");
    let text = stdout(recall(&data).arg("due"));
    assert!(text.contains("1 (0 now)"), "{text}");
    assert!(text.contains("09:05"), "{text}");
}

#[test]
fn json_and_text_number_learning_steps_alike() {
    let data = TempDir::new().unwrap();
    std::fs::write(
        data.path().join("reviews.csv"),
        "reviewed_at,deck,card,rating,duration_ms\n2026-11-25T08:55:00.000Z,aws-api-gateway,endpoint-types,3,1000\n",
    )
    .unwrap();
    let key = "aws-api-gateway/endpoint-types";
    let text = stdout(recall(&data).args(["card", key]));
    assert!(text.contains("2 of 2"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(recall(&data).args(["card", key, "--json"]))).unwrap();
    assert_eq!(json["step"], 2, "{json}");
}

#[test]
fn a_deck_option_accepts_csv_and_markdown_files() {
    let data = TempDir::new().unwrap();
    let csv = data.path().join("words.csv");
    std::fs::write(&csv, "Front,Back\nhola,hello\n").unwrap();
    let md = data.path().join("notes.md");
    std::fs::write(&md, "# Notes\n\n## 2+2?\n\n4\n").unwrap();
    let out = stdout(
        recall(&data)
            .arg("--deck")
            .arg(&csv)
            .arg("--deck")
            .arg(&md)
            .args(["decks"]),
    );
    assert!(out.contains("words"), "{out}");
    assert!(out.contains("notes"), "{out}");
    assert!(!data.path().join("decks").exists(), "nothing written");
}
