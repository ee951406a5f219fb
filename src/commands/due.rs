//! `recall due`: what each deck has for today, and reviews of cards that are
//! in no deck any more.

use std::collections::HashSet;
use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, Local, Offset, Utc};
use serde::Serialize;

use super::Context;
use crate::deck::CardKey;
use crate::format::{self, plural};
use crate::study::queue::{DeckQueue, DueCounts, QueueOptions};
use crate::table::Table;

#[derive(Debug, Serialize)]
struct DeckDue {
    deck: String,
    #[serde(flatten)]
    counts: DueCounts,
    /// When the next card that is not due yet comes due (RFC 3339).
    next_due: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
struct DueReport {
    decks: Vec<DeckDue>,
    /// Log lines whose card is in no loaded deck; kept, never deleted.
    orphan_reviews: usize,
}

pub fn run(
    ctx: &Context,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let catalog = ctx.catalog(err)?;
    let config = ctx.config()?.config;
    let day = ctx.study_day(config.day_starts_at);
    let progress = ctx.progress_on(&config, &day, err)?.progress;
    let extra = ctx.extra_new(&day, err)?;

    let decks: Vec<DeckDue> = catalog
        .decks
        .iter()
        .map(|loaded| {
            let options = QueueOptions {
                extra_new: extra.for_deck(&loaded.deck.id),
                ..QueueOptions::default()
            };
            let queue =
                DeckQueue::build_with(&loaded.deck, &progress, &config, ctx.now, &day, options);
            DeckDue {
                deck: loaded.deck.id.to_string(),
                counts: queue.counts(ctx.now),
                next_due: queue.next_due,
            }
        })
        .collect();
    let known: HashSet<CardKey> = catalog
        .decks
        .iter()
        .flat_map(|loaded| {
            let deck = &loaded.deck;
            deck.cards()
                .iter()
                .map(|card| CardKey::new(deck.id.clone(), card.id.clone()))
        })
        .collect();
    let orphan_reviews = progress
        .review_counts()
        .filter(|(key, _)| !known.contains(*key))
        .map(|(_, lines)| lines as usize)
        .sum();
    let report = DueReport {
        decks,
        orphan_reviews,
    };

    if json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        print_table(&report, ctx.now, out)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(report: &DueReport, now: DateTime<Utc>, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut table = Table::new(["DECK", "NEW", "LEARNING", "REVIEW", "NEXT"]);
    for column in 1..=3 {
        table.right_align(column);
    }
    let zone = now.with_timezone(&Local).offset().fix();
    let row = |name: String, c: DueCounts, next: Option<DateTime<Utc>>| {
        [
            name,
            c.new.to_string(),
            learning_text(c),
            c.review.to_string(),
            next.map_or_else(|| "-".to_owned(), |due| next_text(due, now, zone)),
        ]
    };
    let mut total = DueCounts::default();
    let mut next = None;
    for deck in &report.decks {
        total = total + deck.counts;
        next = crate::study::queue::earliest(next, deck.next_due);
        table.row(row(deck.deck.clone(), deck.counts, deck.next_due));
    }
    table.row(row("total".into(), total, next));
    write!(out, "{table}")?;
    if report.orphan_reviews > 0 {
        writeln!(
            out,
            "\nThe review log also holds {} of cards that are in no deck now (kept, not shown above).",
            plural(report.orphan_reviews, "review")
        )?;
    }
    Ok(())
}

/// `3`, or `3 (1 now)` when some come later today.
fn learning_text(counts: DueCounts) -> String {
    if counts.learning_later() == 0 {
        counts.learning.to_string()
    } else {
        format!("{} ({} now)", counts.learning, counts.learning_now)
    }
}

/// `11:29`, `tomorrow 08:15`, `in 7 days`.
fn next_text(due: DateTime<Utc>, now: DateTime<Utc>, zone: chrono::FixedOffset) -> String {
    let text = format::next_due(due, now, zone);
    match text.strip_prefix("next: ") {
        Some(rest) => rest.to_owned(),
        None => text.trim_start_matches("next review ").to_owned(),
    }
}
