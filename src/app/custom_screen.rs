//! Custom study in the app: the home screen's dialog (`c`), and starting a
//! session of extra new cards, reviews ahead, one tag, or forgotten cards.
//! An extra-new grant is written to `extra_new.csv` under the data-dir lock
//! before the session starts, so it holds for the rest of the study day.

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Frame;

use super::keys::{self, Action, KeyContext};
use super::{App, Message, Screen, StartError};
use crate::deck::Deck;
use crate::format;
use crate::store::extra_new::{self, ExtraNew};
use crate::store::{self, DataLock};
use crate::study::custom::{self, CustomStudy};
use crate::study::queue::{DeckQueue, QueueOptions};
use crate::ui::Theme;
use crate::ui::custom::{CustomChoice, CustomDialogView};

/// The choices, in the order the dialog lists them.
const CHOICES: [CustomChoice; 4] = [
    CustomChoice::ExtraNew,
    CustomChoice::Ahead,
    CustomChoice::Tag,
    CustomChoice::Forgotten,
];

/// The home screen's custom-study dialog for one deck.
#[derive(Debug, Clone)]
pub(super) struct Dialog {
    deck: usize,
    deck_name: String,
    selected: usize,
    extra_new: u32,
    ahead_days: u32,
    forgotten_days: u32,
    tags: Vec<String>,
    tag: usize,
}

impl Dialog {
    /// Anki's defaults: 10 extra new cards, 1 day ahead, 1 day back.
    pub(super) fn new(index: usize, deck: &Deck) -> Dialog {
        Dialog {
            deck: index,
            deck_name: deck.name.clone(),
            selected: 0,
            extra_new: 10,
            ahead_days: 1,
            forgotten_days: 1,
            tags: deck.tags().into_iter().map(str::to_owned).collect(),
            tag: 0,
        }
    }

    fn choice(&self) -> CustomChoice {
        CHOICES[self.selected]
    }

    /// What Enter would study, if the choice can run.
    fn request(&self) -> Option<CustomStudy> {
        Some(match self.choice() {
            CustomChoice::ExtraNew => CustomStudy::ExtraNew(self.extra_new),
            CustomChoice::Ahead => CustomStudy::Ahead {
                days: self.ahead_days,
            },
            CustomChoice::Tag => CustomStudy::Tag(self.tags.get(self.tag)?.clone()),
            CustomChoice::Forgotten => CustomStudy::Forgotten {
                days: self.forgotten_days,
            },
        })
    }

    fn change(&mut self, more: bool) {
        let step = |value: &mut u32, max: u32| {
            *value = if more {
                (*value + 1).min(max)
            } else {
                value.saturating_sub(1).max(1)
            };
        };
        match self.choice() {
            CustomChoice::ExtraNew => step(&mut self.extra_new, 9999),
            CustomChoice::Ahead => step(&mut self.ahead_days, 365),
            CustomChoice::Forgotten => step(&mut self.forgotten_days, 365),
            CustomChoice::Tag if !self.tags.is_empty() => {
                let n = self.tags.len();
                self.tag = if more {
                    (self.tag + 1) % n
                } else {
                    (self.tag + n - 1) % n
                };
            }
            CustomChoice::Tag => {}
        }
    }
}

impl App {
    /// Starts a custom-study session on one deck (by index).
    pub fn start_custom(
        &mut self,
        deck: usize,
        request: &CustomStudy,
        now: DateTime<Utc>,
        exit_after: bool,
    ) -> Result<(), StartError> {
        let day = self.study_day(now);
        let loaded = &self.catalog.decks[deck].deck;
        let title = format!("{} · {}", loaded.name, request.describe());
        let nothing = |what: String| StartError::NothingDue {
            deck: loaded.name.clone(),
            next: format!(" ({what})"),
        };
        let extra_today = self.extra.for_deck(&loaded.id);
        let (queue, lock) = match request {
            CustomStudy::ExtraNew(count) => {
                let held_back = custom::new_held_back(
                    loaded,
                    &self.progress,
                    &self.config,
                    now,
                    &day,
                    extra_today,
                );
                if held_back == 0 {
                    return Err(nothing("no new cards are left beyond today's".into()));
                }
                let lock = DataLock::acquire(&self.paths.data_dir)?;
                let path = self.paths.data_dir.join(extra_new::FILE_NAME);
                ExtraNew::grant(&path, &lock, &loaded.id, *count, now)?;
                self.extra = ExtraNew::load(&path, &day)?;
                self.home_counts.clear();
                let options = QueueOptions {
                    extra_new: self.extra.for_deck(&loaded.id),
                    tag: None,
                };
                let queue =
                    DeckQueue::build_with(loaded, &self.progress, &self.config, now, &day, options);
                (queue, Some(lock))
            }
            CustomStudy::Ahead { days } => {
                let queue = custom::review_ahead(loaded, &self.progress, &day, *days);
                if queue.reviews.is_empty() {
                    return Err(nothing(format!(
                        "no review is due within {}",
                        format::plural(*days as usize, "day")
                    )));
                }
                (queue, None)
            }
            CustomStudy::Tag(tag) => {
                let queue = custom::tagged(
                    loaded,
                    &self.progress,
                    &self.config,
                    now,
                    &day,
                    tag,
                    extra_today,
                );
                (queue, None)
            }
            CustomStudy::Forgotten { days } => {
                let log = store::load_reviews(&self.paths.data_dir, &mut |_, _| {})?;
                let since = now - TimeDelta::days(i64::from(*days));
                let forgotten = custom::forgotten_since(&log, since);
                let queue =
                    custom::forgotten(loaded, &self.progress, &self.config, now, &day, &forgotten);
                if queue.learning.is_empty() && queue.reviews.is_empty() {
                    return Err(nothing(format!(
                        "no card was forgotten in the last {}",
                        format::plural(*days as usize, "day")
                    )));
                }
                (queue, None)
            }
        };
        self.recount(now);
        self.open_session(vec![deck], title, vec![queue], now, exit_after, lock)
    }

    pub(super) fn update_custom_dialog(&mut self, action: Action, now: DateTime<Utc>) {
        let Screen::CustomDialog(dialog) = &mut self.screen else {
            return;
        };
        match action {
            Action::Up => dialog.selected = dialog.selected.saturating_sub(1),
            Action::Down => dialog.selected = (dialog.selected + 1).min(CHOICES.len() - 1),
            Action::Left => dialog.change(false),
            Action::Right => dialog.change(true),
            Action::Start => {
                let Some(request) = dialog.request() else {
                    return;
                };
                let deck = dialog.deck;
                if let Err(error) = self.start_custom(deck, &request, now, false) {
                    self.screen = Screen::Home;
                    let error_kind = !matches!(error, StartError::NothingDue { .. });
                    self.message = Some(Message {
                        text: super::capitalize(&error.to_string()),
                        error: error_kind,
                    });
                }
            }
            Action::Back => self.screen = Screen::Home,
            _ => {}
        }
    }
}

pub(super) fn render_dialog(frame: &mut Frame, dialog: &Dialog, theme: Theme) {
    let hints = keys::hints(KeyContext::CustomDialog, |_| None);
    let tag = dialog.tags.get(dialog.tag).map(String::as_str);
    let view = CustomDialogView {
        deck_name: &dialog.deck_name,
        selected: dialog.choice(),
        extra_new: dialog.extra_new,
        ahead_days: dialog.ahead_days,
        tag,
        forgotten_days: dialog.forgotten_days,
        hints: &hints,
        theme,
    };
    frame.render_widget(&view, frame.area());
}
