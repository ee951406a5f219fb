//! Card states from the review log: each card's reviews, in time order,
//! through the scheduler with the current settings. A card with no reviews
//! is New. Replaying the same log with the same settings always gives the
//! same states (fuzz is seeded by card and review count).
//!
//! The card events (`card_events.csv`) are replayed with the reviews, in
//! time order: a `forget` makes the card New again from that moment (its
//! reviews stay in the log and in its counts), `suspend` and `bury` take it
//! out of the queue ([`Progress::is_available`]), and a lapse that reaches
//! the leech threshold makes the card a leech (and suspends it, with
//! `leech_action = "suspend"`). An event at the same millisecond as a review
//! comes after it.

use std::collections::HashMap;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::card_events::{CardEvent, EventKind};
use super::log::{Entry, Interner, ReviewLog};
use crate::day::StudyDay;
use crate::deck::{CardKey, DeckId};
use crate::schedule::{self, Card, Rating, Settings, State};

/// When a card counts as a leech and what happens then (Anki's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeechRule {
    /// Lapses that make a leech; 0 turns leeches off.
    pub threshold: u32,
    /// Suspend the card when it becomes a leech (else only mark it one).
    pub suspend: bool,
}

impl Default for LeechRule {
    fn default() -> Self {
        LeechRule {
            threshold: 8,
            suspend: true,
        }
    }
}

impl LeechRule {
    /// Whether reaching `lapses` lapses is a leech hit: at the threshold,
    /// then every half threshold after it, as Anki does.
    pub fn hit(&self, lapses: u32) -> bool {
        if self.threshold == 0 || lapses < self.threshold {
            return false;
        }
        (lapses - self.threshold).is_multiple_of((self.threshold / 2).max(1))
    }

    /// Whether a card with `lapses` lapses is a leech.
    pub fn is_leech(&self, lapses: u32) -> bool {
        self.threshold > 0 && lapses >= self.threshold
    }
}

/// Whether grading a card in `state` with `rating` is a lapse: a card past
/// learning forgotten.
pub fn is_lapse(state: State, rating: Rating) -> bool {
    state == State::Review && rating == Rating::Again
}

/// What the events and the reviews say about a card besides its schedule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Status {
    pub suspended: bool,
    /// When the card was last buried (and not unburied since).
    pub buried_at: Option<DateTime<Utc>>,
    pub marked: bool,
    /// Again on a card in Review, over all its reviews (a forget keeps
    /// them, as in Anki).
    pub lapses: u32,
    /// Every review in the log, a forget notwithstanding.
    pub reviews: u32,
    /// The last review in the log, a forget notwithstanding.
    pub last_reviewed: Option<DateTime<Utc>>,
    pub leech: bool,
}

impl Status {
    /// Buried during `day` (or later): out of the queue until the next one.
    pub fn is_buried(&self, day: &StudyDay) -> bool {
        self.buried_at.is_some_and(|at| at >= day.start)
    }

    fn apply(&mut self, kind: EventKind) {
        match kind {
            EventKind::Suspend => self.suspended = true,
            EventKind::Unsuspend => self.suspended = false,
            EventKind::Bury | EventKind::Unbury | EventKind::Forget => {}
            EventKind::Mark => self.marked = true,
            EventKind::Unmark => self.marked = false,
        }
    }
}

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
    /// By the log's key index, like `cards`.
    statuses: Vec<Status>,
    /// Cards without reviews that have events.
    unreviewed: HashMap<CardKey, Status>,
    today: HashMap<DeckId, DayCounts>,
}

impl Progress {
    /// Replays `log` with `settings` and no card events; `day` is the study
    /// day for the counts.
    pub fn replay(log: &ReviewLog, settings: &Settings, day: &StudyDay) -> Progress {
        Progress::replay_with_events(log, &[], settings, LeechRule::default(), day)
    }

    /// Replays `log` and `events` together in time order.
    pub fn replay_with_events(
        log: &ReviewLog,
        events: &[CardEvent],
        settings: &Settings,
        leech: LeechRule,
        day: &StudyDay,
    ) -> Progress {
        let mut cards: Vec<Card> = log
            .keys()
            .iter()
            .map(|key| Card::with_key(&key.to_string()))
            .collect();
        let mut statuses = vec![Status::default(); cards.len()];
        let mut unreviewed: HashMap<CardKey, Status> = HashMap::new();
        let mut events: Vec<&CardEvent> = events.iter().collect();
        events.sort_by_key(|e| e.at);
        let mut events = events.into_iter().peekable();
        let mut apply = |event: &CardEvent, cards: &mut Vec<Card>, statuses: &mut Vec<Status>| {
            let status = match log.index_of(&event.key) {
                Some(index) => {
                    if event.kind == EventKind::Forget {
                        cards[index.get()] = Card::with_key(&event.key.to_string());
                    }
                    &mut statuses[index.get()]
                }
                None => unreviewed.entry(event.key.clone()).or_default(),
            };
            match event.kind {
                EventKind::Bury => status.buried_at = Some(event.at),
                EventKind::Unbury => status.buried_at = None,
                kind => status.apply(kind),
            }
        };
        let mut today: HashMap<DeckId, DayCounts> = HashMap::new();
        for entry in in_time_order(log).iter() {
            while let Some(event) = events.next_if(|e| e.at < entry.reviewed_at) {
                apply(event, &mut cards, &mut statuses);
            }
            let card = &mut cards[entry.key.get()];
            let status = &mut statuses[entry.key.get()];
            status.reviews += 1;
            status.last_reviewed = Some(entry.reviewed_at);
            if is_lapse(card.state(), entry.rating) {
                status.lapses += 1;
                status.leech = leech.is_leech(status.lapses);
                if leech.suspend && leech.hit(status.lapses) {
                    status.suspended = true;
                }
            }
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
        for event in events {
            apply(event, &mut cards, &mut statuses);
        }
        Progress {
            cards,
            keys: log.shared_keys(),
            statuses,
            unreviewed,
            today,
        }
    }

    /// The card's status: suspended, buried, marked, lapses.
    pub fn status(&self, key: &CardKey) -> Status {
        match self.keys.get(key.deck.as_str(), key.card.as_str()) {
            Some(i) => self.statuses[i.get()],
            None => self.unreviewed.get(key).copied().unwrap_or_default(),
        }
    }

    /// Whether the card may be queued today: neither suspended nor buried.
    pub fn is_available(&self, key: &CardKey, day: &StudyDay) -> bool {
        let status = self.status(key);
        !status.suspended && !status.is_buried(day)
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
