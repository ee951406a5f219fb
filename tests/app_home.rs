//! The home screen inside the app, without a terminal: decks imported
//! while it is open appear when it recounts, and the custom-study dialog
//! (`c`) starts each kind of custom session or says why not.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/app_data.rs"]
mod app_data;

use app_data::{at, paths};
use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use recall::app::App;
use recall::app::keys::{Action, KeyContext};
use recall::deck::Catalog;
use recall::store::Config;
use recall::ui::Theme;
use tempfile::TempDir;

fn app(data: &TempDir, config: Config) -> App {
    let paths = paths(data);
    let catalog = Catalog::discover(&paths.deck_dir(), &[]).unwrap();
    App::new(&paths, catalog, config, at(0))
        .unwrap()
        .with_theme(Theme::monochrome())
}

fn screen(app: &mut App, now: DateTime<Utc>) -> String {
    let mut terminal = Terminal::new(TestBackend::new(90, 24)).unwrap();
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

#[test]
fn a_deck_added_while_home_is_open_appears_when_it_recounts() {
    let data = TempDir::new().unwrap();
    let mut app = app(&data, Config::default());
    assert!(!screen(&mut app, at(0)).contains("Spanish"));
    let decks = data.path().join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    std::fs::write(
        decks.join("spanish.toml"),
        "[deck]\nname = \"Spanish\"\n[[cards]]\nfront = \"hola\"\nback = \"hello\"\n",
    )
    .unwrap();
    app.tick(at(1));
    assert!(
        !screen(&mut app, at(1)).contains("Spanish"),
        "not before the recount"
    );
    app.tick(at(6));
    let shown = screen(&mut app, at(6));
    assert!(shown.contains("Spanish"), "{shown}");
}

#[test]
fn the_custom_dialog_grants_extra_new_cards_and_reviews_ahead_says_why_not() {
    let data = TempDir::new().unwrap();
    let config = Config {
        new_cards_per_day: 0,
        ..Config::default()
    };
    let mut app = app(&data, config);
    app.update(Action::StudySelected, at(1));
    assert_eq!(app.key_context(), KeyContext::Home, "nothing due: limit 0");

    app.update(Action::CustomStudy, at(1));
    assert_eq!(app.key_context(), KeyContext::CustomDialog);
    let shown = screen(&mut app, at(1));
    assert!(shown.contains("Custom study: AWS API Gateway"), "{shown}");
    assert!(shown.contains("More new cards today"), "{shown}");
    assert!(shown.contains("‹ 10 ›"), "{shown}");
    for _ in 0..7 {
        app.update(Action::Left, at(1));
    }
    app.update(Action::Start, at(1));
    assert_eq!(app.key_context(), KeyContext::Question);
    let shown = screen(&mut app, at(1));
    assert!(
        shown.contains("3 new · 0 learning · 0 review left"),
        "{shown}"
    );
    assert!(shown.contains("AWS API Gateway · 3 extra new"), "{shown}");
    let grants = std::fs::read_to_string(data.path().join("extra_new.csv")).unwrap();
    assert!(grants.ends_with(",aws-api-gateway,3\n"), "{grants}");

    app.update(Action::Back, at(2)); // nothing graded: straight home
    assert_eq!(app.key_context(), KeyContext::Home);
    let shown = screen(&mut app, at(2));
    assert!(shown.contains("recall                  "), "{shown}");
    assert!(
        shown.contains("3 new · 0 learning · 0 due"),
        "home counts the grant: {shown}"
    );

    // Review ahead with no reviews at all says so, and stays home.
    app.update(Action::CustomStudy, at(3));
    app.update(Action::Down, at(3));
    app.update(Action::Start, at(3));
    assert_eq!(app.key_context(), KeyContext::Home);
    let shown = screen(&mut app, at(3));
    assert!(shown.contains("no review is due within 1 day"), "{shown}");

    // Esc cancels.
    app.update(Action::CustomStudy, at(4));
    app.update(Action::Back, at(4));
    assert_eq!(app.key_context(), KeyContext::Home);
}
