//! The commands under attack: export aimed at recall's own files, special
//! files where decks and the config should be, terminal escapes in deck
//! text, a log full of garbage, and I/O errors that must name the file.
//!
//! Each `defect_N_...` test is the regression test of defect N of issue 10.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

fn recall(data_dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("recall").unwrap();
    cmd.env("RECALL_DATA_DIR", data_dir)
        .env("RECALL_CONFIG", data_dir.join("config.toml"))
        .env("NO_COLOR", "1")
        // A hang is a failure, not a stuck test run.
        .timeout(Duration::from_secs(60));
    cmd
}

fn write_deck(dir: &Path, file: &str, text: &str) {
    std::fs::create_dir_all(dir.join("decks")).unwrap();
    std::fs::write(dir.join("decks").join(file), text).unwrap();
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const LOG: &str = "reviewed_at,deck,card,rating,duration_ms\n2026-11-20T09:30:12.345Z,aws-api-gateway,endpoint-types,3,5234\n";

#[test]
fn defect_1_export_refuses_recall_own_files() {
    let data = TempDir::new().unwrap();
    let log = data.path().join("reviews.csv");
    std::fs::write(&log, LOG).unwrap();
    std::fs::create_dir_all(data.path().join("log/laptop")).unwrap();
    for name in [
        "reviews.csv",
        "quizzes.csv",
        "lock",
        "reviews.csv.torn",
        "log/laptop/reviews.csv",
        "log/laptop/new.csv",
    ] {
        let out = recall(data.path())
            .args([
                "export",
                "aws-api-gateway",
                "--format",
                "csv",
                "--force",
                "-o",
            ])
            .arg(data.path().join(name))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(
            stderr(&out).contains("export never writes over it (nothing was written)"),
            "{name}: {}",
            stderr(&out)
        );
    }
    assert_eq!(std::fs::read_to_string(&log).unwrap(), LOG);
}

#[test]
fn defect_1_export_into_the_deck_dir_needs_force() {
    let data = TempDir::new().unwrap();
    let other = "[deck]\nname = \"Other\"\n[[cards]]\nfront = \"q\"\nback = \"a\"\n";
    write_deck(data.path(), "other.toml", other);
    let target = data.path().join("decks/other.toml");
    let out = recall(data.path())
        .args(["export", "aws-api-gateway", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is inside recall's data directory"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), other);
    // With --force it replaces the deck, under the lock.
    recall(data.path())
        .args(["export", "aws-api-gateway", "--force", "-o"])
        .arg(&target)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("AWS API Gateway")
    );
    // Elsewhere no flag is needed.
    let elsewhere = TempDir::new().unwrap();
    recall(data.path())
        .args(["export", "aws-api-gateway", "-o"])
        .arg(elsewhere.path().join("out.toml"))
        .assert()
        .success();
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn defect_10_a_fifo_in_the_deck_dir_is_skipped_not_waited_on() {
    let data = TempDir::new().unwrap();
    std::fs::create_dir_all(data.path().join("decks")).unwrap();
    mkfifo(&data.path().join("decks/trap.toml"));
    for args in [&["decks"][..], &["due"]] {
        let out = recall(data.path()).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("trap.toml: cannot read it: is not a regular file (a FIFO)"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[cfg(unix)]
#[test]
fn defect_10_a_config_that_is_a_device_is_an_error_not_a_hang() {
    let data = TempDir::new().unwrap();
    let out = recall(data.path())
        .env("RECALL_CONFIG", "/dev/zero")
        .arg("due")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "recall: cannot read the config file /dev/zero: is not a regular file (a device)\n"
    );
}

#[test]
fn defect_10_a_huge_config_is_refused() {
    let data = TempDir::new().unwrap();
    let config = data.path().join("config.toml");
    std::fs::write(&config, "#".repeat(2 * 1024 * 1024)).unwrap();
    let out = recall(data.path()).arg("due").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is larger than 1 MB, recall's limit"),
        "{}",
        stderr(&out)
    );
}

const HOSTILE: &str = "[deck]\nname = \"Evil\\u001b]0;pwned\\u0007\\u001b[2J\"\n[[cards]]\nid = \"c\"\nfront = \"q\\u009b31m\"\nback = \"a\\u001b]52;c;Y2xpcA==\\u0007\"\n";

#[test]
fn defect_12_escapes_in_deck_text_are_printed_visibly() {
    let data = TempDir::new().unwrap();
    write_deck(data.path(), "evil.toml", HOSTILE);
    for args in [
        &["decks"][..],
        &["card", "evil/c"],
        &["export", "evil", "--format", "csv"],
    ] {
        let out = recall(data.path()).args(args).output().unwrap();
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        let text = String::from_utf8_lossy(&all);
        if args[0] == "export" {
            // To a pipe, an export is data: passed on byte for byte.
            assert!(text.contains('\u{1b}'), "{args:?}: {text}");
            continue;
        }
        assert!(out.status.success(), "{args:?}: {text}");
        assert!(!text.contains('\u{1b}'), "{args:?}: {text:?}");
        assert!(!text.contains('\u{9b}'), "{args:?}: {text:?}");
        assert!(!text.contains('\u{7}'), "{args:?}: {text:?}");
        let shown = if args[0] == "card" {
            "a^[]52;c;Y2xpcA==^G"
        } else {
            "Evil^[]0;pwned^G^[[2J"
        };
        assert!(text.contains(shown), "{args:?}: {text}");
    }
    // An import prints the deck name too.
    let source = TempDir::new().unwrap();
    let file = source.path().join("evil.toml");
    std::fs::write(&file, HOSTILE).unwrap();
    let other = TempDir::new().unwrap();
    let out = recall(other.path())
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
    let text = String::from_utf8_lossy(&all);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("^[]0;pwned"), "{text}");
}

#[test]
fn defect_17_a_log_of_garbage_prints_a_few_warnings_and_a_count() {
    let data = TempDir::new().unwrap();
    let mut log = String::from(LOG);
    for n in 0..10_000 {
        log.push_str(&format!("garbage {n}\n"));
    }
    std::fs::write(data.path().join("reviews.csv"), log).unwrap();
    let out = recall(data.path()).arg("due").output().unwrap();
    assert!(out.status.success());
    let text = stderr(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert!(lines[0].contains("line 3 skipped"), "{text}");
    assert_eq!(
        lines[5],
        "recall: warning: and 9995 more; `recall due --warnings` lists them"
    );
    let all = recall(data.path())
        .args(["due", "--warnings"])
        .output()
        .unwrap();
    assert_eq!(stderr(&all).lines().count(), 10_000);
}

#[cfg(unix)]
#[test]
fn defect_18_a_deck_warning_says_why_it_could_not_be_read() {
    let data = TempDir::new().unwrap();
    std::fs::create_dir_all(data.path().join("decks")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/x", data.path().join("decks/gone.toml")).unwrap();
    let out = recall(data.path()).arg("decks").output().unwrap();
    let text = stderr(&out);
    assert!(text.contains("gone.toml"), "{text}");
    assert!(!text.trim_end().ends_with("cannot read it"), "{text}");
}

/// A log that is there but cannot be read (here a directory, which fails
/// even for root, where permission bits would not) fails every command that
/// reads it, naming the file and the cause: it is never taken as empty.
#[test]
fn defect_18_an_unreadable_log_fails_the_command_naming_file_and_cause() {
    for (file, commands) in [
        ("log/tablet/reviews.csv", &[&["due"][..], &["stats"]][..]),
        ("log/tablet/card_events.csv", &[&["due"][..]][..]),
        ("reviews.csv", &[&["due"][..]][..]),
    ] {
        let data = TempDir::new().unwrap();
        let path = data.path().join(file);
        std::fs::create_dir_all(&path).unwrap();
        for args in commands {
            let out = recall(data.path()).args(*args).output().unwrap();
            let text = stderr(&out);
            assert!(!out.status.success(), "recall {args:?} with {file}: {text}");
            assert!(
                text.contains(&path.display().to_string()),
                "names {file}: {text}"
            );
            assert!(
                text.contains("is not a regular file (a directory)"),
                "the cause: {text}"
            );
        }
    }
}

#[test]
fn export_to_a_bare_file_name_writes_it_in_the_working_directory() {
    // A path with no directory part: its directory is ".", not "" (which
    // cannot be opened to sync the rename).
    let data = TempDir::new().unwrap();
    let work = TempDir::new().unwrap();
    recall(data.path())
        .current_dir(work.path())
        .args(["export", "aws-api-gateway", "-o", "out.toml"])
        .assert()
        .success();
    let text = std::fs::read_to_string(work.path().join("out.toml")).unwrap();
    assert!(text.contains("aws-api-gateway"), "{text}");
}

#[cfg(unix)]
#[test]
fn defect_10_a_fifo_where_a_log_should_be_is_an_error_not_a_hang() {
    // Each of recall's own logs, as a FIFO with no writer: opening it to
    // read would wait for one forever.
    for log in [
        "reviews.csv",
        "card_events.csv",
        "log/laptop/reviews.csv",
        "log/laptop/card_events.csv",
        "extra_new.csv",
    ] {
        // `stats` reads the logs, not the extra new cards of today.
        let commands: &[&[&str]] = if log == "extra_new.csv" {
            &[&["due"]]
        } else {
            &[&["due"], &["stats", "--json"]]
        };
        let data = TempDir::new().unwrap();
        let path = data.path().join(log);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        mkfifo(&path);
        for args in commands {
            let out = recall(data.path()).args(*args).output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(1),
                "{log} {args:?}: {}",
                stderr(&out)
            );
            let expected = format!("{}: is not a regular file (a FIFO)", path.display());
            assert!(
                stderr(&out).contains(&expected),
                "{log} {args:?}: {}",
                stderr(&out)
            );
        }
    }
}
