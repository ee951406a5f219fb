//! Export then import gives back the same deck, in every format: ids, name,
//! description, fronts, backs and tags, whatever the text holds.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use proptest::prelude::*;
use recall::cli::ExportFormat;
use recall::commands::export::render;
use recall::deck::{CardId, Deck, DeckId, Note, TypeAnswer, reserved_suffix};
use recall::import::{Format, ReadOptions, read};

const FORMATS: [(ExportFormat, Format, &str); 4] = [
    (ExportFormat::Toml, Format::Toml, "toml"),
    (ExportFormat::Csv, Format::Csv, "csv"),
    (ExportFormat::Tsv, Format::Tsv, "txt"),
    (ExportFormat::Md, Format::Markdown, "md"),
];

/// Exports `deck`, imports the result (under another file name, so nothing
/// comes from the name), and returns what came back.
fn round_trip(deck: &Deck, export: ExportFormat, import: Format) -> Deck {
    let text = render(deck, export);
    let options = ReadOptions {
        format: import,
        deck_id: None,
        name: None,
    };
    let mut imported = read(text.as_bytes(), "exported", "unrelated-file-name", &options)
        .unwrap_or_else(|error| panic!("{error}\n{text}"));
    assert!(
        imported.skipped.is_empty(),
        "{:?}\n{text}",
        imported.skipped
    );
    assert!(
        imported.remarks.is_empty(),
        "{:?}\n{text}",
        imported.remarks
    );
    assert_eq!(imported.decks.len(), 1, "{text}");
    imported.decks.remove(0)
}

fn id_strategy() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.-]{1,64}"
}

/// Card text as it is after loading: trimmed, LF line ends, any characters
/// including quotes, separators, markup and things that look like HTML;
/// but no NUL, which marks a file as binary (documented).
fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[^\r\0]{1,80}",
        "(- |\\*\\*|`|\"|,|;|\t|\\||<b>|&amp;|&|<!-- (id|answer|tags): x -->|## |# |\\\\|\\[sound:x\\]|\u{A0}|\n|  - |[a-z 日本🐈])+",
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
        // A deletion in a code fence's info string (a line "```  - {{c1::a}}")
        // is shown by no renderer, recall's and Anki's alike: not a card.
        .prop_filter("no deletion in a fence's info string", |text| {
            !text.lines().any(|line| {
                let line = line.trim_start();
                (line.starts_with("```") || line.starts_with("~~~")) && line.contains("{{c")
            })
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
        tags in prop::collection::vec("[^\\s\\x00]{1,12}", 0..4),
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
        Deck::new(DeckId::new(id).unwrap(), name.trim().to_owned(), description, notes).unwrap()
    }
}

/// The deck as recall reads back its own HTML export of it.
fn through_html(deck: &Deck) -> Deck {
    use recall::import::html::{from_markdown, to_markdown};
    let settle = |text: &str| recall::deck::normalize_text(&to_markdown(&from_markdown(text)));
    let mut notes = deck.notes().to_vec();
    for note in &mut notes {
        match &mut note.content {
            recall::deck::NoteContent::Basic { front, back, .. } => {
                *front = settle(front);
                *back = settle(back);
            }
            recall::deck::NoteContent::Cloze { text, extra } => {
                *text = settle(text);
                *extra = settle(extra);
            }
        }
    }
    Deck::new(
        deck.id.clone(),
        deck.name.clone(),
        settle(&deck.description),
        notes,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_deck_survives_every_format(deck in deck_strategy()) {
        for (export, import, name) in FORMATS {
            // CSV/TSV carry HTML, read back as a browser shows it (tabs and
            // runs of spaces collapse), so any text comes back as recall
            // reads its own HTML (`through_html`): the file carries the HTML
            // exactly. (That a second trip changes nothing holds for the
            // Markdown recall writes, tested in import::html, not for any
            // text: `*` against control characters and code spans.)
            if matches!(import, Format::Csv | Format::Tsv) {
                let settled = through_html(&deck);
                if settled.cards().iter().any(|c| c.front.is_empty() || c.back.is_empty()) {
                    // A text that shows nothing (`##`) has no HTML to carry.
                    continue;
                }
                prop_assert_eq!(&round_trip(&deck, export, import), &settled, "{}", name);
            } else {
                let back = round_trip(&deck, export, import);
                prop_assert_eq!(&back, &deck, "{}", name);
            }
        }
    }
}

#[test]
fn the_bundled_deck_survives_every_format() {
    let bundled = recall::deck::catalog::BUNDLED[0];
    let deck =
        recall::deck::catalog::parse_text(bundled.text, bundled.file, "aws-api-gateway").unwrap();
    for (export, import, name) in FORMATS {
        assert_eq!(round_trip(&deck, export, import), deck, "{name}");
    }
}

#[test]
fn a_deck_name_on_several_lines_becomes_one_line_in_text_formats() {
    let deck = Deck::new(
        DeckId::new("d").unwrap(),
        "Two\nlines",
        "",
        vec![Note::basic(CardId::new("c").unwrap(), "q", "a")],
    )
    .unwrap();
    for (export, import, name) in FORMATS {
        let expected = if name == "toml" {
            "Two\nlines"
        } else {
            "Two lines"
        };
        assert_eq!(round_trip(&deck, export, import).name, expected, "{name}");
    }
}
