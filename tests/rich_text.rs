//! Rich card text on the study screen: snapshots at 100×30 and 40×10, with
//! and without colour, of a card with every construct, a long highlighted
//! code block (3,000 lines) scrolled, a wide table on a narrow screen and
//! CJK in a table cell; the long block highlighted as the TUI does it
//! (first screens at once, the rest in the background); and every bundled
//! card drawn without raw Markdown left as text.
//!
//! Snapshots with colour list, under the screen, each line's styled spans
//! (`row col..col style`), so a change of colour shows in the diff.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::fmt::Write;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::StatefulWidget;
use recall::app::keys::{self, KeyContext};
use recall::deck::CardKey;
use recall::deck::catalog::{BUNDLED, parse_text};
use recall::study::queue::DueCounts;
use recall::ui::Theme;
use recall::ui::chrome::ScrollState;
use recall::ui::highlight;
use recall::ui::study::{CardView, SessionHeader, WrapCache};
use recall::ui::text::card_lines;

const EVERY_CONSTRUCT: &str = r#"# Heading one
## Heading two
**Lambda**

A paragraph with *emphasis*, **strong**, ~~struck~~ and `code`,
then a [link](https://example.org/docs) and a line end.

- a bullet that is long enough to wrap onto a second line, hanging under its text
  - nested once
    - nested twice
1. first
2. second

> a quote
> on two lines

```rust
// a comment
fn main() { let answer = 42; println!("{answer}"); }
```

    indented code

| Method | Path | Meaning |
|:-------|:----:|--------:|
| GET | /items | list them |
| POST | /items | make one |

***
[image: diagram.png] [sound: hello.mp3]"#;

const WIDE_TABLE: &str = "| Stage | Throttle | Burst | Caching | Logging |\n\
|---|---|---|---|---|\n\
| prod | 10000 requests per second | 5000 | enabled, 0.5 GB | full request and response |\n\
| dev | 100 | 50 | disabled | errors only |";

const CJK_TABLE: &str =
    "| 言葉 | 意味 |\n|---|---|\n| 日本語のテキスト | Japanese text that wraps |\n| 🐈‍⬛ | cat |";

fn draw(width: u16, height: u16, back: &str, theme: Theme, scroll: &mut ScrollState) -> Buffer {
    draw_kept(width, height, back, theme, scroll, None)
}

/// [`draw`], with the card wrapped once and kept in `wrapped` as the TUI
/// does.
fn draw_kept(
    width: u16,
    height: u16,
    back: &str,
    theme: Theme,
    scroll: &mut ScrollState,
    wrapped: Option<(&WrapCache, &CardKey)>,
) -> Buffer {
    let hints = keys::hints(KeyContext::Answer, |_| None);
    let view = CardView {
        header: SessionHeader {
            deck_name: "Rich text",
            remaining: DueCounts {
                new: 1,
                learning: 0,
                learning_now: 0,
                review: 0,
            },
            progress: (0, 1),
        },
        front: "What does it show?",
        back: Some(back),
        hints: &hints,
        message: None,
        typed: None,
        images: None,
        theme,
        wrapped,
    };
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            let area = frame.area();
            StatefulWidget::render(&view, area, frame.buffer_mut(), scroll);
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The screen's text, then (with colour) its styled spans.
fn show(buffer: &Buffer, styles: bool) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        writeln!(out, "{}", line.trim_end()).unwrap();
    }
    if styles {
        out.push_str("--- styles\n");
        for y in 0..area.height {
            let mut x = 0;
            while x < area.width {
                let style = cell_style(buffer, x, y);
                let start = x;
                while x < area.width && cell_style(buffer, x, y) == style {
                    x += 1;
                }
                let described = describe(style);
                let blank = (start..x).all(|x| buffer[(x, y)].symbol().trim().is_empty());
                if !described.is_empty() && !blank {
                    writeln!(out, "{y:>2} {start}..{x} {described}").unwrap();
                }
            }
        }
    }
    out
}

fn cell_style(buffer: &Buffer, x: u16, y: u16) -> Style {
    let cell = &buffer[(x, y)];
    Style::new()
        .fg(cell.fg)
        .bg(cell.bg)
        .add_modifier(cell.modifier)
}

fn describe(style: Style) -> String {
    let mut parts = Vec::new();
    if let Some(fg) = style.fg.filter(|c| *c != ratatui::style::Color::Reset) {
        parts.push(format!("{fg:?}"));
    }
    let modifier = style.add_modifier;
    for (flag, name) in [
        (Modifier::BOLD, "bold"),
        (Modifier::DIM, "dim"),
        (Modifier::ITALIC, "italic"),
        (Modifier::UNDERLINED, "underlined"),
        (Modifier::CROSSED_OUT, "crossed"),
        (Modifier::REVERSED, "reversed"),
    ] {
        if modifier.contains(flag) {
            parts.push(name.to_owned());
        }
    }
    parts.join(" ")
}

fn snapshot(name: &str, width: u16, height: u16, back: &str, scroll_to: usize) {
    for (theme, label) in [
        (Theme::colored(), "colour"),
        (Theme::monochrome(), "no_colour"),
    ] {
        let mut scroll = ScrollState::default();
        // Draw once to learn the sizes, then scroll and draw again.
        draw(width, height, back, theme, &mut scroll);
        scroll.scroll_by(scroll_to as isize);
        let buffer = draw(width, height, back, theme, &mut scroll);
        insta::assert_snapshot!(
            format!("{name}_{width}x{height}_{label}"),
            show(&buffer, theme == Theme::colored())
        );
    }
}

#[test]
fn every_construct() {
    snapshot("every_construct", 100, 30, EVERY_CONSTRUCT, 0);
    snapshot("every_construct", 40, 10, EVERY_CONSTRUCT, 0);
    snapshot("every_construct_scrolled", 40, 10, EVERY_CONSTRUCT, 24);
}

fn long_code_block() -> String {
    let mut text = String::from("```python\n");
    for i in 0..1500 {
        writeln!(
            text,
            "def f{i}(x):  # line {i}, a comment long enough to be cut on a narrow screen\n    return x * {i}"
        )
        .unwrap();
    }
    text.push_str("```");
    text
}

#[test]
fn a_long_code_block_scrolled() {
    let code = long_code_block();
    snapshot("long_code_block", 100, 30, &code, 1500);
    snapshot("long_code_block", 40, 10, &code, 1500);
}

/// Whether any cell of rows `rows` has a colour.
fn coloured(buffer: &Buffer, rows: std::ops::Range<u16>) -> bool {
    rows.flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .any(|(x, y)| !matches!(buffer[(x, y)].fg, ratatui::style::Color::Reset))
}

/// The code rows of the 100×30 study screen (between the header and the
/// hints).
const CODE_ROWS: std::ops::Range<u16> = 5..26;

/// As in the TUI: a long block shows its first screens in colour on the
/// first frame, the rest plain until the background thread has done it,
/// and then in colour (the kept wrap is laid out again); without colour
/// nothing is highlighted at all.
#[test]
fn a_long_block_in_the_tui_is_coloured_first_where_it_shows() {
    std::thread::spawn(|| {
        highlight::highlight_in_background();
        // A block no other test draws, so that none has highlighted it.
        let code = long_code_block().replacen("```python\n", "```python\n# the TUI's way\n", 1);
        let key: CardKey = "rich/long".parse().unwrap();
        let cache = WrapCache::default();
        let kept = Some((&cache, &key));
        let mut scroll = ScrollState::default();
        let first = draw_kept(100, 30, &code, Theme::colored(), &mut scroll, kept);
        assert!(
            coloured(&first, CODE_ROWS),
            "the first screen is highlighted at once"
        );
        assert_eq!(cache.wraps(), 2, "the question and the answer");

        // Far down, before and after the background thread is done.
        scroll.scroll_by(2500);
        let progress = highlight::progress();
        let early = draw_kept(100, 30, &code, Theme::colored(), &mut scroll, kept);
        if highlight::progress() == progress {
            // Nothing was published meanwhile: those lines are plain.
            assert!(!coloured(&early, CODE_ROWS), "not highlighted yet: plain");
        }
        highlight::wait_until_idle();
        let done = draw_kept(100, 30, &code, Theme::colored(), &mut scroll, kept);
        assert!(coloured(&done, CODE_ROWS), "highlighted by now");
        let fresh = draw(100, 30, &code, Theme::colored(), &mut scroll);
        assert_eq!(done, fresh, "the kept wrap is the card laid out afresh");

        // NO_COLOR: nothing highlighted, nothing left to do.
        let other = code.replacen("# the TUI's way", "# without colour", 1);
        let mut scroll = ScrollState::default();
        let plain = draw(100, 30, &other, Theme::monochrome(), &mut scroll);
        assert!(!coloured(&plain, 0..30));
    })
    .join()
    .unwrap();
}

#[test]
fn a_wide_table_on_a_narrow_screen() {
    snapshot("wide_table", 40, 10, WIDE_TABLE, 0);
    snapshot("wide_table", 100, 30, WIDE_TABLE, 0);
}

#[test]
fn cjk_in_a_table_cell() {
    snapshot("cjk_table", 40, 10, CJK_TABLE, 0);
}

#[test]
fn code_lines_are_cut_with_a_marker_not_lost() {
    let lines = card_lines("```\nabcdefghij\n```", 6, &Theme::monochrome());
    let texts: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    assert_eq!(texts, ["│ abcd", "↪ efgh", "↪ ij"]);
}

#[test]
fn tables_fit_the_width_at_any_size() {
    // From 2: a wide character alone is two columns wide.
    // EVERY_CONSTRUCT from 10: a list nested twice needs its markers.
    for width in 2..60u16 {
        for text in [WIDE_TABLE, CJK_TABLE, EVERY_CONSTRUCT] {
            if text == EVERY_CONSTRUCT && width < 10 {
                continue;
            }
            for line in card_lines(text, width, &Theme::colored()) {
                assert!(line.width() <= usize::from(width), "{width}: {line}");
            }
        }
    }
}

/// Every card of every bundled deck, drawn: no Markdown marker is left
/// as text.
#[test]
fn the_bundled_decks_render_without_raw_markers() {
    let mut cards = 0;
    for bundled in BUNDLED {
        let deck = parse_text(bundled.text, "bundled", "bundled").unwrap();
        for card in deck.cards() {
            cards += 1;
            for text in [&card.front, &card.back] {
                for line in card_lines(text, 80, &Theme::colored()) {
                    let shown = line.to_string();
                    assert!(!shown.contains("**"), "{shown:?} in {}", card.id);
                    assert!(!shown.contains('`'), "{shown:?} in {}", card.id);
                    assert!(
                        !shown.trim_start().starts_with("- "),
                        "{shown:?} in {}",
                        card.id
                    );
                    assert!(
                        !shown.trim_start().starts_with("# "),
                        "{shown:?} in {}",
                        card.id
                    );
                }
            }
        }
    }
    assert!(cards > 0);
}
