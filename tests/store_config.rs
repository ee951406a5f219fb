//! `config.toml`: defaults, every kind of invalid value with its exact
//! message, and `recall config` on the command line.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use assert_cmd::Command;
use chrono::TimeDelta;
use recall::store::LoadedConfig;
use recall::store::config::{Config, parse};

/// Every problem of `text`, as `line:column: message | help`.
fn problems(text: &str) -> Vec<String> {
    parse(text)
        .unwrap_err()
        .into_iter()
        .map(|p| format!("{}: {} | {}", p.position, p.message, p.help))
        .collect()
}

#[test]
fn each_invalid_value_gives_its_error() {
    let cases = [
        (
            "desired_retention = 1.2",
            "1:21: desired_retention = 1.2 is out of range | use a number from 0.70 to 0.99",
        ),
        (
            "desired_retention = 0.5",
            "1:21: desired_retention = 0.5 is out of range | use a number from 0.70 to 0.99",
        ),
        (
            "desired_retention = \"high\"",
            "1:21: `desired_retention` must be a number, but it is a string (\"high\") | write `desired_retention` as a number",
        ),
        (
            "learning_steps = [\"1m\", \"10x\"]",
            "1:25: learning_steps: \"10x\" is not a valid step | write steps as a whole number and a unit (s, m, h or d) from 1s to 36500d, e.g. \"1m\", \"10m\", \"1d\"",
        ),
        (
            "learning_steps = [\"0m\"]",
            "1:19: learning_steps: \"0m\" is not a valid step | write steps as a whole number and a unit (s, m, h or d) from 1s to 36500d, e.g. \"1m\", \"10m\", \"1d\"",
        ),
        (
            "relearning_steps = \"10m\"",
            "1:20: `relearning_steps` must be a list of durations like [\"1m\", \"10m\"], but it is a string (\"10m\") | write `relearning_steps` as a list of durations like [\"1m\", \"10m\"]",
        ),
        (
            "maximum_interval_days = 0",
            "1:25: maximum_interval_days = 0 is out of range | use a whole number from 1 to 36500",
        ),
        (
            "new_cards_per_day = -1",
            "1:21: new_cards_per_day = -1 is out of range | use a whole number from 0 to 100000",
        ),
        (
            "reviews_per_day = 1.5",
            "1:19: `reviews_per_day` must be a whole number, but it is a float (1.5) | write `reviews_per_day` as a whole number",
        ),
        (
            "day_starts_at = 24",
            "1:17: day_starts_at = 24 is out of range | use a whole number from 0 to 23",
        ),
        (
            "learn_ahead_minutes = 2000",
            "1:23: learn_ahead_minutes = 2000 is out of range | use a whole number from 0 to 1440",
        ),
        (
            "learn_ahead_minutes = -1",
            "1:23: learn_ahead_minutes = -1 is out of range | use a whole number from 0 to 1440",
        ),
        (
            "fuzz = \"yes\"",
            "1:8: `fuzz` must be true or false, but it is a string (\"yes\") | write `fuzz` as true or false",
        ),
        (
            "fsrs_parameters = [1, 2]",
            "1:19: fsrs_parameters has 2 numbers; FSRS-6 has 21 | list all 21 parameters, or remove the line to use the defaults",
        ),
        (
            "fsrs_parameters = [0.212, 1.2931, 2.3065, 8.2956, 12.5, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542]",
            "1:51: fsrs_parameters: parameter w[4] = 12.5 is outside 1.0..=10.0 | w[4] must be from 1 to 10",
        ),
        (
            "new_card_per_day = 10",
            "1:1: unknown setting `new_card_per_day` | did you mean `new_cards_per_day`?",
        ),
        (
            "day_starts_at = ",
            "1:17: invalid TOML: string values must be quoted, expected literal string | fix the TOML syntax at this position",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(problems(text), [expected], "{text}");
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = "fuzz = 1\n# a comment\nday_starts_at = 30\ncolour = \"red\"\n";
    let found = problems(text);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].starts_with("1:8:"));
    assert!(found[1].starts_with("3:17:"));
    assert!(found[2].starts_with("4:1: unknown setting `colour`"));
}

#[test]
fn valid_settings_are_applied_and_the_rest_default() {
    let config = parse(
        "desired_retention = 0.85\nlearning_steps = [\"30s\", \"5m\", \"1h\"]\nrelearning_steps = []\n\
         maximum_interval_days = 365\nnew_cards_per_day = 5\nreviews_per_day = 1_000\nday_starts_at = 0\nfuzz = false\n",
    )
    .unwrap();
    let s = &config.scheduler;
    assert_eq!(s.desired_retention(), 0.85);
    assert_eq!(
        s.learning_steps(),
        [
            TimeDelta::seconds(30),
            TimeDelta::minutes(5),
            TimeDelta::hours(1)
        ]
    );
    assert_eq!(s.relearning_steps(), []);
    assert_eq!(s.maximum_interval_days(), 365);
    assert!(!s.fuzz());
    assert_eq!(
        (
            config.new_cards_per_day,
            config.reviews_per_day,
            config.day_starts_at
        ),
        (5, 1000, 0)
    );
    assert_eq!(parse("").unwrap(), Config::default());
    assert_eq!(Config::default().learn_ahead_minutes, 20);
    assert_eq!(
        parse("learn_ahead_minutes = 0")
            .unwrap()
            .learn_ahead_minutes,
        0
    );
    assert_eq!(
        parse("learn_ahead_minutes = 1440").unwrap().learn_ahead(),
        TimeDelta::days(1)
    );
}

#[test]
fn the_printed_config_reads_back_equal() {
    let config =
        parse("desired_retention = 0.95\nlearning_steps = [\"90s\", \"2d\"]\nfuzz = false\n")
            .unwrap();
    assert_eq!(parse(&config.to_string()).unwrap(), config);
}

#[test]
fn a_missing_file_means_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = LoadedConfig::load(&dir.path().join("config.toml")).unwrap();
    assert!(!loaded.file_exists);
    assert_eq!(loaded.config, Config::default());
}

#[test]
fn recall_config_prints_the_settings_and_their_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let run = || {
        Command::cargo_bin("recall")
            .unwrap()
            .arg("config")
            .env("RECALL_DATA_DIR", dir.path())
            .env("RECALL_CONFIG", &path)
            .assert()
    };
    let defaults = run().success().get_output().stdout.clone();
    let defaults = String::from_utf8(defaults).unwrap();
    assert!(defaults.starts_with(&format!(
        "# {} does not exist: these are the defaults.",
        path.display()
    )));
    assert!(defaults.contains("\nnew_cards_per_day = 20\n"));

    std::fs::write(&path, "new_cards_per_day = 7\n").unwrap();
    let custom = String::from_utf8(run().success().get_output().stdout.clone()).unwrap();
    assert!(custom.starts_with(&format!("# Settings from {}", path.display())));
    assert!(custom.contains("\nnew_cards_per_day = 7\n"));

    std::fs::write(&path, "new_cards_per_day = 7\nday_starts_at = 99\n").unwrap();
    run().code(1).stderr(format!(
        "recall: {}:2:17: day_starts_at = 99 is out of range\n  help: use a whole number from 0 to 23\n",
        path.display()
    ));
}

#[test]
fn defect_6_a_step_with_a_non_ascii_unit_is_an_error_not_a_panic() {
    for step in ["10м", "5分", "1é", "é", "м1"] {
        let text = format!("learning_steps = [\"{step}\"]\nrelearning_steps = [\"{step}\"]");
        assert_eq!(
            problems(&text),
            [
                format!(
                    "1:19: learning_steps: \"{step}\" is not a valid step | write steps as a whole number and a unit (s, m, h or d) from 1s to 36500d, e.g. \"1m\", \"10m\", \"1d\""
                ),
                format!(
                    "2:21: relearning_steps: \"{step}\" is not a valid step | write steps as a whole number and a unit (s, m, h or d) from 1s to 36500d, e.g. \"1m\", \"10m\", \"1d\""
                ),
            ],
            "{step}"
        );
    }
}

#[test]
fn a_config_that_cannot_be_read_is_an_error_naming_it_not_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    // A directory where the file should be: it exists, so it is no
    // "missing file, use the defaults".
    let error = LoadedConfig::load(dir.path()).unwrap_err();
    assert!(
        matches!(&error, recall::store::config::ConfigError::Io { path, .. } if path == dir.path()),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!("cannot read the config file {}", dir.path().display())
    );
}

#[test]
fn every_other_setting_is_applied() {
    let config = parse(
        "leech_threshold = 3\nleech_action = \"tag\"\nhidden_decks = [\"a\", \"b.c\"]\n\
         sync_on_exit = true\nimages = false\nbury_siblings = false\n\
         import_max_total_mb = 10\nimport_max_file_mb = 0x2\n",
    )
    .unwrap();
    assert_eq!(config.leech.threshold, 3);
    assert!(!config.leech.suspend);
    assert_eq!(config.hidden_decks, ["a", "b.c"]);
    assert!(config.sync_on_exit);
    assert!(!config.images);
    assert!(!config.bury_siblings);
    assert_eq!(
        (config.import_max_total_mb, config.import_max_file_mb),
        (10, 2)
    );
    assert!(parse("leech_action = \"suspend\"").unwrap().leech.suspend);
    assert_eq!(parse(&config.to_string()).unwrap(), config);
}

#[test]
fn a_step_is_digits_and_a_unit_and_nothing_else() {
    use recall::store::config::{format_step, parse_step};
    assert_eq!(parse_step("90s"), Some(TimeDelta::seconds(90)));
    assert_eq!(parse_step("10m"), Some(TimeDelta::minutes(10)));
    assert_eq!(parse_step("2h"), Some(TimeDelta::hours(2)));
    assert_eq!(parse_step("36500d"), Some(TimeDelta::days(36_500)));
    // Rust's integer parser takes a sign; a step does not.
    for bad in [
        "+5m", "-5m", "m", "", "5", " 5m", "5 m", "0s", "36501d", "5y",
    ] {
        assert_eq!(parse_step(bad), None, "{bad:?}");
    }
    for (step, text) in [
        (90, "90s"),
        (600, "10m"),
        (7200, "2h"),
        (86_400, "1d"),
        (0, "0s"),
    ] {
        assert_eq!(format_step(TimeDelta::seconds(step)), text);
    }
}

#[test]
fn hiding_decks_rewrites_only_the_value_or_adds_a_line() {
    use recall::store::config::with_hidden_decks;
    let ids = ["a".to_owned(), "b.c".to_owned()];
    let text = "# mine\nhidden_decks = [ \"old\" ]  # kept\nfuzz = false\n";
    assert_eq!(
        with_hidden_decks(text, &ids),
        "# mine\nhidden_decks = [\"a\", \"b.c\"]  # kept\nfuzz = false\n"
    );
    // A key that only ends like it is another key.
    assert_eq!(
        with_hidden_decks("not_hidden_decks = 1\n", &ids),
        "not_hidden_decks = 1\nhidden_decks = [\"a\", \"b.c\"]\n"
    );
    assert_eq!(
        with_hidden_decks("fuzz = false", &ids[..1]),
        "fuzz = false\nhidden_decks = [\"a\"]\n"
    );
    assert_eq!(with_hidden_decks("", &[]), "hidden_decks = []\n");
    // Text that is not TOML gets the line at the end, as it would be read.
    assert_eq!(
        with_hidden_decks("x = [\n", &[]),
        "x = [\nhidden_decks = []\n"
    );
}
