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
mod optimize;
pub mod quiz;
pub mod stats;
pub mod sync;

use std::io::Write;
use std::process::ExitCode;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::cache::{Cache, LoadedProgress};

use crate::cli::Command;
use crate::day::StudyDay;
use crate::deck::Catalog;
use crate::paths::Paths;
use crate::store::{self, Config, EventKind, EventLog, LoadedConfig, Progress, ReviewLog};

/// The decks of a CSV/TSV/Markdown `--deck` file, read as `import` reads
/// it; skipped rows are warnings.
fn read_any_deck(
    path: &std::path::Path,
    err: &mut dyn Write,
) -> anyhow::Result<Vec<crate::deck::Deck>> {
    use anyhow::Context as _;
    let format = crate::import::Format::from_path(path).unwrap_or(crate::import::Format::Toml);
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let origin = path.display().to_string();
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = crate::import::ReadOptions {
        format,
        deck_id: None,
        name: None,
    };
    let imported = crate::import::read(&bytes, &origin, &stem, &options)?;
    let skipped = crate::import::SkippedReport {
        origin: &origin,
        skipped: &imported.skipped,
    };
    write!(err, "{skipped}")?;
    if imported.decks.is_empty() {
        anyhow::bail!("{origin}: no cards found");
    }
    Ok(imported.decks)
}

/// What every command may need: resolved paths, extra deck files, and the
/// time the command started (read once, so one run sees one "now").
#[derive(Debug, Clone)]
pub struct Context {
    pub paths: Paths,
    pub deck_args: Vec<std::path::PathBuf>,
    pub now: DateTime<Utc>,
    /// Print every warning (`recall due --warnings`), not the first few.
    pub all_warnings: bool,
    /// Parsed decks and replayed progress from earlier runs.
    pub cache: Arc<Cache>,
}

/// How many warnings of one kind a command prints before a count line.
pub const WARNINGS_SHOWN: usize = 5;

impl Context {
    /// Loads every deck, printing skipped ones as warnings on `err`.
    /// `--deck` files may be in any format `import` reads (by extension).
    pub fn catalog(&self, err: &mut dyn Write) -> anyhow::Result<Catalog> {
        let (toml, other): (Vec<_>, Vec<_>) = self.deck_args.iter().cloned().partition(|path| {
            crate::import::Format::from_path(path)
                .is_none_or(|format| format == crate::import::Format::Toml)
        });
        let mut catalog = Catalog::discover_with(&self.paths.deck_dir(), &toml, &|path| {
            self.cache.load_deck(path)
        })?;
        for path in other {
            for deck in read_any_deck(&path, err)? {
                catalog.add_argument(deck, path.clone())?;
            }
        }
        let lines = catalog
            .warnings
            .iter()
            .map(|warning| format!("skipping a deck: {warning}"));
        self.print_warnings(lines, catalog.warnings.len(), err)?;
        self.cache_warning(err)?;
        Ok(catalog)
    }

    /// Prints the cache's one warning, if it had a problem (once a run).
    pub fn cache_warning(&self, err: &mut dyn Write) -> std::io::Result<()> {
        match self.cache.take_warning() {
            Some(warning) => writeln!(err, "recall: warning: {warning}"),
            None => Ok(()),
        }
    }

    /// Replays the review log and the card events (resuming the cached
    /// replay) for the study `day`, printing what was skipped as warnings on
    /// `err`.
    pub fn progress_on(
        &self,
        config: &Config,
        day: &StudyDay,
        err: &mut dyn Write,
    ) -> anyhow::Result<LoadedProgress> {
        let loaded = self.cache.load_progress(
            &self.paths.data_dir,
            &config.deck_settings(),
            config.leech,
            day,
        )?;
        let lines = loaded
            .warnings
            .iter()
            .map(|(path, warning)| format!("{}: {warning}", path.display()))
            .chain(
                loaded
                    .event_warnings
                    .iter()
                    .map(|(path, warning)| format!("{}: {warning}", path.display())),
            );
        let total = loaded.warnings.len() + loaded.event_warnings.len();
        self.print_warnings(lines, total, err)?;
        self.cache_warning(err)?;
        Ok(loaded)
    }

    /// The review log and the card events replayed with `config`, for
    /// today.
    pub fn progress(&self, config: &Config, err: &mut dyn Write) -> anyhow::Result<Progress> {
        let day = self.study_day(config.day_starts_at);
        Ok(self.progress_on(config, &day, err)?.progress)
    }

    pub fn config(&self) -> anyhow::Result<LoadedConfig> {
        Ok(LoadedConfig::load(&self.paths.config_file)?)
    }

    /// Reads the review log, printing what was skipped as warnings on `err`.
    pub fn review_log(&self, err: &mut dyn Write) -> anyhow::Result<ReviewLog> {
        let mut lines = Vec::new();
        let log = store::load_reviews(&self.paths.data_dir, &mut |path, warning| {
            lines.push(format!("{}: {warning}", path.display()));
        })?;
        let total = lines.len();
        self.print_warnings(lines.into_iter(), total, err)?;
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

    /// The first [`WARNINGS_SHOWN`] warnings, then one line with the count
    /// of the rest (all of them with `all_warnings`).
    fn print_warnings(
        &self,
        lines: impl Iterator<Item = String>,
        total: usize,
        err: &mut dyn Write,
    ) -> anyhow::Result<()> {
        let shown = if self.all_warnings {
            total
        } else {
            WARNINGS_SHOWN
        };
        for line in lines.take(shown) {
            writeln!(err, "recall: warning: {line}")?;
        }
        if total > shown {
            writeln!(
                err,
                "recall: warning: and {} more; `recall due --warnings` lists them",
                total - shown
            )?;
        }
        Ok(())
    }

    /// Today's extra new cards (custom study); unreadable lines are warned
    /// about.
    pub fn extra_new(
        &self,
        day: &StudyDay,
        err: &mut dyn Write,
    ) -> anyhow::Result<crate::store::extra_new::ExtraNew> {
        let path = self.paths.data_file(crate::store::extra_new::FILE_NAME);
        let extra = crate::store::extra_new::ExtraNew::load(&path, day)?;
        for warning in &extra.warnings {
            writeln!(err, "recall: warning: {}: {warning}", path.display())?;
        }
        Ok(extra)
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
        Command::Check { files, format } => check::run(&files, format, out, err),
        Command::Due { json, .. } => due::run(ctx, json, out, err),
        Command::Card { key, json } => card::run(ctx, &key, json, out, err),
        Command::Config => config::run(ctx, out, err),
        Command::Optimize {
            deck,
            preset,
            dry_run,
            json,
            retention,
        } => {
            let request = optimize::Request {
                deck,
                preset,
                dry_run,
                json,
                retention,
            };
            optimize::run(ctx, &request, out, err)
        }
        Command::Stats { deck, days, json } => {
            stats::run(ctx, deck.as_deref(), days, json, out, err)
        }
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
            import::run(ctx, &request, out, err)
        }
        Command::Export {
            deck,
            format,
            output,
            force,
        } => export::run(ctx, &deck, format, output.as_deref(), force, out, err),
    }
}
