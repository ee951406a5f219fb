//! [`Settings`]: everything the scheduler needs besides the card, validated on
//! construction so that [`review`](super::review) can trust it.

use chrono::TimeDelta;

use super::model::Model;
use super::parameters::Parameters;

/// Longest learning or relearning step, and the default maximum interval.
const MAX_STEP_DAYS: i64 = 36_500;

/// Scheduler settings, mirroring py-fsrs's `Scheduler` constructor.
///
/// Built from [`Settings::default`] with `with_*` methods; the fallible ones
/// return a [`SettingsError`], so a `Settings` value is always valid:
///
/// ```
/// use chrono::TimeDelta;
/// use recall::schedule::{Settings, SettingsError};
///
/// fn exam_cram() -> Result<Settings, SettingsError> {
///     Ok(Settings::default()
///         .with_desired_retention(0.95)?
///         .with_learning_steps(vec![TimeDelta::minutes(1), TimeDelta::minutes(5)])?
///         .with_relearning_steps(Vec::new())?
///         .with_maximum_interval_days(60)?
///         .with_fuzz(false))
/// }
/// assert_eq!(exam_cram().unwrap().maximum_interval_days(), 60);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    parameters: Parameters,
    desired_retention: f64,
    learning_steps: Vec<TimeDelta>,
    relearning_steps: Vec<TimeDelta>,
    maximum_interval_days: u32,
    fuzz: bool,
    /// Derived from `parameters` and `desired_retention`; rebuilt whenever
    /// either changes.
    model: Model,
}

impl Default for Settings {
    /// py-fsrs 6.3.2's defaults: default parameters, retention 0.9, learning
    /// steps 1m and 10m, relearning step 10m, maximum interval 36500 days,
    /// fuzz on.
    fn default() -> Self {
        let parameters = Parameters::default();
        let desired_retention = 0.9;
        Self {
            parameters,
            desired_retention,
            learning_steps: vec![TimeDelta::minutes(1), TimeDelta::minutes(10)],
            relearning_steps: vec![TimeDelta::minutes(10)],
            maximum_interval_days: 36_500,
            fuzz: true,
            model: Model::new(&parameters, desired_retention),
        }
    }
}

impl Settings {
    /// Replaces the FSRS parameters (already validated by their type).
    #[must_use]
    pub fn with_parameters(mut self, parameters: Parameters) -> Self {
        self.parameters = parameters;
        self.model = Model::new(&self.parameters, self.desired_retention);
        self
    }

    /// Sets the probability of recall the scheduler aims for when a card
    /// falls due. Higher means shorter intervals and more reviews.
    ///
    /// # Errors
    /// [`SettingsError::DesiredRetention`] unless `0 < retention < 1`.
    pub fn with_desired_retention(mut self, retention: f64) -> Result<Self, SettingsError> {
        // At 1 every interval would be 0 days and at 0 infinite; NaN fails too.
        if !(retention > 0.0 && retention < 1.0) {
            return Err(SettingsError::DesiredRetention(retention));
        }
        self.desired_retention = retention;
        self.model = Model::new(&self.parameters, self.desired_retention);
        Ok(self)
    }

    /// Sets the learning steps: the waits between reviews of a new card
    /// before it graduates to day-long intervals. Empty means a new card
    /// graduates at its first review.
    ///
    /// # Errors
    /// [`SettingsError::Step`] unless every step is a whole number of seconds
    /// from 1 second to 36500 days.
    pub fn with_learning_steps(mut self, steps: Vec<TimeDelta>) -> Result<Self, SettingsError> {
        check_steps(StepKind::Learning, &steps)?;
        self.learning_steps = steps;
        Ok(self)
    }

    /// Sets the relearning steps: the waits between reviews of a forgotten
    /// card (Again in Review) before it returns to day-long intervals. Empty
    /// means a forgotten card stays in Review with a shorter interval.
    ///
    /// # Errors
    /// As [`Settings::with_learning_steps`].
    pub fn with_relearning_steps(mut self, steps: Vec<TimeDelta>) -> Result<Self, SettingsError> {
        check_steps(StepKind::Relearning, &steps)?;
        self.relearning_steps = steps;
        Ok(self)
    }

    /// Sets the longest interval, in days, a card can be scheduled for.
    ///
    /// # Errors
    /// [`SettingsError::MaximumInterval`] if `days` is 0.
    pub fn with_maximum_interval_days(mut self, days: u32) -> Result<Self, SettingsError> {
        if days == 0 {
            return Err(SettingsError::MaximumInterval);
        }
        self.maximum_interval_days = days;
        Ok(self)
    }

    /// Turns interval fuzz on or off. Fuzz spreads cards learnt together over
    /// nearby days so they do not keep falling due on the same day.
    #[must_use]
    pub fn with_fuzz(mut self, fuzz: bool) -> Self {
        self.fuzz = fuzz;
        self
    }

    /// The FSRS parameters.
    #[must_use]
    pub fn parameters(&self) -> &Parameters {
        &self.parameters
    }

    /// Target probability of recall at the due date.
    #[must_use]
    pub fn desired_retention(&self) -> f64 {
        self.desired_retention
    }

    /// Learning steps, first to last.
    #[must_use]
    pub fn learning_steps(&self) -> &[TimeDelta] {
        &self.learning_steps
    }

    /// Relearning steps, first to last.
    #[must_use]
    pub fn relearning_steps(&self) -> &[TimeDelta] {
        &self.relearning_steps
    }

    /// Longest interval in days.
    #[must_use]
    pub fn maximum_interval_days(&self) -> u32 {
        self.maximum_interval_days
    }

    /// Whether intervals of three days and more are fuzzed.
    #[must_use]
    pub fn fuzz(&self) -> bool {
        self.fuzz
    }

    pub(crate) fn model(&self) -> &Model {
        &self.model
    }
}

fn check_steps(kind: StepKind, steps: &[TimeDelta]) -> Result<(), SettingsError> {
    let max = TimeDelta::days(MAX_STEP_DAYS);
    for (index, &step) in steps.iter().enumerate() {
        // Whole seconds keep "Hard" at step 0 (1.5 x step, or the mean of the
        // first two steps) exact in milliseconds, and match py-fsrs, which
        // stores steps as whole seconds.
        let whole_seconds = step.subsec_nanos() == 0;
        if !(whole_seconds && step >= TimeDelta::seconds(1) && step <= max) {
            return Err(SettingsError::Step { kind, index, step });
        }
    }
    Ok(())
}

/// Which list of steps a [`SettingsError::Step`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// [`Settings::learning_steps`].
    Learning,
    /// [`Settings::relearning_steps`].
    Relearning,
}

impl std::fmt::Display for StepKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StepKind::Learning => "learning",
            StepKind::Relearning => "relearning",
        })
    }
}

/// Why a scheduler setting was rejected.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum SettingsError {
    /// Desired retention outside (0, 1).
    #[error("desired retention must be greater than 0 and less than 1, not {0}")]
    DesiredRetention(f64),
    /// A step that is not a whole number of seconds in 1 s..=36500 days.
    #[error(
        "{kind} step {} is {}s; steps must be whole seconds from 1 second to 36500 days",
        .index + 1,
        .step.as_seconds_f64()
    )]
    Step {
        /// Learning or relearning.
        kind: StepKind,
        /// Position of the step, 0-based.
        index: usize,
        /// The rejected step.
        step: TimeDelta,
    },
    /// A maximum interval of 0 days.
    #[error("maximum interval must be at least 1 day")]
    MaximumInterval,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_py_fsrs() {
        let s = Settings::default();
        assert_eq!(s.parameters(), &Parameters::default());
        assert_eq!(s.desired_retention(), 0.9);
        assert_eq!(
            s.learning_steps(),
            [TimeDelta::minutes(1), TimeDelta::minutes(10)]
        );
        assert_eq!(s.relearning_steps(), [TimeDelta::minutes(10)]);
        assert_eq!(s.maximum_interval_days(), 36_500);
        assert!(s.fuzz());
    }

    #[test]
    fn rejects_what_the_scheduler_cannot_use() {
        for r in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
            assert!(
                Settings::default().with_desired_retention(r).is_err(),
                "{r}"
            );
        }
        assert_eq!(
            Settings::default()
                .with_desired_retention(1.0)
                .unwrap_err()
                .to_string(),
            "desired retention must be greater than 0 and less than 1, not 1"
        );
        let bad = [
            TimeDelta::zero(),
            TimeDelta::seconds(-60),
            TimeDelta::milliseconds(1500),
            TimeDelta::days(36_501),
        ];
        for step in bad {
            let err = Settings::default()
                .with_relearning_steps(vec![TimeDelta::minutes(1), step])
                .unwrap_err();
            assert_eq!(
                err,
                SettingsError::Step {
                    kind: StepKind::Relearning,
                    index: 1,
                    step
                }
            );
        }
        assert_eq!(
            Settings::default()
                .with_learning_steps(vec![TimeDelta::milliseconds(1500)])
                .unwrap_err()
                .to_string(),
            "learning step 1 is 1.5s; steps must be whole seconds from 1 second to 36500 days"
        );
        assert_eq!(
            Settings::default().with_maximum_interval_days(0),
            Err(SettingsError::MaximumInterval)
        );
    }

    #[test]
    fn accepts_edge_values_and_keeps_the_model_in_step() {
        let s = Settings::default()
            .with_learning_steps(Vec::new())
            .unwrap()
            .with_relearning_steps(vec![TimeDelta::seconds(1), TimeDelta::days(36_500)])
            .unwrap()
            .with_maximum_interval_days(1)
            .unwrap()
            .with_desired_retention(0.8)
            .unwrap();
        assert!(s.learning_steps().is_empty());
        assert_eq!(s.model(), &Model::new(&Parameters::default(), 0.8));
    }
}
