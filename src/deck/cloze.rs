//! Cloze text in Anki's syntax: `{{c1::answer}}` and `{{c1::answer::hint}}`.
//!
//! - A deletion is `{{c` + a number from 1 to [`MAX_CLOZE`] + `::`, its
//!   answer, optionally `::` and a hint, and `}}`. As in Anki, the *first*
//!   `::` inside a deletion starts the hint, so `{{c1::a::b::c}}` has the
//!   answer `a` and the hint `b::c`.
//! - Several deletions may share a number: they are hidden together, on one
//!   card. Numbers need not be contiguous: `c1` and `c5` make two cards.
//! - `{{` that does not start `{{cN::` is plain text, and so is a `}}`
//!   outside a deletion.
//! - A deletion inside another is refused (Anki allows it; recall keeps one
//!   level so that every card's question is clear), as is an unclosed one.
//!
//! Offsets in errors are byte offsets into the text given to [`parse`].

use std::fmt;

/// The highest cloze number accepted.
pub const MAX_CLOZE: u32 = 999;

/// A cloze text split into plain text and deletions, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cloze {
    pub parts: Vec<Part>,
}

/// A piece of cloze text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(String),
    Deletion(Deletion),
}

/// One `{{cN::answer::hint}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deletion {
    pub number: u32,
    pub answer: String,
    pub hint: Option<String>,
}

/// What is wrong with a cloze text, and at which byte.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct ClozeError {
    pub offset: usize,
    pub kind: ClozeErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClozeErrorKind {
    /// No `{{cN::…}}` at all.
    NoDeletion,
    /// `{{cN::` without its `}}`.
    Unclosed { number: u32 },
    /// `{{cN::` inside another deletion.
    Nested { number: u32 },
    /// `{{c0::`, or a number above [`MAX_CLOZE`].
    BadNumber { number: String },
    /// `{{c1::}}`: nothing to recall.
    EmptyAnswer { number: u32 },
}

impl fmt::Display for ClozeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClozeErrorKind::NoDeletion => {
                f.write_str("the cloze text has no `{{c1::...}}` deletion")
            }
            ClozeErrorKind::Unclosed { number } => {
                write!(f, "`{{{{c{number}::` is not closed with `}}}}`")
            }
            ClozeErrorKind::Nested { number } => {
                write!(f, "`{{{{c{number}::` is inside another deletion")
            }
            ClozeErrorKind::BadNumber { number } => {
                write!(
                    f,
                    "cloze number `{number}` must be between 1 and {MAX_CLOZE}"
                )
            }
            ClozeErrorKind::EmptyAnswer { number } => {
                write!(f, "deletion `c{number}` has an empty answer")
            }
        }
    }
}

impl ClozeErrorKind {
    /// How to fix it, for the `help:` line.
    pub fn help(&self) -> &'static str {
        match self {
            ClozeErrorKind::NoDeletion => {
                "mark what to recall as {{c1::answer}}, or use `front` and `back` for a basic card"
            }
            ClozeErrorKind::Unclosed { .. } => "end the deletion with `}}`",
            ClozeErrorKind::Nested { .. } => {
                "close the first deletion before starting the next (deletions cannot be nested)"
            }
            ClozeErrorKind::BadNumber { .. } => "number deletions c1, c2, c3, ...",
            ClozeErrorKind::EmptyAnswer { .. } => "write the hidden text after `::`",
        }
    }
}

/// `{{cN::` at the start of `text`: the number as written and the length
/// of the opener. `None` if `text` does not start with one.
fn opener(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("{{c")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !rest[digits..].starts_with("::") {
        return None;
    }
    Some((&rest[..digits], 3 + digits + 2))
}

/// Parses cloze text; see the module doc for the syntax.
pub fn parse(text: &str) -> Result<Cloze, ClozeError> {
    let mut parts = Vec::new();
    let mut plain = String::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let Some((digits, open_len)) = opener(rest) else {
            let c = rest.chars().next().unwrap_or_default();
            plain.push(c);
            at += c.len_utf8();
            continue;
        };
        let number = match digits.parse::<u32>() {
            Ok(n) if (1..=MAX_CLOZE).contains(&n) => n,
            _ => {
                return Err(ClozeError {
                    offset: at,
                    kind: ClozeErrorKind::BadNumber {
                        number: digits.to_owned(),
                    },
                });
            }
        };
        let body_start = at + open_len;
        let body = &text[body_start..];
        let close = body.find("}}");
        // A second opener before the close is a nested deletion.
        let inner = body.match_indices("{{c").find_map(|(i, _)| {
            let (digits, _) = opener(&body[i..])?;
            Some((i, digits))
        });
        if let Some((i, digits)) = inner
            && close.is_none_or(|close| i < close)
        {
            return Err(ClozeError {
                offset: body_start + i,
                kind: ClozeErrorKind::Nested {
                    number: digits.parse().unwrap_or(0),
                },
            });
        }
        let Some(close) = close else {
            return Err(ClozeError {
                offset: at,
                kind: ClozeErrorKind::Unclosed { number },
            });
        };
        let inside = &body[..close];
        let (answer, hint) = match inside.split_once("::") {
            Some((answer, hint)) => (answer, Some(hint.to_owned())),
            None => (inside, None),
        };
        if answer.trim().is_empty() {
            return Err(ClozeError {
                offset: at,
                kind: ClozeErrorKind::EmptyAnswer { number },
            });
        }
        if !plain.is_empty() {
            parts.push(Part::Text(std::mem::take(&mut plain)));
        }
        parts.push(Part::Deletion(Deletion {
            number,
            answer: answer.to_owned(),
            hint: hint.filter(|hint| !hint.trim().is_empty()),
        }));
        at = body_start + close + 2;
    }
    if !plain.is_empty() {
        parts.push(Part::Text(plain));
    }
    let cloze = Cloze { parts };
    if cloze.numbers().is_empty() {
        return Err(ClozeError {
            offset: 0,
            kind: ClozeErrorKind::NoDeletion,
        });
    }
    Ok(cloze)
}

/// Text that a highlighted stretch of card text starts with (a private-use
/// character, so it never occurs in real text). See [`crate::deck::Card`].
pub const HIGHLIGHT_START: char = '\u{E000}';
/// Text that a highlighted stretch ends with.
pub const HIGHLIGHT_END: char = '\u{E001}';

/// `text` without highlight markers.
pub fn strip_highlights(text: &str) -> String {
    text.chars()
        .filter(|&c| c != HIGHLIGHT_START && c != HIGHLIGHT_END)
        .collect()
}

impl Cloze {
    /// The cloze numbers used, ascending, without repeats: one card each.
    pub fn numbers(&self) -> Vec<u32> {
        let mut numbers: Vec<u32> = self.deletions().map(|d| d.number).collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    }

    pub fn deletions(&self) -> impl Iterator<Item = &Deletion> {
        self.parts.iter().filter_map(|part| match part {
            Part::Deletion(deletion) => Some(deletion),
            Part::Text(_) => None,
        })
    }

    /// The question of card `number`: its deletions as `[...]` (or
    /// `[hint]`), highlighted; the others as their answers.
    pub fn question(&self, number: u32) -> String {
        self.render(number, |deletion| {
            format!("[{}]", deletion.hint.as_deref().unwrap_or("..."))
        })
    }

    /// The answer of card `number`: the text with its deletions filled in
    /// and highlighted.
    pub fn answer(&self, number: u32) -> String {
        self.render(number, |deletion| deletion.answer.clone())
    }

    /// What card `number` hides: its answers, joined by `, ` if several.
    pub fn hidden(&self, number: u32) -> String {
        self.deletions()
            .filter(|d| d.number == number)
            .map(|d| d.answer.trim())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn render(&self, number: u32, active: impl Fn(&Deletion) -> String) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Deletion(deletion) if deletion.number == number => {
                    out.push(HIGHLIGHT_START);
                    out.push_str(&active(deletion));
                    out.push(HIGHLIGHT_END);
                }
                Part::Deletion(deletion) => out.push_str(&deletion.answer),
            }
        }
        out
    }
}

/// Writes cloze parts back in Anki's syntax; [`parse`] reads it back equal.
pub fn write(cloze: &Cloze) -> String {
    let mut out = String::new();
    for part in &cloze.parts {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Deletion(d) => {
                out.push_str(&format!("{{{{c{}::{}", d.number, d.answer));
                if let Some(hint) = &d.hint {
                    out.push_str("::");
                    out.push_str(hint);
                }
                out.push_str("}}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn deletion(number: u32, answer: &str, hint: Option<&str>) -> Part {
        Part::Deletion(Deletion {
            number,
            answer: answer.into(),
            hint: hint.map(Into::into),
        })
    }

    #[test]
    fn parses_deletions_hints_and_text() {
        let cloze = parse("The {{c1::capital}} of France is {{c2::Paris::city}}.").unwrap();
        assert_eq!(
            cloze.parts,
            [
                Part::Text("The ".into()),
                deletion(1, "capital", None),
                Part::Text(" of France is ".into()),
                deletion(2, "Paris", Some("city")),
                Part::Text(".".into()),
            ]
        );
        assert_eq!(cloze.numbers(), [1, 2]);
        let s = HIGHLIGHT_START;
        let e = HIGHLIGHT_END;
        assert_eq!(
            cloze.question(2),
            format!("The capital of France is {s}[city]{e}.")
        );
        assert_eq!(
            cloze.question(1),
            format!("The {s}[...]{e} of France is Paris.")
        );
        assert_eq!(
            cloze.answer(2),
            format!("The capital of France is {s}Paris{e}.")
        );
    }

    #[test]
    fn repeated_numbers_hide_together_and_gaps_are_fine() {
        let cloze = parse("{{c3::a}} and {{c7::b}} and {{c3::c}}").unwrap();
        assert_eq!(cloze.numbers(), [3, 7]);
        assert_eq!(
            strip_highlights(&cloze.question(3)),
            "[...] and b and [...]"
        );
        assert_eq!(cloze.hidden(3), "a, c");
        assert_eq!(parse("{{c01::x}}").unwrap().numbers(), [1]);
    }

    #[test]
    fn the_first_double_colon_starts_the_hint() {
        let cloze = parse("{{c1::std::vec::Vec}}").unwrap();
        assert_eq!(cloze.parts, [deletion(1, "std", Some("vec::Vec"))]);
        // An empty hint is no hint.
        let cloze = parse("{{c1::a::}}").unwrap();
        assert_eq!(cloze.parts, [deletion(1, "a", None)]);
        // `::` outside a deletion is text.
        assert_eq!(
            parse("a::b {{c1::c}}").unwrap().parts[0],
            Part::Text("a::b ".into())
        );
    }

    #[test]
    fn unicode_text_and_answers() {
        let cloze = parse("日本の首都は{{c1::東京::とうきょう}}です 🎌").unwrap();
        assert_eq!(cloze.hidden(1), "東京");
        assert_eq!(
            strip_highlights(&cloze.question(1)),
            "日本の首都は[とうきょう]です 🎌"
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        let err = |text: &str| parse(text).unwrap_err();
        assert_eq!(
            err("no deletions {{here}}").kind,
            ClozeErrorKind::NoDeletion
        );
        let e = err("ab {{c1::open");
        assert_eq!(
            (e.offset, e.kind),
            (3, ClozeErrorKind::Unclosed { number: 1 })
        );
        let e = err("{{c1::a {{c2::b}} c}}");
        assert_eq!(
            (e.offset, e.kind),
            (8, ClozeErrorKind::Nested { number: 2 })
        );
        let e = err("x {{c0::a}}");
        assert_eq!(
            (e.offset, e.kind),
            (2, ClozeErrorKind::BadNumber { number: "0".into() })
        );
        assert!(matches!(
            err("{{c1000::a}}").kind,
            ClozeErrorKind::BadNumber { .. }
        ));
        assert_eq!(
            err("{{c2:: }}").kind,
            ClozeErrorKind::EmptyAnswer { number: 2 }
        );
    }

    #[test]
    fn braces_that_are_not_deletions_are_text() {
        let cloze = parse("{{c}} {{cx::y}} }} {{c1::z}} {{").unwrap();
        assert_eq!(cloze.numbers(), [1]);
        assert_eq!(
            strip_highlights(&cloze.answer(1)),
            "{{c}} {{cx::y}} }} z {{"
        );
    }

    fn any_part() -> impl Strategy<Value = Part> {
        // Text and answers from a small alphabet rich in the syntax's own
        // characters, without forming an opener or a close by themselves.
        let text = "[a-zé日 :{}]{1,8}".prop_filter("no syntax", |t: &String| {
            !t.contains("{{")
                && !t.contains("}}")
                && !t.ends_with('{')
                && !t.starts_with('}')
                && !t.ends_with('}')
        });
        let answer = "[a-zé日 ]{0,6}[a-z日]".prop_map(String::from);
        let hint = proptest::option::of("[a-z ]{0,4}[a-z]");
        prop_oneof![
            text.prop_map(Part::Text),
            (1u32..6, answer, hint).prop_map(|(number, answer, hint)| Part::Deletion(Deletion {
                number,
                answer,
                hint
            })),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn written_clozes_read_back_equal(parts in proptest::collection::vec(any_part(), 1..8)) {
            // Adjacent text parts merge when read; normalise the same way.
            let mut merged: Vec<Part> = Vec::new();
            for part in parts {
                match (merged.last_mut(), part) {
                    (Some(Part::Text(a)), Part::Text(b)) => a.push_str(&b),
                    (_, part) => merged.push(part),
                }
            }
            let cloze = Cloze { parts: merged };
            prop_assume!(!cloze.numbers().is_empty());
            let text = write(&cloze);
            prop_assert_eq!(parse(&text), Ok(cloze.clone()));
            // Every card's question hides exactly its own answers.
            for number in cloze.numbers() {
                let question = cloze.question(number);
                let highlighted = question.matches(HIGHLIGHT_START).count();
                prop_assert_eq!(highlighted, cloze.deletions().filter(|d| d.number == number).count());
            }
        }

        #[test]
        fn any_text_parses_or_fails_without_panicking(text in "[{}c0-9:a ]{0,30}") {
            match parse(&text) {
                Ok(cloze) => prop_assert!(!cloze.numbers().is_empty()),
                Err(error) => prop_assert!(error.offset <= text.len()),
            }
        }
    }
}
