//! Desired-retention advice: a year of study simulated with the `fsrs`
//! crate's simulator (`fsrs::simulate`) at each retention from 0.70 to
//! 0.97, for the workload (reviews and time per day) and the knowledge
//! (cards remembered at the end) each gives. The retention with the least
//! work per card remembered is Anki's "minimum recommended retention". It
//! is advice only: nothing here changes `desired_retention`.

use fsrs::SimulatorConfig;

use super::OptimizeError;
use crate::schedule::Parameters;

/// The retentions shown.
pub const RETENTIONS: [f64; 9] = [0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.95, 0.97];
/// Days simulated.
pub const DAYS: usize = 365;
/// The simulator's seed, so the table is the same every run.
const SEED: u64 = 42;

/// What the simulation assumes about the collection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assumptions {
    /// Cards to learn (at least one).
    pub cards: usize,
    /// New cards introduced per day.
    pub new_per_day: usize,
    /// The longest interval, in days.
    pub maximum_interval_days: u32,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Row {
    pub retention: f64,
    /// Reviews (new cards' first reviews included) per day, on average.
    pub reviews_per_day: f64,
    /// Minutes of study per day, on average, at the simulator's typical
    /// time per answer.
    pub minutes_per_day: f64,
    /// Expected cards remembered at the end of the year.
    pub remembered: f64,
    /// Study time per card remembered, in seconds: what the mark minimises.
    pub seconds_per_card_remembered: f64,
    /// The minimum-workload retention (one row).
    pub least_work: bool,
}

/// The table for `parameters`.
pub fn advice(
    parameters: &Parameters,
    assumptions: Assumptions,
) -> Result<Vec<Row>, OptimizeError> {
    let w = super::as_f32(parameters);
    let config = SimulatorConfig {
        deck_size: assumptions.cards.max(1),
        learn_span: DAYS,
        max_cost_perday: f32::MAX,
        max_ivl: assumptions.maximum_interval_days as f32,
        learn_limit: assumptions.new_per_day.max(1),
        review_limit: usize::MAX,
        ..SimulatorConfig::default()
    };
    let mut rows = Vec::with_capacity(RETENTIONS.len());
    for retention in RETENTIONS {
        let result = fsrs::simulate(&config, &w, retention as f32, Some(SEED), None)?;
        let reviews: usize = result.review_cnt_per_day.iter().sum::<usize>()
            + result.learn_cnt_per_day.iter().sum::<usize>();
        let seconds: f64 = result.cost_per_day.iter().map(|&c| f64::from(c)).sum();
        let remembered = result
            .memorized_cnt_per_day
            .last()
            .map_or(0.0, |&m| f64::from(m));
        rows.push(Row {
            retention,
            reviews_per_day: reviews as f64 / DAYS as f64,
            minutes_per_day: seconds / 60.0 / DAYS as f64,
            remembered,
            seconds_per_card_remembered: if remembered > 0.0 {
                seconds / remembered
            } else {
                f64::INFINITY
            },
            least_work: false,
        });
    }
    if let Some(best) = rows.iter_mut().min_by(|a, b| {
        a.seconds_per_card_remembered
            .total_cmp(&b.seconds_per_card_remembered)
    }) {
        best.least_work = true;
    }
    Ok(rows)
}
