//! Writing fitted parameters into config.toml: comments, order and other
//! keys stay; the value lands at the top level or in its preset; the result
//! reads back as exactly the parameters written.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use recall::optimize::rounded;
use recall::schedule::Parameters;
use recall::store::config::edit::{EditError, with_parameters};
use recall::store::config::parse;

const TEXT: &str = r#"# My settings
desired_retention = 0.9   # exam season

# Weights from last year
fsrs_parameters = [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542]  # keep this comment
new_cards_per_day = 10

[presets.exam]
# cram
desired_retention = 0.95

[decks."geo.capitals"]
preset = "exam"
"#;

/// Parameters as a fit gives them: f32 values, some at a bound.
fn fitted() -> Parameters {
    let mut w: Vec<f32> = Parameters::default()
        .as_slice()
        .iter()
        .map(|&v| v as f32)
        .collect();
    w[0] = 0.123_456_7;
    w[9] = 0.8; // widens to 0.800000011920929, above the bound
    w[19] = 0.8;
    rounded(&w)
}

#[test]
fn the_top_level_value_is_replaced_in_place_keeping_comments_and_keys() {
    let w = fitted();
    let text = with_parameters(TEXT, None, &w).unwrap();
    let config = parse(&text).unwrap();
    assert_eq!(*config.scheduler.parameters(), w);
    assert_eq!(config.new_cards_per_day, 10);
    assert_eq!(
        config
            .for_deck("geo.capitals")
            .scheduler
            .desired_retention(),
        0.95
    );
    for kept in [
        "# My settings\n",
        "desired_retention = 0.9   # exam season\n",
        "# Weights from last year\nfsrs_parameters = [0.1235, ",
        "]  # keep this comment\nnew_cards_per_day = 10\n",
        "[presets.exam]\n# cram\ndesired_retention = 0.95\n",
    ] {
        assert!(text.contains(kept), "{kept:?} missing from:\n{text}");
    }
    // Everything but the one value is byte for byte the same.
    let old_line = TEXT
        .lines()
        .find(|l| l.starts_with("fsrs_parameters"))
        .unwrap();
    let new_line = text
        .lines()
        .find(|l| l.starts_with("fsrs_parameters"))
        .unwrap();
    assert_eq!(text.replace(new_line, old_line), TEXT);
}

#[test]
fn a_missing_key_is_added_to_the_top_level_before_the_tables() {
    let text = "# comment\nnew_cards_per_day = 5\n\n[presets.exam]\ndesired_retention = 0.95\n";
    let w = fitted();
    let updated = with_parameters(text, None, &w).unwrap();
    let config = parse(&updated).unwrap();
    assert_eq!(*config.scheduler.parameters(), w);
    // Not inside [presets.exam]:
    assert_eq!(config.presets["exam"].fsrs_parameters, None);
    assert!(
        updated.starts_with("# comment\nnew_cards_per_day = 5\nfsrs_parameters = ["),
        "{updated}"
    );
    // An empty file gets the one line.
    let empty = with_parameters("", None, &w).unwrap();
    assert_eq!(*parse(&empty).unwrap().scheduler.parameters(), w);
}

#[test]
fn a_presets_parameters_go_into_its_table_only() {
    let w = fitted();
    let text = with_parameters(TEXT, Some("exam"), &w).unwrap();
    let config = parse(&text).unwrap();
    assert_eq!(config.presets["exam"].fsrs_parameters, Some(w));
    assert_eq!(*config.scheduler.parameters(), Parameters::default());
    assert_eq!(*config.for_deck("geo.capitals").scheduler.parameters(), w);
    assert!(
        text.contains("[presets.exam]\n# cram\ndesired_retention = 0.95\nfsrs_parameters = ["),
        "{text}"
    );
    assert!(matches!(
        with_parameters(TEXT, Some("nope"), &w),
        Err(EditError::NoPreset(name)) if name == "nope"
    ));
}

#[test]
fn rounded_parameters_always_validate_and_read_back_the_same() {
    // Every parameter at each of its bounds, as f32, and just beyond.
    let low: Vec<f32> = recall::schedule::LOWER_BOUNDS
        .iter()
        .map(|&v| v as f32)
        .collect();
    let high: Vec<f32> = recall::schedule::UPPER_BOUNDS
        .iter()
        .map(|&v| v as f32)
        .collect();
    let beyond: Vec<f32> = high.iter().map(|v| v * 1.001 + 0.001).collect();
    for w in [low, high, beyond] {
        let parameters = rounded(&w);
        let text = with_parameters("", None, &parameters).unwrap();
        assert_eq!(
            *parse(&text).unwrap().scheduler.parameters(),
            parameters,
            "{text}"
        );
    }
}
