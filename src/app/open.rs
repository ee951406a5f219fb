//! Opening a card's media file with the system's opener (`open` on macOS,
//! `xdg-open` elsewhere, `explorer` on Windows), or the program named by
//! `RECALL_OPENER`. The path is passed as one argument to the program
//! itself: no shell ever sees it.

use std::path::Path;
use std::process::{Command, Stdio};

/// The program that opens files.
fn opener() -> std::ffi::OsString {
    if let Some(program) = std::env::var_os("RECALL_OPENER").filter(|p| !p.is_empty()) {
        return program;
    }
    if cfg!(target_os = "macos") {
        "open".into()
    } else if cfg!(windows) {
        "explorer".into()
    } else {
        "xdg-open".into()
    }
}

/// Starts the opener on `path`, without waiting for it (a thread reaps it)
/// and without letting it write over the screen.
pub fn open(path: &Path) -> std::io::Result<()> {
    let mut child = Command::new(opener())
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    std::thread::spawn(move || child.wait());
    Ok(())
}
