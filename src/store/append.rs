//! The one way recall adds to its CSV logs (`reviews.csv`, `quizzes.csv`).
//!
//! Every append, in this order:
//! 1. checks that the path still names the file this writer holds (an
//!    editor, a sync tool or `export` may have replaced it by rename; writing
//!    on would go into a deleted file);
//! 2. measures the file afresh (never a cached length) and repairs its end:
//!    a last line without its newline is completed if it is a whole record,
//!    else it is copied to `<log>.torn` and cut off, so bytes a user wrote
//!    are never lost and a new line is never glued to a fragment;
//! 3. writes the header (only into an empty file) and the line in one write,
//!    then syncs; a long batch of lines ([`Appender::append_chunked`]) is
//!    written a chunk of whole lines at a time and synced once, after the
//!    last;
//! 4. if a write or the sync fails (or a later chunk of a batch is
//!    refused), cuts the file back to the length it had before step 3 and
//!    syncs again, so a retry cannot duplicate the line. If even that fails
//!    the writer refuses every later append: the next run repairs the end
//!    as in step 2.
//!
//! The file is reached through [`LogFile`], so tests can make any step fail
//! (see [`super::fault`]).

use std::fmt;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Which file a path names: device and inode on Unix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    /// The id of the file `meta` describes; `None` where the platform has none.
    pub fn of(meta: &Metadata) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId {
                dev: meta.dev(),
                ino: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

/// What an append needs of an open log file. [`File`] is the real one;
/// [`super::fault::FaultyFile`] fails on demand.
pub trait LogFile: fmt::Debug + Send {
    /// The file's current length, asked of the file system.
    fn file_len(&self) -> std::io::Result<u64>;
    /// Fills `buf` from `offset`.
    fn read_exact_at(&mut self, offset: u64, buf: &mut [u8]) -> std::io::Result<()>;
    /// One `write` at the end of the file; may write only part of `bytes`.
    fn write_at_end(&mut self, bytes: &[u8]) -> std::io::Result<usize>;
    /// `fdatasync`.
    fn sync(&mut self) -> std::io::Result<()>;
    fn set_len(&mut self, len: u64) -> std::io::Result<()>;
    /// Which file this is (to compare with what the path names now).
    fn id(&self) -> std::io::Result<Option<FileId>>;
}

impl LogFile for File {
    fn file_len(&self) -> std::io::Result<u64> {
        Ok(self.metadata()?.len())
    }

    fn read_exact_at(&mut self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        self.seek(SeekFrom::Start(offset))?;
        self.read_exact(buf)
    }

    fn write_at_end(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        // Opened for appending: every write goes to the end.
        self.write(bytes)
    }

    fn sync(&mut self) -> std::io::Result<()> {
        self.sync_data()?;
        #[cfg(test)]
        FILE_SYNCS.set(FILE_SYNCS.get() + 1);
        Ok(())
    }

    fn set_len(&mut self, len: u64) -> std::io::Result<()> {
        File::set_len(self, len)
    }

    fn id(&self) -> std::io::Result<Option<FileId>> {
        Ok(FileId::of(&self.metadata()?))
    }
}

/// Opens (creating it if needed) a log for appending and reading.
pub(super) fn open(path: &Path) -> std::io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok(file)
}

/// Why an append did not happen. Each message holds its cause (there is
/// no `source`), so it reads whole wherever it is printed.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// The path names another file now (or none).
    #[error(
        "{} was replaced or removed by another program; nothing was written. Restart the session",
        path.display()
    )]
    Replaced { path: PathBuf },
    /// The line is not one the reader would accept; nothing was written.
    #[error("{reason}; nothing was written")]
    Unreadable { reason: String },
    /// Something failed before or while writing, and the file was put back
    /// as it was: nothing was saved.
    #[error("{stage} failed ({error}); the file was put back as it was, nothing was saved")]
    NothingSaved {
        stage: &'static str,
        error: std::io::Error,
    },
    /// The write or sync failed and the file could not be put back: its
    /// end may hold part of the line. Further appends are refused.
    #[error(
        "{stage} failed ({error}) and the file could not be put back ({cleanup}); the line may be partly written. Restart recall: it repairs the end of the log first"
    )]
    Uncertain {
        stage: &'static str,
        cleanup: std::io::Error,
        error: std::io::Error,
    },
    /// A previous append left the file in doubt.
    #[error(
        "an earlier write failed and could not be undone; nothing more is written until recall is restarted"
    )]
    Poisoned,
}

/// Appends to one log file, one whole line at a time (see the module doc).
#[derive(Debug)]
pub struct Appender {
    file: Box<dyn LogFile>,
    path: PathBuf,
    /// The file as opened; the path must still name it.
    id: Option<FileId>,
    header: &'static str,
    /// Whether a line (without its newline) is a record the reader accepts.
    is_record: fn(&str) -> bool,
    poisoned: bool,
}

impl Appender {
    pub fn new(
        file: Box<dyn LogFile>,
        path: &Path,
        header: &'static str,
        is_record: fn(&str) -> bool,
    ) -> std::io::Result<Appender> {
        let id = file.id()?;
        Ok(Appender {
            file,
            path: path.to_path_buf(),
            id,
            header,
            is_record,
            poisoned: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's length now.
    pub fn file_len(&self) -> std::io::Result<u64> {
        self.file.file_len()
    }

    /// Fails unless the path still names the file this appender holds.
    pub fn check_same_file(&self) -> Result<(), AppendError> {
        let Some(id) = self.id else {
            return Ok(());
        };
        let replaced = || AppendError::Replaced {
            path: self.path.clone(),
        };
        match std::fs::metadata(&self.path) {
            Ok(meta) if FileId::of(&meta) == Some(id) => Ok(()),
            Ok(_) => Err(replaced()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(replaced()),
            Err(error) => Err(AppendError::NothingSaved {
                stage: "checking the file",
                error,
            }),
        }
    }

    /// Appends `line` (which ends in a newline; or several lines, each a
    /// record, written and synced as one). Returns where it starts.
    pub fn append(&mut self, line: &str) -> Result<u64, AppendError> {
        let mut line = Some(line);
        self.append_chunked(&mut |chunk| {
            chunk.push_str(line.take().unwrap_or_default());
            Ok(false)
        })
    }

    /// Appends lines made a chunk at a time, so that a long batch (an
    /// import's history) is never all in memory: each call of `fill` adds
    /// whole lines, each ending in a newline, to the empty buffer it is
    /// given, and says whether more may follow. Every chunk is checked as
    /// [`Appender::append`] checks its line, then written; one sync follows
    /// the last. All or nothing: if `fill` fails, or a chunk holds a line
    /// the reader would not accept, or a write or the sync fails, the file
    /// is cut back to its length before the first chunk (and synced), so a
    /// retry cannot duplicate a line, and `fill`'s error (or the write's)
    /// is returned. Returns where the first line starts.
    pub fn append_chunked(
        &mut self,
        fill: &mut dyn FnMut(&mut String) -> Result<bool, AppendError>,
    ) -> Result<u64, AppendError> {
        if self.poisoned {
            return Err(AppendError::Poisoned);
        }
        // The first chunk is made and checked before the file is touched.
        let mut chunk = String::new();
        let mut more = fill(&mut chunk)?;
        self.check_records(&chunk)?;
        self.check_same_file()?;
        let nothing = |stage| move |error| AppendError::NothingSaved { stage, error };
        let len = self.repair_tail().map_err(nothing("repairing the end"))?;
        let mut start = len;
        if len == 0 {
            // The header and the first line go in one write.
            chunk.insert(0, '\n');
            chunk.insert_str(0, self.header);
            start = self.header.len() as u64 + 1;
        }
        loop {
            if let Err(error) = self.write_chunk(&chunk) {
                return Err(self.put_back(len, "writing", error));
            }
            if !more {
                break;
            }
            chunk.clear();
            match fill(&mut chunk).and_then(|more| self.check_records(&chunk).map(|()| more)) {
                Ok(next) => more = next,
                Err(refused) => return Err(self.put_back_refused(len, refused)),
            }
        }
        match self.file.sync() {
            Ok(()) => Ok(start),
            Err(error) => Err(self.put_back(len, "syncing to disk", error)),
        }
    }

    /// Fails unless every line in `chunk` is a record the reader accepts.
    fn check_records(&self, chunk: &str) -> Result<(), AppendError> {
        if chunk.is_empty() {
            return Ok(());
        }
        let records = chunk.strip_suffix('\n').unwrap_or(chunk);
        match records.split('\n').find(|r| !(self.is_record)(r)) {
            Some(record) => Err(AppendError::Unreadable {
                reason: format!("the line `{record}` is not one recall could read back"),
            }),
            None => Ok(()),
        }
    }

    /// Writes `chunk` at the end of the file with one write; a short write
    /// is an error.
    fn write_chunk(&mut self, chunk: &str) -> std::io::Result<()> {
        if chunk.is_empty() {
            return Ok(());
        }
        match self.file.write_at_end(chunk.as_bytes()) {
            Ok(n) if n == chunk.len() => Ok(()),
            Ok(n) => Err(std::io::Error::new(
                std::io::ErrorKind::WriteZero,
                format!("only {n} of {} bytes were written", chunk.len()),
            )),
            Err(error) => Err(error),
        }
    }

    /// Cuts the file back to `len` after a later chunk was refused; the
    /// refusal stands if that worked.
    fn put_back_refused(&mut self, len: u64, refused: AppendError) -> AppendError {
        match self.file.set_len(len).and_then(|()| self.file.sync()) {
            Ok(()) => refused,
            Err(cleanup) => {
                self.poisoned = true;
                AppendError::Uncertain {
                    stage: "making the lines",
                    cleanup,
                    error: std::io::Error::other(refused.to_string()),
                }
            }
        }
    }

    /// Cuts the file back to `len` after a failed write or sync.
    fn put_back(&mut self, len: u64, stage: &'static str, error: std::io::Error) -> AppendError {
        let cleanup = self.file.set_len(len).and_then(|()| self.file.sync());
        match cleanup {
            Ok(()) => AppendError::NothingSaved { stage, error },
            Err(cleanup) => {
                self.poisoned = true;
                AppendError::Uncertain {
                    stage,
                    cleanup,
                    error,
                }
            }
        }
    }

    /// Cuts the file to `len` (undo), syncing.
    pub fn truncate(&mut self, len: u64) -> std::io::Result<()> {
        self.file.set_len(len)?;
        self.file.sync()
    }

    /// Makes the file end in a newline; returns its length then.
    fn repair_tail(&mut self) -> std::io::Result<u64> {
        let len = self.file.file_len()?;
        if len == 0 || self.last_byte(len)? == b'\n' {
            return Ok(len);
        }
        let keep = self.end_of_last_complete_line(len)?;
        const MAX_RECORD: u64 = 64 * 1024;
        if len - keep <= MAX_RECORD {
            let mut tail = vec![0u8; (len - keep) as usize];
            self.file.read_exact_at(keep, &mut tail)?;
            let tail = String::from_utf8_lossy(&tail);
            let tail = tail.strip_suffix('\r').unwrap_or(&tail);
            if tail == self.header || (self.is_record)(tail) {
                // A whole line that only lacks its newline (a hand edit).
                if self.file.write_at_end(b"\n")? != 1 {
                    return Err(std::io::ErrorKind::WriteZero.into());
                }
                self.file.sync()?;
                return Ok(len + 1);
            }
        }
        self.preserve(keep, len)?;
        self.file.set_len(keep)?;
        self.file.sync()?;
        Ok(keep)
    }

    /// Copies bytes `from..to` to `<log>.torn` (appending, synced), before
    /// they are cut off.
    fn preserve(&mut self, from: u64, to: u64) -> std::io::Result<()> {
        let mut torn = OpenOptions::new()
            .append(true)
            .create(true)
            .open(torn_path(&self.path))?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut at = from;
        while at < to {
            let n = (to - at).min(buf.len() as u64) as usize;
            self.file.read_exact_at(at, &mut buf[..n])?;
            torn.write_all(&buf[..n])?;
            at += n as u64;
        }
        torn.write_all(b"\n")?;
        torn.sync_data()
    }

    fn last_byte(&mut self, len: u64) -> std::io::Result<u8> {
        let mut byte = [0u8; 1];
        self.file.read_exact_at(len - 1, &mut byte)?;
        Ok(byte[0])
    }

    /// The length of the file up to and including its last newline (0 if
    /// none), scanning backwards in blocks so a huge torn line is cheap.
    fn end_of_last_complete_line(&mut self, len: u64) -> std::io::Result<u64> {
        let mut end = len;
        let mut buf = vec![0u8; SCAN_BLOCK as usize];
        while end > 0 {
            let start = end.saturating_sub(SCAN_BLOCK);
            let chunk = &mut buf[..(end - start) as usize];
            self.file.read_exact_at(start, chunk)?;
            if let Some(i) = chunk.iter().rposition(|&b| b == b'\n') {
                return Ok(start + i as u64 + 1);
            }
            end = start;
        }
        Ok(0)
    }
}

/// The block size of the backward scan for the last newline.
pub(super) const SCAN_BLOCK: u64 = 64 * 1024;

/// Where a cut-off torn line of `log` is kept: `<log>.torn`.
pub fn torn_path(log: &Path) -> PathBuf {
    let mut name = log.as_os_str().to_owned();
    name.push(".torn");
    PathBuf::from(name)
}

#[cfg(test)]
thread_local! {
    /// `fdatasync`s of real log files this thread made (after they
    /// succeeded): the tests' view of what reached the disk.
    static FILE_SYNCS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every append to a real file, and every undo, is synced before it
    /// returns (a power cut cannot take back what the screen acknowledged).
    #[test]
    fn every_append_and_truncation_of_a_real_file_is_synced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.csv");
        let mut appender =
            Appender::new(Box::new(open(&path).unwrap()), &path, "h", |_| true).unwrap();
        let before = FILE_SYNCS.get();
        assert_eq!(appender.append("a\n").unwrap(), 2);
        assert_eq!(FILE_SYNCS.get() - before, 1);
        assert_eq!(appender.append("b\n").unwrap(), 4);
        assert_eq!(FILE_SYNCS.get() - before, 2);
        appender.truncate(4).unwrap();
        assert_eq!(FILE_SYNCS.get() - before, 3);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "h\na\n");
    }

    /// A line the reader would refuse is never written: the append fails
    /// and the file keeps what it had.
    #[test]
    fn a_line_the_reader_refuses_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.csv");
        let mut appender = Appender::new(Box::new(open(&path).unwrap()), &path, "h", |line| {
            line.starts_with('a')
        })
        .unwrap();
        assert_eq!(appender.append("a1\n").unwrap(), 2);
        let error = appender.append("a2\nb\n").unwrap_err();
        assert!(matches!(error, AppendError::Unreadable { .. }), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "h\na1\n");
    }
}
