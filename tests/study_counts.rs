//! One definition of "learning": at several instants of a study day, the
//! home screen, `recall due --json` and a session's header count the same
//! cards (learning = every learning/relearning card due before the day
//! ends), with the clock faked through `RECALL_NOW` and `App`'s `now`.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use recall::app::App;
use recall::app::keys::Action;
use recall::deck::Catalog;
use recall::paths::Paths;
use recall::store::Config;
use recall::ui::Theme;
use tempfile::TempDir;

const LOG: &str = "reviewed_at,deck,card,rating,duration_ms
2026-11-10T09:00:00.000Z,aws-api-gateway,stage-variables,4,1000
2026-11-25T08:55:00.000Z,aws-api-gateway,endpoint-types,3,1000
2026-11-25T08:58:00.000Z,aws-api-gateway,user-authentication,1,1000
";

fn screen(app: &mut App, now: DateTime<Utc>) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 24)).unwrap();
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

/// The three numbers before `new`, `learning` and `end` in `text`.
fn counts(text: &str, end: &str) -> (u64, u64, u64) {
    let number_before = |text: &str, word: &str| -> (u64, usize) {
        let at = text
            .find(word)
            .unwrap_or_else(|| panic!("no {word:?} in\n{text}"));
        let digits: String = text[..at]
            .trim_end()
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        (digits.parse().unwrap(), at + word.len())
    };
    let (new, rest) = number_before(text, " new ·");
    let (learning, rest2) = number_before(&text[rest..], " learning");
    let (review, _) = number_before(&text[rest + rest2..], end);
    (new, learning, review)
}

#[test]
fn home_due_and_the_session_header_agree_through_the_day() {
    let data = TempDir::new().unwrap();
    std::fs::write(data.path().join("reviews.csv"), LOG).unwrap();
    let paths = Paths {
        data_dir: data.path().to_path_buf(),
        config_file: data.path().join("config.toml"),
        device: Some("test".to_owned()),
    };
    for instant in [
        "2026-11-25T09:00:00Z",
        "2026-11-25T09:04:59Z",
        "2026-11-25T09:05:00Z",
        "2026-11-25T13:00:00Z",
    ] {
        let now: DateTime<Utc> = instant.parse().unwrap();
        let catalog = Catalog::discover(&paths.deck_dir(), &[]).unwrap();
        let mut app = App::new(&paths, catalog, Config::default(), now)
            .unwrap()
            .with_theme(Theme::monochrome());
        let home = counts(&screen(&mut app, now), " due");

        let output = std::process::Command::new(env!("CARGO_BIN_EXE_recall"))
            .args(["due", "--json"])
            .env("RECALL_DATA_DIR", data.path())
            .env("RECALL_CONFIG", data.path().join("config.toml"))
            .env("RECALL_NOW", instant)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let deck = &json["decks"][0];
        let due = (
            deck["new"].as_u64().unwrap(),
            deck["learning"].as_u64().unwrap(),
            deck["review"].as_u64().unwrap(),
        );

        app.update(Action::StudyAll, now);
        let header = counts(&screen(&mut app, now), " review left");
        assert_eq!(home, due, "home and `recall due` at {instant}");
        assert_eq!(home, header, "home and the session header at {instant}");
        // Both learning cards count all day, due now or later today.
        assert_eq!(home.1, 2, "at {instant}");
        let learning_now = deck["learning_now"].as_u64().unwrap();
        let expected_now = if instant < "2026-11-25T09:05:00Z" {
            1
        } else {
            2
        };
        assert_eq!(learning_now, expected_now, "at {instant}");
    }
}
