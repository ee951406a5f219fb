//! Card states from the review log: each card's reviews, in time order,
//! through the scheduler with the current settings. A card with no reviews
//! is New. Replaying the same log with the same settings always gives the
//! same states (fuzz is seeded by card and review count).

use std::collections::HashMap;

use std::sync::Arc;

use super::log::{Entry, Interner, ReviewLog};
use crate::day::StudyDay;
use crate::deck::{CardKey, DeckId};
use crate::schedule::{self, Card, Settings, State};

/// What was studied in one deck during the current study day, for the
/// daily limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Cards whose first review was today.
    pub new_started: u32,
    /// Reviews of cards that were in the Review state (not learning steps).
    pub reviews: u32,
}

/// Every reviewed card's state, and today's counts per deck.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// By the log's key index.
    cards: Vec<Card>,
    /// The log's card keys (shared, not copied).
    keys: Arc<Interner>,
    today: HashMap<DeckId, DayCounts>,
}

impl Progress {
    /// Replays `log` with `settings`; `day` is the study day for the counts.
    pub fn replay(log: &ReviewLog, settings: &Settings, day: &StudyDay) -> Progress {
        let mut cards: Vec<Card> = log
            .keys()
            .iter()
            .map(|key| Card::with_key(&key.to_string()))
            .collect();
        let mut today: HashMap<DeckId, DayCounts> = HashMap::new();
        for entry in in_time_order(log).iter() {
            let card = &mut cards[entry.key.get()];
            if day.contains(entry.reviewed_at) {
                let counts = today.entry(log.key(entry.key).deck.clone()).or_default();
                match card.state() {
                    State::New => counts.new_started += 1,
                    State::Review => counts.reviews += 1,
                    State::Learning | State::Relearning => {}
                }
            }
            *card = schedule::review(card, entry.rating, entry.reviewed_at, settings);
        }
        Progress {
            cards,
            keys: log.shared_keys(),
            today,
        }
    }

    /// The card's state: New if it has no reviews.
    pub fn card(&self, key: &CardKey) -> Card {
        self.keys
            .get(key.deck.as_str(), key.card.as_str())
            .map(|i| self.cards[i.get()])
            .unwrap_or_else(|| Card::with_key(&key.to_string()))
    }

    /// Today's counts for a deck.
    pub fn today(&self, deck: &DeckId) -> DayCounts {
        self.today.get(deck).copied().unwrap_or_default()
    }

    /// Every card with reviews.
    pub fn reviewed_keys(&self) -> impl Iterator<Item = &CardKey> {
        self.keys.keys().iter()
    }
}

/// The log's entries sorted by time, stably (equal times keep file order).
/// Logs are written in time order, so this is usually just a check.
fn in_time_order(log: &ReviewLog) -> std::borrow::Cow<'_, [Entry]> {
    let entries = log.entries();
    if entries.is_sorted_by_key(|e| e.reviewed_at) {
        return std::borrow::Cow::Borrowed(entries);
    }
    let mut sorted = entries.to_vec();
    sorted.sort_by_key(|e| e.reviewed_at);
    std::borrow::Cow::Owned(sorted)
}
