//! Drives the real `recall` binary in a tmux pane, as a user at a terminal
//! would: send keys, read the screen. Each test gets its own tmux server
//! (socket), data directory and config, so tests run in parallel.
//!
//! After recall exits, the pane's shell prints `EXIT=<status>` and the
//! terminal's settings (`stty -a`), so tests can check the terminal was
//! restored, then waits so the pane can be read.

#![allow(dead_code)] // each end-to-end test file uses part of this

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The device id every pane runs as, unless its test sets another.
pub const DEVICE: &str = "test";

static NEXT: AtomicUsize = AtomicUsize::new(0);

pub struct Pane {
    socket: String,
    pub data: TempDir,
    /// recall's process id, once it started.
    pid_file: PathBuf,
}

impl Pane {
    /// Starts `recall ARGS` in a 100×30 pane with a fresh data directory.
    pub fn start(args: &[&str]) -> Pane {
        Pane::start_with(args, &[], TempDir::new().expect("temp dir"))
    }

    /// Starts `recall ARGS` with extra environment variables, in `data`.
    pub fn start_with(args: &[&str], env: &[(&str, &str)], data: TempDir) -> Pane {
        let socket = format!(
            "recall-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let pid_file = data.path().join("recall.pid");
        let mut exports = format!(
            "export RECALL_DATA_DIR='{}' RECALL_CONFIG='{}' RECALL_DEVICE='{DEVICE}' RECALL_IMAGES=halfblocks TZ=UTC; unset NO_COLOR; ",
            data.path().display(),
            data.path().join("config.toml").display()
        );
        for (name, value) in env {
            exports.push_str(&format!("export {name}='{value}'; "));
        }
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        // The inner shell writes its pid, then becomes recall (same pid).
        let script = format!(
            "{exports} sh -c 'echo $$ > \"{pid}\"; exec \"{bin}\" {args}'; echo EXIT=$?; stty -a; sleep 600",
            pid = pid_file.display(),
            bin = env!("CARGO_BIN_EXE_recall"),
            args = quoted.join(" ").replace('\'', "'\\''"),
        );
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "100",
                "-y",
                "30",
                "sh",
                "-c",
                &script,
            ])
            .status()
            .expect("tmux must be installed for the end-to-end tests (.ci/run installs it)");
        assert!(status.success(), "tmux did not start");
        Pane {
            socket,
            data,
            pid_file,
        }
    }

    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    /// Sends tmux key names, one call per key so none are merged into an
    /// escape sequence (Esc followed by `1` would read as Alt-1).
    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            let status = Command::new("tmux")
                .args(["-L", &self.socket, "send-keys", key])
                .status()
                .expect("tmux send-keys");
            assert!(status.success());
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Sends tmux key names in one call: they arrive as one burst, as a
    /// paste or a key held down delivers them.
    pub fn burst(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys"])
            .args(keys)
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// Resizes the pane's window, as a user dragging the terminal would.
    pub fn resize(&self, width: u16, height: u16) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "resize-window", "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .status()
            .expect("tmux resize-window");
        assert!(status.success());
    }

    pub fn screen(&self) -> String {
        let output = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p"])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The screen with its colours and attributes, as escape sequences.
    pub fn screen_with_colours(&self) -> String {
        let output = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-e"])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Waits until the screen shows `text`, and returns the screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_within(text, Duration::from_secs(15))
    }

    /// [`wait_for`](Self::wait_for) with another time limit (a large
    /// collection loading).
    pub fn wait_for_within(&self, text: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// recall's process id.
    pub fn pid(&self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(text) = std::fs::read_to_string(&self.pid_file)
                && let Ok(pid) = text.trim().parse()
            {
                return pid;
            }
            assert!(Instant::now() < deadline, "recall did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for recall to exit; returns its exit status and the screen.
    pub fn wait_for_exit(&self) -> (i32, String) {
        let screen = self.wait_for("EXIT=");
        let status = screen
            .lines()
            .find_map(|line| line.strip_prefix("EXIT="))
            .and_then(|s| s.trim().parse().ok())
            .expect("an exit status");
        // Let stty print too.
        let screen = self.wait_for("speed");
        (status, screen)
    }

    /// Closes the terminal under recall, as closing a terminal window does.
    pub fn close_terminal(&self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }

    /// What this session wrote to its review log (its device's own file;
    /// tests that set `RECALL_DEVICE` themselves read their file directly).
    pub fn reviews(&self) -> String {
        std::fs::read_to_string(self.data_dir().join(format!("log/{DEVICE}/reviews.csv")))
            .unwrap_or_default()
    }
}

/// Whether `stty -a` output shows a terminal in its normal (cooked) mode:
/// line editing and echo on, as before recall started.
pub fn is_cooked(stty: &str) -> bool {
    let words: Vec<&str> = stty.split_whitespace().collect();
    ["icanon", "echo", "isig", "icrnl", "opost"]
        .iter()
        .all(|flag| words.contains(flag))
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}
