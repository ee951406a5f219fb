//! Interval fuzz: py-fsrs's fuzz ranges, drawn from a deterministic RNG.
//!
//! py-fsrs draws fuzz from Python's global `random()`, so replaying a review
//! log would give different due dates each time. Here the uniform number for
//! a review is a pure function of the card's fuzz seed and how many reviews
//! the card had before, so a replay reproduces every due date exactly. Both
//! algorithms below are fixed forever; changing them would move the due
//! dates of every existing collection.
//!
//! - [`fuzz_seed`]: 64-bit FNV-1a over the key's UTF-8 bytes (offset basis
//!   `0xcbf29ce484222325`, prime `0x100000001b3`).
//! - [`uniform`]: the `n`-th output (n = reviews before this one, plus one) of
//!   SplitMix64 started at the seed, i.e. `mix(seed + n * 0x9e3779b97f4a7c15)`
//!   with wrapping arithmetic and SplitMix64's finaliser `mix`; its top 53
//!   bits scaled by 2^-53 give a number in [0, 1) with the resolution of
//!   Python's `random()`.

use super::model::round_half_even;

/// A card's fuzz seed from a stable key, e.g. `"spanish/hola"` (deck id and
/// card id).
///
/// Uses 64-bit FNV-1a, which unlike `std`'s `DefaultHasher` gives the same
/// value on every platform and Rust version.
///
/// ```
/// assert_eq!(recall::schedule::fuzz_seed(""), 0xcbf29ce484222325);
/// assert_eq!(recall::schedule::fuzz_seed("a"), 0xaf63dc4c8601ec8c);
/// ```
#[must_use]
pub fn fuzz_seed(key: &str) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    key.bytes().fold(OFFSET_BASIS, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// The uniform number in [0, 1) for a card's review number `reviews` (0 for
/// its first review).
pub(crate) fn uniform(seed: u64, reviews: u32) -> f64 {
    const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;
    let n = u64::from(reviews) + 1;
    let bits = splitmix64_mix(seed.wrapping_add(n.wrapping_mul(GOLDEN_GAMMA)));
    // 53 bits fit an f64 mantissa exactly.
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn splitmix64_mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// py-fsrs's `FUZZ_RANGES`: (start, end, factor) in days.
const FUZZ_RANGES: [(f64, f64, f64); 3] = [
    (2.5, 7.0, 0.15),
    (7.0, 20.0, 0.1),
    (20.0, f64::INFINITY, 0.05),
];

/// py-fsrs's `_get_fuzzed_interval` for an interval of `days` whole days,
/// with `u` in [0, 1) standing in for `random()`.
///
/// Intervals under 2.5 days are not fuzzed. Otherwise the result is
/// `round(u * (max - min + 1) + min)` capped at `maximum_days`, where
/// `min..=max` is `days` plus or minus a delta that grows with the interval
/// (about 5% for long intervals). As in py-fsrs, rounding can give `max + 1`
/// (when `u * (max - min + 1)` ends in .5 or more above `max - min`).
pub(crate) fn fuzzed_days(days: u32, maximum_days: u32, u: f64) -> u32 {
    let days_f = f64::from(days);
    if days_f < 2.5 {
        return days;
    }
    let mut delta = 1.0;
    for (start, end, factor) in FUZZ_RANGES {
        delta += factor * (days_f.min(end) - start).max(0.0);
    }
    // Rounded values are within 0..=u32::MAX + 1 here, exact in i64.
    let mut min_ivl = round_half_even(days_f - delta) as i64;
    let mut max_ivl = round_half_even(days_f + delta) as i64;
    min_ivl = min_ivl.max(2);
    max_ivl = max_ivl.min(i64::from(maximum_days));
    min_ivl = min_ivl.min(max_ivl);
    let fuzzed = u * (max_ivl - min_ivl + 1) as f64 + min_ivl as f64;
    let fuzzed = round_half_even(fuzzed).min(f64::from(maximum_days));
    // Between 2 and maximum_days: exact as u32.
    fuzzed as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_hash_is_fnv1a() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(fuzz_seed(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fuzz_seed("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fuzz_seed("foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fuzz_seed("spanish/hola"), fuzz_seed("spanish/hola"));
        assert_ne!(fuzz_seed("spanish/hola"), fuzz_seed("spanish/adios"));
    }

    #[test]
    fn uniform_is_splitmix64_and_fixed_forever() {
        // SplitMix64 seeded with 0 starts 0xe220a8397b1dcdaf (reference
        // implementation by Vigna), so uniform(0, 0) is its top 53 bits.
        assert_eq!(
            uniform(0, 0),
            (0xe220_a839_7b1d_cdaf_u64 >> 11) as f64 / (1u64 << 53) as f64
        );
        // Golden values: a change here moves users' due dates.
        let seed = fuzz_seed("spanish/hola");
        let first: Vec<f64> = (0..3).map(|n| uniform(seed, n)).collect();
        assert_eq!(first, GOLDEN);
        for n in 0..10_000 {
            let u = uniform(seed, n);
            assert!((0.0..1.0).contains(&u));
        }
    }

    // Computed independently in Python (scripts/fsrs_reference.py has the same RNG).
    const GOLDEN: [f64; 3] = [
        0.02975748847157722,
        0.35948086631458154,
        0.16221705294002764,
    ];

    #[test]
    fn short_intervals_are_not_fuzzed() {
        for u in [0.0, 0.5, 0.999] {
            assert_eq!(fuzzed_days(1, 36_500, u), 1);
            assert_eq!(fuzzed_days(2, 36_500, u), 2);
        }
    }

    #[test]
    fn ranges_match_py_fsrs() {
        // 3 days: delta = 1 + 0.15 * 0.5 = 1.075 -> min round(1.925)=2, max
        // round(4.075)=4; u * 3 + 2 rounds to 2..=5.
        assert_eq!(fuzzed_days(3, 36_500, 0.0), 2);
        assert_eq!(fuzzed_days(3, 36_500, 0.999), 5);
        // 100 days: delta = 1 + 0.675 + 1.3 + 4 = 6.975 -> 93..=107.
        assert_eq!(fuzzed_days(100, 36_500, 0.0), 93);
        assert_eq!(fuzzed_days(100, 36_500, 0.5), 100);
        // Capped by the maximum interval.
        assert_eq!(fuzzed_days(100, 100, 0.999), 100);
    }
}
