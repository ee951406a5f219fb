//! `extra_new.csv`: extra new cards granted by custom study, one line per
//! grant (`granted_at,deck,extra_new`). A grant raises that deck's new-card
//! limit for the study day it was made in, as Anki's "increase today's new
//! card limit" does, and survives a restart. Append-only, through
//! [`super::append`]; lines that cannot be read are warnings, never fatal.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};

use super::DataLock;
use super::append;
use crate::day::StudyDay;
use crate::deck::DeckId;

pub const FILE_NAME: &str = "extra_new.csv";
pub const HEADER: &str = "granted_at,deck,extra_new";

/// Why the grants could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}", path.display())]
pub struct ExtraNewError {
    action: &'static str,
    path: PathBuf,
    #[source]
    source: std::io::Error,
}

/// Today's extra new cards per deck.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtraNew {
    today: HashMap<DeckId, u32>,
    /// `line N: what is wrong`, for lines that were skipped.
    pub warnings: Vec<String>,
}

impl ExtraNew {
    /// Reads the grants made during `day`; a missing file means none.
    pub fn load(path: &Path, day: &StudyDay) -> Result<ExtraNew, ExtraNewError> {
        match crate::read_file::read_regular_all(path) {
            Ok(bytes) => Ok(ExtraNew::parse(&String::from_utf8_lossy(&bytes), day)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(ExtraNew::default()),
            Err(source) => Err(ExtraNewError {
                action: "read",
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Parses the file's text, keeping the grants made during `day`.
    pub fn parse(text: &str, day: &StudyDay) -> ExtraNew {
        let mut extra = ExtraNew::default();
        for (index, line) in text.lines().enumerate() {
            if line == HEADER || line.trim().is_empty() {
                continue;
            }
            match parse_line(line) {
                Some((at, deck, count)) => {
                    if day.contains(at) {
                        let sum = extra.today.entry(deck).or_default();
                        *sum = sum.saturating_add(count);
                    }
                }
                None => extra.warnings.push(format!(
                    "line {}: expected `{HEADER}`, found {line:?}; skipped",
                    index + 1
                )),
            }
        }
        extra
    }

    /// The extra new cards granted to `deck` today.
    pub fn for_deck(&self, deck: &DeckId) -> u32 {
        self.today.get(deck).copied().unwrap_or(0)
    }

    /// Records a grant of `count` new cards to `deck` at `now`: one line,
    /// appended and synced. Needs the data-dir lock.
    pub fn grant(
        path: &Path,
        _lock: &DataLock,
        deck: &DeckId,
        count: u32,
        now: DateTime<Utc>,
    ) -> Result<(), ExtraNewError> {
        let io = |source| ExtraNewError {
            action: "write",
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            super::atomic::create_dir_all_synced(dir).map_err(io)?;
        }
        let existed = path.exists();
        let file = append::open(path).map_err(io)?;
        if !existed {
            super::atomic::sync_parent(path).map_err(io)?;
        }
        let line = format!(
            "{},{deck},{count}\n",
            now.to_rfc3339_opts(SecondsFormat::Millis, true)
        );
        let mut appender = append::Appender::new(Box::new(file), path, HEADER, |line| {
            parse_line(line).is_some()
        })
        .map_err(io)?;
        appender
            .append(&line)
            .map_err(|error| io(std::io::Error::other(error.to_string())))?;
        Ok(())
    }
}

fn parse_line(line: &str) -> Option<(DateTime<Utc>, DeckId, u32)> {
    let mut fields = line.split(',');
    let at = DateTime::parse_from_rfc3339(fields.next()?.trim()).ok()?;
    let deck = DeckId::new(fields.next()?.trim()).ok()?;
    let count = fields.next()?.trim().parse().ok()?;
    fields
        .next()
        .is_none()
        .then(|| (at.with_timezone(&Utc), deck, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_grants_file_is_an_error_not_no_grants() {
        let dir = tempfile::tempdir().unwrap();
        let day = StudyDay::containing("2026-11-25T09:30:00Z".parse().unwrap(), 4, &chrono::Utc);
        assert!(ExtraNew::load(&dir.path().join("none.csv"), &day).is_ok());
        assert!(ExtraNew::load(dir.path(), &day).is_err());
    }

    #[test]
    fn only_todays_grants_count_and_bad_lines_are_warnings() {
        let at = |t: &str| t.parse::<DateTime<Utc>>().unwrap();
        let day = StudyDay::containing(at("2026-11-25T09:00:00Z"), 4, &Utc);
        let text = format!(
            "{HEADER}\n2026-11-24T20:00:00.000Z,d,9\n2026-11-25T05:00:00.000Z,d,5\n\
             2026-11-25T06:00:00.000Z,d,3\n2026-11-25T06:00:00.000Z,e,2\nnonsense\n"
        );
        let extra = ExtraNew::parse(&text, &day);
        assert_eq!(extra.for_deck(&DeckId::new("d").unwrap()), 8);
        assert_eq!(extra.for_deck(&DeckId::new("e").unwrap()), 2);
        assert_eq!(extra.for_deck(&DeckId::new("f").unwrap()), 0);
        assert_eq!(extra.warnings.len(), 1);
        assert!(extra.warnings[0].starts_with("line 6:"));
    }

    #[test]
    fn a_grant_is_a_line_that_load_reads_back() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join(FILE_NAME);
        let lock = DataLock::acquire(dir.path()).unwrap();
        let now: DateTime<Utc> = "2026-11-25T09:00:00Z".parse().unwrap();
        let deck = DeckId::new("d").unwrap();
        ExtraNew::grant(&path, &lock, &deck, 5, now).unwrap();
        ExtraNew::grant(&path, &lock, &deck, 2, now).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            format!("{HEADER}\n2026-11-25T09:00:00.000Z,d,5\n2026-11-25T09:00:00.000Z,d,2\n")
        );
        let day = StudyDay::containing(now, 4, &Utc);
        assert_eq!(ExtraNew::load(&path, &day).unwrap().for_deck(&deck), 7);
    }
}
