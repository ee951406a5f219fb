//! A simulated learner's review log, for stats snapshots and CLI tests: 60
//! cards studied for 120 days with recall's own scheduler, a few new cards
//! a day, grades from a fixed-seed generator (about 85% passes).

#![allow(dead_code)]

use chrono::{DateTime, TimeDelta, Utc};
use recall::schedule::{Card, Rating, Settings, review};

/// The deck the log reviews, as TOML.
pub fn deck_toml(cards: usize) -> String {
    let mut text = String::from("[deck]\nid = \"sim\"\nname = \"Simulated\"\n");
    for i in 0..cards {
        text.push_str(&format!(
            "\n[[cards]]\nid = \"c{i:03}\"\nfront = \"question {i}\"\nback = \"answer {i}\"\n"
        ));
    }
    text
}

/// The log's lines (header first), studied every day but every seventh up
/// to `end`, sessions at 08:00 and 19:00 UTC.
pub fn log_text(cards: usize, days: i64, end: DateTime<Utc>) -> String {
    let settings = Settings::default();
    let mut state: Vec<Card> = (0..cards)
        .map(|i| Card::with_key(&format!("sim/c{i:03}")))
        .collect();
    let mut introduced = 0;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut text = String::from("reviewed_at,deck,card,rating,duration_ms\n");
    for day in (0..days).rev() {
        if day % 7 == 3 {
            continue;
        }
        for session_hour in [8, 19] {
            let mut at = end - TimeDelta::days(day) - TimeDelta::hours(12)
                + TimeDelta::hours(session_hour - 8);
            if at > end {
                continue;
            }
            if session_hour == 8 {
                let new = (cards - introduced).min(3);
                introduced += new;
            }
            for (i, card) in state.iter_mut().enumerate().take(introduced) {
                let due = card
                    .due()
                    .is_none_or(|due| due <= at + TimeDelta::minutes(30));
                if !due {
                    continue;
                }
                // Learning steps are done within the session.
                for _ in 0..4 {
                    let roll = next() % 100;
                    let rating = match roll {
                        0..=13 => Rating::Again,
                        14..=23 => Rating::Hard,
                        24..=89 => Rating::Good,
                        _ => Rating::Easy,
                    };
                    text.push_str(&format!(
                        "{},sim,c{i:03},{},{}\n",
                        at.format("%Y-%m-%dT%H:%M:%S%.3fZ"),
                        rating.as_u8(),
                        2000 + next() % 8000
                    ));
                    *card = review(card, rating, at, &settings);
                    at += TimeDelta::seconds(20);
                    if card
                        .due()
                        .is_some_and(|due| due > at + TimeDelta::minutes(30))
                    {
                        break;
                    }
                    at = card.due().unwrap_or(at).max(at);
                }
            }
        }
    }
    text
}

/// Card events on the simulated deck (header first): c000 buried an hour
/// before `end`, c001 forgotten two days before it.
pub fn events_text(end: DateTime<Utc>) -> String {
    let at = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    format!(
        "at,deck,card,event\n{},sim,c000,bury\n{},sim,c001,forget\n",
        at(end - TimeDelta::hours(1)),
        at(end - TimeDelta::days(2)),
    )
}
