//! The optimizer against a learner whose memory follows known, non-default
//! parameters (tests/support/learner.rs): fitting must lower the log loss
//! of the defaults, and the fitted model's predictions must come closer to
//! the learner's true probabilities of recall than the defaults' do.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/learner.rs"]
mod learner;

use std::collections::HashMap;

use chrono::TimeDelta;
use recall::optimize::{self, Control, as_f32, metrics};
use recall::schedule::{Parameters, Settings};
use recall::store::ReviewLog;
use recall::store::config::DeckSettings;

#[test]
fn fitting_a_simulated_learner_beats_the_defaults_and_nears_the_truth() {
    let reviews = learner::simulate(400, 10, 240, 7);
    assert!(reviews.len() > 3_000, "{} reviews", reviews.len());
    let log = ReviewLog::parse(learner::log_text("sim", &reviews).as_bytes());
    let set = optimize::training_set(
        &log,
        &[],
        &DeckSettings::uniform(Settings::default()),
        &|_| true,
        4,
        &chrono::Utc,
    );
    let report = optimize::optimize(&set, &Parameters::default(), &Control::default()).unwrap();
    eprintln!(
        "default {:?}\ncurrent {:?}\nfitted {:?}\n{:?}",
        report.default, report.current, report.fitted, report.fitted_parameters
    );
    assert_eq!(report.reviews, reviews.len());
    assert_eq!(report.cards, 400);
    // Out of sample (time-series splits) against the defaults on the same
    // reviews.
    assert!(
        report.fitted.log_loss < report.default.log_loss,
        "fitted {} vs default {}",
        report.fitted.log_loss,
        report.default.log_loss
    );
    assert!(report.better, "the fit must replace the defaults");
    // The current parameters are the defaults here (RMSE(bins) sums its
    // bins in hash order, so only its last bits may differ).
    assert_eq!(report.current.log_loss, report.default.log_loss);
    assert!((report.current.rmse_bins - report.default.rmse_bins).abs() < 1e-6);

    // Each item's true probability: the learner's, at its target review
    // (a review on a later study day than the card's previous one).
    let mut truths: HashMap<String, Vec<f64>> = HashMap::new();
    let mut last_day: HashMap<usize, i64> = HashMap::new();
    for r in &reviews {
        let day = (r.at - TimeDelta::hours(4))
            .date_naive()
            .num_days_from_ce_i64();
        if let Some(previous) = last_day.insert(r.card, day)
            && day > previous
        {
            truths
                .entry(format!("c{}", r.card))
                .or_default()
                .push(r.truth.unwrap());
        }
    }
    let mut next: HashMap<i64, usize> = HashMap::new();
    let truth: Vec<f64> = set
        .card_ids
        .iter()
        .map(|&card| {
            let n = next.entry(card).or_default();
            let name = log.keys()[card as usize].card.as_str();
            *n += 1;
            truths[name][*n - 1]
        })
        .collect();
    assert_eq!(truth.len(), set.items.len());

    let squared_error = |parameters: &Parameters| {
        let w = as_f32(parameters);
        let fsrs = fsrs::FSRS::new(&w).unwrap();
        let predicted = metrics::predictions(&fsrs, &w, &set.items, &set.card_ids);
        predicted
            .iter()
            .zip(&truth)
            .map(|(p, t)| (f64::from(*p) - t).powi(2))
            .sum::<f64>()
            / truth.len() as f64
    };
    let fitted = squared_error(&report.fitted_parameters);
    let default = squared_error(&Parameters::default());
    let exact = squared_error(&learner::true_parameters());
    eprintln!("mean squared error: fitted {fitted:.5}, default {default:.5}, true {exact:.5}");
    assert!(fitted < default, "fitted {fitted} vs default {default}");
}

trait DaysFromCe {
    fn num_days_from_ce_i64(&self) -> i64;
}

impl DaysFromCe for chrono::NaiveDate {
    fn num_days_from_ce_i64(&self) -> i64 {
        i64::from(chrono::Datelike::num_days_from_ce(self))
    }
}
