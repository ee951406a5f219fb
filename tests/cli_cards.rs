//! `recall cards`, `recall suspend|unsuspend|bury|forget` and `recall decks
//! --hide/--show`, run as a user would against temp data directories: the
//! events land in card_events.csv, `recall due` and `recall cards` see them,
//! a bad search points at the term, an unknown card changes nothing.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

/// This device's card events file, `log/<device>/card_events.csv`, if any.
fn events_path(data: &Path) -> std::path::PathBuf {
    std::fs::read_dir(data.join("log"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("card_events.csv"))
        .find(|path| path.is_file())
        .unwrap_or_else(|| data.join("log/none/card_events.csv"))
}

fn recall(data_dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("recall").unwrap();
    cmd.env("RECALL_DATA_DIR", data_dir)
        .env("RECALL_CONFIG", data_dir.join("config.toml"))
        .env("NO_COLOR", "1");
    cmd
}

fn cards_json(data: &Path, query: &str) -> Vec<serde_json::Value> {
    let output = recall(data)
        .args(["cards", query, "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn new_count(data: &Path) -> u64 {
    let output = recall(data).args(["due", "--json"]).output().unwrap();
    let due: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    due["decks"][0]["new"].as_u64().unwrap()
}

#[test]
fn cards_lists_what_matches() {
    let data = TempDir::new().unwrap();
    recall(data.path())
        .args(["cards", "tag:stages", "-tag:lambda"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "DECK             CARD                STATE  DUE  INTERVAL  LAPSES  TAGS                FLAGS\n",
        ))
        .stdout(predicate::str::contains("aws-api-gateway  breaking-changes    new"))
        .stdout(predicate::str::ends_with("3 cards\n"));
    let all = cards_json(data.path(), "");
    assert_eq!(all.len(), 15);
    let endpoints = cards_json(data.path(), "\"three ENDPOINT types\"");
    assert_eq!(endpoints.len(), 1);
    assert_eq!(endpoints[0]["card"], "endpoint-types");
    assert_eq!(endpoints[0]["state"], "new");
    recall(data.path())
        .args(["cards", "nothing-like-this"])
        .assert()
        .success()
        .stdout("No card matches.\n");
}

#[test]
fn a_bad_search_points_at_the_term() {
    let data = TempDir::new().unwrap();
    recall(data.path())
        .args(["cards", "tag:stages is:fresh"])
        .assert()
        .failure()
        .stdout("")
        .stderr(
            "recall: bad search: `is:fresh` (column 12): unknown `is:`; use is:new, is:learn, is:review, is:due, is:suspended, is:buried, is:leech or is:marked\n  tag:stages is:fresh\n             ^^^^^^^^\n",
        );
}

#[test]
fn suspend_and_unsuspend_change_the_queue() {
    let data = TempDir::new().unwrap();
    assert_eq!(new_count(data.path()), 15);
    recall(data.path())
        .args([
            "suspend",
            "aws-api-gateway/endpoint-types",
            "aws-api-gateway/stage-variables",
        ])
        .assert()
        .success()
        .stdout("Suspended 2 cards.\n");
    let events = std::fs::read_to_string(events_path(data.path())).unwrap();
    assert!(events.starts_with("at,deck,card,event\n"), "{events}");
    assert_eq!(events.lines().count(), 3);
    assert_eq!(new_count(data.path()), 13);
    assert_eq!(cards_json(data.path(), "is:suspended").len(), 2);
    recall(data.path())
        .args(["suspend", "aws-api-gateway/endpoint-types"])
        .assert()
        .success()
        .stdout("aws-api-gateway/endpoint-types: already suspended\nSuspended 0 cards.\n");
    recall(data.path())
        .args(["unsuspend", "aws-api-gateway/endpoint-types"])
        .assert()
        .success();
    assert_eq!(new_count(data.path()), 14);
    recall(data.path())
        .args(["card", "aws-api-gateway/stage-variables"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Flags           suspended"));
}

#[test]
fn bury_lasts_until_the_next_study_day() {
    let data = TempDir::new().unwrap();
    recall(data.path())
        .env("RECALL_NOW", "2026-11-25T12:00:00Z")
        .args(["bury", "aws-api-gateway/endpoint-types"])
        .assert()
        .success()
        .stdout("Buried 1 card until the next study day.\n");
    let later_today = recall(data.path())
        .env("RECALL_NOW", "2026-11-25T13:00:00Z")
        .args(["cards", "is:buried", "--json"])
        .output()
        .unwrap();
    let buried: Vec<serde_json::Value> = serde_json::from_slice(&later_today.stdout).unwrap();
    assert_eq!(buried.len(), 1);
    let two_days_later = recall(data.path())
        .env("RECALL_NOW", "2026-11-27T13:00:00Z")
        .args(["cards", "is:buried", "--json"])
        .output()
        .unwrap();
    let buried: Vec<serde_json::Value> = serde_json::from_slice(&two_days_later.stdout).unwrap();
    assert!(buried.is_empty());
}

#[test]
fn forget_keeps_the_history() {
    let data = TempDir::new().unwrap();
    std::fs::write(
        data.path().join("reviews.csv"),
        "reviewed_at,deck,card,rating,duration_ms\n2026-11-20T09:00:00.000Z,aws-api-gateway,endpoint-types,4,3000\n",
    )
    .unwrap();
    assert_eq!(cards_json(data.path(), "is:review").len(), 1);
    recall(data.path())
        .args(["forget", "aws-api-gateway/endpoint-types"])
        .assert()
        .success()
        .stdout("Forgot 1 card: back to new, their reviews are kept.\n");
    assert!(cards_json(data.path(), "is:review").is_empty());
    let card = &cards_json(data.path(), "deck:aws* \"three endpoint\"")[0];
    assert_eq!(card["state"], "new");
    assert_eq!(card["reviews"], 1);
    let log = std::fs::read_to_string(data.path().join("reviews.csv")).unwrap();
    assert_eq!(log.lines().count(), 2, "the review is still in the log");
}

#[test]
fn an_unknown_card_changes_nothing() {
    let data = TempDir::new().unwrap();
    recall(data.path())
        .args([
            "suspend",
            "aws-api-gateway/endpoint-types",
            "aws-api-gateway/nope",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "deck `aws-api-gateway` has no card `nope`",
        ));
    assert!(!events_path(data.path()).exists());
}

#[test]
fn hide_and_show_a_deck_keep_the_rest_of_the_config() {
    let data = TempDir::new().unwrap();
    let config = data.path().join("config.toml");
    std::fs::write(&config, "# my settings\nnew_cards_per_day = 5\n").unwrap();
    recall(data.path())
        .args(["decks", "--hide", "aws-api-gateway"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Deck `aws-api-gateway` is hidden",
        ));
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        "# my settings\nnew_cards_per_day = 5\nhidden_decks = [\"aws-api-gateway\"]\n"
    );
    recall(data.path())
        .arg("decks")
        .assert()
        .success()
        .stdout(predicate::str::contains("bundled (hidden)"));
    recall(data.path())
        .args(["decks", "--show", "aws-api-gateway"])
        .assert()
        .success()
        .stdout("Deck `aws-api-gateway` is shown again.\n");
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        "# my settings\nnew_cards_per_day = 5\nhidden_decks = []\n"
    );
    recall(data.path())
        .args(["decks", "--hide", "nope"])
        .assert()
        .failure();
}
