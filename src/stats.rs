//! Statistics: what the review log and the cards' states say about your
//! progress, as pure functions of (log, card events, progress, decks,
//! settings, now, time zone). The stats screen and `recall stats` both show
//! a [`Stats`]; `--json` serialises it as it is, so the field names here are
//! the documented ones.
//!
//! Two halves, computed apart so that the screen can switch between a deck
//! and all decks without reading the log again:
//!
//! - [`histories`]: what the reviews say (today, streak, true retention,
//!   calendar, calibration, time of day). One pass replays the whole log
//!   and the card events through the scheduler, as the rest of the app
//!   does (a card's state before each review is needed: its interval for
//!   true retention, its predicted recall for calibration; a forget makes
//!   the card New again, and its earlier reviews still count). One pass
//!   serves several scopes at once.
//! - [`current`]: what the cards' current states say (counts by state,
//!   forecast, distributions), from the [`Progress`] the rest of the app
//!   uses (`recall due`, the browser), so the figures agree with them.
//!
//! Modules:
//! - [`history`]: today, streak, true retention, calendar, calibration,
//!   time of day, one review at a time.
//! - [`cards`]: counts by state, forecast, distributions, one card at a
//!   time.
//! - [`dates`]: instants to study dates and local hours (at `day_starts_at`).

pub mod cards;
pub mod dates;
pub mod history;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use crate::day::StudyDay;
use crate::deck::{CardKey, Deck, DeckId};
use crate::store::{CardEvent, Config, Progress, ReviewLog};

pub use cards::{Bin, CardCounts, Current, Distributions};
pub use history::{
    Calendar, Calibration, CalibrationBin, History, Hour, Period, RetentionSplit, Today,
    TrueRetention,
};

/// Days of history the calendar, calibration and time of day look at.
pub const HISTORY_DAYS: usize = 365;
/// Days the forecast covers unless asked otherwise, and at most.
pub const DEFAULT_FORECAST_DAYS: usize = 30;
pub const MAX_FORECAST_DAYS: usize = 365;
/// Interval (days, before the review) from which a card counts as mature.
pub const MATURE_DAYS: i64 = 21;
/// RMSE(bins) above which the calibration is called a poor fit, and
/// `recall optimize` is suggested first.
pub const POOR_FIT_RMSE: f64 = 0.05;

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

    /// The deck's id, `None` for all decks.
    pub fn deck(&self) -> Option<String> {
        match self {
            Scope::All => None,
            Scope::Deck(id) => Some(id.to_string()),
        }
    }
}

/// The clock and the settings every figure is computed with.
#[derive(Debug, Clone, Copy)]
pub struct When<'a, Tz: TimeZone> {
    pub config: &'a Config,
    pub now: DateTime<Utc>,
    pub zone: &'a Tz,
}

impl<Tz: TimeZone> When<'_, Tz> {
    /// Today's study date.
    pub fn date(&self) -> NaiveDate {
        dates::Dates::new(self.zone, self.config.day_starts_at).study_date(self.now)
    }

    fn dates(&self) -> dates::Dates<'_, Tz> {
        dates::Dates::new(self.zone, self.config.day_starts_at)
    }
}

/// What to compute the statistics of.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a, Tz: TimeZone> {
    pub log: &'a ReviewLog,
    /// The card events (`card_events.csv`): forgets, suspends, buries.
    pub events: &'a [CardEvent],
    /// The cards' current states, from the same log and events (as
    /// [`Progress::replay_with_events`] or the cache give it).
    pub progress: &'a Progress,
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
    /// Suspended cards are left out; buried ones come back the next day.
    pub forecast: Vec<u32>,
    pub counts: CardCounts,
    pub distributions: Distributions,
    pub calibration: Calibration,
    /// Reviews and pass rate by local hour of the day, 0 to 23.
    pub hours: Vec<Hour>,
}

/// Computes every section.
pub fn compute<Tz: TimeZone>(request: &Request<'_, Tz>) -> Stats {
    let when = When {
        config: request.config,
        now: request.now,
        zone: request.zone,
    };
    let scopes = std::slice::from_ref(request.scope);
    let history = histories(request.log, request.events, &when, scopes)
        .pop()
        .unwrap_or_else(|| History::empty(when.date()));
    let current = current(
        request.progress,
        request.decks,
        request.scope,
        &when,
        request.forecast_days,
    );
    assemble(request.scope, history, current)
}

/// What the reviews say, for each of `scopes`, from one replay of `log`
/// and `events` (in the order of `scopes`).
pub fn histories<Tz: TimeZone>(
    log: &ReviewLog,
    events: &[CardEvent],
    when: &When<'_, Tz>,
    scopes: &[Scope],
) -> Vec<History> {
    replay_histories(log, when, scopes, &mut |settings, on_review| {
        crate::store::replay::review_cards(log, events, settings, on_review);
    })
}

/// [`histories`], and the cards' states from the same replay: what
/// [`Progress::replay_with_events`] gives for today, without replaying
/// twice.
pub fn histories_and_progress<Tz: TimeZone>(
    log: &ReviewLog,
    events: &[CardEvent],
    when: &When<'_, Tz>,
    scopes: &[Scope],
) -> (Vec<History>, Progress) {
    let day = StudyDay::containing(when.now, when.config.day_starts_at, when.zone);
    let mut progress = None;
    let histories = replay_histories(log, when, scopes, &mut |settings, on_review| {
        progress = Some(Progress::replay_observing(
            log,
            events,
            settings,
            when.config.leech,
            &day,
            on_review,
        ));
    });
    (histories, progress.unwrap_or_default())
}

/// A replay callback: the deck settings, and what to call for each review.
type Replay<'r> = dyn FnMut(
        &crate::store::config::DeckSettings,
        &mut dyn FnMut(&crate::store::log::Entry, &crate::schedule::Card),
    ) + 'r;

/// The histories of `scopes` from the reviews `replay` goes through, each
/// with its card's state before it.
fn replay_histories<Tz: TimeZone>(
    log: &ReviewLog,
    when: &When<'_, Tz>,
    scopes: &[Scope],
    replay: &mut Replay<'_>,
) -> Vec<History> {
    let mut dates = when.dates();
    let today = dates.study_date(when.now);
    let settings = when.config.deck_settings();
    let by_key: Vec<&crate::schedule::Parameters> = log
        .keys()
        .iter()
        .map(|key| settings.for_deck(key.deck.as_str()).parameters())
        .collect();
    let mut each: Vec<(Vec<bool>, history::Accumulator)> = scopes
        .iter()
        .map(|scope| {
            let in_scope = log.keys().iter().map(|k| scope.contains(&k.deck)).collect();
            (in_scope, history::Accumulator::new(today, log.keys().len()))
        })
        .collect();
    replay(&settings, &mut |entry, before| {
        let index = entry.key.get();
        if !each.iter().any(|(in_scope, _)| in_scope[index]) {
            return;
        }
        let fact = history::Fact::of(today, before, entry, &mut dates, by_key[index]);
        for (in_scope, history) in &mut each {
            if in_scope[index] {
                history.count(index, &fact);
            }
        }
    });
    each.into_iter().map(|(_, h)| h.finish()).collect()
}

/// What the current states of the cards in `scope` say: every card of the
/// decks in scope, as `progress` has it (card events applied).
pub fn current<Tz: TimeZone>(
    progress: &Progress,
    decks: &[&Deck],
    scope: &Scope,
    when: &When<'_, Tz>,
    forecast_days: usize,
) -> Current {
    let mut dates = when.dates();
    let today = dates.study_date(when.now);
    let day = StudyDay::containing(when.now, when.config.day_starts_at, when.zone);
    let settings = when.config.deck_settings();
    let forecast_days = forecast_days.clamp(1, MAX_FORECAST_DAYS);
    let mut current = cards::Accumulator::new(today, forecast_days);
    for deck in decks.iter().filter(|d| scope.contains(&d.id)) {
        let parameters = settings.for_deck(deck.id.as_str()).parameters();
        for card in deck.cards() {
            let key = CardKey::new(deck.id.clone(), card.id.clone());
            let (state, status) = progress.card_and_status(&key);
            let availability = if status.suspended {
                cards::Availability::Suspended
            } else if status.is_buried(&day) {
                cards::Availability::Buried
            } else {
                cards::Availability::Available
            };
            current.add(
                state.as_ref(),
                availability,
                when.now,
                &mut dates,
                parameters,
            );
        }
    }
    current.finish()
}

/// The statistics of `scope` from its two halves.
pub fn assemble(scope: &Scope, history: History, current: Current) -> Stats {
    Stats {
        deck: scope.deck(),
        date: history.date,
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
