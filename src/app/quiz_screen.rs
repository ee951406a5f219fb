//! The quiz in the app: the home screen's dialog (mode and length), the
//! question and score screens, what each key does there, and the files a
//! quiz writes: `quizzes.csv` after each round, and with `--record` the
//! review log, through the same [`LogWriter`] and lock as a study session.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::style::Style;

use super::keys::{self, Action, KeyContext};
use super::text_field::TextField;
use super::{App, Screen};
use crate::deck::Deck;
use crate::format;
use crate::quiz::draw::{OPTIONS, distinct_answers};
use rand::RngExt;

use crate::quiz::{Answer, DEFAULT_LENGTH, Mode, Phase, Quiz, QuizError, Scope, Spec, Unrecorded};
use crate::store::device::DeviceError;
use crate::store::log::{LogError, LogWriter};
use crate::store::{DataLock, LockError, LogKind, quiz_log};
use crate::study::session::ReviewSink;
use crate::ui::Theme;
use crate::ui::chrome::ScrollState;
use crate::ui::quiz::{DialogField, DialogView, QuestionView, QuizBody, QuizHeader, ScoreView};
use crate::ui::study::TypedView;

/// What to quiz, resolved from the command line or the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizRequest {
    /// The deck, by index in the catalog; `None` pools every deck.
    pub deck: Option<usize>,
    pub spec: Spec,
    /// `None` draws a random seed.
    pub seed: Option<u64>,
    /// Write each answer to the review log (Good or Again).
    pub record: bool,
}

/// Why a quiz did not start.
#[derive(Debug, thiserror::Error)]
pub enum QuizStartError {
    #[error(transparent)]
    Quiz(#[from] QuizError),
    #[error(transparent)]
    Busy(#[from] LockError),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Device(#[from] DeviceError),
}

/// The home screen's dialog for a quiz on one deck.
#[derive(Debug, Clone)]
pub(super) struct Dialog {
    deck: usize,
    deck_name: String,
    cards: usize,
    mode: Mode,
    length: usize,
    field: DialogField,
    /// Why choice mode cannot run on this deck, if it cannot.
    no_choice: Option<String>,
}

impl Dialog {
    /// Self mode and 10 questions (or every card, if fewer) preselected.
    pub(super) fn new(index: usize, deck: &Deck) -> Dialog {
        let answers = distinct_answers(deck);
        Dialog {
            deck: index,
            deck_name: deck.name.clone(),
            cards: deck.cards().len(),
            mode: Mode::SelfCheck,
            length: DEFAULT_LENGTH.min(deck.cards().len()).max(1),
            field: DialogField::Mode,
            no_choice: (answers < OPTIONS).then(|| {
                format!(
                    "Choice mode needs {OPTIONS} cards with different answers; this deck has {answers}, so it is quizzed in self-check mode."
                )
            }),
        }
    }
}

/// A quiz on screen.
#[derive(Debug)]
pub(super) struct QuizScreen {
    /// The deck's name, or "All decks".
    name: String,
    quiz: Quiz,
    /// The catalog's decks the quiz draws from (for retry rounds).
    decks: Vec<usize>,
    /// With `--record`: the review log, and the lock that allows writing it.
    recorder: Option<(DataLock, LogWriter)>,
    quiz_log: PathBuf,
    /// Whether the round that is over has its line in `quizzes.csv`.
    saved: bool,
    scroll: ScrollState,
    /// Scroll to this option at the next draw (the right one, after a pick).
    focus: Option<usize>,
    status: Option<Status>,
    /// The answer being typed to a typed-answer question.
    typed: TextField,
}

/// The line above the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Status {
    text: String,
    tone: Tone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Note,
    Right,
    Wrong,
    Error,
}

impl Status {
    fn new(tone: Tone, text: impl Into<String>) -> Option<Status> {
        Some(Status {
            text: text.into(),
            tone,
        })
    }

    fn style(&self, theme: &Theme) -> Style {
        match self.tone {
            Tone::Note => theme.muted(),
            Tone::Right => theme.good(),
            Tone::Wrong | Tone::Error => theme.bad(),
        }
    }
}

impl QuizScreen {
    pub(super) fn context(&self) -> KeyContext {
        match self.quiz.phase() {
            Phase::Asking { question, .. } if question.typed.is_some() => KeyContext::QuizType,
            Phase::Asking { question, .. } if question.options.is_some() => KeyContext::QuizChoice,
            Phase::Asking { revealed: true, .. } => KeyContext::QuizAnswer,
            Phase::Asking { .. } => KeyContext::QuizQuestion,
            Phase::Picked { .. } | Phase::Checked { .. } => KeyContext::QuizPicked,
            Phase::Over if self.quiz.round().missed().is_empty() => KeyContext::QuizScoreAllRight,
            Phase::Over => KeyContext::QuizScore,
        }
    }

    fn title(&self) -> String {
        match self.quiz.round_number() {
            1 => format!("{} · quiz", self.name),
            n => format!("{} · quiz, round {n}", self.name),
        }
    }
}

impl App {
    /// Starts a quiz; the app leaves when it ends if `exit_after` is set
    /// (for `recall quiz`), else it goes back home.
    pub fn start_quiz(
        &mut self,
        request: QuizRequest,
        now: DateTime<Utc>,
        exit_after: bool,
    ) -> Result<(), QuizStartError> {
        let indices: Vec<usize> = match request.deck {
            Some(index) => vec![index],
            None => (0..self.catalog.decks.len()).collect(),
        };
        let decks: Vec<&Deck> = indices
            .iter()
            .map(|&i| &self.catalog.decks[i].deck)
            .collect();
        // A short random seed, easy to retype to repeat the quiz.
        let seed = request
            .seed
            .unwrap_or_else(|| rand::rng().random_range(0..1_000_000));
        let quiz = Quiz::new(&decks, &request.spec, seed, now)?;
        let recorder = if request.record {
            let lock = DataLock::acquire(&self.paths.data_dir)?;
            let writer = LogWriter::open(&self.paths.own_log(LogKind::Reviews)?, &lock)?;
            Some((lock, writer))
        } else {
            None
        };
        // Named by what was drawn from: with one deck loaded (or one left
        // with the tag), `recall quiz` is a quiz of that deck.
        let name = match quiz.scope() {
            Scope::Deck(id) => self
                .catalog
                .get(id)
                .map_or_else(|| id.to_string(), |loaded| loaded.deck.name.clone()),
            Scope::Pooled => "All decks".to_owned(),
        };
        let status =
            start_notice(&quiz, &request.spec).and_then(|text| Status::new(Tone::Note, text));
        self.exit_after_session = exit_after;
        self.message = None;
        self.screen = Screen::Quiz(Box::new(QuizScreen {
            name,
            quiz,
            decks: indices,
            recorder,
            quiz_log: self.paths.own_log(LogKind::Quizzes)?,
            saved: false,
            scroll: ScrollState::default(),
            focus: None,
            status,
            typed: TextField::default(),
        }));
        Ok(())
    }

    pub(super) fn update_quiz_dialog(&mut self, action: Action, now: DateTime<Utc>) {
        let Screen::QuizDialog(dialog) = &mut self.screen else {
            return;
        };
        match action {
            Action::Up | Action::Down => {
                dialog.field = match dialog.field {
                    DialogField::Mode => DialogField::Length,
                    DialogField::Length => DialogField::Mode,
                };
            }
            Action::Left | Action::Right => match dialog.field {
                DialogField::Mode if dialog.no_choice.is_none() => {
                    dialog.mode = match dialog.mode {
                        Mode::SelfCheck => Mode::Choice,
                        Mode::Choice => Mode::SelfCheck,
                    };
                }
                DialogField::Mode => {}
                DialogField::Length => {
                    dialog.length = if action == Action::Left {
                        dialog.length.saturating_sub(1).max(1)
                    } else {
                        (dialog.length + 1).min(dialog.cards)
                    };
                }
            },
            Action::Start => {
                let request = QuizRequest {
                    deck: Some(dialog.deck),
                    spec: Spec {
                        mode: dialog.mode,
                        length: dialog.length,
                        tag: None,
                    },
                    seed: None,
                    record: false,
                };
                if let Err(error) = self.start_quiz(request, now, false) {
                    self.screen = Screen::Home;
                    self.message = Some(super::Message {
                        text: format!("Cannot start the quiz: {error}"),
                        error: true,
                    });
                }
            }
            Action::Back => self.screen = Screen::Home,
            _ => {}
        }
    }

    pub(super) fn update_quiz(&mut self, action: Action, now: DateTime<Utc>) {
        let Screen::Quiz(screen) = &mut self.screen else {
            return;
        };
        let mut leave = false;
        if screen.context() == KeyContext::QuizType {
            let field = &mut screen.typed;
            match action {
                Action::Type(c) => field.insert(c),
                Action::DeleteBack => field.delete_back(),
                Action::DeleteForward => field.delete_forward(),
                Action::Left => field.left(),
                Action::Right => field.right(),
                Action::Top => field.home(),
                Action::Bottom => field.end(),
                _ => {}
            }
        }
        match action {
            Action::Reveal if screen.context() == KeyContext::QuizType => {
                check_typed(screen, now);
            }
            Action::Reveal => screen.quiz.reveal(),
            Action::Knew | Action::Missed | Action::Pick(_) => answer(screen, action, now),
            Action::Next => {
                screen.quiz.next(now);
                screen.scroll.to_top();
                screen.status = None;
                screen.typed = TextField::default();
            }
            Action::Retry => {
                let decks: Vec<&Deck> = screen
                    .decks
                    .iter()
                    .map(|&i| &self.catalog.decks[i].deck)
                    .collect();
                if screen.quiz.retry_missed(&decks, now) {
                    screen.saved = false;
                    screen.scroll.to_top();
                    screen.status = None;
                }
            }
            Action::Back => match screen.quiz.phase() {
                Phase::Over => leave = true,
                // Nothing answered: nothing to score.
                _ if screen.quiz.round().tally().0 == 0 => leave = true,
                _ => {
                    screen.quiz.end_round(now);
                    screen.scroll.to_top();
                    screen.status = None;
                }
            },
            Action::ScrollUp => screen.scroll.scroll_by(-1),
            Action::ScrollDown => screen.scroll.scroll_by(1),
            Action::PageUp => screen.scroll.scroll_by(-screen.scroll.page()),
            Action::PageDown => screen.scroll.scroll_by(screen.scroll.page()),
            Action::Top | Action::Bottom if screen.context() == KeyContext::QuizType => {}
            Action::Top => screen.scroll.to_top(),
            Action::Bottom => screen.scroll.to_bottom(),
            _ => {}
        }
        save_round(screen);
        if leave {
            let score = screen.quiz.score(now);
            self.farewell = Some(format!(
                "{} of {} right ({}%), {}",
                score.correct,
                score.asked,
                score.percent(),
                crate::ui::study::duration(score.time)
            ));
            // Releases the lock, if recording, before home re-reads the log.
            self.screen = Screen::Home;
            if self.exit_after_session {
                self.quit = true;
            } else if let Err(error) = self.reload(now) {
                self.message = Some(super::Message {
                    text: format!("Could not re-read the review log: {error:#}"),
                    error: true,
                });
            }
        }
    }
}

/// Says what the draw changed from what was asked: fewer cards, decks left
/// out of choice mode.
fn start_notice(quiz: &Quiz, spec: &Spec) -> Option<String> {
    let mut notes = Vec::new();
    if let Some(available) = quiz.shortfall() {
        let cards = match &spec.tag {
            Some(tag) => format!("cards tagged `{tag}`"),
            None => "cards".to_owned(),
        };
        notes.push(format!(
            "Only {available} {cards}, fewer than the {} asked for: all of them are asked.",
            spec.length
        ));
    }
    if !quiz.left_out().is_empty() {
        let ids: Vec<String> = quiz
            .left_out()
            .iter()
            .map(|(id, _)| id.to_string())
            .collect();
        notes.push(format!(
            "Left out (fewer than {OPTIONS} different answers for choice mode): {}.",
            ids.join(", ")
        ));
    }
    (!notes.is_empty()).then(|| notes.join(" "))
}

fn answer(screen: &mut QuizScreen, action: Action, now: DateTime<Utc>) {
    let answer = match action {
        Action::Knew => Answer::Knew,
        Action::Missed => Answer::Missed,
        Action::Pick(i) => Answer::Picked(usize::from(i)),
        _ => return,
    };
    let sink: &mut dyn ReviewSink = match &mut screen.recorder {
        Some((_, writer)) => writer,
        None => &mut Unrecorded,
    };
    if let Err(error) = screen.quiz.answer(answer, now, sink) {
        screen.status = Status::new(
            Tone::Error,
            format!("Not saved: {:#}", anyhow::Error::new(error)),
        );
        return;
    }
    screen.status = match screen.quiz.phase() {
        Phase::Picked {
            question,
            correct: true,
            ..
        } => {
            screen.focus = question.options.as_ref().map(|o| o.right);
            Status::new(Tone::Right, "✓ Right!")
        }
        Phase::Picked {
            question,
            correct: false,
            ..
        } => {
            let right = question.options.as_ref().map_or(0, |o| o.right);
            screen.focus = Some(right);
            Status::new(
                Tone::Wrong,
                format!("✗ Wrong: the right answer is {} (✓).", right + 1),
            )
        }
        _ => {
            screen.scroll.to_top();
            None
        }
    };
}

/// Checks the typed answer of the question on screen; the comparison then
/// shows until the next question.
fn check_typed(screen: &mut QuizScreen, now: DateTime<Utc>) {
    let sink: &mut dyn ReviewSink = match &mut screen.recorder {
        Some((_, writer)) => writer,
        None => &mut Unrecorded,
    };
    if let Err(error) = screen.quiz.answer_typed(screen.typed.text(), now, sink) {
        screen.status = Status::new(
            Tone::Error,
            format!("Not saved: {:#}", anyhow::Error::new(error)),
        );
        return;
    }
    screen.status = match screen.quiz.phase() {
        Phase::Checked { comparison, .. } if comparison.correct => {
            Status::new(Tone::Right, "✓ Right!")
        }
        Phase::Checked { .. } => Status::new(Tone::Wrong, "✗ Wrong: the right answer is below."),
        _ => None,
    };
}

/// Appends the round that is over to `quizzes.csv`, once.
fn save_round(screen: &mut QuizScreen) {
    if screen.saved || screen.quiz.phase() != Phase::Over {
        return;
    }
    screen.saved = true;
    screen.scroll.to_top();
    if let Some(record) = screen.quiz.record()
        && let Err(error) = quiz_log::append(&screen.quiz_log, &record)
    {
        screen.status = Status::new(
            Tone::Error,
            format!("The score was not saved: {:#}", anyhow::Error::new(error)),
        );
    }
}

pub(super) fn render_dialog(frame: &mut Frame, dialog: &Dialog, theme: Theme) {
    let hints = keys::hints(KeyContext::QuizDialog, |_| None);
    let view = DialogView {
        deck_name: &dialog.deck_name,
        cards: dialog.cards,
        mode: dialog.mode,
        length: dialog.length,
        field: dialog.field,
        note: dialog.no_choice.as_deref(),
        hints: &hints,
        theme,
    };
    frame.render_widget(&view, frame.area());
}

pub(super) fn render_quiz(
    frame: &mut Frame,
    screen: &mut QuizScreen,
    now: DateTime<Utc>,
    theme: Theme,
) {
    let area = frame.area();
    let context = screen.context();
    let hints = keys::hints(context, |_| None);
    let title = screen.title();
    let status = screen
        .status
        .as_ref()
        .map(|s| (s.text.as_str(), s.style(&theme)));
    let round = screen.quiz.round();
    let (question, body) = match screen.quiz.phase() {
        Phase::Asking { question, .. } if question.typed.is_some() => {
            let text = screen.typed.text();
            let view = TypedView {
                text,
                cursor: screen.typed.cursor(),
                comparison: None,
            };
            (question, QuizBody::Typed { view, back: None })
        }
        Phase::Checked {
            question,
            comparison,
        } => {
            let view = TypedView {
                text: screen.typed.text(),
                cursor: 0,
                comparison: Some(comparison),
            };
            let back = Some(question.back.as_str());
            (question, QuizBody::Typed { view, back })
        }
        Phase::Asking { question, revealed } => {
            let body = match &question.options {
                Some(options) => QuizBody::Choice {
                    options: &options.texts,
                    right: options.right,
                    picked: None,
                },
                None => QuizBody::SelfCheck {
                    back: revealed.then_some(question.back.as_str()),
                },
            };
            (question, body)
        }
        Phase::Picked {
            question, picked, ..
        } => {
            let body = match &question.options {
                Some(options) => QuizBody::Choice {
                    options: &options.texts,
                    right: options.right,
                    picked: Some(picked),
                },
                None => QuizBody::SelfCheck {
                    back: Some(&question.back),
                },
            };
            (question, body)
        }
        Phase::Over => {
            let score = screen.quiz.score(now);
            let missed: Vec<(&str, &str)> = round
                .missed()
                .into_iter()
                .map(|q| (q.front.as_str(), q.back.as_str()))
                .collect();
            let heading = match (score.ended_early(), screen.quiz.round_number()) {
                (true, _) => "Quiz ended".to_owned(),
                (false, 1) => "Quiz done".to_owned(),
                (false, n) => format!(
                    "Round {n} done (the {} missed before)",
                    format::plural(score.questions, "card")
                ),
            };
            let view = ScoreView {
                title: &title,
                heading: &heading,
                score,
                mode: screen.quiz.mode(),
                seed: screen.quiz.seed(),
                missed: &missed,
                message: status,
                hints: &hints,
                theme,
            };
            frame.render_stateful_widget(&view, area, &mut screen.scroll);
            return;
        }
    };
    let (answered, right) = round.tally();
    let view = QuestionView {
        header: QuizHeader {
            title: &title,
            position: round.position(),
            tally: (answered, right),
            elapsed: screen.quiz.score(now).time,
        },
        front: &question.front,
        body,
        focus: screen.focus.take(),
        message: status,
        hints: &hints,
        theme,
    };
    frame.render_stateful_widget(&view, area, &mut screen.scroll);
}

/// `quiz` module errors as the command line reports them: with what to do.
pub(super) fn explain(error: QuizStartError) -> anyhow::Error {
    match error {
        QuizStartError::Quiz(QuizError::TooFewAnswers { .. }) => anyhow::anyhow!(
            "{error}\n  help: self mode works with any number of cards: add `--mode self`"
        ),
        QuizStartError::Quiz(QuizError::NoCardWithTag { ref tags, .. }) if tags.is_empty() => {
            anyhow::anyhow!("{error}\n  help: leave out `--tag`")
        }
        QuizStartError::Quiz(QuizError::NoCardWithTag { .. }) => {
            anyhow::anyhow!(
                "{error}\n  help: pick one of these with `--tag TAG`, or leave out `--tag`"
            )
        }
        other => anyhow::Error::new(other),
    }
}
