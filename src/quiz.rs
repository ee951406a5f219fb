//! The quick quiz: a short scored round over a few random cards, which
//! leaves the schedule alone unless asked to record.
//!
//! A [`Quiz`] draws its cards once, then runs rounds: the first over the
//! drawn cards, and on request a new round of just the cards missed in the
//! last one. It is a plain state machine like the study session: time comes
//! in as arguments, randomness from a seed, and answers go to a
//! [`ReviewSink`] (the review log with `--record`, [`Unrecorded`] without).
//!
//! - [`draw`]: which cards, and the options of a multiple-choice question.
//! - [`round`]: one round's questions, answers and score.

pub mod draw;
pub mod round;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, TimeDelta, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::deck::{Card, Deck, DeckId};
use crate::schedule::Rating;
use crate::store::Review;
use crate::store::log::LogError;
use crate::store::quiz_log::{QuizRecord, RecordMode, RecordScope};
use crate::study::session::ReviewSink;
use draw::OPTIONS;
pub use round::{Answer, Phase, Question, Round, Score, Typed};

/// How the questions are answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The question, then its answer on request; the user says whether they
    /// knew it.
    SelfCheck,
    /// The question with four answers to pick from.
    Choice,
}

impl Mode {
    /// The name on the command line and in `quizzes.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::SelfCheck => "self",
            Mode::Choice => "choice",
        }
    }

    /// The name on screen.
    pub fn label(self) -> &'static str {
        match self {
            Mode::SelfCheck => "self-check",
            Mode::Choice => "multiple choice",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Mode> for RecordMode {
    fn from(mode: Mode) -> RecordMode {
        match mode {
            Mode::SelfCheck => RecordMode::SelfCheck,
            Mode::Choice => RecordMode::Choice,
        }
    }
}

impl FromStr for Mode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "self" => Ok(Mode::SelfCheck),
            "choice" => Ok(Mode::Choice),
            _ => Err(format!("`{s}` is not a quiz mode; use self or choice")),
        }
    }
}

/// What a quiz covers, as `quizzes.csv` names it: one deck, or cards
/// pooled from several (written `*`, which no deck id can be).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    Deck(DeckId),
    Pooled,
}

impl From<Scope> for RecordScope {
    fn from(scope: Scope) -> RecordScope {
        match scope {
            Scope::Deck(id) => RecordScope::Deck(id),
            Scope::Pooled => RecordScope::Pooled,
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Deck(id) => write!(f, "{id}"),
            Scope::Pooled => f.write_str("*"),
        }
    }
}

/// What to quiz: how, how many cards, and which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub mode: Mode,
    /// Questions wanted; every card is asked if there are fewer.
    pub length: usize,
    /// Only cards with this tag.
    pub tag: Option<String>,
}

/// The default length of a quiz.
pub const DEFAULT_LENGTH: usize = 10;

/// Why a quiz cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuizError {
    #[error("a quiz needs at least one question")]
    NoQuestions,
    #[error("there are no cards to quiz")]
    NoCards,
    #[error("no card {} has the tag `{tag}`; {}", in_decks(deck.as_ref()), tag_list(deck.is_some(), tags))]
    NoCardWithTag {
        tag: String,
        /// The deck searched, or `None` for every deck.
        deck: Option<DeckId>,
        /// The tags there are, sorted.
        tags: Vec<String>,
    },
    #[error("{}", too_few_answers(decks))]
    TooFewAnswers {
        /// Each deck the cards came from, with its number of different answers.
        decks: Vec<(DeckId, usize)>,
    },
}

fn in_decks(deck: Option<&DeckId>) -> String {
    match deck {
        Some(id) => format!("of deck `{id}`"),
        None => "of any deck".to_owned(),
    }
}

fn tag_list(one_deck: bool, tags: &[String]) -> String {
    match (one_deck, tags.is_empty()) {
        (true, true) => "the deck has no tags".to_owned(),
        (false, true) => "no card has tags".to_owned(),
        (true, false) => format!("its tags are: {}", tags.join(", ")),
        (false, false) => format!("the tags are: {}", tags.join(", ")),
    }
}

fn too_few_answers(decks: &[(DeckId, usize)]) -> String {
    match decks {
        [(id, count)] => format!(
            "choice mode needs {OPTIONS} cards with different answers, and deck `{id}` has only {count}"
        ),
        _ => {
            let list: Vec<String> = decks
                .iter()
                .map(|(id, count)| format!("`{id}` has {count}"))
                .collect();
            format!(
                "choice mode needs {OPTIONS} cards with different answers in one deck, and none of these decks has that many ({})",
                list.join(", ")
            )
        }
    }
}

/// The review sink of a quiz that leaves the schedule alone: answers go
/// nowhere, and nothing needs the data-dir lock.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unrecorded;

impl ReviewSink for Unrecorded {
    fn record(&mut self, _review: &Review) -> Result<(), LogError> {
        Ok(())
    }

    fn undo_last(&mut self) -> Result<bool, LogError> {
        Ok(false)
    }
}

/// A quiz: its draw, the round on screen, and the generator for the rounds
/// to come.
#[derive(Debug)]
pub struct Quiz {
    mode: Mode,
    scope: Scope,
    seed: u64,
    rng: StdRng,
    round: Round,
    /// 1 for the first round, 2 for the first retry of missed cards, ...
    round_number: usize,
    /// How many cards could be drawn, when fewer than asked for.
    shortfall: Option<usize>,
    /// Decks whose cards were left out because they have too few different
    /// answers for choice mode.
    left_out: Vec<(DeckId, usize)>,
}

impl Quiz {
    /// Draws a quiz from `decks` (pooled) as `spec` asks, with randomness
    /// from `seed`, and starts its first round at `now`.
    ///
    /// The seed decides everything random: which cards, their order, and the
    /// options and their order. Cards of a deck with fewer than four
    /// different answers cannot be asked in choice mode; they are left out
    /// (see [`Quiz::left_out`]), and if that leaves nothing, it is an error.
    pub fn new(
        decks: &[&Deck],
        spec: &Spec,
        seed: u64,
        now: DateTime<Utc>,
    ) -> Result<Quiz, QuizError> {
        if spec.length == 0 {
            return Err(QuizError::NoQuestions);
        }
        let tagged = |card: &Card| spec.tag.as_ref().is_none_or(|tag| card.tags.contains(tag));
        let mut pool: Vec<(usize, usize)> = Vec::new();
        let mut left_out = Vec::new();
        for (d, deck) in decks.iter().enumerate() {
            let cards: Vec<(usize, usize)> = (0..deck.cards().len())
                .filter(|&c| tagged(&deck.cards()[c]))
                .map(|c| (d, c))
                .collect();
            if cards.is_empty() {
                continue;
            }
            let answers = draw::distinct_answers(deck);
            // Typed-answer cards are typed in either mode: they need no options.
            let needs_options = cards
                .iter()
                .any(|&(_, c)| deck.cards()[c].type_answer.is_none());
            if spec.mode == Mode::Choice && needs_options && answers < OPTIONS {
                left_out.push((deck.id.clone(), answers));
            } else {
                pool.extend(cards);
            }
        }
        if pool.is_empty() {
            return Err(match &spec.tag {
                Some(tag) if left_out.is_empty() => no_card_with_tag(decks, tag),
                _ if left_out.is_empty() => QuizError::NoCards,
                _ => QuizError::TooFewAnswers { decks: left_out },
            });
        }
        let mut decks_used: Vec<usize> = pool.iter().map(|&(d, _)| d).collect();
        decks_used.dedup();
        let scope = match decks_used.as_slice() {
            [only] => Scope::Deck(decks[*only].id.clone()),
            _ => Scope::Pooled,
        };
        let mut rng = StdRng::seed_from_u64(seed);
        let drawn = draw::draw(&pool, spec.length, &mut rng);
        let questions = drawn
            .iter()
            .map(|&(d, c)| question(&decks[d].cards()[c], decks[d], spec.mode, &mut rng))
            .collect();
        Ok(Quiz {
            mode: spec.mode,
            scope,
            seed,
            rng,
            round: Round::new(questions, now),
            round_number: 1,
            shortfall: (spec.length > pool.len()).then_some(pool.len()),
            left_out,
        })
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn round(&self) -> &Round {
        &self.round
    }

    pub fn round_number(&self) -> usize {
        self.round_number
    }

    pub fn phase(&self) -> Phase<'_> {
        self.round.phase()
    }

    /// When fewer cards could be drawn than asked for: how many there were
    /// (all of them are asked).
    pub fn shortfall(&self) -> Option<usize> {
        self.shortfall
    }

    /// Decks left out of a choice quiz, with their number of different answers.
    pub fn left_out(&self) -> &[(DeckId, usize)] {
        &self.left_out
    }

    /// Shows the answer of a self-mode question.
    pub fn reveal(&mut self) {
        self.round.reveal();
    }

    /// Answers the question on screen. The answer goes to `sink` first, as a
    /// review rated Good if right and Again if wrong, and only if that
    /// succeeds is it scored. An answer that does not fit the screen (a pick
    /// in self mode, `y` before the answer shows) does nothing.
    pub fn answer(
        &mut self,
        answer: Answer,
        now: DateTime<Utc>,
        sink: &mut dyn ReviewSink,
    ) -> Result<(), LogError> {
        let (Some(correct), Phase::Asking { question, .. }) =
            (self.round.judge(answer), self.round.phase())
        else {
            return Ok(());
        };
        self.record_answer(question.key.clone(), correct, now, sink)?;
        self.round.answer(answer, now);
        Ok(())
    }

    /// Answers the typed-answer question on screen with `typed`, right if it
    /// matches exactly after normalisation (surrounding spaces, and case
    /// unless the card keeps it). Recorded and scored like
    /// [`Quiz::answer`]; nothing happens if the question is not typed.
    pub fn answer_typed(
        &mut self,
        typed: &str,
        now: DateTime<Utc>,
        sink: &mut dyn ReviewSink,
    ) -> Result<(), LogError> {
        let (Some(comparison), Phase::Asking { question, .. }) =
            (self.round.judge_typed(typed), self.round.phase())
        else {
            return Ok(());
        };
        self.record_answer(question.key.clone(), comparison.correct, now, sink)?;
        self.round.answer_typed(typed);
        Ok(())
    }

    /// Sends an answer to `sink` as a review: Good if right, Again if wrong.
    fn record_answer(
        &self,
        key: crate::deck::CardKey,
        correct: bool,
        now: DateTime<Utc>,
        sink: &mut dyn ReviewSink,
    ) -> Result<(), LogError> {
        let rating = if correct { Rating::Good } else { Rating::Again };
        let elapsed = (now - self.round.shown_at()).num_milliseconds().max(0);
        sink.record(&Review::new(now, key, rating, elapsed as u64))
    }

    /// After a pick: on to the next question, or the score.
    pub fn next(&mut self, now: DateTime<Utc>) {
        self.round.next(now);
    }

    /// Ends the round now, scored on the questions answered so far.
    pub fn end_round(&mut self, now: DateTime<Utc>) {
        self.round.end(now);
    }

    pub fn score(&self, now: DateTime<Utc>) -> Score {
        self.round.score(now)
    }

    /// The line for `quizzes.csv`, once the round is over and had answers.
    pub fn record(&self) -> Option<QuizRecord> {
        let finished_at = self.round.ended_at()?;
        let score = self.round.score(finished_at);
        (score.asked > 0).then(|| {
            QuizRecord::new(
                finished_at,
                self.scope.clone().into(),
                self.mode.into(),
                score.asked,
                score.correct,
                score.time.max(TimeDelta::zero()).num_milliseconds() as u64,
            )
        })
    }

    /// Starts a new round of just the cards missed in the round that is
    /// over, in a new random order (and with new options in choice mode).
    /// `decks` must hold the cards' decks. `false`, and nothing changes, if
    /// the round is not over or nothing was missed.
    pub fn retry_missed(&mut self, decks: &[&Deck], now: DateTime<Utc>) -> bool {
        if !self.round.is_over() {
            return false;
        }
        let mut missed: Vec<Question> = self.round.missed().into_iter().cloned().collect();
        if missed.is_empty() {
            return false;
        }
        missed.shuffle(&mut self.rng);
        let questions = missed
            .into_iter()
            .map(|old| {
                let found = decks
                    .iter()
                    .find(|deck| deck.id == old.key.deck)
                    .and_then(|deck| deck.card(&old.key.card).map(|card| (*deck, card)));
                match found {
                    Some((deck, card)) => question(card, deck, self.mode, &mut self.rng),
                    // The decks do not change during a quiz; keep the old
                    // question rather than lose it if they somehow did.
                    None => old,
                }
            })
            .collect();
        self.round = Round::new(questions, now);
        self.round_number += 1;
        true
    }
}

/// A question about `card`: typed for a typed-answer card, else in choice
/// mode with its options.
fn question(card: &Card, deck: &Deck, mode: Mode, rng: &mut StdRng) -> Question {
    let typed = card.type_answer.map(|rule| Typed {
        expected: card.expected_typed(),
        rule,
    });
    Question {
        key: crate::deck::CardKey::new(deck.id.clone(), card.id.clone()),
        front: card.front.clone(),
        back: card.back.clone(),
        options: match mode {
            _ if typed.is_some() => None,
            Mode::SelfCheck => None,
            Mode::Choice => draw::options(card, deck, rng),
        },
        typed,
    }
}

fn no_card_with_tag(decks: &[&Deck], tag: &str) -> QuizError {
    let mut tags: Vec<String> = decks
        .iter()
        .flat_map(|deck| deck.tags())
        .map(str::to_owned)
        .collect();
    tags.sort_unstable();
    tags.dedup();
    QuizError::NoCardWithTag {
        tag: tag.to_owned(),
        deck: match decks {
            [deck] => Some(deck.id.clone()),
            _ => None,
        },
        tags,
    }
}
