//! Generated data for benchmarks: large decks and review logs.

// Each benchmark and example includes this file and uses only part of it.
#![allow(dead_code)]

use std::fmt::Write;

/// A deck of `cards` cards, about 150 bytes of TOML each (so 100,000 cards
/// make about 15 MB), with ids, multi-line Markdown backs and tags.
pub fn deck_toml(cards: usize) -> String {
    let mut text = String::with_capacity(cards * 160);
    text.push_str("[deck]\nid = \"generated\"\nname = \"Generated\"\n");
    for i in 0..cards {
        let _ = write!(
            text,
            "\n[[cards]]\nid = \"card-{i:06}\"\nfront = \"What does service {i} do?\"\n\
             back = \"\"\"\n**Service {i}**\n- handles requests of kind {i}\n- see `api/{i}`\n\"\"\"\n\
             tags = [\"t{}\"]\n",
            i % 97
        );
    }
    text
}

/// A review log of `reviews` lines over `cards` cards of deck `generated`
/// (the ids of [`deck_toml`]), in time order: each card is reviewed about
/// `reviews / cards` times, mostly Good, a review every few seconds.
pub fn review_log(reviews: usize, cards: usize) -> String {
    use chrono::{SecondsFormat, TimeDelta, TimeZone, Utc};
    let start = Utc
        .with_ymd_and_hms(2024, 1, 1, 8, 0, 0)
        .single()
        .unwrap_or_default();
    let mut text = String::with_capacity(reviews * 56 + 64);
    text.push_str("reviewed_at,deck,card,rating,duration_ms\n");
    for i in 0..reviews {
        // Spread each round over the cards, rounds a few days apart.
        let at = start + TimeDelta::milliseconds(i as i64 * 2_345);
        let card = (i * 7_919) % cards;
        let rating = [3, 3, 3, 3, 3, 3, 3, 1, 2, 4][i % 10];
        let _ = writeln!(
            text,
            "{},generated,card-{card:06},{rating},{}",
            at.to_rfc3339_opts(SecondsFormat::Millis, true),
            1_000 + i % 9_000
        );
    }
    text
}
