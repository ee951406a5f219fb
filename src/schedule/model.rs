//! The FSRS-6 memory model in f64: how stability and difficulty change after
//! a review, the forgetting curve, and the interval for a desired retention.
//!
//! Every formula is written in the same order of floating-point operations as
//! py-fsrs 6.3.2 (`fsrs/scheduler.py`), and `e^x` is computed as
//! `E.powf(x)` because py-fsrs writes `math.e ** x`. With the same C library
//! `pow` this reproduces py-fsrs bit for bit, which matters because intervals
//! are rounded to whole days: a last-bit difference can, very rarely, move a
//! due date by a day. Terms that depend only on the parameters are computed
//! once in [`Model::new`]; that yields the same bits as computing them on
//! every review.

use std::f64::consts::E;

use super::parameters::{Parameters, STABILITY_MIN};
use super::rating::Rating;

const MIN_DIFFICULTY: f64 = 1.0;
const MAX_DIFFICULTY: f64 = 10.0;

/// Stability and difficulty after at least one review: FSRS's memory state.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MemoryState {
    stability: f64,
    difficulty: f64,
}

impl MemoryState {
    /// Days until the probability of recall falls to 90%; at least 0.001.
    #[must_use]
    pub fn stability(&self) -> f64 {
        self.stability
    }

    /// How hard the card is to remember, from 1 (easiest) to 10.
    #[must_use]
    pub fn difficulty(&self) -> f64 {
        self.difficulty
    }
}

/// Parameters plus the terms derived from them and the desired retention.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Model {
    w: [f64; 21],
    /// `-w[20]`, the exponent of the forgetting curve.
    decay: f64,
    /// `0.9^(1/decay) - 1`, which makes retrievability 0.9 when t = S.
    factor: f64,
    /// `desired_retention^(1/decay) - 1`; interval = S / factor * this.
    interval_term: f64,
    /// Initial difficulty for each rating, unclamped (index 3 is the
    /// mean-reversion target of the difficulty update).
    initial_difficulty: [f64; 4],
    /// `e^(w17 * (G - 3 + w18))` for each rating G.
    short_term_base: [f64; 4],
    /// `e^w8`.
    exp_w8: f64,
    /// `e^(w17 * w18)`.
    exp_w17_w18: f64,
}

impl Model {
    pub(crate) fn new(parameters: &Parameters, desired_retention: f64) -> Self {
        let w = parameters.to_array();
        let (decay, factor) = decay_and_factor(parameters);
        let per_rating = |f: &dyn Fn(f64) -> f64| Rating::ALL.map(|r| f(r.grade()));
        Self {
            w,
            decay,
            factor,
            interval_term: desired_retention.powf(1.0 / decay) - 1.0,
            initial_difficulty: per_rating(&|g| w[4] - E.powf(w[5] * (g - 1.0)) + 1.0),
            short_term_base: per_rating(&|g| E.powf(w[17] * (g - 3.0 + w[18]))),
            exp_w8: E.powf(w[8]),
            exp_w17_w18: E.powf(w[17] * w[18]),
        }
    }

    /// Memory state after the first review.
    pub(crate) fn initial(&self, rating: Rating) -> MemoryState {
        MemoryState {
            stability: clamp_stability(self.w[rating.index()]),
            difficulty: clamp_difficulty(self.initial_difficulty[rating.index()]),
        }
    }

    /// Memory state after a review on a later day (`elapsed_days` >= 1).
    pub(crate) fn next_long_term(
        &self,
        memory: MemoryState,
        elapsed_days: i64,
        rating: Rating,
    ) -> MemoryState {
        let MemoryState {
            stability: s,
            difficulty: d,
        } = memory;
        let r = self.retrievability(s, elapsed_days);
        let w = &self.w;
        let next = match rating {
            Rating::Again => {
                let long_term = w[11]
                    * d.powf(-w[12])
                    * ((s + 1.0).powf(w[13]) - 1.0)
                    * E.powf((1.0 - r) * w[14]);
                let short_term = s / self.exp_w17_w18;
                long_term.min(short_term)
            }
            Rating::Hard | Rating::Good | Rating::Easy => {
                let hard_penalty = if rating == Rating::Hard { w[15] } else { 1.0 };
                let easy_bonus = if rating == Rating::Easy { w[16] } else { 1.0 };
                s * (1.0
                    + self.exp_w8
                        * (11.0 - d)
                        * s.powf(-w[9])
                        * (E.powf((1.0 - r) * w[10]) - 1.0)
                        * hard_penalty
                        * easy_bonus)
            }
        };
        MemoryState {
            stability: clamp_stability(next),
            difficulty: self.next_difficulty(d, rating),
        }
    }

    /// Memory state after a review on the same day as the previous one
    /// (`elapsed_days` < 1): FSRS-6's short-term stability formula.
    pub(crate) fn next_short_term(&self, memory: MemoryState, rating: Rating) -> MemoryState {
        let s = memory.stability;
        let mut increase = self.short_term_base[rating.index()] * s.powf(-self.w[19]);
        if rating != Rating::Again {
            // A successful review never lowers stability.
            increase = increase.max(1.0);
        }
        MemoryState {
            stability: clamp_stability(s * increase),
            difficulty: self.next_difficulty(memory.difficulty, rating),
        }
    }

    /// Difficulty after a review: a linearly damped step, then mean
    /// reversion towards the initial difficulty of Easy.
    fn next_difficulty(&self, d: f64, rating: Rating) -> f64 {
        let w = &self.w;
        let delta = -(w[6] * (rating.grade() - 3.0));
        let damped = d + (10.0 - d) * delta / 9.0;
        clamp_difficulty(w[7] * self.initial_difficulty[3] + (1.0 - w[7]) * damped)
    }

    /// Probability of recall after `elapsed_days` whole days (negative counts
    /// as 0, as in py-fsrs).
    pub(crate) fn retrievability(&self, stability: f64, elapsed_days: i64) -> f64 {
        forgetting_curve(self.decay, self.factor, stability, elapsed_days)
    }

    /// Whole-day interval for the desired retention: rounded half to even
    /// (Python's `round`), then clamped to 1..=`maximum_days`.
    pub(crate) fn interval_days(&self, stability: f64, maximum_days: u32) -> u32 {
        let days = (stability / self.factor) * self.interval_term;
        // `max`/`min` on f64 also map NaN to 1 (impossible with validated
        // settings, but the scheduler must never panic).
        let days = round_half_even(days).max(1.0).min(f64::from(maximum_days));
        // In 1..=u32::MAX after the clamps, so the cast is exact.
        days as u32
    }
}

/// `decay = -w[20]` and `factor = 0.9^(1/decay) - 1`.
pub(crate) fn decay_and_factor(parameters: &Parameters) -> (f64, f64) {
    let decay = -parameters.w(20);
    (decay, 0.9_f64.powf(1.0 / decay) - 1.0)
}

/// FSRS-6's power forgetting curve `(1 + factor * t / S)^decay`.
pub(crate) fn forgetting_curve(decay: f64, factor: f64, stability: f64, elapsed_days: i64) -> f64 {
    // i64 -> f64 is exact for any realistic day count (< 2^53).
    let t = elapsed_days.max(0) as f64;
    (1.0 + factor * t / stability).powf(decay)
}

/// Python's `round` for floats: to the nearest integer, ties to even.
///
/// Same result as `f64::round_ties_even`, which on the baseline x86-64
/// target is a call to libm's `rint` and was 7% of a replay's time. Adding
/// and subtracting 2^52 rounds in the FPU's default mode (ties to even), and
/// every float of magnitude 2^52 or more is already an integer.
pub(crate) fn round_half_even(x: f64) -> f64 {
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    if x.abs() < TWO_52 {
        ((x.abs() + TWO_52) - TWO_52).copysign(x)
    } else {
        // Integers, infinities and NaN round to themselves.
        x
    }
}

fn clamp_stability(s: f64) -> f64 {
    s.max(STABILITY_MIN)
}

fn clamp_difficulty(d: f64) -> f64 {
    d.clamp(MIN_DIFFICULTY, MAX_DIFFICULTY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model::new(&Parameters::default(), 0.9)
    }

    #[test]
    fn retention_at_stability_is_ninety_percent() {
        let m = model();
        assert!((m.retrievability(10.0, 10) - 0.9).abs() < 1e-12);
        assert_eq!(m.retrievability(10.0, 0), 1.0);
        assert_eq!(m.retrievability(10.0, -5), 1.0);
    }

    #[test]
    fn interval_equals_stability_at_ninety_percent_and_is_clamped() {
        let m = model();
        assert_eq!(m.interval_days(46.316858440073425, 36_500), 46);
        // At 90% retention the interval is the stability; ties go to even.
        assert_eq!(m.interval_days(2.5, 36_500), 2);
        assert_eq!(m.interval_days(3.5, 36_500), 4);
        assert_eq!(m.interval_days(0.001, 36_500), 1);
        assert_eq!(m.interval_days(1e9, 365), 365);
        assert_eq!(m.interval_days(f64::NAN, 365), 1);
        assert_eq!(m.interval_days(f64::INFINITY, 365), 365);
    }

    #[test]
    fn round_half_even_is_round_ties_even() {
        let mut cases = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            2.5000000000000004,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // A spread of magnitudes and fractions, including many exact ties.
        let mut x = 0.25_f64;
        while x < 1e17 {
            cases.extend([x, -x, x + 0.5, x.floor() + 0.5, x * 1.000_000_1]);
            x *= 1.37;
        }
        for x in cases {
            let (got, want) = (round_half_even(x), x.round_ties_even());
            assert_eq!(got.to_bits(), want.to_bits(), "{x:?}: {got:?} != {want:?}");
        }
        assert!(round_half_even(f64::NAN).is_nan());
    }

    #[test]
    fn first_review_uses_w0_to_w3() {
        let m = model();
        let good = m.initial(Rating::Good);
        assert_eq!(good.stability(), 2.3065);
        assert!((good.difficulty() - 2.118103970459016).abs() < 1e-15);
        // Easy's raw initial difficulty is below 1 with default parameters.
        assert_eq!(m.initial(Rating::Easy).difficulty(), 1.0);
    }

    #[test]
    fn clamps_hold_at_extremes() {
        let m = model();
        let hardest = MemoryState {
            stability: 0.001,
            difficulty: 10.0,
        };
        for rating in Rating::ALL {
            let next = m.next_long_term(hardest, 100_000, rating);
            assert!(next.stability() >= STABILITY_MIN);
            assert!((1.0..=10.0).contains(&next.difficulty()));
            let next = m.next_short_term(hardest, rating);
            assert!(next.stability() >= STABILITY_MIN);
        }
    }
}
