//! A quiz played through with a fake clock: scoring in both modes, answers
//! that do not fit, ending early, a retry round of the missed cards, the
//! record for `quizzes.csv`, and `--record`'s reviews (Good when right,
//! Again when wrong; nothing scored when the log cannot be written), and
//! typed-answer cards, typed in either mode and scored by exact match.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use chrono::{DateTime, TimeDelta, Utc};
use recall::deck::catalog::{BUNDLED, parse_text};
use recall::deck::{CardId, CardKey, Deck, DeckId, Note, TypeAnswer};
use recall::quiz::{Answer, Mode, Phase, Quiz, Scope, Spec, Unrecorded};
use recall::schedule::Rating;

#[path = "support/memory_log.rs"]
mod memory_log;

use memory_log::MemoryLog;

fn start() -> DateTime<Utc> {
    "2026-11-25T09:30:00Z".parse().unwrap()
}

fn secs(s: i64) -> DateTime<Utc> {
    start() + TimeDelta::seconds(s)
}

fn bundled() -> Deck {
    parse_text(BUNDLED[0].text, "bundled", "aws-api-gateway").unwrap()
}

fn quiz(deck: &Deck, mode: Mode, length: usize) -> Quiz {
    let spec = Spec {
        mode,
        length,
        tag: None,
    };
    Quiz::new(&[deck], &spec, 2026, start()).unwrap()
}

fn current_key(quiz: &Quiz) -> CardKey {
    match quiz.phase() {
        Phase::Asking { question, .. }
        | Phase::Picked { question, .. }
        | Phase::Checked { question, .. } => question.key.clone(),
        Phase::Over => panic!("the round is over"),
    }
}

/// The right and a wrong option of the question on screen.
fn right_and_wrong(quiz: &Quiz) -> (usize, usize) {
    let Phase::Asking { question, .. } = quiz.phase() else {
        panic!("no question on screen");
    };
    let right = question.options.as_ref().unwrap().right;
    (right, (right + 1) % 4)
}

#[test]
fn self_mode_reveal_then_knew_or_missed() {
    let deck = bundled();
    let mut quiz = quiz(&deck, Mode::SelfCheck, 3);
    let keys: Vec<CardKey> = quiz
        .round()
        .questions()
        .iter()
        .map(|q| q.key.clone())
        .collect();
    let mut log = MemoryLog::default();

    // `y` before the answer shows does nothing; nor does a pick.
    quiz.answer(Answer::Knew, secs(1), &mut log).unwrap();
    quiz.answer(Answer::Picked(0), secs(1), &mut log).unwrap();
    assert!(matches!(
        quiz.phase(),
        Phase::Asking {
            revealed: false,
            ..
        }
    ));
    assert_eq!(quiz.round().position(), (1, 3));
    assert!(log.reviews.is_empty());

    quiz.reveal();
    assert!(matches!(quiz.phase(), Phase::Asking { revealed: true, .. }));
    quiz.answer(Answer::Knew, secs(5), &mut log).unwrap();
    assert_eq!(quiz.round().position(), (2, 3));
    assert_eq!(quiz.round().tally(), (1, 1));
    quiz.reveal();
    quiz.answer(Answer::Missed, secs(12), &mut log).unwrap();
    quiz.reveal();
    quiz.answer(Answer::Knew, secs(20), &mut log).unwrap();
    assert_eq!(quiz.phase(), Phase::Over);

    let score = quiz.score(secs(99));
    assert_eq!((score.asked, score.correct, score.percent()), (3, 2, 67));
    assert_eq!(score.time, TimeDelta::seconds(20), "to the last answer");
    assert!(!score.ended_early());
    let missed: Vec<&CardKey> = quiz.round().missed().iter().map(|q| &q.key).collect();
    assert_eq!(missed, [&keys[1]]);

    // Each answer is a review: Good if known, Again if missed, timed from
    // the moment its question appeared.
    let reviews: Vec<(CardKey, Rating, u64)> = log
        .reviews
        .iter()
        .map(|r| (r.key.clone(), r.rating, r.duration_ms))
        .collect();
    assert_eq!(
        reviews,
        [
            (keys[0].clone(), Rating::Good, 5000),
            (keys[1].clone(), Rating::Again, 7000),
            (keys[2].clone(), Rating::Good, 8000),
        ]
    );

    let record = quiz.record().unwrap();
    assert_eq!(
        record.to_line(),
        "2026-11-25T09:30:20.000Z,aws-api-gateway,self,3,2,20000\n"
    );
}

#[test]
fn choice_mode_shows_right_or_wrong_until_next() {
    let deck = bundled();
    let mut quiz = quiz(&deck, Mode::Choice, 3);
    let sink = &mut Unrecorded;

    // Self-mode answers and picks beyond the four options do nothing.
    quiz.answer(Answer::Knew, secs(1), sink).unwrap();
    quiz.answer(Answer::Picked(4), secs(1), sink).unwrap();
    assert!(matches!(quiz.phase(), Phase::Asking { .. }));

    let (right, wrong) = right_and_wrong(&quiz);
    quiz.answer(Answer::Picked(right), secs(4), sink).unwrap();
    assert!(matches!(
        quiz.phase(),
        Phase::Picked { picked, correct: true, .. } if picked == right
    ));
    // A second pick on the same question changes nothing.
    quiz.answer(Answer::Picked(wrong), secs(5), sink).unwrap();
    assert_eq!(quiz.round().tally(), (1, 1));
    quiz.next(secs(6));

    let (_, wrong) = right_and_wrong(&quiz);
    quiz.answer(Answer::Picked(wrong), secs(10), sink).unwrap();
    assert!(matches!(quiz.phase(), Phase::Picked { correct: false, .. }));
    quiz.next(secs(11));
    let (right, _) = right_and_wrong(&quiz);
    quiz.answer(Answer::Picked(right), secs(15), sink).unwrap();
    assert!(
        matches!(quiz.phase(), Phase::Picked { .. }),
        "the last answer shows too"
    );
    assert!(quiz.record().is_none(), "not over until the score shows");
    quiz.next(secs(17));
    assert_eq!(quiz.phase(), Phase::Over);
    let score = quiz.score(secs(17));
    assert_eq!((score.asked, score.correct), (3, 2));
    let record = quiz.record().unwrap();
    assert_eq!(
        (record.mode, record.asked, record.correct),
        (Mode::Choice.into(), 3, 2)
    );
    assert_eq!(record.duration_ms, 17_000);
    assert_eq!(record.scope, Scope::Deck(deck.id.clone()).into());
}

#[test]
fn ending_early_scores_what_was_answered() {
    let deck = bundled();
    let mut quiz = quiz(&deck, Mode::SelfCheck, 5);
    quiz.end_round(secs(3));
    assert_eq!(quiz.phase(), Phase::Over);
    assert!(quiz.record().is_none(), "nothing answered, nothing to save");

    let mut quiz = self::quiz(&deck, Mode::SelfCheck, 5);
    quiz.reveal();
    quiz.answer(Answer::Missed, secs(4), &mut Unrecorded)
        .unwrap();
    quiz.reveal();
    quiz.end_round(secs(9));
    let score = quiz.score(secs(30));
    assert_eq!((score.asked, score.correct, score.questions), (1, 0, 5));
    assert!(score.ended_early());
    assert_eq!(score.time, TimeDelta::seconds(9));
    let record = quiz.record().unwrap();
    assert_eq!((record.asked, record.correct), (1, 0));
    // Answers after the end do nothing.
    quiz.answer(Answer::Knew, secs(31), &mut Unrecorded)
        .unwrap();
    assert_eq!(quiz.score(secs(31)).asked, 1);
}

#[test]
fn retry_quizzes_just_the_missed_cards_again() {
    let deck = bundled();
    let mut quiz = quiz(&deck, Mode::Choice, 6);
    let sink = &mut Unrecorded;
    assert!(!quiz.retry_missed(&[&deck], secs(0)), "not before the end");
    let mut missed = Vec::new();
    for i in 0..6 {
        let (right, wrong) = right_and_wrong(&quiz);
        if i % 2 == 0 {
            missed.push(current_key(&quiz));
            quiz.answer(Answer::Picked(wrong), secs(i), sink).unwrap();
        } else {
            quiz.answer(Answer::Picked(right), secs(i), sink).unwrap();
        }
        quiz.next(secs(i));
    }
    assert_eq!(quiz.score(secs(9)).correct, 3);
    assert!(quiz.retry_missed(&[&deck], secs(10)));
    assert_eq!(quiz.round_number(), 2);
    assert_eq!(quiz.round().position(), (1, 3));
    let mut asked: Vec<CardKey> = quiz
        .round()
        .questions()
        .iter()
        .map(|q| q.key.clone())
        .collect();
    for question in quiz.round().questions() {
        let options = question.options.as_ref().unwrap();
        assert_eq!(options.texts.len(), 4);
        assert_eq!(options.texts[options.right], question.back);
    }
    asked.sort();
    missed.sort();
    assert_eq!(asked, missed);

    // All right this time: nothing left to retry.
    for i in 0..3 {
        let (right, _) = right_and_wrong(&quiz);
        quiz.answer(Answer::Picked(right), secs(20 + i), sink)
            .unwrap();
        quiz.next(secs(20 + i));
    }
    let score = quiz.score(secs(30));
    assert_eq!((score.asked, score.correct), (3, 3));
    assert_eq!(score.time, TimeDelta::seconds(12), "the round's own time");
    assert!(quiz.round().missed().is_empty());
    assert!(!quiz.retry_missed(&[&deck], secs(31)));
    assert_eq!(quiz.round_number(), 2);
}

#[test]
fn a_retry_is_reproducible_from_the_seed() {
    let deck = bundled();
    let play = || {
        let mut quiz = quiz(&deck, Mode::Choice, 8);
        while let Phase::Asking { .. } = quiz.phase() {
            let (_, wrong) = right_and_wrong(&quiz);
            quiz.answer(Answer::Picked(wrong), start(), &mut Unrecorded)
                .unwrap();
            quiz.next(start());
        }
        assert!(quiz.retry_missed(&[&deck], start()));
        quiz.round().questions().to_vec()
    };
    assert_eq!(play(), play());
}

#[test]
fn an_answer_that_cannot_be_recorded_is_not_scored() {
    let deck = bundled();
    let mut quiz = quiz(&deck, Mode::SelfCheck, 2);
    let mut log = MemoryLog {
        fail: true,
        ..MemoryLog::default()
    };
    quiz.reveal();
    let error = quiz.answer(Answer::Knew, secs(3), &mut log).unwrap_err();
    assert!(error.to_string().contains("reviews.csv"), "{error}");
    assert_eq!(quiz.round().tally(), (0, 0));
    assert!(matches!(quiz.phase(), Phase::Asking { revealed: true, .. }));
    log.fail = false;
    quiz.answer(Answer::Knew, secs(4), &mut log).unwrap();
    assert_eq!(quiz.round().tally(), (1, 1));
    assert_eq!(log.reviews.len(), 1);
}

/// A deck of typed-answer cards (capitals); `Lyon` keeps its case.
fn typed_deck() -> Deck {
    let id = |s: &str| CardId::new(s).unwrap();
    let typed = Some(TypeAnswer::default());
    let notes = vec![
        Note::basic(id("fr"), "Capital of France?", "**Paris**").typed(typed),
        Note::basic(id("de"), "Capital of Germany?", "Berlin").typed(typed),
        Note::basic(id("it"), "Capital of Italy?", "Rome").typed(typed),
        Note::basic(id("ly"), "A French city, exact case?", "Lyon")
            .typed(Some(TypeAnswer { ignore_case: false })),
    ];
    Deck::new(DeckId::new("typed").unwrap(), "Typed", "", notes).unwrap()
}

/// The expected answer of the typed question on screen.
fn expected(quiz: &Quiz) -> String {
    let Phase::Asking { question, .. } = quiz.phase() else {
        panic!("no question on screen");
    };
    question.typed.as_ref().unwrap().expected.clone()
}

#[test]
fn typed_cards_are_typed_and_scored_by_exact_match_after_normalisation() {
    let deck = typed_deck();
    let mut quiz = quiz(&deck, Mode::SelfCheck, 4);
    let mut log = MemoryLog::default();

    // A typed card takes no reveal, no y/n and no pick: only a typed answer.
    quiz.reveal();
    assert!(matches!(
        quiz.phase(),
        Phase::Asking {
            revealed: false,
            ..
        }
    ));
    quiz.answer(Answer::Knew, secs(1), &mut log).unwrap();
    quiz.answer(Answer::Picked(0), secs(1), &mut log).unwrap();
    assert_eq!(quiz.round().tally(), (0, 0));
    assert!(log.reviews.is_empty());

    let mut right = 0;
    for i in 0..4 {
        let key = current_key(&quiz);
        let answer = expected(&quiz);
        // Markup is not part of the answer: `**Paris**` is typed `Paris`.
        assert!(!answer.contains('*'), "{answer}");
        // Case and surrounding spaces do not count, except where the card
        // keeps case: there the lower-cased answer is wrong.
        let typed = format!("  {}  ", answer.to_lowercase());
        let now = secs(10 * (i + 1));
        quiz.answer_typed(&typed, now, &mut log).unwrap();
        let Phase::Checked { comparison, .. } = quiz.phase() else {
            panic!("the typed answer was not checked");
        };
        let expect_right = key.card.as_str() != "ly";
        assert_eq!(comparison.correct, expect_right, "{key:?}");
        right += usize::from(expect_right);
        let last = log.reviews.last().unwrap();
        assert_eq!(last.key, key);
        let rating = if expect_right {
            Rating::Good
        } else {
            Rating::Again
        };
        assert_eq!(last.rating, rating);
        // Checked once: a second answer to the same question does nothing.
        quiz.answer_typed(&answer, now, &mut log).unwrap();
        assert_eq!(log.reviews.len(), i as usize + 1);
        quiz.next(now);
    }
    assert_eq!(quiz.phase(), Phase::Over);
    assert_eq!(quiz.round().tally(), (4, right));
    assert_eq!(right, 3);
    let missed: Vec<&str> = quiz
        .round()
        .missed()
        .iter()
        .map(|q| q.key.card.as_str())
        .collect();
    assert_eq!(missed, ["ly"]);
}

#[test]
fn a_wrong_or_empty_typed_answer_is_wrong_and_a_near_miss_is_not_right() {
    let deck = typed_deck();
    let mut quiz = quiz(&deck, Mode::SelfCheck, 3);
    let mut log = MemoryLog::default();
    for (i, typed) in ["", "nowhere", "x"].into_iter().enumerate() {
        // A near miss: the answer with one character more.
        let typed = if typed == "x" {
            format!("{}x", expected(&quiz))
        } else {
            typed.to_owned()
        };
        quiz.answer_typed(&typed, secs(i as i64), &mut log).unwrap();
        assert!(
            matches!(quiz.phase(), Phase::Checked { comparison, .. } if !comparison.correct),
            "{typed:?}"
        );
        quiz.next(secs(i as i64));
    }
    assert_eq!(quiz.round().tally(), (3, 0));
    assert!(log.reviews.iter().all(|r| r.rating == Rating::Again));
}

#[test]
fn choice_mode_types_typed_cards_and_needs_no_options_for_them() {
    // Three typed cards, too few different answers for options: choice mode
    // still takes the deck, because every card is typed.
    let typed = Some(TypeAnswer::default());
    let notes = ["a", "b", "c"]
        .map(|id| Note::basic(CardId::new(id).unwrap(), format!("Q {id}"), id).typed(typed));
    let deck = Deck::new(DeckId::new("three").unwrap(), "Three", "", notes.to_vec()).unwrap();
    let mut quiz = quiz(&deck, Mode::Choice, 3);
    assert!(quiz.left_out().is_empty());
    for question in quiz.round().questions() {
        assert!(question.options.is_none(), "{:?}", question.key);
        assert!(question.typed.is_some(), "{:?}", question.key);
    }
    let answer = expected(&quiz);
    quiz.answer(Answer::Picked(0), secs(1), &mut Unrecorded)
        .unwrap();
    assert_eq!(quiz.round().tally(), (0, 0));
    quiz.answer_typed(&answer, secs(2), &mut Unrecorded)
        .unwrap();
    assert_eq!(quiz.round().tally(), (1, 1));
}

#[test]
fn a_typed_answer_that_cannot_be_recorded_is_not_scored() {
    let deck = typed_deck();
    let mut quiz = quiz(&deck, Mode::SelfCheck, 2);
    let mut log = MemoryLog {
        fail: true,
        ..MemoryLog::default()
    };
    let answer = expected(&quiz);
    assert!(quiz.answer_typed(&answer, secs(3), &mut log).is_err());
    assert!(matches!(quiz.phase(), Phase::Asking { .. }));
    assert_eq!(quiz.round().tally(), (0, 0));
    log.fail = false;
    quiz.answer_typed(&answer, secs(4), &mut log).unwrap();
    assert_eq!(quiz.round().tally(), (1, 1));
    assert_eq!(log.reviews.len(), 1);
}
