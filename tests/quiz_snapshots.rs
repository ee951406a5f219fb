//! The quiz screens in ratatui's `TestBackend`: insta snapshots of a
//! self-mode question and its answer, a typed-answer question before and
//! after its check, choice mode with long options (before
//! and after a pick, which scrolls to the right answer), the score screen,
//! the home dialog and the help; and checks that right and wrong show
//! without colour and that the options scroll.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/quiz_screens.rs"]
mod quiz_screens;

use quiz_screens::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use recall::ui::chrome::ScrollState;
use recall::ui::quiz::QuizBody;

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

fn text(backend: &TestBackend) -> String {
    let buffer = backend.buffer();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// The cell showing `symbol` first, reading row by row.
fn find(buffer: &Buffer, symbol: &str) -> (u16, u16) {
    (0..buffer.area.height)
        .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .find(|&pos| buffer[pos].symbol() == symbol)
        .unwrap_or_else(|| panic!("{symbol} is not on screen"))
}

#[test]
fn self_mode_question() {
    insta::assert_snapshot!(draw(80, 16, render_self_question));
}

#[test]
fn typed_question_and_its_check() {
    insta::assert_snapshot!(draw(80, 16, render_typed_question));
    insta::assert_snapshot!(draw(80, 16, render_typed_checked));
    insta::assert_snapshot!(draw(40, 10, render_typed_checked));
}

#[test]
fn self_mode_answer() {
    insta::assert_snapshot!(draw(80, 24, render_self_answer));
}

#[test]
fn choice_mode_with_long_options() {
    insta::assert_snapshot!(draw(80, 24, render_choice));
}

#[test]
fn choice_mode_after_a_wrong_pick() {
    insta::assert_snapshot!(draw(80, 24, render_choice_picked));
}

#[test]
fn score_screen() {
    insta::assert_snapshot!(draw(80, 24, render_score));
}

#[test]
fn score_screen_all_right_ended_early() {
    insta::assert_snapshot!(draw(80, 16, render_score_all_right_ended_early));
}

#[test]
fn home_dialog() {
    insta::assert_snapshot!(draw(80, 20, render_dialog));
}

#[test]
fn home_dialog_when_choice_mode_cannot_run() {
    insta::assert_snapshot!(draw(80, 20, render_dialog_without_choice));
}

#[test]
fn quiz_help() {
    insta::assert_snapshot!(draw(80, 24, render_quiz_help));
}

#[test]
fn right_and_wrong_show_without_colour() {
    let screen = draw(80, 30, render_choice_picked);
    let buffer = screen.buffer();
    let right = buffer[find(buffer, "✓")].modifier;
    assert!(
        right.contains(Modifier::REVERSED | Modifier::BOLD),
        "{right:?}"
    );
    let wrong = buffer[find(buffer, "✗")].modifier;
    assert!(wrong.contains(Modifier::BOLD), "{wrong:?}");
    for (x, y) in [find(buffer, "✓"), find(buffer, "✗")] {
        assert_eq!(buffer[(x, y)].fg, ratatui::style::Color::Reset, "no colour");
    }
    let shown = text(&screen);
    assert!(shown.contains("✓ 2 Edge optimized (default)"), "{shown}");
}

#[test]
fn long_options_scroll_and_a_pick_scrolls_to_the_right_answer() {
    let (front, options, _) = long_options();
    // The right answer is the last option, far below the first screen.
    let right = 3;
    let mut scroll = ScrollState::default();
    let body = |picked| QuizBody::Choice {
        options,
        right,
        picked,
    };
    let before = draw(80, 16, |area, buf| {
        render_question(area, buf, front, body(None), None, None, &mut scroll)
    });
    assert!(scroll.can_scroll(), "four long options overflow 80×16");
    assert!(text(&before).contains("lines 1–"), "the position shows");
    assert!(!text(&before).contains("  4 "), "option 4 is below");
    let after = draw(80, 16, |area, buf| {
        render_question(
            area,
            buf,
            front,
            body(Some(0)),
            Some(right),
            None,
            &mut scroll,
        )
    });
    assert!(scroll.offset > 0);
    assert!(text(&after).contains("✓ 4 "), "{}", text(&after));
    // Scrolling on works, down to the end.
    scroll.to_bottom();
    let end = scroll.offset;
    draw(80, 16, |area, buf| {
        render_question(area, buf, front, body(Some(0)), None, None, &mut scroll)
    });
    assert_eq!(scroll.offset, end);
    assert_eq!(scroll.offset, scroll.max_offset());
}

#[test]
fn the_score_screen_scrolls_the_missed_cards() {
    let mut scroll = ScrollState::default();
    draw(80, 16, |area, buf| {
        render_score_with(area, buf, &mut scroll)
    });
    assert!(scroll.can_scroll());
    scroll.to_bottom();
    let screen = draw(80, 16, |area, buf| {
        render_score_with(area, buf, &mut scroll)
    });
    let shown = text(&screen);
    assert!(shown.contains("Score   7/10 right (70%)"), "{shown}");
    assert!(shown.contains("Missed (3)"));
    // The last missed card's answer ends the list.
    assert!(
        shown.contains("Use a resource policy to define access"),
        "{shown}"
    );
}
