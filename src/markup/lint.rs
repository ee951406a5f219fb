//! Card text that parses, but probably not as its writer meant: a code
//! fence that never closes (the rest of the card becomes code), a table
//! row with more or fewer cells than its header (cells are dropped or
//! added). These are warnings, never errors: the card still shows.

use pulldown_cmark::{Event, Parser, Tag};

/// A warning at a 1-based line and column of the card text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextWarning {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The warnings for one card text.
pub fn lint(text: &str) -> Vec<TextWarning> {
    let mut warnings = unclosed_fences(text);
    warnings.extend(ragged_tables(text));
    warnings.sort_by_key(|w| (w.line, w.column));
    warnings
}

/// A fence marker at the start of a line (after indentation and quote
/// markers): its column (1-based), character and length.
fn fence(line: &str) -> Option<(usize, char, usize, &str)> {
    let body = line.trim_start_matches([' ', '\t', '>']);
    let column = line.len() - body.len() + 1;
    let c = body.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = body.chars().take_while(|&x| x == c).count();
    (len >= 3).then(|| (column, c, len, &body[len..]))
}

fn unclosed_fences(text: &str) -> Vec<TextWarning> {
    let mut open: Option<(usize, usize, char, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let Some((column, c, len, rest)) = fence(line) else {
            continue;
        };
        match open {
            None => {
                // A backtick fence's info string cannot hold a backtick.
                if !(c == '`' && rest.contains('`')) {
                    open = Some((i + 1, column, c, len));
                }
            }
            Some((_, _, oc, olen)) if c == oc && len >= olen && rest.trim().is_empty() => {
                open = None;
            }
            Some(_) => {}
        }
    }
    open.map(|(line, column, c, len)| TextWarning {
        line,
        column,
        message: format!(
            "code block opened with {} is never closed; the rest of the text shows as code \
             (close it with a line of {0})",
            c.to_string().repeat(len)
        ),
    })
    .into_iter()
    .collect()
}

/// Cells in one table source line: unescaped `|`s (as in GitHub's tables,
/// a `|` splits cells even inside a code span).
fn cell_count(line: &str) -> usize {
    let body = line.trim();
    let body = body.strip_prefix('|').unwrap_or(body);
    let mut pipes = 0;
    let mut chars = body.chars().peekable();
    let mut ends_with_pipe = false;
    while let Some(c) = chars.next() {
        ends_with_pipe = false;
        match c {
            '\\' => {
                chars.next();
            }
            '|' => {
                pipes += 1;
                ends_with_pipe = true;
            }
            _ => {}
        }
    }
    if ends_with_pipe { pipes } else { pipes + 1 }
}

fn ragged_tables(text: &str) -> Vec<TextWarning> {
    // No table without a `|`: most cards need no Markdown parse at all.
    if !text.contains('|') {
        return Vec::new();
    }
    let line_of = |offset: usize| text[..offset].matches('\n').count();
    let lines: Vec<&str> = text.lines().collect();
    let mut warnings = Vec::new();
    for (event, range) in Parser::new_ext(text, super::options()).into_offset_iter() {
        let Event::Start(Tag::Table(align)) = event else {
            continue;
        };
        let first = line_of(range.start);
        let last = line_of(range.end.saturating_sub(1).max(range.start));
        let columns = align.len();
        for row in first..=last {
            // The delimiter row (second line) is checked by the parser itself.
            if row == first + 1 {
                continue;
            }
            let Some(source) = lines.get(row) else {
                continue;
            };
            let cells = cell_count(source);
            if !source.trim().is_empty() && cells != columns {
                let column = source.len() - source.trim_start().len() + 1;
                warnings.push(TextWarning {
                    line: row + 1,
                    column,
                    message: format!(
                        "table row has {cells} cell{} but the header has {columns}; {}",
                        if cells == 1 { "" } else { "s" },
                        if cells > columns {
                            "the extra cells are not shown"
                        } else {
                            "the missing cells show empty"
                        }
                    ),
                });
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_fence_is_found_where_it_opens() {
        let warnings = lint("text\n\n  ```rust\nfn x() {}\n");
        assert_eq!(warnings.len(), 1);
        assert_eq!((warnings[0].line, warnings[0].column), (3, 3));
        assert!(warnings[0].message.contains("never closed"));
        assert!(lint("```\ncode\n```\n~~~~\nx\n~~~~").is_empty());
        assert_eq!(lint("````\nx\n```\n").len(), 1);
    }

    #[test]
    fn ragged_table_rows_are_found() {
        let text = "intro\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| 4 |\n| `x\\|y` | \\| |";
        let warnings = lint(text);
        let at: Vec<(usize, usize)> = warnings.iter().map(|w| (w.line, w.column)).collect();
        assert_eq!(at, [(5, 1), (6, 1)], "{warnings:?}");
        assert!(warnings[0].message.contains("3 cells"));
        assert!(warnings[1].message.contains("missing"));
    }

    #[test]
    fn good_text_has_no_warnings() {
        assert!(lint("**a**\n- b\n\n| x |\n|---|\n| y |\n").is_empty());
    }
}
