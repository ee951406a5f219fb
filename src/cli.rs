//! The command line, declared with clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::deck::CardKey;

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

    /// Also load this deck file (repeatable)
    #[arg(long = "deck", global = true, value_name = "PATH")]
    pub decks: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Study one deck (or every deck) and return to the shell
    Study {
        /// The deck id; all decks if omitted
        deck: Option<String>,
    },
    /// List every deck: id, name, number of cards, where it comes from
    Decks {
        /// Print JSON for scripts: [{"id", "name", "cards", "source"}]
        #[arg(long)]
        json: bool,
    },
    /// Validate deck files and report every problem found
    Check {
        /// Deck files (TOML)
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Show what is due today in each deck
    Due {
        /// Print JSON for scripts: {"decks": [{"deck", "new", "learning",
        /// "review"}], "orphan_reviews"}
        #[arg(long)]
        json: bool,
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
    /// Show the settings in effect and the file they came from
    Config,
}
