//! `card_events.csv` (suspend, bury, forget, mark): never a panic, and every
//! event the reader accepts writes back to a line that reads back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall::store::card_events::{CardEvent, EventLog};

fuzz_target!(|bytes: &[u8]| {
    let log = EventLog::parse(bytes);
    for event in &log.events {
        let line = event.to_line();
        let line = line.strip_suffix('\n').unwrap_or(&line);
        let parsed = CardEvent::parse(line);
        assert_eq!(parsed.as_ref(), Ok(event), "{line}");
    }
});
