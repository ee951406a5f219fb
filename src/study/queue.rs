//! What is due: the rules that pick today's cards from the decks, the
//! replayed log and the settings. The home screen's counts, `recall due` and
//! the study session's queue all come from here, so they always agree.
//!
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

/// A deck's counts for one study day, kept so that recounting as time
/// passes costs a binary search, not a pass over every card: within a day
/// only learning steps come due (new and review counts change with a
/// review, or a new day, and then the counter is built again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCounter {
    day: StudyDay,
    new: usize,
    review: usize,
    /// When each learning card due today comes due, in order.
    learning_due: Vec<DateTime<Utc>>,
}

impl DayCounter {
    /// Counts `deck` for the study `day`; gives what
    /// [`DeckQueue::build`]`(..).counts(now)` gives at any `now` in `day`.
    pub fn build(
        deck: &Deck,
        progress: &Progress,
        config: &Config,
        now: DateTime<Utc>,
        day: &StudyDay,
    ) -> DayCounter {
        // The same rules as `DeckQueue::build`, counting instead of queueing:
        // no key is built and nothing sorted but the learning cards.
        let _ = now;
        let (mut new, mut review) = (0usize, 0usize);
        let mut learning_due = Vec::new();
        for card in &deck.cards {
            let Some(state) = progress.reviewed(&deck.id, &card.id) else {
                new += 1;
                continue;
            };
            let due_today = state.due().filter(|due| *due < day.end);
            match (state.state(), due_today) {
                (State::New, _) => new += 1,
                (State::Learning | State::Relearning, Some(due)) => learning_due.push(due),
                (State::Review, Some(_)) => review += 1,
                _ => {}
            }
        }
        learning_due.sort_unstable();
        let today = progress.today(&deck.id);
        let new_left = config.new_cards_per_day.saturating_sub(today.new_started) as usize;
        let reviews_left = config.reviews_per_day.saturating_sub(today.reviews) as usize;
        DayCounter {
            day: *day,
            new: new.min(new_left),
            review: review.min(reviews_left),
            learning_due,
        }
    }

    /// Whether this counter is for the study day `day`.
    pub fn is_for(&self, day: &StudyDay) -> bool {
        self.day == *day
    }

    pub fn counts(&self, now: DateTime<Utc>) -> DueCounts {
        DueCounts {
            new: self.new,
            learning: self.learning_due.partition_point(|due| *due <= now),
            review: self.review,
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

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::deck::catalog::parse_text;
    use crate::store::ReviewLog;

    #[test]
    fn the_day_counter_counts_what_a_queue_counts_at_any_time_of_the_day() {
        let mut deck = String::from("[deck]\nid = \"d\"\nname = \"D\"\n");
        for i in 0..12 {
            deck.push_str(&format!(
                "\n[[cards]]\nid = \"c{i}\"\nfront = \"Q{i}\"\nback = \"A\"\n"
            ));
        }
        let deck = parse_text(&deck, "d.toml", "d").unwrap();
        let mut log = String::from("reviewed_at,deck,card,rating,duration_ms\n");
        let start = DateTime::parse_from_rfc3339("2026-11-25T05:00:00Z")
            .unwrap()
            .to_utc();
        for i in 0..40 {
            let at = start + TimeDelta::minutes(i * 7);
            let at = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            log.push_str(&format!(
                "{at},d,c{},{},1\n",
                i % 9,
                [3, 1, 3, 2, 4][i as usize % 5]
            ));
        }
        let log = ReviewLog::parse(log.as_bytes());
        let config = Config {
            new_cards_per_day: 2,
            ..Config::default()
        };
        let first = start + TimeDelta::hours(2);
        let day = StudyDay::containing(first, 4, &chrono::Utc);
        let progress = Progress::replay(&log, &config.scheduler, &day);
        let counter = DayCounter::build(&deck, &progress, &config, first, &day);
        assert!(counter.is_for(&day));
        let mut seen_learning = std::collections::HashSet::new();
        for minutes in 0..(18 * 60) {
            let now = first + TimeDelta::minutes(minutes);
            let queue = DeckQueue::build(&deck, &progress, &config, now, &day);
            assert_eq!(counter.counts(now), queue.counts(now), "at {now}");
            seen_learning.insert(counter.counts(now).learning);
        }
        assert!(
            seen_learning.len() > 1,
            "learning cards come due during the day"
        );
    }
}
