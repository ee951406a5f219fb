//! The cached replay of the review log: card states after the log's first
//! whole lines, so that a start reads and replays only the lines appended
//! since.
//!
//! The entry holds for a log while it is the same file (device and inode),
//! at least as long as the replayed prefix, with the same bytes there (its
//! xxh3-128 is computed again at every start), and while the scheduler
//! settings are the same. Anything else (the log replaced, cut, edited, a
//! setting changed, lines appended out of time order, a study day before
//! the remembered reviews) means a full replay, which rebuilds the entry.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::Cache;
use super::entry::{self, Entry};
use crate::day::StudyDay;
use crate::schedule::Settings;
use crate::store::log::{Interner, LogWarning, ReadFrom, ReviewLog, Start};
use crate::store::{Progress, replay::Replayed};

/// Appended lines a start replays before it rewrites the entry: fewer cost
/// less to replay (about 0.3 µs a line) than the entry does to write.
const REWRITE_AFTER_LINES: usize = 5_000;

/// What a progress entry is for.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct ProgressKey {
    log_path: String,
    identity: Option<(u64, u64)>,
    settings: u64,
    /// The replayed prefix: its length in bytes, its hash, its lines.
    prefix_len: u64,
    prefix_hash: u128,
    prefix_lines: usize,
}

/// What a progress entry holds.
#[derive(Debug, Deserialize)]
struct ProgressBody<'a> {
    #[serde(borrow)]
    keys: Vec<(&'a str, &'a str)>,
    warnings: Vec<LogWarning>,
    replayed: Replayed,
}

/// [`ProgressBody`] as written, from borrowed parts.
#[derive(Debug, Serialize)]
struct ProgressBodyRef<'a> {
    keys: Vec<(&'a str, &'a str)>,
    warnings: &'a [LogWarning],
    replayed: &'a Replayed,
}

/// The review log's replay, and what reading the log found wrong.
#[derive(Debug)]
pub struct LoadedProgress {
    pub progress: Progress,
    pub warnings: Vec<LogWarning>,
}

impl Cache {
    /// Replays the log at `log_path` with `settings` for the study `day`,
    /// resuming the cached replay where it holds. A missing log is empty.
    pub fn load_progress(
        &self,
        log_path: &Path,
        settings: &Settings,
        day: &StudyDay,
    ) -> std::io::Result<LoadedProgress> {
        let entry_path = self.entry_path("progress", log_path);
        let mut file = match File::open(log_path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let log = ReviewLog::default();
                return Ok(LoadedProgress {
                    progress: Progress::replay(&log, settings, day),
                    warnings: Vec::new(),
                });
            }
            Err(error) => return Err(error),
        };
        let Some(entry_path) = entry_path else {
            return full_replay(&mut file, settings, day);
        };
        let log_path_text = log_path.to_string_lossy().into_owned();
        let identity = identity(&file);
        let settings_hash = xxhash_rust::xxh3::xxh3_64(format!("{settings:?}").as_bytes());
        if let Some(entry) = Entry::read(self, &entry_path)
            && let Some(key) = entry.header::<ProgressKey>()
            && key.log_path == log_path_text
            && key.identity == identity
            && key.settings == settings_hash
            && let Some(loaded) = self.resume(&mut file, key, &entry, &entry_path, settings, day)?
        {
            return Ok(loaded);
        }
        // No usable entry: replay everything, and keep it for next time.
        file.seek(SeekFrom::Start(0))?;
        let mut hasher = Xxh3::new();
        let read = ReviewLog::read_from(&mut file, Start::default(), &mut |b| hasher.update(b))?;
        let replayed = Replayed::of_log(&read.log, settings);
        let key = ProgressKey {
            log_path: log_path_text,
            identity,
            settings: settings_hash,
            prefix_len: read.whole_lines_end,
            prefix_hash: hasher.digest128(),
            prefix_lines: read.lines,
        };
        write_entry(self, &entry_path, &key, read.log.interner(), read.log.warnings(), &replayed);
        Ok(LoadedProgress {
            progress: into_progress(replayed, &read.log, settings, day),
            warnings: read.log.warnings().to_vec(),
        })
    }
}

impl Cache {
/// Continues the cached replay in `entry` with the lines after its prefix,
/// rewriting the entry if many were appended; `None` if the entry does not
/// hold for this file.
fn resume(
    &self,
    file: &mut File,
    key: ProgressKey,
    entry: &Entry,
    entry_path: &Path,
    settings: &Settings,
    day: &StudyDay,
) -> std::io::Result<Option<LoadedProgress>> {
    if file.metadata()?.len() < key.prefix_len {
        return Ok(None);
    }
    let mut hasher = Xxh3::new();
    if !hash_prefix(file, key.prefix_len, &mut hasher)? || hasher.digest128() != key.prefix_hash {
        return Ok(None);
    }
    let Some(body) = entry.body::<ProgressBody>() else {
        return Ok(None);
    };
    let mut interner = Interner::default();
    for (deck, card) in &body.keys {
        if interner.intern(deck, card).is_err() {
            return Ok(None);
        }
    }
    let mut replayed = body.replayed;
    if interner.keys().len() != body.keys.len() || replayed.cards() != body.keys.len() {
        return Ok(None);
    }
    let start = Start {
        offset: key.prefix_len,
        lines: key.prefix_lines,
        keys: Arc::new(interner),
    };
    let mut read = ReviewLog::read_from(file, start, &mut |b| hasher.update(b))?;
    if !replayed.extend(read.log.interner(), read.log.entries(), settings) || !replayed.covers(day)
    {
        return Ok(None);
    }
    read.log.prepend_warnings(body.warnings);
    let ReadFrom { log, whole_lines_end, lines } = read;
    if lines - key.prefix_lines >= REWRITE_AFTER_LINES {
        let key = ProgressKey {
            prefix_len: whole_lines_end,
            prefix_hash: hasher.digest128(),
            prefix_lines: lines,
            ..key
        };
        write_entry(self, entry_path, &key, log.interner(), log.warnings(), &replayed);
    }
    Ok(Some(LoadedProgress {
        progress: replayed.into_progress(log.shared_keys(), day),
        warnings: log.warnings().to_vec(),
    }))
}
}

/// Hashes the first `len` bytes of `file` (from its start) into `hasher`;
/// `false` if the file ends before.
fn hash_prefix(file: &mut File, len: u64, hasher: &mut Xxh3) -> std::io::Result<bool> {
    let mut buf = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
        let read = match file.read(&mut buf[..want]) {
            Ok(0) => return Ok(false),
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        hasher.update(&buf[..read]);
        left -= read as u64;
    }
    Ok(true)
}

fn full_replay(
    file: &mut File,
    settings: &Settings,
    day: &StudyDay,
) -> std::io::Result<LoadedProgress> {
    let read = ReviewLog::read_from(file, Start::default(), &mut |_| {})?;
    Ok(LoadedProgress {
        progress: Progress::replay(&read.log, settings, day),
        warnings: read.log.warnings().to_vec(),
    })
}

/// The progress for `day` from a full replay (which may need the whole log
/// for a day long before its last review).
fn into_progress(
    replayed: Replayed,
    log: &ReviewLog,
    settings: &Settings,
    day: &StudyDay,
) -> Progress {
    if replayed.covers(day) {
        replayed.into_progress(log.shared_keys(), day)
    } else {
        Progress::replay(log, settings, day)
    }
}

/// The warnings about whole lines: a torn last line is not in the prefix
/// the entry covers (it is read again, as part of what follows).
fn whole_line_warnings(warnings: &[LogWarning]) -> Vec<LogWarning> {
    warnings
        .iter()
        .filter(|w| !matches!(w, LogWarning::TornTail { .. }))
        .cloned()
        .collect()
}

fn write_entry(
    cache: &Cache,
    path: &Path,
    key: &ProgressKey,
    keys: &Interner,
    warnings: &[LogWarning],
    replayed: &Replayed,
) {
    let warnings = whole_line_warnings(warnings);
    let body = ProgressBodyRef {
        keys: keys
            .keys()
            .iter()
            .map(|k| (k.deck.as_str(), k.card.as_str()))
            .collect(),
        warnings: &warnings,
        replayed,
    };
    entry::write(cache, path, key, &body);
}

/// The log file's identity: a file renamed over it is another log.
#[cfg(unix)]
fn identity(file: &File) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    file.metadata().ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_file: &File) -> Option<(u64, u64)> {
    None
}
