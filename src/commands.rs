//! The subcommands that print instead of opening the terminal UI. Each writes
//! to the `out`/`err` it is given, so tests can read what it printed.

mod check;
mod decks;
pub mod export;
mod import;

use std::io::Write;
use std::process::ExitCode;

use crate::cli::Command;
use crate::deck::Catalog;
use crate::paths::Paths;

/// What every command may need: resolved paths and extra deck files.
#[derive(Debug, Clone)]
pub struct Context {
    pub paths: Paths,
    pub deck_args: Vec<std::path::PathBuf>,
}

impl Context {
    /// Loads every deck, printing skipped ones as warnings on `err`.
    pub fn catalog(&self, err: &mut dyn Write) -> anyhow::Result<Catalog> {
        let catalog = Catalog::discover(&self.paths.deck_dir(), &self.deck_args)?;
        for warning in &catalog.warnings {
            writeln!(err, "recall: warning: skipping a deck: {warning}")?;
        }
        Ok(catalog)
    }
}

/// Runs one printing command.
pub fn run(
    command: Command,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    match command {
        Command::Decks { json } => decks::run(ctx, json, out, err),
        Command::Check { files } => check::run(&files, out, err),
        Command::Import {
            file,
            format,
            deck_id,
            name,
            replace,
            dry_run,
        } => {
            let request = import::Request {
                file,
                format,
                deck_id,
                name,
                replace,
                dry_run,
            };
            import::run(ctx, &request, out)
        }
        Command::Export {
            deck,
            format,
            output,
        } => export::run(ctx, &deck, format, output.as_deref(), out, err),
    }
}
