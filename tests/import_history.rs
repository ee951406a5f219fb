//! Re-importing an edited source keeps the review history of the cards whose
//! ids did not change, as `recall card` shows it.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use assert_cmd::Command;
use tempfile::TempDir;

fn recall(data: &TempDir) -> Command {
    let mut cmd = Command::cargo_bin("recall").unwrap();
    cmd.env("RECALL_DATA_DIR", data.path())
        .env("RECALL_CONFIG", data.path().join("config.toml"))
        .env("RECALL_NOW", "2026-11-25T12:00:00Z")
        .env("TZ", "UTC");
    cmd
}

fn card_json(data: &TempDir, key: &str) -> serde_json::Value {
    let output = recall(data).args(["card", key, "--json"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn an_edited_reimport_keeps_the_history_of_unchanged_ids() {
    let data = TempDir::new().unwrap();
    let source = data.path().join("spanish.md");
    std::fs::write(
        &source,
        "# Spanish\n\n## hola\n<!-- id: hola -->\nhello\n\n## gato\n<!-- id: gato -->\ncat\n",
    )
    .unwrap();
    recall(&data).arg("import").arg(&source).assert().success();

    let log = "reviewed_at,deck,card,rating,duration_ms\n\
               2026-11-20T09:00:00.000Z,spanish,hola,3,2000\n\
               2026-11-20T09:10:00.000Z,spanish,hola,3,1500\n\
               2026-11-20T09:00:30.000Z,spanish,gato,1,2500\n";
    std::fs::write(data.path().join("reviews.csv"), log).unwrap();
    let before = card_json(&data, "spanish/hola");
    assert_eq!(before["state"], "review");

    // Edit the answer of `hola`, drop `gato`, add a card.
    std::fs::write(
        &source,
        "# Spanish\n\n## hola\n<!-- id: hola -->\nhello, hi\n\n## perro\n<!-- id: perro -->\ndog\n",
    )
    .unwrap();
    recall(&data).arg("import").arg(&source).assert().success();

    let after = card_json(&data, "spanish/hola");
    assert_eq!(
        after["reviews"], before["reviews"],
        "the history of hola is kept"
    );
    assert_eq!(after["state"], before["state"]);
    assert_eq!(after["due"], before["due"]);
    assert_eq!(card_json(&data, "spanish/perro")["state"], "new");
    // The card that left the deck keeps its reviews in the log.
    assert_eq!(
        card_json(&data, "spanish/gato")["reviews"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        std::fs::read_to_string(data.path().join("reviews.csv")).unwrap(),
        log
    );
    let exported = recall(&data)
        .args(["export", "spanish", "--format", "md"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&exported.stdout).contains("hello, hi"));
}

#[test]
fn a_toml_deck_is_copied_as_written() {
    let data = TempDir::new().unwrap();
    let source = data.path().join("capitals.toml");
    let text = "# Capitals I keep forgetting\n[deck]\nname = \"Capitals\"   # short name\n\n[[cards]]\nid = \"fr\"\nfront = \"France?\"\nback = \"Paris\"\n";
    std::fs::write(&source, text).unwrap();
    recall(&data).arg("import").arg(&source).assert().success();
    let copied = std::fs::read_to_string(data.path().join("decks/capitals.toml")).unwrap();
    let marker = format!(
        "imported_from = {}\n",
        toml::Value::String(source.display().to_string())
    );
    assert_eq!(
        copied,
        text.replacen("[deck]\n", &format!("[deck]\n{marker}"), 1)
    );
    // With --name the deck changes, so it is written afresh.
    recall(&data)
        .arg("import")
        .arg(&source)
        .args(["--name", "World capitals", "--deck-id", "world"])
        .assert()
        .success();
    let rewritten = std::fs::read_to_string(data.path().join("decks/world.toml")).unwrap();
    assert!(rewritten.contains("name = \"World capitals\""));
}
