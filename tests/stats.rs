//! The statistics as pure functions of (log, decks, settings, now, zone):
//! generated logs whose answers are known by construction, for every
//! section; day boundaries at `day_starts_at`; the empty log.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use recall::day::StudyDay;
use recall::deck::Deck;
use recall::deck::catalog::parse_text;
use recall::schedule::{DEFAULT_PARAMETERS, Parameters, Settings};
use recall::stats::{self, Scope, Stats};
use recall::store::{CardEvent, Config, Progress, ReviewLog};

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// Paris in winter: days start at 04:00 local = 03:00 UTC.
fn paris() -> FixedOffset {
    FixedOffset::east_opt(3600).unwrap()
}

fn now() -> DateTime<Utc> {
    utc("2026-11-25T12:00:00Z")
}

fn deck(id: &str, cards: usize) -> Deck {
    let mut text = format!("[deck]\nid = \"{id}\"\nname = \"Deck {id}\"\n");
    for i in 0..cards {
        text.push_str(&format!(
            "\n[[cards]]\nid = \"c{i}\"\nfront = \"q{i}\"\nback = \"a{i}\"\n"
        ));
    }
    parse_text(&text, "test", id).unwrap()
}

/// A log from `(time, deck, card, rating)` rows, each taking 2 s.
fn log(rows: &[(&str, &str, &str, u8)]) -> ReviewLog {
    let mut text = String::from("reviewed_at,deck,card,rating,duration_ms\n");
    for (at, deck, card, rating) in rows {
        text.push_str(&format!("{at},{deck},{card},{rating},2000\n"));
    }
    ReviewLog::parse(text.as_bytes())
}

fn parameters(changes: &[(usize, f64)]) -> Parameters {
    let mut w = DEFAULT_PARAMETERS;
    for &(i, value) in changes {
        w[i] = value;
    }
    Parameters::new(w).unwrap()
}

fn config(settings: Settings) -> Config {
    Config {
        scheduler: settings.with_fuzz(false),
        ..Config::default()
    }
}

fn compute(log: &ReviewLog, decks: &[&Deck], scope: &Scope, config: &Config, days: usize) -> Stats {
    compute_with_events(log, &[], decks, scope, config, days)
}

/// The statistics with card events, the cards' states replayed as the app
/// does it (`Progress`, the cache's replay).
fn compute_with_events(
    log: &ReviewLog,
    events: &[CardEvent],
    decks: &[&Deck],
    scope: &Scope,
    config: &Config,
    days: usize,
) -> Stats {
    let day = StudyDay::containing(now(), config.day_starts_at, &paris());
    let progress =
        Progress::replay_with_events(log, events, config.deck_settings(), config.leech, &day);
    stats::compute(&stats::Request {
        log,
        events,
        progress: &progress,
        decks,
        scope,
        config,
        now: now(),
        zone: &paris(),
        forecast_days: days,
    })
}

#[test]
fn an_empty_log_gives_zeros_everywhere() {
    let d = deck("d", 7);
    let stats = compute(
        &ReviewLog::default(),
        &[&d],
        &Scope::All,
        &Config::default(),
        30,
    );
    assert_eq!(stats.date, date("2026-11-25"));
    assert_eq!(stats.today.reviews, 0);
    assert_eq!(stats.today.streak_days, 0);
    assert_eq!(stats.today.again_share, None);
    assert_eq!(stats.true_retention.last_365_days.total().total(), 0);
    assert_eq!(stats.reviews_per_day.len(), 365);
    assert!(stats.reviews_per_day.values().all(|n| *n == 0));
    assert_eq!(
        stats.reviews_per_day.keys().next(),
        Some(&date("2025-11-26"))
    );
    assert_eq!(stats.calendar.busiest_day, None);
    assert_eq!(stats.forecast, vec![0; 30]);
    assert_eq!((stats.counts.new, stats.counts.total), (7, 7));
    assert_eq!(stats.calibration.reviews, 0);
    assert_eq!(stats.calibration.log_loss, None);
    assert!(stats.hours.iter().all(|h| h.reviews == 0));
    assert!(stats.distributions.interval.iter().all(|b| b.count == 0));
}

/// Default learning steps, no fuzz, and an Easy first review that gives 40
/// days: Easy cards are mature from the start, Good ones young.
fn scenario() -> (Config, ReviewLog) {
    let config = config(Settings::default().with_parameters(parameters(&[(3, 40.0)])));
    let log = log(&[
        // M: Easy 40 days ago (interval 40 d), Good today: a mature pass.
        ("2026-10-16T10:00:00.000Z", "d", "m", 4),
        ("2026-11-25T10:00:00.000Z", "d", "m", 3),
        // R: the same, Again today: a mature fail; now relearning.
        ("2026-10-16T11:00:00.000Z", "d", "r", 4),
        ("2026-11-25T11:00:00.000Z", "d", "r", 1),
        // Y and Y2: through both learning steps (a young interval), then
        // Hard and Again yesterday: a young pass and a young fail.
        ("2026-11-20T10:00:00.000Z", "d", "y", 3),
        ("2026-11-20T10:10:00.000Z", "d", "y", 3),
        ("2026-11-20T10:20:00.000Z", "d", "y2", 3),
        ("2026-11-20T10:30:00.000Z", "d", "y2", 3),
        ("2026-11-24T12:00:00.000Z", "d", "y", 2),
        ("2026-11-24T12:30:00.000Z", "d", "y2", 1),
        // L: new today, Again: learning.
        ("2026-11-25T09:00:00.000Z", "d", "l", 1),
        // Another deck's card: outside the deck's scope.
        ("2026-11-25T09:30:00.000Z", "other", "c0", 3),
    ]);
    (config, log)
}

fn scenario_deck() -> Deck {
    let mut text = String::from("[deck]\nid = \"d\"\nname = \"D\"\n");
    for id in ["m", "r", "y", "y2", "l", "n1", "n2", "n3"] {
        text.push_str(&format!(
            "\n[[cards]]\nid = \"{id}\"\nfront = \"{id}?\"\nback = \"{id}!\"\n"
        ));
    }
    parse_text(&text, "test", "d").unwrap()
}

#[test]
fn the_scenario_has_the_intervals_it_claims() {
    // The preconditions of the expectations below, through the scheduler.
    use recall::schedule::{Card, Rating, review};
    let (config, _) = scenario();
    let s = &config.scheduler;
    let easy = review(&Card::new(1), Rating::Easy, utc("2026-10-16T10:00:00Z"), s);
    assert_eq!(
        easy.due().unwrap() - easy.last_review().unwrap(),
        TimeDelta::days(40)
    );
    let t = utc("2026-11-20T10:00:00Z");
    let good = review(&Card::new(2), Rating::Good, t, s);
    let young = review(&good, Rating::Good, t + TimeDelta::minutes(10), s);
    let interval = (young.due().unwrap() - young.last_review().unwrap()).num_days();
    assert!((1..21).contains(&interval), "{interval}");
    let hard = review(&young, Rating::Hard, utc("2026-11-24T12:00:00Z"), s);
    let interval = (hard.due().unwrap() - hard.last_review().unwrap()).num_days();
    assert!(interval < 21, "Y stays young: {interval}");
    let again_m = review(&easy, Rating::Good, utc("2026-11-25T10:00:00Z"), s);
    assert!((again_m.due().unwrap() - again_m.last_review().unwrap()).num_days() >= 21);
}

#[test]
fn today_streak_true_retention_calendar_counts_and_hours() {
    let (config, log) = scenario();
    let d = scenario_deck();
    let other = deck("other", 1);
    let stats = compute(&log, &[&d, &other], &Scope::Deck(d.id.clone()), &config, 30);

    let t = &stats.today;
    assert_eq!((t.reviews, t.cards, t.again, t.new_cards), (3, 3, 2, 1));
    assert_eq!(t.time_ms, 6000);
    assert_eq!(t.again_share, Some(2.0 / 3.0));
    assert_eq!(t.streak_days, 2, "the 24th and the 25th");

    let r = &stats.true_retention;
    let split = |s: stats::RetentionSplit| (s.passed, s.failed);
    assert_eq!(
        (split(r.today.young), split(r.today.mature)),
        ((0, 0), (1, 1))
    );
    assert_eq!(
        (split(r.yesterday.young), split(r.yesterday.mature)),
        ((1, 1), (0, 0))
    );
    for period in [r.last_7_days, r.last_30_days, r.last_365_days] {
        assert_eq!(
            (split(period.young), split(period.mature)),
            ((1, 1), (1, 1))
        );
    }

    let per_day = &stats.reviews_per_day;
    assert_eq!(per_day[&date("2026-10-16")], 2);
    assert_eq!(per_day[&date("2026-11-20")], 4);
    assert_eq!(per_day[&date("2026-11-24")], 2);
    assert_eq!(
        per_day[&date("2026-11-25")],
        3,
        "the other deck's review is out of scope"
    );
    assert_eq!(per_day.values().sum::<u32>(), 11);
    let c = &stats.calendar;
    assert_eq!((c.reviews, c.days_studied), (11, 4));
    assert_eq!(
        c.busiest_day.map(|b| (b.date, b.reviews)),
        Some((date("2026-11-20"), 4))
    );
    assert!((c.average_per_day - 11.0 / 365.0).abs() < 1e-12);

    let n = &stats.counts;
    assert_eq!(
        (n.new, n.learning, n.relearning, n.young, n.mature, n.total),
        (3, 1, 2, 1, 1, 8)
    );
    let intervals: u32 = stats.distributions.interval.iter().map(|b| b.count).sum();
    assert_eq!(intervals, 2, "the two Review cards");
    let stability: u32 = stats.distributions.stability.iter().map(|b| b.count).sum();
    assert_eq!(stability, 5, "every reviewed card");
    assert_eq!(
        stats
            .distributions
            .retrievability
            .iter()
            .map(|b| b.count)
            .sum::<u32>(),
        5
    );
    assert_eq!(
        stats
            .distributions
            .difficulty
            .iter()
            .map(|b| b.count)
            .sum::<u32>(),
        5
    );

    // Local hours (UTC+1): 10:00Z is 11h, 11:00Z 12h, 12:xxZ 13h.
    let hour = |h: usize| (stats.hours[h].reviews, stats.hours[h].passed);
    assert_eq!(
        hour(11),
        (6, 6),
        "m Easy, m Good, y and y2 Good x2, at 10:xxZ: all passes"
    );
    assert_eq!(hour(10), (1, 0));
    assert_eq!(hour(12), (2, 1));
    assert_eq!(hour(13), (2, 1));
    assert_eq!(stats.hours.iter().map(|h| h.reviews).sum::<u32>(), 11);

    // All decks: the other deck's review and card count too.
    let all = compute(&log, &[&d, &other], &Scope::All, &config, 30);
    assert_eq!(all.today.reviews, 4);
    assert_eq!(all.counts.total, 9);
}

#[test]
fn study_days_start_at_day_starts_at_local_time() {
    let d = deck("d", 2);
    // 02:59:59Z is 03:59:59 in Paris: still the 24th when days start at 4.
    let log = log(&[
        ("2026-11-25T02:59:59.000Z", "d", "c0", 3),
        ("2026-11-25T03:00:00.000Z", "d", "c1", 3),
    ]);
    let stats = compute(&log, &[&d], &Scope::All, &Config::default(), 30);
    assert_eq!(stats.reviews_per_day[&date("2026-11-24")], 1);
    assert_eq!(stats.reviews_per_day[&date("2026-11-25")], 1);
    assert_eq!((stats.today.reviews, stats.today.new_cards), (1, 1));
    assert_eq!(stats.today.streak_days, 2);

    let midnight = Config {
        day_starts_at: 0,
        ..Config::default()
    };
    let stats = compute(&log, &[&d], &Scope::All, &midnight, 30);
    assert_eq!(stats.reviews_per_day[&date("2026-11-25")], 2);
    assert_eq!(stats.today.reviews, 2);
}

#[test]
fn the_forecast_is_the_due_dates_counted_by_study_day() {
    // No learning steps: Good gives round(2.3065) = 2 days, Easy 8.
    let config = config(Settings::default().with_learning_steps(Vec::new()).unwrap());
    let d = deck("d", 6);
    let log = log(&[
        // Due the 20th: overdue, counted today.
        ("2026-11-18T10:00:00.000Z", "d", "c0", 3),
        // Due the 27th.
        ("2026-11-25T10:00:00.000Z", "d", "c1", 3),
        // Due 12-03: day 8.
        ("2026-11-25T10:00:00.000Z", "d", "c2", 4),
        // 02:00Z = 03:00 Paris, due 11-27 03:00 Paris: study day the 26th.
        ("2026-11-25T02:00:00.000Z", "d", "c3", 3),
    ]);
    let stats = compute(&log, &[&d], &Scope::All, &config, 30);
    let mut expected = vec![0; 30];
    expected[0] = 1;
    expected[1] = 1;
    expected[2] = 1;
    expected[8] = 1;
    assert_eq!(stats.forecast, expected);

    let short = compute(&log, &[&d], &Scope::All, &config, 5);
    assert_eq!(short.forecast, vec![1, 1, 1, 0, 0]);
}

#[test]
fn calibration_bins_predictions_against_outcomes() {
    // Good gives stability 6 (w2), decay w20: reviewing 3 days later the
    // forgetting curve predicts p3, 30 days later p30.
    let w20 = DEFAULT_PARAMETERS[20];
    let factor = 0.9f64.powf(-1.0 / w20) - 1.0;
    let curve = |days: f64| (1.0 + factor * days / 6.0).powf(-w20);
    let (p3, p30) = (curve(3.0), curve(30.0));
    assert!(
        (0.9..1.0).contains(&p3) && (0.7..0.8).contains(&p30),
        "{p3} {p30}"
    );

    let config = config(
        Settings::default()
            .with_learning_steps(Vec::new())
            .unwrap()
            .with_parameters(parameters(&[(2, 6.0)])),
    );
    let d = deck("d", 14);
    let mut rows: Vec<(String, String, u8)> = Vec::new();
    for i in 0..14 {
        rows.push(("2026-10-01T10:00:00.000Z".into(), format!("c{i}"), 3));
    }
    // Cards 0-9 three days later: 7 passes, 3 fails.
    for i in 0..10 {
        rows.push((
            "2026-10-04T10:00:00.000Z".into(),
            format!("c{i}"),
            if i < 7 { 3 } else { 1 },
        ));
    }
    // Cards 10-13 thirty days later: 2 and 2.
    for i in 10..14 {
        rows.push((
            "2026-10-31T10:00:00.000Z".into(),
            format!("c{i}"),
            if i < 12 { 3 } else { 1 },
        ));
    }
    // A same-day review is left out: FSRS predicts across days.
    rows.push(("2026-10-31T10:05:00.000Z".into(), "c10".into(), 3));
    let borrowed: Vec<(&str, &str, &str, u8)> = rows
        .iter()
        .map(|(t, c, r)| (t.as_str(), "d", c.as_str(), *r))
        .collect();
    let stats = compute(&log(&borrowed), &[&d], &Scope::All, &config, 30);
    let k = &stats.calibration;
    assert_eq!((k.reviews, k.passed), (14, 9));
    assert_eq!(k.bins.len(), 10);
    let bin9 = &k.bins[9];
    assert_eq!(bin9.count, 10);
    assert!((bin9.predicted.unwrap() - p3).abs() < 1e-9);
    assert_eq!(bin9.observed, Some(0.7));
    let bin7 = &k.bins[7];
    assert_eq!(bin7.count, 4);
    assert!((bin7.predicted.unwrap() - p30).abs() < 1e-9);
    assert_eq!(bin7.observed, Some(0.5));
    assert!(
        k.bins
            .iter()
            .enumerate()
            .all(|(i, b)| i == 7 || i == 9 || b.count == 0)
    );

    let log_loss =
        -(7.0 * p3.ln() + 3.0 * (1.0 - p3).ln() + 2.0 * p30.ln() + 2.0 * (1.0 - p30).ln()) / 14.0;
    assert!((k.log_loss.unwrap() - log_loss).abs() < 1e-9);
    let rmse = ((10.0 * (p3 - 0.7).powi(2) + 4.0 * (p30 - 0.5).powi(2)) / 14.0).sqrt();
    assert!((k.rmse_bins.unwrap() - rmse).abs() < 1e-9);
}

#[test]
fn the_calendar_grid_puts_today_last_in_its_weekday_row() {
    let d = deck("d", 1);
    let log = log(&[("2026-11-25T10:00:00.000Z", "d", "c0", 3)]);
    let stats = compute(&log, &[&d], &Scope::All, &Config::default(), 30);
    let grid = stats::calendar_grid(&stats);
    assert_eq!(grid.len(), 7);
    // 2026-11-25 is a Wednesday (row 2), in the last column.
    let last = grid[2].len() - 1;
    assert_eq!(grid[2][last], Some(1));
    assert_eq!(grid[3][last], None, "Thursday is in the future");
    let cells: usize = grid.iter().flatten().filter(|c| c.is_some()).count();
    assert_eq!(cells, 365);
    assert_eq!(stats::shade(0, 10), '·');
    assert_eq!(stats::shade(1, 10), '░');
    assert_eq!(stats::shade(10, 10), '█');
}

/// Card events from `(time, deck, card, event)` rows.
fn card_events(rows: &[(&str, &str, &str, &str)]) -> Vec<CardEvent> {
    rows.iter()
        .map(|(at, deck, card, kind)| {
            CardEvent::parse(&format!("{at},{deck},{card},{kind}")).unwrap()
        })
        .collect()
}

#[test]
fn a_forgotten_card_counts_as_new_and_its_reviews_still_count() {
    // No learning steps: a first Good gives a Review card due in 2 days.
    let config = config(Settings::default().with_learning_steps(Vec::new()).unwrap());
    let d = deck("d", 3);
    let log = log(&[
        // C0: learned, then a young pass on the 20th, then forgotten.
        ("2026-11-18T10:00:00.000Z", "d", "c0", 3),
        ("2026-11-20T10:00:00.000Z", "d", "c0", 3),
        // C1: learned, due the 20th: overdue.
        ("2026-11-18T10:00:00.000Z", "d", "c1", 3),
        // C2: learned, forgotten yesterday, learned again today.
        ("2026-11-18T10:00:00.000Z", "d", "c2", 3),
        ("2026-11-25T10:00:00.000Z", "d", "c2", 3),
    ]);
    let events = card_events(&[
        ("2026-11-24T10:00:00.000Z", "d", "c0", "forget"),
        ("2026-11-24T10:00:00.000Z", "d", "c2", "forget"),
    ]);
    let stats = compute_with_events(&log, &events, &[&d], &Scope::All, &config, 30);

    let n = &stats.counts;
    assert_eq!(
        (n.new, n.learning, n.young, n.mature, n.total),
        (1, 0, 2, 0, 3),
        "c0 is new again; c1 and c2 are young"
    );
    let mut forecast = vec![0; 30];
    forecast[0] = 1; // c1, overdue
    forecast[2] = 1; // c2, relearned today: due the 27th
    assert_eq!(stats.forecast, forecast, "the forgotten c0 is not due");
    let reviewed = |bins: &[stats::Bin]| bins.iter().map(|b| b.count).sum::<u32>();
    assert_eq!(reviewed(&stats.distributions.stability), 2);
    assert_eq!(reviewed(&stats.distributions.retrievability), 2);

    // The reviews before a forget stay in the history.
    assert_eq!(stats.reviews_per_day[&date("2026-11-18")], 3);
    assert_eq!(stats.reviews_per_day[&date("2026-11-20")], 1);
    assert_eq!(stats.calendar.reviews, 5);
    // C2 was new again today: learned, not a review of a card in review.
    assert_eq!((stats.today.reviews, stats.today.new_cards), (1, 1));
    let week = stats.true_retention.last_7_days;
    assert_eq!(
        (week.young.passed, week.young.failed),
        (1, 0),
        "only c0's pass on the 20th"
    );

    // Without the events, the same log says otherwise.
    let plain = compute(&log, &[&d], &Scope::All, &config, 30);
    assert_eq!(plain.counts.new, 0);
    assert_eq!(plain.counts.young + plain.counts.mature, 3);
    assert_eq!(plain.today.new_cards, 0);
    assert_eq!(plain.true_retention.last_7_days.young.passed, 2);
}

#[test]
fn suspended_and_buried_cards_are_counted_apart_and_left_out_of_the_forecast() {
    let config = config(Settings::default().with_learning_steps(Vec::new()).unwrap());
    let d = deck("d", 5);
    let log = log(&[
        // Due the 20th: overdue today.
        ("2026-11-18T10:00:00.000Z", "d", "c0", 3),
        ("2026-11-18T10:00:00.000Z", "d", "c1", 3),
        ("2026-11-18T10:00:00.000Z", "d", "c2", 3),
        // Due the 27th.
        ("2026-11-25T10:00:00.000Z", "d", "c3", 3),
    ]);
    let events = card_events(&[
        ("2026-11-24T10:00:00.000Z", "d", "c0", "suspend"),
        // Buried yesterday: back today.
        ("2026-11-24T10:00:00.000Z", "d", "c2", "bury"),
        // Buried today (days start at 03:00Z in Paris).
        ("2026-11-25T03:00:00.000Z", "d", "c1", "bury"),
        ("2026-11-25T11:00:00.000Z", "d", "c3", "bury"),
        // A new card suspended.
        ("2026-11-25T11:00:00.000Z", "d", "c4", "suspend"),
    ]);
    let stats = compute_with_events(&log, &events, &[&d], &Scope::All, &config, 30);
    let n = &stats.counts;
    assert_eq!(
        (n.new, n.young, n.suspended, n.buried, n.total),
        (0, 1, 2, 2, 5)
    );
    let mut forecast = vec![0; 30];
    forecast[0] = 1; // c2
    forecast[1] = 1; // c1: overdue, but buried until tomorrow
    forecast[2] = 1; // c3: buried, due the 27th anyway
    assert_eq!(stats.forecast, forecast, "suspended c0 is left out");
    let stability: u32 = stats.distributions.stability.iter().map(|b| b.count).sum();
    assert_eq!(stability, 4, "every reviewed card, suspended or buried");

    // Unsuspended and unburied, they are back where their schedule says.
    let mut more = events.clone();
    more.extend(card_events(&[
        ("2026-11-25T12:00:00.000Z", "d", "c0", "unsuspend"),
        ("2026-11-25T12:00:00.000Z", "d", "c1", "unbury"),
    ]));
    let stats = compute_with_events(&log, &more, &[&d], &Scope::All, &config, 30);
    assert_eq!(
        (
            stats.counts.suspended,
            stats.counts.buried,
            stats.counts.young
        ),
        (1, 1, 3)
    );
    assert_eq!(stats.forecast[0], 3);
}

#[test]
fn the_command_s_single_replay_gives_the_app_s_progress() {
    // `recall stats` takes the cards' states from the replay its history
    // needs; they must be what `Progress` (and so the cache) gives.
    let (config, log) = scenario();
    let events = card_events(&[
        ("2026-11-24T10:00:00.000Z", "d", "m", "forget"),
        ("2026-11-25T09:10:00.000Z", "d", "y", "suspend"),
        ("2026-11-25T09:20:00.000Z", "d", "y2", "bury"),
    ]);
    let zone = paris();
    let when = stats::When {
        config: &config,
        now: now(),
        zone: &zone,
    };
    let (histories, progress) = stats::histories_and_progress(&log, &events, &when, &[Scope::All]);
    let day = StudyDay::containing(now(), config.day_starts_at, &zone);
    let expected =
        Progress::replay_with_events(&log, &events, config.deck_settings(), config.leech, &day);
    let keys: Vec<_> = expected.reviewed_keys().cloned().collect();
    assert_eq!(keys.len(), 6);
    for key in &keys {
        assert_eq!(
            progress.card_and_status(key),
            expected.card_and_status(key),
            "{key}"
        );
    }
    assert_eq!(
        histories,
        stats::histories(&log, &events, &when, &[Scope::All])
    );
}
