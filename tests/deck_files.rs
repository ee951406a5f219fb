//! The deck format on real files: the bundled deck, every invalid fixture
//! with its exact message, and writing then reading any deck.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use recall::deck::catalog::{BUNDLED, load_file, parse_text};
use recall::deck::{CardId, Deck, DeckId, Note, TypeAnswer, reserved_suffix, toml_format};

fn fixtures(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind)
}

fn bundled_deck() -> Deck {
    let bundled = BUNDLED[0];
    parse_text(bundled.text, bundled.file, "aws-api-gateway").expect("the bundled deck loads")
}

/// The source text: a title line, then each question (ending in `?`)
/// followed by its answer lines.
fn source_cards() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(fixtures("api-gateway-flashcards.txt")).unwrap();
    let mut cards: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        if line.trim_end().ends_with('?') {
            cards.push((line.trim().to_owned(), Vec::new()));
        } else {
            cards.last_mut().unwrap().1.push(line.trim().to_owned());
        }
    }
    cards
}

#[test]
fn bundled_deck_has_the_fifteen_source_questions_in_order() {
    let deck = bundled_deck();
    assert_eq!(deck.id.as_str(), "aws-api-gateway");
    assert_eq!(deck.name, "AWS API Gateway");
    let fronts: Vec<&str> = deck.cards().iter().map(|c| c.front.as_str()).collect();
    let questions: Vec<String> = source_cards().into_iter().map(|(q, _)| q).collect();
    assert_eq!(questions.len(), 15);
    assert_eq!(fronts, questions);
}

#[test]
fn bundled_deck_keeps_every_answer_line() {
    // The only edits allowed are typo fixes and Markdown markers.
    let typos = [
        ("expost", "expose"),
        ("int eh", "in the"),
        ("though the gateway", "through the gateway"),
        ("to a be able", "to be able"),
    ];
    let deck = bundled_deck();
    for ((question, answer_lines), card) in source_cards().iter().zip(deck.cards()) {
        let back = card.back.replace("**", "").replace('`', "");
        let back_lines: Vec<&str> = back.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            back_lines.len(),
            answer_lines.len(),
            "{question}: every source line and nothing else"
        );
        for (line, back_line) in answer_lines.iter().zip(back_lines) {
            let fixed = typos
                .iter()
                .fold(line.clone(), |l, (typo, fix)| l.replace(typo, fix));
            assert_eq!(back_line, fixed, "{question}");
        }
        assert!(!card.tags.is_empty(), "{question} has tags");
    }
}

#[test]
fn bundled_deck_is_the_file_in_decks() {
    let on_disk =
        load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/aws-api-gateway.toml"))
            .unwrap();
    assert_eq!(on_disk, bundled_deck());
}

#[test]
fn every_invalid_fixture_gives_its_exact_message() {
    let dir = fixtures("invalid");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        let expected_file = path.with_extension("expected");
        let expected = std::fs::read_to_string(&expected_file)
            .unwrap_or_else(|_| panic!("{} needs an .expected file", path.display()));
        let error = load_file(&path).expect_err(&path.display().to_string());
        // Messages name the file as given; the fixtures were recorded with
        // paths relative to the package root.
        let message = error
            .to_string()
            .replace(&format!("{}/", env!("CARGO_MANIFEST_DIR")), "");
        assert_eq!(message, expected.trim_end(), "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 14, "only {checked} invalid fixtures found");
}

#[test]
fn every_valid_fixture_loads() {
    let minimal = load_file(&fixtures("valid/minimal.toml")).unwrap();
    assert_eq!(
        minimal.id.as_str(),
        "minimal",
        "id defaults to the file name"
    );
    assert_eq!(minimal.name, "minimal", "name defaults to the id");
    assert!(
        minimal.cards()[0]
            .id
            .as_str()
            .starts_with("what-does-http-stand-for-")
    );

    let unicode = load_file(&fixtures("valid/unicode.toml")).unwrap();
    assert_eq!(unicode.cards().len(), 2);
    assert_eq!(unicode.cards()[0].tags, ["greetings", "日本語"]);
    assert!(
        unicode.cards()[0]
            .back
            .starts_with("**おはようございます**")
    );
}

#[test]
fn crlf_files_read_like_lf_files() {
    let lf = "[deck]\nname = \"n\"\n[[cards]]\nfront = \"q\"\nback = \"\"\"\n- a\n- b\n\"\"\"\n";
    let crlf = lf.replace('\n', "\r\n");
    assert_eq!(
        toml_format::parse(&crlf, "d").unwrap(),
        toml_format::parse(lf, "d").unwrap()
    );
}

fn id_strategy() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.-]{1,64}"
}

/// Card text as it is after loading: trimmed, LF line ends, any characters
/// including quotes, backslashes, `'''` and `"""`.
fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[^\r]{1,80}",
        "(- |\\*\\*|`|'''|\"\"\"|\\\\|\n|  - |[a-z 日本🐈])+",
    ]
    .prop_map(|s| s.trim().to_owned())
    .prop_filter("text is non-empty", |s| !s.is_empty())
}

/// Cloze text: text around deletions (numbers 1 to 3, answers and hints
/// without the syntax's own `::` and `}}`).
fn cloze_strategy() -> impl Strategy<Value = String> {
    let deletion = (
        1u32..4,
        "[a-z日 ]{0,5}[a-z日]",
        proptest::option::of("[a-z]{1,4}"),
    )
        .prop_map(|(n, answer, hint)| match hint {
            Some(hint) => format!("{{{{c{n}::{answer}::{hint}}}}}"),
            None => format!("{{{{c{n}::{answer}}}}}"),
        });
    (
        text_strategy(),
        deletion,
        prop::collection::vec((deletion_text(), 1u32..4), 0..3),
    )
        .prop_map(|(before, first, more)| {
            let mut text = format!("{before} {first}");
            for (between, n) in more {
                text.push_str(&format!(" {between} {{{{c{n}::x}}}}"));
            }
            text
        })
}

/// Text between deletions: no braces, so no deletion is made by accident.
fn deletion_text() -> impl Strategy<Value = String> {
    "[a-z 日,;\t|]{1,10}"
}

prop_compose! {
    fn card_strategy()(
        id in id_strategy()
            .prop_filter("not a sibling's key", |id| reserved_suffix(id).is_none() && id.len() <= 56),
        front in text_strategy(),
        back in text_strategy(),
        cloze in cloze_strategy(),
        extra in prop_oneof![Just(String::new()), text_strategy()],
        kind in 0..4u8,
        tags in prop::collection::vec("[^\\s]{1,12}", 0..4),
    ) -> Note {
        // Importers drop repeated tags, as Anki does.
        let mut unique: Vec<String> = Vec::new();
        for tag in tags {
            if !unique.contains(&tag) {
                unique.push(tag);
            }
        }
        let id = CardId::new(id).unwrap();
        let note = match kind {
            0 => Note::basic(id, front, back),
            1 => Note::basic(id, front, back).reversed(true),
            2 => Note::basic(id, front, back).typed(Some(TypeAnswer::default())),
            _ => Note::cloze(id, cloze.trim(), extra),
        };
        note.with_tags(unique)
    }
}

prop_compose! {
    fn deck_strategy()(
        id in id_strategy(),
        // A deck name is one line in Anki text and Markdown (documented).
        name in text_strategy().prop_map(|s| s.replace('\n', " ")),
        description in prop_oneof![Just(String::new()), text_strategy()],
        notes in prop::collection::vec(card_strategy(), 1..6),
    ) -> Deck {
        let mut seen = std::collections::HashSet::new();
        let notes = notes.into_iter().filter(|c| seen.insert(c.id.clone())).collect();
        Deck::new(DeckId::new(id).unwrap(), name, description, notes).unwrap()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_deck_written_as_toml_parses_back_equal(deck in deck_strategy()) {
        let text = toml_format::write(&deck);
        let parsed = toml_format::parse(&text, "unused-default");
        prop_assert_eq!(parsed.as_ref(), Ok(&deck), "{}", text);
    }
}
