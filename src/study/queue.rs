//! What is due: the rules that pick today's cards from the decks, the
//! replayed log and the settings. The home screen's counts, `recall due` and
//! the study session's queue all come from here, so they always agree.
//!
//! - Suspended cards, and cards buried this study day, are left out.
//! - Learning and relearning cards due before the study day ends are
//!   "learning" in every count (Anki's count), whether due now or later
//!   today; a session shows them when their step is due.
//! - Then reviews due before the study day ends, lowest retrievability
//!   first, up to `reviews_per_day` per deck (counting reviews done today).
//! - New cards in deck order, up to `new_cards_per_day` per deck (counting
//!   new cards already started today), mixed in among the reviews.
//! - Siblings (cards of one note) are buried, with `bury_siblings` (the
//!   default): a note whose card was studied today, or has a learning card
//!   due today, gives no new or review card today; any other note gives at
//!   most one, its first due review, else its first new card. The others
//!   wait for the next day, as with Anki's bury new and review siblings.

use chrono::{DateTime, Utc};

use crate::day::StudyDay;
use std::collections::HashSet;

use crate::deck::{CardId, CardKey, Deck};
use crate::schedule::{self, Card, State};
use crate::store::{Config, Progress};

/// How many cards of each kind a deck has for today.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DueCounts {
    /// New cards that may still be started today.
    pub new: usize,
    /// Learning and relearning cards due before the study day ends.
    pub learning: usize,
    /// Of `learning`, those whose step is due now (the rest come later
    /// today).
    pub learning_now: usize,
    /// Reviews due today that the daily limit still allows.
    pub review: usize,
}

impl DueCounts {
    pub fn total(&self) -> usize {
        self.new + self.learning + self.review
    }

    /// Learning cards due later today, not yet.
    pub fn learning_later(&self) -> usize {
        self.learning.saturating_sub(self.learning_now)
    }
}

impl std::ops::Add for DueCounts {
    type Output = DueCounts;
    fn add(self, other: DueCounts) -> DueCounts {
        DueCounts {
            new: self.new + other.new,
            learning: self.learning + other.learning,
            learning_now: self.learning_now + other.learning_now,
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
    /// When the next card that is not due yet comes due (a learning step
    /// later today, or a card due another day), if any.
    pub next_due: Option<DateTime<Utc>>,
    /// Due reviews and new cards left out by today's limits.
    pub over_limit: usize,
    /// New and review cards waiting for tomorrow because a sibling was, or
    /// is being, studied today.
    pub buried: usize,
}

/// What changes today's queue: extra new cards granted today (custom
/// study), and a tag the queue is narrowed to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueOptions<'a> {
    /// Added to `new_cards_per_day` for this deck today.
    pub extra_new: u32,
    /// Only cards with this tag.
    pub tag: Option<&'a str>,
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
        DeckQueue::build_with(deck, progress, config, now, day, QueueOptions::default())
    }

    /// [`DeckQueue::build`] with extra new cards or a tag.
    pub fn build_with(
        deck: &Deck,
        progress: &Progress,
        config: &Config,
        now: DateTime<Utc>,
        day: &StudyDay,
        options: QueueOptions<'_>,
    ) -> DeckQueue {
        // The deck's own settings: its preset's, if it has one.
        let config = &config.for_deck(deck.id.as_str());
        let mut queue = DeckQueue::default();
        // Notes that give no more new or review cards today.
        let mut taken: HashSet<&CardId> = HashSet::new();
        // New cards and reviews as indices into the deck until the limits
        // are applied: a large deck has far more than a day takes.
        let mut new_cards: Vec<usize> = Vec::new();
        // Reviews with their chance of recall now, computed once each.
        let mut review_cards: Vec<(f64, usize)> = Vec::new();
        let parameters = config.scheduler.parameters();
        let mut new_notes = Vec::new();
        let mut review_notes = Vec::new();
        for (index, card) in deck.cards().iter().enumerate() {
            if let Some(tag) = options.tag
                && !card.tags.iter().any(|t| t == tag)
            {
                continue;
            }
            let key = CardKey::new(deck.id.clone(), card.id.clone());
            if !progress.is_available(&key, day) {
                continue;
            }
            let state = progress.card(&key);
            if let Some(due) = state.due() {
                if due > now {
                    queue.next_due = earliest(queue.next_due, Some(due));
                }
                if due >= day.end {
                    queue.next_due_later = earliest(queue.next_due_later, Some(due));
                }
            }
            let due_today = state.due().is_some_and(|due| due < day.end);
            if state.last_review().is_some_and(|at| at >= day.start) {
                taken.insert(&card.note);
            }
            match state.state() {
                State::New => {
                    new_cards.push(index);
                    new_notes.push(&card.note);
                }
                State::Learning | State::Relearning if due_today => {
                    taken.insert(&card.note);
                    queue.learning.push((key, state))
                }
                State::Review if due_today => {
                    let chance = schedule::retrievability(&state, now, parameters).unwrap_or(0.0);
                    review_cards.push((chance, index));
                    review_notes.push(&card.note);
                }
                _ => {}
            }
        }
        if config.bury_siblings {
            // Reviews first: a note with a due review gives that, not a new card.
            queue.buried += keep_one_per_note(&mut review_cards, review_notes, &mut taken);
            queue.buried += keep_one_per_note(&mut new_cards, new_notes, &mut taken);
        }
        let today = progress.today(&deck.id);
        let new_left = config
            .new_cards_per_day
            .saturating_add(options.extra_new)
            .saturating_sub(today.new_started) as usize;
        queue.over_limit += new_cards.len().saturating_sub(new_left);
        new_cards.truncate(new_left);
        let entry = |index: usize| {
            let key = CardKey::new(deck.id.clone(), deck.cards()[index].id.clone());
            let state = progress.card(&key);
            (key, state)
        };
        queue.new = new_cards.into_iter().map(entry).collect();

        // Lowest chance of recall first (ties in deck order).
        let mut by_chance = review_cards;
        by_chance.sort_by(|(a, _), (b, _)| a.total_cmp(b));
        let reviews_left = config.reviews_per_day.saturating_sub(today.reviews) as usize;
        queue.over_limit += by_chance.len().saturating_sub(reviews_left);
        by_chance.truncate(reviews_left);
        queue.reviews = by_chance
            .into_iter()
            .map(|(_, index)| entry(index))
            .collect();

        queue.learning.sort_by_key(|(_, card)| card.due());
        queue
    }

    /// The counts shown on the home screen, by `recall due` and in the
    /// session header: learning counts every card in its steps today.
    pub fn counts(&self, now: DateTime<Utc>) -> DueCounts {
        DueCounts {
            new: self.new.len(),
            learning: self.learning.len(),
            learning_now: self
                .learning
                .iter()
                .filter(|(_, card)| card.due().is_some_and(|due| due <= now))
                .count(),
            review: self.reviews.len(),
        }
    }
}

/// Keeps the cards of `list` whose note (`notes`, in step) is not yet in
/// `taken`, adding it; returns how many went.
fn keep_one_per_note<'d, T>(
    list: &mut Vec<T>,
    notes: Vec<&'d CardId>,
    taken: &mut HashSet<&'d CardId>,
) -> usize {
    let mut notes = notes.into_iter();
    let before = list.len();
    list.retain(|_| notes.next().is_some_and(|note| taken.insert(note)));
    before - list.len()
}

/// The earlier of two optional instants.
pub fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
