//! The real binary in a terminal (tmux), starting on a large collection
//! (issues 15 and 10): a first start shows "Loading" at once and drops the
//! keys typed at it; the next start shows the home screen kept from the
//! first at once, and keys typed at it act once the load is done.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/tmux.rs"]
mod tmux;

use std::time::Duration;

use tempfile::TempDir;
use tmux::Pane;

/// 60,000 cards: seconds to parse in a debug build, and most of a second
/// to load from the cache, so both previews are up long enough to type at.
fn large_collection() -> TempDir {
    let data = TempDir::new().unwrap();
    let decks = data.path().join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    let mut deck = String::from("[deck]\nid = \"generated\"\nname = \"Generated\"\n");
    for i in 0..60_000 {
        deck.push_str(&format!(
            "\n[[cards]]\nid = \"card-{i:06}\"\nfront = \"What does service {i} do?\"\nback = \"It handles requests of kind {i}.\"\n"
        ));
    }
    std::fs::write(decks.join("generated.toml"), deck).unwrap();
    data
}

fn start(data: TempDir) -> Pane {
    let cache = data.path().join("cache");
    let phases = data.path().join("phases");
    let _ = std::fs::remove_file(&phases);
    Pane::start_with(
        &[],
        &[
            ("RECALL_CACHE_DIR", cache.to_str().unwrap()),
            ("RECALL_PHASES", phases.to_str().unwrap()),
        ],
        data,
    )
}

/// recall writes its phases file at the loaded app's first frame.
fn loaded(pane: &Pane) -> bool {
    pane.data_dir().join("phases").exists()
}

const LOAD_LIMIT: Duration = Duration::from_secs(120);

#[test]
fn loading_drops_keys_and_the_next_start_shows_the_kept_home_screen_at_once() {
    let pane = start(large_collection());
    pane.wait_for("Loading your decks and reviews");
    assert!(!loaded(&pane));
    // Down, then Enter: on the home screen these would start a session.
    pane.keys(&["j", "Enter"]);
    assert!(!loaded(&pane), "the keys were typed while it loaded");
    let home = pane.wait_for_within("study all", LOAD_LIMIT);
    assert!(home.contains("▶ AWS API Gateway"), "j was dropped: {home}");
    std::thread::sleep(Duration::from_millis(300));
    let home = pane.screen();
    assert!(home.contains("Generated"), "{home}");
    assert!(
        !home.contains("Space show answer"),
        "Enter was dropped: {home}"
    );
    pane.keys(&["q"]);
    let (status, _) = pane.wait_for_exit();
    assert_eq!(status, 0);

    // Again, on the same files: the kept home screen is up before the load
    // is done, the same as the loaded one, and a key typed at it acts.
    let mut pane = pane;
    let data = std::mem::replace(&mut pane.data, TempDir::new().unwrap());
    drop(pane);
    let pane = start(data);
    let kept = pane.wait_for_within("study all", LOAD_LIMIT);
    assert!(
        !loaded(&pane),
        "the home screen showed before the load was done"
    );
    assert!(
        kept.contains("▶ AWS API Gateway") && kept.contains("Generated"),
        "{kept}"
    );
    pane.keys(&["j"]);
    let moved = pane.wait_for_within("▶ Generated", LOAD_LIMIT);
    let deadline = std::time::Instant::now() + LOAD_LIMIT;
    while !loaded(&pane) {
        assert!(std::time::Instant::now() < deadline, "never loaded");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(moved.contains("60000 cards"), "{moved}");
    pane.keys(&["q"]);
    let (status, _) = pane.wait_for_exit();
    assert_eq!(status, 0);
}
