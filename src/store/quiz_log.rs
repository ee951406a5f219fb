//! Quiz scores, `<data dir>/quizzes.csv`: one line per finished quiz round.
//!
//! ```text
//! finished_at,deck,mode,asked,correct,duration_ms
//! 2026-11-25T09:40:00.000Z,aws-api-gateway,choice,10,8,254000
//! ```
//!
//! `deck` is a deck id, or `*` for a quiz that pooled cards from several
//! decks. The rules are the review log's: readers accept extra trailing
//! columns; a malformed line is reported with its line number and skipped;
//! [`append`] writes one whole line with a single write and syncs it, after
//! cutting off a torn last line left by a crash.
//!
//! Unlike the review log this file is written without the data-dir lock (a
//! quiz that leaves the schedule alone may run beside a study session), so
//! each append locks the file itself for the moment it takes.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};

use super::append::{AppendError, Appender, LogFile};
use super::log::shorten;
use crate::deck::DeckId;

/// The file's name inside the data directory.
pub const FILE_NAME: &str = "quizzes.csv";
/// The first line of the file.
pub const HEADER: &str = "finished_at,deck,mode,asked,correct,duration_ms";

/// What a recorded quiz covered, as the `deck` column writes it: one
/// deck's id, or `*` for cards pooled from several decks (no deck id can
/// be `*`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RecordScope {
    Deck(DeckId),
    Pooled,
}

impl fmt::Display for RecordScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordScope::Deck(id) => write!(f, "{id}"),
            RecordScope::Pooled => f.write_str("*"),
        }
    }
}

/// How a recorded quiz was answered, as the `mode` column writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordMode {
    /// `self`
    SelfCheck,
    /// `choice`
    Choice,
}

impl fmt::Display for RecordMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordMode::SelfCheck => "self",
            RecordMode::Choice => "choice",
        })
    }
}

/// One finished round of a quiz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizRecord {
    /// When the round ended; kept to the millisecond, as written.
    pub finished_at: DateTime<Utc>,
    pub scope: RecordScope,
    pub mode: RecordMode,
    /// Questions answered.
    pub asked: usize,
    /// Questions answered right; at most `asked`.
    pub correct: usize,
    /// From the first question to the end of the round.
    pub duration_ms: u64,
}

impl QuizRecord {
    /// A record finished at `finished_at` truncated to the millisecond, so
    /// the value in memory equals the one read back.
    pub fn new(
        finished_at: DateTime<Utc>,
        scope: RecordScope,
        mode: RecordMode,
        asked: usize,
        correct: usize,
        duration_ms: u64,
    ) -> QuizRecord {
        QuizRecord {
            finished_at: Utc
                .timestamp_millis_opt(finished_at.timestamp_millis())
                .single()
                .unwrap_or(finished_at),
            scope,
            mode,
            asked,
            correct,
            duration_ms,
        }
    }

    /// The share answered right, as a whole percentage rounded to nearest.
    pub fn percent(&self) -> usize {
        (self.correct * 100 + self.asked / 2)
            .checked_div(self.asked)
            .unwrap_or(0)
    }

    /// The line for the file, with its final newline.
    pub fn to_line(&self) -> String {
        format!(
            "{},{},{},{},{},{}\n",
            self.finished_at
                .to_rfc3339_opts(SecondsFormat::Millis, true),
            self.scope,
            self.mode,
            self.asked,
            self.correct,
            self.duration_ms
        )
    }

    /// Reads one line (without its newline); extra trailing columns are
    /// ignored.
    pub fn parse(line: &str) -> Result<QuizRecord, String> {
        let fields: Vec<&str> = line.split(',').collect();
        let [finished_at, deck, mode, asked, correct, duration_ms, ..] = fields[..] else {
            return Err(format!(
                "expected the columns {HEADER}, found {} column(s) in {}",
                fields.len(),
                shorten(line)
            ));
        };
        let finished_at = DateTime::parse_from_rfc3339(finished_at)
            .map_err(|_| {
                format!(
                    "finished_at {} is not an RFC 3339 time",
                    shorten(finished_at)
                )
            })?
            .with_timezone(&Utc);
        let scope = match deck {
            "*" => RecordScope::Pooled,
            id => RecordScope::Deck(
                DeckId::new(id).map_err(|e| format!("deck {}: {e}", shorten(id)))?,
            ),
        };
        let mode = match mode {
            "self" => RecordMode::SelfCheck,
            "choice" => RecordMode::Choice,
            _ => return Err(format!("mode {} is not self or choice", shorten(mode))),
        };
        let count = |name: &str, value: &str| {
            value
                .parse::<usize>()
                .map_err(|_| format!("{name} {} is not a whole number", shorten(value)))
        };
        let (asked, correct) = (count("asked", asked)?, count("correct", correct)?);
        if correct > asked {
            return Err(format!("correct ({correct}) is more than asked ({asked})"));
        }
        let duration_ms = duration_ms
            .parse::<u64>()
            .map_err(|_| format!("duration_ms {} is not a whole number", shorten(duration_ms)))?;
        Ok(QuizRecord {
            finished_at,
            scope,
            mode,
            asked,
            correct,
            duration_ms,
        })
    }
}

/// Something in the file that was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuizLogWarning {
    /// The last line has no newline: a write was cut off. It is ignored, and
    /// cut off before the next append.
    TornTail { line: usize },
    /// A line that is not a quiz record; skipped, left in the file.
    Malformed { line: usize, reason: String },
    /// The first line is not [`HEADER`]; it was read as a record if it is one.
    MissingHeader,
}

impl fmt::Display for QuizLogWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuizLogWarning::TornTail { line } => write!(
                f,
                "line {line} is incomplete (a write was interrupted); it is ignored and will be removed before the next score is saved"
            ),
            QuizLogWarning::Malformed { line, reason } => {
                write!(f, "line {line} skipped: {reason}")
            }
            QuizLogWarning::MissingHeader => write!(
                f,
                "line 1 is not the header `{HEADER}`; every line is still read (the file is left as it is)"
            ),
        }
    }
}

/// The file as read: every valid record in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuizHistory {
    pub records: Vec<QuizRecord>,
    pub warnings: Vec<QuizLogWarning>,
}

impl QuizHistory {
    /// Reads the file at `path`; a missing file is an empty history.
    pub fn load(path: &Path) -> std::io::Result<QuizHistory> {
        match crate::read_file::read_regular_all(path) {
            Ok(bytes) => Ok(QuizHistory::parse(&bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Ok(QuizHistory::default())
            }
            Err(error) => Err(error),
        }
    }

    /// Reads file content. Never fails: what cannot be read is a warning.
    pub fn parse(bytes: &[u8]) -> QuizHistory {
        let mut history = QuizHistory::default();
        let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let mut number = 0;
        for line in bytes[..complete].split_inclusive(|&b| b == b'\n') {
            number += 1;
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            history.read_line(number, line);
        }
        if complete < bytes.len() {
            history
                .warnings
                .push(QuizLogWarning::TornTail { line: number + 1 });
        }
        history
    }

    fn read_line(&mut self, number: usize, line: &[u8]) {
        if number == 1 {
            if line.starts_with(HEADER.as_bytes()) {
                return;
            }
            self.warnings.push(QuizLogWarning::MissingHeader);
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let parsed = match std::str::from_utf8(line) {
            Ok(text) => QuizRecord::parse(text),
            Err(_) => Err("not valid UTF-8".to_owned()),
        };
        match parsed {
            Ok(record) => self.records.push(record),
            Err(reason) => self.warnings.push(QuizLogWarning::Malformed {
                line: number,
                reason,
            }),
        }
    }
}

/// Why a score could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum QuizLogError {
    #[error("cannot write the quiz scores {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the quiz scores {}: {error}", path.display())]
    Append { path: PathBuf, error: AppendError },
}

/// Appends `record` to the file at `path` (created with its header if
/// needed) as one line with a single write, then syncs it to disk: when this
/// returns `Ok`, the score survives a power cut.
pub fn append(path: &Path, record: &QuizRecord) -> Result<(), QuizLogError> {
    let io = |source| QuizLogError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        super::atomic::create_dir_all_synced(dir).map_err(io)?;
    }
    let existed = path.exists();
    let file = super::append::open(path).map_err(io)?;
    if !existed {
        super::atomic::sync_parent(path).map_err(io)?;
    }
    // Held until `file` is dropped: another recall finishing a quiz at the
    // same moment waits rather than cut what this one is writing.
    file.lock().map_err(io)?;
    append_to(Box::new(file), path, record)
}

/// [`append`] through any [`LogFile`] (a faulty one in tests).
pub fn append_to(
    file: Box<dyn LogFile>,
    path: &Path,
    record: &QuizRecord,
) -> Result<(), QuizLogError> {
    let mut appender = Appender::new(file, path, HEADER, |line| QuizRecord::parse(line).is_ok())
        .map_err(|source| QuizLogError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    appender
        .append(&record.to_line())
        .map_err(|error| QuizLogError::Append {
            path: path.to_path_buf(),
            error,
        })?;
    Ok(())
}
