//! The one place that reads the system clock. Everything else is given
//! instants, so tests control time.
//!
//! `RECALL_NOW` (an RFC 3339 time) starts the clock at that instant instead
//! of the real time; it then runs forward at normal speed. It exists for
//! tests and demos: see "Testing" in README.

use chrono::{DateTime, TimeDelta, Utc};

/// The environment variable that sets the starting time.
pub const NOW_ENV: &str = "RECALL_NOW";

/// The system clock, possibly shifted to start at a chosen instant.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    offset: TimeDelta,
}

impl Clock {
    pub fn system() -> Clock {
        Clock {
            offset: TimeDelta::zero(),
        }
    }

    /// A clock reading `start` now, then running forward in real time.
    pub fn starting_at(start: DateTime<Utc>) -> Clock {
        Clock {
            offset: start - Utc::now(),
        }
    }

    /// The system clock, or one starting at `RECALL_NOW` if that is set.
    pub fn from_env() -> Result<Clock, BadNow> {
        match std::env::var(NOW_ENV) {
            Ok(text) => DateTime::parse_from_rfc3339(&text)
                .map(|start| Clock::starting_at(start.with_timezone(&Utc)))
                .map_err(|_| BadNow(text)),
            Err(_) => Ok(Clock::system()),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{NOW_ENV}={0:?} is not an RFC 3339 time such as 2026-11-25T09:30:00Z")]
pub struct BadNow(String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_starts_at_its_instant_and_runs_forward() {
        let start: DateTime<Utc> = "2030-01-01T00:00:00Z".parse().unwrap();
        let clock = Clock::starting_at(start);
        let first = clock.now();
        assert!(first >= start && first - start < TimeDelta::seconds(5));
        assert!(clock.now() >= first);
    }
}
