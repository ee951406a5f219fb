//! recall's cache: each deck file's parsed cards, and the card states
//! replayed from the review log, kept between runs so that a start redoes
//! neither. It lives in the platform's cache dir (`RECALL_CACHE_DIR`
//! overrides it; `--no-cache` turns it off).
//!
//! The cache is an optimisation, never a source of truth. Every entry is
//! checked before use and any doubt means it is ignored and rebuilt:
//!
//! - an entry carries recall's version and [`FORMAT`], and a checksum of its
//!   body (a truncated or corrupt file fails it);
//! - a deck entry is keyed by the file's path, size, modification time and
//!   a hash of its whole content ([`deck`]);
//! - a progress entry is keyed by the log's path and identity (device and
//!   inode), the length and hash of the log's first whole lines, and the
//!   scheduler settings; a start hashes that prefix again and replays only
//!   the lines after it ([`progress`]);
//! - the home screen as last shown is keyed by a fingerprint of every file
//!   it was counted from ([`home`]).
//!
//! Entries are written to a temporary file and renamed into place, so a
//! reader sees a whole entry or none; nothing is synced, since the checksum
//! catches an entry a crash left half-written. A cache dir that cannot be
//! created, read or written makes recall slower, never wrong: the first such
//! problem is kept for one warning ([`Cache::take_warning`]).

mod deck;
mod entry;
pub mod home;
mod progress;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use directories::ProjectDirs;

pub use home::Fingerprint;
pub use progress::LoadedProgress;

/// The layout of cache entries; bump it when a cached type changes shape
/// (entries of another format or recall version are ignored).
pub const FORMAT: u32 = 2;

/// The cache of one run: where it is, if anywhere, and the first problem.
#[derive(Debug, Default)]
pub struct Cache {
    dir: Option<PathBuf>,
    warning: Mutex<Warning>,
}

/// The run's one warning: waiting to be given, and whether there was one.
#[derive(Debug, Default)]
struct Warning {
    pending: Option<String>,
    noted: bool,
}

impl Cache {
    /// The cache in `dir`; `None` turns it off.
    pub fn new(dir: Option<PathBuf>) -> Cache {
        Cache {
            dir,
            warning: Mutex::new(Warning::default()),
        }
    }

    /// No cache: every start parses and replays everything.
    pub fn disabled() -> Cache {
        Cache::new(None)
    }

    /// `--no-cache` turns it off; else `RECALL_CACHE_DIR` (given as
    /// `env_dir`) or the platform's cache dir, e.g. `~/.cache/recall`.
    pub fn resolve(no_cache: bool, env_dir: Option<PathBuf>) -> Cache {
        if no_cache {
            return Cache::disabled();
        }
        let dir = env_dir.or_else(|| {
            ProjectDirs::from("", "", "recall").map(|dirs| dirs.cache_dir().to_path_buf())
        });
        Cache::new(dir)
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The first problem met with the cache dir, once: the caller warns.
    pub fn take_warning(&self) -> Option<String> {
        self.warning.lock().ok().and_then(|mut w| w.pending.take())
    }

    /// Keeps the first problem (later ones add nothing a user could act on).
    fn note_problem(&self, what: &str, path: &Path, error: &std::io::Error) {
        if let Ok(mut warning) = self.warning.lock()
            && !warning.noted
        {
            warning.noted = true;
            warning.pending = Some(format!(
                "cannot {what} the cache {} ({error}); recall works without it, only slower to start (--no-cache turns it off)",
                path.display()
            ));
        }
    }

    /// The path of the entry for `source` in the sub-folder `kind`.
    fn entry_path(&self, kind: &str, source: &Path) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        let name = xxhash_rust::xxh3::xxh3_64(source.as_os_str().as_encoded_bytes());
        Some(dir.join(kind).join(format!("{name:016x}.bin")))
    }
}
