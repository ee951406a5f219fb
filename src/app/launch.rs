//! Starting a screen while its data loads. The decks and the review log of
//! a large collection take a while to load (hundreds of milliseconds warm,
//! seconds on a first start), so the terminal is set up at once and the
//! load runs on a thread of its own. Meanwhile the screen shows either
//!
//! - the home screen kept from the last run ([`super::snapshot`]), when the
//!   files it was counted from are the same and its counts still hold:
//!   keys typed at it are kept and act once the load is done, as if the
//!   app had been there all along; or
//! - "Loading…": keys typed at it are dropped (they were typed at a screen
//!   that was not there), except those that quit.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::widgets::TableState;

use super::App;
use super::keys::{self, KeyContext};
use super::snapshot::{Fingerprint, HomeSnapshot};
use crate::cache::Cache;
use crate::paths::Paths;
use crate::ui::Theme;
use crate::ui::home::HomeView;
use crate::ui::loading::LoadingView;

/// What the load gives: the app to run, or a line for the shell instead
/// (e.g. "Nothing to study in Capitals now").
#[derive(Debug)]
pub enum Loaded {
    App(Box<App>),
    Done(String),
}

/// Loads the app; what it would have printed on stderr (deck warnings)
/// goes to the buffer, printed once the terminal is restored.
pub type Load = Box<dyn FnOnce(&mut Vec<u8>) -> anyhow::Result<Loaded> + Send>;

/// A start: what to show while loading, and the load.
pub struct Launch {
    pub preview: Preview,
    /// Cards will show images (`images = true`): the terminal is asked how
    /// it draws them while the load runs.
    pub images: bool,
    pub load: Load,
}

impl std::fmt::Debug for Launch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Launch")
            .field("preview", &self.preview)
            .field("images", &self.images)
            .finish_non_exhaustive()
    }
}

/// What shows until the load is done.
#[derive(Debug)]
pub enum Preview {
    /// The home screen kept from the last run, with the footer's sync line.
    Home {
        screen: HomeSnapshot,
        sync: Option<String>,
    },
    Loading,
}

impl Preview {
    /// The kept home screen for these files if it holds at `now`, else
    /// "Loading". `fingerprint` is of the files as they are now.
    pub fn for_home(
        cache: &Cache,
        paths: &Paths,
        fingerprint: Option<&Fingerprint>,
        now: DateTime<Utc>,
    ) -> Preview {
        let kept = fingerprint
            .and_then(|print| cache.load_home::<HomeSnapshot>(&paths.data_dir, print))
            .filter(|screen| screen.holds_at(now, super::local_zone(now)));
        match kept {
            Some(screen) => Preview::Home {
                screen,
                sync: super::sync_status(paths),
            },
            None => Preview::Loading,
        }
    }

    /// The kept home screen, if that is what shows.
    pub fn kept_home(&self) -> Option<&HomeSnapshot> {
        match self {
            Preview::Home { screen, .. } => Some(screen),
            Preview::Loading => None,
        }
    }

    /// Which keys apply: home's (kept for later), or only quitting.
    pub(super) fn key_context(&self) -> KeyContext {
        match self {
            Preview::Home { .. } => KeyContext::Home,
            Preview::Loading => KeyContext::Loading,
        }
    }

    /// Draws the preview as it is at `now`.
    pub fn view(&self, frame: &mut Frame, now: DateTime<Utc>, theme: Theme) {
        let area = frame.area();
        let hints = keys::hints(self.key_context(), |_| None);
        match self {
            Preview::Home { screen, sync } => {
                let rows = screen.rows_at(now, super::local_zone(now));
                let view = HomeView {
                    rows: &rows,
                    hints: &hints,
                    message: None,
                    sync: sync.as_deref(),
                    theme,
                };
                let mut selection = TableState::default().with_selected(Some(0));
                frame.render_stateful_widget(&view, area, &mut selection);
            }
            Preview::Loading => {
                let view = LoadingView {
                    hints: &hints,
                    theme,
                };
                frame.render_widget(&view, area);
            }
        }
    }
}
