//! Where each log lives in the data dir: one folder per device, so that
//! every file has exactly one writer and copies of the data dir on several
//! machines merge without conflict.
//!
//! ```text
//! <data dir>/log/<device>/reviews.csv    this device's reviews (appended only here)
//! <data dir>/log/<device>/quizzes.csv    this device's quiz scores
//! <data dir>/log/<device>/card_events.csv  this device's suspend/bury/forget/mark
//! <data dir>/log/<other>/…               other devices' logs: read, never written
//! <data dir>/reviews.csv, quizzes.csv    the single-file logs of older recall: read
//!                                        as one more log, never written or moved
//! ```
//!
//! Readers take the union of every file of a kind ([`Layout::logs`]).

use std::path::{Path, PathBuf};

use super::device::DeviceId;

/// The folder inside the data dir that holds one folder per device.
pub const LOG_DIR: &str = "log";

/// The kinds of append-only log recall keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    Reviews,
    Quizzes,
    /// Suspend, bury, forget, mark.
    CardEvents,
}

impl LogKind {
    /// The file's name, in a device folder and (for older data) at the top.
    pub fn file_name(self) -> &'static str {
        match self {
            LogKind::Reviews => super::log::FILE_NAME,
            LogKind::Quizzes => super::quiz_log::FILE_NAME,
            LogKind::CardEvents => super::card_events::FILE_NAME,
        }
    }
}

/// The data dir's log files, as seen from one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    data_dir: PathBuf,
}

impl Layout {
    pub fn new(data_dir: &Path) -> Layout {
        Layout {
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// The file this device appends to.
    pub fn own_log(&self, device: &DeviceId, kind: LogKind) -> PathBuf {
        self.data_dir
            .join(LOG_DIR)
            .join(device.as_str())
            .join(kind.file_name())
    }

    /// The single-file log of older versions, at the top of the data dir.
    pub fn legacy_log(&self, kind: LogKind) -> PathBuf {
        self.data_dir.join(kind.file_name())
    }

    /// Every file of `kind` that exists: the legacy one first, then each
    /// device's, by device name. The order only matters for the order
    /// warnings are printed in: readers merge by content, not position.
    ///
    /// Folders whose names are not device ids (a sync tool's `.stversions`,
    /// a conflict copy `laptop.sync-conflict-…`) are passed over, so a copy
    /// made by a sync tool is never counted twice.
    pub fn logs(&self, kind: LogKind) -> std::io::Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        let legacy = self.legacy_log(kind);
        if is_there(&legacy) {
            files.push(legacy);
        }
        let dir = self.data_dir.join(LOG_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(files),
            Err(error) => return Err(error),
        };
        let mut devices = Vec::new();
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if DeviceId::new(name).is_err() {
                continue;
            }
            if !entry.path().is_dir() {
                continue;
            }
            let file = entry.path().join(kind.file_name());
            if is_there(&file) {
                devices.push((name.to_owned(), file));
            }
        }
        devices.sort();
        files.extend(devices.into_iter().map(|(_, file)| file));
        Ok(files)
    }
}

/// Whether something is at `path`: a log that is there but cannot be read
/// (a directory, no permission, a dangling link) is listed, so reading it
/// fails with its name and cause instead of the log counting as empty.
fn is_there(path: &Path) -> bool {
    !matches!(
        std::fs::symlink_metadata(path),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_log_dir_is_no_logs_but_an_unreadable_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        assert_eq!(
            layout.logs(LogKind::Reviews).unwrap(),
            Vec::<PathBuf>::new()
        );
        // A file where the log dir should be: not "no other device".
        std::fs::write(dir.path().join(LOG_DIR), "not a dir").unwrap();
        assert!(layout.logs(LogKind::Reviews).is_err());
    }

    #[test]
    fn lists_legacy_then_devices_in_name_order_and_skips_strangers() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let touch = |rel: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        };
        assert!(layout.logs(LogKind::Reviews).unwrap().is_empty());
        touch("log/desk/reviews.csv");
        touch("log/b-laptop/reviews.csv");
        touch("log/b-laptop/quizzes.csv");
        touch("log/.stversions/reviews.csv");
        touch("log/Desk.sync-conflict-1/reviews.csv");
        touch("reviews.csv");
        touch("log/notes"); // a file where a device folder would be
        std::fs::create_dir_all(dir.path().join("log/spare")).unwrap(); // no logs
        let names: Vec<String> = layout
            .logs(LogKind::Reviews)
            .unwrap()
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "reviews.csv",
                "log/b-laptop/reviews.csv",
                "log/desk/reviews.csv"
            ]
        );
        assert_eq!(layout.logs(LogKind::Quizzes).unwrap().len(), 1);
        // A log that is there but is no file is listed, so reading it fails.
        std::fs::create_dir_all(dir.path().join("log/c-tablet/reviews.csv")).unwrap();
        std::os::unix::fs::symlink("gone", dir.path().join("log/spare/reviews.csv")).unwrap();
        let listed = layout.logs(LogKind::Reviews).unwrap();
        assert!(listed.contains(&dir.path().join("log/c-tablet/reviews.csv")));
        assert!(listed.contains(&dir.path().join("log/spare/reviews.csv")));
        let desk = DeviceId::new("desk").unwrap();
        assert_eq!(
            layout.own_log(&desk, LogKind::Quizzes),
            dir.path().join("log/desk/quizzes.csv")
        );
    }
}
