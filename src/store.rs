//! The data directory: what recall writes and how it keeps it safe.
//!
//! - [`log`]: the review log, `reviews.csv`, append-only: the source of truth.
//! - [`replay`]: card states rebuilt from the log through the scheduler.
//! - [`config`]: `config.toml`, the settings.
//! - [`lock`]: one writing session at a time per data directory.
//! - [`quiz_log`]: `quizzes.csv`, the scores of finished quizzes.
//! - [`card_events`]: `card_events.csv`, suspend/bury/forget/mark, append-only.
//! - [`atomic`]: replacing a whole file without ever leaving half of it.

mod append;
pub mod atomic;
pub mod card_events;
pub mod config;
pub mod lock;
pub mod log;
pub mod quiz_log;
pub mod replay;

pub use atomic::write_atomically;
pub use config::{Config, LoadedConfig};
pub use lock::{DataLock, LockError};
pub use log::{LogWriter, Review, ReviewLog};
pub use card_events::{CardEvent, EventKind, EventLog, EventWriter};
pub use replay::{LeechRule, Progress, Status};
