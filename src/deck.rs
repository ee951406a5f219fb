//! Cards and decks: the model, the TOML deck format, and deck discovery.
//! The other formats live in [`crate::import`], which builds on this module.
//!
//! Parsing never touches the terminal; every problem found in a file comes
//! back as a [`Problem`] with its line and column.

pub mod catalog;
pub mod cloze;
pub mod compare;
pub mod draft;
mod id;
mod key;
mod note;
mod problem;
pub mod toml_format;
pub mod tree;

use std::path::Path;

pub use catalog::{Catalog, DeckSource, LoadedDeck};
pub use cloze::{HIGHLIGHT_END, HIGHLIGHT_START, strip_highlights};
pub use id::{CardId, DeckId, IdError, MAX_ID_LEN, is_id_char};
pub use key::{CardKey, CardKeyError};
pub use note::{
    Card, CardKind, KeyError, Note, NoteContent, TypeAnswer, card_key, highlight_pieces,
    reserved_suffix, sibling_suffix,
};
pub use problem::{DeckError, LineIndex, Place, Position, Problem, ProblemKind, suggest_key};

/// A named list of notes, in study order, and the cards they generate.
///
/// Built with [`Deck::new`], which generates the cards, so the two always
/// agree; read them with [`Deck::notes`] and [`Deck::cards`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Deck {
    pub id: DeckId,
    pub name: String,
    pub description: String,
    #[serde(deserialize_with = "crate::exact_vec::deserialize")]
    notes: Vec<Note>,
    #[serde(deserialize_with = "crate::exact_vec::deserialize")]
    cards: Vec<Card>,
}

/// A note of a deck whose cards cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("note {} (`{id}`): {error}", index + 1)]
pub struct NoteError {
    /// The note's index in the deck, 0-based.
    pub index: usize,
    pub id: CardId,
    pub error: KeyError,
}

impl Deck {
    /// A deck of `notes`, with their cards generated. Fails on the first note
    /// whose cards cannot be made (a reserved id, bad cloze text), or whose
    /// id repeats an earlier note's.
    pub fn new(
        id: DeckId,
        name: impl Into<String>,
        description: impl Into<String>,
        notes: Vec<Note>,
    ) -> Result<Deck, NoteError> {
        let mut cards = Vec::with_capacity(notes.len());
        let mut seen = std::collections::HashSet::with_capacity(notes.len());
        for (index, note) in notes.iter().enumerate() {
            let error = |error| NoteError {
                index,
                id: note.id.clone(),
                error,
            };
            if !seen.insert(&note.id) {
                return Err(error(KeyError::Duplicate {
                    id: note.id.to_string(),
                }));
            }
            cards.extend(note.cards().map_err(error)?);
        }
        Ok(Deck {
            id,
            name: name.into(),
            description: description.into(),
            notes,
            cards,
        })
    }

    /// The notes, as written in the deck's file.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Every card, in note order (a note's cards together).
    pub fn cards(&self) -> &[Card] {
        &self.cards
    }

    /// The deck with its notes taken out, to be rebuilt.
    pub fn into_notes(self) -> Vec<Note> {
        self.notes
    }

    /// Every tag used in the deck, sorted, without repeats.
    pub fn tags(&self) -> Vec<&str> {
        let mut tags: Vec<&str> = self
            .notes
            .iter()
            .flat_map(|note| note.tags.iter().map(String::as_str))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        tags
    }

    pub fn card(&self, id: &CardId) -> Option<&Card> {
        self.cards.iter().find(|card| &card.id == id)
    }

    pub fn note(&self, id: &CardId) -> Option<&Note> {
        self.notes.iter().find(|note| &note.id == id)
    }
}

/// The file names of the `[image: x]` and `[sound: x]` markers in card
/// text (an imported Anki card's media), in order of appearance.
pub fn media_names(text: &str) -> Vec<&str> {
    let mut found: Vec<(usize, &str)> = ["[image: ", "[sound: "]
        .into_iter()
        .flat_map(|marker| {
            text.match_indices(marker).filter_map(move |(at, _)| {
                let rest = &text[at + marker.len()..];
                rest.find(']').map(|end| (at, rest[..end].trim()))
            })
        })
        .filter(|(_, name)| !name.is_empty())
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, name)| name).collect()
}

/// The `[image: x]` markers in card text: each one's byte range and file
/// name, in order.
pub fn image_markers(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    const MARKER: &str = "[image: ";
    text.match_indices(MARKER)
        .filter_map(|(at, _)| {
            let rest = &text[at + MARKER.len()..];
            let end = rest.find(']')?;
            let name = rest[..end].trim();
            (!name.is_empty()).then_some((at..at + MARKER.len() + end + 1, name))
        })
        .collect()
}

/// Normalises card text: CRLF becomes LF, and surrounding blank space goes,
/// so `"""` strings that start or end on their own line read naturally.
pub fn normalize_text(text: &str) -> String {
    text.replace("\r\n", "\n").trim().to_owned()
}

/// Tags are words: non-empty, without whitespace (they are space-separated in
/// Anki's text export).
pub fn is_valid_tag(tag: &str) -> bool {
    !tag.is_empty() && !tag.chars().any(char::is_whitespace)
}

/// The id of a card that has none in its file: a slug of the front (ASCII
/// letters and digits, lower-cased, other runs as `-`, at most 40 characters)
/// then `-` and the 8-hex-digit FNV-1a hash of the whole trimmed front.
///
/// The hash keeps ids distinct and non-empty for any text, but it also means
/// that editing the front gives the card a new id, and so a fresh schedule.
pub fn derived_card_id(front: &str) -> CardId {
    let front = front.trim();
    let slug = slug(front, 40);
    let hash = fnv1a32(front.as_bytes());
    let id = if slug.is_empty() {
        format!("card-{hash:08x}")
    } else {
        format!("{slug}-{hash:08x}")
    };
    // The slug only holds id characters and stays under the length limit.
    CardId::new(id).unwrap_or_else(|_| unreachable!("derived ids are always valid"))
}

/// `text` as an id-safe slug: ASCII letters and digits lower-cased, every
/// other run as one `-`, no `-` at either end, cut at about `max` bytes.
pub fn slug(text: &str, max: usize) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= max {
            break;
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// 32-bit FNV-1a: tiny, and stable across platforms and Rust versions,
/// which ids stored in a user's review log need.
pub(crate) fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193)
    })
}

/// The deck id a file gets when it sets none: its name without `.toml`.
pub fn default_deck_id(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_slug_and_hash() {
        let id = derived_card_id("What are the three endpoint types?");
        assert_eq!(id.as_str(), "what-are-the-three-endpoint-types-4760fa67");
        // The hash is FNV-1a 32 of the UTF-8 front (checked with Python).
        // Stable: the same front gives the same id, surrounding space ignored.
        assert_eq!(
            derived_card_id("  What are the three endpoint types?\n"),
            id
        );
        assert_ne!(derived_card_id("What are the three endpoint types!"), id);
    }

    #[test]
    fn derived_ids_handle_any_text() {
        assert!(
            derived_card_id("日本語の質問")
                .as_str()
                .starts_with("card-")
        );
        let long = derived_card_id(&"word ".repeat(100));
        assert!(long.as_str().len() <= MAX_ID_LEN);
        assert!(!long.as_str().contains("--"));
    }

    #[test]
    fn media_markers() {
        assert_eq!(
            media_names("a [image: dot.png] b [sound: beep.wav] [image: x y.jpg] [image]"),
            ["dot.png", "beep.wav", "x y.jpg"]
        );
        assert!(media_names("no media [image:]").is_empty());
        let text = "a [image: dot.png] b [sound: beep.wav] [image: x y.jpg] [image: ]";
        let markers = image_markers(text);
        assert_eq!(markers.len(), 2);
        assert_eq!(
            (&text[markers[0].0.clone()], markers[0].1),
            ("[image: dot.png]", "dot.png")
        );
        assert_eq!(
            (&text[markers[1].0.clone()], markers[1].1),
            ("[image: x y.jpg]", "x y.jpg")
        );
    }

    #[test]
    fn text_is_normalised() {
        assert_eq!(normalize_text("\n- a\r\n- b\n"), "- a\n- b");
    }
}
