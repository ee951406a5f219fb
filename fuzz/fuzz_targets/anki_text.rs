//! Anki's "Notes in Plain Text" (CSV, TSV, `#separator:` and the other
//! header lines), from raw bytes: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall::import::{self, Format, ReadOptions};

fuzz_target!(|bytes: &[u8]| {
    for format in [Format::Csv, Format::Tsv] {
        let options = ReadOptions {
            format,
            deck_id: None,
            name: None,
        };
        let _ = import::read(bytes, "fuzz", "fuzz", &options);
    }
});
