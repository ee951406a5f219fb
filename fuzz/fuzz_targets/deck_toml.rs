//! Our deck format (`docs/deck-format.md`): never a panic, whatever the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = recall::deck::toml_format::parse(text, "fuzz");
});
