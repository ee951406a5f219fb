//! `recall stats`: the JSON fields and the text tables, on a simulated log.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/stats_data.rs"]
mod stats_data;

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use serde_json::Value;

const NOW: &str = "2026-11-25T20:00:00Z";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let now: DateTime<Utc> = NOW.parse().unwrap();
    std::fs::create_dir_all(dir.path().join("data/decks")).unwrap();
    std::fs::write(
        dir.path().join("data/decks/sim.toml"),
        stats_data::deck_toml(60),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("data/reviews.csv"),
        stats_data::log_text(60, 120, now),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("data/log/test")).unwrap();
    std::fs::write(
        dir.path().join("data/log/test/card_events.csv"),
        stats_data::events_text(now),
    )
    .unwrap();
    dir
}

fn recall(dir: &tempfile::TempDir) -> Command {
    let mut cmd = Command::cargo_bin("recall").unwrap();
    cmd.env("RECALL_DATA_DIR", dir.path().join("data"))
        .env("RECALL_CONFIG", dir.path().join("config.toml"))
        .env("RECALL_NOW", NOW)
        .env("TZ", "UTC");
    cmd
}

fn json(dir: &tempfile::TempDir, args: &[&str]) -> Value {
    let output = recall(dir)
        .arg("stats")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn json_has_every_documented_field() {
    let dir = setup();
    let v = json(&dir, &[]);
    for field in [
        "deck",
        "date",
        "today",
        "true_retention",
        "reviews_per_day",
        "calendar",
        "forecast",
        "counts",
        "distributions",
        "calibration",
        "hours",
    ] {
        assert!(v.get(field).is_some(), "{field} missing");
    }
    assert_eq!(v["deck"], Value::Null);
    assert_eq!(v["date"], "2026-11-25");
    let per_day = v["reviews_per_day"].as_object().unwrap();
    assert_eq!(per_day.len(), 365);
    assert!(per_day.contains_key("2026-11-25") && per_day.contains_key("2025-11-26"));
    let total: u64 = per_day.values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(total, v["calendar"]["reviews"].as_u64().unwrap());
    assert_eq!(v["forecast"].as_array().unwrap().len(), 30);
    for period in [
        "today",
        "yesterday",
        "last_7_days",
        "last_30_days",
        "last_365_days",
    ] {
        for age in ["young", "mature"] {
            let split = &v["true_retention"][period][age];
            assert!(
                split["passed"].is_u64() && split["failed"].is_u64(),
                "{period} {age}"
            );
        }
    }
    for state in [
        "new",
        "learning",
        "relearning",
        "young",
        "mature",
        "suspended",
        "buried",
        "total",
    ] {
        assert!(v["counts"][state].is_u64(), "{state}");
    }
    assert_eq!(
        v["counts"]["total"], 75,
        "60 simulated cards and the bundled 15"
    );
    let bins = v["calibration"]["bins"].as_array().unwrap();
    assert_eq!(bins.len(), 10);
    for bin in bins {
        assert!(bin["count"].is_u64());
        assert!(bin.get("predicted").is_some() && bin.get("observed").is_some());
    }
    assert!(v["calibration"]["log_loss"].is_f64());
    assert!(v["calibration"]["rmse_bins"].is_f64());
    for key in [
        "cards",
        "reviews",
        "time_ms",
        "again",
        "again_share",
        "new_cards",
        "streak_days",
    ] {
        assert!(v["today"].get(key).is_some(), "today.{key}");
    }
    assert_eq!(v["hours"].as_array().unwrap().len(), 24);
    for kind in ["interval", "stability", "difficulty", "retrievability"] {
        assert!(
            !v["distributions"][kind].as_array().unwrap().is_empty(),
            "{kind}"
        );
    }
}

#[test]
fn days_sets_the_forecast_and_a_deck_narrows_the_scope() {
    let dir = setup();
    let long = json(&dir, &["sim", "--days", "365"]);
    assert_eq!(long["deck"], "sim");
    assert_eq!(long["forecast"].as_array().unwrap().len(), 365);
    let due: u64 = long["forecast"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .sum();
    let counts = &long["counts"];
    let reviewed = counts["total"].as_u64().unwrap() - counts["new"].as_u64().unwrap();
    assert!(due <= reviewed && due > 0);

    let other = json(&dir, &["aws-api-gateway"]);
    assert_eq!(
        other["calendar"]["reviews"], 0,
        "no reviews of the bundled deck"
    );
    assert_eq!(other["counts"]["new"], other["counts"]["total"]);

    recall(&dir)
        .args(["stats", "--days", "0"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("1 to 365"));
    recall(&dir)
        .args(["stats", "nope"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "no deck has the id or name `nope`",
        ));
}

#[test]
fn text_prints_every_table() {
    let dir = setup();
    let output = recall(&dir).args(["stats", "sim"]).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for heading in [
        "Statistics of sim, study day 2026-11-25",
        "TODAY",
        "TRUE RETENTION",
        "Last 365 days",
        "CALENDAR (last 365 days;",
        "Wed ",
        "FORECAST",
        "CARDS",
        "INTERVALS",
        "STABILITY",
        "DIFFICULTY",
        "RETRIEVABILITY NOW",
        "CALIBRATION",
        "log loss",
        "TIME OF DAY",
    ] {
        assert!(text.contains(heading), "{heading} missing in:\n{text}");
    }
    // The text's figures are the JSON's.
    let v = json(&dir, &["sim"]);
    let reviews = v["calendar"]["reviews"].as_u64().unwrap();
    assert!(text.contains(&format!("CALENDAR (last 365 days; {reviews} reviews)")));
    insta::assert_snapshot!(text);
}

#[test]
fn an_empty_data_dir_has_zeros() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::cargo_bin("recall").unwrap();
    let output = cmd
        .env("RECALL_DATA_DIR", dir.path().join("data"))
        .env("RECALL_CONFIG", dir.path().join("config.toml"))
        .env("RECALL_NOW", NOW)
        .args(["stats", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let v: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(v["today"]["reviews"], 0);
    assert_eq!(v["calibration"]["log_loss"], Value::Null);
    assert_eq!(v["counts"]["new"], 15, "the bundled deck");
}

#[test]
fn card_states_agree_with_recall_due() {
    // The simulated log has leeches (suspended by the replay), and the
    // events bury c000 today and forget c001.
    let dir = setup();
    let stats = json(&dir, &["sim"]);
    let n = &stats["counts"];
    assert_eq!(n["buried"], 1, "c000");
    assert_eq!(n["new"], 1, "c001, forgotten");
    assert!(n["suspended"].as_u64().unwrap() >= 1, "leeches");
    let sum: u64 = [
        "new",
        "learning",
        "relearning",
        "young",
        "mature",
        "suspended",
        "buried",
    ]
    .iter()
    .map(|state| n[*state].as_u64().unwrap())
    .sum();
    assert_eq!(sum, n["total"].as_u64().unwrap());

    // Three days on, some cards are due (none are on the last day).
    let later = "2026-11-28T20:00:00Z";
    let run = |args: &[&str]| -> Value {
        let output = recall(&dir)
            .env("RECALL_NOW", later)
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success());
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let stats = run(&["stats", "sim", "--json"]);
    let due = run(&["due", "--json"]);
    let sim = due["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["deck"] == "sim")
        .unwrap();
    let due_today = sim["review"].as_u64().unwrap() + sim["learning"].as_u64().unwrap();
    assert!(due_today > 0, "{sim}");
    assert_eq!(
        stats["forecast"][0].as_u64().unwrap(),
        due_today,
        "today's forecast is what `recall due` queues (no limit reached): {sim}"
    );
}
