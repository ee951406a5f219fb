//! The stats screen's state and keys: which deck (or all), which section,
//! and the statistics themselves.
//!
//! The cards' figures (counts, forecast, distributions) come from the
//! progress the app already holds, so the screen opens at once with them.
//! The reviews' figures need the whole log replayed: a thread reads and
//! replays it once per screen, for the deck and for all decks in the same
//! pass, and the screen shows them when the thread is done (polled on each
//! tick). Switching between the deck and all decks reads nothing again.

use std::thread::JoinHandle;

use chrono::{DateTime, Local, Utc};
use ratatui::Frame;

use super::keys::{self, Action, KeyContext};
use super::{App, Message, Screen};
use crate::deck::{Catalog, Deck};
use crate::stats::{self, History, Scope, Stats};
use crate::store::{self, Config, Progress};
use crate::ui::Theme;
use crate::ui::stats::{HistoryState, Section, StatsView};

/// The reviews' figures of the deck and of all decks.
#[derive(Debug)]
enum Histories {
    /// The thread reading and replaying the log.
    Reading(JoinHandle<anyhow::Result<Vec<History>>>),
    /// The figures, once the thread is done.
    Ready(Box<Ready>),
    Failed(String),
}

/// The thread's result: all decks', and the deck's if opened on one.
#[derive(Debug)]
struct Ready {
    deck: Option<History>,
    all: History,
}

#[derive(Debug)]
pub(super) struct StatsScreen {
    /// The deck the screen was opened on, by catalog index.
    deck: Option<usize>,
    /// Whether all decks are shown instead of `deck`.
    all: bool,
    title: String,
    histories: Histories,
    /// The figures on screen; the reviews' part is empty while reading.
    stats: Stats,
    section: Section,
}

impl StatsScreen {
    /// Takes the thread's result once it is done; `true` if it just was.
    fn poll(&mut self) -> bool {
        match &self.histories {
            Histories::Reading(handle) if handle.is_finished() => {}
            _ => return false,
        }
        let Histories::Reading(handle) =
            std::mem::replace(&mut self.histories, Histories::Failed(String::new()))
        else {
            return false;
        };
        self.histories = match handle.join() {
            Ok(Ok(mut histories)) if !histories.is_empty() => {
                let all = histories.remove(0);
                Histories::Ready(Box::new(Ready {
                    deck: histories.pop(),
                    all,
                }))
            }
            Ok(Ok(_)) => Histories::Failed("no statistics were computed".to_owned()),
            Ok(Err(error)) => Histories::Failed(format!("{error:#}")),
            Err(_) => Histories::Failed("the statistics failed".to_owned()),
        };
        true
    }

    /// Waits for the thread, if it is still reading.
    fn wait(&mut self) {
        if let Histories::Reading(handle) = &self.histories {
            while !handle.is_finished() {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        }
    }

    /// The reviews' figures of the scope on screen, once read.
    fn history(&self) -> Option<&History> {
        match &self.histories {
            Histories::Ready(ready) => match (self.all, &ready.deck) {
                (false, Some(deck)) => Some(deck),
                _ => Some(&ready.all),
            },
            _ => None,
        }
    }
}

/// Reads and replays the log, for all decks and then (if given) `deck`.
fn read_histories(
    data_dir: &std::path::Path,
    config: &Config,
    now: DateTime<Utc>,
    deck: Option<Scope>,
) -> anyhow::Result<Vec<History>> {
    let log = store::load_reviews(data_dir, &mut |_, _| {})?;
    let events = store::load_card_events(data_dir, &mut |_, _| {})?.events;
    let when = stats::When {
        config,
        now,
        zone: &Local,
    };
    let mut scopes = vec![Scope::All];
    scopes.extend(deck);
    Ok(stats::histories(&log, &events, &when, &scopes))
}

impl App {
    /// Opens the stats screen on a deck (by index) or all decks.
    pub fn open_stats(&mut self, deck: Option<usize>, now: DateTime<Utc>) {
        // Another terminal's reviews: the cards' figures come from the
        // progress, which must be as new as the log the thread reads.
        if let Err(error) = self.reload_if_changed(now) {
            self.message = Some(Message {
                text: format!("Could not read the review log: {error:#}"),
                error: true,
            });
            return;
        }
        let deck = deck.filter(|&i| i < self.catalog.decks.len());
        let all = deck.is_none();
        // The cards' figures first: on a busy machine the thread would
        // slow the first frame down.
        let (stats, title) = figures(&self.sources(), deck, all, None, now);
        let scope = deck.map(|i| Scope::Deck(self.catalog.decks[i].deck.id.clone()));
        let (data_dir, config) = (self.paths.data_dir.clone(), self.config.clone());
        let reading = std::thread::Builder::new()
            .name("stats".to_owned())
            .spawn(move || read_histories(&data_dir, &config, now, scope));
        let histories = match reading {
            Ok(handle) => Histories::Reading(handle),
            Err(error) => Histories::Failed(format!("could not start a thread: {error}")),
        };
        self.message = None;
        self.screen = Screen::Stats(Box::new(StatsScreen {
            deck,
            all,
            title,
            histories,
            stats,
            section: Section::Today,
        }));
    }

    fn sources(&self) -> Sources<'_> {
        Sources {
            catalog: &self.catalog,
            progress: &self.progress,
            config: &self.config,
        }
    }

    /// On each tick: shows the reviews' figures once the thread is done.
    pub(super) fn tick_stats(&mut self, now: DateTime<Utc>) {
        let sources = Sources {
            catalog: &self.catalog,
            progress: &self.progress,
            config: &self.config,
        };
        if let Screen::Stats(screen) = &mut self.screen
            && screen.poll()
        {
            screen.refresh(&sources, now);
        }
    }

    /// Waits until the stats screen (if up) has all its figures: for tests
    /// and scripts, which cannot watch the screen fill in.
    pub fn wait_for_stats(&mut self, now: DateTime<Utc>) {
        if let Screen::Stats(screen) = &mut self.screen {
            screen.wait();
        }
        self.tick_stats(now);
    }

    pub(super) fn update_stats(&mut self, action: Action, now: DateTime<Utc>) {
        let sources = Sources {
            catalog: &self.catalog,
            progress: &self.progress,
            config: &self.config,
        };
        let Screen::Stats(screen) = &mut self.screen else {
            return;
        };
        match action {
            Action::Left => screen.section = screen.section.step(-1),
            Action::Right => screen.section = screen.section.step(1),
            Action::ToggleScope if screen.deck.is_some() => {
                screen.poll();
                screen.all = !screen.all;
                screen.refresh(&sources, now);
            }
            Action::Back => self.screen = Screen::Home,
            _ => {}
        }
    }
}

/// What the cards' figures are computed from: the app's own state.
struct Sources<'a> {
    catalog: &'a Catalog,
    progress: &'a Progress,
    config: &'a Config,
}

impl StatsScreen {
    /// Recomputes the figures of the scope on screen: the cards' from the
    /// progress, the reviews' from what the thread gave (if it is done).
    fn refresh(&mut self, sources: &Sources<'_>, now: DateTime<Utc>) {
        let history = self.history().cloned();
        (self.stats, self.title) = figures(sources, self.deck, self.all, history, now);
    }
}

/// The figures of a deck (by index; all decks with `all`) and its title.
fn figures(
    sources: &Sources<'_>,
    deck: Option<usize>,
    all: bool,
    history: Option<History>,
    now: DateTime<Utc>,
) -> (Stats, String) {
    let shown = if all {
        None
    } else {
        deck.and_then(|i| sources.catalog.decks.get(i))
    };
    let (scope, title) = match shown {
        Some(loaded) => (
            Scope::Deck(loaded.deck.id.clone()),
            loaded.deck.name.clone(),
        ),
        None => (Scope::All, "All decks".to_owned()),
    };
    let when = stats::When {
        config: sources.config,
        now,
        zone: &Local,
    };
    let decks: Vec<&Deck> = sources.catalog.decks.iter().map(|d| &d.deck).collect();
    let current = stats::current(
        sources.progress,
        &decks,
        &scope,
        &when,
        stats::DEFAULT_FORECAST_DAYS,
    );
    let history = history.unwrap_or_else(|| History::empty(when.date()));
    (stats::assemble(&scope, history, current), title)
}

pub(super) fn render(frame: &mut Frame, screen: &StatsScreen, theme: Theme) {
    let hints = keys::hints(KeyContext::Stats, |_| None);
    let history = match &screen.histories {
        Histories::Reading(_) => HistoryState::Reading,
        Histories::Ready(_) => HistoryState::Ready,
        Histories::Failed(error) => HistoryState::Failed(error),
    };
    let view = StatsView {
        title: &screen.title,
        stats: &screen.stats,
        history,
        section: screen.section,
        hints: &hints,
        theme,
    };
    frame.render_widget(&view, frame.area());
}
