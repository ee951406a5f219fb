//! The stats screen drawn into `TestBackend`: every section at 100×30,
//! 80×24 and 40×10, without colour (`NO_COLOR`) and with it (the colour
//! snapshots add a layer naming each cell's colour and modifiers).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/stats_data.rs"]
mod stats_data;

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::widgets::Widget;
use recall::app::keys::{self, KeyContext};
use recall::day::StudyDay;
use recall::deck::Deck;
use recall::deck::catalog::parse_text;
use recall::stats::{self, Scope, Stats};
use recall::store::{Config, ReviewLog};
use recall::store::{EventLog, Progress};
use recall::ui::Theme;
use recall::ui::stats::{HistoryState, Section, StatsView};

fn now() -> DateTime<Utc> {
    "2026-11-25T20:00:00Z".parse().unwrap()
}

fn simulated() -> Stats {
    let deck: Deck = parse_text(&stats_data::deck_toml(60), "test", "sim").unwrap();
    let log = ReviewLog::parse(stats_data::log_text(60, 120, now()).as_bytes());
    assert!(log.warnings().is_empty());
    let config = Config::default();
    let day = StudyDay::containing(now(), config.day_starts_at, &Utc);
    let events = EventLog::parse(stats_data::events_text(now()).as_bytes()).events;
    let progress =
        Progress::replay_with_events(&log, &events, config.deck_settings(), config.leech, &day);
    stats::compute(&stats::Request {
        log: &log,
        events: &events,
        progress: &progress,
        decks: &[&deck],
        scope: &Scope::All,
        config: &Config::default(),
        now: now(),
        zone: &Utc,
        forecast_days: stats::DEFAULT_FORECAST_DAYS,
    })
}

fn style_code(cell: &ratatui::buffer::Cell) -> char {
    match cell.fg {
        Color::Green => 'g',
        Color::Cyan => 'c',
        Color::Blue => 'b',
        Color::Red => 'r',
        Color::Magenta => 'm',
        _ if cell.modifier.contains(Modifier::REVERSED) => 'R',
        _ if cell.modifier.contains(Modifier::BOLD) => 'B',
        _ if cell.modifier.contains(Modifier::DIM) => 'd',
        _ => '.',
    }
}

/// Every section at `width`×`height`, one after the other.
fn draw(width: u16, height: u16, theme: Theme) -> String {
    draw_while(width, height, theme, HistoryState::Ready)
}

/// Every section with the reviews' figures in `history`.
fn draw_while(width: u16, height: u16, theme: Theme, history: HistoryState<'_>) -> String {
    let stats = simulated();
    let hints = keys::hints(KeyContext::Stats, |_| None);
    let mut out = String::new();
    for section in Section::ALL {
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        StatsView {
            title: "All decks",
            stats: &stats,
            history,
            section,
            hints: &hints,
            theme,
        }
        .render(area, &mut buf);
        out.push_str(&format!("── {} ──\n", section.title()));
        for y in 0..height {
            let line: String = (0..width).map(|x| buf[(x, y)].symbol()).collect();
            out.push_str(line.trim_end());
            out.push('\n');
        }
        if theme == Theme::colored() {
            out.push_str("── styles ──\n");
            for y in 0..height {
                let line: String = (0..width).map(|x| style_code(&buf[(x, y)])).collect();
                out.push_str(line.trim_end_matches('.'));
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn stats_100x30() {
    insta::assert_snapshot!(draw(100, 30, Theme::monochrome()));
}

#[test]
fn stats_80x24() {
    insta::assert_snapshot!(draw(80, 24, Theme::monochrome()));
}

#[test]
fn stats_40x10() {
    insta::assert_snapshot!(draw(40, 10, Theme::monochrome()));
}

#[test]
fn stats_100x30_colour() {
    insta::assert_snapshot!(draw(100, 30, Theme::colored()));
}

#[test]
fn stats_80x24_colour() {
    insta::assert_snapshot!(draw(80, 24, Theme::colored()));
}

#[test]
fn stats_40x10_colour() {
    insta::assert_snapshot!(draw(40, 10, Theme::colored()));
}

#[test]
fn stats_80x24_while_the_log_is_read() {
    // The cards' sections show at once; the reviews' wait for the thread.
    let text = draw_while(80, 24, Theme::monochrome(), HistoryState::Reading);
    assert_eq!(text.matches("Reading the review log…").count(), 4);
    insta::assert_snapshot!(text);
}

#[test]
fn stats_80x24_when_the_log_cannot_be_read() {
    let text = draw_while(
        80,
        24,
        Theme::monochrome(),
        HistoryState::Failed("reviews.csv: permission denied"),
    );
    assert_eq!(
        text.matches("Could not read the review log: reviews.csv: permission denied")
            .count(),
        4
    );
}

#[test]
fn the_simulated_log_fills_every_section() {
    let stats = simulated();
    assert!(stats.today.reviews > 0);
    assert!(stats.true_retention.last_30_days.young.total() > 0);
    assert!(stats.calendar.days_studied > 90);
    assert!(stats.forecast.iter().sum::<u32>() > 0);
    assert!(stats.counts.young + stats.counts.mature > 0);
    assert!(stats.calibration.reviews > 100);
    let busiest = stats.hours.iter().max_by_key(|h| h.reviews).unwrap().hour;
    assert!(
        busiest == 8 || busiest == 19,
        "sessions at 08:00 and 19:00: {busiest}"
    );
    assert_eq!(stats.hours[3].reviews, 0);
}

#[test]
fn every_size_draws_without_a_panic() {
    let stats = simulated();
    let hints = keys::hints(KeyContext::Stats, |_| None);
    for width in (1..=120).step_by(7) {
        for height in 1..=40 {
            for section in Section::ALL {
                let area = Rect::new(0, 0, width, height);
                let mut buf = Buffer::empty(area);
                StatsView {
                    title: "All decks",
                    stats: &stats,
                    history: HistoryState::Ready,
                    section,
                    hints: &hints,
                    theme: Theme::colored(),
                }
                .render(area, &mut buf);
            }
        }
    }
}
