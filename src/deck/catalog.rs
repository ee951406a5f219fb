//! Finding decks: the bundled deck, every `*.toml` in the user's deck
//! directory, and files named with `--deck`.

use std::fmt;
use std::path::{Path, PathBuf};

use super::problem::utf8_error_position;
use super::toml_format::TextWarning;
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
        Self::discover_with(deck_dir, deck_args, &load_file)
    }

    /// [`discover`](Self::discover), loading each deck file with `load`
    /// (the cache's loader gives what [`load_file`] gives, faster).
    pub fn discover_with(
        deck_dir: &Path,
        deck_args: &[PathBuf],
        load_file: &dyn Fn(&Path) -> Result<Deck, DeckError>,
    ) -> Result<Catalog, DeckError> {
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

    /// Adds a deck read from a `--deck` file by another reader (CSV,
    /// Markdown...), unless another deck already has its id.
    pub fn add_argument(&mut self, deck: Deck, path: PathBuf) -> Result<(), DeckError> {
        self.add(deck, DeckSource::Argument(path))
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

    /// Looks a deck up by what a user typed: its id, or its id or name in
    /// any case; an error suggests the closest deck or lists them all.
    pub fn find(&self, typed: &str) -> Result<&LoadedDeck, UnknownDeck> {
        self.position(typed).map(|index| &self.decks[index])
    }

    /// [`Catalog::find`], as an index into `decks`.
    pub fn position(&self, typed: &str) -> Result<usize, UnknownDeck> {
        let folded = typed.to_lowercase();
        let exact = self.decks.iter().position(|d| d.deck.id.as_str() == typed);
        let by_id = || {
            self.decks
                .iter()
                .position(|d| d.deck.id.as_str().to_lowercase() == folded)
        };
        let by_name = || {
            self.decks
                .iter()
                .position(|d| d.deck.name.to_lowercase() == folded)
        };
        exact.or_else(by_id).or_else(by_name).ok_or_else(|| {
            let suggestion = self
                .decks
                .iter()
                .flat_map(|d| {
                    [d.deck.id.as_str(), d.deck.name.as_str()].map(|text| {
                        let distance = strsim::osa_distance(&folded, &text.to_lowercase());
                        (distance, d.deck.id.to_string())
                    })
                })
                .filter(|(distance, _)| *distance <= 3.max(folded.chars().count() / 3))
                .min()
                .map(|(_, id)| id);
            UnknownDeck {
                id: typed.to_owned(),
                known: self.decks.iter().map(|d| d.deck.id.to_string()).collect(),
                suggestion,
            }
        })
    }
}

/// A deck id that matches no deck.
#[derive(Debug, Clone, thiserror::Error)]
#[error("no deck has the id or name `{id}`; {}", match suggestion {
    Some(id) => format!("did you mean `{id}`?"),
    None => format!("the decks are: {}", known.join(", ")),
})]
pub struct UnknownDeck {
    pub id: String,
    pub known: Vec<String>,
    /// The deck id closest to what was typed, if one is close.
    pub suggestion: Option<String>,
}

fn bundle_default_id(bundled: &BundledDeck) -> &'static str {
    bundled.file.strip_suffix(".toml").unwrap_or(bundled.file)
}

/// Reads and parses one deck file; the deck id defaults to the file name.
pub fn load_file(path: &Path) -> Result<Deck, DeckError> {
    parse_bytes(read_deck_file(path)?, path, &default_deck_id(path))
}

/// A deck file's bytes.
pub fn read_deck_file(path: &Path) -> Result<Vec<u8>, DeckError> {
    if path.is_dir() {
        return Err(DeckError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    crate::read_file::read_regular(path, crate::read_file::MAX_DECK_BYTES)
        .map_err(|error| DeckError::from_io(path, error))
}

/// Parses the bytes of the deck file at `path`.
pub fn parse_bytes(bytes: Vec<u8>, path: &Path, default_id: &str) -> Result<Deck, DeckError> {
    let origin = path.display().to_string();
    parse_text(&utf8(bytes, &origin)?, &origin, default_id)
}

/// Reads and checks the deck file at `path` as [`load_file`] does, with
/// its card text warnings (`recall check`): the file is read and parsed
/// once.
pub fn check_file(path: &Path) -> Result<(Deck, Vec<TextWarning>), DeckError> {
    let origin = path.display().to_string();
    let text = utf8(read_deck_file(path)?, &origin)?;
    no_conflict_markers(&text, &origin)?;
    let (file, warnings) = toml_format::parse_checked(&text, &default_deck_id(path));
    let deck = file.map_err(|problems| DeckError::Invalid {
        origin: origin.clone(),
        problems,
    })?;
    Ok((deck.deck, warnings))
}

fn utf8(bytes: Vec<u8>, origin: &str) -> Result<String, DeckError> {
    String::from_utf8(bytes).map_err(|error| DeckError::Invalid {
        problems: vec![Problem::new(
            utf8_error_position(error.as_bytes(), error.utf8_error().valid_up_to()),
            ProblemKind::NotUtf8,
        )],
        origin: origin.to_owned(),
    })
}

/// Parses deck text; `origin` names it in messages.
pub fn parse_text(text: &str, origin: &str, default_id: &str) -> Result<Deck, DeckError> {
    no_conflict_markers(text, origin)?;
    toml_format::parse(text, default_id).map_err(|problems| DeckError::Invalid {
        origin: origin.to_owned(),
        problems,
    })
}

/// Git's conflict markers are reported as such, not as a TOML syntax error.
fn no_conflict_markers(text: &str, origin: &str) -> Result<(), DeckError> {
    match conflict_marker_line(text) {
        Some(line) => Err(DeckError::Invalid {
            origin: origin.to_owned(),
            problems: vec![Problem::new(
                super::Position { line, column: 1 },
                ProblemKind::MergeConflict,
            )],
        }),
        None => Ok(()),
    }
}

/// The `*.toml` files directly in `dir`, sorted by name. A missing directory
/// simply has none; an unreadable one is reported.
/// The line (1-based) where git's conflict markers begin, if the text holds
/// a whole `<<<<<<<` ... `>>>>>>>` block: TOML would only call it a syntax
/// error, which does not say what happened or what to do.
pub fn conflict_marker_line(text: &str) -> Option<usize> {
    let mut open = None;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("<<<<<<<") {
            open = open.or(Some(i + 1));
        } else if line.starts_with(">>>>>>>") && open.is_some() {
            return open;
        }
    }
    None
}

/// What folder-sync tools leave beside the files they sync: their temp files
/// (never complete decks: skipped in silence) and conflict copies (a
/// warning: the user has two versions to reconcile).
#[derive(Debug, PartialEq, Eq)]
enum SyncToolFile {
    Temp,
    ConflictCopy,
}

fn sync_tool_file(name: &str) -> Option<SyncToolFile> {
    if name.starts_with(".syncthing.") || name.starts_with("~$") || name.starts_with(".dropbox") {
        Some(SyncToolFile::Temp)
    } else if name.contains(".sync-conflict-") || name.contains("(conflicted copy") {
        Some(SyncToolFile::ConflictCopy)
    } else {
        None
    }
}

fn toml_files_in(dir: &Path) -> (Vec<PathBuf>, Vec<DeckError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return (Vec::new(), Vec::new());
        }
        Err(error) => return (Vec::new(), vec![DeckError::from_io(dir, error)]),
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut warnings = Vec::new();
    for path in entries.filter_map(Result::ok).map(|entry| entry.path()) {
        if path.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        match sync_tool_file(&name) {
            None => files.push(path),
            Some(SyncToolFile::Temp) => {}
            Some(SyncToolFile::ConflictCopy) => warnings.push(DeckError::ConflictCopy { path }),
        }
    }
    files.sort();
    warnings.sort_by_key(ToString::to_string);
    (files, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_markers_are_found_only_as_a_pair() {
        let text = "a = 1\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> origin/main\n";
        assert_eq!(conflict_marker_line(text), Some(2));
        assert_eq!(conflict_marker_line("a\n<<<<<<< HEAD\nno end\n"), None);
        assert_eq!(conflict_marker_line("front = \"<<<<<<< inside\"\n"), None);
    }

    #[test]
    fn sync_tool_files_are_told_apart() {
        for temp in [".syncthing.geo.toml.tmp", "~$geo.toml", ".dropbox.cache"] {
            assert_eq!(sync_tool_file(temp), Some(SyncToolFile::Temp), "{temp}");
        }
        for copy in [
            "geo.sync-conflict-20261201-101010-ABCDEFG.toml",
            "geo (conflicted copy 2026-12-01).toml",
        ] {
            assert_eq!(
                sync_tool_file(copy),
                Some(SyncToolFile::ConflictCopy),
                "{copy}"
            );
        }
        assert_eq!(sync_tool_file("geo.toml"), None);
    }

    #[test]
    fn discovery_skips_temp_files_and_warns_about_conflict_copies() {
        let dir = tempfile::tempdir().unwrap();
        let deck = "[deck]\nname = \"Geo\"\n[[cards]]\nid = \"a\"\nfront = \"Q\"\nback = \"A\"\n";
        std::fs::write(dir.path().join("geo.toml"), deck).unwrap();
        std::fs::write(dir.path().join("~$geo.toml"), "half a deck").unwrap();
        let copy = dir
            .path()
            .join("geo.sync-conflict-20261201-101010-ABCDEFG.toml");
        std::fs::write(&copy, deck).unwrap();
        let catalog = Catalog::discover(dir.path(), &[]).unwrap();
        assert!(catalog.decks.iter().any(|d| d.deck.id.as_str() == "geo"));
        assert_eq!(catalog.warnings.len(), 1, "{:?}", catalog.warnings);
        assert!(matches!(&catalog.warnings[0], DeckError::ConflictCopy { path } if *path == copy));
    }
}
