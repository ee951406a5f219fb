//! One round of a quiz: its questions asked in turn, each answered once,
//! and the score. Time comes in as arguments.

use chrono::{DateTime, TimeDelta, Utc};

use super::draw::Options;
use crate::deck::compare::{self, Comparison};
use crate::deck::{CardKey, TypeAnswer};

/// One question of a round: a card, and in choice mode its options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub key: CardKey,
    pub front: String,
    pub back: String,
    /// Choice mode: the four options; `None` in self mode and for a
    /// typed-answer card.
    pub options: Option<Options>,
    /// A typed-answer card, in either mode: it is answered by typing.
    pub typed: Option<Typed>,
}

/// What a typed answer is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    /// The right answer as plain text.
    pub expected: String,
    pub rule: TypeAnswer,
}

/// What the user answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Self mode: `y`.
    Knew,
    /// Self mode: `n`.
    Missed,
    /// Choice mode: the option picked, from 0.
    Picked(usize),
}

/// What the screen should show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase<'a> {
    /// A question waits for its answer; in self mode `revealed` says whether
    /// the answer shows.
    Asking {
        question: &'a Question,
        revealed: bool,
    },
    /// Choice mode: an option was picked; right or wrong shows until
    /// [`Round::next`].
    Picked {
        question: &'a Question,
        picked: usize,
        correct: bool,
    },
    /// A typed answer was checked; the comparison shows until
    /// [`Round::next`].
    Checked {
        question: &'a Question,
        comparison: &'a Comparison,
    },
    /// The round is over: the score shows.
    Over,
}

/// A round's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    /// Questions answered.
    pub asked: usize,
    pub correct: usize,
    /// Questions in the round; more than `asked` if it was ended early.
    pub questions: usize,
    /// From the first question to the end of the round (or to now).
    pub time: TimeDelta,
}

impl Score {
    /// The share answered right, as a whole percentage rounded to nearest.
    pub fn percent(&self) -> usize {
        (self.correct * 100 + self.asked / 2)
            .checked_div(self.asked)
            .unwrap_or(0)
    }

    pub fn ended_early(&self) -> bool {
        self.asked < self.questions
    }
}

/// A round in progress or over.
#[derive(Debug, Clone)]
pub struct Round {
    questions: Vec<Question>,
    /// The question on screen (until the round is over).
    at: usize,
    revealed: bool,
    /// The option picked for the question on screen, and if it was right.
    picked: Option<(usize, bool)>,
    /// The typed answer to the question on screen, once checked.
    checked: Option<Comparison>,
    /// Whether each answered question was answered right, in order.
    results: Vec<bool>,
    started_at: DateTime<Utc>,
    /// When the current question appeared: a recorded review's duration.
    shown_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
}

impl Round {
    /// A round over `questions`, in order, starting at `now`. An empty round
    /// is over at once.
    pub fn new(questions: Vec<Question>, now: DateTime<Utc>) -> Round {
        let ended_at = questions.is_empty().then_some(now);
        Round {
            questions,
            at: 0,
            revealed: false,
            picked: None,
            checked: None,
            results: Vec::new(),
            started_at: now,
            shown_at: now,
            ended_at,
        }
    }

    pub fn phase(&self) -> Phase<'_> {
        if let (None, Some(question), Some(comparison)) =
            (self.ended_at, self.questions.get(self.at), &self.checked)
        {
            return Phase::Checked {
                question,
                comparison,
            };
        }
        match (self.ended_at, self.questions.get(self.at), self.picked) {
            (None, Some(question), Some((picked, correct))) => Phase::Picked {
                question,
                picked,
                correct,
            },
            (None, Some(question), None) => Phase::Asking {
                question,
                revealed: self.revealed,
            },
            _ => Phase::Over,
        }
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The question on screen, from 1, and how many the round has.
    pub fn position(&self) -> (usize, usize) {
        let total = self.questions.len();
        ((self.at + 1).min(total), total)
    }

    /// Answers given and answers right so far.
    pub fn tally(&self) -> (usize, usize) {
        let right = self.results.iter().filter(|&&r| r).count();
        (self.results.len(), right)
    }

    /// When the question on screen appeared.
    pub fn shown_at(&self) -> DateTime<Utc> {
        self.shown_at
    }

    /// Shows a self-mode answer; a typed-answer card shows its answer only
    /// once the typed one is checked.
    pub fn reveal(&mut self) {
        if matches!(self.phase(), Phase::Asking { question, .. } if question.typed.is_none()) {
            self.revealed = true;
        }
    }

    /// Whether `answer` fits the question on screen: `y`/`n` once a self-mode
    /// answer shows, a pick among the options of a choice question. Returns
    /// whether it is right. A typed-answer card takes none of them (see
    /// [`Round::judge_typed`]).
    pub fn judge(&self, answer: Answer) -> Option<bool> {
        let Phase::Asking { question, revealed } = self.phase() else {
            return None;
        };
        if question.typed.is_some() {
            return None;
        }
        match (&question.options, answer) {
            (None, Answer::Knew) if revealed => Some(true),
            (None, Answer::Missed) if revealed => Some(false),
            (Some(options), Answer::Picked(i)) if i < options.texts.len() => {
                Some(i == options.right)
            }
            _ => None,
        }
    }

    /// Scores `answer` (it must pass [`Round::judge`], else nothing happens).
    /// A self-mode answer moves on at once; a pick shows right or wrong until
    /// [`Round::next`].
    pub fn answer(&mut self, answer: Answer, now: DateTime<Utc>) {
        let Some(correct) = self.judge(answer) else {
            return;
        };
        self.results.push(correct);
        match answer {
            Answer::Picked(i) => self.picked = Some((i, correct)),
            Answer::Knew | Answer::Missed => self.advance(now),
        }
    }

    /// Compares `typed` with the answer of the typed-answer question on
    /// screen; `None` if the question on screen is not one.
    pub fn judge_typed(&self, typed: &str) -> Option<Comparison> {
        match self.phase() {
            Phase::Asking {
                question:
                    Question {
                        typed: Some(typed_answer),
                        ..
                    },
                ..
            } => Some(compare::compare(
                typed,
                &typed_answer.expected,
                typed_answer.rule,
            )),
            _ => None,
        }
    }

    /// Scores a typed answer (it must pass [`Round::judge_typed`], else
    /// nothing happens); the comparison shows until [`Round::next`].
    pub fn answer_typed(&mut self, typed: &str) {
        let Some(comparison) = self.judge_typed(typed) else {
            return;
        };
        self.results.push(comparison.correct);
        self.checked = Some(comparison);
    }

    /// Leaves a picked or checked question for the next one (or the score).
    pub fn next(&mut self, now: DateTime<Utc>) {
        if matches!(self.phase(), Phase::Picked { .. } | Phase::Checked { .. }) {
            self.advance(now);
        }
    }

    fn advance(&mut self, now: DateTime<Utc>) {
        self.at += 1;
        self.revealed = false;
        self.picked = None;
        self.checked = None;
        self.shown_at = now;
        if self.at >= self.questions.len() {
            self.ended_at = Some(now);
        }
    }

    /// Ends the round now, with the questions answered so far.
    pub fn end(&mut self, now: DateTime<Utc>) {
        if self.ended_at.is_none() {
            self.ended_at = Some(now);
        }
    }

    pub fn is_over(&self) -> bool {
        self.ended_at.is_some()
    }

    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.ended_at
    }

    /// The score: final once the round is over, so far before.
    pub fn score(&self, now: DateTime<Utc>) -> Score {
        let (asked, correct) = self.tally();
        Score {
            asked,
            correct,
            questions: self.questions.len(),
            time: self.ended_at.unwrap_or(now) - self.started_at,
        }
    }

    /// The questions answered wrong, in the order asked.
    pub fn missed(&self) -> Vec<&Question> {
        self.questions
            .iter()
            .zip(&self.results)
            .filter(|(_, right)| !**right)
            .map(|(question, _)| question)
            .collect()
    }
}
