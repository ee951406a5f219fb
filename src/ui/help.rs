//! The help overlay: every key of the current screen, drawn over it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use super::chrome;

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
        let theme = &self.theme;
        let key_width = self
            .entries
            .iter()
            .map(|e| e.keys.width())
            .max()
            .unwrap_or(0);
        let lines: Vec<Line> = self
            .entries
            .iter()
            .map(|entry| {
                Line::from(vec![
                    Span::styled(format!(" {:<key_width$}", entry.keys), theme.key()),
                    Span::raw("  "),
                    Span::styled(entry.action.clone(), theme.text()),
                ])
            })
            .collect();
        let text_width = lines.iter().map(Line::width).max().unwrap_or(0);
        let width = (text_width as u16).saturating_add(3).max(24);
        let height = (lines.len() as u16).saturating_add(2);
        let popup = chrome::centered(area, width, height);
        Clear.render(popup, buf);
        let block = Block::bordered()
            .title(Line::styled(format!(" {} ", self.title), theme.accent()))
            .title_bottom(Line::styled(" ? or Esc closes ", theme.muted()).right_aligned())
            .border_style(theme.border());
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .render(popup, buf);
    }
}
