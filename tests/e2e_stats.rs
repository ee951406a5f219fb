//! The real binary in a terminal (tmux): `s` on the home screen opens the
//! stats of the selected deck on a log with reviews, Tab moves to the
//! calendar, `a` shows all decks, `q` goes back home and `q` quits.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/tmux.rs"]
mod tmux;

use tempfile::TempDir;
use tmux::Pane;

const REVIEWS: &str = "reviewed_at,deck,card,rating,duration_ms
2026-11-20T09:30:00.000Z,aws-api-gateway,endpoint-types,3,5234
2026-11-25T08:30:00.000Z,aws-api-gateway,endpoint-types,3,4000
2026-11-25T08:31:00.000Z,aws-api-gateway,stages,1,3000
";

#[test]
fn stats_screen_from_home_and_back() {
    let data = TempDir::new().unwrap();
    std::fs::write(data.path().join("reviews.csv"), REVIEWS).unwrap();
    let pane = Pane::start_with(&[], &[("RECALL_NOW", "2026-11-25T09:00:00Z")], data);
    pane.wait_for("study all");
    pane.keys(&["s"]);
    let today = pane.wait_for("True retention");
    assert!(today.contains("Statistics · AWS API Gateway"), "{today}");
    assert!(today.contains("Studied 2 cards · reviews 2"), "{today}");
    pane.keys(&["Tab"]);
    let calendar = pane.wait_for("days studied 2/365");
    assert!(calendar.contains("Reviews 3"), "{calendar}");
    pane.keys(&["a"]);
    pane.wait_for("Statistics · All decks");
    pane.keys(&["q"]);
    pane.wait_for("study all");
    pane.keys(&["q"]);
    let (code, _) = pane.wait_for_exit();
    assert_eq!(code, 0);
}
