//! Card text: parsing and laying out the longest card of a generated
//! 100,000-card deck, and a card with a 5,000-line Rust code block as the
//! TUI shows it: its first screen (the first lines highlighted at once, the
//! rest plain), the whole block highlighted in the background, a scroll
//! step on the study and quiz screens (from the kept layout), and the card
//! laid out again from the highlight cache (on a resize, or when the
//! background publishes lines).
//!
//! Every case that highlights in the background starts from an empty
//! highlight cache and waits for the background thread to stop before the
//! next, so no case runs while another's thread still works.

#[path = "support/generate.rs"]
mod generate;

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::StatefulWidget;
use recall::app::keys::{self, KeyContext};
use recall::deck::CardKey;
use recall::deck::catalog::parse_text;
use recall::study::queue::DueCounts;
use recall::ui::Theme;
use recall::ui::chrome::ScrollState;
use recall::ui::highlight::{self, highlight_uncached};
use recall::ui::quiz::{QuestionView, QuizBody, QuizHeader};
use recall::ui::study::{CardView, SessionHeader, WrapCache};
use recall::ui::text::{card_lines, lay_out};

fn code_block(lines: usize) -> String {
    let mut code = String::with_capacity(lines * 60);
    for i in 0..lines {
        let _ = writeln!(code, "fn f{i}(x: u64) -> u64 {{ x * {i} }} // line {i}");
    }
    code
}

/// The card with the 5,000-line block; `n` makes its text unique, so no
/// cache (parse, highlight, layout) knows it.
fn block_card(code: &str, n: u64) -> String {
    format!("Card {n}\n\n```rust\n{code}```")
}

fn longest_card(c: &mut Criterion) {
    let deck = parse_text(&generate::deck_toml(100_000), "generated", "generated")
        .expect("the generated deck is valid");
    let card = deck
        .cards()
        .iter()
        .max_by_key(|card| card.back.len())
        .expect("cards");
    // A different text each time, so the parse cache never answers.
    let mut n = 0u64;
    c.bench_function(
        "parse and lay out the longest of 100k cards, 100 columns",
        |b| {
            b.iter(|| {
                n += 1;
                let text = format!("{}\n{n}", card.back);
                black_box(card_lines(&text, 100, &Theme::colored()))
            })
        },
    );
}

/// Lays out `card` as the TUI's first frame does (its first lines
/// highlighted, a background thread started for the rest).
fn first_frame(card: &str) -> usize {
    lay_out(card, 98, &Theme::colored(), Theme::colored().text())
        .lines
        .len()
}

/// Runs `f` `iters` times, each from an empty highlight cache with no
/// background thread left, timing only `f`.
fn timed(iters: u64, n: &mut u64, mut f: impl FnMut(u64)) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        *n += 1;
        let start = Instant::now();
        f(*n);
        total += start.elapsed();
        highlight::forget_all();
        highlight::wait_until_idle();
    }
    total
}

fn highlighted_block(c: &mut Criterion) {
    let code = code_block(5000);
    highlight::highlight_in_background();
    // Once, cold: the first code block of the process loads the bundled
    // syntaxes and compiles the regexes Rust's syntax uses.
    let start = Instant::now();
    let lines = first_frame(&block_card(&code, 0));
    eprintln!(
        "first frame of the 5,000-line card, cold (first block of the process): {:.1} ms ({lines} lines)",
        start.elapsed().as_secs_f64() * 1000.0
    );
    highlight::wait_until_idle();
    highlight::forget_all();

    let mut n = 0u64;
    c.bench_function(
        "5,000-line block: first frame (first lines highlighted)",
        |b| {
            b.iter_custom(|iters| {
                timed(iters, &mut n, |n| {
                    black_box(first_frame(&block_card(&code, n)));
                })
            })
        },
    );

    let mut slow = c.benchmark_group("highlight");
    slow.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(8));
    slow.bench_function(
        "5,000-line block: all highlighted in the background (to done)",
        |b| {
            b.iter_custom(|iters| {
                timed(iters, &mut n, |n| {
                    black_box(first_frame(&block_card(&code, n)));
                    highlight::wait_until_idle();
                })
            })
        },
    );
    slow.bench_function(
        "5,000-line block: all highlighted at once (one thread)",
        |b| b.iter(|| black_box(highlight_uncached("rust", &code))),
    );
    slow.finish();

    // From here on the block's highlight is complete and cached.
    let card = block_card(&code, 0);
    first_frame(&card);
    highlight::wait_until_idle();
    c.bench_function(
        "5,000-line card laid out again from the highlight cache",
        |b| b.iter(|| black_box(first_frame(&card))),
    );
    scroll_steps(c, &card);
}

/// One scroll step on the study and the quiz screens, 100×30, the card's
/// layout kept from the frame before.
fn scroll_steps(c: &mut Criterion, card: &str) {
    let area = Rect::new(0, 0, 100, 30);
    let mut buffer = Buffer::empty(area);
    let hints = keys::hints(KeyContext::Answer, |_| None);
    let key: CardKey = "bench/long".parse().expect("a key");
    let cache = WrapCache::default();
    let study = CardView {
        header: SessionHeader {
            deck_name: "Bench",
            remaining: DueCounts {
                new: 1,
                learning: 0,
                learning_now: 0,
                review: 0,
            },
            progress: (0, 1),
        },
        front: "What does it do?",
        back: Some(card),
        typed: None,
        hints: &hints,
        message: None,
        images: None,
        theme: Theme::colored(),
        wrapped: Some((&cache, &key)),
    };
    let mut scroll = ScrollState::default();
    let mut step = |view: &dyn Fn(&mut Buffer, &mut ScrollState), scroll: &mut ScrollState| {
        if scroll.offset >= scroll.max_offset() && scroll.content > 0 {
            scroll.to_top();
        } else {
            scroll.scroll_by(1);
        }
        buffer.reset();
        view(&mut buffer, scroll);
    };
    let draw_study = |buffer: &mut Buffer, scroll: &mut ScrollState| {
        StatefulWidget::render(&study, area, buffer, scroll);
    };
    step(&draw_study, &mut scroll);
    c.bench_function("5,000-line card: a scroll step, study screen", |b| {
        b.iter(|| step(&draw_study, &mut scroll))
    });
    let quiz = QuestionView {
        header: QuizHeader {
            title: "Bench",
            position: (1, 10),
            tally: (0, 0),
            elapsed: chrono::TimeDelta::zero(),
        },
        front: "What does it do?",
        body: QuizBody::SelfCheck { back: Some(card) },
        focus: None,
        message: None,
        hints: &hints,
        theme: Theme::colored(),
    };
    let draw_quiz = |buffer: &mut Buffer, scroll: &mut ScrollState| {
        StatefulWidget::render(&quiz, area, buffer, scroll);
    };
    let mut scroll = ScrollState::default();
    step(&draw_quiz, &mut scroll);
    c.bench_function("5,000-line card: a scroll step, quiz screen", |b| {
        b.iter(|| step(&draw_quiz, &mut scroll))
    });
}

criterion_group!(benches, longest_card, highlighted_block);
criterion_main!(benches);
