//! The cached replay of the review logs: card states after the logs' first
//! whole lines, so that a start reads and replays only the lines appended
//! since.
//!
//! The entry holds while the data dir has the same review log files (the
//! legacy `reviews.csv` and each device's), each the same file (device and
//! inode), at least as long as its replayed prefix and with the same bytes
//! there (their xxh3-128 is computed again at every start), and while the
//! scheduler settings are the same. Appended reviews must all be later than
//! the last one replayed (so merging and de-duplicating them with the rest
//! gives what a full replay gives). Anything else (a log replaced, cut,
//! edited, added, a setting changed, a study day before the remembered
//! reviews) means a full replay, which rebuilds the entry.
//!
//! The card events (`card_events.csv`) are replayed with the reviews, so
//! the entry also holds only while every card-events file has the same
//! length and bytes (and the leech rule is the same): events are few and
//! rare, so any change to them means a full replay. Reviews appended since
//! must also be later than the last event replayed.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::Cache;
use super::entry::{self, Entry};
use crate::day::StudyDay;
use crate::store::LeechRule;
use crate::store::card_events::EventLogWarning;
use crate::store::config::DeckSettings;
use crate::store::log::{Interner, LogWarning, ReadFrom, ReviewLog, Start};
use crate::store::{Layout, LoadError, LogKind, Progress, replay::Replayed};

/// Appended lines a start replays before it rewrites the entry: fewer cost
/// less to replay (about 0.3 µs a line) than the entry does to write.
const REWRITE_AFTER_LINES: usize = 5_000;

/// One log file's replayed prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FilePrefix {
    path: String,
    identity: Option<(u64, u64)>,
    len: u64,
    hash: u128,
    lines: usize,
}

/// What a progress entry is for.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct ProgressKey {
    settings: u64,
    files: Vec<FilePrefix>,
    /// Each card-events file: path, length and xxh3-128 of all of it.
    events: Vec<(String, u64, u128)>,
}

/// What a progress entry holds.
#[derive(Debug, Deserialize)]
struct ProgressBody<'a> {
    #[serde(borrow, deserialize_with = "crate::exact_vec::deserialize")]
    keys: Vec<(&'a str, &'a str)>,
    /// Each file's warnings about its prefix, by file (as in the key).
    warnings: Vec<Vec<LogWarning>>,
    replayed: Replayed,
}

/// [`ProgressBody`] as written, from borrowed parts.
#[derive(Debug, Serialize)]
struct ProgressBodyRef<'a> {
    keys: Vec<(&'a str, &'a str)>,
    warnings: Vec<Vec<LogWarning>>,
    replayed: &'a Replayed,
}

/// The review logs' replay, and what reading them found wrong.
#[derive(Debug)]
pub struct LoadedProgress {
    pub progress: Progress,
    /// Each file's skipped lines, in the order of [`Layout::logs`].
    pub warnings: Vec<(PathBuf, LogWarning)>,
    /// The card-events files' skipped lines.
    pub event_warnings: Vec<(PathBuf, EventLogWarning)>,
}

/// One log file as read this time.
struct FileRead {
    path: PathBuf,
    prefix: FilePrefix,
    warnings: Vec<LogWarning>,
}

impl Cache {
    /// Replays every review log in `data_dir` with `settings` for the study
    /// `day`, resuming the cached replay where it holds.
    pub fn load_progress(
        &self,
        data_dir: &Path,
        settings: &DeckSettings,
        leech: LeechRule,
        day: &StudyDay,
    ) -> Result<LoadedProgress, LoadError> {
        let paths = Layout::new(data_dir)
            .logs(LogKind::Reviews)
            .map_err(|source| LoadError {
                path: data_dir.join(crate::store::layout::LOG_DIR),
                source,
            })?;
        let entry_path = self.entry_path("progress", data_dir);
        let settings_hash =
            xxhash_rust::xxh3::xxh3_64(format!("{settings:?} {leech:?}").as_bytes());
        // Hashed before they are read: an event appended in between makes
        // the next start's key differ (a full replay), never a stale answer.
        let events_key = events_key(data_dir)?;
        let mut event_warnings = Vec::new();
        let events = crate::store::load_card_events(data_dir, &mut |path, warning| {
            event_warnings.push((path.to_path_buf(), warning.clone()));
        })?
        .events;
        let mut files = Vec::with_capacity(paths.len());
        for path in &paths {
            let file = crate::read_file::open_regular(path).map_err(|source| LoadError {
                path: path.clone(),
                source,
            })?;
            files.push(file);
        }
        if let Some(entry_path) = &entry_path
            && let Some(entry) = Entry::read(self, entry_path)
            && let Some(key) = entry.header::<ProgressKey>()
            && key.settings == settings_hash
            && key.files.len() == paths.len()
            && key.events == events_key
        {
            let resumed = self.resume(
                &mut files, &paths, key, &entry, entry_path, settings, leech, day,
            );
            if let Some(mut loaded) = resumed? {
                #[cfg(test)]
                RESUMES.set(RESUMES.get() + 1);
                loaded.event_warnings = event_warnings;
                return Ok(loaded);
            }
        }
        // No usable entry: replay everything, and keep it for next time.
        let mut reads = Vec::with_capacity(paths.len());
        let mut logs = Vec::with_capacity(paths.len());
        for (path, file) in paths.iter().zip(&mut files) {
            let io = |source| LoadError {
                path: path.clone(),
                source,
            };
            std::io::Seek::rewind(file).map_err(io)?;
            let mut hasher = Xxh3::new();
            let size = file.metadata().map_err(io)?.len();
            let read =
                ReviewLog::read_from(file, size, Start::default(), &mut |b| hasher.update(b))
                    .map_err(io)?;
            reads.push(FileRead {
                path: path.clone(),
                prefix: FilePrefix {
                    path: path.to_string_lossy().into_owned(),
                    identity: identity(file),
                    len: read.whole_lines_end,
                    hash: hasher.digest128(),
                    lines: read.lines,
                },
                warnings: read.log.warnings().to_vec(),
            });
            logs.push(read.log);
        }
        let log = ReviewLog::merge(logs);
        let replayed = Replayed::of_log(&log, &events, settings, leech);
        if let Some(entry_path) = &entry_path {
            write_entry(
                self,
                entry_path,
                settings_hash,
                &events_key,
                &reads,
                log.interner(),
                &replayed,
            );
        }
        let progress = Progress::of_replayed(replayed, &log, &events, settings, leech, day);
        Ok(LoadedProgress {
            progress,
            warnings: all_warnings(reads),
            event_warnings,
        })
    }

    /// Continues the cached replay in `entry` with the lines after each
    /// file's prefix, rewriting the entry if many were appended; `None` if
    /// the entry does not hold for these files.
    #[allow(clippy::too_many_arguments)]
    fn resume(
        &self,
        files: &mut [File],
        paths: &[PathBuf],
        key: ProgressKey,
        entry: &Entry,
        entry_path: &Path,
        settings: &DeckSettings,
        leech: LeechRule,
        day: &StudyDay,
    ) -> Result<Option<LoadedProgress>, LoadError> {
        let mut hashers = Vec::with_capacity(files.len());
        for ((file, path), prefix) in files.iter_mut().zip(paths).zip(&key.files) {
            let io = |source| LoadError {
                path: path.clone(),
                source,
            };
            if prefix.path != path.to_string_lossy() || prefix.identity != identity(file) {
                return Ok(None);
            }
            if file.metadata().map_err(io)?.len() < prefix.len {
                return Ok(None);
            }
            let mut hasher = Xxh3::new();
            if !hash_prefix(file, prefix.len, &mut hasher).map_err(io)?
                || hasher.digest128() != prefix.hash
            {
                return Ok(None);
            }
            hashers.push(hasher);
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
        let known = body.keys.len();
        if interner.keys().len() != known
            || replayed.cards() != known
            || body.warnings.len() != files.len()
        {
            return Ok(None);
        }
        let interner = Arc::new(interner);
        let mut reads = Vec::with_capacity(files.len());
        let mut tails = Vec::with_capacity(files.len());
        let mut appended = 0;
        let prefixes = key.files.into_iter().zip(body.warnings);
        for (((file, path), (prefix, mut warnings)), mut hasher) in
            files.iter_mut().zip(paths).zip(prefixes).zip(hashers)
        {
            let start = Start {
                offset: prefix.len,
                lines: prefix.lines,
                keys: Arc::clone(&interner),
            };
            let io = |source| LoadError {
                path: path.clone(),
                source,
            };
            let size = file.metadata().map_err(io)?.len();
            let read: ReadFrom =
                ReviewLog::read_from(file, size, start, &mut |b| hasher.update(b)).map_err(io)?;
            appended += read.lines - prefix.lines;
            warnings.extend(read.log.warnings().iter().cloned());
            reads.push(FileRead {
                path: path.clone(),
                prefix: FilePrefix {
                    len: read.whole_lines_end,
                    hash: hasher.digest128(),
                    lines: read.lines,
                    ..prefix
                },
                warnings,
            });
            tails.push(read.log);
        }
        drop(interner);
        let tail = ReviewLog::merge(tails);
        let keys = tail.interner();
        // The first file's keys began as the cached ones, so they keep
        // their indices; merging only adds keys after them.
        if keys.keys().len() < known
            || !replayed.extend(keys, tail.entries(), settings, leech)
            || !replayed.covers(day)
        {
            return Ok(None);
        }
        if appended >= REWRITE_AFTER_LINES {
            write_entry(
                self,
                entry_path,
                key.settings,
                &key.events,
                &reads,
                keys,
                &replayed,
            );
        }
        Ok(Some(LoadedProgress {
            progress: replayed.into_progress(tail.shared_keys(), day),
            warnings: all_warnings(reads),
            event_warnings: Vec::new(),
        }))
    }
}

/// Every file's warnings, file by file.
fn all_warnings(reads: Vec<FileRead>) -> Vec<(PathBuf, LogWarning)> {
    reads
        .into_iter()
        .flat_map(|read| {
            let path = read.path;
            read.warnings.into_iter().map(move |w| (path.clone(), w))
        })
        .collect()
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

/// The warnings about whole lines: a torn last line is not in the prefix
/// the entry covers (it is read again, as part of what follows).
fn whole_line_warnings(warnings: &[LogWarning]) -> Vec<LogWarning> {
    warnings
        .iter()
        .filter(|w| !matches!(w, LogWarning::TornTail { .. }))
        .cloned()
        .collect()
}

/// Each card-events file's path, length and hash, as the key holds them.
fn events_key(data_dir: &Path) -> Result<Vec<(String, u64, u128)>, LoadError> {
    let paths = Layout::new(data_dir)
        .logs(LogKind::CardEvents)
        .map_err(|source| LoadError {
            path: data_dir.join(crate::store::layout::LOG_DIR),
            source,
        })?;
    let mut key = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes = match crate::read_file::read_regular_all(&path) {
            Ok(bytes) => bytes,
            // Gone since listed: the events read next will not have it
            // either, and the key says so.
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(LoadError { path, source }),
        };
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        key.push((
            path.to_string_lossy().into_owned(),
            bytes.len() as u64,
            hash,
        ));
    }
    Ok(key)
}

#[allow(clippy::too_many_arguments)]
fn write_entry(
    cache: &Cache,
    path: &Path,
    settings: u64,
    events: &[(String, u64, u128)],
    reads: &[FileRead],
    keys: &Interner,
    replayed: &Replayed,
) {
    let key = ProgressKey {
        settings,
        files: reads.iter().map(|read| read.prefix.clone()).collect(),
        events: events.to_vec(),
    };
    let body = ProgressBodyRef {
        keys: keys
            .keys()
            .iter()
            .map(|k| (k.deck.as_str(), k.card.as_str()))
            .collect(),
        warnings: reads
            .iter()
            .map(|read| whole_line_warnings(&read.warnings))
            .collect(),
        replayed,
    };
    entry::write(cache, path, &key, &body);
}

/// A log file's identity: a file renamed over it is another log.
#[cfg(unix)]
fn identity(file: &File) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    file.metadata().ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_file: &File) -> Option<(u64, u64)> {
    None
}

#[cfg(test)]
thread_local! {
    /// Loads this thread answered by resuming a cached replay.
    static RESUMES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::CardKey;
    use crate::store::config::Config;
    use crate::store::log::HEADER;

    /// Loads the log `first` (with the card events `events`), then again
    /// with `appended` added: whether the second load resumed the cached
    /// replay, and that it gave a full replay's answer for each card
    /// either way.
    fn load_appended(first: &[&str], events: &[&str], appended: &[&str]) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let log = data.join("reviews.csv");
        let lines = |lines: &[&str]| lines.iter().map(|l| format!("{l}\n")).collect::<String>();
        std::fs::write(&log, format!("{HEADER}\n{}", lines(first))).unwrap();
        let events_file = data.join(crate::store::card_events::FILE_NAME);
        let events_header = crate::store::card_events::HEADER;
        std::fs::write(&events_file, format!("{events_header}\n{}", lines(events))).unwrap();
        let config = Config::default();
        let day = StudyDay::containing("2026-11-25T09:00:00Z".parse().unwrap(), 4, &chrono::Utc);
        let load = |cache: &Cache| {
            cache
                .load_progress(&data, &config.deck_settings(), config.leech, &day)
                .unwrap()
        };
        let cache = Cache::new(Some(dir.path().join("cache")));
        load(&cache);
        let mut file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        std::io::Write::write_all(&mut file, lines(appended).as_bytes()).unwrap();
        drop(file);

        let before = RESUMES.get();
        let second = load(&cache);
        let resumed = RESUMES.get() - before == 1;
        let full = load(&Cache::disabled());
        for card in ["d/a", "d/b", "d/c"] {
            let key: CardKey = card.parse().unwrap();
            let status = second.progress.status(&key);
            assert_eq!(
                status,
                full.progress.status(&key),
                "{card} after {appended:?}"
            );
        }
        resumed
    }

    /// Reviews appended after a cached replay, all later than it, continue
    /// it: read from where it ended with its card keys (old keys keep their
    /// indices, new ones follow). A review at or before the last one
    /// replayed (as a synced log brings) replays everything, for the merged
    /// order and its duplicates.
    #[test]
    fn only_reviews_appended_in_order_after_the_cached_ones_resume_it() {
        let review = |second: u32, card: &str, rating: u8| {
            format!("2026-11-25T05:00:{second:02}.000Z,d,{card},{rating},1000")
        };
        let first = [review(0, "a", 3), review(1, "b", 3)];
        let first: Vec<&str> = first.iter().map(String::as_str).collect();
        let cases = [
            (vec![review(2, "b", 1), review(3, "c", 4)], true),
            (vec![review(1, "b", 3)], false),
            (vec![review(1, "c", 3)], false),
            (vec![review(0, "c", 3)], false),
            // Sorted as they are read, so still after the cached ones.
            (vec![review(5, "c", 3), review(4, "a", 1)], true),
        ];
        for (appended, resumes) in cases {
            let appended: Vec<&str> = appended.iter().map(String::as_str).collect();
            assert_eq!(
                load_appended(&first, &[], &appended),
                resumes,
                "{appended:?}"
            );
        }
    }

    /// A card suspended before its first review keeps its status when that
    /// review comes in a resumed replay, and only that card gets it.
    #[test]
    fn a_card_suspended_before_its_first_review_stays_suspended_on_resume() {
        let first = ["2026-11-20T09:00:00.000Z,d,a,3,1000"];
        let events = ["2026-11-20T09:00:01.000Z,d,b,suspend"];
        let appended = [
            "2026-11-20T09:00:02.000Z,d,c,3,1000",
            "2026-11-20T09:00:03.000Z,d,b,3,1000",
        ];
        assert!(load_appended(&first, &events, &appended));
    }
}
