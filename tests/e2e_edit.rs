//! The real binary in a terminal (tmux) with `$EDITOR` set to a script:
//! `e` on a card leaves the screen (the editor gets a terminal in its
//! normal mode, the deck file and `+LINE`), and on return the screen is
//! back with the edited text; an editor that cannot start leaves the
//! screen working and says so.

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/tmux.rs"]
mod tmux;

use std::os::unix::fs::PermissionsExt;

use tempfile::TempDir;
use tmux::{Pane, is_cooked};

const GEO: &str = "\
# My deck.
[deck]
name = \"Geo\"

[[cards]]
id = \"france\"
front = \"Capital of France?\"
back = \"Paris\"
";

/// A data dir with `decks/geo.toml` and `editor.sh`: the script records
/// the terminal's mode, shows its arguments, waits for Enter (a line read
/// only works on a terminal in its normal mode), then edits the file.
fn setup() -> (TempDir, String) {
    let data = TempDir::new().unwrap();
    let decks = data.path().join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    std::fs::write(decks.join("geo.toml"), GEO).unwrap();
    let script = data.path().join("editor.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nstty -a > '{stty}'\necho \"EDITOR ON $1 $2\"\nread answer\n\
             sed -i \"s/Capital of France?/Capital of France ($answer)?/\" \"$2\"\n",
            stty = data.path().join("stty.txt").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let script = script.display().to_string();
    (data, script)
}

#[test]
fn e_in_the_reviewer_opens_the_editor_and_the_session_goes_on() {
    let (data, script) = setup();
    let geo = data.path().join("decks/geo.toml");
    let stty = data.path().join("stty.txt");
    let pane = Pane::start_with(
        &["study", "geo"],
        &[("EDITOR", &script), ("VISUAL", "")],
        data,
    );
    pane.wait_for("Capital of France?");
    pane.keys(&["e"]);
    // The editor has the terminal: the main screen, not recall's.
    let screen = pane.wait_for(&format!("EDITOR ON +6 {}", geo.display()));
    assert!(!screen.contains("show answer"), "{screen}");
    let mode = std::fs::read_to_string(&stty).unwrap();
    assert!(is_cooked(&mode), "the editor got a raw terminal: {mode}");
    for key in ["y", "e", "s", "Enter"] {
        pane.keys(&[key]);
    }
    // Back in recall, with the new text, the same card up.
    pane.wait_for("decks reloaded, progress kept");
    pane.wait_for("Capital of France (yes)?");
    pane.keys(&["Space"]);
    pane.wait_for("Paris");
    pane.keys(&["3"]);
    pane.wait_for("1 reviewed");
    pane.keys(&["q"]);
    pane.wait_for("Session ended");
    pane.keys(&["Enter"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(is_cooked(&screen), "the terminal was left raw: {screen}");
    assert!(
        pane.reviews().contains(",geo,france,3,"),
        "{}",
        pane.reviews()
    );
    assert_eq!(
        std::fs::read_to_string(&geo).unwrap(),
        GEO.replace("France?", "France (yes)?")
    );
}

#[test]
fn an_editor_that_cannot_start_leaves_the_screen_working() {
    let (data, _) = setup();
    let missing = data.path().join("no-such-editor").display().to_string();
    let pane = Pane::start_with(&[], &[("VISUAL", &missing)], data);
    pane.wait_for("Geo");
    pane.keys(&["b"]);
    pane.wait_for("Browse");
    pane.keys(&["End"]);
    pane.wait_for("▶ geo");
    pane.keys(&["e"]);
    pane.wait_for("Could not start the editor");
    // Still a working screen: keys act.
    pane.keys(&["q"]);
    pane.wait_for("study all");
    pane.keys(&["q"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(is_cooked(&screen), "the terminal was left raw: {screen}");
}
