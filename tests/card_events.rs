//! Card events replayed with the reviews over a fake clock: suspend and
//! unsuspend, bury until the next study day (at the day boundary exactly),
//! forget (back to new, history kept), leeches at exactly the threshold
//! (suspended, or only marked with `leech_action = "tag"`), undo of the
//! writer's own line, a torn last line, and the queue leaving out what is
//! suspended or buried.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use chrono::{DateTime, TimeDelta, Utc};
use recall::day::StudyDay;
use recall::deck::CardKey;
use recall::deck::catalog::{BUNDLED, parse_text};
use recall::schedule::{Rating, State};
use recall::store::card_events::{EventLogWarning, FILE_NAME, HEADER};
use recall::store::{
    CardEvent, Config, DataLock, EventKind, EventLog, EventWriter, LeechRule, LogWriter, Progress,
    Review, ReviewLog,
};
use recall::study::queue::DeckQueue;
use tempfile::TempDir;

fn t0() -> DateTime<Utc> {
    "2026-11-25T09:30:00Z".parse().unwrap()
}

fn at(hours: i64) -> DateTime<Utc> {
    t0() + TimeDelta::hours(hours)
}

/// Study days start at 04:00 UTC here.
fn day(now: DateTime<Utc>) -> StudyDay {
    StudyDay::containing(now, 4, &Utc)
}

fn key(card: &str) -> CardKey {
    format!("aws-api-gateway/{card}").parse().unwrap()
}

fn event(hours: i64, card: &str, kind: EventKind) -> CardEvent {
    CardEvent::new(at(hours), key(card), kind)
}

fn review(at: DateTime<Utc>, card: &str, rating: Rating) -> Review {
    Review::new(at, key(card), rating, 1000)
}

fn log_of(reviews: &[Review]) -> ReviewLog {
    let text: String = std::iter::once(format!("{}\n", recall::store::log::HEADER))
        .chain(reviews.iter().map(Review::to_line))
        .collect();
    ReviewLog::parse(text.as_bytes())
}

fn replay(reviews: &[Review], events: &[CardEvent], now: DateTime<Utc>) -> Progress {
    replay_with(reviews, events, now, LeechRule::default())
}

fn replay_with(
    reviews: &[Review],
    events: &[CardEvent],
    now: DateTime<Utc>,
    leech: LeechRule,
) -> Progress {
    let config = Config::default();
    Progress::replay_with_events(
        &log_of(reviews),
        events,
        &config.scheduler,
        leech,
        &day(now),
    )
}

fn queued(progress: &Progress, now: DateTime<Utc>) -> Vec<String> {
    let deck = parse_text(BUNDLED[0].text, "bundled", "aws-api-gateway").unwrap();
    let config = Config {
        new_cards_per_day: 100,
        ..Config::default()
    };
    let queue = DeckQueue::build(&deck, progress, &config, now, &day(now));
    queue
        .new
        .iter()
        .chain(&queue.reviews)
        .chain(&queue.learning)
        .map(|(key, _)| key.card.to_string())
        .collect()
}

#[test]
fn suspended_cards_are_never_queued_until_unsuspended() {
    let events = [event(0, "endpoint-types", EventKind::Suspend)];
    let progress = replay(&[], &events, at(1));
    assert!(progress.status(&key("endpoint-types")).suspended);
    assert!(!queued(&progress, at(1)).contains(&"endpoint-types".to_owned()));
    // Still suspended days later.
    let progress = replay(&[], &events, at(24 * 30));
    assert!(!queued(&progress, at(24 * 30)).contains(&"endpoint-types".to_owned()));

    let events = [
        event(0, "endpoint-types", EventKind::Suspend),
        event(2, "endpoint-types", EventKind::Unsuspend),
    ];
    let progress = replay(&[], &events, at(3));
    assert!(!progress.status(&key("endpoint-types")).suspended);
    assert!(queued(&progress, at(3)).contains(&"endpoint-types".to_owned()));
}

#[test]
fn a_buried_card_comes_back_at_the_next_study_day_exactly() {
    // Buried at 09:30; the next study day starts at 04:00 tomorrow.
    let events = [event(0, "endpoint-types", EventKind::Bury)];
    let next_day = day(at(0)).end;
    let just_before = next_day - TimeDelta::milliseconds(1);
    let progress = replay(&[], &events, just_before);
    assert!(
        progress
            .status(&key("endpoint-types"))
            .is_buried(&day(just_before))
    );
    assert!(!queued(&progress, just_before).contains(&"endpoint-types".to_owned()));
    let progress = replay(&[], &events, next_day);
    assert!(
        !progress
            .status(&key("endpoint-types"))
            .is_buried(&day(next_day))
    );
    assert!(queued(&progress, next_day).contains(&"endpoint-types".to_owned()));

    // Unbury brings it back at once.
    let events = [
        event(0, "endpoint-types", EventKind::Bury),
        event(1, "endpoint-types", EventKind::Unbury),
    ];
    let progress = replay(&[], &events, at(2));
    assert!(queued(&progress, at(2)).contains(&"endpoint-types".to_owned()));
}

#[test]
fn forget_makes_a_card_new_and_keeps_its_reviews() {
    let reviews = [
        review(at(0), "endpoint-types", Rating::Good),
        review(
            at(0) + TimeDelta::minutes(10),
            "endpoint-types",
            Rating::Good,
        ),
    ];
    let before = replay(&reviews, &[], at(1));
    assert_ne!(before.card(&key("endpoint-types")).state(), State::New);
    let events = [event(1, "endpoint-types", EventKind::Forget)];
    let after = replay(&reviews, &events, at(2));
    assert_eq!(after.card(&key("endpoint-types")).state(), State::New);
    assert_eq!(after.status(&key("endpoint-types")).reviews, 2);
    assert!(queued(&after, at(2)).contains(&"endpoint-types".to_owned()));

    // A review after the forget starts again from new.
    let mut later = reviews.to_vec();
    later.push(review(at(3), "endpoint-types", Rating::Good));
    let fresh = replay(&[review(at(3), "endpoint-types", Rating::Good)], &[], at(4));
    let progress = replay(&later, &events, at(4));
    assert_eq!(
        progress.card(&key("endpoint-types")).stability(),
        fresh.card(&key("endpoint-types")).stability()
    );
}

/// `lapses` lapses of one card: learn it, then Again and Good each day.
fn lapsing(lapses: usize) -> Vec<Review> {
    let mut reviews = vec![review(at(0), "endpoint-types", Rating::Easy)];
    let mut now = at(0);
    for _ in 0..lapses {
        now += TimeDelta::days(60);
        reviews.push(review(now, "endpoint-types", Rating::Again));
        // Relearn: Easy graduates at once.
        reviews.push(review(
            now + TimeDelta::minutes(10),
            "endpoint-types",
            Rating::Easy,
        ));
    }
    reviews
}

#[test]
fn a_card_becomes_a_leech_at_exactly_the_threshold() {
    let leech = LeechRule {
        threshold: 3,
        suspend: true,
    };
    let end = at(24 * 365 * 3);
    let two = replay_with(&lapsing(2), &[], end, leech);
    let status = two.status(&key("endpoint-types"));
    assert_eq!(status.lapses, 2);
    assert!(!status.leech && !status.suspended);

    let three = replay_with(&lapsing(3), &[], end, leech);
    let status = three.status(&key("endpoint-types"));
    assert_eq!(status.lapses, 3);
    assert!(status.leech && status.suspended);
    assert!(!queued(&three, end).contains(&"endpoint-types".to_owned()));

    // Unsuspended after it became a leech: it stays a leech, not suspended,
    // until the next leech hit (threshold + half of it, rounded down: 4).
    let unsuspend_at = lapsing(3).last().unwrap().reviewed_at + TimeDelta::hours(1);
    let unsuspend = CardEvent::new(unsuspend_at, key("endpoint-types"), EventKind::Unsuspend);
    let reviews = lapsing(3);
    let back = replay_with(&reviews, std::slice::from_ref(&unsuspend), end, leech);
    let status = back.status(&key("endpoint-types"));
    assert!(status.leech && !status.suspended);
    let again = replay_with(&lapsing(4), std::slice::from_ref(&unsuspend), end, leech);
    assert!(again.status(&key("endpoint-types")).suspended);

    // leech_action = "tag": a leech, never suspended.
    let tag_only = LeechRule {
        threshold: 3,
        suspend: false,
    };
    let tagged = replay_with(&lapsing(3), &[], end, tag_only);
    let status = tagged.status(&key("endpoint-types"));
    assert!(status.leech && !status.suspended);

    // The default threshold is Anki's 8.
    assert_eq!(LeechRule::default().threshold, 8);
    let seven = replay(&lapsing(7), &[], end);
    assert!(!seven.status(&key("endpoint-types")).leech);
    let eight = replay(&lapsing(8), &[], end);
    assert!(eight.status(&key("endpoint-types")).suspended);
}

#[test]
fn marks_toggle() {
    let events = [
        event(0, "endpoint-types", EventKind::Mark),
        event(1, "stage-variables", EventKind::Mark),
        event(2, "stage-variables", EventKind::Unmark),
    ];
    let progress = replay(&[], &events, at(3));
    assert!(progress.status(&key("endpoint-types")).marked);
    assert!(!progress.status(&key("stage-variables")).marked);
}

#[test]
fn the_writer_appends_synced_lines_and_undoes_only_its_own() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(FILE_NAME);
    let lock = DataLock::acquire(dir.path()).unwrap();
    let mut writer = EventWriter::open(&path, &lock).unwrap();
    assert!(!writer.undo_last().unwrap(), "nothing to undo yet");
    writer
        .append(&event(0, "endpoint-types", EventKind::Suspend))
        .unwrap();
    writer
        .append(&event(1, "stage-variables", EventKind::Bury))
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        format!(
            "{HEADER}\n{}{}",
            event(0, "endpoint-types", EventKind::Suspend).to_line(),
            event(1, "stage-variables", EventKind::Bury).to_line()
        )
    );
    assert!(writer.undo_last().unwrap());
    let log = EventLog::load(&path).unwrap();
    assert_eq!(
        log.events,
        vec![event(0, "endpoint-types", EventKind::Suspend)]
    );
    drop(writer);

    // A second writer cannot undo the first one's line.
    let mut second = EventWriter::open(&path, &lock).unwrap();
    assert!(!second.undo_last().unwrap());
    assert_eq!(EventLog::load(&path).unwrap().events.len(), 1);
}

#[test]
fn a_batch_is_one_synced_write_that_cannot_be_undone() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(FILE_NAME);
    let lock = DataLock::acquire(dir.path()).unwrap();
    let mut writer = EventWriter::open(&path, &lock).unwrap();
    let single = event(0, "endpoint-types", EventKind::Bury);
    writer.append(&single).unwrap();
    let batch = [
        event(1, "endpoint-types", EventKind::Suspend),
        event(2, "stage-variables", EventKind::Suspend),
    ];
    writer.append_batch(&batch).unwrap();
    writer.append_batch(&[]).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!(
            "{HEADER}\n{}{}{}",
            single.to_line(),
            batch[0].to_line(),
            batch[1].to_line()
        )
    );
    // Undo would take the batch with the line before it: it is refused.
    assert!(!writer.undo_last().unwrap());
    assert_eq!(EventLog::load(&path).unwrap().events.len(), 3);
}

#[test]
fn a_torn_last_line_is_ignored_then_cut_before_the_next_append() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(FILE_NAME);
    let whole = event(0, "endpoint-types", EventKind::Suspend).to_line();
    std::fs::write(
        &path,
        format!("{HEADER}\n{whole}2026-11-25T10:00:00.000Z,aws-api-gateway,stage-vari"),
    )
    .unwrap();
    let log = EventLog::load(&path).unwrap();
    assert_eq!(log.events.len(), 1);
    assert_eq!(log.warnings, vec![EventLogWarning::TornTail { line: 3 }]);

    let lock = DataLock::acquire(dir.path()).unwrap();
    let mut writer = EventWriter::open(&path, &lock).unwrap();
    let next = event(2, "stage-variables", EventKind::Bury);
    writer.append(&next).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{HEADER}\n{whole}{}", next.to_line())
    );
    assert!(EventLog::load(&path).unwrap().warnings.is_empty());
}

#[test]
fn events_and_reviews_replay_in_time_order_from_the_files() {
    let dir = TempDir::new().unwrap();
    let lock = DataLock::acquire(dir.path()).unwrap();
    let mut reviews = LogWriter::open(&dir.path().join("reviews.csv"), &lock).unwrap();
    let mut events = EventWriter::open(&dir.path().join(FILE_NAME), &lock).unwrap();
    reviews
        .append(&review(at(0), "endpoint-types", Rating::Good))
        .unwrap();
    events
        .append(&event(1, "endpoint-types", EventKind::Forget))
        .unwrap();
    events
        .append(&event(1, "stage-variables", EventKind::Suspend))
        .unwrap();
    let log = ReviewLog::load(&dir.path().join("reviews.csv")).unwrap();
    let loaded = EventLog::load(&dir.path().join(FILE_NAME)).unwrap();
    let config = Config::default();
    let progress = Progress::replay_with_events(
        &log,
        &loaded.events,
        &config.scheduler,
        config.leech,
        &day(at(2)),
    );
    assert_eq!(progress.card(&key("endpoint-types")).state(), State::New);
    assert!(progress.status(&key("stage-variables")).suspended);
    assert!(!progress.is_available(&key("stage-variables"), &day(at(2))));
    assert!(progress.is_available(&key("endpoint-types"), &day(at(2))));
}

/// A leech hit comes at the threshold, then every half threshold (rounded
/// down, at least 1) after it, as in Anki; a threshold of 0 never hits.
#[test]
fn leech_hits_come_at_the_threshold_then_every_half_of_it() {
    let hits = |threshold| {
        let rule = LeechRule {
            threshold,
            suspend: true,
        };
        (0..20)
            .filter(|&lapses| rule.hit(lapses))
            .collect::<Vec<u32>>()
    };
    assert_eq!(hits(7), [7, 10, 13, 16, 19]);
    assert_eq!(hits(8), [8, 12, 16]);
    assert_eq!(hits(16), [16]);
    assert_eq!(hits(1), (1..20).collect::<Vec<_>>());
    assert_eq!(hits(0), Vec::<u32>::new());
    let off = LeechRule {
        threshold: 0,
        suspend: true,
    };
    assert!(!off.is_leech(0) && !off.is_leech(50), "0 turns leeches off");
}

/// Only Again on a card past learning is a lapse.
#[test]
fn a_lapse_is_again_on_a_review_card_only() {
    use recall::schedule::{Rating, State};
    use recall::store::replay::is_lapse;
    for state in [
        State::New,
        State::Learning,
        State::Review,
        State::Relearning,
    ] {
        for rating in [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy] {
            let lapse = state == State::Review && rating == Rating::Again;
            assert_eq!(is_lapse(state, rating), lapse, "{state:?} {rating:?}");
        }
    }
}

/// Events on cards never reviewed add up per card: two events on one card
/// give both, and a card of the same id in another deck is another card.
#[test]
fn events_on_unreviewed_cards_add_up_per_card() {
    let on = |hours, card: &str, kind| CardEvent::new(at(hours), card.parse().unwrap(), kind);
    let events = [
        on(0, "a/x", EventKind::Suspend),
        on(1, "a/x", EventKind::Bury),
        on(2, "b/x", EventKind::Suspend),
        on(3, "a/y", EventKind::Bury),
    ];
    let progress = replay(&[], &events, at(4));
    let status = |card: &str| {
        let status = progress.status(&card.parse().unwrap());
        (status.suspended, status.buried_at.is_some())
    };
    assert_eq!(status("a/x"), (true, true));
    assert_eq!(status("b/x"), (true, false));
    assert_eq!(status("a/y"), (false, true));
    assert_eq!(status("b/y"), (false, false));
}

/// An event at the same instant as a review comes after it (as the review
/// was on screen before the card was acted on): a forget then leaves the
/// card new.
#[test]
fn an_event_at_the_instant_of_a_review_applies_after_it() {
    let reviews = [review(at(1), "endpoint-types", Rating::Good)];
    let events = [event(1, "endpoint-types", EventKind::Forget)];
    let progress = replay(&reviews, &events, at(2));
    assert_eq!(progress.card(&key("endpoint-types")).state(), State::New);
    assert_eq!(progress.status(&key("endpoint-types")).reviews, 1);
}

#[test]
fn every_devices_events_and_the_legacy_file_merge_in_time_order_once_each() {
    let data = TempDir::new().unwrap();
    let write = |path: std::path::PathBuf, events: &[&CardEvent], extra: &str| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let lines: String = events.iter().map(|e| e.to_line()).collect();
        std::fs::write(path, format!("{HEADER}\n{lines}{extra}")).unwrap();
    };
    let suspend = event(0, "endpoint-types", EventKind::Suspend);
    let bury = event(1, "stages", EventKind::Bury);
    let unsuspend = event(2, "endpoint-types", EventKind::Unsuspend);
    let forget = event(3, "stages", EventKind::Forget);
    // The legacy file at the top, and two devices, each in its own order;
    // the bury is in two files (a device's log copied to another).
    write(data.path().join(FILE_NAME), &[&bury], "");
    write(
        data.path().join("log/laptop").join(FILE_NAME),
        &[&unsuspend, &bury],
        "not an event\n",
    );
    write(
        data.path().join("log/desktop").join(FILE_NAME),
        &[&forget, &suspend],
        "",
    );
    let mut warned = Vec::new();
    let log = recall::store::load_card_events(data.path(), &mut |path, warning| {
        warned.push((path.to_owned(), warning.clone()));
    })
    .unwrap();
    assert_eq!(log.events, [suspend, bury, unsuspend, forget]);
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0].0, data.path().join("log/laptop").join(FILE_NAME));
    assert_eq!(log.warnings, [warned[0].1.clone()]);
}
