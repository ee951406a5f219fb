//! The study session with a fake clock and an in-memory log: queue order,
//! daily limits, learning cards coming back, the countdown, undo, and what
//! happens when the log cannot be written.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use chrono::{DateTime, TimeDelta, Utc};
use recall::day::StudyDay;
use recall::deck::{CardId, CardKey, Deck, DeckId, Note};
use recall::schedule::{Rating, Settings, State};
use recall::store::config::Config;
use recall::store::log::HEADER;
use recall::store::{Progress, Review, ReviewLog};
use recall::study::queue::{DeckQueue, DueCounts};
use recall::study::session::{Origin, Phase, Session};

#[path = "support/memory_log.rs"]
mod memory_log;

use memory_log::MemoryLog;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// 09:00 UTC on 2026-11-25; days start at 04:00 UTC.
fn morning() -> DateTime<Utc> {
    at("2026-11-25T09:00:00Z")
}

fn day() -> StudyDay {
    StudyDay::containing(morning(), 4, &Utc)
}

fn deck(id: &str, cards: usize) -> Deck {
    let notes = (0..cards)
        .map(|i| {
            Note::basic(
                CardId::new(format!("c{i}")).unwrap(),
                format!("Q{i}"),
                format!("A{i}"),
            )
        })
        .collect();
    Deck::new(DeckId::new(id).unwrap(), id.to_uppercase(), "", notes).unwrap()
}

fn key(text: &str) -> CardKey {
    text.parse().unwrap()
}

fn config() -> Config {
    Config {
        scheduler: Settings::default().with_fuzz(false),
        ..Config::default()
    }
}

/// Progress from a log written as `deck,card,rating,time` lines.
fn progress(lines: &[&str], config: &Config) -> Progress {
    let mut text = format!("{HEADER}\n");
    for line in lines {
        let (time, rest) = line.split_once(' ').unwrap();
        text.push_str(&format!("{time},{rest},1000\n"));
    }
    Progress::replay(
        &ReviewLog::parse(text.as_bytes()),
        &config.scheduler,
        &day(),
    )
}

fn session(decks: &[Deck], progress: &Progress, config: &Config, now: DateTime<Utc>) -> Session {
    let queues = decks
        .iter()
        .map(|deck| DeckQueue::build(deck, progress, config, now, &day()))
        .collect();
    Session::new(queues, config.scheduler.clone(), day(), now)
}

fn current_key(session: &Session) -> String {
    match session.phase() {
        Phase::Card(current) => current.key.to_string(),
        other => panic!("expected a card, got {other:?}"),
    }
}

#[test]
fn new_cards_come_in_deck_order_up_to_the_daily_limit() {
    let config = Config {
        new_cards_per_day: 3,
        ..config()
    };
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 5)], &progress, &config, morning());
    assert_eq!(
        s.remaining(),
        DueCounts {
            new: 3,
            learning: 0,
            learning_now: 0,
            review: 0
        }
    );
    let mut log = MemoryLog::default();
    let mut shown = Vec::new();
    let mut now = morning();
    while let Phase::Card(current) = s.phase() {
        shown.push(current.key.to_string());
        // Easy graduates a new card at once, so each is seen once.
        s.grade(Rating::Easy, now, &mut log).unwrap();
        now += TimeDelta::seconds(5);
    }
    assert_eq!(shown, ["d/c0", "d/c1", "d/c2"]);
    assert_eq!(s.phase(), Phase::Done);
}

#[test]
fn new_cards_started_today_count_against_the_limit() {
    let config = Config {
        new_cards_per_day: 3,
        ..config()
    };
    // Two new cards were started earlier today, one yesterday.
    let progress = progress(
        &[
            "2026-11-24T20:00:00.000Z d,c0,4",
            "2026-11-25T05:00:00.000Z d,c1,4",
            "2026-11-25T05:01:00.000Z d,c2,4",
        ],
        &config,
    );
    let s = session(&[deck("d", 6)], &progress, &config, morning());
    assert_eq!(s.remaining().new, 1);
    assert_eq!(current_key(&s), "d/c3");
}

#[test]
fn reviews_come_lowest_retrievability_first_up_to_the_limit() {
    let config = Config {
        reviews_per_day: 2,
        new_cards_per_day: 0,
        ..config()
    };
    // Three cards graduated (Easy) at different times; all due today, the
    // most overdue is the least likely to be recalled.
    let progress = progress(
        &[
            "2026-10-20T09:00:00.000Z d,c0,4",
            "2026-09-01T09:00:00.000Z d,c1,4",
            "2026-10-01T09:00:00.000Z d,c2,4",
        ],
        &config,
    );
    let mut s = session(&[deck("d", 3)], &progress, &config, morning());
    assert_eq!(
        s.remaining(),
        DueCounts {
            new: 0,
            learning: 0,
            learning_now: 0,
            review: 2
        }
    );
    let mut log = MemoryLog::default();
    assert_eq!(current_key(&s), "d/c1");
    s.grade(Rating::Good, morning(), &mut log).unwrap();
    assert_eq!(current_key(&s), "d/c2");
    s.grade(Rating::Good, morning(), &mut log).unwrap();
    assert_eq!(s.phase(), Phase::Done);
    assert_eq!(s.summary(morning()).over_limit, 1);
}

#[test]
fn reviews_done_today_count_against_the_limit() {
    let config = Config {
        reviews_per_day: 2,
        new_cards_per_day: 0,
        ..config()
    };
    let progress = progress(
        &[
            "2026-10-01T09:00:00.000Z d,c0,4",
            "2026-10-01T09:00:00.000Z d,c1,4",
            "2026-10-01T09:00:00.000Z d,c2,4",
            "2026-11-25T08:00:00.000Z d,c2,3",
        ],
        &config,
    );
    let s = session(&[deck("d", 3)], &progress, &config, morning());
    assert_eq!(s.remaining().review, 1);
}

#[test]
fn new_cards_are_spread_among_reviews() {
    let config = Config {
        new_cards_per_day: 2,
        ..config()
    };
    let progress = progress(
        &[
            "2026-10-01T09:00:00.000Z r,c0,4",
            "2026-10-02T09:00:00.000Z r,c1,4",
            "2026-10-03T09:00:00.000Z r,c2,4",
            "2026-10-04T09:00:00.000Z r,c3,4",
        ],
        &config,
    );
    let mut s = session(&[deck("r", 4), deck("n", 2)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    let mut origins = Vec::new();
    while let Phase::Card(current) = s.phase() {
        origins.push(current.origin);
        s.grade(Rating::Easy, morning(), &mut log).unwrap();
    }
    use Origin::{New, Review};
    assert_eq!(origins, [New, Review, Review, New, Review, Review]);
}

#[test]
fn learning_cards_come_back_when_their_step_is_due_and_the_session_waits_for_them() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 1)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    let t0 = morning();
    assert_eq!(current_key(&s), "d/c0");
    s.grade(Rating::Good, t0, &mut log).unwrap(); // step 1 of 2: back in 10 minutes
    assert_eq!(
        s.phase(),
        Phase::Waiting {
            until: t0 + TimeDelta::minutes(10),
            shows_at: t0 + TimeDelta::minutes(10),
        }
    );
    assert_eq!(
        s.remaining(),
        DueCounts {
            new: 0,
            learning: 1,
            learning_now: 0,
            review: 0
        }
    );

    s.advance(t0 + TimeDelta::minutes(9));
    assert!(matches!(s.phase(), Phase::Waiting { .. }), "not due yet");
    s.advance(t0 + TimeDelta::minutes(10));
    assert_eq!(current_key(&s), "d/c0");
    s.grade(Rating::Good, t0 + TimeDelta::minutes(10), &mut log)
        .unwrap(); // graduates
    assert_eq!(s.phase(), Phase::Done);
    assert_eq!(log.reviews.len(), 2);
}

#[test]
fn other_cards_are_studied_while_a_learning_card_waits() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 2)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    let t0 = morning();
    s.grade(Rating::Again, t0, &mut log).unwrap(); // c0 back in 1 minute
    assert_eq!(current_key(&s), "d/c1");
    s.grade(Rating::Easy, t0 + TimeDelta::seconds(70), &mut log)
        .unwrap();
    // c0's step came due while c1 was up.
    assert_eq!(current_key(&s), "d/c0");
}

#[test]
fn a_step_that_ends_after_today_leaves_the_session() {
    let config = Config {
        scheduler: Settings::default()
            .with_fuzz(false)
            .with_learning_steps(vec![TimeDelta::minutes(1), TimeDelta::days(1)])
            .unwrap(),
        ..config()
    };
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 1)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    s.grade(Rating::Good, morning(), &mut log).unwrap(); // next step: 1 day
    assert_eq!(s.phase(), Phase::Done);
    let summary = s.summary(morning());
    assert_eq!(summary.next_due, Some(morning() + TimeDelta::days(1)));
}

#[test]
fn undo_brings_the_card_back_and_removes_its_log_line_repeatedly() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 3)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    let t = morning();
    s.reveal();
    s.grade(Rating::Easy, t, &mut log).unwrap(); // c0 done
    s.grade(Rating::Again, t + TimeDelta::seconds(3), &mut log)
        .unwrap(); // c1 into learning
    assert_eq!(current_key(&s), "d/c2");
    assert_eq!(
        s.remaining(),
        DueCounts {
            new: 1,
            learning: 1,
            learning_now: 0,
            review: 0
        }
    );

    assert!(s.undo(t + TimeDelta::seconds(4), &mut log).unwrap());
    let Phase::Card(current) = s.phase() else {
        panic!()
    };
    assert_eq!(current.key.to_string(), "d/c1");
    assert!(!current.revealed, "the question shows again");
    assert_eq!(
        current.card.state(),
        State::New,
        "with its state before the grade"
    );
    assert_eq!(
        s.remaining(),
        DueCounts {
            new: 2,
            learning: 0,
            learning_now: 0,
            review: 0
        },
        "c2 went back to the queue, c1 out of learning"
    );
    assert_eq!(log.reviews.len(), 1);

    assert!(s.undo(t + TimeDelta::seconds(5), &mut log).unwrap());
    assert_eq!(current_key(&s), "d/c0");
    assert!(
        !s.current().unwrap().revealed,
        "graded with its answer showing, back with its question"
    );
    assert!(log.reviews.is_empty());
    assert!(
        !s.undo(t + TimeDelta::seconds(6), &mut log).unwrap(),
        "nothing left to undo"
    );

    // The session goes on in the original order.
    s.grade(Rating::Easy, t + TimeDelta::seconds(7), &mut log)
        .unwrap();
    assert_eq!(current_key(&s), "d/c1");
    s.grade(Rating::Easy, t + TimeDelta::seconds(8), &mut log)
        .unwrap();
    assert_eq!(current_key(&s), "d/c2");
}

#[test]
fn undo_from_the_waiting_screen_brings_the_card_back() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 1)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    s.grade(Rating::Again, morning(), &mut log).unwrap();
    assert!(matches!(s.phase(), Phase::Waiting { .. }));
    assert!(s.undo(morning(), &mut log).unwrap());
    assert_eq!(current_key(&s), "d/c0");
    assert_eq!(
        s.remaining(),
        DueCounts {
            new: 1,
            learning: 0,
            learning_now: 0,
            review: 0
        }
    );
}

#[test]
fn a_failed_write_changes_nothing() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 2)], &progress, &config, morning());
    let mut log = MemoryLog {
        fail: true,
        ..MemoryLog::default()
    };
    s.reveal();
    let error = s.grade(Rating::Good, morning(), &mut log).unwrap_err();
    assert!(error.to_string().contains("cannot write the review log"));
    let Phase::Card(current) = s.phase() else {
        panic!()
    };
    assert_eq!(current.key.to_string(), "d/c0");
    assert!(current.revealed, "still on the same card, answer showing");
    assert_eq!(s.reviews_done(), 0);
}

#[test]
fn grades_record_the_time_from_question_to_grade() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 1)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    s.grade(
        Rating::Hard,
        morning() + TimeDelta::milliseconds(4321),
        &mut log,
    )
    .unwrap();
    assert_eq!(
        log.reviews,
        [Review::new(
            morning() + TimeDelta::milliseconds(4321),
            key("d/c0"),
            Rating::Hard,
            4321
        )]
    );
}

#[test]
fn the_preview_gives_each_grades_interval() {
    let config = config();
    let progress = progress(&[], &config);
    let s = session(&[deck("d", 1)], &progress, &config, morning());
    let preview = s.preview(morning()).unwrap();
    let minutes: Vec<i64> = Rating::ALL
        .iter()
        .map(|r| preview.get(*r).interval.num_minutes())
        .collect();
    // Again: step 1 (1m), Hard: mean of the steps (5.5m), Good: step 2 (10m), Easy: days.
    assert_eq!(&minutes[..3], [1, 5, 10]);
    assert!(minutes[3] >= 24 * 60);
}

#[test]
fn the_summary_counts_cards_reviews_and_again() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 2)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    let t = morning();
    s.grade(Rating::Again, t, &mut log).unwrap();
    s.grade(Rating::Easy, t + TimeDelta::seconds(30), &mut log)
        .unwrap();
    s.advance(t + TimeDelta::minutes(2));
    s.grade(Rating::Easy, t + TimeDelta::minutes(2), &mut log)
        .unwrap();
    let summary = s.summary(t + TimeDelta::minutes(3));
    assert_eq!((summary.cards, summary.reviews, summary.again), (2, 3, 1));
    assert!((summary.again_share() - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(summary.time, TimeDelta::minutes(3));
    assert!(summary.next_due.unwrap() > t + TimeDelta::days(1));
}

/// The session through the real `LogWriter` over a file whose write or sync
/// fails on demand: a failed grade leaves the card up and the file as it
/// was; the retry is recorded once; undo removes exactly that line.
#[test]
fn a_session_through_the_real_log_writer_survives_failed_writes_and_undo() {
    use recall::store::LogWriter;
    use recall::store::fault::{Fault, FaultyFile};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews.csv");
    let (file, faults) = FaultyFile::create(&path).unwrap();
    let mut writer = LogWriter::with_file(Box::new(file), &path).unwrap();
    let config = config();
    let mut session = session(&[deck("d", 3)], &Progress::default(), &config, morning());
    let first = current_key(&session);
    session.reveal();
    let t = morning() + TimeDelta::seconds(5);
    faults.next_write(Fault::Partial(11));
    assert!(session.grade(Rating::Good, t, &mut writer).is_err());
    assert_eq!(current_key(&session), first, "the card stays up");
    assert_eq!(session.reviews_done(), 0);
    faults.next_sync(Fault::Io);
    assert!(session.grade(Rating::Good, t, &mut writer).is_err());
    assert_eq!(current_key(&session), first);
    session.grade(Rating::Good, t, &mut writer).unwrap();
    let second = current_key(&session);
    assert_ne!(second, first);
    let read = |path: &std::path::Path| {
        let log = ReviewLog::load(path).unwrap();
        assert_eq!(log.warnings(), []);
        log.entries()
            .iter()
            .map(|e| log.review(e))
            .collect::<Vec<Review>>()
    };
    let logged = read(&path);
    assert_eq!(logged.len(), 1, "recorded once");
    assert_eq!(logged[0].key.to_string(), first);
    assert_eq!(logged[0].duration_ms, 5000);
    // Undo: the line goes, the card comes back with its time shown reset.
    let later = t + TimeDelta::seconds(60);
    assert!(session.undo(later, &mut writer).unwrap());
    assert_eq!(read(&path), []);
    assert_eq!(current_key(&session), first);
    session.reveal();
    session
        .grade(Rating::Good, later + TimeDelta::seconds(2), &mut writer)
        .unwrap();
    assert_eq!(
        read(&path)[0].duration_ms,
        2000,
        "the duration counts from when the card came back"
    );
    // Could not undo: the file changed behind the writer's back.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"x\n"))
        .unwrap();
    assert!(session.undo(later, &mut writer).is_err());
    assert_ne!(
        current_key(&session),
        first,
        "a failed undo changes nothing"
    );
}
fn learn_ahead_session(
    cards: usize,
    config: &Config,
    learn_ahead: TimeDelta,
    now: DateTime<Utc>,
) -> Session {
    let progress = progress(&[], config);
    session(&[deck("d", cards)], &progress, config, now).with_learn_ahead(learn_ahead, now)
}

#[test]
fn learning_ahead_shows_a_card_due_within_the_limit_at_once() {
    let config = config();
    let t0 = morning();
    let mut log = MemoryLog::default();
    let mut s = learn_ahead_session(1, &config, TimeDelta::minutes(20), t0);
    s.grade(Rating::Good, t0, &mut log).unwrap(); // back in 10 minutes
    let Phase::Card(current) = s.phase() else {
        panic!("learned ahead: {:?}", s.phase())
    };
    assert_eq!(
        (current.key.to_string(), current.origin),
        ("d/c0".into(), Origin::Learning)
    );
    assert_eq!(current.card.due(), Some(t0 + TimeDelta::minutes(10)));
    // Graded early, at its real time: it graduates like any Good.
    s.grade(Rating::Good, t0 + TimeDelta::seconds(5), &mut log)
        .unwrap();
    assert_eq!(s.phase(), Phase::Done);
    assert_eq!(log.reviews[1].reviewed_at, t0 + TimeDelta::seconds(5));

    // Off (0 minutes): the same card waits for its step.
    let mut s = learn_ahead_session(1, &config, TimeDelta::zero(), t0);
    s.grade(Rating::Good, t0, &mut log).unwrap();
    assert_eq!(
        s.phase(),
        Phase::Waiting {
            until: t0 + TimeDelta::minutes(10),
            shows_at: t0 + TimeDelta::minutes(10),
        }
    );
}

#[test]
fn learning_ahead_waits_until_nothing_else_is_left() {
    let config = config();
    let t0 = morning();
    let mut log = MemoryLog::default();
    let mut s = learn_ahead_session(2, &config, TimeDelta::minutes(20), t0);
    s.grade(Rating::Good, t0, &mut log).unwrap(); // c0 due in 10 minutes
    assert_eq!(current_key(&s), "d/c1", "the new card first");
    s.grade(Rating::Good, t0 + TimeDelta::seconds(5), &mut log)
        .unwrap();
    assert_eq!(current_key(&s), "d/c0", "then the earliest learning card");
    s.grade(Rating::Good, t0 + TimeDelta::seconds(10), &mut log)
        .unwrap();
    assert_eq!(current_key(&s), "d/c1");
}

#[test]
fn the_learn_ahead_limit_is_inclusive_and_the_countdown_starts_beyond_it() {
    let config = config();
    let t0 = morning();
    let mut log = MemoryLog::default();
    // Exactly at the limit: shown.
    let mut s = learn_ahead_session(1, &config, TimeDelta::minutes(10), t0);
    s.grade(Rating::Good, t0, &mut log).unwrap();
    assert_eq!(current_key(&s), "d/c0");

    // One second short of it: a wait of one second, then the card.
    let limit = TimeDelta::minutes(10) - TimeDelta::seconds(1);
    let mut s = learn_ahead_session(1, &config, limit, t0);
    s.grade(Rating::Good, t0, &mut log).unwrap();
    assert_eq!(
        s.phase(),
        Phase::Waiting {
            until: t0 + TimeDelta::minutes(10),
            shows_at: t0 + TimeDelta::seconds(1),
        }
    );
    s.advance(t0 + TimeDelta::milliseconds(999));
    assert!(matches!(s.phase(), Phase::Waiting { .. }));
    s.advance(t0 + TimeDelta::seconds(1));
    assert_eq!(current_key(&s), "d/c0");
}

#[test]
fn a_step_beyond_the_limit_waits_and_counts_as_learning_later_today() {
    let config = Config {
        scheduler: Settings::default()
            .with_fuzz(false)
            .with_learning_steps(vec![TimeDelta::minutes(1), TimeDelta::hours(3)])
            .unwrap(),
        ..config()
    };
    let t0 = morning();
    let mut log = MemoryLog::default();
    let mut s = learn_ahead_session(1, &config, TimeDelta::minutes(20), t0);
    s.grade(Rating::Good, t0, &mut log).unwrap(); // next step: 3 hours
    assert_eq!(
        s.phase(),
        Phase::Waiting {
            until: t0 + TimeDelta::hours(3),
            shows_at: t0 + TimeDelta::hours(3) - TimeDelta::minutes(20),
        }
    );
    assert_eq!(
        s.remaining(),
        DueCounts {
            new: 0,
            learning: 1,
            learning_now: 0,
            review: 0
        }
    );
    s.advance(t0 + TimeDelta::hours(2) + TimeDelta::minutes(40));
    assert_eq!(current_key(&s), "d/c0");
}

#[test]
fn fifteen_new_cards_all_good_finish_without_a_wait() {
    let config = Config::default(); // learn ahead 20 minutes, steps 1m 10m
    let t0 = morning();
    let mut log = MemoryLog::default();
    let mut s = learn_ahead_session(15, &config, config.learn_ahead(), t0);
    let mut now = t0;
    let mut grades = 0;
    loop {
        match s.phase() {
            Phase::Card(_) => {
                s.reveal();
                now += TimeDelta::seconds(8);
                s.grade(Rating::Good, now, &mut log).unwrap();
                grades += 1;
            }
            Phase::Waiting { .. } => panic!("waited after {grades} grades"),
            Phase::Done => break,
        }
    }
    assert_eq!(grades, 30, "two Goods each: step 2, then graduated");
    assert!(now - t0 < TimeDelta::minutes(5));
}

/// Learning cards come back soonest-due first, whatever order they were
/// graded in: a card on a 1-minute step passes one on a 10-minute step.
#[test]
fn two_learning_cards_come_back_in_the_order_they_are_due() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 3)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    let t0 = morning();
    assert_eq!(current_key(&s), "d/c0");
    s.grade(Rating::Good, t0, &mut log).unwrap(); // c0 due at t0 + 10 min
    assert_eq!(current_key(&s), "d/c1");
    s.grade(Rating::Again, t0 + TimeDelta::seconds(1), &mut log)
        .unwrap(); // c1 due at t0 + 61 s
    assert_eq!(current_key(&s), "d/c2");
    s.grade(Rating::Easy, t0 + TimeDelta::seconds(2), &mut log)
        .unwrap();
    assert_eq!(
        s.phase(),
        Phase::Waiting {
            until: t0 + TimeDelta::seconds(61),
            shows_at: t0 + TimeDelta::seconds(61),
        },
        "the wait is for the card due first, graded second"
    );
    s.advance(t0 + TimeDelta::seconds(61));
    assert_eq!(current_key(&s), "d/c1");
    // c1 now goes to its 10-minute step, due after c0.
    s.grade(Rating::Good, t0 + TimeDelta::seconds(61), &mut log)
        .unwrap();
    assert_eq!(
        s.phase(),
        Phase::Waiting {
            until: t0 + TimeDelta::minutes(10),
            shows_at: t0 + TimeDelta::minutes(10),
        }
    );
    // Both due by now: the one due first shows first.
    s.advance(t0 + TimeDelta::minutes(30));
    assert_eq!(current_key(&s), "d/c0");
    s.grade(Rating::Good, t0 + TimeDelta::minutes(30), &mut log)
        .unwrap();
    assert_eq!(current_key(&s), "d/c1");
    s.grade(Rating::Good, t0 + TimeDelta::minutes(30), &mut log)
        .unwrap();
    assert_eq!(s.phase(), Phase::Done);
}

/// Undo while a learning card is up: the card undone comes back, and the
/// learning card goes back into its queue with its learning state, to come
/// up again when due.
#[test]
fn undo_puts_a_learning_card_on_screen_back_into_its_queue() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 2)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    let t0 = morning();
    s.grade(Rating::Again, t0, &mut log).unwrap(); // c0 due at t0 + 1 min
    s.grade(Rating::Again, t0 + TimeDelta::seconds(1), &mut log)
        .unwrap(); // c1 due at t0 + 61 s
    s.advance(t0 + TimeDelta::minutes(2));
    let Phase::Card(up) = s.phase() else { panic!() };
    assert_eq!(
        (up.key.to_string(), up.origin),
        ("d/c0".into(), Origin::Learning)
    );
    let c0_learning = up.card;
    assert!(s.undo(t0 + TimeDelta::minutes(2), &mut log).unwrap());
    let Phase::Card(up) = s.phase() else { panic!() };
    assert_eq!(
        (up.key.to_string(), up.origin, up.card.state()),
        ("d/c1".into(), Origin::New, State::New)
    );
    assert_eq!(
        s.remaining(),
        DueCounts {
            new: 1,
            learning: 1,
            learning_now: 1,
            review: 0
        }
    );
    s.grade(Rating::Easy, t0 + TimeDelta::minutes(3), &mut log)
        .unwrap();
    let Phase::Card(up) = s.phase() else { panic!() };
    assert_eq!(up.key.to_string(), "d/c0");
    assert_eq!(up.origin, Origin::Learning);
    assert_eq!(up.card, c0_learning, "with the state it had in learning");
}

/// Undo while a review is up: that review goes back to the front of the
/// reviews and comes up again right after the card undone.
#[test]
fn undo_puts_a_review_on_screen_back_at_the_front() {
    let config = Config {
        new_cards_per_day: 0,
        ..config()
    };
    let progress = progress(
        &[
            "2026-09-01T09:00:00.000Z d,c0,4",
            "2026-10-01T09:00:00.000Z d,c1,4",
            "2026-10-10T09:00:00.000Z d,c2,4",
        ],
        &config,
    );
    let mut s = session(&[deck("d", 3)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    let t = morning();
    let mut order = vec![current_key(&s)];
    s.grade(Rating::Good, t, &mut log).unwrap();
    order.push(current_key(&s));
    assert_eq!(s.remaining().review, 2);
    assert!(s.undo(t + TimeDelta::seconds(1), &mut log).unwrap());
    assert_eq!(current_key(&s), order[0]);
    assert_eq!(
        s.remaining(),
        DueCounts {
            new: 0,
            learning: 0,
            learning_now: 0,
            review: 3
        }
    );
    let mut again = Vec::new();
    while let Phase::Card(current) = s.phase() {
        again.push(current.key.to_string());
        assert_eq!(current.origin, Origin::Review);
        s.grade(Rating::Good, t + TimeDelta::seconds(2), &mut log)
            .unwrap();
    }
    assert_eq!(again[..2], order[..]);
    assert_eq!(again.len(), 3, "every review once: {again:?}");
}

/// Deck `r` with `reviews` cards due for review (each learned once, in
/// September) and deck `n` with `new` new cards, and their progress.
fn reviews_and_new(reviews: usize, new: usize, config: &Config) -> ([Deck; 2], Progress) {
    let lines: Vec<String> = (0..reviews)
        .map(|i| format!("2026-09-{:02}T09:00:00.000Z r,c{i},4", i + 1))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let progress = progress(&lines, config);
    ([deck("r", reviews), deck("n", new)], progress)
}

/// Over many mixes of reviews and new cards: every card is shown once,
/// progress counts grades out of grades plus cards left, and the new cards
/// are spread evenly (never more than one card off the even share).
#[test]
fn progress_and_the_spread_of_new_cards_hold_for_every_deck_size() {
    let config = Config {
        new_cards_per_day: 100,
        ..config()
    };
    for reviews in 0..7usize {
        for new in 0..7usize {
            let (decks, progress) = reviews_and_new(reviews, new, &config);
            let mut s = session(&decks, &progress, &config, morning());
            let total = reviews + new;
            let mut log = MemoryLog::default();
            let mut shown = Vec::new();
            let mut new_shown = 0;
            assert_eq!(s.progress(), (0, total), "{reviews} reviews, {new} new");
            while let Phase::Card(current) = s.phase() {
                let expected = if current.key.to_string().starts_with("n/") {
                    Origin::New
                } else {
                    Origin::Review
                };
                assert_eq!(current.origin, expected);
                shown.push(current.key.to_string());
                if current.origin == Origin::New {
                    new_shown += 1;
                }
                let k = shown.len();
                // |new shown so far - the even share k * new / total| < 1
                assert!(
                    (new_shown * total).abs_diff(k * new) < total,
                    "{reviews} reviews, {new} new: {new_shown} new among the first {k}"
                );
                s.grade(Rating::Easy, morning(), &mut log).unwrap();
                assert_eq!(s.progress(), (k, total));
            }
            shown.sort();
            shown.dedup();
            assert_eq!(shown.len(), total, "each card once");
            assert_eq!(s.phase(), Phase::Done);
        }
    }
}

/// A step that ends exactly when the study day ends belongs to the next
/// day: the card leaves the session. One that ends a minute earlier stays.
#[test]
fn a_step_ending_exactly_at_the_end_of_the_day_leaves_the_session() {
    for (step, stays) in [
        (TimeDelta::hours(19), false),
        (TimeDelta::hours(19) - TimeDelta::minutes(1), true),
    ] {
        let config = Config {
            scheduler: Settings::default()
                .with_fuzz(false)
                .with_learning_steps(vec![step])
                .unwrap(),
            ..config()
        };
        assert_eq!(morning() + TimeDelta::hours(19), day().end);
        let progress = progress(&[], &config);
        let mut s = session(&[deck("d", 1)], &progress, &config, morning());
        let mut log = MemoryLog::default();
        s.grade(Rating::Again, morning(), &mut log).unwrap();
        assert_eq!(
            matches!(s.phase(), Phase::Waiting { .. }),
            stays,
            "a step of {step}"
        );
    }
}

/// Undo while a learning card is up, with other learning cards waiting:
/// the card goes back in due order, not at the end.
#[test]
fn undo_puts_a_learning_card_back_in_due_order() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 3)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    let t0 = morning();
    s.grade(Rating::Again, t0, &mut log).unwrap(); // c0 due at t0 + 60 s
    s.grade(Rating::Again, t0 + TimeDelta::seconds(1), &mut log)
        .unwrap(); // c1 due at t0 + 61 s
    s.grade(Rating::Again, t0 + TimeDelta::seconds(2), &mut log)
        .unwrap(); // c2 due at t0 + 62 s
    s.advance(t0 + TimeDelta::minutes(2));
    assert_eq!(current_key(&s), "d/c0");
    assert!(s.undo(t0 + TimeDelta::minutes(2), &mut log).unwrap()); // c2's grade
    assert_eq!(current_key(&s), "d/c2");
    s.grade(Rating::Easy, t0 + TimeDelta::minutes(2), &mut log)
        .unwrap();
    assert_eq!(current_key(&s), "d/c0", "due before c1");
    s.grade(Rating::Easy, t0 + TimeDelta::minutes(2), &mut log)
        .unwrap();
    assert_eq!(current_key(&s), "d/c1");
}

/// Suspend or bury from the reviewer: the card leaves the session and the
/// next one is up; undoing brings it back, question up and its time shown
/// reset, and the card that replaced it goes back to the front of its
/// queue. A card removed (a leech suspended) does not come back.
#[test]
fn a_card_set_aside_comes_back_when_brought_back_and_a_removed_one_never() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 3)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    let t = morning();
    s.reveal();
    let aside = s.set_aside(t + TimeDelta::seconds(1)).unwrap();
    assert_eq!(aside.key.to_string(), "d/c0");
    assert_eq!(
        s.current().map(|c| c.key.to_string()),
        Some("d/c1".to_owned())
    );
    assert_eq!(s.remaining().new, 2);
    s.reveal();
    s.bring_back(aside, t + TimeDelta::seconds(10));
    let up = s.current().unwrap();
    assert_eq!(up.key.to_string(), "d/c0");
    assert!(!up.revealed, "question side up");
    assert_eq!(up.shown_at, t + TimeDelta::seconds(10));
    assert_eq!(s.remaining().new, 3, "c1 went back to the queue");
    s.grade(Rating::Good, t + TimeDelta::seconds(12), &mut log)
        .unwrap(); // c0 into learning
    assert_eq!(log.reviews[0].duration_ms, 2000);
    assert_eq!(
        current_key(&s),
        "d/c1",
        "back at the front of the new cards"
    );
    s.remove(&key("d/c0"));
    s.grade(Rating::Easy, t + TimeDelta::seconds(13), &mut log)
        .unwrap();
    s.grade(Rating::Easy, t + TimeDelta::seconds(14), &mut log)
        .unwrap();
    assert_eq!(s.phase(), Phase::Done, "c0 does not come back");
    assert_eq!(s.reviews_done(), 3);
    assert!(s.set_aside(t).is_none(), "nothing on screen");
}

/// Undo and grade again at every card, over many mixes of reviews and new
/// cards: the card that was up goes back to the front of its queue, and
/// the session shows the same cards in the same order as without undo (the
/// spread of new cards among reviews counts a card put back as unshown).
#[test]
fn undo_at_every_card_keeps_the_order_and_the_spread_of_new_cards() {
    let config = Config {
        new_cards_per_day: 100,
        ..config()
    };
    for reviews in 0..5usize {
        for new in 0..5usize {
            let (decks, progress) = reviews_and_new(reviews, new, &config);
            let order = |undo: bool| {
                let mut s = session(&decks, &progress, &config, morning());
                let mut log = MemoryLog::default();
                let mut shown = Vec::new();
                while let Phase::Card(current) = s.phase() {
                    shown.push(current.key.to_string());
                    s.grade(Rating::Easy, morning(), &mut log).unwrap();
                    if undo {
                        assert!(s.undo(morning(), &mut log).unwrap());
                        assert_eq!(current_key(&s), *shown.last().unwrap());
                        s.grade(Rating::Easy, morning(), &mut log).unwrap();
                    }
                }
                assert_eq!(log.reviews.len(), reviews + new);
                shown
            };
            assert_eq!(order(true), order(false), "{reviews} reviews, {new} new");
        }
    }
}

/// A learning card on screen counts among the learning cards left, and
/// among those due now.
#[test]
fn a_learning_card_on_screen_counts_as_learning_left() {
    let config = config();
    let progress = progress(&[], &config);
    let mut s = session(&[deck("d", 2)], &progress, &config, morning());
    let mut log = MemoryLog::default();
    s.grade(Rating::Again, morning(), &mut log).unwrap(); // c0 due in 1 min
    s.grade(Rating::Easy, morning(), &mut log).unwrap(); // c1 done
    s.advance(morning() + TimeDelta::minutes(2));
    assert_eq!(s.current().map(|c| c.origin), Some(Origin::Learning));
    assert_eq!(
        s.remaining(),
        DueCounts {
            new: 0,
            learning: 1,
            learning_now: 1,
            review: 0
        }
    );
}

/// Cards whose notes left their deck files (an edit) leave every queue; the
/// card on screen stays if it is kept, else the next one goes up.
#[test]
fn retain_drops_the_cards_it_refuses_from_every_queue_and_the_screen() {
    let config = config();
    let progress = progress(&["2026-09-01T09:00:00.000Z r,c0,4"], &config);
    let decks = [deck("r", 1), deck("d", 4)];
    let mut s = session(&decks, &progress, &config, morning());
    let mut log = MemoryLog::default();
    let t = morning();
    // The new cards are spread around the one review: d/c0, r/c0, d/c1...
    assert_eq!(current_key(&s), "d/c0");
    s.grade(Rating::Again, t, &mut log).unwrap(); // into its learning steps
    assert_eq!(current_key(&s), "r/c0");
    let before = s.remaining();
    assert_eq!((before.learning, before.review, before.new), (1, 1, 3));
    s.retain(|key| key.to_string() != "d/c0", t);
    assert_eq!(current_key(&s), "r/c0", "the card up is kept");
    let after = s.remaining();
    assert_eq!((after.learning, after.review, after.new), (0, 1, 3));
    s.retain(
        |key| !["r/c0", "d/c1"].contains(&key.to_string().as_str()),
        t,
    );
    assert_eq!(current_key(&s), "d/c2", "the next card is up");
    assert_eq!(s.remaining().total(), 2);
    s.retain(|_| false, t + TimeDelta::hours(1));
    assert_eq!(s.phase(), Phase::Done);
}
