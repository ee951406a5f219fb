//! Writes generated data for measuring recall by hand (see
//! docs/PERFORMANCE.md):
//!
//! - `cargo run --release --example generate -- deck 100000 /tmp/generated.toml`
//! - `cargo run --release --example generate -- log 1000000 100000 /tmp/reviews.csv`
//!   (a review log over the cards of that deck)
//! - `cargo run --release --example generate -- learner 100000 300 400 /tmp/reviews.csv`
//!   (a simulated learner's log: cards, new cards a day, days; deck `sim`,
//!   cards `c0`...; see tests/support/learner.rs), for `recall optimize`

#[path = "../benches/support/generate.rs"]
mod generate;
#[path = "../tests/support/learner.rs"]
mod learner;

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
        Some("learner") => {
            let (cards, new_per_day, days) = (number(1)?, number(2)?, number(3)?);
            let reviews = learner::simulate(cards, new_per_day, days as i64, 1);
            std::fs::write(path(4)?, learner::log_text("sim", &reviews))?;
            println!(
                "wrote {} reviews of a simulated learner over {cards} cards to {}",
                reviews.len(),
                path(4)?
            );
        }
        _ => anyhow::bail!(
            "usage: generate deck CARDS FILE | generate log REVIEWS CARDS FILE | generate learner CARDS NEW_PER_DAY DAYS FILE"
        ),
    }
    Ok(())
}
