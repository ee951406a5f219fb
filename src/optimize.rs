//! Fitting the 21 FSRS-6 parameters to the user's own reviews with the
//! official `fsrs` crate, and judging the fit as the srs-benchmark does.
//!
//! Pure: a training set in ([`items`]), figures and parameters out. The
//! command (`recall optimize`) reads the log, draws the progress bar,
//! handles Ctrl-C and writes the config.
//!
//! - **Fit**: `fsrs::compute_parameters` on every item.
//! - **Figures**: the fitted model's log loss and RMSE(bins) come from
//!   `fsrs::evaluate_with_time_series_splits` (the items in time order cut
//!   into six parts; each of parts 2-6 is predicted by parameters fitted on
//!   the parts before it, so no review is predicted by a fit that saw it).
//!   The defaults and the current parameters are judged on the same parts
//!   2-6. AUC comes from each model's predictions on parts 2-6 (for the
//!   fitted model, the final fit's, which saw them).
//! - **Keep or replace** (Anki's rule): the fit replaces the current
//!   parameters only if its RMSE(bins) over all items is lower than theirs.

pub mod items;
pub mod metrics;
pub mod retention;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use fsrs::{CombinedProgressState, ComputeParametersInput, FSRSError};

pub use items::{CardItems, CardReview, TrainingSet, card_items, training_set};
pub use metrics::Metrics;

use crate::schedule::{LOWER_BOUNDS, PARAMETER_COUNT, Parameters, UPPER_BOUNDS};

/// Fewer reviews than this are too few to fit (Anki asks for 400).
pub const MIN_REVIEWS: usize = 400;
/// Fewer items than this and the crate would not train (it returns the
/// defaults under 8 and only the initial stabilities under 64).
pub const MIN_ITEMS: usize = 64;
/// Decimals kept in written parameters (Anki shows four).
pub const DECIMALS: i32 = 4;
/// The benchmark's number of time-series splits.
const SPLITS: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum OptimizeError {
    #[error(
        "too little data to fit: {reviews} reviews and {items} training items from {cards} cards; \
         fitting needs at least {MIN_REVIEWS} reviews and {MIN_ITEMS} items \
         (a review counts as an item when it comes a day or more after the card's previous one)"
    )]
    TooLittleData {
        reviews: usize,
        items: usize,
        cards: usize,
    },
    #[error("interrupted")]
    Interrupted,
    #[error("the FSRS optimizer failed: {0}")]
    Fsrs(#[from] FSRSError),
}

/// How a fit went, for printing and for `--json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub reviews: usize,
    pub cards: usize,
    pub items: usize,
    pub default: Metrics,
    pub current: Metrics,
    pub fitted: Metrics,
    /// The fit, rounded so that recall's scheduler accepts it.
    pub fitted_parameters: Parameters,
    /// False when the current parameters did at least as well (Anki's
    /// rule): then they stay.
    pub better: bool,
}

impl Report {
    /// The parameters to use from now on: the fit if it is better, else
    /// the current ones.
    pub fn chosen<'a>(&'a self, current: &'a Parameters) -> &'a Parameters {
        if self.better {
            &self.fitted_parameters
        } else {
            current
        }
    }
}

/// Progress shared with the command's progress bar, and how it asks the
/// fit to stop.
#[derive(Debug, Clone, Default)]
pub struct Control {
    /// The crate's progress during one fit (reset for each).
    pub progress: Arc<Mutex<CombinedProgressState>>,
    /// Set by Ctrl-C: the fit stops at its next check.
    pub cancel: Arc<AtomicBool>,
    /// Steps done of [`Control::STEPS`]: the fit, the five splits, then
    /// the comparison with the defaults and the current parameters.
    pub step: Arc<std::sync::atomic::AtomicUsize>,
}

impl Control {
    /// The final fit, one per split, and the comparison.
    pub const STEPS: usize = 1 + SPLITS + 1;
    /// The number of time-series splits.
    pub const SPLITS: usize = SPLITS;

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Fits parameters to `set` and judges them against the defaults and
/// `current`.
pub fn optimize(
    set: &TrainingSet,
    current: &Parameters,
    control: &Control,
) -> Result<Report, OptimizeError> {
    if set.reviews < MIN_REVIEWS || set.items.len() < MIN_ITEMS {
        return Err(OptimizeError::TooLittleData {
            reviews: set.reviews,
            items: set.items.len(),
            cards: set.cards,
        });
    }
    let input = ComputeParametersInput {
        train_set: set.items.clone(),
        card_ids: Some(set.card_ids.clone()),
        progress: Some(control.progress.clone()),
        enable_short_term: true,
        num_relearning_steps: None,
        training_config: None,
    };
    let fitted = match fsrs::compute_parameters(input.clone()) {
        Err(FSRSError::Interrupted) => return Err(OptimizeError::Interrupted),
        other => other?,
    };
    if control.cancelled() {
        return Err(OptimizeError::Interrupted);
    }
    control.step.store(1, Ordering::Relaxed);
    let fitted_parameters = rounded(&fitted);
    let fitted_f32 = as_f32(&fitted_parameters);
    let split = fsrs::evaluate_with_time_series_splits(
        ComputeParametersInput {
            progress: None,
            ..input
        },
        |progress| {
            control.step.store(1 + progress.current, Ordering::Relaxed);
            !control.cancelled()
        },
    );
    let split = match split {
        Err(FSRSError::Interrupted) => return Err(OptimizeError::Interrupted),
        other => other?,
    };
    if control.cancelled() {
        return Err(OptimizeError::Interrupted);
    }
    // Parts 2-6 of the time-series split: what the split fits predicted.
    let from = set.items.len() / (SPLITS + 1);
    let (test, test_ids) = (&set.items[from..], &set.card_ids[from..]);
    let default_f32 = as_f32(&Parameters::default());
    let current_f32 = as_f32(current);
    let default = metrics::evaluate(&default_f32, test, test_ids)?;
    let current_metrics = if *current == Parameters::default() {
        default
    } else {
        metrics::evaluate(&current_f32, test, test_ids)?
    };
    if control.cancelled() {
        return Err(OptimizeError::Interrupted);
    }
    let fitted_on_test = metrics::evaluate(&fitted_f32, test, test_ids)?;
    let fitted_metrics = Metrics {
        log_loss: f64::from(split.log_loss),
        rmse_bins: f64::from(split.rmse_bins),
        auc: fitted_on_test.auc,
    };
    // Anki's rule, on every item.
    if control.cancelled() {
        return Err(OptimizeError::Interrupted);
    }
    let all_current = metrics::evaluate(&current_f32, &set.items, &set.card_ids)?;
    if control.cancelled() {
        return Err(OptimizeError::Interrupted);
    }
    let all_fitted = metrics::evaluate(&fitted_f32, &set.items, &set.card_ids)?;
    let better = all_fitted.rmse_bins < all_current.rmse_bins && fitted_parameters != *current;
    Ok(Report {
        reviews: set.reviews,
        cards: set.cards,
        items: set.items.len(),
        default,
        current: current_metrics,
        fitted: fitted_metrics,
        fitted_parameters,
        better,
    })
}

/// recall's parameters as the crate takes them.
pub fn as_f32(parameters: &Parameters) -> Vec<f32> {
    parameters.as_slice().iter().map(|&w| w as f32).collect()
}

/// The crate's `f32` parameters as recall's: each rounded to [`DECIMALS`]
/// places (widening 0.8f32 gives 0.800000011920929, which the bound 0.8
/// rejects) and kept within recall's bounds; a missing or non-finite value
/// is the default's.
pub fn rounded(fitted: &[f32]) -> Parameters {
    let scale = 10f64.powi(DECIMALS);
    let defaults = Parameters::default();
    let mut w = [0.0; PARAMETER_COUNT];
    for (i, slot) in w.iter_mut().enumerate() {
        let value = fitted
            .get(i)
            .map(|&v| f64::from(v))
            .filter(|v| v.is_finite())
            .unwrap_or(defaults.as_slice()[i]);
        *slot = ((value * scale).round() / scale).clamp(LOWER_BOUNDS[i], UPPER_BOUNDS[i]);
    }
    Parameters::new(w).unwrap_or(defaults)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_makes_widened_f32_values_valid() {
        // 0.8f32 widens to 0.800000011920929: above w[9]'s bound of 0.8.
        let mut fitted = as_f32(&Parameters::default());
        fitted[9] = 0.8;
        fitted[19] = 0.8;
        fitted[20] = 0.8;
        assert!(f64::from(fitted[9]) > 0.8);
        let w = rounded(&fitted);
        assert_eq!(w.as_slice()[9], 0.8);
        assert_eq!(w.as_slice()[19], 0.8);
        assert_eq!(w.as_slice()[20], 0.8);
        // Values are kept to four places.
        fitted[4] = 6.123_456;
        assert_eq!(rounded(&fitted).as_slice()[4], 6.1235);
    }

    #[test]
    fn rounding_clamps_and_fills_what_is_missing_or_not_finite() {
        let w = rounded(&[f32::NAN, 200.0, -1.0]);
        assert_eq!(w.as_slice()[0], Parameters::default().as_slice()[0]);
        assert_eq!(w.as_slice()[1], 100.0);
        assert_eq!(w.as_slice()[2], 0.001);
        assert_eq!(w.as_slice()[10..], Parameters::default().as_slice()[10..]);
    }
}
