//! Card text on screen: light Markdown (see [`crate::markup`]) laid out into
//! lines of a given width, with bullets that hang when they wrap.
//!
//! Wrapping is written here rather than taken from `textwrap` because it
//! must keep each run's style, and because textwrap's Unicode line breaking
//! now pulls in ICU (some 70 crates) for what we need: break at spaces,
//! between wide (CJK) characters but not before closing punctuation, and
//! never inside a grapheme cluster (so emoji sequences stay whole). Widths
//! are display widths, as ratatui lays out the buffer.
//!
//! Highlights: text between [`HIGHLIGHT_START`] and [`HIGHLIGHT_END`] (the
//! active cloze deletion, marked by the deck model) gets
//! [`Theme::highlight`], on top of its Markdown style; the markers themselves
//! are dropped before wrapping. A highlight may span runs and lines.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::deck::{HIGHLIGHT_END, HIGHLIGHT_START};
use crate::markup::{self, Block, Emphasis, Run};

/// Lays out card text in `width` columns.
pub fn card_lines(text: &str, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    card_lines_in(text, width, theme, theme.text())
}

/// Lays out card text in `width` columns, on top of a `base` style (bold
/// for questions).
pub fn card_lines_in(text: &str, width: u16, theme: &Theme, base: Style) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    let mut lines = Vec::new();
    let mut highlight = Highlight {
        on: false,
        style: theme.highlight(),
    };
    let styled =
        |runs: &[Run], theme: &Theme, base: Style| styled(runs, theme, base, &mut highlight);
    let mut styled = styled;
    for block in markup::parse(text) {
        match block {
            Block::Blank => lines.push(Line::default()),
            Block::Heading(runs) => {
                let runs = styled(&runs, theme, base.patch(theme.accent()));
                lines.extend(wrap(&runs, Vec::new(), 0, width));
            }
            Block::Bullet { depth, runs } => {
                let marker = ["• ", "◦ ", "▪ "][depth.min(2)];
                let indent = "  ".repeat(depth);
                let prefix = vec![
                    Span::raw(indent.clone()),
                    Span::styled(marker, theme.accent()),
                ];
                let hang = indent.width() + marker.width();
                lines.extend(wrap(&styled(&runs, theme, base), prefix, hang, width));
            }
            Block::Text { depth, runs } => {
                let indent = "  ".repeat(depth);
                let hang = indent.width();
                let runs = styled(&runs, theme, base);
                lines.extend(wrap(&runs, vec![Span::raw(indent)], hang, width));
            }
        }
    }
    lines
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

/// Whether the text so far is inside a highlight.
struct Highlight {
    on: bool,
    style: Style,
}

impl Highlight {
    /// Moves `piece` to `out` in `style`, highlighted if inside.
    fn flush(&self, piece: &mut String, style: Style, out: &mut Vec<(String, Style)>) {
        if piece.is_empty() {
            return;
        }
        let style = if self.on {
            style.patch(self.style)
        } else {
            style
        };
        out.push((std::mem::take(piece), style));
    }
}

fn styled(
    runs: &[Run],
    theme: &Theme,
    base: Style,
    highlight: &mut Highlight,
) -> Vec<(String, Style)> {
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        let style = match run.emphasis {
            Emphasis::Plain => base,
            Emphasis::Bold => base.patch(theme.bold()),
            Emphasis::Code => base.patch(theme.code()),
        };
        let mut piece = String::new();
        for c in run.text.chars() {
            if c == HIGHLIGHT_START || c == HIGHLIGHT_END {
                highlight.flush(&mut piece, style, &mut out);
                highlight.on = c == HIGHLIGHT_START;
            } else {
                piece.push(c);
            }
        }
        highlight.flush(&mut piece, style, &mut out);
    }
    out
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
                let style = word
                    .graphemes
                    .first()
                    .map_or_else(Style::default, |(_, s)| *s);
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
