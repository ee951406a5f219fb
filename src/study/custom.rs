//! Custom study, as Anki's "Custom Study" dialog offers it: more new cards
//! today, reviewing ahead, one tag only, or the cards forgotten lately. Each
//! gives a [`DeckQueue`] for an ordinary session: its grades are ordinary
//! reviews, at their real time (FSRS handles a review before its due date).

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};

use super::queue::{DeckQueue, QueueOptions};
use crate::day::StudyDay;
use crate::deck::{CardKey, Deck};
use crate::schedule::{Rating, State};
use crate::store::{Config, Progress, ReviewLog};

/// What to study beyond today's queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomStudy {
    /// Raise today's new-card limit of the deck by this many (kept for the
    /// rest of the study day).
    ExtraNew(u32),
    /// Reviews due within this many days after today, studied now.
    Ahead { days: u32 },
    /// Today's queue, only the cards with this tag.
    Tag(String),
    /// Cards graded Again within the last this many days.
    Forgotten { days: u32 },
}

impl CustomStudy {
    /// `review ahead 3 days`, for titles.
    pub fn describe(&self) -> String {
        let days = |n: u32| crate::format::plural(n as usize, "day");
        match self {
            CustomStudy::ExtraNew(n) => format!("{n} extra new"),
            CustomStudy::Ahead { days: n } => format!("review ahead {}", days(*n)),
            CustomStudy::Tag(tag) => format!("tag {tag}"),
            CustomStudy::Forgotten { days: n } => format!("forgotten in {}", days(*n)),
        }
    }
}

/// Reviews due before the end of the study day `days` days after today,
/// whatever today's review limit says; the session puts the least likely
/// to be recalled first.
pub fn review_ahead(deck: &Deck, progress: &Progress, day: &StudyDay, days: u32) -> DeckQueue {
    let horizon = day.end + TimeDelta::days(i64::from(days));
    let mut queue = DeckQueue::default();
    for card in deck.cards() {
        let key = CardKey::new(deck.id.clone(), card.id.clone());
        let state = progress.card(&key);
        match state.due() {
            Some(due) if state.state() == State::Review && due < horizon => {
                queue.reviews.push((key, state));
            }
            Some(due) => queue.next_due = super::queue::earliest(queue.next_due, Some(due)),
            None => {}
        }
    }
    queue.reviews.sort_by_key(|(_, card)| card.due());
    queue
}

/// The cards of `log` graded Again at or after `since`.
pub fn forgotten_since(log: &ReviewLog, since: DateTime<Utc>) -> HashSet<CardKey> {
    log.entries()
        .iter()
        .filter(|entry| entry.rating == Rating::Again && entry.reviewed_at >= since)
        .map(|entry| log.key(entry.key).clone())
        .collect()
}

/// The deck's cards in `forgotten`, in deck order, to review again now
/// (learning steps of today stay where they are: they come when due).
pub fn forgotten(
    deck: &Deck,
    progress: &Progress,
    config: &Config,
    now: DateTime<Utc>,
    day: &StudyDay,
    forgotten: &HashSet<CardKey>,
) -> DeckQueue {
    let today = DeckQueue::build(deck, progress, config, now, day);
    let mut queue = DeckQueue {
        learning: today
            .learning
            .into_iter()
            .filter(|(key, _)| forgotten.contains(key))
            .collect(),
        ..DeckQueue::default()
    };
    let in_learning: HashSet<&CardKey> = queue.learning.iter().map(|(key, _)| key).collect();
    let reviews: Vec<_> = deck
        .cards()
        .iter()
        .map(|card| CardKey::new(deck.id.clone(), card.id.clone()))
        .filter(|key| forgotten.contains(key) && !in_learning.contains(key))
        .map(|key| {
            let state = progress.card(&key);
            (key, state)
        })
        .filter(|(_, state)| state.state() != State::New)
        .collect();
    queue.reviews = reviews;
    queue
}

/// Today's queue narrowed to one tag (limits apply to the tagged cards).
pub fn tagged(
    deck: &Deck,
    progress: &Progress,
    config: &Config,
    now: DateTime<Utc>,
    day: &StudyDay,
    tag: &str,
    extra_new: u32,
) -> DeckQueue {
    let options = QueueOptions {
        extra_new,
        tag: Some(tag),
    };
    DeckQueue::build_with(deck, progress, config, now, day, options)
}

/// New cards of `deck` that today's limit holds back, given `extra_new`
/// already granted: how many a grant could still add.
pub fn new_held_back(
    deck: &Deck,
    progress: &Progress,
    config: &Config,
    now: DateTime<Utc>,
    day: &StudyDay,
    extra_new: u32,
) -> usize {
    let unstarted = deck
        .cards()
        .iter()
        .filter(|card| {
            let key = CardKey::new(deck.id.clone(), card.id.clone());
            progress.card(&key).state() == State::New
        })
        .count();
    let options = QueueOptions {
        extra_new,
        tag: None,
    };
    let queued = DeckQueue::build_with(deck, progress, config, now, day, options)
        .new
        .len();
    unstarted - queued
}
