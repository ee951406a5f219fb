//! The card browser: a search line, then a table of the cards that match,
//! one row per card, only the rows that fit built and drawn. Narrow screens
//! keep the columns that matter most (front, state, due) and drop the rest.
//! Also the card page (text and history, as `recall card` prints them) and
//! the forget question.

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Clear, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap,
};

use super::Theme;
use super::chrome::{self, Hint, ScrollState};
use crate::format;
use crate::search::{Column, Facts, SearchError};

/// One card's cells, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserRow {
    pub deck: String,
    pub front: String,
    pub state: String,
    pub due: String,
    pub interval: String,
    pub stability: String,
    pub difficulty: String,
    pub retrievability: String,
    pub reviews: String,
    pub lapses: String,
    pub tags: String,
    pub flags: String,
    /// Selected (Space): actions apply to the selection.
    pub picked: bool,
}

impl BrowserRow {
    pub fn new(card: &Facts, front: &str, tags: &str, now: DateTime<Utc>) -> BrowserRow {
        let dash = || "-".to_owned();
        BrowserRow {
            deck: card.deck_id.to_string(),
            front: front.to_owned(),
            state: match card.state {
                crate::schedule::State::New => "new",
                crate::schedule::State::Learning => "learn",
                crate::schedule::State::Review => "review",
                crate::schedule::State::Relearning => "relearn",
            }
            .to_owned(),
            due: card.due.map_or_else(dash, |due| format::due(due, now)),
            interval: card.interval_days.map_or_else(dash, |days| {
                format::interval(TimeDelta::seconds((days * 86_400.0).round() as i64))
            }),
            stability: card.stability.map_or_else(dash, |s| format!("{s:.1}")),
            difficulty: card.difficulty.map_or_else(dash, |d| format!("{d:.1}")),
            retrievability: card
                .retrievability
                .map_or_else(dash, |r| format!("{:.0}%", r * 100.0)),
            reviews: card.reviews.to_string(),
            lapses: card.lapses.to_string(),
            tags: tags.to_owned(),
            flags: [
                (card.suspended, "S"),
                (card.buried, "B"),
                (card.leech, "L"),
                (card.marked, "*"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, c)| *c)
            .collect(),
            picked: false,
        }
    }

    fn cell(&self, column: Column) -> &str {
        match column {
            Column::Deck => &self.deck,
            Column::Front => &self.front,
            Column::State => &self.state,
            Column::Due => &self.due,
            Column::Interval => &self.interval,
            Column::Stability => &self.stability,
            Column::Difficulty => &self.difficulty,
            Column::Retrievability => &self.retrievability,
            Column::Reviews => &self.reviews,
            Column::Lapses => &self.lapses,
            Column::Tags => &self.tags,
            Column::Flags => &self.flags,
        }
    }
}

/// What the browser screen shows.
#[derive(Debug, Clone)]
pub struct BrowserView<'a> {
    /// The rows that fit, from the first one drawn.
    pub rows: Vec<BrowserRow>,
    /// The selected row among `rows`.
    pub selected: Option<usize>,
    pub query: &'a str,
    /// Whether keys type into the search line.
    pub searching: bool,
    pub error: Option<&'a SearchError>,
    pub sort: Column,
    pub reverse: bool,
    /// Matching cards, all cards.
    pub counts: (usize, usize),
    /// How many cards are selected.
    pub picked: usize,
    pub hints: &'a [Hint],
    pub message: Option<(&'a str, Style)>,
    pub theme: Theme,
}

/// Each column's width, or `None` for the one that takes what is left.
fn width(column: Column) -> Option<u16> {
    Some(match column {
        Column::Deck => 16,
        Column::Front => return None,
        Column::State => 7,
        Column::Due => 8,
        Column::Interval => 6,
        Column::Stability => 5,
        Column::Difficulty => 4,
        Column::Retrievability => 4,
        Column::Reviews => 4,
        Column::Lapses => 4,
        Column::Tags => 12,
        Column::Flags => 5,
    })
}

/// The columns that fit in `width`, in table order: front, state and due
/// always; the others as room allows, most useful first.
pub fn columns(width: u16) -> Vec<Column> {
    const FRONT_MIN: u16 = 28;
    const BY_PRIORITY: [Column; 9] = [
        Column::Flags,
        Column::Interval,
        Column::Deck,
        Column::Lapses,
        Column::Retrievability,
        Column::Reviews,
        Column::Tags,
        Column::Stability,
        Column::Difficulty,
    ];
    let base = [Column::Front, Column::State, Column::Due];
    // Highlight symbol (2) and one space between columns.
    let cost = |c: Column| self::width(c).unwrap_or(0) + 1;
    let mut used: u16 = 2 + base.iter().map(|&c| cost(c)).sum::<u16>() + FRONT_MIN;
    let mut chosen: Vec<Column> = base.to_vec();
    for column in BY_PRIORITY {
        if used + cost(column) <= width {
            used += cost(column);
            chosen.push(column);
        }
    }
    Column::ALL
        .into_iter()
        .filter(|c| chosen.contains(c))
        .collect()
}

/// The rows of table that fit in a screen of `area` with `hints`: what the
/// app asks before building the rows.
pub fn table_height(area: Rect, hints: &[Hint], theme: &Theme) -> usize {
    let (main, _, _) = chrome::with_footer(area, hints, theme);
    // Header, search line, blank, column titles, message.
    usize::from(main.height.saturating_sub(5))
}

impl Widget for &BrowserView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.theme;
        let Some(main) = chrome::frame(area, buf, self.hints, theme) else {
            return;
        };
        let [header, search, error, table, message] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(main);
        let (shown, total) = self.counts;
        let arrow = if self.reverse { "↓" } else { "↑" };
        let picked = match self.picked {
            0 => String::new(),
            n => format!("{n} selected · "),
        };
        let right = [
            vec![Span::styled(
                format!(
                    "{picked}{shown} of {} · by {} {arrow} ",
                    format::plural(total, "card"),
                    self.sort.title()
                ),
                theme.muted(),
            )],
            vec![Span::styled(
                format!("{picked}{shown}/{total} "),
                theme.muted(),
            )],
        ];
        chrome::render_header(header, buf, "Browse", &right, theme);

        let cursor = if self.searching { "█" } else { "" };
        let prompt_style = if self.searching {
            theme.accent()
        } else {
            theme.muted()
        };
        let mut search_line = vec![
            Span::styled(" / ", prompt_style),
            Span::styled(self.query.to_owned(), theme.text()),
            Span::styled(cursor, theme.accent()),
        ];
        if self.query.is_empty() && !self.searching {
            search_line.push(Span::styled(
                "search: words, deck:, tag:, is:, prop:, rated:",
                theme.muted(),
            ));
        }
        Line::from(search_line).render(search, buf);
        if let Some(problem) = self.error {
            let error_line = error;
            let error = problem;
            let pad = " ".repeat(error.column + 2);
            Line::from(vec![
                Span::styled(format!("{pad}{} ", "^".repeat(error.width)), theme.bad()),
                Span::styled(error.message.clone(), theme.bad()),
            ])
            .render(error_line, buf);
        }

        let columns = columns(table.width);
        let widths: Vec<Constraint> = columns
            .iter()
            .map(|&c| width(c).map_or(Constraint::Fill(1), Constraint::Length))
            .collect();
        let titles = Row::new(columns.iter().map(|&c| {
            let title = if c == self.sort {
                format!("{}{arrow}", c.title())
            } else {
                c.title().to_owned()
            };
            let style = if c == self.sort {
                theme.accent()
            } else {
                theme.muted()
            };
            Cell::from(Line::styled(title, style))
        }));
        let rows = self.rows.iter().map(|row| {
            Row::new(columns.iter().map(|&c| {
                let text = match c {
                    // A selected row's front starts with a check mark.
                    Column::Front if row.picked => format!("✓ {}", row.cell(c)),
                    _ => row.cell(c).to_owned(),
                };
                let style = match c {
                    Column::Front if row.picked => theme.accent(),
                    Column::Flags if row.flags.contains('S') => theme.bad(),
                    Column::Deck | Column::Tags => theme.muted(),
                    _ => theme.text(),
                };
                Cell::from(Span::styled(text, style))
            }))
        });
        let widget = Table::new(rows, widths)
            .header(titles)
            .column_spacing(1)
            .row_highlight_style(theme.selected())
            .highlight_symbol("▶ ")
            .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
        let mut state = TableState::default().with_selected(self.selected);
        StatefulWidget::render(widget, table, buf, &mut state);
        if self.rows.is_empty() {
            let [_, note] =
                Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(table);
            Line::styled("  No card matches.", theme.muted()).render(note, buf);
        }
        if let Some((text, style)) = self.message {
            Line::styled(format!(" {text}"), style).render(message, buf);
        }
    }
}

/// One card's page in the browser: the text `recall card` prints.
#[derive(Debug, Clone)]
pub struct CardPageView<'a> {
    pub title: &'a str,
    pub lines: &'a [String],
    pub hints: &'a [Hint],
    pub message: Option<(&'a str, Style)>,
    pub theme: Theme,
}

impl StatefulWidget for &CardPageView<'_> {
    type State = ScrollState;

    fn render(self, area: Rect, buf: &mut Buffer, scroll: &mut ScrollState) {
        let theme = &self.theme;
        let Some(main) = chrome::frame(area, buf, self.hints, theme) else {
            return;
        };
        let [header, _, body, message] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(main);
        let position = scroll.position().unwrap_or_default();
        chrome::render_header(
            header,
            buf,
            self.title,
            &[vec![Span::styled(format!("{position} "), theme.muted())]],
            theme,
        );
        let width = body.width.saturating_sub(2);
        // Laid out once per width and kept: a scroll step copies only the
        // lines in view.
        let key = {
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            for line in self.lines {
                hasher.update(line.as_bytes());
                hasher.update(b"\n");
            }
            std::hash::Hash::hash(&(self.lines.len(), width, theme), &mut hasher);
            hasher.digest()
        };
        let page = super::text::kept(key, || {
            let lines = self
                .lines
                .iter()
                .flat_map(|line| {
                    // Tables keep their spacing; only long lines wrap.
                    let line = format!(" {line}");
                    if unicode_width::UnicodeWidthStr::width(line.as_str()) <= usize::from(width) {
                        vec![Line::styled(line, theme.text())]
                    } else {
                        super::text::plain_lines(&line, theme.text(), width.max(1))
                    }
                })
                .collect();
            super::text::Laid::new(lines)
        });
        let body = Rect {
            width: body.width.saturating_sub(1),
            ..body
        };
        chrome::render_scrolled_parts(&[&page.lines], body, buf, scroll, theme);
        if let Some((text, style)) = self.message {
            Line::styled(format!(" {text}"), style).render(message, buf);
        }
    }
}

/// "Forget this card?" over the browser or the reviewer.
#[derive(Debug, Clone)]
pub struct ConfirmView<'a> {
    pub question: &'a str,
    pub detail: &'a str,
    pub theme: Theme,
}

impl Widget for &ConfirmView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.theme;
        let width = area.width.saturating_sub(4).min(60);
        let popup = chrome::centered(area, width, 6);
        Clear.render(popup, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(theme.border())
            .title(Span::styled(" Forget ", theme.accent()));
        let inner = block.inner(popup);
        block.render(popup, buf);
        Paragraph::new(vec![
            Line::styled(self.question.to_owned(), theme.bold()),
            Line::styled(self.detail.to_owned(), theme.muted()),
            Line::from(vec![
                Span::styled("y", theme.key()),
                Span::raw(" forget  "),
                Span::styled("n", theme.key()),
                Span::raw(" keep"),
            ]),
        ])
        .wrap(Wrap { trim: true })
        .render(inner, buf);
    }
}
