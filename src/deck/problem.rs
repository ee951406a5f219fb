//! What can be wrong with a deck file, and where: every problem carries a
//! 1-based line and column and knows how to tell the user to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

use super::cloze::ClozeError;
use super::id::IdError;
use super::note::KeyError;

/// A 1-based line and column; columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Turns byte offsets into positions; built once per text.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, line_starts }
    }

    /// The text indexed.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The position of byte `offset`, clamped to the text.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Position {
            line,
            column: column + 1,
        }
    }
}

/// The position of the first byte that is not valid UTF-8.
pub fn utf8_error_position(bytes: &[u8], valid_up_to: usize) -> Position {
    let valid = String::from_utf8_lossy(&bytes[..valid_up_to.min(bytes.len())]);
    LineIndex::new(&valid).position(valid.len())
}

/// Which part of the file a problem is in, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The top level of the file.
    File,
    /// The `[deck]` table.
    Deck,
    /// The n-th `[[cards]]` entry, 1-based.
    Card(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File => f.write_str("the top level"),
            Place::Deck => f.write_str("[deck]"),
            Place::Card(n) => write!(f, "card {n}"),
        }
    }
}

/// One thing wrong with a deck.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProblemKind {
    #[error("invalid TOML: {message}")]
    Syntax { message: String },
    #[error("the file is not valid UTF-8")]
    NotUtf8,
    #[error("{place} has no `{field}`")]
    MissingField { place: Place, field: &'static str },
    #[error("{place} has an empty `{field}`")]
    EmptyField { place: Place, field: &'static str },
    #[error(
        "`{key}` in {place} must be {expected}, but it is {}",
        crate::format::with_article(found)
    )]
    WrongType {
        place: Place,
        key: String,
        expected: &'static str,
        found: &'static str,
    },
    #[error("unknown key `{key}` in {place}")]
    UnknownKey {
        place: Place,
        key: String,
        allowed: &'static [&'static str],
    },
    #[error("invalid id in {place}: {error}")]
    InvalidId { place: Place, error: IdError },
    #[error("the deck id defaults to the file name `{stem}`, which is not a valid id: {error}")]
    InvalidFileNameId { stem: String, error: IdError },
    #[error("card id `{id}` is used twice (first at line {}, column {})", first.line, first.column)]
    DuplicateCardId { id: String, first: Position },
    #[error("invalid tag {tag:?} in {place}")]
    InvalidTag { place: Place, tag: String },
    #[error("the deck has no cards")]
    NoCards,
    #[error("[deck] appears twice (first at line {}, column {})", first.line, first.column)]
    RepeatedDeck { first: Position },
    #[error("{place}: {error}")]
    Cloze { place: Place, error: ClozeError },
    #[error("{place} has both `{key}` and `{other}`")]
    Conflict {
        place: Place,
        key: &'static str,
        other: &'static str,
    },
    #[error("{place}: {error}")]
    Key { place: Place, error: KeyError },
    #[error(
        "the file holds a merge conflict: this machine's version and another machine's, between <<<<<<< and >>>>>>> lines (left by `recall sync`)"
    )]
    MergeConflict,
}

impl ProblemKind {
    /// How to fix it, in one sentence.
    pub fn help(&self) -> String {
        match self {
            ProblemKind::Syntax { .. } => {
                "fix the TOML syntax at this position (docs/deck-format.md has a complete example)"
                    .into()
            }
            ProblemKind::NotUtf8 => "save the file as UTF-8".into(),
            ProblemKind::MergeConflict => {
                "keep the lines you want between <<<<<<< and >>>>>>>, delete the marker lines, then run `recall sync` again"
                    .into()
            }
            ProblemKind::MissingField { place, field } => match place {
                Place::Card(_) => format!("add `{field} = \"...\"` to this card"),
                _ => format!("add `{field} = \"...\"`"),
            },
            ProblemKind::EmptyField { field, .. } => format!("write some text in `{field}`"),
            ProblemKind::WrongType { key, expected, .. } => {
                format!("write `{key}` as {expected}")
            }
            ProblemKind::UnknownKey { key, allowed, .. } => match suggest_key(key, allowed) {
                Some(known) => format!("did you mean `{known}`?"),
                None => format!("the keys allowed here are {}", quoted_list(allowed)),
            },
            ProblemKind::InvalidId { .. } => {
                "use 1 to 64 letters, digits, `-`, `_` or `.`, e.g. `endpoint-types`".into()
            }
            ProblemKind::InvalidFileNameId { .. } => {
                "set `id = \"...\"` under [deck], or rename the file".into()
            }
            ProblemKind::DuplicateCardId { .. } => {
                "give one of the two cards another `id` (ids are unique within a deck)".into()
            }
            ProblemKind::InvalidTag { .. } => {
                "tags are non-empty and contain no spaces, e.g. \"mapping-templates\"".into()
            }
            ProblemKind::RepeatedDeck { .. } => "merge the two [deck] tables into one".into(),
            ProblemKind::NoCards => {
                "add at least one card: a [[cards]] table with `front` and `back`".into()
            }
            ProblemKind::Cloze { error, .. } => error.kind.help().into(),
            ProblemKind::Conflict { key, other, .. } => match (*key, *other) {
                ("cloze", "front") => {
                    "a cloze card has `cloze` (and an optional `back`); a basic card has `front` and `back`: keep one of the two".into()
                }
                ("reverse", _) => {
                    "a cloze card makes one card per deletion and has no reverse: remove `reverse`".into()
                }
                _ => format!("remove `{key}` or `{other}`"),
            },
            ProblemKind::Key { error, .. } => match error {
                KeyError::Reserved { .. } => {
                    "choose an id that does not end in `.reverse` or `.c` and a number".into()
                }
                KeyError::TooLong { .. } => "choose a shorter `id` for this card".into(),
                KeyError::Duplicate { .. } => {
                    "give one of the two cards another `id` (ids are unique within a deck)".into()
                }
                KeyError::Cloze(error) => error.kind.help().into(),
            },
        }
    }
}

/// The allowed key closest to a misspelt one, if any is close. Optimal
/// string alignment counts a swap of neighbours as one edit (`bakc`).
pub fn suggest_key(key: &str, allowed: &[&'static str]) -> Option<&'static str> {
    allowed
        .iter()
        .map(|known| (strsim::osa_distance(key, known), *known))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, known)| known)
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A problem and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub position: Position,
    pub kind: ProblemKind,
}

impl Problem {
    pub fn new(position: Position, kind: ProblemKind) -> Self {
        Self { position, kind }
    }
}

/// Why a deck file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DeckError {
    #[error("{}: no such file; check the path", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: is a directory, not a deck file; give the path of a .toml file", path.display())]
    IsDirectory { path: PathBuf },
    #[error(
        "{}: a folder-sync tool's conflict copy of a deck; it is not loaded\n  help: compare it with the deck it copies, keep what you want in that one, and delete this file",
        path.display()
    )]
    ConflictCopy { path: PathBuf },
    /// The cause is in the message (not a `source`), so a warning printed
    /// on its own still says why.
    #[error("{}: cannot read it: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The file was read but its content is wrong; `problems` is never empty.
    #[error("{}", render_problems(origin, problems))]
    Invalid {
        origin: String,
        problems: Vec<Problem>,
    },
    #[error(
        "two decks have the id `{id}`: {first} and {second}; change `id` under [deck] in one of them"
    )]
    DuplicateDeck {
        id: String,
        first: String,
        second: String,
    },
}

impl DeckError {
    /// Classifies an I/O error from reading `path`.
    pub fn from_io(path: &Path, source: std::io::Error) -> Self {
        let path = path.to_path_buf();
        match source.kind() {
            std::io::ErrorKind::NotFound => DeckError::NotFound { path },
            std::io::ErrorKind::IsADirectory => DeckError::IsDirectory { path },
            _ => DeckError::Io {
                path,
                error: source,
            },
        }
    }
}

/// `origin:line:column: what is wrong` then an indented `help:` line, per problem.
fn render_problems(origin: &str, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| {
            format!(
                "{origin}:{}: {}\n  help: {}",
                p.position,
                p.kind,
                p.kind.help()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nçd\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(3), Position { line: 2, column: 1 });
        // `ç` is two bytes but one column.
        assert_eq!(index.position(5), Position { line: 2, column: 2 });
        assert_eq!(index.position(7), Position { line: 3, column: 1 });
        assert_eq!(index.position(99), Position { line: 4, column: 2 });
    }

    #[test]
    fn utf8_errors_point_at_the_bad_byte() {
        let bytes: Vec<u8> = b"line one\nok \xff bad".to_vec();
        let err = String::from_utf8(bytes.clone()).unwrap_err().utf8_error();
        assert_eq!(
            utf8_error_position(&bytes, err.valid_up_to()),
            Position { line: 2, column: 4 }
        );
    }

    #[test]
    fn suggests_the_nearest_key() {
        assert_eq!(suggest_key("bakc", &["front", "back"]), Some("back"));
        assert_eq!(suggest_key("fornt", &["front", "back"]), Some("front"));
        assert_eq!(suggest_key("colour", &["front", "back"]), None);
    }
}
