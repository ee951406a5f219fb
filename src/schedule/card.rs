//! [`Card`]: a card's scheduling state, shaped so that impossible states
//! (a new card with a stability, a review card with a step) cannot be built.

use std::fmt;

use chrono::{DateTime, Utc};

use super::fuzz::fuzz_seed;
use super::model::MemoryState;

/// Where a card is in its life, as py-fsrs and Anki name it (plus `New`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum State {
    /// Never reviewed. py-fsrs calls this Learning at step 0 with no
    /// stability; it has no due date of its own.
    New,
    /// Being learnt: reviewed at short learning steps.
    Learning,
    /// Graduated: reviewed at intervals of whole days.
    Review,
    /// Forgotten after graduating: reviewed at short relearning steps.
    Relearning,
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            State::New => "New",
            State::Learning => "Learning",
            State::Review => "Review",
            State::Relearning => "Relearning",
        })
    }
}

/// A card's scheduling state. `Copy` and small, so replays are cheap.
///
/// Cards change only through [`review`](super::review), which returns a new
/// card. The fuzz seed identifies the card to the fuzz RNG (see
/// [`fuzz_seed`]).
// 64 bytes, aligned to a cache line: replaying a log touches cards in random
// order, and a card straddling two lines made that about 20% slower.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[repr(align(64))]
pub struct Card {
    fuzz_seed: u64,
    reviews: u32,
    progress: Progress,
}

/// The state proper; private so that only `review` builds reviewed cards.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Progress {
    New,
    Seen(Seen),
}

/// What every reviewed card has.
// Instants as seconds and nanoseconds (recall's cache): chrono's own
// serde form is RFC 3339 text, ten times slower to read back.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Seen {
    pub(crate) stage: Stage,
    pub(crate) memory: MemoryState,
    #[serde(with = "instant")]
    pub(crate) last_review: DateTime<Utc>,
    #[serde(with = "instant")]
    pub(crate) due: DateTime<Utc>,
}

/// An instant as `(seconds, nanoseconds)` since the Unix epoch.
mod instant {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        (at.timestamp(), at.timestamp_subsec_nanos()).serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let (secs, nanos) = <(i64, u32)>::deserialize(d)?;
        DateTime::from_timestamp(secs, nanos)
            .ok_or_else(|| serde::de::Error::custom("instant out of range"))
    }
}

/// A reviewed card's state, with the step where it has one. Steps are `u32`
/// to keep a `Card` at 64 bytes (one cache line), which speeds up replays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Stage {
    Learning { step: u32 },
    Review,
    Relearning { step: u32 },
}

// Growing past one cache line would undo the alignment's benefit.
const _: () = assert!(std::mem::size_of::<Card>() == 64);

impl Card {
    /// A new, never reviewed card with the given fuzz seed.
    #[must_use]
    pub const fn new(fuzz_seed: u64) -> Self {
        Self {
            fuzz_seed,
            reviews: 0,
            progress: Progress::New,
        }
    }

    /// A new card whose fuzz seed is [`fuzz_seed`]`(key)`; pass the card's
    /// stable id, e.g. `"deck_id/card_id"`.
    #[must_use]
    pub fn with_key(key: &str) -> Self {
        Self::new(fuzz_seed(key))
    }

    pub(crate) fn reviewed(self, seen: Seen) -> Self {
        Self {
            fuzz_seed: self.fuzz_seed,
            reviews: self.reviews.saturating_add(1),
            progress: Progress::Seen(seen),
        }
    }

    pub(crate) fn progress(&self) -> &Progress {
        &self.progress
    }

    fn seen(&self) -> Option<&Seen> {
        match &self.progress {
            Progress::New => None,
            Progress::Seen(seen) => Some(seen),
        }
    }

    /// New, Learning, Review or Relearning.
    #[must_use]
    pub fn state(&self) -> State {
        match self.seen().map(|seen| seen.stage) {
            None => State::New,
            Some(Stage::Learning { .. }) => State::Learning,
            Some(Stage::Review) => State::Review,
            Some(Stage::Relearning { .. }) => State::Relearning,
        }
    }

    /// The 0-based learning or relearning step; `None` for New and Review.
    ///
    /// It can be past the end of the current step list if the steps were
    /// shortened since; the next Hard, Good or Easy then graduates the card.
    #[must_use]
    pub fn step(&self) -> Option<usize> {
        match self.seen()?.stage {
            Stage::Learning { step } | Stage::Relearning { step } => Some(step as usize),
            Stage::Review => None,
        }
    }

    /// Stability and difficulty; `None` for a new card.
    #[must_use]
    pub fn memory(&self) -> Option<MemoryState> {
        self.seen().map(|seen| seen.memory)
    }

    /// Days until recall probability falls to 90%; `None` for a new card.
    #[must_use]
    pub fn stability(&self) -> Option<f64> {
        self.memory().map(|m| m.stability())
    }

    /// Difficulty in [1, 10]; `None` for a new card.
    #[must_use]
    pub fn difficulty(&self) -> Option<f64> {
        self.memory().map(|m| m.difficulty())
    }

    /// When the card is next due; `None` for a new card, which is due
    /// whenever the app decides to introduce it.
    #[must_use]
    pub fn due(&self) -> Option<DateTime<Utc>> {
        self.seen().map(|seen| seen.due)
    }

    /// When the card was last reviewed; `None` for a new card.
    #[must_use]
    pub fn last_review(&self) -> Option<DateTime<Utc>> {
        self.seen().map(|seen| seen.last_review)
    }

    /// How many times the card has been reviewed (saturates at `u32::MAX`).
    #[must_use]
    pub fn reviews(&self) -> u32 {
        self.reviews
    }

    /// The seed of the card's fuzz RNG.
    #[must_use]
    pub fn fuzz_seed(&self) -> u64 {
        self.fuzz_seed
    }
}
