//! Two machines studying one collection, synced through a real git remote
//! (a bare repository in a temp dir): every review of both arrives once and
//! both machines agree on every card; a deck edited on both sides stops the
//! sync with both versions kept; an old single-file log is never rewritten.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;
use tmux::Pane;

const HEADER: &str = "reviewed_at,deck,card,rating,duration_ms";
const DECK: &str = r#"[deck]
id = "geo"
name = "Geography"

[[cards]]
id = "c1"
front = "Capital of France?"
back = "Paris"

[[cards]]
id = "c2"
front = "Capital of Spain?"
back = "Madrid"

[[cards]]
id = "c3"
front = "Capital of Italy?"
back = "Rome"

[[cards]]
id = "c4"
front = "Capital of Peru?"
back = "Lima"

[[cards]]
id = "c5"
front = "Capital of Chile?"
back = "Santiago"

[[cards]]
id = "c6"
front = "Capital of Japan?"
back = "Tokyo"
"#;
const T0: &str = "2026-11-25T09:00:00Z";
const T1: &str = "2026-11-25T10:00:00Z";
const T2: &str = "2026-11-25T11:00:00Z";

/// One machine: its data dir, config and device id, in a temp dir.
struct Machine {
    root: TempDir,
    device: &'static str,
}

impl Machine {
    fn new(device: &'static str) -> Machine {
        Machine {
            root: TempDir::new().unwrap(),
            device,
        }
    }

    fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    fn env(&self, now: &str) -> Vec<(&'static str, String)> {
        vec![
            ("RECALL_DATA_DIR", self.data().display().to_string()),
            (
                "RECALL_CONFIG",
                self.root.path().join("config.toml").display().to_string(),
            ),
            ("RECALL_DEVICE", self.device.to_owned()),
            ("RECALL_NOW", now.to_owned()),
            ("TZ", "UTC".to_owned()),
            // The machine's git has no identity: recall must cope.
            ("GIT_CONFIG_GLOBAL", "/dev/null".to_owned()),
            ("GIT_CONFIG_NOSYSTEM", "1".to_owned()),
        ]
    }

    fn recall(&self, now: &str, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::cargo_bin("recall").unwrap();
        for (name, value) in self.env(now) {
            cmd.env(name, value);
        }
        cmd.args(args).output().unwrap()
    }

    fn ok(&self, now: &str, args: &[&str]) -> String {
        let output = self.recall(now, args);
        assert!(
            output.status.success(),
            "recall {args:?} on {}: {}",
            self.device,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn own_log(&self) -> PathBuf {
        self.data()
            .join("log")
            .join(self.device)
            .join("reviews.csv")
    }

    fn own_lines(&self) -> Vec<String> {
        lines(&self.own_log())
    }

    /// `recall study geo` in a terminal, grading each card shown with the
    /// next of `grades`; returns the fronts in the order they were shown.
    fn study(&self, now: &str, grades: &[&str]) -> Vec<String> {
        let env = self.env(now);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let pane = Pane::start_with(&["study", "geo"], &env, TempDir::new().unwrap());
        let mut shown = Vec::new();
        for grade in grades {
            let before = self.own_lines().len();
            let screen = pane.wait_for("show answer");
            let front = DECK
                .lines()
                .filter_map(|line| line.strip_prefix("front = \""))
                .map(|front| front.trim_end_matches('"'))
                .find(|front| screen.contains(front))
                .unwrap_or_else(|| panic!("no card of the deck on screen:\n{screen}"));
            shown.push(front.to_owned());
            pane.keys(&["Space"]);
            pane.wait_for("1 Again");
            pane.keys(&[grade]);
            wait_until(|| self.own_lines().len() > before, "the grade is on disk");
        }
        pane.keys(&["q"]);
        pane.wait_for("Session ended");
        pane.keys(&["q"]);
        let (status, screen) = pane.wait_for_exit();
        assert_eq!(status, 0, "{screen}");
        shown
    }
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|line| *line != HEADER)
        .map(str::to_owned)
        .collect()
}

fn wait_until(done: impl Fn() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A bare repository every machine can reach.
fn remote() -> (TempDir, String) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("remote.git");
    let status = std::process::Command::new("git")
        .args(["init", "--quiet", "--bare"])
        .arg(&path)
        .status()
        .expect("git must be installed for the sync tests (.ci/run installs it)");
    assert!(status.success());
    (dir, path.display().to_string())
}

/// Every review line in a machine's data dir, from every device's file.
fn all_reviews(machine: &Machine) -> Vec<String> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(machine.data().join("log")).unwrap() {
        all.extend(lines(&entry.unwrap().path().join("reviews.csv")));
    }
    all.sort();
    all
}

#[test]
fn two_machines_study_sync_and_agree_on_every_card() {
    let (_remote_dir, remote) = remote();
    let a = Machine::new("laptop");
    let b = Machine::new("desk");
    std::fs::create_dir_all(a.data().join("decks")).unwrap();
    std::fs::write(a.data().join("decks/geo.toml"), DECK).unwrap();

    // A studies three cards: the first is forgotten (due again in minutes),
    // the other two known well (due in days).
    let a_shown = a.study(T0, &["1", "4", "4"]);
    assert_eq!(a_shown.len(), 3);
    let init = a.ok(T0, &["sync", "--init", &remote]);
    assert!(init.contains("sent this machine's changes"), "{init}");

    // B joins: it gets A's deck and reviews.
    let joined = b.ok(T1, &["sync", "--init", &remote]);
    assert!(joined.contains("3 reviews"), "{joined}");
    assert!(b.data().join("decks/geo.toml").is_file());

    // An hour later B sees A's forgotten card again first, then new ones.
    let b_shown = b.study(T1, &["3", "3", "3"]);
    assert_eq!(b_shown[0], a_shown[0], "A's forgotten card is due on B");
    assert!(
        !a_shown.contains(&b_shown[1]) && !a_shown.contains(&b_shown[2]),
        "then two cards A never saw: {a_shown:?} {b_shown:?}"
    );
    let sent = b.ok(T1, &["sync"]);
    assert!(sent.contains("sent this machine's changes"), "{sent}");
    let came = a.ok(T1, &["sync"]);
    assert!(came.contains("3 reviews came in"), "{came}");

    // Every review of both machines is present once, on both.
    assert_eq!(all_reviews(&a).len(), 6);
    assert_eq!(all_reviews(&a), all_reviews(&b));
    let mut unique = all_reviews(&a);
    unique.dedup();
    assert_eq!(unique.len(), 6, "no review twice");

    // Both machines agree exactly on what is due and on each card.
    assert_eq!(a.ok(T2, &["due", "--json"]), b.ok(T2, &["due", "--json"]));
    for card in ["c1", "c2", "c3", "c4", "c5", "c6"] {
        let key = format!("geo/{card}");
        assert_eq!(
            a.ok(T2, &["card", &key, "--json"]),
            b.ok(T2, &["card", &key, "--json"]),
            "{key}"
        );
    }
    // Each machine wrote only its own file.
    assert_eq!(a.own_lines().len(), 3);
    assert_eq!(b.own_lines().len(), 3);
    let status = b.ok(T2, &["sync"]);
    assert!(status.contains("nothing new came in"), "{status}");
}

#[test]
fn a_deck_edited_on_both_machines_stops_the_sync_and_keeps_both_edits() {
    let (_remote_dir, remote) = remote();
    let a = Machine::new("laptop");
    let b = Machine::new("desk");
    std::fs::create_dir_all(a.data().join("decks")).unwrap();
    let deck = a.data().join("decks/geo.toml");
    std::fs::write(&deck, DECK).unwrap();
    a.ok(T0, &["sync", "--init", &remote]);
    b.ok(T0, &["sync", "--init", &remote]);

    std::fs::write(&deck, DECK.replace("Paris", "Paris (on the Seine)")).unwrap();
    let b_deck = b.data().join("decks/geo.toml");
    std::fs::write(&b_deck, DECK.replace("Paris", "Paris, city of light")).unwrap();
    a.ok(T1, &["sync"]);
    let output = b.recall(T1, &["sync"]);
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("decks/geo.toml: this machine's version is `git show :2:decks/geo.toml`"),
        "{message}"
    );
    assert!(message.contains("nothing was lost"), "{message}");

    // Both edits are in the file, between git's markers.
    let merged = std::fs::read_to_string(&b_deck).unwrap();
    assert!(merged.contains("Paris, city of light"), "{merged}");
    assert!(merged.contains("Paris (on the Seine)"), "{merged}");
    let check = b.recall(T1, &["check", b_deck.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    let explained = String::from_utf8_lossy(&check.stdout).into_owned()
        + &String::from_utf8_lossy(&check.stderr);
    assert!(explained.contains("merge conflict"), "{explained}");
    assert!(explained.contains("run `recall sync` again"), "{explained}");

    // Syncing again before the file is fixed stops again, changing nothing.
    assert_eq!(b.recall(T1, &["sync"]).status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&b_deck).unwrap(), merged);

    // The user keeps one version; the next sync finishes the merge.
    std::fs::write(&b_deck, DECK.replace("Paris", "Paris, city of light")).unwrap();
    b.ok(T1, &["sync"]);
    let came = a.ok(T2, &["sync"]);
    assert!(came.contains("decks/geo.toml"), "{came}");
    let a_text = std::fs::read_to_string(&deck).unwrap();
    assert!(a_text.contains("Paris, city of light"), "{a_text}");
}

#[test]
fn an_old_single_file_log_keeps_its_history_and_its_bytes() {
    let machine = Machine::new("laptop");
    std::fs::create_dir_all(machine.data().join("decks")).unwrap();
    std::fs::write(machine.data().join("decks/geo.toml"), DECK).unwrap();
    // Written by an older recall: no trailing newline quirks, CRLF even.
    let old = format!("{HEADER}\r\n2026-11-20T09:30:00.000Z,geo,c1,3,5234\r\n");
    let legacy = machine.data().join("reviews.csv");
    std::fs::write(&legacy, &old).unwrap();

    let card = machine.ok(T0, &["card", "geo/c1", "--json"]);
    assert!(card.contains("2026-11-20T09:30:00"), "{card}");
    machine.study(T0, &["3"]);
    assert_eq!(
        std::fs::read(&legacy).unwrap(),
        old.as_bytes(),
        "byte for byte"
    );
    assert_eq!(
        machine.own_lines().len(),
        1,
        "new reviews go to the device's file"
    );
    let card = machine.ok(T0, &["card", "geo/c1", "--json"]);
    let history: serde_json::Value = serde_json::from_str(&card).unwrap();
    let reviews = history["reviews"].as_array().unwrap().len();
    assert!(reviews >= 1, "{card}");
    let total: usize = ["c1", "c2", "c3", "c4", "c5", "c6"]
        .iter()
        .map(|c| {
            let json: serde_json::Value =
                serde_json::from_str(&machine.ok(T0, &["card", &format!("geo/{c}"), "--json"]))
                    .unwrap();
            json["reviews"].as_array().unwrap().len()
        })
        .sum();
    assert_eq!(total, 2, "the old review and the new one");
}

#[test]
fn sync_without_a_remote_or_offline_says_what_to_do_and_loses_nothing() {
    let machine = Machine::new("laptop");
    let output = machine.recall(T0, &["sync"]);
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("recall sync --init REMOTE"), "{message}");

    let (remote_dir, remote) = remote();
    std::fs::create_dir_all(machine.data().join("decks")).unwrap();
    std::fs::write(machine.data().join("decks/geo.toml"), DECK).unwrap();
    machine.ok(T0, &["sync", "--init", &remote]);
    machine.study(T0, &["3"]);
    // The remote goes away (offline, or a moved server).
    drop(remote_dir);
    let output = machine.recall(T1, &["sync"]);
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("cannot reach the remote"), "{message}");
    assert!(message.contains("committed locally"), "{message}");
    assert_eq!(machine.own_lines().len(), 1, "the review is still there");
    let log = std::process::Command::new("git")
        .arg("-C")
        .arg(machine.data())
        .args(["log", "--oneline"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&log.stdout).lines().count(),
        2,
        "the review was committed locally for the next sync"
    );
}

#[test]
fn sync_on_exit_sends_the_session_and_home_shows_the_last_sync() {
    let (_remote_dir, remote) = remote();
    let machine = Machine::new("laptop");
    std::fs::create_dir_all(machine.data().join("decks")).unwrap();
    std::fs::write(machine.data().join("decks/geo.toml"), DECK).unwrap();
    std::fs::write(
        machine.root.path().join("config.toml"),
        "sync_on_exit = true\n",
    )
    .unwrap();
    machine.ok(T0, &["sync", "--init", &remote]);
    let commits = || {
        let log = std::process::Command::new("git")
            .args(["--git-dir", &remote, "log", "--oneline", "main"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&log.stdout).lines().count()
    };
    assert_eq!(commits(), 1);

    machine.study(T1, &["3"]);
    assert_eq!(commits(), 2, "quitting the session synced it");

    let env = machine.env(T2);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let pane = Pane::start_with(&[], &env, TempDir::new().unwrap());
    pane.wait_for("laptop · synced 2026-11-25 10:00");
    pane.keys(&["q"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}
