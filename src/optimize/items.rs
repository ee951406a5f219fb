//! Training items from the review log, built as Anki builds them
//! (rslib `scheduler/fsrs/params.rs`, `reviews_for_fsrs`):
//!
//! - A card's history starts at its last run of learning reviews (the
//!   reviews of it while New or Learning); what came before (an earlier
//!   life, ended by a forget) is dropped. A card with no learning review is
//!   left out.
//! - Each review after the first is the target of one item, whose history
//!   is every review before it; a review on the same study day as the one
//!   before (`delta_t` 0) stays in later items' histories but is never a
//!   target.
//! - Days are study days: a day runs from `day_starts_at` to the same hour
//!   the next day, so a review at 02:00 with days starting at 4 belongs to
//!   the day before.
//!
//! Only grades are in the review log: quiz answers never train.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use fsrs::{FSRSItem, FSRSReview};

use crate::deck::CardKey;
use crate::schedule::{Rating, State};
use crate::stats::dates::Dates;
use crate::store::config::DeckSettings;
use crate::store::replay::review_states;
use crate::store::{CardEvent, ReviewLog};

/// One review of one card, as training sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardReview {
    /// The study day, as a day number (only differences matter).
    pub day: i64,
    pub rating: Rating,
    /// Whether the card was New or Learning just before this review.
    pub learning: bool,
}

/// The reviews of one card used for training and its items, each with the
/// index (into the reviews given) of the review it targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardItems {
    /// Index of the first review used: the start of the last learning run.
    pub first: usize,
    pub items: Vec<(usize, FSRSItem)>,
}

/// The training items of one card from its reviews in time order; `None`
/// when it has no learning review or no review that can be a target.
pub fn card_items(reviews: &[CardReview]) -> Option<CardItems> {
    // The last run of learning reviews: its last review, then back to its
    // first.
    let last_learning = reviews.iter().rposition(|r| r.learning)?;
    let first = reviews[..=last_learning]
        .iter()
        .rposition(|r| !r.learning)
        .map_or(0, |before| before + 1);
    let used = &reviews[first..];
    let mut history = Vec::with_capacity(used.len());
    let mut items = Vec::new();
    for (i, review) in used.iter().enumerate() {
        let delta_t = match i {
            0 => 0,
            _ => u32::try_from((review.day - used[i - 1].day).max(0)).unwrap_or(u32::MAX),
        };
        history.push(FSRSReview {
            rating: u32::from(review.rating.as_u8()),
            delta_t,
        });
        if i > 0 && delta_t > 0 {
            items.push((
                first + i,
                FSRSItem {
                    reviews: history.clone(),
                },
            ));
        }
    }
    (!items.is_empty()).then_some(CardItems { first, items })
}

/// Everything training uses, in time order of the target reviews.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainingSet {
    pub items: Vec<FSRSItem>,
    /// The card of each item (an index into the log's keys), for the
    /// crate's faster per-card training and evaluation.
    pub card_ids: Vec<i64>,
    /// Reviews in the histories used (Anki's "reviews" count).
    pub reviews: usize,
    /// Cards with at least one item.
    pub cards: usize,
    /// Reviews of the chosen decks in the log, used or not.
    pub log_reviews: usize,
    /// The decks of the cards with items, by id.
    pub decks: std::collections::BTreeSet<String>,
}

/// The training set of the cards `include` accepts: the log and card
/// events replayed with each deck's settings (to know which reviews were
/// learning), days counted from `day_starts_at` in `zone`.
pub fn training_set<Tz: TimeZone>(
    log: &ReviewLog,
    events: &[CardEvent],
    settings: &DeckSettings,
    include: &dyn Fn(&CardKey) -> bool,
    day_starts_at: u32,
    zone: &Tz,
) -> TrainingSet {
    let included: Vec<bool> = log.keys().iter().map(include).collect();
    let mut per_card: Vec<Vec<(DateTime<Utc>, CardReview)>> = vec![Vec::new(); log.keys().len()];
    let mut dates = Dates::new(zone, day_starts_at);
    let mut log_reviews = 0;
    review_states(log, events, settings, &mut |entry, before| {
        let i = entry.key.get();
        if !included[i] {
            return;
        }
        log_reviews += 1;
        let day = i64::from(dates.study_date(entry.reviewed_at).num_days_from_ce());
        per_card[i].push((
            entry.reviewed_at,
            CardReview {
                day,
                rating: entry.rating,
                learning: matches!(before, State::New | State::Learning),
            },
        ));
    });
    let mut set = TrainingSet {
        log_reviews,
        ..TrainingSet::default()
    };
    let mut targets: Vec<(DateTime<Utc>, i64, FSRSItem)> = Vec::new();
    for (card, reviews) in per_card.iter().enumerate() {
        let plain: Vec<CardReview> = reviews.iter().map(|(_, r)| *r).collect();
        let Some(found) = card_items(&plain) else {
            continue;
        };
        set.cards += 1;
        let deck = &log.keys()[card].deck;
        if !set.decks.contains(deck.as_str()) {
            set.decks.insert(deck.to_string());
        }
        set.reviews += plain.len() - found.first;
        for (target, item) in found.items {
            targets.push((reviews[target].0, card as i64, item));
        }
    }
    // Stable: a card's items keep their order at equal times.
    targets.sort_by_key(|(at, card, _)| (*at, *card));
    set.card_ids = targets.iter().map(|(_, card, _)| *card).collect();
    set.items = targets.into_iter().map(|(_, _, item)| item).collect();
    set
}
