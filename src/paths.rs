//! Where recall keeps things: the data directory (review log, user decks) and
//! the config file. XDG locations by default, overridable by flag or env var.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// The resolved locations for this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Holds `reviews.csv`, `quizzes.csv`, the lock file and `decks/`.
    pub data_dir: PathBuf,
    /// `config.toml`; it need not exist.
    pub config_file: PathBuf,
    /// The device id given by `--device` / `RECALL_DEVICE`, if any; else it
    /// is kept in [`Paths::device_file`].
    pub device: Option<String>,
}

/// No home directory to put the defaults in, and no override given.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot find a home directory for recall's data; set --data-dir and --config (or RECALL_DATA_DIR and RECALL_CONFIG)"
)]
pub struct NoHomeDir;

impl Paths {
    /// Uses the overrides where given (flags, or their env vars via clap),
    /// else the platform's directories, e.g. `~/.local/share/recall` and
    /// `~/.config/recall/config.toml` on Linux.
    pub fn resolve(
        data_dir: Option<PathBuf>,
        config_file: Option<PathBuf>,
        device: Option<String>,
    ) -> Result<Self, NoHomeDir> {
        let dirs = || ProjectDirs::from("", "", "recall").ok_or(NoHomeDir);
        let data_dir = match data_dir {
            Some(dir) => dir,
            None => dirs()?.data_dir().to_path_buf(),
        };
        let config_file = match config_file {
            Some(file) => file,
            None => dirs()?.config_dir().join("config.toml"),
        };
        Ok(Self {
            data_dir,
            config_file,
            device,
        })
    }

    /// The user's own decks: every `*.toml` here is loaded.
    pub fn deck_dir(&self) -> PathBuf {
        self.data_dir.join("decks")
    }

    pub fn data_file(&self, name: &str) -> PathBuf {
        self.data_dir.join(name)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Where this installation's device id is kept: beside the config file,
    /// outside the data dir that is shared between machines.
    pub fn device_file(&self) -> PathBuf {
        let dir = self.config_file.parent().unwrap_or(Path::new("."));
        dir.join(crate::store::device::FILE_NAME)
    }

    /// This installation's device id (generated and stored on first use).
    pub fn device(&self) -> Result<crate::store::DeviceId, crate::store::device::DeviceError> {
        crate::store::DeviceId::resolve(self.device.as_deref(), &self.device_file())
    }

    /// The log file of `kind` this device appends to.
    pub fn own_log(
        &self,
        kind: crate::store::LogKind,
    ) -> Result<PathBuf, crate::store::device::DeviceError> {
        Ok(crate::store::Layout::new(&self.data_dir).own_log(&self.device()?, kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_win() {
        let paths =
            Paths::resolve(Some("/tmp/d".into()), Some("/tmp/c.toml".into()), None).unwrap();
        assert_eq!(paths.data_dir, PathBuf::from("/tmp/d"));
        assert_eq!(paths.config_file, PathBuf::from("/tmp/c.toml"));
        assert_eq!(paths.deck_dir(), PathBuf::from("/tmp/d/decks"));
        assert_eq!(paths.device_file(), PathBuf::from("/tmp/device"));
    }
}
