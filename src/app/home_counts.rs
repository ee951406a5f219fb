//! The home screen's counts per deck, kept between recounts.
//!
//! Within one study day, and while the review logs, the decks and today's
//! extra new cards are unchanged, a deck's queue for the day does not
//! change: only which of its learning cards are due *now*, and its next due
//! time once that passes. So a recount (every few seconds while home is up)
//! rebuilds only the decks whose next due time has come, and answers the
//! rest from what was kept: an idle home screen over 100,000 cards costs
//! next to nothing. Whoever changes the logs, decks or extra cards drops
//! the whole set ([`HomeCounts::clear`]).

use chrono::{DateTime, Utc};

use crate::day::StudyDay;
use crate::study::queue::{DeckQueue, DueCounts};

/// One deck's queue, as much as the counts need.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Counted {
    pub(super) new: usize,
    pub(super) review: usize,
    /// The due times of today's learning cards, soonest first.
    pub(super) learning_due: Vec<DateTime<Utc>>,
    /// When the next card not due at counting time comes due.
    pub(super) next_due: Option<DateTime<Utc>>,
}

impl Counted {
    fn of(queue: &DeckQueue) -> Counted {
        let mut learning_due: Vec<DateTime<Utc>> = queue
            .learning
            .iter()
            .filter_map(|(_, card)| card.due())
            .collect();
        learning_due.sort_unstable();
        Counted {
            new: queue.new.len(),
            review: queue.reviews.len(),
            learning_due,
            next_due: queue.next_due,
        }
    }

    /// Whether what was counted still holds at `now`: no card has come due
    /// since that was not due then.
    fn holds_at(&self, now: DateTime<Utc>) -> bool {
        self.next_due.is_none_or(|due| due > now)
    }

    fn counts(&self, now: DateTime<Utc>) -> DueCounts {
        DueCounts {
            new: self.new,
            learning: self.learning_due.len(),
            learning_now: self.learning_due.partition_point(|&due| due <= now),
            review: self.review,
        }
    }
}

/// Each deck's counts as last built, for one study day.
#[derive(Debug, Default)]
pub(super) struct HomeCounts {
    /// The study day counted (its start), if any.
    day: Option<DateTime<Utc>>,
    /// By catalog index.
    decks: Vec<Counted>,
}

impl HomeCounts {
    /// Forgets every deck's counts: the logs, decks or extra cards changed.
    pub(super) fn clear(&mut self) {
        self.day = None;
        self.decks.clear();
    }

    /// The deck's (by catalog index) counts as last built.
    pub(super) fn counted(&self, index: usize) -> Option<&Counted> {
        self.decks.get(index)
    }

    /// Until when every deck's kept counts hold: the first next due time.
    pub(super) fn valid_until(&self) -> Option<DateTime<Utc>> {
        self.decks
            .iter()
            .filter_map(|counted| counted.next_due)
            .min()
    }

    /// Each of `decks` decks' counts and next due time at `now`, rebuilding
    /// with `build` only the decks whose counts may have changed.
    pub(super) fn counts(
        &mut self,
        decks: usize,
        now: DateTime<Utc>,
        day: &StudyDay,
        build: impl Fn(usize) -> DeckQueue,
    ) -> Vec<(DueCounts, Option<DateTime<Utc>>)> {
        if self.day != Some(day.start) || self.decks.len() != decks {
            self.decks.clear();
            self.day = Some(day.start);
        }
        for index in 0..decks {
            match self.decks.get(index) {
                Some(counted) if counted.holds_at(now) => {}
                _ => {
                    let counted = Counted::of(&build(index));
                    if index < self.decks.len() {
                        self.decks[index] = counted;
                    } else {
                        self.decks.push(counted);
                    }
                }
            }
        }
        self.decks
            .iter()
            .map(|counted| {
                let next = counted.next_due.filter(|&due| due > now);
                (counted.counts(now), next)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use chrono::TimeDelta;

    use super::*;
    use crate::deck::{CardId, CardKey, DeckId};
    use crate::schedule::{Card, Rating, Settings, review};

    fn at(minutes: i64) -> DateTime<Utc> {
        "2026-12-01T09:00:00Z".parse::<DateTime<Utc>>().unwrap() + TimeDelta::minutes(minutes)
    }

    fn day(start: DateTime<Utc>) -> StudyDay {
        StudyDay {
            start,
            end: start + TimeDelta::days(1),
        }
    }

    /// A deck queue with one learning card, Again on a new card at 0; and
    /// when it is due.
    fn queue_with_learning() -> (DeckQueue, DateTime<Utc>) {
        let key = CardKey::new(DeckId::new("d").unwrap(), CardId::new("c").unwrap());
        let card = review(&Card::new(1), Rating::Again, at(0), &Settings::default());
        let due = card.due().unwrap();
        assert!(due > at(0));
        let queue = DeckQueue {
            learning: vec![(key, card)],
            next_due: Some(due),
            ..DeckQueue::default()
        };
        (queue, due)
    }

    #[test]
    fn a_deck_is_rebuilt_only_when_a_card_comes_due_the_day_changes_or_it_is_cleared() {
        let built = RefCell::new(Vec::new());
        let (learning, due) = queue_with_learning();
        let just_before = due - TimeDelta::seconds(1);
        let build = |index: usize| {
            built.borrow_mut().push(index);
            if index == 0 {
                learning.clone()
            } else {
                DeckQueue::default()
            }
        };
        let today = day(at(-60));
        let mut counts = HomeCounts::default();

        let first = counts.counts(2, at(0), &today, build);
        assert_eq!(*built.borrow(), [0, 1]);
        assert_eq!(first[0].0.learning, 1);
        assert_eq!(first[0].0.learning_now, 0);
        assert_eq!(first[0].1, Some(due));

        // Time passes, nothing comes due: nothing is rebuilt.
        let later = counts.counts(2, just_before, &today, build);
        assert_eq!(*built.borrow(), [0, 1]);
        assert_eq!(later, first);

        // The learning card comes due: its deck is rebuilt, not the other.
        let now_due = counts.counts(2, due, &today, build);
        assert_eq!(*built.borrow(), [0, 1, 0]);
        assert_eq!(now_due[0].0.learning_now, 1);

        // A new study day, or a change (cleared): every deck again.
        let tomorrow = day(at(24 * 60 - 60));
        counts.counts(2, due, &tomorrow, build);
        assert_eq!(*built.borrow(), [0, 1, 0, 0, 1]);
        counts.clear();
        counts.counts(2, due, &tomorrow, build);
        assert_eq!(built.borrow().len(), 7);
    }

    #[test]
    fn learning_due_now_is_counted_from_what_was_kept() {
        let (queue, due) = queue_with_learning();
        let counted = Counted::of(&queue);
        let before = due - TimeDelta::seconds(1);
        assert_eq!(counted.counts(before).learning_now, 0);
        assert_eq!(counted.counts(due).learning_now, 1);
        assert_eq!(counted.counts(before).learning, 1);
    }
}
