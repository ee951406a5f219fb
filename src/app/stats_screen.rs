//! The stats screen's state and keys: which deck (or all), which section,
//! and the statistics themselves, computed from the review log, read when
//! the screen opens (the home screen keeps only the replayed progress).

use chrono::{DateTime, Local, Utc};
use ratatui::Frame;

use super::keys::{self, Action, KeyContext};
use super::{App, Message, Screen};
use crate::deck::Deck;
use crate::stats::{self, Scope, Stats};
use crate::store;
use crate::ui::Theme;
use crate::ui::stats::{Section, StatsView};

#[derive(Debug)]
pub(super) struct StatsScreen {
    /// The deck the screen was opened on, by catalog index.
    deck: Option<usize>,
    /// Whether all decks are shown instead of `deck`.
    all: bool,
    title: String,
    stats: Stats,
    section: Section,
}

impl App {
    /// Opens the stats screen on a deck (by index) or all decks.
    pub fn open_stats(&mut self, deck: Option<usize>, now: DateTime<Utc>) {
        let (all, section) = (deck.is_none(), Section::Today);
        match self.stats_screen(deck, all, section, now) {
            Ok(screen) => {
                self.message = None;
                self.screen = Screen::Stats(Box::new(screen));
            }
            Err(error) => {
                self.message = Some(Message {
                    text: format!("Could not read the review log: {error:#}"),
                    error: true,
                });
            }
        }
    }

    fn stats_screen(
        &self,
        deck: Option<usize>,
        all: bool,
        section: Section,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StatsScreen> {
        let log = store::load_reviews(&self.paths.data_dir, &mut |_, _| {})?;
        let shown = if all {
            None
        } else {
            deck.and_then(|i| self.catalog.decks.get(i))
        };
        let (scope, title) = match shown {
            Some(loaded) => (
                Scope::Deck(loaded.deck.id.clone()),
                loaded.deck.name.clone(),
            ),
            None => (Scope::All, "All decks".to_owned()),
        };
        let decks: Vec<&Deck> = self.catalog.decks.iter().map(|d| &d.deck).collect();
        let stats = stats::compute(&stats::Request {
            log: &log,
            decks: &decks,
            scope: &scope,
            config: &self.config,
            now,
            zone: &Local,
            forecast_days: stats::DEFAULT_FORECAST_DAYS,
        });
        Ok(StatsScreen {
            deck,
            all: shown.is_none(),
            title,
            stats,
            section,
        })
    }

    pub(super) fn update_stats(&mut self, action: Action, now: DateTime<Utc>) {
        let Screen::Stats(screen) = &mut self.screen else {
            return;
        };
        match action {
            Action::Left => screen.section = screen.section.step(-1),
            Action::Right => screen.section = screen.section.step(1),
            Action::ToggleScope if screen.deck.is_some() => {
                let (deck, all, section) = (screen.deck, !screen.all, screen.section);
                match self.stats_screen(deck, all, section, now) {
                    Ok(next) => self.screen = Screen::Stats(Box::new(next)),
                    Err(error) => {
                        self.screen = Screen::Home;
                        self.message = Some(Message {
                            text: format!("Could not read the review log: {error:#}"),
                            error: true,
                        });
                    }
                }
            }
            Action::Back => self.screen = Screen::Home,
            _ => {}
        }
    }
}

pub(super) fn render(frame: &mut Frame, screen: &StatsScreen, theme: Theme) {
    let hints = keys::hints(KeyContext::Stats, |_| None);
    let view = StatsView {
        title: &screen.title,
        stats: &screen.stats,
        section: screen.section,
        hints: &hints,
        theme,
    };
    frame.render_widget(&view, frame.area());
}
