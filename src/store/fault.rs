//! Fault injection for the log writers, for tests: a [`LogFile`] over a
//! real file whose writes, syncs and truncations fail, or write only part
//! of what they are given, at the points a test chooses.
//!
//! ```
//! use recall::store::fault::{Fault, FaultyFile};
//! let dir = tempfile::tempdir().unwrap();
//! let (file, faults) = FaultyFile::create(&dir.path().join("reviews.csv")).unwrap();
//! faults.next_write(Fault::Partial(10)); // the next write stops after 10 bytes, then fails
//! # drop(file);
//! ```

use std::fs::File;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use super::append::{FileId, LogFile};

/// What goes wrong at one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The call fails with "no space left on device" and does nothing.
    NoSpace,
    /// The call fails with an I/O error and does nothing.
    Io,
    /// A write writes only this many bytes, then reports "no space left".
    Partial(usize),
    /// A write writes only this many bytes and reports that as success
    /// (a short write, as `write(2)` may do on a full disk).
    Short(usize),
}

impl Fault {
    fn error(self) -> std::io::Error {
        match self {
            Fault::NoSpace | Fault::Partial(_) | Fault::Short(_) => {
                std::io::Error::new(std::io::ErrorKind::StorageFull, "No space left on device")
            }
            Fault::Io => std::io::Error::other("Input/output error (injected)"),
        }
    }
}

#[derive(Debug, Default)]
struct Plan {
    write: Option<Fault>,
    /// Writes that succeed before `write` fires.
    writes_before_fault: usize,
    sync: Option<Fault>,
    set_len: Option<Fault>,
    writes: usize,
    syncs: usize,
}

/// The switches of a [`FaultyFile`], kept by the test after the file is
/// handed to a writer. Each fault fires once, at the next such call.
#[derive(Debug, Clone, Default)]
pub struct Faults(Arc<Mutex<Plan>>);

impl Faults {
    fn plan(&self) -> MutexGuard<'_, Plan> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn next_write(&self, fault: Fault) {
        self.next_write_after(0, fault);
    }

    /// `fault` fires at the write after the next `writes` (which succeed):
    /// a failure in the middle of a batch written in chunks.
    pub fn next_write_after(&self, writes: usize, fault: Fault) {
        let mut plan = self.plan();
        plan.write = Some(fault);
        plan.writes_before_fault = writes;
    }

    pub fn next_sync(&self, fault: Fault) {
        self.plan().sync = Some(fault);
    }

    pub fn next_set_len(&self, fault: Fault) {
        self.plan().set_len = Some(fault);
    }

    /// Calls to `write` so far (failed ones included).
    pub fn writes(&self) -> usize {
        self.plan().writes
    }

    pub fn syncs(&self) -> usize {
        self.plan().syncs
    }
}

/// A real file whose calls fail as its [`Faults`] say.
#[derive(Debug)]
pub struct FaultyFile {
    file: File,
    faults: Faults,
}

impl FaultyFile {
    /// Opens (creating) `path` for appending, as the log writers do.
    pub fn create(path: &Path) -> std::io::Result<(FaultyFile, Faults)> {
        let faults = Faults::default();
        let file = super::append::open(path)?;
        Ok((
            FaultyFile {
                file,
                faults: faults.clone(),
            },
            faults,
        ))
    }
}

impl LogFile for FaultyFile {
    fn file_len(&self) -> std::io::Result<u64> {
        LogFile::file_len(&self.file)
    }

    fn read_exact_at(&mut self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        self.file.read_exact_at(offset, buf)
    }

    fn write_at_end(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let fault = {
            let mut plan = self.faults.plan();
            plan.writes += 1;
            if plan.writes_before_fault > 0 {
                plan.writes_before_fault -= 1;
                None
            } else {
                plan.write.take()
            }
        };
        match fault {
            None => self.file.write_at_end(bytes),
            Some(Fault::Partial(n)) => {
                let n = n.min(bytes.len());
                std::io::Write::write_all(&mut self.file, &bytes[..n])?;
                Err(Fault::Partial(n).error())
            }
            Some(Fault::Short(n)) => {
                let n = n.min(bytes.len());
                std::io::Write::write_all(&mut self.file, &bytes[..n])?;
                Ok(n)
            }
            Some(fault) => Err(fault.error()),
        }
    }

    fn sync(&mut self) -> std::io::Result<()> {
        let fault = {
            let mut plan = self.faults.plan();
            plan.syncs += 1;
            plan.sync.take()
        };
        match fault {
            None => self.file.sync(),
            Some(fault) => Err(fault.error()),
        }
    }

    fn set_len(&mut self, len: u64) -> std::io::Result<()> {
        match self.faults.plan().set_len.take() {
            None => LogFile::set_len(&mut self.file, len),
            Some(fault) => Err(fault.error()),
        }
    }

    fn id(&self) -> std::io::Result<Option<FileId>> {
        self.file.id()
    }
}
