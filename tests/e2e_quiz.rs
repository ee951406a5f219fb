//! The real binary in a terminal (tmux) with a temp data dir: seeded
//! 3-question quizzes answered right, wrong, right show 2/3, add one line
//! to `quizzes.csv` and leave `reviews.csv` alone; with `--record` the log
//! gains three reviews (and a second writer is refused); the home screen's
//! `z` dialog; a resize and Ctrl-C mid-quiz.
//!
//! The test knows the right answers because the seed decides the draw: it
//! draws the same quiz through the library and checks the screen shows it.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "support/tmux.rs"]
mod tmux;

use chrono::Utc;
use recall::deck::catalog::{BUNDLED, parse_text};
use recall::quiz::{Mode, Question, Quiz, Spec};
use tempfile::TempDir;
use tmux::{Pane, is_cooked};

const REVIEWS: &str = "reviewed_at,deck,card,rating,duration_ms
2026-11-20T09:30:00.000Z,aws-api-gateway,endpoint-types,3,5234
";
const QUIZ_HEADER: &str = "finished_at,deck,mode,asked,correct,duration_ms";

/// The questions `recall quiz aws-api-gateway -n 3 --seed SEED` asks.
fn predicted(mode: Mode, seed: u64) -> Vec<Question> {
    let deck = parse_text(BUNDLED[0].text, "bundled", "aws-api-gateway").unwrap();
    let spec = Spec {
        mode,
        length: 3,
        tag: None,
    };
    let quiz = Quiz::new(&[&deck], &spec, seed, Utc::now()).unwrap();
    quiz.round().questions().to_vec()
}

/// A data dir whose review log already holds a review.
fn data_with_reviews() -> TempDir {
    let data = TempDir::new().unwrap();
    std::fs::write(data.path().join("reviews.csv"), REVIEWS).unwrap();
    data
}

/// The single-file log of older versions, which the tests start from.
fn legacy_reviews(pane: &Pane) -> String {
    std::fs::read_to_string(pane.data_dir().join("reviews.csv")).unwrap()
}

fn quiz_lines(pane: &Pane) -> Vec<String> {
    std::fs::read_to_string(
        pane.data_dir()
            .join(format!("log/{}/quizzes.csv", tmux::DEVICE)),
    )
    .unwrap_or_default()
    .lines()
    .filter(|line| *line != QUIZ_HEADER)
    .map(str::to_owned)
    .collect()
}

/// Answers a self-mode quiz: reveal each question, then `y` or `n`.
fn answer_self(pane: &Pane, questions: &[Question], knew: [bool; 3]) {
    for (question, knew) in questions.iter().zip(knew) {
        pane.wait_for(&question.front);
        pane.wait_for("Space show answer");
        pane.keys(&["Space"]);
        pane.wait_for("y knew it");
        pane.keys(&[if knew { "y" } else { "n" }]);
    }
}

fn leave(pane: &Pane) {
    pane.keys(&["q"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(is_cooked(&screen), "the terminal is restored:\n{screen}");
}

#[test]
fn a_seeded_choice_quiz_right_wrong_right_scores_2_of_3_and_leaves_the_schedule_alone() {
    let questions = predicted(Mode::Choice, 5);
    let args = [
        "quiz",
        "aws-api-gateway",
        "-n",
        "3",
        "--seed",
        "5",
        "--mode",
        "choice",
    ];
    let pane = Pane::start_with(&args, &[], data_with_reviews());
    for (i, question) in questions.iter().enumerate() {
        pane.wait_for(&question.front);
        pane.wait_for(&format!("Question {} of 3", i + 1));
        let right = question.options.as_ref().unwrap().right;
        let pick = if i == 1 { (right + 1) % 4 } else { right };
        pane.keys(&[&(pick + 1).to_string()]);
        if i == 1 {
            pane.wait_for(&format!("✗ Wrong: the right answer is {}", right + 1));
            pane.wait_for(&format!("✓ {} ", right + 1));
        } else {
            pane.wait_for("✓ Right!");
        }
        pane.keys(&["Enter"]);
    }
    let screen = pane.wait_for("Quiz done");
    assert!(screen.contains("2/3 right (67%)"), "{screen}");
    assert!(screen.contains("Missed (1)"), "{screen}");
    assert!(screen.contains(&questions[1].front), "{screen}");

    let lines = quiz_lines(&pane);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let fields: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(&fields[1..5], ["aws-api-gateway", "choice", "3", "2"]);
    pane.keys(&["q"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(
        screen.contains("2 of 3 right (67%), "),
        "one summary line to the shell:\n{screen}"
    );
    assert_eq!(
        legacy_reviews(&pane),
        REVIEWS,
        "the review log is untouched"
    );
    assert_eq!(pane.reviews(), "", "and nothing was added to this device's");
    assert!(
        !pane.data_dir().join("lock").exists(),
        "no lock was taken without --record"
    );
}

#[test]
fn recorded_self_quiz_writes_good_again_good_and_holds_the_lock() {
    let questions = predicted(Mode::SelfCheck, 11);
    let args = [
        "quiz",
        "aws-api-gateway",
        "-n",
        "3",
        "--seed",
        "11",
        "--record",
    ];
    let pane = Pane::start_with(&args, &[], data_with_reviews());
    pane.wait_for(&questions[0].front);

    // While it runs, nothing else may write the review log.
    let second = std::process::Command::new(env!("CARGO_BIN_EXE_recall"))
        .args(["quiz", "--record"])
        .env("RECALL_DATA_DIR", pane.data_dir())
        .env("RECALL_CONFIG", pane.data_dir().join("config.toml"))
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("is in use by another recall session"),
        "{second:?}"
    );

    answer_self(&pane, &questions, [true, false, true]);
    let screen = pane.wait_for("Quiz done");
    assert!(screen.contains("2/3 right (67%)"), "{screen}");
    leave(&pane);

    assert_eq!(legacy_reviews(&pane), REVIEWS, "the old review stays");
    let log = pane.reviews();
    let added: Vec<Vec<String>> = log
        .lines()
        .skip(1)
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect();
    let expected: Vec<(&str, &str)> = questions
        .iter()
        .zip(["3", "1", "3"])
        .map(|(q, rating)| (q.key.card.as_str(), rating))
        .collect();
    let got: Vec<(&str, &str)> = added
        .iter()
        .map(|fields| (fields[2].as_str(), fields[3].as_str()))
        .collect();
    assert_eq!(got, expected, "{log}");
    assert_eq!(quiz_lines(&pane).len(), 1);
}

#[test]
fn z_on_home_opens_the_dialog_and_the_quiz_returns_home() {
    let pane = Pane::start(&[]);
    pane.wait_for("z quiz");
    pane.keys(&["z"]);
    let dialog = pane.wait_for("Quiz: AWS API Gateway");
    assert!(dialog.contains("(•) self-check"), "{dialog}");
    assert!(dialog.contains("‹ 10 › of 15 cards"), "{dialog}");

    // Choice, 4 questions; leaving before an answer goes straight home.
    pane.keys(&[
        "Right", "Down", "Left", "Left", "Left", "Left", "Left", "Left",
    ]);
    pane.wait_for("‹ 4 ›");
    pane.keys(&["Enter"]);
    pane.wait_for("Question 1 of 4");
    pane.wait_for("1–4 pick");
    pane.keys(&["q"]);
    pane.wait_for("Enter study");

    // Esc cancels; the dialog opens again with its defaults.
    pane.keys(&["z"]);
    pane.wait_for("Quiz: AWS API Gateway");
    pane.keys(&["Escape"]);
    pane.wait_for("Enter study");
    pane.keys(&["z"]);
    pane.wait_for("(•) self-check");
    pane.keys(&["Enter"]);
    pane.wait_for("Question 1 of 10");
    pane.keys(&["Space"]);
    pane.wait_for("y knew it");
    pane.keys(&["y"]);
    pane.wait_for("Question 2 of 10");
    pane.keys(&["q"]);
    let screen = pane.wait_for("Quiz ended");
    assert!(screen.contains("1/1 right (100%)"), "{screen}");
    assert!(
        screen.contains("Ended early: 1 of 10 questions answered."),
        "{screen}"
    );
    pane.keys(&["q"]);
    pane.wait_for("Enter study");

    let lines = quiz_lines(&pane);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains(",aws-api-gateway,self,1,1,"), "{lines:?}");
    leave(&pane);
    assert_eq!(pane.reviews(), "", "no review log was written");
}

#[test]
fn resize_and_ctrl_c_mid_quiz_restore_the_terminal_and_save_nothing() {
    let pane = Pane::start(&["quiz", "--mode", "choice"]);
    pane.wait_for("1–4 pick");
    pane.keys(&["1"]);
    pane.wait_for("Enter next");
    // Too small, then back: the quiz carries on where it was.
    pane.resize(30, 8);
    pane.wait_for("enlarge the terminal");
    pane.resize(100, 30);
    pane.wait_for("Enter next");
    pane.keys(&["C-c"]);
    let (status, screen) = pane.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(is_cooked(&screen), "{screen}");
    assert!(
        quiz_lines(&pane).is_empty(),
        "an unfinished round is not saved"
    );
}
