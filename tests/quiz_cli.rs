//! `recall quiz` without a terminal: `--history` on a known file, and the
//! errors reported before the quiz screen would open (unknown tag, choice
//! mode on a small deck, a bad length, `--record` while another session
//! holds the data directory, no terminal).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::Path;

use assert_cmd::Command;
use recall::store::DataLock;
use tempfile::TempDir;

const HISTORY: &str = "finished_at,deck,mode,asked,correct,duration_ms
2026-11-24T18:02:10.000Z,aws-api-gateway,choice,10,8,254000
2026-11-25T07:15:00.000Z,*,self,5,2,61000
not a record
2026-11-25T09:40:00.000Z,aws-api-gateway,self,3,3,4200
";

fn recall(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("recall").unwrap();
    cmd.env("RECALL_DATA_DIR", data)
        .env("RECALL_CONFIG", data.join("config.toml"))
        .env("TZ", "UTC");
    cmd
}

fn with_history() -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("quizzes.csv"), HISTORY).unwrap();
    dir
}

/// A deck with three cards: too few for choice mode.
fn tiny_deck(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("tiny.toml");
    let cards: String = ["a", "b", "c"]
        .iter()
        .map(|id| format!("[[cards]]\nid = \"{id}\"\nfront = \"Q {id}\"\nback = \"A {id}\"\n"))
        .collect();
    std::fs::write(&path, format!("[deck]\nname = \"Tiny\"\n{cards}")).unwrap();
    path
}

#[test]
fn history_lists_every_round_with_the_total() {
    let data = with_history();
    let path = data.path().join("quizzes.csv");
    recall(data.path())
        .args(["quiz", "--history"])
        .assert()
        .success()
        .stdout(
            "FINISHED          DECK             MODE    RIGHT     %  TIME\n\
             2026-11-24 18:02  aws-api-gateway  choice   8/10   80%  4m 14s\n\
             2026-11-25 07:15  (all decks)      self      2/5   40%  1m 1s\n\
             2026-11-25 09:40  aws-api-gateway  self      3/3  100%  4s\n\
             \n3 quiz rounds: 13 of 18 answers right (72%).\n",
        )
        .stderr(format!(
            "recall: warning: {}: line 4 skipped: expected the columns \
             finished_at,deck,mode,asked,correct,duration_ms, found 1 column(s) in `not a record`\n",
            path.display()
        ));
}

#[test]
fn history_of_one_deck() {
    let data = with_history();
    recall(data.path())
        .args(["quiz", "--history", "aws-api-gateway"])
        .assert()
        .success()
        .stdout(
            "FINISHED          DECK             MODE    RIGHT     %  TIME\n\
             2026-11-24 18:02  aws-api-gateway  choice   8/10   80%  4m 14s\n\
             2026-11-25 09:40  aws-api-gateway  self      3/3  100%  4s\n\
             \n2 quiz rounds: 11 of 13 answers right (85%).\n",
        );
}

#[test]
fn history_when_there_is_none_and_of_an_unknown_deck() {
    let data = TempDir::new().unwrap();
    recall(data.path())
        .args(["quiz", "--history"])
        .assert()
        .success()
        .stdout("No quizzes yet. Start one with `recall quiz`.\n");
    recall(data.path())
        .args(["quiz", "--history", "aws-api-gateway"])
        .assert()
        .success()
        .stdout(
            "No quizzes of aws-api-gateway yet. Start one with `recall quiz aws-api-gateway`.\n",
        );
    recall(data.path())
        .args(["quiz", "--history", "aws-api-gatewya"])
        .assert()
        .code(1)
        .stderr("recall: no deck has the id or name `aws-api-gatewya`; did you mean `aws-api-gateway`?\n");
}

#[test]
fn an_unknown_tag_lists_the_decks_tags() {
    let data = TempDir::new().unwrap();
    recall(data.path())
        .args(["quiz", "aws-api-gateway", "--tag", "lamda"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "recall: no card of deck `aws-api-gateway` has the tag `lamda`; its tags are: \
             deployments, endpoints, integrations, lambda, mapping-templates, security, stages\n  \
             help: pick one of these with `--tag TAG`, or leave out `--tag`\n",
        );
}

#[test]
fn choice_mode_on_a_small_deck_suggests_self_mode() {
    let data = TempDir::new().unwrap();
    let deck = tiny_deck(data.path());
    recall(data.path())
        .args(["--deck", deck.to_str().unwrap()])
        .args(["quiz", "tiny", "--mode", "choice"])
        .assert()
        .code(1)
        .stderr(
            "recall: choice mode needs 4 cards with different answers, and deck `tiny` has only 3\n  \
             help: self mode works with any number of cards: add `--mode self`\n",
        );
}

#[test]
fn bad_lengths_and_flags_are_refused() {
    let data = TempDir::new().unwrap();
    let stderr = |args: &[&str]| {
        let output = recall(data.path()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        String::from_utf8(output.stderr).unwrap()
    };
    assert!(
        stderr(&["quiz", "-n", "0"])
            .starts_with("error: invalid value '0' for '-n <N>': a quiz needs at least 1 question")
    );
    assert!(stderr(&["quiz", "-n", "ten"]).contains("`ten` is not a whole number of questions"));
    assert!(stderr(&["quiz", "--mode", "quick"]).contains("[possible values: self, choice]"));
    assert!(
        stderr(&["quiz", "--history", "--record"])
            .contains("the argument '--history' cannot be used with '--record'")
    );
}

#[test]
fn record_needs_the_data_directory_to_itself() {
    let data = TempDir::new().unwrap();
    let _study = DataLock::acquire(data.path()).unwrap();
    recall(data.path())
        .args(["quiz", "--record"])
        .assert()
        .code(1)
        .stderr(format!(
            "recall: {} is in use by another recall session\n",
            data.path().display()
        ));
    // Without --record a quiz needs no lock: it gets as far as the terminal.
    recall(data.path())
        .arg("quiz")
        .assert()
        .code(1)
        .stderr("recall: the quiz needs a terminal; `recall quiz --history` prints past scores\n");
    assert!(!data.path().join("quizzes.csv").exists());
    assert!(!data.path().join("reviews.csv").exists());
    assert!(!data.path().join("log").exists(), "no device log either");
}
