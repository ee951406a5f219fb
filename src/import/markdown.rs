//! Decks as Markdown (`docs/import-export.md`): an optional `# Deck name`
//! title, then one card per `## question` heading, its answer being the
//! Markdown below it up to the next `## ` heading.
//!
//! ```markdown
//! # AWS API Gateway
//! <!-- id: aws-api-gateway -->
//!
//! Integrations, endpoint types and stages.
//!
//! ## What are the three endpoint types?
//! <!-- id: endpoint-types -->
//! <!-- tags: endpoints -->
//!
//! - edge-optimized
//! - regional
//! - private
//! ```
//!
//! - `<!-- id: ... -->` right under the title sets the deck id, right under
//!   a `## ` heading the card id; `<!-- tags: a b -->` sets a card's tags.
//! - Text between the title and the first card is the deck's description.
//! - A question of several lines continues under its heading and ends at a
//!   `<!-- answer -->` line.
//! - `<!-- reverse -->` under a heading adds the back → front card;
//!   `<!-- type-answer -->` makes the answer typed.
//! - A question holding a `{{c1::...}}` deletion is a cloze note: the
//!   question is its text, and the text below (optional) its extra.
//! - A line that would read as structure (a `## ` heading, or one starting
//!   with `<!--`) but belongs to the text is written with a `\` in front;
//!   reading removes one `\` from such lines, so any text comes back as it
//!   was written.

use std::collections::HashMap;

use super::{FileProblem, Located, SkipReason, Skipped, SourceDeck, SourceFile};
use crate::deck::{
    CardId, Deck, DeckId, Note, NoteContent, Position, TypeAnswer, cloze, derived_card_id,
    normalize_text,
};

const ANSWER: &str = "<!-- answer -->";
const REVERSE: &str = "<!-- reverse -->";
const TYPE_ANSWER: &str = "<!-- type-answer -->";

/// Whether a line is one of the flag comments.
fn flag(line: &str) -> Option<&'static str> {
    [REVERSE, TYPE_ANSWER]
        .into_iter()
        .find(|flag| line.trim().eq_ignore_ascii_case(flag))
}

/// Whether a line (with its escaping `\`s removed) reads as structure.
fn is_structural(line: &str) -> bool {
    let rest = line.trim_start_matches('\\');
    heading_text(rest).is_some() || rest.starts_with("<!--")
}

/// The text of a `## ` heading line, or `None` if it is not one.
fn heading_text(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("##")?;
    match rest.chars().next() {
        None => Some(""),
        Some(' ' | '\t') => Some(rest.trim_start_matches([' ', '\t'])),
        Some(_) => None,
    }
}

/// The `# Title` text, if `line` is a level-1 heading.
fn title_text(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('#')?;
    match rest.chars().next() {
        None => Some(""),
        Some(' ' | '\t') => Some(rest.trim()),
        Some(_) => None,
    }
}

/// A `<!-- key: value -->` line: the lower-cased key, the trimmed value,
/// and the value's column. It starts at the line's start, as the lines
/// escaped on writing do ([`is_structural`]).
fn meta(line: &str) -> Option<(String, &str, usize)> {
    let inner = line.trim_end().strip_prefix("<!--")?.strip_suffix("-->")?;
    let (key, value) = inner.split_once(':')?;
    let value = value.trim();
    // `value` is a slice of `line`: its offset is the distance between them.
    let offset = value.as_ptr() as usize - line.as_ptr() as usize;
    let column = line[..offset].chars().count() + 1;
    Some((key.trim().to_ascii_lowercase(), value, column))
}

/// Removes the `\` that writing put in front of a structural line.
fn unescape(line: &str) -> &str {
    match line.strip_prefix('\\') {
        Some(rest) if is_structural(line) => rest,
        _ => line,
    }
}

/// One numbered line of the file, without its line end.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    number: usize,
    text: &'a str,
}

/// Reads a Markdown deck (its BOM already removed).
pub fn read(text: &str) -> Result<SourceFile, Located> {
    let lines: Vec<Line<'_>> = text
        .split('\n')
        .enumerate()
        .map(|(i, text)| Line {
            number: i + 1,
            text: text.strip_suffix('\r').unwrap_or(text),
        })
        .collect();
    let first_card = lines
        .iter()
        .position(|line| heading_text(line.text).is_some())
        .unwrap_or(lines.len());
    let (preamble, cards) = lines.split_at(first_card);
    let mut deck = read_preamble(preamble)?;
    let mut reader = CardReader::default();
    for card in split_cards(cards) {
        reader.card(card);
    }
    deck.notes = reader.notes;
    Ok(SourceFile {
        decks: vec![deck],
        skipped: reader.skipped,
        remarks: Vec::new(),
        summary: "Markdown".into(),
        entries: reader.entries,
        entry: "card",
    })
}

/// The title, the deck id under it, and the description before the first
/// card.
fn read_preamble(lines: &[Line<'_>]) -> Result<SourceDeck, Located> {
    let mut deck = SourceDeck::default();
    let mut rest = lines;
    let first_text = rest.iter().position(|line| !line.text.trim().is_empty());
    if let Some(first) = first_text
        && let Some(title) = title_text(rest[first].text)
    {
        deck.name = Some(title.to_owned()).filter(|title| !title.is_empty());
        rest = &rest[first + 1..];
        let (meta_lines, after) = split_meta(rest);
        for line in meta_lines {
            if let Some((key, value, column)) = meta(line.text)
                && key == "id"
            {
                let id = DeckId::new(value).map_err(|error| {
                    let position = Position {
                        line: line.number,
                        column,
                    };
                    (position, FileProblem::InvalidDeckId { error })
                })?;
                deck.id = Some(id);
            }
        }
        rest = after;
    }
    deck.description = normalize_text(&join(rest));
    Ok(deck)
}

/// Splits off the `<!-- id: ... -->` and `<!-- tags: ... -->` lines at the
/// start, and the blank lines between them; blank lines after the last one
/// belong to the text (a question's second paragraph may follow).
fn split_meta<'l, 'a>(lines: &'l [Line<'a>]) -> (&'l [Line<'a>], &'l [Line<'a>]) {
    let mut end = 0;
    for (i, line) in lines.iter().enumerate() {
        if meta(line.text).is_some_and(|(key, _, _)| key == "id" || key == "tags")
            || flag(line.text).is_some()
        {
            end = i + 1;
        } else if !line.text.trim().is_empty() {
            break;
        }
    }
    lines.split_at(end)
}

/// The lines, unescaped and joined.
fn join(lines: &[Line<'_>]) -> String {
    lines
        .iter()
        .map(|line| unescape(line.text))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each card's lines, its heading first.
fn split_cards<'l, 'a>(lines: &'l [Line<'a>]) -> Vec<&'l [Line<'a>]> {
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| heading_text(line.text).is_some())
        .map(|(i, _)| i)
        .chain(std::iter::once(lines.len()))
        .collect();
    starts.windows(2).map(|w| &lines[w[0]..w[1]]).collect()
}

#[derive(Debug, Default)]
struct CardReader {
    notes: Vec<Note>,
    skipped: Vec<Skipped>,
    /// The line where each id was first used.
    seen: HashMap<CardId, usize>,
    entries: usize,
}

impl CardReader {
    /// One card: its heading line, then its meta lines and its text.
    fn card(&mut self, lines: &[Line<'_>]) {
        let Some((heading, rest)) = lines.split_first() else {
            return;
        };
        self.entries += 1;
        let at_heading = Position {
            line: heading.number,
            column: 1,
        };
        let (meta_lines, body) = split_meta(rest);
        let mut id = None;
        let mut tags = Vec::new();
        let mut reverse = false;
        let mut type_answer = None;
        for line in meta_lines {
            match flag(line.text) {
                Some(REVERSE) => reverse = true,
                Some(_) => type_answer = Some(TypeAnswer::default()),
                None => {}
            }
            match meta(line.text) {
                Some((key, value, column)) if key == "id" => match CardId::new(value) {
                    Ok(valid) => id = Some(valid),
                    Err(error) => {
                        let position = Position {
                            line: line.number,
                            column,
                        };
                        return self.skip(position, SkipReason::InvalidId { error });
                    }
                },
                Some((key, value, _)) if key == "tags" => {
                    tags.clear();
                    for tag in value.split_whitespace() {
                        if !tags.iter().any(|t| t == tag) {
                            tags.push(tag.to_owned());
                        }
                    }
                }
                _ => {}
            }
        }
        let (more_question, answer) = match body.iter().position(|line| line.text == ANSWER) {
            Some(split) => (&body[..split], &body[split + 1..]),
            None => (&body[..0], body),
        };
        let mut front = heading_text(heading.text).unwrap_or("").to_owned();
        if !more_question.is_empty() {
            front.push('\n');
            front.push_str(&join(more_question));
        }
        let front = normalize_text(&front);
        if front.is_empty() {
            return self.skip(at_heading, SkipReason::EmptyQuestion);
        }
        let back = normalize_text(&join(answer));
        let is_cloze = match cloze::parse(&front) {
            Ok(_) => true,
            Err(error) if error.kind == cloze::ClozeErrorKind::NoDeletion => false,
            Err(error) => return self.skip(at_heading, SkipReason::BadCloze { error }),
        };
        if back.is_empty() && !is_cloze {
            return self.skip(at_heading, SkipReason::NoAnswer);
        }
        let derived = id.is_none();
        let id = id.unwrap_or_else(|| derived_card_id(&front));
        if let Some(&first_line) = self.seen.get(&id) {
            let reason = SkipReason::DuplicateId {
                id: id.to_string(),
                first_line,
                derived,
            };
            return self.skip(at_heading, reason);
        }
        self.seen.insert(id.clone(), heading.number);
        let note = if is_cloze {
            Note::cloze(id, front, back)
        } else {
            Note::basic(id, front, back).reversed(reverse)
        };
        self.notes.push(note.typed(type_answer).with_tags(tags));
    }

    fn skip(&mut self, position: Position, reason: SkipReason) {
        self.skipped.push(Skipped { position, reason });
    }
}

/// Writes a deck as Markdown; [`read`] gives back the same deck. A deck
/// name is one line: line ends in it are written as spaces.
pub fn write(deck: &Deck) -> String {
    let mut out = String::new();
    out.push_str(&format!("# {}\n", deck.name.replace(['\n', '\r'], " ")));
    out.push_str(&format!("<!-- id: {} -->\n", deck.id));
    if !deck.description.is_empty() {
        out.push('\n');
        push_text(&mut out, &deck.description);
    }
    for note in deck.notes() {
        let (question, answer, reverse) = match &note.content {
            NoteContent::Basic {
                front,
                back,
                reverse,
            } => (front, back, *reverse),
            NoteContent::Cloze { text, extra } => (text, extra, false),
        };
        let mut front = question.split('\n');
        out.push_str(&format!("\n## {}\n", front.next().unwrap_or("")));
        out.push_str(&format!("<!-- id: {} -->\n", note.id));
        if !note.tags.is_empty() {
            out.push_str(&format!("<!-- tags: {} -->\n", note.tags.join(" ")));
        }
        if reverse {
            out.push_str(REVERSE);
            out.push('\n');
        }
        if note.type_answer.is_some() {
            out.push_str(TYPE_ANSWER);
            out.push('\n');
        }
        let more_question: Vec<&str> = front.collect();
        if !more_question.is_empty() {
            push_text(&mut out, &more_question.join("\n"));
            out.push_str(ANSWER);
            out.push('\n');
        }
        if !answer.is_empty() {
            out.push('\n');
            push_text(&mut out, answer);
        }
    }
    out
}

/// Text lines, each structural-looking one escaped with a `\`.
fn push_text(out: &mut String, text: &str) {
    for line in text.split('\n') {
        if is_structural(line) {
            out.push('\\');
        }
        out.push_str(line);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "# AWS API Gateway\n<!-- id: aws-api-gateway -->\n\nIntegrations and stages.\n\n## What are the three endpoint types?\n<!-- id: endpoint-types -->\n<!-- tags: endpoints basics -->\n\n- edge-optimized\n- regional\n\n## What is a stage?\n\nA named deployment.\n";

    #[test]
    fn reads_title_description_and_cards() {
        let file = read(EXAMPLE).unwrap();
        let deck = &file.decks[0];
        assert_eq!(deck.name.as_deref(), Some("AWS API Gateway"));
        assert_eq!(
            deck.id.as_ref().map(DeckId::as_str),
            Some("aws-api-gateway")
        );
        assert_eq!(deck.description, "Integrations and stages.");
        assert_eq!(deck.notes.len(), 2);
        let card = &deck.notes[0];
        assert_eq!(card.id.as_str(), "endpoint-types");
        assert_eq!(card.first_text(), "What are the three endpoint types?");
        assert_eq!(card.back_text(), "- edge-optimized\n- regional");
        assert_eq!(card.tags, ["endpoints", "basics"]);
        assert!(deck.notes[1].id.as_str().starts_with("what-is-a-stage-"));
        assert!(file.skipped.is_empty());
    }

    #[test]
    fn no_title_means_no_name() {
        let file = read("\r\n## Q?\r\nA\r\n### not a card\r\n").unwrap();
        let deck = &file.decks[0];
        assert_eq!(deck.name, None);
        assert_eq!(deck.notes[0].back_text(), "A\n### not a card");
    }

    #[test]
    fn bad_cards_are_skipped_with_their_line() {
        let text = "# D\n\n##\nanswer\n## No answer\n\n## Bad id\n<!-- id: not valid -->\nx\n## Q\nA\n## Q\nB\n";
        let file = read(text).unwrap();
        assert_eq!(file.decks[0].notes.len(), 1);
        let found: Vec<(usize, usize, &SkipReason)> = file
            .skipped
            .iter()
            .map(|s| (s.position.line, s.position.column, &s.reason))
            .collect();
        assert_eq!(found.len(), 4);
        assert_eq!((found[0].0, found[0].2), (3, &SkipReason::EmptyQuestion));
        assert_eq!((found[1].0, found[1].2), (5, &SkipReason::NoAnswer));
        assert_eq!((found[2].0, found[2].1), (8, 10));
        assert!(matches!(found[2].2, SkipReason::InvalidId { .. }));
        assert!(matches!(
            found[3].2,
            SkipReason::DuplicateId {
                first_line: 10,
                derived: true,
                ..
            }
        ));
    }

    #[test]
    fn an_invalid_deck_id_stops_the_file() {
        let (position, _) = read("# D\n<!-- id: bad id -->\n## Q\nA\n").unwrap_err();
        assert_eq!(
            position,
            Position {
                line: 2,
                column: 10
            }
        );
    }

    #[test]
    fn written_decks_read_back_equal() {
        let id = |s: &str| CardId::new(s).unwrap();
        let deck = Deck::new(
            DeckId::new("d").unwrap(),
            "Deck",
            "## not a card\n<!-- id: x -->",
            vec![
                Note::basic(
                    id("multi"),
                    "What does this print?\n\n    print(1)\n<!-- answer -->",
                    "<!-- id: y -->\n## 1\n\\## escaped already\n#\tcomment",
                )
                .with_tags(vec!["a".into(), "b".into()]),
                Note::basic(id("plain"), "Q", "A"),
                Note::basic(id("rev"), "Q2", "A2").reversed(true),
                Note::basic(id("typed"), "Q3", "A3").typed(Some(TypeAnswer::default())),
                Note::cloze(
                    id("cz"),
                    "The {{c1::capital}} is {{c2::Paris::city}}",
                    "extra",
                ),
                Note::cloze(id("cz2"), "Only {{c1::text}}\non two lines", ""),
            ],
        )
        .unwrap();
        let text = write(&deck);
        let file = read(&text).unwrap();
        let read = &file.decks[0];
        assert_eq!(read.name.as_deref(), Some("Deck"), "{text}");
        assert_eq!(read.id.as_ref(), Some(&deck.id));
        assert_eq!(read.description, deck.description, "{text}");
        assert_eq!(read.notes, deck.notes(), "{text}");
    }
}
