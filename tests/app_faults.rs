//! The app without a terminal, under the faults of issue 10: grading while
//! the card is hidden behind "enlarge the terminal", and a home screen that
//! opened before another terminal studied.
//!
//! Each `defect_N_...` test is the regression test of defect N of issue 10.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use recall::app::App;
use recall::app::keys::{Action, KeyContext};
use recall::deck::Catalog;
use recall::paths::Paths;
use recall::schedule::Rating;
use recall::store::Config;
use recall::ui::Theme;
use tempfile::TempDir;

fn at(seconds: i64) -> DateTime<Utc> {
    "2026-11-25T09:30:00Z".parse::<DateTime<Utc>>().unwrap() + TimeDelta::seconds(seconds)
}

fn app(data: &TempDir) -> App {
    let paths = Paths {
        data_dir: data.path().to_path_buf(),
        config_file: data.path().join("config.toml"),
        device: Some("test".to_owned()),
    };
    let catalog = Catalog::discover(&paths.deck_dir(), &[]).unwrap();
    App::new(&paths, catalog, Config::default(), at(0))
        .unwrap()
        .with_theme(Theme::monochrome())
}

fn draw(app: &mut App, width: u16, height: u16, now: DateTime<Utc>) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.view(frame, now)).unwrap();
}

/// The screen as text, rows joined by spaces.
fn screen_text(app: &mut App, now: DateTime<Utc>) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|frame| app.view(frame, now)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn logged_cards(data: &TempDir) -> Vec<String> {
    std::fs::read_to_string(data.path().join("log/test/reviews.csv"))
        .unwrap_or_default()
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(2).unwrap().to_owned())
        .collect()
}

#[test]
fn defect_11_keys_do_nothing_while_the_card_is_hidden_by_a_small_terminal() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.update(Action::StudyAll, at(1));
    draw(&mut app, 100, 30, at(1));
    assert_eq!(app.key_context(), KeyContext::Question);
    // The terminal shrinks below 40x10: the card is hidden.
    draw(&mut app, 30, 8, at(2));
    app.update(Action::Reveal, at(2));
    app.update(Action::Grade(Rating::Good), at(3));
    assert_eq!(app.key_context(), KeyContext::Question);
    assert_eq!(logged_cards(&data), Vec::<String>::new());
    // Enlarged again, the same keys work.
    draw(&mut app, 100, 30, at(4));
    app.update(Action::Reveal, at(4));
    app.update(Action::Grade(Rating::Good), at(5));
    assert_eq!(logged_cards(&data).len(), 1);
    // Quitting still works while too small.
    draw(&mut app, 30, 8, at(6));
    app.update(Action::Quit, at(6));
    assert!(app.should_quit());
}

#[test]
fn defect_13_a_session_starts_from_the_log_as_it_is_now() {
    let data = TempDir::new().unwrap();
    // This home screen opens first...
    let mut first = app(&data);
    draw(&mut first, 100, 30, at(0));
    // ...then another terminal studies a card and goes home.
    let mut other = app(&data);
    other.update(Action::StudyAll, at(1));
    other.update(Action::Reveal, at(2));
    other.update(Action::Grade(Rating::Easy), at(3));
    other.update(Action::Back, at(4));
    other.update(Action::Continue, at(4));
    drop(other);
    let graded = logged_cards(&data);
    assert_eq!(graded.len(), 1);
    // The first screen's session must not show that card as new again.
    first.update(Action::StudyAll, at(10));
    first.update(Action::Reveal, at(11));
    first.update(Action::Grade(Rating::Good), at(12));
    let now = logged_cards(&data);
    assert_eq!(now.len(), 2);
    assert_ne!(
        now[1], graded[0],
        "the card just graded elsewhere came back as new"
    );
}

#[test]
fn defect_18_a_long_status_line_wraps_instead_of_being_cut() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    let _other = recall::store::DataLock::acquire(data.path()).unwrap();
    app.update(Action::StudyAll, at(1));
    let mut terminal = Terminal::new(TestBackend::new(44, 20)).unwrap();
    terminal.draw(|frame| app.view(frame, at(1))).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let text: String = (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("is in use by another recall session"),
        "the whole message shows: {text}"
    );
}

/// The app's grade through its real `LogWriter`, when the log cannot take
/// it: another program replaced `reviews.csv` by rename. The screen says
/// "Not saved" with the cause, the card stays up with its answer, and
/// nothing goes into either file.
#[test]
fn a_grade_the_log_refuses_says_not_saved_and_keeps_the_card_up() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.update(Action::StudyAll, at(1));
    app.update(Action::Reveal, at(2));
    app.update(Action::Grade(Rating::Good), at(3));
    assert_eq!(logged_cards(&data).len(), 1);
    let log = data.path().join("log/test/reviews.csv");
    let copy = data.path().join("log/test/reviews.csv.synced");
    std::fs::copy(&log, &copy).unwrap();
    std::fs::rename(&copy, &log).unwrap();

    app.update(Action::Reveal, at(4));
    assert_eq!(app.shown(), (KeyContext::Answer, 1));
    app.update(Action::Grade(Rating::Good), at(5));
    let text = screen_text(&mut app, at(5));
    assert!(text.contains("Not saved:"), "{text}");
    assert!(
        text.contains("was replaced or removed"),
        "the cause: {text}"
    );
    assert_eq!(
        app.shown(),
        (KeyContext::Answer, 1),
        "the card is still up, answer showing, nothing counted"
    );
    assert_eq!(logged_cards(&data).len(), 1, "nothing written");
}

/// The app's undo through its real `LogWriter`, when the log changed
/// behind its back: the screen says "Could not undo", the log keeps every
/// line, and the session stays where it was.
#[test]
fn an_undo_the_log_refuses_says_could_not_undo_and_changes_nothing() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.update(Action::StudyAll, at(1));
    app.update(Action::Reveal, at(2));
    app.update(Action::Grade(Rating::Good), at(3));
    let graded = logged_cards(&data);
    assert_eq!(graded.len(), 1);
    let log = data.path().join("log/test/reviews.csv");
    let mut bytes = std::fs::read(&log).unwrap();
    let appended = b"2026-11-25T09:30:03.500Z,other,card,3,100\n";
    std::fs::OpenOptions::new()
        .append(true)
        .open(&log)
        .and_then(|mut f| std::io::Write::write_all(&mut f, appended))
        .unwrap();
    bytes.extend_from_slice(appended);
    let before = app.shown();
    app.update(Action::Undo, at(4));
    let text = screen_text(&mut app, at(4));
    assert!(text.contains("Could not undo:"), "{text}");
    assert_eq!(app.shown(), before, "the session did not go back");
    assert_eq!(std::fs::read(&log).unwrap(), bytes, "the log is untouched");

    // Undo works again once the file is as the writer left it.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&log)
        .and_then(|f| f.set_len((bytes.len() - appended.len()) as u64))
        .unwrap();
    app.update(Action::Undo, at(5));
    assert_eq!(app.shown(), (KeyContext::Question, 0));
    assert_eq!(logged_cards(&data), Vec::<String>::new());
}

/// A deck edited in another terminal (an import, an editor) after the home
/// screen read it: the session started from that screen, before any
/// recount, studies the deck as it is now.
#[test]
fn defect_13_a_session_starts_from_the_decks_as_they_are_now() {
    let data = TempDir::new().unwrap();
    let deck = |cards: &[&str]| {
        let mut text = "[deck]\nid = \"geo\"\nname = \"Geo\"\n".to_owned();
        for card in cards {
            text.push_str(&format!(
                "[[cards]]\nid = \"{card}\"\nfront = \"Q {card}\"\nback = \"A\"\n"
            ));
        }
        std::fs::create_dir_all(data.path().join("decks")).unwrap();
        std::fs::write(data.path().join("decks/geo.toml"), text).unwrap();
    };
    deck(&["a"]);
    let mut app = app(&data);
    draw(&mut app, 100, 30, at(0));
    deck(&["a", "b", "c"]);
    let catalog = Catalog::discover(&data.path().join("decks"), &[]).unwrap();
    let geo = catalog
        .decks
        .iter()
        .position(|d| d.deck.id.as_str() == "geo")
        .unwrap();
    app.start_session(Some(geo), at(1), false).unwrap();
    let mut t = 2;
    while app.key_context() == KeyContext::Question {
        app.update(Action::Reveal, at(t));
        app.update(Action::Grade(Rating::Easy), at(t + 1));
        t += 2;
    }
    assert_eq!(logged_cards(&data), ["a", "b", "c"]);
}
