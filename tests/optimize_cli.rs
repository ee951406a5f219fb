//! `recall optimize` end to end: fit a simulated learner's log, write the
//! parameters (comments kept) unless --dry-run, refuse too little data with
//! the counts, fit one preset, and print the retention table.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/learner.rs"]
mod learner;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use recall::schedule::Parameters;
use recall::store::config::parse;

struct Setup {
    _dir: tempfile::TempDir,
    data: PathBuf,
    config: PathBuf,
}

fn setup(reviews: &[learner::SimReview], config: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("decks")).unwrap();
    let mut deck = String::from("[deck]\nid = \"sim\"\nname = \"Sim\"\n");
    for card in 0..reviews.iter().map(|r| r.card + 1).max().unwrap_or(1) {
        deck.push_str(&format!(
            "\n[[cards]]\nid = \"c{card}\"\nfront = \"q{card}\"\nback = \"a\"\n"
        ));
    }
    std::fs::write(data.join("decks/sim.toml"), deck).unwrap();
    std::fs::write(data.join("reviews.csv"), learner::log_text("sim", reviews)).unwrap();
    let config_path = dir.path().join("config.toml");
    std::fs::write(&config_path, config).unwrap();
    Setup {
        _dir: dir,
        data,
        config: config_path,
    }
}

fn recall(setup: &Setup, args: &[&str]) -> (bool, String, String) {
    let output = Command::cargo_bin("recall")
        .unwrap()
        .env("RECALL_DATA_DIR", &setup.data)
        .env("RECALL_CONFIG", &setup.config)
        .env("TZ", "UTC")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

const CONFIG: &str = "# my settings\ndesired_retention = 0.9  # the default\n\n[presets.cram]\ndesired_retention = 0.95\n";

#[test]
fn optimize_writes_the_fit_keeping_comments_and_dry_run_writes_nothing() {
    let reviews = learner::simulate(400, 10, 240, 7);
    let setup = setup(&reviews, CONFIG);

    let (ok, stdout, stderr) = recall(&setup, &["optimize", "--dry-run", "--json"]);
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["written"], false);
    assert_eq!(json["better"], true);
    assert_eq!(read(&setup.config), CONFIG, "--dry-run must not write");

    let (ok, stdout, stderr) = recall(&setup, &["optimize", "--json"]);
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["reviews"], reviews.len());
    assert_eq!(json["cards"], 400);
    assert!(json["items"].as_u64().unwrap() > 1000);
    for model in ["default", "current", "fitted"] {
        for figure in ["log_loss", "rmse_bins", "auc"] {
            assert!(json[model][figure].is_f64(), "{model}.{figure} in {json}");
        }
    }
    assert!(json["fitted"]["log_loss"].as_f64() < json["default"]["log_loss"].as_f64());
    assert_eq!(json["written"], true);
    let parameters: Vec<f64> = json["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(parameters.len(), 21);

    let text = read(&setup.config);
    assert!(
        text.starts_with(
            "# my settings\ndesired_retention = 0.9  # the default\nfsrs_parameters = ["
        ),
        "{text}"
    );
    assert!(
        text.ends_with("\n[presets.cram]\ndesired_retention = 0.95\n"),
        "{text}"
    );
    let config = parse(&text).unwrap();
    assert_eq!(
        config.scheduler.parameters().as_slice(),
        parameters.as_slice()
    );
    assert_ne!(*config.scheduler.parameters(), Parameters::default());

    // Fitting again from the written parameters: now they are current.
    let (ok, stdout, _) = recall(&setup, &["optimize", "--dry-run"]);
    assert!(ok);
    assert!(stdout.contains("reviews of 400 cards"), "{stdout}");
    for row in ["default", "current", "fitted"] {
        assert!(
            stdout.lines().any(|l| l.starts_with(row)),
            "{row} in {stdout}"
        );
    }
    // `recall card` uses them: its retrievability is the fitted model's.
    let (ok, _, stderr) = recall(&setup, &["card", "sim/c1"]);
    assert!(ok, "{stderr}");
}

#[test]
fn too_little_data_is_refused_with_the_counts() {
    let reviews = learner::simulate(10, 10, 30, 1);
    let setup = setup(&reviews, CONFIG);
    let (ok, stdout, stderr) = recall(&setup, &["optimize", "--json"]);
    assert!(!ok);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["reviews"], reviews.len());
    assert_eq!(json["cards"], 10);
    assert_eq!(json["written"], false);
    assert!(
        stderr.contains(&format!(
            "too little data to fit: {} reviews and ",
            reviews.len()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("at least 400 reviews"), "{stderr}");
    assert_eq!(read(&setup.config), CONFIG);
}

#[test]
fn a_preset_is_fitted_on_its_decks_and_written_into_its_table() {
    let reviews = learner::simulate(400, 10, 240, 7);
    let config = format!("{CONFIG}\n[decks.sim]\npreset = \"cram\"\n");
    let setup = setup(&reviews, &config);
    // The top level now has no deck: too little data.
    let (ok, _, stderr) = recall(&setup, &["optimize"]);
    assert!(!ok);
    assert!(
        stderr.contains("too little data to fit: 0 reviews"),
        "{stderr}"
    );
    // The deck's settings are the preset's: `optimize sim` fits `cram`.
    let (ok, stdout, stderr) = recall(&setup, &["optimize", "sim", "--json"]);
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["target"], "cram");
    assert_eq!(json["written"], true);
    let config = parse(&read(&setup.config)).unwrap();
    assert_eq!(*config.scheduler.parameters(), Parameters::default());
    let fitted = config.presets["cram"].fsrs_parameters.unwrap();
    assert_eq!(*config.for_deck("sim").scheduler.parameters(), fitted);
    // An unknown preset is an error.
    let (ok, _, stderr) = recall(&setup, &["optimize", "--preset", "nope"]);
    assert!(!ok);
    assert!(stderr.contains("there is no preset `nope`"), "{stderr}");
}

#[test]
fn the_retention_table_marks_the_least_work_and_changes_nothing() {
    let reviews = learner::simulate(50, 10, 30, 3);
    let setup = setup(&reviews, CONFIG);
    let (ok, stdout, stderr) = recall(&setup, &["optimize", "--retention"]);
    assert!(ok, "{stderr}");
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("0."))
        .collect();
    assert_eq!(rows.len(), 9, "{stdout}");
    assert!(rows[0].trim_start().starts_with("0.70"));
    assert!(rows[8].trim_start().starts_with("0.97"));
    assert_eq!(
        rows.iter().filter(|r| r.contains("least work")).count(),
        1,
        "{stdout}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("     0.90") && r.contains("yours")),
        "{stdout}"
    );
    let (ok, stdout, _) = recall(&setup, &["optimize", "--retention", "--json"]);
    assert!(ok);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rows = json["rows"].as_array().unwrap();
    // More retention costs more reviews.
    let reviews: Vec<f64> = rows
        .iter()
        .map(|r| r["reviews_per_day"].as_f64().unwrap())
        .collect();
    assert!(reviews.first() < reviews.last(), "{reviews:?}");
    assert_eq!(read(&setup.config), CONFIG);
}
