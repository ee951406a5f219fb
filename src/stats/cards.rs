//! What the cards' current states say: how many are in each state, when
//! they come due, and how their intervals, stability, difficulty and
//! retrievability are spread. Built by [`Accumulator`], one card at a time.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use super::MATURE_DAYS;
use super::dates::Dates;
use crate::schedule::{self, Card, Parameters, State};

/// Cards per state, each card in one: suspended and buried cards (as Anki
/// shows them) whatever their schedule, the others by it. Young and mature
/// are Review cards with an interval under 21 days, and of 21 days or more.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CardCounts {
    pub new: u32,
    pub learning: u32,
    pub relearning: u32,
    pub young: u32,
    pub mature: u32,
    pub suspended: u32,
    /// Buried this study day (and not suspended).
    pub buried: u32,
    pub total: u32,
}

/// Whether a card may be studied: suspended cards wait for `unsuspend`,
/// buried ones for the next study day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Available,
    Suspended,
    Buried,
}

/// One bar of a histogram: values `from <= v < to` (`to` is `null` for the
/// last, open bar).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    pub label: String,
    pub from: f64,
    pub to: Option<f64>,
    pub count: u32,
}

/// Histograms over the reviewed cards, suspended and buried ones included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distributions {
    /// Days between the last review and the due date, of Review cards.
    pub interval: Vec<Bin>,
    /// Stability in days, of every reviewed card.
    pub stability: Vec<Bin>,
    /// Difficulty, 1 to 10, of every reviewed card.
    pub difficulty: Vec<Bin>,
    /// The probability of recalling each reviewed card now.
    pub retrievability: Vec<Bin>,
}

/// Bin edges in days for intervals and stability, with their labels (at
/// most two characters, to fit under a bar: `1w` a week, `1M` a month).
const DAY_EDGES: [(f64, &str); 10] = [
    (0.0, "<1d"),
    (1.0, "1d"),
    (2.0, "2d"),
    (3.0, "3d"),
    (7.0, "1w"),
    (14.0, "2w"),
    (30.0, "1M"),
    (90.0, "3M"),
    (180.0, "6M"),
    (365.0, "1y"),
];

fn bins(edges: &[(f64, String)]) -> Vec<Bin> {
    edges
        .iter()
        .enumerate()
        .map(|(i, (from, label))| Bin {
            label: label.clone(),
            from: *from,
            to: edges.get(i + 1).map(|(to, _)| *to),
            count: 0,
        })
        .collect()
}

/// Counts `value` in the last bin whose `from` it reaches.
fn count(bins: &mut [Bin], value: f64) {
    if let Some(bin) = bins.iter_mut().rev().find(|b| value >= b.from) {
        bin.count += 1;
    } else if let Some(first) = bins.first_mut() {
        first.count += 1;
    }
}

/// Whole days from the card's last review to its due date (0 without
/// either).
fn interval(card: &Card) -> i64 {
    match (card.due(), card.last_review()) {
        (Some(due), Some(last)) => (due - last).num_days(),
        _ => 0,
    }
}

/// What [`Accumulator::finish`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub counts: CardCounts,
    pub forecast: Vec<u32>,
    pub distributions: Distributions,
}

#[derive(Debug)]
pub struct Accumulator {
    date: NaiveDate,
    current: Current,
}

impl Accumulator {
    pub fn new(date: NaiveDate, forecast_days: usize) -> Self {
        let days: Vec<(f64, String)> = DAY_EDGES
            .iter()
            .map(|(d, l)| (*d, (*l).to_owned()))
            .collect();
        let difficulty: Vec<(f64, String)> =
            (1..=9).map(|d| (f64::from(d), d.to_string())).collect();
        let retrievability: Vec<(f64, String)> = (0..10)
            .map(|i| (f64::from(i) / 10.0, (i * 10).to_string()))
            .collect();
        Self {
            date,
            current: Current {
                counts: CardCounts::default(),
                forecast: vec![0; forecast_days],
                distributions: Distributions {
                    interval: bins(&days),
                    stability: bins(&days),
                    difficulty: bins(&difficulty),
                    retrievability: bins(&retrievability),
                },
            },
        }
    }

    /// Counts one card of a deck; `None` is a card never reviewed. The
    /// forecast leaves suspended cards out, and counts buried ones on the
    /// next day at the earliest (when they come back).
    pub fn add<Tz: TimeZone>(
        &mut self,
        card: Option<&Card>,
        availability: Availability,
        now: DateTime<Utc>,
        dates: &mut Dates<'_, Tz>,
        parameters: &Parameters,
    ) {
        let current = &mut self.current;
        let counts = &mut current.counts;
        counts.total += 1;
        let card = card.filter(|c| c.state() != State::New);
        match (availability, card) {
            (Availability::Suspended, _) => counts.suspended += 1,
            (Availability::Buried, _) => counts.buried += 1,
            (Availability::Available, None) => counts.new += 1,
            (Availability::Available, Some(card)) => match card.state() {
                State::Learning => counts.learning += 1,
                State::Relearning => counts.relearning += 1,
                State::Review if interval(card) >= MATURE_DAYS => counts.mature += 1,
                State::Review | State::New => counts.young += 1,
            },
        }
        let Some(card) = card else {
            return;
        };
        let distributions = &mut current.distributions;
        if let Some(due) = card.due()
            && availability != Availability::Suspended
        {
            let first = i64::from(availability == Availability::Buried);
            let days_ahead = (dates.study_date(due) - self.date).num_days().max(first);
            if let Some(slot) = usize::try_from(days_ahead)
                .ok()
                .and_then(|d| current.forecast.get_mut(d))
            {
                *slot += 1;
            }
        }
        if card.state() == State::Review {
            count(&mut distributions.interval, interval(card) as f64);
        }
        if let Some(memory) = card.memory() {
            count(&mut distributions.stability, memory.stability());
            count(&mut distributions.difficulty, memory.difficulty());
        }
        if let Some(r) = schedule::retrievability(card, now, parameters) {
            count(&mut distributions.retrievability, r);
        }
    }

    pub fn finish(self) -> Current {
        self.current
    }
}
