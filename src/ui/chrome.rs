//! What every screen shares: the header line, the footer of key hints, the
//! scroll state of long content, popups, and the too-small message.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget, Wrap,
};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use crate::study::queue::DueCounts;

/// Below this size screens show [`render_too_small`] instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

pub fn is_too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// "enlarge the terminal to at least 40×10", centred and wrapped to fit.
pub fn render_too_small(area: Rect, buf: &mut Buffer, theme: &Theme) {
    let text = format!(
        "enlarge the terminal to at least {MIN_WIDTH}×{MIN_HEIGHT} (now {}×{})",
        area.width, area.height
    );
    let height = text.width().div_ceil(usize::from(area.width.max(1))) as u16;
    let [middle] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    Paragraph::new(text)
        .style(theme.bold())
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(middle, buf);
}

/// One key hint of a footer: the key, then what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: String,
    pub text: String,
}

impl Hint {
    pub fn new(key: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            text: text.into(),
        }
    }

    fn width(&self) -> usize {
        self.key.width() + 1 + self.text.width()
    }
}

/// Hints laid out in lines of `width`, two spaces apart, never split.
pub fn hint_lines(hints: &[Hint], width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut used = 0;
    for hint in hints {
        let gap = if used == 0 { 1 } else { 2 };
        if used > 0 && used + gap + hint.width() > width {
            used = 0;
        }
        if used == 0 {
            lines.push(Line::from(" "));
            used = 1;
        } else if let Some(line) = lines.last_mut() {
            line.push_span(Span::raw("  "));
            used += 2;
        }
        if let Some(line) = lines.last_mut() {
            line.push_span(Span::styled(hint.key.clone(), theme.key()));
            line.push_span(Span::styled(format!(" {}", hint.text), theme.muted()));
        }
        used += hint.width();
    }
    lines
}

/// Splits `area` into the body and a footer tall enough for `hints`.
pub fn with_footer(area: Rect, hints: &[Hint], theme: &Theme) -> (Rect, Rect, Vec<Line<'static>>) {
    let lines = hint_lines(hints, area.width, theme);
    let height = (lines.len() as u16).min(area.height / 2);
    let [body, footer] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(height)]).areas(area);
    (body, footer, lines)
}

/// Every screen's frame: draws the too-small message and returns `None` if
/// `area` is too small; otherwise draws the footer of `hints` and returns
/// the area above it.
pub fn frame(area: Rect, buf: &mut Buffer, hints: &[Hint], theme: &Theme) -> Option<Rect> {
    if is_too_small(area) {
        render_too_small(area, buf, theme);
        return None;
    }
    let (main, footer, lines) = with_footer(area, hints, theme);
    Paragraph::new(lines).render(footer, buf);
    Some(main)
}

/// `title` on the left, and on the right the first of `right`'s versions
/// (longest first) that fits beside it.
pub fn render_header(
    area: Rect,
    buf: &mut Buffer,
    title: &str,
    right: &[Vec<Span<'static>>],
    theme: &Theme,
) {
    let title_width = title.width() + 2;
    let mut spans = vec![Span::styled(format!(" {title}"), theme.accent())];
    let width = usize::from(area.width);
    let fitting = right.iter().find(|version| {
        let version_width: usize = version.iter().map(|s| s.content.width()).sum();
        title_width + version_width < width
    });
    if let Some(version) = fitting {
        let version_width: usize = version.iter().map(|s| s.content.width()).sum();
        spans.push(Span::raw(
            " ".repeat(width - title_width - version_width + 1),
        ));
        spans.extend(version.iter().cloned());
    }
    Line::from(spans).render(area, buf);
}

/// `12 new · 3 learning · 40 due`, coloured by kind, and a compact
/// `12·3·40` for narrow screens.
pub fn count_spans(counts: DueCounts, theme: &Theme) -> [Vec<Span<'static>>; 2] {
    let full = vec![
        Span::styled(counts.new.to_string(), theme.new_count()),
        Span::styled(" new · ", theme.muted()),
        Span::styled(counts.learning.to_string(), theme.learning_count()),
        Span::styled(" learning · ", theme.muted()),
        Span::styled(counts.review.to_string(), theme.review_count()),
        Span::styled(" due ", theme.muted()),
    ];
    let compact = vec![
        Span::styled(counts.new.to_string(), theme.new_count()),
        Span::styled("·", theme.muted()),
        Span::styled(counts.learning.to_string(), theme.learning_count()),
        Span::styled("·", theme.muted()),
        Span::styled(counts.review.to_string(), theme.review_count()),
        Span::raw(" "),
    ];
    [full, compact]
}

/// Where long content is scrolled to. Rendering clamps it and records the
/// sizes, so the next key press scrolls within what is really there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScrollState {
    pub offset: usize,
    /// Lines of content, as last rendered.
    pub content: usize,
    /// Lines visible, as last rendered.
    pub viewport: usize,
}

impl ScrollState {
    pub fn max_offset(&self) -> usize {
        self.content.saturating_sub(self.viewport)
    }

    pub fn scroll_by(&mut self, lines: isize) {
        self.offset = self
            .offset
            .saturating_add_signed(lines)
            .min(self.max_offset());
    }

    pub fn page(&self) -> isize {
        self.viewport.saturating_sub(1).max(1) as isize
    }

    pub fn to_top(&mut self) {
        self.offset = 0;
    }

    pub fn to_bottom(&mut self) {
        self.offset = self.max_offset();
    }

    pub fn can_scroll(&self) -> bool {
        self.content > self.viewport
    }

    /// "lines 5–20 of 34", or nothing when all of it shows.
    pub fn position(&self) -> Option<String> {
        self.can_scroll().then(|| {
            let last = (self.offset + self.viewport).min(self.content);
            format!("lines {}–{last} of {}", self.offset + 1, self.content)
        })
    }
}

/// Renders `lines` scrolled per `state` (clamped), with a scrollbar on the
/// right when they do not all fit. The caller leaves the last column free.
pub fn render_scrolled(
    lines: Vec<Line<'static>>,
    area: Rect,
    buf: &mut Buffer,
    state: &mut ScrollState,
    theme: &Theme,
) {
    render_scrolled_parts(&[&lines], area, buf, state, theme);
}

/// [`render_scrolled`] over lines kept elsewhere, in parts shown one after
/// another: only the visible lines are copied.
pub fn render_scrolled_parts(
    parts: &[&[Line<'static>]],
    area: Rect,
    buf: &mut Buffer,
    state: &mut ScrollState,
    theme: &Theme,
) {
    state.content = parts.iter().map(|part| part.len()).sum();
    state.viewport = usize::from(area.height);
    state.offset = state.offset.min(state.max_offset());
    let visible: Vec<Line> = parts
        .iter()
        .flat_map(|part| part.iter())
        .skip(state.offset)
        .take(state.viewport)
        .cloned()
        .collect();
    Paragraph::new(visible).render(area, buf);
    if state.can_scroll() && area.width > 0 {
        let bar = Rect {
            x: area.right(),
            width: 1,
            ..area
        };
        let mut bar_state = ScrollbarState::new(state.max_offset() + 1).position(state.offset);
        if bar.right() <= buf.area.right() {
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(Some("↑"))
                .end_symbol(Some("↓"))
                .style(theme.muted())
                .render(bar, buf, &mut bar_state);
        }
    }
}

/// Clears `popup` for an overlay. A wide character (CJK, emoji) of the
/// screen below that straddles the popup's left or right edge is blanked
/// too: otherwise the terminal would draw its second half over the border,
/// or leave half a character beside it.
pub fn clear_popup(popup: Rect, buf: &mut Buffer) {
    ratatui::widgets::Clear.render(popup, buf);
    if popup.is_empty() {
        return;
    }
    for y in popup.top()..popup.bottom() {
        if popup.left() > buf.area.left() {
            let cell = &mut buf[(popup.left() - 1, y)];
            if cell.symbol().width() > 1 {
                cell.set_symbol(" ");
            }
        }
        // The cell after the right edge may hold the second half of a wide
        // character the popup cut: it draws nothing by itself.
        if popup.right() < buf.area.right() {
            let cell = &mut buf[(popup.right(), y)];
            if cell.symbol().is_empty() {
                cell.set_symbol(" ");
            }
        }
    }
}

/// A rectangle of at most `width` × `height`, centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_wrap_whole() {
        let hints = [
            Hint::new("Space", "show answer"),
            Hint::new("u", "undo"),
            Hint::new("q", "home"),
        ];
        let lines = hint_lines(&hints, 24, &Theme::monochrome());
        let texts: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(texts, [" Space show answer", " u undo  q home"]);
    }

    #[test]
    fn scrolling_stays_within_the_content() {
        let mut state = ScrollState {
            offset: 0,
            content: 30,
            viewport: 10,
        };
        state.scroll_by(100);
        assert_eq!(state.offset, 20);
        assert_eq!(state.position().as_deref(), Some("lines 21–30 of 30"));
        state.scroll_by(-state.page());
        assert_eq!(state.offset, 11);
        state.to_top();
        assert_eq!(state.offset, 0);
    }
}
