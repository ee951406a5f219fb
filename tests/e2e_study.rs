//! The real binary in a terminal (tmux): a study session from the home
//! screen, with undo; `recall study`; Ctrl-C, SIGTERM and a second writer.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/tmux.rs"]
mod tmux;

use tmux::{Pane, is_cooked};

const HEADER: &str = "reviewed_at,deck,card,rating,duration_ms";

/// The review lines of the log (without its header).
fn review_lines(log: &str) -> Vec<&str> {
    log.lines().filter(|line| *line != HEADER).collect()
}

#[test]
fn study_from_home_grade_undo_grade_again_and_quit() {
    let pane = Pane::start(&[]);
    pane.wait_for("AWS API Gateway");
    pane.wait_for("Enter study");
    pane.keys(&["Enter"]);
    pane.wait_for("What are some examples/use cases of API Gateway Integrations");
    pane.keys(&["Space"]);
    pane.wait_for("invoke lambda function");
    pane.wait_for("3 Good");
    pane.keys(&["3"]);
    pane.wait_for("What are the three endpoint types?");
    assert_eq!(
        review_lines(&pane.reviews()).len(),
        1,
        "the grade is on disk before the next card"
    );

    pane.keys(&["u"]);
    pane.wait_for("Undone");
    pane.wait_for("What are some examples/use cases");
    assert!(
        review_lines(&pane.reviews()).is_empty(),
        "undo removed the line"
    );

    pane.keys(&["Space"]);
    pane.wait_for("1 Again");
    pane.keys(&["1"]);
    pane.wait_for("What are the three endpoint types?");
    pane.keys(&["q"]);
    pane.wait_for("Session ended");
    pane.keys(&["Enter"]);
    pane.wait_for("Enter study");
    pane.keys(&["q"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(
        is_cooked(&screen),
        "the terminal is back in its normal mode:\n{screen}"
    );

    let log = pane.reviews();
    let lines = review_lines(&log);
    assert_eq!(lines.len(), 1, "{log}");
    let fields: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(
        &fields[1..4],
        ["aws-api-gateway", "integration-examples", "1"]
    );
    assert!(log.starts_with(HEADER));
}

#[test]
fn recall_study_goes_back_to_the_shell_after_the_session() {
    let pane = Pane::start(&["study", "aws-api-gateway"]);
    pane.wait_for("What are some examples");
    pane.keys(&["Space"]);
    pane.wait_for("4 Easy");
    pane.keys(&["4"]);
    pane.wait_for("What are the three endpoint types?");
    pane.keys(&["Escape"]);
    pane.wait_for("Session ended");
    pane.keys(&["q"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(is_cooked(&screen), "{screen}");
    assert_eq!(review_lines(&pane.reviews()).len(), 1);
}

#[test]
fn ctrl_c_leaves_at_once_with_the_terminal_restored() {
    let pane = Pane::start(&[]);
    pane.wait_for("Enter study");
    pane.keys(&["Enter"]);
    pane.wait_for("Space show answer");
    pane.keys(&["C-c"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(is_cooked(&screen), "{screen}");
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for (signal, number) in [("TERM", 15), ("HUP", 1)] {
        let pane = Pane::start(&[]);
        pane.wait_for("Enter study");
        pane.keys(&["Enter"]);
        pane.wait_for("Space show answer");
        let killed = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pane.pid().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let (status, screen) = pane.wait_for_exit();
        assert_eq!(status, 128 + number, "SIG{signal}: {screen}");
        assert!(is_cooked(&screen), "SIG{signal}: {screen}");
    }
}

#[test]
fn a_second_writer_is_refused_while_a_session_runs() {
    let pane = Pane::start(&[]);
    pane.wait_for("Enter study");
    pane.keys(&["Enter"]);
    pane.wait_for("Space show answer");
    let recall = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_recall"))
            .args(args)
            .env("RECALL_DATA_DIR", pane.data_dir())
            .env("RECALL_CONFIG", pane.data_dir().join("config.toml"))
            .output()
            .unwrap()
    };
    let second = recall(&["study"]);
    assert_eq!(second.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&second.stderr),
        format!(
            "recall: {} is in use by another recall session\n",
            pane.data_dir().display()
        )
    );
    for args in [
        &["decks"][..],
        &["due"],
        &["config"],
        &["card", "aws-api-gateway/endpoint-types"],
    ] {
        assert!(
            recall(args).status.success(),
            "{args:?} works while the session runs"
        );
    }
    pane.keys(&["C-c"]);
    pane.wait_for_exit();
}

#[test]
fn closing_the_terminal_ends_recall() {
    let pane = Pane::start(&[]);
    pane.wait_for("Enter study");
    pane.keys(&["Enter"]);
    pane.wait_for("Space show answer");
    let pid = pane.pid();
    pane.close_terminal();
    // The process must go, not spin on a terminal that is gone.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if state.split_whitespace().nth(2) == Some("Z") {
            break; // exited, not yet reaped by its (dead) parent
        }
        assert!(
            std::time::Instant::now() < deadline,
            "recall still runs after its terminal closed"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_too_small_screen_ignores_grade_keys() {
    let pane = Pane::start(&["study", "aws-api-gateway"]);
    pane.wait_for("Space show answer");
    pane.keys(&["Space"]);
    pane.wait_for("3 Good");
    pane.resize(30, 8);
    pane.wait_for("enlarge");
    pane.keys(&["3"]);
    // Give the key time to be (wrongly) acted on before looking.
    std::thread::sleep(std::time::Duration::from_millis(500));
    pane.resize(100, 30);
    pane.wait_for("3 Good");
    assert!(
        review_lines(&pane.reviews()).is_empty(),
        "the grade key did nothing while the card was hidden"
    );
    pane.keys(&["3"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while review_lines(&pane.reviews()).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the grade was never saved"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    pane.keys(&["C-c"]);
    pane.wait_for_exit();
}
