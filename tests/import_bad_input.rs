//! One test per kind of bad input from issue 7: each gives a clear message
//! with its position, the good rows still import, nothing panics or hangs,
//! and a deck file is never left half written. Big inputs are generated in
//! a temp directory.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use proptest::prelude::*;
use recall::deck::catalog::load_file;
use recall::deck::toml_format;
use recall::import::{Format, ReadOptions, read};
use tempfile::TempDir;

struct Setup {
    data: TempDir,
    sources: TempDir,
}

impl Setup {
    fn new() -> Setup {
        Setup {
            data: TempDir::new().unwrap(),
            sources: TempDir::new().unwrap(),
        }
    }

    fn source(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.sources.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn import(&self, source: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
        Command::cargo_bin("recall")
            .unwrap()
            .env("RECALL_DATA_DIR", self.data.path())
            .env("RECALL_CONFIG", self.data.path().join("config.toml"))
            .arg("import")
            .arg(source)
            .args(args)
            .assert()
    }

    fn deck_file(&self, id: &str) -> PathBuf {
        self.data.path().join("decks").join(format!("{id}.toml"))
    }

    fn fronts(&self, id: &str) -> Vec<String> {
        let deck = load_file(&self.deck_file(id)).unwrap();
        deck.cards().iter().map(|card| card.front.clone()).collect()
    }

    /// The deck directory holds exactly these files (no temp files).
    fn assert_deck_dir(&self, expected: &[&str]) {
        let mut names: Vec<String> = match std::fs::read_dir(self.data.path().join("decks")) {
            Ok(entries) => entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        assert_eq!(names, expected);
    }
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

#[test]
fn an_unterminated_quote_skips_its_row_and_the_rest_imports() {
    let setup = Setup::new();
    let source = setup.source("quotes.csv", "q1,a1\nq2,\"a2 never closed\nq3,a3\nq4,a4\n");
    let assert = setup.import(&source, &[]).success();
    assert_eq!(setup.fronts("quotes"), ["q1", "q3", "q4"]);
    assert!(stdout_of(&assert).contains(&format!(
        "Skipped 1 row:\n{}:2:4: the quoted field that starts here is never closed\n  help: end the field with `\"`",
        source.display()
    )));
}

#[test]
fn a_stray_quote_that_swallows_later_lines_is_caught() {
    let setup = Setup::new();
    let source = setup.source("stray.csv", "\"q1,a1\nq2,a2\nq3,\"a3\"\n");
    let assert = setup.import(&source, &[]).success();
    assert_eq!(setup.fronts("stray"), ["q2", "q3"]);
    assert!(stdout_of(&assert).contains(":1:1: the quoted field that starts here ends at line 3, column 4, and text follows its closing quote"));
}

#[test]
fn rows_with_fewer_fields_are_skipped_for_their_missing_or_blank_back() {
    let setup = Setup::new();
    let source = setup.source("short.tsv", "q1\ta1\nonly a front\nq3\t   \nq4\ta4\n");
    let assert = setup.import(&source, &[]).success();
    assert_eq!(setup.fronts("short"), ["q1", "q4"]);
    let stdout = stdout_of(&assert);
    assert!(stdout.contains(":2:1: the row has only 1 field and no back (the separator is tab)\n  help: put the answer after a tab"), "{stdout}");
    assert!(
        stdout.contains(
            ":3:4: the back is empty\n  help: write the answer in the back field, or delete the row"
        ),
        "{stdout}"
    );
}

#[test]
fn extra_fields_are_dropped_and_noted_once() {
    let setup = Setup::new();
    let source = setup.source("wide.csv", "q1,a1,tag\nq2,a2,tag,x,y\nq3,a3,tag,z\n");
    let assert = setup.import(&source, &[]).success();
    assert_eq!(setup.fronts("wide"), ["q1", "q2", "q3"]);
    let stdout = stdout_of(&assert);
    assert_eq!(stdout.matches("note:").count(), 1, "{stdout}");
    assert!(stdout.contains(":2:1: note: 2 rows had more fields than the 3 read (5 here); the extra fields were dropped"), "{stdout}");
}

#[test]
fn empty_fronts_are_skipped() {
    let setup = Setup::new();
    let source = setup.source("fronts.csv", "q1,a1\n,a2\n\"  \",a3\n");
    let assert = setup.import(&source, &[]).success();
    assert_eq!(setup.fronts("fronts"), ["q1"]);
    let stdout = stdout_of(&assert);
    assert_eq!(stdout.matches("the front is empty").count(), 2, "{stdout}");
    // With HTML, a front that shows nothing is empty too.
    let html = setup.source("html.csv", "#html:true\nq1,a1\n<b></b>,a2\n");
    setup
        .import(&html, &[])
        .success()
        .stdout(predicate::str::contains(":3:1: the front is empty"));
}

#[test]
fn a_utf8_bom_is_ignored() {
    let setup = Setup::new();
    let source = setup.source("bom.txt", b"\xEF\xBB\xBF#separator:tab\nq1\ta1\n");
    setup.import(&source, &[]).success();
    assert_eq!(setup.fronts("bom"), ["q1"]);
    let md = setup.source("bom-md.md", b"\xEF\xBB\xBF# Title\n## Q?\nA\n");
    setup.import(&md, &[]).success();
    assert_eq!(load_file(&setup.deck_file("bom-md")).unwrap().name, "Title");
}

#[test]
fn crlf_line_ends_read_like_lf() {
    let setup = Setup::new();
    let lf = "#separator:comma\n#tags:t\nq1,\"line 1\nline 2\"\nq2,a2\n";
    let crlf = lf.replace('\n', "\r\n");
    let source = setup.source("crlf.csv", &crlf);
    setup.import(&source, &[]).success();
    let other = setup.source("lf.csv", lf);
    setup.import(&other, &[]).success();
    let mut from_crlf = load_file(&setup.deck_file("crlf")).unwrap();
    from_crlf.id = load_file(&setup.deck_file("lf")).unwrap().id;
    from_crlf.name = "lf".into();
    assert_eq!(from_crlf, load_file(&setup.deck_file("lf")).unwrap());
    assert_eq!(from_crlf.cards()[0].back, "line 1\nline 2");
    let md = setup.source(
        "crlf-md.md",
        "# T\r\n\r\n## Q?\r\n<!-- id: q -->\r\n- a\r\n- b\r\n",
    );
    setup.import(&md, &[]).success();
    let deck = load_file(&setup.deck_file("crlf-md")).unwrap();
    let card = &deck.cards()[0];
    assert_eq!((card.id.as_str(), card.back.as_str()), ("q", "- a\n- b"));
}

#[test]
fn bytes_that_are_not_utf8_are_an_error_with_their_line() {
    let setup = Setup::new();
    // Latin-1 "é" in the second row.
    let source = setup.source("latin1.csv", b"q1,a1\ncaf\xE9,coffee\n");
    setup.import(&source, &[]).code(1).stdout("").stderr(format!(
        "recall: {}:2:4: the file is not valid UTF-8 (byte 0xE9)\n  help: save the file as UTF-8 (Anki's exports always are) and import it again\n",
        source.display()
    ));
    setup.assert_deck_dir(&[]);
}

#[test]
fn a_binary_file_given_as_csv_is_refused() {
    let setup = Setup::new();
    // Bytes that are valid UTF-8 up to a NUL, like many binary formats.
    let mut bytes = b"q1,a1\nq2,a2\x00\x01\x02".to_vec();
    bytes.extend((0..=255u8).cycle().take(100_000));
    let binary = setup.source("binary.csv", &bytes);
    setup.import(&binary, &[]).code(1).stderr(format!(
        "recall: {}:2:6: a NUL byte: this is a binary file, not CSV text\n  help: check the file name, or pass --format if the extension is misleading\n",
        binary.display()
    ));
    // Not UTF-8 either, but the NUL says more: this is an image.
    let png = setup.source("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    setup
        .import(&png, &[])
        .code(1)
        .stderr(predicate::str::contains(
            "image.csv:3:1: a NUL byte: this is a binary file, not CSV text",
        ));
    let apkg = setup.source("deck.txt", b"PK\x03\x04\x14\x00\x00\x00rest of a zip");
    setup
        .import(&apkg, &[])
        .code(1)
        .stderr(predicate::str::contains(
            "is a zip archive, such as an Anki package (.apkg)",
        ));
    let utf16 = setup.source("utf16.txt", b"\xFF\xFEq\x001\x00");
    setup
        .import(&utf16, &[])
        .code(1)
        .stderr(predicate::str::contains("is UTF-16 text"));
    let sqlite = setup.source("collection.csv", b"SQLite format 3\x00\x10\x00");
    setup
        .import(&sqlite, &[])
        .code(1)
        .stderr(predicate::str::contains("is an SQLite database"));
    setup.assert_deck_dir(&[]);
}

#[test]
fn a_100_mb_file_imports() {
    let setup = Setup::new();
    let filler = "lorem ipsum dolor sit amet ".repeat(37);
    let mut text = String::with_capacity(105_000_000);
    text.push_str("#separator:tab\n#html:false\n");
    for i in 0..100_000 {
        let _ = writeln!(text, "Question {i}?\t{filler}{i}\tt{}", i % 97);
    }
    assert!(text.len() > 100_000_000);
    let source = setup.source("big.txt", &text);
    drop(text);
    setup
        .import(&source, &[])
        .success()
        .stdout(predicate::str::is_match(r"\nbig +big +100000 +0 +0 +0 ").unwrap());
    let deck = load_file(&setup.deck_file("big")).unwrap();
    assert_eq!(deck.cards().len(), 100_000);
    assert_eq!(deck.cards()[99_999].front, "Question 99999?");
}

#[test]
fn a_10_mb_field_imports() {
    let setup = Setup::new();
    let back = "<b>word</b>, &amp; more<br>".repeat(400_000);
    assert!(back.len() > 10_000_000);
    let source = setup.source(
        "huge.txt",
        format!("#html:true\n#separator:tab\nq1\t{back}\nq2\ta2\n"),
    );
    setup.import(&source, &[]).success();
    let deck = load_file(&setup.deck_file("huge")).unwrap();
    assert_eq!(deck.cards().len(), 2);
    assert!(
        deck.cards()[0]
            .back
            .starts_with("**word**, & more\n**word**")
    );
    assert_eq!(deck.cards()[0].back.lines().count(), 400_000);
}

#[test]
fn a_failed_import_leaves_the_old_deck_file_untouched() {
    let setup = Setup::new();
    let source = setup.source("deck.csv", "q1,a1\n");
    setup.import(&source, &[]).success();
    let before = std::fs::read(setup.deck_file("deck")).unwrap();
    // The same file, now broken: refused before anything is written.
    std::fs::write(&source, b"q1,a1\nq2,\xFF\n").unwrap();
    setup.import(&source, &[]).code(1);
    assert_eq!(std::fs::read(setup.deck_file("deck")).unwrap(), before);
    setup.assert_deck_dir(&["deck.toml"]);
}

#[test]
fn a_write_that_fails_leaves_no_partial_file() {
    let setup = Setup::new();
    // A directory where the deck file would go makes the final rename fail.
    let blocked = setup.deck_file("blocked");
    std::fs::create_dir_all(blocked.join("inner")).unwrap();
    let source = setup.source("blocked.csv", "q1,a1\n");
    setup
        .import(&source, &["--replace"])
        .code(1)
        .stderr(predicate::str::contains(format!(
            "cannot write {}",
            blocked.display()
        )));
    assert!(blocked.join("inner").is_dir());
    setup.assert_deck_dir(&["blocked.toml"]);
}

fn read_any(bytes: &[u8], format: Format) {
    let options = ReadOptions {
        format,
        deck_id: None,
        name: None,
    };
    if let Ok(imported) = read(bytes, "any", "any", &options) {
        for deck in &imported.decks {
            // Whatever came in, the deck written is one recall loads back.
            let text = toml_format::write(deck);
            assert_eq!(toml_format::parse(&text, "x").as_ref(), Ok(deck), "{text}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any bytes at all: no panic, and every deck produced is valid.
    #[test]
    fn any_bytes_import_or_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for format in [Format::Csv, Format::Tsv, Format::Markdown, Format::Toml] {
            read_any(&bytes, format);
        }
    }

    /// Text made of the pieces that matter to the readers.
    #[test]
    fn any_structured_text_imports_or_fails_cleanly(
        text in "(#separator:(tab|comma|pipe|x|)\n|#html:(true|false)\n|#(guid|deck|tags|notetype) column:[0-4]\n|#columns:[a-zA-Z,\t]{0,20}\n|#recall deck id:[a-z ]{0,5}\n|## |# |<!-- (id|tags): [a-z ]{0,6} -->\n|<!-- answer -->\n|\\\\|\"|\"\"|,|\t|;|\r\n|\n|<b>|</li>|<ul><li>|&amp;|&nbsp;|[a-zé日 ]{1,6}|Cloze)*"
    ) {
        for format in [Format::Csv, Format::Tsv, Format::Markdown] {
            read_any(text.as_bytes(), format);
        }
    }
}
