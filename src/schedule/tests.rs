//! Unit tests of the review state machine's edges; the bulk of the checks
//! against py-fsrs live in `tests/schedule_reference.rs`.

use chrono::{TimeDelta, TimeZone};

use super::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 8, 30, 15).unwrap()
}

fn no_fuzz() -> Settings {
    Settings::default().with_fuzz(false)
}

#[test]
fn whole_days_floors_like_python_timedelta_days() {
    let cases = [
        (TimeDelta::zero(), 0),
        (TimeDelta::seconds(86_399), 0),
        (TimeDelta::seconds(86_400), 1),
        (TimeDelta::days(3) + TimeDelta::nanoseconds(1), 3),
        (TimeDelta::nanoseconds(-1), -1),
        (TimeDelta::seconds(-1), -1),
        (TimeDelta::seconds(-86_400), -1),
        (TimeDelta::seconds(-86_401), -2),
    ];
    for (delta, days) in cases {
        assert_eq!(whole_days(delta), days, "{delta:?}");
    }
    // The extremes do not overflow.
    assert_eq!(whole_days(TimeDelta::MIN), -106_751_991_168);
    assert_eq!(whole_days(TimeDelta::MAX), 106_751_991_167);
}

#[test]
fn new_card_has_no_memory_and_first_review_sets_everything() {
    let card = Card::with_key("deck/1");
    assert_eq!(card.state(), State::New);
    assert_eq!(
        (
            card.step(),
            card.stability(),
            card.difficulty(),
            card.due(),
            card.last_review()
        ),
        (None, None, None, None, None)
    );
    assert_eq!(card.reviews(), 0);
    assert_eq!(card.fuzz_seed(), fuzz_seed("deck/1"));

    let after = review(&card, Rating::Again, t0(), &no_fuzz());
    assert_eq!(after.state(), State::Learning);
    assert_eq!(after.step(), Some(0));
    assert_eq!(after.stability(), Some(DEFAULT_PARAMETERS[0]));
    assert_eq!(after.due(), Some(t0() + TimeDelta::minutes(1)));
    assert_eq!(after.last_review(), Some(t0()));
    assert_eq!(after.reviews(), 1);
    assert_eq!(after.fuzz_seed(), card.fuzz_seed());
}

#[test]
fn hard_at_step_zero_waits_between_steps_or_one_and_a_half_steps() {
    let new = Card::new(7);
    let two = no_fuzz();
    let hard = review(&new, Rating::Hard, t0(), &two);
    assert_eq!((hard.state(), hard.step()), (State::Learning, Some(0)));
    assert_eq!(hard.due(), Some(t0() + TimeDelta::seconds(330)));

    let one = no_fuzz()
        .with_learning_steps(vec![TimeDelta::seconds(7)])
        .unwrap();
    let hard = review(&new, Rating::Hard, t0(), &one);
    assert_eq!(hard.due(), Some(t0() + TimeDelta::milliseconds(10_500)));

    // At a later step Hard repeats that step.
    let three = no_fuzz()
        .with_learning_steps(vec![
            TimeDelta::minutes(1),
            TimeDelta::minutes(10),
            TimeDelta::hours(1),
        ])
        .unwrap();
    let good = review(&new, Rating::Good, t0(), &three);
    let hard = review(&good, Rating::Hard, t0(), &three);
    assert_eq!(hard.step(), Some(1));
    assert_eq!(hard.due(), Some(t0() + TimeDelta::minutes(10)));
}

#[test]
fn empty_learning_steps_graduate_at_once() {
    let settings = no_fuzz().with_learning_steps(Vec::new()).unwrap();
    for rating in Rating::ALL {
        let card = review(&Card::new(1), rating, t0(), &settings);
        assert_eq!(card.state(), State::Review, "{rating}");
        assert_eq!(card.step(), None);
        let days = (card.due().unwrap() - t0()).num_days();
        assert!(days >= 1);
        assert_eq!(card.due().unwrap() - t0(), TimeDelta::days(days));
    }
}

fn graduated(settings: &Settings) -> Card {
    let card = review(&Card::new(3), Rating::Easy, t0(), settings);
    assert_eq!(card.state(), State::Review);
    card
}

#[test]
fn lapse_relearns_or_stays_in_review_without_relearning_steps() {
    let settings = no_fuzz();
    let card = graduated(&settings);
    let due = card.due().unwrap();
    let lapsed = review(&card, Rating::Again, due, &settings);
    assert_eq!(
        (lapsed.state(), lapsed.step()),
        (State::Relearning, Some(0))
    );
    assert_eq!(lapsed.due(), Some(due + TimeDelta::minutes(10)));

    let settings = no_fuzz().with_relearning_steps(Vec::new()).unwrap();
    let lapsed = review(&card, Rating::Again, due, &settings);
    assert_eq!(lapsed.state(), State::Review);
    assert!(lapsed.stability() < card.stability());
}

#[test]
fn shortened_steps_graduate_a_card_past_the_end() {
    let long = no_fuzz()
        .with_learning_steps(vec![
            TimeDelta::minutes(1),
            TimeDelta::minutes(5),
            TimeDelta::minutes(10),
        ])
        .unwrap();
    let short = no_fuzz()
        .with_learning_steps(vec![TimeDelta::minutes(2)])
        .unwrap();
    let card = review(&Card::new(1), Rating::Good, t0(), &long);
    let card = review(&card, Rating::Good, t0(), &long);
    assert_eq!(card.step(), Some(2));
    for rating in [Rating::Hard, Rating::Good, Rating::Easy] {
        assert_eq!(review(&card, rating, t0(), &short).state(), State::Review);
    }
    let again = review(&card, Rating::Again, t0(), &short);
    assert_eq!((again.state(), again.step()), (State::Learning, Some(0)));
    assert_eq!(again.due(), Some(t0() + TimeDelta::minutes(2)));
}

#[test]
fn review_before_last_review_is_same_day_and_does_not_panic() {
    let settings = Settings::default();
    let card = graduated(&settings);
    let earlier = t0() - TimeDelta::days(400);
    for rating in Rating::ALL {
        let next = review(&card, rating, earlier, &settings);
        let same_day = review(&card, rating, t0(), &settings);
        assert_eq!(next.memory(), same_day.memory(), "{rating}");
        assert_eq!(next.last_review(), Some(earlier));
        assert!(next.due().unwrap() > earlier);
    }
}

#[test]
fn due_saturates_at_the_end_of_time() {
    let settings = Settings::default();
    let card = graduated(&settings);
    let next = review(&card, Rating::Easy, DateTime::<Utc>::MAX_UTC, &settings);
    assert_eq!(next.due(), Some(DateTime::<Utc>::MAX_UTC));
    let first = review(
        &Card::new(0),
        Rating::Good,
        DateTime::<Utc>::MIN_UTC,
        &settings,
    );
    assert_eq!(
        first.due(),
        Some(DateTime::<Utc>::MIN_UTC + TimeDelta::minutes(10))
    );
}

#[test]
fn preview_is_review_for_each_rating() {
    let settings = Settings::default();
    let card = graduated(&settings);
    let now = card.due().unwrap() + TimeDelta::days(2);
    let p = preview(&card, now, &settings);
    let ratings: Vec<Rating> = p.iter().map(|(rating, _)| rating).collect();
    assert_eq!(ratings, Rating::ALL, "four outcomes, Again to Easy");
    for (rating, outcome) in p.iter() {
        let reviewed = review(&card, rating, now, &settings);
        assert_eq!(outcome.card, reviewed);
        assert_eq!(p.get(rating), outcome);
        assert_eq!(Some(now + outcome.interval), reviewed.due());
    }
    assert_eq!(p.get(Rating::Again).interval, TimeDelta::minutes(10));
}

#[test]
fn retrievability_follows_the_forgetting_curve_in_whole_days() {
    let params = Parameters::default();
    assert_eq!(retrievability(&Card::new(0), t0(), &params), None);
    let card = graduated(&no_fuzz());
    let s = card.stability().unwrap();
    let at = |t| retrievability(&card, t, &params).unwrap();
    assert_eq!(at(t0()), 1.0);
    assert_eq!(at(t0() - TimeDelta::days(3)), 1.0);
    assert_eq!(at(t0() + TimeDelta::hours(23)), 1.0);
    let one_day = at(t0() + TimeDelta::days(1));
    assert!(one_day < 1.0);
    assert_eq!(at(t0() + TimeDelta::hours(47)), one_day);
    // 90% after `stability` days: Easy's first stability is w[3] = 8.2956.
    assert_eq!(s, 8.2956);
    assert!(at(t0() + TimeDelta::days(8)) > 0.9);
    assert!(at(t0() + TimeDelta::days(9)) < 0.9);
    assert!(at(t0() + TimeDelta::days(36_500)) > 0.0);
}

#[test]
fn fuzz_is_a_function_of_seed_and_review_count() {
    let settings = Settings::default();
    let a = graduated(&settings);
    let b = graduated(&settings);
    let later = a.due().unwrap() + TimeDelta::days(30);
    assert_eq!(
        review(&a, Rating::Good, later, &settings),
        review(&b, Rating::Good, later, &settings)
    );
    // Different seeds spread the same review over several days.
    let dues: std::collections::BTreeSet<_> = (0..50)
        .map(|seed| {
            let card = review(&Card::new(seed), Rating::Easy, t0(), &settings);
            let card = review(&card, Rating::Good, later, &settings);
            card.due()
        })
        .collect();
    assert!(dues.len() > 3, "{dues:?}");
}
