//! Search over 100,000 cards (with 1,000,000 reviews replayed): what one
//! keystroke in the browser costs. Parsing the query and filtering every
//! card, by a word, a phrase, and by `prop:` terms; and building the facts
//! once when the browser opens, and the whole opening (facts, sort, first
//! screen drawn).

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use recall::app::browser::Browser;
use recall::day::StudyDay;
use recall::deck::Catalog;
use recall::search::{self, Facts, Query};
use recall::store::{Config, Progress, ReviewLog};
use recall::ui::Theme;

#[path = "support/generate.rs"]
mod generate;

fn filter(query: &Query, cards: &[Facts]) -> usize {
    cards.iter().filter(|card| query.matches(card)).count()
}

fn search_100k(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let deck = dir.path().join("generated.toml");
    std::fs::write(&deck, generate::deck_toml(100_000)).expect("write deck");
    let catalog = Catalog::discover(&dir.path().join("none"), &[deck]).expect("catalog");
    let log = ReviewLog::parse(generate::review_log(1_000_000, 100_000).as_bytes());
    let config = Config::default();
    // The log spans 2024-01-01 to about 2024-01-28.
    let now = Utc
        .with_ymd_and_hms(2024, 2, 1, 9, 0, 0)
        .single()
        .expect("time");
    let day = StudyDay::containing(now, 4, &Utc);
    let progress = Progress::replay(&log, &config.scheduler, &day);
    let mut group = c.benchmark_group("search_100k_cards");
    group.sample_size(20);
    group.bench_function("build_facts", |b| {
        b.iter(|| black_box(search::all(&catalog, &progress, &config, now, &day)))
    });
    // Opening the browser: every card's facts, the table sorted, and the
    // first screen's rows built and drawn (100×30).
    group.bench_function("open_browser", |b| {
        b.iter(|| {
            let cards = search::all(&catalog, &progress, &config, now, &day);
            let mut browser = Browser::new(cards, &catalog);
            let view = browser.view(&catalog, 24, &[], None, Theme::monochrome(), now);
            let mut buffer = Buffer::empty(Rect::new(0, 0, 100, 30));
            (&view).render(buffer.area, &mut buffer);
            black_box(buffer)
        })
    });
    let cards = search::all(&catalog, &progress, &config, now, &day);
    // The bundled deck comes along.
    assert_eq!(cards.len(), 100_015);
    for (name, text) in [
        ("word", "service"),
        ("rare_word", "99999"),
        ("two_words_accented", "SERVICE kïnd"),
        ("phrase", "\"handles requests of kind 5\""),
        ("prop_ivl", "prop:ivl>=10"),
        ("prop_r_and_lapses", "prop:r<0.8 prop:lapses>0"),
        ("prop_due", "prop:due<2"),
        ("tag_or_deck", "tag:t1* or deck:gen*"),
        ("negated", "-is:new -tag:t5"),
    ] {
        let query = search::parse(text).expect("query");
        eprintln!("{name}: {} of 100000 match", filter(&query, &cards));
        group.bench_function(name, |b| {
            b.iter(|| {
                // One keystroke: parse the line, filter every card.
                let query = search::parse(black_box(text)).expect("query");
                black_box(filter(&query, &cards))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, search_100k);
criterion_main!(benches);
