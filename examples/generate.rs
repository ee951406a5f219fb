//! Writes generated data for measuring recall by hand (see
//! docs/PERFORMANCE.md):
//!
//! - `cargo run --release --example generate -- deck 100000 /tmp/generated.toml`
//! - `cargo run --release --example generate -- log 1000000 100000 /tmp/reviews.csv`
//!   (a review log over the cards of that deck)

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize| -> anyhow::Result<usize> {
        let text = args.get(i).map(String::as_str).unwrap_or_default();
        text.parse()
            .map_err(|_| anyhow::anyhow!("expected a number, got {text:?}"))
    };
    let path = |i: usize| -> anyhow::Result<&String> {
        args.get(i)
            .ok_or_else(|| anyhow::anyhow!("missing the output path"))
    };
    match args.first().map(String::as_str) {
        Some("deck") => {
            let cards = number(1)?;
            std::fs::write(path(2)?, generate::deck_toml(cards))?;
            println!("wrote a deck of {cards} cards to {}", path(2)?);
        }
        Some("log") => {
            let (reviews, cards) = (number(1)?, number(2)?);
            std::fs::write(path(3)?, generate::review_log(reviews, cards))?;
            println!("wrote {reviews} reviews over {cards} cards to {}", path(3)?);
        }
        _ => anyhow::bail!("usage: generate deck CARDS FILE | generate log REVIEWS CARDS FILE"),
    }
    Ok(())
}
