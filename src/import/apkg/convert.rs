//! An Anki collection to recall decks and reviews; pure.
//!
//! - One recall deck per Anki deck that has cards, its id made from the
//!   deck's name (`Geo::Capitals` -> `geo.capitals`), its name kept.
//! - Every card becomes a basic card: its question and answer rendered from
//!   its note type's template ([`crate::import::notetype`]), converted from
//!   HTML as the text importer does; the answer without the question it
//!   repeats (what follows `<hr id=answer>`). Tags are kept.
//! - Card ids come from the note's guid and the card's ordinal: the guid's
//!   id for the first card, `<id>.<n>` for card `n` (counting from 1), so
//!   re-importing a package updates cards in place and keeps progress.
//! - Revlog entries with a rating (learn, review, relearn, and filtered-deck
//!   reviews that rescheduled) become reviews at their own instant; the
//!   others are counted by [`ReviewSkip`].

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{TimeZone, Utc};

use super::collection::{AnkiCard, Collection, Note};
use crate::deck::{CardId, CardKey, Deck, Note as DeckNote, media_names, normalize_text};
use crate::import::html::to_markdown;
use crate::import::notetype::{CardContext, NoteType, answer_part};
use crate::import::{SkipReason, card_id_from_guid, deck_id_from_name};
use crate::schedule::Rating;
use crate::store::Review;

/// Why a revlog entry did not become a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReviewSkip {
    /// A manual change: reset, forget, set due date (type 4).
    Manual,
    /// Rescheduled by Anki (type 5).
    Rescheduled,
    /// A review in a filtered deck that did not reschedule (cram, preview).
    Cram,
    /// Any other entry without a rating.
    NoRating,
    /// Its card was not imported (skipped, or deleted in Anki).
    NoCard,
}

impl ReviewSkip {
    pub fn describe(self) -> &'static str {
        match self {
            ReviewSkip::Manual => "manual (reset, forget or set due date)",
            ReviewSkip::Rescheduled => "rescheduled by Anki",
            ReviewSkip::Cram => "filtered-deck reviews that did not reschedule",
            ReviewSkip::NoRating => "without a rating",
            ReviewSkip::NoCard => "of cards not imported",
        }
    }
}

/// What one Anki deck became.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeckReport {
    /// Notes with at least one card in the deck.
    pub notes: usize,
    /// Cards suspended in Anki (imported as active: recall has no
    /// suspension yet).
    pub suspended: usize,
    /// Media files its cards refer to, sorted.
    pub media: Vec<String>,
}

/// A card that could not be imported.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedCard {
    pub deck: String,
    pub guid: String,
    pub ord: u32,
    pub notetype: String,
    pub reason: SkipReason,
}

/// What a collection gives recall.
#[derive(Debug, Clone, Default)]
pub struct AnkiImport {
    /// Decks with their cards, in the order of Anki's deck names.
    pub decks: Vec<Deck>,
    /// For each deck, in the same order.
    pub reports: Vec<DeckReport>,
    /// In time order.
    pub reviews: Vec<Review>,
    pub skipped_reviews: BTreeMap<ReviewSkip, usize>,
    pub skipped_cards: Vec<SkippedCard>,
    /// Names of the note types whose cards were rendered from templates,
    /// and whether each is one of Anki's stock types.
    pub note_types: Vec<(String, bool)>,
    /// (note type, filter) pairs recall does not know, once each.
    pub unknown_filters: Vec<(String, String)>,
    /// Media files referred to but not in the package.
    pub missing_media: Vec<String>,
    pub notes: usize,
    pub cards: usize,
    pub revlog: usize,
}

/// Two Anki decks whose names map to one id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the Anki decks \"{first}\" and \"{second}\" would both get the id `{id}`")]
pub struct DeckClash {
    pub id: String,
    pub first: String,
    pub second: String,
}

/// Converts `collection`; `has_media` says whether the package holds a
/// media file; `progress` is told (cards done, cards in all) now and then.
pub fn convert(
    collection: &Collection,
    has_media: &dyn Fn(&str) -> bool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<AnkiImport, DeckClash> {
    let note_types: HashMap<i64, &NoteType> = collection
        .note_types
        .iter()
        .map(|note_type| (note_type.id, note_type))
        .collect();
    let notes: HashMap<i64, &Note> = collection
        .notes
        .iter()
        .map(|note| (note.id, note))
        .collect();
    let deck_names: HashMap<i64, &str> = collection
        .decks
        .iter()
        .map(|deck| (deck.id, deck.name.as_str()))
        .collect();

    // Cards grouped by deck name, each deck's in note then ordinal order.
    let mut by_deck: BTreeMap<&str, Vec<&AnkiCard>> = BTreeMap::new();
    for card in &collection.cards {
        let name = deck_names.get(&card.deck).copied().unwrap_or("Default");
        by_deck.entry(name).or_default().push(card);
    }

    let mut out = AnkiImport {
        notes: collection.notes.len(),
        cards: collection.cards.len(),
        revlog: collection.revlog.len(),
        ..AnkiImport::default()
    };
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut keys: HashMap<i64, CardKey> = HashMap::new();
    let mut used_types: Vec<i64> = Vec::new();
    let mut missing: HashSet<String> = HashSet::new();
    let mut done = 0;
    for (name, cards) in by_deck {
        let deck_id = deck_id_from_name(name);
        if let Some(first) = ids.insert(deck_id.to_string(), name.to_owned()) {
            return Err(DeckClash {
                id: deck_id.to_string(),
                first,
                second: name.to_owned(),
            });
        }
        // Each Anki card becomes a basic note of its own (standard note
        // types are rendered from their templates too, for now).
        let mut deck_cards: Vec<DeckNote> = Vec::with_capacity(cards.len());
        let mut report = DeckReport::default();
        let mut deck_notes: HashSet<i64> = HashSet::new();
        let mut media: Vec<String> = Vec::new();
        let mut card_ids: HashSet<CardId> = HashSet::new();
        for card in cards {
            done += 1;
            if done % 4096 == 0 {
                progress(done, out.cards);
            }
            let Some(note) = notes.get(&card.note) else {
                continue;
            };
            let Some(note_type) = note_types.get(&note.notetype) else {
                continue;
            };
            if !used_types.contains(&note_type.id) {
                used_types.push(note_type.id);
            }
            let skip = |reason| SkippedCard {
                deck: name.to_owned(),
                guid: note.guid.clone(),
                ord: card.ord,
                notetype: note_type.name.clone(),
                reason,
            };
            let fields: Vec<&str> = note.fields.iter().map(String::as_str).collect();
            let rendered = note_type.render(
                card.ord as usize,
                &fields,
                CardContext {
                    tags: &note.tags,
                    deck: name,
                },
            );
            for filter in rendered.unknown_filters {
                let pair = (note_type.name.clone(), filter);
                if !out.unknown_filters.contains(&pair) {
                    out.unknown_filters.push(pair);
                }
            }
            let front = normalize_text(&to_markdown(&rendered.question));
            let back = normalize_text(&to_markdown(answer_part(&rendered.answer)));
            if front.is_empty() {
                out.skipped_cards.push(skip(SkipReason::EmptyQuestion));
                continue;
            }
            if back.is_empty() {
                out.skipped_cards.push(skip(SkipReason::NoAnswer));
                continue;
            }
            let Some(id) = card_id(&note.guid, card.ord) else {
                out.skipped_cards.push(skip(SkipReason::InvalidId {
                    error: crate::deck::IdError::Empty,
                }));
                continue;
            };
            if crate::deck::reserved_suffix(id.as_str()).is_some() || !card_ids.insert(id.clone()) {
                out.skipped_cards.push(skip(SkipReason::DuplicateId {
                    id: id.to_string(),
                    first_line: 0,
                    derived: false,
                }));
                continue;
            }
            for file in media_names(&front).into_iter().chain(media_names(&back)) {
                if has_media(file) {
                    media.push(file.to_owned());
                } else {
                    missing.insert(file.to_owned());
                }
            }
            deck_notes.insert(note.id);
            if card.queue == -1 {
                report.suspended += 1;
            }
            keys.insert(card.id, CardKey::new(deck_id.clone(), id.clone()));
            deck_cards.push(DeckNote::basic(id, front, back).with_tags(note.tags.clone()));
        }
        if deck_cards.is_empty() {
            continue;
        }
        // Ids are unique, valid and unreserved (checked above), so the
        // deck's cards can always be made.
        let Ok(deck) = Deck::new(deck_id.clone(), name, "", deck_cards) else {
            continue;
        };
        media.sort();
        media.dedup();
        report.notes = deck_notes.len();
        report.media = media;
        out.decks.push(deck);
        out.reports.push(report);
    }
    progress(out.cards, out.cards);
    out.note_types = used_types
        .iter()
        .filter_map(|id| note_types.get(id))
        .map(|note_type| (note_type.name.clone(), note_type.standard().is_some()))
        .collect();
    let mut missing: Vec<String> = missing.into_iter().collect();
    missing.sort();
    out.missing_media = missing;

    for entry in &collection.revlog {
        let skip = match (entry.kind, entry.ease) {
            (4, _) => Some(ReviewSkip::Manual),
            (5, _) => Some(ReviewSkip::Rescheduled),
            (_, ease) if !(1..=4).contains(&ease) => Some(ReviewSkip::NoRating),
            (3, _) if entry.factor == 0 => Some(ReviewSkip::Cram),
            (0..=3, _) => None,
            _ => Some(ReviewSkip::NoRating),
        };
        let key = keys.get(&entry.card);
        let at = Utc.timestamp_millis_opt(entry.id).single();
        let rating = u8::try_from(entry.ease)
            .ok()
            .and_then(|ease| Rating::try_from(ease).ok());
        match (skip, key, at, rating) {
            (None, Some(key), Some(at), Some(rating)) => out.reviews.push(Review::new(
                at,
                key.clone(),
                rating,
                entry.time.max(0) as u64,
            )),
            (Some(skip), _, _, _) => *out.skipped_reviews.entry(skip).or_default() += 1,
            (None, None, _, _) => *out.skipped_reviews.entry(ReviewSkip::NoCard).or_default() += 1,
            _ => *out.skipped_reviews.entry(ReviewSkip::NoRating).or_default() += 1,
        }
    }
    out.reviews.sort_by_key(|review| review.reviewed_at);
    Ok(out)
}

/// The id of card `ord` of the note with `guid`.
pub fn card_id(guid: &str, ord: u32) -> Option<CardId> {
    let base = card_id_from_guid(guid)?;
    if ord == 0 {
        return Some(base);
    }
    CardId::new(format!("{base}.{}", ord + 1))
        .ok()
        .or_else(|| card_id_from_guid(&format!("{guid}.{}", ord + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_ids_come_from_guid_and_ordinal() {
        assert_eq!(card_id("abc", 0).unwrap().as_str(), "abc");
        assert_eq!(card_id("abc", 1).unwrap().as_str(), "abc.2");
        assert_eq!(card_id("a:b", 2).unwrap().as_str(), "a_3ab.3");
        assert!(card_id("", 0).is_none());
        let long = "x".repeat(64);
        let id = card_id(&long, 1).unwrap();
        assert!(id.as_str().len() <= crate::deck::MAX_ID_LEN);
        assert_ne!(id, card_id(&long, 0).unwrap());
    }
}
