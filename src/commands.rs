//! The subcommands that print instead of opening the terminal UI. Each writes
//! to the `out`/`err` it is given, so tests can read what it printed.

pub mod card;
mod card_action;
pub mod cards;
mod check;
mod config;
mod decks;
mod due;
pub mod export;
mod import;
pub mod quiz;
pub mod sync;

use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use crate::cli::Command;
use crate::day::StudyDay;
use crate::deck::Catalog;
use crate::paths::Paths;
use crate::store::{self, Config, EventKind, EventLog, LoadedConfig, Progress, ReviewLog};

/// What every command may need: resolved paths, extra deck files, and the
/// time the command started (read once, so one run sees one "now").
#[derive(Debug, Clone)]
pub struct Context {
    pub paths: Paths,
    pub deck_args: Vec<std::path::PathBuf>,
    pub now: DateTime<Utc>,
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

    pub fn config(&self) -> anyhow::Result<LoadedConfig> {
        Ok(LoadedConfig::load(&self.paths.config_file)?)
    }

    /// Reads the review log, printing what was skipped as warnings on `err`.
    pub fn review_log(&self, err: &mut dyn Write) -> anyhow::Result<ReviewLog> {
        let mut written = Ok(());
        let log = store::load_reviews(&self.paths.data_dir, &mut |path, warning| {
            if written.is_ok() {
                written = writeln!(err, "recall: warning: {}: {warning}", path.display());
            }
        })?;
        written?;
        Ok(log)
    }

    /// Reads the card events, printing what was skipped as warnings on `err`.
    pub fn card_events(&self, err: &mut dyn Write) -> anyhow::Result<EventLog> {
        let mut written = Ok(());
        let events = store::load_card_events(&self.paths.data_dir, &mut |path, warning| {
            if written.is_ok() {
                written = writeln!(err, "recall: warning: {}: {warning}", path.display());
            }
        })?;
        written?;
        Ok(events)
    }

    /// The review log and the card events replayed with `config`.
    pub fn progress(&self, config: &Config, err: &mut dyn Write) -> anyhow::Result<Progress> {
        let log = self.review_log(err)?;
        let events = self.card_events(err)?;
        Ok(Progress::replay_with_events(
            &log,
            &events.events,
            &config.scheduler,
            config.leech,
            &self.study_day(config.day_starts_at),
        ))
    }

    /// Today, in the local time zone, for days starting at `day_starts_at`.
    pub fn study_day(&self, day_starts_at: u32) -> StudyDay {
        StudyDay::containing(self.now, day_starts_at, &chrono::Local)
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
        Command::Decks { json, hide, show } => match (hide, show) {
            (Some(id), _) => decks::set_hidden(ctx, &id, true, out, err),
            (None, Some(id)) => decks::set_hidden(ctx, &id, false, out, err),
            (None, None) => decks::run(ctx, json, out, err),
        },
        Command::Cards { mut query, json } => {
            // The query takes `-term` unquoted, so clap leaves a `--json`
            // after it among the words.
            let json = json || query.iter().any(|w| w == "--json");
            query.retain(|w| w != "--json");
            cards::run(ctx, &query.join(" "), json, out, err)
        }
        Command::Suspend { cards } => card_action::run(ctx, EventKind::Suspend, &cards, out, err),
        Command::Unsuspend { cards } => {
            card_action::run(ctx, EventKind::Unsuspend, &cards, out, err)
        }
        Command::Bury { cards } => card_action::run(ctx, EventKind::Bury, &cards, out, err),
        Command::Forget { cards } => card_action::run(ctx, EventKind::Forget, &cards, out, err),
        Command::Check { files } => check::run(&files, out, err),
        Command::Due { json } => due::run(ctx, json, out, err),
        Command::Card { key, json } => card::run(ctx, &key, json, out, err),
        Command::Config => config::run(ctx, out),
        Command::Sync { init } => sync::run(ctx, init.as_deref(), out),
        // `main` runs the quiz itself in the terminal; this is `--history`.
        Command::Quiz(args) => quiz::history(ctx, args.deck.as_deref(), out, err),
        Command::Study { .. } => unreachable!("the study screen is run by main"),
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
