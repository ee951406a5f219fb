//! The stats screen: one section of [`Stats`] at a time, with tabs to move
//! between them. Charts are ratatui's `BarChart` and a small calendar
//! heatmap; every shade is also a character, so the screen reads the same
//! without colour.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Cell, Paragraph, Row, Table, Widget};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use super::chrome::{self, Hint};
use crate::stats::{self, Bin, RetentionSplit, Stats};

/// The sections, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Today,
    Calendar,
    Forecast,
    Cards,
    Calibration,
    Hours,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Today,
        Section::Calendar,
        Section::Forecast,
        Section::Cards,
        Section::Calibration,
        Section::Hours,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Today => "Today",
            Section::Calendar => "Calendar",
            Section::Forecast => "Forecast",
            Section::Cards => "Cards",
            Section::Calibration => "Calibration",
            Section::Hours => "Time of day",
        }
    }

    fn index(self) -> usize {
        Section::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The next section (`step` 1) or the previous one (`step` -1), wrapping.
    #[must_use]
    pub fn step(self, step: isize) -> Section {
        let n = Section::ALL.len() as isize;
        Section::ALL[(self.index() as isize + step).rem_euclid(n) as usize]
    }
}

impl Section {
    /// Whether the section shows what the reviews say (which is read after
    /// the screen opens), rather than the cards' current states.
    pub fn from_reviews(self) -> bool {
        !matches!(self, Section::Forecast | Section::Cards)
    }
}

/// Where the reviews' figures are: the log is read after the screen opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryState<'a> {
    Reading,
    Ready,
    /// The log could not be read: why.
    Failed(&'a str),
}

#[derive(Debug, Clone)]
pub struct StatsView<'a> {
    /// The deck's name, or "All decks".
    pub title: &'a str,
    pub stats: &'a Stats,
    pub history: HistoryState<'a>,
    pub section: Section,
    pub hints: &'a [Hint],
    pub theme: Theme,
}

impl Widget for &StatsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.theme;
        let Some(main) = chrome::frame(area, buf, self.hints, theme) else {
            return;
        };
        let [header, tabs, _, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(main);
        let date = vec![Span::styled(
            format!("study day {} ", self.stats.date),
            theme.muted(),
        )];
        chrome::render_header(
            header,
            buf,
            &format!("Statistics · {}", self.title),
            &[date, Vec::new()],
            theme,
        );
        render_tabs(self.section, tabs, buf, theme);
        let body = body.inner(ratatui::layout::Margin::new(1, 0));
        let stats = self.stats;
        let waiting = match self.history {
            HistoryState::Ready => None,
            HistoryState::Reading => Some(Line::styled("Reading the review log…", theme.muted())),
            HistoryState::Failed(error) => Some(Line::styled(
                format!("Could not read the review log: {error}"),
                theme.bad(),
            )),
        };
        if let Some(line) = waiting.filter(|_| self.section.from_reviews()) {
            Paragraph::new(line)
                .wrap(ratatui::widgets::Wrap { trim: true })
                .render(body, buf);
            return;
        }
        match self.section {
            Section::Today => render_today(stats, body, buf, theme),
            Section::Calendar => render_calendar(stats, body, buf, theme),
            Section::Forecast => render_forecast(stats, body, buf, theme),
            Section::Cards => render_cards(stats, body, buf, theme),
            Section::Calibration => render_calibration(stats, body, buf, theme),
            Section::Hours => render_hours(stats, body, buf, theme),
        }
    }
}

/// Every tab's title when they fit, else `‹ Title 2/6 ›`.
fn render_tabs(current: Section, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let full: usize = Section::ALL.iter().map(|s| s.title().width() + 3).sum();
    let line = if full < usize::from(area.width) {
        let mut spans = vec![Span::raw(" ")];
        for section in Section::ALL {
            let style = if section == current {
                theme.selected().add_modifier(Modifier::BOLD)
            } else {
                theme.muted()
            };
            spans.push(Span::styled(format!(" {} ", section.title()), style));
            spans.push(Span::raw(" "));
        }
        Line::from(spans)
    } else {
        Line::from(vec![
            Span::styled(" ‹ ", theme.muted()),
            Span::styled(
                current.title(),
                theme.selected().add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!(" {}/{} ›", current.index() + 1, Section::ALL.len()),
                theme.muted(),
            ),
        ])
    };
    line.render(area, buf);
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

fn label_value<'a>(label: &str, value: String, theme: &Theme) -> Vec<Span<'a>> {
    vec![
        Span::styled(format!("{label} "), theme.muted()),
        Span::styled(value, theme.bold()),
    ]
}

fn render_today(stats: &Stats, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let t = &stats.today;
    let [summary, _, title, table] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let sep = || Span::styled(" · ", theme.muted());
    let mut first = label_value(
        "Studied",
        crate::format::plural(t.cards as usize, "card"),
        theme,
    );
    first.push(sep());
    first.extend(label_value("reviews", t.reviews.to_string(), theme));
    first.push(sep());
    first.extend(label_value(
        "time",
        crate::format::duration_ms(t.time_ms),
        theme,
    ));
    let mut second = label_value(
        "Again",
        format!("{} ({})", t.again, percent(t.again_share)),
        theme,
    );
    second.push(sep());
    second.extend(label_value("new", t.new_cards.to_string(), theme));
    second.push(sep());
    second.extend(label_value(
        "streak",
        crate::format::plural(t.streak_days as usize, "day"),
        theme,
    ));
    Paragraph::new(vec![Line::from(first), Line::from(second)])
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(summary, buf);
    Line::styled(
        "True retention (pass rate of reviews of cards in review)",
        theme.accent(),
    )
    .render(title, buf);

    let wide = area.width >= 68;
    let cells = |split: RetentionSplit| -> Vec<Cell<'static>> {
        let mut cells = vec![Cell::from(
            Line::from(percent(split.rate())).right_aligned(),
        )];
        if wide {
            cells.push(Cell::from(
                Line::styled(format!("{}/{}", split.passed, split.failed), theme.muted())
                    .right_aligned(),
            ));
        }
        cells
    };
    let mut header = vec![Cell::from("")];
    for name in ["Young", "Mature", "Total"] {
        header.push(Cell::from(
            Line::styled(name, theme.muted()).right_aligned(),
        ));
        if wide {
            header.push(Cell::from(
                Line::styled("pass/fail", theme.muted()).right_aligned(),
            ));
        }
    }
    let rows = stats.true_retention.rows().map(|(name, period)| {
        let mut row = vec![Cell::from(name)];
        row.extend(cells(period.young));
        row.extend(cells(period.mature));
        row.extend(cells(period.total()));
        Row::new(row)
    });
    let mut widths = vec![Constraint::Length(13)];
    let per = if wide {
        vec![Constraint::Length(6), Constraint::Length(10)]
    } else {
        vec![Constraint::Length(6)]
    };
    for _ in 0..3 {
        widths.extend(per.iter().copied());
    }
    Table::new(rows, widths)
        .header(Row::new(header))
        .column_spacing(1)
        .render(table, buf);
}

fn render_calendar(stats: &Stats, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let c = &stats.calendar;
    let [months, grid_area, _, legend, summary] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(7),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let grid = stats::calendar_grid(stats);
    let weeks = grid.first().map_or(0, Vec::len);
    let room = usize::from(area.width.saturating_sub(4));
    let skip = weeks.saturating_sub(room);
    let max = c.busiest_day.map_or(0, |b| b.reviews);
    let first_monday = stats.reviews_per_day.keys().next().map(|first| {
        use chrono::Datelike;
        *first - chrono::Days::new(u64::from(first.weekday().num_days_from_monday()))
    });
    // Month names over the week in which each month starts.
    if let Some(start) = first_monday {
        use chrono::Datelike;
        let mut line = String::from("    ");
        let mut week = skip;
        while week < weeks {
            let monday = start + chrono::Days::new(7 * week as u64);
            let sunday = monday + chrono::Days::new(6);
            if sunday.month() != monday.month() || monday.day() == 1 {
                let name = if monday.day() == 1 { monday } else { sunday }
                    .format("%b")
                    .to_string();
                if line.width() <= 4 + week - skip {
                    line.push_str(&" ".repeat(4 + week - skip - line.width()));
                    line.push_str(&name);
                }
            }
            week += 1;
        }
        Line::styled(line, theme.muted()).render(months, buf);
    }
    let shade_style = |n: u32| -> Style {
        if n == 0 {
            theme.muted()
        } else {
            theme.review_count()
        }
    };
    let today = {
        use chrono::Datelike;
        (
            stats.date.weekday().num_days_from_monday() as usize,
            weeks.saturating_sub(1),
        )
    };
    for (day, row) in grid.iter().enumerate() {
        let y = grid_area.y + day as u16;
        if y >= grid_area.bottom() {
            break;
        }
        let name = ["Mon", "", "Wed", "", "Fri", "", "Sun"][day];
        buf.set_string(grid_area.x, y, name, theme.muted());
        for (i, cell) in row.iter().skip(skip).enumerate() {
            let x = grid_area.x + 4 + i as u16;
            if x >= grid_area.right() {
                break;
            }
            if let Some(n) = cell {
                let mut style = shade_style(*n);
                if (day, i + skip) == today {
                    style = style.add_modifier(Modifier::REVERSED);
                }
                buf.set_string(x, y, stats::shade(*n, max).to_string(), style);
            }
        }
    }
    Line::from(vec![
        Span::styled("less ", theme.muted()),
        Span::styled("· ░ ▒ ▓ █", theme.review_count()),
        Span::styled(" more · today reversed", theme.muted()),
    ])
    .render(legend, buf);
    let busiest = c
        .busiest_day
        .map_or_else(|| "–".to_owned(), |b| format!("{} ({})", b.date, b.reviews));
    let sep = || Span::styled(" · ", theme.muted());
    let mut spans = label_value("Reviews", c.reviews.to_string(), theme);
    spans.push(sep());
    spans.extend(label_value(
        "days studied",
        format!("{}/{}", c.days_studied, c.days),
        theme,
    ));
    spans.push(sep());
    spans.extend(label_value(
        "daily average",
        format!("{:.1}", c.average_per_day),
        theme,
    ));
    spans.push(sep());
    spans.extend(label_value("busiest", busiest, theme));
    Paragraph::new(Line::from(spans))
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(summary, buf);
}

/// Bars of width `width` or less, with gap 1, that fit `n` bars in `room`.
fn bar_width(room: u16, n: usize, width: u16) -> (u16, u16) {
    let n = n.max(1) as u16;
    let with_gap = room / n;
    match with_gap {
        0 | 1 => (1, 0),
        w => ((w - 1).min(width), 1),
    }
}

fn bar_chart<'a>(bars: Vec<Bar<'a>>, room: u16, max_width: u16, theme: &Theme) -> BarChart<'a> {
    let (width, gap) = bar_width(room, bars.len(), max_width);
    BarChart::new(bars)
        .bar_width(width)
        .bar_gap(gap)
        .bar_style(theme.review_count())
        .value_style(theme.selected())
        .label_style(theme.muted())
}

fn render_forecast(stats: &Stats, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let f = &stats.forecast;
    let [summary, _, top, chart, axis] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let sum = |days: usize| -> u32 { f.iter().take(days).sum() };
    let sep = || Span::styled(" · ", theme.muted());
    let mut spans = label_value(
        "Due today",
        f.first().copied().unwrap_or(0).to_string(),
        theme,
    );
    spans.push(Span::styled(" (overdue included)", theme.muted()));
    spans.push(sep());
    spans.extend(label_value(
        "tomorrow",
        f.get(1).copied().unwrap_or(0).to_string(),
        theme,
    ));
    spans.push(sep());
    spans.extend(label_value("next 7 days", sum(7).to_string(), theme));
    spans.push(sep());
    spans.extend(label_value(
        &format!("next {} days", f.len()),
        sum(f.len()).to_string(),
        theme,
    ));
    Paragraph::new(Line::from(spans))
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(summary, buf);
    let max = f.iter().copied().max().unwrap_or(0);
    Line::styled(format!("max {max} cards a day"), theme.muted()).render(top, buf);
    let bars: Vec<Bar> = f
        .iter()
        .map(|&n| Bar::new(u64::from(n)).text_value(String::new()))
        .collect();
    let (width, gap) = bar_width(chart.width, bars.len(), 3);
    bar_chart(bars, chart.width, 3, theme).render(chart, buf);
    // An axis of day numbers every week.
    let mut day = 0;
    while day < f.len() {
        let x = axis.x + (day as u16) * (width + gap);
        let label = format!("+{day}");
        if x + label.width() as u16 <= axis.right() {
            buf.set_string(x, axis.y, label, theme.muted());
        }
        day += 7;
    }
}

fn histogram(title: &str, bins: &[Bin], area: Rect, buf: &mut Buffer, theme: &Theme) {
    let [title_area, chart] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let total: u32 = bins.iter().map(|b| b.count).sum();
    Line::from(vec![
        Span::styled(title.to_owned(), theme.accent()),
        Span::styled(format!(" ({total})"), theme.muted()),
    ])
    .render(title_area, buf);
    let bars: Vec<Bar> = bins
        .iter()
        .map(|b| Bar::new(u64::from(b.count)).label(Line::from(b.label.clone())))
        .collect();
    bar_chart(bars, chart.width, 4, theme).render(chart, buf);
}

fn render_cards(stats: &Stats, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let n = &stats.counts;
    // Two lines of counts, each wrapped in two under 60 columns.
    let lines = if area.width >= 60 { 2 } else { 4 };
    let [counts, _, top, bottom] = Layout::vertical([
        Constraint::Length(lines),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    let sep = || Span::styled(" · ", theme.muted());
    let line = |items: &[(&str, u32, Style)]| -> Line<'static> {
        let mut spans = Vec::new();
        for (i, (label, value, style)) in items.iter().enumerate() {
            if i > 0 {
                spans.push(sep());
            }
            spans.push(Span::styled(format!("{label} "), theme.muted()));
            spans.push(Span::styled(
                value.to_string(),
                style.add_modifier(Modifier::BOLD),
            ));
        }
        Line::from(spans)
    };
    // By schedule, then out of the queue: two lines, so that 80 columns
    // break them where they mean to.
    let by_schedule = line(&[
        ("New", n.new, theme.new_count()),
        ("learning", n.learning, theme.learning_count()),
        ("relearning", n.relearning, theme.learning_count()),
        ("young", n.young, theme.review_count()),
        ("mature", n.mature, theme.review_count()),
    ]);
    let out_of_queue = line(&[
        ("suspended", n.suspended, theme.muted()),
        ("buried", n.buried, theme.muted()),
        ("total", n.total, theme.bold()),
    ]);
    Paragraph::new(vec![by_schedule, out_of_queue])
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(counts, buf);
    let d = &stats.distributions;
    let halves = |r: Rect| -> [Rect; 2] {
        Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(2),
            Constraint::Fill(1),
        ])
        .areas::<3>(r)
        .into_iter()
        .step_by(2)
        .collect::<Vec<_>>()
        .try_into()
        .unwrap_or([r, Rect::default()])
    };
    let [a, b] = halves(top);
    let [c, e] = halves(bottom);
    histogram("Intervals", &d.interval, a, buf, theme);
    histogram("Stability", &d.stability, b, buf, theme);
    histogram("Difficulty", &d.difficulty, c, buf, theme);
    histogram("Retrievability %", &d.retrievability, e, buf, theme);
}

fn render_calibration(stats: &Stats, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let k = &stats.calibration;
    let [summary, _, table, note] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(11),
        Constraint::Min(0),
    ])
    .areas(area);
    let number = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"));
    let sep = || Span::styled(" · ", theme.muted());
    let mut spans = label_value("Reviews", k.reviews.to_string(), theme);
    spans.push(sep());
    spans.extend(label_value("log loss", number(k.log_loss), theme));
    spans.push(sep());
    spans.extend(label_value("RMSE(bins)", percent(k.rmse_bins), theme));
    spans.push(Span::styled(
        " (last 365 days, reviews a day or more apart)",
        theme.muted(),
    ));
    Paragraph::new(Line::from(spans))
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(summary, buf);

    const GAUGE: usize = 20;
    let wide = area.width >= 60;
    let header = [
        "predicted",
        "mean",
        "observed",
        "reviews",
        "observed │ predicted",
    ];
    let rows = k.bins.iter().map(|bin| {
        let gauge = match (bin.observed, bin.predicted) {
            (Some(observed), Some(predicted)) => {
                let filled = (observed * GAUGE as f64).round() as usize;
                let mark = ((predicted * GAUGE as f64).round() as usize).min(GAUGE - 1);
                (0..GAUGE)
                    .map(|i| match (i == mark, i < filled) {
                        (true, _) => '│',
                        (false, true) => '█',
                        (false, false) => '·',
                    })
                    .collect()
            }
            _ => String::new(),
        };
        let mut cells = vec![
            Cell::from(format!("{:.0}–{:.0}%", bin.from * 100.0, bin.to * 100.0)),
            Cell::from(Line::from(percent(bin.predicted)).right_aligned()),
            Cell::from(Line::styled(percent(bin.observed), theme.bold()).right_aligned()),
            Cell::from(Line::styled(bin.count.to_string(), theme.muted()).right_aligned()),
        ];
        if wide {
            cells.push(Cell::from(Line::styled(gauge, theme.review_count())));
        }
        Row::new(cells)
    });
    let mut widths = vec![
        Constraint::Length(9),
        Constraint::Length(6),
        Constraint::Length(8),
        Constraint::Length(7),
    ];
    if wide {
        widths.push(Constraint::Length(GAUGE as u16 + 1));
    }
    let header: Vec<Cell> = header
        .iter()
        .take(widths.len())
        .map(|h| Cell::from(Line::styled(*h, theme.muted())))
        .collect();
    Table::new(rows, widths)
        .header(Row::new(header))
        .column_spacing(1)
        .render(table, buf);
    let advice = match k.rmse_bins {
        None => {
            "No reviews a day or more apart yet: come back after a few days of study.".to_owned()
        }
        Some(e) if e <= stats::POOR_FIT_RMSE => {
            "FSRS's predictions match your recall well; `recall optimize` refits them.".to_owned()
        }
        Some(e) => format!(
            "Predictions are off by about {:.0} points: run `recall optimize` to fit the parameters to your reviews.",
            e * 100.0
        ),
    };
    Paragraph::new(Line::styled(advice, theme.muted()))
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(note, buf);
}

fn render_hours(stats: &Stats, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let [t1, reviews, t2, pass] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    let total: u32 = stats.hours.iter().map(|h| h.reviews).sum();
    Line::from(vec![
        Span::styled("Reviews by hour", theme.accent()),
        Span::styled(
            format!(" ({total}, last 365 days, local time)"),
            theme.muted(),
        ),
    ])
    .render(t1, buf);
    let (width, _) = bar_width(reviews.width, 24, 2);
    let label = |hour: u32| -> Line<'static> {
        if width >= 2 || hour.is_multiple_of(3) {
            Line::from(format!("{hour:02}"))
        } else {
            Line::from("")
        }
    };
    let bars: Vec<Bar> = stats
        .hours
        .iter()
        .map(|h| {
            Bar::new(u64::from(h.reviews))
                .label(label(h.hour))
                .text_value(String::new())
        })
        .collect();
    bar_chart(bars, reviews.width, 2, theme).render(reviews, buf);
    Line::styled("Pass rate by hour (%)", theme.accent()).render(t2, buf);
    let bars: Vec<Bar> = stats
        .hours
        .iter()
        .map(|h| {
            let rate = h.pass_rate.map_or(0, |r| (r * 100.0).round() as u64);
            Bar::new(rate)
                .label(label(h.hour))
                .text_value(String::new())
        })
        .collect();
    bar_chart(bars, pass.width, 2, theme)
        .max(100)
        .render(pass, buf);
}
