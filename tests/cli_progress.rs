//! `recall due` and `recall card` on a known review log, at a fixed time.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

const LOG: &str = "reviewed_at,deck,card,rating,duration_ms
2026-11-20T09:30:00.000Z,aws-api-gateway,endpoint-types,3,5234
2026-11-20T09:31:00.000Z,aws-api-gateway,endpoint-types,3,4000
2026-11-20T09:41:00.000Z,aws-api-gateway,endpoint-types,3,3000
2026-11-24T10:00:00.000Z,aws-api-gateway,endpoint-types,2,3000
2026-11-20T09:30:00.000Z,old-deck,gone,3,100
2026-11-20T09:30:00.000Z,aws-api-gateway,deleted-card,3,100
2026-11-25T09:00:00.000Z,aws-api-gateway,user-authentication,1,2000
";

/// At 09:05 UTC on 2026-11-25: user-authentication's 1-minute step is due.
fn recall(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("recall").unwrap();
    cmd.env("RECALL_DATA_DIR", data)
        .env("RECALL_CONFIG", data.join("config.toml"))
        .env("RECALL_NOW", "2026-11-25T09:05:00Z")
        .env("TZ", "UTC");
    cmd
}

fn data_dir() -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("reviews.csv"), LOG).unwrap();
    dir
}

#[test]
fn due_counts_new_learning_and_reviews_and_orphans() {
    let data = data_dir();
    recall(data.path()).arg("due").assert().success().stdout(
        "DECK             NEW  LEARNING  REVIEW  NEXT\n\
         aws-api-gateway   13         1       0  in 10 days\n\
         total             13         1       0  in 10 days\n\
         \nThe review log also holds 2 reviews of cards that are in no deck now (kept, not shown above).\n",
    );
}

#[test]
fn due_json_and_the_daily_new_card_limit() {
    let data = data_dir();
    // user-authentication was started today, so 2 of 3 new cards are left.
    std::fs::write(data.path().join("config.toml"), "new_cards_per_day = 3\n").unwrap();
    let output = recall(data.path())
        .args(["due", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "decks": [{
                "deck": "aws-api-gateway",
                "new": 2,
                "learning": 1,
                "learning_now": 1,
                "review": 0,
                "next_due": "2026-12-05T10:00:00Z"
            }],
            "orphan_reviews": 2
        })
    );
}

#[test]
fn card_json_has_state_memory_and_history() {
    let data = data_dir();
    let output = recall(data.path())
        .args(["card", "aws-api-gateway/endpoint-types", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["deck"], "aws-api-gateway");
    assert_eq!(json["card"], "endpoint-types");
    assert_eq!(json["state"], "review");
    assert_eq!(json["step"], serde_json::Value::Null);
    assert!(json["stability"].as_f64().unwrap() > 1.0);
    let difficulty = json["difficulty"].as_f64().unwrap();
    assert!((1.0..=10.0).contains(&difficulty));
    assert!(json["retrievability"].as_f64().unwrap() > 0.9);
    assert_eq!(json["last_review"], "2026-11-24T10:00:00.000Z");
    assert!(json["due"].as_str().unwrap() > "2026-11-25");
    assert_eq!(json["reviews"].as_array().unwrap().len(), 4);
    assert_eq!(
        json["reviews"][0],
        serde_json::json!({"reviewed_at": "2026-11-20T09:30:00.000Z", "rating": 3, "duration_ms": 5234})
    );
}

#[test]
fn card_json_for_a_new_card_has_nulls() {
    let data = data_dir();
    let output = recall(data.path())
        .args(["card", "aws-api-gateway/mapping-templates", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["state"], "new");
    for field in [
        "step",
        "stability",
        "difficulty",
        "retrievability",
        "due",
        "last_review",
    ] {
        assert_eq!(json[field], serde_json::Value::Null, "{field}");
    }
    assert_eq!(json["reviews"], serde_json::json!([]));
}

#[test]
fn card_text_shows_a_learning_card_and_its_history() {
    let data = data_dir();
    recall(data.path())
        .args(["card", "aws-api-gateway/user-authentication"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Front:\n  How can you provide user authentication for API Gateway?",
        ))
        .stdout(predicate::str::contains(
            "State           learning\nStep            1 of 2\n",
        ))
        .stdout(predicate::str::contains(
            "Due             2026-11-25 09:01 (4m ago)",
        ))
        .stdout(predicate::str::contains(
            "2026-11-25 09:00  Again   -               1m        2.0s",
        ));
}

#[test]
fn card_keeps_the_history_of_a_card_that_left_its_deck() {
    let data = data_dir();
    recall(data.path())
        .args(["card", "aws-api-gateway/deleted-card"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "This card is in no deck any more; its reviews are kept.",
        ));
}

#[test]
fn card_errors_name_what_exists() {
    let data = data_dir();
    recall(data.path())
        .args(["card", "nope/x"])
        .assert()
        .code(1)
        .stderr("recall: no deck has the id or name `nope`; the decks are: aws-api-gateway\n");
    recall(data.path())
        .args(["card", "endpoint-types"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`endpoint-types` is not DECK/CARD",
        ));
}

#[test]
fn study_with_nothing_due_says_so_and_succeeds() {
    // No reviews yet, and no new cards allowed today.
    let data = TempDir::new().unwrap();
    std::fs::write(data.path().join("config.toml"), "new_cards_per_day = 0\n").unwrap();
    recall(data.path())
        .args(["study", "aws-api-gateway"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Nothing to study in AWS API Gateway now",
        ));
}
