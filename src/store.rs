//! The data directory: what recall writes and how it keeps it safe.
//!
//! - [`log`]: the review log, `reviews.csv`, append-only: the source of truth.
//! - [`replay`]: card states rebuilt from the log through the scheduler.
//! - [`config`]: `config.toml`, the settings.
//! - [`lock`]: one writing session at a time per data directory.
//! - [`quiz_log`]: `quizzes.csv`, the scores of finished quizzes.
//! - [`atomic`]: replacing a whole file without ever leaving half of it.
//! - [`append`]: the one way a line is added to a log; [`fault`] makes it
//!   fail on demand in tests.

pub mod append;
pub mod atomic;
pub mod config;
pub mod fault;
pub mod lock;
pub mod log;
pub mod quiz_log;
pub mod replay;

pub use atomic::write_atomically;
pub use config::{Config, LoadedConfig};
pub use lock::{DataLock, LockError};
pub use log::{LogWriter, Review, ReviewLog};
pub use replay::Progress;
