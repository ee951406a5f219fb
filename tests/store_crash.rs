//! Durability under `kill -9`: a child appends reviews in a loop and reports
//! each one after it is synced; we kill it at random moments, many times,
//! and after every kill the log must load and hold every reported review.
//! Also: while that child holds the data-dir lock, a second writer is
//! refused and read-only commands still work.
//!
//! The child is this test binary itself, re-run with `CHILD_ENV` set, so the
//! test needs nothing else built.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use rand::{RngExt, SeedableRng};
use recall::schedule::Rating;
use recall::store::log::{FILE_NAME, LogWarning};
use recall::store::{DataLock, LogWriter, Review, ReviewLog};

/// Set in the child: `DATA_DIR FIRST_NUMBER`.
const CHILD_ENV: &str = "RECALL_TEST_WRITER";
/// The test that becomes the writer when `CHILD_ENV` is set.
const CHILD_TEST: &str = "writer_child";

/// The child's body: holds the lock and appends reviews numbered from
/// `first` (the number is the review's duration, so it can be found), and
/// prints each number once `append` (and so the sync) has returned.
#[test]
fn writer_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return; // Only meaningful as the child of the tests below.
    };
    let (dir, first) = spec.rsplit_once(' ').unwrap();
    let data_dir = PathBuf::from(dir);
    let lock = DataLock::acquire(&data_dir).unwrap();
    let mut writer = LogWriter::open(&data_dir.join(FILE_NAME), &lock).unwrap();
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let key = "crash/card".parse().unwrap();
    let mut stdout = std::io::stdout().lock();
    for n in first.parse::<u64>().unwrap().. {
        let at = start + TimeDelta::seconds(n as i64);
        writer
            .append(&Review::new(at, Clone::clone(&key), Rating::Good, n))
            .unwrap();
        writeln!(stdout, "ack {n}").unwrap();
        stdout.flush().unwrap();
    }
}

fn spawn_writer(data_dir: &Path, first: u64) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", CHILD_TEST, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, format!("{} {first}", data_dir.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The numbers a line of child output acknowledges (the test harness prints
/// lines of its own too).
fn ack(line: &str) -> Option<u64> {
    line.strip_prefix("ack ")?.parse().ok()
}

/// Reads the numbers the child acknowledged before it died.
fn acknowledged(child: Child) -> Vec<u64> {
    let output = child.wait_with_output().unwrap();
    BufReader::new(&output.stdout[..])
        .lines()
        .filter_map(|line| ack(&line.unwrap()))
        .collect()
}

#[test]
fn every_acknowledged_review_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut expected: HashSet<u64> = HashSet::new();
    let mut next = 0u64;
    for round in 0..40 {
        let mut child = spawn_writer(dir.path(), next);
        std::thread::sleep(Duration::from_millis(rng.random_range(1..40)));
        child.kill().unwrap(); // SIGKILL on Unix
        let acked = acknowledged(child);
        next = acked.last().map_or(next, |n| n + 1) + 1_000_000;
        expected.extend(acked);

        let log = ReviewLog::load(&dir.path().join(FILE_NAME)).unwrap();
        let present: HashSet<u64> = log.entries().iter().map(|e| e.duration_ms).collect();
        let missing: Vec<_> = expected.difference(&present).collect();
        assert!(
            missing.is_empty(),
            "round {round}: lost acknowledged reviews {missing:?}"
        );
        // A kill can only ever leave a torn last line, never garbage inside.
        for warning in log.warnings() {
            assert!(
                matches!(warning, LogWarning::TornTail { .. }),
                "round {round}: {warning}"
            );
        }
    }
    assert!(
        expected.len() > 40,
        "the child wrote too little to test anything"
    );
}

#[test]
fn a_second_writer_is_refused_while_reads_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn_writer(dir.path(), 0);
    // Wait until the child has the lock and has written something.
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(lines.any(|line| ack(&line.unwrap()).is_some()));

    let refused = DataLock::acquire(dir.path()).unwrap_err();
    assert_eq!(
        refused.to_string(),
        format!(
            "{} is in use by another recall session",
            dir.path().display()
        )
    );
    let recall = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_recall"))
            .args(args)
            .env("RECALL_DATA_DIR", dir.path())
            .env("RECALL_CONFIG", dir.path().join("config.toml"))
            .output()
            .unwrap()
    };
    for args in [
        &["decks"][..],
        &["due"],
        &["config"],
        &["card", "aws-api-gateway/endpoint-types"],
        &[
            "check",
            concat!(env!("CARGO_MANIFEST_DIR"), "/decks/aws-api-gateway.toml"),
        ],
    ] {
        let output = recall(args);
        assert!(
            output.status.success(),
            "recall {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        DataLock::acquire(dir.path()).is_ok(),
        "the lock dies with its holder"
    );
}
