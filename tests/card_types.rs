//! Card types end to end without a terminal: the example deck's notes and
//! cards, sibling burying in today's queue, `recall decks --json` and
//! `recall card` with sibling keys, and snapshots of a cloze question and
//! answer, a reversed card, and a typed answer (field and comparison) at
//! 100×30 and 40×10.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use ratatui::widgets::StatefulWidget;
use recall::app::keys::{self, KeyContext};
use recall::day::StudyDay;
use recall::deck::catalog::load_file;
use recall::deck::compare::compare;
use recall::deck::{CardKind, Deck, strip_highlights};
use recall::store::{Config, Progress, ReviewLog};
use recall::study::queue::{DeckQueue, DueCounts};
use recall::ui::Theme;
use recall::ui::chrome::ScrollState;
use recall::ui::study::{CardView, SessionHeader, TypedView};

fn example_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/examples/card-types.toml")
}

fn example() -> Deck {
    load_file(&example_path()).unwrap()
}

fn now() -> DateTime<Utc> {
    "2026-11-25T09:30:00Z".parse().unwrap()
}

#[test]
fn the_example_deck_has_one_note_of_each_type() {
    let deck = example();
    assert_eq!(deck.notes().len(), 5);
    let cards: Vec<(&str, CardKind)> = deck
        .cards()
        .iter()
        .map(|c| (c.id.as_str(), c.kind))
        .collect();
    assert_eq!(
        cards,
        [
            ("basic", CardKind::Basic),
            ("reversed", CardKind::Basic),
            ("reversed.reverse", CardKind::Reversed),
            ("capital", CardKind::Cloze(1)),
            ("capital.c2", CardKind::Cloze(2)),
            ("primaries", CardKind::Cloze(1)),
            ("typed", CardKind::Basic),
        ]
    );
    let c2 = deck.card(&"capital.c2".parse().unwrap()).unwrap();
    assert_eq!(
        strip_highlights(&c2.front),
        "The capital of France is [city]."
    );
    assert!(strip_highlights(&c2.back).starts_with("The capital of France is Paris."));
    assert_eq!(c2.answer, "Paris");
    let primaries = deck.card(&"primaries".parse().unwrap()).unwrap();
    assert_eq!(primaries.answer, "red, green, blue");
    assert!(deck.cards()[6].type_answer.is_some());
}

fn queue(deck: &Deck, progress: &Progress, at: DateTime<Utc>) -> DeckQueue {
    let day = StudyDay::containing(at, 4, &Utc);
    DeckQueue::build(deck, progress, &Config::default(), at, &day)
}

fn new_keys(queue: &DeckQueue) -> Vec<&str> {
    queue.new.iter().map(|(key, _)| key.card.as_str()).collect()
}

#[test]
fn siblings_wait_for_the_next_day() {
    let deck = example();
    let config = Config::default();
    let fresh = queue(&deck, &Progress::default(), now());
    // One card per note: the reverse and the second cloze wait.
    assert_eq!(
        new_keys(&fresh),
        ["basic", "reversed", "capital", "primaries", "typed"]
    );
    assert_eq!(fresh.buried, 2);

    // Once `reversed` is studied (Easy: a review in days), its sibling stays
    // buried for the rest of the day, and comes the next day.
    let log = ReviewLog::parse(
        b"reviewed_at,deck,card,rating,duration_ms\n2026-11-25T09:30:00.000Z,card-types,reversed,4,1000\n",
    );
    let day = StudyDay::containing(now(), 4, &Utc);
    let progress = Progress::replay(&log, &config.scheduler, &day);
    let later = queue(&deck, &progress, now() + TimeDelta::hours(2));
    assert_eq!(new_keys(&later), ["basic", "capital", "primaries", "typed"]);
    let tomorrow_at = now() + TimeDelta::days(1);
    let tomorrow_day = StudyDay::containing(tomorrow_at, 4, &Utc);
    let progress = Progress::replay(&log, &config.scheduler, &tomorrow_day);
    let tomorrow = queue(&deck, &progress, tomorrow_at);
    assert!(new_keys(&tomorrow).contains(&"reversed.reverse"));

    // Without burying, every card is there.
    let all = Config {
        bury_siblings: false,
        ..Config::default()
    };
    let q = DeckQueue::build(&deck, &Progress::default(), &all, now(), &day);
    assert_eq!(q.new.len(), 7);
    assert_eq!(q.buried, 0);
}

#[test]
fn decks_json_counts_notes_and_cards_and_card_takes_sibling_keys() {
    let data = tempfile::TempDir::new().unwrap();
    let recall = || {
        let mut cmd = Command::cargo_bin("recall").unwrap();
        cmd.env("RECALL_DATA_DIR", data.path())
            .env("RECALL_CONFIG", data.path().join("config.toml"))
            .arg("--deck")
            .arg(example_path());
        cmd
    };
    let output = recall().args(["decks", "--json"]).output().unwrap();
    assert!(output.status.success());
    let decks: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ours = decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "card-types")
        .unwrap();
    assert_eq!(
        (ours["notes"].as_u64(), ours["cards"].as_u64()),
        (Some(5), Some(7))
    );
    let output = recall()
        .args(["card", "card-types/capital.c2"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("capital.c2"), "{text}");
    recall()
        .args(["card", "card-types/capital.c3"])
        .assert()
        .failure();
}

const THEME: Theme = Theme::monochrome();

fn header() -> SessionHeader<'static> {
    SessionHeader {
        deck_name: "Card types",
        remaining: DueCounts {
            new: 5,
            learning: 0,
            learning_now: 0,
            review: 0,
        },
        progress: (2, 7),
    }
}

/// Draws a card of the example deck; `typed` is the typed text, if any.
fn draw(width: u16, height: u16, key: &str, revealed: bool, typed: Option<&str>) -> TestBackend {
    let deck = example();
    let card = deck.card(&key.parse().unwrap()).unwrap().clone();
    let comparison = match (typed, revealed, card.type_answer) {
        (Some(text), true, Some(rule)) => Some(compare(text, &card.answer, rule)),
        _ => None,
    };
    let context = match (revealed, typed) {
        (true, _) => KeyContext::Answer,
        (false, Some(_)) => KeyContext::TypeQuestion,
        (false, None) => KeyContext::Question,
    };
    let hints = keys::hints(context, |_| None);
    let view = CardView {
        header: header(),
        front: &card.front,
        back: revealed.then_some(card.back.as_str()),
        typed: typed.map(|text| TypedView {
            text,
            cursor: text.len(),
            comparison: comparison.as_ref(),
        }),
        hints: &hints,
        message: None,
        images: None,
        theme: THEME,
        wrapped: None,
    };
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            let area = frame.area();
            view.render(area, frame.buffer_mut(), &mut ScrollState::default());
        })
        .unwrap();
    terminal.backend().clone()
}

/// The cells showing `text` on the screen are all highlighted (bold and
/// underlined in monochrome), and the cells before it are not.
fn assert_highlighted(backend: &TestBackend, text: &str) {
    let buffer = backend.buffer();
    let width = buffer.area.width as usize;
    let cells: Vec<(String, Modifier)> = buffer
        .content
        .iter()
        .map(|cell| (cell.symbol().to_owned(), cell.modifier))
        .collect();
    let screen: Vec<String> = cells.iter().map(|(s, _)| s.clone()).collect();
    let start = (0..screen.len())
        .find(|&i| {
            i % width + text.chars().count() <= width
                && text
                    .chars()
                    .enumerate()
                    .all(|(k, c)| screen.get(i + k).is_some_and(|s| s == &c.to_string()))
        })
        .unwrap_or_else(|| panic!("`{text}` is not on screen"));
    for k in 0..text.chars().count() {
        assert!(
            cells[start + k].1.contains(Modifier::UNDERLINED),
            "`{text}` is highlighted"
        );
    }
    assert!(!cells[start - 2].1.contains(Modifier::UNDERLINED));
}

#[test]
fn cloze_question_and_answer() {
    for (w, h) in [(100, 30), (40, 10)] {
        let question = draw(w, h, "capital.c2", false, None);
        insta::assert_snapshot!(format!("cloze_question_{w}x{h}"), question);
        let answer = draw(w, h, "capital.c2", true, None);
        insta::assert_snapshot!(format!("cloze_answer_{w}x{h}"), answer);
    }
    assert_highlighted(&draw(100, 30, "capital.c2", false, None), "[city]");
    assert_highlighted(&draw(100, 30, "capital.c2", true, None), "Paris");
    assert_highlighted(&draw(100, 30, "capital", false, None), "[...]");
}

#[test]
fn reversed_card() {
    for (w, h) in [(100, 30), (40, 10)] {
        let answer = draw(w, h, "reversed.reverse", true, None);
        insta::assert_snapshot!(format!("reversed_answer_{w}x{h}"), answer);
    }
}

#[test]
fn typed_answer_field_and_comparison() {
    for (w, h) in [(100, 30), (40, 10)] {
        let question = draw(w, h, "typed", false, Some("Tokio"));
        insta::assert_snapshot!(format!("typed_question_{w}x{h}"), question);
        let wrong = draw(w, h, "typed", true, Some("Tokio"));
        insta::assert_snapshot!(format!("typed_wrong_{w}x{h}"), wrong);
        let right = draw(w, h, "typed", true, Some(" tokyo "));
        insta::assert_snapshot!(format!("typed_right_{w}x{h}"), right);
    }
}
