//! Statistics on a 1,000,000-review log over 100,000 cards: computing them
//! from a loaded log (what the stats screen does when it opens: the app
//! already holds the log) and loading the log then computing (most of
//! `recall stats --json`; the deck load is in `deck_load`).

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use recall::deck::Deck;
use recall::deck::catalog::parse_text;
use recall::stats::{self, Scope};
use recall::store::{Config, ReviewLog};

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
    let decks = [&deck];
    fn request<'a>(
        log: &'a ReviewLog,
        decks: &'a [&'a Deck],
        config: &'a Config,
        now: DateTime<Utc>,
    ) -> stats::Request<'a, chrono::Local> {
        stats::Request {
            log,
            decks,
            scope: &Scope::All,
            config,
            now,
            zone: &chrono::Local,
            forecast_days: 30,
        }
    }
    let mut group = c.benchmark_group("stats");
    group.sample_size(10);
    group.bench_function("compute_1m_reviews_100k_cards", |b| {
        b.iter(|| black_box(stats::compute(&request(&log, &decks, &config, now))))
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("reviews.csv");
    std::fs::write(&path, &text).expect("write log");
    group.bench_function("load_compute_json_1m_reviews", |b| {
        b.iter(|| {
            let log = ReviewLog::load(&path).expect("load");
            let stats = stats::compute(&request(&log, &decks, &config, now));
            black_box(serde_json::to_vec_pretty(&stats).expect("json"))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
