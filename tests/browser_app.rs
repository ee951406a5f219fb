//! The card browser inside the app, without a terminal: keys as actions
//! into `App::update`, screens drawn into a `TestBackend` and snapshotted
//! (filtered and sorted at 100×30 and 40×10, the card page, the forget
//! question). Suspending from the browser writes an event and takes the
//! card out of today's queue; undo takes it back; a bad search shows where.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/app_data.rs"]
mod app_data;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use recall::app::App;
use recall::app::keys::{Action, KeyContext};
use recall::deck::Catalog;
use recall::store::Config;
use recall::ui::Theme;
use std::path::Path;

use app_data::{at, paths};
use tempfile::TempDir;

/// This device's card events file, `log/<device>/card_events.csv`, if any.
fn events_path(data: &Path) -> std::path::PathBuf {
    std::fs::read_dir(data.join("log"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("card_events.csv"))
        .find(|path| path.is_file())
        .unwrap_or_else(|| data.join("log/none/card_events.csv"))
}

/// The bundled deck, with two reviews so some columns have values.
fn app(data: &TempDir) -> App {
    std::fs::write(
        data.path().join("reviews.csv"),
        "reviewed_at,deck,card,rating,duration_ms\n\
         2026-11-20T09:00:00.000Z,aws-api-gateway,endpoint-types,4,3000\n\
         2026-11-21T09:00:00.000Z,aws-api-gateway,stage-variables,3,3000\n",
    )
    .unwrap();
    let paths = paths(data);
    let catalog = Catalog::discover(&paths.deck_dir(), &[]).unwrap();
    App::new(&paths, catalog, Config::default(), at(0))
        .unwrap()
        .with_theme(Theme::monochrome())
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.view(frame, at(0))).unwrap();
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

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Type(c), at(0));
    }
}

fn due_total(app: &mut App) -> String {
    // The home screen's header holds the totals.
    screen(app, 100, 30).lines().next().unwrap().to_owned()
}

#[test]
fn browse_filter_and_sort_snapshots() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.update(Action::Browse, at(0));
    assert_eq!(app.key_context(), KeyContext::Browser);
    insta::assert_snapshot!("browser_all_100x30", screen(&mut app, 100, 30));

    app.update(Action::Search, at(0));
    assert_eq!(app.key_context(), KeyContext::BrowserSearch);
    type_text(&mut app, "stage -tag:lambda");
    app.update(Action::EndSearch, at(0));
    insta::assert_snapshot!("browser_filtered_100x30", screen(&mut app, 100, 30));
    insta::assert_snapshot!("browser_filtered_40x10", screen(&mut app, 40, 10));

    // s cycles the sort: Deck -> Front -> State -> Due; S reverses.
    for _ in 0..3 {
        app.update(Action::SortNext, at(0));
    }
    app.update(Action::SortReverse, at(0));
    insta::assert_snapshot!(
        "browser_sorted_by_due_reversed_100x30",
        screen(&mut app, 100, 30)
    );
    insta::assert_snapshot!(
        "browser_sorted_by_due_reversed_40x10",
        screen(&mut app, 40, 10)
    );
}

#[test]
fn a_bad_search_points_at_the_term() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.update(Action::Search, at(0));
    type_text(&mut app, "stage prop:ivl>>");
    let text = screen(&mut app, 100, 30);
    assert!(text.contains("^^^^^^^^^^ `>` is not a number"), "{text}");
    insta::assert_snapshot!("browser_bad_search_100x30", text);
}

#[test]
fn the_card_page_shows_what_recall_card_prints() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.update(Action::Search, at(0));
    type_text(&mut app, "\"three endpoint\"");
    app.update(Action::EndSearch, at(0));
    app.update(Action::Open, at(0));
    assert_eq!(app.key_context(), KeyContext::BrowserCard);
    let text = screen(&mut app, 100, 30);
    assert!(text.contains("Front:") && text.contains("Back:"), "{text}");
    // The history is further down the page.
    app.update(Action::Bottom, at(0));
    let bottom = screen(&mut app, 100, 30);
    assert!(
        bottom.contains("History") && bottom.contains("Easy"),
        "{bottom}"
    );
    // The time zone of the test machine shows in the history: keep it out.
    let text: String = text
        .lines()
        .map(|line| match line.find("2026-11-2") {
            Some(at) => format!("{}<local time>", &line[..at]),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("browser_card_page_100x30", text);
    app.update(Action::Back, at(0));
    assert_eq!(app.key_context(), KeyContext::Browser);
}

#[test]
fn suspend_from_the_browser_leaves_the_queue_and_undo_brings_it_back() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    let before = due_total(&mut app);
    assert!(before.contains("13 new"), "{before}");
    app.update(Action::Search, at(0));
    type_text(&mut app, "is:new tag:security");
    app.update(Action::EndSearch, at(0));
    app.update(Action::Suspend, at(0));
    let events = std::fs::read_to_string(events_path(data.path())).unwrap();
    let lines: Vec<&str> = events.lines().collect();
    assert_eq!(lines.len(), 2, "{events}");
    assert!(lines[1].ends_with(",suspend"), "{events}");
    let text = screen(&mut app, 100, 30);
    assert!(text.contains("Suspended: aws-api-gateway/"), "{text}");

    // Undo (in the same visit of the browser) removes the line.
    app.update(Action::Undo, at(0));
    let events = std::fs::read_to_string(events_path(data.path())).unwrap();
    assert_eq!(events.lines().count(), 1, "{events}");
    app.update(Action::Back, at(0));
    assert!(due_total(&mut app).contains("13 new"));

    // Suspended again, it leaves today's queue.
    app.update(Action::Browse, at(0));
    app.update(Action::Search, at(0));
    type_text(&mut app, "is:new tag:security");
    app.update(Action::EndSearch, at(0));
    app.update(Action::Suspend, at(0));
    app.update(Action::Back, at(0));
    assert!(due_total(&mut app).contains("12 new"));
    app.update(Action::Browse, at(0));
    app.update(Action::Search, at(0));
    type_text(&mut app, "is:suspended");
    assert!(screen(&mut app, 100, 30).contains("1 of 15 cards"));
}

#[test]
fn forget_asks_first() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.update(Action::Search, at(0));
    type_text(&mut app, "is:review");
    app.update(Action::EndSearch, at(0));
    app.update(Action::Forget, at(0));
    assert_eq!(app.key_context(), KeyContext::ConfirmForget);
    insta::assert_snapshot!("browser_confirm_forget_100x30", screen(&mut app, 100, 30));
    app.update(Action::No, at(0));
    assert!(!events_path(data.path()).exists());
    app.update(Action::Forget, at(0));
    app.update(Action::Yes, at(0));
    let events = std::fs::read_to_string(events_path(data.path())).unwrap();
    assert!(
        events.lines().nth(1).unwrap().ends_with(",forget"),
        "{events}"
    );
    // The card is new again: is:review matches nothing now.
    assert!(screen(&mut app, 100, 30).contains("0 of 15 cards"));
}

#[test]
fn suspend_in_the_reviewer_skips_the_card_and_undo_brings_it_back() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.start_session(None, at(0), false).unwrap();
    let first = screen(&mut app, 100, 30);
    app.update(Action::Suspend, at(1));
    let second = screen(&mut app, 100, 30);
    assert_ne!(first, second);
    assert!(second.contains("Suspended: aws-api-gateway/"), "{second}");
    app.update(Action::Undo, at(2));
    let back = screen(&mut app, 100, 30);
    assert!(back.contains("Undone: suspend of"), "{back}");
    let body = |text: &str| text.lines().skip(1).take(8).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&first), body(&back));
    let events = std::fs::read_to_string(events_path(data.path())).unwrap();
    assert_eq!(events.lines().count(), 1, "{events}");
}

#[test]
fn hidden_decks_leave_the_home_screen() {
    let data = TempDir::new().unwrap();
    let paths = paths(&data);
    let catalog = Catalog::discover(&paths.deck_dir(), &[]).unwrap();
    let config = Config {
        hidden_decks: vec!["aws-api-gateway".into()],
        ..Config::default()
    };
    let mut app = App::new(&paths, catalog, config, at(0))
        .unwrap()
        .with_theme(Theme::monochrome());
    let text = screen(&mut app, 100, 30);
    assert!(!text.contains("AWS API Gateway"), "{text}");
    assert!(text.contains("0 new"), "{text}");
}

#[test]
fn forget_in_the_reviewer_asks_first_and_undo_brings_the_card_back() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.start_session(None, at(0), false).unwrap();
    let first = screen(&mut app, 100, 30);
    app.update(Action::Forget, at(1));
    assert_eq!(app.key_context(), KeyContext::ConfirmForget);
    let asking = screen(&mut app, 100, 30);
    assert!(asking.contains("Forget aws-api-gateway/"), "{asking}");
    // n keeps it: nothing written, the same card up.
    app.update(Action::No, at(1));
    assert_eq!(app.key_context(), KeyContext::Question);
    let events = std::fs::read_to_string(events_path(data.path())).unwrap_or_default();
    assert!(!events.contains("forget"), "{events}");
    app.update(Action::Forget, at(1));
    app.update(Action::Yes, at(1));
    let events = std::fs::read_to_string(events_path(data.path())).unwrap();
    assert!(
        events.lines().nth(1).unwrap().ends_with(",forget"),
        "{events}"
    );
    let second = screen(&mut app, 100, 30);
    assert!(second.contains("Forgotten"), "{second}");
    let body = |text: &str| text.lines().skip(1).take(8).collect::<Vec<_>>().join("\n");
    assert_ne!(body(&first), body(&second), "the card left the session");
    // u takes the event back, and the card is up again.
    app.update(Action::Undo, at(2));
    let back = screen(&mut app, 100, 30);
    assert!(back.contains("Undone: forget of"), "{back}");
    assert_eq!(body(&first), body(&back));
    let events = std::fs::read_to_string(events_path(data.path())).unwrap();
    assert_eq!(events.lines().count(), 1, "{events}");
}

#[test]
fn actions_apply_to_the_selected_rows() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data);
    app.update(Action::Search, at(0));
    type_text(&mut app, "is:new");
    app.update(Action::EndSearch, at(0));
    // Space selects the row and moves down: rows 1 and 3.
    app.update(Action::ToggleSelect, at(0));
    app.update(Action::Down, at(0));
    app.update(Action::ToggleSelect, at(0));
    let text = screen(&mut app, 100, 30);
    assert!(text.contains("2 selected"), "{text}");
    assert_eq!(text.matches('✓').count(), 2, "{text}");
    insta::assert_snapshot!("browser_two_selected_100x30", text);
    app.update(Action::Suspend, at(0));
    let events = std::fs::read_to_string(events_path(data.path())).unwrap();
    let lines: Vec<&str> = events.lines().skip(1).collect();
    assert_eq!(lines.len(), 2, "{events}");
    assert!(
        lines.iter().all(|line| line.ends_with(",suspend")),
        "{events}"
    );
    assert!(screen(&mut app, 100, 30).contains("Suspended: 2 cards"));
    // Both suspended: ! again unsuspends both.
    app.update(Action::Suspend, at(0));
    let events = std::fs::read_to_string(events_path(data.path())).unwrap();
    assert_eq!(
        events.lines().filter(|l| l.ends_with(",unsuspend")).count(),
        2
    );
    // u takes back the whole action, then the one before.
    app.update(Action::Undo, at(0));
    app.update(Action::Undo, at(0));
    let events = std::fs::read_to_string(events_path(data.path())).unwrap();
    assert_eq!(events.lines().count(), 1, "{events}");
    // Unselecting one leaves the other; forget asks about it alone.
    app.update(Action::Up, at(0));
    app.update(Action::ToggleSelect, at(0));
    let text = screen(&mut app, 100, 30);
    assert!(text.contains("1 selected"), "{text}");
    app.update(Action::Forget, at(0));
    let asking = screen(&mut app, 100, 30);
    assert!(asking.contains("Forget aws-api-gateway/"), "{asking}");
    app.update(Action::No, at(0));
    // Two selected again: the question counts them.
    app.update(Action::Up, at(0));
    app.update(Action::ToggleSelect, at(0));
    app.update(Action::Forget, at(0));
    assert!(screen(&mut app, 100, 30).contains("Forget 2 cards?"));
}
