//! The study screens: a card (question, then answer), the countdown while
//! only learning cards wait, and the summary at the end.

use std::cell::{Cell, RefCell};

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, Paragraph, StatefulWidget, Widget};

use super::Theme;
use super::chrome::{self, Hint, ScrollState};
use super::images::{self, CardImages, Piece, Placement};
use super::text::{Laid, card_lines_in, kept_card, lay_out, plain_lines, styled_lines};
use crate::deck::CardKey;
use crate::deck::compare::{Comparison, Mark};
use crate::format;
use crate::study::queue::DueCounts;
use crate::study::session::Summary;
use unicode_width::UnicodeWidthStr;

/// What the header and gauge show on every study screen.
#[derive(Debug, Clone, Copy)]
pub struct SessionHeader<'a> {
    pub deck_name: &'a str,
    pub remaining: DueCounts,
    /// Grades given, out of grades given plus cards left.
    pub progress: (usize, usize),
}

impl SessionHeader<'_> {
    /// Renders the header and gauge rows; returns the rest of `area`, and
    /// the gauge row's right end for an optional note.
    fn render(&self, area: Rect, buf: &mut Buffer, note: Option<&str>, theme: &Theme) -> Rect {
        let [header, gauge_row, rest] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(area);
        let (done, total) = self.progress;
        let reviewed = vec![Span::styled(format!("{done} reviewed "), theme.muted())];
        chrome::render_header(header, buf, self.deck_name, &[reviewed], theme);
        let note_width = note.map_or(0, |n| n.chars().count() as u16 + 2);
        let [gauge, note_area] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(note_width)])
                .areas(gauge_row);
        let ratio = if total == 0 {
            1.0
        } else {
            done as f64 / total as f64
        };
        // What is left, Anki style; compact when the row is narrow.
        let r = self.remaining;
        let full = format!(
            " {} new · {} learning · {} review left",
            r.new, r.learning, r.review
        );
        let later = format!(
            " {} new · {} learning ({} later today) · {} review left",
            r.new,
            r.learning,
            r.learning_later(),
            r.review
        );
        let room = usize::from(gauge.width);
        let label = if r.learning_later() > 0 && later.width() + 8 <= room {
            later
        } else if full.width() + 8 <= room {
            full
        } else {
            format!(" {}·{}·{} left", r.new, r.learning, r.review)
        };
        LineGauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(label)
            .filled_style(theme.gauge())
            .unfilled_style(theme.muted())
            .render(gauge, buf);
        if let Some(note) = note {
            Line::styled(format!(" {note} "), theme.muted()).render(note_area, buf);
        }
        rest
    }
}

/// A card: the question, and below it the answer once revealed.
#[derive(Debug, Clone)]
pub struct CardView<'a> {
    pub header: SessionHeader<'a>,
    pub front: &'a str,
    /// `None` while the answer is hidden.
    pub back: Option<&'a str>,
    /// For a typed-answer card: the field, then the comparison.
    pub typed: Option<TypedView<'a>>,
    pub hints: &'a [Hint],
    /// A line above the hints: "Saved", an error, "nothing to undo".
    pub message: Option<(&'a str, Style)>,
    /// The card's images, drawn where their markers are; `None` shows the
    /// markers as text (`images = false`).
    pub images: Option<&'a CardImages>,
    pub theme: Theme,
    /// Where the wrapped question and answer of this card (by key) are
    /// kept between frames; `None` wraps them on every draw.
    pub wrapped: Option<(&'a WrapCache, &'a CardKey)>,
}

/// The question and answer of the card on screen, wrapped at one width and
/// kept between frames: a huge card is wrapped once per width (the answer
/// once more when it shows), not on every draw, key or tick.
#[derive(Debug, Default)]
pub struct WrapCache {
    slot: RefCell<Option<Wrapped>>,
    wraps: Cell<usize>,
}

#[derive(Debug)]
struct Wrapped {
    key: CardKey,
    width: u16,
    /// The hash of the question's text: an edit changes the text under the
    /// same key.
    front_hash: u64,
    front: Laid,
    /// The answer wrapped, with the hash of its text.
    back: Option<(u64, Laid)>,
}

impl WrapCache {
    /// How many times a question or an answer was wrapped.
    pub fn wraps(&self) -> usize {
        self.wraps.get()
    }

    /// Calls `f` with the wrapped question and answer (empty while hidden)
    /// of card `key`, wrapping only what is not kept for this width (or
    /// kept before more of a code block was highlighted).
    fn with<R>(
        &self,
        (key, width): (&CardKey, u16),
        (front, back): (&str, Option<&str>),
        theme: &Theme,
        f: impl FnOnce(&[Line<'static>], &[Line<'static>]) -> R,
    ) -> R {
        let hash = |text: &str| xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        let front_hash = hash(front);
        let mut slot = self.slot.borrow_mut();
        let wrapped = match &mut *slot {
            Some(kept)
                if kept.key == *key
                    && kept.width == width
                    && kept.front_hash == front_hash
                    && kept.front.is_current() =>
            {
                kept
            }
            other => {
                self.wraps.set(self.wraps.get() + 1);
                other.insert(Wrapped {
                    key: key.clone(),
                    width,
                    front_hash,
                    front: lay_out(front, width, theme, theme.bold()),
                    back: None,
                })
            }
        };
        if let Some(back) = back {
            let back_hash = hash(back);
            if wrapped
                .back
                .as_ref()
                .is_none_or(|(kept, laid)| *kept != back_hash || !laid.is_current())
            {
                self.wraps.set(self.wraps.get() + 1);
                wrapped.back = Some((back_hash, lay_out(back, width, theme, theme.text())));
            }
        }
        let shown_back = match (back, &wrapped.back) {
            (Some(_), Some((_, laid))) => laid.lines.as_slice(),
            _ => &[],
        };
        f(&wrapped.front.lines, shown_back)
    }
}

/// The typed answer of a card.
#[derive(Debug, Clone, Copy)]
pub struct TypedView<'a> {
    pub text: &'a str,
    /// The cursor's byte offset in `text`.
    pub cursor: usize,
    /// `Some` once revealed.
    pub comparison: Option<&'a Comparison>,
}

impl TypedView<'_> {
    pub(crate) fn lines(&self, width: u16, theme: &Theme) -> Vec<Line<'static>> {
        let mut lines = vec![Line::default()];
        let Some(comparison) = self.comparison else {
            lines.push(Line::styled("Type the answer, then Enter:", theme.muted()));
            let cursor = self.cursor.min(self.text.len());
            let (before, after) = self.text.split_at(cursor);
            let mut chars = after.chars();
            let at = chars.next().map_or(" ".to_owned(), String::from);
            let pieces = vec![
                ("› ".to_owned(), theme.accent()),
                (before.to_owned(), theme.text()),
                (at, theme.selected()),
                (chars.as_str().to_owned(), theme.text()),
            ];
            lines.extend(styled_lines(&pieces, width));
            return lines;
        };
        if comparison.correct {
            let mut pieces = vec![("✓ ".to_owned(), theme.good())];
            pieces.extend(
                comparison
                    .expected
                    .iter()
                    .map(|p| (p.text.clone(), theme.good())),
            );
            lines.extend(styled_lines(&pieces, width));
            return lines;
        }
        let style = |mark: Mark, missing: Style| match mark {
            Mark::Good => theme.good(),
            Mark::Bad => theme.bad(),
            Mark::Missing => missing,
        };
        let mut typed = vec![("✗ ".to_owned(), theme.bad())];
        if comparison.typed.is_empty() {
            typed.push(("(nothing typed)".to_owned(), theme.muted()));
        }
        typed.extend(
            comparison
                .typed
                .iter()
                .map(|p| (p.text.clone(), style(p.mark, theme.muted()))),
        );
        lines.extend(styled_lines(&typed, width));
        lines.push(Line::styled("  ↓", theme.muted()));
        let mut expected = vec![("  ".to_owned(), theme.text())];
        expected.extend(comparison.expected.iter().map(|p| {
            (
                p.text.clone(),
                style(p.mark, theme.bad().patch(theme.bold())),
            )
        }));
        lines.extend(styled_lines(&expected, width));
        lines
    }
}

impl StatefulWidget for &CardView<'_> {
    type State = ScrollState;

    fn render(self, area: Rect, buf: &mut Buffer, scroll: &mut ScrollState) {
        let theme = &self.theme;
        let Some(main) = chrome::frame(area, buf, self.hints, theme) else {
            return;
        };
        // The body is laid out before the header so the header can show the
        // scroll position; the header does not change the body's size.
        let [_, _, body_and_message] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(main);
        let message_lines = self
            .message
            .map(|(text, style)| status_lines(text, style, main.width))
            .unwrap_or_default();
        let message_height = (message_lines.len() as u16).min(main.height / 3);
        let [_, body, message] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(message_height),
        ])
        .areas(body_and_message);
        // One column margin each side; the right one holds the scrollbar.
        let text_area = Rect {
            x: body.x + 1,
            width: body.width.saturating_sub(2),
            ..body
        };
        let width = text_area.width;
        match self.wrapped {
            // A card without images is wrapped once per width and kept.
            Some((cache, key)) if !self.shows_images() => {
                cache.with(
                    (key, width),
                    (self.front, self.back),
                    theme,
                    |front, back| {
                        let (middle, rule) = self.middle_lines(width);
                        let parts = [front, &middle[..], &rule[..], back];
                        chrome::render_scrolled_parts(&parts, text_area, buf, scroll, theme);
                    },
                );
            }
            _ => {
                let mut placements = Vec::new();
                let lines = self.body_lines(width, text_area.height, &mut placements);
                chrome::render_scrolled(lines, text_area, buf, scroll, theme);
                if let Some(images) = self.images {
                    images::render_placements(images, &placements, text_area, scroll.offset, buf);
                }
            }
        }
        self.header
            .render(main, buf, scroll.position().as_deref(), theme);
        Paragraph::new(message_lines).render(message, buf);
    }
}

/// A status line wrapped to `width` (one column margin), so a long error
/// keeps its cause in view.
pub fn status_lines(text: &str, style: Style, width: u16) -> Vec<Line<'static>> {
    plain_lines(text, style, width.saturating_sub(2))
        .into_iter()
        .map(|line| {
            let mut spans = vec![Span::raw(" ")];
            spans.extend(line.spans);
            Line::from(spans)
        })
        .collect()
}

impl CardView<'_> {
    /// The card's lines in `width` columns; each image gets rows of its own
    /// (at most half of `height`), listed in `placements`, with its marker
    /// on the first row until the image is drawn over it.
    fn side_lines(
        &self,
        text: &str,
        base: Style,
        (width, height): (u16, u16),
        lines: &mut Vec<Line<'static>>,
        placements: &mut Vec<Placement>,
    ) {
        let theme = &self.theme;
        for piece in images::pieces(text, self.images) {
            let marker = match piece {
                Piece::Text(text) => {
                    // Kept between frames: copied, not laid out again.
                    lines.extend(kept_card(text, width, theme, base).lines.iter().cloned());
                    continue;
                }
                Piece::Image(name) => name,
            };
            let placed = self
                .images
                .and_then(|images| images::place(images, marker, lines.len(), width, height / 2));
            let label = format!("[image: {marker}]");
            match placed {
                Some(placement) => {
                    lines.push(Line::styled(label, theme.muted()));
                    for _ in 1..placement.rows {
                        lines.push(Line::default());
                    }
                    placements.push(placement);
                }
                None => lines.extend(card_lines_in(&label, width, theme, base)),
            }
        }
    }

    /// Whether an image of the card is drawn (then the card is laid out on
    /// every draw, around the images' rows).
    fn shows_images(&self) -> bool {
        self.images.is_some()
            && [Some(self.front), self.back]
                .into_iter()
                .flatten()
                .any(|text| {
                    images::pieces(text, self.images)
                        .iter()
                        .any(|piece| matches!(piece, Piece::Image(_)))
                })
    }

    fn body_lines(
        &self,
        width: u16,
        height: u16,
        placements: &mut Vec<Placement>,
    ) -> Vec<Line<'static>> {
        let theme = &self.theme;
        let mut lines = Vec::new();
        self.side_lines(
            self.front,
            theme.bold(),
            (width, height),
            &mut lines,
            placements,
        );
        let (middle, rule) = self.middle_lines(width);
        lines.extend(middle);
        lines.extend(rule);
        if let Some(back) = self.back {
            self.side_lines(back, theme.text(), (width, height), &mut lines, placements);
        }
        lines
    }

    /// What goes between the question and the answer: the typed answer (if
    /// any), then the "Answer" rule once the answer shows.
    fn middle_lines(&self, width: u16) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
        let theme = &self.theme;
        let typed = self
            .typed
            .as_ref()
            .map(|typed| typed.lines(width, theme))
            .unwrap_or_default();
        let mut rule_lines = Vec::new();
        if self.back.is_some() {
            rule_lines.push(Line::default());
            let label = " Answer ";
            let rule = usize::from(width).saturating_sub(label.len() + 2);
            rule_lines.push(Line::from(vec![
                Span::styled("──", theme.muted()),
                Span::styled(label, theme.muted()),
                Span::styled("─".repeat(rule), theme.muted()),
            ]));
        }
        (typed, rule_lines)
    }
}

/// Only learning cards are left, and none is due within the learn-ahead
/// limit. A short wait shows a countdown; a long one only the time, and
/// both say the session can end now.
#[derive(Debug, Clone)]
pub struct WaitingView<'a> {
    pub header: SessionHeader<'a>,
    /// Until the next card shows (its due time less the learn-ahead limit).
    pub wait: TimeDelta,
    /// When it is due, as a local clock time: `11:29`.
    pub due_at: &'a str,
    pub hints: &'a [Hint],
    pub theme: Theme,
}

/// Waits up to this long show a live countdown.
pub const COUNTDOWN_UP_TO: TimeDelta = TimeDelta::hours(1);

impl Widget for &WaitingView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.theme;
        let Some(main) = chrome::frame(area, buf, self.hints, theme) else {
            return;
        };
        let body = self.header.render(main, buf, None, theme);
        let still_learning = match self.header.remaining.learning {
            1 => "1 card is still in its learning steps.".to_owned(),
            n => format!("{n} cards are still in their learning steps."),
        };
        let mut text = vec![
            Line::styled("Every other card is done for now.", theme.text()),
            Line::styled(still_learning, theme.muted()),
            Line::default(),
            Line::styled(
                format!("The next one is due at {}.", self.due_at),
                theme.text(),
            ),
        ];
        if self.wait <= COUNTDOWN_UP_TO {
            text.push(Line::styled("It shows here by itself in", theme.muted()));
            text.push(Line::styled(countdown(self.wait), theme.accent()));
        }
        text.push(Line::default());
        text.push(Line::styled(
            "You can end the session now: it will be due then.",
            theme.text(),
        ));
        let lines: Vec<Line> = text;
        let height = lines
            .iter()
            .map(|line| line.width().div_ceil(usize::from(body.width.max(1))).max(1))
            .sum::<usize>();
        let area = chrome::centered(body, body.width, height as u16);
        Paragraph::new(lines)
            .centered()
            .wrap(ratatui::widgets::Wrap { trim: true })
            .render(area, buf);
    }
}

/// `04:12`, or `1:02:09` past an hour.
pub fn countdown(wait: TimeDelta) -> String {
    let seconds = wait.num_seconds().max(0);
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// The end of a session.
#[derive(Debug, Clone)]
pub struct SummaryView<'a> {
    pub deck_name: &'a str,
    pub summary: Summary,
    /// Left before the queue was empty.
    pub ended_early: bool,
    pub now: DateTime<Utc>,
    /// The local time zone, for clock times.
    pub zone: FixedOffset,
    pub hints: &'a [Hint],
    pub theme: Theme,
}

impl Widget for &SummaryView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.theme;
        let Some(main) = chrome::frame(area, buf, self.hints, theme) else {
            return;
        };
        let [header, _, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(main);
        chrome::render_header(header, buf, self.deck_name, &[], theme);
        let s = &self.summary;
        let title = if self.ended_early {
            "Session ended"
        } else {
            "All done for now"
        };
        let row = |label: &str, value: String, style: Style| {
            Line::from(vec![
                Span::styled(format!(" {label:<16}"), theme.muted()),
                Span::styled(value, style),
            ])
        };
        let mut lines = vec![
            Line::styled(format!(" {title}"), theme.accent()),
            Line::default(),
        ];
        let studied = format!("{} ({})", s.cards, format::plural(s.reviews, "review"));
        lines.push(row("Cards studied", studied, theme.bold()));
        lines.push(row("Time", duration(s.time), theme.text()));
        let again_style = if s.again > 0 {
            theme.bad()
        } else {
            theme.text()
        };
        let again = format!(
            "{:.0}% ({} of {})",
            s.again_share() * 100.0,
            s.again,
            s.reviews
        );
        lines.push(row("Again", again, again_style));
        let next = match s.next_due {
            Some(due) => format!("{} ({})", relative(due - self.now), self.clock(due)),
            None => "nothing scheduled".into(),
        };
        lines.push(row("Next card due", next, theme.text()));
        if s.over_limit > 0 {
            lines.push(Line::default());
            let text = format!(
                " {} due today wait for tomorrow's limits.",
                format::plural(s.over_limit, "more card")
            );
            lines.push(Line::styled(text, theme.muted()));
        }
        Paragraph::new(lines).render(body, buf);
    }
}

impl SummaryView<'_> {
    /// `10:42` today, else `Thu 27 Nov 10:42`.
    fn clock(&self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&self.zone);
        if local.date_naive() == self.now.with_timezone(&self.zone).date_naive() {
            local.format("%H:%M").to_string()
        } else {
            local.format("%a %-d %b %H:%M").to_string()
        }
    }
}

fn relative(span: TimeDelta) -> String {
    if span <= TimeDelta::zero() {
        "now".into()
    } else {
        format!("in {}", format::interval(span))
    }
}

/// `6m 12s`, `1h 3m`, `45s`.
pub fn duration(span: TimeDelta) -> String {
    let seconds = span.num_seconds().max(0);
    match (seconds / 3600, seconds / 60 % 60, seconds % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s}s"),
        (h, m, _) => format!("{h}h {m}m"),
    }
}
