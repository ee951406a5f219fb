//! Card search: a subset of Anki's search syntax, parsed into a [`Query`]
//! and matched against plain [`Facts`] about each card. Pure: the browser
//! and `recall cards` build the facts, this module only reads them.
//!
//! ```text
//! dog cat            both words, in the front or back (case and accents ignored)
//! "a phrase"         the words together, in this order
//! deck:aws*          deck id or name, `*` matches anything
//! tag:network        a tag (`*` matches anything)
//! is:new is:learn is:review is:due is:suspended is:buried is:leech is:marked
//! prop:ivl>=10       interval in days; also prop:due (days from today),
//!                    prop:lapses, prop:reps, prop:r (retrievability 0-1),
//!                    prop:s (stability, days), prop:d (difficulty 1-10);
//!                    with = != < <= > >=
//! rated:3            reviewed in the last 3 study days (1 = today)
//! -term              not term
//! a or b             either (and binds tighter: `a b or c` is `(a b) or c`)
//! (a or b) c         parentheses group
//! ```
//!
//! - [`parse`]: text to query, errors pointing at the bad term.
//! - [`facts`]: what a card is, for matching and for the browser's columns.
//! - [`fold`]: the case- and accent-insensitive form of text.

mod facts;
mod fold;
mod parse;

pub use facts::{Column, Facts, all, sort_by};
pub use fold::fold;
pub use parse::{SearchError, parse};

/// A parsed search. The empty query matches every card.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// Every card.
    All,
    Term(Term),
    Not(Box<Query>),
    And(Vec<Query>),
    Or(Vec<Query>),
}

/// One condition on a card.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// Folded text found in the front or back (a word or a phrase).
    Text(String),
    /// Deck id or name, folded, as a glob with `*`.
    Deck(String),
    /// A tag, folded, as a glob with `*`.
    Tag(String),
    Is(Is),
    Prop(Prop, Compare, f64),
    /// Reviewed within the last N study days (1 = today).
    Rated(u32),
}

/// `is:` kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Is {
    New,
    /// Learning or relearning.
    Learn,
    /// Past learning: Review or Relearning, as in Anki.
    Review,
    /// Due before the study day ends.
    Due,
    Suspended,
    Buried,
    Leech,
    Marked,
}

/// `prop:` properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prop {
    /// Interval, days.
    Ivl,
    /// Due, in days from today (0 today, negative overdue).
    Due,
    Lapses,
    Reps,
    /// Retrievability, 0 to 1.
    R,
    /// Stability, days.
    S,
    /// Difficulty, 1 to 10.
    D,
}

/// A comparison in `prop:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Compare {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Compare::Eq => a == b,
            Compare::Ne => a != b,
            Compare::Lt => a < b,
            Compare::Le => a <= b,
            Compare::Gt => a > b,
            Compare::Ge => a >= b,
        }
    }
}

impl Query {
    /// Whether the card with these facts matches.
    pub fn matches(&self, card: &Facts) -> bool {
        match self {
            Query::All => true,
            Query::Term(term) => term.matches(card),
            Query::Not(query) => !query.matches(card),
            Query::And(queries) => queries.iter().all(|q| q.matches(card)),
            Query::Or(queries) => queries.iter().any(|q| q.matches(card)),
        }
    }
}

impl Term {
    fn matches(&self, card: &Facts) -> bool {
        match self {
            Term::Text(text) => card.text.contains(text.as_str()),
            Term::Deck(pattern) => glob(pattern, &card.deck_id) || glob(pattern, &card.deck_name),
            Term::Tag(pattern) => card.tags.iter().any(|tag| glob(pattern, tag)),
            Term::Is(is) => match is {
                Is::New => card.state == crate::schedule::State::New,
                Is::Learn => matches!(
                    card.state,
                    crate::schedule::State::Learning | crate::schedule::State::Relearning
                ),
                Is::Review => matches!(
                    card.state,
                    crate::schedule::State::Review | crate::schedule::State::Relearning
                ),
                Is::Due => card.is_due,
                Is::Suspended => card.suspended,
                Is::Buried => card.buried,
                Is::Leech => card.leech,
                Is::Marked => card.marked,
            },
            Term::Prop(prop, compare, value) => {
                let actual = match prop {
                    Prop::Ivl => card.interval_days,
                    Prop::Due => card.due_days.map(|d| d as f64),
                    Prop::Lapses => Some(f64::from(card.lapses)),
                    Prop::Reps => Some(f64::from(card.reviews)),
                    Prop::R => card.retrievability,
                    Prop::S => card.stability,
                    Prop::D => card.difficulty,
                };
                actual.is_some_and(|actual| compare.holds(actual, *value))
            }
            Term::Rated(days) => card
                .rated_days_ago
                .is_some_and(|ago| ago < i64::from(*days)),
        }
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of
/// characters (both already folded).
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("aws*", "aws-api-gateway"));
        assert!(glob("*gate*", "aws-api-gateway"));
        assert!(glob("*way", "aws-api-gateway"));
        assert!(glob("a*i*y", "aws-api-gateway"));
        assert!(glob("aws-api-gateway", "aws-api-gateway"));
        assert!(!glob("aws", "aws-api-gateway"));
        assert!(!glob("*x*", "aws-api-gateway"));
        assert!(glob("*", ""));
        // The end must not overlap what the middle consumed.
        assert!(!glob("ab*ba", "aba"));
    }
}
