//! The review log, `<data dir>/reviews.csv`: the one source of truth for
//! progress. Append-only, one line per grade:
//!
//! ```text
//! reviewed_at,deck,card,rating,duration_ms
//! 2026-11-25T09:30:12.345Z,aws-api-gateway,endpoint-types,3,5234
//! ```
//!
//! Readers accept extra trailing columns, so the format can grow. Ids never
//! contain commas or quotes, so no field is ever quoted.
//!
//! Reading never fails on content: a malformed line becomes a warning with
//! its line number and is skipped, and everything else still loads. Writing
//! ([`LogWriter`]) appends one whole line per review with a single write and
//! syncs it before returning; the only bytes it ever removes are a torn last
//! line (no final newline, left by a crash) and, on undo, the line this same
//! process wrote last.

use std::borrow::Borrow;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, TimeZone, Utc};

mod intern;

pub(crate) use intern::Interner;

use super::append::{self, AppendError, Appender, LogFile};
use super::{DataLock, atomic};
use crate::deck::CardKey;
use crate::schedule::Rating;

/// The log's file name inside the data directory.
pub const FILE_NAME: &str = "reviews.csv";
/// The first line of every log.
pub const HEADER: &str = "reviewed_at,deck,card,rating,duration_ms";

/// One grade given to one card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// When the grade was given; kept to the millisecond, as written.
    pub reviewed_at: DateTime<Utc>,
    pub key: CardKey,
    pub rating: Rating,
    /// From showing the question to the grade.
    pub duration_ms: u64,
}

impl Review {
    /// A review at `reviewed_at` truncated to the millisecond, so the value
    /// in memory equals the one read back from the file.
    pub fn new(reviewed_at: DateTime<Utc>, key: CardKey, rating: Rating, duration_ms: u64) -> Self {
        Self {
            reviewed_at: truncate_to_millis(reviewed_at),
            key,
            rating,
            duration_ms,
        }
    }

    /// The log line, with its final newline.
    pub fn to_line(&self) -> String {
        let mut line = String::new();
        self.write_line(&mut line);
        line
    }

    /// Adds the log line, with its final newline, to `out`.
    pub fn write_line(&self, out: &mut String) {
        use std::fmt::Write as _;
        // Writing to a `String` cannot fail.
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            self.reviewed_at
                .to_rfc3339_opts(SecondsFormat::Millis, true),
            self.key.deck,
            self.key.card,
            self.rating.as_u8(),
            self.duration_ms
        );
    }
}

fn truncate_to_millis(at: DateTime<Utc>) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(at.timestamp_millis())
        .single()
        .unwrap_or(at)
}

/// An index into [`ReviewLog::keys`]: each card's key is stored once, not
/// once per review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyIndex(u32);

impl KeyIndex {
    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// A review as loaded, with its card key interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub reviewed_at: DateTime<Utc>,
    pub key: KeyIndex,
    pub rating: Rating,
    pub duration_ms: u64,
}

/// Splits log bytes into lines, chunk by chunk, numbering them.
#[derive(Debug, Default)]
struct LineReader {
    log: ReviewLog,
    lines_read: usize,
}

/// Where a read of the log starts: after its first `offset` bytes, which
/// are whole lines (`lines` of them) already read, whose card keys are
/// `keys`. The cache resumes reads from here; [`Start::default`] is the
/// beginning of the file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Start {
    pub(crate) offset: u64,
    pub(crate) lines: usize,
    pub(crate) keys: Arc<Interner>,
}

/// A log read from some [`Start`]: the reviews and warnings after it, and
/// where its whole lines end (a torn last line is not counted).
#[derive(Debug)]
pub(crate) struct ReadFrom {
    pub(crate) log: ReviewLog,
    pub(crate) whole_lines_end: u64,
    pub(crate) lines: usize,
}

impl LineReader {
    /// Reads every complete line in `bytes`; returns how many bytes that was.
    fn feed(&mut self, bytes: &[u8]) -> usize {
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', bytes) {
            self.lines_read += 1;
            self.log.read_line(self.lines_read, &bytes[start..end]);
            start = end + 1;
        }
        start
    }

    /// Ends the log; `rest` is what followed the last newline. A whole
    /// review there only lacks its newline (a hand edit): it is read, as the
    /// writer completes it. Anything else is a torn line.
    fn finish(mut self, rest: &[u8]) -> ReviewLog {
        if rest.is_empty() {
            return self.log;
        }
        let line = self.lines_read + 1;
        let text = std::str::from_utf8(rest).ok();
        let text = text.map(|t| t.strip_suffix('\r').unwrap_or(t));
        match text {
            Some(HEADER) if line == 1 => {}
            // A header-like line is no review either: parsing refuses it.
            Some(text) => match self.log.parse_entry(text) {
                Ok(entry) => {
                    if line == 1 {
                        self.log.warnings.push(LogWarning::MissingHeader);
                    }
                    self.log.entries.push(entry);
                }
                Err(_) => self.log.warnings.push(LogWarning::TornTail { line }),
            },
            _ => self.log.warnings.push(LogWarning::TornTail { line }),
        }
        self.log
    }
}

/// Something in the log that was skipped or will be repaired.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LogWarning {
    /// The last line has no newline: a write was cut off. It is ignored;
    /// before the next append it is completed if it is a whole review, else
    /// moved to `reviews.csv.torn`.
    TornTail { line: usize },
    /// A line that is not a review; skipped, left in the file.
    Malformed { line: usize, reason: String },
    /// The first line is not [`HEADER`]; it was read as a review if it is one.
    MissingHeader,
}

impl fmt::Display for LogWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogWarning::TornTail { line } => write!(
                f,
                "line {line} has no newline at its end (an interrupted write or a hand edit); it is ignored for now. Before the next review is saved it is completed if it is a whole review, else moved to reviews.csv.torn"
            ),
            LogWarning::Malformed { line, reason } => {
                write!(f, "line {line} skipped: {reason}")
            }
            LogWarning::MissingHeader => write!(
                f,
                "line 1 is not the header `{HEADER}`; every line is still read (the file is left as it is)"
            ),
        }
    }
}

/// The log as read: every valid review in file order.
#[derive(Debug, Default, Clone)]
pub struct ReviewLog {
    /// Shared with [`super::Progress`], which looks cards up in it.
    keys: Arc<Interner>,
    entries: Vec<Entry>,
    warnings: Vec<LogWarning>,
}

impl ReviewLog {
    /// Reads the log at `path`; a missing file is an empty log.
    ///
    /// The file is read in 1 MB chunks rather than whole: for a big log that
    /// saves the memory and the page faults of a second copy of it.
    pub fn load(path: &Path) -> std::io::Result<ReviewLog> {
        let mut file = match crate::read_file::open_regular(path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ReviewLog::default());
            }
            Err(error) => return Err(error),
        };
        let size = file.metadata()?.len();
        Ok(Self::read_from(&mut file, size, Start::default(), &mut |_| {})?.log)
    }

    /// The lines of the log at `path` that may be reviews of `key`, read
    /// without parsing the others: what `recall card` needs of a long log.
    /// Ids hold no commas, so a review of the card holds `,deck,card,`;
    /// a line that holds it otherwise is parsed and then filtered out by
    /// [`ReviewLog::reviews_of`]. The lines skipped are not checked: what
    /// is wrong in them is for a reader of the whole log to report.
    pub fn load_lines_of(path: &Path, key: &CardKey) -> std::io::Result<ReviewLog> {
        let bytes = match crate::read_file::read_regular_all(path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ReviewLog::default());
            }
            Err(error) => return Err(error),
        };
        let needle = format!(",{},{},", key.deck, key.card);
        let mut picked = format!("{HEADER}\n").into_bytes();
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        // Each search starts after the line last picked: a line that holds
        // the needle twice is picked once.
        let mut from = 0;
        while let Some(found) = finder.find(&bytes[from..]) {
            let at = from + found;
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            let line = bytes[..end]
                .rsplit(|&b| b == b'\n')
                .next()
                .unwrap_or_default();
            picked.extend_from_slice(line);
            picked.push(b'\n');
            from = end;
        }
        Ok(ReviewLog::parse(&picked))
    }

    /// Reads `file` (positioned at `start.offset`, `size` bytes long) from
    /// `start` to its end. `whole_lines` sees every byte of whole lines
    /// read, in order (the cache hashes them). A read error is returned, never
    /// taken for the end of the file.
    pub(crate) fn read_from(
        file: &mut dyn Read,
        size: u64,
        start: Start,
        whole_lines: &mut dyn FnMut(&[u8]),
    ) -> std::io::Result<ReadFrom> {
        const CHUNK: usize = 1 << 20;
        let mut lines = LineReader {
            log: ReviewLog {
                keys: start.keys,
                ..ReviewLog::default()
            },
            lines_read: start.lines,
        };
        // Lines are about 50 bytes: size the list once instead of doubling it.
        lines
            .log
            .entries
            .reserve(usize::try_from(size.saturating_sub(start.offset) / 50).unwrap_or(0));
        let mut whole_lines_end = start.offset;
        let mut buf: Vec<u8> = Vec::with_capacity(CHUNK);
        loop {
            let filled = buf.len();
            buf.resize(filled + CHUNK, 0);
            let read = match file.read(&mut buf[filled..]) {
                Ok(read) => read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {
                    // A signal, not the end of the file: read again.
                    buf.truncate(filled);
                    continue;
                }
                Err(error) => return Err(error),
            };
            buf.truncate(filled + read);
            if read == 0 {
                break;
            }
            // Keep a partial last line for the next chunk.
            let consumed = lines.feed(&buf);
            whole_lines(&buf[..consumed]);
            whole_lines_end += consumed as u64;
            buf.drain(..consumed);
        }
        let lines_read = lines.lines_read;
        Ok(ReadFrom {
            log: lines.finish(&buf),
            whole_lines_end,
            lines: lines_read,
        })
    }

    /// Reads log content. Never fails: what cannot be read is a warning.
    pub fn parse(bytes: &[u8]) -> ReviewLog {
        let mut lines = LineReader::default();
        let consumed = lines.feed(bytes);
        lines.finish(&bytes[consumed..])
    }

    fn read_line(&mut self, number: usize, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if number == 1 {
            if line.starts_with(HEADER.as_bytes()) {
                return;
            }
            self.warnings.push(LogWarning::MissingHeader);
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let parsed = match std::str::from_utf8(line) {
            Ok(text) => self.parse_entry(text),
            Err(_) => Err("not valid UTF-8".to_owned()),
        };
        match parsed {
            Ok(entry) => self.entries.push(entry),
            Err(reason) => self.warnings.push(LogWarning::Malformed {
                line: number,
                reason,
            }),
        }
    }

    fn parse_entry(&mut self, line: &str) -> Result<Entry, String> {
        let fields = parse_fields(line)?;
        // Not shared while loading, so this never copies.
        let key = Arc::make_mut(&mut self.keys).intern(fields.deck, fields.card)?;
        Ok(Entry {
            reviewed_at: fields.reviewed_at,
            key,
            rating: fields.rating,
            duration_ms: fields.duration_ms,
        })
    }

    /// Every valid review, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Every card key that has reviews, indexed by [`KeyIndex`].
    pub fn keys(&self) -> &[CardKey] {
        self.keys.keys()
    }

    pub fn key(&self, index: KeyIndex) -> &CardKey {
        &self.keys()[index.get()]
    }

    pub fn index_of(&self, key: &CardKey) -> Option<KeyIndex> {
        self.keys.get(key.deck.as_str(), key.card.as_str())
    }

    pub(crate) fn interner(&self) -> &Interner {
        &self.keys
    }

    /// The card keys, to share rather than copy.
    pub(crate) fn shared_keys(&self) -> Arc<Interner> {
        Arc::clone(&self.keys)
    }

    /// What was skipped while reading, in line order.
    pub fn warnings(&self) -> &[LogWarning] {
        &self.warnings
    }

    /// The full review for an entry.
    pub fn review(&self, entry: &Entry) -> Review {
        Review {
            reviewed_at: entry.reviewed_at,
            key: self.key(entry.key).clone(),
            rating: entry.rating,
            duration_ms: entry.duration_ms,
        }
    }

    /// The union of several logs (one per device): every review once, in
    /// one order that depends only on the reviews, never on which file held
    /// them or in what order the files came. Reviews are ordered by time,
    /// ties broken by deck id, card id, rating, then duration (byte order);
    /// a review identical in all five fields to another is the same review
    /// copied (by hand or by a sync tool) and counts once. Warnings are the
    /// per-file ones of the inputs: read them before merging.
    pub fn merge(logs: Vec<ReviewLog>) -> ReviewLog {
        let mut logs = logs.into_iter();
        let mut merged = logs.next().unwrap_or_default();
        merged.warnings.clear();
        for log in logs {
            let keys = Arc::make_mut(&mut merged.keys);
            // Keys came from a valid log, so interning them again succeeds.
            let remap: Vec<Option<KeyIndex>> = log
                .keys()
                .iter()
                .map(|key| keys.intern(key.deck.as_str(), key.card.as_str()).ok())
                .collect();
            merged
                .entries
                .extend(log.entries.iter().filter_map(|entry| {
                    Some(Entry {
                        key: remap[entry.key.get()]?,
                        ..*entry
                    })
                }));
        }
        merged.put_in_canonical_order();
        merged
    }

    /// Sorts by the merge order and drops exact duplicates. Logs are
    /// written in time order, so for one file this is usually just a check;
    /// for several, the stable sort merges their runs.
    fn put_in_canonical_order(&mut self) {
        let keys = Arc::clone(&self.keys);
        let order = |a: &Entry, b: &Entry| {
            a.reviewed_at.cmp(&b.reviewed_at).then_with(|| {
                let (ka, kb) = (&keys.keys()[a.key.get()], &keys.keys()[b.key.get()]);
                (
                    ka.deck.as_str(),
                    ka.card.as_str(),
                    a.rating.as_u8(),
                    a.duration_ms,
                )
                    .cmp(&(
                        kb.deck.as_str(),
                        kb.card.as_str(),
                        b.rating.as_u8(),
                        b.duration_ms,
                    ))
            })
        };
        if !self.entries.is_sorted_by(|a, b| order(a, b).is_le()) {
            self.entries.sort_by(order);
        }
        self.entries.dedup();
    }

    /// The reviews of one card, in file order.
    pub fn reviews_of(&self, key: &CardKey) -> Vec<Review> {
        let Some(index) = self.index_of(key) else {
            return Vec::new();
        };
        self.entries
            .iter()
            .filter(|entry| entry.key == index)
            .map(|entry| self.review(entry))
            .collect()
    }
}

fn wrong_columns(line: &str) -> String {
    format!(
        "expected the columns {HEADER}, found {} column(s) in {}",
        line.split(',').count(),
        shorten(line)
    )
}

/// A value quoted for a message, cut short so a 10 MB line stays readable.
pub(crate) fn shorten(value: &str) -> String {
    const MAX: usize = 40;
    match value.char_indices().nth(MAX) {
        Some((end, _)) => format!("`{}...`", &value[..end]),
        None => format!("`{value}`"),
    }
}

/// Parses `reviewed_at`: the form we write (`2026-11-25T09:30:12.345Z`) on a
/// fast path, any other RFC 3339 time (other offsets, precisions) on chrono's.
/// The fields of one log line, its ids not yet checked.
struct Fields<'a> {
    reviewed_at: DateTime<Utc>,
    deck: &'a str,
    card: &'a str,
    rating: Rating,
    duration_ms: u64,
}

fn parse_fields(line: &str) -> Result<Fields<'_>, String> {
    // Commas are ASCII, so byte positions are character boundaries.
    let mut commas = memchr::memchr_iter(b',', line.as_bytes());
    let mut next = || commas.next().ok_or_else(|| wrong_columns(line));
    let (c1, c2, c3, c4) = (next()?, next()?, next()?, next()?);
    let c5 = commas.next().unwrap_or(line.len());
    let (time, rating, duration) = (&line[..c1], &line[c3 + 1..c4], &line[c4 + 1..c5]);
    let reviewed_at = parse_time(time)?;
    let rating = rating
        .parse::<u8>()
        .ok()
        .and_then(|r| Rating::try_from(r).ok())
        .ok_or_else(|| format!("rating {} is not 1, 2, 3 or 4", shorten(rating)))?;
    let duration_ms = duration
        .parse::<u64>()
        .map_err(|_| format!("duration_ms {} is not a whole number", shorten(duration)))?;
    Ok(Fields {
        reviewed_at,
        deck: &line[c1 + 1..c2],
        card: &line[c2 + 1..c3],
        rating,
        duration_ms,
    })
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    parse_time_fast(text)
        .or_else(|| parse_time_rfc3339(text))
        .ok_or_else(|| format!("reviewed_at {} is not an RFC 3339 time", shorten(text)))
}

/// Any RFC 3339 time, to the millisecond: the log's precision, so that a
/// review read from a hand-made line writes back to a line that reads back
/// equal (finer digits are dropped, not rounded).
pub(crate) fn parse_time_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    use chrono::SubsecRound;
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc).trunc_subsecs(3))
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` exactly; `None` for anything else.
fn parse_time_fast(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() != 24 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || b[19] != b'.' || b[23] != b'Z' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let time = date.and_hms_milli_opt(num(11..13)?, num(14..16)?, num(17..19)?, num(20..23)?)?;
    Some(time.and_utc())
}

/// Why the log could not be written.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("cannot write the review log {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the review log {}: {error}", path.display())]
    Append { path: PathBuf, error: AppendError },
    #[error(
        "the clock says {at}, outside the years 0000 to 9999 that {FILE_NAME} can hold; nothing was saved (check the system clock, or RECALL_NOW)"
    )]
    ClockOutOfRange { at: DateTime<Utc> },
    #[error(
        "the review log {} changed while recall was writing it (expected {expected} bytes, found {found}); the last review was not undone",
        path.display()
    )]
    ChangedUnderUs {
        path: PathBuf,
        expected: u64,
        found: u64,
    },
}

/// About how many bytes of lines [`LogWriter::append_batch`] writes at once.
pub const BATCH_CHUNK: usize = 1024 * 1024;

/// Whether `line` (without its newline) reads back as one review: what
/// [`ReviewLog::parse_entry`] accepts, checked without interning the key
/// (an import checks every one of its lines).
fn is_review_line(line: &str) -> bool {
    parse_fields(line).is_ok_and(|fields| {
        crate::deck::DeckId::is_valid(fields.deck) && crate::deck::CardId::is_valid(fields.card)
    })
}

/// Appends reviews durably. Needs the data-dir lock, so no other recall
/// process writes at the same time.
#[derive(Debug)]
pub struct LogWriter {
    appender: Appender,
    /// The file's length as this writer left it.
    len: u64,
    /// Where each line this writer appended starts, oldest first: what undo
    /// may remove, and nothing else.
    own_lines: Vec<u64>,
}

impl LogWriter {
    /// Opens (or creates) the log for appending. Holding `_lock` proves no
    /// other recall process is writing. A new log's directory entry is
    /// synced, so the file survives a power cut.
    pub fn open(path: &Path, _lock: &DataLock) -> Result<LogWriter, LogError> {
        let io = |source| LogError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            atomic::create_dir_all_synced(dir).map_err(io)?;
        }
        let existed = path.exists();
        let file = append::open(path).map_err(io)?;
        if !existed {
            atomic::sync_parent(path).map_err(io)?;
        }
        Self::with_file(Box::new(file), path)
    }

    /// A writer over any [`LogFile`]: the real one, or a
    /// [`super::fault::FaultyFile`] in tests.
    pub fn with_file(file: Box<dyn LogFile>, path: &Path) -> Result<LogWriter, LogError> {
        let io = |source| LogError::Io {
            path: path.to_path_buf(),
            source,
        };
        let appender = Appender::new(file, path, HEADER, is_review_line).map_err(io)?;
        let len = appender.file_len().map_err(io)?;
        Ok(LogWriter {
            appender,
            len,
            own_lines: Vec::new(),
        })
    }

    fn io(&self, source: std::io::Error) -> LogError {
        LogError::Io {
            path: self.appender.path().to_path_buf(),
            source,
        }
    }

    fn append_error(&self, source: AppendError) -> LogError {
        LogError::Append {
            path: self.appender.path().to_path_buf(),
            error: source,
        }
    }

    /// Appends one review as one line with a single write, then syncs it to
    /// disk. When this returns `Ok`, the review survives a power cut; when
    /// it fails, the file is as it was (see [`append`]).
    pub fn append(&mut self, review: &Review) -> Result<(), LogError> {
        if !(0..=9999).contains(&review.reviewed_at.year()) {
            return Err(LogError::ClockOutOfRange {
                at: review.reviewed_at,
            });
        }
        let line = review.to_line();
        let start = self
            .appender
            .append(&line)
            .map_err(|e| self.append_error(e))?;
        self.len = start + line.len() as u64;
        self.own_lines.push(start);
        Ok(())
    }

    /// Appends many reviews (an import's history) as whole lines, written
    /// in chunks of about [`BATCH_CHUNK`] bytes (so the lines are never all
    /// in memory), then one sync. All or nothing: if any review is out of
    /// range or any write or the sync fails, the file is cut back to what
    /// it was (see [`append`]). A crash leaves the lines up to some point,
    /// at worst with a torn last line that the next append cuts off. Undo
    /// does not reach into a batch.
    pub fn append_batch<R: Borrow<Review>>(
        &mut self,
        reviews: impl IntoIterator<Item = R>,
    ) -> Result<(), LogError> {
        let mut reviews = reviews.into_iter().peekable();
        if reviews.peek().is_none() {
            return Ok(());
        }
        let mut out_of_range = None;
        let result = self.appender.append_chunked(&mut |chunk| {
            for review in reviews.by_ref() {
                let review = review.borrow();
                if !(0..=9999).contains(&review.reviewed_at.year()) {
                    out_of_range = Some(review.reviewed_at);
                    return Err(AppendError::Unreadable {
                        reason: format!("the review at {} is out of range", review.reviewed_at),
                    });
                }
                review.write_line(chunk);
                if chunk.len() >= BATCH_CHUNK {
                    return Ok(true);
                }
            }
            Ok(false)
        });
        match (result, out_of_range) {
            (Ok(_), _) => {
                // Nothing before the batch can be undone now. `len` is read
                // only while there is, and the next append sets it.
                self.own_lines.clear();
                Ok(())
            }
            (Err(AppendError::Unreadable { .. }), Some(at)) => {
                Err(LogError::ClockOutOfRange { at })
            }
            (Err(error), _) => Err(self.append_error(error)),
        }
    }

    /// Removes the last line this writer appended, then syncs. Returns
    /// `false` when this writer has appended nothing (left) to undo.
    pub fn undo_last(&mut self) -> Result<bool, LogError> {
        let Some(&start) = self.own_lines.last() else {
            return Ok(false);
        };
        self.appender
            .check_same_file()
            .map_err(|e| self.append_error(e))?;
        let found = self.appender.file_len().map_err(|e| self.io(e))?;
        if found != self.len {
            return Err(LogError::ChangedUnderUs {
                path: self.appender.path().to_path_buf(),
                expected: self.len,
                found,
            });
        }
        self.appender.truncate(start).map_err(|e| self.io(e))?;
        self.own_lines.pop();
        self.len = start;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an append checks is what loading accepts, line by line.
    #[test]
    fn a_line_is_a_review_exactly_when_loading_reads_it() {
        let long = "x".repeat(crate::deck::MAX_ID_LEN + 1);
        let lines = [
            "2026-11-20T09:30:12.345Z,aws,endpoint-types,3,5234".to_owned(),
            "2026-11-20T09:30:12.345Z,aws,endpoint-types,3,5234,extra".to_owned(),
            "2026-11-20T09:30:12+01:00,aws,c,1,0".to_owned(),
            "2026-11-20T09:30:12.345Z,a ws,c,3,5234".to_owned(),
            "2026-11-20T09:30:12.345Z,aws,c/d,3,5234".to_owned(),
            "2026-11-20T09:30:12.345Z,,c,3,5234".to_owned(),
            "2026-11-20T09:30:12.345Z,aws,,3,5234".to_owned(),
            format!("2026-11-20T09:30:12.345Z,aws,{long},3,5234"),
            format!("2026-11-20T09:30:12.345Z,{long},c,3,5234"),
            "2026-11-20T09:30:12.345Z,aws,c,5,5234".to_owned(),
            "2026-11-20T09:30:12.345Z,aws,c,3,-1".to_owned(),
            "2026-13-20T09:30:12.345Z,aws,c,3,1".to_owned(),
            "2026-11-20T09:30:12.345Z,aws,c,3".to_owned(),
            HEADER.to_owned(),
        ];
        let accepted: Vec<bool> = lines.iter().map(|line| is_review_line(line)).collect();
        let loaded: Vec<bool> = lines
            .iter()
            .map(|line| ReviewLog::default().parse_entry(line).is_ok())
            .collect();
        assert_eq!(accepted, loaded);
        assert_eq!(
            accepted,
            [
                true, true, true, false, false, false, false, false, false, false, false, false,
                false, false
            ]
        );
    }

    /// What follows the last newline: the header (on line 1 only), a whole
    /// review (on line 1 without a header: read, with the warning), or a
    /// torn line.
    #[test]
    fn a_last_line_without_its_newline_is_the_header_a_review_or_torn() {
        let review = "2026-11-20T09:30:12.345Z,aws,c,3,5234";
        let read_bytes = |bytes: &[u8]| {
            let log = ReviewLog::parse(bytes);
            (log.entries().len(), log.warnings().to_vec())
        };
        let read = |text: &str| read_bytes(text.as_bytes());
        assert_eq!(read(HEADER), (0, vec![]));
        let torn = |line| vec![LogWarning::TornTail { line }];
        assert_eq!(read(&format!("{HEADER}\n{HEADER}")), (0, torn(2)));
        assert_eq!(read(&format!("{HEADER},x")), (0, torn(1)));
        assert_eq!(read(review), (1, vec![LogWarning::MissingHeader]));
        assert_eq!(read(&format!("{HEADER}\n{review}")), (1, vec![]));
        assert_eq!(read(&format!("{HEADER}\n{review}\r")), (1, vec![]));
        assert_eq!(read(&format!("{HEADER}\n2026-11-20")), (0, torn(2)));
        let not_utf8 = [format!("{HEADER}\n").as_bytes(), b"\xff"].concat();
        assert_eq!(read_bytes(&not_utf8), (0, torn(2)));
    }

    /// A missing log is an empty one; one that cannot be opened (here its
    /// folder is a file) is an error, for a whole read and a card's lines.
    #[test]
    fn a_log_that_cannot_be_opened_is_an_error_not_an_empty_log() {
        let dir = tempfile::tempdir().unwrap();
        let key: CardKey = "d/c".parse().unwrap();
        let missing = dir.path().join("reviews.csv");
        assert!(ReviewLog::load(&missing).unwrap().entries().is_empty());
        assert!(
            ReviewLog::load_lines_of(&missing, &key)
                .unwrap()
                .entries()
                .is_empty()
        );
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        let under_a_file = file.join("reviews.csv");
        assert!(ReviewLog::load(&under_a_file).is_err());
        assert!(ReviewLog::load_lines_of(&under_a_file, &key).is_err());
    }

    /// A card's lines: each line holding `,deck,card,` once, even a line
    /// that holds it twice (a review may carry extra fields).
    #[test]
    fn a_cards_lines_are_picked_once_each() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.csv");
        let text = format!(
            "{HEADER}\n2026-11-20T09:30:12.345Z,d,c,3,5234,d,c,x\n\
             2026-11-20T09:31:00.000Z,d,other,3,1\n2026-11-20T09:32:00.000Z,d,c,1,7"
        );
        std::fs::write(&path, text).unwrap();
        let key: CardKey = "d/c".parse().unwrap();
        let log = ReviewLog::load_lines_of(&path, &key).unwrap();
        let ratings: Vec<Rating> = log.reviews_of(&key).iter().map(|r| r.rating).collect();
        assert_eq!(ratings, [Rating::Good, Rating::Again]);
        assert_eq!(log.entries().len(), 2);
        assert_eq!(log.warnings(), [], "whole lines, nothing around them");
    }

    /// The fast path reads the form the writer writes, and agrees with the
    /// RFC 3339 parser wherever it answers; any other form is left to it.
    #[test]
    fn the_fast_time_parser_reads_the_written_form_as_rfc_3339_does() {
        let rfc3339 = |text: &str| {
            use chrono::SubsecRound;
            DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| t.with_timezone(&Utc).trunc_subsecs(3))
        };
        for written in [
            "2026-11-20T09:30:12.345Z",
            "0000-01-01T00:00:00.000Z",
            "9999-12-31T23:59:59.999Z",
            "2024-02-29T12:00:00.000Z",
        ] {
            assert!(parse_time_fast(written).is_some(), "{written}");
            assert_eq!(parse_time_fast(written), rfc3339(written), "{written}");
        }
        for other in [
            "2026-11-20T09:30:12Z",
            "2026-11-20T09:30:12.345+01:00",
            "2026-11-20 09:30:12.345Z",
            "2026-11-20T09:30:12.3456Z",
            "2025-02-29T12:00:00.000Z",
            "2026-11-20T24:00:00.000Z",
            "2026-1a-20T09:30:12.345Z",
        ] {
            assert_eq!(parse_time_fast(other), None, "{other}");
            assert_eq!(parse_time(other).ok(), rfc3339(other), "{other}");
        }
        // The written form with exactly one thing wrong: each separator in
        // turn, or one byte more.
        let written = "2026-11-20T09:30:12.345Z";
        let mut broken: Vec<String> = [4, 7, 10, 13, 16, 19, 23]
            .iter()
            .map(|&at| format!("{}x{}", &written[..at], &written[at + 1..]))
            .collect();
        broken.push(format!("{written}0"));
        for other in &broken {
            assert_eq!(parse_time_fast(other), None, "{other}");
        }
    }

    /// Gives `data` in reads of at most `step` bytes; after `fail_at`
    /// bytes, every read fails with `kind` (once, if it is `Interrupted`).
    struct Flaky {
        data: Vec<u8>,
        at: usize,
        step: usize,
        fail_at: usize,
        kind: std::io::ErrorKind,
        failed: bool,
    }

    impl Read for Flaky {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.at >= self.fail_at
                && !(self.failed && self.kind == std::io::ErrorKind::Interrupted)
            {
                self.failed = true;
                return Err(std::io::Error::new(
                    self.kind,
                    "Input/output error (injected)",
                ));
            }
            let n = buf.len().min(self.step).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn lines(count: usize) -> Vec<u8> {
        let mut text = format!("{HEADER}\n");
        for i in 0..count {
            text.push_str(&format!(
                "2026-11-25T09:00:{:02}.000Z,d,c{i},3,1000\n",
                i % 60
            ));
        }
        text.into_bytes()
    }

    fn read(data: Vec<u8>, fail_at: usize, kind: std::io::ErrorKind) -> std::io::Result<ReadFrom> {
        let size = data.len() as u64;
        let mut flaky = Flaky {
            data,
            at: 0,
            step: 100,
            fail_at,
            kind,
            failed: false,
        };
        ReviewLog::read_from(&mut flaky, size, Start::default(), &mut |_| {})
    }

    #[test]
    fn a_read_error_mid_file_is_an_error_not_a_shorter_log() {
        let data = lines(50);
        let error = read(data.clone(), data.len() / 2, std::io::ErrorKind::Other).unwrap_err();
        assert_eq!(error.to_string(), "Input/output error (injected)");
        let error = read(data, 0, std::io::ErrorKind::PermissionDenied).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::PermissionDenied);
    }

    #[test]
    fn an_interrupted_read_mid_file_is_retried_not_taken_for_the_end() {
        let data = lines(50);
        let whole = ReviewLog::parse(&data);
        let read = read(
            data.clone(),
            data.len() / 2,
            std::io::ErrorKind::Interrupted,
        )
        .unwrap();
        assert_eq!(read.log.entries().len(), 50);
        assert_eq!(read.log.entries(), whole.entries());
        assert_eq!(read.whole_lines_end, data.len() as u64);
    }
}
