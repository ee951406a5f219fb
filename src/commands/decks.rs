//! `recall decks`: the deck list, as a table or JSON.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::Context;
use crate::table::Table;

#[derive(Debug, Serialize)]
struct DeckRow {
    id: String,
    name: String,
    /// Notes as written in the deck file.
    notes: usize,
    /// Cards that can be studied: a note makes one or more.
    cards: usize,
    source: String,
}

pub fn run(
    ctx: &Context,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let catalog = ctx.catalog(err)?;
    let rows: Vec<DeckRow> = catalog
        .decks
        .iter()
        .map(|loaded| DeckRow {
            id: loaded.deck.id.to_string(),
            name: loaded.deck.name.clone(),
            notes: loaded.deck.notes().len(),
            cards: loaded.deck.cards().len(),
            source: loaded.source.to_string(),
        })
        .collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
    } else {
        let mut table = Table::new(["ID", "NAME", "CARDS", "SOURCE"]);
        table.right_align(2);
        for row in &rows {
            table.row([
                row.id.clone(),
                row.name.clone(),
                row.cards.to_string(),
                row.source.clone(),
            ]);
        }
        write!(out, "{table}")?;
    }
    Ok(ExitCode::SUCCESS)
}
