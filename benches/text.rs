//! Card text: parsing and laying out the longest card of a generated
//! 100,000-card deck, and a 5,000-line highlighted code block, highlighted
//! once and then drawn (as on every scroll step, from the cache).

#[path = "support/generate.rs"]
mod generate;

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use recall::deck::catalog::parse_text;
use recall::ui::Theme;
use recall::ui::highlight::highlight_uncached;
use recall::ui::text::card_lines;

fn code_block(lines: usize) -> String {
    let mut code = String::with_capacity(lines * 60);
    for i in 0..lines {
        let _ = writeln!(code, "fn f{i}(x: u64) -> u64 {{ x * {i} }} // line {i}");
    }
    code
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

fn highlighted_block(c: &mut Criterion) {
    let code = code_block(5000);
    let mut slow = c.benchmark_group("highlight");
    slow.sample_size(10);
    slow.bench_function("highlight a 5,000-line rust block (once per card)", |b| {
        b.iter(|| black_box(highlight_uncached("rust", &code)))
    });
    slow.finish();
    let card = format!("```rust\n{code}```");
    // First draw highlights and caches; the benchmark is every later draw.
    card_lines(&card, 100, &Theme::colored());
    c.bench_function("draw the 5,000-line block again (a scroll step)", |b| {
        b.iter(|| black_box(card_lines(&card, 100, &Theme::colored())))
    });
}

criterion_group!(benches, longest_card, highlighted_block);
criterion_main!(benches);
