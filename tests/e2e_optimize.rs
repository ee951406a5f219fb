//! The real binary in a terminal (tmux): `recall optimize` on a large log
//! shows its progress bar, and Ctrl-C (SIGINT, as the terminal sends it to
//! recall) stops the fit with nothing written.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/tmux.rs"]
mod tmux;

#[path = "support/learner.rs"]
mod learner;

use tempfile::TempDir;
use tmux::Pane;

#[test]
fn ctrl_c_stops_the_fit_and_writes_nothing() {
    let data = TempDir::new().unwrap();
    // Large enough that fitting takes a few seconds even on a fast machine.
    let reviews = learner::simulate(20_000, 200, 150, 5);
    std::fs::write(
        data.path().join("reviews.csv"),
        learner::log_text("sim", &reviews),
    )
    .unwrap();
    let config = "# mine\ndesired_retention = 0.9\n";
    std::fs::write(data.path().join("config.toml"), config).unwrap();
    let pane = Pane::start_with(&["optimize"], &[], data);
    let screen = pane.wait_for("fitting");
    assert!(screen.contains('%'), "{screen}");
    // The signal itself: tmux's C-c would also reach the test's shell.
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pane.pid().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let (code, screen) = pane.wait_for_exit();
    assert_eq!(code, 130, "{screen}");
    assert!(
        screen.contains("interrupted; nothing was written"),
        "{screen}"
    );
    assert_eq!(
        std::fs::read_to_string(pane.data_dir().join("config.toml")).unwrap(),
        config
    );
}
