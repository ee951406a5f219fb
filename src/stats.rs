//! Statistics: what the review log and the cards' states say about your
//! progress, as pure functions of (log, decks, settings, now, time zone).
//! The stats screen and `recall stats` both show a [`Stats`]; `--json`
//! serialises it as it is, so the field names here are the documented ones.
//!
//! One pass replays the whole log through the scheduler (a card's state
//! before each review is needed: its interval for true retention, its
//! predicted recall for calibration); reviews of cards outside the scope
//! still move their cards but are not counted.
//!
//! - [`history`]: what the reviews say: today, streak, true retention,
//!   calendar, calibration, time of day.
//! - [`cards`]: what the cards' current states say: counts by state,
//!   forecast, distributions.
//! - [`dates`]: instants to study dates and local hours (at `day_starts_at`).

pub mod cards;
pub mod dates;
pub mod history;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use crate::deck::{Deck, DeckId};
use crate::schedule::{self, Card};
use crate::store::{Config, ReviewLog};

pub use cards::{Bin, CardCounts, Distributions};
pub use history::{
    Calendar, Calibration, CalibrationBin, Hour, Period, RetentionSplit, Today, TrueRetention,
};

/// Days of history the calendar, calibration and time of day look at.
pub const HISTORY_DAYS: usize = 365;
/// Days the forecast covers unless asked otherwise, and at most.
pub const DEFAULT_FORECAST_DAYS: usize = 30;
pub const MAX_FORECAST_DAYS: usize = 365;
/// Interval (days, before the review) from which a card counts as mature.
pub const MATURE_DAYS: i64 = 21;

/// Which cards and reviews count: one deck (and its child decks, `id.…`),
/// or everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every deck, and the reviews of cards that are in no deck any more.
    All,
    Deck(DeckId),
}

impl Scope {
    pub fn contains(&self, deck: &DeckId) -> bool {
        match self {
            Scope::All => true,
            Scope::Deck(id) => {
                let (id, deck) = (id.as_str(), deck.as_str());
                deck == id
                    || deck
                        .strip_prefix(id)
                        .is_some_and(|rest| rest.starts_with('.'))
            }
        }
    }
}

/// What to compute the statistics of.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a, Tz: TimeZone> {
    pub log: &'a ReviewLog,
    /// Every loaded deck; those outside `scope` are left out.
    pub decks: &'a [&'a Deck],
    pub scope: &'a Scope,
    pub config: &'a Config,
    pub now: DateTime<Utc>,
    pub zone: &'a Tz,
    /// Length of the forecast, 1 to [`MAX_FORECAST_DAYS`].
    pub forecast_days: usize,
}

/// Every figure behind every chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The deck, or `null` for all decks.
    pub deck: Option<String>,
    /// Today's study date (days start at `day_starts_at`, local time).
    pub date: NaiveDate,
    pub today: Today,
    pub true_retention: TrueRetention,
    /// Local study date -> reviews that day, for the last 365 days
    /// (today included; days without reviews are 0).
    pub reviews_per_day: std::collections::BTreeMap<NaiveDate, u32>,
    pub calendar: Calendar,
    /// Cards due per day from today; index 0 includes overdue cards.
    pub forecast: Vec<u32>,
    pub counts: CardCounts,
    pub distributions: Distributions,
    pub calibration: Calibration,
    /// Reviews and pass rate by local hour of the day, 0 to 23.
    pub hours: Vec<Hour>,
}

/// Computes every section.
pub fn compute<Tz: TimeZone>(request: &Request<'_, Tz>) -> Stats {
    let log = request.log;
    let mut dates = dates::Dates::new(request.zone, request.config.day_starts_at);
    let today = dates.study_date(request.now);
    let in_scope: Vec<bool> = log
        .keys()
        .iter()
        .map(|key| request.scope.contains(&key.deck))
        .collect();
    let settings = request.config.deck_settings();
    let by_key: Vec<&crate::schedule::Settings> = log
        .keys()
        .iter()
        .map(|key| settings.for_deck(key.deck.as_str()))
        .collect();
    let mut cards: Vec<Card> = log
        .keys()
        .iter()
        .map(|key| Card::with_key(&key.to_string()))
        .collect();
    let mut history = history::Accumulator::new(today, log.keys().len());
    for entry in in_time_order(log).iter() {
        let index = entry.key.get();
        let card = &mut cards[index];
        if in_scope[index] {
            history.add(index, card, entry, &mut dates, by_key[index].parameters());
        }
        *card = schedule::review(card, entry.rating, entry.reviewed_at, by_key[index]);
    }
    let history = history.finish();

    let forecast_days = request.forecast_days.clamp(1, MAX_FORECAST_DAYS);
    let mut current = cards::Accumulator::new(today, forecast_days);
    for deck in request
        .decks
        .iter()
        .filter(|d| request.scope.contains(&d.id))
    {
        for card in deck.cards() {
            let key = crate::deck::CardKey::new(deck.id.clone(), card.id.clone());
            let state = log.index_of(&key).map(|i| cards[i.get()]);
            current.add(
                state.as_ref(),
                request.now,
                &mut dates,
                settings.for_deck(deck.id.as_str()).parameters(),
            );
        }
    }
    let current = current.finish();

    Stats {
        deck: match request.scope {
            Scope::All => None,
            Scope::Deck(id) => Some(id.to_string()),
        },
        date: today,
        today: history.today,
        true_retention: history.true_retention,
        reviews_per_day: history.reviews_per_day,
        calendar: history.calendar,
        forecast: current.forecast,
        counts: current.counts,
        distributions: current.distributions,
        calibration: history.calibration,
        hours: history.hours,
    }
}

/// The log's entries sorted by time, stably; logs are written in time
/// order, so this is usually only a check.
fn in_time_order(log: &ReviewLog) -> std::borrow::Cow<'_, [crate::store::log::Entry]> {
    let entries = log.entries();
    if entries.is_sorted_by_key(|e| e.reviewed_at) {
        return std::borrow::Cow::Borrowed(entries);
    }
    let mut sorted = entries.to_vec();
    sorted.sort_by_key(|e| e.reviewed_at);
    std::borrow::Cow::Owned(sorted)
}

/// `part / whole`, or `None` when there is nothing to divide.
pub fn share(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

/// The calendar laid out as GitHub and Anki draw it: 7 rows (Monday to
/// Sunday) by one column per week, the last column holding today. Cells
/// outside the last 365 days (before them, or after today) are `None`.
pub fn calendar_grid(stats: &Stats) -> Vec<Vec<Option<u32>>> {
    use chrono::Datelike;
    let Some((&first, _)) = stats.reviews_per_day.iter().next() else {
        return vec![Vec::new(); 7];
    };
    let start = first - chrono::Days::new(u64::from(first.weekday().num_days_from_monday()));
    let weeks = (stats.date - start).num_days() / 7 + 1;
    let mut grid = vec![vec![None; weeks as usize]; 7];
    for (date, &n) in &stats.reviews_per_day {
        let offset = (*date - start).num_days();
        let (week, day) = ((offset / 7) as usize, (offset % 7) as usize);
        grid[day][week] = Some(n);
    }
    grid
}

/// The character for a day with `n` reviews when the busiest had `max`:
/// `·` for none, then `░ ▒ ▓ █` by quarters of `max`.
pub fn shade(n: u32, max: u32) -> char {
    if n == 0 || max == 0 {
        return '·';
    }
    match u64::from(n) * 4 {
        q if q <= u64::from(max) => '░',
        q if q <= 2 * u64::from(max) => '▒',
        q if q <= 3 * u64::from(max) => '▓',
        _ => '█',
    }
}
