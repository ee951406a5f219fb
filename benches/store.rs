//! The review log: loading and replaying 1,000,000 reviews, and one durable
//! append.

use std::hint::black_box;

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use recall::day::StudyDay;
use recall::schedule::{Rating, Settings};
use recall::store::{DataLock, LogWriter, Progress, Review, ReviewLog, log};

#[path = "support/generate.rs"]
mod generate;

fn load_and_replay(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(log::FILE_NAME);
    let text = generate::review_log(1_000_000, 100_000);
    std::fs::write(&path, &text).expect("write log");
    eprintln!("log: {} bytes", text.len());
    let settings = Settings::default();
    let day = StudyDay::containing(Utc::now(), 4, &Utc);
    let mut group = c.benchmark_group("review_log");
    group.sample_size(10);
    group.bench_function("load_1m_reviews", |b| {
        b.iter(|| black_box(ReviewLog::load(&path).expect("load")))
    });
    group.bench_function("load_and_replay_1m_reviews", |b| {
        b.iter(|| {
            let log = ReviewLog::load(&path).expect("load");
            assert_eq!(log.entries().len(), 1_000_000);
            black_box(Progress::replay(&log, &settings, &day))
        })
    });
    group.finish();
}

fn append(c: &mut Criterion) {
    // In the target directory, on the same disk as a real data directory
    // would be, rather than a tmpfs.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let lock = DataLock::acquire(dir.path()).expect("lock");
    let mut writer = LogWriter::open(&dir.path().join(log::FILE_NAME), &lock).expect("open");
    let key = "generated/card-000001".parse().expect("key");
    let review = Review::new(Utc::now(), key, Rating::Good, 4_321);
    let mut group = c.benchmark_group("review_log");
    group.sample_size(200);
    group.bench_function("append_with_sync_data", |b| {
        b.iter(|| writer.append(&review).expect("append"))
    });
    group.finish();
}

criterion_group!(benches, load_and_replay, append);
criterion_main!(benches);
