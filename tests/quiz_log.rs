//! `quizzes.csv`: appended whole lines with a header, read back equal;
//! a torn last line cut off before the next append; malformed lines
//! reported with their line numbers and skipped; extra columns accepted;
//! concurrent appends from several writers stay whole lines.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use chrono::{DateTime, Utc};
use recall::deck::DeckId;
use recall::store::quiz_log::{
    self, HEADER, QuizHistory, QuizLogWarning, QuizRecord, RecordMode as Mode, RecordScope as Scope,
};
use tempfile::TempDir;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn record(minute: u32, scope: Scope, asked: usize, correct: usize) -> QuizRecord {
    QuizRecord::new(
        at(&format!("2026-11-25T09:{minute:02}:00.123456Z")),
        scope,
        Mode::Choice,
        asked,
        correct,
        254_000,
    )
}

fn gateway() -> Scope {
    Scope::Deck(DeckId::new("aws-api-gateway").unwrap())
}

#[test]
fn appends_lines_under_a_header_and_reads_them_back() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("nested").join(quiz_log::FILE_NAME);
    let first = record(40, gateway(), 10, 8);
    let second = QuizRecord {
        mode: Mode::SelfCheck,
        ..record(45, Scope::Pooled, 3, 3)
    };
    quiz_log::append(&path, &first).unwrap();
    quiz_log::append(&path, &second).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!(
            "{HEADER}\n\
             2026-11-25T09:40:00.123Z,aws-api-gateway,choice,10,8,254000\n\
             2026-11-25T09:45:00.123Z,*,self,3,3,254000\n"
        )
    );
    let history = QuizHistory::load(&path).unwrap();
    assert_eq!(history.records, [first, second]);
    assert!(history.warnings.is_empty());
    assert_eq!(history.records[0].percent(), 80);
}

#[cfg(unix)]
#[test]
fn defect_10_a_fifo_as_the_history_is_an_error_not_a_hang() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(quiz_log::FILE_NAME);
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
    // Opened with no writer, a FIFO would block here forever.
    let error = QuizHistory::load(&path).unwrap_err();
    assert_eq!(error.to_string(), "is not a regular file (a FIFO)");
}

#[test]
fn a_missing_file_is_an_empty_history() {
    let dir = TempDir::new().unwrap();
    let history = QuizHistory::load(&dir.path().join(quiz_log::FILE_NAME)).unwrap();
    assert_eq!(history, QuizHistory::default());
}

#[test]
fn a_torn_last_line_is_cut_off_before_the_next_append() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(quiz_log::FILE_NAME);
    let whole = "2026-11-25T09:40:00.000Z,aws-api-gateway,choice,10,8,254000\n";
    std::fs::write(&path, format!("{HEADER}\n{whole}2026-11-25T09:4")).unwrap();
    let history = QuizHistory::load(&path).unwrap();
    assert_eq!(history.records.len(), 1);
    assert_eq!(history.warnings, [QuizLogWarning::TornTail { line: 3 }]);
    assert_eq!(
        history.warnings[0].to_string(),
        "line 3 is incomplete (a write was interrupted); it is ignored and will be removed before the next score is saved"
    );

    quiz_log::append(&path, &record(50, gateway(), 2, 1)).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{HEADER}\n{whole}2026-11-25T09:50:00.123Z,aws-api-gateway,choice,2,1,254000\n")
    );
}

#[test]
fn malformed_lines_are_reported_with_their_numbers_and_skipped() {
    let text = format!(
        "{HEADER}\n\
         2026-11-25T09:40:00.000Z,aws-api-gateway,choice,10,8,254000\n\
         garbage\n\
         2026-11-25T09:41:00.000Z,aws-api-gateway,speed,10,8,1\n\
         2026-11-25T09:42:00.000Z,aws-api-gateway,self,3,4,1\n\
         yesterday,aws-api-gateway,self,3,2,1\n\
         2026-11-25T09:43:00.000Z,bad deck,self,3,2,1\n\
         2026-11-25T09:44:00.000Z,aws-api-gateway,self,three,2,1\n\
         \n\
         2026-11-25T10:44:00+01:00,aws-api-gateway,self,3,2,1,a later column\r\n"
    );
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(b"\xff\xfe,x\n");
    let history = QuizHistory::parse(&bytes);
    let reasons: Vec<String> = history.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        reasons,
        [
            "line 3 skipped: expected the columns finished_at,deck,mode,asked,correct,duration_ms, found 1 column(s) in `garbage`",
            "line 4 skipped: mode `speed` is not self or choice",
            "line 5 skipped: correct (4) is more than asked (3)",
            "line 6 skipped: finished_at `yesterday` is not an RFC 3339 time",
            "line 7 skipped: deck `bad deck`: `bad deck` contains ' '; ids use only letters, digits, `-`, `_` and `.`",
            "line 8 skipped: asked `three` is not a whole number",
            "line 11 skipped: not valid UTF-8",
        ]
    );
    assert_eq!(history.records.len(), 2);
    let last = &history.records[1];
    assert_eq!(last.finished_at, at("2026-11-25T09:44:00Z"));
    assert_eq!((last.asked, last.correct), (3, 2));
}

#[test]
fn a_file_without_its_header_is_still_read() {
    let history =
        QuizHistory::parse(b"2026-11-25T09:40:00.000Z,aws-api-gateway,choice,10,8,254000\n");
    assert_eq!(history.records.len(), 1);
    assert_eq!(history.warnings, [QuizLogWarning::MissingHeader]);
}

#[test]
fn concurrent_appends_stay_whole_lines() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(quiz_log::FILE_NAME);
    std::thread::scope(|scope| {
        for writer in 0..4 {
            let path = &path;
            scope.spawn(move || {
                for i in 0..15 {
                    quiz_log::append(path, &record(i, gateway(), 10, writer)).unwrap();
                }
            });
        }
    });
    let history = QuizHistory::load(&path).unwrap();
    assert!(history.warnings.is_empty(), "{:?}", history.warnings);
    assert_eq!(history.records.len(), 60);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(HEADER).count(), 1);
}

/// The share right, rounded to the nearest whole percent (half up); no
/// questions is 0 %.
#[test]
fn percent_rounds_to_the_nearest_whole_percent() {
    let percent = |asked, correct| record(0, gateway(), asked, correct).percent();
    assert_eq!(percent(8, 1), 13, "12.5 rounds up");
    assert_eq!(percent(3, 1), 33);
    assert_eq!(percent(3, 2), 67);
    assert_eq!(percent(7, 7), 100);
    assert_eq!(percent(0, 0), 0);
}

/// A missing history is empty; one that cannot be read (its folder is a
/// file) is an error, not an empty history.
#[test]
fn a_history_that_cannot_be_read_is_an_error_not_an_empty_one() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join(quiz_log::FILE_NAME);
    assert!(QuizHistory::load(&missing).unwrap().records.is_empty());
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    assert!(QuizHistory::load(&file.join(quiz_log::FILE_NAME)).is_err());
}
