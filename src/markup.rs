//! The light Markdown of card text, parsed into blocks and styled runs.
//! Pure: rendering to the terminal is `ui::text`'s job.
//!
//! | line                        | block |
//! |-----------------------------|-------|
//! | `**Lambda**` alone          | [`Block::Heading`] |
//! | `- item`, indented by 2n    | [`Block::Bullet`] at depth n |
//! | anything else               | [`Block::Text`], indented by 2n |
//! | empty                       | [`Block::Blank`] |
//!
//! Inside a line, `**bold**` and `` `code` `` are styled; a marker without
//! its closing partner is shown as written.

/// How a run of text is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    Plain,
    Bold,
    Code,
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub emphasis: Emphasis,
}

impl Run {
    pub fn new(text: impl Into<String>, emphasis: Emphasis) -> Self {
        Self {
            text: text.into(),
            emphasis,
        }
    }
}

/// One line of card text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A line that is all bold: a sub-heading such as **Lambda**.
    Heading(Vec<Run>),
    /// A `- ` bullet, nested `depth` levels (two spaces each).
    Bullet {
        depth: usize,
        runs: Vec<Run>,
    },
    /// Any other line, indented `depth` levels.
    Text {
        depth: usize,
        runs: Vec<Run>,
    },
    Blank,
}

/// Parses card text into blocks, one per line.
pub fn parse(text: &str) -> Vec<Block> {
    text.lines().map(parse_line).collect()
}

fn parse_line(line: &str) -> Block {
    let trimmed = line.trim_start();
    if trimmed.trim_end().is_empty() {
        return Block::Blank;
    }
    let depth = indent_width(&line[..line.len() - trimmed.len()]) / 2;
    if let Some(item) = trimmed.strip_prefix("- ") {
        return Block::Bullet {
            depth,
            runs: inline(item.trim_end()),
        };
    }
    let runs = inline(trimmed.trim_end());
    match runs.as_slice() {
        [
            Run {
                emphasis: Emphasis::Bold,
                ..
            },
        ] if depth == 0 => Block::Heading(runs),
        _ => Block::Text { depth, runs },
    }
}

/// Columns of leading whitespace; a tab counts as four.
fn indent_width(indent: &str) -> usize {
    indent.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

/// Splits a line into styled runs.
pub fn inline(line: &str) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut plain = String::new();
    let mut rest = line;
    while !rest.is_empty() {
        let marked = [("**", Emphasis::Bold), ("`", Emphasis::Code)]
            .into_iter()
            .find_map(|(marker, emphasis)| {
                let inner = rest.strip_prefix(marker)?;
                let end = inner.find(marker).filter(|&end| end > 0)?;
                Some((&inner[..end], emphasis, marker.len() * 2 + end))
            });
        match marked {
            Some((text, emphasis, consumed)) => {
                if !plain.is_empty() {
                    runs.push(Run::new(std::mem::take(&mut plain), Emphasis::Plain));
                }
                runs.push(Run::new(text, emphasis));
                rest = &rest[consumed..];
            }
            None => {
                let c = rest.chars().next().unwrap_or_default();
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        runs.push(Run::new(plain, Emphasis::Plain));
    }
    runs
}

/// The text without its Markdown markers, e.g. for a one-line preview.
pub fn plain_text(text: &str) -> String {
    parse(text)
        .iter()
        .filter_map(|block| match block {
            Block::Heading(runs) | Block::Bullet { runs, .. } | Block::Text { runs, .. } => {
                Some(runs.iter().map(|r| r.text.as_str()).collect::<String>())
            }
            Block::Blank => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Run {
        Run::new(text, Emphasis::Plain)
    }

    #[test]
    fn lines_become_blocks() {
        let blocks =
            parse("**Lambda**\n- invoke `fn`\n  - nested **bold** text\n\nPlain line\n  indented");
        assert_eq!(
            blocks,
            [
                Block::Heading(vec![Run::new("Lambda", Emphasis::Bold)]),
                Block::Bullet {
                    depth: 0,
                    runs: vec![plain("invoke "), Run::new("fn", Emphasis::Code)]
                },
                Block::Bullet {
                    depth: 1,
                    runs: vec![
                        plain("nested "),
                        Run::new("bold", Emphasis::Bold),
                        plain(" text")
                    ]
                },
                Block::Blank,
                Block::Text {
                    depth: 0,
                    runs: vec![plain("Plain line")]
                },
                Block::Text {
                    depth: 1,
                    runs: vec![plain("indented")]
                },
            ]
        );
    }

    #[test]
    fn unmatched_markers_stay_as_written() {
        assert_eq!(inline("a ** b ` c"), [plain("a ** b ` c")]);
        assert_eq!(inline("****"), [plain("****")]);
        assert_eq!(
            inline("`${stageVariables.x}`"),
            [Run::new("${stageVariables.x}", Emphasis::Code)]
        );
    }

    #[test]
    fn a_line_with_bold_and_more_is_text_not_a_heading() {
        assert!(matches!(
            parse_line("**Edge** optimized"),
            Block::Text { .. }
        ));
        assert!(matches!(
            parse_line("  **indented bold**"),
            Block::Text { depth: 1, .. }
        ));
    }

    #[test]
    fn plain_text_drops_markers() {
        assert_eq!(plain_text("**Lambda**\n- invoke `fn`"), "Lambda invoke fn");
    }
}
