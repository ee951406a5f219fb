//! The TOML deck format (see `docs/deck-format.md`): reading with every
//! problem located, and writing back.
//!
//! Reading walks toml's span-keeping document tree by hand instead of using
//! serde, so that one pass reports *every* problem (not just the first), each
//! at the exact key or value it concerns.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::{
    Card, CardId, Deck, DeckId, LineIndex, Place, Position, Problem, ProblemKind, derived_card_id,
    is_valid_tag, normalize_text,
};

const TOP_KEYS: &[&str] = &["deck", "cards"];
const DECK_KEYS: &[&str] = &["id", "name", "description"];
const CARD_KEYS: &[&str] = &["id", "front", "back", "tags"];
const CARDS_TYPE: &str = "an array of tables ([[cards]])";

/// Parses a deck file's text. `default_id` (usually the file name without
/// `.toml`) is the deck id when `[deck]` sets none.
pub fn parse(text: &str, default_id: &str) -> Result<Deck, Vec<Problem>> {
    let lines = LineIndex::new(text);
    let root = DeTable::parse(text).map_err(|error| {
        let offset = error.span().map_or(0, |span| span.start);
        vec![Problem::new(
            lines.position(offset),
            ProblemKind::Syntax {
                message: error.message().trim().to_owned(),
            },
        )]
    })?;
    let mut reader = Reader {
        lines: &lines,
        problems: Vec::new(),
    };
    let deck = reader.deck(root.get_ref(), default_id);
    let mut problems = reader.problems;
    match deck {
        Some(deck) if problems.is_empty() => Ok(deck),
        _ => {
            problems.sort_by_key(|p| p.position);
            Err(problems)
        }
    }
}

/// A card without its id, which the caller reads and checks for repeats.
struct CardText {
    front: String,
    back: String,
    tags: Vec<String>,
}

/// Collects problems while walking the document.
struct Reader<'a> {
    lines: &'a LineIndex<'a>,
    problems: Vec<Problem>,
}

/// A table's entries in file order (toml's map does not keep it).
fn entries<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(
    &'t Spanned<std::borrow::Cow<'i, str>>,
    &'t Spanned<DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

impl Reader<'_> {
    fn report(&mut self, span: Range<usize>, kind: ProblemKind) {
        let position = self.lines.position(span.start);
        self.problems.push(Problem::new(position, kind));
    }

    fn deck(&mut self, root: &DeTable<'_>, default_id: &str) -> Option<Deck> {
        let mut meta = None;
        let mut cards = None;
        for (key, value) in entries(root) {
            match key.get_ref().as_ref() {
                "deck" => meta = self.table(Place::File, key, value),
                "cards" => cards = Some(value),
                _ => {
                    self.unknown_key(Place::File, key, TOP_KEYS);
                }
            }
        }
        let (id, name, description) = match meta {
            Some(table) => self.deck_meta(table, default_id)?,
            None => (self.default_deck_id(default_id)?, None, String::new()),
        };
        let cards = match cards {
            Some(value) => self.cards(value)?,
            None => Vec::new(),
        };
        if cards.is_empty() && self.problems.is_empty() {
            let position = match cards_span(root) {
                Some(span) => self.lines.position(span.start),
                None => Position::START,
            };
            self.problems
                .push(Problem::new(position, ProblemKind::NoCards));
        }
        let name = name.unwrap_or_else(|| id.to_string());
        Some(Deck {
            id,
            name,
            description,
            cards,
        })
    }

    fn deck_meta(
        &mut self,
        table: &DeTable<'_>,
        default_id: &str,
    ) -> Option<(DeckId, Option<String>, String)> {
        let mut id = None;
        let mut name = None;
        let mut description = String::new();
        for (key, value) in entries(table) {
            match key.get_ref().as_ref() {
                "id" => id = self.id(Place::Deck, "id", value, DeckId::new),
                "name" => name = self.text(Place::Deck, key, value, "name"),
                "description" => {
                    description = self
                        .string(Place::Deck, key.get_ref(), value)
                        .unwrap_or_default();
                    description = normalize_text(&description);
                }
                _ => {
                    self.unknown_key(Place::Deck, key, DECK_KEYS);
                }
            }
        }
        let id = match id {
            Some(id) => id,
            None => self.default_deck_id(default_id)?,
        };
        Some((id, name, description))
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

    fn cards(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Vec<Card>> {
        let items = self.array(Place::File, "cards", value, CARDS_TYPE)?;
        let mut cards = Vec::with_capacity(items.len());
        let mut first_seen: HashMap<CardId, Position> = HashMap::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let place = Place::Card(index + 1);
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
                let position = self.lines.position(value.span().start);
                (self.id(place, "id", value, CardId::new), position)
            });
            let card = self.card(place, table, item.span());
            // Ids are checked for repeats even when the rest of the card is
            // wrong, so one run of `recall check` reports every problem.
            let (id, position) = match (explicit_id, &card) {
                (Some((Some(id), position)), _) => (id, position),
                (None, Some(card)) => (
                    derived_card_id(&card.front),
                    self.lines.position(item.span().start),
                ),
                _ => continue,
            };
            if let Some(first) = first_seen.get(&id) {
                self.problems.push(Problem::new(
                    position,
                    ProblemKind::DuplicateCardId {
                        id: id.to_string(),
                        first: *first,
                    },
                ));
                continue;
            }
            first_seen.insert(id.clone(), position);
            if let Some(CardText { front, back, tags }) = card {
                cards.push(Card {
                    id,
                    front,
                    back,
                    tags,
                });
            }
        }
        Some(cards)
    }

    /// A card's text and tags (its id is read by the caller).
    fn card(
        &mut self,
        place: Place,
        table: &DeTable<'_>,
        header: Range<usize>,
    ) -> Option<CardText> {
        let mut front = None;
        let mut back = None;
        let mut tags = Vec::new();
        let mut misspelt = Vec::new();
        for (key, value) in entries(table) {
            match key.get_ref().as_ref() {
                "id" => {}
                "front" => front = self.text(place, key, value, "front"),
                "back" => back = self.text(place, key, value, "back"),
                "tags" => tags = self.tags(place, key, value).unwrap_or_default(),
                _ => misspelt.extend(self.unknown_key(place, key, CARD_KEYS)),
            }
        }
        for field in ["front", "back"] {
            // `bakc = ...` already says "did you mean `back`?"; saying that
            // `back` is missing too would be noise.
            if table.get(field).is_none() && !misspelt.contains(&field) {
                self.report(header.clone(), ProblemKind::MissingField { place, field });
            }
        }
        Some(CardText {
            front: front?,
            back: back?,
            tags,
        })
    }

    fn tags(
        &mut self,
        place: Place,
        key: &Spanned<std::borrow::Cow<'_, str>>,
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
                other => self.report(
                    item.span(),
                    ProblemKind::WrongType {
                        place,
                        key: key.get_ref().to_string(),
                        expected: "an array of strings",
                        found: other.type_str(),
                    },
                ),
            }
        }
        Some(tags)
    }

    /// A required, non-empty text field, normalised.
    fn text(
        &mut self,
        place: Place,
        key: &Spanned<std::borrow::Cow<'_, str>>,
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
        make: impl Fn(String) -> Result<T, super::IdError>,
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
                self.report(
                    value.span(),
                    ProblemKind::WrongType {
                        place,
                        key: key.to_owned(),
                        expected,
                        found: other.type_str(),
                    },
                );
                None
            }
        }
    }

    fn table<'v, 'i>(
        &mut self,
        place: Place,
        key: &Spanned<std::borrow::Cow<'i, str>>,
        value: &'v Spanned<DeValue<'i>>,
    ) -> Option<&'v DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(table) => Some(table),
            other => {
                self.wrong_type(
                    place,
                    key.get_ref(),
                    value.span(),
                    "a table",
                    other.type_str(),
                );
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
        self.report(
            span,
            ProblemKind::WrongType {
                place,
                key: key.to_owned(),
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
        key: &Spanned<std::borrow::Cow<'_, str>>,
        allowed: &'static [&'static str],
    ) -> Option<&'static str> {
        let suggestion = super::problem::suggest(key.get_ref(), allowed);
        self.report(
            key.span(),
            ProblemKind::UnknownKey {
                place,
                key: key.get_ref().to_string(),
                allowed,
            },
        );
        suggestion
    }
}

fn cards_span(root: &DeTable<'_>) -> Option<Range<usize>> {
    root.get("cards").map(Spanned::span)
}

/// The file layout we write: `[deck]` first, then one `[[cards]]` table per
/// card, with multi-line text as readable multi-line strings.
#[derive(Serialize)]
struct DeckFile<'a> {
    deck: DeckHeader<'a>,
    cards: Vec<CardEntry<'a>>,
}

#[derive(Serialize)]
struct DeckHeader<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
}

#[derive(Serialize)]
struct CardEntry<'a> {
    id: &'a str,
    front: &'a str,
    back: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
}

/// Writes a deck in the TOML format; [`parse`] reads it back equal.
pub fn write(deck: &Deck) -> String {
    let file = DeckFile {
        deck: DeckHeader {
            id: deck.id.as_str(),
            name: &deck.name,
            description: &deck.description,
        },
        cards: deck
            .cards
            .iter()
            .map(|card| CardEntry {
                id: card.id.as_str(),
                front: &card.front,
                back: &card.back,
                tags: &card.tags,
            })
            .collect(),
    };
    // Serialising plain strings and string arrays cannot fail.
    toml::to_string(&file).unwrap_or_else(|error| unreachable!("deck serialisation: {error}"))
}
