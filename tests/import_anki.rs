//! Files made by Anki's own library (scripts/anki_export.py): its "Notes in
//! Plain Text" export imports with every front, back, tag and deck right, and
//! what recall exports, Anki imports and exports back to the same cards.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use recall::cli::ExportFormat;
use recall::commands::export::render;
use recall::deck::Deck;
use recall::deck::catalog::{BUNDLED, load_file, parse_text};
use recall::import::{Format, Imported, ReadOptions, read};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(path)
}

fn import(path: &str, format: Format) -> Imported {
    let path = fixture(path);
    let bytes = std::fs::read(&path).unwrap();
    let stem = path.file_stem().unwrap().to_str().unwrap();
    let options = ReadOptions {
        format,
        deck_id: None,
        name: None,
    };
    read(&bytes, &path.display().to_string(), stem, &options).unwrap()
}

/// (deck id, deck name, [(card id, front, back, tags)]) for comparing.
type Summary = Vec<(String, String, Vec<(String, String, String, Vec<String>)>)>;

fn summary(decks: &[Deck]) -> Summary {
    decks
        .iter()
        .map(|deck| {
            let cards = deck
                .cards()
                .iter()
                .map(|c| {
                    (
                        c.id.to_string(),
                        c.front.clone(),
                        c.back.clone(),
                        c.tags.clone(),
                    )
                })
                .collect();
            (deck.id.to_string(), deck.name.clone(), cards)
        })
        .collect()
}

fn card(id: &str, front: &str, back: &str, tags: &[&str]) -> (String, String, String, Vec<String>) {
    (
        id.into(),
        front.into(),
        back.into(),
        tags.iter().map(|t| (*t).to_owned()).collect(),
    )
}

#[test]
fn ankis_html_export_imports_every_deck_card_and_tag() {
    let imported = import("anki/notes-html.txt", Format::Csv);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert!(imported.remarks.is_empty(), "{:?}", imported.remarks);
    assert_eq!(imported.entries, 8);
    assert_eq!(imported.summary, "Anki text, tab-separated, HTML fields");
    let expected: Summary = vec![
        (
            "geography.capitals.europe".into(),
            "Geography::Capitals::Europe".into(),
            vec![
                card(
                    "LkS_3at_5de_7djw",
                    "What is the capital of **France**, \"the Hexagon\"?",
                    "**Paris**\non the Seine, pop. 2,1 million",
                    &["europe::fr", "geo"],
                ),
                card(
                    "a1_21b2_23c3_24d",
                    "Capital of Germany?",
                    "Berlin\n\nsince 1990 (again)",
                    &["geo"],
                ),
            ],
        ),
        (
            "geography.capitals.asia".into(),
            "Geography::Capitals::Asia".into(),
            vec![card(
                "Xq_60_7b_7c_7d_7e_5b_5d_5e",
                "日本の首都は？",
                "東京 (Tōkyō) 🗼",
                &["geo", "日本語"],
            )],
        ),
        (
            "programming".into(),
            "Programming".into(),
            vec![
                card(
                    "p0_2cq1_3br2_3as",
                    "What does `git add -p` do?",
                    "Stages changes hunk by hunk:\n- y: stage\n- n: skip\n  - q: quit",
                    &["cli", "git"],
                ),
                card(
                    "Tab_09guid_3f",
                    "HTML entities: <div> & \"quotes\"",
                    "They show as <div>, & and \"quotes\"  with two spaces",
                    &[],
                ),
                card(
                    "media_2b1234",
                    "A picture and a sound",
                    "Look: [image: diagram.png] and listen: [sound: pronunciation.mp3]",
                    &["media"],
                ),
            ],
        ),
        (
            "default".into(),
            "Default".into(),
            vec![card(
                "plain-guid",
                // Anki shows a raw line end in HTML as a space, and so do we.
                "Line one line two of the question",
                "Multi\nline\nanswer with, commas; semicolons and a tab",
                &["multi-line"],
            )],
        ),
        (
            "languages.francais".into(),
            "Languages::Français".into(),
            vec![card(
                "fr_25accent",
                "Comment dit-on « thank you » ?",
                "*Merci* — **beaucoup**",
                &["français"],
            )],
        ),
    ];
    assert_eq!(summary(&imported.decks), expected);
}

#[test]
fn ankis_plain_export_imports_as_plain_text_into_one_deck() {
    let imported = import("anki/notes-plain.txt", Format::Csv);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert_eq!(
        imported.summary,
        "Anki text, tab-separated, plain-text fields"
    );
    assert_eq!(imported.decks.len(), 1);
    let deck = &imported.decks[0];
    assert_eq!(
        (deck.id.as_str(), deck.name.as_str()),
        ("notes-plain", "notes-plain")
    );
    let cards: Vec<(&str, &str)> = deck
        .cards()
        .iter()
        .map(|c| (c.front.as_str(), c.back.as_str()))
        .collect();
    // Anki stripped the HTML itself; `<div>` here is text, not a tag.
    assert_eq!(
        cards,
        [
            (
                "What is the capital of France, \"the Hexagon\"?",
                "Paris on the Seine, pop. 2,1 million"
            ),
            ("Capital of Germany?", "Berlin   since 1990 (again)"),
            ("日本の首都は？", "東京 (Tōkyō) 🗼"),
            (
                "What does git add -p do?",
                "Stages changes hunk by hunk:y: stagen: skipq: quit"
            ),
            (
                "HTML entities: <div> & \"quotes\"",
                "They show as <div>, & and \"quotes\"  with two spaces"
            ),
            ("A picture and a sound", "Look:  and listen:"),
            (
                "Line one line two of the question",
                "Multi line answer with, commas; semicolons\tand a tab"
            ),
            ("Comment dit-on « thank you » ?", "Merci — beaucoup"),
        ]
    );
    assert!(deck.cards().iter().all(|c| c.tags.is_empty()));
    assert!(
        deck.cards()[0]
            .id
            .as_str()
            .starts_with("what-is-the-capital-of-france-")
    );
}

/// A text as recall reads back its own HTML export: what Anki must keep.
fn through_html(text: &str) -> String {
    use recall::import::html::{from_markdown, to_markdown};
    recall::deck::normalize_text(&to_markdown(&from_markdown(text)))
}

/// `recall export --format tsv` of `deck` is byte for byte the file that
/// was given to Anki, and Anki's export of it imports as `deck` again: same
/// name, fronts, backs (as recall reads its own export back: HTML keeps no
/// tab or run of spaces, see `through_html`), tags and card ids. Anki drops recall's own header
/// lines, so the deck id comes from the deck's name (`id_after_anki`) and
/// the description is lost; and Anki sorts tags.
fn assert_survives_anki(deck: &Deck, name: &str, id_after_anki: &str) {
    let exported = render(deck, ExportFormat::Tsv);
    let given = std::fs::read_to_string(fixture(&format!("roundtrip/{name}.recall.txt"))).unwrap();
    assert_eq!(
        exported, given,
        "the export changed: rerun scripts/anki_export.py roundtrip (see its doc)"
    );
    let imported = import(&format!("roundtrip/{name}.anki.txt"), Format::Csv);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert_eq!(imported.decks.len(), 1);
    let back = &imported.decks[0];
    assert_eq!(back.id.as_str(), id_after_anki);
    assert_eq!(back.description, "");
    let mut notes = deck.notes().to_vec();
    for note in &mut notes {
        note.tags.sort();
        match &mut note.content {
            recall::deck::NoteContent::Basic { front, back, .. } => {
                *front = through_html(front);
                *back = through_html(back);
            }
            recall::deck::NoteContent::Cloze { text, extra } => {
                *text = through_html(text);
                *extra = through_html(extra);
            }
        }
    }
    let expected = Deck::new(back.id.clone(), deck.name.clone(), "", notes).unwrap();
    assert_eq!(back, &expected);
}

#[test]
fn the_bundled_deck_survives_anki() {
    let bundled = BUNDLED[0];
    let deck = parse_text(bundled.text, bundled.file, "aws-api-gateway").unwrap();
    // The bundled deck is Markdown as recall writes it: it comes back exactly.
    for card in deck.cards() {
        assert_eq!(through_html(&card.front), card.front);
        assert_eq!(through_html(&card.back), card.back);
    }
    assert_survives_anki(&deck, "aws-api-gateway", "aws-api-gateway");
}

#[test]
fn tricky_text_survives_anki() {
    let deck = load_file(&fixture("roundtrip/tricky.toml")).unwrap();
    assert_eq!(deck.cards().len(), 6);
    assert_survives_anki(&deck, "tricky", "tricky.text");
}

#[test]
fn anki_card_types_become_recall_card_types() {
    // Made by Anki itself: scripts/anki_export.py card-types.
    let imported = import("anki/card-types.txt", Format::Csv);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert!(imported.remarks.is_empty(), "{:?}", imported.remarks);
    let deck = &imported.decks[0];
    assert_eq!(deck.notes().len(), 6);
    let keys: Vec<&str> = deck.cards().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        keys,
        [
            "rev-guid-1",
            "rev-guid-1.reverse",
            "opt-guid-1",
            "opt-guid-1.reverse",
            "opt-guid-2",
            "typ-guid-1",
            "clz-guid-1",
            "clz-guid-1.c2",
            "clz-guid-2.c3",
        ]
    );
    let card = |key: &str| deck.card(&key.parse().unwrap()).unwrap();
    assert_eq!(card("rev-guid-1.reverse").front, "the cat");
    assert!(card("typ-guid-1").type_answer.is_some());
    let c1 = card("clz-guid-1");
    assert_eq!(c1.answer, "capital, capitals");
    assert_eq!(
        recall::deck::strip_highlights(&c1.front),
        "The [...] of **France** is Paris; [...] too."
    );
    assert!(c1.back.ends_with("\n\nSince 987"));
    assert_eq!(card("clz-guid-1.c2").tags, ["geo"]);
    assert_eq!(card("clz-guid-2.c3").answer, "東京");
}

#[test]
fn every_card_type_survives_anki() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/decks/examples/card-types.toml"
    );
    let deck = load_file(std::path::Path::new(path)).unwrap();
    assert_survives_anki(&deck, "card-types", "card-types");
}

/// Notes with every formatting Anki's editor writes
/// (`notes-formatting.txt`) import as our Markdown, and that Markdown shows
/// without raw HTML.
#[test]
fn ankis_editor_formatting_imports_as_markdown() {
    let imported = import("anki/notes-formatting.txt", Format::Csv);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert_eq!(imported.decks.len(), 1);
    let backs: Vec<(&str, &str)> = imported.decks[0]
        .cards()
        .iter()
        .map(|c| (c.front.as_str(), c.back.as_str()))
        .collect();
    let expected = [
        ("Bold", "**bold** and **strong**"),
        ("Italic and underline", "*italic*, *em* and *underlined*"),
        ("Strike", "~~old~~ ~~older~~ ~~oldest~~"),
        ("Sub and superscript", "H₂O and x² and eiπ"),
        ("Lists", "- one\n- two\n  - two a\n\n1. first\n2. second"),
        (
            "Code",
            "Run `ls -la`:\n\n```\nfor f in *; do\n  echo \"$f\"\ndone\n```",
        ),
        (
            "Table",
            "| method | meaning |\n| --- | --- |\n| GET | read |\n| POST | create |",
        ),
        ("Ragged table", "both\na · b"),
        ("Link", "See [the manual](https://docs.ankiweb.net/)."),
        ("Media", "[image: paste-1.png]\n[sound: rec-1.mp3]"),
        (
            "MathJax",
            "Inline \\\\(x^2\\\\) and block \\\\[\\sqrt{2}\\\\]",
        ),
        ("Colours and spans", "red marked"),
        ("Lines", "one\n\ntwo  spaced"),
        ("Script and style", "ab"),
    ];
    assert_eq!(backs, expected);
    // MathJax shows as written.
    let mathjax = recall::markup::plain_text(expected[10].1);
    assert_eq!(mathjax, "Inline \\(x^2\\) and block \\[\\sqrt{2}\\]");
}
