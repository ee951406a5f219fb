//! Durability under `kill -9`: a child appends reviews in a loop and reports
//! each one after it is synced; we kill it at random moments of that loop,
//! many times, and after every kill the log must load and hold every
//! reported review whole, and nothing the child did not write.
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
use std::sync::mpsc;
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
    let mut stdout = std::io::stdout().lock();
    for n in first.parse::<u64>().unwrap().. {
        writer.append(&review(n)).unwrap();
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

/// The number a line of child output acknowledges. The test harness prints
/// lines of its own, and the first ack may follow its `test writer_child ...`
/// on the same line.
fn ack(line: &str) -> Option<u64> {
    let at = line.rfind("ack ")?;
    line[at + 4..].trim().parse().ok()
}

/// The review the child writes as number `n`, exactly.
fn review(n: u64) -> Review {
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let at = start + TimeDelta::seconds(n as i64);
    Review::new(at, "crash/card".parse().unwrap(), Rating::Good, n)
}

/// Forty times: start the writer, wait until it is in its write loop (it
/// acknowledged a line), kill it at a random moment of that loop, and read
/// the log. Every acknowledged review must be there, whole and exactly as
/// written; the only review there that was never acknowledged may be the
/// one in flight at the kill (written, not yet reported); none twice.
#[test]
fn every_acknowledged_review_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut acknowledged_ever: HashSet<u64> = HashSet::new();
    let mut in_flight_ever: HashSet<u64> = HashSet::new();
    let mut next = 0u64;
    let mut in_flight_found = 0;
    for round in 0..40 {
        let mut child = spawn_writer(dir.path(), next);
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = ack(&line)
                    && tx.send(n).is_err()
                {
                    break;
                }
            }
        });
        let first = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the writer never acknowledged a line");
        std::thread::sleep(Duration::from_micros(rng.random_range(0..20_000)));
        child.kill().unwrap(); // SIGKILL on Unix, in the middle of the loop
        child.wait().unwrap();
        reader.join().unwrap();
        let acked: Vec<u64> = std::iter::once(first).chain(rx.try_iter()).collect();
        let last = *acked.last().unwrap();
        acknowledged_ever.extend(&acked);
        in_flight_ever.insert(last + 1);
        next = last + 1_000_000;

        let log = ReviewLog::load(&path).unwrap();
        let mut present: HashSet<u64> = HashSet::new();
        for entry in log.entries() {
            let read = log.review(entry);
            let n = read.duration_ms;
            assert_eq!(read, review(n), "round {round}: line {n} is not whole");
            assert!(present.insert(n), "round {round}: review {n} twice");
            assert!(
                acknowledged_ever.contains(&n) || in_flight_ever.contains(&n),
                "round {round}: review {n} was never written by the child"
            );
        }
        let missing: Vec<_> = acknowledged_ever.difference(&present).collect();
        assert!(
            missing.is_empty(),
            "round {round}: lost acknowledged reviews {missing:?}"
        );
        if present.contains(&(last + 1)) {
            in_flight_found += 1;
        }
        // A kill can only ever leave a torn last line, never garbage inside.
        for warning in log.warnings() {
            assert!(
                matches!(warning, LogWarning::TornTail { .. }),
                "round {round}: {warning}"
            );
        }
    }
    println!(
        "{} reviews acknowledged over 40 kills; {in_flight_found} kills fell between a write and its report",
        acknowledged_ever.len()
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
