//! Anki's "Notes in Plain Text" format (CSV/TSV with `#` header lines), read
//! and written the way Anki does (`docs/import-export.md`).
//!
//! Reading: the header lines ([`header`]) say the separator, whether fields
//! are HTML, and which columns hold the guid, note type, deck and tags; the
//! other columns are the front, the back, then (if no tags column is named)
//! space-separated tags. The csv crate splits the records; [`quotes`]
//! re-reads each record's raw bytes to point messages at fields and to catch
//! broken quoting, which the csv crate accepts silently. A row that cannot
//! be a card is skipped with its position and reason; the others import.
//!
//! Writing produces the same shape as Anki's own export (guid, note type,
//! deck, front, back, tags), with HTML fields, so that Anki imports it as it
//! imports its own files, and so does [`read`].

mod header;
mod quotes;

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fmt;

use super::html;
use super::{
    Located, Remark, RemarkKind, SkipReason, Skipped, SourceDeck, SourceFile, card_id_from_guid,
};
use crate::deck::{
    CardId, Deck, LineIndex, Note, NoteContent, Position, TypeAnswer, cloze, derived_card_id,
    normalize_text,
};
use quotes::QuoteProblem;

/// A field separator: one ASCII character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Separator(u8);

impl Separator {
    pub const TAB: Separator = Separator(b'\t');
    pub const COMMA: Separator = Separator(b',');
    pub const SEMICOLON: Separator = Separator(b';');
    pub const PIPE: Separator = Separator(b'|');
    pub const COLON: Separator = Separator(b':');
    pub const SPACE: Separator = Separator(b' ');

    /// The separators Anki names, in the order a guess tries them.
    const NAMED: [(&'static str, Separator); 6] = [
        ("tab", Separator::TAB),
        ("pipe", Separator::PIPE),
        ("semicolon", Separator::SEMICOLON),
        ("comma", Separator::COMMA),
        ("colon", Separator::COLON),
        ("space", Separator::SPACE),
    ];

    /// Reads a `#separator:` value: a name (`tab`, `comma`, ...) or the
    /// character itself. Quotes, `#` and line ends cannot separate fields.
    pub fn from_header(value: &str) -> Option<Separator> {
        if let [byte] = value.as_bytes()
            && byte.is_ascii()
            && !matches!(byte, b'"' | b'#' | b'\n' | b'\r')
        {
            return Some(Separator(*byte));
        }
        let name = value.trim().to_ascii_lowercase();
        Self::NAMED
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, separator)| *separator)
    }

    /// Guesses from a file's first row: the first of tab, pipe, semicolon,
    /// comma, colon and space that appears outside quotes (Anki's order,
    /// except that colon comes after comma: "What is 2:1?,ratio").
    pub fn guess(first_row: &str) -> Separator {
        let mut outside = Vec::with_capacity(first_row.len());
        let mut quoted = false;
        for byte in first_row.bytes() {
            if byte == b'"' {
                quoted = !quoted;
            } else if !quoted {
                outside.push(byte);
            }
        }
        if quoted {
            // A quote that never closes on this line tells nothing: look
            // at the whole line.
            outside = first_row.bytes().collect();
        }
        Self::NAMED
            .iter()
            .map(|(_, separator)| *separator)
            .find(|separator| outside.contains(&separator.0))
            .unwrap_or(Separator::TAB)
    }

    pub fn byte(self) -> u8 {
        self.0
    }

    /// The name Anki uses, or the character itself.
    fn header_value(self) -> String {
        Self::NAMED
            .iter()
            .find(|(_, separator)| *separator == self)
            .map_or_else(
                || char::from(self.0).to_string(),
                |(name, _)| (*name).to_owned(),
            )
    }
}

impl fmt::Display for Separator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Self::NAMED.iter().find(|(_, separator)| separator == self) {
            Some((name, _)) => f.write_str(name),
            None => write!(f, "`{}`", char::from(self.0)),
        }
    }
}

/// How to read a file that does not say everything in its header.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Use tab unless a `#separator:` line says otherwise (`--format tsv`).
    pub tab_by_default: bool,
    /// Put every row into one deck, whatever its deck column says.
    pub one_deck: bool,
}

/// Reads Anki text (its BOM already removed).
pub fn read(text: &str, options: &Options) -> Result<SourceFile, Located> {
    let mut header = header::parse(text)?;
    let first_row = data_lines(&text[header.len..]).next().unwrap_or("");
    let (separator, separator_note) = match header.separator {
        Some(separator) => (separator, ""),
        None if options.tab_by_default => (Separator::TAB, ""),
        None => (Separator::guess(first_row), " (guessed)"),
    };
    let header_row = take_header_row(&mut header, text, separator);
    let body = &text[header.len..];
    let (html, html_note) = match header.html {
        Some(html) => (html, ""),
        None => (data_lines(body).take(5).any(looks_like_html), " (guessed)"),
    };
    let mut remarks = header.remarks.clone();
    remarks.extend(header_row);
    if let Some((value, position)) = &header.bad_separator {
        remarks.push(Remark {
            position: *position,
            kind: RemarkKind::UnknownSeparator {
                value: value.clone(),
                guessed: separator.to_string(),
            },
        });
    }
    let mut reader = Reader {
        columns: Columns::new(&header, separator),
        separator,
        html,
        one_deck: options.one_deck || header.deck_id.is_some(),
        tags: header.tags.clone(),
        body,
        header_lines: header.lines,
        lines: OnceCell::new(),
        groups: Vec::new(),
        group_index: HashMap::new(),
        one_deck_name: None,
        skipped: Vec::new(),
        extra: None,
        others: Vec::new(),
        entries: 0,
    };
    reader.read_records();
    let extra = reader.extra.take();
    remarks.extend(extra.map(|(position, kind)| Remark { position, kind }));
    let others = std::mem::take(&mut reader.others);
    remarks.extend(
        others
            .into_iter()
            .map(|(position, kind)| Remark { position, kind }),
    );
    let summary = format!(
        "Anki text, {separator}-separated{separator_note}, {}{html_note}",
        if html {
            "HTML fields"
        } else {
            "plain-text fields"
        }
    );
    let description = header
        .description
        .as_deref()
        .map(|text| reader.convert(text))
        .unwrap_or_default();
    let entries = reader.entries;
    let skipped = std::mem::take(&mut reader.skipped);
    let decks = reader.into_decks(&header, description);
    Ok(SourceFile {
        decks,
        skipped,
        remarks,
        summary,
        entries,
        entry: "row",
    })
}

/// Column names a spreadsheet puts in its first row.
const COLUMN_NAMES: [&str; 10] = [
    "front", "back", "tags", "question", "answer", "text", "extra", "deck", "guid", "notetype",
];

/// Without a `#columns:` line, a first row made only of column names
/// (`Front,Back,Tags`, any case) is read as that line, with a note.
fn take_header_row(
    header: &mut header::Header,
    text: &str,
    separator: Separator,
) -> Option<Remark> {
    if header.columns.is_some() {
        return None;
    }
    let line = text[header.len..].split_inclusive('\n').next()?;
    let labels = split_labels(line.trim_end_matches(['\n', '\r']), separator);
    let named = |names: &[&str]| {
        labels.iter().any(|label| {
            names
                .iter()
                .any(|name| label.trim().eq_ignore_ascii_case(name))
        })
    };
    let all_names = labels.iter().all(|label| {
        COLUMN_NAMES
            .iter()
            .any(|name| label.trim().eq_ignore_ascii_case(name))
    });
    if labels.len() < 2 || !all_names || !named(&["front", "question", "text"]) {
        return None;
    }
    let position = Position {
        line: header.lines + 1,
        column: 1,
    };
    header.columns = Some(line.trim_end_matches(['\n', '\r']).to_owned());
    header.len += line.len();
    header.lines += 1;
    Some(Remark {
        position,
        kind: RemarkKind::HeaderRow {
            labels: labels.join(", "),
        },
    })
}

/// The lines of `body` that hold data: not blank, not `#` comments.
fn data_lines(body: &str) -> impl Iterator<Item = &str> {
    body.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
}

/// Whether a line seems to hold HTML: a tag such as `<b>` or `</div>`, or an
/// entity such as `&amp;`. (Anki guesses the same way when `#html:` is
/// missing.)
fn looks_like_html(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.iter().enumerate().any(|(i, &byte)| match byte {
        b'<' => {
            let rest = &bytes[i + 1..];
            let name = rest.strip_prefix(b"/").unwrap_or(rest);
            name.first().is_some_and(u8::is_ascii_alphabetic) && rest.contains(&b'>')
        }
        b'&' => {
            let rest = &bytes[i + 1..];
            let name_len = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
                .count();
            name_len > 0 && rest.get(name_len) == Some(&b';')
        }
        _ => false,
    })
}

/// Which field of a record holds what (0-based).
#[derive(Debug, Clone)]
struct Columns {
    guid: Option<usize>,
    notetype: Option<usize>,
    deck: Option<usize>,
    tags: Option<usize>,
    front: usize,
    back: usize,
    /// The third field of a note (Anki's "Add Reverse"), if the row has one.
    third: Option<usize>,
    /// Every column read, to count the extra ones in a row.
    used: Vec<usize>,
}

impl Columns {
    /// From the header: the named meta columns, then `#columns:` labels
    /// (`Front`/`Question`, `Back`/`Answer`, `Tags`, `Deck`, `Guid`,
    /// `Notetype`, in any case) if they name the front and the back, else
    /// the other columns in order: front, back, then tags unless a tags
    /// column is named.
    fn new(header: &header::Header, separator: Separator) -> Columns {
        let labels = header
            .columns
            .as_deref()
            .map(|value| split_labels(value, separator))
            .unwrap_or_default();
        let label = |names: &[&str]| {
            labels
                .iter()
                .position(|label| names.iter().any(|name| label.eq_ignore_ascii_case(name)))
        };
        let guid = header.guid_column.or_else(|| label(&["guid"]));
        let notetype = header.notetype_column.or_else(|| label(&["notetype"]));
        let deck = header.deck_column.or_else(|| label(&["deck"]));
        let mut tags = header.tags_column.or_else(|| label(&["tags"]));
        let meta = [guid, notetype, deck, tags];
        let (front, back) = match (
            label(&["front", "question", "text"]),
            label(&["back", "answer", "extra"]),
        ) {
            (Some(front), Some(back)) => (front, back),
            _ => {
                let mut others = (0..).filter(|i| !meta.contains(&Some(*i)));
                let front = others.next().unwrap_or(0);
                let back = others.next().unwrap_or(1);
                if tags.is_none() {
                    tags = others.next();
                }
                (front, back)
            }
        };
        let meta = [guid, notetype, deck, tags];
        let third =
            notetype.and((back + 1..back + 64).find(|i| !meta.contains(&Some(*i)) && *i != front));
        let mut used: Vec<usize> = [guid, notetype, deck, tags, Some(front), Some(back), third]
            .into_iter()
            .flatten()
            .collect();
        used.sort_unstable();
        used.dedup();
        Columns {
            guid,
            notetype,
            deck,
            tags,
            front,
            back,
            third,
            used,
        }
    }

    /// How many of a row's `len` fields are read.
    fn used_in(&self, len: usize) -> usize {
        self.used.iter().filter(|&&column| column < len).count()
    }
}

/// `#columns:` labels, split like a row.
fn split_labels(value: &str, separator: Separator) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator.byte())
        .from_reader(value.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(|label| label.trim().to_owned()).collect(),
        _ => Vec::new(),
    }
}

/// The cards of one deck of the file, as rows arrive.
#[derive(Debug, Default)]
struct Group {
    /// The deck's name in the file; `None` for the file's default deck.
    name: Option<String>,
    notes: Vec<Note>,
    /// Where each card id was first seen, as a byte offset in the body.
    seen: HashMap<CardId, usize>,
}

/// The state of reading one file's records.
#[derive(Debug)]
struct Reader<'a> {
    columns: Columns,
    separator: Separator,
    html: bool,
    one_deck: bool,
    /// `#tags:`, given to every card before its own.
    tags: Vec<String>,
    /// The text after the header; offsets below are into it.
    body: &'a str,
    header_lines: usize,
    /// Built on the first message that needs a position.
    lines: OnceCell<LineIndex<'a>>,
    groups: Vec<Group>,
    group_index: HashMap<String, usize>,
    /// In one-deck mode, the deck column's value if every row agrees.
    one_deck_name: Option<Option<String>>,
    skipped: Vec<Skipped>,
    /// The first row with extra fields, as a remark, counting such rows.
    extra: Option<(Position, RemarkKind)>,
    /// Note types read as Basic, each with its first row and row count.
    others: Vec<(Position, RemarkKind)>,
    entries: usize,
}

/// What a row's note type makes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NoteKind {
    Basic,
    /// "Basic (and reversed card)".
    Reversed,
    /// "Basic (optional reversed card)": reversed if its third field is set.
    OptionalReversed,
    /// "Basic (type in the answer)".
    TypeAnswer,
    /// "Cloze": Text and Back Extra.
    Cloze,
    /// Any other note type: read as Basic (its first two fields), remarked.
    Other(String),
}

impl NoteKind {
    fn of(notetype: &str) -> NoteKind {
        let name = notetype.trim().to_lowercase();
        match name.as_str() {
            "" | "basic" => NoteKind::Basic,
            "basic (and reversed card)" => NoteKind::Reversed,
            "basic (optional reversed card)" => NoteKind::OptionalReversed,
            "basic (type in the answer)" => NoteKind::TypeAnswer,
            _ if name.contains("cloze") => NoteKind::Cloze,
            _ => NoteKind::Other(notetype.trim().to_owned()),
        }
    }
}

impl<'a> Reader<'a> {
    fn csv_reader(&self, from: usize) -> csv::Reader<&'a [u8]> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .delimiter(self.separator.byte())
            .from_reader(&self.body.as_bytes()[from..])
    }

    /// Reads every record, restarting on the next line after a record whose
    /// quotes are broken across lines: such a record swallowed the lines
    /// after it, and they are more likely rows of their own.
    ///
    /// A restart re-reads at most the lines one broken record spanned, and
    /// after an unclosed quote no later quote can run to the end again (every
    /// quote after it came in `""` pairs), so this stays linear.
    fn read_records(&mut self) {
        let mut base = 0;
        let mut csv = self.csv_reader(base);
        let mut record = csv::ByteRecord::new();
        loop {
            let before = base + byte_offset(&csv);
            match csv.read_byte_record(&mut record) {
                Ok(true) => {}
                // Reading from memory cannot fail; the end is the end.
                Ok(false) | Err(_) => break,
            }
            let after = base + byte_offset(&csv);
            let start = record_start(self.body.as_bytes(), before, after);
            let raw = trim_terminator(&self.body.as_bytes()[start..after]);
            let fields = quotes::scan(raw, self.separator.byte());
            match fields.problem {
                Some(problem) => {
                    self.entries += 1;
                    let (at, reason) = match problem {
                        QuoteProblem::Unterminated { open } => {
                            (start + open, SkipReason::UnterminatedQuote)
                        }
                        QuoteProblem::TextAfterQuote { open, close } => {
                            let at = self.position(start + close);
                            (start + open, SkipReason::TextAfterQuote { at })
                        }
                    };
                    self.skip(at, reason);
                    if raw.contains(&b'\n') {
                        base = next_line(self.body.as_bytes(), start);
                        csv = self.csv_reader(base);
                    }
                }
                None => self.row(&record, start, &fields.starts),
            }
        }
    }

    fn row(&mut self, record: &csv::ByteRecord, start: usize, starts: &[usize]) {
        let fields: Vec<&str> = record
            .iter()
            .map(|field| std::str::from_utf8(field).unwrap_or_default())
            .collect();
        if fields.iter().all(|field| field.trim().is_empty()) {
            return; // a blank row, e.g. `,,` from a spreadsheet
        }
        self.entries += 1;
        let field_at = |column: usize| start + starts.get(column).copied().unwrap_or(0);
        let get = |column: Option<usize>| column.and_then(|c| fields.get(c)).copied();
        self.count_extra(fields.len(), start);

        let kind = get(self.columns.notetype).map_or(NoteKind::Basic, NoteKind::of);
        if let NoteKind::Other(notetype) = &kind {
            self.count_other(notetype, start);
        }
        if kind == NoteKind::Cloze {
            return self.cloze_row(&fields, start, &field_at);
        }
        let front = self.convert(get(Some(self.columns.front)).unwrap_or(""));
        if front.is_empty() {
            return self.skip(field_at(self.columns.front), SkipReason::EmptyFront);
        }
        let Some(back) = get(Some(self.columns.back)) else {
            let reason = SkipReason::NoBack {
                fields: fields.len(),
                separator: self.separator.to_string(),
            };
            return self.skip(start, reason);
        };
        let back = self.convert(back);
        if back.is_empty() {
            return self.skip(field_at(self.columns.back), SkipReason::EmptyBack);
        }
        let guid = get(self.columns.guid).and_then(card_id_from_guid);
        let derived = guid.is_none();
        let id = guid.unwrap_or_else(|| derived_card_id(&front));
        let mut tags = self.tags.clone();
        for tag in get(self.columns.tags).unwrap_or("").split_whitespace() {
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_owned());
            }
        }
        let deck = get(self.columns.deck)
            .map(str::trim)
            .filter(|deck| !deck.is_empty());
        let group = self.group(deck);
        if let Some(&first) = self.groups[group].seen.get(&id) {
            let first_line = self.position(first).line;
            let at = self
                .columns
                .guid
                .filter(|_| !derived)
                .map_or(start, field_at);
            let reason = SkipReason::DuplicateId {
                id: id.to_string(),
                first_line,
                derived,
            };
            return self.skip(at, reason);
        }
        let reverse = match kind {
            NoteKind::Reversed => true,
            // Anki's "Add Reverse" field: reversed when it is not empty.
            NoteKind::OptionalReversed => self
                .columns
                .third
                .and_then(|c| fields.get(c))
                .is_some_and(|field| !self.convert(field).is_empty()),
            _ => false,
        };
        let type_answer = (kind == NoteKind::TypeAnswer).then(TypeAnswer::default);
        let note = Note::basic(id.clone(), front, back)
            .reversed(reverse)
            .typed(type_answer)
            .with_tags(tags);
        let group = &mut self.groups[group];
        group.seen.insert(id, start);
        group.notes.push(note);
    }

    /// A Cloze row: Text in the front column, Back Extra in the back one.
    fn cloze_row(&mut self, fields: &[&str], start: usize, field_at: &dyn Fn(usize) -> usize) {
        let get = |column: Option<usize>| column.and_then(|c| fields.get(c)).copied();
        let text = self.convert(get(Some(self.columns.front)).unwrap_or(""));
        if text.is_empty() {
            return self.skip(field_at(self.columns.front), SkipReason::EmptyFront);
        }
        if let Err(error) = cloze::parse(&text) {
            return self.skip(field_at(self.columns.front), SkipReason::BadCloze { error });
        }
        let extra = self.convert(get(Some(self.columns.back)).unwrap_or(""));
        let guid = get(self.columns.guid).and_then(card_id_from_guid);
        let derived = guid.is_none();
        let id = guid.unwrap_or_else(|| derived_card_id(&text));
        let mut tags = self.tags.clone();
        for tag in get(self.columns.tags).unwrap_or("").split_whitespace() {
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_owned());
            }
        }
        let deck = get(self.columns.deck)
            .map(str::trim)
            .filter(|deck| !deck.is_empty());
        let group = self.group(deck);
        if let Some(&first) = self.groups[group].seen.get(&id) {
            let first_line = self.position(first).line;
            let reason = SkipReason::DuplicateId {
                id: id.to_string(),
                first_line,
                derived,
            };
            return self.skip(start, reason);
        }
        let group = &mut self.groups[group];
        group.seen.insert(id.clone(), start);
        group
            .notes
            .push(Note::cloze(id, text, extra).with_tags(tags));
    }

    /// Counts a row of a note type recall reads as Basic.
    fn count_other(&mut self, notetype: &str, start: usize) {
        if let Some((_, RemarkKind::OtherNotetype { rows, .. })) = self
            .others
            .iter_mut()
            .find(|(_, kind)| matches!(kind, RemarkKind::OtherNotetype { notetype: n, .. } if n == notetype))
        {
            *rows += 1;
            return;
        }
        let position = self.position(start);
        self.others.push((
            position,
            RemarkKind::OtherNotetype {
                notetype: notetype.to_owned(),
                rows: 1,
            },
        ));
    }

    /// A field's text as our Markdown.
    fn convert(&self, field: &str) -> String {
        if self.html {
            normalize_owned(html::to_markdown(field))
        } else if field.contains('\r') {
            normalize_text(field)
        } else {
            // What normalize_text gives, without its copy for CRLF.
            field.trim().to_owned()
        }
    }

    /// The group for a row's deck column value.
    fn group(&mut self, deck: Option<&str>) -> usize {
        let key = if self.one_deck {
            match &self.one_deck_name {
                None => self.one_deck_name = Some(deck.map(str::to_owned)),
                Some(seen) if seen.as_deref() != deck => self.one_deck_name = Some(None),
                Some(_) => {}
            }
            ""
        } else {
            deck.unwrap_or_default()
        };
        if let Some(&index) = self.group_index.get(key) {
            return index;
        }
        self.groups.push(Group {
            name: (!key.is_empty()).then(|| key.to_owned()),
            ..Group::default()
        });
        self.group_index
            .insert(key.to_owned(), self.groups.len() - 1);
        self.groups.len() - 1
    }

    fn count_extra(&mut self, len: usize, start: usize) {
        let used = self.columns.used_in(len);
        if len <= used {
            return;
        }
        match &mut self.extra {
            Some((_, RemarkKind::ExtraFields { rows, .. })) => *rows += 1,
            _ => {
                let position = self.position(start);
                self.extra = Some((
                    position,
                    RemarkKind::ExtraFields {
                        fields: len,
                        used,
                        rows: 1,
                    },
                ));
            }
        }
    }

    fn skip(&mut self, offset: usize, reason: SkipReason) {
        let position = self.position(offset);
        self.skipped.push(Skipped { position, reason });
    }

    /// The file position of a byte offset in the body.
    fn position(&self, offset: usize) -> Position {
        let body = self.body;
        let position = self
            .lines
            .get_or_init(|| LineIndex::new(body))
            .position(offset);
        Position {
            line: position.line + self.header_lines,
            ..position
        }
    }

    /// The decks, with names and header details filled in.
    fn into_decks(self, header: &header::Header, description: String) -> Vec<SourceDeck> {
        let one_deck_name = self.one_deck_name.flatten();
        self.groups
            .into_iter()
            .map(|group| {
                let name = group
                    .name
                    .or_else(|| one_deck_name.clone())
                    .or_else(|| header.deck.clone());
                SourceDeck {
                    id_from: name.clone(),
                    name,
                    id: header.deck_id.clone(),
                    description: description.clone(),
                    notes: group.notes,
                }
            })
            .collect()
    }
}

/// [`normalize_text`] of an owned string, copying only when it must.
fn normalize_owned(text: String) -> String {
    if text.contains('\r') {
        return normalize_text(&text);
    }
    let trimmed = text.trim();
    if trimmed.len() == text.len() {
        text
    } else {
        trimmed.to_owned()
    }
}

fn byte_offset(csv: &csv::Reader<&[u8]>) -> usize {
    usize::try_from(csv.position().byte()).unwrap_or(usize::MAX)
}

/// Where a record really starts: the csv crate's position is where it began
/// looking, before the blank and `#` comment lines it skipped.
fn record_start(body: &[u8], from: usize, limit: usize) -> usize {
    let mut at = from;
    while at < limit {
        match body[at] {
            b'\r' | b'\n' => at += 1,
            b'#' if at == 0 || matches!(body[at - 1], b'\n' | b'\r') => {
                at = next_line(body, at);
            }
            _ => break,
        }
    }
    at.min(limit)
}

/// The offset of the line after the one holding `at`.
fn next_line(body: &[u8], at: usize) -> usize {
    body[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(body.len(), |i| at + i + 1)
}

fn trim_terminator(raw: &[u8]) -> &[u8] {
    let end = raw
        .iter()
        .rposition(|&b| b != b'\n' && b != b'\r')
        .map_or(0, |i| i + 1);
    &raw[..end]
}

/// Writes a deck as Anki text: header lines, then one row per card with
/// guid (the card id), note type `Basic`, deck name, front and back as HTML
/// ([`html::from_markdown`]) and space-separated tags. recall's own
/// `#recall deck id:` and `#recall description:` lines keep the deck's id
/// and description; Anki ignores them.
pub fn write(deck: &Deck, separator: Separator) -> String {
    let mut out = String::new();
    out.push_str(&format!("#separator:{}\n", separator.header_value()));
    out.push_str(
        "#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n",
    );
    out.push_str(&format!("#recall deck id:{}\n", deck.id));
    if !deck.description.is_empty() {
        out.push_str(&format!(
            "#recall description:{}\n",
            html::from_markdown(&deck.description)
        ));
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(separator.byte())
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // A name on one line: a line end would end the row.
    let deck_name = deck.name.replace(['\n', '\r'], " ");
    for note in deck.notes() {
        let tags = note.tags.join(" ");
        let (notetype, first, second) = match &note.content {
            NoteContent::Basic { front, back, .. } if note.type_answer.is_some() => {
                ("Basic (type in the answer)", front, back)
            }
            NoteContent::Basic {
                front,
                back,
                reverse: true,
            } => ("Basic (and reversed card)", front, back),
            NoteContent::Basic { front, back, .. } => ("Basic", front, back),
            NoteContent::Cloze { text, extra } => ("Cloze", text, extra),
        };
        let first = html::from_markdown(first);
        let second = html::from_markdown(second);
        let row = [
            note.id.as_str(),
            notetype,
            deck_name.as_str(),
            first.as_str(),
            second.as_str(),
            tags.as_str(),
        ];
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(row);
    }
    let rows = writer.into_inner().unwrap_or_default();
    out.push_str(&String::from_utf8_lossy(&rows));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> SourceFile {
        read(text, &Options::default()).unwrap()
    }

    fn fronts(deck: &SourceDeck) -> Vec<&str> {
        deck.notes.iter().map(|c| c.first_text()).collect()
    }

    #[test]
    fn separators_by_name_or_character() {
        assert_eq!(Separator::from_header("tab"), Some(Separator::TAB));
        assert_eq!(
            Separator::from_header(" Semicolon "),
            Some(Separator::SEMICOLON)
        );
        assert_eq!(Separator::from_header(" "), Some(Separator::SPACE));
        assert_eq!(Separator::from_header("^"), Some(Separator(b'^')));
        assert_eq!(Separator::from_header("\""), None);
        assert_eq!(Separator::from_header("tabs"), None);
        assert_eq!(Separator(b'^').to_string(), "`^`");
    }

    #[test]
    fn guesses_the_separator_from_the_first_row() {
        assert_eq!(Separator::guess("a\tb,c"), Separator::TAB);
        assert_eq!(Separator::guess("What is 2:1?,ratio"), Separator::COMMA);
        assert_eq!(Separator::guess("\"a,b\";c"), Separator::SEMICOLON);
        assert_eq!(Separator::guess("hola hello"), Separator::SPACE);
        assert_eq!(Separator::guess("\"unclosed,a"), Separator::COMMA);
    }

    #[test]
    fn plain_rows_are_front_back_and_tags() {
        let file = read_text("q1,a1,t1 t2\n\"q,2\",\"a \"\"2\"\"\"\nq3,a3,,extra\n");
        assert_eq!(file.decks.len(), 1);
        let deck = &file.decks[0];
        assert_eq!(fronts(deck), ["q1", "q,2", "q3"]);
        assert_eq!(deck.notes[1].back_text(), "a \"2\"");
        assert_eq!(deck.notes[0].tags, ["t1", "t2"]);
        assert_eq!(deck.name, None);
        assert_eq!(
            file.summary,
            "Anki text, comma-separated (guessed), plain-text fields (guessed)"
        );
        assert_eq!(
            file.remarks,
            [Remark {
                position: Position { line: 3, column: 1 },
                kind: RemarkKind::ExtraFields {
                    fields: 4,
                    used: 3,
                    rows: 1
                }
            }]
        );
    }

    #[test]
    fn columns_from_the_header() {
        let text = "#separator:Pipe\n#html:false\n#tags:all\n#columns:Back|Tags|Front\nb1|x|f1\n";
        let file = read_text(text);
        let card = &file.decks[0].notes[0];
        assert_eq!((card.first_text(), card.back_text()), ("f1", "b1"));
        assert_eq!(card.tags, ["all", "x"]);
    }

    #[test]
    fn a_deck_column_makes_one_deck_per_name_unless_one_deck_is_asked() {
        let text = "#separator:tab\n#deck column:1\nGeo::Capitals\tq1\ta1\nMath\tq2\ta2\nGeo::Capitals\tq3\ta3\n\tq4\ta4\n";
        let file = read_text(text);
        let names: Vec<_> = file.decks.iter().map(|d| d.name.as_deref()).collect();
        assert_eq!(names, [Some("Geo::Capitals"), Some("Math"), None]);
        assert_eq!(fronts(&file.decks[0]), ["q1", "q3"]);
        let one = read(
            text,
            &Options {
                one_deck: true,
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(one.decks.len(), 1);
        assert_eq!(one.decks[0].notes.len(), 4);
        assert_eq!(one.decks[0].name, None, "the rows disagree on the deck");
    }

    #[test]
    fn bad_rows_are_skipped_with_their_position() {
        let text = "#separator:comma\nok,fine\n,no front\nno back\nempty back,  \nok,again\n";
        let file = read_text(text);
        assert_eq!(fronts(&file.decks[0]), ["ok"]);
        let reasons: Vec<(usize, usize, String)> = file
            .skipped
            .iter()
            .map(|s| (s.position.line, s.position.column, s.reason.to_string()))
            .collect();
        assert_eq!(
            reasons,
            [
                (3, 1, "the front is empty".to_owned()),
                (
                    4,
                    1,
                    "the row has only 1 field and no back (the separator is comma)".to_owned()
                ),
                (5, 12, "the back is empty".to_owned()),
                (
                    6,
                    1,
                    "card id `ok-663437af` is already used by the card at line 2".to_owned()
                ),
            ]
        );
        assert_eq!(file.entries, 5);
    }

    #[test]
    fn an_unclosed_quote_skips_its_row_and_reading_goes_on() {
        let text = "#separator:comma\nq1,a1\nq2,\"a2\nq3,a3\nq4,a4\n";
        let file = read_text(text);
        assert_eq!(fronts(&file.decks[0]), ["q1", "q3", "q4"]);
        assert_eq!(file.skipped.len(), 1);
        assert_eq!(file.skipped[0].position, Position { line: 3, column: 4 });
        assert_eq!(file.skipped[0].reason, SkipReason::UnterminatedQuote);
    }

    #[test]
    fn a_stray_quote_that_pairs_with_a_later_line_is_caught() {
        let text = "#separator:comma\n\"q1,a1\nq2,a2\nq3,\"a3\"\nq4,a4\n";
        let file = read_text(text);
        assert_eq!(fronts(&file.decks[0]), ["q2", "q3", "q4"]);
        assert_eq!(file.skipped.len(), 1);
        assert_eq!(file.skipped[0].position, Position { line: 2, column: 1 });
        assert!(matches!(
            file.skipped[0].reason,
            SkipReason::TextAfterQuote {
                at: Position { line: 4, column: 4 }
            }
        ));
    }

    #[test]
    fn html_fields_become_markdown() {
        let text = "#separator:tab\n#html:true\n<b>Bold</b> q\tline<br>two &amp; more\n";
        let card = &read_text(text).decks[0].notes[0];
        assert_eq!(
            (card.first_text(), card.back_text()),
            ("**Bold** q", "line\ntwo & more")
        );
    }

    #[test]
    fn note_types_become_card_types() {
        let text = "#separator:tab\n#html:false\n#notetype column:1\n#tags column:5\n\
            Cloze\t{{c1::Paris}} is in {{c2::France}}\tExtra\t\tgeo\n\
            Basic (and reversed card)\tq1\ta1\t\t\n\
            Basic (optional reversed card)\tq2\ta2\ty\t\n\
            Basic (optional reversed card)\tq3\ta3\t\t\n\
            Basic (type in the answer)\tq4\ta4\t\t\n\
            Image Occlusion\tq5\ta5\t\t\n\
            Cloze\t{{c1::open\t\t\t\n";
        let file = read_text(text);
        let notes = &file.decks[0].notes;
        assert_eq!(notes.len(), 6);
        assert_eq!(
            notes[0],
            Note::cloze(
                notes[0].id.clone(),
                "{{c1::Paris}} is in {{c2::France}}",
                "Extra"
            )
            .with_tags(vec!["geo".into()])
        );
        let reversed: Vec<bool> = notes[1..4]
            .iter()
            .map(|n| matches!(n.content, NoteContent::Basic { reverse: true, .. }))
            .collect();
        assert_eq!(reversed, [true, true, false]);
        assert_eq!(notes[4].type_answer, Some(TypeAnswer::default()));
        assert_eq!(notes[5].first_text(), "q5");
        assert!(matches!(
            &file.remarks[..],
            [Remark { kind: RemarkKind::OtherNotetype { notetype, rows: 1 }, .. }] if notetype == "Image Occlusion"
        ));
        assert!(matches!(
            file.skipped[0].reason,
            SkipReason::BadCloze { .. }
        ));
        assert_eq!(file.skipped[0].position.line, 11);
    }

    #[test]
    fn written_decks_read_back_equal() {
        let id = |s: &str| CardId::new(s).unwrap();
        let deck = Deck::new(
            crate::deck::DeckId::new("my_deck").unwrap(),
            "Geo::Capitals",
            "About\n**capitals**",
            vec![
                Note::basic(
                    id("c_1"),
                    "What, \"quoted\"?\n- a\n  - b",
                    "**Paris** tab  two spaces <b>",
                )
                .with_tags(vec!["geo".into(), "europe::fr".into()]),
                Note::basic(id("r"), "q", "a").reversed(true),
                Note::basic(id("t"), "q2", "a2").typed(Some(TypeAnswer::default())),
                Note::cloze(id("z"), "{{c1::a::hint}} and {{c2::b}}", "more"),
                Note::cloze(id("z2"), "{{c3::only}}", ""),
            ],
        )
        .unwrap();
        for separator in [Separator::TAB, Separator::COMMA, Separator::SEMICOLON] {
            let text = write(&deck, separator);
            let file = read_text(&text);
            let read = &file.decks[0];
            assert_eq!(read.id.as_ref(), Some(&deck.id), "{text}");
            assert_eq!(read.name.as_deref(), Some("Geo::Capitals"));
            assert_eq!(read.description, deck.description);
            assert_eq!(read.notes, deck.notes(), "{text}");
            assert!(file.skipped.is_empty() && file.remarks.is_empty());
        }
    }
}
