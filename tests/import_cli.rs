//! `recall import` and `recall export` run as a user would, against temp
//! data directories: reports, re-imports that keep ids (and so history),
//! refusals, dry runs, the lock, and round trips through every format.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use recall::deck::catalog::{BUNDLED, load_file, parse_text};
use recall::deck::toml_format;
use recall::store::DataLock;
use tempfile::TempDir;

/// The binary with a private data dir and config, isolated from the user's.
fn recall(data_dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("recall").unwrap();
    cmd.env("RECALL_DATA_DIR", data_dir)
        .env("RECALL_CONFIG", data_dir.join("config.toml"))
        .env("NO_COLOR", "1");
    cmd
}

/// A data dir and, beside it, a directory for source files.
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

    fn data(&self) -> &Path {
        self.data.path()
    }

    fn source(&self, name: &str, text: &str) -> PathBuf {
        let path = self.sources.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn deck_file(&self, id: &str) -> PathBuf {
        self.data().join("decks").join(format!("{id}.toml"))
    }

    fn import(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        recall(self.data()).arg("import").args(args).assert()
    }
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// ADDED, UPDATED, UNCHANGED and REMOVED from the report row of deck `id`.
fn counts(stdout: &[u8], id: &str) -> [usize; 4] {
    let stdout = String::from_utf8_lossy(stdout);
    let line = stdout
        .lines()
        .find(|line| line.starts_with(&format!("{id} ")))
        .unwrap_or_else(|| panic!("no row for {id} in:\n{stdout}"));
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let file = tokens.iter().position(|t| t.starts_with('/')).unwrap();
    let numbers: Vec<usize> = tokens[file - 4..file]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    numbers.try_into().unwrap()
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                found.extend(
                    files_under(&path)
                        .into_iter()
                        .map(|f| format!("{name}/{f}")),
                );
            } else {
                found.push(path.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

const CAPITALS: &str =
    "#separator:comma\n#tags:geo\nFrance?,Paris,europe\nJapan?,Tokyo,asia\n,no front\n";

#[test]
fn import_writes_the_deck_and_reports_it() {
    let setup = Setup::new();
    let source = setup.source("Capitals.csv", CAPITALS);
    let deck_file = setup.deck_file("capitals");
    setup.import(&[arg(&source)]).success().stderr("").stdout(format!(
        "{src}: Anki text, comma-separated, plain-text fields (guessed); 3 rows\n\
         Imported 1 deck:\n\
         DECK      NAME      ADDED  UPDATED  UNCHANGED  REMOVED  FILE\n\
         capitals  Capitals      2        0          0        0  {file} (new)\n\
         Skipped 1 row:\n\
         {src}:5:1: the front is empty\n  help: write the question in the front field, or delete the row\n",
        src = source.display(),
        file = deck_file.display(),
    ));
    let written =
        toml_format::parse_file(&std::fs::read_to_string(&deck_file).unwrap(), "x").unwrap();
    assert_eq!(
        written.imported_from.as_deref(),
        Some(std::fs::canonicalize(&source).unwrap().to_str().unwrap())
    );
    let deck = written.deck;
    assert_eq!(
        (deck.id.as_str(), deck.name.as_str()),
        ("capitals", "Capitals")
    );
    assert_eq!(deck.cards()[0].tags, ["geo", "europe"]);
    // The deck loads like any other.
    recall(setup.data())
        .arg("decks")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "capitals         Capitals             2",
        ));
    recall(setup.data())
        .args(["check", arg(&deck_file)])
        .assert()
        .success();
}

#[test]
fn reimporting_the_same_source_changes_nothing() {
    let setup = Setup::new();
    let source = setup.source("capitals.csv", CAPITALS);
    setup.import(&[arg(&source)]).success();
    let before = std::fs::read(setup.deck_file("capitals")).unwrap();
    let again = setup.import(&[arg(&source)]).success();
    assert_eq!(counts(&again.get_output().stdout, "capitals"), [0, 0, 2, 0]);
    assert_eq!(std::fs::read(setup.deck_file("capitals")).unwrap(), before);
}

#[test]
fn reimport_after_an_edit_keeps_the_review_history_of_unchanged_ids() {
    let setup = Setup::new();
    let v1 = "#separator:tab\n#guid column:1\n\
              g1\tWhat is HTTP?\tA protocol\n\
              g2\tWhat is TCP?\tA transport\n\
              g3\tWhat is UDP?\tDatagrams\n\
              g4\tWhat is DNS?\tNames\n\
              \tNo guid: id from the front\tkept while the front is\n";
    let source = setup.source("net.txt", v1);
    setup.import(&[arg(&source)]).success();
    let deck_file = setup.deck_file("net");
    let ids_before: Vec<String> = load_file(&deck_file)
        .unwrap()
        .cards()
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    let derived = ids_before[4].clone();
    assert!(
        derived.starts_with("no-guid-id-from-the-front-"),
        "{derived}"
    );

    // Reviews are keyed by (deck, card); import must never touch them.
    let reviews = setup.data().join("reviews.csv");
    let log: String = ids_before
        .iter()
        .map(|id| format!("2026-11-01T10:00:00Z,net,{id},3,4200\n"))
        .collect();
    std::fs::write(&reviews, &log).unwrap();

    // Edit: g2's back and g4's front change, g3 goes, g5 comes, the card
    // without a guid keeps its front but gets a new back.
    let v2 = "#separator:tab\n#guid column:1\n\
              g1\tWhat is HTTP?\tA protocol\n\
              g2\tWhat is TCP?\tA reliable transport\n\
              g4\tWhat does DNS do?\tNames\n\
              g5\tWhat is QUIC?\tHTTP/3's transport\n\
              \tNo guid: id from the front\tkept, with a new back\n";
    std::fs::write(&source, v2).unwrap();
    let reimport = setup
        .import(&[arg(&source)])
        .success()
        .stdout(predicate::str::contains(
            "Removed from net: g3 (no longer in the source; their reviews stay in the log",
        ));
    // Added g5; updated g2, g4 and the card without a guid; g1 unchanged.
    assert_eq!(counts(&reimport.get_output().stdout, "net"), [1, 3, 1, 1]);
    let deck = load_file(&deck_file).unwrap();
    let ids: Vec<&str> = deck.cards().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["g1", "g2", "g4", "g5", derived.as_str()]);
    assert_eq!(deck.cards()[1].back, "A reliable transport");
    assert_eq!(
        std::fs::read_to_string(&reviews).unwrap(),
        log,
        "reviews.csv untouched"
    );
}

#[test]
fn another_source_is_refused_unless_deck_id_or_replace_says_so() {
    let setup = Setup::new();
    let first = setup.source("capitals.csv", CAPITALS);
    setup.import(&[arg(&first)]).success();
    let deck_file = setup.deck_file("capitals");
    let before = std::fs::read(&deck_file).unwrap();

    let other_dir = TempDir::new().unwrap();
    let second = other_dir.path().join("capitals.csv");
    std::fs::write(&second, "Spain?,Madrid\n").unwrap();
    setup
        .import(&[arg(&second)])
        .code(1)
        .stdout("")
        .stderr(format!(
            "recall: the deck `capitals` ({}) was imported from {}, not from {}\n  help: pass --deck-id to import it as another deck, or --replace to replace `capitals` (cards that keep their ids keep their reviews)\n",
            deck_file.display(),
            std::fs::canonicalize(&first).unwrap().display(),
            std::fs::canonicalize(&second).unwrap().display(),
        ));
    assert_eq!(std::fs::read(&deck_file).unwrap(), before);

    setup
        .import(&[arg(&second), "--deck-id", "capitals-2"])
        .success();
    assert_eq!(
        load_file(&setup.deck_file("capitals-2"))
            .unwrap()
            .cards()
            .len(),
        1
    );

    let replaced = setup
        .import(&[arg(&second), "--replace"])
        .success()
        .stdout(predicate::str::contains("(replaced)"));
    assert_eq!(
        counts(&replaced.get_output().stdout, "capitals"),
        [1, 0, 0, 2]
    );
    assert_eq!(load_file(&deck_file).unwrap().cards()[0].front, "Spain?");
    // Now the second file is the deck's source: importing it again updates.
    setup.import(&[arg(&second)]).success();
}

#[test]
fn hand_written_and_bundled_decks_are_not_overwritten() {
    let setup = Setup::new();
    std::fs::create_dir_all(setup.data().join("decks")).unwrap();
    let hand = setup.deck_file("mine");
    std::fs::write(&hand, "[[cards]]\nfront = 'q'\nback = 'a'\n").unwrap();
    let source = setup.source("mine.md", "## Question?\nAnswer\n");
    setup
        .import(&[arg(&source)])
        .code(1)
        .stderr(predicate::str::contains(
            "was not imported but written by hand",
        ));
    assert_eq!(
        std::fs::read_to_string(&hand).unwrap(),
        "[[cards]]\nfront = 'q'\nback = 'a'\n"
    );
    setup
        .import(&[arg(&source), "--deck-id", "aws-api-gateway"])
        .code(1)
        .stderr("recall: `aws-api-gateway` is the id of a deck bundled with recall\n  help: pass --deck-id to choose another id\n");
    // A file named after the id but holding another deck is never replaced.
    std::fs::write(
        setup.deck_file("other"),
        "[deck]\nid = 'elsewhere'\n[[cards]]\nfront = 'q'\nback = 'a'\n",
    )
    .unwrap();
    setup
        .import(&[arg(&source), "--deck-id", "other", "--replace"])
        .code(1)
        .stderr(predicate::str::contains("holds the deck `elsewhere`"));
}

#[test]
fn a_refused_deck_stops_the_whole_file() {
    let setup = Setup::new();
    let source = setup.source(
        "two.txt",
        "#separator:tab\n#deck column:1\nFirst\tq1\ta1\naws api gateway\tq2\ta2\n",
    );
    setup
        .import(&[arg(&source)])
        .code(1)
        .stderr(predicate::str::contains(
            "`aws-api-gateway` is the id of a deck bundled",
        ));
    assert!(!setup.deck_file("first").exists(), "nothing written");
}

#[test]
fn dry_run_writes_nothing_and_needs_no_lock() {
    let setup = Setup::new();
    let source = setup.source("capitals.csv", CAPITALS);
    setup
        .import(&[arg(&source), "--dry-run"])
        .success()
        .stdout(predicate::str::starts_with(format!(
            "{}: Anki text, comma-separated, plain-text fields (guessed); 3 rows\nWould import 1 deck:\n",
            source.display()
        )))
        .stdout(predicate::str::ends_with("Dry run: nothing was written.\n"));
    assert_eq!(files_under(setup.data()), Vec::<String>::new());

    // Another session holds the lock: a dry run still works, an import not.
    setup.import(&[arg(&source)]).success();
    let before = files_under(setup.data());
    let _held = DataLock::acquire(setup.data()).unwrap();
    setup.import(&[arg(&source), "--dry-run"]).success();
    setup.import(&[arg(&source)]).code(1).stderr(format!(
        "recall: {} is in use by another recall session\n",
        setup.data().display()
    ));
    assert_eq!(files_under(setup.data()), before);
}

#[test]
fn markdown_and_toml_sources() {
    let setup = Setup::new();
    let md = setup.source(
        "Networking Basics.md",
        "# Networking\n\nPorts and protocols.\n\n## What port does HTTPS use?\n<!-- tags: ports -->\n443\n\n## Which layer is TCP?\n- transport\n",
    );
    // The id comes from the file name, the name from the title.
    let imported = setup.import(&[arg(&md)]).success();
    assert_eq!(
        counts(&imported.get_output().stdout, "networking-basics"),
        [2, 0, 0, 0]
    );
    let deck = load_file(&setup.deck_file("networking-basics")).unwrap();
    assert_eq!(deck.description, "Ports and protocols.");
    assert_eq!(deck.cards()[0].tags, ["ports"]);

    let toml = setup.source(
        "unicode.toml",
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/valid/unicode.toml"
        ))
        .unwrap(),
    );
    setup.import(&[arg(&toml), "--name", "Japanese"]).success();
    let deck = load_file(&setup.deck_file("japanese-basics")).unwrap();
    assert_eq!(deck.name, "Japanese");
    assert_eq!(deck.cards().len(), 2);

    // A TOML file is checked exactly as `recall check` does.
    let broken = setup.source("broken.toml", "[[cards]]\nfront = \"Q\"\nbakc = \"A\"\n");
    setup.import(&[arg(&broken)]).code(1).stderr(format!(
        "recall: {}:3:1: unknown key `bakc` in card 1\n  help: did you mean `back`?\n",
        broken.display()
    ));
}

#[test]
fn path_and_format_errors_are_explained() {
    let setup = Setup::new();
    let missing = setup.sources.path().join("missing.csv");
    setup.import(&[arg(&missing)]).code(1).stderr(format!(
        "recall: {}: no such file; check the path\n",
        missing.display()
    ));
    setup
        .import(&[arg(setup.sources.path())])
        .code(1)
        .stderr(predicate::str::contains("is a directory"));
    let odd = setup.source("deck.json", "{}");
    setup.import(&[arg(&odd)]).code(1).stderr(format!(
        "recall: {}: cannot tell the format from the file name\n  help: pass --format toml, csv, tsv or md (Anki's text exports are csv)\n",
        odd.display()
    ));
    setup
        .import(&[arg(&odd), "--format", "md"])
        .code(1)
        .stderr(predicate::str::contains("holds no cards"));
    setup
        .import(&[arg(&odd), "--deck-id", "bad id"])
        .code(2)
        .stderr(predicate::str::contains("ids use only letters"));
    // A deck file in the deck directory is loaded as it is, not imported.
    let source = setup.source("capitals.csv", CAPITALS);
    setup.import(&[arg(&source)]).success();
    setup
        .import(&[arg(&setup.deck_file("capitals"))])
        .code(1)
        .stderr(predicate::str::contains("is in recall's deck directory"));
}

#[test]
fn name_needs_one_deck() {
    let setup = Setup::new();
    let source = setup.source(
        "two.txt",
        "#separator:tab\n#deck column:1\nA\tq1\ta1\nB\tq2\ta2\n",
    );
    setup
        .import(&[arg(&source), "--name", "Both"])
        .code(1)
        .stderr(predicate::str::contains(
            "--name gives one deck a name, but",
        ));
    setup
        .import(&[arg(&source), "--name", "Both", "--deck-id", "both"])
        .success();
    let deck = load_file(&setup.deck_file("both")).unwrap();
    assert_eq!((deck.name.as_str(), deck.cards().len()), ("Both", 2));
}

#[test]
fn a_source_without_usable_rows_is_an_error_that_lists_them() {
    let setup = Setup::new();
    let source = setup.source("empty-backs.csv", "q1,\nq2,\n");
    setup
        .import(&[arg(&source)])
        .code(1)
        .stdout(predicate::str::contains(
            "empty-backs.csv:1:4: the back is empty",
        ))
        .stderr(predicate::str::contains(
            "no card to import: all 2 rows skipped (listed above)",
        ));
    assert!(!setup.data().join("decks").exists());
}

#[test]
fn export_writes_every_format_and_import_gives_the_deck_back() {
    let setup = Setup::new();
    let bundled = parse_text(BUNDLED[0].text, BUNDLED[0].file, "aws-api-gateway").unwrap();
    for format in ["toml", "csv", "tsv", "md"] {
        let output = setup.sources.path().join(format!("exported.{format}"));
        recall(setup.data())
            .args(["export", "aws-api-gateway", "-o", arg(&output)])
            .assert()
            .success()
            .stdout(predicate::str::starts_with(format!(
                "Wrote aws-api-gateway (15 cards) to {}",
                output.display()
            )));
        let id = format!("copy-{format}");
        setup.import(&[arg(&output), "--deck-id", &id]).success();
        let mut imported = load_file(&setup.deck_file(&id)).unwrap();
        imported.id = bundled.id.clone();
        assert_eq!(imported, bundled, "{format}");
    }
    // Standard output by default, TOML unless told otherwise.
    let toml = recall(setup.data())
        .args(["export", "aws-api-gateway"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(toml.stdout).unwrap(),
        toml_format::write(&bundled)
    );
    recall(setup.data())
        .args(["export", "aws-api-gateway", "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# AWS API Gateway\n<!-- id: aws-api-gateway -->\n",
        ));
    recall(setup.data())
        .args(["export", "nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no deck has the id or name `nope`",
        ));
}
