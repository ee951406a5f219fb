//! Every parser of user files, and the search query, fed random and
//! half-valid input as bounded proptest cases: none may panic, and what
//! they accept must be usable (a log line that reads back writes the same
//! review or event). Longer runs: the `cargo fuzz` targets in `fuzz/`,
//! described in docs/testing.md.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use proptest::prelude::*;
use recall::deck::toml_format;
use recall::import::{self, Format, ReadOptions};
use recall::store::ReviewLog;
use recall::store::card_events::{CardEvent, EventLog};
use recall::store::config;
use recall::store::log::HEADER;
use recall::store::quiz_log::QuizHistory;

/// Text that is often almost valid: fragments of each format glued
/// together with random characters (control and non-ASCII included).
fn hostile_text() -> impl Strategy<Value = String> {
    let fragments = prop::sample::select(vec![
        "[deck]\n",
        "name = \"x\"\n",
        "[[cards]]\n",
        "front = \"q\"\n",
        "back = \"a\"\n",
        "id = \"c\"\n",
        "tags = [\"t\"]\n",
        "learning_steps = [\"10м\"]\n",
        "\"5分\"",
        "desired_retention = 0.9\n",
        "#separator:tab\n",
        "#html:true\n",
        "#deck column:3\n",
        "q\ta\n",
        "q,a,\"b\n",
        "# Title\n",
        "## Q\n",
        "---\n",
        "A\n",
        "\u{1b}[2J",
        "\u{9b}",
        "2026-11-25T09:30:12.345Z,d,c,3,5\n",
        "+10000-01-01T00:00:00.000Z,d,c,3,5\n",
        "2026-11-21T09:30:12.345345Z,d,c,1,100\n",
        "reviewed_at,deck,card,rating,duration_ms\n",
        ",,,,\n",
        "\r\n",
        "\u{feff}",
        "é",
        "\"\"\"\n",
        "'''",
        "=",
        "[",
        "]",
        "{",
        "}",
        "\0",
    ]);
    prop::collection::vec(
        prop_oneof![
            fragments.prop_map(str::to_owned),
            "\\PC{0,8}",
            "[\\x00-\\x7f]{0,6}"
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_deck_toml_parser_never_panics(text in hostile_text()) {
        let _ = toml_format::parse(&text, "fuzz");
    }

    #[test]
    fn the_config_parser_never_panics(text in hostile_text()) {
        let _ = config::parse(&text);
    }

    #[test]
    fn every_import_format_never_panics(text in hostile_text()) {
        for format in [Format::Toml, Format::Csv, Format::Tsv, Format::Markdown] {
            let options = ReadOptions { format, deck_id: None, name: None };
            let _ = import::read(text.as_bytes(), "fuzz", "fuzz", &options);
        }
    }

    #[test]
    fn random_bytes_never_panic_an_import(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        for format in [Format::Toml, Format::Csv, Format::Markdown] {
            let options = ReadOptions { format, deck_id: None, name: None };
            let _ = import::read(&bytes, "fuzz", "fuzz", &options);
        }
    }

    #[test]
    fn the_review_log_reader_never_panics_and_what_it_reads_writes_back(text in hostile_text()) {
        let log = ReviewLog::parse(text.as_bytes());
        for entry in log.entries() {
            let line = log.review(entry).to_line();
            let again = ReviewLog::parse(line.as_bytes());
            prop_assert_eq!(again.entries().len(), 1, "{}", line);
            prop_assert_eq!(again.review(&again.entries()[0]), log.review(entry));
        }
    }

    #[test]
    fn the_quiz_log_reader_never_panics(text in hostile_text()) {
        let _ = QuizHistory::parse(text.as_bytes());
    }

    #[test]
    fn the_card_events_reader_never_panics_and_what_it_reads_writes_back(text in events_text()) {
        let log = EventLog::parse(text.as_bytes());
        for event in &log.events {
            let line = event.to_line();
            let line = line.strip_suffix('\n').unwrap_or(&line);
            let parsed = CardEvent::parse(line);
            prop_assert_eq!(parsed.as_ref(), Ok(event), "{}", line);
        }
    }

    #[test]
    fn the_search_query_parser_never_panics(text in query_text()) {
        let _ = recall::search::parse(&text);
    }
}

/// Card-event lines, often whole, else broken in the ways `hostile_text` is.
fn events_text() -> impl Strategy<Value = String> {
    let line = (
        prop::sample::select(vec![
            "2026-11-25T09:30:12.345Z",
            "2026-11-25T09:30:12Z",
            "+10000-01-01T00:00:00.000Z",
            "9999-12-31T23:59:59.999Z",
            "2026-11-25T09:30:12.345+05:30",
            "2026-11-25T10:30:00.000888888Z",
            "",
        ]),
        "[a-z0-9-]{0,6}",
        "[a-zé0-9.-]{0,6}",
        prop::sample::select(vec![
            "suspend",
            "unsuspend",
            "bury",
            "unbury",
            "forget",
            "mark",
            "unmark",
            "x",
        ]),
    )
        .prop_map(|(at, deck, card, kind)| format!("{at},{deck},{card},{kind}\n"));
    prop::collection::vec(prop_oneof![3 => line, 1 => hostile_text()], 0..12)
        .prop_map(|parts| format!("at,deck,card,event\n{}", parts.concat()))
}

/// Search queries: the language's words and operators among random text.
fn query_text() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "deck:",
        "tag:",
        "is:due",
        "is:new",
        "is:suspended",
        "prop:ivl>",
        "prop:due<=",
        "rated:",
        "-",
        "(",
        ")",
        "OR",
        "or",
        "and",
        "\"",
        "*",
        "_",
        "\\",
        ":",
        " ",
        "é",
        "10м",
        "\u{1b}",
        "added:",
        "front:",
        "back:",
        "re:",
        "dupe:",
        "nc:",
        "w:",
    ]);
    prop::collection::vec(
        prop_oneof![words.prop_map(str::to_owned), "\\PC{0,6}"],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

/// Found by `cargo fuzz` (review_log and card_events): a time with more
/// than three decimals was kept to the nanosecond, and written back to the
/// millisecond, so the line written did not read back equal.
#[test]
fn a_time_finer_than_a_millisecond_reads_as_its_millisecond() {
    let log = ReviewLog::parse(
        b"reviewed_at,deck,card,rating,duration_ms\n2026-11-21T09:30:12.345999Z,d,c,1,100\n",
    );
    let review = log.review(&log.entries()[0]);
    let line = review.to_line();
    assert_eq!(line, "2026-11-21T09:30:12.345Z,d,c,1,100\n");
    let again = ReviewLog::parse(format!("{HEADER}\n{line}").as_bytes());
    assert_eq!(again.review(&again.entries()[0]), review);

    let event = CardEvent::parse("2026-11-25T10:30:00.000888888+01:00,d,c,suspend").unwrap();
    let line = event.to_line();
    assert_eq!(line, "2026-11-25T09:30:00.000Z,d,c,suspend\n");
    assert_eq!(CardEvent::parse(line.trim_end()), Ok(event));
}
