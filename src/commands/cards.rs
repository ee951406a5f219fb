//! `recall cards [QUERY]`: the cards that match a search, as a table or JSON.

use std::io::Write;
use std::process::ExitCode;

use chrono::SecondsFormat;
use serde::Serialize;

use super::Context;
use crate::format;
use crate::search::{self, SearchError};
use crate::table::Table;

#[derive(Debug, Serialize)]
struct CardRow {
    deck: String,
    card: String,
    front: String,
    state: String,
    due: Option<String>,
    interval_days: Option<f64>,
    lapses: u32,
    reviews: u32,
    tags: Vec<String>,
    suspended: bool,
    buried: bool,
    leech: bool,
    marked: bool,
}

/// The error for a bad query: the message, the query, and a line of `^`
/// under the bad term.
pub fn explain(query: &str, error: &SearchError) -> anyhow::Error {
    let pad = " ".repeat(error.column - 1);
    anyhow::anyhow!(
        "bad search: {error}\n  {query}\n  {pad}{}",
        "^".repeat(error.width)
    )
}

pub fn run(
    ctx: &Context,
    query: &str,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let parsed = search::parse(query).map_err(|e| explain(query, &e))?;
    let catalog = ctx.catalog(err)?;
    let config = ctx.config()?.config;
    let progress = ctx.progress(&config, err)?;
    let day = ctx.study_day(config.day_starts_at);
    let facts = search::all(&catalog, &progress, &config, ctx.now, &day);
    let rows: Vec<CardRow> = facts
        .iter()
        .filter(|card| parsed.matches(card))
        .map(|card| {
            let text = catalog
                .get(&card.key.deck)
                .and_then(|loaded| loaded.deck.card(&card.key.card));
            CardRow {
                deck: card.key.deck.to_string(),
                card: card.key.card.to_string(),
                front: text.map_or(String::new(), |t| one_line(&t.front)),
                state: card.state.to_string().to_lowercase(),
                due: card
                    .due
                    .map(|d| d.to_rfc3339_opts(SecondsFormat::Millis, true)),
                interval_days: card.interval_days.map(|d| (d * 100.0).round() / 100.0),
                lapses: card.lapses,
                reviews: card.reviews,
                tags: text.map_or(Vec::new(), |t| t.tags.clone()),
                suspended: card.suspended,
                buried: card.buried,
                leech: card.leech,
                marked: card.marked,
            }
        })
        .collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        writeln!(out, "No card matches.")?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new([
        "DECK", "CARD", "STATE", "DUE", "INTERVAL", "LAPSES", "TAGS", "FLAGS",
    ]);
    table.right_align(5);
    for (row, card) in rows.iter().zip(facts.iter().filter(|c| parsed.matches(c))) {
        table.row([
            row.deck.clone(),
            row.card.clone(),
            row.state.clone(),
            card.due.map_or("-".into(), |due| format::due(due, ctx.now)),
            card.interval_days.map_or("-".into(), |days| {
                format::interval(chrono::TimeDelta::seconds((days * 86_400.0) as i64))
            }),
            row.lapses.to_string(),
            row.tags.join(" "),
            card.flags(),
        ]);
    }
    write!(out, "{table}")?;
    writeln!(out, "{}", format::plural(rows.len(), "card"))?;
    Ok(ExitCode::SUCCESS)
}

/// The first line of a card's text, for one row.
pub fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("")
        .to_owned()
}
