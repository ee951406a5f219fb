//! What the reviews say: today, the streak, true retention, the calendar,
//! calibration and time of day. Built by [`Accumulator`], one review at a
//! time, in time order, each with its card's state just before it.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeDelta, TimeZone};
use serde::Serialize;

use super::dates::Dates;
use super::{HISTORY_DAYS, MATURE_DAYS, share};
use crate::schedule::{self, Card, Parameters, Rating, State};
use crate::store::log::Entry;

/// Today's study day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Today {
    /// Different cards reviewed.
    pub cards: u32,
    pub reviews: u32,
    /// Time spent, from each question to its grade.
    pub time_ms: u64,
    /// Reviews graded Again.
    pub again: u32,
    /// `again / reviews`, `null` without reviews.
    pub again_share: Option<f64>,
    /// Cards reviewed for the first time.
    pub new_cards: u32,
    /// Study days in a row with reviews, up to today (or yesterday, while
    /// today has none yet).
    pub streak_days: u32,
}

/// Passes (Hard, Good, Easy) and fails (Again) of reviews of cards in the
/// Review state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RetentionSplit {
    pub passed: u32,
    pub failed: u32,
}

impl RetentionSplit {
    pub fn total(&self) -> u32 {
        self.passed + self.failed
    }

    /// The pass rate, `None` without reviews.
    pub fn rate(&self) -> Option<f64> {
        share(self.passed, self.total())
    }

    fn add(&mut self, passed: bool) {
        if passed {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
    }
}

impl std::ops::Add for RetentionSplit {
    type Output = RetentionSplit;
    fn add(self, other: RetentionSplit) -> RetentionSplit {
        RetentionSplit {
            passed: self.passed + other.passed,
            failed: self.failed + other.failed,
        }
    }
}

/// One period of the true retention table: young cards had an interval
/// under 21 days before the review, mature ones 21 days or more.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Period {
    pub young: RetentionSplit,
    pub mature: RetentionSplit,
}

impl Period {
    pub fn total(&self) -> RetentionSplit {
        self.young + self.mature
    }
}

/// Anki's true retention table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TrueRetention {
    pub today: Period,
    pub yesterday: Period,
    pub last_7_days: Period,
    pub last_30_days: Period,
    pub last_365_days: Period,
}

impl TrueRetention {
    /// The periods with their names, in table order.
    pub fn rows(&self) -> [(&'static str, Period); 5] {
        [
            ("Today", self.today),
            ("Yesterday", self.yesterday),
            ("Last 7 days", self.last_7_days),
            ("Last 30 days", self.last_30_days),
            ("Last 365 days", self.last_365_days),
        ]
    }
}

/// The day with the most reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BusiestDay {
    pub date: NaiveDate,
    pub reviews: u32,
}

/// The calendar's summary (the days themselves are `reviews_per_day`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Calendar {
    /// The days covered, today included.
    pub days: u32,
    pub reviews: u32,
    pub days_studied: u32,
    /// Reviews per day over all the days covered.
    pub average_per_day: f64,
    /// The most reviews in one day (the latest such day); `null` without
    /// reviews.
    pub busiest_day: Option<BusiestDay>,
}

/// Predicted recall probabilities in one tenth of [0, 1].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CalibrationBin {
    pub from: f64,
    pub to: f64,
    /// The mean predicted probability of the reviews in the bin.
    pub predicted: Option<f64>,
    /// Their pass rate.
    pub observed: Option<f64>,
    pub count: u32,
}

/// FSRS's predictions against what happened, for the reviews of the last
/// 365 days made at least a day after the card's previous review (FSRS
/// predicts recall across days; same-day steps are left out).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    pub reviews: u32,
    pub passed: u32,
    /// Mean binary cross-entropy of the predictions (lower is better).
    pub log_loss: Option<f64>,
    /// Root mean square of (predicted - observed) over the bins, weighted
    /// by their counts.
    pub rmse_bins: Option<f64>,
    pub bins: Vec<CalibrationBin>,
}

/// Reviews in one local hour of the day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Hour {
    pub hour: u32,
    pub reviews: u32,
    pub passed: u32,
    pub pass_rate: Option<f64>,
}

/// What [`Accumulator::finish`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// The study date the history ends on (today).
    pub date: NaiveDate,
    pub today: Today,
    pub true_retention: TrueRetention,
    pub reviews_per_day: BTreeMap<NaiveDate, u32>,
    pub calendar: Calendar,
    pub calibration: Calibration,
    pub hours: Vec<Hour>,
}

impl History {
    /// The history of a log without reviews, up to `date`.
    pub fn empty(date: NaiveDate) -> History {
        Accumulator::new(date, 0).finish()
    }
}

/// One review as the history counts it: worked out once, then counted in
/// every scope the card is in.
#[derive(Debug, Clone, Copy)]
pub struct Fact {
    /// Its study date.
    pub date: NaiveDate,
    /// Study days before today, `None` for a review after today or more
    /// than [`HISTORY_DAYS`] ago (counted only in the streak's list).
    pub days_ago: Option<usize>,
    pub passed: bool,
    pub duration_ms: u64,
    /// The card's state just before.
    pub before: State,
    /// For a card in Review: whether its interval was mature.
    pub mature: Option<bool>,
    /// The predicted recall, for a review a day or more after the
    /// previous one.
    pub predicted: Option<f64>,
    /// The local hour, 0 to 23.
    pub hour: u32,
}

impl Fact {
    /// The review `entry` of a card in state `before`, seen from `today`.
    pub fn of<Tz: TimeZone>(
        today: NaiveDate,
        before: &Card,
        entry: &Entry,
        dates: &mut Dates<'_, Tz>,
        parameters: &Parameters,
    ) -> Fact {
        let at = entry.reviewed_at;
        let date = dates.study_date(at);
        let days_ago = usize::try_from((today - date).num_days())
            .ok()
            .filter(|d| *d < HISTORY_DAYS);
        let mut fact = Fact {
            date,
            days_ago,
            passed: entry.rating != Rating::Again,
            duration_ms: entry.duration_ms,
            before: before.state(),
            mature: None,
            predicted: None,
            hour: 0,
        };
        if days_ago.is_none() {
            return fact;
        }
        if fact.before == State::Review {
            let interval = match (before.due(), before.last_review()) {
                (Some(due), Some(last)) => (due - last).num_days(),
                _ => 0,
            };
            fact.mature = Some(interval >= MATURE_DAYS);
        }
        let across_days = before
            .last_review()
            .is_some_and(|last| at - last >= TimeDelta::days(1));
        if across_days {
            fact.predicted = schedule::retrievability(before, at, parameters);
        }
        fact.hour = dates.hour(at);
        fact
    }
}

/// Sums reviews as they come.
#[derive(Debug)]
pub struct Accumulator {
    date: NaiveDate,
    today: Today,
    /// Cards already counted today, by the log's key index.
    seen_today: Vec<bool>,
    /// Every study date with reviews, latest last (may repeat when the log
    /// is out of order; sorted at the end).
    studied: Vec<NaiveDate>,
    per_day: Vec<u32>,
    retention: TrueRetention,
    /// Per bin: sum of predictions, passes, count.
    bins: [(f64, u32, u32); 10],
    log_loss_sum: f64,
    hours: [(u32, u32); 24],
}

impl Accumulator {
    /// For the study date `date`, over a log of `keys` cards.
    pub fn new(date: NaiveDate, keys: usize) -> Self {
        Self {
            date,
            today: Today::default(),
            seen_today: vec![false; keys],
            studied: Vec::new(),
            per_day: vec![0; HISTORY_DAYS],
            retention: TrueRetention::default(),
            bins: [(0.0, 0, 0); 10],
            log_loss_sum: 0.0,
            hours: [(0, 0); 24],
        }
    }

    /// Counts one review of the card with key index `index`; `before` is
    /// the card's state just before it.
    pub fn add<Tz: TimeZone>(
        &mut self,
        index: usize,
        before: &Card,
        entry: &Entry,
        dates: &mut Dates<'_, Tz>,
        parameters: &Parameters,
    ) {
        let fact = Fact::of(self.date, before, entry, dates, parameters);
        self.count(index, &fact);
    }

    /// Counts one review, as [`Fact::of`] described it for this date.
    pub fn count(&mut self, index: usize, fact: &Fact) {
        if self.studied.last() != Some(&fact.date) {
            self.studied.push(fact.date);
        }
        // Reviews dated after today (a clock that was ahead) count nowhere
        // but in the streak's list, which ignores them.
        let Some(days_ago) = fact.days_ago else {
            return;
        };
        let passed = fact.passed;
        self.per_day[days_ago] += 1;
        if days_ago == 0 {
            let today = &mut self.today;
            today.reviews += 1;
            today.time_ms += fact.duration_ms;
            today.again += u32::from(!passed);
            today.new_cards += u32::from(fact.before == State::New);
            if !std::mem::replace(&mut self.seen_today[index], true) {
                today.cards += 1;
            }
        }
        if let Some(mature) = fact.mature {
            let r = &mut self.retention;
            let periods = [
                (days_ago == 0, &mut r.today),
                (days_ago == 1, &mut r.yesterday),
                (days_ago < 7, &mut r.last_7_days),
                (days_ago < 30, &mut r.last_30_days),
                (true, &mut r.last_365_days),
            ];
            for (included, period) in periods {
                if included {
                    let split = if mature {
                        &mut period.mature
                    } else {
                        &mut period.young
                    };
                    split.add(passed);
                }
            }
        }
        if let Some(p) = fact.predicted {
            let bin = ((p * 10.0) as usize).min(9);
            let slot = &mut self.bins[bin];
            slot.0 += p;
            slot.1 += u32::from(passed);
            slot.2 += 1;
            let p = p.clamp(1e-6, 1.0 - 1e-6);
            self.log_loss_sum -= if passed { p.ln() } else { (1.0 - p).ln() };
        }
        let hour = &mut self.hours[fact.hour as usize];
        hour.0 += 1;
        hour.1 += u32::from(passed);
    }

    pub fn finish(mut self) -> History {
        self.today.again_share = share(self.today.again, self.today.reviews);
        self.today.streak_days = streak(self.date, &mut self.studied);

        let reviews_per_day: BTreeMap<NaiveDate, u32> = self
            .per_day
            .iter()
            .enumerate()
            .map(|(ago, &n)| (self.date - chrono::Days::new(ago as u64), n))
            .collect();
        let reviews: u32 = self.per_day.iter().sum();
        let busiest_day = reviews_per_day
            .iter()
            .filter(|(_, n)| **n > 0)
            .max_by_key(|(date, n)| (**n, **date))
            .map(|(&date, &reviews)| BusiestDay { date, reviews });
        let calendar = Calendar {
            days: HISTORY_DAYS as u32,
            reviews,
            days_studied: self.per_day.iter().filter(|n| **n > 0).count() as u32,
            average_per_day: f64::from(reviews) / HISTORY_DAYS as f64,
            busiest_day,
        };

        let count: u32 = self.bins.iter().map(|b| b.2).sum();
        let passed: u32 = self.bins.iter().map(|b| b.1).sum();
        let bins: Vec<CalibrationBin> = self
            .bins
            .iter()
            .enumerate()
            .map(|(i, &(sum, passed, count))| CalibrationBin {
                from: i as f64 / 10.0,
                to: (i + 1) as f64 / 10.0,
                predicted: (count > 0).then(|| sum / f64::from(count)),
                observed: share(passed, count),
                count,
            })
            .collect();
        let squares: f64 = bins
            .iter()
            .filter_map(|b| Some(f64::from(b.count) * (b.predicted? - b.observed?).powi(2)))
            .sum();
        let calibration = Calibration {
            reviews: count,
            passed,
            log_loss: (count > 0).then(|| self.log_loss_sum / f64::from(count)),
            rmse_bins: (count > 0).then(|| (squares / f64::from(count)).sqrt()),
            bins,
        };

        let hours = self
            .hours
            .iter()
            .enumerate()
            .map(|(hour, &(reviews, passed))| Hour {
                hour: hour as u32,
                reviews,
                passed,
                pass_rate: share(passed, reviews),
            })
            .collect();
        History {
            date: self.date,
            today: self.today,
            true_retention: self.retention,
            reviews_per_day,
            calendar,
            calibration,
            hours,
        }
    }
}

/// Days in a row with reviews, ending today, or yesterday if today has
/// none yet (the streak is not broken before the day is over).
fn streak(today: NaiveDate, studied: &mut Vec<NaiveDate>) -> u32 {
    studied.sort_unstable();
    studied.dedup();
    let mut expected = today;
    let mut days = 0;
    for &date in studied.iter().rev() {
        if date > today {
            continue;
        }
        if days == 0 && date != today && Some(date) == today.pred_opt() {
            expected = date;
        }
        if date != expected {
            break;
        }
        days += 1;
        match expected.pred_opt() {
            Some(previous) => expected = previous,
            None => break,
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn streaks_end_today_or_yesterday() {
        let today = date("2026-11-25");
        let days = |list: &[&str]| -> Vec<NaiveDate> { list.iter().map(|d| date(d)).collect() };
        let cases: [(&[&str], u32); 6] = [
            (&[], 0),
            (&["2026-11-25"], 1),
            (&["2026-11-23", "2026-11-24", "2026-11-25"], 3),
            // Today not studied yet: the run up to yesterday still counts.
            (&["2026-11-22", "2026-11-23", "2026-11-24"], 3),
            // A gap breaks it.
            (&["2026-11-20", "2026-11-22", "2026-11-24", "2026-11-25"], 2),
            (&["2026-11-23"], 0),
        ];
        for (studied, expected) in cases {
            assert_eq!(streak(today, &mut days(studied)), expected, "{studied:?}");
        }
    }
}
