//! The stats screen inside the app, without a terminal: `s` on home opens
//! it on the selected deck, Tab and ←→ move between sections, `a` switches
//! to all decks and back, `q` goes home; it sees the reviews of a session
//! that just ended.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use recall::app::App;
use recall::app::keys::{Action, KeyContext, action_for};
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

fn press(app: &mut App, code: ratatui::crossterm::event::KeyCode, now: DateTime<Utc>) {
    let action = action_for(code.into(), app.key_context()).unwrap();
    app.update(action, now);
}

#[test]
fn s_opens_the_deck_s_stats_and_keys_move_between_sections() {
    use ratatui::crossterm::event::KeyCode::{BackTab, Char, Left, Right, Tab};
    let data = tempfile::tempdir().unwrap();
    let mut app = app(&data);
    // Study two cards first: the stats must count them.
    app.update(Action::StudySelected, at(1));
    for second in [2, 4] {
        app.update(Action::Reveal, at(second));
        app.update(Action::Grade(Rating::Good), at(second + 1));
    }
    app.update(Action::Back, at(10));
    app.update(Action::Continue, at(11));
    assert_eq!(app.key_context(), KeyContext::Home);

    press(&mut app, Char('s'), at(12));
    assert_eq!(app.key_context(), KeyContext::Stats);
    app.wait_for_stats(at(12));
    let today = screen(&mut app, at(12));
    assert!(today.contains("Statistics · AWS API Gateway"), "{today}");
    assert!(today.contains("Studied 2 cards · reviews 2"), "{today}");
    assert!(today.contains("True retention"));

    press(&mut app, Tab, at(13));
    assert!(screen(&mut app, at(13)).contains("days studied 1/365"));
    press(&mut app, Right, at(13));
    assert!(
        screen(&mut app, at(13)).contains("Due today 2"),
        "learning cards due today"
    );
    press(&mut app, Left, at(13));
    press(&mut app, BackTab, at(13));
    press(&mut app, BackTab, at(13));
    let hours = screen(&mut app, at(13));
    assert!(
        hours.contains("Reviews by hour (2,"),
        "back past the first tab: {hours}"
    );

    press(&mut app, Char('a'), at(14));
    let all = screen(&mut app, at(14));
    assert!(all.contains("Statistics · All decks"), "{all}");
    assert!(all.contains("Reviews by hour"), "the section is kept");
    press(&mut app, Char('a'), at(14));
    assert!(screen(&mut app, at(14)).contains("Statistics · AWS API Gateway"));

    press(&mut app, Char('q'), at(15));
    assert_eq!(app.key_context(), KeyContext::Home);
    assert!(!app.should_quit());
}
