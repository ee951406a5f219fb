//! The home screen kept between runs ([`crate::cache`]'s home entry), so
//! that a start draws it at once and loads the decks and logs behind it.
//!
//! What is kept is what the counts are made of, not the counts: each row's
//! new and review counts for the study day, its learning cards' due times
//! and its next due time, so the screen is right at any moment until the
//! first of those due times passes or the day ends. After that the kept
//! screen says nothing and the start shows "Loading" instead. Which files
//! it was counted from is the cache's [`Fingerprint`] check.

use chrono::{DateTime, FixedOffset, Utc};

use super::home_counts::HomeCounts;
use crate::day::StudyDay;
use crate::deck::Deck;
use crate::deck::tree::{Children, TreeRow};
use crate::format;
use crate::study::queue::DueCounts;
use crate::ui::home::DeckRow;

pub use crate::cache::Fingerprint;

/// The home screen at one moment, valid for a while after it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HomeSnapshot {
    /// The study day it was counted for.
    day_start: DateTime<Utc>,
    day_end: DateTime<Utc>,
    /// The local zone's offset then (a changed zone moves the day).
    offset_seconds: i32,
    /// When a card comes due that was not due when counted: the counts
    /// hold until then.
    valid_until: Option<DateTime<Utc>>,
    rows: Vec<SnapshotRow>,
}

/// One row of the deck tree and the counts of its subtree.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct SnapshotRow {
    name: String,
    description: String,
    cards: usize,
    depth: usize,
    /// 0 none, 1 shown, 2 collapsed.
    children: u8,
    new: usize,
    review: usize,
    /// Today's learning cards' due times, soonest first.
    learning_due: Vec<DateTime<Utc>>,
    next_due: Option<DateTime<Utc>>,
}

impl HomeSnapshot {
    /// The screen `tree` shows with the counts in `counts`, for `day`;
    /// `None` if a deck of the tree has no counts kept.
    pub(super) fn of(
        tree: &[TreeRow],
        decks: &[&Deck],
        counts: &HomeCounts,
        day: &StudyDay,
        offset: FixedOffset,
    ) -> Option<HomeSnapshot> {
        let mut rows = Vec::with_capacity(tree.len());
        for row in tree {
            let mut new = 0;
            let mut review = 0;
            let mut learning_due = Vec::new();
            let mut next_due: Option<DateTime<Utc>> = None;
            for &index in &row.subtree {
                let counted = counts.counted(index)?;
                new += counted.new;
                review += counted.review;
                learning_due.extend_from_slice(&counted.learning_due);
                next_due = crate::study::queue::earliest(next_due, counted.next_due);
            }
            learning_due.sort_unstable();
            rows.push(SnapshotRow {
                name: row.label.clone(),
                description: row
                    .deck
                    .map(|i| decks[i].description.clone())
                    .unwrap_or_default(),
                cards: row.subtree.iter().map(|&i| decks[i].cards().len()).sum(),
                depth: row.depth,
                children: match row.children {
                    Children::None => 0,
                    Children::Shown => 1,
                    Children::Collapsed => 2,
                },
                new,
                review,
                learning_due,
                next_due,
            });
        }
        Some(HomeSnapshot {
            day_start: day.start,
            day_end: day.end,
            offset_seconds: offset.local_minus_utc(),
            valid_until: counts.valid_until(),
            rows,
        })
    }

    /// Whether the kept counts are today's at `now` in a zone `offset`
    /// from UTC: the same study day, and no card come due since.
    pub fn holds_at(&self, now: DateTime<Utc>, offset: FixedOffset) -> bool {
        self.day_start <= now
            && now < self.day_end
            && self.valid_until.is_none_or(|until| now < until)
            && offset.local_minus_utc() == self.offset_seconds
    }

    /// The rows as the home screen shows them at `now`.
    pub fn rows_at(&self, now: DateTime<Utc>, zone: FixedOffset) -> Vec<DeckRow> {
        self.rows
            .iter()
            .map(|row| DeckRow {
                name: row.name.clone(),
                description: row.description.clone(),
                cards: row.cards,
                counts: DueCounts {
                    new: row.new,
                    learning: row.learning_due.len(),
                    learning_now: row.learning_due.partition_point(|&due| due <= now),
                    review: row.review,
                },
                next: row
                    .next_due
                    .filter(|&due| due > now)
                    .map(|due| format::next_due(due, now, zone)),
                depth: row.depth,
                children: match row.children {
                    1 => Children::Shown,
                    2 => Children::Collapsed,
                    _ => Children::None,
                },
            })
            .collect()
    }
}
