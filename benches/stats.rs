//! Statistics on a 1,000,000-review log over 100,000 cards:
//!
//! - `screen_open_100k_cards`: what opening the stats screen does before
//!   its first frame (the cards' figures from the progress the app holds,
//!   and drawing the screen at 100×30);
//! - `histories_1m_reviews`: what the screen's thread does once the log is
//!   read (the reviews' figures of a deck and of all decks, one replay);
//! - `load_compute_json_1m_reviews`: most of `recall stats --json` (reading
//!   the log, replaying it for the cards' states as a cold cache does,
//!   every figure, the JSON; the deck load is in `deck_load`).

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use recall::day::StudyDay;
use recall::deck::catalog::parse_text;
use recall::stats::{self, Scope};
use recall::store::{Config, Progress, ReviewLog};
use recall::ui::Theme;
use recall::ui::stats::{HistoryState, Section, StatsView};

#[path = "support/generate.rs"]
mod generate;

fn bench(c: &mut Criterion) {
    let deck = parse_text(&generate::deck_toml(100_000), "bench", "generated").expect("deck");
    let text = generate::review_log(1_000_000, 100_000);
    let log = ReviewLog::parse(text.as_bytes());
    let config = Config::default();
    // The generated log spans 2024-01-01 and the next 27 days; "now" a
    // little after, so every section has data.
    let now: DateTime<Utc> = "2024-02-10T12:00:00Z".parse().expect("now");
    let zone = chrono::Local;
    let when = stats::When {
        config: &config,
        now,
        zone: &zone,
    };
    let day = StudyDay::containing(now, config.day_starts_at, &zone);
    let progress =
        Progress::replay_with_events(&log, &[], config.deck_settings(), config.leech, &day);
    let decks = [&deck];
    let scopes = [Scope::All, Scope::Deck(deck.id.clone())];

    let mut group = c.benchmark_group("stats");
    group.sample_size(10);
    group.bench_function("screen_open_100k_cards", |b| {
        b.iter(|| {
            let current = stats::current(&progress, &decks, &scopes[1], &when, 30);
            let history = stats::History::empty(when.date());
            let stats = stats::assemble(&scopes[1], history, current);
            let area = Rect::new(0, 0, 100, 30);
            let mut buf = Buffer::empty(area);
            StatsView {
                title: "Generated",
                stats: &stats,
                history: HistoryState::Reading,
                section: Section::Today,
                hints: &[],
                theme: Theme::colored(),
            }
            .render(area, &mut buf);
            black_box(buf)
        })
    });
    group.bench_function("histories_1m_reviews", |b| {
        b.iter(|| black_box(stats::histories(&log, &[], &when, &scopes)))
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("reviews.csv");
    std::fs::write(&path, &text).expect("write log");
    group.bench_function("load_compute_json_1m_reviews", |b| {
        b.iter(|| {
            let log = ReviewLog::load(&path).expect("load");
            let progress =
                Progress::replay_with_events(&log, &[], config.deck_settings(), config.leech, &day);
            let stats = stats::compute(&stats::Request {
                log: &log,
                events: &[],
                progress: &progress,
                decks: &decks,
                scope: &Scope::All,
                config: &config,
                now,
                zone: &zone,
                forecast_days: 30,
            });
            black_box(serde_json::to_vec_pretty(&stats).expect("json"))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
