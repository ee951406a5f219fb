//! The command line, declared with clap.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

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
        /// Print JSON for scripts
        #[arg(long)]
        json: bool,
    },
    /// Show one card: its text, state, memory and review history
    Card {
        /// The card, as deck id / card id, e.g. aws-api-gateway/endpoint-types
        #[arg(value_name = "DECK/CARD")]
        key: CardKey,
        /// Print JSON for scripts
        #[arg(long)]
        json: bool,
    },
    /// Show the settings in effect and the file they came from
    Config,
    /// Quiz yourself: a short scored round that leaves the schedule alone
    Quiz(QuizArgs),
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
