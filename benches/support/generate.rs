//! Generated data for benchmarks: large decks in the TOML format.

use std::fmt::Write;

/// A deck of `cards` cards, about 150 bytes of TOML each (so 100,000 cards
/// make about 15 MB), with ids, multi-line Markdown backs and tags.
pub fn deck_toml(cards: usize) -> String {
    let mut text = String::with_capacity(cards * 160);
    text.push_str("[deck]\nid = \"generated\"\nname = \"Generated\"\n");
    for i in 0..cards {
        let _ = write!(
            text,
            "\n[[cards]]\nid = \"card-{i:06}\"\nfront = \"What does service {i} do?\"\n\
             back = \"\"\"\n**Service {i}**\n- handles requests of kind {i}\n- see `api/{i}`\n\"\"\"\n\
             tags = [\"t{}\"]\n",
            i % 97
        );
    }
    text
}
