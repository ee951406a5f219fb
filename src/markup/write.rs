//! Blocks written back as Markdown that [`super::parse`] reads to the same
//! blocks: what the HTML importer writes into a deck.
//!
//! Text is escaped only where a character would otherwise mean something
//! (a `*`, a `#` or `- ` at a line start, a `<` that could open a tag), so
//! that imported text stays readable in the deck file.

use super::{Align, Block, Inlines, Marks, Run, Table};

/// Writes blocks as Markdown.
pub fn write(blocks: &[Block]) -> String {
    let mut lines = Vec::new();
    write_blocks(blocks, &mut lines, false);
    lines.join("\n")
}

fn write_blocks(blocks: &[Block], out: &mut Vec<String>, tight: bool) {
    let mut previous: Option<&Block> = None;
    for block in blocks {
        if let Block::Blank = block {
            out.push(String::new());
            previous = Some(block);
            continue;
        }
        if let Some(previous) = previous
            && needs_blank(previous, block, tight)
        {
            out.push(String::new());
        }
        write_block(block, out);
        previous = Some(block);
    }
}

/// Whether a blank line must separate two blocks for them to read back as two.
fn needs_blank(previous: &Block, next: &Block, tight: bool) -> bool {
    match (previous, next) {
        (Block::Blank, _) => false,
        // A bulleted list (or one numbered from 1) interrupts a paragraph,
        // as in `**Lambda**\n- invoke`.
        (
            Block::Paragraph(_),
            Block::List {
                start: None | Some(1),
                ..
            },
        ) => false,
        (Block::Paragraph(_), Block::List { .. }) => !tight,
        _ => true,
    }
}

fn write_block(block: &Block, out: &mut Vec<String>) {
    match block {
        Block::Paragraph(lines) => {
            out.extend(lines.iter().map(|line| inline_line(line, false)));
        }
        Block::Heading { level, lines } => {
            let joined: Inlines = lines
                .iter()
                .enumerate()
                .flat_map(|(i, line)| {
                    let space = (i > 0).then(|| Run::new(" ", Marks::PLAIN));
                    space.into_iter().chain(line.iter().cloned())
                })
                .collect();
            let text = inline_line(&joined, true);
            out.push(format!(
                "{} {text}",
                "#".repeat(usize::from((*level).clamp(1, 6)))
            ));
        }
        Block::List { start, items } => {
            let loose = items
                .iter()
                .skip(1)
                .any(|item| matches!(item.first(), Some(Block::Blank)));
            for (i, item) in items.iter().enumerate() {
                let marker = match start {
                    Some(n) => format!("{}. ", n + i as u64),
                    None => "- ".to_owned(),
                };
                let mut inner = Vec::new();
                let item = match item.first() {
                    Some(Block::Blank) => &item[1..],
                    _ => &item[..],
                };
                if i > 0 && loose {
                    out.push(String::new());
                }
                write_blocks(item, &mut inner, true);
                if inner.is_empty() {
                    inner.push(String::new());
                }
                let hang = " ".repeat(marker.len());
                for (j, line) in inner.into_iter().enumerate() {
                    out.push(if j == 0 {
                        format!("{marker}{line}").trim_end().to_owned()
                    } else if line.is_empty() {
                        line
                    } else {
                        format!("{hang}{line}")
                    });
                }
            }
        }
        Block::Quote(blocks) => {
            let mut inner = Vec::new();
            write_blocks(blocks, &mut inner, false);
            out.extend(inner.into_iter().map(|line| {
                if line.is_empty() {
                    ">".to_owned()
                } else {
                    format!("> {line}")
                }
            }));
        }
        Block::Code { lang, text } => {
            let longest = longest_run(text, '`');
            let fence = "`".repeat(longest.max(2) + 1);
            out.push(format!("{fence}{}", lang.as_deref().unwrap_or("")));
            if !text.is_empty() {
                out.extend(text.split('\n').map(str::to_owned));
            }
            out.push(fence);
        }
        Block::Table(table) => write_table(table, out),
        Block::Rule => out.push("***".to_owned()),
        Block::Blank => out.push(String::new()),
    }
}

fn write_table(table: &Table, out: &mut Vec<String>) {
    let row = |cells: &[Inlines]| {
        let cells: Vec<String> = (0..table.align.len())
            .map(|i| {
                cells
                    .get(i)
                    .map(|c| inline_line(c, true))
                    .unwrap_or_default()
            })
            .map(|c| c.replace('|', "\\|"))
            .collect();
        format!("| {} |", cells.join(" | "))
    };
    out.push(row(&table.head));
    let delimiters: Vec<&str> = table
        .align
        .iter()
        .map(|a| match a {
            Align::None => "---",
            Align::Left => ":--",
            Align::Center => ":-:",
            Align::Right => "--:",
        })
        .collect();
    out.push(format!("| {} |", delimiters.join(" | ")));
    out.extend(table.rows.iter().map(|r| row(r)));
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// One line of runs as Markdown. `inner` is for a heading or table cell,
/// where line-start markers cannot occur after the first character.
fn inline_line(runs: &[Run], inner: bool) -> String {
    let mut out = String::new();
    let mut open: Vec<(&'static str, Option<&str>)> = Vec::new();
    let mut pending_space = String::new();
    let mut link: Option<&str> = None;
    let runs = markable(runs);
    let runs: Vec<&Run> = runs.iter().filter(|r| !r.text.is_empty()).collect();
    for (i, run) in runs.iter().enumerate() {
        let text = run.text.as_str();
        let core = text.trim_matches(' ');
        if core.is_empty() && !run.marks.code {
            // A space outside some marks closes them (`*a* *b*`).
            let wanted = delimiters(run.marks);
            let keep = open
                .iter()
                .zip(wanted.iter())
                .take_while(|((d, l), w)| d == *w && *l == run.link.as_deref())
                .count();
            while open.len() > keep {
                if let Some((delimiter, _)) = open.pop() {
                    out.push_str(delimiter);
                }
            }
            if link.is_some() && link != run.link.as_deref() {
                while let Some((delimiter, _)) = open.pop() {
                    out.push_str(delimiter);
                }
                out.push_str(&format!("]({})", link_target(link.unwrap_or(""))));
                link = None;
            }
            pending_space.push_str(text);
            continue;
        }
        let (lead, trail) = if run.marks.code {
            ("", "")
        } else {
            let lead = &text[..text.len() - text.trim_start_matches(' ').len()];
            let trail = &text[text.trim_end_matches(' ').len()..];
            (lead, trail)
        };
        let core = if run.marks.code { text } else { core };
        // Close what this run does not share, innermost first.
        let wanted = delimiters(run.marks);
        let run_link = run.link.as_deref();
        let keep = open
            .iter()
            .zip(wanted.iter())
            .take_while(|((d, l), w)| d == *w && *l == run_link)
            .count();
        let keep = if link != run_link { 0 } else { keep };
        while open.len() > keep {
            if let Some((delimiter, _)) = open.pop() {
                out.push_str(delimiter);
            }
        }
        if link.is_some() && keep == 0 && link != run_link {
            out.push_str(&format!("]({})", link_target(link.unwrap_or(""))));
            link = None;
        }
        out.push_str(&pending_space);
        pending_space.clear();
        out.push_str(lead);
        if link.is_none()
            && let Some(target) = run_link
        {
            out.push('[');
            link = Some(target);
        }
        for delimiter in &wanted[open.len()..] {
            out.push_str(delimiter);
            open.push((delimiter, run_link));
        }
        if run.marks.code {
            out.push_str(&code_span(core));
        } else {
            let at_start = i == 0 && out.is_empty() && !inner;
            escape_into(core, at_start, inner, &mut out);
        }
        pending_space.push_str(trail);
    }
    while let Some((delimiter, _)) = open.pop() {
        out.push_str(delimiter);
    }
    if let Some(target) = link {
        out.push_str(&format!("]({})", link_target(target)));
    }
    out
}

/// The runs with the marks that Markdown can write: `*`, `**` and `~~`
/// only open before and close after text that lets them (CommonMark's
/// flanking rules), so a mark on text that starts or ends with a space or a
/// control character, or with punctuation right against a letter outside
/// it (`**Note:**text`), is dropped rather than written as stray `*`s.
fn markable(runs: &[Run]) -> Vec<Run> {
    let whitespace = |c: char| c.is_whitespace() || c.is_control();
    let punctuation = |c: char| !c.is_alphanumeric() && !whitespace(c);
    let mut out: Vec<Run> = runs.to_vec();
    for i in 0..out.len() {
        let run = &out[i];
        let marked = run.marks.strong || run.marks.emphasis || run.marks.strike;
        if !marked || run.marks.code {
            continue;
        }
        let core = run.text.trim_matches(' ');
        let (Some(first), Some(last)) = (core.chars().next(), core.chars().last()) else {
            continue;
        };
        let lead = run.text.len() > run.text.trim_start_matches(' ').len();
        let trail = run.text.len() > run.text.trim_end_matches(' ').len();
        let before = if lead {
            Some(' ')
        } else {
            i.checked_sub(1).and_then(|j| out[j].text.chars().last())
        };
        let after = if trail {
            Some(' ')
        } else {
            out.get(i + 1).and_then(|r| r.text.chars().next())
        };
        let opens = !whitespace(first)
            && (!punctuation(first) || before.is_none_or(|b| whitespace(b) || punctuation(b)));
        let closes = !whitespace(last)
            && (!punctuation(last) || after.is_none_or(|a| whitespace(a) || punctuation(a)));
        if !(opens && closes) {
            out[i].marks = Marks {
                code: false,
                ..Marks::PLAIN
            };
        }
    }
    out
}

fn delimiters(marks: Marks) -> Vec<&'static str> {
    let mut out = Vec::new();
    if marks.strong {
        out.push("**");
    }
    if marks.emphasis {
        out.push("*");
    }
    if marks.strike {
        out.push("~~");
    }
    out
}

fn link_target(target: &str) -> String {
    if target.is_empty() || target.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", target.replace('<', "%3C").replace('>', "%3E"))
    } else {
        target.to_owned()
    }
}

fn code_span(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`') + 1);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.trim().is_empty());
    if pad {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// Escapes text so that it reads as text.
/// In a heading or table cell (`inner`), `#` is escaped too, as a
/// heading's closing `#`s would be dropped.
fn escape_into(text: &str, at_line_start: bool, inner: bool, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    let start = if at_line_start {
        escape_line_start(&chars, out)
    } else {
        0
    };
    for i in start..chars.len() {
        let c = chars[i];
        let prev = if i == 0 { None } else { Some(chars[i - 1]) };
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' => next.is_none_or(|n| n.is_ascii_punctuation()),
            '*' | '`' | '~' => true,
            '#' => inner,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            // Inline HTML shows as written, but at a line start it would
            // open an HTML block that takes the lines after it.
            '<' => {
                i == 0
                    && at_line_start
                    && next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
            }
            '&' => is_entity(&chars[i + 1..]),
            ']' => matches!(next, Some('(' | '[' | ':')),
            '[' => matches!(next, Some('^')),
            '!' => next == Some('['),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Whether the characters after a `&` make it an entity (`&amp;`, `&#233;`).
fn is_entity(after: &[char]) -> bool {
    let name = after
        .iter()
        .take(32)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && after.get(name) == Some(&';')
}

/// Which character to escape so a line is not read as a block marker.
fn line_start_escape(chars: &[char]) -> Option<usize> {
    let first = *chars.first()?;
    let rest_is = |pred: &dyn Fn(char) -> bool| chars.iter().all(|&c| pred(c));
    match first {
        '#' | '>' => Some(0),
        '-' | '+' | '*' if chars.get(1).is_none_or(|&c| c == ' ') => Some(0),
        '=' | '-' if rest_is(&|c| c == first || c == ' ') => Some(0),
        '_' if rest_is(&|c| c == '_' || c == ' ') => Some(0),
        '0'..='9' => {
            let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
            let after = chars.get(digits).copied();
            let then = chars.get(digits + 1).copied();
            (digits <= 9 && matches!(after, Some('.' | ')')) && then.is_none_or(|c| c == ' '))
                .then_some(digits)
        }
        '|' => Some(0),
        _ => None,
    }
}

/// Writes the start of a line with its block marker escaped; returns how
/// many characters it wrote.
fn escape_line_start(chars: &[char], out: &mut String) -> usize {
    match line_start_escape(chars) {
        Some(n) => {
            out.extend(&chars[..n]);
            out.push('\\');
            out.push(chars[n]);
            n + 1
        }
        None => 0,
    }
}
