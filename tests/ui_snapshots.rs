//! Every screen drawn into ratatui's `TestBackend`: insta snapshots of the
//! home screen, a question, the answer of the bundled deck's longest card,
//! help, the countdown, the summary, too-small, and a card with CJK text and
//! emoji; and every screen at every size from 1×1 to 120×40 without a panic.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/quiz_screens.rs"]
mod quiz_screens;

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{StatefulWidget, TableState, Widget};
use recall::app::keys::{self, KeyContext};
use recall::deck::CardKey;
use recall::deck::Deck;
use recall::deck::catalog::{BUNDLED, parse_text};
use recall::schedule::Rating;
use recall::study::queue::DueCounts;
use recall::study::session::Summary;
use recall::ui::Theme;
use recall::ui::chrome::{Hint, ScrollState};
use recall::ui::help::HelpView;
use recall::ui::home::{Children, DeckRow, HomeView};
use recall::ui::study::{CardView, SessionHeader, SummaryView, WaitingView, WrapCache};

const THEME: Theme = Theme::monochrome();

/// Draws one screen into a buffer.
type Render = fn(Rect, &mut Buffer);

fn bundled() -> Deck {
    parse_text(BUNDLED[0].text, "bundled", "aws-api-gateway").unwrap()
}

fn now() -> DateTime<Utc> {
    "2026-11-25T09:30:00Z".parse().unwrap()
}

fn header(name: &str) -> SessionHeader<'_> {
    SessionHeader {
        deck_name: name,
        remaining: DueCounts {
            new: 11,
            learning: 2,
            learning_now: 2,
            review: 4,
        },
        progress: (6, 23),
    }
}

/// The grade hints as the study screen shows them.
fn answer_hints() -> Vec<Hint> {
    let intervals = ["1m", "6m", "10m", "8d"];
    keys::hints(KeyContext::Answer, |r: Rating| {
        Some(intervals[usize::from(r.as_u8()) - 1].to_owned())
    })
}

fn question_hints() -> Vec<Hint> {
    keys::hints(KeyContext::Question, |_| None)
}

/// Draws with a terminal of the given size and returns what it shows.
fn draw(width: u16, height: u16, render: impl FnOnce(Rect, &mut Buffer)) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            let area = frame.area();
            render(area, frame.buffer_mut());
        })
        .unwrap();
    terminal.backend().clone()
}

fn home_rows() -> Vec<DeckRow> {
    vec![
        DeckRow {
            name: "AWS API Gateway".into(),
            description: "Integrations, endpoint types, stages, deployments and mapping templates"
                .into(),
            cards: 15,
            counts: DueCounts {
                new: 11,
                learning: 1,
                learning_now: 1,
                review: 3,
            },
            next: Some("next: 11:29".into()),
            depth: 0,
            children: Children::None,
        },
        DeckRow {
            name: "日本語 🇯🇵 basics".into(),
            description: "Wide characters and emoji".into(),
            cards: 2,
            counts: DueCounts::default(),
            next: Some("next review in 7 days".into()),
            depth: 0,
            children: Children::None,
        },
    ]
}

fn render_home(area: Rect, buf: &mut Buffer) {
    let rows = home_rows();
    let hints = keys::hints(KeyContext::Home, |_| None);
    let view = HomeView {
        rows: &rows,
        hints: &hints,
        message: None,
        sync: None,
        theme: THEME,
    };
    let mut selection = TableState::default().with_selected(Some(0));
    StatefulWidget::render(&view, area, buf, &mut selection);
}

fn render_card(
    area: Rect,
    buf: &mut Buffer,
    front: &str,
    back: Option<&str>,
    scroll: &mut ScrollState,
) {
    render_card_kept(area, buf, front, back, scroll, None);
}

fn render_card_kept(
    area: Rect,
    buf: &mut Buffer,
    front: &str,
    back: Option<&str>,
    scroll: &mut ScrollState,
    wrapped: Option<(&WrapCache, &CardKey)>,
) {
    let hints = if back.is_some() {
        answer_hints()
    } else {
        question_hints()
    };
    let view = CardView {
        header: header("AWS API Gateway"),
        front,
        back,
        typed: None,
        hints: &hints,
        message: None,
        images: None,
        theme: THEME,
        wrapped,
    };
    StatefulWidget::render(&view, area, buf, scroll);
}

fn longest_card() -> recall::deck::Card {
    bundled()
        .cards()
        .iter()
        .max_by_key(|c| c.front.len() + c.back.len())
        .unwrap()
        .clone()
}

fn render_question(area: Rect, buf: &mut Buffer) {
    let card = bundled().cards()[1].clone();
    render_card(area, buf, &card.front, None, &mut ScrollState::default());
}

fn render_answer(area: Rect, buf: &mut Buffer) {
    let card = longest_card();
    render_card(
        area,
        buf,
        &card.front,
        Some(&card.back),
        &mut ScrollState::default(),
    );
}

fn render_help(area: Rect, buf: &mut Buffer) {
    render_answer(area, buf);
    let entries = keys::help(KeyContext::Answer);
    HelpView {
        title: "Keys",
        entries: &entries,
        theme: THEME,
    }
    .render(area, buf);
}

fn render_countdown(area: Rect, buf: &mut Buffer) {
    let hints = keys::hints(KeyContext::Waiting, |_| None);
    WaitingView {
        header: SessionHeader {
            remaining: DueCounts {
                new: 0,
                learning: 2,
                learning_now: 2,
                review: 0,
            },
            progress: (21, 23),
            ..header("AWS API Gateway")
        },
        wait: TimeDelta::seconds(4 * 60 + 12),
        due_at: "09:54",
        hints: &hints,
        theme: THEME,
    }
    .render(area, buf);
}

/// The next learning card is hours away: no countdown, the session can end.
fn render_far_learning_card(area: Rect, buf: &mut Buffer) {
    let hints = keys::study_hints(KeyContext::Waiting, true, |_| None);
    WaitingView {
        header: SessionHeader {
            remaining: DueCounts {
                new: 0,
                learning: 1,
                learning_now: 0,
                review: 0,
            },
            progress: (29, 30),
            ..header("AWS API Gateway")
        },
        wait: TimeDelta::hours(2) + TimeDelta::minutes(40),
        due_at: "12:30",
        hints: &hints,
        theme: THEME,
    }
    .render(area, buf);
}

fn render_help_over_cjk(area: Rect, buf: &mut Buffer) {
    render_cjk(area, buf);
    let entries = keys::help(KeyContext::Answer);
    HelpView {
        title: "Keys",
        entries: &entries,
        theme: THEME,
    }
    .render(area, buf);
}

fn render_summary(area: Rect, buf: &mut Buffer) {
    let hints = keys::hints(KeyContext::Summary, |_| None);
    SummaryView {
        deck_name: "AWS API Gateway",
        summary: Summary {
            cards: 15,
            reviews: 23,
            again: 4,
            time: TimeDelta::seconds(6 * 60 + 12),
            next_due: Some(now() + TimeDelta::minutes(10)),
            over_limit: 0,
        },
        ended_early: false,
        now: now(),
        zone: FixedOffset::east_opt(3600).unwrap(),
        hints: &hints,
        theme: THEME,
    }
    .render(area, buf);
}

const CJK_FRONT: &str = "How do you say “good morning” in Japanese? 🌅";
const CJK_BACK: &str = "**おはようございます** (ohayō gozaimasu)\n- 丁寧な言い方です。日本では朝の挨拶として毎日使われます。\n  - casual: `おはよう` 👋\n- family: 👩‍👩‍👧 🇯🇵";

fn render_cjk(area: Rect, buf: &mut Buffer) {
    render_card(
        area,
        buf,
        CJK_FRONT,
        Some(CJK_BACK),
        &mut ScrollState::default(),
    );
}

#[test]
fn home() {
    insta::assert_snapshot!(draw(80, 16, render_home));
}

/// Decks imported from Anki as a tree: a level without a deck of its own,
/// an unfolded parent, a folded one; parents count what is under them.
fn render_home_tree(area: Rect, buf: &mut Buffer) {
    let row = |name: &str, depth, children, new, review| DeckRow {
        name: name.into(),
        description: String::new(),
        cards: new + review,
        counts: DueCounts {
            new,
            learning: 0,
            learning_now: 0,
            review,
        },
        next: None,
        depth,
        children,
    };
    let rows = vec![
        row("Geo", 0, Children::Shown, 5, 7),
        row("Capitals", 1, Children::Shown, 3, 4),
        row("Asia", 2, Children::None, 1, 2),
        row("Rivers", 1, Children::None, 2, 3),
        row("Lang", 0, Children::Collapsed, 10, 0),
    ];
    let hints = keys::hints(KeyContext::Home, |_| None);
    let view = HomeView {
        rows: &rows,
        hints: &hints,
        message: None,
        sync: None,
        theme: THEME,
    };
    let mut selection = TableState::default().with_selected(Some(1));
    StatefulWidget::render(&view, area, buf, &mut selection);
}

#[test]
fn home_tree() {
    insta::assert_snapshot!(draw(80, 16, render_home_tree));
}

#[test]
fn question() {
    insta::assert_snapshot!(draw(80, 16, render_question));
}

#[test]
fn answer_of_the_longest_card() {
    // 80×24: the longest answer does not fit, so it scrolls.
    insta::assert_snapshot!(draw(80, 24, render_answer));
}

#[test]
fn answer_scrolled_to_the_end() {
    let card = longest_card();
    let mut scroll = ScrollState::default();
    draw(80, 16, |area, buf| {
        render_card(area, buf, &card.front, Some(&card.back), &mut scroll)
    });
    assert!(scroll.can_scroll(), "the longest card overflows 80×16");
    scroll.to_bottom();
    insta::assert_snapshot!(draw(80, 16, |area, buf| render_card(
        area,
        buf,
        &card.front,
        Some(&card.back),
        &mut scroll
    )));
}

#[test]
fn help() {
    insta::assert_snapshot!(draw(80, 24, render_help));
}

#[test]
fn help_at_50x14_wraps_under_its_column_and_says_it_scrolls() {
    let backend = draw(50, 14, render_help);
    let shown = format!("{backend:?}");
    assert!(shown.contains("↓ more"), "{shown}");
    insta::assert_snapshot!(backend);
}

#[test]
fn help_scrolled_to_its_end_shows_the_last_entries() {
    let entries = keys::help(KeyContext::Answer);
    let mut scroll = ScrollState::default();
    let view = HelpView {
        title: "Keys",
        entries: &entries,
        theme: THEME,
    };
    draw(50, 14, |area, buf| {
        view.render_scrolled(area, buf, &mut scroll)
    });
    scroll.to_bottom();
    let backend = draw(50, 14, |area, buf| {
        view.render_scrolled(area, buf, &mut scroll)
    });
    let shown = format!("{backend:?}");
    assert!(
        shown.contains("Ctrl-C") && shown.contains("quit at once"),
        "{shown}"
    );
    assert!(!shown.contains("↓ more"), "{shown}");
}

#[test]
fn help_over_cjk_keeps_its_border() {
    let width_of = |symbol: &str| unicode_width::UnicodeWidthStr::width(symbol);
    // Widths at which the popup's left border falls on the second half of
    // a wide character of the card below. The reviewer's help has the card
    // keys' long lines, so its popup fills screens narrower than 84 columns.
    let mut straddled = Vec::new();
    for width in 44..=120 {
        let below = draw(width, 20, render_cjk);
        let over = draw(width, 20, render_help_over_cjk);
        for y in 0..20 {
            let row: Vec<&str> = (0..width).map(|x| over.buffer()[(x, y)].symbol()).collect();
            let Some(left) = row.iter().position(|cell| *cell == "│") else {
                continue;
            };
            if left == 0 {
                continue;
            }
            if width_of(below.buffer()[(left as u16 - 1, y)].symbol()) > 1 {
                straddled.push(width);
            }
            assert!(
                width_of(row[left - 1]) <= 1,
                "{width}: a wide cell {:?} hides the border on row {y}",
                row[left - 1]
            );
        }
    }
    assert!(
        !straddled.is_empty(),
        "some width puts the border on a wide character"
    );
    insta::assert_snapshot!(draw(straddled[0], 20, render_help_over_cjk));
}

#[test]
fn a_status_line_that_does_not_fit_wraps_and_keeps_its_cause() {
    let message = "Not saved: cannot write the review log /home/ana/.local/share/recall/log/laptop/reviews.csv: No space left on device (os error 28). Nothing was recorded; try again.";
    let hints = answer_hints();
    let view = CardView {
        header: header("AWS API Gateway"),
        front: "What are the three endpoint types?",
        back: Some("Edge-optimized, Regional, Private"),
        typed: None,
        hints: &hints,
        message: Some((message, THEME.bad())),
        images: None,
        theme: THEME,
        wrapped: None,
    };
    let backend = draw(60, 20, |area, buf| {
        StatefulWidget::render(&view, area, buf, &mut ScrollState::default())
    });
    let buffer = backend.buffer();
    let text: String = (0..buffer.area.height)
        .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .map(|(x, y)| buffer[(x, y)].symbol().to_owned())
        .collect();
    let shown = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in ["No space left on", "(os error 28)", "try again."] {
        assert!(shown.contains(words), "{words:?} cut off: {backend:?}");
    }
}

#[test]
fn the_ending_with_a_far_learning_card_offers_to_end_the_session() {
    let backend = draw(80, 16, render_far_learning_card);
    let shown = format!("{backend:?}");
    assert!(shown.contains("due at 12:30"), "{shown}");
    assert!(
        !shown.contains("2:40:00"),
        "no live countdown of hours: {shown}"
    );
    assert!(shown.contains("q quit"), "{shown}");
    insta::assert_snapshot!(backend);
}

#[test]
fn countdown() {
    insta::assert_snapshot!(draw(80, 16, render_countdown));
}

#[test]
fn summary() {
    insta::assert_snapshot!(draw(80, 16, render_summary));
}

#[test]
fn too_small() {
    insta::assert_snapshot!(draw(30, 6, render_question));
}

#[test]
fn card_with_cjk_and_emoji() {
    insta::assert_snapshot!(draw(44, 16, render_cjk));
}

#[test]
fn every_screen_at_every_size_from_1x1_to_120x40() {
    let screens: [(&str, Render); 9] = [
        ("home", render_home),
        ("question", render_question),
        ("answer", render_answer),
        ("help", render_help),
        ("countdown", render_countdown),
        ("summary", render_summary),
        ("cjk", render_cjk),
        ("far learning card", render_far_learning_card),
        ("help over cjk", render_help_over_cjk),
    ];
    for (name, render) in screens.into_iter().chain(quiz_screens::SCREENS) {
        for width in 1..=120 {
            for height in 1..=40 {
                let area = Rect::new(0, 0, width, height);
                let mut buf = Buffer::empty(area);
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    render(area, &mut buf)
                }));
                assert!(result.is_ok(), "{name} panicked at {width}×{height}");
            }
        }
    }
}

/// Defect 19 of issue 10: the card on screen is wrapped once per width, not
/// on every draw (a 10 MB card kept a core busy while idle), and what is
/// drawn from the kept lines is what a fresh wrap draws, scrolled or not.
#[test]
fn defect_19_a_card_is_wrapped_once_per_width_and_drawn_the_same() {
    let card = longest_card();
    let key: CardKey = "aws-api-gateway/long".parse().unwrap();
    let other: CardKey = "aws-api-gateway/other".parse().unwrap();
    let cache = WrapCache::default();
    let draw_both = |width: u16, back: Option<&str>, offset: usize, key: &CardKey| {
        // A first draw tells the scroll state how long the card is.
        let mut scrolled = ScrollState::default();
        draw(width, 20, |area, buf| {
            render_card(area, buf, &card.front, back, &mut scrolled);
        });
        scrolled.scroll_by(offset as isize);
        let fresh = draw(width, 20, |area, buf| {
            let mut scroll = scrolled;
            render_card(area, buf, &card.front, back, &mut scroll);
        });
        let kept = draw(width, 20, |area, buf| {
            let mut scroll = scrolled;
            render_card_kept(
                area,
                buf,
                &card.front,
                back,
                &mut scroll,
                Some((&cache, key)),
            );
        });
        assert_eq!(
            kept.buffer(),
            fresh.buffer(),
            "width {width}, offset {offset}"
        );
    };
    for _ in 0..3 {
        draw_both(80, None, 0, &key);
    }
    assert_eq!(cache.wraps(), 1, "the question, once");
    for offset in [0, 3, 1000] {
        draw_both(80, Some(&card.back), offset, &key);
    }
    assert_eq!(cache.wraps(), 2, "then the answer, once");
    draw_both(60, Some(&card.back), 2, &key);
    draw_both(60, Some(&card.back), 0, &key);
    assert_eq!(cache.wraps(), 4, "a new width wraps both again, once");
    draw_both(60, None, 0, &other);
    assert_eq!(cache.wraps(), 5, "another card is wrapped afresh");
}
