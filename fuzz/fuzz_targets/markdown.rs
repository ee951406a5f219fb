//! The Markdown importer (`# Deck`, `## question`), from raw bytes: never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall::import::{self, Format, ReadOptions};

fuzz_target!(|bytes: &[u8]| {
    let options = ReadOptions {
        format: Format::Markdown,
        deck_id: None,
        name: None,
    };
    let _ = import::read(bytes, "fuzz", "fuzz", &options);
});
