//! `recall due`: what each deck has for today, and reviews of cards that are
//! in no deck any more.

use std::collections::HashSet;
use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::deck::CardKey;
use crate::format::plural;
use crate::store::Progress;
use crate::study::queue::{DeckQueue, DueCounts};
use crate::table::Table;

#[derive(Debug, Serialize)]
struct DeckDue {
    deck: String,
    #[serde(flatten)]
    counts: DueCounts,
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
    let log = ctx.review_log(err)?;
    let day = ctx.study_day(config.day_starts_at);
    let events = ctx.card_events(err)?;
    let progress =
        Progress::replay_with_events(&log, &events.events, &config.scheduler, config.leech, &day);

    let decks: Vec<DeckDue> = catalog
        .decks
        .iter()
        .map(|loaded| DeckDue {
            deck: loaded.deck.id.to_string(),
            counts: DeckQueue::build(&loaded.deck, &progress, &config, ctx.now, &day)
                .counts(ctx.now),
        })
        .collect();
    let known: HashSet<CardKey> = catalog
        .decks
        .iter()
        .flat_map(|loaded| {
            let deck = &loaded.deck;
            deck.cards
                .iter()
                .map(|card| CardKey::new(deck.id.clone(), card.id.clone()))
        })
        .collect();
    // Count lines per card, then look each card up once.
    let mut lines_per_card = vec![0usize; log.keys().len()];
    for entry in log.entries() {
        lines_per_card[entry.key.get()] += 1;
    }
    let orphan_reviews = log
        .keys()
        .iter()
        .zip(lines_per_card)
        .filter(|(key, _)| !known.contains(*key))
        .map(|(_, lines)| lines)
        .sum();
    let report = DueReport {
        decks,
        orphan_reviews,
    };

    if json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        print_table(&report, out)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(report: &DueReport, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut table = Table::new(["DECK", "NEW", "LEARNING", "REVIEW"]);
    for column in 1..=3 {
        table.right_align(column);
    }
    let row = |name: String, c: DueCounts| {
        [
            name,
            c.new.to_string(),
            c.learning.to_string(),
            c.review.to_string(),
        ]
    };
    let mut total = DueCounts::default();
    for deck in &report.decks {
        total = total + deck.counts;
        table.row(row(deck.deck.clone(), deck.counts));
    }
    table.row(row("total".into(), total));
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
