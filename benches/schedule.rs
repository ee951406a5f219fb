//! Scheduler throughput: replaying a large review log through `review`.
//!
//! The log has 1,000,000 reviews of 100,000 cards (10 each), interleaved in
//! time order as a real log would be, generated once by simulating a learner
//! (reviews around the due date, a realistic mix of ratings). The measured
//! loop replays the whole log from new cards with default settings (fuzz on).
//! Results are recorded in docs/PERFORMANCE.md.
//!
//! Run: `cargo bench --bench schedule`

use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use recall::schedule::{Card, Rating, Settings, fuzz_seed, preview, review};

const CARDS: usize = 100_000;
const REVIEWS_PER_CARD: usize = 10;

/// A tiny deterministic generator (SplitMix64) so the log is the same on
/// every run without depending on a crate's RNG stream.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Entry {
    card: u32,
    rating: Rating,
    at: DateTime<Utc>,
}

/// Simulates a learner: each card introduced on one of 365 days, then
/// reviewed 10 times, mostly on its due date, sometimes days late or early.
fn generate_log(settings: &Settings) -> (Vec<Card>, Vec<Entry>) {
    let mut rng = SplitMix(2024);
    let start = Utc
        .with_ymd_and_hms(2024, 1, 1, 9, 0, 0)
        .single()
        .expect("valid date");
    let cards: Vec<Card> = (0..CARDS)
        .map(|i| Card::new(fuzz_seed(&format!("deck-{}/card-{i}", i % 50))))
        .collect();
    let mut log = Vec::with_capacity(CARDS * REVIEWS_PER_CARD);
    for (i, new) in cards.iter().enumerate() {
        let mut card = *new;
        let mut at = start + TimeDelta::seconds(rng.below(365 * 86_400) as i64);
        for n in 0..REVIEWS_PER_CARD {
            if n > 0 {
                let due = card.due().expect("reviewed");
                at = match rng.below(10) {
                    0 => due + TimeDelta::days(rng.below(30) as i64),
                    1 => due - (due - at) / 2,
                    _ => due + TimeDelta::seconds(rng.below(3_600) as i64),
                };
            }
            let rating = match rng.below(100) {
                0..10 => Rating::Again,
                10..20 => Rating::Hard,
                20..90 => Rating::Good,
                _ => Rating::Easy,
            };
            card = review(&card, rating, at, settings);
            log.push(Entry {
                card: i as u32,
                rating,
                at,
            });
        }
    }
    // A stable sort keeps each card's own reviews in order.
    log.sort_by_key(|e| e.at);
    (cards, log)
}

fn replay(cards: &[Card], log: &[Entry], settings: &Settings) -> Vec<Card> {
    let mut cards = cards.to_vec();
    for entry in log {
        let card = &mut cards[entry.card as usize];
        *card = review(card, entry.rating, entry.at, settings);
    }
    cards
}

fn bench(c: &mut Criterion) {
    let settings = Settings::default();
    let (cards, log) = generate_log(&settings);

    let mut group = c.benchmark_group("schedule");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(log.len() as u64));
    group.bench_function("replay 1M reviews over 100k cards", |b| {
        b.iter(|| replay(black_box(&cards), black_box(&log), &settings));
    });
    // The same reviews grouped by card: no cache misses between reviews,
    // so the difference to the above is memory access, the rest compute.
    let mut by_card: Vec<Entry> = log
        .iter()
        .map(|e| Entry {
            card: e.card,
            rating: e.rating,
            at: e.at,
        })
        .collect();
    by_card.sort_by_key(|e| e.card);
    group.bench_function("replay 1M reviews card by card", |b| {
        b.iter(|| replay(black_box(&cards), black_box(&by_card), &settings));
    });
    group.finish();

    let replayed = replay(&cards, &log, &settings);
    let now = log.last().expect("non-empty log").at;
    let mut group = c.benchmark_group("schedule");
    group.throughput(Throughput::Elements(1));
    group.bench_function("preview one card", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 7919) % CARDS;
            preview(black_box(&replayed[i]), now, &settings)
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
