//! A second look at one record's raw bytes, quote by quote, as the csv
//! crate reads them: where each field starts (for messages that point at a
//! field) and whether the quoting is broken.
//!
//! The csv crate accepts broken quoting silently: a quote that is never
//! closed swallows the rest of the file into one field, and a stray quote
//! pairs up with one on a later line. Both are worth a clear message.

/// Where the fields of a record start, and what is wrong with its quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFields {
    /// Byte offsets of each field's start within the record.
    pub starts: Vec<usize>,
    pub problem: Option<QuoteProblem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteProblem {
    /// A quoted field runs to the end of the input; `open` is its quote.
    Unterminated { open: usize },
    /// Text follows the quote at `close` that ended the quoted field that
    /// `open` started.
    TextAfterQuote { open: usize, close: usize },
}

#[derive(Debug, Clone, Copy)]
enum State {
    FieldStart,
    Unquoted,
    Quoted {
        open: usize,
    },
    /// A quote inside a quoted field: `""` (a quote) or the field's end.
    QuoteInQuoted {
        open: usize,
        at: usize,
    },
}

/// Scans one record (without its line terminator) separated by `separator`.
pub fn scan(raw: &[u8], separator: u8) -> RawFields {
    let mut starts = vec![0];
    let mut problem = None;
    let mut state = State::FieldStart;
    for (i, &byte) in raw.iter().enumerate() {
        state = match state {
            State::FieldStart | State::Unquoted if byte == separator => {
                starts.push(i + 1);
                State::FieldStart
            }
            State::FieldStart if byte == b'"' => State::Quoted { open: i },
            State::FieldStart | State::Unquoted => State::Unquoted,
            State::Quoted { open } if byte == b'"' => State::QuoteInQuoted { open, at: i },
            State::Quoted { open } => State::Quoted { open },
            State::QuoteInQuoted { open, at } => match byte {
                b'"' => State::Quoted { open },
                _ if byte == separator => {
                    starts.push(i + 1);
                    State::FieldStart
                }
                _ => {
                    problem.get_or_insert(QuoteProblem::TextAfterQuote { open, close: at });
                    State::Unquoted
                }
            },
        };
    }
    if let State::Quoted { open } = state {
        problem.get_or_insert(QuoteProblem::Unterminated { open });
    }
    RawFields { starts, problem }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_field_starts_across_quotes() {
        let raw = br#"a,"b,""c""",,d"#;
        assert_eq!(
            scan(raw, b','),
            RawFields {
                starts: vec![0, 2, 12, 13],
                problem: None
            }
        );
        assert_eq!(scan(b"x\ty", b'\t').starts, [0, 2]);
        assert_eq!(scan(b"\"multi\nline\",b", b',').problem, None);
    }

    #[test]
    fn reports_an_unclosed_quote() {
        assert_eq!(
            scan(b"a,\"b,c\nd", b',').problem,
            Some(QuoteProblem::Unterminated { open: 2 })
        );
        assert_eq!(
            scan(b"\"a\"\"", b',').problem,
            Some(QuoteProblem::Unterminated { open: 0 })
        );
    }

    #[test]
    fn reports_text_after_a_closing_quote() {
        assert_eq!(
            scan(b"\"a\"b,c", b',').problem,
            Some(QuoteProblem::TextAfterQuote { open: 0, close: 2 })
        );
        // A quote inside an unquoted field is just a character.
        assert_eq!(scan(b"say \"hi\",x", b',').problem, None);
    }
}
