//! The cache never changes an answer: after every kind of edit to the decks,
//! the log, the settings or the cache itself, `recall due --json` and
//! `recall card --json` (and `recall cards --json`, with the card events'
//! flags) print with the cache exactly what they print with
//! `--no-cache`. And a cache dir that cannot be used only costs speed, with
//! at most one warning.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use proptest::prelude::*;
use tempfile::TempDir;

const NOW: &str = "2026-11-25T09:05:00Z";

/// A data dir with one deck file, a review log and a cache dir.
struct Setup {
    _root: TempDir,
    data: PathBuf,
    cache: PathBuf,
    cards: usize,
    reviews: usize,
}

fn deck_text(cards: usize, variant: &str) -> String {
    let mut text = String::from("[deck]\nid = \"gen\"\nname = \"Generated\"\n");
    for i in 0..cards {
        let _ = write!(
            text,
            "\n[[cards]]\nid = \"c{i:03}\"\nfront = \"Question {i}{variant}\"\nback = \"Answer {i}\"\n"
        );
    }
    text
}

/// `count` reviews of the first `cards` cards, an hour apart, ending a few
/// minutes before [`NOW`] (so some are today, some learning steps are due).
fn log_lines(count: usize, cards: usize) -> String {
    let end = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
    let mut text = String::new();
    for i in 0..count {
        let at = end - chrono::TimeDelta::minutes(((count - i) * 37) as i64);
        let card = (i * 7) % cards;
        let rating = [3, 3, 1, 3, 2, 4, 3][i % 7];
        let _ = writeln!(
            text,
            "{},gen,c{card:03},{rating},1000",
            at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        );
    }
    text
}

impl Setup {
    fn new(cards: usize, reviews: usize) -> Setup {
        let root = TempDir::new().unwrap();
        let data = root.path().join("data");
        let cache = root.path().join("cache");
        std::fs::create_dir_all(data.join("decks")).unwrap();
        let setup = Setup {
            data,
            cache,
            _root: root,
            cards,
            reviews,
        };
        setup.write_deck(&deck_text(cards, ""));
        setup.write_log(reviews);
        setup
    }

    fn deck_path(&self) -> PathBuf {
        self.data.join("decks").join("gen.toml")
    }

    fn log_path(&self) -> PathBuf {
        self.data.join("reviews.csv")
    }

    fn write_deck(&self, text: &str) {
        std::fs::write(self.deck_path(), text).unwrap();
    }

    fn write_log(&self, reviews: usize) {
        let text = format!(
            "reviewed_at,deck,card,rating,duration_ms\n{}",
            log_lines(reviews, self.cards.max(1))
        );
        std::fs::write(self.log_path(), text).unwrap();
    }

    fn recall(&self, cache: bool) -> Command {
        let mut cmd = Command::cargo_bin("recall").unwrap();
        cmd.env("RECALL_DATA_DIR", &self.data)
            .env("RECALL_CONFIG", self.data.join("config.toml"))
            .env("RECALL_CACHE_DIR", &self.cache)
            .env("RECALL_NOW", NOW)
            .env("TZ", "UTC");
        if !cache {
            cmd.arg("--no-cache");
        }
        cmd
    }

    /// What the commands print (stdout and stderr), with or without cache.
    fn outputs(&self, cache: bool) -> Vec<(String, String)> {
        let mut outputs = Vec::new();
        let mut run = |args: &[&str]| {
            let output = self.recall(cache).args(args).output().unwrap();
            outputs.push((
                String::from_utf8(output.stdout).unwrap(),
                String::from_utf8(output.stderr).unwrap(),
            ));
        };
        run(&["due", "--json"]);
        // Every card's state, lapses and flags (suspended, buried, leech).
        run(&["cards", "--json"]);
        for card in ["c000", "c001", "c007", "c999"] {
            run(&["card", &format!("gen/{card}"), "--json"]);
        }
        outputs
    }

    /// Runs with the cache twice (building it, then using it) and without,
    /// and checks that all three agree.
    fn check_agrees(&self, what: &str) {
        let first = self.outputs(true);
        let second = self.outputs(true);
        let plain = self.outputs(false);
        assert_eq!(first, plain, "after {what}: first run with the cache");
        assert_eq!(second, plain, "after {what}: second run with the cache");
    }

    fn cache_files(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for kind in ["decks", "progress"] {
            if let Ok(entries) = std::fs::read_dir(self.cache.join(kind)) {
                files.extend(entries.map(|e| e.unwrap().path()));
            }
        }
        files.sort();
        files
    }

    fn apply(&mut self, edit: &Edit) {
        match edit {
            Edit::CardText(i) => {
                let text = std::fs::read_to_string(self.deck_path()).unwrap();
                let i = i % self.cards.max(1);
                let edited = text.replace(
                    &format!("\"Question {i}\""),
                    &format!("\"Question {i}, edited\""),
                );
                self.write_deck(&edited);
            }
            Edit::AddCard => {
                self.cards += 1;
                self.write_deck(&deck_text(self.cards, ""));
            }
            Edit::RemoveCard => {
                self.cards = self.cards.saturating_sub(1).max(1);
                self.write_deck(&deck_text(self.cards, ""));
            }
            Edit::SameSizeAndTime => {
                let path = self.deck_path();
                let before = std::fs::metadata(&path).unwrap();
                let text = std::fs::read_to_string(&path).unwrap();
                // Same length: swap two digits of the first card's answer.
                let edited = text.replacen("Answer 0", "Answer 9", 1);
                assert_eq!(edited.len(), text.len());
                std::fs::write(&path, edited).unwrap();
                let file = std::fs::File::options().write(true).open(&path).unwrap();
                file.set_modified(before.modified().unwrap()).unwrap();
                drop(file);
                let after = std::fs::metadata(&path).unwrap();
                assert_eq!(after.len(), before.len());
                assert_eq!(after.modified().unwrap(), before.modified().unwrap());
            }
            Edit::AppendReview(i) => {
                let line = format!(
                    "2026-11-25T09:0{}:00.000Z,gen,c{:03},3,500\n",
                    i % 5,
                    i % self.cards.max(1)
                );
                let mut file = std::fs::OpenOptions::new()
                    .append(true)
                    .open(self.log_path())
                    .unwrap();
                std::io::Write::write_all(&mut file, line.as_bytes()).unwrap();
                self.reviews += 1;
            }
            Edit::OtherDevice(i) => {
                // A second machine's log, as sync brings it: a new file first,
                // then one that grows.
                let dir = self.data.join("log").join("laptop");
                std::fs::create_dir_all(&dir).unwrap();
                let path = dir.join("reviews.csv");
                let mut text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|_| "reviewed_at,deck,card,rating,duration_ms\n".into());
                let _ = writeln!(
                    text,
                    "2026-11-25T08:5{}:00.000Z,gen,c{:03},{},700",
                    i % 10,
                    i % self.cards.max(1),
                    1 + i % 4
                );
                std::fs::write(&path, text).unwrap();
            }
            Edit::CardEvent(i) => {
                // Suspend, forget, bury, mark: replayed with the reviews, in
                // time order (among the appended reviews' times).
                let path = self.data.join("card_events.csv");
                let mut text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|_| "at,deck,card,event\n".into());
                let kinds = ["suspend", "forget", "bury", "mark", "unsuspend", "forget"];
                let _ = writeln!(
                    text,
                    "2026-11-25T09:0{}:30.000Z,gen,c{:03},{}",
                    i % 5,
                    i % self.cards.max(1),
                    kinds[i % kinds.len()]
                );
                std::fs::write(&path, text).unwrap();
            }
            Edit::ShorterLog => {
                self.reviews /= 2;
                self.write_log(self.reviews);
            }
            Edit::Setting(n) => {
                let settings = [
                    "desired_retention = 0.8\n",
                    "learning_steps = [\"5m\", \"30m\"]\n",
                    "new_cards_per_day = 3\n",
                    "leech_threshold = 1\n",
                    "",
                ];
                std::fs::write(self.data.join("config.toml"), settings[n % settings.len()])
                    .unwrap();
            }
            Edit::CorruptCache(byte) => {
                for file in self.cache_files() {
                    let mut bytes = std::fs::read(&file).unwrap();
                    if !bytes.is_empty() {
                        let i = byte % bytes.len();
                        bytes[i] ^= 0x55;
                        std::fs::write(&file, bytes).unwrap();
                    }
                }
            }
            Edit::TruncateCache(keep) => {
                for file in self.cache_files() {
                    let bytes = std::fs::read(&file).unwrap();
                    let keep = keep % bytes.len().max(1);
                    std::fs::write(&file, &bytes[..keep]).unwrap();
                }
            }
            Edit::OtherVersion => {
                for file in self.cache_files() {
                    let bytes = std::fs::read(&file).unwrap();
                    let text = env!("CARGO_PKG_VERSION").as_bytes();
                    let at = bytes
                        .windows(text.len())
                        .position(|w| w == text)
                        .expect("the entry names its version");
                    let mut other = bytes.clone();
                    other[at] = if other[at] == b'9' { b'8' } else { b'9' };
                    std::fs::write(&file, other).unwrap();
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Edit {
    CardText(usize),
    AddCard,
    RemoveCard,
    SameSizeAndTime,
    AppendReview(usize),
    OtherDevice(usize),
    CardEvent(usize),
    ShorterLog,
    Setting(usize),
    CorruptCache(usize),
    TruncateCache(usize),
    OtherVersion,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..40usize).prop_map(Edit::CardText),
        Just(Edit::AddCard),
        Just(Edit::RemoveCard),
        Just(Edit::SameSizeAndTime),
        (0..40usize).prop_map(Edit::AppendReview),
        (0..40usize).prop_map(Edit::OtherDevice),
        (0..40usize).prop_map(Edit::CardEvent),
        Just(Edit::ShorterLog),
        (0..5usize).prop_map(Edit::Setting),
        any::<usize>().prop_map(Edit::CorruptCache),
        any::<usize>().prop_map(Edit::TruncateCache),
        Just(Edit::OtherVersion),
    ]
}

#[test]
fn every_kind_of_edit_in_turn() {
    let mut setup = Setup::new(12, 40);
    setup.check_agrees("the first start");
    assert_eq!(
        setup.cache_files().len(),
        2,
        "one deck entry, one progress entry"
    );
    let edits = [
        Edit::CardText(3),
        Edit::AddCard,
        Edit::RemoveCard,
        Edit::SameSizeAndTime,
        Edit::AppendReview(1),
        Edit::AppendReview(2),
        Edit::OtherDevice(1),
        Edit::OtherDevice(2),
        Edit::AppendReview(3),
        Edit::CardEvent(0),
        Edit::AppendReview(4),
        Edit::CardEvent(7),
        Edit::CardEvent(1),
        Edit::AppendReview(0),
        Edit::CardEvent(4),
        Edit::ShorterLog,
        Edit::Setting(0),
        Edit::Setting(1),
        Edit::Setting(3),
        Edit::CorruptCache(100),
        Edit::CorruptCache(3),
        Edit::TruncateCache(50),
        Edit::TruncateCache(0),
        Edit::OtherVersion,
    ];
    for edit in &edits {
        setup.apply(edit);
        setup.check_agrees(&format!("{edit:?}"));
    }
}

#[test]
fn a_deck_replaced_with_the_same_size_and_time_is_read_again() {
    let mut setup = Setup::new(5, 10);
    setup.check_agrees("the first start");
    setup.apply(&Edit::SameSizeAndTime);
    let output = setup
        .recall(true)
        .args(["card", "gen/c000"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("Answer 9") && !text.contains("Answer 0"),
        "{text}"
    );
}

#[test]
fn appended_reviews_are_replayed_after_the_cached_ones() {
    // Enough appended lines that the entry is rewritten, and then a few more.
    let mut setup = Setup::new(30, 200);
    setup.check_agrees("the first start");
    for i in 0..6000 {
        setup.apply(&Edit::AppendReview(i));
    }
    setup.check_agrees("6000 appended reviews");
    setup.apply(&Edit::AppendReview(3));
    setup.check_agrees("one more");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_never_change_an_answer(edits in prop::collection::vec(edit(), 1..5)) {
        let mut setup = Setup::new(10, 30);
        setup.check_agrees("the first start");
        for edit in &edits {
            setup.apply(edit);
            setup.check_agrees(&format!("{edit:?} in {edits:?}"));
        }
    }
}

/// Runs `recall due --json` with `cache_dir` and checks it answers as
/// `--no-cache` does, with at most one warning about the cache.
fn works_without_a_usable_cache(setup: &Setup, cache_dir: &Path) {
    let plain = setup
        .recall(false)
        .args(["due", "--json"])
        .output()
        .unwrap();
    for _ in 0..2 {
        let output = setup
            .recall(true)
            .env("RECALL_CACHE_DIR", cache_dir)
            .args(["due", "--json"])
            .output()
            .unwrap();
        assert!(output.status.success());
        assert_eq!(output.stdout, plain.stdout);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.matches("warning").count() <= 1, "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_cache_dir_that_cannot_be_created_costs_one_warning() {
    let setup = Setup::new(8, 20);
    // A file where the cache dir should be: nothing can be created in it.
    let blocked = setup.data.join("not-a-dir");
    std::fs::write(&blocked, "a file").unwrap();
    let cache_dir = blocked.join("cache");
    works_without_a_usable_cache(&setup, &cache_dir);
    let output = setup
        .recall(true)
        .env("RECALL_CACHE_DIR", &cache_dir)
        .arg("due")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr
            .matches("recall: warning: cannot write the cache")
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn a_missing_cache_dir_is_created() {
    let setup = Setup::new(8, 20);
    assert!(!setup.cache.exists());
    let output = setup.recall(true).args(["due", "--json"]).output().unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(setup.cache_files().len(), 2);
}

#[cfg(unix)]
#[test]
fn a_read_only_cache_dir_still_works() {
    use std::os::unix::fs::PermissionsExt;
    let setup = Setup::new(8, 20);
    setup.check_agrees("the first start");
    // Entries exist but cannot be replaced; then the log grows.
    for dir in [
        setup.cache.join("decks"),
        setup.cache.join("progress"),
        setup.cache.clone(),
    ] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    let mut setup = setup;
    setup.apply(&Edit::CardText(1));
    setup.apply(&Edit::ShorterLog);
    works_without_a_usable_cache(&setup, &setup.cache.clone());
    for dir in [
        setup.cache.clone(),
        setup.cache.join("decks"),
        setup.cache.join("progress"),
    ] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_cache_dir_full_of_junk_is_ignored() {
    let setup = Setup::new(8, 20);
    setup.check_agrees("the first start");
    for file in setup.cache_files() {
        std::fs::write(&file, vec![0xffu8; 4096]).unwrap();
    }
    setup.check_agrees("junk entries");
    // A directory where an entry should be: it cannot be replaced.
    for file in setup.cache_files() {
        std::fs::remove_file(&file).unwrap();
        std::fs::create_dir(&file).unwrap();
    }
    let plain = setup.outputs(false);
    let cached = setup.recall(true).args(["due", "--json"]).output().unwrap();
    assert_eq!(String::from_utf8(cached.stdout).unwrap(), plain[0].0);
    let stderr = String::from_utf8(cached.stderr).unwrap();
    assert!(stderr.matches("warning").count() <= 1, "{stderr}");
}

#[test]
fn the_cache_dir_flag_and_no_cache() {
    let setup = Setup::new(4, 5);
    let elsewhere = setup.data.join("elsewhere");
    setup
        .recall(true)
        .args(["--cache-dir"])
        .arg(&elsewhere)
        .arg("decks")
        .assert()
        .success();
    assert!(elsewhere.join("decks").is_dir());
    setup.recall(false).arg("due").assert().success();
    assert!(!setup.cache.exists(), "--no-cache writes nothing");
}
