//! The 21 FSRS-6 model parameters (`w[0]..=w[20]`) and their bounds.
//!
//! Defaults and bounds are copied from py-fsrs 6.3.2 (`DEFAULT_PARAMETERS`,
//! `LOWER_BOUNDS_PARAMETERS`, `UPPER_BOUNDS_PARAMETERS`), which are the ones
//! the FSRS optimizer clamps to, so parameters fitted by it always validate.

use std::fmt;

/// Number of FSRS-6 parameters.
pub const PARAMETER_COUNT: usize = 21;

/// FSRS-6 default parameters (py-fsrs 6.3.2 `DEFAULT_PARAMETERS`).
pub const DEFAULT_PARAMETERS: [f64; PARAMETER_COUNT] = [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
    0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];

/// Smallest stability FSRS allows, in days; also the lower bound of `w[0..4]`.
pub(crate) const STABILITY_MIN: f64 = 0.001;

/// Inclusive lower bound of each parameter.
pub const LOWER_BOUNDS: [f64; PARAMETER_COUNT] = [
    STABILITY_MIN,
    STABILITY_MIN,
    STABILITY_MIN,
    STABILITY_MIN,
    1.0,
    0.001,
    0.001,
    0.001,
    0.0,
    0.0,
    0.001,
    0.001,
    0.001,
    0.001,
    0.0,
    0.0,
    1.0,
    0.0,
    0.0,
    0.0,
    0.1,
];

/// Inclusive upper bound of each parameter.
pub const UPPER_BOUNDS: [f64; PARAMETER_COUNT] = [
    100.0, 100.0, 100.0, 100.0, 10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5, 5.0, 0.25, 0.9, 4.0, 1.0, 6.0,
    2.0, 2.0, 0.8, 0.8,
];

/// The FSRS-6 parameters, each within its bound (so the formulas never divide
/// by zero or take a root of a negative number).
///
/// ```
/// use recall::schedule::Parameters;
///
/// let mut w = Parameters::default().to_array();
/// w[4] = 12.5;
/// let err = Parameters::new(w).unwrap_err();
/// assert_eq!(err.to_string(), "parameter w[4] = 12.5 is outside 1.0..=10.0");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parameters([f64; PARAMETER_COUNT]);

impl Parameters {
    /// Validates `w` against [`LOWER_BOUNDS`] and [`UPPER_BOUNDS`].
    ///
    /// # Errors
    /// [`ParameterError::OutOfRange`] for the first parameter outside its
    /// bounds (NaN is outside every bound).
    pub fn new(w: [f64; PARAMETER_COUNT]) -> Result<Self, ParameterError> {
        for (index, &value) in w.iter().enumerate() {
            let (min, max) = (LOWER_BOUNDS[index], UPPER_BOUNDS[index]);
            // Written so that NaN fails too.
            if !(min <= value && value <= max) {
                return Err(ParameterError::OutOfRange {
                    index,
                    value,
                    min,
                    max,
                });
            }
        }
        Ok(Self(w))
    }

    /// Like [`Parameters::new`] for a list of unknown length (a config file).
    ///
    /// # Errors
    /// [`ParameterError::WrongCount`] unless there are exactly 21 values, or
    /// the errors of [`Parameters::new`].
    pub fn from_slice(w: &[f64]) -> Result<Self, ParameterError> {
        let array: [f64; PARAMETER_COUNT] = w
            .try_into()
            .map_err(|_| ParameterError::WrongCount(w.len()))?;
        Self::new(array)
    }

    /// The parameters as an array, `w[0]` first.
    #[must_use]
    pub const fn to_array(&self) -> [f64; PARAMETER_COUNT] {
        self.0
    }

    /// The parameters as a slice, `w[0]` first.
    #[must_use]
    pub fn as_slice(&self) -> &[f64] {
        &self.0
    }

    /// `w[i]`. Out-of-range indices are a bug in this module, caught by tests.
    pub(crate) fn w(&self, i: usize) -> f64 {
        self.0[i]
    }
}

impl Default for Parameters {
    fn default() -> Self {
        Self(DEFAULT_PARAMETERS)
    }
}

/// Why a list of numbers is not a valid set of FSRS-6 parameters.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum ParameterError {
    /// FSRS-6 has exactly 21 parameters.
    #[error("expected {PARAMETER_COUNT} FSRS-6 parameters, got {0}")]
    WrongCount(usize),
    /// A parameter lies outside the range FSRS allows.
    #[error("parameter w[{index}] = {} is outside {}..={}", Float(*.value), Float(*.min), Float(*.max))]
    OutOfRange {
        /// Position of the parameter, 0-based as in the FSRS papers.
        index: usize,
        /// The rejected value.
        value: f64,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
}

/// Formats floats the way people write them in config files: `1.0`, `12.5`,
/// `0.001` (Rust's `Debug` output, which always shows a decimal point).
struct Float(f64);

impl fmt::Display for Float {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_within_bounds() {
        assert_eq!(
            Parameters::new(DEFAULT_PARAMETERS),
            Ok(Parameters::default())
        );
        for i in 0..PARAMETER_COUNT {
            assert!(LOWER_BOUNDS[i] <= UPPER_BOUNDS[i], "w[{i}]");
        }
    }

    #[test]
    fn bounds_are_inclusive() {
        assert!(Parameters::new(LOWER_BOUNDS).is_ok());
        assert!(Parameters::new(UPPER_BOUNDS).is_ok());
    }

    #[test]
    fn out_of_range_names_index_value_and_range() {
        let mut w = DEFAULT_PARAMETERS;
        w[20] = 0.05;
        assert_eq!(
            Parameters::new(w).unwrap_err().to_string(),
            "parameter w[20] = 0.05 is outside 0.1..=0.8"
        );
        w[0] = -1.0;
        assert_eq!(
            Parameters::new(w).unwrap_err().to_string(),
            "parameter w[0] = -1.0 is outside 0.001..=100.0"
        );
        let mut w = DEFAULT_PARAMETERS;
        w[7] = f64::NAN;
        assert_eq!(
            Parameters::new(w).unwrap_err().to_string(),
            "parameter w[7] = NaN is outside 0.001..=0.75"
        );
        w[7] = f64::INFINITY;
        assert!(Parameters::new(w).is_err());
    }

    #[test]
    fn from_slice_checks_the_count() {
        assert_eq!(
            Parameters::from_slice(&DEFAULT_PARAMETERS[..19])
                .unwrap_err()
                .to_string(),
            "expected 21 FSRS-6 parameters, got 19"
        );
        assert_eq!(
            Parameters::from_slice(&DEFAULT_PARAMETERS)
                .unwrap()
                .as_slice(),
            &DEFAULT_PARAMETERS
        );
    }
}
