//! The search text parsed into a [`Query`]: tokens (words, phrases, `-`,
//! parentheses, `or`), then `or` of `and`s of terms. A bad query is a
//! [`SearchError`] naming the term and its column.

use super::fold::fold;
use super::{Compare, Is, Prop, Query, Term};

/// A query that cannot be read, pointing at the bad term.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{term}` (column {column}): {message}")]
pub struct SearchError {
    /// The term as written.
    pub term: String,
    /// Where it starts, in characters from 1.
    pub column: usize,
    /// Its length in characters (at least 1), to underline it.
    pub width: usize,
    /// What is wrong and what to write instead.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A word or `name:value`, quotes removed.
    Word(String),
    /// A `"quoted phrase"`.
    Phrase(String),
    Not,
    Open,
    Close,
    Or,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// As written.
    text: String,
    /// Character offset from 0.
    start: usize,
}

impl Token {
    fn error(&self, message: impl Into<String>) -> SearchError {
        SearchError {
            term: self.text.clone(),
            column: self.start + 1,
            width: self.text.chars().count().max(1),
            message: message.into(),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, SearchError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let single = |kind| Token {
            kind,
            text: c.to_string(),
            start,
        };
        match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => tokens.push(single(Kind::Open)),
            ')' => tokens.push(single(Kind::Close)),
            '-' if chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) => {
                tokens.push(single(Kind::Not))
            }
            '"' => {
                let end = (i + 1..chars.len()).find(|&j| chars[j] == '"');
                let Some(end) = end else {
                    return Err(SearchError {
                        term: chars[i..].iter().collect(),
                        column: i + 1,
                        width: chars.len() - i,
                        message: "the quote is not closed; add a `\"` after the phrase".into(),
                    });
                };
                tokens.push(Token {
                    kind: Kind::Phrase(chars[i + 1..end].iter().collect()),
                    text: chars[i..=end].iter().collect(),
                    start,
                });
                i = end + 1;
                continue;
            }
            _ => {
                // A word runs to white space or a parenthesis; a quote inside
                // it (`deck:"My deck"`) runs to the closing quote.
                let mut value = String::new();
                let mut j = i;
                while j < chars.len() && !chars[j].is_whitespace() && !"()".contains(chars[j]) {
                    if chars[j] == '"' {
                        let Some(end) = (j + 1..chars.len()).find(|&k| chars[k] == '"') else {
                            return Err(SearchError {
                                term: chars[i..].iter().collect(),
                                column: i + 1,
                                width: chars.len() - i,
                                message: "the quote is not closed; add a `\"` at the end".into(),
                            });
                        };
                        value.extend(&chars[j + 1..end]);
                        j = end + 1;
                    } else {
                        value.push(chars[j]);
                        j += 1;
                    }
                }
                let text: String = chars[i..j].iter().collect();
                let kind = if text.eq_ignore_ascii_case("or") {
                    Kind::Or
                } else {
                    Kind::Word(value)
                };
                tokens.push(Token { kind, text, start });
                i = j;
                continue;
            }
        }
        i += 1;
    }
    Ok(tokens)
}

/// Parses search text; blank text is [`Query::All`].
pub fn parse(text: &str) -> Result<Query, SearchError> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Ok(Query::All);
    }
    let mut parser = Parser { tokens, at: 0 };
    let query = parser.or()?;
    match parser.peek() {
        None => Ok(query),
        Some(token) if token.kind == Kind::Close => {
            Err(token.error("this `)` closes nothing; remove it or add a `(` before"))
        }
        Some(token) => Err(token.error("unexpected here")),
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn or(&mut self) -> Result<Query, SearchError> {
        let mut alternatives = vec![self.and()?];
        while let Some(token) = self.peek() {
            if token.kind != Kind::Or {
                break;
            }
            let or = self.next().unwrap_or_else(|| unreachable!("peeked"));
            match self.peek() {
                None => return Err(or.error("`or` needs a term after it")),
                Some(next) if matches!(next.kind, Kind::Or | Kind::Close) => {
                    return Err(or.error("`or` needs a term after it"));
                }
                Some(_) => alternatives.push(self.and()?),
            }
        }
        Ok(one_or(alternatives, Query::Or))
    }

    fn and(&mut self) -> Result<Query, SearchError> {
        let mut terms = Vec::new();
        while let Some(token) = self.peek() {
            match token.kind {
                Kind::Or if terms.is_empty() => {
                    return Err(token.error("`or` needs a term before it"));
                }
                Kind::Or | Kind::Close => break,
                _ => terms.push(self.unary()?),
            }
        }
        Ok(one_or(terms, Query::And))
    }

    fn unary(&mut self) -> Result<Query, SearchError> {
        let Some(token) = self.next() else {
            return Ok(Query::All);
        };
        match token.kind {
            Kind::Not => match self.peek() {
                Some(next) if !matches!(next.kind, Kind::Or | Kind::Close) => {
                    Ok(Query::Not(Box::new(self.unary()?)))
                }
                _ => Err(token.error("`-` needs a term right after it, e.g. -tag:done")),
            },
            Kind::Open => {
                if self.peek().is_some_and(|t| t.kind == Kind::Close) {
                    return Err(token.error("empty parentheses; put a term inside or remove them"));
                }
                let inner = self.or()?;
                match self.next() {
                    Some(close) if close.kind == Kind::Close => Ok(inner),
                    _ => Err(token.error("this `(` is not closed; add a `)`")),
                }
            }
            Kind::Phrase(ref phrase) => {
                let folded = fold(phrase.trim());
                if folded.is_empty() {
                    return Err(token.error("an empty phrase; write words between the quotes"));
                }
                Ok(Query::Term(Term::Text(folded)))
            }
            Kind::Word(ref word) => term(&token, word).map(Query::Term),
            Kind::Close | Kind::Or => Err(token.error("unexpected here")),
        }
    }
}

fn one_or(mut queries: Vec<Query>, many: fn(Vec<Query>) -> Query) -> Query {
    if queries.len() == 1 {
        queries.pop().unwrap_or(Query::All)
    } else {
        many(queries)
    }
}

const PREFIXES: &str = "deck:, tag:, is:, prop:, rated:";

fn term(token: &Token, word: &str) -> Result<Term, SearchError> {
    let Some((name, value)) = word.split_once(':') else {
        return Ok(Term::Text(fold(word)));
    };
    let name = name.to_ascii_lowercase();
    let empty = || token.error(format!("`{name}:` needs a value, e.g. {}", example(&name)));
    match name.as_str() {
        "deck" | "tag" => {
            if value.is_empty() {
                return Err(empty());
            }
            let pattern = fold(value);
            Ok(if name == "deck" {
                Term::Deck(pattern)
            } else {
                Term::Tag(pattern)
            })
        }
        "is" => {
            let is = match value.to_ascii_lowercase().as_str() {
                "new" => Is::New,
                "learn" => Is::Learn,
                "review" => Is::Review,
                "due" => Is::Due,
                "suspended" => Is::Suspended,
                "buried" => Is::Buried,
                "leech" => Is::Leech,
                "marked" => Is::Marked,
                "" => return Err(empty()),
                _ => {
                    return Err(token.error(
                        "unknown `is:`; use is:new, is:learn, is:review, is:due, is:suspended, is:buried, is:leech or is:marked",
                    ));
                }
            };
            Ok(Term::Is(is))
        }
        "prop" => prop(token, value),
        "rated" => match value.parse::<u32>() {
            Ok(days) if days >= 1 => Ok(Term::Rated(days)),
            _ if value.is_empty() => Err(empty()),
            _ => Err(token.error(
                "`rated:` takes a number of days from 1 (today), e.g. rated:7 for the last week",
            )),
        },
        _ if name.chars().all(|c| c.is_alphabetic()) && !name.is_empty() => Err(token.error(
            format!(
                "unknown search `{name}:`; the searches are {PREFIXES} (quote the word, \"{word}\", to find it as text)"
            ),
        )),
        _ => Ok(Term::Text(fold(word))),
    }
}

fn example(name: &str) -> &'static str {
    match name {
        "deck" => "deck:aws*",
        "tag" => "tag:networking",
        "is" => "is:due",
        "prop" => "prop:ivl>=10",
        _ => "rated:7",
    }
}

fn prop(token: &Token, value: &str) -> Result<Term, SearchError> {
    let name_end = value.find(|c: char| "<>=!".contains(c)).ok_or_else(|| {
        token.error("`prop:` needs a comparison, e.g. prop:ivl>=10 or prop:r<0.8")
    })?;
    let (name, rest) = value.split_at(name_end);
    let prop = match name.to_ascii_lowercase().as_str() {
        "ivl" => Prop::Ivl,
        "due" => Prop::Due,
        "lapses" => Prop::Lapses,
        "reps" => Prop::Reps,
        "r" => Prop::R,
        "s" => Prop::S,
        "d" => Prop::D,
        _ => {
            return Err(token.error(format!(
                "unknown property `{name}`; use ivl, due, lapses, reps, r, s or d"
            )));
        }
    };
    let (compare, number) = [
        ("<=", Compare::Le),
        (">=", Compare::Ge),
        ("!=", Compare::Ne),
        ("<", Compare::Lt),
        (">", Compare::Gt),
        ("=", Compare::Eq),
    ]
    .into_iter()
    .find_map(|(op, compare)| rest.strip_prefix(op).map(|n| (compare, n)))
    .ok_or_else(|| token.error("the comparison must be one of = != < <= > >="))?;
    let number: f64 = number
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite())
        .ok_or_else(|| {
            token.error(format!(
                "`{number}` is not a number; write e.g. prop:{name}>=3"
            ))
        })?;
    Ok(Term::Prop(prop, compare, number))
}
