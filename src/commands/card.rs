//! `recall card DECK/CARD`: one card's text, schedule and history.

use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, Local, SecondsFormat, Utc};
use serde::Serialize;

use super::Context;
use crate::deck::CardKey;
use crate::schedule::{self, Card, Settings, State};
use crate::store::{Config, Review, Status};
use crate::table::Table;

/// One row of the history, with what the scheduler made of it.
#[derive(Debug)]
pub struct HistoryRow {
    review: Review,
    /// Since the previous review of this card; `None` for the first.
    since_previous: Option<chrono::TimeDelta>,
    /// From this review to the due date it set.
    interval: chrono::TimeDelta,
}

#[derive(Debug, Serialize)]
struct CardJson {
    deck: String,
    card: String,
    state: String,
    /// The learning or relearning step, from 1, as the text says it.
    step: Option<usize>,
    stability: Option<f64>,
    difficulty: Option<f64>,
    retrievability: Option<f64>,
    due: Option<String>,
    last_review: Option<String>,
    reviews: Vec<ReviewJson>,
}

#[derive(Debug, Serialize)]
struct ReviewJson {
    reviewed_at: String,
    rating: u8,
    duration_ms: u64,
}

pub fn run(
    ctx: &Context,
    key: &CardKey,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let catalog = ctx.catalog(err)?;
    let config = ctx.config()?.config;
    let deck = &catalog.find(key.deck.as_str())?.deck;
    // Only this card's lines; the whole log's problems are reported with
    // the progress below.
    let reviews = crate::store::load_reviews_of(&ctx.paths.data_dir, key)?;
    let card_text = deck.card(&key.card);
    if card_text.is_none() && reviews.is_empty() {
        anyhow::bail!(
            "deck `{}` has no card `{}`; `recall export {}` lists its cards",
            key.deck,
            key.card,
            key.deck
        );
    }
    let (_, history) = replay_card(key, reviews, &config.scheduler);
    let progress = ctx.progress(&config, err)?;
    let card = progress.card(key);
    let retrievability = schedule::retrievability(&card, ctx.now, config.scheduler.parameters());

    if json {
        let report = CardJson {
            deck: key.deck.to_string(),
            card: key.card.to_string(),
            state: card.state().to_string().to_lowercase(),
            // Counted from 1, as the text output says "Step 1 of 2".
            step: card.step().map(|s| s + 1),
            stability: card.stability(),
            difficulty: card.difficulty(),
            retrievability,
            due: card.due().map(rfc3339),
            last_review: card.last_review().map(rfc3339),
            reviews: history
                .iter()
                .map(|row| ReviewJson {
                    reviewed_at: rfc3339(row.review.reviewed_at),
                    rating: row.review.rating.as_u8(),
                    duration_ms: row.review.duration_ms,
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }

    let mut status = progress.status(key);
    if !status.is_buried(&ctx.study_day(config.day_starts_at)) {
        status.buried_at = None;
    }
    write!(
        out,
        "{}",
        describe(key, card_text, &card, &history, &status, &config, ctx.now)
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The card's page as `recall card` prints it (and the browser shows it):
/// its text, its state and memory, its flags, and its history.
pub fn describe(
    key: &CardKey,
    card_text: Option<&crate::deck::Card>,
    card: &Card,
    history: &[HistoryRow],
    status: &Status,
    config: &Config,
    now: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_page(&mut out, key, card_text, card, history, status, config, now);
    out
}

#[allow(clippy::too_many_arguments)]
fn write_page(
    out: &mut String,
    key: &CardKey,
    card_text: Option<&crate::deck::Card>,
    card: &Card,
    history: &[HistoryRow],
    status: &Status,
    config: &Config,
    now: DateTime<Utc>,
) -> std::fmt::Result {
    use std::fmt::Write as _;
    let ctx_now = now;
    writeln!(out, "{key}")?;
    match card_text {
        Some(text) => {
            writeln!(
                out,
                "\nFront:\n{}\n\nBack:\n{}",
                indent(&text.front),
                indent(&text.back)
            )?;
        }
        None => writeln!(
            out,
            "\n(This card is in no deck any more; its reviews are kept.)"
        )?,
    }
    writeln!(out)?;
    let mut facts = Table::new(["State", &card.state().to_string().to_lowercase()]);
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "-".into());
    // People count steps from 1, and so does the JSON.
    let steps = match card.state() {
        State::Relearning => config.scheduler.relearning_steps().len(),
        _ => config.scheduler.learning_steps().len(),
    };
    let step = card.step().map(|s| format!("{} of {steps}", s + 1));
    facts.row(["Step".into(), or_dash(step)]);
    facts.row([
        "Stability".into(),
        or_dash(card.stability().map(|s| format!("{s:.2} days"))),
    ]);
    facts.row([
        "Difficulty".into(),
        or_dash(card.difficulty().map(|d| format!("{d:.2} (1 to 10)"))),
    ]);
    facts.row([
        "Retrievability".into(),
        or_dash(
            schedule::retrievability(card, now, config.scheduler.parameters())
                .map(|r| format!("{:.1}%", r * 100.0)),
        ),
    ]);
    facts.row([
        "Due".into(),
        or_dash(
            card.due()
                .map(|due| format!("{} ({})", local(due), relative(due - ctx_now))),
        ),
    ]);
    facts.row(["Last review".into(), or_dash(card.last_review().map(local))]);
    facts.row(["Lapses".into(), status.lapses.to_string()]);
    let flags: Vec<&str> = [
        (status.suspended, "suspended"),
        (status.buried_at.is_some(), "buried"),
        (status.leech, "leech"),
        (status.marked, "marked"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, word)| *word)
    .collect();
    if !flags.is_empty() {
        facts.row(["Flags".into(), flags.join(" ")]);
    }
    write!(out, "{facts}")?;

    if history.is_empty() {
        writeln!(out, "\nNo reviews yet.")?;
    } else {
        let mut table = Table::new(["REVIEWED", "RATING", "SINCE PREVIOUS", "INTERVAL", "TIME"]);
        for row in history {
            table.row([
                local(row.review.reviewed_at),
                row.review.rating.to_string(),
                row.since_previous.map_or("-".into(), span),
                span(row.interval),
                format!("{:.1}s", row.review.duration_ms as f64 / 1000.0),
            ]);
        }
        write!(out, "\nHistory\n{table}")?;
    }
    Ok(())
}

/// Replays one card's reviews (time order), recording each step.
pub fn replay_card(
    key: &CardKey,
    mut reviews: Vec<Review>,
    settings: &Settings,
) -> (Card, Vec<HistoryRow>) {
    reviews.sort_by_key(|r| r.reviewed_at);
    let mut card = Card::with_key(&key.to_string());
    let mut history = Vec::with_capacity(reviews.len());
    for review in reviews {
        let since_previous = card.last_review().map(|last| review.reviewed_at - last);
        card = schedule::review(&card, review.rating, review.reviewed_at, settings);
        let interval = card
            .due()
            .map_or(chrono::TimeDelta::zero(), |due| due - review.reviewed_at);
        history.push(HistoryRow {
            review,
            since_previous,
            interval,
        });
    }
    (card, history)
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// "in 3 days" / "2 hours ago".
fn relative(delta: chrono::TimeDelta) -> String {
    if delta < chrono::TimeDelta::zero() {
        format!("{} ago", span(-delta))
    } else {
        format!("in {}", span(delta))
    }
}

fn span(delta: chrono::TimeDelta) -> String {
    crate::format::interval(delta)
}
