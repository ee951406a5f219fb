//! Per-deck settings: presets resolve as documented (own, parent's, top
//! level; dotted ids), bad presets are errors at their position, and the
//! replay and `recall config` use each deck's settings.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use assert_cmd::Command;
use chrono::{DateTime, TimeDelta, Utc};
use recall::day::StudyDay;
use recall::store::config::parse;
use recall::store::{Progress, ReviewLog};

const PRESETS: &str = r#"
desired_retention = 0.9
new_cards_per_day = 20

[presets.exam]
desired_retention = 0.95
learning_steps = ["1m", "5m"]
new_cards_per_day = 50
learn_ahead_minutes = 5

[presets.easy]
desired_retention = 0.8
maximum_interval_days = 365
reviews_per_day = 50

[decks.geo]
preset = "easy"

[decks."geo.capitals"]
preset = "exam"
"#;

fn problems(text: &str) -> Vec<String> {
    parse(text)
        .unwrap_err()
        .into_iter()
        .map(|p| format!("{}: {} | {}", p.position, p.message, p.help))
        .collect()
}

#[test]
fn a_deck_uses_its_own_preset_else_its_nearest_parents_else_the_top_level() {
    let config = parse(PRESETS).unwrap();
    let preset = |deck: &'static str| {
        config
            .preset_of(deck)
            .map(|s| (s.preset.to_owned(), s.named_by.to_owned()))
    };
    let named = |preset: &str, by: &str| Some((preset.to_owned(), by.to_owned()));
    assert_eq!(preset("geo"), named("easy", "geo"));
    assert_eq!(preset("geo.rivers"), named("easy", "geo"));
    // A dotted id names its own preset, which wins over the parent's, and
    // passes it on to its children.
    assert_eq!(preset("geo.capitals"), named("exam", "geo.capitals"));
    assert_eq!(preset("geo.capitals.europe"), named("exam", "geo.capitals"));
    assert_eq!(preset("history"), None);
    // `geography` is not under `geo`.
    assert_eq!(preset("geography"), None);

    let exam = config.for_deck("geo.capitals.europe");
    assert_eq!(exam.scheduler.desired_retention(), 0.95);
    assert_eq!(
        exam.scheduler.learning_steps(),
        [TimeDelta::minutes(1), TimeDelta::minutes(5)]
    );
    assert_eq!(exam.new_cards_per_day, 50);
    assert_eq!(exam.learn_ahead_minutes, 5);
    // What the preset does not set is the top level's, not the parent
    // preset's: presets do not stack.
    assert_eq!(exam.reviews_per_day, 200);
    assert_eq!(exam.scheduler.maximum_interval_days(), 36_500);

    let easy = config.for_deck("geo.rivers");
    assert_eq!(easy.scheduler.desired_retention(), 0.8);
    assert_eq!(easy.scheduler.maximum_interval_days(), 365);
    assert_eq!(easy.reviews_per_day, 50);
    assert_eq!(easy.new_cards_per_day, 20);

    let top = config.for_deck("history");
    assert_eq!(top.scheduler, config.scheduler);
    assert_eq!(top.new_cards_per_day, 20);

    let settings = config.deck_settings();
    assert_eq!(
        settings.for_deck("geo.capitals.asia").desired_retention(),
        0.95
    );
    assert_eq!(settings.for_deck("geo").desired_retention(), 0.8);
    assert_eq!(settings.for_deck("history").desired_retention(), 0.9);
}

#[test]
fn presets_print_back_as_a_config_that_reads_the_same() {
    let config = parse(PRESETS).unwrap();
    let printed = config.to_string();
    assert!(
        printed.contains("[decks.\"geo.capitals\"]\npreset = \"exam\""),
        "{printed}"
    );
    assert_eq!(parse(&printed).unwrap(), config);
}

#[test]
fn bad_presets_are_errors_at_their_position() {
    let cases = [
        (
            "[decks.geo]\npreset = \"nope\"\n",
            vec![
                "2:10: deck `geo` names an unknown preset \"nope\" | define it first: [presets.NAME] with the settings it changes",
            ],
        ),
        (
            "[presets.a]\nnew_cards_per_day = 5\n[decks.geo]\npreset = \"b\"\n",
            vec!["4:10: deck `geo` names an unknown preset \"b\" | the presets are: a"],
        ),
        (
            "[presets.a]\ndesired_retension = 0.8\n",
            vec![
                "2:1: unknown preset setting `desired_retension` | did you mean `desired_retention`?",
            ],
        ),
        (
            "[presets.a]\nday_starts_at = 3\n",
            vec![
                "2:1: `day_starts_at` cannot be set in a preset | set it at the top level; a preset may set: desired_retention, learning_steps, relearning_steps, new_cards_per_day, reviews_per_day, maximum_interval_days, fsrs_parameters, learn_ahead_minutes",
            ],
        ),
        (
            "[presets.a]\ndesired_retention = 1.5\n",
            vec!["2:21: desired_retention = 1.5 is out of range | use a number from 0.70 to 0.99"],
        ),
        (
            "[presets.a]\n[decks.geo.capitals]\npreset = \"a\"\n",
            vec![
                "2:12: [decks.\"geo\"] has a table `capitals` | quote deck ids that have dots: [decks.\"geo.capitals\"]",
            ],
        ),
        (
            "[presets.a]\n[decks.geo]\npresets = \"a\"\n",
            vec![
                "3:1: unknown deck setting `presets` | a deck takes only preset = \"NAME\"; the settings go in [presets.NAME]",
            ],
        ),
        (
            "presets = 3\n",
            vec![
                "1:11: `presets` must be tables like [presets.NAME], but it is an integer (3) | write `presets` as tables like [presets.NAME]",
            ],
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(problems(text), expected, "for {text:?}");
    }
}

#[test]
fn the_replay_schedules_each_deck_with_its_presets_settings() {
    let config =
        parse("[presets.slow]\nlearning_steps = [\"1h\"]\n[decks.geo]\npreset = \"slow\"\n")
            .unwrap();
    let log = ReviewLog::parse(
        b"reviewed_at,deck,card,rating,duration_ms\n\
          2026-11-25T09:00:00.000Z,geo.capitals,paris,1,1000\n\
          2026-11-25T09:00:00.000Z,history,rome,1,1000\n",
    );
    let now: DateTime<Utc> = "2026-11-25T09:00:00Z".parse().unwrap();
    let day = StudyDay::containing(now, 4, &Utc);
    let progress = Progress::replay(&log, config.deck_settings(), &day);
    let due = |deck: &str, card: &str| {
        let key = format!("{deck}/{card}").parse().unwrap();
        progress.card(&key).due().unwrap() - now
    };
    // Again goes back to the first step: geo.capitals inherits geo's one
    // hour; history keeps the top level's 1m.
    assert_eq!(due("geo.capitals", "paris"), TimeDelta::hours(1));
    assert_eq!(due("history", "rome"), TimeDelta::minutes(1));
}

#[test]
fn recall_config_lists_each_decks_effective_settings() {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("data/decks");
    std::fs::create_dir_all(&decks).unwrap();
    for (id, name) in [
        ("geo", "Geo"),
        ("geo.capitals", "Geo::Capitals"),
        ("history", "History"),
    ] {
        std::fs::write(
            decks.join(format!("{id}.toml")),
            format!("[deck]\nid = \"{id}\"\nname = \"{name}\"\n\n[[cards]]\nid = \"c1\"\nfront = \"q\"\nback = \"a\"\n"),
        )
        .unwrap();
    }
    let config = dir.path().join("config.toml");
    std::fs::write(&config, PRESETS).unwrap();
    let output = Command::cargo_bin("recall")
        .unwrap()
        .env("RECALL_DATA_DIR", dir.path().join("data"))
        .env("RECALL_CONFIG", &config)
        .arg("config")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");
    let rows: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("# Effective settings per deck"))
        .skip(1)
        .collect();
    let row = |deck: &str| {
        rows.iter()
            .find(|r| r.split_whitespace().nth(1) == Some(deck))
            .map(|r| r.split_whitespace().skip(2).collect::<Vec<_>>().join(" "))
            .unwrap()
    };
    assert_eq!(row("geo"), "easy 0.8 1m 10m 10m 20 50 365d 20m default");
    assert_eq!(
        row("geo.capitals"),
        "exam 0.95 1m 5m 10m 50 200 36500d 5m default"
    );
    assert_eq!(row("history"), "- 0.9 1m 10m 10m 20 200 36500d 20m default");
    // The part above the table is still a config that reads the same.
    let text: String = stdout
        .lines()
        .take_while(|l| !l.starts_with("# Effective"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(parse(&text).unwrap(), parse(PRESETS).unwrap());
}

#[test]
fn recall_due_counts_new_cards_with_each_decks_preset_limit() {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("data/decks");
    std::fs::create_dir_all(&decks).unwrap();
    for id in ["geo.capitals", "history"] {
        let mut text = format!("[deck]\nid = \"{id}\"\nname = \"{id}\"\n");
        for card in 0..30 {
            text.push_str(&format!(
                "\n[[cards]]\nid = \"c{card}\"\nfront = \"q{card}\"\nback = \"a\"\n"
            ));
        }
        std::fs::write(decks.join(format!("{id}.toml")), text).unwrap();
    }
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "hidden_decks = [\"aws-api-gateway\"]\n[presets.slow]\nnew_cards_per_day = 5\n[decks.geo]\npreset = \"slow\"\n",
    )
    .unwrap();
    let output = Command::cargo_bin("recall")
        .unwrap()
        .env("RECALL_DATA_DIR", dir.path().join("data"))
        .env("RECALL_CONFIG", &config)
        .args(["due", "--json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let new = |deck: &str| {
        json["decks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["deck"] == deck)
            .map(|d| d["new"].clone())
            .unwrap()
    };
    // geo.capitals has no preset of its own: geo's limit of 5 applies.
    assert_eq!(new("geo.capitals"), 5);
    assert_eq!(new("history"), 20);
}

#[test]
fn a_preset_sets_each_of_its_keys_and_no_other() {
    let config =
        parse("[presets.p]\nrelearning_steps = [\"5m\", \"1h\"]\nreviews_per_day = 7\n").unwrap();
    let preset = &config.presets["p"];
    let expected = recall::store::config::Preset {
        relearning_steps: Some(vec![TimeDelta::minutes(5), TimeDelta::hours(1)]),
        reviews_per_day: Some(7),
        ..Default::default()
    };
    assert_eq!(*preset, expected);
}

#[test]
fn preset_names_and_deck_ids_print_bare_where_toml_allows() {
    let config = parse(
        "[presets.my_preset-1]\nnew_cards_per_day = 1\n[presets.\"a.b\"]\nnew_cards_per_day = 2\n\
         [presets.\"\"]\nnew_cards_per_day = 3\n[decks.geo_x-1]\npreset = \"a.b\"\n",
    )
    .unwrap();
    let printed = config.to_string();
    for section in [
        "\n[presets.my_preset-1]\n",
        "\n[presets.\"a.b\"]\n",
        "\n[presets.\"\"]\n",
        "\n[decks.geo_x-1]\npreset = \"a.b\"\n",
    ] {
        assert!(printed.contains(section), "{section:?} in {printed}");
    }
    assert_eq!(parse(&printed).unwrap(), config);
}
