//! Loads and replays a review log once, for profiling:
//! `cargo run --release --example load_log -- /path/to/reviews.csv`

fn main() -> std::io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "reviews.csv".into());
    let started = std::time::Instant::now();
    let log = recall::store::ReviewLog::load(std::path::Path::new(&path))?;
    let loaded = started.elapsed();
    let now = chrono::Utc::now();
    let day = recall::day::StudyDay::containing(now, 4, &chrono::Utc);
    let progress =
        recall::store::Progress::replay(&log, recall::schedule::Settings::default(), &day);
    println!(
        "{} reviews, {} cards: loaded in {loaded:?}, replayed in {:?}",
        log.entries().len(),
        progress.reviewed_keys().count(),
        started.elapsed() - loaded
    );
    Ok(())
}
