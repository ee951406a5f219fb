//! Importing decks from files made elsewhere: our TOML, Anki's "Notes in
//! Plain Text" export (CSV/TSV), and Markdown (`docs/import-export.md`).
//!
//! [`read`] turns a file's bytes into decks, every row it could not use
//! listed with its position and reason. It never touches the disk: the
//! caller decides where the decks go ([`changes`]) and writes them.

pub mod anki_text;
pub mod changes;
pub mod html;
pub mod ids;
pub mod markdown;

use std::fmt;
use std::path::Path;

use crate::deck::{
    Deck, DeckError, DeckId, IdError, LineIndex, Note, NoteError, Position, Problem, ProblemKind,
    toml_format,
};
pub use changes::{Changes, Existing, Refusal, Target, compare, decide};
pub use ids::{card_id_from_guid, deck_id_from_name};

/// The formats recall imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Our own deck format (`docs/deck-format.md`).
    Toml,
    /// Anki's "Notes in Plain Text"; the separator comes from a
    /// `#separator:` line or is guessed from the first row.
    Csv,
    /// The same, with tab as the separator unless a `#separator:` line
    /// says otherwise.
    Tsv,
    /// A `# Deck` title and one `## question` heading per card.
    Markdown,
}

impl Format {
    /// The format a file's extension suggests: `.toml`; `.csv` and `.txt`
    /// (Anki's text exports); `.tsv`; `.md` and `.markdown`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "toml" => Format::Toml,
            "csv" | "txt" => Format::Csv,
            "tsv" => Format::Tsv,
            "md" | "markdown" => Format::Markdown,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Toml => "TOML",
            Format::Csv => "CSV",
            Format::Tsv => "TSV",
            Format::Markdown => "Markdown",
        }
    }
}

/// What the user asked for besides the file.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub format: Format,
    /// `--deck-id`: every card goes into this one deck.
    pub deck_id: Option<DeckId>,
    /// `--name`: the deck's name.
    pub name: Option<String>,
}

/// A deck as a source file describes it, before its id and name are settled.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceDeck {
    /// The name the source gives (an Anki deck, a Markdown title).
    pub name: Option<String>,
    /// The id the source sets itself.
    pub id: Option<DeckId>,
    /// Otherwise the id is made from this name (an Anki deck's); `None`:
    /// from the file name.
    pub id_from: Option<String>,
    pub description: String,
    pub notes: Vec<Note>,
}

/// What reading a file gave.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The decks, in the order the source first names them; never empty
    /// decks, but possibly no deck at all if every row was skipped.
    pub decks: Vec<Deck>,
    /// Rows or cards that were left out, in file order.
    pub skipped: Vec<Skipped>,
    /// Things worth knowing that did not stop a row.
    pub remarks: Vec<Remark>,
    /// How the file was read, e.g. "Anki text, tab-separated, HTML".
    pub summary: String,
    /// How many rows or cards the source holds, skipped ones included.
    pub entries: usize,
    /// What the source calls an entry: "row" or "card".
    pub entry: &'static str,
}

/// A row (CSV) or card (Markdown) that was not imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub position: Position,
    pub reason: SkipReason,
}

/// Why a row or card was left out.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SkipReason {
    #[error("the front is empty")]
    EmptyFront,
    #[error("the back is empty")]
    EmptyBack,
    #[error("the row has only {fields} field{} and no back (the separator is {separator})", if *fields == 1 { "" } else { "s" })]
    NoBack { fields: usize, separator: String },
    #[error("card id `{id}` is already used by the card at line {first_line}")]
    DuplicateId {
        id: String,
        first_line: usize,
        /// The id was derived from the front, not given.
        derived: bool,
    },
    #[error("invalid card id: {error}")]
    InvalidId { error: IdError },
    #[error("the quoted field that starts here is never closed")]
    UnterminatedQuote,
    #[error("the quoted field that starts here ends at line {}, column {}, and text follows its closing quote", at.line, at.column)]
    TextAfterQuote { at: Position },
    #[error("the cloze text is invalid: {error}")]
    BadCloze {
        error: crate::deck::cloze::ClozeError,
    },
    #[error("the question is empty")]
    EmptyQuestion,
    #[error("the card has no answer")]
    NoAnswer,
}

impl SkipReason {
    /// How to fix it, in one sentence.
    pub fn help(&self) -> String {
        match self {
            SkipReason::EmptyFront => "write the question in the front field, or delete the row".into(),
            SkipReason::EmptyBack => "write the answer in the back field, or delete the row".into(),
            SkipReason::NoBack { separator, .. } => format!(
                "put the answer after a {separator}, or name the file's separator with a `#separator:` line at the top"
            ),
            SkipReason::DuplicateId { derived: true, .. } => {
                "a card without an id of its own gets one from its front: make the fronts differ, or give the cards ids (a guid column, or `<!-- id: ... -->` in Markdown)".into()
            }
            SkipReason::DuplicateId { derived: false, .. } => {
                "give one of the two cards another id (ids are unique within a deck)".into()
            }
            SkipReason::InvalidId { .. } => {
                "use 1 to 64 letters, digits, `-`, `_` or `.`, e.g. `endpoint-types`".into()
            }
            SkipReason::UnterminatedQuote => {
                "end the field with `\"` (a quote inside a quoted field is written `\"\"`); the lines after this one were read as rows again".into()
            }
            SkipReason::TextAfterQuote { .. } => {
                "quote the whole field and write each quote inside it as `\"\"`, or remove the stray quote".into()
            }
            SkipReason::BadCloze { error } => error.kind.help().into(),
            SkipReason::EmptyQuestion => "write the question after `## `".into(),
            SkipReason::NoAnswer => {
                "write the answer under the heading, before the next `## `".into()
            }
        }
    }
}

/// A remark about the file as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Remark {
    pub position: Position,
    pub kind: RemarkKind,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RemarkKind {
    #[error(
        "{rows} row{} had more fields than the {used} read ({fields} here); the extra fields were dropped",
        if *rows == 1 { "" } else { "s" }
    )]
    ExtraFields {
        fields: usize,
        used: usize,
        rows: usize,
    },
    #[error("`#separator:{value}` names no separator recall knows; guessed {guessed} instead")]
    UnknownSeparator { value: String, guessed: String },
    #[error("`#html:{value}` is neither true nor false; ignored")]
    BadHtml { value: String },
    #[error("`#{key}:{value}` is not a column number (columns count from 1); ignored")]
    BadColumn { key: String, value: String },
    #[error(
        "{rows} row{} of note type `{notetype}` were read as Basic cards (their first two fields)",
        if *rows == 1 { "" } else { "s" }
    )]
    OtherNotetype { notetype: String, rows: usize },
    #[error("the first row ({labels}) is read as column names, not as a card")]
    HeaderRow { labels: String },
}

impl RemarkKind {
    pub fn help(&self) -> String {
        match self {
            RemarkKind::ExtraFields { .. } => {
                "to read other columns, name them with a `#columns:` line (`Front` and `Back`)"
                    .into()
            }
            RemarkKind::UnknownSeparator { .. } => {
                "write tab, comma, semicolon, pipe, space, colon or a single character".into()
            }
            RemarkKind::BadHtml { .. } => "write `#html:true` or `#html:false`".into(),
            RemarkKind::BadColumn { .. } => {
                "write the column's number, e.g. `#tags column:3`".into()
            }
            RemarkKind::OtherNotetype { .. } => {
                "recall knows Basic, the reversed and type-in-the-answer Basic types, and Cloze; check these cards after the import".into()
            }
            RemarkKind::HeaderRow { .. } => {
                "to import that row as a card, put a `#columns:` line above it".into()
            }
        }
    }
}

/// A problem that stops the whole file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileProblem {
    #[error("invalid deck id: {error}")]
    InvalidDeckId { error: IdError },
}

impl FileProblem {
    pub fn help(&self) -> String {
        match self {
            FileProblem::InvalidDeckId { .. } => {
                "use 1 to 64 letters, digits, `-`, `_` or `.`, or pass --deck-id".into()
            }
        }
    }
}

/// Why a file could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "{origin}: is a zip archive, such as an Anki package (.apkg); recall imports Anki's text export instead\n  help: in Anki, choose File > Export, \"Notes in Plain Text\", and import the .txt file it writes"
    )]
    Archive { origin: String },
    #[error(
        "{origin}: is an SQLite database, such as an Anki collection; recall imports Anki's text export instead\n  help: in Anki, choose File > Export, \"Notes in Plain Text\", and import the .txt file it writes"
    )]
    Database { origin: String },
    #[error(
        "{origin}: is UTF-16 text, which recall does not read\n  help: save it as UTF-8 (e.g. \"Save As\" in a text editor) and import it again"
    )]
    Utf16 { origin: String },
    #[error(
        "{origin}:{position}: a NUL byte: this is a binary file, not {format} text\n  help: check the file name, or pass --format if the extension is misleading"
    )]
    Binary {
        origin: String,
        position: Position,
        format: &'static str,
    },
    #[error(
        "{origin}:{position}: the file is not valid UTF-8 (byte 0x{byte:02X})\n  help: save the file as UTF-8 (Anki's exports always are) and import it again"
    )]
    NotUtf8 {
        origin: String,
        position: Position,
        byte: u8,
    },
    /// A TOML deck with problems, reported exactly as `recall check` does.
    #[error(transparent)]
    Toml(DeckError),
    #[error("{origin}:{position}: {problem}\n  help: {}", problem.help())]
    Invalid {
        origin: String,
        position: Position,
        problem: FileProblem,
    },
    #[error(
        "--name gives one deck a name, but {origin} holds {} decks ({})\n  help: pass --deck-id too, to import them all into one deck",
        ids.len(),
        ids.join(", ")
    )]
    NameNeedsOneDeck { origin: String, ids: Vec<String> },
    #[error(
        "{origin}: the decks \"{first}\" and \"{second}\" would both get the id `{id}`\n  help: rename one of them, or import them into one deck with --deck-id"
    )]
    DeckIdClash {
        origin: String,
        id: String,
        first: String,
        second: String,
    },
    #[error(
        "{origin}: {error}\n  help: give the note an id that does not end in `.reverse` or `.c` and a number"
    )]
    Note { origin: String, error: NoteError },
}

/// A file's text, or why it is not text we can read.
fn decode<'a>(bytes: &'a [u8], origin: &str, format: Format) -> Result<&'a str, ImportError> {
    let origin = || origin.to_owned();
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(ImportError::Archive { origin: origin() });
    }
    if bytes.starts_with(b"SQLite format 3\0") {
        return Err(ImportError::Database { origin: origin() });
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ImportError::Utf16 { origin: origin() });
    }
    // Like git: a NUL early on means binary, whatever the encoding says.
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(nul) = head.iter().position(|&b| b == 0) {
        let before = String::from_utf8_lossy(&bytes[..nul]);
        return Err(ImportError::Binary {
            origin: origin(),
            position: LineIndex::new(&before).position(before.len()),
            format: format.name(),
        });
    }
    let (valid, error) = match std::str::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            // The prefix up to the error is valid by definition.
            let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
            (valid, Some(error))
        }
    };
    // A NUL byte says "binary" more clearly than an encoding error after it.
    if let Some(nul) = valid.find('\0') {
        return Err(ImportError::Binary {
            origin: origin(),
            position: LineIndex::new(valid).position(nul),
            format: format.name(),
        });
    }
    let Some(error) = error else {
        return Ok(valid);
    };
    let position = LineIndex::new(valid).position(valid.len());
    if format == Format::Toml {
        // Word for word what `recall check` says.
        return Err(ImportError::Toml(DeckError::Invalid {
            origin: origin(),
            problems: vec![Problem::new(position, ProblemKind::NotUtf8)],
        }));
    }
    Err(ImportError::NotUtf8 {
        origin: origin(),
        position,
        byte: bytes[error.valid_up_to()],
    })
}

/// Reads a file's bytes as `options.format`. `origin` names the file in
/// messages; `file_stem` is the default deck name (its file name without the
/// extension).
pub fn read(
    bytes: &[u8],
    origin: &str,
    file_stem: &str,
    options: &ReadOptions,
) -> Result<Imported, ImportError> {
    let text = decode(bytes, origin, options.format)?;
    let invalid = |(position, problem)| ImportError::Invalid {
        origin: origin.to_owned(),
        position,
        problem,
    };
    let source = match options.format {
        Format::Toml => read_toml(text, origin, file_stem, options)?,
        Format::Csv | Format::Tsv => {
            let anki = anki_text::Options {
                tab_by_default: options.format == Format::Tsv,
                one_deck: options.deck_id.is_some(),
            };
            anki_text::read(strip_bom(text), &anki).map_err(invalid)?
        }
        Format::Markdown => markdown::read(strip_bom(text)).map_err(invalid)?,
    };
    settle(source, origin, file_stem, options)
}

/// A reader's result before ids and names are settled.
#[derive(Debug, Clone, Default)]
pub struct SourceFile {
    pub decks: Vec<SourceDeck>,
    pub skipped: Vec<Skipped>,
    pub remarks: Vec<Remark>,
    pub summary: String,
    pub entries: usize,
    /// "row" or "card".
    pub entry: &'static str,
}

/// A file-level problem and where it is.
pub type Located = (Position, FileProblem);

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// TOML is validated exactly as `recall check` does; any problem stops it.
fn read_toml(
    text: &str,
    origin: &str,
    file_stem: &str,
    options: &ReadOptions,
) -> Result<SourceFile, ImportError> {
    let default_id = options.deck_id.as_ref().map_or(file_stem, |id| id.as_str());
    let deck = toml_format::parse(text, default_id).map_err(|problems| {
        ImportError::Toml(DeckError::Invalid {
            origin: origin.to_owned(),
            problems,
        })
    })?;
    Ok(SourceFile {
        entries: deck.notes().len(),
        decks: vec![SourceDeck {
            name: Some(deck.name.clone()),
            id: Some(deck.id.clone()),
            id_from: None,
            description: deck.description.clone(),
            notes: deck.into_notes(),
        }],
        summary: "recall TOML deck".into(),
        entry: "card",
        ..SourceFile::default()
    })
}

/// Gives every deck its id and name: `--deck-id`, else the id the source
/// sets, else one made ([`deck_id_from_name`]) from the Anki deck's name or
/// else the file name. The name is `--name`, else the source's, else the
/// file name.
fn settle(
    source: SourceFile,
    origin: &str,
    file_stem: &str,
    options: &ReadOptions,
) -> Result<Imported, ImportError> {
    let decks: Vec<SourceDeck> = source
        .decks
        .into_iter()
        .filter(|deck| !deck.notes.is_empty())
        .collect();
    if options.name.is_some() && options.deck_id.is_none() && decks.len() > 1 {
        return Err(ImportError::NameNeedsOneDeck {
            origin: origin.to_owned(),
            ids: decks
                .iter()
                .map(|deck| default_name(deck, file_stem))
                .collect(),
        });
    }
    let mut settled: Vec<Deck> = Vec::with_capacity(decks.len());
    for deck in decks {
        let source_name = default_name(&deck, file_stem);
        let id = match (&options.deck_id, deck.id) {
            (Some(id), _) => id.clone(),
            (None, Some(id)) => id,
            (None, None) => deck_id_from_name(deck.id_from.as_deref().unwrap_or(file_stem)),
        };
        let name = options.name.clone().unwrap_or(source_name);
        let name = match crate::deck::normalize_text(&name) {
            name if name.is_empty() => id.to_string(),
            name => name,
        };
        if let Some(other) = settled.iter().find(|other| other.id == id) {
            return Err(ImportError::DeckIdClash {
                origin: origin.to_owned(),
                id: id.to_string(),
                first: other.name.clone(),
                second: name,
            });
        }
        let description = crate::deck::normalize_text(&deck.description);
        let deck =
            Deck::new(id, name, description, deck.notes).map_err(|error| ImportError::Note {
                origin: origin.to_owned(),
                error,
            })?;
        settled.push(deck);
    }
    Ok(Imported {
        decks: settled,
        skipped: source.skipped,
        remarks: source.remarks,
        summary: source.summary,
        entries: source.entries,
        entry: source.entry,
    })
}

fn default_name(deck: &SourceDeck, file_stem: &str) -> String {
    deck.name.clone().unwrap_or_else(|| file_stem.to_owned())
}

/// `origin:line:column: what` lines, each followed by its `help:` line the
/// first time that help applies, so a thousand empty backs do not print a
/// thousand identical hints.
#[derive(Debug)]
pub struct SkippedReport<'a> {
    pub origin: &'a str,
    pub skipped: &'a [Skipped],
}

impl fmt::Display for SkippedReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut helps: Vec<String> = Vec::new();
        for skipped in self.skipped {
            writeln!(
                f,
                "{}:{}: {}",
                self.origin, skipped.position, skipped.reason
            )?;
            let help = skipped.reason.help();
            if !helps.contains(&help) {
                writeln!(f, "  help: {help}")?;
                helps.push(help);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(format: Format) -> ReadOptions {
        ReadOptions {
            format,
            deck_id: None,
            name: None,
        }
    }

    fn read_str(text: &str, format: Format) -> Result<Imported, ImportError> {
        read(text.as_bytes(), "f", "my file", &options(format))
    }

    #[test]
    fn decks_get_ids_from_names_and_the_file_name() {
        let imported = read_str(
            "#deck column:1\nGeo::Capitals\tq\ta\n\tq2\ta2\n",
            Format::Tsv,
        )
        .unwrap();
        let ids: Vec<(&str, &str)> = imported
            .decks
            .iter()
            .map(|d| (d.id.as_str(), d.name.as_str()))
            .collect();
        assert_eq!(
            ids,
            [("geo.capitals", "Geo::Capitals"), ("my-file", "my file")]
        );
    }

    #[test]
    fn two_decks_with_one_id_are_refused() {
        let error = read_str("#deck column:1\nC++\tq\ta\nC#\tq\ta\n", Format::Tsv).unwrap_err();
        assert_eq!(
            error.to_string(),
            "f: the decks \"C++\" and \"C#\" would both get the id `c`\n  help: rename one of them, or import them into one deck with --deck-id"
        );
        let one = ReadOptions {
            deck_id: Some(DeckId::new("langs").unwrap()),
            ..options(Format::Tsv)
        };
        let imported = read(b"#deck column:1\nC++\tq\ta\nC#\tq2\ta\n", "f", "f", &one).unwrap();
        assert_eq!(imported.decks.len(), 1);
        assert_eq!(
            imported.decks[0].name, "f",
            "the rows disagree, so the file name"
        );
    }

    #[test]
    fn deck_id_and_name_options_win() {
        let with = ReadOptions {
            format: Format::Toml,
            deck_id: Some(DeckId::new("other").unwrap()),
            name: Some("  Named  ".into()),
        };
        let text = "[deck]\nid = \"own\"\n[[cards]]\nfront = 'q'\nback = 'a'\n";
        let deck = &read(text.as_bytes(), "f", "bad name!", &with)
            .unwrap()
            .decks[0];
        assert_eq!((deck.id.as_str(), deck.name.as_str()), ("other", "Named"));
        // Without --deck-id, a TOML file name that is no id is an error, as
        // in `recall check`; --deck-id makes it the default instead.
        let text = "[[cards]]\nfront = 'q'\nback = 'a'\n";
        assert!(read(text.as_bytes(), "f", "bad name!", &options(Format::Toml)).is_err());
        assert!(read(text.as_bytes(), "f", "bad name!", &with).is_ok());
    }

    #[test]
    fn encoding_problems_have_positions() {
        let error = read(b"ok\nb\xC3(", "f", "f", &options(Format::Csv)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "f:2:2: the file is not valid UTF-8 (byte 0xC3)\n  help: save the file as UTF-8 (Anki's exports always are) and import it again"
        );
        // TOML says it as `recall check` does.
        let error = read(b"a\n\xFF", "f", "f", &options(Format::Toml)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "f:2:1: the file is not valid UTF-8\n  help: save the file as UTF-8"
        );
        let error = read(b"q,a\n\x00", "f", "f", &options(Format::Markdown)).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("f:2:1: a NUL byte: this is a binary file, not Markdown text")
        );
    }
}
