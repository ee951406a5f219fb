//! The real binary in a terminal (tmux) under attack: key bursts, signals
//! that used to leave the terminal raw, and Ctrl-Z / SIGTSTP then `fg`.
//!
//! Each `defect_N_...` test is the regression test of defect N of issue 10.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/tmux.rs"]
mod tmux;

use std::time::{Duration, Instant};

use tmux::{Pane, is_cooked};

const HEADER: &str = "reviewed_at,deck,card,rating,duration_ms";

fn review_lines(log: &str) -> Vec<String> {
    log.lines()
        .filter(|line| *line != HEADER)
        .map(str::to_owned)
        .collect()
}

fn kill(pid: i32, signal: &str) {
    let status = std::process::Command::new("kill")
        .args(["-s", signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn defect_7_a_burst_of_keys_grades_nothing_unseen() {
    let pane = Pane::start(&["study"]);
    pane.wait_for("What are some examples/use cases of API Gateway Integrations");
    // Twenty spaces in one burst: before the fix they graded ten cards.
    pane.burst(&["Space"; 20]);
    pane.wait_for("3 Good");
    // One deliberate grade; the next card appears after it.
    std::thread::sleep(Duration::from_millis(300));
    pane.keys(&["3"]);
    pane.wait_for("What are the three endpoint types?");
    assert_eq!(
        review_lines(&pane.reviews()).len(),
        1,
        "only the grade given on purpose is in the log"
    );
    // A paste is ignored too.
    pane.burst(&["-l", "4444 4444 4444"]);
    std::thread::sleep(Duration::from_millis(300));
    pane.keys(&["q"]);
    pane.wait_for("Session ended");
    std::thread::sleep(Duration::from_millis(300));
    pane.keys(&["q"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert_eq!(review_lines(&pane.reviews()).len(), 1);
}

#[test]
fn defect_9_quit_usr1_and_alrm_restore_the_terminal() {
    for (signal, number) in [("QUIT", 3), ("USR1", 10), ("ALRM", 14)] {
        let pane = Pane::start(&[]);
        pane.wait_for("Enter study");
        kill(pane.pid(), signal);
        let (status, screen) = pane.wait_for_exit();
        assert_eq!(status, 128 + number, "SIG{signal}: {screen}");
        assert!(
            is_cooked(&screen),
            "SIG{signal} left the terminal raw:\n{screen}"
        );
    }
}

#[test]
fn defect_8_sigtstp_restores_the_terminal_and_sigcont_redraws() {
    let pane = Pane::start(&[]);
    pane.wait_for("Enter study");
    let pid = pane.pid();
    kill(pid, "TSTP");
    // Stopped: the alternate screen is gone.
    let deadline = Instant::now() + Duration::from_secs(15);
    while pane.screen().contains("Enter study") {
        assert!(Instant::now() < deadline, "still on the alternate screen");
        std::thread::sleep(Duration::from_millis(50));
    }
    kill(pid, "CONT");
    pane.wait_for("Enter study");
    // Raw mode is back: a single key acts without Enter.
    pane.keys(&["q"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(is_cooked(&screen), "{screen}");
}
