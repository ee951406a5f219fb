//! Card text on screen: the blocks of [`crate::markup`] laid out into lines
//! of a given width: wrapped paragraphs, lists with hanging indents, block
//! quotes, code blocks (verbatim, highlighted, cut with a marker), tables
//! sized to the width, links with their target.
//!
//! Wrapping is written here rather than taken from `textwrap` because it
//! must keep each run's style, and because textwrap's Unicode line breaking
//! now pulls in ICU (some 70 crates) for what we need: break at spaces,
//! between wide (CJK) characters but not before closing punctuation, and
//! never inside a grapheme cluster (so emoji sequences stay whole). Widths
//! are display widths, as ratatui lays out the buffer.

use std::cell::RefCell;
use std::rc::Rc;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::highlight::{self, Token};
use super::theme::Theme;
use crate::deck::{HIGHLIGHT_END, HIGHLIGHT_START};
use crate::markup::{self, Align, Block, Inlines, Run, Table};

/// Lays out card text in `width` columns.
pub fn card_lines(text: &str, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    card_lines_in(text, width, theme, theme.text())
}

/// Lays out card text in `width` columns, on top of a `base` style (bold
/// for questions).
pub fn card_lines_in(text: &str, width: u16, theme: &Theme, base: Style) -> Vec<Line<'static>> {
    lay_out(text, width, theme, base).lines
}

/// Laid-out lines, and whether they may change without their text: a
/// code block still being highlighted in the background shows plain where
/// it is not done yet, and is laid out again when more of it is.
#[derive(Debug, Clone, Default)]
pub struct Laid {
    pub lines: Vec<Line<'static>>,
    /// [`highlight::progress`] when laid out, if a block was not fully
    /// highlighted then.
    waiting: Option<u64>,
}

impl Laid {
    /// Lines that do not depend on highlighting.
    pub fn new(lines: Vec<Line<'static>>) -> Laid {
        Laid {
            lines,
            waiting: None,
        }
    }

    /// Whether laying the same text out again now would give the same
    /// lines.
    pub fn is_current(&self) -> bool {
        self.waiting.is_none_or(|at| at == highlight::progress())
    }

    /// Each line changed by `f` (given its index): current as long as these
    /// lines are.
    pub fn map(&self, f: impl FnMut(usize, &Line<'static>) -> Line<'static>) -> Laid {
        let mut f = f;
        Laid {
            lines: self
                .lines
                .iter()
                .enumerate()
                .map(|(i, line)| f(i, line))
                .collect(),
            waiting: self.waiting,
        }
    }

    /// Appends `other`'s lines: the result is current while both are.
    pub fn append(&mut self, other: Laid) {
        self.lines.extend(other.lines);
        self.waiting = match (self.waiting, other.waiting) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// Lays out card text in `width` columns on top of `base`, saying whether
/// the lines are final (see [`Laid`]).
pub fn lay_out(text: &str, width: u16, theme: &Theme, base: Style) -> Laid {
    // Read before any highlight is looked at: lines published meanwhile
    // make the layout out of date, never the other way round.
    let progress = highlight::progress();
    let width = usize::from(width.max(1));
    let blocks = parsed(text);
    let highlight = std::cell::Cell::new(false);
    let waiting = std::cell::Cell::new(false);
    let lines = Renderer {
        theme,
        base,
        highlight: &highlight,
        waiting: &waiting,
    }
    .blocks(&blocks, width, 0);
    Laid {
        lines,
        waiting: waiting.get().then_some(progress),
    }
}

/// Card text laid out as [`lay_out`] does, kept between frames: a screen
/// is drawn on every key and tick, and a scroll step then copies only the
/// lines in view.
pub fn kept_card(text: &str, width: u16, theme: &Theme, base: Style) -> Rc<Laid> {
    let key = {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(text.as_bytes());
        std::hash::Hash::hash(&(width, theme, base), &mut hasher);
        hasher.digest()
    };
    kept(key, || lay_out(text, width, theme, base))
}

/// Lines laid out by `lay_out`, kept between frames under `key`: a hash of
/// everything the lines depend on (texts, width, styles). They are laid
/// out again once not [`Laid::is_current`].
pub fn kept(key: u64, lay_out: impl FnOnce() -> Laid) -> Rc<Laid> {
    thread_local! {
        static KEPT: RefCell<Vec<(u64, Rc<Laid>)>> = const { RefCell::new(Vec::new()) };
    }
    const KEPT_LAYOUTS: usize = 16;
    let hit = KEPT.with_borrow(|kept| {
        kept.iter()
            .find(|(k, laid)| *k == key && laid.is_current())
            .map(|(_, laid)| Rc::clone(laid))
    });
    if let Some(hit) = hit {
        return hit;
    }
    let laid = Rc::new(lay_out());
    KEPT.with_borrow_mut(|kept| {
        kept.retain(|(k, _)| *k != key);
        if kept.len() >= KEPT_LAYOUTS {
            kept.remove(0);
        }
        kept.push((key, Rc::clone(&laid)));
    });
    laid
}

/// The blocks of `text`, parsed once while a card is on screen: a screen is
/// drawn many times (every key, every resize) for the same few texts.
fn parsed(text: &str) -> Rc<Vec<Block>> {
    thread_local! {
        static CACHE: RefCell<Vec<(String, Rc<Vec<Block>>)>> = const { RefCell::new(Vec::new()) };
    }
    const KEPT: usize = 8;
    if let Some(hit) = CACHE.with_borrow(|cache| {
        cache
            .iter()
            .find(|(t, _)| t == text)
            .map(|(_, blocks)| Rc::clone(blocks))
    }) {
        return hit;
    }
    let blocks = Rc::new(markup::parse(text));
    CACHE.with_borrow_mut(|cache| {
        if cache.len() >= KEPT {
            cache.remove(0);
        }
        cache.push((text.to_owned(), Rc::clone(&blocks)));
    });
    blocks
}

/// Lays out blocks; `depth` is the list nesting.
#[derive(Debug, Clone, Copy)]
struct Renderer<'a> {
    theme: &'a Theme,
    base: Style,
    /// Whether the text so far is inside a highlight (the active cloze
    /// deletion, between [`HIGHLIGHT_START`] and [`HIGHLIGHT_END`]); it may
    /// span runs and lines.
    highlight: &'a std::cell::Cell<bool>,
    /// Set when a code block is not fully highlighted yet.
    waiting: &'a std::cell::Cell<bool>,
}

/// Text in pieces with their styles, before wrapping.
type Styled = Vec<(String, Style)>;

/// Gutter of code block lines, and of the continuation of a cut line.
const CODE_GUTTER: &str = "│ ";
const CODE_CUT: &str = "↪ ";
const QUOTE_BAR: &str = "▌ ";
const BULLETS: [&str; 3] = ["• ", "◦ ", "▪ "];

impl Renderer<'_> {
    fn blocks(&self, blocks: &[Block], width: usize, depth: usize) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        for block in blocks {
            self.block(block, width, depth, &mut lines);
        }
        lines
    }

    fn block(&self, block: &Block, width: usize, depth: usize, out: &mut Vec<Line<'static>>) {
        let theme = self.theme;
        match block {
            Block::Blank => out.push(Line::default()),
            Block::Paragraph(lines) => {
                for line in lines {
                    // A line all in bold at the top level reads as a heading.
                    let heading = depth == 0
                        && !line.is_empty()
                        && line.iter().all(|r| {
                            r.marks.strong && !r.marks.code && r.link.is_none()
                                || r.text.trim().is_empty()
                        });
                    let base = if heading {
                        self.base.patch(theme.accent())
                    } else {
                        self.base
                    };
                    out.extend(wrap(&self.styled(line, base), Vec::new(), 0, width));
                }
            }
            Block::Heading { level, lines } => {
                let base = if *level <= 2 {
                    self.base.patch(theme.accent())
                } else {
                    self.base.patch(theme.bold())
                };
                for line in lines {
                    out.extend(wrap(&self.styled(line, base), Vec::new(), 0, width));
                }
            }
            Block::List { start, items } => self.list(*start, items, width, depth, out),
            Block::Quote(blocks) => {
                let bar = QUOTE_BAR.width();
                let inner = self.blocks(blocks, width.saturating_sub(bar).max(1), depth);
                out.extend(
                    inner
                        .into_iter()
                        .map(|line| prefixed(line, vec![Span::styled(QUOTE_BAR, theme.border())])),
                );
            }
            Block::Code { lang, text } => self.code(lang.as_deref(), text, width, out),
            Block::Table(table) => self.table(table, width, out),
            Block::Rule => out.push(Line::styled("─".repeat(width), theme.border())),
        }
    }

    fn list(
        &self,
        start: Option<u64>,
        items: &[Vec<Block>],
        width: usize,
        depth: usize,
        out: &mut Vec<Line<'static>>,
    ) {
        let theme = self.theme;
        let last = start.map(|n| n.saturating_add(items.len().saturating_sub(1) as u64));
        let number_width = last.map_or(0, |n| n.to_string().len());
        for (i, item) in items.iter().enumerate() {
            let marker = match start {
                Some(n) => format!("{:>number_width$}. ", n.saturating_add(i as u64)),
                None => BULLETS[depth.min(BULLETS.len() - 1)].to_owned(),
            };
            let hang = marker.width();
            let leading = item
                .iter()
                .take_while(|b| matches!(b, Block::Blank))
                .count();
            out.extend(std::iter::repeat_n(Line::default(), leading));
            let inner = self.blocks(
                &item[leading..],
                width.saturating_sub(hang).max(1),
                depth + 1,
            );
            let mut marker = Some(Span::styled(marker, theme.accent()));
            if inner.is_empty() {
                out.extend(marker.take().map(Line::from));
            }
            for line in inner {
                let prefix = match marker.take() {
                    Some(marker) => marker,
                    None => Span::raw(" ".repeat(hang)),
                };
                out.push(prefixed(line, vec![prefix]));
            }
        }
    }

    /// `text` in `style`, with the highlight markers dropped and what is
    /// between them in [`Theme::highlight`] on top.
    fn push_highlighted(&self, text: &str, style: Style, out: &mut Styled) {
        let mut piece = String::new();
        let mut flush = |piece: &mut String, on: bool| {
            if !piece.is_empty() {
                let style = if on {
                    style.patch(self.theme.highlight())
                } else {
                    style
                };
                out.push((std::mem::take(piece), style));
            }
        };
        for c in text.chars() {
            if c == HIGHLIGHT_START || c == HIGHLIGHT_END {
                flush(&mut piece, self.highlight.get());
                self.highlight.set(c == HIGHLIGHT_START);
            } else {
                piece.push(c);
            }
        }
        flush(&mut piece, self.highlight.get());
    }

    /// Runs as styled text, with each link's target after its text.
    fn styled(&self, runs: &[Run], base: Style) -> Vec<(String, Style)> {
        let theme = self.theme;
        let mut out = Vec::with_capacity(runs.len());
        for (i, run) in runs.iter().enumerate() {
            let mut style = base;
            if run.marks.strong {
                style = style.patch(theme.bold());
            }
            if run.marks.emphasis {
                style = style.patch(theme.emphasis());
            }
            if run.marks.strike {
                style = style.patch(theme.strike());
            }
            if run.marks.code {
                style = style.patch(theme.code());
            }
            if run.link.is_some() {
                style = style.patch(theme.link());
            }
            self.push_highlighted(&run.text, style, &mut out);
            if let Some(target) = &run.link {
                let ends = runs.get(i + 1).is_none_or(|next| next.link != run.link);
                let text: String = runs
                    .iter()
                    .take(i + 1)
                    .rev()
                    .take_while(|r| r.link == run.link)
                    .map(|r| r.text.as_str())
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let shown =
                    text == *target || target.strip_prefix("mailto:") == Some(text.as_str());
                if ends && !shown {
                    out.push((format!(" ({target})"), base.patch(theme.muted())));
                }
            }
        }
        out
    }

    /// A code block: verbatim lines behind a gutter, highlighted when its
    /// language is known (lines not highlighted yet show plain); a line
    /// too wide is cut, and its continuation starts with a marker rather
    /// than the gutter.
    fn code(&self, lang: Option<&str>, text: &str, width: usize, out: &mut Vec<Line<'static>>) {
        // Code is shown verbatim: a cloze inside it shows without highlight.
        let text: &str = &if text.contains([HIGHLIGHT_START, HIGHLIGHT_END]) {
            std::borrow::Cow::Owned(crate::deck::strip_highlights(text))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        let theme = self.theme;
        let highlighted = lang
            .filter(|_| theme.highlights_code())
            .and_then(|lang| highlight::highlight(lang, text));
        let gutter = if width > CODE_GUTTER.width() {
            CODE_GUTTER.width()
        } else {
            0
        };
        let code = CodeLines {
            base: self.base,
            gutter: (gutter > 0).then(|| theme.border()),
            available: width - gutter,
        };
        let mut plain = text.split('\n');
        if let Some(highlighted) = &highlighted {
            for line in highlighted.lines() {
                plain.next();
                code.emit(
                    line.iter().map(|(text, token)| (text.as_str(), *token)),
                    out,
                );
            }
            if !highlighted.is_complete() {
                self.waiting.set(true);
            }
        }
        for line in plain {
            code.emit([(line, Token::Plain)], out);
        }
    }

    /// A table with its columns sized to `width` and cells wrapped; rows as
    /// plain lines when not even two columns each fit.
    fn table(&self, table: &Table, width: usize, out: &mut Vec<Line<'static>>) {
        let theme = self.theme;
        let columns = table.align.len().max(1);
        let separators = 3 * (columns - 1);
        let cell = |runs: &Inlines, head: bool| {
            let base = if head {
                self.base.patch(theme.bold())
            } else {
                self.base
            };
            self.styled(runs, base)
        };
        let rows: Vec<(bool, Vec<Styled>)> = std::iter::once((true, &table.head))
            .chain(table.rows.iter().map(|r| (false, r)))
            .map(|(head, row)| {
                let cells = (0..columns)
                    .map(|i| row.get(i).map(|c| cell(c, head)).unwrap_or_default())
                    .collect();
                (head, cells)
            })
            .collect();
        // Two columns each at least, so that a wide character fits a cell.
        if width < separators + 2 * columns {
            for (_, cells) in &rows {
                let mut joined = Vec::new();
                for (i, cell) in cells.iter().enumerate() {
                    if i > 0 {
                        joined.push((" · ".to_owned(), theme.border()));
                    }
                    joined.extend(cell.iter().cloned());
                }
                out.extend(wrap(&joined, Vec::new(), 0, width));
            }
            return;
        }
        let natural: Vec<usize> = (0..columns)
            .map(|i| {
                rows.iter()
                    .map(|(_, cells)| cells[i].iter().map(|(t, _)| t.width()).sum::<usize>())
                    .max()
                    .unwrap_or(0)
                    .max(1)
            })
            .collect();
        let widths = fit_columns(&natural, width - separators);
        let border = |text: &'static str| Span::styled(text, theme.border());
        for (r, (head, cells)) in rows.iter().enumerate() {
            let wrapped: Vec<Vec<Line<'static>>> = cells
                .iter()
                .zip(&widths)
                .map(|(cell, &w)| wrap(cell, Vec::new(), 0, w))
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            for k in 0..height {
                let mut spans = Vec::new();
                for (i, lines) in wrapped.iter().enumerate() {
                    if i > 0 {
                        spans.push(border(" │ "));
                    }
                    let line = lines.get(k).cloned().unwrap_or_default();
                    let pad = widths[i].saturating_sub(line.width());
                    let (left, right) = match table.align.get(i) {
                        Some(Align::Right) => (pad, 0),
                        Some(Align::Center) => (pad / 2, pad - pad / 2),
                        _ => (0, pad),
                    };
                    if left > 0 {
                        spans.push(Span::raw(" ".repeat(left)));
                    }
                    spans.extend(line.spans);
                    if right > 0 && i + 1 < columns {
                        spans.push(Span::raw(" ".repeat(right)));
                    }
                }
                out.push(Line::from(spans));
            }
            if *head && r == 0 {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                out.push(Line::styled(rule.join("─┼─"), theme.border()));
            }
        }
    }
}

/// How the lines of a code block are laid out.
struct CodeLines {
    base: Style,
    /// The gutter's style, if there is room for one.
    gutter: Option<Style>,
    /// Columns for the code.
    available: usize,
}

impl CodeLines {
    /// Lays out one line of code from its pieces, cut where it is too
    /// wide; tabs go to the next multiple of four columns and control
    /// characters show as U+FFFD.
    fn emit<'t>(
        &self,
        pieces: impl IntoIterator<Item = (&'t str, Token)>,
        out: &mut Vec<Line<'static>>,
    ) {
        let start = |first: bool| -> Vec<Span<'static>> {
            // Room for the gutter and a few tokens: one allocation a line.
            let mut spans = Vec::with_capacity(8);
            match (self.gutter, first) {
                (None, _) => {}
                (Some(style), true) => spans.push(Span::styled(CODE_GUTTER, style)),
                (Some(style), false) => spans.push(Span::styled(CODE_CUT, style)),
            }
            spans
        };
        let available = self.available.max(1);
        let mut line = start(true);
        let mut used = 0;
        let mut column = 0;
        let mut cut = |line: &mut Vec<Span<'static>>, piece: &mut String, style: Style| {
            line.push(Span::styled(std::mem::take(piece), style));
            out.push(Line::from(std::mem::replace(line, start(false))));
        };
        for (text, token) in pieces {
            if text.is_empty() {
                continue;
            }
            let style = self.base.patch(token.style());
            let mut piece = String::new();
            if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
                // Printable ASCII, the common case: a column a byte.
                if used + text.len() <= available {
                    // All of it fits: one allocation.
                    line.push(Span::styled(text.to_owned(), style));
                    used += text.len();
                    column += text.len();
                    continue;
                }
                let mut rest = text;
                while !rest.is_empty() {
                    if used >= available {
                        cut(&mut line, &mut piece, style);
                        used = 0;
                    }
                    let (now, later) = rest.split_at((available - used).min(rest.len()));
                    piece.push_str(now);
                    used += now.len();
                    column += now.len();
                    rest = later;
                }
            } else {
                for grapheme in text.graphemes(true) {
                    // A tab is as many spaces as reach the next stop, each
                    // a column, so that a cut may fall among them.
                    let tab = grapheme == "\t";
                    let (shown, w) = match grapheme {
                        "\t" => (" ", 1),
                        g if g.chars().any(char::is_control) => ("\u{FFFD}", 1),
                        g => (g, g.width()),
                    };
                    let count = if tab { 4 - column % 4 } else { 1 };
                    for _ in 0..count {
                        if used + w > available && used > 0 {
                            cut(&mut line, &mut piece, style);
                            used = 0;
                        }
                        piece.push_str(shown);
                        used += w;
                        column += w;
                    }
                }
            }
            if !piece.is_empty() {
                line.push(Span::styled(piece, style));
            }
        }
        out.push(Line::from(line));
    }
}

/// Column widths for `natural` widths in `available` columns (at least one
/// each): every column gets its natural width if all fit, else the narrow
/// ones keep theirs and the wide ones share the rest evenly.
fn fit_columns(natural: &[usize], available: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= available {
        return natural.to_vec();
    }
    let mut order: Vec<usize> = (0..natural.len()).collect();
    order.sort_by_key(|&i| natural[i]);
    let mut widths = vec![1; natural.len()];
    let mut remaining = available;
    for (k, &i) in order.iter().enumerate() {
        let share = (remaining / (natural.len() - k)).max(1);
        widths[i] = natural[i].min(share);
        remaining = remaining.saturating_sub(widths[i]);
    }
    widths
}

/// `line` with `prefix` before it.
fn prefixed(line: Line<'static>, mut prefix: Vec<Span<'static>>) -> Line<'static> {
    prefix.extend(line.spans);
    Line::from(prefix)
}

/// Styled pieces of one paragraph (no Markdown) wrapped to `width`.
pub fn styled_lines(pieces: &[(String, Style)], width: u16) -> Vec<Line<'static>> {
    wrap(pieces, Vec::new(), 0, usize::from(width.max(1)))
}

/// Plain text (no Markdown) wrapped to `width`, in one style.
pub fn plain_lines(text: &str, style: Style, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    text.lines()
        .flat_map(|line| wrap(&[(line.to_owned(), style)], Vec::new(), 0, width))
        .collect()
}

/// A piece of a line that is never broken unless it alone is too wide.
#[derive(Debug, Default)]
struct Word {
    graphemes: Vec<(String, Style)>,
    width: usize,
    /// Whether a space followed it in the text.
    space_after: bool,
}

/// Closing punctuation that must not start a line.
fn is_closing(grapheme: &str) -> bool {
    matches!(
        grapheme,
        "。" | "、"
            | "，"
            | "．"
            | "！"
            | "？"
            | "："
            | "；"
            | "）"
            | "」"
            | "』"
            | "】"
            | "〉"
            | "》"
            | "”"
            | "’"
            | "…"
    )
}

/// Splits styled text into words: at spaces, and around wide characters.
fn words(runs: &[(String, Style)]) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut word = Word::default();
    let finish = |word: &mut Word, words: &mut Vec<Word>, space_after: bool| {
        if word.graphemes.is_empty() {
            if space_after && let Some(last) = words.last_mut() {
                last.space_after = true;
            }
            return;
        }
        word.space_after = space_after;
        words.push(std::mem::take(word));
    };
    for (text, style) in runs {
        for grapheme in text.graphemes(true) {
            if grapheme.chars().all(char::is_whitespace) {
                finish(&mut word, &mut words, true);
                continue;
            }
            let width = grapheme.width();
            let wide = width >= 2;
            if (wide && !is_closing(grapheme)) && !word.graphemes.is_empty() {
                finish(&mut word, &mut words, false);
            }
            word.graphemes.push((grapheme.to_owned(), *style));
            word.width += width;
            if wide {
                // A wide character may be followed by a break.
                finish(&mut word, &mut words, false);
            }
        }
    }
    finish(&mut word, &mut words, false);
    // Closing punctuation joins the word before it.
    let mut joined: Vec<Word> = Vec::with_capacity(words.len());
    for word in words {
        let closing = word.graphemes.first().is_some_and(|(g, _)| is_closing(g));
        match joined.last_mut() {
            Some(last) if closing && !last.space_after => {
                last.graphemes.extend(word.graphemes);
                last.width += word.width;
                last.space_after = word.space_after;
            }
            _ => joined.push(word),
        }
    }
    joined
}

/// Greedy wrapping: `prefix` starts the first line, `hang` spaces start the
/// others. Words wider than a line are cut between graphemes.
fn wrap(
    runs: &[(String, Style)],
    prefix: Vec<Span<'static>>,
    hang: usize,
    width: usize,
) -> Vec<Line<'static>> {
    let available = width.saturating_sub(hang).max(1);
    let mut lines: Vec<Vec<(String, Style)>> = vec![Vec::new()];
    let mut used = 0;
    let mut space_pending = false;
    for word in words(runs) {
        let gap = usize::from(space_pending && used > 0);
        if used + gap + word.width <= available {
            if gap == 1 {
                // The space between two words takes their style only if
                // they share it: no underline or strike reaching out.
                let next = word.graphemes.first().map(|(_, s)| *s);
                let previous = lines.last().and_then(|line| line.last()).map(|(_, s)| *s);
                let style = match (previous, next) {
                    (Some(p), Some(n)) if p == n => p,
                    _ => Style::default(),
                };
                push(&mut lines, " ", style);
            }
            for (g, style) in &word.graphemes {
                push(&mut lines, g, *style);
            }
            used += gap + word.width;
        } else {
            if used > 0 {
                lines.push(Vec::new());
                used = 0;
            }
            for (g, style) in &word.graphemes {
                let w = g.width();
                if used + w > available && used > 0 {
                    lines.push(Vec::new());
                    used = 0;
                }
                push(&mut lines, g, *style);
                used += w;
            }
        }
        space_pending = word.space_after;
    }
    let mut prefix = Some(prefix);
    lines
        .into_iter()
        .map(|pieces| {
            let mut spans = prefix.take().unwrap_or_else(|| {
                if hang == 0 {
                    Vec::new()
                } else {
                    vec![Span::raw(" ".repeat(hang))]
                }
            });
            spans.extend(
                pieces
                    .into_iter()
                    .map(|(text, style)| Span::styled(text, style)),
            );
            Line::from(spans)
        })
        .collect()
}

/// Appends text to the last line, merging with the last piece if the style
/// matches.
fn push(lines: &mut [Vec<(String, Style)>], text: &str, style: Style) {
    if let Some(line) = lines.last_mut() {
        match line.last_mut() {
            Some((last, last_style)) if *last_style == style => last.push_str(text),
            _ => line.push((text.to_owned(), style)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn bullets_hang_when_they_wrap() {
        let lines = card_lines(
            "- one two three four five\n  - six seven eight",
            16,
            &Theme::monochrome(),
        );
        assert_eq!(
            texts(&lines),
            [
                "• one two three",
                "  four five",
                "  ◦ six seven",
                "    eight"
            ]
        );
    }

    #[test]
    fn words_longer_than_the_line_are_cut() {
        let lines = card_lines("abcdefghij xy", 4, &Theme::monochrome());
        assert_eq!(texts(&lines), ["abcd", "efgh", "ij", "xy"]);
    }

    #[test]
    fn wide_characters_wrap_by_display_width() {
        let lines = card_lines("日本語のテキストです。", 7, &Theme::monochrome());
        assert_eq!(texts(&lines), ["日本語", "のテキ", "ストで", "す。"]);
        for line in &lines {
            assert!(line.width() <= 7);
        }
    }

    #[test]
    fn emoji_sequences_stay_whole() {
        let lines = card_lines("cat 🐈‍⬛ and 🇯🇵", 5, &Theme::monochrome());
        assert_eq!(texts(&lines), ["cat", "🐈‍⬛", "and", "🇯🇵"]);
    }

    #[test]
    fn styles_survive_wrapping() {
        let theme = Theme::colored();
        let lines = card_lines("use `aws_proxy` now", 9, &theme);
        assert_eq!(texts(&lines), ["use", "aws_proxy", "now"]);
        assert_eq!(lines[1].spans[0].style, theme.code());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        /// A code line is cut only where the next piece does not fit, and
        /// keeps all its text, whether it takes the ASCII path or not.
        #[test]
        fn code_lines_are_cut_full_and_lose_nothing(
            line in "[ -~]{0,40}|[ -~日é\t]{0,30}",
            width in 1u16..30,
        ) {
            let lines = card_lines(&format!("```\n{line}\n```"), width, &Theme::monochrome());
            let mut shown = String::new();
            for (i, l) in lines.iter().enumerate() {
                let text = l.to_string();
                let code = text
                    .strip_prefix(if i == 0 { CODE_GUTTER } else { CODE_CUT })
                    .unwrap_or(&text);
                // Only a character wider than the code's room goes past it.
                proptest::prop_assert!(
                    l.width() <= usize::from(width) || code.graphemes(true).count() == 1,
                    "{text:?}"
                );
                if i + 1 < lines.len() {
                    // A wide character may leave one column free.
                    let gutter = l.width() - code.width();
                    let free = usize::from(width).saturating_sub(gutter + code.width());
                    proptest::prop_assert!(free <= 1, "{text:?} leaves {free}");
                }
                shown.push_str(code);
            }
            let mut expanded = String::new();
            for c in line.chars() {
                if c == '\t' {
                    let n = 4 - expanded.width() % 4;
                    expanded.push_str(&" ".repeat(n));
                } else {
                    expanded.push(c);
                }
            }
            proptest::prop_assert_eq!(shown, expanded);
        }
    }

    #[test]
    fn kept_layouts_are_reused_until_more_of_a_block_is_highlighted() {
        std::thread::spawn(|| {
            highlight::highlight_in_background();
            let code: String = (0..1000).map(|i| format!("kept_{i} = {i}\n")).collect();
            let card = format!("```python\n{code}```");
            let theme = Theme::colored();
            let first = kept_card(&card, 80, &theme, theme.text());
            assert!(first.waiting.is_some(), "the first lines only, at first");
            highlight::wait_until_idle();
            assert!(!first.is_current(), "more was published since");
            let done = kept_card(&card, 80, &theme, theme.text());
            assert!(!Rc::ptr_eq(&first, &done), "laid out again");
            assert!(done.waiting.is_none() && done.is_current());
            assert!(Rc::ptr_eq(
                &done,
                &kept_card(&card, 80, &theme, theme.text())
            ));
            assert_eq!(done.lines, card_lines(&card, 80, &theme));
            let narrow = kept_card(&card, 40, &theme, theme.text());
            assert!(!Rc::ptr_eq(&done, &narrow), "another width, another layout");
        })
        .join()
        .expect("the test thread");
    }

    #[test]
    fn any_width_is_fine() {
        for width in 0..30 {
            let lines = card_lines(
                "**Heading**\n- a bullet with `code` and 日本\n  - nested\n\ntext",
                width,
                &Theme::colored(),
            );
            assert!(!lines.is_empty());
        }
    }
}
