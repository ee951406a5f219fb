//! The home screen as last shown, kept so that the next start can draw it at
//! once while the decks and the logs load behind it.
//!
//! The entry is keyed by a [`Fingerprint`] of everything the screen is
//! counted from: every deck file in the deck dir (path, size, modification
//! time and a hash of its content), every review and card-events log and
//! today's extra new cards (path, identity, length, hash of the content),
//! and the config file's content. The fingerprint is taken *before* those
//! files are read for the screen it keys, so a file that changes while
//! they are read makes the next start's fingerprint differ: the entry is
//! then not used, never a stale screen. What the screen itself says about
//! time (which counts hold until when) is the caller's to check.

use std::io::Read;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;
use xxhash_rust::xxh3::Xxh3;

use super::Cache;
use super::entry::{self, Entry};
use crate::store::{Layout, LogKind};

/// What the home screen is counted from, as three hashes: the deck files,
/// the logs, the config. Each is taken before that part is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    pub decks: u128,
    pub logs: u128,
    pub config: u128,
}

impl Fingerprint {
    /// All three parts; `None` if a file cannot be read (no snapshot then).
    /// The decks and the logs are hashed on two threads: together they
    /// are most of a large collection's bytes.
    pub fn take(deck_dir: &Path, data_dir: &Path, config: &Path) -> Option<Fingerprint> {
        let (decks, logs) = std::thread::scope(|scope| {
            let decks = scope.spawn(|| decks_hash(deck_dir));
            let logs = logs_hash(data_dir);
            (decks.join().ok().flatten(), logs)
        });
        Some(Fingerprint {
            decks: decks?,
            logs: logs?,
            config: config_hash(config)?,
        })
    }
}

/// Every `.toml` file in the deck dir, in name order: path, size, mtime
/// and content. A missing deck dir is an empty one.
pub fn decks_hash(deck_dir: &Path) -> Option<u128> {
    let mut hasher = Xxh3::new();
    let entries = match std::fs::read_dir(deck_dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Some(hasher.digest128());
        }
        Err(_) => return None,
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        hash_file(&mut hasher, &path)?;
    }
    Some(hasher.digest128())
}

/// Every review log, every card-events log and the extra new cards file.
pub fn logs_hash(data_dir: &Path) -> Option<u128> {
    let layout = Layout::new(data_dir);
    let mut hasher = Xxh3::new();
    for kind in [LogKind::Reviews, LogKind::CardEvents] {
        for path in layout.logs(kind).ok()? {
            hash_file(&mut hasher, &path)?;
        }
    }
    let extra = data_dir.join(crate::store::extra_new::FILE_NAME);
    match std::fs::symlink_metadata(&extra) {
        Ok(_) => hash_file(&mut hasher, &extra)?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => hasher.update(b"no extra"),
        Err(_) => return None,
    }
    Some(hasher.digest128())
}

/// The config file's content (an absent file is the defaults).
pub fn config_hash(path: &Path) -> Option<u128> {
    match std::fs::read(path) {
        Ok(bytes) => Some(xxhash_rust::xxh3::xxh3_128(&bytes)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Some(0),
        Err(_) => None,
    }
}

/// Adds a file's path, identity, size, mtime and whole content.
fn hash_file(hasher: &mut Xxh3, path: &Path) -> Option<()> {
    // Without blocking, regular files only: a FIFO must not hang the start.
    let mut file = crate::read_file::open_regular(path).ok()?;
    let meta = file.metadata().ok()?;
    hasher.update(path.as_os_str().as_encoded_bytes());
    hasher.update(&meta.len().to_le_bytes());
    if let Ok(modified) = meta.modified()
        && let Ok(since) = modified.duration_since(std::time::UNIX_EPOCH)
    {
        hasher.update(&since.as_nanos().to_le_bytes());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        hasher.update(&meta.dev().to_le_bytes());
        hasher.update(&meta.ino().to_le_bytes());
    }
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(read) => {
                hasher.update(&buf[..read]);
                total += read as u64;
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    // Grown or cut while it was read: the content hashed is no one state.
    (total == meta.len()).then_some(())
}

/// What a home entry is for: the data dir and what it held.
#[derive(Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct HomeKey {
    data_dir: String,
    fingerprint: Fingerprint,
}

impl Cache {
    /// The home screen kept for `data_dir` with exactly this fingerprint.
    pub fn load_home<T: DeserializeOwned>(
        &self,
        data_dir: &Path,
        fingerprint: &Fingerprint,
    ) -> Option<T> {
        let path = self.entry_path("home", data_dir)?;
        let entry = Entry::read(self, &path)?;
        let key = entry.header::<HomeKey>()?;
        (key.data_dir == data_dir.to_string_lossy() && key.fingerprint == *fingerprint)
            .then(|| entry.body::<T>())
            .flatten()
    }

    /// Keeps `screen` as the home screen of `data_dir` holding what
    /// `fingerprint` says.
    pub fn save_home<T: Serialize>(&self, data_dir: &Path, fingerprint: &Fingerprint, screen: &T) {
        let Some(path) = self.entry_path("home", data_dir) else {
            return;
        };
        let key = HomeKey {
            data_dir: data_dir.to_string_lossy().into_owned(),
            fingerprint: *fingerprint,
        };
        entry::write(self, &path, &key, screen);
    }
}

#[cfg(test)]
mod tests {
    use std::fs::File;

    use super::*;

    fn data_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("decks")).unwrap();
        std::fs::write(dir.path().join("decks/a.toml"), "[deck]\nname = \"A\"\n").unwrap();
        std::fs::write(
            dir.path().join("reviews.csv"),
            "reviewed_at,deck,card,rating,duration_ms\n",
        )
        .unwrap();
        dir
    }

    fn take(dir: &Path) -> Fingerprint {
        Fingerprint::take(&dir.join("decks"), dir, &dir.join("config.toml")).unwrap()
    }

    #[test]
    fn each_part_changes_with_what_it_covers_and_only_then() {
        let dir = data_dir();
        let first = take(dir.path());
        assert_eq!(take(dir.path()), first);

        // Same size, other content, mtime put back: the content hash sees it.
        let deck = dir.path().join("decks/a.toml");
        let mtime = std::fs::metadata(&deck).unwrap().modified().unwrap();
        std::fs::write(&deck, "[deck]\nname = \"B\"\n").unwrap();
        File::options()
            .write(true)
            .open(&deck)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let edited = take(dir.path());
        assert_ne!(edited.decks, first.decks);
        assert_eq!((edited.logs, edited.config), (first.logs, first.config));

        std::fs::write(dir.path().join("config.toml"), "desired_retention = 0.8\n").unwrap();
        let configured = take(dir.path());
        assert_ne!(configured.config, edited.config);
        assert_eq!(configured.logs, edited.logs);

        std::fs::write(
            dir.path().join(crate::store::extra_new::FILE_NAME),
            "anything",
        )
        .unwrap();
        let extra = take(dir.path());
        assert_ne!(extra.logs, configured.logs);
        assert_eq!(extra.decks, configured.decks);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_named_like_a_deck_gives_no_fingerprint_and_does_not_hang() {
        let dir = data_dir();
        let fifo = dir.path().join("decks/trap.toml");
        crate::read_file::tests::mkfifo(&fifo);
        // Opening a FIFO for reading blocks until a writer comes: this
        // returns at once only because it is opened without blocking.
        assert_eq!(decks_hash(&dir.path().join("decks")), None);
    }

    #[test]
    fn a_home_entry_is_found_only_under_its_fingerprint_and_data_dir() {
        let dir = data_dir();
        let cache = Cache::new(Some(dir.path().join("cache")));
        let print = take(dir.path());
        cache.save_home(dir.path(), &print, &vec![1u32, 2, 3]);
        assert_eq!(
            cache.load_home::<Vec<u32>>(dir.path(), &print),
            Some(vec![1, 2, 3])
        );
        let other = Fingerprint { logs: 1, ..print };
        assert_eq!(cache.load_home::<Vec<u32>>(dir.path(), &other), None);
        let elsewhere = tempfile::tempdir().unwrap();
        assert_eq!(cache.load_home::<Vec<u32>>(elsewhere.path(), &print), None);
        assert_eq!(
            Cache::disabled().load_home::<Vec<u32>>(dir.path(), &print),
            None
        );
    }
}
