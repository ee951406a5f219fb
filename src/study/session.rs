//! A study session as a plain state machine: which card is up, whether its
//! answer shows, grading (written to the log before anything else changes),
//! undo, learning cards coming back, and the wait for them.
//!
//! Time comes in as arguments and the review log is a [`ReviewSink`], so
//! tests drive a whole session with a fake clock and an in-memory log.

use std::collections::VecDeque;

use chrono::{DateTime, TimeDelta, Utc};

use super::queue::{DeckQueue, DueCounts, earliest};
use crate::day::StudyDay;
use crate::deck::CardKey;
use crate::schedule::{self, Card, Preview, Rating, State};
use crate::store::Review;
use crate::store::config::DeckSettings;
use crate::store::log::{LogError, LogWriter};

/// Where grades go. The session calls `record` before it changes any state,
/// so a grade the screen acknowledges is always in the log.
pub trait ReviewSink {
    fn record(&mut self, review: &Review) -> Result<(), LogError>;
    /// Removes the last review this sink recorded; `false` if none is left.
    fn undo_last(&mut self) -> Result<bool, LogError>;
}

impl ReviewSink for LogWriter {
    fn record(&mut self, review: &Review) -> Result<(), LogError> {
        self.append(review)
    }

    fn undo_last(&mut self) -> Result<bool, LogError> {
        LogWriter::undo_last(self)
    }
}

/// Which queue a card was taken from, so undo can put it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Learning,
    Review,
    New,
}

/// The card on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub key: CardKey,
    /// Its scheduling state before this review.
    pub card: Card,
    pub origin: Origin,
    pub revealed: bool,
    /// When the question appeared: the review's duration counts from here.
    pub shown_at: DateTime<Utc>,
}

/// What the screen should show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase<'a> {
    /// A card, question only or with its answer.
    Card(&'a Current),
    /// Only learning cards are left and none is due within the learn-ahead
    /// limit: the first is due at `until` and shows at `shows_at` (the
    /// limit earlier).
    Waiting {
        until: DateTime<Utc>,
        shows_at: DateTime<Utc>,
    },
    /// Nothing left today.
    Done,
}

/// One grade given in this session, kept for undo and the summary.
#[derive(Debug, Clone)]
struct Graded {
    shown: Current,
    review: Review,
    /// The card's state after the review.
    after: Card,
    /// Whether the card went back into the learning queue.
    requeued: bool,
}

/// The end-of-session numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Distinct cards graded.
    pub cards: usize,
    /// Grades given (a card in learning may be graded several times).
    pub reviews: usize,
    pub again: usize,
    pub time: TimeDelta,
    /// When the next card of these decks comes due, if any is scheduled.
    pub next_due: Option<DateTime<Utc>>,
    /// Cards due today that the daily limits held back.
    pub over_limit: usize,
}

impl Summary {
    /// The share of grades that were Again, 0 to 1.
    pub fn again_share(&self) -> f64 {
        if self.reviews == 0 {
            0.0
        } else {
            self.again as f64 / self.reviews as f64
        }
    }
}

/// A study session over one or more decks.
#[derive(Debug, Clone)]
pub struct Session {
    /// Each deck's scheduler settings (its preset's, if it has one).
    settings: DeckSettings,
    day: StudyDay,
    /// When nothing else is left, learning cards due within this span show
    /// at once (Anki's "learn ahead limit").
    learn_ahead: TimeDelta,
    /// Learning and relearning cards due today, soonest first.
    learning: Vec<(CardKey, Card)>,
    reviews: VecDeque<(CardKey, Card)>,
    new: VecDeque<(CardKey, Card)>,
    /// New cards and reviews shown so far, to spread new cards evenly.
    new_shown: usize,
    reviews_shown: usize,
    current: Option<Current>,
    graded: Vec<Graded>,
    started_at: DateTime<Utc>,
    /// The latest instant the session was told of, for "due now" counts.
    seen_at: DateTime<Utc>,
    next_due_later: Option<DateTime<Utc>>,
    over_limit: usize,
}

impl Session {
    /// A session over the given decks' queues, starting at `now`.
    pub fn new(
        queues: Vec<DeckQueue>,
        settings: impl Into<DeckSettings>,
        day: StudyDay,
        now: DateTime<Utc>,
    ) -> Session {
        let mut learning = Vec::new();
        let mut reviews = Vec::new();
        let mut new = VecDeque::new();
        let mut next_due_later = None;
        let mut over_limit = 0;
        for queue in queues {
            learning.extend(queue.learning);
            reviews.extend(queue.reviews);
            new.extend(queue.new);
            next_due_later = earliest(next_due_later, queue.next_due_later);
            over_limit += queue.over_limit;
        }
        learning.sort_by_key(|(_, card)| card.due());
        // Several decks: merge their reviews by retrievability again.
        let settings = settings.into();
        let recall = |(key, card): &(CardKey, Card)| {
            let parameters = settings.for_deck(key.deck.as_str()).parameters();
            schedule::retrievability(card, now, parameters).unwrap_or(0.0)
        };
        reviews.sort_by(|a, b| recall(a).total_cmp(&recall(b)));
        let mut session = Session {
            settings,
            day,
            learn_ahead: TimeDelta::zero(),
            learning,
            reviews: reviews.into(),
            new,
            new_shown: 0,
            reviews_shown: 0,
            current: None,
            graded: Vec::new(),
            started_at: now,
            seen_at: now,
            next_due_later,
            over_limit,
        };
        session.advance(now);
        session
    }

    /// Sets the learn-ahead limit (none by default) and puts a card up if
    /// one is now within it.
    pub fn with_learn_ahead(mut self, learn_ahead: TimeDelta, now: DateTime<Utc>) -> Session {
        self.learn_ahead = learn_ahead.max(TimeDelta::zero());
        self.advance(now);
        self
    }

    pub fn phase(&self) -> Phase<'_> {
        match &self.current {
            Some(current) => Phase::Card(current),
            None => match self.learning.first().and_then(|(_, card)| card.due()) {
                Some(until) => Phase::Waiting {
                    until,
                    shows_at: until - self.learn_ahead,
                },
                None => Phase::Done,
            },
        }
    }

    pub fn current(&self) -> Option<&Current> {
        self.current.as_ref()
    }

    /// Puts the next card up if none is: a learning card whose step is due,
    /// else a review or new card, else (learning ahead) the first learning
    /// card due within the learn-ahead limit. Call it when time passes (a
    /// waiting learning card may have come due).
    pub fn advance(&mut self, now: DateTime<Utc>) {
        self.seen_at = self.seen_at.max(now);
        if self.current.is_some() {
            return;
        }
        let next = self
            .take_due_learning(now)
            .or_else(|| self.take_review_or_new())
            .or_else(|| self.take_due_learning(now + self.learn_ahead));
        self.current = next.map(|(key, card, origin)| Current {
            key,
            card,
            origin,
            revealed: false,
            shown_at: now,
        });
    }

    /// The first learning card if it is due by `by`.
    fn take_due_learning(&mut self, by: DateTime<Utc>) -> Option<(CardKey, Card, Origin)> {
        let due_now = self.learning.first()?.1.due().is_some_and(|due| due <= by);
        if !due_now {
            return None;
        }
        let (key, card) = self.learning.remove(0);
        Some((key, card, Origin::Learning))
    }

    /// New cards are spread evenly among the reviews: the next card is new
    /// when fewer of the new cards than of the reviews have been shown, in
    /// proportion.
    fn take_review_or_new(&mut self) -> Option<(CardKey, Card, Origin)> {
        let new_total = self.new_shown + self.new.len();
        let reviews_total = self.reviews_shown + self.reviews.len();
        let new_turn = !self.new.is_empty()
            && (self.reviews.is_empty()
                || self.new_shown * reviews_total <= self.reviews_shown * new_total);
        if new_turn {
            let (key, card) = self.new.pop_front()?;
            self.new_shown += 1;
            Some((key, card, Origin::New))
        } else {
            let (key, card) = self.reviews.pop_front()?;
            self.reviews_shown += 1;
            Some((key, card, Origin::Review))
        }
    }

    pub fn reveal(&mut self) {
        if let Some(current) = &mut self.current {
            current.revealed = true;
        }
    }

    /// What each grade would do to the card on screen.
    pub fn preview(&self, now: DateTime<Utc>) -> Option<Preview> {
        let current = self.current.as_ref()?;
        let settings = self.settings.for_deck(current.key.deck.as_str());
        Some(schedule::preview(&current.card, now, settings))
    }

    /// Grades the card on screen: the review is recorded first, and only if
    /// that succeeds does the session move on. A card still in learning
    /// today comes back when its step is due.
    pub fn grade(
        &mut self,
        rating: Rating,
        now: DateTime<Utc>,
        sink: &mut dyn ReviewSink,
    ) -> Result<(), LogError> {
        let Some(current) = &self.current else {
            return Ok(());
        };
        let elapsed = (now - current.shown_at).num_milliseconds().max(0);
        let review = Review::new(now, current.key.clone(), rating, elapsed as u64);
        sink.record(&review)?;
        let settings = self.settings.for_deck(current.key.deck.as_str());
        let after = schedule::review(&current.card, rating, review.reviewed_at, settings);
        let requeued = matches!(after.state(), State::Learning | State::Relearning)
            && after.due().is_some_and(|due| due < self.day.end);
        let shown = self
            .current
            .take()
            .unwrap_or_else(|| unreachable!("checked above"));
        if requeued {
            let at = self
                .learning
                .partition_point(|(_, card)| card.due() <= after.due());
            self.learning.insert(at, (shown.key.clone(), after));
        }
        self.graded.push(Graded {
            shown,
            review,
            after,
            requeued,
        });
        self.advance(now);
        Ok(())
    }

    /// Takes back the last grade of this session: its log line goes and the
    /// card comes back, question side up. `false` if there is nothing to undo.
    pub fn undo(
        &mut self,
        now: DateTime<Utc>,
        sink: &mut dyn ReviewSink,
    ) -> Result<bool, LogError> {
        self.seen_at = self.seen_at.max(now);
        if self.graded.is_empty() || !sink.undo_last()? {
            return Ok(false);
        }
        let Some(last) = self.graded.pop() else {
            return Ok(false);
        };
        if last.requeued {
            self.learning.retain(|(key, _)| key != &last.shown.key);
        }
        if let Some(current) = self.current.take() {
            self.put_back(current);
        }
        self.current = Some(Current {
            revealed: false,
            shown_at: now,
            ..last.shown
        });
        Ok(true)
    }

    /// Takes the card on screen out of the session (it was suspended or
    /// buried) and puts the next one up; returns it, for [`Self::bring_back`].
    pub fn set_aside(&mut self, now: DateTime<Utc>) -> Option<Current> {
        let current = self.current.take()?;
        self.advance(now);
        Some(current)
    }

    /// Undoes [`Self::set_aside`]: the card is on screen again, question up.
    pub fn bring_back(&mut self, card: Current, now: DateTime<Utc>) {
        if let Some(current) = self.current.take() {
            self.put_back(current);
        }
        self.current = Some(Current {
            revealed: false,
            shown_at: now,
            ..card
        });
    }

    /// Drops a card from the queues (a leech just suspended): it does not
    /// come back in this session.
    pub fn remove(&mut self, key: &CardKey) {
        self.learning.retain(|(k, _)| k != key);
    }

    /// Keeps only the cards `keep` accepts (the others left their deck
    /// files): the card on screen too, else the next one goes up.
    pub fn retain(&mut self, keep: impl Fn(&CardKey) -> bool, now: DateTime<Utc>) {
        self.learning.retain(|(key, _)| keep(key));
        self.reviews.retain(|(key, _)| keep(key));
        self.new.retain(|(key, _)| keep(key));
        if self.current.as_ref().is_some_and(|card| !keep(&card.key)) {
            self.current = None;
            self.advance(now);
        }
    }

    /// Returns a card that was on screen to the front of its queue.
    fn put_back(&mut self, current: Current) {
        match current.origin {
            Origin::Learning => {
                let at = self
                    .learning
                    .partition_point(|(_, card)| card.due() <= current.card.due());
                self.learning.insert(at, (current.key, current.card));
            }
            Origin::Review => {
                self.reviews_shown -= 1;
                self.reviews.push_front((current.key, current.card));
            }
            Origin::New => {
                self.new_shown -= 1;
                self.new.push_front((current.key, current.card));
            }
        }
    }

    /// Cards left, including the one on screen, by kind (learning counts
    /// every card still in its steps today, due now or not, as the home
    /// screen and `recall due` do; "now" is the last instant the session
    /// was given).
    pub fn remaining(&self) -> DueCounts {
        let mut counts = DueCounts {
            new: self.new.len(),
            learning: self.learning.len(),
            learning_now: self
                .learning
                .iter()
                .filter(|(_, card)| card.due().is_some_and(|due| due <= self.seen_at))
                .count(),
            review: self.reviews.len(),
        };
        match self.current.as_ref().map(|c| c.origin) {
            Some(Origin::New) => counts.new += 1,
            Some(Origin::Learning) => {
                counts.learning += 1;
                counts.learning_now += 1;
            }
            Some(Origin::Review) => counts.review += 1,
            None => {}
        }
        counts
    }

    /// Grades given so far.
    pub fn reviews_done(&self) -> usize {
        self.graded.len()
    }

    /// How far through the session: grades given, out of grades given plus
    /// cards left (learning cards may add more).
    pub fn progress(&self) -> (usize, usize) {
        let done = self.graded.len();
        (done, done + self.remaining().total())
    }

    pub fn summary(&self, now: DateTime<Utc>) -> Summary {
        let mut cards: Vec<&CardKey> = self.graded.iter().map(|g| &g.shown.key).collect();
        cards.sort();
        cards.dedup();
        // A card's last grade decides when it is next due.
        let mut next_due = self.next_due_later;
        let mut seen = std::collections::HashSet::new();
        for graded in self.graded.iter().rev() {
            if seen.insert(&graded.shown.key) {
                next_due = earliest(next_due, graded.after.due());
            }
        }
        for (_, card) in &self.learning {
            next_due = earliest(next_due, card.due());
        }
        Summary {
            cards: cards.len(),
            reviews: self.graded.len(),
            again: self
                .graded
                .iter()
                .filter(|g| g.review.rating == Rating::Again)
                .count(),
            time: now - self.started_at,
            next_due,
            over_limit: self.over_limit,
        }
    }
}
