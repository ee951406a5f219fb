//! Human-readable counts and spans of time, for screens and command output.

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

/// "1 card", "2 cards".
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// "integer" -> "an integer", as toml names value types.
pub fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

/// A span in its largest sensible unit, as Anki shows intervals: `45s`,
/// `10m`, `3h`, `4d`, `2.5mo`, `1.2y`. Negative spans count as zero.
pub fn interval(span: TimeDelta) -> String {
    let seconds = span.num_seconds().max(0);
    let days = seconds as f64 / 86_400.0;
    match seconds {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", (s as f64 / 60.0).round()),
        s if s < 86_400 => format!("{}h", (s as f64 / 3600.0).round()),
        _ if days < 30.0 => format!("{}d", days.round()),
        _ if days < 365.0 => format!("{:.1}mo", days / 30.0),
        _ => format!("{:.1}y", days / 365.0),
    }
}

/// Time spent, e.g. `45s`, `5m 03s`, `2h 10m`.
pub fn duration_ms(ms: u64) -> String {
    let seconds = ms / 1000;
    match seconds {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m {:02}s", s / 60, s % 60),
        s => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// When something is due, from `now`: `now`, `in 3d`, `2d ago`.
pub fn due(due: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> String {
    let span = due - now;
    if span.num_seconds().abs() < 60 {
        "now".to_owned()
    } else if span > TimeDelta::zero() {
        format!("in {}", interval(span))
    } else {
        format!("{} ago", interval(-span))
    }
}

/// When the next card comes, for the home screen and "nothing to study":
/// `next: 11:29` today, `next: tomorrow 08:15` within a day, else
/// `next review in 7 days`. `zone` is the local time zone.
pub fn next_due(due: DateTime<Utc>, now: DateTime<Utc>, zone: FixedOffset) -> String {
    let local = due.with_timezone(&zone);
    let today = now.with_timezone(&zone).date_naive();
    if due <= now {
        "next: now".to_owned()
    } else if local.date_naive() == today {
        format!("next: {}", local.format("%H:%M"))
    } else if due - now < TimeDelta::days(1) {
        format!("next: tomorrow {}", local.format("%H:%M"))
    } else {
        let days = ((due - now).num_seconds() as f64 / 86_400.0).round() as usize;
        format!("next review in {}", plural(days, "day"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_due_says_a_clock_time_today_and_days_beyond() {
        let now: DateTime<Utc> = "2026-11-25T09:30:00Z".parse().unwrap();
        let utc = FixedOffset::east_opt(0).unwrap();
        let cases = [
            (TimeDelta::minutes(-1), "next: now"),
            (TimeDelta::minutes(119), "next: 11:29"),
            (TimeDelta::hours(20), "next: tomorrow 05:30"),
            (
                TimeDelta::days(7) + TimeDelta::hours(2),
                "next review in 7 days",
            ),
            (TimeDelta::hours(30), "next review in 1 day"),
        ];
        for (span, text) in cases {
            assert_eq!(next_due(now + span, now, utc), text, "{span:?}");
        }
        let tokyo = FixedOffset::east_opt(9 * 3600).unwrap();
        assert_eq!(
            next_due(now + TimeDelta::hours(1), now, tokyo),
            "next: 19:30"
        );
    }

    #[test]
    fn intervals_use_the_largest_unit() {
        let cases = [
            (TimeDelta::seconds(-5), "0s"),
            (TimeDelta::seconds(45), "45s"),
            (TimeDelta::minutes(1), "1m"),
            (TimeDelta::minutes(10), "10m"),
            (TimeDelta::minutes(90), "2h"),
            (TimeDelta::hours(23), "23h"),
            (TimeDelta::days(1), "1d"),
            (TimeDelta::days(4), "4d"),
            (TimeDelta::days(75), "2.5mo"),
            (TimeDelta::days(438), "1.2y"),
        ];
        for (span, text) in cases {
            assert_eq!(interval(span), text, "{span:?}");
        }
        assert_eq!(plural(1, "card"), "1 card");
        assert_eq!(plural(0, "card"), "0 cards");
        assert_eq!(duration_ms(45_999), "45s");
        assert_eq!(duration_ms(303_000), "5m 03s");
        assert_eq!(duration_ms(7_800_000), "2h 10m");
    }
}
