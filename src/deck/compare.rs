//! Typed answers compared with the right answer, character by character,
//! the way Anki shows them: the typed text with its right characters, its
//! wrong ones, and a `-` for each one missing; then the right answer with
//! what was missed marked.
//!
//! Surrounding whitespace never counts; upper and lower case count as the
//! same unless [`TypeAnswer::ignore_case`] is off. Pure: no terminal here.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::TypeAnswer;

/// How a piece of a compared answer is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Typed as in the right answer.
    Good,
    /// Typed, but not in the right answer (wrong or extra characters).
    Bad,
    /// In the right answer but not typed: `-` placeholders in the typed
    /// line, the characters themselves in the right answer.
    Missing,
}

/// A run of characters with one mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub mark: Mark,
}

/// The two lines to show once a typed answer is revealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// Whether the typed answer counts as right.
    pub correct: bool,
    /// The typed text, marked (empty if nothing was typed).
    pub typed: Vec<Piece>,
    /// The right answer, marked.
    pub expected: Vec<Piece>,
}

/// The text as compared: trimmed, and lower-cased if case is ignored.
pub fn normalize(text: &str, rule: TypeAnswer) -> String {
    let text = text.trim();
    if rule.ignore_case {
        text.to_lowercase()
    } else {
        text.to_owned()
    }
}

/// Whether `typed` is right: equal to `expected` after [`normalize`].
pub fn is_correct(typed: &str, expected: &str, rule: TypeAnswer) -> bool {
    normalize(typed, rule) == normalize(expected, rule)
}

/// One character's comparison key: itself, or its lower case.
fn key(c: char, rule: TypeAnswer) -> String {
    if rule.ignore_case {
        c.to_lowercase().collect()
    } else {
        c.to_string()
    }
}

fn push(pieces: &mut Vec<Piece>, text: &str, mark: Mark) {
    if text.is_empty() {
        return;
    }
    match pieces.last_mut() {
        Some(last) if last.mark == mark => last.text.push_str(text),
        _ => pieces.push(Piece {
            text: text.to_owned(),
            mark,
        }),
    }
}

/// Compares a typed answer with the right one.
pub fn compare(typed: &str, expected: &str, rule: TypeAnswer) -> Comparison {
    let typed_chars: Vec<char> = typed.trim().chars().collect();
    let expected_chars: Vec<char> = expected.trim().chars().collect();
    let typed_keys: Vec<String> = typed_chars.iter().map(|&c| key(c, rule)).collect();
    let expected_keys: Vec<String> = expected_chars.iter().map(|&c| key(c, rule)).collect();
    let text = |chars: &[char]| chars.iter().collect::<String>();
    let mut out_typed = Vec::new();
    let mut out_expected = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &expected_keys, &typed_keys) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                push(
                    &mut out_typed,
                    &text(&typed_chars[new_index..new_index + len]),
                    Mark::Good,
                );
                push(
                    &mut out_expected,
                    &text(&expected_chars[old_index..old_index + len]),
                    Mark::Good,
                );
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                push(&mut out_typed, &"-".repeat(old_len), Mark::Missing);
                push(
                    &mut out_expected,
                    &text(&expected_chars[old_index..old_index + old_len]),
                    Mark::Missing,
                );
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                push(
                    &mut out_typed,
                    &text(&typed_chars[new_index..new_index + new_len]),
                    Mark::Bad,
                );
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(
                    &mut out_typed,
                    &text(&typed_chars[new_index..new_index + new_len]),
                    Mark::Bad,
                );
                push(
                    &mut out_expected,
                    &text(&expected_chars[old_index..old_index + old_len]),
                    Mark::Missing,
                );
            }
        }
    }
    Comparison {
        correct: is_correct(typed, expected, rule),
        typed: out_typed,
        expected: out_expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CASE: TypeAnswer = TypeAnswer { ignore_case: true };
    const EXACT: TypeAnswer = TypeAnswer { ignore_case: false };

    fn piece(text: &str, mark: Mark) -> Piece {
        Piece {
            text: text.into(),
            mark,
        }
    }

    #[test]
    fn a_right_answer_is_all_good() {
        let c = compare("  paris ", "Paris", CASE);
        assert!(c.correct);
        assert_eq!(c.typed, [piece("paris", Mark::Good)]);
        assert_eq!(c.expected, [piece("Paris", Mark::Good)]);
        assert!(!compare("paris", "Paris", EXACT).correct);
    }

    #[test]
    fn wrong_and_missing_characters_are_marked() {
        let c = compare("Pris", "Paris", CASE);
        assert!(!c.correct);
        assert_eq!(
            c.typed,
            [
                piece("P", Mark::Good),
                piece("-", Mark::Missing),
                piece("ris", Mark::Good)
            ]
        );
        assert_eq!(
            c.expected,
            [
                piece("P", Mark::Good),
                piece("a", Mark::Missing),
                piece("ris", Mark::Good)
            ]
        );
        let c = compare("Parxs", "Paris", CASE);
        assert_eq!(
            c.typed,
            [
                piece("Par", Mark::Good),
                piece("x", Mark::Bad),
                piece("s", Mark::Good)
            ]
        );
        assert_eq!(
            c.expected,
            [
                piece("Par", Mark::Good),
                piece("i", Mark::Missing),
                piece("s", Mark::Good)
            ]
        );
    }

    #[test]
    fn nothing_typed_misses_everything() {
        let c = compare("", "Rome", CASE);
        assert_eq!(c.typed, [piece("----", Mark::Missing)]);
        assert_eq!(c.expected, [piece("Rome", Mark::Missing)]);
    }

    #[test]
    fn unicode_is_compared_by_character() {
        let c = compare("ÉCOLE", "école", CASE);
        assert!(c.correct);
        let c = compare("東京都", "東京", CASE);
        assert_eq!(c.typed, [piece("東京", Mark::Good), piece("都", Mark::Bad)]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The marked lines always rebuild the typed and the right text, and
        /// an answer is right exactly when nothing is marked wrong.
        #[test]
        fn pieces_rebuild_both_texts(typed in "[aAbé日 ]{0,10}", expected in "[aAbé日]{1,10}") {
            let c = compare(&typed, &expected, CASE);
            let typed_back: String = c.typed.iter().filter(|p| p.mark != Mark::Missing)
                .map(|p| p.text.as_str()).collect();
            prop_assert_eq!(typed_back, typed.trim());
            let expected_back: String = c.expected.iter().map(|p| p.text.as_str()).collect();
            prop_assert_eq!(expected_back, expected.trim());
            let all_good = c.typed.iter().chain(&c.expected).all(|p| p.mark == Mark::Good);
            prop_assert_eq!(c.correct, all_good);
        }
    }
}
