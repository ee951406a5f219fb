//! One writer per data directory: a session that writes (study, quiz with
//! recording, import) holds an exclusive lock on `<data dir>/lock` for as
//! long as it runs. Read-only commands never take it.
//!
//! The lock is an OS file lock (`File::try_lock`), so it is released when the
//! process ends, even by `kill -9`; a stale lock cannot outlive its holder.
//! Taking the lock also removes the temp files (`.recall-*.tmp`) that a
//! recall killed mid-write left in the data and deck directories.
//!
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
        super::atomic::create_dir_all_synced(data_dir).map_err(io_error)?;
        let existed = path.exists();
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_error)?;
        if !existed {
            super::atomic::sync_parent(&path).map_err(io_error)?;
        }
        match file.try_lock() {
            Ok(()) => {
                for dir in [data_dir.to_path_buf(), data_dir.join("decks")] {
                    super::atomic::remove_stale_temp_files(&dir);
                }
                Ok(DataLock { _file: file })
            }
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

    #[test]
    fn defect_16_taking_the_lock_removes_temp_files_a_killed_import_left() {
        let dir = tempfile::tempdir().unwrap();
        let decks = dir.path().join("decks");
        std::fs::create_dir_all(&decks).unwrap();
        std::fs::write(decks.join(".recall-abc123.tmp"), "half a deck").unwrap();
        std::fs::write(dir.path().join(".recall-x.tmp"), "x").unwrap();
        std::fs::write(decks.join("kept.toml"), "name = \"k\"").unwrap();
        std::fs::write(decks.join(".recall-notes.txt"), "not ours").unwrap();
        // Only regular files are ours: a link or a directory named like
        // one is left alone.
        std::os::unix::fs::symlink("kept.toml", decks.join(".recall-link.tmp")).unwrap();
        std::fs::create_dir(decks.join(".recall-dir.tmp")).unwrap();
        let _lock = DataLock::acquire(dir.path()).unwrap();
        let mut names: Vec<_> = std::fs::read_dir(&decks)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".recall-dir.tmp",
                ".recall-link.tmp",
                ".recall-notes.txt",
                "kept.toml"
            ]
        );
        assert!(!dir.path().join(".recall-x.tmp").exists());
    }
}
