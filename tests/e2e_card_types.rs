//! The real binary in tmux on the example deck with one note of each card
//! type: study every card of the day, type a wrong answer and see the
//! comparison, and check that siblings are not shown the same day.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/tmux.rs"]
mod tmux;

use tmux::Pane;

#[test]
fn study_every_card_type_and_siblings_wait() {
    let deck = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/decks/examples/card-types.toml"
    );
    let pane = Pane::start(&["--deck", deck, "study", "card-types"]);
    // Basic.
    pane.wait_for("What does FSRS stand for?");
    pane.keys(&["Space"]);
    pane.wait_for("Free Spaced Repetition Scheduler");
    pane.keys(&["4"]);
    // Reversed note: its front → back card first.
    pane.wait_for("le chat");
    pane.keys(&["Space"]);
    pane.wait_for("the cat");
    pane.keys(&["4"]);
    // Cloze c1, with c2's answer shown as text.
    pane.wait_for("The [...] of France is Paris.");
    pane.keys(&["Space"]);
    pane.wait_for("Paris has been the capital since 987.");
    pane.keys(&["4"]);
    // Three deletions with one number, hidden together.
    pane.wait_for("The primary colours of light are [...], [...] and [...].");
    pane.keys(&["Space"]);
    pane.wait_for("are red, green and blue.");
    pane.keys(&["4"]);
    // Typed answer: `q` and `?` are text here, not keys.
    pane.wait_for("Type the answer, then Enter:");
    pane.keys(&["T", "o", "k", "i", "q", "BSpace", "o"]);
    pane.wait_for("› Tokio");
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("✗ Tokio");
    assert!(screen.contains('↓'), "{screen}");
    pane.wait_for("1 Again");
    pane.keys(&["1"]);
    // Again puts it in its learning steps, and learning ahead brings it back
    // with an empty field; this time the answer is right.
    pane.wait_for("0 new · 1 learning");
    let screen = pane.wait_for("Type the answer, then Enter:");
    assert!(!screen.contains("Tokio"), "{screen}");
    pane.keys(&["t", "o", "k", "y", "o", "Enter"]);
    pane.wait_for("✓ Tokyo");
    pane.keys(&["4"]);
    // The siblings (the reverse, cloze c2) never came today.
    let screen = pane.wait_for("All done");
    assert!(!screen.contains("the cat"), "{screen}");
    let log = pane.reviews();
    let cards: Vec<&str> = log
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(
        cards,
        [
            "basic",
            "reversed",
            "capital",
            "primaries",
            "typed",
            "typed"
        ],
        "{log}"
    );
    pane.keys(&["Enter"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}
