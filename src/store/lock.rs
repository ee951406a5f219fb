//! One writer per data directory: a session that writes (study, quiz with
//! recording, import) holds an exclusive lock on `<data dir>/lock` for as
//! long as it runs. Read-only commands never take it.
//!
//! The lock is an OS file lock (`File::try_lock`), so it is released when the
//! process ends, even by `kill -9`; a stale lock cannot outlive its holder.
//! The lock file itself is never deleted: deleting it would let two
//! processes each lock a different file of the same name.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// Held while a session may write to the data directory; dropping it unlocks.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{} is in use by another recall session", data_dir.display())]
    InUse { data_dir: PathBuf },
    #[error("cannot lock {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl DataLock {
    /// The name of the lock file inside the data directory.
    pub const FILE_NAME: &'static str = "lock";

    /// Takes the lock without waiting, creating the data directory if needed.
    pub fn acquire(data_dir: &Path) -> Result<DataLock, LockError> {
        let path = data_dir.join(Self::FILE_NAME);
        let io_error = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(data_dir).map_err(io_error)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_error)?;
        match file.try_lock() {
            Ok(()) => Ok(DataLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(LockError::InUse {
                data_dir: data_dir.to_path_buf(),
            }),
            Err(TryLockError::Error(source)) => Err(io_error(source)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataLock::acquire(dir.path()).unwrap();
        let second = DataLock::acquire(dir.path()).unwrap_err();
        assert_eq!(
            second.to_string(),
            format!(
                "{} is in use by another recall session",
                dir.path().display()
            )
        );
        drop(first);
        assert!(DataLock::acquire(dir.path()).is_ok());
    }
}
