//! The review log on disk: every kind of damage loads with the right warning
//! and loses nothing else; appends, torn-tail repair and undo; and replaying
//! the log gives exactly the states of direct scheduler calls.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::Path;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use recall::day::StudyDay;
use recall::deck::CardKey;
use recall::schedule::{self, Card, Rating, Settings};
use recall::store::log::{FILE_NAME, HEADER, LogWarning};
use recall::store::{DataLock, LogWriter, Progress, Review, ReviewLog};

const GOOD_1: &str = "2026-11-20T09:30:12.345Z,aws-api-gateway,endpoint-types,3,5234\n";
const GOOD_2: &str = "2026-11-21T10:00:00.000Z,aws-api-gateway,stage-variables,1,800\n";

fn key(text: &str) -> CardKey {
    text.parse().unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn parse(bytes: &[u8]) -> ReviewLog {
    ReviewLog::parse(bytes)
}

/// The log holds exactly the two good reviews.
fn assert_two_good(log: &ReviewLog) {
    let reviews: Vec<Review> = log.entries().iter().map(|e| log.review(e)).collect();
    assert_eq!(
        reviews,
        [
            Review::new(
                at("2026-11-20T09:30:12.345Z"),
                key("aws-api-gateway/endpoint-types"),
                Rating::Good,
                5234
            ),
            Review::new(
                at("2026-11-21T10:00:00Z"),
                key("aws-api-gateway/stage-variables"),
                Rating::Again,
                800
            ),
        ]
    );
}

#[test]
fn a_clean_log_loads_without_warnings() {
    let log = parse(format!("{HEADER}\n{GOOD_1}{GOOD_2}").as_bytes());
    assert_two_good(&log);
    assert_eq!(log.warnings(), []);
}

#[test]
fn a_torn_tail_is_a_warning_and_the_rest_loads() {
    let log = parse(format!("{HEADER}\n{GOOD_1}{GOOD_2}2026-11-22T1").as_bytes());
    assert_two_good(&log);
    assert_eq!(log.warnings(), [LogWarning::TornTail { line: 4 }]);
}

#[test]
fn garbage_lines_are_skipped_with_their_line_numbers() {
    let text = format!(
        "{HEADER}\nhello\n{GOOD_1}2026-11-20T09:30:12.345Z,aws-api-gateway,x,7,1\n\
         not-a-time,d,c,3,1\n2026-11-20T09:30:12.345Z,bad deck,c,3,1\n{GOOD_2}2026-11-20T09:30:12.345Z,d,c,3,-4\n"
    );
    let log = parse(text.as_bytes());
    assert_two_good(&log);
    let lines: Vec<usize> = log
        .warnings()
        .iter()
        .map(|w| match w {
            LogWarning::Malformed { line, .. } => *line,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(lines, [2, 4, 5, 6, 8]);
    let messages: Vec<String> = log.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "line 2 skipped: expected the columns reviewed_at,deck,card,rating,duration_ms, found 1 column(s) in `hello`",
            "line 4 skipped: rating `7` is not 1, 2, 3 or 4",
            "line 5 skipped: reviewed_at `not-a-time` is not an RFC 3339 time",
            "line 6 skipped: deck id: `bad deck` contains ' '; ids use only letters, digits, `-`, `_` and `.`",
            "line 8 skipped: duration_ms `-4` is not a whole number",
        ]
    );
}

#[test]
fn a_10_mb_line_is_one_short_warning() {
    let huge = "x".repeat(10 * 1024 * 1024);
    let log = parse(format!("{HEADER}\n{GOOD_1}{huge}\n{GOOD_2}").as_bytes());
    assert_two_good(&log);
    assert_eq!(log.warnings().len(), 1);
    let message = log.warnings()[0].to_string();
    assert!(message.starts_with("line 3 skipped:"), "{message}");
    assert!(
        message.len() < 200,
        "the message quotes a short excerpt: {} bytes",
        message.len()
    );
}

#[test]
fn non_utf8_bytes_spoil_only_their_line() {
    let mut bytes = format!("{HEADER}\n{GOOD_1}").into_bytes();
    bytes.extend_from_slice(b"2026-11-20T09:30:12.345Z,d\xff\xfe,c,3,1\n");
    bytes.extend_from_slice(GOOD_2.as_bytes());
    let log = parse(&bytes);
    assert_two_good(&log);
    assert_eq!(
        log.warnings(),
        [LogWarning::Malformed {
            line: 3,
            reason: "not valid UTF-8".into()
        }]
    );
}

#[test]
fn a_missing_header_is_a_warning_and_every_line_is_read() {
    let log = parse(format!("{GOOD_1}{GOOD_2}").as_bytes());
    assert_two_good(&log);
    assert_eq!(log.warnings(), [LogWarning::MissingHeader]);
}

#[test]
fn an_empty_or_missing_file_is_an_empty_log() {
    let log = parse(b"");
    assert!(log.entries().is_empty() && log.warnings().is_empty());
    let dir = tempfile::tempdir().unwrap();
    let log = ReviewLog::load(&dir.path().join(FILE_NAME)).unwrap();
    assert!(log.entries().is_empty() && log.warnings().is_empty());
}

#[test]
fn extra_columns_crlf_and_other_offsets_are_accepted() {
    let text = format!(
        "{HEADER},device\r\n2026-11-20T10:30:12.345+01:00,aws-api-gateway,endpoint-types,3,5234,phone\r\n\
         2026-11-21T10:00:00Z,aws-api-gateway,stage-variables,1,800\r\n"
    );
    let log = parse(text.as_bytes());
    assert_two_good(&log);
    assert_eq!(log.warnings(), []);
}

fn writer(dir: &Path, lock: &DataLock) -> LogWriter {
    LogWriter::open(&dir.join(FILE_NAME), lock).unwrap()
}

fn review(n: u64) -> Review {
    let start = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    Review::new(
        start + TimeDelta::milliseconds(n as i64 * 1500 + 7),
        key("d/c"),
        Rating::Good,
        n,
    )
}

fn file(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(FILE_NAME)).unwrap()
}

#[test]
fn a_new_log_starts_with_the_header_and_lines_match_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let lock = DataLock::acquire(dir.path()).unwrap();
    let mut log = writer(dir.path(), &lock);
    log.append(&review(1)).unwrap();
    log.append(&review(2)).unwrap();
    assert_eq!(
        file(dir.path()),
        format!("{HEADER}\n2026-11-25T09:00:01.507Z,d,c,3,1\n2026-11-25T09:00:03.007Z,d,c,3,2\n")
    );
    let read = ReviewLog::load(&dir.path().join(FILE_NAME)).unwrap();
    let back: Vec<Review> = read.entries().iter().map(|e| read.review(e)).collect();
    assert_eq!(back, [review(1), review(2)]);
}

#[test]
fn a_torn_tail_is_cut_before_the_next_append_and_nothing_else_changes() {
    let dir = tempfile::tempdir().unwrap();
    let before = format!("{HEADER}\n{GOOD_1}garbage stays\n{GOOD_2}");
    std::fs::write(dir.path().join(FILE_NAME), format!("{before}2026-11-22T1")).unwrap();
    let lock = DataLock::acquire(dir.path()).unwrap();
    let mut log = writer(dir.path(), &lock);
    // Opening alone changes nothing.
    assert!(file(dir.path()).ends_with("2026-11-22T1"));
    log.append(&review(1)).unwrap();
    assert_eq!(
        file(dir.path()),
        format!("{before}2026-11-25T09:00:01.507Z,d,c,3,1\n")
    );
}

#[test]
fn a_log_that_is_one_torn_line_is_replaced_by_a_header() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(FILE_NAME), "reviewed_at,de").unwrap();
    let lock = DataLock::acquire(dir.path()).unwrap();
    writer(dir.path(), &lock).append(&review(1)).unwrap();
    assert_eq!(
        file(dir.path()),
        format!("{HEADER}\n2026-11-25T09:00:01.507Z,d,c,3,1\n")
    );
}

#[test]
fn undo_removes_only_this_writers_own_lines_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let earlier = format!("{HEADER}\n{GOOD_1}");
    std::fs::write(dir.path().join(FILE_NAME), &earlier).unwrap();
    let lock = DataLock::acquire(dir.path()).unwrap();
    let mut log = writer(dir.path(), &lock);
    log.append(&review(1)).unwrap();
    log.append(&review(2)).unwrap();
    assert!(log.undo_last().unwrap());
    assert_eq!(
        file(dir.path()),
        format!("{earlier}2026-11-25T09:00:01.507Z,d,c,3,1\n")
    );
    log.append(&review(3)).unwrap();
    assert!(log.undo_last().unwrap());
    assert!(log.undo_last().unwrap());
    assert_eq!(file(dir.path()), earlier);
    // Lines written before this writer opened are never undone.
    assert!(!log.undo_last().unwrap());
    assert_eq!(file(dir.path()), earlier);
}

#[test]
fn undo_refuses_when_the_file_changed_behind_its_back() {
    let dir = tempfile::tempdir().unwrap();
    let lock = DataLock::acquire(dir.path()).unwrap();
    let mut log = writer(dir.path(), &lock);
    log.append(&review(1)).unwrap();
    let mut other = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.path().join(FILE_NAME))
        .unwrap();
    std::io::Write::write_all(&mut other, GOOD_1.as_bytes()).unwrap();
    let error = log.undo_last().unwrap_err().to_string();
    assert!(
        error.contains("changed while recall was writing it"),
        "{error}"
    );
    assert!(file(dir.path()).ends_with(GOOD_1), "nothing was removed");
}

/// A card's reviews: ratings and the gap before each, seconds to years.
fn history() -> impl Strategy<Value = Vec<(u8, i64)>> {
    prop::collection::vec(
        (
            1u8..=4,
            prop_oneof![1i64..600, 600i64..86_400, 86_400i64..3 * 31_536_000],
        ),
        1..12,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn replaying_the_log_gives_the_states_of_direct_scheduler_calls(
        histories in prop::collection::vec(history(), 1..5),
        fuzz in any::<bool>(),
    ) {
        let settings = Settings::default().with_fuzz(fuzz);
        let dir = tempfile::tempdir().unwrap();
        let lock = DataLock::acquire(dir.path()).unwrap();
        let mut log = writer(dir.path(), &lock);
        let start = Utc.with_ymd_and_hms(2025, 1, 1, 8, 0, 0).unwrap();
        let mut expected = Vec::new();
        // Interleave cards in time order, as a real session does.
        let mut pending: Vec<(DateTime<Utc>, usize, Rating)> = Vec::new();
        for (card, reviews) in histories.iter().enumerate() {
            let mut t = start + TimeDelta::seconds(card as i64);
            for &(rating, gap) in reviews {
                t += TimeDelta::seconds(gap);
                pending.push((t, card, Rating::try_from(rating).unwrap()));
            }
        }
        pending.sort_by_key(|(t, card, _)| (*t, *card));
        let keys: Vec<CardKey> = (0..histories.len()).map(|i| key(&format!("deck/card-{i}"))).collect();
        let mut direct: Vec<Card> = keys.iter().map(|k| Card::with_key(&k.to_string())).collect();
        for (t, card, rating) in pending {
            let review = Review::new(t, keys[card].clone(), rating, 1000);
            log.append(&review).unwrap();
            direct[card] = schedule::review(&direct[card], rating, review.reviewed_at, &settings);
        }
        expected.extend(direct);
        let read = ReviewLog::load(&dir.path().join(FILE_NAME)).unwrap();
        let day = StudyDay::containing(start, 4, &Utc);
        let progress = Progress::replay(&read, &settings, &day);
        for (k, card) in keys.iter().zip(&expected) {
            prop_assert_eq!(&progress.card(k), card, "{}", k);
        }
    }
}

#[test]
fn replay_sorts_each_cards_reviews_by_time() {
    let settings = Settings::default().with_fuzz(false);
    let first = "2026-11-20T09:00:00.000Z,d,c,3,1\n";
    let second = "2026-11-25T09:00:00.000Z,d,c,1,1\n";
    let in_order = parse(format!("{HEADER}\n{first}{second}").as_bytes());
    let swapped = parse(format!("{HEADER}\n{second}{first}").as_bytes());
    let day = StudyDay::containing(at("2026-11-25T12:00:00Z"), 4, &Utc);
    let a = Progress::replay(&in_order, &settings, &day).card(&key("d/c"));
    let b = Progress::replay(&swapped, &settings, &day).card(&key("d/c"));
    assert_eq!(a, b);
    assert_eq!(a.reviews(), 2);
}

#[test]
fn replay_counts_todays_new_cards_and_reviews_per_deck() {
    let settings = Settings::default().with_fuzz(false);
    let text = format!(
        "{HEADER}\n\
         2026-11-20T09:00:00.000Z,d,old,3,1\n2026-11-20T09:10:00.000Z,d,old,3,1\n2026-11-20T09:20:00.000Z,d,old,3,1\n\
         2026-11-25T09:00:00.000Z,d,old,3,1\n\
         2026-11-25T09:00:00.000Z,d,new1,3,1\n2026-11-25T09:01:00.000Z,d,new1,3,1\n\
         2026-11-25T09:02:00.000Z,e,new2,1,1\n"
    );
    let day = StudyDay::containing(at("2026-11-25T12:00:00Z"), 4, &Utc);
    let progress = Progress::replay(&parse(text.as_bytes()), &settings, &day);
    let d = progress.today(&"d".parse().unwrap());
    assert_eq!((d.new_started, d.reviews), (1, 1));
    let e = progress.today(&"e".parse().unwrap());
    assert_eq!((e.new_started, e.reviews), (1, 0));
}

#[test]
fn loading_in_chunks_reads_exactly_what_parsing_the_whole_file_does() {
    // ~3 MB, so lines straddle the reader's 1 MB chunk boundaries; with a
    // garbage line, a 2 MB line across a boundary, and a torn tail.
    let mut text = format!("{HEADER}\n");
    for i in 0..40_000u64 {
        text.push_str(&review(i).to_line());
        if i == 9_000 {
            text.push_str("garbage\n");
        }
        if i == 20_000 {
            text.push_str(&"y".repeat(2 << 20));
            text.push('\n');
        }
    }
    text.push_str("2026-11-25T09:");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    std::fs::write(&path, &text).unwrap();

    let loaded = ReviewLog::load(&path).unwrap();
    let parsed = ReviewLog::parse(text.as_bytes());
    assert_eq!(loaded.entries().len(), 40_000);
    assert_eq!(loaded.entries(), parsed.entries());
    assert_eq!(loaded.keys(), parsed.keys());
    assert_eq!(loaded.warnings(), parsed.warnings());
    // Header at 1, review i at i + 2, garbage at 9003, the long line at
    // 20004, the torn tail after review 39999's line 40003.
    let lines: Vec<(bool, usize)> = loaded
        .warnings()
        .iter()
        .map(|w| match w {
            LogWarning::Malformed { line, .. } => (false, *line),
            LogWarning::TornTail { line } => (true, *line),
            LogWarning::MissingHeader => panic!("the header is there"),
        })
        .collect();
    assert_eq!(lines, [(false, 9003), (false, 20004), (true, 40004)]);
}

#[test]
fn replay_counts_a_day_long_before_the_last_review() {
    // The counts of 2026-11-20 from the whole log (whose last review is days
    // later) equal those from the log cut at the end of that day.
    let settings = Settings::default().with_fuzz(false);
    let early = "2026-11-20T09:00:00.000Z,d,old,3,1\n2026-11-20T09:10:00.000Z,d,old,3,1\n\
                 2026-11-20T09:20:00.000Z,d,old,3,1\n2026-11-20T10:00:00.000Z,d,other,1,1\n";
    let late = "2026-11-25T09:00:00.000Z,d,old,3,1\n2026-11-25T09:02:00.000Z,d,new2,1,1\n";
    let day = StudyDay::containing(at("2026-11-20T12:00:00Z"), 4, &Utc);
    let whole = Progress::replay(
        &parse(format!("{HEADER}\n{early}{late}").as_bytes()),
        &settings,
        &day,
    );
    let cut = Progress::replay(
        &parse(format!("{HEADER}\n{early}").as_bytes()),
        &settings,
        &day,
    );
    let d: recall::deck::DeckId = "d".parse().unwrap();
    assert_eq!(whole.today(&d), cut.today(&d));
    assert_eq!(whole.today(&d).new_started, 2);
}

/// A review at the very start of a study day is that day's, even when the
/// log's last review is exactly as far after it as the replay remembers
/// reviews (three days): the edge of that window is inside it.
#[test]
fn a_review_at_the_start_of_the_day_counts_at_the_edge_of_the_remembered_window() {
    let text = format!(
        "{HEADER}\n2026-11-25T04:00:00.000Z,d,a,3,1000\n2026-11-28T04:00:00.000Z,d,b,3,1000\n"
    );
    let day = StudyDay::containing(at("2026-11-25T09:00:00Z"), 4, &Utc);
    assert_eq!(day.start, at("2026-11-25T04:00:00Z"));
    let progress = Progress::replay(&parse(text.as_bytes()), Settings::default(), &day);
    let deck = recall::deck::DeckId::new("d").unwrap();
    assert_eq!(progress.today(&deck).new_started, 1);
}
