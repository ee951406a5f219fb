//! HTML, as in Anki's fields, to our Markdown and back.
//!
//! [`to_markdown`] reads HTML with a real HTML5 parser (html5ever, through
//! `scraper`), so entities, unclosed tags and whitespace come out as a
//! browser shows them, and converts what Anki's editor writes:
//!
//! | HTML | Markdown |
//! |------|----------|
//! | `<b>`, `<strong>` | `**strong**` |
//! | `<i>`, `<em>`, `<u>` | `*emphasis*` |
//! | `<s>`, `<strike>`, `<del>` | `~~strike~~` |
//! | `<code>`, `<kbd>`, `<samp>`, `<tt>` | `` `code` `` |
//! | `<pre>` | a fenced code block (language from `class="language-x"`) |
//! | `<br>`, `<div>`, `<p>` | line ends; an empty line (`<div><br></div>`) splits paragraphs |
//! | `<ul>`, `<ol>`, `<li>` | `- ` and `1. ` lists, nested |
//! | `<table>` | a Markdown table when rectangular, else one line per row |
//! | `<a href>` | `[text](href)` |
//! | `<img src>`, `[sound:x]` | `[image: src]`, `[sound: x]` markers |
//! | `<sub>`, `<sup>` | Unicode sub/superscript where it exists, else plain |
//! | `<h1>`..`<h6>`, `<blockquote>`, `<hr>` | `#` headings, `>` quotes, `***` |
//! | `<script>`, `<style>`, `<head>`, `<title>`, `<template>` | dropped with their text |
//! | anything else | dropped, its text kept |
//!
//! MathJax (`\(..\)`, `\[..\]`) is text, kept as written (the backslashes
//! escaped in the Markdown so that they show).
//!
//! [`from_markdown`] writes the same constructs back as the HTML Anki's
//! editor writes, so `from_markdown` then `to_markdown` gives back the
//! Markdown that `to_markdown` writes.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use crate::markup::{self, Block, Inlines, Marks, Run, Table};

/// Converts an HTML field to our Markdown.
pub fn to_markdown(html: &str) -> String {
    markup::write::write(&to_blocks(html))
}

/// Converts an HTML field to blocks of card text.
pub fn to_blocks(html: &str) -> Vec<Block> {
    let document = Html::parse_fragment(html);
    let mut flow = Flow::new(false);
    flow.children(*document.root_element());
    let mut blocks = flow.finish();
    while matches!(blocks.first(), Some(Block::Blank)) {
        blocks.remove(0);
    }
    while matches!(blocks.last(), Some(Block::Blank)) {
        blocks.pop();
    }
    blocks
}

/// Elements that start and end a line.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "main",
    "nav",
    "p",
    "section",
    "summary",
];

/// Elements whose content is not text to show.
const HIDDEN_TAGS: &[&str] = &["head", "script", "style", "template", "title", "noscript"];

/// The whitespace HTML collapses; U+00A0 (`&nbsp;`) is a space that stays.
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0C}')
}

/// The blocks of one container (the field, a list item, a quote) being
/// converted: finished blocks and the lines of the paragraph being written.
#[derive(Debug)]
struct Flow {
    blocks: Vec<Block>,
    lines: Vec<Inlines>,
    /// Whitespace seen after text, with the marks and link where it was:
    /// written as one space before more text on the line.
    pending_space: Option<(Marks, Option<String>)>,
    strong: usize,
    emphasis: usize,
    strike: usize,
    code: usize,
    link: Option<String>,
    /// Blank lines at its start are kept (a loose list item).
    keep_leading_blank: bool,
}

impl Flow {
    fn new(keep_leading_blank: bool) -> Self {
        Self {
            blocks: Vec::new(),
            lines: vec![Vec::new()],
            pending_space: None,
            strong: 0,
            emphasis: 0,
            strike: 0,
            code: 0,
            link: None,
            keep_leading_blank,
        }
    }

    fn marks(&self) -> Marks {
        Marks {
            strong: self.strong > 0,
            emphasis: self.emphasis > 0,
            strike: self.strike > 0,
            code: self.code > 0,
        }
    }

    fn current_is_empty(&self) -> bool {
        self.lines.last().is_none_or(Vec::is_empty)
    }

    fn children(&mut self, node: NodeRef<'_, Node>) {
        for child in node.children() {
            self.node(child);
        }
    }

    fn node(&mut self, node: NodeRef<'_, Node>) {
        match node.value() {
            Node::Text(text) => self.text(text),
            Node::Element(element) => {
                let name = element.name();
                match name {
                    "br" => self.line_break(),
                    "b" | "strong" => self.marked(node, |f| &mut f.strong),
                    "i" | "em" | "u" | "ins" | "cite" | "var" => {
                        self.marked(node, |f| &mut f.emphasis);
                    }
                    "s" | "strike" | "del" => self.marked(node, |f| &mut f.strike),
                    "code" | "kbd" | "samp" | "tt" => self.marked(node, |f| &mut f.code),
                    "a" => {
                        let href = element
                            .attr("href")
                            .map(str::trim)
                            .filter(|h| !h.is_empty() && !h.starts_with("javascript:"));
                        let outer = self.link.take();
                        self.link = href.map(str::to_owned).or(outer.clone());
                        self.children(node);
                        self.link = outer;
                    }
                    "img" => {
                        let marker = match element.attr("src").map(str::trim) {
                            Some(src) if !src.is_empty() && !src.starts_with("data:") => {
                                format!("[image: {src}]")
                            }
                            _ => "[image]".to_owned(),
                        };
                        let link = self.link.clone();
                        self.push(&marker, self.marks(), link);
                    }
                    "sub" | "sup" => {
                        let text = text_content(node);
                        let converted = if name == "sup" {
                            superscript(&text)
                        } else {
                            subscript(&text)
                        };
                        match converted {
                            Some(unicode) => self.text(&unicode),
                            None => self.children(node),
                        }
                    }
                    "ul" | "ol" => {
                        self.flush();
                        let start = (name == "ol").then(|| {
                            element
                                .attr("start")
                                .and_then(|s| s.trim().parse::<u64>().ok())
                                .unwrap_or(1)
                        });
                        let items = node
                            .children()
                            .filter(|child| match child.value() {
                                Node::Text(text) => !text.chars().all(is_html_space),
                                Node::Element(_) => true,
                                _ => false,
                            })
                            .map(|child| {
                                let mut item = Flow::new(true);
                                match child.value() {
                                    Node::Element(e) if e.name() == "li" => item.children(child),
                                    _ => item.node(child),
                                }
                                item.finish()
                            })
                            .collect();
                        self.blocks.push(Block::List { start, items });
                    }
                    "li" => {
                        self.flush();
                        let mut item = Flow::new(true);
                        item.children(node);
                        self.blocks.push(Block::List {
                            start: None,
                            items: vec![item.finish()],
                        });
                    }
                    "blockquote" => {
                        self.flush();
                        let mut inner = Flow::new(false);
                        inner.children(node);
                        self.blocks.push(Block::Quote(inner.finish()));
                    }
                    "pre" => {
                        self.flush();
                        let lang = std::iter::once(node)
                            .chain(node.children())
                            .filter_map(|n| n.value().as_element()?.attr("class"))
                            .flat_map(str::split_whitespace)
                            .find_map(|c| c.strip_prefix("language-").or(c.strip_prefix("lang-")))
                            .map(str::to_owned);
                        let mut text = String::new();
                        pre_text(node, &mut text);
                        if text.ends_with('\n') {
                            text.pop();
                        }
                        self.blocks.push(Block::Code { lang, text });
                    }
                    "table" => {
                        self.flush();
                        self.table(node);
                    }
                    "hr" => {
                        self.flush();
                        self.blocks.push(Block::Rule);
                    }
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        self.flush();
                        let mut inner = Flow::new(false);
                        inner.children(node);
                        let lines = inner.lines();
                        if !lines.is_empty() {
                            let level = name[1..].parse().unwrap_or(1);
                            self.blocks.push(Block::Heading { level, lines });
                        }
                    }
                    _ if HIDDEN_TAGS.contains(&name) => {}
                    _ if BLOCK_TAGS.contains(&name) => {
                        self.boundary();
                        self.children(node);
                        self.boundary();
                    }
                    _ => self.children(node),
                }
            }
            _ => {}
        }
    }

    fn marked(&mut self, node: NodeRef<'_, Node>, counter: fn(&mut Self) -> &mut usize) {
        *counter(self) += 1;
        self.children(node);
        let count = counter(self);
        *count = count.saturating_sub(1);
    }

    /// Text between tags: whitespace collapsed, `[sound:x]` made a marker.
    fn text(&mut self, text: &str) {
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("[sound:")
                && let Some(end) = after.find(']')
            {
                let marker = format!("[sound: {}]", after[..end].trim());
                let link = self.link.clone();
                self.push(&marker, self.marks(), link);
                rest = &after[end + 1..];
                continue;
            }
            let Some(c) = rest.chars().next() else {
                break;
            };
            if is_html_space(c) {
                if !self.current_is_empty() && self.pending_space.is_none() {
                    self.pending_space = Some((self.marks(), self.link.clone()));
                }
                rest = &rest[c.len_utf8()..];
                continue;
            }
            let end = rest
                .find(|c: char| is_html_space(c) || c == '[')
                .unwrap_or(rest.len())
                .max(c.len_utf8());
            let word = rest[..end].replace('\u{A0}', " ");
            let link = self.link.clone();
            self.push(&word, self.marks(), link);
            rest = &rest[end..];
        }
    }

    fn push(&mut self, text: &str, marks: Marks, link: Option<String>) {
        let space = self.pending_space.take();
        let Some(line) = self.lines.last_mut() else {
            return;
        };
        if let Some((space_marks, space_link)) = space
            && !line.is_empty()
        {
            append(line, " ", space_marks, space_link);
        }
        append(line, text, marks, link);
    }

    fn line_break(&mut self) {
        self.pending_space = None;
        self.lines.push(Vec::new());
    }

    /// Starts a new line unless the current one is empty.
    fn boundary(&mut self) {
        if !self.current_is_empty() {
            self.line_break();
        }
        self.pending_space = None;
    }

    /// The lines of this flow, trailing spaces cut, the empty cursor line
    /// dropped.
    fn lines(&mut self) -> Vec<Inlines> {
        let mut lines = std::mem::replace(&mut self.lines, vec![Vec::new()]);
        self.pending_space = None;
        if lines.last().is_some_and(Vec::is_empty) {
            lines.pop();
        }
        for line in &mut lines {
            trim_line(line);
        }
        lines
    }

    /// Ends the paragraph being written: groups of lines become paragraphs,
    /// empty lines between them blank lines.
    fn flush(&mut self) {
        let lines = self.lines();
        let mut paragraph: Vec<Inlines> = Vec::new();
        for line in lines {
            if line.is_empty() {
                if !paragraph.is_empty() {
                    self.blocks
                        .push(Block::Paragraph(std::mem::take(&mut paragraph)));
                }
                let leading_ok = !self.blocks.is_empty() || self.keep_leading_blank;
                if leading_ok && !matches!(self.blocks.last(), Some(Block::Blank)) {
                    self.blocks.push(Block::Blank);
                }
            } else {
                paragraph.push(line);
            }
        }
        if !paragraph.is_empty() {
            self.blocks.push(Block::Paragraph(paragraph));
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        // An empty item after a blank line keeps it (`1. a\n\n2.`).
        let floor = usize::from(self.keep_leading_blank);
        while self.blocks.len() > floor && matches!(self.blocks.last(), Some(Block::Blank)) {
            self.blocks.pop();
        }
        self.blocks
    }

    /// A rectangular table becomes a table (its first row the header);
    /// any other, one line per row with cells separated by ` · `.
    fn table(&mut self, node: NodeRef<'_, Node>) {
        let mut rows: Vec<(Vec<Inlines>, bool)> = Vec::new();
        collect_rows(node, &mut rows);
        if rows.is_empty() {
            return;
        }
        let columns = rows[0].0.len();
        let rectangular = columns > 0
            && rows
                .iter()
                .all(|(cells, plain)| cells.len() == columns && *plain);
        if rectangular {
            let mut rows = rows.into_iter().map(|(cells, _)| cells);
            let head = rows.next().unwrap_or_default();
            self.blocks.push(Block::Table(Table {
                align: vec![markup::Align::None; columns],
                head,
                rows: rows.collect(),
            }));
            return;
        }
        let lines = rows
            .into_iter()
            .map(|(cells, _)| {
                let mut line = Vec::new();
                for (i, cell) in cells.into_iter().filter(|c| !c.is_empty()).enumerate() {
                    if i > 0 {
                        line.push(Run::new(" · ", Marks::PLAIN));
                    }
                    line.extend(cell);
                }
                line
            })
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>();
        if !lines.is_empty() {
            self.blocks.push(Block::Paragraph(lines));
        }
    }
}

fn append(line: &mut Inlines, text: &str, marks: Marks, link: Option<String>) {
    match line.last_mut() {
        Some(last) if last.marks == marks && last.link == link => last.text.push_str(text),
        _ => line.push(Run {
            text: text.to_owned(),
            marks,
            link,
        }),
    }
}

/// Cuts spaces at the end of a line (a browser does not show them).
fn trim_line(line: &mut Inlines) {
    while let Some(last) = line.last_mut() {
        let trimmed = last.text.trim_end_matches(' ').len();
        if trimmed == 0 {
            line.pop();
        } else {
            last.text.truncate(trimmed);
            break;
        }
    }
    while let Some(first) = line.first_mut() {
        let trimmed = first.text.trim_start_matches(' ');
        if trimmed.is_empty() {
            line.remove(0);
        } else {
            first.text = trimmed.to_owned();
            break;
        }
    }
}

/// The rows of a table (not of tables inside it): cells as one line each,
/// and whether every cell spans one row and one column.
fn collect_rows(node: NodeRef<'_, Node>, rows: &mut Vec<(Vec<Inlines>, bool)>) {
    for child in node.children() {
        let Some(element) = child.value().as_element() else {
            continue;
        };
        match element.name() {
            "tr" => {
                let mut cells = Vec::new();
                let mut plain = true;
                for cell in child.children() {
                    let Some(e) = cell.value().as_element() else {
                        continue;
                    };
                    if !matches!(e.name(), "td" | "th") {
                        continue;
                    }
                    let spans = |a| {
                        e.attr(a)
                            .and_then(|v| v.trim().parse::<u32>().ok())
                            .unwrap_or(1)
                    };
                    plain &= spans("colspan") == 1 && spans("rowspan") == 1;
                    let mut flow = Flow::new(false);
                    flow.children(cell);
                    let mut line: Inlines = Vec::new();
                    for (i, l) in flow
                        .lines()
                        .into_iter()
                        .filter(|l| !l.is_empty())
                        .enumerate()
                    {
                        if i > 0 {
                            line.push(Run::new(" ", Marks::PLAIN));
                        }
                        line.extend(l);
                    }
                    // Blocks in a cell (a list, say) are kept as their text.
                    for block in flow.blocks {
                        let text = markup::plain_text(&markup::write::write(&[block]));
                        if !text.is_empty() {
                            if !line.is_empty() {
                                line.push(Run::new(" ", Marks::PLAIN));
                            }
                            line.push(Run::new(text, Marks::PLAIN));
                        }
                    }
                    cells.push(line);
                }
                rows.push((cells, plain));
            }
            "table" => {}
            _ => collect_rows(child, rows),
        }
    }
}

fn text_content(node: NodeRef<'_, Node>) -> String {
    node.descendants()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect()
}

/// The text of a `<pre>`, as written, with `<br>` as a line end.
fn pre_text(node: NodeRef<'_, Node>, out: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(text) => out.push_str(&text.replace('\r', "")),
            Node::Element(e) if e.name() == "br" => out.push('\n'),
            Node::Element(e) if HIDDEN_TAGS.contains(&e.name()) => {}
            Node::Element(e) if BLOCK_TAGS.contains(&e.name()) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                pre_text(child, out);
            }
            _ => pre_text(child, out),
        }
    }
}

fn superscript(text: &str) -> Option<String> {
    text.chars()
        .map(|c| {
            Some(match c {
                '0' => '⁰',
                '1' => '¹',
                '2' => '²',
                '3' => '³',
                '4' => '⁴',
                '5' => '⁵',
                '6' => '⁶',
                '7' => '⁷',
                '8' => '⁸',
                '9' => '⁹',
                '+' => '⁺',
                '-' | '−' => '⁻',
                '=' => '⁼',
                '(' => '⁽',
                ')' => '⁾',
                'n' => 'ⁿ',
                'i' => 'ⁱ',
                _ => return None,
            })
        })
        .collect()
}

fn subscript(text: &str) -> Option<String> {
    text.chars()
        .map(|c| {
            Some(match c {
                '0' => '₀',
                '1' => '₁',
                '2' => '₂',
                '3' => '₃',
                '4' => '₄',
                '5' => '₅',
                '6' => '₆',
                '7' => '₇',
                '8' => '₈',
                '9' => '₉',
                '+' => '₊',
                '-' | '−' => '₋',
                '=' => '₌',
                '(' => '₍',
                ')' => '₎',
                'a' => 'ₐ',
                'e' => 'ₑ',
                'o' => 'ₒ',
                'x' => 'ₓ',
                _ => return None,
            })
        })
        .collect()
}

/// Converts our Markdown to the HTML Anki's editor writes.
pub fn from_markdown(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 4);
    write_blocks(&markup::parse(markdown), &mut html);
    html
}

/// Paragraphs are written as Anki's editor writes lines: bare text with
/// `<br>` between lines (and after the last, before a blank line or
/// another paragraph, so that the line ends there); a blank line is a `<br>`.
fn write_blocks(blocks: &[Block], html: &mut String) {
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Paragraph(lines) => {
                for (j, line) in lines.iter().enumerate() {
                    if j > 0 {
                        html.push_str("<br>");
                    }
                    write_inlines(line, html);
                }
                if matches!(blocks.get(i + 1), Some(Block::Blank | Block::Paragraph(_))) {
                    html.push_str("<br>");
                }
            }
            Block::Heading { level, lines } => {
                let level = (*level).clamp(1, 6);
                html.push_str(&format!("<h{level}>"));
                for (i, line) in lines.iter().enumerate() {
                    if i > 0 {
                        html.push(' ');
                    }
                    write_inlines(line, html);
                }
                html.push_str(&format!("</h{level}>"));
            }
            Block::List { start, items } => {
                match start {
                    None => html.push_str("<ul>"),
                    Some(1) => html.push_str("<ol>"),
                    Some(n) => html.push_str(&format!("<ol start=\"{n}\">")),
                }
                for item in items {
                    html.push_str("<li>");
                    write_blocks(item, html);
                    html.push_str("</li>");
                }
                html.push_str(if start.is_some() { "</ol>" } else { "</ul>" });
            }
            Block::Quote(blocks) => {
                html.push_str("<blockquote>");
                write_blocks(blocks, html);
                html.push_str("</blockquote>");
            }
            Block::Code { lang, text } => {
                match lang {
                    Some(lang) => html.push_str(&format!(
                        "<pre><code class=\"language-{}\">",
                        html_escape::encode_double_quoted_attribute(lang)
                    )),
                    None => html.push_str("<pre><code>"),
                }
                // Ended by a line end, as Anki's editor and browsers write it;
                // line ends as `&#10;`, so that the HTML is one line (a CSV
                // header line such as the deck description must be).
                html.push_str(&html_escape::encode_text(text).replace('\n', "&#10;"));
                html.push_str("&#10;");
                html.push_str("</code></pre>");
            }
            Block::Table(table) => {
                html.push_str("<table><thead><tr>");
                for cell in &table.head {
                    html.push_str("<th>");
                    write_inlines(cell, html);
                    html.push_str("</th>");
                }
                html.push_str("</tr></thead><tbody>");
                for row in &table.rows {
                    html.push_str("<tr>");
                    for i in 0..table.head.len() {
                        html.push_str("<td>");
                        if let Some(cell) = row.get(i) {
                            write_inlines(cell, html);
                        }
                        html.push_str("</td>");
                    }
                    html.push_str("</tr>");
                }
                html.push_str("</tbody></table>");
            }
            Block::Rule => html.push_str("<hr>"),
            Block::Blank => html.push_str("<br>"),
        }
    }
}

fn write_inlines(runs: &[Run], html: &mut String) {
    let mut link: Option<&str> = None;
    for (i, run) in runs.iter().enumerate() {
        if link.is_some() && link != run.link.as_deref() {
            html.push_str("</a>");
            link = None;
        }
        if link.is_none()
            && let Some(target) = run.link.as_deref()
        {
            html.push_str(&format!(
                "<a href=\"{}\">",
                html_escape::encode_double_quoted_attribute(target)
            ));
            link = Some(target);
        }
        let tags: Vec<&str> = [
            (run.marks.strong, "b"),
            (run.marks.emphasis, "i"),
            (run.marks.strike, "s"),
            (run.marks.code, "code"),
        ]
        .into_iter()
        .filter_map(|(on, tag)| on.then_some(tag))
        .collect();
        for tag in &tags {
            html.push_str(&format!("<{tag}>"));
        }
        let before = i.checked_sub(1).and_then(|j| runs[j].text.chars().last());
        let after = runs.get(i + 1).and_then(|r| r.text.chars().next());
        write_text(&run.text, before, after, run.marks.code, html);
        for tag in tags.iter().rev() {
            html.push_str(&format!("</{tag}>"));
        }
    }
    if link.is_some() {
        html.push_str("</a>");
    }
}

/// Text escaped for HTML: a space a browser would drop or merge is written
/// `&nbsp;`; our `[image: x]` and `[sound: x]` markers become Anki's
/// `<img src="x">` and `[sound:x]`.
fn write_text(
    text: &str,
    before: Option<char>,
    after: Option<char>,
    code: bool,
    html: &mut String,
) {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !code && c == '[' {
            let rest: String = chars[i..].iter().collect();
            if let Some((marker, len)) = media_marker(&rest) {
                html.push_str(&marker);
                i += rest[..len].chars().count();
                continue;
            }
        }
        match c {
            ' ' => {
                let prev = if i == 0 { before } else { Some(chars[i - 1]) };
                let next = chars.get(i + 1).copied().or(after);
                let kept = prev.is_some_and(|p| p != ' ') && next.is_some_and(|n| n != ' ');
                html.push_str(if kept { " " } else { "&nbsp;" });
            }
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '\u{A0}' => html.push_str("&nbsp;"),
            '[' if chars[i + 1..].starts_with(&['s', 'o', 'u', 'n', 'd', ':']) => {
                html.push_str("&#91;");
            }
            c => html.push(c),
        }
        i += 1;
    }
}

/// `[image: x]` or `[sound: x]` at the start of `text`: Anki's form of it
/// and the marker's length in bytes.
fn media_marker(text: &str) -> Option<(String, usize)> {
    let end = text.find(']')?;
    let inner = &text[1..end];
    if let Some(src) = inner.strip_prefix("image: ") {
        let src = src.trim();
        (!src.is_empty() && !src.contains(['<', '>', '"'])).then(|| {
            (
                format!(
                    "<img src=\"{}\">",
                    html_escape::encode_double_quoted_attribute(src)
                ),
                end + 1,
            )
        })
    } else if let Some(name) = inner.strip_prefix("sound: ") {
        let name = name.trim();
        (!name.is_empty()).then(|| (format!("[sound:{name}]"), end + 1))
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
