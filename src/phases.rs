//! Start-up phases, timed for `scripts/measure_startup.py`: when
//! `RECALL_PHASES` names a file, the time from process start to the end of
//! each phase is written there once the first frame is drawn. Edge-only
//! instrumentation (`main` and `app` mark phases); nothing else reads it.

use std::sync::Mutex;
use std::time::Instant;

/// The environment variable naming the file to write the phases to.
pub const ENV: &str = "RECALL_PHASES";

static MARKS: Mutex<Vec<(&'static str, Instant)>> = Mutex::new(Vec::new());

/// Marks the end of a phase (the first mark is the start).
pub fn mark(phase: &'static str) {
    if let Ok(mut marks) = MARKS.lock() {
        marks.push((phase, Instant::now()));
    }
}

/// Writes `phase milliseconds-since-start` lines to `$RECALL_PHASES`, once.
pub fn write_if_asked() {
    let Some(path) = std::env::var_os(ENV) else {
        return;
    };
    let Ok(mut marks) = MARKS.lock() else {
        return;
    };
    let Some(&(_, start)) = marks.first() else {
        return;
    };
    let text: String = marks
        .iter()
        .map(|(phase, at)| format!("{phase} {:.3}\n", (*at - start).as_secs_f64() * 1000.0))
        .collect();
    marks.clear();
    let _ = std::fs::write(path, text);
}
