//! Card states from the review log: each card's reviews, in time order,
//! through the scheduler with the current settings. A card with no reviews
//! is New. Replaying the same log with the same settings always gives the
//! same states (fuzz is seeded by card and review count).
//!
//! A replay can be continued: [`Replayed`] is the state after some first
//! lines of the log, which the cache keeps so that a start replays only the
//! lines appended since ([`Replayed::extend`]).

use std::collections::HashMap;

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

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
    /// Reviews per card, by the log's key index.
    review_counts: Vec<u32>,
    /// The log's card keys (shared, not copied).
    keys: Arc<Interner>,
    today: HashMap<DeckId, DayCounts>,
}

/// How far back [`Replayed`] remembers reviews, to count a study day's:
/// longer than any study day (25 hours at a daylight-saving change).
const RECENT: TimeDelta = TimeDelta::days(3);

/// One review as the daily counts need it: when, which card, and the
/// card's state just before.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
struct RecentReview {
    at_millis: i64,
    key: u32,
    before: State,
}

/// A replay of a log's first reviews, in time order, that more reviews can
/// continue. Indexed by the log's key index.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Replayed {
    cards: Vec<Card>,
    review_counts: Vec<u32>,
    /// The latest review replayed, in milliseconds since the epoch.
    last_millis: Option<i64>,
    /// Every review since `RECENT` before `last_millis`, in time order.
    recent: Vec<RecentReview>,
}

impl Replayed {
    /// Replays `entries` (whose keys index `keys`, in the merged log's
    /// order) after the reviews already replayed. Returns `false`, replaying
    /// nothing, unless they are all later than those: then only a full
    /// replay gives the merged order (and drops duplicates across the two).
    pub(crate) fn extend(
        &mut self,
        keys: &Interner,
        entries: &[Entry],
        settings: &Settings,
    ) -> bool {
        let in_order = entries.is_sorted_by_key(|e| e.reviewed_at)
            && match (self.last_millis, entries.first()) {
                (Some(last), Some(first)) => first.reviewed_at.timestamp_millis() > last,
                _ => true,
            };
        if !in_order {
            return false;
        }
        self.replay_sorted(keys, entries, settings);
        true
    }

    fn replay_sorted(&mut self, keys: &Interner, entries: &[Entry], settings: &Settings) {
        let known = self.cards.len();
        self.cards.extend(
            keys.keys()[known..]
                .iter()
                .map(|key| Card::with_key(&key.to_string())),
        );
        self.review_counts.resize(self.cards.len(), 0);
        let Some(last) = entries.last() else {
            return;
        };
        let recent_from = last.reviewed_at - RECENT;
        for entry in entries {
            let i = entry.key.get();
            let card = &mut self.cards[i];
            if entry.reviewed_at >= recent_from {
                self.recent.push(RecentReview {
                    at_millis: entry.reviewed_at.timestamp_millis(),
                    key: i as u32,
                    before: card.state(),
                });
            }
            *card = schedule::review(card, entry.rating, entry.reviewed_at, settings);
            self.review_counts[i] += 1;
        }
        let last_millis = last.reviewed_at.timestamp_millis();
        self.last_millis = Some(last_millis);
        let cut = last_millis - RECENT.num_milliseconds();
        let old = self.recent.partition_point(|r| r.at_millis < cut);
        self.recent.drain(..old);
    }

    /// Whether this replay remembers every review that `day` may hold.
    pub(crate) fn covers(&self, day: &StudyDay) -> bool {
        match self.last_millis {
            None => true,
            Some(last) => day.start.timestamp_millis() >= last - RECENT.num_milliseconds(),
        }
    }

    /// The number of cards (keys) replayed: a check against the key table.
    pub(crate) fn cards(&self) -> usize {
        self.cards.len()
    }

    /// The progress for the study day `day`; `keys` are the keys the
    /// entries indexed. `day` must be [`covered`](Self::covers).
    pub(crate) fn into_progress(self, keys: Arc<Interner>, day: &StudyDay) -> Progress {
        let mut today: HashMap<DeckId, DayCounts> = HashMap::new();
        let start = day.start.timestamp_millis();
        let from = self.recent.partition_point(|r| r.at_millis < start);
        for review in &self.recent[from..] {
            let at = DateTime::<Utc>::from_timestamp_millis(review.at_millis);
            if !at.is_some_and(|at| day.contains(at)) {
                continue;
            }
            let deck = &keys.keys()[review.key as usize].deck;
            let counts = today.entry(deck.clone()).or_default();
            match review.before {
                State::New => counts.new_started += 1,
                State::Review => counts.reviews += 1,
                State::Learning | State::Relearning => {}
            }
        }
        Progress {
            cards: self.cards,
            review_counts: self.review_counts,
            keys,
            today,
        }
    }

    /// Replays a whole log.
    pub fn of_log(log: &ReviewLog, settings: &Settings) -> Replayed {
        let mut replayed = Replayed::default();
        replayed.replay_sorted(log.interner(), &in_time_order(log), settings);
        replayed
    }
}

impl Progress {
    /// Replays `log` with `settings`; `day` is the study day for the counts.
    pub fn replay(log: &ReviewLog, settings: &Settings, day: &StudyDay) -> Progress {
        let replayed = Replayed::of_log(log, settings);
        if replayed.covers(day) {
            return replayed.into_progress(log.shared_keys(), day);
        }
        // A study day long before the last review (a clock set back): count
        // it from the whole log.
        let mut progress = replayed.into_progress(log.shared_keys(), day);
        progress.today = count_day(log, settings, day);
        progress
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

    /// Every card with reviews, and how many it has.
    pub fn review_counts(&self) -> impl Iterator<Item = (&CardKey, u32)> {
        self.keys
            .keys()
            .iter()
            .zip(self.review_counts.iter().copied())
    }
}

/// The daily counts of `day` from a full replay of `log`.
fn count_day(log: &ReviewLog, settings: &Settings, day: &StudyDay) -> HashMap<DeckId, DayCounts> {
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
    today
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
