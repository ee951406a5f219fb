//! The help overlay: every key of the current screen, drawn over it. On a
//! small screen descriptions wrap under their own column and the list
//! scrolls, with `↓ more` saying so, rather than losing entries.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use super::chrome::{self, ScrollState};
use super::text::plain_lines;

/// One line of help: the keys, and what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpEntry {
    pub keys: String,
    pub action: String,
}

#[derive(Debug, Clone)]
pub struct HelpView<'a> {
    pub title: &'a str,
    pub entries: &'a [HelpEntry],
    pub theme: Theme,
}

impl Widget for &HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.render_scrolled(area, buf, &mut ScrollState::default());
    }
}

impl HelpView<'_> {
    /// Renders the overlay scrolled per `scroll` (clamped; its sizes are
    /// recorded so keys scroll within what is there).
    pub fn render_scrolled(&self, area: Rect, buf: &mut Buffer, scroll: &mut ScrollState) {
        let theme = &self.theme;
        let key_width = self
            .entries
            .iter()
            .map(|e| e.keys.width())
            .max()
            .unwrap_or(0);
        // " keys  description", plus the border and a column for the bar.
        let indent = key_width + 3;
        let widest = self
            .entries
            .iter()
            .map(|e| indent + e.action.width())
            .max()
            .unwrap_or(0);
        let width = (widest as u16).saturating_add(3).max(24).min(area.width);
        let description_width = usize::from(width.saturating_sub(3))
            .saturating_sub(indent)
            .max(8);
        let mut lines: Vec<Line<'static>> = Vec::new();
        for entry in self.entries {
            let wrapped = plain_lines(&entry.action, theme.text(), description_width as u16);
            for (i, line) in wrapped.into_iter().enumerate() {
                let lead = if i == 0 {
                    Span::styled(format!(" {:<key_width$}  ", entry.keys), theme.key())
                } else {
                    Span::raw(" ".repeat(indent))
                };
                let mut spans = vec![lead];
                spans.extend(line.spans);
                lines.push(Line::from(spans));
            }
        }
        let height = (lines.len() as u16).saturating_add(2).min(area.height);
        let popup = chrome::centered(area, width, height);
        chrome::clear_popup(popup, buf);
        let inner = Rect {
            x: popup.x + 1,
            y: popup.y + 1,
            width: popup.width.saturating_sub(3),
            height: popup.height.saturating_sub(2),
        };
        scroll.content = lines.len();
        scroll.viewport = usize::from(inner.height);
        scroll.offset = scroll.offset.min(scroll.max_offset());
        let more = scroll.offset < scroll.max_offset();
        let footer = if more {
            " ↓ more · ? closes "
        } else {
            " ? or Esc closes "
        };
        Block::bordered()
            .title(Line::styled(format!(" {} ", self.title), theme.accent()))
            .title_bottom(Line::styled(footer, theme.muted()).right_aligned())
            .border_style(theme.border())
            .render(popup, buf);
        chrome::render_scrolled(lines, inner, buf, scroll, theme);
    }
}
