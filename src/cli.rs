//! The command line, declared with clap.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::deck::DeckId;

use crate::deck::CardKey;
use crate::quiz::{DEFAULT_LENGTH, Mode};

/// Spaced-repetition flashcards in the terminal, scheduled with FSRS-6.
///
/// Run without a command to open the home screen: your decks and what is
/// due, ready to study.
#[derive(Debug, Parser)]
#[command(name = "recall", version, about, long_about)]
pub struct Cli {
    /// Where the review log and your decks live
    /// [default: the platform's data dir, e.g. ~/.local/share/recall]
    #[arg(long, global = true, value_name = "DIR", env = "RECALL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// The settings file [default: e.g. ~/.config/recall/config.toml]
    #[arg(long, global = true, value_name = "FILE", env = "RECALL_CONFIG")]
    pub config: Option<PathBuf>,

    /// Where recall caches parsed decks and replayed progress
    /// [default: the platform's cache dir, e.g. ~/.cache/recall]
    #[arg(long, global = true, value_name = "DIR", env = "RECALL_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Read every deck and the whole review log, without the cache
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// This machine's name in the data dir's `log/` folder, when several
    /// machines share it [default: generated once, kept beside the config]
    #[arg(long, global = true, value_name = "ID", env = "RECALL_DEVICE")]
    pub device: Option<String>,

    /// Also load this deck file (repeatable)
    #[arg(long = "deck", global = true, value_name = "PATH")]
    pub decks: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Study one deck (or every deck) and return to the shell
    ///
    /// With one of --extra-new, --ahead, --tag or --forgotten, study beyond
    /// today's queue (Anki's Custom Study; `c` on the home screen). Grades
    /// made this way are ordinary reviews.
    Study {
        /// The deck id or name (any case); all decks if omitted
        deck: Option<String>,
        /// Raise today's new-card limit of DECK by N, for the rest of the
        /// study day, and study
        #[arg(long, value_name = "N", group = "custom", requires = "deck")]
        extra_new: Option<u32>,
        /// Review ahead: the reviews of DECK due within DAYS days after
        /// today, now
        #[arg(long, value_name = "DAYS", group = "custom", requires = "deck")]
        ahead: Option<u32>,
        /// Only today's cards of DECK with this tag
        #[arg(long, value_name = "TAG", group = "custom", requires = "deck")]
        tag: Option<String>,
        /// The cards of DECK graded Again in the last DAYS days, once more
        #[arg(long, value_name = "DAYS", group = "custom", requires = "deck")]
        forgotten: Option<u32>,
    },
    /// List every deck: id, name, number of cards, where it comes from
    Decks {
        /// Print JSON for scripts: [{"id", "name", "cards", "source", "hidden"}]
        #[arg(long)]
        json: bool,
        /// Hide the deck with this id from the home screen and "study all"
        /// (a setting in config.toml: hidden_decks)
        #[arg(long, value_name = "ID", conflicts_with_all = ["json", "show"])]
        hide: Option<String>,
        /// Show a hidden deck again
        #[arg(long, value_name = "ID", conflicts_with = "json")]
        show: Option<String>,
    },
    /// List the cards that match a search, e.g. `recall cards "tag:http is:due"`
    ///
    /// The search syntax is Anki's (a subset): words, "phrases", deck:NAME,
    /// tag:NAME, is:new|learn|review|due|suspended|buried|leech|marked,
    /// prop:ivl>=10, prop:due<2, prop:lapses>3, prop:r<0.8, rated:N, -term,
    /// `or`, parentheses. See README.md, "Searching".
    Cards {
        /// The search; every card if omitted (several words are joined;
        /// `-term` works unquoted)
        #[arg(value_name = "QUERY", allow_hyphen_values = true)]
        query: Vec<String>,
        /// Print JSON for scripts: [{"deck", "card", "front", "state", "due",
        /// "interval_days", "lapses", "reviews", "tags", "suspended", "buried",
        /// "leech", "marked"}]
        #[arg(long)]
        json: bool,
    },
    /// Suspend cards: they are never queued until unsuspended
    Suspend {
        #[arg(required = true, value_name = "DECK/CARD")]
        cards: Vec<CardKey>,
    },
    /// Unsuspend cards
    Unsuspend {
        #[arg(required = true, value_name = "DECK/CARD")]
        cards: Vec<CardKey>,
    },
    /// Bury cards until the next study day
    Bury {
        #[arg(required = true, value_name = "DECK/CARD")]
        cards: Vec<CardKey>,
    },
    /// Forget cards: back to new; their review history is kept
    Forget {
        #[arg(required = true, value_name = "DECK/CARD")]
        cards: Vec<CardKey>,
    },
    /// Validate deck files (any format `import` reads) and report every problem found
    Check {
        /// Deck files: TOML, Anki text (.csv, .txt, .tsv) or Markdown (.md),
        /// read as `import` reads them; nothing is written
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The files' format; `auto` goes by each extension (TOML if unknown)
        #[arg(long, value_enum, default_value_t = ImportFormat::Auto)]
        format: ImportFormat,
    },
    /// Show what is due today in each deck
    Due {
        /// Print JSON for scripts: {"decks": [{"deck", "new", "learning",
        /// "review"}], "orphan_reviews"}
        #[arg(long)]
        json: bool,
        /// List every problem found in the review log and the decks (other
        /// commands print the first few and a count)
        #[arg(long)]
        warnings: bool,
    },
    /// Show one card: its text, state, memory and review history
    Card {
        /// The card, as deck id / card id, e.g. aws-api-gateway/endpoint-types
        #[arg(value_name = "DECK/CARD")]
        key: CardKey,
        /// Print JSON for scripts: {"deck", "card", "state", "step",
        /// "stability", "difficulty", "retrievability", "due", "last_review",
        /// "reviews": [{"reviewed_at", "rating", "duration_ms"}]}
        #[arg(long)]
        json: bool,
    },
    /// Show the settings in effect and the file they came from, and the
    /// settings each deck uses (presets)
    Config,
    /// Fit the FSRS parameters to your own review history
    ///
    /// Fits the parameters of one set of settings on the reviews of the
    /// decks that use it: the top level (decks without a preset) by
    /// default, a preset with --preset, or the settings DECK uses. Prints
    /// log loss, RMSE(bins) and AUC for the defaults, the current and the
    /// fitted parameters, and writes the fit to config.toml if it is
    /// better (unless --dry-run). Ctrl-C stops without writing. See
    /// docs/scheduling.md, "Fitting the parameters".
    Optimize {
        /// A deck id or name: fit the settings it uses (its preset's, or
        /// the top level's), on every deck that uses them
        #[arg(value_name = "DECK", conflicts_with = "preset")]
        deck: Option<String>,
        /// Fit the preset NAME, on the decks that use it
        #[arg(long, value_name = "NAME")]
        preset: Option<String>,
        /// Fit and report, but write nothing
        #[arg(long)]
        dry_run: bool,
        /// Print JSON: {"reviews", "cards", "items", "default", "current",
        /// "fitted" (each {"log_loss", "rmse_bins", "auc"}), "parameters",
        /// "written", ...}
        #[arg(long)]
        json: bool,
        /// Instead of fitting: simulate a year at desired retention 0.70 to
        /// 0.97 with the current parameters and print reviews per day and
        /// cards remembered; changes nothing
        #[arg(long)]
        retention: bool,
    },
    /// Import decks from TOML, Anki's text export (CSV/TSV), Markdown, or an
    /// Anki package (.apkg, .colpkg) with its review history and media
    ///
    /// Writes <data dir>/decks/<id>.toml and reports the cards added,
    /// updated, unchanged and removed, and every row skipped with its line and
    /// reason. Re-importing the same file updates the deck: cards keep their
    /// ids, so they keep their review history. See docs/import-export.md.
    Import {
        /// The file to import
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The file's format; `auto` goes by its extension: .toml, .csv or
        /// .txt (Anki text), .tsv, .md, .apkg or .colpkg (or a zip holding
        /// an Anki collection)
        #[arg(long, value_enum, default_value_t = ImportFormat::Auto)]
        format: ImportFormat,
        /// Import every card into the deck with this id [default: from the
        /// file: its deck id, Anki deck names, or its file name]
        #[arg(long, value_name = "ID")]
        deck_id: Option<DeckId>,
        /// The deck's name [default: from the file, or its file name]
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Replace a deck with the same id that came from another file or
        /// was written by hand
        #[arg(long)]
        replace: bool,
        /// Report what would change, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Sync the data dir with other machines through git
    ///
    /// Commits this machine's reviews and decks, fetches and merges the
    /// other machines', and pushes. Each machine writes only its own log
    /// folder (log/<device>/), so reviews never conflict; a deck edited on
    /// two machines stops the sync with both versions kept. See README
    /// "Several machines".
    Sync {
        /// Set the data dir up for sync with this git remote (a URL or a
        /// path every machine reaches), taking in what it already holds
        #[arg(long, value_name = "REMOTE")]
        init: Option<String>,
    },
    /// Write a deck as TOML, Anki text (CSV/TSV) or Markdown
    ///
    /// Importing the result gives back the same deck; Anki imports the CSV
    /// and TSV files too. See docs/import-export.md.
    Export {
        /// The deck's id, as `recall decks` lists it
        #[arg(value_name = "DECK")]
        deck: String,
        /// The format [default: from the extension of -o FILE, else toml]
        #[arg(long, value_enum)]
        format: Option<ExportFormat>,
        /// Write to FILE (replaced atomically) instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Allow FILE inside recall's data directory (e.g. over a deck in
        /// decks/); takes the data-dir lock. The logs and the lock file are
        /// never overwritten
        #[arg(long)]
        force: bool,
    },
    /// Quiz yourself: a short scored round that leaves the schedule alone
    Quiz(QuizArgs),
    /// Statistics: today, true retention, calendar, forecast, card counts,
    /// distributions, calibration, time of day
    ///
    /// The same figures as the stats screen (`s` on the home screen). Study
    /// dates start at `day_starts_at`, local time. See docs/stats.md.
    Stats {
        /// The deck, by id or name (its child decks included); all decks if
        /// omitted
        deck: Option<String>,
        /// Days of forecast, 1 to 365
        #[arg(long, value_name = "N", default_value_t = crate::stats::DEFAULT_FORECAST_DAYS,
              value_parser = parse_days)]
        days: usize,
        /// Print JSON for scripts: {"deck", "date", "today", "true_retention",
        /// "reviews_per_day", "calendar", "forecast", "counts",
        /// "distributions", "calibration", "hours"}; docs/stats.md lists
        /// every field
        #[arg(long)]
        json: bool,
    },
}

/// A forecast length: 1 to 365 days.
fn parse_days(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(days @ 1..=crate::stats::MAX_FORECAST_DAYS) => Ok(days),
        _ => Err(format!(
            "`{text}` is not a number of days from 1 to {}",
            crate::stats::MAX_FORECAST_DAYS
        )),
    }
}

/// `recall import --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Auto,
    Toml,
    Csv,
    Tsv,
    Md,
    /// An Anki package (.apkg or .colpkg)
    Apkg,
}

/// `recall export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Toml,
    /// Anki's "Notes in Plain Text", comma-separated
    Csv,
    /// Anki's "Notes in Plain Text", tab-separated (as Anki writes it)
    Tsv,
    Md,
}

/// `recall quiz`: the options of a quick quiz.
#[derive(Debug, Args)]
#[command(after_help = "\
Without DECK, cards are drawn from every deck together; the wrong options of \
a choice question still come from the card's own deck. --seed S gives the same \
cards in the same order with the same options (for the same decks and version \
of recall). Each finished round is added to <data dir>/quizzes.csv.")]
pub struct QuizArgs {
    /// The deck id; every deck, pooled, if omitted
    pub deck: Option<String>,
    /// How many questions (every card if the deck has fewer)
    #[arg(
        short = 'n',
        value_name = "N",
        default_value_t = DEFAULT_LENGTH,
        value_parser = parse_length,
    )]
    pub length: usize,
    /// Only cards with this tag
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// How to answer
    #[arg(long, value_name = "MODE", default_value_t = Mode::SelfCheck)]
    pub mode: Mode,
    /// Seed the draw, to repeat a quiz exactly [default: a random seed]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Also write each answer to the review log, as Good (right) or Again
    /// (wrong), like a study session
    #[arg(long)]
    pub record: bool,
    /// List past scores (of DECK, if given) instead of quizzing
    #[arg(long, conflicts_with_all = ["length", "tag", "mode", "seed", "record"])]
    pub history: bool,
}

/// A quiz length: a whole number, at least 1.
fn parse_length(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("a quiz needs at least 1 question".to_owned()),
        Ok(length) => Ok(length),
        Err(_) => Err(format!("`{text}` is not a whole number of questions")),
    }
}

impl ValueEnum for Mode {
    fn value_variants<'a>() -> &'a [Self] {
        &[Mode::SelfCheck, Mode::Choice]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()).help(match self {
            Mode::SelfCheck => "see the question, reveal the answer, say whether you knew it (y/n)",
            Mode::Choice => "pick the answer among four (1-4)",
        }))
    }
}
