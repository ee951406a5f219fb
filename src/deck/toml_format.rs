//! The TOML deck format (see `docs/deck-format.md`): reading with every
//! problem located, and writing back.
//!
//! Reading walks toml's span-keeping document tree by hand instead of using
//! serde, so that one pass reports *every* problem (not just the first), each
//! at the exact key or value it concerns.
//!
//! toml builds all tokens and events of a document before its tree, about
//! 15 bytes of memory per byte of input. So the reader first finds the
//! top-level sections (`[deck]`, each `[[cards]]`) with toml's streaming
//! lexer and parses them one at a time: a 15 MB deck then needs tens of MB,
//! not hundreds. Checks that span sections (a repeated `[deck]`, a repeated
//! card id) are the reader's job.
//!
//! `[deck]` may also hold `imported_from`, written by `recall import` to
//! remember which file a deck came from; [`parse_file`] and [`write_file`]
//! carry it, while [`parse`] and [`write`] deal in the deck alone.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};
use toml_parser::lexer::TokenKind;

use super::{
    CardId, Deck, DeckId, IdError, KeyError, LineIndex, Note, NoteContent, Place, Position,
    Problem, ProblemKind, TypeAnswer, cloze, derived_card_id, is_valid_tag, normalize_text,
    reserved_suffix,
};

const TOP_KEYS: &[&str] = &["deck", "cards"];
/// The `[deck]` keys people write; `imported_from` is matched too, but left
/// out of "did you mean" help since `recall import` writes it.
const DECK_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "reverse",
    "type_answer_ignore_case",
];
const CARD_KEYS: &[&str] = &[
    "id",
    "front",
    "back",
    "cloze",
    "reverse",
    "type_answer",
    "type_answer_ignore_case",
    "tags",
];
const CARDS_TYPE: &str = "an array of tables ([[cards]])";

type Key<'i> = Spanned<std::borrow::Cow<'i, str>>;

/// A deck as stored in a file: the deck, and where `recall import` took it
/// from (`None` for a deck written by hand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckFile {
    pub deck: Deck,
    /// The absolute path of the imported file, as `[deck] imported_from`.
    pub imported_from: Option<String>,
}

/// Parses a deck file's text. `default_id` (usually the file name without
/// `.toml`) is the deck id when `[deck]` sets none.
pub fn parse(text: &str, default_id: &str) -> Result<Deck, Vec<Problem>> {
    parse_file(text, default_id).map(|file| file.deck)
}

/// Like [`parse`], keeping `imported_from` as well.
pub fn parse_file(text: &str, default_id: &str) -> Result<DeckFile, Vec<Problem>> {
    read(text, default_id, None)
}

/// [`parse_file`] and the card text warnings of the file (see
/// [`TextWarning`]), in one pass over it: what `recall check` reports.
pub fn parse_checked(
    text: &str,
    default_id: &str,
) -> (Result<DeckFile, Vec<Problem>>, Vec<TextWarning>) {
    let mut warnings = Vec::new();
    let file = read(text, default_id, Some(&mut warnings));
    (file, warnings)
}

/// Reads a deck file section by section, each parsed once; with
/// `warnings`, also lints each card's text.
fn read(
    text: &str,
    default_id: &str,
    mut warnings: Option<&mut Vec<TextWarning>>,
) -> Result<DeckFile, Vec<Problem>> {
    let lines = LineIndex::new(text);
    let mut reader = Reader::new(&lines);
    let mut cards_linted = 0;
    for section in sections(text) {
        reader.offset = section.start;
        match DeTable::parse(&text[section]) {
            Ok(root) => {
                if let Some(warnings) = warnings.as_deref_mut() {
                    let at = Linting {
                        text,
                        lines: &lines,
                        offset: reader.offset,
                    };
                    at.lint_section(root.get_ref(), &mut cards_linted, warnings);
                }
                reader.section(root.get_ref());
            }
            Err(error) => reader.syntax_error(&error),
        }
    }
    reader.finish(default_id)
}

/// A warning about a card's text (see [`crate::markup::lint`]), where it is
/// in the deck file.
///
/// Positions are exact for multi-line strings (`"""` and `'''`) and on the
/// first line of any string; a later line of a one-line string with `\n`
/// escapes is reported at the string's start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextWarning {
    pub position: Position,
    pub place: Place,
    pub field: &'static str,
    pub message: String,
}

/// One section of a file being linted.
struct Linting<'t> {
    text: &'t str,
    lines: &'t LineIndex<'t>,
    /// Where the section starts in `text`.
    offset: usize,
}

impl Linting<'_> {
    /// Lints the cards of one section; `cards` counts cards across sections.
    fn lint_section(&self, root: &DeTable<'_>, cards: &mut usize, out: &mut Vec<TextWarning>) {
        let Some(DeValue::Array(items)) = root.get("cards").map(Spanned::get_ref) else {
            return;
        };
        for item in items.iter() {
            *cards += 1;
            let DeValue::Table(table) = item.get_ref() else {
                continue;
            };
            for field in ["front", "back"] {
                let Some(value) = table.get(field) else {
                    continue;
                };
                let DeValue::String(string) = value.get_ref() else {
                    continue;
                };
                let start = self.offset + value.span().start;
                for warning in crate::markup::lint::lint(string) {
                    out.push(TextWarning {
                        position: position_in_string(self.text, self.lines, start, &warning),
                        place: Place::Card(*cards),
                        field,
                        message: warning.message,
                    });
                }
            }
        }
    }
}

/// Where a line and column of a string value's text is in the file, for
/// the string starting (at its quote) at byte `start`.
fn position_in_string(
    text: &str,
    lines: &LineIndex<'_>,
    start: usize,
    warning: &crate::markup::lint::TextWarning,
) -> Position {
    let at = lines.position(start);
    let raw = text.get(start..).unwrap_or("");
    let multi_line = raw.starts_with("\"\"\"") || raw.starts_with("'''");
    if multi_line {
        let after = &raw[3..];
        if after.starts_with('\n') || after.starts_with("\r\n") {
            return Position {
                line: at.line + warning.line,
                column: warning.column,
            };
        }
        return match warning.line {
            1 => Position {
                line: at.line,
                column: at.column + 3 + warning.column - 1,
            },
            n => Position {
                line: at.line + n - 1,
                column: warning.column,
            },
        };
    }
    match warning.line {
        1 => Position {
            line: at.line,
            column: at.column + warning.column,
        },
        _ => at,
    }
}

/// The byte ranges of the document's top-level sections: what comes before
/// the first table header, then each `[table]` or `[[array]]` header with the
/// lines under it.
///
/// A header is a `[` that starts a line outside any value; arrays and inline
/// tables are tracked by bracket depth, and strings are single tokens, so a
/// `[` inside either never splits. In broken TOML the depth may never return
/// to zero: the rest is then one section and toml reports the error.
fn sections(text: &str) -> Vec<Range<usize>> {
    let mut starts = vec![0];
    let mut line_start = true;
    let mut in_header = false;
    let mut depth = 0usize;
    for token in toml_parser::Source::new(text).lex() {
        match token.kind() {
            TokenKind::Whitespace | TokenKind::Comment => {}
            TokenKind::Newline => {
                if depth == 0 {
                    line_start = true;
                    in_header = false;
                }
            }
            TokenKind::LeftSquareBracket if line_start && depth == 0 => {
                starts.push(token.span().start());
                in_header = true;
                line_start = false;
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket if !in_header => {
                depth += 1;
                line_start = false;
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket if !in_header => {
                depth = depth.saturating_sub(1);
                line_start = false;
            }
            _ => line_start = false,
        }
    }
    starts.push(text.len());
    starts.windows(2).map(|w| w[0]..w[1]).collect()
}

/// A card entry without its id, which the caller reads and checks for
/// repeats. Deck-wide defaults are applied when the file has been read.
struct CardText {
    content: Content,
    /// `reverse` as written on the card, if it is.
    reverse: Option<bool>,
    type_answer: bool,
    ignore_case: Option<bool>,
    tags: Vec<String>,
}

enum Content {
    Basic { front: String, back: String },
    Cloze { text: String, extra: String },
}

impl Content {
    /// The text an id is derived from.
    fn first_text(&self) -> &str {
        match self {
            Content::Basic { front, .. } => front,
            Content::Cloze { text, .. } => text,
        }
    }
}

/// A read card entry, waiting for the deck-wide defaults.
struct PendingNote {
    id: CardId,
    /// Where the id is (or the entry, for a derived id), for key problems.
    at: Position,
    place: Place,
    text: CardText,
}

/// The `[deck]` table as read.
struct DeckMeta {
    /// Where `[deck]` is, to point at a second one.
    at: Position,
    id: IdField,
    name: Option<String>,
    description: String,
    imported_from: Option<String>,
    /// `reverse` for cards that do not set it.
    reverse: bool,
    /// `type_answer_ignore_case` for cards that do not set it.
    ignore_case: bool,
}

enum IdField {
    Absent,
    /// Present but wrong; already reported.
    Invalid,
    Valid(DeckId),
}

/// Reads sections one by one, collecting the deck and every problem.
struct Reader<'a> {
    lines: &'a LineIndex<'a>,
    /// Where the current section starts: toml's spans are relative to it.
    offset: usize,
    problems: Vec<Problem>,
    meta: Option<DeckMeta>,
    notes: Vec<PendingNote>,
    /// Card entries seen, valid or not, to number them in messages.
    entries_seen: usize,
    first_seen: HashMap<CardId, Position>,
    /// Where `cards` is, to point at it if it holds no cards.
    cards_at: Option<Position>,
}

/// A table's entries in file order (toml's map does not keep it).
fn entries<'t, 'i>(table: &'t DeTable<'i>) -> Vec<(&'t Key<'i>, &'t Spanned<DeValue<'i>>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

impl<'a> Reader<'a> {
    fn new(lines: &'a LineIndex<'a>) -> Self {
        Self {
            lines,
            offset: 0,
            problems: Vec::new(),
            meta: None,
            notes: Vec::new(),
            entries_seen: 0,
            first_seen: HashMap::new(),
            cards_at: None,
        }
    }

    fn position(&self, span: &Range<usize>) -> Position {
        self.lines.position(self.offset + span.start)
    }

    fn report(&mut self, span: Range<usize>, kind: ProblemKind) {
        let position = self.position(&span);
        self.problems.push(Problem::new(position, kind));
    }

    fn syntax_error(&mut self, error: &toml::de::Error) {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_owned();
        self.report(span, ProblemKind::Syntax { message });
    }

    fn section(&mut self, root: &DeTable<'_>) {
        for (key, value) in entries(root) {
            match key.get_ref().as_ref() {
                "deck" => self.deck_table(key, value),
                "cards" => self.cards(value),
                _ => {
                    self.unknown_key(Place::File, key, TOP_KEYS);
                }
            }
        }
    }

    fn finish(mut self, default_id: &str) -> Result<DeckFile, Vec<Problem>> {
        let meta = self.meta.take();
        let (id, name, description, imported_from, reverse, ignore_case) = match meta {
            Some(meta) => (
                meta.id,
                meta.name,
                meta.description,
                meta.imported_from,
                meta.reverse,
                meta.ignore_case,
            ),
            None => (IdField::Absent, None, String::new(), None, false, true),
        };
        let id = match id {
            IdField::Valid(id) => Some(id),
            IdField::Absent => self.default_deck_id(default_id),
            IdField::Invalid => None,
        };
        if self.notes.is_empty() && self.problems.is_empty() {
            let position = self.cards_at.unwrap_or(Position::START);
            self.problems
                .push(Problem::new(position, ProblemKind::NoCards));
        }
        let mut notes = Vec::with_capacity(self.notes.len());
        for pending in std::mem::take(&mut self.notes) {
            let text = pending.text;
            let content = match text.content {
                Content::Basic { front, back } => NoteContent::Basic {
                    front,
                    back,
                    reverse: text.reverse.unwrap_or(reverse),
                },
                Content::Cloze { text, extra } => NoteContent::Cloze { text, extra },
            };
            let note = Note {
                id: pending.id,
                content,
                tags: text.tags,
                type_answer: text.type_answer.then(|| TypeAnswer {
                    ignore_case: text.ignore_case.unwrap_or(ignore_case),
                }),
            };
            // Cloze text was checked when read; what is left is the keys.
            match note.cards() {
                Err(error @ (KeyError::Reserved { .. } | KeyError::TooLong { .. })) => {
                    self.problems.push(Problem::new(
                        pending.at,
                        ProblemKind::Key {
                            place: pending.place,
                            error,
                        },
                    ));
                }
                _ => notes.push(note),
            }
        }
        match id {
            Some(id) if self.problems.is_empty() => {
                let name = name.unwrap_or_else(|| id.to_string());
                match Deck::new(id, name, description, notes) {
                    Ok(deck) => Ok(DeckFile {
                        deck,
                        imported_from,
                    }),
                    Err(error) => Err(vec![Problem::new(
                        Position::START,
                        ProblemKind::Key {
                            place: Place::Card(error.index + 1),
                            error: error.error,
                        },
                    )]),
                }
            }
            _ => {
                self.problems.sort_by_key(|p| p.position);
                Err(self.problems)
            }
        }
    }

    fn deck_table(&mut self, key: &Key<'_>, value: &Spanned<DeValue<'_>>) {
        let at = self.position(&key.span());
        if let Some(first) = self.meta.as_ref().map(|meta| meta.at) {
            self.report(key.span(), ProblemKind::RepeatedDeck { first });
            return;
        }
        if let Some(table) = self.table(Place::File, key, value) {
            let meta = self.deck_meta(table, at);
            self.meta = Some(meta);
        }
    }

    fn deck_meta(&mut self, table: &DeTable<'_>, at: Position) -> DeckMeta {
        let mut meta = DeckMeta {
            at,
            id: IdField::Absent,
            name: None,
            description: String::new(),
            imported_from: None,
            reverse: false,
            ignore_case: true,
        };
        for (key, value) in entries(table) {
            match key.get_ref().as_ref() {
                "id" => {
                    meta.id = match self.id(Place::Deck, "id", value, DeckId::new) {
                        Some(id) => IdField::Valid(id),
                        None => IdField::Invalid,
                    }
                }
                "name" => meta.name = self.text(Place::Deck, key, value, "name"),
                "description" => {
                    let description = self.string(Place::Deck, key.get_ref(), value);
                    meta.description = normalize_text(&description.unwrap_or_default());
                }
                "imported_from" => {
                    meta.imported_from = self.text(Place::Deck, key, value, "imported_from");
                }
                "reverse" => {
                    meta.reverse = self.boolean(Place::Deck, key, value).unwrap_or(false);
                }
                "type_answer_ignore_case" => {
                    meta.ignore_case = self.boolean(Place::Deck, key, value).unwrap_or(true);
                }
                _ => {
                    self.unknown_key(Place::Deck, key, DECK_KEYS);
                }
            }
        }
        meta
    }

    fn default_deck_id(&mut self, default_id: &str) -> Option<DeckId> {
        DeckId::new(default_id)
            .map_err(|error| {
                self.problems.push(Problem::new(
                    Position::START,
                    ProblemKind::InvalidFileNameId {
                        stem: default_id.to_owned(),
                        error,
                    },
                ));
            })
            .ok()
    }

    fn cards(&mut self, value: &Spanned<DeValue<'_>>) {
        if self.cards_at.is_none() {
            self.cards_at = Some(self.position(&value.span()));
        }
        let Some(items) = self.array(Place::File, "cards", value, CARDS_TYPE) else {
            return;
        };
        for item in items.iter() {
            self.entries_seen += 1;
            let place = Place::Card(self.entries_seen);
            let DeValue::Table(table) = item.get_ref() else {
                self.report(
                    item.span(),
                    ProblemKind::WrongType {
                        place: Place::File,
                        key: "cards".into(),
                        expected: CARDS_TYPE,
                        found: item.get_ref().type_str(),
                    },
                );
                continue;
            };
            let explicit_id = table.get("id").map(|value| {
                let position = self.position(&value.span());
                (self.id(place, "id", value, CardId::new), position)
            });
            let card = self.card_text(place, table, item.span());
            // Ids are checked for repeats even when the rest of the card is
            // wrong, so one run of `recall check` reports every problem.
            let (id, position) = match (explicit_id, &card) {
                (Some((Some(id), position)), _) => (id, position),
                (None, Some(card)) => (
                    derived_card_id(card.content.first_text()),
                    self.position(&item.span()),
                ),
                _ => continue,
            };
            if let Some(suffix) = reserved_suffix(id.as_str()) {
                self.problems.push(Problem::new(
                    position,
                    ProblemKind::Key {
                        place,
                        error: KeyError::Reserved {
                            id: id.to_string(),
                            suffix: suffix.to_owned(),
                        },
                    },
                ));
                continue;
            }
            if let Some(first) = self.first_seen.get(&id) {
                self.problems.push(Problem::new(
                    position,
                    ProblemKind::DuplicateCardId {
                        id: id.to_string(),
                        first: *first,
                    },
                ));
                continue;
            }
            self.first_seen.insert(id.clone(), position);
            if let Some(text) = card {
                self.notes.push(PendingNote {
                    id,
                    at: position,
                    place,
                    text,
                });
            }
        }
    }

    /// A card's text and tags (its id is read by the caller).
    fn card_text(
        &mut self,
        place: Place,
        table: &DeTable<'_>,
        header: Range<usize>,
    ) -> Option<CardText> {
        let mut front = None;
        let mut back = None;
        let mut cloze = None;
        let mut reverse = None;
        let mut type_answer = false;
        let mut ignore_case = None;
        let mut tags = Vec::new();
        let mut misspelt = Vec::new();
        let mut broken = false;
        for (key, value) in entries(table) {
            match key.get_ref().as_ref() {
                "id" => {}
                "front" => front = self.text(place, key, value, "front"),
                "back" => back = self.text(place, key, value, "back"),
                "cloze" => {
                    cloze = self.cloze(place, key, value);
                    broken |= cloze.is_none();
                }
                "reverse" => {
                    reverse = self.boolean(place, key, value);
                    broken |= reverse.is_none();
                }
                "type_answer" => {
                    let value = self.boolean(place, key, value);
                    broken |= value.is_none();
                    type_answer = value.unwrap_or(false);
                }
                "type_answer_ignore_case" => {
                    ignore_case = self.boolean(place, key, value);
                    broken |= ignore_case.is_none();
                }
                "tags" => tags = self.tags(place, key, value).unwrap_or_default(),
                _ => misspelt.extend(self.unknown_key(place, key, CARD_KEYS)),
            }
        }
        if let Some(value) = table.get("cloze") {
            let conflicts = [
                ("front", table.get("front").is_some()),
                ("reverse", reverse == Some(true)),
            ];
            for (key, present) in conflicts {
                if present {
                    let span = table.get(key).map_or(value.span(), |v| v.span());
                    let kind = if key == "front" {
                        ProblemKind::Conflict {
                            place,
                            key: "cloze",
                            other: "front",
                        }
                    } else {
                        ProblemKind::Conflict {
                            place,
                            key: "reverse",
                            other: "cloze",
                        }
                    };
                    self.report(span, kind);
                    broken = true;
                }
            }
            if broken {
                return None;
            }
            let extra = match table.get("back") {
                Some(_) => back?,
                None => String::new(),
            };
            return Some(CardText {
                content: Content::Cloze {
                    text: cloze?,
                    extra,
                },
                reverse: None,
                type_answer,
                ignore_case,
                tags,
            });
        }
        for field in ["front", "back"] {
            // `bakc = ...` already says "did you mean `back`?"; saying that
            // `back` is missing too would be noise.
            if table.get(field).is_none() && !misspelt.contains(&field) {
                self.report(header.clone(), ProblemKind::MissingField { place, field });
            }
        }
        if broken {
            return None;
        }
        Some(CardText {
            content: Content::Basic {
                front: front?,
                back: back?,
            },
            reverse,
            type_answer,
            ignore_case,
            tags,
        })
    }

    /// `cloze = "..."`: checked text, with any problem located in the file
    /// where the string allows it (a literal without escapes), else at its
    /// start.
    fn cloze(
        &mut self,
        place: Place,
        key: &Key<'_>,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<String> {
        let raw = self.string(place, key.get_ref(), value)?;
        match cloze::parse(&raw) {
            Ok(_) => {
                let text = normalize_text(&raw);
                if text.is_empty() {
                    self.report(
                        value.span(),
                        ProblemKind::EmptyField {
                            place,
                            field: "cloze",
                        },
                    );
                    return None;
                }
                Some(text)
            }
            Err(error) => {
                let span = value.span();
                let start = self.offset + span.start;
                let source = self
                    .lines
                    .text()
                    .get(start..self.offset + span.end)
                    .unwrap_or("");
                let at = string_offset(source, &raw, error.offset)
                    .map_or(span.start, |i| span.start + i);
                self.report(at..at, ProblemKind::Cloze { place, error });
                None
            }
        }
    }

    fn boolean(
        &mut self,
        place: Place,
        key: &Key<'_>,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<bool> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                let found = other.type_str();
                self.wrong_type(place, key.get_ref(), value.span(), "true or false", found);
                None
            }
        }
    }

    fn tags(
        &mut self,
        place: Place,
        key: &Key<'_>,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<Vec<String>> {
        let items = self.array(place, key.get_ref(), value, "an array of strings")?;
        let mut tags = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(tag) if is_valid_tag(tag) => tags.push(tag.to_string()),
                DeValue::String(tag) => self.report(
                    item.span(),
                    ProblemKind::InvalidTag {
                        place,
                        tag: tag.to_string(),
                    },
                ),
                other => {
                    let found = other.type_str();
                    self.wrong_type(
                        place,
                        key.get_ref(),
                        item.span(),
                        "an array of strings",
                        found,
                    );
                }
            }
        }
        Some(tags)
    }

    /// A required, non-empty text field, normalised.
    fn text(
        &mut self,
        place: Place,
        key: &Key<'_>,
        value: &Spanned<DeValue<'_>>,
        field: &'static str,
    ) -> Option<String> {
        let text = normalize_text(&self.string(place, key.get_ref(), value)?);
        if text.is_empty() {
            self.report(value.span(), ProblemKind::EmptyField { place, field });
            return None;
        }
        Some(text)
    }

    fn id<T>(
        &mut self,
        place: Place,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        make: impl Fn(String) -> Result<T, IdError>,
    ) -> Option<T> {
        let raw = self.string(place, key, value)?;
        make(raw)
            .map_err(|error| self.report(value.span(), ProblemKind::InvalidId { place, error }))
            .ok()
    }

    fn string(&mut self, place: Place, key: &str, value: &Spanned<DeValue<'_>>) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.wrong_type(place, key, value.span(), "a string", other.type_str());
                None
            }
        }
    }

    fn array<'v, 'i>(
        &mut self,
        place: Place,
        key: &str,
        value: &'v Spanned<DeValue<'i>>,
        expected: &'static str,
    ) -> Option<&'v DeArray<'i>> {
        match value.get_ref() {
            DeValue::Array(items) => Some(items),
            other => {
                self.wrong_type(place, key, value.span(), expected, other.type_str());
                None
            }
        }
    }

    fn table<'v, 'i>(
        &mut self,
        place: Place,
        key: &Key<'i>,
        value: &'v Spanned<DeValue<'i>>,
    ) -> Option<&'v DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(table) => Some(table),
            other => {
                let found = other.type_str();
                self.wrong_type(place, key.get_ref(), value.span(), "a table", found);
                None
            }
        }
    }

    fn wrong_type(
        &mut self,
        place: Place,
        key: &str,
        span: Range<usize>,
        expected: &'static str,
        found: &'static str,
    ) {
        let key = key.to_owned();
        self.report(
            span,
            ProblemKind::WrongType {
                place,
                key,
                expected,
                found,
            },
        );
    }

    /// Reports a key that is not allowed here; returns the allowed key it is
    /// probably a misspelling of.
    fn unknown_key(
        &mut self,
        place: Place,
        key: &Key<'_>,
        allowed: &'static [&'static str],
    ) -> Option<&'static str> {
        let suggestion = super::suggest_key(key.get_ref(), allowed);
        let kind = ProblemKind::UnknownKey {
            place,
            key: key.get_ref().to_string(),
            allowed,
        };
        self.report(key.span(), kind);
        suggestion
    }
}

/// Where byte `offset` of a string's value is in its TOML source (quotes
/// included), when the source holds the value as written: a literal or a
/// basic string without escapes. `None` otherwise.
fn string_offset(source: &str, value: &str, offset: usize) -> Option<usize> {
    for quote in ["'''", "\"\"\"", "'", "\""] {
        let Some(body) = source.strip_prefix(quote) else {
            continue;
        };
        // A newline right after an opening triple quote is not part of the value.
        let skip = if quote.len() == 3 {
            body.strip_prefix("\r\n")
                .or_else(|| body.strip_prefix('\n'))
                .map_or(0, |rest| body.len() - rest.len())
        } else {
            0
        };
        let prefix = value.get(..offset)?;
        return body[skip..]
            .starts_with(prefix)
            .then_some(quote.len() + skip + offset);
    }
    None
}

/// The file layout we write: `[deck]` first, then one `[[cards]]` table per
/// card, with multi-line text as readable multi-line strings.
#[derive(Serialize)]
struct Layout<'a> {
    deck: DeckHeader<'a>,
    cards: Vec<CardEntry<'a>>,
}

#[derive(Serialize)]
struct DeckHeader<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    imported_from: Option<&'a str>,
}

#[derive(Serialize)]
struct CardEntry<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    front: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cloze: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    back: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reverse: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    type_answer: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    type_answer_ignore_case: Option<bool>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
}

impl<'a> CardEntry<'a> {
    fn new(note: &'a Note) -> Self {
        let (front, cloze, back, reverse) = match &note.content {
            NoteContent::Basic {
                front,
                back,
                reverse,
            } => (Some(front.as_str()), None, Some(back.as_str()), *reverse),
            NoteContent::Cloze { text, extra } => (
                None,
                Some(text.as_str()),
                (!extra.is_empty()).then_some(extra.as_str()),
                false,
            ),
        };
        CardEntry {
            id: note.id.as_str(),
            front,
            cloze,
            back,
            reverse,
            type_answer: note.type_answer.is_some(),
            // Written only when it differs from the default.
            type_answer_ignore_case: note
                .type_answer
                .filter(|rule| !rule.ignore_case)
                .map(|_| false),
            tags: &note.tags,
        }
    }
}

/// Writes a deck in the TOML format; [`parse`] reads it back equal.
pub fn write(deck: &Deck) -> String {
    write_layout(deck, None)
}

/// Writes a deck with its `imported_from`; [`parse_file`] reads it back equal.
pub fn write_file(file: &DeckFile) -> String {
    write_layout(&file.deck, file.imported_from.as_deref())
}

fn write_layout(deck: &Deck, imported_from: Option<&str>) -> String {
    let file = Layout {
        deck: DeckHeader {
            id: deck.id.as_str(),
            name: &deck.name,
            description: &deck.description,
            imported_from,
        },
        cards: deck.notes().iter().map(CardEntry::new).collect(),
    };
    // Serialising plain strings and string arrays cannot fail.
    toml::to_string(&file).unwrap_or_else(|error| unreachable!("deck serialisation: {error}"))
}

/// `text` (a deck file) with `[deck] imported_from` set to `source` and
/// nothing else changed: comments, order and layout stay as the user wrote
/// them. `None` when that is not a simple edit (e.g. `deck` written as
/// dotted keys or an inline table); the caller then writes the deck afresh.
pub fn set_imported_from(text: &str, source: &str) -> Option<String> {
    let value = toml::Value::String(source.to_owned()).to_string();
    for section in sections(text) {
        let part = &text[section.clone()];
        if !part.trim_start().starts_with("[deck]") {
            continue;
        }
        let root = DeTable::parse(part).ok()?;
        let deck = root.get_ref().get("deck")?.get_ref().as_table()?;
        let mut edited = text.to_owned();
        match deck.get("imported_from") {
            Some(old) => {
                let span = old.span();
                edited.replace_range(section.start + span.start..section.start + span.end, &value);
            }
            None => {
                let header_end = part.find('\n').map_or(part.len(), |i| i + 1);
                let line = if header_end == part.len() && !part.ends_with('\n') {
                    format!("\nimported_from = {value}\n")
                } else {
                    format!("imported_from = {value}\n")
                };
                edited.insert_str(section.start + header_end, &line);
            }
        }
        return Some(edited);
    }
    // No `[deck]` table: add one at the end, unless `deck` is set some
    // other way at the top level.
    let top = sections(text).into_iter().next()?;
    let root = DeTable::parse(&text[top]).ok()?;
    if root.get_ref().get("deck").is_some() {
        return None;
    }
    let separator = if text.ends_with('\n') || text.is_empty() {
        ""
    } else {
        "\n"
    };
    Some(format!(
        "{text}{separator}\n[deck]\nimported_from = {value}\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section_texts(text: &str) -> Vec<&str> {
        sections(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_at_top_level_headers_only() {
        let text = "# top\n[deck]\nname = \"n\"\n\n[[cards]]\nfront = \"\"\"\n[[cards]]\n\"\"\"\n\
                    back = [\n  [\"nested\"],\n]\nx = { a = [1] }\n  [[cards]]\nfront = 'q'\n";
        assert_eq!(
            section_texts(text),
            [
                "# top\n",
                "[deck]\nname = \"n\"\n\n",
                "[[cards]]\nfront = \"\"\"\n[[cards]]\n\"\"\"\nback = [\n  [\"nested\"],\n]\nx = { a = [1] }\n  ",
                "[[cards]]\nfront = 'q'\n",
            ]
        );
    }

    #[test]
    fn broken_brackets_leave_the_rest_in_one_section() {
        let text = "[deck]\nname = [\n[[cards]]\nfront = 'q'\n";
        assert_eq!(section_texts(text), ["", text]);
    }

    #[test]
    fn a_repeated_deck_table_is_reported() {
        let text =
            "[deck]\nname = \"a\"\n[deck]\nname = \"b\"\n[[cards]]\nfront = 'q'\nback = 'a'\n";
        let problems = parse(text, "d").unwrap_err();
        assert_eq!(
            problems,
            [Problem::new(
                Position { line: 3, column: 2 },
                ProblemKind::RepeatedDeck {
                    first: Position { line: 1, column: 2 }
                }
            )]
        );
    }

    #[test]
    fn positions_in_later_sections_are_absolute() {
        let text =
            "[[cards]]\nfront = 'q'\nback = 'a'\n\n[[cards]]\nfront = 'q2'\nback = 'a2' junk\n";
        let problems = parse(text, "d").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].position,
            Position {
                line: 7,
                column: 13
            }
        );
        assert!(matches!(problems[0].kind, ProblemKind::Syntax { .. }));
    }

    #[test]
    fn imported_from_is_kept_by_parse_file_and_dropped_by_parse() {
        let text =
            "[deck]\nimported_from = \"/home/u/notes.txt\"\n[[cards]]\nfront = 'q'\nback = 'a'\n";
        let file = parse_file(text, "d").unwrap();
        assert_eq!(file.imported_from.as_deref(), Some("/home/u/notes.txt"));
        assert_eq!(parse(text, "d").unwrap(), file.deck);
        assert_eq!(parse_file(&write_file(&file), "other").unwrap(), file);
        // A deck written without it has none, and `write` never writes it.
        assert!(!write(&file.deck).contains("imported_from"));
        assert_eq!(
            parse_file(&write(&file.deck), "d").unwrap().imported_from,
            None
        );
    }

    #[test]
    fn imported_from_must_be_a_non_empty_string() {
        let text = "[deck]\nimported_from = 3\n[[cards]]\nfront = 'q'\nback = 'a'\n";
        let problems = parse(text, "d").unwrap_err();
        assert!(matches!(
            &problems[0].kind,
            ProblemKind::WrongType { key, .. } if key == "imported_from"
        ));
        let text = "[deck]\nimported_from = ''\n[[cards]]\nfront = 'q'\nback = 'a'\n";
        let problems = parse(text, "d").unwrap_err();
        assert!(matches!(
            problems[0].kind,
            ProblemKind::EmptyField {
                field: "imported_from",
                ..
            }
        ));
    }

    #[test]
    fn imported_from_is_set_without_touching_the_rest() {
        let text =
            "# my notes\n[deck]\nname = \"N\" # a comment\n\n[[cards]]\nfront = 'q'\nback = 'a'\n";
        let edited = set_imported_from(text, "/src/n.toml").unwrap();
        assert_eq!(
            edited,
            "# my notes\n[deck]\nimported_from = \"/src/n.toml\"\nname = \"N\" # a comment\n\n[[cards]]\nfront = 'q'\nback = 'a'\n"
        );
        // Again: the value is replaced, not added twice.
        let again = set_imported_from(&edited, "/other.toml").unwrap();
        assert_eq!(again, edited.replace("/src/n.toml", "/other.toml"));
        let file = parse_file(&again, "d").unwrap();
        assert_eq!(file.imported_from.as_deref(), Some("/other.toml"));
    }

    #[test]
    fn imported_from_adds_a_deck_table_when_there_is_none() {
        let text = "[[cards]]\nfront = 'q'\nback = 'a'";
        let edited = set_imported_from(text, "x").unwrap();
        assert_eq!(
            parse_file(&edited, "d").unwrap().imported_from.as_deref(),
            Some("x")
        );
        assert!(edited.starts_with(text));
        assert_eq!(
            set_imported_from("deck.name = 'n'\n[[cards]]\nfront='q'\nback='a'\n", "x"),
            None
        );
    }

    #[test]
    fn cards_may_be_an_inline_array() {
        let text =
            "cards = [{ front = 'q', back = 'a' }, { id = 'x', front = 'q2', back = 'a2' }]\n";
        let deck = parse(text, "inline").unwrap();
        assert_eq!(deck.cards().len(), 2);
        assert_eq!(deck.cards()[1].id.as_str(), "x");
    }
}
