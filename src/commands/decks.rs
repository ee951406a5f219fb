//! `recall decks`: the deck list, as a table or JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;
use serde::Serialize;

use super::Context;
use crate::store::{config, write_atomically};
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
    hidden: bool,
}

pub fn run(
    ctx: &Context,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let catalog = ctx.catalog(err)?;
    let hidden = ctx.config()?.config.hidden_decks;
    let rows: Vec<DeckRow> = catalog
        .decks
        .iter()
        .map(|loaded| DeckRow {
            id: loaded.deck.id.to_string(),
            name: loaded.deck.name.clone(),
            notes: loaded.deck.notes().len(),
            cards: loaded.deck.cards().len(),
            source: loaded.source.to_string(),
            hidden: hidden.iter().any(|h| h == loaded.deck.id.as_str()),
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
                if row.hidden {
                    format!("{} (hidden)", row.source)
                } else {
                    row.source.clone()
                },
            ]);
        }
        write!(out, "{table}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `recall decks --hide ID` / `--show ID`: the `hidden_decks` setting in
/// config.toml, changed in place (the file is replaced atomically, its
/// other lines kept as they are).
pub fn set_hidden(
    ctx: &Context,
    id: &str,
    hide: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let catalog = ctx.catalog(err)?;
    let loaded = ctx.config()?;
    let mut hidden = loaded.config.hidden_decks.clone();
    if hide {
        catalog.find(id)?;
        if hidden.iter().any(|h| h == id) {
            writeln!(out, "Deck `{id}` is already hidden.")?;
            return Ok(ExitCode::SUCCESS);
        }
        hidden.push(id.to_owned());
    } else {
        if !hidden.iter().any(|h| h == id) {
            writeln!(out, "Deck `{id}` is not hidden.")?;
            return Ok(ExitCode::SUCCESS);
        }
        hidden.retain(|h| h != id);
    }
    let path = &loaded.path;
    let text = if loaded.file_exists {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
    } else {
        String::new()
    };
    let updated = config::with_hidden_decks(&text, &hidden);
    // Never write a file that would not load.
    config::parse(&updated).map_err(|_| {
        anyhow::anyhow!(
            "cannot change hidden_decks in {}: the result would not be a valid config; edit the file by hand",
            path.display()
        )
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    write_atomically(path, updated.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    if hide {
        writeln!(
            out,
            "Deck `{id}` is hidden: it is left off the home screen and out of \"study all\". `recall decks --show {id}` brings it back."
        )?;
    } else {
        writeln!(out, "Deck `{id}` is shown again.")?;
    }
    Ok(ExitCode::SUCCESS)
}
