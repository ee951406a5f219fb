//! Human-readable counts and spans of time, for screens and command output.

use chrono::TimeDelta;

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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
