//! The home screen kept for the next start (issue 15): drawn from the
//! cache while the decks and the log load, it must be exactly the screen
//! the loaded app draws, at any moment it is shown; and it must not be
//! shown once a file it was counted from changed, a card came due, or the
//! study day ended.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/app_data.rs"]
mod app_data;

use std::sync::Arc;

use app_data::{at, paths};
use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use recall::app::App;
use recall::app::launch::Preview;
use recall::app::snapshot::Fingerprint;
use recall::cache::Cache;
use recall::deck::Catalog;
use recall::store::Config;
use recall::ui::Theme;
use tempfile::TempDir;

/// Two decks, and a log in which three new
/// cards of "Spanish::Verbs" were failed (Again: a 1-minute step): two
/// minutes ago (due now) and 30 seconds ago (due in 30 s).
fn collection() -> TempDir {
    let data = TempDir::new().unwrap();
    let decks = data.path().join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    let mut verbs = String::from("[deck]\nid = \"verbs\"\nname = \"Spanish::Verbs\"\n");
    for i in 0..6 {
        verbs.push_str(&format!(
            "\n[[cards]]\nid = \"v{i}\"\nfront = \"verb {i}\"\nback = \"answer {i}\"\n"
        ));
    }
    std::fs::write(decks.join("verbs.toml"), verbs).unwrap();
    std::fs::write(
        decks.join("nouns.toml"),
        "[deck]\nid = \"nouns\"\nname = \"Spanish::Nouns\"\ndescription = \"Things\"\n\n[[cards]]\nid = \"n0\"\nfront = \"casa\"\nback = \"house\"\n",
    )
    .unwrap();
    let mut log = String::from("reviewed_at,deck,card,rating,duration_ms\n");
    for (i, seconds_ago) in [(0, 120), (1, 120), (2, 30)] {
        let when = at(-seconds_ago).format("%Y-%m-%dT%H:%M:%S%.3fZ");
        log.push_str(&format!("{when},verbs,v{i},1,4000\n"));
    }
    std::fs::write(data.path().join("reviews.csv"), log).unwrap();
    data
}

fn fingerprint(data: &TempDir) -> Fingerprint {
    let paths = paths(data);
    Fingerprint::take(&paths.deck_dir(), &paths.data_dir, &paths.config_file).unwrap()
}

/// The loaded app, having kept its home screen under the fingerprint taken
/// before it loaded.
fn loaded_app(data: &TempDir, cache: &Arc<Cache>, now: DateTime<Utc>) -> App {
    let paths = paths(data);
    let print = fingerprint(data);
    let catalog = Catalog::discover(&paths.deck_dir(), &[]).unwrap();
    let mut app = App::with_cache(&paths, Arc::clone(cache), catalog, Config::default(), now)
        .unwrap()
        .with_theme(Theme::monochrome());
    app.set_fingerprint(print, None);
    app.keep_home_screen(now);
    app
}

fn text(draw: impl FnOnce(&mut ratatui::Frame)) -> String {
    let mut terminal = Terminal::new(TestBackend::new(90, 20)).unwrap();
    terminal.draw(draw).unwrap();
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

fn preview(data: &TempDir, cache: &Cache, now: DateTime<Utc>) -> Preview {
    Preview::for_home(cache, &paths(data), Some(&fingerprint(data)), now)
}

#[test]
fn the_kept_screen_is_the_loaded_screen_until_a_learning_card_comes_due() {
    let data = collection();
    let cache = Arc::new(Cache::new(Some(data.path().join("cache"))));
    let mut app = loaded_app(&data, &cache, at(0));
    // The last card failed comes due at +30 s: until then, the kept screen
    // is exactly the app's.
    for seconds in [0, 10, 20, 29] {
        let now = at(seconds);
        let kept = preview(&data, &cache, now);
        assert!(kept.kept_home().is_some(), "kept at +{seconds} s");
        app.tick(now); // recounts (every 5 s)
        let shown = text(|frame| app.view(frame, now));
        let drawn = text(|frame| kept.view(frame, now, Theme::monochrome()));
        assert_eq!(drawn, shown, "at +{seconds} s");
        assert!(
            shown.contains("Verbs") && shown.contains("Nouns"),
            "{shown}"
        );
    }
    // From the moment it comes due, the kept counts say nothing.
    for seconds in [30, 31, 3600] {
        let kept = preview(&data, &cache, at(seconds));
        assert!(kept.kept_home().is_none(), "not kept at +{seconds} s");
    }
}

#[test]
fn a_changed_file_or_another_day_means_loading_instead() {
    let data = collection();
    let cache = Arc::new(Cache::new(Some(data.path().join("cache"))));
    let _app = loaded_app(&data, &cache, at(0));
    assert!(preview(&data, &cache, at(1)).kept_home().is_some());

    // The next study day (days start at 4:00 by default): not today's.
    assert!(
        preview(&data, &cache, at(0) + TimeDelta::days(1))
            .kept_home()
            .is_none()
    );

    // A review appended by another program.
    let log = data.path().join("reviews.csv");
    let before = std::fs::read_to_string(&log).unwrap();
    let when = at(-30).format("%Y-%m-%dT%H:%M:%S%.3fZ");
    std::fs::write(&log, format!("{before}{when},nouns,n0,3,2000\n")).unwrap();
    assert!(preview(&data, &cache, at(1)).kept_home().is_none());
    std::fs::write(&log, &before).unwrap();

    // A card's text edited, and the config changed.
    let nouns = data.path().join("decks/nouns.toml");
    let deck = std::fs::read_to_string(&nouns).unwrap();
    std::fs::write(&nouns, deck.replace("casa", "cosa")).unwrap();
    assert!(preview(&data, &cache, at(1)).kept_home().is_none());
    std::fs::write(&nouns, &deck).unwrap();
    std::fs::write(data.path().join("config.toml"), "new_cards_per_day = 1\n").unwrap();
    assert!(preview(&data, &cache, at(1)).kept_home().is_none());

    // Without a cache, nothing is kept.
    let print = fingerprint(&data);
    let none = Preview::for_home(&Cache::disabled(), &paths(&data), Some(&print), at(1));
    assert!(none.kept_home().is_none());
}

#[test]
fn after_a_session_home_keeps_the_counts_of_what_was_graded() {
    let data = collection();
    let cache = Arc::new(Cache::new(Some(data.path().join("cache"))));
    let mut app = loaded_app(&data, &cache, at(0));
    // Study the nouns deck (its one new card; decks are bundled first,
    // then the deck dir's files by name), Easy, and go home.
    use recall::app::keys::{Action, KeyContext};
    app.start_session(Some(1), at(1), false).unwrap();
    assert_eq!(app.key_context(), KeyContext::Question);
    app.update(Action::Reveal, at(2));
    app.update(Action::Grade(recall::schedule::Rating::Easy), at(3));
    if app.key_context() != KeyContext::Home {
        app.update(Action::Back, at(4));
    }
    assert_eq!(app.key_context(), KeyContext::Home);
    app.keep_home_screen(at(5));
    let kept = preview(&data, &cache, at(6));
    assert!(kept.kept_home().is_some(), "kept after the session");
    app.tick(at(11));
    let shown = text(|frame| app.view(frame, at(11)));
    let drawn = text(|frame| kept.view(frame, at(11), Theme::monochrome()));
    assert_eq!(drawn, shown);
}

#[test]
fn a_fresh_data_dir_with_the_bundled_deck_alone_is_kept_too() {
    let data = TempDir::new().unwrap();
    let cache = Arc::new(Cache::new(Some(data.path().join("cache"))));
    let _app = loaded_app(&data, &cache, at(0));
    assert!(preview(&data, &cache, at(1)).kept_home().is_some());
}
