//! The key table: for each screen, which keys do what. The footer hints and
//! the help overlay are generated from the same table that maps keys to
//! actions, so they cannot drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::schedule::Rating;
use crate::ui::chrome::Hint;
use crate::ui::help::HelpEntry;

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Ctrl-C: leave the program at once.
    Quit,
    /// q / Esc: back to the previous screen (or out, from home).
    Back,
    Up,
    Down,
    /// Study the selected deck.
    StudySelected,
    StudyAll,
    Reveal,
    Grade(Rating),
    Undo,
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
    ToggleHelp,
    /// Leave the summary.
    Continue,
    /// Open the quiz dialog for the selected deck.
    Quiz,
    /// The quiz dialog: change the value (less, more) of the field.
    Left,
    Right,
    /// The quiz dialog: start the quiz.
    Start,
    /// Choice mode: pick an option (from 0).
    Pick(u8),
    /// Self mode: knew it.
    Knew,
    /// Self mode: missed it.
    Missed,
    /// After a pick: on to the next question.
    Next,
    /// The quiz score: quiz the missed cards again.
    Retry,
    /// Open the statistics of the selected deck.
    Stats,
    /// The stats screen: switch between the deck and all decks.
    ToggleScope,
    /// A typed answer: a character typed into the field.
    /// Open the card browser (`/`: with the search line taking keys).
    Browse,
    Search,
    /// The search line and a typed answer: a typed character; the search
    /// line: Backspace, and leaving it.
    Type(char),
    Erase,
    EndSearch,
    /// The browser: sort by the next column, reverse the sort.
    SortNext,
    SortReverse,
    /// The browser: open the selected card's page.
    Open,
    /// Card actions, on the selected card or the card on screen.
    Suspend,
    Bury,
    Mark,
    Forget,
    /// Answers to a yes/no question.
    Yes,
    No,
    /// A typed answer: Backspace.
    DeleteBack,
    /// A typed answer: Delete.
    DeleteForward,
    /// Study: open the card's media with the system's opener.
    OpenMedia,
    /// Open the custom-study dialog for the selected deck.
    CustomStudy,
    /// Edit the card in the user's editor; after problems: edit again.
    Edit,
    /// Add a card to the deck in the user's editor.
    AddCard,
    /// After problems: keep the file as it is.
    Keep,
    /// The browser: select or unselect the row (actions apply to the
    /// selection).
    ToggleSelect,
}

/// Which key table applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    Home,
    Question,
    /// The question of a typed-answer card: keys type into the field.
    TypeQuestion,
    Answer,
    Waiting,
    Summary,
    /// The help overlay is open over another screen.
    Help,
    /// The home screen's quiz dialog.
    QuizDialog,
    /// The home screen's custom-study dialog.
    CustomDialog,
    /// A self-mode question, answer hidden.
    QuizQuestion,
    /// A typed-answer question of the quiz: keys type into the field.
    QuizType,
    /// A self-mode question with its answer.
    QuizAnswer,
    /// A choice-mode question, before the pick.
    QuizChoice,
    /// A choice-mode question after the pick, or a typed answer after the
    /// check: right or wrong shows.
    QuizPicked,
    /// The score of a round with missed cards.
    QuizScore,
    /// The score of a round without a miss: nothing to retry.
    QuizScoreAllRight,
    /// The stats screen.
    Stats,
    /// The card browser's table.
    Browser,
    /// The browser's search line: keys type.
    BrowserSearch,
    /// A card's page, opened from the browser.
    BrowserCard,
    /// "Forget this card?"
    ConfirmForget,
    /// Before the editor: copy the bundled deck, or edit an imported one?
    EditConfirm,
    /// After the editor: the file has problems.
    EditProblems,
    /// The decks and the log are loading: keys only quit.
    Loading,
}

/// Keys, an action, and how to present them.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [KeyCode],
    pub action: Action,
    /// How the keys are written in help, e.g. "Space, Enter".
    pub label: &'static str,
    /// What it does, for help.
    pub description: &'static str,
    /// The footer text, if it has a place in the footer.
    pub hint: Option<&'static str>,
}

const fn bind(
    keys: &'static [KeyCode],
    action: Action,
    label: &'static str,
    description: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        action,
        label,
        description,
        hint,
    }
}

use KeyCode::{
    BackTab, Backspace, Char, Delete, Down, End, Enter, Esc, F, Home, Left, PageDown, PageUp,
    Right, Tab, Up,
};

// The tables below are data: one binding per line reads best, so rustfmt is
// told to leave them alone. Bindings shared by several screens are named.

#[rustfmt::skip]
const HELP: Binding = bind(&[Char('?')], Action::ToggleHelp, "?", "show or hide this help", Some("help"));
#[rustfmt::skip]
const UNDO: Binding = bind(&[Char('u')], Action::Undo, "u", "undo the last grade", Some("undo"));
#[rustfmt::skip]
const OPEN_MEDIA: Binding = bind(&[Char('o')], Action::OpenMedia, "o", "open the card's media (images, sounds)", None);
#[rustfmt::skip]
const END_SESSION: Binding = bind(&[Char('q'), Esc], Action::Back, "q Esc", "end the session", Some("home"));

#[rustfmt::skip]
const SCROLL_UP: Binding = bind(&[Up, Char('k')], Action::ScrollUp, "↑ k", "scroll up", None);
#[rustfmt::skip]
const SCROLL_DOWN: Binding = bind(&[Down, Char('j')], Action::ScrollDown, "↓ j", "scroll down", None);
#[rustfmt::skip]
const SCROLL_PAGE: Binding = bind(&[PageUp, PageDown], Action::PageUp, "PgUp PgDn", "scroll a page", None);
#[rustfmt::skip]
const SCROLL_ENDS: Binding = bind(&[Home, End], Action::Top, "Home End", "scroll to the top or the end", None);

/// Leaving a quiz before its score: the score of what was answered shows.
#[rustfmt::skip]
const END_QUIZ: Binding = bind(&[Char('q'), Esc], Action::Back, "q Esc", "end the quiz here and see the score", Some("end quiz"));
#[rustfmt::skip]
const LEAVE_QUIZ: Binding = bind(&[Char('q'), Esc], Action::Back, "q Esc", "leave the quiz", Some("leave"));

#[rustfmt::skip]
const HOME: &[Binding] = &[
    bind(&[Up, Char('k')], Action::Up, "↑ k", "select the deck above", None),
    bind(&[Down, Char('j')], Action::Down, "↓ j", "select the deck below", None),
    bind(&[Left, Right, Char('h'), Char('l')], Action::Left, "← →", "fold or unfold the decks under the selected one", None),
    bind(&[Enter], Action::StudySelected, "Enter", "study the selected deck and the decks under it", Some("study")),
    bind(&[Char('a')], Action::StudyAll, "a", "study all decks together", Some("study all")),
    bind(&[Char('z')], Action::Quiz, "z", "quiz yourself on the selected deck (the schedule is left alone)", Some("quiz")),
    bind(&[Char('s')], Action::Stats, "s", "statistics of the selected deck", Some("stats")),
    bind(&[Char('b')], Action::Browse, "b", "browse and search every card", Some("browse")),
    bind(&[Char('/')], Action::Search, "/", "search the cards (opens the browser)", None),
    bind(&[Char('c')], Action::CustomStudy, "c", "custom study: more new cards, review ahead, a tag, forgotten cards", Some("custom")),
    ADD_CARD,
    HELP,
    bind(&[Char('q'), Esc], Action::Back, "q Esc", "quit", Some("quit")),
];

#[rustfmt::skip]
const SUSPEND: Binding = bind(&[Char('!')], Action::Suspend, "!", "suspend the card (or unsuspend it): never queued until unsuspended", None);
#[rustfmt::skip]
const BURY: Binding = bind(&[Char('-')], Action::Bury, "-", "bury the card until the next study day (or unbury it)", None);
#[rustfmt::skip]
const MARK: Binding = bind(&[Char('*')], Action::Mark, "*", "mark the card (or unmark it); find marks with is:marked", None);
#[rustfmt::skip]
const EDIT: Binding = bind(&[Char('e')], Action::Edit, "e", "edit the card in $VISUAL / $EDITOR (its deck file, at its line)", None);
#[rustfmt::skip]
const ADD_CARD: Binding = bind(&[Char('n')], Action::AddCard, "n", "add a card to this deck in $VISUAL / $EDITOR", None);
#[rustfmt::skip]
const FORGET: Binding = bind(&[Char('f')], Action::Forget, "f", "forget the card: back to new, its history kept (asks first)", None);

#[rustfmt::skip]
const QUESTION: &[Binding] = &[
    bind(&[Char(' '), Enter], Action::Reveal, "Space Enter", "show the answer", Some("show answer")),
    SUSPEND, BURY, MARK, FORGET, EDIT, ADD_CARD,
    UNDO, OPEN_MEDIA, SCROLL_UP, SCROLL_DOWN, SCROLL_PAGE, SCROLL_ENDS, HELP, END_SESSION,
];

/// Every character types; the keys that do something else are not
/// characters, so any answer can be typed.
#[rustfmt::skip]
const TYPE_QUESTION: &[Binding] = &[
    bind(&[Enter], Action::Reveal, "Enter", "check the typed answer and show the right one", Some("check")),
    TYPE_DELETE, TYPE_CURSOR, TYPE_ENDS, TYPE_SCROLL_UP, TYPE_SCROLL_DOWN, TYPE_HELP,
    bind(&[Esc], Action::Back, "Esc", "end the session", Some("home")),
];

// The editing keys of a typed answer, in study and in the quiz: none is a
// character, so any answer can be typed.
#[rustfmt::skip]
const TYPE_DELETE: Binding = bind(&[Backspace, Delete], Action::DeleteBack, "Bksp Del", "delete before or after the cursor", None);
#[rustfmt::skip]
const TYPE_CURSOR: Binding = bind(&[Left, Right], Action::Left, "← →", "move the cursor", None);
#[rustfmt::skip]
const TYPE_ENDS: Binding = bind(&[Home, End], Action::Top, "Home End", "to the start or the end of the answer", None);
#[rustfmt::skip]
const TYPE_SCROLL_UP: Binding = bind(&[Up], Action::ScrollUp, "↑", "scroll up", None);
#[rustfmt::skip]
const TYPE_SCROLL_DOWN: Binding = bind(&[Down], Action::ScrollDown, "↓", "scroll down", None);
#[rustfmt::skip]
const TYPE_HELP: Binding = bind(&[F(1)], Action::ToggleHelp, "F1", "show or hide this help", Some("help"));

#[rustfmt::skip]
const ANSWER: &[Binding] = &[
    bind(&[Char('1')], Action::Grade(Rating::Again), "1", "Again: forgot it", Some("Again")),
    bind(&[Char('2')], Action::Grade(Rating::Hard), "2", "Hard: recalled with difficulty", Some("Hard")),
    bind(&[Char('3')], Action::Grade(Rating::Good), "3", "Good: recalled it", Some("Good")),
    bind(&[Char('4')], Action::Grade(Rating::Easy), "4", "Easy: recalled it at once", Some("Easy")),
    bind(&[Char(' '), Enter], Action::Grade(Rating::Good), "Space Enter", "Good", None),
    SUSPEND, BURY, MARK, FORGET, EDIT, ADD_CARD,
    UNDO, OPEN_MEDIA, SCROLL_UP, SCROLL_DOWN, SCROLL_PAGE, SCROLL_ENDS, HELP, END_SESSION,
];

#[rustfmt::skip]
const WAITING: &[Binding] = &[
    UNDO,
    HELP,
    bind(&[Char('q'), Esc], Action::Back, "q Esc", "end the session now (the card stays due)", Some("end session")),
];

#[rustfmt::skip]
const SUMMARY: &[Binding] = &[
    bind(&[Enter, Char(' '), Char('q'), Esc], Action::Continue, "Enter q", "continue", Some("continue")),
    bind(&[Char('u')], Action::Undo, "u", "undo the last grade and go back", Some("undo")),
    HELP,
];

#[rustfmt::skip]
const QUIZ_DIALOG: &[Binding] = &[
    bind(&[Up, Down, Tab, Char('k'), Char('j')], Action::Down, "↑↓ Tab", "move between mode and length", Some("move")),
    bind(&[Left, Right, Char('h'), Char('l')], Action::Left, "←→ h l", "change the mode or the length", Some("change")),
    bind(&[Enter], Action::Start, "Enter", "start the quiz", Some("start")),
    HELP,
    bind(&[Esc, Char('q')], Action::Back, "Esc q", "cancel", Some("cancel")),
];

#[rustfmt::skip]
const CUSTOM_DIALOG: &[Binding] = &[
    bind(&[Up, Down, Char('k'), Char('j'), Tab], Action::Up, "↑↓ k j", "the choice above or below", Some("choose")),
    bind(&[Left, Right, Char('h'), Char('l')], Action::Left, "←→ h l", "less or more (another tag)", Some("change")),
    bind(&[Enter], Action::Start, "Enter", "study", Some("study")),
    HELP,
    bind(&[Esc, Char('q')], Action::Back, "Esc q", "cancel", Some("cancel")),
];

#[rustfmt::skip]
const QUIZ_QUESTION: &[Binding] = &[
    bind(&[Char(' '), Enter], Action::Reveal, "Space Enter", "show the answer", Some("show answer")),
    SCROLL_UP, SCROLL_DOWN, SCROLL_PAGE, SCROLL_ENDS, HELP, END_QUIZ,
];

#[rustfmt::skip]
const QUIZ_TYPE: &[Binding] = &[
    bind(&[Enter], Action::Reveal, "Enter", "check the typed answer", Some("check")),
    TYPE_DELETE, TYPE_CURSOR, TYPE_ENDS, TYPE_SCROLL_UP, TYPE_SCROLL_DOWN, TYPE_HELP,
    bind(&[Esc], Action::Back, "Esc", "end the quiz here and see the score", Some("end quiz")),
];

#[rustfmt::skip]
const QUIZ_ANSWER: &[Binding] = &[
    bind(&[Char('y')], Action::Knew, "y", "I knew it", Some("knew it")),
    bind(&[Char('n')], Action::Missed, "n", "I missed it", Some("missed it")),
    SCROLL_UP, SCROLL_DOWN, SCROLL_PAGE, SCROLL_ENDS, HELP, END_QUIZ,
];

#[rustfmt::skip]
const QUIZ_CHOICE: &[Binding] = &[
    bind(&[Char('1'), Char('2'), Char('3'), Char('4')], Action::Pick(0), "1–4", "pick that option", Some("pick")),
    SCROLL_UP, SCROLL_DOWN, SCROLL_PAGE, SCROLL_ENDS, HELP, END_QUIZ,
];

#[rustfmt::skip]
const QUIZ_PICKED: &[Binding] = &[
    bind(&[Enter, Char(' ')], Action::Next, "Enter Space", "next question", Some("next")),
    SCROLL_UP, SCROLL_DOWN, SCROLL_PAGE, SCROLL_ENDS, HELP, END_QUIZ,
];

#[rustfmt::skip]
const QUIZ_SCORE: &[Binding] = &[
    bind(&[Char('r')], Action::Retry, "r", "quiz the missed cards again", Some("retry missed")),
    SCROLL_UP, SCROLL_DOWN, SCROLL_PAGE, SCROLL_ENDS, HELP, LEAVE_QUIZ,
];

const QUIZ_SCORE_ALL_RIGHT: &[Binding] = &[HELP, LEAVE_QUIZ];

#[rustfmt::skip]
const STATS: &[Binding] = &[
    bind(&[Left, Right, Tab, BackTab, Char('h'), Char('l')], Action::Left, "←→ Tab", "the previous or next section", Some("section")),
    bind(&[Char('a')], Action::ToggleScope, "a", "switch between the deck and all decks", Some("deck/all")),
    HELP,
    bind(&[Char('q'), Esc], Action::Back, "q Esc", "back home", Some("home")),
];

#[rustfmt::skip]
const BROWSER: &[Binding] = &[
    bind(&[Char('/')], Action::Search, "/", "type in the search line", Some("search")),
    bind(&[Up, Char('k')], Action::Up, "↑ k", "select the card above", None),
    bind(&[Down, Char('j')], Action::Down, "↓ j", "select the card below", None),
    bind(&[PageUp, PageDown], Action::PageUp, "PgUp PgDn", "a page up or down", None),
    bind(&[Home, End], Action::Top, "Home End", "the first or the last card", None),
    bind(&[Enter], Action::Open, "Enter", "open the card: its text and history", Some("open")),
    bind(&[Char('s')], Action::SortNext, "s", "sort by the next column", Some("sort")),
    bind(&[Char('S')], Action::SortReverse, "S", "reverse the sort", None),
    bind(&[Char('!')], Action::Suspend, "!", "suspend or unsuspend the card", Some("suspend")),
    bind(&[Char('-')], Action::Bury, "-", "bury the card until the next study day, or unbury it", None),
    bind(&[Char('*')], Action::Mark, "*", "mark or unmark the card", None),
    FORGET,
    bind(&[Char(' ')], Action::ToggleSelect, "Space", "select or unselect the card: !, -, * and f then act on every selected card", None),
    EDIT, ADD_CARD,
    bind(&[Char('u')], Action::Undo, "u", "undo the last action in the browser", None),
    HELP,
    bind(&[Char('q'), Esc], Action::Back, "q Esc", "back home", Some("home")),
];

#[rustfmt::skip]
const BROWSER_SEARCH: &[Binding] = &[
    bind(&[Enter, Esc, Down, Tab], Action::EndSearch, "Enter Esc", "back to the table (the search stays)", Some("done")),
    bind(&[KeyCode::Backspace], Action::Erase, "Backspace", "erase a character", None),
];

#[rustfmt::skip]
const BROWSER_CARD: &[Binding] = &[
    SCROLL_UP, SCROLL_DOWN, SCROLL_PAGE, SCROLL_ENDS,
    bind(&[Char('!')], Action::Suspend, "!", "suspend or unsuspend the card", Some("suspend")),
    bind(&[Char('-')], Action::Bury, "-", "bury or unbury the card", None),
    bind(&[Char('*')], Action::Mark, "*", "mark or unmark the card", None),
    FORGET, EDIT,
    HELP,
    bind(&[Char('q'), Esc], Action::Back, "q Esc", "back to the list", Some("back")),
];

#[rustfmt::skip]
const CONFIRM_FORGET: &[Binding] = &[
    bind(&[Char('y')], Action::Yes, "y", "forget it", Some("forget")),
    bind(&[Char('n'), Esc, Char('q')], Action::No, "n Esc", "keep it", Some("keep")),
];

#[rustfmt::skip]
const EDIT_CONFIRM: &[Binding] = &[
    bind(&[Char('y')], Action::Yes, "y", "go on", Some("go on")),
    bind(&[Char('n'), Esc, Char('q')], Action::No, "n Esc", "leave the deck alone", Some("cancel")),
];

#[rustfmt::skip]
const EDIT_PROBLEMS: &[Binding] = &[
    bind(&[Char('e')], Action::Edit, "e", "open the editor again, at the first problem", Some("edit again")),
    bind(&[Char('k'), Esc, Char('q')], Action::Keep, "k Esc", "keep the file as it is (a draft stays in its file)", Some("keep as is")),
];

#[rustfmt::skip]
const LOADING: &[Binding] = &[
    bind(&[Char('q'), Esc], Action::Quit, "q Esc", "quit", Some("quit")),
];

#[rustfmt::skip]
const HELP_OPEN: &[Binding] = &[
    bind(&[Char('?'), Esc, Char('q'), F(1)], Action::ToggleHelp, "? Esc", "close the help", None),
    SCROLL_UP, SCROLL_DOWN, SCROLL_PAGE, SCROLL_ENDS,
];

pub fn bindings(context: KeyContext) -> &'static [Binding] {
    match context {
        KeyContext::Home => HOME,
        KeyContext::Question => QUESTION,
        KeyContext::TypeQuestion => TYPE_QUESTION,
        KeyContext::Answer => ANSWER,
        KeyContext::Waiting => WAITING,
        KeyContext::Summary => SUMMARY,
        KeyContext::Help => HELP_OPEN,
        KeyContext::QuizDialog => QUIZ_DIALOG,
        KeyContext::CustomDialog => CUSTOM_DIALOG,
        KeyContext::QuizQuestion => QUIZ_QUESTION,
        KeyContext::QuizType => QUIZ_TYPE,
        KeyContext::QuizAnswer => QUIZ_ANSWER,
        KeyContext::QuizChoice => QUIZ_CHOICE,
        KeyContext::QuizPicked => QUIZ_PICKED,
        KeyContext::QuizScore => QUIZ_SCORE,
        KeyContext::QuizScoreAllRight => QUIZ_SCORE_ALL_RIGHT,
        KeyContext::Stats => STATS,
        KeyContext::Browser => BROWSER,
        KeyContext::BrowserSearch => BROWSER_SEARCH,
        KeyContext::BrowserCard => BROWSER_CARD,
        KeyContext::ConfirmForget => CONFIRM_FORGET,
        KeyContext::EditConfirm => EDIT_CONFIRM,
        KeyContext::EditProblems => EDIT_PROBLEMS,
        KeyContext::Loading => LOADING,
    }
}

/// The action for a key press in `context`. Ctrl-C quits everywhere.
pub fn action_for(key: KeyEvent, context: KeyContext) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == Char('c')).then_some(Action::Quit);
    }
    // The search line takes every printable key.
    if context == KeyContext::BrowserSearch
        && let Char(c) = key.code
    {
        return Some(Action::Type(c));
    }
    let binding = bindings(context)
        .iter()
        .find(|b| b.keys.contains(&key.code));
    let binding = match (binding, key.code) {
        (Some(binding), _) => binding,
        (None, Char(c)) if matches!(context, KeyContext::TypeQuestion | KeyContext::QuizType) => {
            return Some(Action::Type(c));
        }
        (None, _) => return None,
    };
    // One binding covers both ends of a pair (PgUp/PgDn, Home/End, ←/→)
    // or a row of keys (the options 1 to 4).
    Some(match (binding.action, key.code) {
        (Action::PageUp, PageDown) => Action::PageDown,
        (Action::Top, End) => Action::Bottom,
        (Action::DeleteBack, Delete) => Action::DeleteForward,
        (Action::Left, Right | Char('l')) => Action::Right,
        (Action::Left, Tab) if context == KeyContext::Stats => Action::Right,
        (Action::Up, Down | Char('j') | Tab) if context == KeyContext::CustomDialog => Action::Down,
        (Action::Pick(_), Char(c @ '1'..='4')) => Action::Pick(c as u8 - b'1'),
        (action, _) => action,
    })
}

/// The footer for `context`; `grade_note` adds e.g. the interval to a grade.
pub fn hints(context: KeyContext, grade_note: impl Fn(Rating) -> Option<String>) -> Vec<Hint> {
    bindings(context)
        .iter()
        .filter_map(|binding| {
            let text = binding.hint?;
            let key = binding.label.split(' ').next().unwrap_or(binding.label);
            let text = match (
                binding.action,
                binding.action_rating().and_then(&grade_note),
            ) {
                (Action::Grade(_), Some(note)) => format!("{text} · {note}"),
                _ => text.to_owned(),
            };
            Some(Hint::new(key, text))
        })
        .collect()
}

/// The footer of a study screen: as [`hints`], with "quit" for the key
/// that ends the session when that also leaves the program (`recall study`).
pub fn study_hints(
    context: KeyContext,
    leaves_program: bool,
    grade_note: impl Fn(Rating) -> Option<String>,
) -> Vec<Hint> {
    let mut hints = hints(context, grade_note);
    if leaves_program {
        let back_keys: Vec<&str> = bindings(context)
            .iter()
            .filter(|b| b.action == Action::Back && b.hint.is_some())
            .map(|b| b.label.split(' ').next().unwrap_or(b.label))
            .collect();
        for hint in &mut hints {
            if back_keys.contains(&hint.key.as_str()) {
                hint.text = "quit".into();
            }
        }
    }
    hints
}

/// Every key of `context`, for the help overlay.
pub fn help(context: KeyContext) -> Vec<HelpEntry> {
    let mut entries: Vec<HelpEntry> = bindings(context)
        .iter()
        .map(|b| HelpEntry {
            keys: b.label.to_owned(),
            action: b.description.to_owned(),
        })
        .collect();
    entries.push(HelpEntry {
        keys: "Ctrl-C".into(),
        action: "quit at once".into(),
    });
    entries
}

impl Binding {
    fn action_rating(&self) -> Option<Rating> {
        match self.action {
            Action::Grade(rating) => Some(rating),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        code.into()
    }

    #[test]
    fn each_key_gives_its_action_on_each_screen() {
        use Action as A;
        use KeyContext as C;
        let cases = [
            (C::Home, Down, A::Down),
            (C::Home, Char('j'), A::Down),
            (C::Home, Up, A::Up),
            (C::Home, Char('k'), A::Up),
            (C::Home, Enter, A::StudySelected),
            (C::Home, Char('a'), A::StudyAll),
            (C::Home, Char('?'), A::ToggleHelp),
            (C::Home, Char('q'), A::Back),
            (C::Home, Esc, A::Back),
            (C::Question, Char(' '), A::Reveal),
            (C::Question, Enter, A::Reveal),
            (C::Question, Char('u'), A::Undo),
            (C::Question, Char('j'), A::ScrollDown),
            (C::Question, Down, A::ScrollDown),
            (C::Question, Char('k'), A::ScrollUp),
            (C::Question, PageDown, A::PageDown),
            (C::Question, PageUp, A::PageUp),
            (C::Question, Home, A::Top),
            (C::Question, End, A::Bottom),
            (C::Question, Char('q'), A::Back),
            (C::Question, Esc, A::Back),
            (C::Answer, Char('1'), A::Grade(Rating::Again)),
            (C::Answer, Char('2'), A::Grade(Rating::Hard)),
            (C::Answer, Char('3'), A::Grade(Rating::Good)),
            (C::Answer, Char('4'), A::Grade(Rating::Easy)),
            (C::Answer, Char(' '), A::Grade(Rating::Good)),
            (C::Answer, Enter, A::Grade(Rating::Good)),
            (C::Answer, Char('u'), A::Undo),
            (C::Answer, End, A::Bottom),
            (C::Answer, Char('?'), A::ToggleHelp),
            (C::Answer, Esc, A::Back),
            (C::Waiting, Char('q'), A::Back),
            (C::Waiting, Char('u'), A::Undo),
            (C::Summary, Enter, A::Continue),
            (C::Summary, Char('q'), A::Continue),
            (C::Summary, Char('u'), A::Undo),
            (C::Help, Esc, A::ToggleHelp),
            (C::Help, Char('?'), A::ToggleHelp),
            (C::Home, Char('s'), A::Stats),
            (C::Stats, Tab, A::Right),
            (C::Stats, Right, A::Right),
            (C::Stats, Char('l'), A::Right),
            (C::Stats, BackTab, A::Left),
            (C::Stats, Left, A::Left),
            (C::Stats, Char('h'), A::Left),
            (C::Stats, Char('a'), A::ToggleScope),
            (C::Stats, Char('q'), A::Back),
            (C::Stats, Esc, A::Back),
        ];
        for (context, code, action) in cases {
            assert_eq!(
                action_for(press(code), context),
                Some(action),
                "{code:?} on {context:?}"
            );
        }
    }

    #[test]
    fn quiz_keys_give_their_actions() {
        use Action as A;
        use KeyContext as C;
        let cases = [
            (C::Home, Char('z'), A::Quiz),
            (C::QuizDialog, Down, A::Down),
            (C::QuizDialog, Up, A::Down),
            (C::QuizDialog, Tab, A::Down),
            (C::QuizDialog, Left, A::Left),
            (C::QuizDialog, Char('h'), A::Left),
            (C::QuizDialog, Right, A::Right),
            (C::QuizDialog, Char('l'), A::Right),
            (C::QuizDialog, Enter, A::Start),
            (C::QuizDialog, Esc, A::Back),
            (C::QuizQuestion, Char(' '), A::Reveal),
            (C::QuizQuestion, Enter, A::Reveal),
            (C::QuizQuestion, Char('j'), A::ScrollDown),
            (C::QuizQuestion, Char('q'), A::Back),
            (C::QuizAnswer, Char('y'), A::Knew),
            (C::QuizAnswer, Char('n'), A::Missed),
            (C::QuizAnswer, PageDown, A::PageDown),
            (C::QuizChoice, Char('1'), A::Pick(0)),
            (C::QuizChoice, Char('2'), A::Pick(1)),
            (C::QuizChoice, Char('3'), A::Pick(2)),
            (C::QuizChoice, Char('4'), A::Pick(3)),
            (C::QuizChoice, Char('k'), A::ScrollUp),
            (C::QuizChoice, End, A::Bottom),
            (C::QuizChoice, Esc, A::Back),
            (C::QuizPicked, Enter, A::Next),
            (C::QuizPicked, Char(' '), A::Next),
            (C::QuizPicked, Down, A::ScrollDown),
            (C::QuizScore, Char('r'), A::Retry),
            (C::QuizScore, Char('q'), A::Back),
            (C::QuizScore, PageUp, A::PageUp),
            (C::QuizScoreAllRight, Esc, A::Back),
        ];
        for (context, code, action) in cases {
            assert_eq!(
                action_for(press(code), context),
                Some(action),
                "{code:?} on {context:?}"
            );
        }
        let nothing = [
            (C::QuizQuestion, Char('y')),
            (C::QuizChoice, Char('5')),
            (C::QuizChoice, Char(' ')),
            (C::QuizPicked, Char('2')),
            (C::QuizScore, Enter),
            (C::QuizScoreAllRight, Char('r')),
        ];
        for (context, code) in nothing {
            assert_eq!(
                action_for(press(code), context),
                None,
                "{code:?} on {context:?}"
            );
        }
        let ctrl_c = KeyEvent::new(Char('c'), KeyModifiers::CONTROL);
        for context in [C::QuizDialog, C::QuizChoice, C::QuizPicked, C::QuizScore] {
            assert_eq!(action_for(ctrl_c, context), Some(A::Quit));
        }
    }

    #[test]
    fn quiz_footers_come_from_the_table() {
        let texts = |context| -> Vec<String> {
            hints(context, |_| None)
                .iter()
                .map(|h| format!("{} {}", h.key, h.text))
                .collect()
        };
        assert_eq!(
            texts(KeyContext::QuizChoice),
            ["1–4 pick", "? help", "q end quiz"]
        );
        assert_eq!(
            texts(KeyContext::QuizAnswer),
            ["y knew it", "n missed it", "? help", "q end quiz"]
        );
        assert_eq!(
            texts(KeyContext::QuizScore),
            ["r retry missed", "? help", "q leave"]
        );
        assert_eq!(
            texts(KeyContext::QuizDialog),
            [
                "↑↓ move",
                "←→ change",
                "Enter start",
                "? help",
                "Esc cancel"
            ]
        );
    }

    #[test]
    fn browser_keys_give_their_actions() {
        use Action as A;
        use KeyContext as C;
        let cases = [
            (C::Home, Char('b'), A::Browse),
            (C::Home, Char('/'), A::Search),
            (C::Browser, Char('/'), A::Search),
            (C::Browser, Char('s'), A::SortNext),
            (C::Browser, Char('S'), A::SortReverse),
            (C::Browser, Enter, A::Open),
            (C::Browser, PageDown, A::PageDown),
            (C::Browser, End, A::Bottom),
            (C::Browser, Char('!'), A::Suspend),
            (C::Browser, Char('-'), A::Bury),
            (C::Browser, Char('*'), A::Mark),
            (C::Browser, Char('f'), A::Forget),
            (C::Browser, Char('u'), A::Undo),
            (C::Browser, Esc, A::Back),
            (C::BrowserSearch, Char('q'), A::Type('q')),
            (C::BrowserSearch, Char('?'), A::Type('?')),
            (C::BrowserSearch, Char('S'), A::Type('S')),
            (C::BrowserSearch, KeyCode::Backspace, A::Erase),
            (C::BrowserSearch, Enter, A::EndSearch),
            (C::BrowserSearch, Esc, A::EndSearch),
            (C::BrowserCard, Char('j'), A::ScrollDown),
            (C::BrowserCard, Char('!'), A::Suspend),
            (C::BrowserCard, Char('q'), A::Back),
            (C::ConfirmForget, Char('y'), A::Yes),
            (C::ConfirmForget, Char('n'), A::No),
            (C::ConfirmForget, Esc, A::No),
            (C::Question, Char('!'), A::Suspend),
            (C::Question, Char('-'), A::Bury),
            (C::Answer, Char('*'), A::Mark),
            (C::Answer, Char('!'), A::Suspend),
            (C::Question, Char('f'), A::Forget),
            (C::Answer, Char('f'), A::Forget),
            (C::Question, Char('e'), A::Edit),
            (C::Answer, Char('e'), A::Edit),
            (C::Answer, Char('n'), A::AddCard),
            (C::Home, Char('n'), A::AddCard),
            (C::Browser, Char('e'), A::Edit),
            (C::Browser, Char('n'), A::AddCard),
            (C::Browser, Char(' '), A::ToggleSelect),
            (C::BrowserCard, Char('e'), A::Edit),
            (C::EditConfirm, Char('y'), A::Yes),
            (C::EditConfirm, Esc, A::No),
            (C::EditProblems, Char('e'), A::Edit),
            (C::EditProblems, Char('k'), A::Keep),
            (C::EditProblems, Esc, A::Keep),
        ];
        for (context, code, action) in cases {
            assert_eq!(
                action_for(press(code), context),
                Some(action),
                "{code:?} on {context:?}"
            );
        }
        assert_eq!(action_for(press(Char('x')), C::ConfirmForget), None);
    }

    #[test]
    fn keys_without_a_meaning_do_nothing() {
        assert_eq!(
            action_for(press(Char('3')), KeyContext::Question),
            None,
            "no grading before the answer shows"
        );
        assert_eq!(action_for(press(Char('x')), KeyContext::Answer), None);
        assert_eq!(
            action_for(press(Char('1')), KeyContext::Help),
            None,
            "help swallows other keys"
        );
    }

    #[test]
    fn ctrl_c_quits_everywhere_and_other_ctrl_keys_do_nothing() {
        for context in [
            KeyContext::Home,
            KeyContext::Question,
            KeyContext::Answer,
            KeyContext::Waiting,
            KeyContext::Summary,
            KeyContext::Help,
        ] {
            let ctrl_c = KeyEvent::new(Char('c'), KeyModifiers::CONTROL);
            assert_eq!(action_for(ctrl_c, context), Some(Action::Quit));
            let ctrl_q = KeyEvent::new(Char('q'), KeyModifiers::CONTROL);
            assert_eq!(action_for(ctrl_q, context), None);
        }
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut release = press(Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(action_for(release, KeyContext::Home), None);
    }

    #[test]
    fn grade_hints_carry_their_interval() {
        let hints = hints(KeyContext::Answer, |rating| {
            Some(format!("{}d", rating.as_u8()))
        });
        let texts: Vec<String> = hints
            .iter()
            .map(|h| format!("{} {}", h.key, h.text))
            .collect();
        assert_eq!(
            texts,
            [
                "1 Again · 1d",
                "2 Hard · 2d",
                "3 Good · 3d",
                "4 Easy · 4d",
                "u undo",
                "? help",
                "q home"
            ]
        );
    }

    #[test]
    fn recall_study_says_quit_where_home_says_home() {
        let texts = |leaves| -> Vec<String> {
            study_hints(KeyContext::Question, leaves, |_| None)
                .iter()
                .map(|h| format!("{} {}", h.key, h.text))
                .collect()
        };
        assert_eq!(texts(false).last().map(String::as_str), Some("q home"));
        assert_eq!(texts(true).last().map(String::as_str), Some("q quit"));
        let waiting: Vec<String> = study_hints(KeyContext::Waiting, true, |_| None)
            .iter()
            .map(|h| format!("{} {}", h.key, h.text))
            .collect();
        assert_eq!(waiting, ["u undo", "? help", "q quit"]);
    }

    #[test]
    fn custom_study_keys() {
        use Action as A;
        use KeyContext as C;
        for (code, action) in [
            (Up, A::Up),
            (Char('k'), A::Up),
            (Down, A::Down),
            (Char('j'), A::Down),
            (Tab, A::Down),
            (Left, A::Left),
            (Right, A::Right),
            (Enter, A::Start),
            (Esc, A::Back),
        ] {
            assert_eq!(
                action_for(press(code), C::CustomDialog),
                Some(action),
                "{code:?}"
            );
        }
        assert_eq!(action_for(press(Char('c')), C::Home), Some(A::CustomStudy));
        // Up on the quiz dialog still toggles its two fields (Down).
        assert_eq!(action_for(press(Up), C::QuizDialog), Some(A::Down));
        assert_eq!(action_for(press(Char('j')), C::Help), Some(A::ScrollDown));
    }

    #[test]
    fn every_binding_is_in_help() {
        let help = help(KeyContext::Answer);
        assert_eq!(help.len(), ANSWER.len() + 1);
        assert!(
            help.iter()
                .any(|e| e.keys == "Space Enter" && e.action == "Good")
        );
    }
}
