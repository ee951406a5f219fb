//! A simulated learner for the optimizer's tests and benchmark: a memory
//! that follows FSRS-6 with known (non-default) parameters, studying on a
//! scheduler that uses recall's defaults, as a new user does.
//!
//! Each card is reviewed when recall's scheduler (default parameters) says
//! it is due; whether the learner recalls it is drawn with the probability
//! the *true* parameters give (recall's own `retrievability`, on a card
//! replayed with them). The true probability of every review is kept, so a
//! test can ask whose predictions come closer to it.

#![allow(dead_code)] // each test uses part of it

use chrono::{DateTime, SecondsFormat, TimeDelta, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use recall::schedule::{self, Card, Parameters, Rating, Settings};

/// A learner who forgets faster than FSRS's average user: lower initial
/// stabilities, less stability gained on success, and a steeper forgetting
/// curve (a larger decay), all within FSRS's bounds.
pub fn true_parameters() -> Parameters {
    let mut w = Parameters::default().to_array();
    w[0] = 0.1;
    w[1] = 0.5;
    w[2] = 1.0;
    w[3] = 3.0;
    w[8] = 1.3;
    w[11] = 1.0;
    w[20] = 0.3;
    Parameters::new(w).expect("within bounds")
}

/// One simulated review.
#[derive(Debug, Clone)]
pub struct SimReview {
    pub at: DateTime<Utc>,
    /// The card's number (its id is `c{number}`).
    pub card: usize,
    pub rating: Rating,
    /// The probability of recall the true parameters gave (None for a new
    /// card's first review).
    pub truth: Option<f64>,
}

/// `cards` cards of deck `deck`, `new_per_day` introduced a day from
/// 2025-01-01, studied for `days` days; the reviews in time order.
pub fn simulate(cards: usize, new_per_day: usize, days: i64, seed: u64) -> Vec<SimReview> {
    let truth = Settings::default().with_parameters(true_parameters());
    let scheduler = Settings::default();
    let start = Utc
        .with_ymd_and_hms(2025, 1, 1, 9, 0, 0)
        .single()
        .expect("valid");
    let end = start + TimeDelta::days(days);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut reviews = Vec::new();
    for card in 0..cards {
        let key = format!("c{card}");
        let mut scheduled = Card::with_key(&key);
        let mut remembered = Card::with_key(&key);
        // New cards in the morning, a few seconds apart.
        let mut at = start
            + TimeDelta::days((card / new_per_day.max(1)) as i64)
            + TimeDelta::seconds((card % new_per_day.max(1)) as i64 * 30);
        while at < end {
            let p = schedule::retrievability(&remembered, at, truth.parameters());
            let draw: f64 = rng.random();
            let rating = match p {
                None => match draw {
                    d if d < 0.25 => Rating::Again,
                    d if d < 0.35 => Rating::Hard,
                    d if d < 0.85 => Rating::Good,
                    _ => Rating::Easy,
                },
                Some(p) if draw >= p => Rating::Again,
                Some(_) => match rng.random::<f64>() {
                    d if d < 0.1 => Rating::Hard,
                    d if d < 0.9 => Rating::Good,
                    _ => Rating::Easy,
                },
            };
            reviews.push(SimReview {
                at,
                card,
                rating,
                truth: p,
            });
            scheduled = schedule::review(&scheduled, rating, at, &scheduler);
            remembered = schedule::review(&remembered, rating, at, &truth);
            let Some(due) = scheduled.due() else { break };
            // Reviewed when due, or a little later (up to two hours), never
            // before the grade that scheduled it.
            at = due.max(at) + TimeDelta::seconds(rng.random_range(5..7_200));
        }
    }
    reviews.sort_by_key(|r| (r.at, r.card));
    reviews
}

/// The reviews as a `reviews.csv` of deck `deck`.
pub fn log_text(deck: &str, reviews: &[SimReview]) -> String {
    let mut text = String::from("reviewed_at,deck,card,rating,duration_ms\n");
    for r in reviews {
        text.push_str(&format!(
            "{},{deck},c{},{},5000\n",
            r.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            r.card,
            r.rating.as_u8()
        ));
    }
    text
}
