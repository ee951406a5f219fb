//! Writes a generated deck for measuring `recall check` by hand:
//! `cargo run --release --example generate_deck -- 100000 /tmp/generated.toml`

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let cards = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let path = args.next().unwrap_or_else(|| "generated.toml".into());
    std::fs::write(&path, generate::deck_toml(cards))?;
    println!("wrote {cards} cards to {path}");
    Ok(())
}
