//! The home screen: one row per deck with what it has for today, totals,
//! and the selected deck's description.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{
    Block, Cell, Padding, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap,
};

use super::Theme;
use super::chrome::{self, Hint};
use crate::format;
use crate::study::queue::DueCounts;

/// One deck as the home screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckRow {
    pub name: String,
    pub description: String,
    pub cards: usize,
    pub counts: DueCounts,
    /// When its next card comes: `next: 11:29`, `next review in 7 days`.
    pub next: Option<String>,
}

#[derive(Debug, Clone)]
pub struct HomeView<'a> {
    pub rows: &'a [DeckRow],
    pub hints: &'a [Hint],
    /// A line above the hints, e.g. why a session could not start.
    pub message: Option<(&'a str, Style)>,
    /// This machine and its last sync, when sync is set up, e.g.
    /// `laptop-3fa09c · synced 10:42`.
    pub sync: Option<&'a str>,
    pub theme: Theme,
}

impl StatefulWidget for &HomeView<'_> {
    type State = TableState;

    fn render(self, area: Rect, buf: &mut Buffer, selection: &mut TableState) {
        let theme = &self.theme;
        let Some(main) = chrome::frame(area, buf, self.hints, theme) else {
            return;
        };
        let total = self
            .rows
            .iter()
            .fold(DueCounts::default(), |sum, row| sum + row.counts);
        let message_lines = self
            .message
            .map(|(text, style)| super::study::status_lines(text, style, main.width))
            .unwrap_or_default();
        let message_height = (message_lines.len() as u16).min(main.height / 3);
        // The table takes the rows it has (plus its header), up to the room
        // there is; the totals sit right under it.
        let table_height = u16::try_from(self.rows.len() + 1).unwrap_or(u16::MAX);
        let [header, _, table, totals, _, about, filler, message] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Max(table_height),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(2),
            Constraint::Min(0),
            Constraint::Length(message_height),
        ])
        .areas(main);
        chrome::render_header(
            header,
            buf,
            "recall",
            &chrome::count_spans(total, theme),
            theme,
        );

        let widths = [
            Constraint::Fill(1),
            Constraint::Length(6),
            Constraint::Length(9),
            Constraint::Length(6),
        ];
        let header_row = Row::new(["Deck", "New", "Learning", "Due"].map(|title| {
            let line = Line::styled(title, theme.muted());
            Cell::from(if title == "Deck" {
                line
            } else {
                line.right_aligned()
            })
        }));
        let rows = self
            .rows
            .iter()
            .map(|row| count_row(Line::from(row.name.clone()), row.counts, theme));
        let table_widget = Table::new(rows, widths)
            .header(header_row)
            .column_spacing(1)
            .row_highlight_style(theme.selected())
            .highlight_symbol("▶ ")
            .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
        StatefulWidget::render(table_widget, table, buf, selection);

        // Totals under the table, in the same columns.
        let totals_row = count_row(Line::styled("Total", theme.bold()), total, theme);
        let totals_table = Table::new([totals_row], widths)
            .column_spacing(1)
            .highlight_spacing(ratatui::widgets::HighlightSpacing::Always)
            .highlight_symbol("  ");
        Widget::render(totals_table, totals, buf);

        if let Some(row) = selection.selected().and_then(|i| self.rows.get(i)) {
            let mut text = format!("{} · ", format::plural(row.cards, "card"));
            if row.counts.learning_later() > 0 {
                text.push_str(&format!("{} later today · ", row.counts.learning_later()));
            }
            if let Some(next) = &row.next {
                text.push_str(next);
                text.push_str(" · ");
            }
            text.push_str(&row.description);
            Paragraph::new(Line::styled(text, theme.muted()))
                .block(Block::new().padding(Padding::horizontal(1)))
                .wrap(Wrap { trim: true })
                .render(about, buf);
        }
        if let Some(sync) = self.sync.filter(|_| filler.height > 0) {
            let bottom = Rect {
                y: filler.bottom() - 1,
                height: 1,
                ..filler
            };
            Line::styled(format!("{sync} "), theme.muted())
                .right_aligned()
                .render(bottom, buf);
        }
        Paragraph::new(message_lines).render(message, buf);
    }
}

/// A name and three right-aligned counts; zero counts are muted.
fn count_row<'a>(name: Line<'a>, counts: DueCounts, theme: &Theme) -> Row<'a> {
    let count = |n: usize, style: Style| {
        let style = if n == 0 { theme.muted() } else { style };
        Cell::from(Line::styled(n.to_string(), style).right_aligned())
    };
    Row::new([
        Cell::from(name),
        count(counts.new, theme.new_count()),
        count(counts.learning, theme.learning_count()),
        count(counts.review, theme.review_count()),
    ])
}
