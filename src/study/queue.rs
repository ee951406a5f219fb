//! What is due: the rules that pick today's cards from the decks, the
//! replayed log and the settings. The home screen's counts, `recall due` and
//! the study session's queue all come from here, so they always agree.
//!
//! - Suspended cards, and cards buried this study day, are left out.
//! - Learning and relearning cards whose step is due come first.
//! - Then reviews due before the study day ends, lowest retrievability
//!   first, up to `reviews_per_day` per deck (counting reviews done today).
//! - New cards in deck order, up to `new_cards_per_day` per deck (counting
//!   new cards already started today), mixed in among the reviews.

use chrono::{DateTime, Utc};

use crate::day::StudyDay;
use crate::deck::{CardKey, Deck};
use crate::schedule::{self, Card, State};
use crate::store::{Config, Progress};

/// How many cards of each kind a deck has for today.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DueCounts {
    /// New cards that may still be started today.
    pub new: usize,
    /// Learning and relearning cards whose step is due now.
    pub learning: usize,
    /// Reviews due today that the daily limit still allows.
    pub review: usize,
}

impl DueCounts {
    pub fn total(&self) -> usize {
        self.new + self.learning + self.review
    }
}

impl std::ops::Add for DueCounts {
    type Output = DueCounts;
    fn add(self, other: DueCounts) -> DueCounts {
        DueCounts {
            new: self.new + other.new,
            learning: self.learning + other.learning,
            review: self.review + other.review,
        }
    }
}

/// A deck's cards sorted into what today holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeckQueue {
    /// Learning/relearning cards due today (now or later), soonest first.
    pub learning: Vec<(CardKey, Card)>,
    /// Reviews due today within the limit, lowest retrievability first.
    pub reviews: Vec<(CardKey, Card)>,
    /// New cards within the limit, in deck order.
    pub new: Vec<(CardKey, Card)>,
    /// When the first card that is not due today comes due, if any.
    pub next_due_later: Option<DateTime<Utc>>,
    /// Due reviews and new cards left out by today's limits.
    pub over_limit: usize,
}

impl DeckQueue {
    /// Sorts `deck`'s cards for the study day containing `now`.
    pub fn build(
        deck: &Deck,
        progress: &Progress,
        config: &Config,
        now: DateTime<Utc>,
        day: &StudyDay,
    ) -> DeckQueue {
        let mut queue = DeckQueue::default();
        for card in &deck.cards {
            let key = CardKey::new(deck.id.clone(), card.id.clone());
            if !progress.is_available(&key, day) {
                continue;
            }
            let state = progress.card(&key);
            let due_today = state.due().is_some_and(|due| due < day.end);
            match state.state() {
                State::New => queue.new.push((key, state)),
                State::Learning | State::Relearning if due_today => {
                    queue.learning.push((key, state))
                }
                State::Review if due_today => queue.reviews.push((key, state)),
                _ => {}
            }
        }
        let today = progress.today(&deck.id);
        let new_left = config.new_cards_per_day.saturating_sub(today.new_started) as usize;
        queue.over_limit += queue.new.len().saturating_sub(new_left);
        queue.new.truncate(new_left);

        let parameters = config.scheduler.parameters();
        let recall_chance =
            |card: &Card| schedule::retrievability(card, now, parameters).unwrap_or(0.0);
        queue
            .reviews
            .sort_by(|(_, a), (_, b)| recall_chance(a).total_cmp(&recall_chance(b)));
        let reviews_left = config.reviews_per_day.saturating_sub(today.reviews) as usize;
        queue.over_limit += queue.reviews.len().saturating_sub(reviews_left);
        queue.reviews.truncate(reviews_left);

        queue.learning.sort_by_key(|(_, card)| card.due());
        queue
    }

    /// The counts shown on the home screen and by `recall due`.
    pub fn counts(&self, now: DateTime<Utc>) -> DueCounts {
        DueCounts {
            new: self.new.len(),
            learning: self
                .learning
                .iter()
                .filter(|(_, card)| card.due().is_some_and(|due| due <= now))
                .count(),
            review: self.reviews.len(),
        }
    }
}

/// The earlier of two optional instants.
pub fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
