//! The real binary in a terminal (tmux): the browser from the home screen,
//! a live search, suspending the card found, and seeing it leave today's
//! queue; `!` in the reviewer.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;

use tmux::Pane;

/// This device's card events file, `log/<device>/card_events.csv`, if any.
fn events_path(data: &Path) -> std::path::PathBuf {
    std::fs::read_dir(data.join("log"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("card_events.csv"))
        .find(|path| path.is_file())
        .unwrap_or_else(|| data.join("log/none/card_events.csv"))
}

fn events(pane: &Pane) -> String {
    std::fs::read_to_string(events_path(pane.data_dir())).unwrap_or_default()
}

#[test]
fn search_suspend_and_the_card_leaves_the_queue() {
    let pane = Pane::start(&[]);
    pane.wait_for("15 new");
    pane.keys(&["/"]);
    pane.wait_for("15 of 15 cards");
    for key in ["t", "h", "r", "e", "e", "Space", "e", "n", "d"] {
        pane.keys(&[key]);
    }
    pane.wait_for("1 of 15 cards");
    pane.wait_for("What are the three endpoint ty");
    pane.keys(&["Enter"]);
    pane.wait_for("Enter open");
    pane.keys(&["!"]);
    pane.wait_for("Suspended: aws-api-gateway/endpoint-types");
    assert!(
        events(&pane).ends_with(",aws-api-gateway,endpoint-types,suspend\n"),
        "the event is on disk before the screen says so: {}",
        events(&pane)
    );
    pane.keys(&["q"]);
    pane.wait_for("14 new");
    // Study everything: the suspended card never comes up.
    pane.keys(&["Enter"]);
    pane.wait_for("What are some examples/use cases");
    pane.keys(&["Space"]);
    pane.wait_for("3 Good");
    pane.keys(&["3"]);
    let next = pane.wait_for("show answer");
    assert!(!next.contains("three endpoint types"), "{next}");
    pane.wait_for("How can you provide user authentication");
    pane.keys(&["q"]);
    pane.wait_for("Session ended");
    pane.keys(&["Enter"]);
    pane.keys(&["q"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}

#[test]
fn suspend_in_the_reviewer_then_undo() {
    let pane = Pane::start(&["study", "aws-api-gateway"]);
    pane.wait_for("What are some examples/use cases");
    pane.keys(&["!"]);
    pane.wait_for("Suspended: aws-api-gateway/integration-examples");
    pane.wait_for("What are the three endpoint types");
    pane.keys(&["u"]);
    pane.wait_for("Undone: suspend");
    pane.wait_for("What are some examples/use cases");
    assert_eq!(events(&pane).lines().count(), 1, "{}", events(&pane));
    pane.keys(&["q"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}
