//! The quiz inside the app, without a terminal: keys as actions into
//! `App::update`, screens drawn into a `TestBackend`. The home dialog's
//! defaults and limits, a deck too small for choice mode, a retry round
//! saved as a line of its own, and leaving.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use recall::app::keys::{Action, KeyContext};
use recall::app::{App, QuizRequest};
use recall::deck::Catalog;
use recall::paths::Paths;
use recall::quiz::{Mode, Spec};
use recall::store::Config;
use recall::ui::Theme;
use tempfile::TempDir;

fn at(seconds: i64) -> DateTime<Utc> {
    "2026-11-25T09:30:00Z".parse::<DateTime<Utc>>().unwrap() + TimeDelta::seconds(seconds)
}

/// The bundled deck and a three-card deck `tiny`, in a fresh data dir.
fn app(data: &TempDir) -> App {
    let tiny = data.path().join("tiny.toml");
    let cards: String = ["a", "b", "c"]
        .iter()
        .map(|id| format!("[[cards]]\nid = \"{id}\"\nfront = \"Q {id}\"\nback = \"A {id}\"\n"))
        .collect();
    std::fs::write(&tiny, format!("[deck]\nname = \"Tiny\"\n{cards}")).unwrap();
    app_with(data, &tiny).0
}

/// The bundled deck and the deck file `deck`, in a fresh data dir; and the
/// catalog index of `deck`.
fn app_with(data: &TempDir, deck: &std::path::Path) -> (App, usize) {
    let paths = Paths {
        data_dir: data.path().to_path_buf(),
        config_file: data.path().join("config.toml"),
        device: Some("test".to_owned()),
    };
    let catalog = Catalog::discover(&paths.deck_dir(), &[deck.to_path_buf()]).unwrap();
    let index = catalog.decks.len() - 1; // `--deck` files come last
    let app = App::new(&paths, catalog, Config::default(), at(0))
        .unwrap()
        .with_theme(Theme::monochrome());
    (app, index)
}

fn screen(app: &mut App, now: DateTime<Utc>) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| app.view(frame, now)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

fn quiz_lines(data: &TempDir) -> Vec<String> {
    std::fs::read_to_string(data.path().join("log/test/quizzes.csv"))
        .unwrap_or_default()
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_dialog_preselects_self_and_ten_and_keeps_the_length_within_the_deck() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.update(Action::Quiz, at(1));
    assert_eq!(app.key_context(), KeyContext::QuizDialog);
    let shown = screen(&mut app, at(1));
    assert!(shown.contains("(•) self-check  ( ) choice"), "{shown}");
    assert!(shown.contains("‹ 10 › of 15 cards"), "{shown}");

    app.update(Action::Right, at(1));
    assert!(screen(&mut app, at(1)).contains("( ) self-check  (•) choice"));
    app.update(Action::Down, at(1));
    for _ in 0..20 {
        app.update(Action::Right, at(1));
    }
    assert!(screen(&mut app, at(1)).contains("‹ 15 › all 15 cards"));
    for _ in 0..20 {
        app.update(Action::Left, at(1));
    }
    assert!(screen(&mut app, at(1)).contains("‹ 1 › of 15 cards"));
    app.update(Action::Start, at(2));
    assert_eq!(app.key_context(), KeyContext::QuizChoice);
    assert!(screen(&mut app, at(2)).contains("Question 1 of 1"));

    app.update(Action::Back, at(3));
    assert_eq!(
        app.key_context(),
        KeyContext::Home,
        "nothing answered: home"
    );
    app.update(Action::Quiz, at(4));
    app.update(Action::Back, at(4));
    assert_eq!(app.key_context(), KeyContext::Home, "Esc cancels");
    assert!(quiz_lines(&data).is_empty());
}

#[test]
fn a_deck_too_small_for_choice_mode_says_why_and_stays_in_self_mode() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.update(Action::Down, at(0));
    app.update(Action::Quiz, at(0));
    let shown = screen(&mut app, at(0));
    assert!(shown.contains("Quiz: Tiny"), "{shown}");
    assert!(shown.contains("‹ 3 › all 3 cards"), "{shown}");
    assert!(
        shown.contains("Choice mode needs 4 cards with different answers;"),
        "{shown}"
    );
    app.update(Action::Right, at(0));
    assert!(screen(&mut app, at(0)).contains("(•) self-check"));
    app.update(Action::Start, at(1));
    assert_eq!(app.key_context(), KeyContext::QuizQuestion);
}

#[test]
fn a_retry_round_is_saved_as_its_own_line() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    let request = QuizRequest {
        deck: Some(0),
        spec: Spec {
            mode: Mode::SelfCheck,
            length: 3,
            tag: None,
        },
        seed: Some(3),
        record: false,
    };
    app.start_quiz(request, at(0), false).unwrap();
    for i in 0..3 {
        assert_eq!(app.key_context(), KeyContext::QuizQuestion);
        app.update(Action::Knew, at(i)); // not before the answer shows
        app.update(Action::Reveal, at(i));
        assert_eq!(app.key_context(), KeyContext::QuizAnswer);
        app.update(Action::Missed, at(i + 1));
    }
    assert_eq!(app.key_context(), KeyContext::QuizScore);
    let shown = screen(&mut app, at(9));
    assert!(shown.contains("0/3 right (0%)"), "{shown}");
    assert_eq!(quiz_lines(&data).len(), 1);

    app.update(Action::Retry, at(10));
    assert!(screen(&mut app, at(10)).contains("quiz, round 2"));
    for i in 0..3 {
        app.update(Action::Reveal, at(10 + i));
        app.update(Action::Knew, at(11 + i));
    }
    assert_eq!(app.key_context(), KeyContext::QuizScoreAllRight);
    let shown = screen(&mut app, at(20));
    assert!(
        shown.contains("Round 2 done (the 3 cards missed before)"),
        "{shown}"
    );
    assert!(shown.contains("Nothing missed."), "{shown}");
    let lines = quiz_lines(&data);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].ends_with(",aws-api-gateway,self,3,0,3000"),
        "{lines:?}"
    );
    assert!(
        lines[1].ends_with(",aws-api-gateway,self,3,3,3000"),
        "{lines:?}"
    );

    app.update(Action::Retry, at(21));
    assert_eq!(
        quiz_lines(&data).len(),
        2,
        "nothing to retry, nothing saved"
    );
    app.update(Action::Back, at(22));
    assert_eq!(app.key_context(), KeyContext::Home);
    assert!(!app.should_quit());
    assert!(!data.path().join("reviews.csv").exists());
    assert!(!data.path().join("log/test/reviews.csv").exists());
}

#[test]
fn a_typed_card_is_answered_by_typing_then_enter_in_the_quiz() {
    let data = TempDir::new().unwrap();
    let deck = data.path().join("typed.toml");
    std::fs::write(
        &deck,
        "[deck]\nname = \"Typed\"\n[[cards]]\nid = \"fr\"\nfront = \"Capital of France?\"\nback = \"Paris\"\ntype_answer = true\n",
    )
    .unwrap();
    let (mut app, index) = app_with(&data, &deck);
    let request = QuizRequest {
        deck: Some(index),
        spec: Spec {
            mode: Mode::Choice,
            length: 1,
            tag: None,
        },
        seed: Some(1),
        record: false,
    };
    app.start_quiz(request, at(0), false).unwrap();
    assert_eq!(app.key_context(), KeyContext::QuizType);
    assert!(screen(&mut app, at(1)).contains("Type the answer, then Enter"));

    // Keys type, including ones bound elsewhere in the quiz (`q`, `y`, `1`).
    for c in "pariq".chars() {
        app.update(Action::Type(c), at(1));
    }
    app.update(Action::DeleteBack, at(1));
    app.update(Action::Type('s'), at(1));
    assert!(screen(&mut app, at(1)).contains("› paris"));
    app.update(Action::Reveal, at(2));
    assert_eq!(app.key_context(), KeyContext::QuizPicked);
    let shown = screen(&mut app, at(2));
    assert!(shown.contains("✓ Right!"), "{shown}");
    assert!(shown.contains("Answer"), "{shown}");
    app.update(Action::Next, at(3));
    let shown = screen(&mut app, at(3));
    assert!(shown.contains("1/1 right"), "{shown}");
}
