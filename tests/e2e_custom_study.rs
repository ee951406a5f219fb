//! The real binary in tmux: a first session of the 15 bundled cards, all
//! Good, ends without a wait (learn ahead); `recall study` says `q quit` and
//! prints a summary line; custom study's extra new cards on a deck whose
//! limit is used up, kept for the rest of the day.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/tmux.rs"]
mod tmux;

use tempfile::TempDir;
use tmux::Pane;

const NOW: &str = "2026-11-25T09:00:00Z";

#[test]
fn fifteen_new_cards_all_good_end_the_session_without_a_wait() {
    let pane = Pane::start_with(
        &["study", "aws-api-gateway"],
        &[("RECALL_NOW", NOW)],
        TempDir::new().unwrap(),
    );
    let first = pane.wait_for("show answer");
    assert!(
        first.contains("q quit"),
        "recall study leaves with q:\n{first}"
    );
    assert!(!first.contains("q home"), "{first}");
    assert!(
        first.contains("15 new · 0 learning · 0 review left"),
        "{first}"
    );
    // Two Goods a card: the second step (10 minutes) is learnt ahead.
    for grade in 0..30 {
        pane.keys(&["Space"]);
        pane.wait_for("3 Good");
        pane.keys(&["3"]);
        if grade < 29 {
            let screen = pane.wait_for("show answer");
            assert!(!screen.contains("The next one is due"), "{screen}");
        }
    }
    pane.wait_for("All done for now");
    pane.keys(&["Enter"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(
        screen.contains("15 cards, ") && screen.contains("0% again; next due"),
        "one summary line to the shell:\n{screen}"
    );
    let reviews = pane.reviews();
    assert_eq!(reviews.lines().count(), 31, "{reviews}");
}

#[test]
fn extra_new_cards_raise_a_used_up_limit_for_the_day() {
    let data = TempDir::new().unwrap();
    std::fs::write(data.path().join("config.toml"), "new_cards_per_day = 5\n").unwrap();
    let started: String = [
        "integration-examples",
        "endpoint-types",
        "user-authentication",
        "custom-domain-https",
        "breaking-changes",
    ]
    .iter()
    .map(|card| format!("2026-11-25T08:00:00.000Z,aws-api-gateway,{card},4,1000\n"))
    .collect();
    std::fs::write(
        data.path().join("reviews.csv"),
        format!("reviewed_at,deck,card,rating,duration_ms\n{started}"),
    )
    .unwrap();
    let due = |data: &std::path::Path| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_recall"))
            .args(["due", "--json"])
            .env("RECALL_DATA_DIR", data)
            .env("RECALL_CONFIG", data.join("config.toml"))
            .env("RECALL_NOW", NOW)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        json["decks"][0]["new"].as_u64().unwrap()
    };
    assert_eq!(due(data.path()), 0, "the limit is used up");

    let pane = Pane::start_with(
        &["study", "AWS API Gateway", "--extra-new", "5"],
        &[("RECALL_NOW", NOW)],
        data,
    );
    let screen = pane.wait_for("show answer");
    assert!(
        screen.contains("5 new · 0 learning · 0 review left"),
        "{screen}"
    );
    assert!(screen.contains("5 extra new"), "{screen}");
    pane.keys(&["Space"]);
    pane.wait_for("4 Easy");
    pane.keys(&["4"]);
    pane.wait_for("4 new · 0 learning · 0 review left");
    pane.keys(&["q"]);
    pane.wait_for("Session ended");
    pane.keys(&["q"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    let grants = std::fs::read_to_string(pane.data_dir().join("extra_new.csv")).unwrap();
    assert_eq!(grants.lines().count(), 2, "{grants}");
    assert_eq!(
        due(pane.data_dir()),
        4,
        "the grant holds for the rest of the day"
    );
}
