//! Finding decks: the bundled deck, every `*.toml` in the user's deck
//! directory, and files named with `--deck`.

use std::fmt;
use std::path::{Path, PathBuf};

use super::problem::utf8_error_position;
use super::{Deck, DeckError, DeckId, Problem, ProblemKind, default_deck_id, toml_format};

/// A deck compiled into the binary, so `recall` works from any directory.
#[derive(Debug, Clone, Copy)]
pub struct BundledDeck {
    pub file: &'static str,
    pub text: &'static str,
}

/// The decks that ship with recall.
pub const BUNDLED: &[BundledDeck] = &[BundledDeck {
    file: "aws-api-gateway.toml",
    text: include_str!("../../decks/aws-api-gateway.toml"),
}];

/// Where a deck was loaded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeckSource {
    /// Compiled into the binary.
    Bundled { file: &'static str },
    /// A file in the user's deck directory.
    DeckDir(PathBuf),
    /// A file named on the command line with `--deck`.
    Argument(PathBuf),
}

impl DeckSource {
    pub fn path(&self) -> Option<&Path> {
        match self {
            DeckSource::Bundled { .. } => None,
            DeckSource::DeckDir(path) | DeckSource::Argument(path) => Some(path),
        }
    }
}

impl fmt::Display for DeckSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path() {
            None => f.write_str("bundled"),
            Some(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A deck and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedDeck {
    pub deck: Deck,
    pub source: DeckSource,
}

/// Every deck found, in order: bundled, deck directory (by file name), then
/// `--deck` files in the order given.
#[derive(Debug, Default)]
pub struct Catalog {
    pub decks: Vec<LoadedDeck>,
    /// Decks in the deck directory that were skipped, and why.
    pub warnings: Vec<DeckError>,
}

impl Catalog {
    /// Loads every deck. A broken file in the deck directory becomes a warning
    /// and the others still load; a broken `--deck` file is an error, since the
    /// user asked for it by name.
    pub fn discover(deck_dir: &Path, deck_args: &[PathBuf]) -> Result<Catalog, DeckError> {
        let mut catalog = Catalog::default();
        for bundled in BUNDLED {
            let deck = parse_text(bundled.text, bundled.file, bundle_default_id(bundled))?;
            catalog.add(deck, DeckSource::Bundled { file: bundled.file })?;
        }
        let (dir_files, dir_error) = toml_files_in(deck_dir);
        catalog.warnings.extend(dir_error);
        for path in dir_files {
            let added = load_file(&path)
                .and_then(|deck| catalog.add(deck, DeckSource::DeckDir(path.clone())));
            if let Err(error) = added {
                catalog.warnings.push(error);
            }
        }
        for path in deck_args {
            let deck = load_file(path)?;
            catalog.add(deck, DeckSource::Argument(path.clone()))?;
        }
        Ok(catalog)
    }

    /// Adds a deck unless another one already has its id.
    fn add(&mut self, deck: Deck, source: DeckSource) -> Result<(), DeckError> {
        if let Some(existing) = self.get(&deck.id) {
            return Err(DeckError::DuplicateDeck {
                id: deck.id.to_string(),
                first: existing.source.to_string(),
                second: source.to_string(),
            });
        }
        self.decks.push(LoadedDeck { deck, source });
        Ok(())
    }

    pub fn get(&self, id: &DeckId) -> Option<&LoadedDeck> {
        self.decks.iter().find(|loaded| &loaded.deck.id == id)
    }

    /// Looks a deck up by the id a user typed, with an error listing the ids
    /// there are.
    pub fn find(&self, id: &str) -> Result<&LoadedDeck, UnknownDeck> {
        self.decks
            .iter()
            .find(|loaded| loaded.deck.id.as_str() == id)
            .ok_or_else(|| UnknownDeck {
                id: id.to_owned(),
                known: self.decks.iter().map(|d| d.deck.id.to_string()).collect(),
            })
    }
}

/// A deck id that matches no deck.
#[derive(Debug, Clone, thiserror::Error)]
#[error("no deck has the id `{id}`; the decks are: {}", known.join(", "))]
pub struct UnknownDeck {
    pub id: String,
    pub known: Vec<String>,
}

fn bundle_default_id(bundled: &BundledDeck) -> &'static str {
    bundled.file.strip_suffix(".toml").unwrap_or(bundled.file)
}

/// Reads and parses one deck file; the deck id defaults to the file name.
pub fn load_file(path: &Path) -> Result<Deck, DeckError> {
    if path.is_dir() {
        return Err(DeckError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let bytes = crate::read_file::read_regular(path, crate::read_file::MAX_DECK_BYTES)
        .map_err(|error| DeckError::from_io(path, error))?;
    let origin = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|error| DeckError::Invalid {
        problems: vec![Problem::new(
            utf8_error_position(error.as_bytes(), error.utf8_error().valid_up_to()),
            ProblemKind::NotUtf8,
        )],
        origin: origin.clone(),
    })?;
    parse_text(&text, &origin, &default_deck_id(path))
}

/// Parses deck text; `origin` names it in messages.
pub fn parse_text(text: &str, origin: &str, default_id: &str) -> Result<Deck, DeckError> {
    toml_format::parse(text, default_id).map_err(|problems| DeckError::Invalid {
        origin: origin.to_owned(),
        problems,
    })
}

/// The `*.toml` files directly in `dir`, sorted by name. A missing directory
/// simply has none; an unreadable one is reported.
fn toml_files_in(dir: &Path) -> (Vec<PathBuf>, Option<DeckError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), None),
        Err(error) => return (Vec::new(), Some(DeckError::from_io(dir, error))),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    (files, None)
}
