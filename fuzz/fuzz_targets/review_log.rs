//! `reviews.csv`: never a panic, and every review the reader accepts writes
//! back to one line that reads back equal (the writer never writes what
//! the reader rejects).
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall::store::ReviewLog;

fuzz_target!(|bytes: &[u8]| {
    let log = ReviewLog::parse(bytes);
    for entry in log.entries() {
        let review = log.review(entry);
        let line = review.to_line();
        let again = ReviewLog::parse(line.as_bytes());
        assert_eq!(again.entries().len(), 1, "{line}");
        assert_eq!(again.review(&again.entries()[0]), review, "{line}");
    }
});
