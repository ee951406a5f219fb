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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_win() {
        let paths = Paths::resolve(Some("/tmp/d".into()), Some("/tmp/c.toml".into())).unwrap();
        assert_eq!(paths.data_dir, PathBuf::from("/tmp/d"));
        assert_eq!(paths.config_file, PathBuf::from("/tmp/c.toml"));
        assert_eq!(paths.deck_dir(), PathBuf::from("/tmp/d/decks"));
    }
}
