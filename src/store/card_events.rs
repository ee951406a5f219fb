//! Card events, `<data dir>/card_events.csv`: what the user did to a card
//! besides grading it. Append-only, one line per event:
//!
//! ```text
//! at,deck,card,event
//! 2026-11-25T09:31:02.120Z,aws-api-gateway,endpoint-types,suspend
//! ```
//!
//! The events are `suspend`, `unsuspend`, `bury`, `unbury`, `forget`, `mark`
//! and `unmark`. They are replayed with the reviews, in time order (see
//! [`super::replay`]). The rules are the review log's: readers accept extra
//! trailing columns; a malformed line is a warning with its line number and
//! is skipped; [`EventWriter`] appends one whole line with a single write and
//! syncs it, after cutting off a torn last line left by a crash; the only
//! line it ever removes is, on undo, the last one it appended itself.
//!
//! The store speaks plain data: [`CardEvent`] is this file's record, with no
//! notion of screens or sessions.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};

use super::append::{self, AppendError, Appender};
use super::log::shorten;
use super::{DataLock, atomic};
use crate::deck::{CardId, CardKey, DeckId};

/// The file's name inside the data directory.
pub const FILE_NAME: &str = "card_events.csv";
/// The first line of the file.
pub const HEADER: &str = "at,deck,card,event";

/// What happened to a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// Never queued again until unsuspended.
    Suspend,
    Unsuspend,
    /// Left out of the queue until the next study day.
    Bury,
    Unbury,
    /// Back to new; the reviews stay in the log.
    Forget,
    /// A mark (Anki's "marked"), for finding the card again.
    Mark,
    Unmark,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::Suspend,
        EventKind::Unsuspend,
        EventKind::Bury,
        EventKind::Unbury,
        EventKind::Forget,
        EventKind::Mark,
        EventKind::Unmark,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Suspend => "suspend",
            EventKind::Unsuspend => "unsuspend",
            EventKind::Bury => "bury",
            EventKind::Unbury => "unbury",
            EventKind::Forget => "forget",
            EventKind::Mark => "mark",
            EventKind::Unmark => "unmark",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or(())
    }
}

/// One event on one card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardEvent {
    /// When it happened; kept to the millisecond, as written.
    pub at: DateTime<Utc>,
    pub key: CardKey,
    pub kind: EventKind,
}

impl CardEvent {
    /// An event at `at` truncated to the millisecond, so the value in memory
    /// equals the one read back.
    pub fn new(at: DateTime<Utc>, key: CardKey, kind: EventKind) -> CardEvent {
        CardEvent {
            at: Utc
                .timestamp_millis_opt(at.timestamp_millis())
                .single()
                .unwrap_or(at),
            key,
            kind,
        }
    }

    /// The line for the file, with its final newline.
    pub fn to_line(&self) -> String {
        format!(
            "{},{},{},{}\n",
            self.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            self.key.deck,
            self.key.card,
            self.kind
        )
    }

    /// Reads one line (without its newline); extra columns are ignored.
    pub fn parse(line: &str) -> Result<CardEvent, String> {
        let fields: Vec<&str> = line.split(',').collect();
        let [at, deck, card, kind, ..] = fields[..] else {
            return Err(format!(
                "expected the columns {HEADER}, found {} column(s) in {}",
                fields.len(),
                shorten(line)
            ));
        };
        // To the millisecond, the precision `to_line` writes.
        let at = super::log::parse_time_rfc3339(at)
            .ok_or_else(|| format!("at {} is not an RFC 3339 time", shorten(at)))?;
        let deck = DeckId::new(deck).map_err(|e| format!("deck {}: {e}", shorten(deck)))?;
        let card = CardId::new(card).map_err(|e| format!("card {}: {e}", shorten(card)))?;
        let kind = kind.parse::<EventKind>().map_err(|()| {
            let known: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("event {} is not one of {}", shorten(kind), known.join(", "))
        })?;
        Ok(CardEvent {
            at,
            key: CardKey::new(deck, card),
            kind,
        })
    }
}

/// Something in the file that was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventLogWarning {
    /// The last line has no newline: a write was cut off. It is ignored, and
    /// cut off before the next append.
    TornTail { line: usize },
    /// A line that is not an event; skipped, left in the file.
    Malformed { line: usize, reason: String },
    /// The first line is not [`HEADER`]; it was read as an event if it is one.
    MissingHeader,
}

impl fmt::Display for EventLogWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventLogWarning::TornTail { line } => write!(
                f,
                "line {line} is incomplete (a write was interrupted); it is ignored and will be removed before the next event is saved"
            ),
            EventLogWarning::Malformed { line, reason } => {
                write!(f, "line {line} skipped: {reason}")
            }
            EventLogWarning::MissingHeader => write!(
                f,
                "line 1 is not the header `{HEADER}`; every line is still read (the file is left as it is)"
            ),
        }
    }
}

/// The file as read: every valid event in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventLog {
    pub events: Vec<CardEvent>,
    pub warnings: Vec<EventLogWarning>,
}

impl EventLog {
    /// Reads the file at `path`; a missing file is an empty log.
    pub fn load(path: &Path) -> std::io::Result<EventLog> {
        match crate::read_file::read_regular_all(path) {
            Ok(bytes) => Ok(EventLog::parse(&bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(EventLog::default()),
            Err(error) => Err(error),
        }
    }

    /// Reads file content. Never fails: what cannot be read is a warning.
    pub fn parse(bytes: &[u8]) -> EventLog {
        let mut log = EventLog::default();
        let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let mut number = 0;
        for line in bytes[..complete].split_inclusive(|&b| b == b'\n') {
            number += 1;
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            log.read_line(number, line);
        }
        if complete < bytes.len() {
            log.warnings
                .push(EventLogWarning::TornTail { line: number + 1 });
        }
        log
    }

    fn read_line(&mut self, number: usize, line: &[u8]) {
        if number == 1 {
            if line.starts_with(HEADER.as_bytes()) {
                return;
            }
            self.warnings.push(EventLogWarning::MissingHeader);
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let parsed = match std::str::from_utf8(line) {
            Ok(text) => CardEvent::parse(text),
            Err(_) => Err("not valid UTF-8".to_owned()),
        };
        match parsed {
            Ok(event) => self.events.push(event),
            Err(reason) => self.warnings.push(EventLogWarning::Malformed {
                line: number,
                reason,
            }),
        }
    }
}

/// Why an event could not be written or undone.
#[derive(Debug, thiserror::Error)]
pub enum EventLogError {
    #[error("cannot write the card events {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the card events {} changed while recall was writing them (expected {expected} bytes, found {found}); the last event was not undone",
        path.display()
    )]
    ChangedUnderUs {
        path: PathBuf,
        expected: u64,
        found: u64,
    },
    #[error("the card events {}: {error}", path.display())]
    Append { path: PathBuf, error: AppendError },
}

/// Appends events durably. Needs the data-dir lock, like the review log's
/// writer, so no other recall process writes at the same time.
#[derive(Debug)]
pub struct EventWriter {
    appender: Appender,
    /// The file's length as this writer left it.
    len: u64,
    /// Where each line this writer appended starts: what undo may remove.
    own_lines: Vec<u64>,
}

/// Whether `line` (without its newline) reads back as one event.
fn is_event_line(line: &str) -> bool {
    CardEvent::parse(line).is_ok()
}

impl EventWriter {
    /// Opens (or creates) the file for appending; `_lock` proves no other
    /// recall process is writing. A new file's directory entry is synced.
    pub fn open(path: &Path, _lock: &DataLock) -> Result<EventWriter, EventLogError> {
        let io = |source| EventLogError::Io {
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
        let appender = Appender::new(Box::new(file), path, HEADER, is_event_line).map_err(io)?;
        let len = appender.file_len().map_err(io)?;
        Ok(EventWriter {
            appender,
            len,
            own_lines: Vec::new(),
        })
    }

    fn io(&self, source: std::io::Error) -> EventLogError {
        EventLogError::Io {
            path: self.appender.path().to_path_buf(),
            source,
        }
    }

    fn append_error(&self, error: AppendError) -> EventLogError {
        EventLogError::Append {
            path: self.appender.path().to_path_buf(),
            error,
        }
    }

    /// Appends one event as one line with a single write, then syncs it:
    /// when this returns `Ok`, the event survives a power cut; when it
    /// fails, the file is as it was (see [`append`]).
    pub fn append(&mut self, event: &CardEvent) -> Result<(), EventLogError> {
        let line = event.to_line();
        let start = self
            .appender
            .append(&line)
            .map_err(|e| self.append_error(e))?;
        self.len = start + line.len() as u64;
        self.own_lines.push(start);
        Ok(())
    }

    /// Appends `events` as whole lines with a single write, then syncs (an
    /// import's events): all of them survive, or the file is as it was.
    /// Neither they nor the lines appended before them can be undone.
    pub fn append_batch(&mut self, events: &[CardEvent]) -> Result<(), EventLogError> {
        if events.is_empty() {
            return Ok(());
        }
        let lines: String = events.iter().map(CardEvent::to_line).collect();
        self.appender
            .append(&lines)
            .map_err(|e| self.append_error(e))?;
        // Nothing before the batch can be undone now. `len` is read only
        // while there is, and the next append sets it.
        self.own_lines.clear();
        Ok(())
    }

    /// Removes the last line this writer appended, then syncs. `false` when
    /// this writer has nothing (left) to undo.
    pub fn undo_last(&mut self) -> Result<bool, EventLogError> {
        let Some(&start) = self.own_lines.last() else {
            return Ok(false);
        };
        self.appender
            .check_same_file()
            .map_err(|e| self.append_error(e))?;
        let found = self.appender.file_len().map_err(|e| self.io(e))?;
        if found != self.len {
            return Err(EventLogError::ChangedUnderUs {
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

    fn event(kind: EventKind) -> CardEvent {
        CardEvent::new(
            "2026-11-25T09:31:02.120Z".parse().unwrap(),
            "deck/card".parse().unwrap(),
            kind,
        )
    }

    #[test]
    fn every_kind_round_trips_through_its_line() {
        for kind in EventKind::ALL {
            let line = event(kind).to_line();
            assert_eq!(
                CardEvent::parse(line.trim_end()).unwrap(),
                event(kind),
                "{line}"
            );
        }
        assert_eq!(
            event(EventKind::Suspend).to_line(),
            "2026-11-25T09:31:02.120Z,deck,card,suspend\n"
        );
    }

    #[test]
    fn bad_lines_are_warnings_with_their_line_number() {
        let text = format!(
            "{HEADER}\n2026-11-25T09:31:02.120Z,deck,card,explode\nnope\n2026-11-25T09:31:02.120Z,deck,card,bury,extra\n"
        );
        let log = EventLog::parse(text.as_bytes());
        assert_eq!(log.events, vec![event(EventKind::Bury)]);
        assert_eq!(log.warnings.len(), 2);
        assert!(
            matches!(&log.warnings[0], EventLogWarning::Malformed { line: 2, reason } if reason.contains("`explode`")),
            "{:?}",
            log.warnings
        );
        assert!(matches!(
            &log.warnings[1],
            EventLogWarning::Malformed { line: 3, .. }
        ));
    }

    #[test]
    fn a_missing_file_is_an_empty_log_and_any_other_read_error_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = EventLog::load(&dir.path().join("card_events.csv")).unwrap();
        assert_eq!(missing, EventLog::default());
        // A directory where the file should be: EISDIR, not "no events".
        let error = EventLog::load(dir.path()).unwrap_err();
        assert_ne!(error.kind(), std::io::ErrorKind::NotFound);
    }

    #[test]
    fn each_warning_says_which_line_and_what_happens_to_it() {
        let torn = EventLogWarning::TornTail { line: 7 }.to_string();
        assert!(torn.starts_with("line 7 is incomplete"), "{torn}");
        assert!(
            torn.contains("removed before the next event is saved"),
            "{torn}"
        );
        let malformed = EventLogWarning::Malformed {
            line: 3,
            reason: "no such kind".into(),
        };
        assert_eq!(malformed.to_string(), "line 3 skipped: no such kind");
        let header = EventLogWarning::MissingHeader.to_string();
        assert!(header.contains(HEADER), "{header}");
        assert!(header.contains("the file is left as it is"), "{header}");
    }
}
