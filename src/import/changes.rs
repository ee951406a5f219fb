//! What importing a deck does to the deck already there: which cards are
//! added, updated, unchanged or removed, and whether the import may replace
//! that deck at all.
//!
//! Progress is keyed by (deck id, card id) in the review log, which import
//! never touches: a card that keeps its id keeps its history, and a removed
//! card's reviews stay in the log, ready for the card to come back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::deck::{Card, CardId, Deck, DeckId};

/// How an imported deck differs from the deck file it replaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Ids new to the deck.
    pub added: Vec<CardId>,
    /// Ids kept, with a new front, back or tags.
    pub updated: Vec<CardId>,
    /// Ids kept with the same text and tags.
    pub unchanged: usize,
    /// Ids in the old deck that the source no longer has.
    pub removed: Vec<CardId>,
}

/// Compares the imported deck with the old one (if any), card by card id.
/// Moving a card within the deck is not a change.
pub fn compare(old: Option<&Deck>, new: &Deck) -> Changes {
    let old_cards: HashMap<&CardId, &Card> = old
        .map(|deck| deck.cards().iter().map(|card| (&card.id, card)).collect())
        .unwrap_or_default();
    let mut changes = Changes::default();
    for card in new.cards() {
        match old_cards.get(&card.id) {
            None => changes.added.push(card.id.clone()),
            Some(old) if *old == card => changes.unchanged += 1,
            Some(_) => changes.updated.push(card.id.clone()),
        }
    }
    if let Some(old) = old {
        let new_ids: std::collections::HashSet<&CardId> =
            new.cards().iter().map(|card| &card.id).collect();
        changes.removed = old
            .cards()
            .iter()
            .filter(|card| !new_ids.contains(&card.id))
            .map(|card| card.id.clone())
            .collect();
    }
    changes
}

/// What already has the id an imported deck would get.
#[derive(Debug, Clone, Copy)]
pub enum Existing<'a> {
    /// No deck, and no file at the deck's path.
    Nothing,
    /// A deck bundled with recall.
    Bundled,
    /// A deck in the deck directory.
    Deck {
        deck: &'a Deck,
        path: &'a Path,
        /// Its `imported_from`; `None` for a deck written by hand.
        imported_from: Option<&'a str>,
    },
    /// The file `<id>.toml` holds a deck with another id.
    OtherDeck { path: &'a Path, id: &'a DeckId },
    /// The file `<id>.toml` cannot be loaded.
    Broken { path: &'a Path, error: &'a str },
}

/// Where an imported deck is written, and what that does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A new deck file.
    Create(PathBuf),
    /// The deck imported earlier from the same file.
    Update(PathBuf),
    /// A deck from elsewhere, replaced because of `--replace`.
    Replace(PathBuf),
}

impl Target {
    pub fn path(&self) -> &Path {
        match self {
            Target::Create(path) | Target::Update(path) | Target::Replace(path) => path,
        }
    }
}

/// Why an import may not write a deck.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "the deck `{id}` ({}) {}, not from {source_file}\n  help: pass --deck-id to import it as another deck, or --replace to replace `{id}` (cards that keep their ids keep their reviews)",
        path.display(),
        match from { Some(from) => format!("was imported from {from}"), None => "was not imported but written by hand".to_owned() }
    )]
    OtherSource {
        id: String,
        path: PathBuf,
        from: Option<String>,
        source_file: String,
    },
    #[error(
        "`{id}` is the id of a deck bundled with recall\n  help: pass --deck-id to choose another id"
    )]
    Bundled { id: String },
    #[error(
        "{} holds the deck `{other}`, so the deck `{id}` cannot be written there\n  help: pass --deck-id to choose another id, or rename that file",
        path.display()
    )]
    OtherDeck {
        id: String,
        path: PathBuf,
        other: String,
    },
    #[error(
        "{} cannot be loaded, so it is not replaced: {error}\n  help: fix that file, or pass --replace to overwrite it",
        path.display()
    )]
    Broken { path: PathBuf, error: String },
}

/// Decides whether the deck `id` imported from `source` may be written, and
/// where: `default_path` (`<deck dir>/<id>.toml`) unless the deck already
/// lives in another file of the deck directory.
pub fn decide(
    id: &DeckId,
    existing: Existing<'_>,
    source: &str,
    default_path: &Path,
    replace: bool,
) -> Result<Target, Refusal> {
    match existing {
        Existing::Nothing => Ok(Target::Create(default_path.to_path_buf())),
        Existing::Bundled => Err(Refusal::Bundled { id: id.to_string() }),
        Existing::OtherDeck { path, id: other } => Err(Refusal::OtherDeck {
            id: id.to_string(),
            path: path.to_path_buf(),
            other: other.to_string(),
        }),
        Existing::Broken { path, .. } if replace => Ok(Target::Replace(path.to_path_buf())),
        Existing::Broken { path, error } => Err(Refusal::Broken {
            path: path.to_path_buf(),
            error: error.to_owned(),
        }),
        Existing::Deck {
            path,
            imported_from,
            ..
        } => {
            if imported_from == Some(source) {
                Ok(Target::Update(path.to_path_buf()))
            } else if replace {
                Ok(Target::Replace(path.to_path_buf()))
            } else {
                Err(Refusal::OtherSource {
                    id: id.to_string(),
                    path: path.to_path_buf(),
                    from: imported_from.map(str::to_owned),
                    source_file: source.to_owned(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::deck::Note;

    fn card(id: &str, front: &str) -> Note {
        Note::basic(CardId::new(id).unwrap(), front, "b")
    }

    fn deck(notes: Vec<Note>) -> Deck {
        Deck::new(DeckId::new("d").unwrap(), "d", "", notes).unwrap()
    }

    fn ids(ids: &[CardId]) -> Vec<&str> {
        ids.iter().map(CardId::as_str).collect()
    }

    #[test]
    fn compares_card_by_card_id() {
        let old = deck(vec![card("a", "A"), card("b", "B"), card("c", "C")]);
        let new = deck(vec![card("c", "C"), card("b", "B2"), card("d", "D")]);
        let changes = compare(Some(&old), &new);
        assert_eq!(ids(&changes.added), ["d"]);
        assert_eq!(ids(&changes.updated), ["b"]);
        assert_eq!(changes.unchanged, 1);
        assert_eq!(ids(&changes.removed), ["a"]);
        let fresh = compare(None, &new);
        assert_eq!(fresh.added.len(), 3);
        assert!(fresh.removed.is_empty());
    }

    #[test]
    fn the_same_source_updates_and_another_is_refused_without_replace() {
        let id = DeckId::new("d").unwrap();
        let old = deck(vec![card("a", "A")]);
        let path = Path::new("/data/decks/d.toml");
        let default = Path::new("/data/decks/d.toml");
        let existing = |from| Existing::Deck {
            deck: &old,
            path,
            imported_from: from,
        };
        assert_eq!(
            decide(
                &id,
                existing(Some("/src/a.txt")),
                "/src/a.txt",
                default,
                false
            ),
            Ok(Target::Update(path.into()))
        );
        let refused = decide(
            &id,
            existing(Some("/src/a.txt")),
            "/src/b.txt",
            default,
            false,
        );
        assert!(matches!(refused, Err(Refusal::OtherSource { .. })));
        assert_eq!(
            decide(&id, existing(None), "/src/b.txt", default, true),
            Ok(Target::Replace(path.into()))
        );
        let message = decide(&id, existing(None), "/src/b.txt", default, false)
            .unwrap_err()
            .to_string();
        assert!(message.contains("written by hand"), "{message}");
        assert!(message.contains("--deck-id") && message.contains("--replace"));
    }

    #[test]
    fn bundled_and_foreign_files_are_never_overwritten() {
        let id = DeckId::new("d").unwrap();
        let other = DeckId::new("x").unwrap();
        let path = Path::new("/data/decks/d.toml");
        for replace in [false, true] {
            assert!(decide(&id, Existing::Bundled, "/s", path, replace).is_err());
            let existing = Existing::OtherDeck { path, id: &other };
            assert!(decide(&id, existing, "/s", path, replace).is_err());
        }
        let broken = Existing::Broken { path, error: "bad" };
        assert!(decide(&id, broken, "/s", path, false).is_err());
        assert_eq!(
            decide(&id, broken, "/s", path, true),
            Ok(Target::Replace(path.into()))
        );
        assert_eq!(
            decide(&id, Existing::Nothing, "/s", path, false),
            Ok(Target::Create(path.into()))
        );
    }
}
