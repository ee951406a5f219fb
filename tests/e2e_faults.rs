//! The real binary in a terminal (tmux) under attack: key bursts, signals
//! that used to leave the terminal raw, Ctrl-Z / SIGTSTP then `fg`; and on a
//! pseudo-terminal of its own, a terminal that goes away without a signal.
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

/// The terminal goes away without a signal: recall runs on a pseudo-terminal
/// that is not its controlling terminal (so closing it sends no SIGHUP), and
/// the test closes the terminal's other end. recall must notice (EOF, EIO or
/// a hang-up on its input) and exit; before the fix it ran on for minutes.
/// The timeout is generous for a loaded machine: the promise is about a
/// second.
#[cfg(unix)]
#[test]
fn defect_20_a_terminal_closed_without_a_signal_ends_recall() {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    use std::os::unix::fs::OpenOptionsExt;
    use std::process::{Command, Stdio};

    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let terminal = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(name.to_str().unwrap())
        .unwrap();
    rustix::termios::tcsetwinsize(
        &terminal,
        rustix::termios::Winsize {
            ws_row: 30,
            ws_col: 100,
            ws_xpixel: 0,
            ws_ypixel: 0,
        },
    )
    .unwrap();
    let data = tempfile::TempDir::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_recall"))
        .env("RECALL_DATA_DIR", data.path())
        .env("RECALL_CONFIG", data.path().join("config.toml"))
        .env("TERM", "xterm-256color")
        .stdin(Stdio::from(terminal.try_clone().unwrap()))
        .stdout(Stdio::from(terminal.try_clone().unwrap()))
        .stderr(Stdio::from(terminal))
        .spawn()
        .unwrap();

    // Read what recall draws until the home screen is up (its footer names
    // the quit key), so it is in its event loop when the terminal goes.
    let mut screen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&screen).contains("quit") {
        assert!(Instant::now() < deadline, "recall never drew its screen");
        let mut fds = [PollFd::new(&master, PollFlags::IN)];
        let wait = Timespec {
            tv_sec: 0,
            tv_nsec: 100_000_000,
        };
        if poll(&mut fds, Some(&wait)).unwrap() > 0 {
            match rustix::io::read(&master, &mut buf) {
                Ok(n) => screen.extend_from_slice(&buf[..n]),
                Err(error) => panic!("reading the terminal: {error}"),
            }
        }
        assert!(child.try_wait().unwrap().is_none(), "recall ended early");
    }
    drop(master); // the terminal emulator dies

    let closed = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if closed.elapsed() > Duration::from_secs(30) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    if status.is_none() {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    assert!(
        status.is_some(),
        "recall still ran 30 s after its terminal was closed"
    );
    println!(
        "recall exited {:?} after the terminal closed",
        closed.elapsed()
    );
}
