//! The custom-study dialog over the home screen: four ways to study beyond
//! today's queue, each with its value, as Anki's "Custom Study" offers.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::Theme;
use super::chrome::{self, Hint};

/// One row of the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomChoice {
    ExtraNew,
    Ahead,
    Tag,
    Forgotten,
}

#[derive(Debug, Clone)]
pub struct CustomDialogView<'a> {
    pub deck_name: &'a str,
    pub selected: CustomChoice,
    pub extra_new: u32,
    pub ahead_days: u32,
    /// The tag picked, `None` if the deck has no tags.
    pub tag: Option<&'a str>,
    pub forgotten_days: u32,
    pub hints: &'a [Hint],
    pub theme: Theme,
}

impl Widget for &CustomDialogView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.theme;
        if chrome::is_too_small(area) {
            return;
        }
        let width = area.width.min(60);
        let inner_width = width.saturating_sub(2);
        let days = |n: u32| if n == 1 { "day" } else { "days" };
        let rows = [
            (
                CustomChoice::ExtraNew,
                "More new cards today",
                format!("‹ {} ›", self.extra_new),
                "",
            ),
            (
                CustomChoice::Ahead,
                "Review ahead",
                format!("‹ {} ›", self.ahead_days),
                days(self.ahead_days),
            ),
            (
                CustomChoice::Tag,
                "Only cards tagged",
                self.tag
                    .map_or_else(|| "(no tags)".to_owned(), |tag| format!("‹ {tag} ›")),
                "",
            ),
            (
                CustomChoice::Forgotten,
                "Forgotten in the last",
                format!("‹ {} ›", self.forgotten_days),
                days(self.forgotten_days),
            ),
        ];
        let mut lines = vec![Line::default()];
        for (choice, label, value, unit) in rows {
            let on = choice == self.selected;
            let (cursor, style) = if on {
                (Span::styled(" ▶ ", theme.key()), theme.selected())
            } else {
                (Span::raw("   "), theme.text())
            };
            lines.push(Line::from(vec![
                cursor,
                Span::styled(format!("{label:<22}"), theme.muted()),
                Span::styled(value, style.patch(theme.bold())),
                Span::styled(format!(" {unit}"), theme.muted()),
            ]));
        }
        lines.push(Line::default());
        let note = match self.selected {
            CustomChoice::ExtraNew => "Raises today's new-card limit of this deck.",
            CustomChoice::Ahead => "Reviews due in the coming days, studied early.",
            CustomChoice::Tag => "Today's cards of this deck with the tag only.",
            CustomChoice::Forgotten => "Cards you graded Again lately, once more.",
        };
        lines.push(Line::styled(format!(" {note}"), theme.muted()));
        lines.push(Line::default());
        lines.extend(chrome::hint_lines(self.hints, inner_width, theme));
        let height = (lines.len() as u16).saturating_add(2);
        let popup = chrome::centered(area, width, height);
        chrome::clear_popup(popup, buf);
        let block = Block::bordered()
            .title(Line::styled(
                format!(" Custom study: {} ", self.deck_name),
                theme.accent(),
            ))
            .border_style(theme.border());
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .render(popup, buf);
    }
}
