//! The data directory: what recall writes and how it keeps it safe.
//!
//! - [`lock`]: one writing session at a time per data directory.
//! - [`atomic`]: replacing a whole file without ever leaving half of it.

pub mod atomic;
pub mod lock;

pub use atomic::write_atomically;
pub use lock::{DataLock, LockError};
