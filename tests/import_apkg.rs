//! Importing Anki packages made by Anki itself (`scripts/anki_packages.py`):
//! every card's text against what Anki renders for it, the review history
//! and the FSRS state replaying it gives, media, re-import and dry runs.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use serde::Deserialize;
use tempfile::TempDir;

use recall::deck::{CardKind, Catalog, NoteContent, normalize_text, strip_highlights};
use recall::import::apkg::convert::card_id;
use recall::import::card_id_from_guid;
use recall::import::deck_id_from_name;
use recall::import::html::to_markdown;
use recall::import::notetype::answer_part;
use recall::schedule::{self, Rating, Settings};

const PACKAGES: [&str; 3] = ["legacy.apkg", "current.apkg", "collection.colpkg"];

#[derive(Debug, Deserialize)]
struct Expected {
    guid: String,
    ord: u32,
    notetype: String,
    deck: String,
    suspended: bool,
    tags: Vec<String>,
    question: String,
    answer: String,
    revlog: Vec<Revlog>,
}

#[derive(Debug, Deserialize)]
struct Revlog {
    id: i64,
    ease: u8,
    factor: i64,
    time: u64,
    #[serde(rename = "type")]
    kind: i64,
}

impl Revlog {
    /// Whether Anki's entry is a grade that scheduled the card (the rule
    /// docs/import-export.md states): learn, review, relearn, or a
    /// filtered-deck review that rescheduled (it has an ease factor).
    fn is_grade(&self) -> bool {
        (1..=4).contains(&self.ease)
            && (matches!(self.kind, 0..=2) || (self.kind == 3 && self.factor != 0))
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/apkg")
        .join(name)
}

fn expected() -> Vec<Expected> {
    let text = std::fs::read_to_string(fixture("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn recall(data: &TempDir) -> Command {
    let mut cmd = Command::cargo_bin("recall").unwrap();
    cmd.env("RECALL_DATA_DIR", data.path())
        .env("RECALL_CONFIG", data.path().join("config.toml"))
        .env("RECALL_NOW", "2026-02-01T12:00:00Z")
        .env("RECALL_DEVICE", "laptop")
        .env("TZ", "UTC");
    cmd
}

fn import(data: &TempDir, package: &Path) -> String {
    let output = recall(data).arg("import").arg(package).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn log_lines(data: &TempDir) -> Vec<String> {
    std::fs::read_to_string(log_path(data))
        .unwrap_or_default()
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

/// This device's review log.
fn log_path(data: &TempDir) -> PathBuf {
    data.path().join("log/laptop/reviews.csv")
}

/// The card key recall must give an Anki card (docs/import-export.md):
/// a standard note's cards are keyed as recall's notes key them, the note
/// id from the guid; a card rendered from templates is `<id>.<ord + 1>`.
fn card_key(card: &Expected) -> String {
    let note = card_id_from_guid(&card.guid).unwrap().to_string();
    match (card.notetype.as_str(), card.ord) {
        ("Vocab", ord) => card_id(&card.guid, ord).unwrap().to_string(),
        (_, 0) => note,
        ("Cloze", ord) => format!("{note}.c{}", ord + 1),
        (_, 1) => format!("{note}.reverse"),
        (other, ord) => panic!("no card {ord} in {other}"),
    }
}

fn key_of(card: &Expected) -> String {
    format!("{}/{}", deck_id_from_name(&card.deck), card_key(card))
}

/// What recall's card shows, from Anki's rendering: the question, and the
/// answer without the question it repeats, converted from HTML. A cloze
/// card's answer is the text, a blank line and the Back Extra, where Anki's
/// stock template puts `<br>` between them.
fn expected_sides(card: &Expected) -> (String, String) {
    let convert = |html: &str| normalize_text(&to_markdown(html));
    let question = convert(&card.question);
    if card.notetype == "Cloze" {
        let (text, extra) = card.answer.split_once("<br>\n").unwrap();
        let (text, extra) = (convert(text), convert(extra));
        let answer = if extra.is_empty() {
            text
        } else {
            format!("{text}\n\n{extra}")
        };
        return (question, answer);
    }
    (question, convert(answer_part(&card.answer)))
}

#[test]
fn every_card_reads_as_anki_renders_it() {
    for package in PACKAGES {
        let data = TempDir::new().unwrap();
        import(&data, &fixture(package));
        let catalog = Catalog::discover(&data.path().join("decks"), &[]).unwrap();
        assert!(
            catalog.warnings.is_empty(),
            "{package}: {:?}",
            catalog.warnings
        );
        let mut seen = 0;
        for card in expected() {
            let deck_id = deck_id_from_name(&card.deck);
            let deck = &catalog
                .get(&deck_id)
                .unwrap_or_else(|| panic!("{package}: no deck {deck_id}"))
                .deck;
            assert_eq!(deck.name, card.deck);
            let id = recall::deck::CardId::new(card_key(&card)).unwrap();
            let ours = deck
                .card(&id)
                .unwrap_or_else(|| panic!("{package}: no card {deck_id}/{id}"));
            let (question, answer) = expected_sides(&card);
            assert_eq!(
                strip_highlights(&ours.front),
                question,
                "{package}: question of {deck_id}/{id}"
            );
            assert_eq!(
                strip_highlights(&ours.back),
                answer,
                "{package}: answer of {deck_id}/{id}"
            );
            assert_eq!(ours.tags, card.tags, "{package}: tags of {deck_id}/{id}");
            seen += 1;
        }
        let total: usize = catalog
            .decks
            .iter()
            .filter(|loaded| loaded.deck.id.as_str() != "aws-api-gateway")
            .map(|loaded| loaded.deck.cards().len())
            .sum();
        assert_eq!(total, seen, "{package}: no card beyond Anki's");
    }
}

#[test]
fn standard_note_types_become_recall_card_types() {
    for package in PACKAGES {
        let data = TempDir::new().unwrap();
        import(&data, &fixture(package));
        let catalog = Catalog::discover(&data.path().join("decks"), &[]).unwrap();
        for card in expected() {
            let deck = &catalog.get(&deck_id_from_name(&card.deck)).unwrap().deck;
            let id = recall::deck::CardId::new(card_key(&card)).unwrap();
            let ours = deck.card(&id).unwrap();
            let note = deck
                .notes()
                .iter()
                .find(|note| note.id == ours.note)
                .unwrap();
            let what = format!("{package}: {} card {}", card.guid, card.ord);
            match card.notetype.as_str() {
                "Basic" => {
                    assert!(
                        matches!(note.content, NoteContent::Basic { reverse: false, .. }),
                        "{what}"
                    );
                    assert_eq!(ours.kind, CardKind::Basic, "{what}");
                    assert_eq!(note.type_answer, None, "{what}");
                }
                "Basic (and reversed card)" | "Basic (optional reversed card)" => {
                    // es-perro has no "Add Reverse": one card, not reversed.
                    let reverse = card.guid != "es-perro";
                    assert!(
                        matches!(note.content, NoteContent::Basic { reverse: r, .. } if r == reverse),
                        "{what}"
                    );
                    let kind = [CardKind::Basic, CardKind::Reversed][card.ord as usize];
                    assert_eq!(ours.kind, kind, "{what}");
                }
                "Basic (type in the answer)" => {
                    assert!(note.type_answer.is_some(), "{what}");
                    assert_eq!(ours.answer, "hola", "{what}");
                }
                "Cloze" => {
                    assert!(note.is_cloze(), "{what}");
                    assert_eq!(ours.kind, CardKind::Cloze(card.ord + 1), "{what}");
                }
                "Vocab" => {
                    assert!(
                        matches!(note.content, NoteContent::Basic { reverse: false, .. }),
                        "{what}"
                    );
                    assert_eq!(ours.note, ours.id, "{what}: a note of its own");
                }
                other => panic!("{what}: unexpected note type {other}"),
            }
        }
    }
}

#[test]
fn suspended_cards_arrive_suspended_once() {
    let data = TempDir::new().unwrap();
    let report = import(&data, &fixture("current.apkg"));
    assert!(
        report.contains("Suspended: 2 cards suspended in Anki (1 in geo.rivers, 1 in lang.spanish.verbs): 2 suspended here, 0 already"),
        "{report}"
    );
    let suspended: Vec<String> = expected()
        .iter()
        .filter(|card| card.suspended)
        .map(key_of)
        .collect();
    assert_eq!(suspended.len(), 2);
    let events =
        || std::fs::read_to_string(data.path().join("log/laptop/card_events.csv")).unwrap();
    let first = events();
    let lines: Vec<&str> = first.lines().skip(1).collect();
    assert_eq!(lines.len(), 2, "{first}");
    for key in &suspended {
        assert!(
            lines
                .iter()
                .any(|line| line.contains(&key.replace('/', ",")) && line.ends_with(",suspend")),
            "{key}: {first}"
        );
    }
    let suspended_now = || -> Vec<String> {
        let output = recall(&data)
            .args(["cards", "is:suspended", "--json"])
            .output()
            .unwrap();
        assert!(output.status.success());
        let json: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
        let mut keys: Vec<String> = json
            .iter()
            .map(|row| {
                format!(
                    "{}/{}",
                    row["deck"].as_str().unwrap(),
                    row["card"].as_str().unwrap()
                )
            })
            .collect();
        keys.sort();
        keys
    };
    let mut expected_suspended = suspended.clone();
    expected_suspended.sort();
    assert_eq!(suspended_now(), expected_suspended);

    // Re-importing (any format of the collection) adds no event.
    for package in PACKAGES {
        let output = recall(&data)
            .args(["import", "--replace"])
            .arg(fixture(package))
            .output()
            .unwrap();
        assert!(output.status.success(), "{package}");
        let report = String::from_utf8(output.stdout).unwrap();
        assert!(
            report.contains(": 0 suspended here, 2 already"),
            "{package}: {report}"
        );
        assert_eq!(events(), first, "{package}");
    }

    // Unsuspended here, a card stays so when the package comes again.
    let nile = "geo.rivers/river-nile.reverse";
    assert!(suspended.iter().any(|key| key == nile));
    let output = recall(&data).args(["unsuspend", nile]).output().unwrap();
    assert!(output.status.success());
    let others: Vec<String> = expected_suspended
        .iter()
        .filter(|key| *key != nile)
        .cloned()
        .collect();
    assert_eq!(suspended_now(), others);
    let output = recall(&data)
        .args(["import", "--replace"])
        .arg(fixture("current.apkg"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(report.contains(": 0 suspended here, 2 already"), "{report}");
    assert_eq!(suspended_now(), others, "{nile} stays unsuspended");
}

#[test]
fn decks_keep_the_hierarchy_in_ids_and_names() {
    let data = TempDir::new().unwrap();
    import(&data, &fixture("current.apkg"));
    let mut files: Vec<String> = std::fs::read_dir(data.path().join("decks"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "default.toml",
            "geo.capitals.asia.toml",
            "geo.capitals.toml",
            "geo.rivers.toml",
            "geo.toml",
            "lang.spanish.toml",
            "lang.spanish.verbs.toml",
        ]
    );
}

#[test]
fn the_review_history_is_imported_with_its_instants_ratings_and_durations() {
    for package in PACKAGES {
        let data = TempDir::new().unwrap();
        let report = import(&data, &fixture(package));
        let lines = log_lines(&data);
        let mut expected_lines = Vec::new();
        let mut skipped = 0;
        for card in expected() {
            let key = key_of(&card);
            for entry in &card.revlog {
                if entry.is_grade() {
                    let at = Utc.timestamp_millis_opt(entry.id).unwrap();
                    expected_lines.push((
                        at,
                        format!(
                            "{},{},{},{}",
                            at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                            key.replace('/', ","),
                            entry.ease,
                            entry.time
                        ),
                    ));
                } else {
                    skipped += 1;
                }
            }
        }
        expected_lines.sort();
        let expected_lines: Vec<String> = expected_lines.into_iter().map(|(_, l)| l).collect();
        assert_eq!(lines, expected_lines, "{package}");
        // The fixture holds learn, review, relearn, filtered and manual entries.
        assert_eq!((lines.len(), skipped), (14, 3), "{package}");
        assert!(
            report.contains("Reviews: 14 imported; 3 skipped: 2 manual (reset, forget or set due date), 1 filtered-deck reviews that did not reschedule"),
            "{package}: {report}"
        );
    }
}

#[test]
fn recall_card_shows_the_state_replaying_the_history_gives() {
    let data = TempDir::new().unwrap();
    import(&data, &fixture("current.apkg"));
    let settings = Settings::default();
    for card in expected().iter().filter(|card| !card.revlog.is_empty()) {
        let key = key_of(card);
        let output = recall(&data)
            .args(["card", &key, "--json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{key}");
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut state = schedule::Card::with_key(&key);
        let mut count = 0;
        for entry in card.revlog.iter().filter(|entry| entry.is_grade()) {
            let rating = Rating::try_from(entry.ease).unwrap();
            let at = Utc.timestamp_millis_opt(entry.id).unwrap();
            state = schedule::review(&state, rating, at, &settings);
            count += 1;
        }
        assert_eq!(json["reviews"].as_array().unwrap().len(), count, "{key}");
        // serde_json parses floats to within an ulp (no `float_roundtrip`).
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * b.abs().max(1.0),
            (a, b) => a == b,
        };
        assert!(
            close(json["stability"].as_f64(), state.stability()),
            "{key}: {json}"
        );
        assert!(
            close(json["difficulty"].as_f64(), state.difficulty()),
            "{key}: {json}"
        );
        assert!(
            state.stability().is_some(),
            "{key}: the history gave a state"
        );
        assert_eq!(
            json["due"].as_str().map(str::to_owned),
            state
                .due()
                .map(|due| due.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            "{key}"
        );
    }
}

#[test]
fn media_files_go_to_their_decks_media_directory() {
    for package in PACKAGES {
        let data = TempDir::new().unwrap();
        let report = import(&data, &fixture(package));
        let image = std::fs::read(data.path().join("media/geo.capitals.asia/dot.png")).unwrap();
        assert!(image.starts_with(b"\x89PNG\r\n\x1a\n"), "{package}");
        let sound = std::fs::read(data.path().join("media/geo/beep.wav")).unwrap();
        assert!(
            sound.starts_with(b"RIFF") && &sound[8..12] == b"WAVE",
            "{package}"
        );
        assert!(report.contains("Media: 2 files in"), "{package}: {report}");
        assert!(
            report.contains("(2 new, 0 updated, 0 unchanged)"),
            "{package}"
        );
    }
}

#[test]
fn reimporting_adds_no_review_twice_and_keeps_the_cards() {
    let data = TempDir::new().unwrap();
    let package = fixture("legacy.apkg");
    import(&data, &package);
    let log = std::fs::read(log_path(&data)).unwrap();
    let decks = deck_texts(&data);
    let report = import(&data, &package);
    assert_eq!(std::fs::read(log_path(&data)).unwrap(), log);
    assert_eq!(deck_texts(&data), decks);
    assert!(
        report.contains("Reviews: 0 imported; 17 skipped:")
            && report.contains("14 already in the review log"),
        "{report}"
    );
    assert!(
        report.contains("(0 new, 0 updated, 2 unchanged)"),
        "{report}"
    );
    // The other formats of the same collection are other files: with
    // --replace they update the same decks, and still add no review.
    let output = recall(&data)
        .args(["import", "--replace"])
        .arg(fixture("current.apkg"))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(std::fs::read(log_path(&data)).unwrap(), log);
}

fn deck_texts(data: &TempDir) -> BTreeMap<String, String> {
    std::fs::read_dir(data.path().join("decks"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                text,
            )
        })
        .collect()
}

#[test]
fn a_dry_run_reports_and_writes_nothing() {
    let data = TempDir::new().unwrap();
    let output = recall(&data)
        .args(["import", "--dry-run"])
        .arg(fixture("current.apkg"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(report.contains("Would import 7 decks:"), "{report}");
    assert!(report.contains("Reviews: 14 would be imported"), "{report}");
    assert!(
        report.ends_with("Dry run: nothing was written.\n"),
        "{report}"
    );
    let left: Vec<_> = std::fs::read_dir(data.path())
        .map(|dir| dir.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn the_report_names_note_types_and_suspended_cards() {
    let data = TempDir::new().unwrap();
    let report = import(&data, &fixture("current.apkg"));
    assert!(
        report.starts_with(&format!(
            "{}: Anki package (current Anki format, schema 18); 10 notes, 15 cards, 17 revlog entries, 2 media files\n",
            fixture("current.apkg").display()
        )),
        "{report}"
    );
    assert!(
        report.contains("Note types rendered from their templates as basic cards: Vocab\n"),
        "{report}"
    );
    assert!(report.contains("Note types imported as recall's card types: Basic, Cloze, Basic (and reversed card), Basic (optional reversed card), Basic (type in the answer)\n"), "{report}");
    assert!(!report.contains("standard note types"), "{report}");
    assert!(
        report.contains(
            "Suspended: 2 cards suspended in Anki (1 in geo.rivers, 1 in lang.spanish.verbs)"
        ),
        "{report}"
    );
}
