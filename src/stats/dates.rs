//! Instants to study dates and local hours. A study date is the local date
//! on which the study day (from `day_starts_at` to the same hour the next
//! day) began, so a review at 02:00 with days starting at 4 counts for the
//! day before, as in Anki and [`crate::day::StudyDay`].
//!
//! Converting a million instants through a time zone is the slow part of
//! the statistics, so the zone's offset is looked up once per quarter hour
//! of UTC time (offsets only change on such boundaries) and reused for
//! neighbouring reviews, which logs keep together.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Timelike, Utc};

/// Study dates and hours in one time zone.
#[derive(Debug)]
pub struct Dates<'a, Tz: TimeZone> {
    zone: &'a Tz,
    day_starts_at: TimeDelta,
    /// The quarter hour (UTC seconds / 900) whose offset is cached.
    bucket: i64,
    offset: TimeDelta,
}

impl<'a, Tz: TimeZone> Dates<'a, Tz> {
    pub fn new(zone: &'a Tz, day_starts_at: u32) -> Self {
        Self {
            zone,
            day_starts_at: TimeDelta::hours(i64::from(day_starts_at.min(23))),
            bucket: i64::MIN,
            offset: TimeDelta::zero(),
        }
    }

    /// The local wall-clock time of `at`.
    pub fn local(&mut self, at: DateTime<Utc>) -> NaiveDateTime {
        let bucket = at.timestamp().div_euclid(900);
        if bucket != self.bucket {
            let offset = self.zone.offset_from_utc_datetime(&at.naive_utc()).fix();
            self.offset = TimeDelta::seconds(i64::from(offset.local_minus_utc()));
            self.bucket = bucket;
        }
        at.naive_utc() + self.offset
    }

    /// The study date `at` belongs to.
    pub fn study_date(&mut self, at: DateTime<Utc>) -> NaiveDate {
        (self.local(at) - self.day_starts_at).date()
    }

    /// The local hour of `at`, 0 to 23.
    pub fn hour(&mut self, at: DateTime<Utc>) -> u32 {
        self.local(at).hour()
    }
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::*;
    use crate::day::StudyDay;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn study_dates_change_at_day_starts_at_local_time() {
        let paris = FixedOffset::east_opt(3600).unwrap();
        let mut dates = Dates::new(&paris, 4);
        // 02:59 in Paris is still the 24th; 03:00 UTC = 04:00 Paris is the 25th.
        assert_eq!(
            dates.study_date(utc("2026-11-25T02:59:59Z")).to_string(),
            "2026-11-24"
        );
        assert_eq!(
            dates.study_date(utc("2026-11-25T03:00:00Z")).to_string(),
            "2026-11-25"
        );
        assert_eq!(dates.hour(utc("2026-11-25T03:00:00Z")), 4);
    }

    #[test]
    fn agrees_with_the_study_day() {
        let zone = FixedOffset::west_opt(5 * 3600).unwrap();
        let mut dates = Dates::new(&zone, 4);
        let mut at = utc("2026-03-01T00:00:00Z");
        for _ in 0..200 {
            let day = StudyDay::containing(at, 4, &zone);
            let start_date = dates.study_date(day.start);
            assert_eq!(dates.study_date(at), start_date, "{at}");
            assert_eq!(
                dates.study_date(day.end - TimeDelta::milliseconds(1)),
                start_date
            );
            at += TimeDelta::minutes(97);
        }
    }
}
