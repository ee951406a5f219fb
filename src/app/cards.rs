//! Card actions in the app: the browser screen (open, keys, suspend, bury,
//! mark, forget, undo) and the same actions in the reviewer, with undo and
//! the leech notice. Each action is one event appended (and synced) to
//! `card_events.csv` before the screen changes.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::style::Style;

use super::browser::{Browser, Focus};
use super::keys::{self, Action, KeyContext};
use super::{App, Message, Screen, StudyScreen};
use crate::commands::card::{describe, replay_card};
use crate::deck::CardKey;
use crate::schedule::Rating;
use crate::search::{self, Facts};
use crate::store::replay::is_lapse;
use crate::store::{
    self, CardEvent, DataLock, EventKind, EventWriter, LeechRule, LogKind, Progress, ReviewLog,
};
use crate::study::session::Current;
use crate::ui::Theme;
use crate::ui::browser::{self as view, CardPageView, ConfirmView};

/// The browser, and the lock and writer once it has changed a card.
#[derive(Debug)]
pub struct BrowserScreen {
    pub browser: Browser,
    writer: Option<(DataLock, EventWriter)>,
    /// What `u` takes back: how many events each action appended, newest
    /// last (an action on a selection appends one per card).
    undo: Vec<usize>,
}

impl BrowserScreen {
    pub fn context(&self) -> KeyContext {
        match self.browser.focus {
            Focus::Table => KeyContext::Browser,
            Focus::Search => KeyContext::BrowserSearch,
            Focus::Card => KeyContext::BrowserCard,
            Focus::ConfirmForget => KeyContext::ConfirmForget,
        }
    }
}

/// One thing `u` can take back in a session, newest last.
#[derive(Debug)]
pub enum Undo {
    /// A grade, and whether it was a lapse.
    Grade { key: CardKey, lapse: bool },
    /// A card event; the card taken out of the session, if it was.
    Event {
        key: CardKey,
        kind: EventKind,
        set_aside: Option<Current>,
    },
}

/// Every card's facts, for the browser.
fn browser_data(app: &App, now: DateTime<Utc>) -> Vec<Facts> {
    let day = app.study_day(now);
    search::all(&app.catalog, &app.progress, &app.config, now, &day)
}

impl App {
    /// `b` / `/` on home: the browser over every card.
    pub(super) fn open_browser(&mut self, search: bool, now: DateTime<Utc>) {
        let facts = browser_data(self, now);
        let mut browser = Browser::new(facts, &self.catalog);
        if search {
            browser.focus = Focus::Search;
        }
        self.message = None;
        self.screen = Screen::Browser(Box::new(BrowserScreen {
            browser,
            writer: None,
            undo: Vec::new(),
        }));
    }

    pub(super) fn update_browser(&mut self, action: Action, now: DateTime<Utc>) {
        let Screen::Browser(screen) = &mut self.screen else {
            return;
        };
        let browser = &mut screen.browser;
        let page = browser.page as isize;
        match (browser.focus, action) {
            (Focus::Search, Action::Type(c)) => browser.type_char(c),
            (Focus::Search, Action::Erase) => browser.erase(),
            (Focus::Search, Action::EndSearch) => browser.focus = Focus::Table,
            (Focus::Table, Action::Search) => browser.focus = Focus::Search,
            (Focus::Table, Action::Up) => browser.move_by(-1),
            (Focus::Table, Action::Down) => browser.move_by(1),
            (Focus::Table, Action::PageUp) => browser.move_by(-page),
            (Focus::Table, Action::PageDown) => browser.move_by(page),
            (Focus::Table, Action::Top) => browser.to_first(),
            (Focus::Table, Action::Bottom) => browser.to_last(),
            (Focus::Table, Action::SortNext) => browser.sort_next(),
            (Focus::Table, Action::SortReverse) => browser.sort_reverse(),
            (Focus::Table, Action::Open) => self.open_card_page(),
            (Focus::Table | Focus::Card, Action::Suspend | Action::Bury | Action::Mark) => {
                // On a selection: if every card has it, take it off all;
                // else give it to those without.
                let targets = browser.targets(focus_card(browser.focus));
                let has = |card: &Facts| match action {
                    Action::Suspend => card.suspended,
                    Action::Bury => card.buried,
                    _ => card.marked,
                };
                let all = !targets.is_empty() && targets.iter().all(|card| has(card));
                let kind = match (action, all) {
                    (Action::Suspend, true) => EventKind::Unsuspend,
                    (Action::Suspend, false) => EventKind::Suspend,
                    (Action::Bury, true) => EventKind::Unbury,
                    (Action::Bury, false) => EventKind::Bury,
                    (_, true) => EventKind::Unmark,
                    (_, false) => EventKind::Mark,
                };
                let events: Vec<(CardKey, EventKind)> = targets
                    .iter()
                    .filter(|card| all || !has(card))
                    .map(|card| (card.key.clone(), kind))
                    .collect();
                self.browser_events(events, now);
            }
            (Focus::Table | Focus::Card, Action::Forget)
                if !browser.targets(focus_card(browser.focus)).is_empty() =>
            {
                browser.focus = Focus::ConfirmForget;
            }
            (Focus::Table, Action::ToggleSelect) => browser.toggle_pick(),
            (Focus::Table | Focus::Card, Action::Edit) => {
                if let Some(key) = browser.selected_key().cloned() {
                    self.request_edit(&key);
                }
            }
            (Focus::Table, Action::AddCard) => {
                if let Some(key) = browser.selected_key().cloned() {
                    self.request_add(&key.deck);
                }
            }
            (Focus::ConfirmForget, Action::Yes) => {
                let on_page = browser.card_page.is_some();
                browser.focus = if on_page { Focus::Card } else { Focus::Table };
                let events = browser
                    .targets(on_page)
                    .iter()
                    .map(|card| (card.key.clone(), EventKind::Forget))
                    .collect();
                self.browser_events(events, now);
            }
            (Focus::ConfirmForget, Action::No) => {
                browser.focus = if browser.card_page.is_some() {
                    Focus::Card
                } else {
                    Focus::Table
                };
            }
            (Focus::Table, Action::Undo) => self.browser_undo(now),
            (Focus::Card, Action::ScrollUp) => browser.scroll.scroll_by(-1),
            (Focus::Card, Action::ScrollDown) => browser.scroll.scroll_by(1),
            (Focus::Card, Action::PageUp) => browser.scroll.scroll_by(-browser.scroll.page()),
            (Focus::Card, Action::PageDown) => browser.scroll.scroll_by(browser.scroll.page()),
            (Focus::Card, Action::Top) => browser.scroll.to_top(),
            (Focus::Card, Action::Bottom) => browser.scroll.to_bottom(),
            (Focus::Card, Action::Back) => {
                browser.card_page = None;
                browser.focus = Focus::Table;
            }
            (Focus::Table, Action::Back) => {
                self.screen = Screen::Home;
                self.message = None;
                self.recount(now);
            }
            _ => {}
        }
    }

    /// The selected card's page: what `recall card` prints.
    fn open_card_page(&mut self) {
        let Screen::Browser(screen) = &self.screen else {
            return;
        };
        let Some(facts) = screen.browser.selected_facts() else {
            return;
        };
        let key = facts.key.clone();
        let lines = self.card_page(&key, Some(facts));
        let Screen::Browser(screen) = &mut self.screen else {
            return;
        };
        screen.browser.card_page = Some((key.to_string(), lines));
        screen.browser.scroll = Default::default();
        screen.browser.focus = Focus::Card;
    }

    fn card_page(&self, key: &CardKey, facts: Option<&Facts>) -> Vec<String> {
        let text = self
            .catalog
            .get(&key.deck)
            .and_then(|loaded| loaded.deck.card(&key.card));
        // The whole log, read for the page: the start-up replay (resumed
        // from the cache) does not keep every review.
        let log = store::load_reviews(&self.paths.data_dir, &mut |_, _| {});
        let (log, unread) = match log {
            Ok(log) => (log, None),
            Err(error) => (ReviewLog::default(), Some(error)),
        };
        let config = self.config.for_deck(key.deck.as_str());
        let (_, history) = replay_card(key, log.reviews_of(key), &config.scheduler);
        let mut status = self.progress.status(key);
        if !facts.is_some_and(|f| f.buried) {
            status.buried_at = None;
        }
        let now = self.counted_at;
        describe(
            key,
            text,
            &self.progress.card(key),
            &history,
            &status,
            &config,
            now,
        )
        .lines()
        .map(str::to_owned)
        .chain(unread.map(|error| format!("The review history could not be read: {error}")))
        .collect()
    }

    /// Appends the events (each line synced), then re-reads the data so
    /// the table shows them. `u` takes them back together.
    fn browser_events(&mut self, events: Vec<(CardKey, EventKind)>, now: DateTime<Utc>) {
        let Screen::Browser(screen) = &mut self.screen else {
            return;
        };
        let Some((first, kind)) = events.first().cloned() else {
            return;
        };
        let mut written = 0;
        let result = writer(&mut screen.writer, &self.paths).and_then(|writer| {
            for (key, kind) in &events {
                writer
                    .append(&CardEvent::new(now, key.clone(), *kind))
                    .map_err(anyhow::Error::new)?;
                written += 1;
            }
            Ok(())
        });
        if written > 0 {
            screen.undo.push(written);
        }
        let what = match events.len() {
            1 => first.to_string(),
            n => format!("{n} cards"),
        };
        self.message = Some(match result {
            Ok(()) => Message {
                text: format!("{}: {what}. u undoes it.", done(kind)),
                error: false,
            },
            Err(error) if written > 0 => Message {
                text: format!(
                    "Changed {written} of {} cards, then: {error:#}. u undoes what was changed.",
                    events.len()
                ),
                error: true,
            },
            Err(error) => Message {
                text: format!("Not changed: {error:#}"),
                error: true,
            },
        });
        self.refresh_browser(now);
    }

    fn browser_undo(&mut self, now: DateTime<Utc>) {
        let Screen::Browser(screen) = &mut self.screen else {
            return;
        };
        let undone = match (&mut screen.writer, screen.undo.pop()) {
            (Some((_, writer)), Some(count)) => {
                let mut result = Ok(true);
                for left in (0..count).rev() {
                    match writer.undo_last() {
                        Ok(true) => {}
                        other => {
                            // What could not be taken back stays undoable.
                            screen.undo.push(left + 1);
                            result = other.map_err(anyhow::Error::new);
                            break;
                        }
                    }
                }
                result
            }
            _ => Ok(false),
        };
        self.message = Some(match undone {
            Ok(true) => Message {
                text: "Undone: the last change is gone from card_events.csv.".into(),
                error: false,
            },
            Ok(false) => Message {
                text: "Nothing to undo in the browser.".into(),
                error: false,
            },
            Err(error) => Message {
                text: format!("Could not undo: {error:#}"),
                error: true,
            },
        });
        self.refresh_browser(now);
    }

    /// Replays the logs again and gives the browser the new facts.
    pub(super) fn refresh_browser(&mut self, now: DateTime<Utc>) {
        if let Err(error) = self.reload(now) {
            self.message = Some(Message {
                text: format!("Could not re-read the logs: {error:#}"),
                error: true,
            });
            return;
        }
        let facts = browser_data(self, now);
        let key = match &self.screen {
            Screen::Browser(screen) => screen.browser.selected_key().cloned(),
            _ => None,
        };
        let page = key.as_ref().map(|key| {
            let screen_facts = facts.iter().find(|f| &f.key == key);
            (key.to_string(), self.card_page(key, screen_facts))
        });
        if let Screen::Browser(screen) = &mut self.screen {
            screen.browser.refresh(facts, &self.catalog);
            if screen.browser.card_page.is_some() {
                screen.browser.card_page = page;
            }
        }
    }
}

/// Whether the browser's actions are on the open card's page (the card
/// alone) rather than the table (the selection, if any).
fn focus_card(focus: Focus) -> bool {
    focus == Focus::Card
}

/// The browser's writer, opened (with the data-dir lock) on first use.
fn writer<'a>(
    slot: &'a mut Option<(DataLock, EventWriter)>,
    paths: &crate::paths::Paths,
) -> anyhow::Result<&'a mut EventWriter> {
    if slot.is_none() {
        let lock = DataLock::acquire(&paths.data_dir)?;
        let writer = EventWriter::open(&paths.own_log(LogKind::CardEvents)?, &lock)?;
        *slot = Some((lock, writer));
    }
    match slot {
        Some((_, writer)) => Ok(writer),
        None => unreachable!("set above"),
    }
}

fn done(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Suspend => "Suspended",
        EventKind::Unsuspend => "Unsuspended",
        EventKind::Bury => "Buried until the next study day",
        EventKind::Unbury => "Unburied",
        EventKind::Forget => "Forgotten (back to new, history kept)",
        EventKind::Mark => "Marked",
        EventKind::Unmark => "Unmarked",
    }
}

/// `!`, `-`, `*`, `f` in the reviewer, on the card on screen: suspend,
/// bury and forget (once confirmed) take it out of the session; mark
/// toggles.
pub(super) fn study_action(
    study: &mut StudyScreen,
    action: Action,
    progress: &Progress,
    now: DateTime<Utc>,
) -> Message {
    let Some(current) = study.session.current() else {
        return Message {
            text: "No card on screen.".into(),
            error: false,
        };
    };
    let key = current.key.clone();
    let marked = study
        .marks
        .get(&key)
        .copied()
        .unwrap_or_else(|| progress.status(&key).marked);
    let kind = match action {
        Action::Suspend => EventKind::Suspend,
        Action::Bury => EventKind::Bury,
        Action::Forget => EventKind::Forget,
        _ if marked => EventKind::Unmark,
        _ => EventKind::Mark,
    };
    if let Err(error) = study.events.append(&CardEvent::new(now, key.clone(), kind)) {
        return Message {
            text: format!(
                "Not saved: {:#}. Nothing was recorded.",
                anyhow::Error::new(error)
            ),
            error: true,
        };
    }
    let set_aside = match kind {
        EventKind::Suspend | EventKind::Bury | EventKind::Forget => {
            study.scroll.to_top();
            study.session.set_aside(now)
        }
        _ => {
            study.marks.insert(key.clone(), kind == EventKind::Mark);
            None
        }
    };
    study.undo.push(Undo::Event {
        key: key.clone(),
        kind,
        set_aside,
    });
    Message {
        text: format!("{}: {key}. u undoes it.", done(kind)),
        error: false,
    }
}

/// Grades the card on screen; if that lapse makes it a leech, says so (and
/// with `leech_action = "suspend"` takes it out of the session: the replay
/// suspends it from the same reviews).
pub(super) fn grade(
    study: &mut StudyScreen,
    rating: Rating,
    progress: &Progress,
    leech: LeechRule,
    now: DateTime<Utc>,
) -> Result<Option<Message>, crate::store::log::LogError> {
    let Some(current) = study.session.current() else {
        return Ok(None);
    };
    let key = current.key.clone();
    let lapse = is_lapse(current.card.state(), rating);
    study.session.grade(rating, now, &mut study.writer)?;
    study.undo.push(Undo::Grade {
        key: key.clone(),
        lapse,
    });
    if !lapse {
        return Ok(None);
    }
    let in_session = study.lapses.entry(key.clone()).or_default();
    *in_session += 1;
    let lapses = progress.status(&key).lapses + *in_session;
    if !leech.hit(lapses) {
        return Ok(None);
    }
    let text = if leech.suspend {
        study.session.remove(&key);
        format!(
            "Leech: {key} has lapsed {lapses} times and is now suspended. Rewrite it, or unsuspend it with ! in the browser."
        )
    } else {
        format!("Leech: {key} has lapsed {lapses} times; find leeches with is:leech.")
    };
    Ok(Some(Message { text, error: true }))
}

/// `u` in the reviewer: takes back the last grade or card event.
/// A failed undo (the log changed behind the writer's back) keeps the step
/// on the stack, so `u` can take it back once the log is as it was.
pub(super) fn undo(study: &mut StudyScreen, now: DateTime<Utc>) -> anyhow::Result<Option<String>> {
    let undone = match study.undo.last() {
        None => return Ok(None),
        Some(Undo::Grade { .. }) => study.session.undo(now, &mut study.writer)?,
        Some(Undo::Event { .. }) => study.events.undo_last()?,
    };
    // Off the stack only now that the log has let go of it.
    let Some(last) = study.undo.pop() else {
        return Ok(None);
    };
    if !undone {
        return Ok(None);
    }
    match last {
        Undo::Grade { key, lapse } => {
            if lapse && let Some(n) = study.lapses.get_mut(&key) {
                *n = n.saturating_sub(1);
            }
            Ok(Some("Undone: the grade is gone from the log.".into()))
        }
        Undo::Event {
            key,
            kind,
            set_aside,
        } => {
            match set_aside {
                Some(card) => study.session.bring_back(card, now),
                None => {
                    study.marks.insert(key.clone(), kind != EventKind::Mark);
                }
            }
            Ok(Some(format!("Undone: {kind} of {key}.")))
        }
    }
}

pub(super) fn render(
    frame: &mut Frame,
    screen: &mut BrowserScreen,
    catalog: &crate::deck::Catalog,
    message: Option<(&str, Style)>,
    now: DateTime<Utc>,
    theme: Theme,
) {
    let area = frame.area();
    let context = screen.context();
    let browser = &mut screen.browser;
    if let (Some((title, lines)), Focus::Card | Focus::ConfirmForget) =
        (&browser.card_page, browser.focus)
    {
        let hints = keys::hints(KeyContext::BrowserCard, |_| None);
        let page = CardPageView {
            title,
            lines,
            hints: &hints,
            message,
            theme,
        };
        frame.render_stateful_widget(&page, area, &mut browser.scroll);
    } else {
        let hint_context = if context == KeyContext::ConfirmForget {
            KeyContext::Browser
        } else {
            context
        };
        let hints = keys::hints(hint_context, |_| None);
        let height = view::table_height(area, &hints, &theme);
        let view = browser.view(catalog, height, &hints, message, theme, now);
        frame.render_widget(&view, area);
    }
    if context == KeyContext::ConfirmForget {
        let targets = browser.targets(browser.card_page.is_some());
        let question = match targets.as_slice() {
            [one] => format!("Forget {}?", one.key),
            many => format!("Forget {} cards?", many.len()),
        };
        let confirm = ConfirmView {
            question: &question,
            detail: "It goes back to new; its reviews stay in the log.",
            theme,
        };
        frame.render_widget(&confirm, area);
    }
}
