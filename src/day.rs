//! The study day: "today" runs from `day_starts_at` (an hour, local time) to
//! the same hour the next day, as in Anki, so a late-night session counts for
//! the day it belongs to. The time zone is a parameter, so tests fix it.

use chrono::{DateTime, Days, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// One study day, as an interval of instants: `start <= t < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StudyDay {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl StudyDay {
    /// The study day that contains `now`, for days starting at `starts_at`
    /// o'clock (0 to 23; larger values count as 23) in `zone`.
    pub fn containing<Tz: TimeZone>(now: DateTime<Utc>, starts_at: u32, zone: &Tz) -> StudyDay {
        let hour = NaiveTime::from_hms_opt(starts_at.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
        let local = now.with_timezone(zone).naive_local();
        let mut date = local.date();
        if local.time() < hour {
            date = date.pred_opt().unwrap_or(date);
        }
        let start = to_utc(date.and_time(hour), zone);
        let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
        let end = to_utc(next.and_time(hour), zone);
        StudyDay { start, end }
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }
}

/// A local time as an instant. When clocks go back the earlier instant wins;
/// when they spring forward over it, the first instant after the gap.
fn to_utc<Tz: TimeZone>(local: NaiveDateTime, zone: &Tz) -> DateTime<Utc> {
    let mut probe = local;
    for _ in 0..4 {
        if let Some(at) = zone.from_local_datetime(&probe).earliest() {
            return at.with_timezone(&Utc);
        }
        probe += chrono::TimeDelta::minutes(30);
    }
    local.and_utc()
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn the_day_starts_at_the_configured_local_hour() {
        let paris = FixedOffset::east_opt(3600).unwrap();
        // 02:30 in Paris is still the previous study day when days start at 4.
        let day = StudyDay::containing(utc("2026-11-25T01:30:00Z"), 4, &paris);
        assert_eq!(day.start, utc("2026-11-24T03:00:00Z"));
        assert_eq!(day.end, utc("2026-11-25T03:00:00Z"));
        // 05:00 in Paris is the new day.
        let day = StudyDay::containing(utc("2026-11-25T04:00:00Z"), 4, &paris);
        assert_eq!(day.start, utc("2026-11-25T03:00:00Z"));
        assert!(day.contains(utc("2026-11-25T04:00:00Z")));
        assert!(!day.contains(day.end));
    }

    #[test]
    fn midnight_days() {
        let day = StudyDay::containing(utc("2026-11-25T00:00:00Z"), 0, &Utc);
        assert_eq!(day.start, utc("2026-11-25T00:00:00Z"));
        assert_eq!(day.end, utc("2026-11-26T00:00:00Z"));
    }
}
