//! Notes and the cards they generate.
//!
//! A deck holds [`Note`]s, as written in its file; each note generates one or
//! more [`Card`]s, the things studied, each with its own progress under its
//! own key in the review log:
//!
//! | note                          | cards and their keys |
//! |-------------------------------|----------------------|
//! | basic                         | `<id>`: front → back |
//! | basic, `reverse = true`       | `<id>`, and `<id>.reverse`: back → front |
//! | cloze with `c1`, `c2`, `c5`   | `<id>` for `c1`, `<id>.c2`, `<id>.c5` |
//!
//! A basic card's key is the note id, as before notes existed, so progress
//! is kept. A cloze card's key depends only on its number, so editing the
//! text never moves progress. Note ids ending in `.reverse` or `.c<digits>`
//! are refused ([`reserved_suffix`]): with that rule no generated key can
//! equal another note's key.
//!
//! Card text carries highlights (the active cloze deletion) between
//! [`HIGHLIGHT_START`] and [`HIGHLIGHT_END`]; the renderer styles what is
//! between them and drops the markers. Plain consumers use
//! [`strip_highlights`].

use super::cloze::{self, Cloze, HIGHLIGHT_END, HIGHLIGHT_START};
use super::{CardId, MAX_ID_LEN};

/// One note as written in a deck file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Note {
    /// The note's id: also the key of its first card.
    pub id: CardId,
    pub content: NoteContent,
    pub tags: Vec<String>,
    /// `Some` when the answer is typed in (`type_answer = true`).
    pub type_answer: Option<TypeAnswer>,
}

/// What a note says, by type.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NoteContent {
    /// `front` and `back`; with `reverse`, also a back → front card.
    Basic {
        front: String,
        back: String,
        reverse: bool,
    },
    /// Cloze text (Anki syntax) and an optional extra shown with the answer
    /// (Anki's Back Extra; empty for none).
    Cloze { text: String, extra: String },
}

/// How a typed answer is compared with the right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TypeAnswer {
    /// Upper and lower case count as the same (the default).
    pub ignore_case: bool,
}

impl Default for TypeAnswer {
    fn default() -> Self {
        Self { ignore_case: true }
    }
}

/// Which card of its note a card is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum CardKind {
    /// front → back.
    Basic,
    /// back → front.
    Reversed,
    /// The deletions with this number hidden.
    Cloze(u32),
}

/// One studyable card, generated from a note.
///
/// `front` and `back` are what the question and answer screens show (light
/// Markdown, with highlight markers); `answer` is the answer alone, for
/// typed answers and quiz options.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Card {
    /// The card's key in the review log, unique within its deck.
    pub id: CardId,
    /// The note it comes from; cards of one note are siblings.
    pub note: CardId,
    pub kind: CardKind,
    pub front: String,
    pub back: String,
    /// The answer alone: the back of a basic card, the front of a reversed
    /// one, the hidden text of a cloze card.
    pub answer: String,
    pub tags: Vec<String>,
    pub type_answer: Option<TypeAnswer>,
}

impl Card {
    /// A plain front → back card, its own note: what most code and tests need.
    pub fn basic(id: CardId, front: impl Into<String>, back: impl Into<String>) -> Card {
        let back = back.into();
        Card {
            note: id.clone(),
            id,
            kind: CardKind::Basic,
            front: front.into(),
            answer: back.clone(),
            back,
            tags: Vec::new(),
            type_answer: None,
        }
    }

    pub fn with_tags(mut self, tags: Vec<String>) -> Card {
        self.tags = tags;
        self
    }

    /// What a typed answer is compared with: the answer as the screen shows
    /// it, without markup or cloze highlights.
    pub fn expected_typed(&self) -> String {
        crate::markup::plain_text(&super::strip_highlights(&self.answer))
    }
}

/// Why a note's cards cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("note id `{id}` ends in `{suffix}`, which recall keeps for the other cards of a note")]
    Reserved { id: String, suffix: String },
    #[error(
        "note id `{id}` is too long for its card `{key}` (card keys have at most {MAX_ID_LEN} characters)"
    )]
    TooLong { id: String, key: String },
    #[error("note id `{id}` is used twice")]
    Duplicate { id: String },
    #[error("the cloze text is invalid: {0}")]
    Cloze(#[from] cloze::ClozeError),
}

/// The suffix of a sibling's key: `.reverse`, or `.c` and a number.
pub fn sibling_suffix(kind: CardKind) -> Option<String> {
    match kind {
        CardKind::Basic | CardKind::Cloze(1) => None,
        CardKind::Reversed => Some(".reverse".to_owned()),
        CardKind::Cloze(n) => Some(format!(".c{n}")),
    }
}

/// The reserved suffix `id` ends in, if any: such ids cannot name notes.
pub fn reserved_suffix(id: &str) -> Option<&str> {
    if let Some(stem) = id.strip_suffix(".reverse") {
        return Some(&id[stem.len()..]);
    }
    let dot = id.rfind('.')?;
    let tail = &id[dot + 1..];
    let digits = tail.strip_prefix('c')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(&id[dot..])
}

/// The key of card `kind` of the note `note`.
pub fn card_key(note: &CardId, kind: CardKind) -> Result<CardId, KeyError> {
    match sibling_suffix(kind) {
        None => Ok(note.clone()),
        Some(suffix) => {
            let key = format!("{note}{suffix}");
            CardId::new(key.clone()).map_err(|_| KeyError::TooLong {
                id: note.to_string(),
                key,
            })
        }
    }
}

impl Note {
    /// A basic note.
    pub fn basic(id: CardId, front: impl Into<String>, back: impl Into<String>) -> Note {
        Note {
            id,
            content: NoteContent::Basic {
                front: front.into(),
                back: back.into(),
                reverse: false,
            },
            tags: Vec::new(),
            type_answer: None,
        }
    }

    /// A cloze note.
    pub fn cloze(id: CardId, text: impl Into<String>, extra: impl Into<String>) -> Note {
        Note {
            id,
            content: NoteContent::Cloze {
                text: text.into(),
                extra: extra.into(),
            },
            tags: Vec::new(),
            type_answer: None,
        }
    }

    pub fn with_tags(mut self, tags: Vec<String>) -> Note {
        self.tags = tags;
        self
    }

    pub fn reversed(mut self, reverse: bool) -> Note {
        if let NoteContent::Basic { reverse: r, .. } = &mut self.content {
            *r = reverse;
        }
        self
    }

    pub fn typed(mut self, type_answer: Option<TypeAnswer>) -> Note {
        self.type_answer = type_answer;
        self
    }

    /// The text the note is known by: the front, or the cloze text.
    pub fn first_text(&self) -> &str {
        match &self.content {
            NoteContent::Basic { front, .. } => front,
            NoteContent::Cloze { text, .. } => text,
        }
    }

    /// The back, or a cloze's extra.
    pub fn back_text(&self) -> &str {
        match &self.content {
            NoteContent::Basic { back, .. } => back,
            NoteContent::Cloze { extra, .. } => extra,
        }
    }

    pub fn is_cloze(&self) -> bool {
        matches!(self.content, NoteContent::Cloze { .. })
    }

    /// The note's cards, in order: basic then reversed, or by cloze number.
    pub fn cards(&self) -> Result<Vec<Card>, KeyError> {
        if let Some(suffix) = reserved_suffix(self.id.as_str()) {
            return Err(KeyError::Reserved {
                id: self.id.to_string(),
                suffix: suffix.to_owned(),
            });
        }
        let card = |kind, front: String, back: String, answer: String| {
            Ok(Card {
                id: card_key(&self.id, kind)?,
                note: self.id.clone(),
                kind,
                front,
                back,
                answer,
                tags: self.tags.clone(),
                type_answer: self.type_answer,
            })
        };
        match &self.content {
            NoteContent::Basic {
                front,
                back,
                reverse,
            } => {
                let mut cards = vec![card(
                    CardKind::Basic,
                    front.clone(),
                    back.clone(),
                    back.clone(),
                )?];
                if *reverse {
                    cards.push(card(
                        CardKind::Reversed,
                        back.clone(),
                        front.clone(),
                        front.clone(),
                    )?);
                }
                Ok(cards)
            }
            NoteContent::Cloze { text, extra } => {
                let parsed: Cloze = cloze::parse(text)?;
                parsed
                    .numbers()
                    .into_iter()
                    .map(|n| {
                        let mut back = parsed.answer(n);
                        if !extra.is_empty() {
                            back.push_str("\n\n");
                            back.push_str(extra);
                        }
                        card(
                            CardKind::Cloze(n),
                            parsed.question(n),
                            back,
                            parsed.hidden(n),
                        )
                    })
                    .collect()
            }
        }
    }
}

/// Splits text at highlight markers: `(text, highlighted)` pieces, in
/// order, without the markers. An unclosed highlight runs to the end.
pub fn highlight_pieces(text: &str) -> Vec<(&str, bool)> {
    let mut pieces = Vec::new();
    let mut highlighted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == HIGHLIGHT_START || c == HIGHLIGHT_END {
            if start < i {
                pieces.push((&text[start..i], highlighted));
            }
            highlighted = c == HIGHLIGHT_START;
            start = i + c.len_utf8();
        }
    }
    if start < text.len() {
        pieces.push((&text[start..], highlighted));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(s: &str) -> CardId {
        CardId::new(s).unwrap()
    }

    #[test]
    fn a_basic_note_keeps_its_key_and_a_reverse_gets_a_suffix() {
        let note = Note::basic(id("capital"), "Capital of France?", "Paris");
        let cards = note.cards().unwrap();
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].id, id("capital"));
        let cards = note.reversed(true).cards().unwrap();
        let keys: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(keys, ["capital", "capital.reverse"]);
        assert_eq!(cards[1].front, "Paris");
        assert_eq!(cards[1].answer, "Capital of France?");
        assert!(cards.iter().all(|c| c.note == id("capital")));
    }

    #[test]
    fn cloze_keys_follow_numbers() {
        let note = Note::cloze(id("fr"), "{{c2::a}} {{c1::b}} {{c5::c}}", "extra");
        let cards = note.cards().unwrap();
        let keys: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(keys, ["fr", "fr.c2", "fr.c5"]);
        assert_eq!(cards[1].answer, "a");
        assert!(cards[1].back.ends_with("\n\nextra"));
        // Editing the text keeps every key.
        let edited = Note::cloze(id("fr"), "New {{c1::B}}, {{c2::A}} and {{c5::C}}!", "");
        let edited_keys: Vec<CardId> = edited.cards().unwrap().into_iter().map(|c| c.id).collect();
        assert_eq!(
            edited_keys,
            cards.iter().map(|c| c.id.clone()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn reserved_suffixes_are_refused() {
        assert_eq!(reserved_suffix("a.reverse"), Some(".reverse"));
        assert_eq!(reserved_suffix("a.c12"), Some(".c12"));
        assert_eq!(reserved_suffix("a.c"), None);
        assert_eq!(reserved_suffix("a.cx1"), None);
        assert_eq!(reserved_suffix("ac1"), None);
        let note = Note::basic(id("x.c2"), "q", "a");
        assert!(matches!(note.cards(), Err(KeyError::Reserved { .. })));
        let long = "a".repeat(MAX_ID_LEN);
        let note = Note::basic(id(&long), "q", "a").reversed(true);
        assert!(matches!(note.cards(), Err(KeyError::TooLong { .. })));
    }

    #[test]
    fn highlights_split_into_pieces() {
        let text = format!("a{HIGHLIGHT_START}b{HIGHLIGHT_END}c{HIGHLIGHT_START}d");
        assert_eq!(
            highlight_pieces(&text),
            [("a", false), ("b", true), ("c", false), ("d", true)]
        );
    }

    fn any_note() -> impl Strategy<Value = Note> {
        let note_id = "[a-z]{1,3}(\\.[a-z0-9]{1,3})?".prop_map(|s| CardId::new(s).unwrap());
        let numbers = proptest::collection::btree_set(1u32..12, 1..4);
        prop_oneof![
            (note_id.clone(), any::<bool>())
                .prop_map(|(id, reverse)| Note::basic(id, "q", "a").reversed(reverse)),
            (note_id, numbers).prop_map(|(id, numbers)| {
                let text: String = numbers
                    .iter()
                    .map(|n| format!("{{{{c{n}::x}}}} "))
                    .collect();
                Note::cloze(id, text, "")
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Notes with distinct, accepted ids never generate the same key.
        #[test]
        fn generated_keys_never_collide(notes in proptest::collection::vec(any_note(), 1..12)) {
            let mut note_ids = std::collections::HashSet::new();
            let mut keys = std::collections::HashSet::new();
            for note in notes {
                if !note_ids.insert(note.id.clone()) {
                    continue;
                }
                let Ok(cards) = note.cards() else {
                    prop_assert!(reserved_suffix(note.id.as_str()).is_some());
                    continue;
                };
                for card in cards {
                    prop_assert!(keys.insert(card.id.clone()), "key {} twice", card.id);
                }
            }
        }
    }
}
