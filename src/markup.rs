//! Card text: CommonMark with GitHub tables and strikethrough, read by
//! `pulldown-cmark` into our blocks and runs. Pure: laying the blocks out on
//! a screen is `ui::text`'s job, Anki's HTML is `import::html`'s.
//!
//! One departure from CommonMark, as in chat apps and Anki itself: a line
//! end inside a paragraph is a line end on screen (a soft break is kept),
//! so card text written line by line shows line by line. Blank lines
//! between blocks are kept as [`Block::Blank`], so the spacing a deck was
//! written with is the spacing it shows with.
//!
//! [`write`] writes blocks back as Markdown that [`parse`] reads to the same
//! blocks, and [`lint`] finds what a writer probably got wrong (an unclosed
//! code fence, a table with ragged rows).

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub mod lint;
pub mod write;

/// How a run of text is marked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Marks {
    pub strong: bool,
    pub emphasis: bool,
    pub strike: bool,
    pub code: bool,
}

impl Marks {
    pub const PLAIN: Marks = Marks {
        strong: false,
        emphasis: false,
        strike: false,
        code: false,
    };
    pub const STRONG: Marks = Marks {
        strong: true,
        ..Marks::PLAIN
    };
    pub const CODE: Marks = Marks {
        code: true,
        ..Marks::PLAIN
    };
}

/// A run of text with one set of marks, maybe part of a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub marks: Marks,
    /// The link target, for the runs of a link's text.
    pub link: Option<String>,
}

impl Run {
    pub fn new(text: impl Into<String>, marks: Marks) -> Self {
        Self {
            text: text.into(),
            marks,
            link: None,
        }
    }
}

/// One line of inline text.
pub type Inlines = Vec<Run>;

/// A column's alignment in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

/// A table: a header row and body rows of single-line cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub align: Vec<Align>,
    pub head: Vec<Inlines>,
    pub rows: Vec<Vec<Inlines>>,
}

/// A block of card text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Lines of text (a line end in the source is a line end here).
    Paragraph(Vec<Inlines>),
    /// `#` to `######`.
    Heading {
        level: u8,
        lines: Vec<Inlines>,
    },
    /// A bulleted list (`start` is `None`) or a numbered one.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    /// A fenced or indented code block, verbatim, without its last line end.
    Code {
        lang: Option<String>,
        text: String,
    },
    Table(Table),
    /// A thematic break (`***`, `---`).
    Rule,
    /// A blank line between two blocks in the source.
    Blank,
}

/// The parser options: CommonMark, tables, strikethrough.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Parses card text into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut builder = Builder::new(text);
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        builder.event(event, range);
    }
    builder.finish()
}

/// The text without its Markdown, on one line, e.g. for a preview.
pub fn plain_text(text: &str) -> String {
    let mut words = Vec::new();
    collect_plain(&parse(text), &mut words);
    words.join(" ")
}

fn collect_plain(blocks: &[Block], out: &mut Vec<String>) {
    let line_text = |line: &Inlines| line.iter().map(|r| r.text.as_str()).collect::<String>();
    for block in blocks {
        match block {
            Block::Paragraph(lines) | Block::Heading { lines, .. } => {
                out.extend(lines.iter().map(line_text));
            }
            Block::List { items, .. } => items.iter().for_each(|item| collect_plain(item, out)),
            Block::Quote(blocks) => collect_plain(blocks, out),
            Block::Code { text, .. } => out.extend(text.lines().map(str::to_owned)),
            Block::Table(table) => out.extend(
                std::iter::once(&table.head)
                    .chain(&table.rows)
                    .flatten()
                    .map(line_text),
            ),
            Block::Rule | Block::Blank => {}
        }
    }
}

/// A block container being filled.
#[derive(Debug)]
enum Open {
    Root,
    Quote,
    List(Option<u64>),
    Item,
}

#[derive(Debug)]
struct Frame {
    kind: Open,
    blocks: Vec<Block>,
    /// Items of an open list.
    items: Vec<Vec<Block>>,
    /// Where the last block in this container ended in the source.
    last_end: Option<usize>,
}

/// Inline text being collected, and for what.
#[derive(Debug)]
enum Leaf {
    Paragraph,
    Heading(u8),
    Html,
    Code(Option<String>),
    Table {
        align: Vec<Align>,
        head: Vec<Inlines>,
        rows: Vec<Vec<Inlines>>,
        in_head: bool,
    },
}

/// Turns pulldown-cmark's events into blocks.
#[derive(Debug)]
struct Builder<'s> {
    source: &'s str,
    frames: Vec<Frame>,
    leaf: Option<Leaf>,
    lines: Vec<Inlines>,
    code: String,
    row: Vec<Inlines>,
    marks: Marks,
    strong: usize,
    emphasis: usize,
    strike: usize,
    link: Option<String>,
    /// Inside an image, whose alt text is not shown (its marker is).
    image: usize,
}

impl<'s> Builder<'s> {
    fn new(source: &'s str) -> Self {
        Self {
            source,
            frames: vec![Frame::new(Open::Root)],
            leaf: None,
            lines: Vec::new(),
            code: String::new(),
            row: Vec::new(),
            marks: Marks::PLAIN,
            strong: 0,
            emphasis: 0,
            strike: 0,
            link: None,
            image: 0,
        }
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) => match &self.leaf {
                Some(Leaf::Code(_)) => self.code.push_str(&text),
                _ => self.text(&text, self.marks, range.start),
            },
            Event::Code(text) => {
                let marks = Marks {
                    code: true,
                    ..self.marks
                };
                self.text(&text, marks, range.start);
            }
            Event::Html(html) => {
                for (i, line) in html.trim_end_matches('\n').split('\n').enumerate() {
                    if i > 0 {
                        self.lines.push(Vec::new());
                    }
                    self.text(line, Marks::PLAIN, range.start);
                }
            }
            Event::InlineHtml(html) | Event::InlineMath(html) | Event::DisplayMath(html) => {
                self.text(&html, self.marks, range.start);
            }
            Event::FootnoteReference(name) => {
                self.text(&format!("[^{name}]"), self.marks, range.start);
            }
            Event::SoftBreak | Event::HardBreak => self.lines.push(Vec::new()),
            Event::Rule => self.push_block(Block::Rule, range),
            Event::TaskListMarker(done) => {
                self.text(if done { "[x] " } else { "[ ] " }, self.marks, range.start);
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: std::ops::Range<usize>) {
        match tag {
            Tag::Paragraph => self.open_leaf(Leaf::Paragraph, range.start),
            Tag::Heading { level, .. } => {
                self.open_leaf(Leaf::Heading(heading(level)), range.start)
            }
            Tag::HtmlBlock => self.open_leaf(Leaf::Html, range.start),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned),
                    CodeBlockKind::Indented => None,
                };
                self.open_leaf(Leaf::Code(lang), range.start);
            }
            Tag::Table(align) => {
                let align = align
                    .into_iter()
                    .map(|a| match a {
                        Alignment::None => Align::None,
                        Alignment::Left => Align::Left,
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                    })
                    .collect();
                self.open_leaf(
                    Leaf::Table {
                        align,
                        head: Vec::new(),
                        rows: Vec::new(),
                        in_head: false,
                    },
                    range.start,
                );
            }
            Tag::TableHead => {
                if let Some(Leaf::Table { in_head, .. }) = &mut self.leaf {
                    *in_head = true;
                }
            }
            Tag::TableRow => self.row.clear(),
            Tag::TableCell => self.lines = vec![Vec::new()],
            Tag::BlockQuote(_) => self.open_frame(Open::Quote, range.start),
            Tag::List(start) => self.open_frame(Open::List(start), range.start),
            Tag::Item => self.open_frame(Open::Item, range.start),
            Tag::Emphasis => self.mark(|b| &mut b.emphasis, true),
            Tag::Strong => self.mark(|b| &mut b.strong, true),
            Tag::Strikethrough => self.mark(|b| &mut b.strike, true),
            Tag::Link { dest_url, .. } => self.link = Some(dest_url.into_string()),
            Tag::Image { dest_url, .. } => {
                let marker = if dest_url.is_empty() {
                    "[image]".to_owned()
                } else {
                    format!("[image: {dest_url}]")
                };
                self.text(&marker, self.marks, range.start);
                self.image += 1;
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: std::ops::Range<usize>) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::HtmlBlock
            | TagEnd::CodeBlock
            | TagEnd::Table => self.close_leaf(range.end),
            TagEnd::TableHead => {
                if let Some(Leaf::Table { head, in_head, .. }) = &mut self.leaf {
                    *head = std::mem::take(&mut self.row);
                    *in_head = false;
                }
            }
            TagEnd::TableRow => {
                if let Some(Leaf::Table { rows, .. }) = &mut self.leaf {
                    rows.push(std::mem::take(&mut self.row));
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.lines)
                    .into_iter()
                    .flatten()
                    .collect();
                self.row.push(cell);
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item => self.close_frame(range.end),
            TagEnd::Emphasis => self.mark(|b| &mut b.emphasis, false),
            TagEnd::Strong => self.mark(|b| &mut b.strong, false),
            TagEnd::Strikethrough => self.mark(|b| &mut b.strike, false),
            TagEnd::Link => self.link = None,
            TagEnd::Image => self.image = self.image.saturating_sub(1),
            _ => {}
        }
    }

    fn mark(&mut self, counter: fn(&mut Self) -> &mut usize, open: bool) {
        let count = counter(self);
        *count = if open {
            *count + 1
        } else {
            count.saturating_sub(1)
        };
        self.marks = Marks {
            strong: self.strong > 0,
            emphasis: self.emphasis > 0,
            strike: self.strike > 0,
            code: false,
        };
    }

    /// Inline text; outside any block (a tight list item) it opens a paragraph.
    fn text(&mut self, text: &str, marks: Marks, at: usize) {
        if self.image > 0 || text.is_empty() {
            return;
        }
        if self.leaf.is_none() {
            self.open_leaf(Leaf::Paragraph, at);
        }
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let link = self.link.clone();
        if let Some(line) = self.lines.last_mut() {
            match line.last_mut() {
                Some(last) if last.marks == marks && last.link == link => last.text.push_str(text),
                _ => line.push(Run {
                    text: text.to_owned(),
                    marks,
                    link,
                }),
            }
        }
    }

    fn open_leaf(&mut self, leaf: Leaf, start: usize) {
        self.close_leaf(start);
        self.gap(start);
        self.leaf = Some(leaf);
        self.lines.clear();
        self.code.clear();
    }

    /// Ends the open leaf block (if any) at source offset `end`.
    fn close_leaf(&mut self, end: usize) {
        let Some(leaf) = self.leaf.take() else {
            return;
        };
        let mut lines = std::mem::take(&mut self.lines);
        while lines.last().is_some_and(Vec::is_empty) {
            lines.pop();
        }
        let block = match leaf {
            Leaf::Paragraph | Leaf::Html => Block::Paragraph(lines),
            Leaf::Heading(level) => Block::Heading { level, lines },
            Leaf::Code(lang) => {
                let mut text = std::mem::take(&mut self.code);
                if text.ends_with('\n') {
                    text.pop();
                }
                Block::Code { lang, text }
            }
            Leaf::Table {
                align, head, rows, ..
            } => Block::Table(Table { align, head, rows }),
        };
        if matches!(&block, Block::Heading { lines, .. } if lines.is_empty()) {
            return;
        }
        if let Some(frame) = self.frames.last_mut() {
            frame.blocks.push(block);
            frame.last_end = Some(end);
        }
    }

    fn push_block(&mut self, block: Block, range: std::ops::Range<usize>) {
        self.close_leaf(range.start);
        self.gap(range.start);
        if let Some(frame) = self.frames.last_mut() {
            frame.blocks.push(block);
            frame.last_end = Some(range.end);
        }
    }

    /// Records a blank line before a block starting at `start`, if the
    /// source has one since the last block of the open container.
    fn gap(&mut self, start: usize) {
        let source = self.source;
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let Some(end) = frame.last_end else {
            return;
        };
        if blank_between(source, end, start) {
            let target = match frame.kind {
                Open::List(_) => return,
                _ => &mut frame.blocks,
            };
            if !matches!(target.last(), Some(Block::Blank)) {
                target.push(Block::Blank);
            }
        }
    }

    fn open_frame(&mut self, kind: Open, start: usize) {
        self.close_leaf(start);
        let item_after_blank = matches!(kind, Open::Item)
            && self
                .frames
                .last()
                .and_then(|f| f.last_end)
                .is_some_and(|end| blank_between(self.source, end, start));
        if !matches!(kind, Open::Item) {
            self.gap(start);
        }
        let mut frame = Frame::new(kind);
        if item_after_blank {
            frame.blocks.push(Block::Blank);
        }
        self.frames.push(frame);
    }

    fn close_frame(&mut self, end: usize) {
        self.close_leaf(end);
        if self.frames.len() <= 1 {
            return;
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let Some(parent) = self.frames.last_mut() else {
            return;
        };
        match frame.kind {
            Open::Item => parent.items.push(frame.blocks),
            Open::Quote => parent.blocks.push(Block::Quote(frame.blocks)),
            Open::List(start) => parent.blocks.push(Block::List {
                start,
                items: frame.items,
            }),
            Open::Root => {}
        }
        parent.last_end = Some(end);
    }

    fn finish(mut self) -> Vec<Block> {
        let end = self.source.len();
        self.close_leaf(end);
        while self.frames.len() > 1 {
            self.close_frame(end);
        }
        let mut blocks = self.frames.pop().map(|f| f.blocks).unwrap_or_default();
        while matches!(blocks.last(), Some(Block::Blank)) {
            blocks.pop();
        }
        blocks
    }
}

impl Frame {
    fn new(kind: Open) -> Self {
        Self {
            kind,
            blocks: Vec::new(),
            items: Vec::new(),
            last_end: None,
        }
    }
}

fn heading(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Whether a line between `end` (where a block ended) and `start` (where
/// the next begins) is blank, ignoring block quote markers. A block's end
/// may already include the blank lines after it, so the gap is measured
/// from its last text.
fn blank_between(source: &str, end: usize, start: usize) -> bool {
    let (Some(before), Some(_)) = (source.get(..end.min(start)), source.get(..start)) else {
        return false;
    };
    let content_end = before
        .trim_end_matches(|c: char| c.is_whitespace() || c == '>')
        .len();
    source
        .get(content_end..start)
        .is_some_and(|gap| gap.matches('\n').count() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Run {
        Run::new(text, Marks::PLAIN)
    }

    fn para(lines: &[&[Run]]) -> Block {
        Block::Paragraph(lines.iter().map(|l| l.to_vec()).collect())
    }

    #[test]
    fn lines_stay_lines_and_lists_follow_text() {
        assert_eq!(
            parse("**Lambda**\n- invoke `fn`\n  - nested *it* ~~old~~\n\nPlain line\nnext"),
            [
                para(&[&[Run::new("Lambda", Marks::STRONG)]]),
                Block::List {
                    start: None,
                    items: vec![vec![
                        para(&[&[plain("invoke "), Run::new("fn", Marks::CODE)]]),
                        Block::List {
                            start: None,
                            items: vec![vec![para(&[&[
                                plain("nested "),
                                Run::new(
                                    "it",
                                    Marks {
                                        emphasis: true,
                                        ..Marks::PLAIN
                                    }
                                ),
                                plain(" "),
                                Run::new(
                                    "old",
                                    Marks {
                                        strike: true,
                                        ..Marks::PLAIN
                                    }
                                ),
                            ]])]],
                        },
                    ]],
                },
                Block::Blank,
                para(&[&[plain("Plain line")], &[plain("next")]]),
            ]
        );
    }

    #[test]
    fn code_tables_links_and_rules() {
        assert_eq!(
            parse("```rust\nfn main() {}\n  // x\n```\n***\n| a | b |\n|:-|-:|\n| 1 | `2` |"),
            [
                Block::Code {
                    lang: Some("rust".into()),
                    text: "fn main() {}\n  // x".into()
                },
                Block::Rule,
                Block::Table(Table {
                    align: vec![Align::Left, Align::Right],
                    head: vec![vec![plain("a")], vec![plain("b")]],
                    rows: vec![vec![vec![plain("1")], vec![Run::new("2", Marks::CODE)]]],
                }),
            ]
        );
        let link = parse("see [docs](https://x.org) ![c](cat.png)");
        assert_eq!(
            link,
            [para(&[&[
                plain("see "),
                Run {
                    text: "docs".into(),
                    marks: Marks::PLAIN,
                    link: Some("https://x.org".into())
                },
                plain(" [image: cat.png]"),
            ]])]
        );
    }

    #[test]
    fn quotes_headings_and_loose_lists() {
        assert_eq!(
            parse("# Title\n> quoted\n> more\n\n1. one\n\n2. two"),
            [
                Block::Heading {
                    level: 1,
                    lines: vec![vec![plain("Title")]]
                },
                Block::Quote(vec![para(&[&[plain("quoted")], &[plain("more")]])]),
                Block::Blank,
                Block::List {
                    start: Some(1),
                    items: vec![
                        vec![para(&[&[plain("one")]])],
                        vec![Block::Blank, para(&[&[plain("two")]])]
                    ],
                },
            ]
        );
    }

    #[test]
    fn html_and_markers_stay_as_written() {
        assert_eq!(
            parse("<b>literal</b> [sound: x.mp3] [image: y.png]"),
            [para(&[&[plain(
                "<b>literal</b> [sound: x.mp3] [image: y.png]"
            )]])]
        );
        assert_eq!(parse("a ** b ` c"), [para(&[&[plain("a ** b ` c")]])]);
    }

    #[test]
    fn plain_text_drops_markers() {
        assert_eq!(plain_text("**Lambda**\n- invoke `fn`"), "Lambda invoke fn");
    }
}
