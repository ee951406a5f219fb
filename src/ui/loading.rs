//! The screen shown while the decks and the review log load (a first start
//! on a large collection, or one whose files changed): what is happening,
//! and that keys typed meanwhile do nothing but quit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::Theme;
use super::chrome::{self, Hint};

/// "Loading…", centred, over the footer.
#[derive(Debug)]
pub struct LoadingView<'a> {
    pub hints: &'a [Hint],
    pub theme: Theme,
}

impl Widget for &LoadingView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.theme;
        let Some(main) = chrome::frame(area, buf, self.hints, theme) else {
            return;
        };
        let lines = vec![
            Line::styled("Loading your decks and reviews…", theme.text()),
            Line::styled("Keys typed now are ignored.", theme.muted()),
        ];
        let width = lines.iter().map(Line::width).max().unwrap_or(0);
        let width = u16::try_from(width).unwrap_or(u16::MAX);
        let height = if width > main.width { 4 } else { 2 };
        let cell = chrome::centered(main, width, height);
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(cell, buf);
    }
}
