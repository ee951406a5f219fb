//! An Anki collection to recall decks and reviews; pure.
//!
//! - One recall deck per Anki deck that has cards, its id made from the
//!   deck's name (`Geo::Capitals` -> `geo.capitals`), its name kept.
//! - A note of one of Anki's standard note types ([`NoteType::standard`])
//!   becomes a note of the matching recall card type: Basic, Basic (and
//!   reversed card) as `reverse = true`, Basic (optional reversed card) as
//!   `reverse` when its "Add Reverse" field is not empty, Basic (type in the
//!   answer) as `type_answer`, Cloze as a cloze note (Text and Back Extra).
//!   Its fields are converted from HTML as the text importer does.
//! - Any other note, and a standard one whose cards recall's note would not
//!   reproduce (its cards in several decks, a card Anki has that recall's
//!   note would not make or the other way round, a cloze recall refuses),
//!   becomes one basic card per Anki card: question and answer rendered
//!   from its note type's template ([`crate::import::notetype`]), converted
//!   from HTML; the answer without the question it repeats (what follows
//!   `<hr id=answer>`). Tags are kept.
//! - Card keys come from the note's guid and the card's ordinal, so
//!   re-importing a package updates cards in place and keeps progress
//!   ([`card_key_of`]): the note's id is the guid's, the first card's key
//!   is the note id, a reversed card (ordinal 1) is `<id>.reverse`, cloze
//!   `n` (ordinal `n - 1`) is `<id>.c<n>`, as recall's notes make them; a
//!   card rendered from templates is `<id>.<ordinal + 1>`.
//! - Cards suspended in Anki (queue -1) are listed with the instant Anki
//!   last changed them (`mod`), so that the suspension can be recorded once
//!   as a card event at that instant; buried cards are imported as active.
//! - Revlog entries with a rating (learn, review, relearn, and filtered-deck
//!   reviews that rescheduled) become reviews at their own instant; the
//!   others are counted by [`ReviewSkip`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, TimeZone, Utc};

use super::collection::{AnkiCard, Collection, Note};
use crate::deck::{
    CardId, CardKey, CardKind, Deck, Note as DeckNote, TypeAnswer, media_names, normalize_text,
    strip_highlights,
};
use crate::import::html::to_markdown;
use crate::import::notetype::{CardContext, NoteType, Stock, answer_part, field_is_empty};
use crate::import::{SkipReason, card_id_from_guid, deck_id_from_name};
use crate::schedule::Rating;
use crate::store::Review;

/// A review from the revlog, kept small: a big collection has millions.
/// Its card is an index into [`AnkiImport::card_keys`], so no review holds
/// a key of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnkiReview {
    /// The review's instant, in milliseconds since the epoch.
    pub at_ms: i64,
    /// Its card: an index into [`AnkiImport::card_keys`].
    pub card: u32,
    pub rating: Rating,
    pub duration_ms: u64,
}

impl AnkiReview {
    /// The review as the log holds it, with its card's key from `keys`
    /// ([`AnkiImport::card_keys`]); `None` if `keys` has no such card.
    pub fn review(&self, keys: &[CardKey]) -> Option<Review> {
        let key = keys.get(self.card as usize)?;
        let at = Utc.timestamp_millis_opt(self.at_ms).single()?;
        Some(Review::new(at, key.clone(), self.rating, self.duration_ms))
    }
}

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
    /// Cards suspended in Anki.
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
    pub reviews: Vec<AnkiReview>,
    /// The key of every imported card, indexed by [`AnkiReview::card`].
    pub card_keys: Vec<CardKey>,
    pub skipped_reviews: BTreeMap<ReviewSkip, usize>,
    pub skipped_cards: Vec<SkippedCard>,
    /// Names of the standard note types whose notes became recall notes of
    /// the matching card type, in order of first use.
    pub mapped_types: Vec<String>,
    /// Names of the note types with cards rendered from their templates,
    /// and whether each is one of Anki's standard types (some of whose
    /// notes recall's card types could not reproduce).
    pub note_types: Vec<(String, bool)>,
    /// Notes of standard note types rendered from templates instead.
    pub rendered_standard_notes: usize,
    /// Cards suspended in Anki, with the instant Anki last changed them.
    pub suspended: Vec<(CardKey, DateTime<Utc>)>,
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
    // Each note's cards: (deck name, ordinal).
    let mut by_note: HashMap<i64, Vec<(&str, u32)>> = HashMap::new();
    for card in &collection.cards {
        let name = deck_names.get(&card.deck).copied().unwrap_or("Default");
        by_deck.entry(name).or_default().push(card);
        by_note.entry(card.note).or_default().push((name, card.ord));
    }
    let mut out = AnkiImport {
        notes: collection.notes.len(),
        cards: collection.cards.len(),
        revlog: collection.revlog.len(),
        ..AnkiImport::default()
    };
    // Which note types are still Anki's standard ones (a check that parses
    // their templates: once per note type, not once per note).
    let stocks: HashMap<i64, Stock> = collection
        .note_types
        .iter()
        .filter_map(|note_type| Some((note_type.id, note_type.standard()?)))
        .collect();
    // The notes of standard note types that become recall notes.
    let mut standard: HashMap<i64, StandardNote> = HashMap::new();
    for (note_id, cards) in &by_note {
        let Some(note) = notes.get(note_id) else {
            continue;
        };
        let Some(stock) = stocks.get(&note.notetype).copied() else {
            continue;
        };
        let one_deck = cards.iter().all(|(deck, _)| *deck == cards[0].0);
        let ords: BTreeSet<u32> = cards.iter().map(|(_, ord)| *ord).collect();
        match standard_note(stock, note, &ords) {
            Some(built) if one_deck => {
                standard.insert(*note_id, built);
            }
            _ => out.rendered_standard_notes += 1,
        }
    }

    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    // Each imported card's index in `out.card_keys`, by Anki card id.
    let mut keys: HashMap<i64, u32> = HashMap::new();
    let mut mapped_types: Vec<i64> = Vec::new();
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
        let mut deck_notes_out: Vec<DeckNote> = Vec::with_capacity(cards.len());
        let mut report = DeckReport::default();
        let mut deck_notes: HashSet<i64> = HashSet::new();
        let mut media: Vec<String> = Vec::new();
        let mut card_ids: HashSet<CardId> = HashSet::new();
        let mut note_media = |files: Vec<&str>, media: &mut Vec<String>| {
            for file in files {
                if has_media(file) {
                    media.push(file.to_owned());
                } else {
                    missing.insert(file.to_owned());
                }
            }
        };
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
            let skip = |reason| SkippedCard {
                deck: name.to_owned(),
                guid: note.guid.clone(),
                ord: card.ord,
                notetype: note_type.name.clone(),
                reason,
            };
            // A standard note: all its cards at its first one (its cards
            // are all in this deck).
            if let Some(built) = standard.get_mut(&note.id) {
                let key = built
                    .keys
                    .iter()
                    .find(|(ord, _)| *ord == card.ord)
                    .map(|(_, key)| key.clone());
                let mut record = |key: Option<CardId>, out: &mut AnkiImport| {
                    if let Some(key) = key {
                        let key = CardKey::new(deck_id.clone(), key);
                        if card.queue == -1 {
                            report.suspended += 1;
                            out.suspended.push((key.clone(), modified_at(card)));
                        }
                        add_key(&mut keys, card.id, key, out);
                    }
                };
                if deck_notes.contains(&note.id) {
                    record(key, &mut out);
                    continue;
                }
                if built.keys.iter().any(|(_, key)| card_ids.contains(key)) {
                    out.skipped_cards.push(skip(SkipReason::DuplicateId {
                        id: built.keys[0].1.to_string(),
                        first_line: 0,
                        derived: false,
                    }));
                    continue;
                }
                card_ids.extend(built.keys.iter().map(|(_, key)| key.clone()));
                if !mapped_types.contains(&note_type.id) {
                    mapped_types.push(note_type.id);
                }
                note_media(built.media.iter().map(String::as_str).collect(), &mut media);
                deck_notes.insert(note.id);
                record(key, &mut out);
                deck_notes_out.extend(built.note.take());
                continue;
            }
            if !used_types.contains(&note_type.id) {
                used_types.push(note_type.id);
            }
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
            let files = media_names(&front).into_iter().chain(media_names(&back));
            note_media(files.collect(), &mut media);
            deck_notes.insert(note.id);
            let key = CardKey::new(deck_id.clone(), id.clone());
            if card.queue == -1 {
                report.suspended += 1;
                out.suspended.push((key.clone(), modified_at(card)));
            }
            add_key(&mut keys, card.id, key, &mut out);
            deck_notes_out.push(DeckNote::basic(id, front, back).with_tags(note.tags.clone()));
        }
        if deck_notes_out.is_empty() {
            continue;
        }
        // Card keys are unique, valid and unreserved (checked above), so
        // the deck's cards can always be made.
        let Ok(deck) = Deck::new(deck_id.clone(), name, "", deck_notes_out) else {
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
    out.mapped_types = mapped_types
        .iter()
        .filter_map(|id| note_types.get(id))
        .map(|note_type| note_type.name.clone())
        .collect();
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
        let key = keys.get(&entry.card).copied();
        let at = Utc.timestamp_millis_opt(entry.id).single();
        let rating = u8::try_from(entry.ease)
            .ok()
            .and_then(|ease| Rating::try_from(ease).ok());
        match (skip, key, at, rating) {
            (None, Some(card), Some(_), Some(rating)) => out.reviews.push(AnkiReview {
                at_ms: entry.id,
                card,
                rating,
                duration_ms: entry.time.max(0) as u64,
            }),
            (Some(skip), _, _, _) => *out.skipped_reviews.entry(skip).or_default() += 1,
            (None, None, _, _) => *out.skipped_reviews.entry(ReviewSkip::NoCard).or_default() += 1,
            _ => *out.skipped_reviews.entry(ReviewSkip::NoRating).or_default() += 1,
        }
    }
    // The revlog is read in id (time) order, so this is only a check. Ids
    // are unique, so an unstable sort (no buffer) gives the one order.
    if !out.reviews.is_sorted_by_key(|review| review.at_ms) {
        out.reviews.sort_unstable_by_key(|review| review.at_ms);
    }
    Ok(out)
}

/// Records that Anki card `card` became the card `key`: its index in
/// [`AnkiImport::card_keys`] is what its reviews refer to. (More than
/// `u32::MAX` cards cannot come within the size limits; such a card's
/// reviews would count as of cards not imported.)
fn add_key(keys: &mut HashMap<i64, u32>, card: i64, key: CardKey, out: &mut AnkiImport) {
    if let Ok(index) = u32::try_from(out.card_keys.len()) {
        out.card_keys.push(key);
        keys.insert(card, index);
    }
}

/// A standard note as a recall note: the note (taken when its first card
/// comes), each card's key by Anki ordinal, and the media its cards name.
#[derive(Debug, Clone)]
struct StandardNote {
    note: Option<DeckNote>,
    keys: Vec<(u32, CardId)>,
    media: Vec<String>,
}

/// The recall note for an Anki note of the standard type `stock` whose
/// cards have the ordinals `ords`; `None` when recall's note would not make
/// exactly those cards, with a question and an answer each.
fn standard_note(stock: Stock, note: &Note, ords: &BTreeSet<u32>) -> Option<StandardNote> {
    let id = card_id_from_guid(&note.guid)?;
    let raw = |index: usize| note.fields.get(index).map_or("", String::as_str);
    let field = |index: usize| normalize_text(&to_markdown(raw(index)));
    let built = match stock {
        Stock::Basic => DeckNote::basic(id, field(0), field(1)),
        Stock::BasicAndReversed => DeckNote::basic(id, field(0), field(1)).reversed(true),
        Stock::BasicOptionalReversed => {
            DeckNote::basic(id, field(0), field(1)).reversed(!field_is_empty(raw(2)))
        }
        Stock::BasicTyping => {
            DeckNote::basic(id, field(0), field(1)).typed(Some(TypeAnswer::default()))
        }
        Stock::Cloze => DeckNote::cloze(id, field(0), field(1)),
        Stock::ImageOcclusion => return None,
    }
    .with_tags(note.tags.clone());
    let cards = built.cards().ok()?;
    let blank = |text: &str| strip_highlights(text).trim().is_empty();
    if cards
        .iter()
        .any(|card| blank(&card.front) || blank(&card.answer))
    {
        return None;
    }
    let keys: Vec<(u32, CardId)> = cards
        .iter()
        .map(|card| (anki_ord(card.kind), card.id.clone()))
        .collect();
    let made: BTreeSet<u32> = keys.iter().map(|(ord, _)| *ord).collect();
    let media = cards
        .iter()
        .flat_map(|card| {
            media_names(&card.front)
                .into_iter()
                .chain(media_names(&card.back))
        })
        .map(str::to_owned)
        .collect();
    (made == *ords).then_some(StandardNote {
        note: Some(built),
        keys,
        media,
    })
}

/// The Anki ordinal of a recall card of a standard note type.
fn anki_ord(kind: CardKind) -> u32 {
    match kind {
        CardKind::Basic => 0,
        CardKind::Reversed => 1,
        CardKind::Cloze(n) => n.saturating_sub(1),
    }
}

/// When Anki last changed a card; the epoch for a nonsense value.
fn modified_at(card: &AnkiCard) -> DateTime<Utc> {
    Utc.timestamp_opt(card.modified, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// The key, within its deck, of card `ord` of an Anki note with `guid`:
/// `stock` is the note's standard type when it became a recall note of that
/// type, `None` when its cards were rendered from templates.
pub fn card_key_of(guid: &str, ord: u32, stock: Option<Stock>) -> Option<CardId> {
    let note = card_id_from_guid(guid)?;
    let kind = match (stock, ord) {
        (None, _) => return card_id(guid, ord),
        (Some(Stock::Cloze), ord) => CardKind::Cloze(ord + 1),
        (Some(_), 0) => CardKind::Basic,
        (Some(_), _) => CardKind::Reversed,
    };
    crate::deck::card_key(&note, kind).ok()
}

/// The id of card `ord` of the note with `guid`, rendered from templates.
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
    use crate::import::apkg::collection::AnkiDeck;
    use crate::import::notetype::{Kind, Template};

    const ANSWER: &str = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}";

    fn reversed_type() -> NoteType {
        NoteType {
            id: 1,
            name: "Basic (and reversed card)".into(),
            kind: Kind::Normal,
            stock: Some(Stock::BasicAndReversed),
            fields: vec!["Front".into(), "Back".into()],
            templates: vec![
                Template {
                    name: "Card 1".into(),
                    question: "{{Front}}".into(),
                    answer: ANSWER.into(),
                },
                Template {
                    name: "Card 2".into(),
                    question: "{{Back}}".into(),
                    answer: "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}".into(),
                },
            ],
        }
    }

    fn cloze_type() -> NoteType {
        NoteType {
            id: 2,
            name: "Cloze".into(),
            kind: Kind::Cloze,
            stock: Some(Stock::Cloze),
            fields: vec!["Text".into(), "Back Extra".into()],
            templates: vec![Template {
                name: "Cloze".into(),
                question: "{{cloze:Text}}".into(),
                answer: "{{cloze:Text}}<br>\n{{Back Extra}}".into(),
            }],
        }
    }

    fn note(id: i64, notetype: i64, guid: &str, fields: &[&str]) -> Note {
        Note {
            id,
            guid: guid.into(),
            notetype,
            tags: vec![],
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    fn card(id: i64, note: i64, deck: i64, ord: u32, queue: i64) -> AnkiCard {
        AnkiCard {
            id,
            note,
            deck,
            ord,
            queue,
            modified: 1_767_225_600,
        }
    }

    fn collection(notes: Vec<Note>, cards: Vec<AnkiCard>) -> Collection {
        Collection {
            schema: 11,
            note_types: vec![reversed_type(), cloze_type()],
            decks: vec![
                AnkiDeck {
                    id: 1,
                    name: "A".into(),
                },
                AnkiDeck {
                    id: 2,
                    name: "B".into(),
                },
            ],
            notes,
            cards,
            revlog: vec![],
        }
    }

    fn keys(import: &AnkiImport) -> Vec<String> {
        import
            .decks
            .iter()
            .flat_map(|deck| {
                deck.cards()
                    .iter()
                    .map(move |card| format!("{}/{}", deck.id, card.id))
            })
            .collect()
    }

    fn run(collection: &Collection) -> AnkiImport {
        convert(collection, &|_| true, &mut |_, _| {}).unwrap()
    }

    #[test]
    fn standard_notes_become_recall_notes_keyed_like_them() {
        let imported = run(&collection(
            vec![
                note(1, 1, "nile", &["Longest river", "The Nile"]),
                note(2, 2, "oz", &["{{c1::Canberra}} in {{c3::Australia}}", ""]),
            ],
            vec![
                card(10, 1, 1, 0, 0),
                card(11, 1, 1, 1, -1),
                card(20, 2, 1, 0, 0),
                card(21, 2, 1, 2, -2),
            ],
        ));
        assert_eq!(
            keys(&imported),
            ["a/nile", "a/nile.reverse", "a/oz", "a/oz.c3"]
        );
        assert_eq!(imported.decks[0].notes().len(), 2);
        assert_eq!(imported.rendered_standard_notes, 0);
        assert!(imported.note_types.is_empty());
        // Suspended (queue -1) is listed at Anki's instant; buried is not.
        let at = Utc.timestamp_opt(1_767_225_600, 0).unwrap();
        assert_eq!(
            imported.suspended,
            [("a/nile.reverse".parse().unwrap(), at)]
        );
        assert_eq!(imported.reports[0].suspended, 1);
        for (ord, key) in [(0, "nile"), (1, "nile.reverse")] {
            let stock = Some(Stock::BasicAndReversed);
            assert_eq!(card_key_of("nile", ord, stock).unwrap().as_str(), key);
        }
        assert_eq!(
            card_key_of("oz", 2, Some(Stock::Cloze)).unwrap().as_str(),
            "oz.c3"
        );
    }

    #[test]
    fn notes_recall_cannot_reproduce_are_rendered_card_by_card() {
        let imported = run(&collection(
            vec![
                // Its two cards in two decks.
                note(1, 1, "split", &["front", "back"]),
                // c2 in the text, but only the card of c1 in the package.
                note(2, 2, "partial", &["{{c1::a}} {{c2::b}}", ""]),
                // A cloze inside another, which recall refuses.
                note(3, 2, "nested", &["{{c1::a {{c2::b}}}}", ""]),
            ],
            vec![
                card(10, 1, 1, 0, 0),
                card(11, 1, 2, 1, -1),
                card(20, 2, 1, 0, 0),
                card(30, 3, 1, 0, 0),
                card(31, 3, 1, 1, 0),
            ],
        ));
        assert_eq!(
            keys(&imported),
            [
                "a/split",
                "a/partial",
                "a/nested",
                "a/nested.2",
                "b/split.2"
            ]
        );
        assert_eq!(imported.rendered_standard_notes, 3);
        let names: Vec<&str> = imported
            .note_types
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(names, ["Basic (and reversed card)", "Cloze"]);
        let back = &imported.decks[1].cards()[0];
        assert_eq!((back.front.as_str(), back.back.as_str()), ("back", "front"));
        assert_eq!(imported.suspended[0].0.to_string(), "b/split.2");
    }

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
