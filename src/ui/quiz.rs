//! The quiz screens: a question (self-check: question then answer; choice:
//! the question with four numbered options, then right or wrong), the score
//! at the end of a round, and the small dialog that starts a quiz from the
//! home screen.
//!
//! Right and wrong are never told by colour alone: the right option carries
//! `✓` and reversed bold text, a wrong pick `✗`, so they read the same with
//! `NO_COLOR`.

use std::rc::Rc;

use chrono::TimeDelta;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, LineGauge, Paragraph, StatefulWidget, Widget};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use super::chrome::{self, Hint, ScrollState};
use super::study::{TypedView, countdown, duration};
use super::text::{Laid, kept, kept_card, lay_out, plain_lines};
use crate::quiz::{Mode, Score};

/// The header of every question: where in the round, the score so far and
/// the time.
#[derive(Debug, Clone, Copy)]
pub struct QuizHeader<'a> {
    pub title: &'a str,
    /// The question on screen (from 1) and how many the round has.
    pub position: (usize, usize),
    /// Answers given and answers right so far.
    pub tally: (usize, usize),
    pub elapsed: TimeDelta,
}

impl QuizHeader<'_> {
    /// Renders the header and gauge rows, with `note` (the scroll position)
    /// at the gauge's right end.
    fn render(&self, area: Rect, buf: &mut Buffer, note: Option<&str>, theme: &Theme) {
        let [header, gauge_row] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
        let (k, n) = self.position;
        let (answered, right) = self.tally;
        let clock = countdown(self.elapsed);
        let muted = |text: &str| Span::styled(text.to_owned(), theme.muted());
        let bold = |text: String| Span::styled(text, theme.bold());
        let full = vec![
            muted("Question "),
            bold(k.to_string()),
            muted(" of "),
            bold(n.to_string()),
            muted(" · Score "),
            bold(format!("{right}/{answered}")),
            muted(" · "),
            Span::styled(clock.clone(), theme.text()),
            Span::raw(" "),
        ];
        let medium = vec![
            bold(format!("{k}/{n}")),
            muted(" · "),
            bold(format!("{right}/{answered}")),
            muted(" right · "),
            Span::styled(clock.clone(), theme.text()),
            Span::raw(" "),
        ];
        let compact = vec![bold(format!("{k}/{n}")), Span::raw(" ")];
        chrome::render_header(header, buf, self.title, &[full, medium, compact], theme);
        let note_width = note.map_or(0, |n| n.width() as u16 + 2);
        let [gauge, note_area] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(note_width)])
                .areas(gauge_row);
        let ratio = if n == 0 {
            1.0
        } else {
            answered as f64 / n as f64
        };
        LineGauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label("")
            .filled_style(theme.gauge())
            .unfilled_style(theme.muted())
            .render(gauge, buf);
        if let Some(note) = note {
            Line::styled(format!(" {note} "), theme.muted()).render(note_area, buf);
        }
    }
}

/// What is asked, and how it is answered.
#[derive(Debug, Clone, Copy)]
pub enum QuizBody<'a> {
    /// Self-check: the answer shows once revealed.
    SelfCheck { back: Option<&'a str> },
    /// Four options; once one is picked, right and wrong show.
    Choice {
        options: &'a [String],
        right: usize,
        picked: Option<usize>,
    },
    /// A typed-answer card: the field, then the comparison and the answer.
    Typed {
        view: TypedView<'a>,
        back: Option<&'a str>,
    },
}

/// A question of the quiz.
#[derive(Debug, Clone)]
pub struct QuestionView<'a> {
    pub header: QuizHeader<'a>,
    pub front: &'a str,
    pub body: QuizBody<'a>,
    /// Scroll so this option shows (the right one, just after a pick).
    pub focus: Option<usize>,
    /// A line above the hints: right or wrong, a notice, an error.
    pub message: Option<(&'a str, Style)>,
    pub hints: &'a [Hint],
    pub theme: Theme,
}

/// Columns taken by an option's label, e.g. `✓ 3 `.
const LABEL_WIDTH: u16 = 4;

impl StatefulWidget for &QuestionView<'_> {
    type State = ScrollState;

    fn render(self, area: Rect, buf: &mut Buffer, scroll: &mut ScrollState) {
        let theme = &self.theme;
        let Some(main) = chrome::frame(area, buf, self.hints, theme) else {
            return;
        };
        let message_height = u16::from(self.message.is_some());
        let [header, _, body, message] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(message_height),
        ])
        .areas(main);
        // One column margin each side; the right one holds the scrollbar.
        let text_area = Rect {
            x: body.x + 1,
            width: body.width.saturating_sub(2),
            ..body
        };
        let width = text_area.width;
        // The question and answer are laid out once per width and kept: a
        // scroll step copies only the lines in view.
        let question = kept_card(self.front, width, theme, theme.bold());
        let answer = |back: Option<&str>| {
            back.map(|back| {
                let lines = vec![Line::default(), rule(" Answer ", width, theme)];
                (lines, kept_card(back, width, theme, theme.text()))
            })
        };
        let (pinned, parts, starts): (&[Line<'static>], Vec<Part>, Vec<usize>) = match self.body {
            QuizBody::SelfCheck { back } => {
                let mut parts = vec![Part::Kept(Rc::clone(&question))];
                if let Some((rule, back)) = answer(back) {
                    parts.extend([Part::Lines(rule), Part::Kept(back)]);
                }
                (&[], parts, Vec::new())
            }
            QuizBody::Typed { view, back } => {
                let mut parts = vec![
                    Part::Kept(Rc::clone(&question)),
                    Part::Lines(view.lines(width, theme)),
                ];
                if let Some((rule, back)) = answer(back) {
                    parts.extend([Part::Lines(rule), Part::Kept(back)]);
                }
                (&[], parts, Vec::new())
            }
            QuizBody::Choice {
                options,
                right,
                picked,
            } => {
                let (lines, starts) = option_lines(options, right, picked, width, theme);
                // The question stays in view while the options scroll, if
                // it leaves them room; else all of it scrolls together.
                if question.lines.len() < usize::from(text_area.height) / 2 {
                    (&question.lines, vec![Part::Kept(lines)], starts)
                } else {
                    let offset = question.lines.len() + 1;
                    let parts = vec![
                        Part::Kept(Rc::clone(&question)),
                        Part::Lines(vec![Line::default()]),
                        Part::Kept(lines),
                    ];
                    (&[], parts, starts.iter().map(|s| s + offset).collect())
                }
            }
        };
        let pinned_height = if pinned.is_empty() {
            0
        } else {
            pinned.len() as u16 + 1
        };
        let [pinned_area, scrolled_area] =
            Layout::vertical([Constraint::Length(pinned_height), Constraint::Min(0)])
                .areas(text_area);
        Paragraph::new(pinned.to_vec()).render(pinned_area, buf);
        let parts: Vec<&[Line<'static>]> = parts.iter().map(Part::lines).collect();
        if let Some(option) = self.focus
            && let Some(&start) = starts.get(option)
        {
            let total = parts.iter().map(|part| part.len()).sum();
            let end = starts.get(option + 1).map_or(total, |next| next - 1);
            reveal_range(scroll, start, end, usize::from(scrolled_area.height));
        }
        chrome::render_scrolled_parts(&parts, scrolled_area, buf, scroll, theme);
        self.header
            .render(header, buf, scroll.position().as_deref(), theme);
        if let Some((text, style)) = self.message {
            Line::styled(format!(" {text}"), style).render(message, buf);
        }
    }
}

/// Lines of a screen: kept between frames, or made for this one.
enum Part {
    Kept(Rc<Laid>),
    Lines(Vec<Line<'static>>),
}

impl Part {
    fn lines(&self) -> &[Line<'static>] {
        match self {
            Part::Kept(laid) => &laid.lines,
            Part::Lines(lines) => lines,
        }
    }
}

/// Scrolls so lines `start..end` show: unless they all show already, they
/// start at the top (the rest of them below, as far as they fit).
fn reveal_range(scroll: &mut ScrollState, start: usize, end: usize, viewport: usize) {
    if start < scroll.offset || end > scroll.offset + viewport {
        scroll.offset = start;
    }
}

/// `── label ────`, across `width`.
fn rule(label: &str, width: u16, theme: &Theme) -> Line<'static> {
    let rest = usize::from(width).saturating_sub(label.width() + 2);
    Line::from(vec![
        Span::styled("──", theme.muted()),
        Span::styled(label.to_owned(), theme.muted()),
        Span::styled("─".repeat(rest), theme.muted()),
    ])
}

/// The options laid out in `width`, a blank line apart (kept between
/// frames), and the line each starts on.
fn option_lines(
    options: &[String],
    right: usize,
    picked: Option<usize>,
    width: u16,
    theme: &Theme,
) -> (Rc<Laid>, Vec<usize>) {
    let text_width = width.saturating_sub(LABEL_WIDTH);
    let option = |i: usize| {
        let number = i + 1;
        let (label, label_style, base) = match picked {
            None => (format!("  {number} "), theme.key(), theme.text()),
            Some(_) if i == right => (
                format!("✓ {number} "),
                theme.good().patch(theme.selected()),
                theme.bold(),
            ),
            Some(p) if p == i => (format!("✗ {number} "), theme.bad(), theme.text()),
            Some(_) => (format!("  {number} "), theme.muted(), theme.muted()),
        };
        (
            label,
            label_style,
            kept_card(&options[i], text_width, theme, base),
        )
    };
    let mut starts = Vec::new();
    let mut at = 0;
    for i in 0..options.len() {
        starts.push(at);
        at += option(i).2.lines.len() + 1;
    }
    let key = {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for text in options {
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
        }
        std::hash::Hash::hash(&(right, picked, width, theme), &mut hasher);
        hasher.digest()
    };
    let lines = kept(key, || {
        let mut laid = Laid::default();
        for i in 0..options.len() {
            if i > 0 {
                laid.append(Laid::new(vec![Line::default()]));
            }
            let (label, label_style, body) = option(i);
            laid.append(body.map(|j, line| {
                // A bar down the label column ties a long option's lines (and
                // the blank lines between its paragraphs) to its number.
                let lead = if j == 0 {
                    Span::styled(label.clone(), label_style)
                } else {
                    Span::styled("  │ ", theme.muted())
                };
                let mut spans = vec![lead];
                spans.extend(line.spans.iter().cloned());
                Line::from(spans)
            }));
        }
        laid
    });
    (lines, starts)
}

/// The end of a round: the score, the time, and each missed question with
/// its answer (scrollable).
#[derive(Debug, Clone)]
pub struct ScoreView<'a> {
    pub title: &'a str,
    /// "Quiz done", "Round 2 done", ...
    pub heading: &'a str,
    pub score: Score,
    pub mode: Mode,
    pub seed: u64,
    /// The questions answered wrong, with their answers.
    pub missed: &'a [(&'a str, &'a str)],
    /// A line above the hints, e.g. that the score could not be saved.
    pub message: Option<(&'a str, Style)>,
    pub hints: &'a [Hint],
    pub theme: Theme,
}

impl StatefulWidget for &ScoreView<'_> {
    type State = ScrollState;

    fn render(self, area: Rect, buf: &mut Buffer, scroll: &mut ScrollState) {
        let theme = &self.theme;
        let Some(main) = chrome::frame(area, buf, self.hints, theme) else {
            return;
        };
        let s = &self.score;
        let row = |label: &str, value: Vec<Span<'static>>| {
            let mut spans = vec![Span::styled(format!(" {label:<8}"), theme.muted())];
            spans.extend(value);
            Line::from(spans)
        };
        let mut summary = vec![
            Line::styled(format!(" {}", self.heading), theme.accent()),
            Line::default(),
            row(
                "Score",
                vec![
                    Span::styled(format!("{}/{}", s.correct, s.asked), theme.bold()),
                    Span::styled(format!(" right ({}%)", s.percent()), theme.text()),
                ],
            ),
            row("Time", vec![Span::raw(duration(s.time))]),
            row(
                "Mode",
                vec![
                    Span::raw(self.mode.label()),
                    Span::styled(format!(" · seed {}", self.seed), theme.muted()),
                ],
            ),
        ];
        if s.ended_early() {
            let text = format!(
                " Ended early: {} of {} questions answered.",
                s.asked, s.questions
            );
            summary.push(Line::styled(text, theme.muted()));
        }
        summary.push(Line::default());
        let message_height = u16::from(self.message.is_some());
        let [header, _, summary_area, heading, list, message] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(summary.len() as u16),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(message_height),
        ])
        .areas(main);
        chrome::render_header(header, buf, self.title, &[], theme);
        Paragraph::new(summary).render(summary_area, buf);

        let text_area = Rect {
            x: list.x + 1,
            width: list.width.saturating_sub(2),
            ..list
        };
        let missed = missed_lines(self.missed, text_area.width, theme);
        if self.missed.is_empty() {
            Line::styled(" Nothing missed. Well done!", theme.good()).render(heading, buf);
        } else {
            chrome::render_scrolled_parts(&[&missed.lines], text_area, buf, scroll, theme);
            let mut spans = vec![Span::styled(
                format!(" Missed ({})", self.missed.len()),
                theme.bold(),
            )];
            if let Some(position) = scroll.position() {
                let used = spans[0].content.width();
                let gap = usize::from(heading.width).saturating_sub(used + position.width() + 1);
                spans.push(Span::raw(" ".repeat(gap)));
                spans.push(Span::styled(position, theme.muted()));
            }
            Line::from(spans).render(heading, buf);
        }
        if let Some((text, style)) = self.message {
            Line::styled(format!(" {text}"), style).render(message, buf);
        }
    }
}

/// `1. question` in bold, its answer under it, indented to the text.
/// (Laid out once per width and kept between frames.)
fn missed_lines(missed: &[(&str, &str)], width: u16, theme: &Theme) -> Rc<Laid> {
    let key = {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (front, back) in missed {
            for text in [front, back] {
                hasher.update(text.as_bytes());
                hasher.update(&[0]);
            }
        }
        std::hash::Hash::hash(&(missed.len(), width, theme), &mut hasher);
        hasher.digest()
    };
    kept(key, || {
        let mut laid = Laid::default();
        for (i, (front, back)) in missed.iter().enumerate() {
            if i > 0 {
                laid.append(Laid::new(vec![Line::default()]));
            }
            let label = format!("{}. ", i + 1);
            let indent = label.width() as u16;
            let hang = |text: &Laid, first: Option<Span<'static>>| {
                text.map(|j, line| {
                    let lead = match (j, &first) {
                        (0, Some(first)) => first.clone(),
                        _ => Span::raw(" ".repeat(usize::from(indent))),
                    };
                    let mut spans = vec![lead];
                    spans.extend(line.spans.iter().cloned());
                    Line::from(spans)
                })
            };
            let width = width.saturating_sub(indent);
            laid.append(hang(
                &lay_out(front, width, theme, theme.bold()),
                Some(Span::styled(label.clone(), theme.muted())),
            ));
            laid.append(hang(&lay_out(back, width, theme, theme.text()), None));
        }
        laid
    })
}

/// Which line of the dialog has the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogField {
    Mode,
    Length,
}

/// The home screen's "quiz this deck" dialog: mode and length.
#[derive(Debug, Clone)]
pub struct DialogView<'a> {
    pub deck_name: &'a str,
    pub cards: usize,
    pub mode: Mode,
    pub length: usize,
    pub field: DialogField,
    /// Why choice mode is not offered, if it is not.
    pub note: Option<&'a str>,
    pub hints: &'a [Hint],
    pub theme: Theme,
}

impl Widget for &DialogView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.theme;
        if chrome::is_too_small(area) {
            return;
        }
        let width = area.width.min(58);
        let inner_width = width.saturating_sub(2);
        let cursor = |field: DialogField| {
            if field == self.field {
                Span::styled(" ▶ ", theme.key())
            } else {
                Span::raw("   ")
            }
        };
        let focused = |field: DialogField| {
            if field == self.field {
                theme.selected()
            } else {
                theme.text()
            }
        };
        let radio = |mode: Mode, name: &str| {
            let on = self.mode == mode;
            let style = if on {
                focused(DialogField::Mode).patch(theme.bold())
            } else if mode == Mode::Choice && self.note.is_some() {
                theme.muted()
            } else {
                theme.text()
            };
            Span::styled(format!("({}) {name}", if on { "•" } else { " " }), style)
        };
        let of = if self.length >= self.cards {
            format!(" all {} cards", self.cards)
        } else {
            format!(" of {} cards", self.cards)
        };
        let mut lines = vec![
            Line::default(),
            Line::from(vec![
                cursor(DialogField::Mode),
                Span::styled("Mode    ", theme.muted()),
                radio(Mode::SelfCheck, "self-check"),
                Span::raw("  "),
                radio(Mode::Choice, "choice"),
            ]),
            Line::from(vec![
                cursor(DialogField::Length),
                Span::styled("Length  ", theme.muted()),
                Span::styled(
                    format!("‹ {} ›", self.length),
                    focused(DialogField::Length).patch(theme.bold()),
                ),
                Span::styled(of, theme.muted()),
            ]),
            Line::default(),
        ];
        if let Some(note) = self.note {
            let text: Vec<Line<'static>> =
                plain_lines(note, theme.muted(), inner_width.saturating_sub(2))
                    .into_iter()
                    .map(|line| {
                        let mut spans = vec![Span::raw(" ")];
                        spans.extend(line.spans);
                        Line::from(spans)
                    })
                    .collect();
            lines.extend(text);
            lines.push(Line::default());
        }
        lines.extend(chrome::hint_lines(self.hints, inner_width, theme));
        let height = (lines.len() as u16).saturating_add(2);
        let popup = chrome::centered(area, width, height);
        chrome::clear_popup(popup, buf);
        let block = Block::bordered()
            .title(Line::styled(
                format!(" Quiz: {} ", self.deck_name),
                theme.accent(),
            ))
            .border_style(theme.border());
        Paragraph::new(lines).block(block).render(popup, buf);
    }
}
