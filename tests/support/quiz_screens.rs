//! The quiz screens drawn from fixed data (the bundled deck's texts, no
//! random draw), for the snapshot tests and the every-size test.

#![allow(dead_code)] // each test file uses part of this

use std::sync::LazyLock;

use chrono::TimeDelta;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{StatefulWidget, TableState, Widget};
use recall::app::keys::{self, KeyContext};
use recall::deck::catalog::{BUNDLED, parse_text};
use recall::deck::{Deck, TypeAnswer, compare};
use recall::quiz::{Mode, Score};
use recall::study::queue::DueCounts;
use recall::ui::Theme;
use recall::ui::chrome::ScrollState;
use recall::ui::help::HelpView;
use recall::ui::home::{Children, DeckRow, HomeView};
use recall::ui::quiz::{DialogField, DialogView, QuestionView, QuizBody, QuizHeader, ScoreView};
use recall::ui::study::TypedView;

pub const THEME: Theme = Theme::monochrome();

/// The bundled deck, parsed once: the every-size test draws each screen
/// some 5000 times.
pub fn bundled() -> &'static Deck {
    static DECK: LazyLock<Deck> =
        LazyLock::new(|| parse_text(BUNDLED[0].text, "bundled", "aws-api-gateway").unwrap());
    &DECK
}

fn header() -> QuizHeader<'static> {
    QuizHeader {
        title: "AWS API Gateway · quiz",
        position: (3, 10),
        tally: (2, 1),
        elapsed: TimeDelta::seconds(42),
    }
}

/// The four longest answers of the bundled deck (bullet lists), the right
/// one second: "What are the three endpoint types?".
pub fn long_options() -> &'static (String, Vec<String>, usize) {
    static OPTIONS: LazyLock<(String, Vec<String>, usize)> = LazyLock::new(long_options_of_deck);
    &OPTIONS
}

fn long_options_of_deck() -> (String, Vec<String>, usize) {
    let deck = bundled();
    let question = deck.card(&"endpoint-types".parse().unwrap()).unwrap();
    let mut others: Vec<&str> = deck
        .cards()
        .iter()
        .filter(|c| c.id != question.id)
        .map(|c| c.back.as_str())
        .collect();
    others.sort_by_key(|back| std::cmp::Reverse(back.len()));
    let options = vec![
        others[0].to_owned(),
        question.back.clone(),
        others[1].to_owned(),
        others[2].to_owned(),
    ];
    (question.front.clone(), options, 1)
}

pub fn render_question(
    area: Rect,
    buf: &mut Buffer,
    front: &str,
    body: QuizBody,
    focus: Option<usize>,
    message: Option<&str>,
    scroll: &mut ScrollState,
) {
    let context = match body {
        QuizBody::SelfCheck { back: None } => KeyContext::QuizQuestion,
        QuizBody::SelfCheck { back: Some(_) } => KeyContext::QuizAnswer,
        QuizBody::Choice { picked: None, .. } => KeyContext::QuizChoice,
        QuizBody::Choice {
            picked: Some(_), ..
        } => KeyContext::QuizPicked,
        QuizBody::Typed { back: None, .. } => KeyContext::QuizType,
        QuizBody::Typed { back: Some(_), .. } => KeyContext::QuizPicked,
    };
    let hints = keys::hints(context, |_| None);
    let view = QuestionView {
        header: header(),
        front,
        body,
        focus,
        message: message.map(|m| (m, THEME.bad())),
        hints: &hints,
        theme: THEME,
    };
    StatefulWidget::render(&view, area, buf, scroll);
}

pub fn render_self_question(area: Rect, buf: &mut Buffer) {
    let card = &bundled().cards()[1];
    let body = QuizBody::SelfCheck { back: None };
    render_question(
        area,
        buf,
        &card.front,
        body,
        None,
        None,
        &mut ScrollState::default(),
    );
}

pub fn render_self_answer(area: Rect, buf: &mut Buffer) {
    let card = &bundled().cards()[1];
    let body = QuizBody::SelfCheck {
        back: Some(&card.back),
    };
    render_question(
        area,
        buf,
        &card.front,
        body,
        None,
        None,
        &mut ScrollState::default(),
    );
}

pub fn render_choice(area: Rect, buf: &mut Buffer) {
    let (front, options, right) = long_options();
    let body = QuizBody::Choice {
        options,
        right: *right,
        picked: None,
    };
    render_question(
        area,
        buf,
        front,
        body,
        None,
        None,
        &mut ScrollState::default(),
    );
}

/// Option 1 picked, wrong; the view scrolls to the right one (2).
pub fn render_choice_picked(area: Rect, buf: &mut Buffer) {
    let (front, options, right) = long_options();
    let body = QuizBody::Choice {
        options,
        right: *right,
        picked: Some(0),
    };
    render_question(
        area,
        buf,
        front,
        body,
        Some(*right),
        Some("✗ Wrong: the right answer is 2 (✓)."),
        &mut ScrollState::default(),
    );
}

/// A typed-answer question with text typed, the cursor inside it.
pub fn render_typed_question(area: Rect, buf: &mut Buffer) {
    let body = QuizBody::Typed {
        view: TypedView {
            text: "Regional",
            cursor: 3,
            comparison: None,
        },
        back: None,
    };
    render_question(
        area,
        buf,
        "Which endpoint type serves clients in one region?",
        body,
        None,
        None,
        &mut ScrollState::default(),
    );
}

/// The same question checked: a wrong answer compared with the right one.
pub fn render_typed_checked(area: Rect, buf: &mut Buffer) {
    let comparison = compare::compare("Regionl", "Regional", TypeAnswer::default());
    let body = QuizBody::Typed {
        view: TypedView {
            text: "Regionl",
            cursor: 0,
            comparison: Some(&comparison),
        },
        back: Some("Regional"),
    };
    render_question(
        area,
        buf,
        "Which endpoint type serves clients in one region?",
        body,
        None,
        Some("✗ Wrong: the right answer is below."),
        &mut ScrollState::default(),
    );
}

/// The missed questions of a 10-question round: three of the bundled deck.
pub fn missed(deck: &Deck) -> Vec<(&str, &str)> {
    deck.cards()
        .iter()
        .take(3)
        .map(|c| (c.front.as_str(), c.back.as_str()))
        .collect()
}

pub fn render_score_with(area: Rect, buf: &mut Buffer, scroll: &mut ScrollState) {
    let missed = missed(bundled());
    let hints = keys::hints(KeyContext::QuizScore, |_| None);
    let view = ScoreView {
        title: "AWS API Gateway · quiz",
        heading: "Quiz done",
        score: Score {
            asked: 10,
            correct: 7,
            questions: 10,
            time: TimeDelta::seconds(3 * 60 + 12),
        },
        mode: Mode::Choice,
        seed: 2026,
        missed: &missed,
        message: None,
        hints: &hints,
        theme: THEME,
    };
    StatefulWidget::render(&view, area, buf, scroll);
}

pub fn render_score(area: Rect, buf: &mut Buffer) {
    render_score_with(area, buf, &mut ScrollState::default());
}

pub fn render_score_all_right_ended_early(area: Rect, buf: &mut Buffer) {
    let hints = keys::hints(KeyContext::QuizScoreAllRight, |_| None);
    let view = ScoreView {
        title: "AWS API Gateway · quiz",
        heading: "Quiz ended",
        score: Score {
            asked: 4,
            correct: 4,
            questions: 10,
            time: TimeDelta::seconds(95),
        },
        mode: Mode::SelfCheck,
        seed: 7,
        missed: &[],
        message: None,
        hints: &hints,
        theme: THEME,
    };
    StatefulWidget::render(&view, area, buf, &mut ScrollState::default());
}

fn render_home(area: Rect, buf: &mut Buffer) {
    let rows = vec![DeckRow {
        name: "AWS API Gateway".into(),
        description: "Integrations, endpoint types, stages, deployments and mapping templates"
            .into(),
        cards: 15,
        counts: DueCounts {
            new: 11,
            learning: 1,
            learning_now: 1,
            review: 3,
        },
        next: None,
        depth: 0,
        children: Children::None,
    }];
    let hints = keys::hints(KeyContext::Home, |_| None);
    let view = HomeView {
        rows: &rows,
        hints: &hints,
        message: None,
        sync: None,
        theme: THEME,
    };
    let mut selection = TableState::default().with_selected(Some(0));
    StatefulWidget::render(&view, area, buf, &mut selection);
}

pub fn render_dialog_with(area: Rect, buf: &mut Buffer, cards: usize, note: Option<&str>) {
    render_home(area, buf);
    let hints = keys::hints(KeyContext::QuizDialog, |_| None);
    DialogView {
        deck_name: "AWS API Gateway",
        cards,
        mode: Mode::SelfCheck,
        length: 10.min(cards),
        field: DialogField::Mode,
        note,
        hints: &hints,
        theme: THEME,
    }
    .render(area, buf);
}

pub fn render_dialog(area: Rect, buf: &mut Buffer) {
    render_dialog_with(area, buf, 15, None);
}

pub fn render_dialog_without_choice(area: Rect, buf: &mut Buffer) {
    render_dialog_with(
        area,
        buf,
        3,
        Some(
            "Choice mode needs 4 cards with different answers; this deck has 3, so it is quizzed in self-check mode.",
        ),
    );
}

pub fn render_quiz_help(area: Rect, buf: &mut Buffer) {
    render_choice(area, buf);
    let entries = keys::help(KeyContext::QuizChoice);
    HelpView {
        title: "Keys",
        entries: &entries,
        theme: THEME,
    }
    .render(area, buf);
}

/// Draws one screen into a buffer.
pub type Render = fn(Rect, &mut Buffer);

/// Every quiz screen, named, for the every-size test. The help overlay is
/// left out: it is the study screens' widget, drawn at every size there, and
/// drawing it over a choice question again would cost the most of all.
pub const SCREENS: [(&str, Render); 10] = [
    ("quiz typed question", render_typed_question),
    ("quiz typed checked", render_typed_checked),
    ("quiz self question", render_self_question),
    ("quiz self answer", render_self_answer),
    ("quiz choice", render_choice),
    ("quiz choice picked", render_choice_picked),
    ("quiz score", render_score),
    ("quiz score all right", render_score_all_right_ended_early),
    ("quiz dialog", render_dialog),
    ("quiz dialog without choice", render_dialog_without_choice),
];
