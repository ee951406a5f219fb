//! The data directory: what recall writes and how it keeps it safe.
//!
//! - [`log`]: the review log, `reviews.csv`, append-only: the source of truth.
//! - [`layout`]: one log folder per device (`log/<device>/`); readers merge all.
//! - [`device`]: this installation's device id, the folder it writes.
//! - [`replay`]: card states rebuilt from the log through the scheduler.
//! - [`config`]: `config.toml`, the settings.
//! - [`lock`]: one writing session at a time per data directory.
//! - [`quiz_log`]: `quizzes.csv`, the scores of finished quizzes.
//! - [`card_events`]: `card_events.csv`, suspend/bury/forget/mark, append-only.
//! - [`extra_new`]: `extra_new.csv`, extra new cards granted for today.
//! - [`atomic`]: replacing a whole file without ever leaving half of it.
//! - [`append`]: the one way a line is added to a log; [`fault`] makes it
//!   fail on demand in tests.

pub mod append;
pub mod atomic;
pub mod card_events;
pub mod config;
pub mod device;
pub mod extra_new;
pub mod fault;
pub mod layout;
pub mod lock;
pub mod log;
pub mod quiz_log;
pub mod replay;

pub use atomic::write_atomically;
pub use card_events::{CardEvent, EventKind, EventLog, EventWriter};
pub use config::{Config, LoadedConfig};
pub use device::DeviceId;
pub use layout::{Layout, LogKind};
pub use lock::{DataLock, LockError};
pub use log::{LogWriter, Review, ReviewLog};
pub use replay::{LeechRule, Progress, Status};

/// A log file that exists but could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}", path.display())]
pub struct LoadError {
    pub path: std::path::PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Reads every device's review log in `data_dir` (and the single-file log
/// of older versions) and merges them ([`ReviewLog::merge`]). Each file's
/// skipped lines go to `warn` with the file they are in.
pub fn load_reviews(
    data_dir: &std::path::Path,
    warn: &mut dyn FnMut(&std::path::Path, &log::LogWarning),
) -> Result<ReviewLog, LoadError> {
    let layout = Layout::new(data_dir);
    let dir_error = |source| LoadError {
        path: data_dir.join(layout::LOG_DIR),
        source,
    };
    let mut logs = Vec::new();
    for path in layout.logs(LogKind::Reviews).map_err(dir_error)? {
        let log = ReviewLog::load(&path).map_err(|source| LoadError {
            path: path.clone(),
            source,
        })?;
        for warning in log.warnings() {
            warn(&path, warning);
        }
        logs.push(log);
    }
    Ok(ReviewLog::merge(logs))
}

/// The reviews of one card in every device's review log, merged as
/// [`load_reviews`] merges them, reading only the lines that name it (see
/// [`ReviewLog::load_lines_of`]).
pub fn load_reviews_of(
    data_dir: &std::path::Path,
    key: &crate::deck::CardKey,
) -> Result<Vec<Review>, LoadError> {
    let layout = Layout::new(data_dir);
    let mut logs = Vec::new();
    let paths = layout.logs(LogKind::Reviews).map_err(|source| LoadError {
        path: data_dir.join(layout::LOG_DIR),
        source,
    })?;
    for path in paths {
        let log = ReviewLog::load_lines_of(&path, key).map_err(|source| LoadError {
            path: path.clone(),
            source,
        })?;
        logs.push(log);
    }
    Ok(ReviewLog::merge(logs).reviews_of(key))
}

/// Reads every device's card events (and a `card_events.csv` at the top of
/// the data dir, if one is there) and merges them: in time order, exact
/// duplicates once. Each file's skipped lines go to `warn`.
pub fn load_card_events(
    data_dir: &std::path::Path,
    warn: &mut dyn FnMut(&std::path::Path, &card_events::EventLogWarning),
) -> Result<EventLog, LoadError> {
    let layout = Layout::new(data_dir);
    let dir_error = |source| LoadError {
        path: data_dir.join(layout::LOG_DIR),
        source,
    };
    let mut merged = EventLog::default();
    for path in layout.logs(LogKind::CardEvents).map_err(dir_error)? {
        let log = EventLog::load(&path).map_err(|source| LoadError {
            path: path.clone(),
            source,
        })?;
        for warning in &log.warnings {
            warn(&path, warning);
        }
        merged.events.extend(log.events);
        merged.warnings.extend(log.warnings);
    }
    merged
        .events
        .sort_by(|a, b| (a.at, &a.key, a.kind.as_str()).cmp(&(b.at, &b.key, b.kind.as_str())));
    merged.events.dedup();
    Ok(merged)
}
