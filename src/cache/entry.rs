//! One cache file: a small header (what the entry is for) and a body (the
//! cached data), both in postcard, with a checksum over the body.
//!
//! ```text
//! "recall-cache\n"  FORMAT (u32 LE)  version length (u8)  recall's version
//! header length (u32 LE)  header
//! body length (u64 LE)  xxh3-64 of the body (u64 LE)  body
//! ```
//!
//! Anything that does not parse as exactly this is no entry: the caller
//! rebuilds it.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Cache, FORMAT};

const MAGIC: &[u8] = b"recall-cache\n";
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A cache file read into memory and its parts found.
#[derive(Debug)]
pub(super) struct Entry {
    bytes: Vec<u8>,
    header: std::ops::Range<usize>,
    body: std::ops::Range<usize>,
    checksum: u64,
}

impl Entry {
    /// Reads the entry at `path`; `None` if there is none or it is not one
    /// of this recall version's.
    pub(super) fn read(cache: &Cache, path: &Path) -> Option<Entry> {
        Entry::parse(opened(cache, path, std::fs::read(path))?)
    }

    fn parse(bytes: Vec<u8>) -> Option<Entry> {
        let mut at = 0usize;
        let mut take = |n: usize| -> Option<std::ops::Range<usize>> {
            let range = at..at.checked_add(n)?;
            (range.end <= bytes.len()).then(|| {
                at = range.end;
                range
            })
        };
        if bytes.get(take(MAGIC.len())?)? != MAGIC {
            return None;
        }
        let format = u32::from_le_bytes(bytes.get(take(4)?)?.try_into().ok()?);
        let version_len = usize::from(*bytes.get(take(1)?.start)?);
        if format != FORMAT || bytes.get(take(version_len)?)? != VERSION.as_bytes() {
            return None;
        }
        let header_len = u32::from_le_bytes(bytes.get(take(4)?)?.try_into().ok()?);
        let header = take(usize::try_from(header_len).ok()?)?;
        let body_len = u64::from_le_bytes(bytes.get(take(8)?)?.try_into().ok()?);
        let checksum = u64::from_le_bytes(bytes.get(take(8)?)?.try_into().ok()?);
        let body = take(usize::try_from(body_len).ok()?)?;
        if body.end != bytes.len() {
            return None;
        }
        Some(Entry {
            bytes,
            header,
            body,
            checksum,
        })
    }

    /// The header, which says what the entry is for.
    pub(super) fn header<H: DeserializeOwned>(&self) -> Option<H> {
        postcard::from_bytes(&self.bytes[self.header.clone()]).ok()
    }

    /// The body's bytes, if their checksum holds.
    pub(super) fn body_bytes(&self) -> Option<&[u8]> {
        let body = &self.bytes[self.body.clone()];
        (xxhash_rust::xxh3::xxh3_64(body) == self.checksum).then_some(body)
    }

    /// The body, if its checksum holds and it decodes; it may borrow
    /// strings from the entry.
    pub(super) fn body<'a, B: serde::Deserialize<'a>>(&'a self) -> Option<B> {
        postcard::from_bytes(self.body_bytes()?).ok()
    }
}

/// What opening or reading the entry at `path` gave; `None` if it failed.
/// No entry (or no cache dir yet) is nothing to warn about before trying
/// to write one; any other failure is noted for the run's one warning.
fn opened<T>(cache: &Cache, path: &Path, result: std::io::Result<T>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error)
            if matches!(
                error.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            None
        }
        Err(error) => {
            cache.note_problem("read", path, &error);
            None
        }
    }
}

/// The largest string or byte run [`read_streamed`] decodes on the way; a
/// body holding a longer one is read whole instead.
const SCRATCH: usize = 1 << 20;

/// Reads the entry at `path` without holding it in memory: the header,
/// and if `wanted` accepts it, the body decoded as it is read, its
/// checksum checked at the end (a body that fails it gives `None`, like
/// any entry that does not hold). For large entries of owned data (a
/// deck): the memory is the decoded body's only.
pub(super) fn read_streamed<H: DeserializeOwned, B: DeserializeOwned>(
    cache: &Cache,
    path: &Path,
    wanted: impl Fn(&H) -> bool,
) -> Option<B> {
    use std::io::Read;
    let file = opened(cache, path, std::fs::File::open(path))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut take = |n: usize| -> Option<Vec<u8>> {
        let mut bytes = vec![0u8; n];
        reader.read_exact(&mut bytes).ok().map(|()| bytes)
    };
    if take(MAGIC.len())? != MAGIC {
        return None;
    }
    let format = u32::from_le_bytes(take(4)?.try_into().ok()?);
    let version_len = usize::from(take(1)?[0]);
    if format != FORMAT || take(version_len)? != VERSION.as_bytes() {
        return None;
    }
    let header_len = u32::from_le_bytes(take(4)?.try_into().ok()?);
    // A header is a key: small. A huge length is a corrupt entry.
    if header_len > 1 << 20 {
        return None;
    }
    let header: H = postcard::from_bytes(&take(usize::try_from(header_len).ok()?)?).ok()?;
    if !wanted(&header) {
        return None;
    }
    let body_len = u64::from_le_bytes(take(8)?.try_into().ok()?);
    let checksum = u64::from_le_bytes(take(8)?.try_into().ok()?);
    let mut body = Hashing {
        inner: reader.by_ref().take(body_len),
        hasher: xxhash_rust::xxh3::Xxh3::new(),
        read: 0,
    };
    let mut scratch = vec![0u8; SCRATCH];
    let decoded = postcard::from_io::<B, _>((&mut body, &mut scratch[..]));
    let Ok((value, _)) = decoded else {
        // Perhaps only a string longer than the scratch: read it whole.
        drop(scratch);
        let entry = Entry::read(cache, path)?;
        return entry
            .header::<H>()
            .filter(|header| wanted(header))
            .and_then(|_| entry.body::<B>());
    };
    // The body must end where its length says, with the file, and match
    // its checksum.
    let mut rest = Vec::new();
    body.read_to_end(&mut rest).ok()?;
    let whole = rest.is_empty() && body.read == body_len && body.hasher.digest() == checksum;
    let mut after = [0u8; 1];
    (whole && matches!(reader.read(&mut after), Ok(0))).then_some(value)
}

/// A reader that hashes and counts what it reads.
struct Hashing<R> {
    inner: R,
    hasher: xxhash_rust::xxh3::Xxh3,
    read: u64,
}

impl<R: std::io::Read> std::io::Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hasher.update(&buf[..read]);
        self.read += read as u64;
        Ok(read)
    }
}

/// Writes an entry at `path` through a temporary file and a rename. A
/// failure is noted on `cache` and otherwise ignored: the cache is only an
/// optimisation.
pub(super) fn write<H: Serialize, B: Serialize + ?Sized>(
    cache: &Cache,
    path: &Path,
    header: &H,
    body: &B,
) {
    let (Ok(header), Ok(body)) = (postcard::to_stdvec(header), postcard::to_stdvec(body)) else {
        // Not serialisable (a value out of range): simply not cached.
        return;
    };
    let mut bytes = Vec::with_capacity(MAGIC.len() + 64 + header.len() + body.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.push(VERSION.len() as u8);
    bytes.extend_from_slice(VERSION.as_bytes());
    bytes.extend_from_slice(&(header.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&header);
    bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    if let Err(error) = write_file(path, &bytes) {
        cache.note_problem("write", path, &error);
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.persist(path).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_bytes() -> (tempfile::TempDir, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.bin");
        let cache = Cache::new(Some(dir.path().to_path_buf()));
        write(&cache, &path, &("key", 7u32), &vec![1u64, 2, 3]);
        assert!(cache.take_warning().is_none());
        let bytes = std::fs::read(&path).unwrap();
        (dir, bytes)
    }

    #[test]
    fn an_entry_reads_back() {
        let (_dir, bytes) = entry_bytes();
        let entry = Entry::parse(bytes).unwrap();
        assert_eq!(entry.header::<(String, u32)>(), Some(("key".into(), 7)));
        assert_eq!(entry.body::<Vec<u64>>(), Some(vec![1, 2, 3]));
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_refused_or_harmless() {
        let (_dir, bytes) = entry_bytes();
        for len in 0..bytes.len() {
            assert!(
                Entry::parse(bytes[..len].to_vec()).is_none(),
                "cut at {len}"
            );
        }
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x20;
            // A flip in the header may still decode, but then to a header
            // that does not match; a flip in the body fails the checksum.
            if let Some(entry) = Entry::parse(bad) {
                let header = entry.header::<(String, u32)>();
                let body = entry.body::<Vec<u64>>();
                assert!(
                    header != Some(("key".into(), 7)) || body.is_none(),
                    "flip at {i} went unnoticed"
                );
            }
        }
    }

    #[test]
    fn a_streamed_read_gives_the_body_and_refuses_every_damaged_entry() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.bin");
        let cache = Cache::new(Some(dir.path().to_path_buf()));
        let body: Vec<String> = vec!["a".into(), "b".repeat(SCRATCH + 10), "c".into()];
        write(&cache, &path, &("key", 7u32), &body);
        let wanted = |h: &(String, u32)| h == &("key".to_owned(), 7);
        let read =
            |cache: &Cache| read_streamed::<(String, u32), Vec<String>>(cache, &path, wanted);
        // Longer than the scratch: read whole, still right.
        assert_eq!(read(&cache), Some(body));
        let short = vec!["x".to_owned(), "y".to_owned()];
        write(&cache, &path, &("key", 7u32), &short);
        assert_eq!(read(&cache), Some(short.clone()));
        assert_eq!(
            read_streamed::<(String, u32), Vec<String>>(&cache, &path, |h| h.1 == 8),
            None
        );
        let bytes = std::fs::read(&path).unwrap();
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x20;
            std::fs::write(&path, &bad).unwrap();
            assert_ne!(read(&cache), Some(short.clone()), "flip at {i}");
        }
        for len in 0..bytes.len() {
            std::fs::write(&path, &bytes[..len]).unwrap();
            assert_eq!(read(&cache), None, "cut at {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        std::fs::write(&path, &longer).unwrap();
        assert_eq!(read(&cache), None, "a byte after the body");
        assert!(cache.take_warning().is_none());
    }

    #[test]
    fn another_version_is_no_entry() {
        let (_dir, bytes) = entry_bytes();
        let mut other = bytes.clone();
        let at = MAGIC.len() + 4 + 1;
        other[at] = b'9';
        assert!(Entry::parse(other).is_none());
        let mut other_format = bytes;
        other_format[MAGIC.len()] ^= 1;
        assert!(Entry::parse(other_format).is_none());
    }
}
