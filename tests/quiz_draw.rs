//! Drawing a quiz: seeded draws and option orders are reproducible; every
//! card is asked at most once per round; distractors are distinct, come from
//! other cards of the same deck, never repeat the right answer and prefer
//! cards that share a tag; the length, tag and choice-mode limits.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use recall::deck::catalog::{BUNDLED, parse_text};
use recall::deck::{CardId, Deck, DeckId, Note};
use recall::quiz::draw::{self, answer_key};
use recall::quiz::{Mode, Quiz, QuizError, Scope, Spec};

fn now() -> DateTime<Utc> {
    "2026-11-25T09:30:00Z".parse().unwrap()
}

fn bundled() -> Deck {
    parse_text(BUNDLED[0].text, "bundled", "aws-api-gateway").unwrap()
}

fn card(id: &str, back: &str, tags: &[&str]) -> Note {
    Note::basic(CardId::new(id).unwrap(), format!("Question {id}?"), back)
        .with_tags(tags.iter().map(|t| (*t).to_owned()).collect())
}

fn deck(id: &str, notes: Vec<Note>) -> Deck {
    Deck::new(DeckId::new(id).unwrap(), id.to_uppercase(), "", notes).unwrap()
}

fn spec(mode: Mode, length: usize) -> Spec {
    Spec {
        mode,
        length,
        tag: None,
    }
}

/// The first round's questions as (card, options in order).
fn drawn(quiz: &Quiz) -> Vec<(String, Option<Vec<String>>)> {
    quiz.round()
        .questions()
        .iter()
        .map(|q| {
            (
                q.key.to_string(),
                q.options.as_ref().map(|o| o.texts.clone()),
            )
        })
        .collect()
}

#[test]
fn a_seed_reproduces_the_draw_and_the_option_order() {
    let deck = bundled();
    let choice = spec(Mode::Choice, 5);
    let first = Quiz::new(&[&deck], &choice, 42, now()).unwrap();
    let again = Quiz::new(&[&deck], &choice, 42, now()).unwrap();
    assert_eq!(drawn(&first), drawn(&again));
    assert_eq!(first.seed(), 42);
    // Other seeds give other quizzes (of 15 cards, 5 in order: 360 360 draws).
    let others: HashSet<_> = (0..10)
        .map(|seed| drawn(&Quiz::new(&[&deck], &choice, seed, now()).unwrap()))
        .collect();
    assert!(others.len() >= 9, "{} different draws of 10", others.len());
}

#[test]
fn every_card_appears_at_most_once_per_round() {
    let deck = bundled();
    for seed in 0..100 {
        for length in [1, 3, 10, 15] {
            let quiz = Quiz::new(&[&deck], &spec(Mode::SelfCheck, length), seed, now()).unwrap();
            let keys: HashSet<_> = quiz.round().questions().iter().map(|q| &q.key).collect();
            assert_eq!(keys.len(), length, "seed {seed}, length {length}");
        }
    }
}

#[test]
fn the_draw_is_random_over_the_whole_deck() {
    let deck = bundled();
    let first_cards: HashSet<_> = (0..200)
        .map(|seed| {
            let quiz = Quiz::new(&[&deck], &spec(Mode::SelfCheck, 3), seed, now()).unwrap();
            quiz.round().questions()[0].key.clone()
        })
        .collect();
    assert_eq!(
        first_cards.len(),
        deck.cards().len(),
        "every card can come first"
    );
}

#[test]
fn a_length_beyond_the_deck_asks_every_card_and_says_so() {
    let deck = bundled();
    let quiz = Quiz::new(&[&deck], &spec(Mode::SelfCheck, 50), 1, now()).unwrap();
    assert_eq!(quiz.round().questions().len(), 15);
    assert_eq!(quiz.shortfall(), Some(15));
    let exact = Quiz::new(&[&deck], &spec(Mode::SelfCheck, 15), 1, now()).unwrap();
    assert_eq!(exact.shortfall(), None);
    assert_eq!(
        Quiz::new(&[&deck], &spec(Mode::SelfCheck, 0), 1, now()).unwrap_err(),
        QuizError::NoQuestions
    );
}

/// A deck with answers that repeat: `a1`/`a2` have the same answer and
/// `a3` the same up to spacing.
fn repeating_deck() -> Deck {
    deck(
        "repeats",
        vec![
            card("a1", "- same\n- answer", &[]),
            card("a2", "- same\n- answer", &[]),
            card("a3", "- same  - answer", &[]),
            card("b", "B", &[]),
            card("c", "C", &[]),
            card("d", "D", &[]),
            card("e", "E", &[]),
        ],
    )
}

#[test]
fn options_are_distinct_from_other_cards_and_hold_the_right_answer_once() {
    for deck in [bundled(), repeating_deck()] {
        for seed in 0..200 {
            let quiz = Quiz::new(&[&deck], &spec(Mode::Choice, 20), seed, now()).unwrap();
            for question in quiz.round().questions() {
                let options = question.options.as_ref().unwrap();
                assert_eq!(options.texts.len(), 4);
                let keys: HashSet<String> = options.texts.iter().map(|t| answer_key(t)).collect();
                assert_eq!(keys.len(), 4, "options repeat: {:?}", options.texts);
                let right = answer_key(&question.back);
                let right_count = options
                    .texts
                    .iter()
                    .filter(|t| answer_key(t) == right)
                    .count();
                assert_eq!(right_count, 1, "the right answer shows once");
                assert_eq!(answer_key(&options.texts[options.right]), right);
                assert_eq!(options.cards[options.right], question.key.card);
                for (i, (text, id)) in options.texts.iter().zip(&options.cards).enumerate() {
                    if i == options.right {
                        continue;
                    }
                    assert_ne!(id, &question.key.card, "a distractor from the card itself");
                    let source = deck.card(id).unwrap();
                    assert_eq!(&source.back, text, "the answer of the card it names");
                }
            }
        }
    }
}

#[test]
fn distractors_prefer_cards_that_share_a_tag() {
    // Two cards share the tag `x` with the question, ten share nothing.
    let mut cards = vec![
        card("q", "Q", &["x", "y"]),
        card("x1", "X1", &["x"]),
        card("x2", "X2", &["z", "x"]),
    ];
    cards.extend((0..10).map(|i| card(&format!("o{i}"), &format!("O{i}"), &["z"])));
    let deck = deck("tags", cards);
    let question = &deck.cards()[0];
    let mut thirds = BTreeSet::new();
    for seed in 0..100 {
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
        let options = draw::options(question, &deck, &mut rng).unwrap();
        let ids: BTreeSet<&str> = options.cards.iter().map(CardId::as_str).collect();
        assert!(ids.contains("x1") && ids.contains("x2"), "{ids:?}");
        thirds.extend(
            ids.into_iter()
                .filter(|id| id.starts_with('o'))
                .map(str::to_owned),
        );
    }
    // The third comes from the others, at random.
    assert!(thirds.len() >= 8, "{thirds:?}");

    // In the bundled deck, every question gets as many tag-sharing
    // distractors as there are (up to three).
    let deck = bundled();
    for seed in 0..30 {
        let quiz = Quiz::new(&[&deck], &spec(Mode::Choice, 15), seed, now()).unwrap();
        for question in quiz.round().questions() {
            let card = deck.card(&question.key.card).unwrap();
            let shares =
                |other: &recall::deck::Card| other.tags.iter().any(|t| card.tags.contains(t));
            let sharing = deck
                .cards()
                .iter()
                .filter(|other| other.id != card.id && shares(other))
                .count();
            let options = question.options.as_ref().unwrap();
            let chosen_sharing = options
                .cards
                .iter()
                .filter(|id| **id != card.id && shares(deck.card(id).unwrap()))
                .count();
            assert_eq!(chosen_sharing, sharing.min(3), "{}", card.id);
        }
    }
}

#[test]
fn the_right_answer_takes_every_position() {
    let deck = bundled();
    let positions: HashSet<usize> = (0..100)
        .map(|seed| {
            let quiz = Quiz::new(&[&deck], &spec(Mode::Choice, 1), seed, now()).unwrap();
            quiz.round().questions()[0].options.as_ref().unwrap().right
        })
        .collect();
    assert_eq!(positions.len(), 4);
}

#[test]
fn a_tag_limits_the_cards_and_an_unknown_tag_lists_the_tags() {
    let gateway = bundled();
    let tagged = Spec {
        tag: Some("security".into()),
        ..spec(Mode::SelfCheck, 10)
    };
    let quiz = Quiz::new(&[&gateway], &tagged, 3, now()).unwrap();
    let keys: BTreeSet<&str> = quiz
        .round()
        .questions()
        .iter()
        .map(|q| q.key.card.as_str())
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from(["custom-domain-https", "user-authentication"])
    );
    assert_eq!(quiz.shortfall(), Some(2));

    let unknown = Spec {
        tag: Some("nope".into()),
        ..spec(Mode::SelfCheck, 10)
    };
    assert_eq!(
        Quiz::new(&[&gateway], &unknown, 3, now())
            .unwrap_err()
            .to_string(),
        "no card of deck `aws-api-gateway` has the tag `nope`; its tags are: \
         deployments, endpoints, integrations, lambda, mapping-templates, security, stages"
    );
    let untagged = deck("plain", vec![card("a", "A", &[])]);
    assert_eq!(
        Quiz::new(&[&untagged, &bundled()], &unknown, 3, now())
            .unwrap_err()
            .to_string(),
        "no card of any deck has the tag `nope`; the tags are: \
         deployments, endpoints, integrations, lambda, mapping-templates, security, stages"
    );
}

#[test]
fn choice_mode_needs_four_different_answers() {
    let three = deck(
        "three",
        vec![
            card("a", "A", &[]),
            card("b", "B", &[]),
            card("c", "C", &[]),
        ],
    );
    // Five cards but only three different answers.
    let mut notes = three.notes().to_vec();
    notes.push(card("a2", "A", &[]));
    notes.push(card("b2", " B\n", &[]));
    let same = deck("same", notes);
    for small in [&three, &same] {
        let error = Quiz::new(&[small], &spec(Mode::Choice, 10), 1, now()).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "choice mode needs 4 cards with different answers, and deck `{}` has only 3",
                small.id
            )
        );
        assert!(Quiz::new(&[small], &spec(Mode::SelfCheck, 10), 1, now()).is_ok());
    }
    let error = Quiz::new(&[&three, &same], &spec(Mode::Choice, 10), 1, now()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "choice mode needs 4 cards with different answers in one deck, and none of these \
         decks has that many (`three` has 3, `same` has 3)"
    );
}

#[test]
fn pooled_decks_keep_distractors_in_the_cards_own_deck() {
    let other = deck(
        "other",
        (0..6)
            .map(|i| card(&format!("o{i}"), &format!("O{i}"), &[]))
            .collect(),
    );
    let tiny = deck("tiny", vec![card("t", "T", &[])]);
    let bundled = bundled();
    let decks = [&bundled, &tiny, &other];

    let quiz = Quiz::new(&decks, &spec(Mode::Choice, 30), 9, now()).unwrap();
    assert_eq!(quiz.scope(), &Scope::Pooled);
    assert_eq!(quiz.left_out(), [(DeckId::new("tiny").unwrap(), 1)]);
    assert_eq!(quiz.round().questions().len(), 21, "15 + 6, tiny left out");
    for question in quiz.round().questions() {
        let deck = decks.iter().find(|d| d.id == question.key.deck).unwrap();
        for id in &question.options.as_ref().unwrap().cards {
            assert!(deck.card(id).is_some(), "{id} is not in {}", deck.id);
        }
    }

    // Self mode asks every deck's cards.
    let quiz = Quiz::new(&decks, &spec(Mode::SelfCheck, 30), 9, now()).unwrap();
    assert_eq!(quiz.round().questions().len(), 22);
    assert!(quiz.left_out().is_empty());

    // One deck is that deck's quiz, even when pooled.
    let quiz = Quiz::new(&[&bundled], &spec(Mode::SelfCheck, 3), 9, now()).unwrap();
    assert_eq!(quiz.scope(), &Scope::Deck(bundled.id.clone()));
}

#[test]
fn cloze_options_are_other_deletions_never_siblings() {
    let id = |s: &str| CardId::new(s).unwrap();
    let mut notes = vec![
        Note::cloze(
            id("fr"),
            "{{c1::Paris}} is the capital of {{c2::France}}.",
            "",
        ),
        Note::cloze(id("de"), "{{c1::Berlin}} is in Germany.", ""),
        Note::cloze(id("it"), "{{c1::Rome}} is in Italy.", ""),
        Note::cloze(id("es"), "{{c1::Madrid}} is in Spain.", ""),
    ];
    for i in 0..6 {
        notes.push(card(&format!("b{i}"), &format!("basic answer {i}"), &[]));
    }
    let deck = deck("mixed", notes);
    let paris = deck.card(&id("fr")).unwrap();
    assert_eq!(paris.answer, "Paris");
    for seed in 0..20 {
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
        let options = draw::options(paris, &deck, &mut rng).unwrap();
        let mut texts = options.texts.clone();
        texts.sort();
        assert_eq!(texts, ["Berlin", "Madrid", "Paris", "Rome"], "seed {seed}");
        assert_eq!(options.texts[options.right], "Paris");
    }
    // A basic card's options are basic answers first.
    let basic = deck.card(&id("b0")).unwrap();
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
    let options = draw::options(basic, &deck, &mut rng).unwrap();
    assert!(
        options.texts.iter().all(|t| t.starts_with("basic answer")),
        "{:?}",
        options.texts
    );
}
