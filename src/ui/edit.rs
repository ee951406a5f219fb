//! The edit dialogs over any screen: the question before the editor opens
//! (a bundled or imported deck) and the problems found after it closed,
//! with the keys that answer them.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::Theme;
use super::chrome::{self, Hint};

/// A titled box of lines, then its keys.
#[derive(Debug, Clone)]
pub struct DialogView<'a> {
    pub title: &'a str,
    pub lines: &'a [String],
    pub hints: &'a [Hint],
    pub theme: Theme,
}

impl Widget for &DialogView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.theme;
        let width = area.width.saturating_sub(4).min(80);
        let inner_width = usize::from(width.saturating_sub(2)).max(1);
        // Wrapped lines, a blank line, the keys; borders.
        let wrapped: usize = self
            .lines
            .iter()
            .map(|line| {
                unicode_width::UnicodeWidthStr::width(line.as_str())
                    .div_ceil(inner_width)
                    .max(1)
            })
            .sum();
        let height = u16::try_from(wrapped + 4).unwrap_or(u16::MAX);
        let popup = chrome::centered(area, width, height.min(area.height.saturating_sub(2)));
        chrome::clear_popup(popup, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(theme.border())
            .title(Span::styled(self.title.to_owned(), theme.accent()));
        let inner = block.inner(popup);
        block.render(popup, buf);
        let mut text: Vec<Line> = self
            .lines
            .iter()
            .map(|line| Line::styled(line.clone(), theme.text()))
            .collect();
        text.push(Line::raw(""));
        let mut keys = Vec::new();
        for hint in self.hints {
            keys.push(Span::styled(hint.key.clone(), theme.key()));
            keys.push(Span::raw(format!(" {}  ", hint.text)));
        }
        // The keys stay on the last line, whatever the text's length.
        let keys_area = Rect {
            y: inner.bottom().saturating_sub(1),
            height: inner.height.min(1),
            ..inner
        };
        let text_area = Rect {
            height: inner.height.saturating_sub(1),
            ..inner
        };
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .render(text_area, buf);
        Line::from(keys).render(keys_area, buf);
    }
}
