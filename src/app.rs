//! The event loop: key -> [`Action`] -> [`App::update`] -> draw. `App` holds
//! which screen is up and the data behind it; the screens themselves are
//! drawn by [`crate::ui`]. Only this module and `main.rs` touch the terminal.

pub mod browser;
mod cards;
mod custom_screen;
pub mod edit;
mod home_counts;
pub mod keys;
pub mod launch;
mod open;
mod quiz_screen;
pub mod snapshot;
mod stats_screen;
mod terminal;
pub mod text_field;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Local, Offset, Utc};
use ratatui::Frame;
use ratatui::style::Style;
use ratatui::widgets::TableState;

use crate::cache::Cache;
use crate::day::StudyDay;
use crate::deck::catalog::DeckSource;
use crate::deck::tree::{self, Children, TreeRow};
use crate::deck::{Card, CardKey, Catalog, Deck, DeckId, compare};
use crate::format;
use crate::paths::Paths;
use crate::store::device::DeviceError;
use crate::store::extra_new::{self, ExtraNew, ExtraNewError};
use crate::store::log::{self, LogWriter};
use crate::store::{
    self, Config, DataLock, EventWriter, LockError, LogKind, Progress, card_events,
};
use crate::study::custom::CustomStudy;
use crate::study::queue::{DeckQueue, DueCounts, QueueOptions, earliest};
use crate::study::session::{Phase, Session};
use crate::ui::Theme;
use crate::ui::chrome::ScrollState;
use crate::ui::help::HelpView;
use crate::ui::home::{DeckRow, HomeView};
use crate::ui::images::CardImages;
use crate::ui::study::{CardView, SessionHeader, SummaryView, TypedView, WaitingView, WrapCache};
use keys::{Action, KeyContext};
use text_field::TextField;

pub use quiz_screen::{QuizRequest, QuizStartError};
pub use terminal::{Exit, launch, run};

/// How often the home screen recounts what is due.
const RECOUNT_EVERY: chrono::TimeDelta = chrono::TimeDelta::seconds(5);

/// Everything the screens are drawn from.
#[derive(Debug)]
pub struct App {
    paths: Paths,
    /// Where the log's replay is resumed from.
    cache: Arc<Cache>,
    /// The home footer's sync line, when the data dir is set up for sync.
    sync_status: Option<String>,
    /// The last drawn frame was too small for the screen: only quitting
    /// keys work until it is enlarged, so nothing is graded unseen.
    too_small: bool,
    /// The review logs' lengths and mtimes when they were last read, to
    /// notice another terminal's reviews.
    log_seen: Option<Vec<(u64, std::time::SystemTime)>>,
    /// Where decks are discovered, re-scanned when home recounts.
    deck_dir: PathBuf,
    /// The deck directory's `*.toml` files as last scanned (path, size,
    /// modified), to re-read decks only when something changed.
    deck_files: Vec<(PathBuf, u64, Option<std::time::SystemTime>)>,
    catalog: Catalog,
    config: Config,
    progress: Progress,
    /// Extra new cards granted today (custom study).
    extra: ExtraNew,
    theme: Theme,
    screen: Screen,
    help_open: bool,
    /// Where the help overlay is scrolled to.
    help_scroll: ScrollState,
    message: Option<Message>,
    /// For `recall study` and `recall quiz`: the line printed to the shell
    /// at the end, once the screen is gone.
    farewell: Option<String>,
    /// `recall study`: leave the program when the session ends.
    exit_after_session: bool,
    quit: bool,
    rows: Vec<DeckRow>,
    /// The deck tree behind `rows`, row for row.
    tree: Vec<TreeRow>,
    /// Tree nodes (by path) whose children are hidden.
    collapsed: BTreeSet<String>,
    /// The selected row on the home screen; kept across sessions.
    selection: TableState,
    /// When `rows` were counted: learning cards come due as time passes.
    counted_at: DateTime<Utc>,
    /// The images of the card on screen, drawn as the terminal can; `None`
    /// with `images = false` (markers stay text).
    images: Option<Box<CardImages>>,
    /// The editor to run instead of `$VISUAL`/`$EDITOR` (tests).
    editor: Option<Vec<String>>,
    /// An editor run asked for, for the terminal loop to carry out.
    pending_edit: Option<edit::EditJob>,
    /// A question or report about an edit, over the screen.
    edit_dialog: Option<edit::Dialog>,
    /// Each deck's counts, kept between recounts.
    home_counts: home_counts::HomeCounts,
    /// What the decks, logs and config held when they were read, to key
    /// the home screen kept for the next start; `None`: keep none.
    fingerprint: Option<snapshot::Fingerprint>,
    /// The home screen last kept (or found) under `fingerprint`.
    kept_home: Option<(snapshot::Fingerprint, snapshot::HomeSnapshot)>,
}

/// The screen that is up.
#[derive(Debug)]
enum Screen {
    Home,
    Study(Box<StudyScreen>),
    /// The quiz dialog, over the home screen.
    QuizDialog(quiz_screen::Dialog),
    /// The custom-study dialog, over the home screen.
    CustomDialog(custom_screen::Dialog),
    Quiz(Box<quiz_screen::QuizScreen>),
    Stats(Box<stats_screen::StatsScreen>),
    Browser(Box<cards::BrowserScreen>),
}

#[derive(Debug)]
struct StudyScreen {
    title: String,
    session: Session,
    /// Released when the session ends, so another terminal may study.
    _lock: DataLock,
    writer: LogWriter,
    scroll: ScrollState,
    /// `Some` once the session is over: the summary shows.
    ending: Option<Ending>,
    /// Where each card's text is in the catalog: (deck, card) indices.
    texts: HashMap<CardKey, (usize, usize)>,
    /// Suspend, bury and mark from the reviewer, under the same lock.
    events: EventWriter,
    /// What `u` takes back, newest last: grades and card events.
    undo: Vec<cards::Undo>,
    /// Lapses given in this session, by card, for the leech check.
    lapses: HashMap<CardKey, u32>,
    /// Marks toggled in this session (the progress is from its start).
    marks: HashMap<CardKey, bool>,
    /// The answer typed on a typed-answer card, and the card it is for: a
    /// new card starts with an empty field.
    typed: TextField,
    typed_for: Option<CardKey>,
    /// "Forget this card?" is up.
    confirm_forget: bool,
    /// The card on screen, wrapped once per width.
    wrapped: WrapCache,
}

impl StudyScreen {
    /// The card on screen, if any.
    fn current<'c>(&self, catalog: &'c Catalog) -> Option<(&CardKey, &'c Card)> {
        let Phase::Card(current) = self.session.phase() else {
            return None;
        };
        let &(d, c) = self.texts.get(&current.key)?;
        Some((&current.key, catalog.decks.get(d)?.deck.cards().get(c)?))
    }

    /// The typed text for the card on screen (empty for a card just shown).
    fn typed_text(&self, key: &CardKey) -> &str {
        if self.typed_for.as_ref() == Some(key) {
            self.typed.text()
        } else {
            ""
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    Completed,
    EndedEarly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Message {
    text: String,
    error: bool,
}

/// Why a session did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Busy(#[from] LockError),
    #[error(transparent)]
    Log(#[from] log::LogError),
    #[error("{0:#}")]
    Reload(anyhow::Error),
    #[error(transparent)]
    Events(#[from] card_events::EventLogError),
    #[error(transparent)]
    ExtraNew(#[from] ExtraNewError),
    #[error(transparent)]
    Load(#[from] store::LoadError),
    #[error(transparent)]
    Device(#[from] DeviceError),
    #[error("nothing to study in {deck} now{next}")]
    NothingDue { deck: String, next: String },
}

/// `laptop-3fa09c · synced 10:42` (or `· never synced`), when the data dir
/// is a sync repository; nothing otherwise.
fn sync_status(paths: &Paths) -> Option<String> {
    if !crate::sync::Repo::is_set_up(&paths.data_dir) {
        return None;
    }
    let device = paths.device().ok()?;
    let when = match crate::sync::Repo::last_sync(&paths.data_dir) {
        Some(at) => format!(
            "synced {}",
            at.with_timezone(&Local).format("%Y-%m-%d %H:%M")
        ),
        None => "never synced".to_owned(),
    };
    Some(format!("{device} · {when}"))
}

impl App {
    /// Loads the review log and lays out the home screen.
    pub fn new(
        paths: &Paths,
        catalog: Catalog,
        config: Config,
        now: DateTime<Utc>,
    ) -> anyhow::Result<App> {
        Self::with_cache(paths, Arc::new(Cache::disabled()), catalog, config, now)
    }

    /// [`new`](Self::new), resuming the log's replay from `cache`.
    pub fn with_cache(
        paths: &Paths,
        cache: Arc<Cache>,
        catalog: Catalog,
        config: Config,
        now: DateTime<Utc>,
    ) -> anyhow::Result<App> {
        let mut app = App {
            paths: paths.clone(),
            cache,
            sync_status: sync_status(paths),
            too_small: false,
            log_seen: None,
            deck_dir: paths.deck_dir(),
            deck_files: deck_files(&paths.deck_dir()),
            catalog,
            config,
            progress: Progress::default(),
            extra: ExtraNew::default(),
            theme: Theme::from_env(),
            screen: Screen::Home,
            help_open: false,
            help_scroll: ScrollState::default(),
            message: None,
            farewell: None,
            exit_after_session: false,
            quit: false,
            rows: Vec::new(),
            tree: Vec::new(),
            collapsed: BTreeSet::new(),
            selection: TableState::default().with_selected(Some(0)),
            counted_at: now,
            images: None,
            editor: None,
            pending_edit: None,
            edit_dialog: None,
            home_counts: home_counts::HomeCounts::default(),
            fingerprint: None,
            kept_home: None,
        };
        let skipped = app.reload(now)?;
        crate::phases::mark("log and counts");
        let broken_decks = app.catalog.warnings.len();
        let mut problems = Vec::new();
        if skipped > 0 {
            problems.push(format!(
                "{} of reviews.csv skipped",
                format::plural(skipped, "line")
            ));
        }
        if broken_decks > 0 {
            problems.push(format!(
                "{} could not be loaded",
                format::plural(broken_decks, "deck")
            ));
        }
        if let Some(warning) = app.cache.take_warning() {
            problems.push(warning);
        }
        if !problems.is_empty() {
            app.message = Some(Message {
                text: format!(
                    "{}; run `recall due` and `recall decks` for details",
                    problems.join(", ")
                ),
                error: true,
            });
        }
        Ok(app)
    }

    pub fn with_theme(mut self, theme: Theme) -> App {
        self.theme = theme;
        self
    }

    /// Re-reads the log (the source of truth) and recounts every deck.
    /// Returns the number of log lines that could not be read.
    fn reload(&mut self, now: DateTime<Utc>) -> anyhow::Result<usize> {
        // Taken before the logs are read, so it never covers later lines.
        self.fingerprint = self.fingerprint.and_then(|print| {
            Some(snapshot::Fingerprint {
                logs: crate::cache::home::logs_hash(&self.paths.data_dir)?,
                ..print
            })
        });
        self.log_seen = logs_stamp(&self.paths.data_dir);
        let day = self.study_day(now);
        let loaded = self.cache.load_progress(
            &self.paths.data_dir,
            &self.config.deck_settings(),
            self.config.leech,
            &day,
        )?;
        self.progress = loaded.progress;
        self.extra = ExtraNew::load(&self.paths.data_dir.join(extra_new::FILE_NAME), &day)?;
        self.home_counts.clear();
        self.recount(now);
        Ok(loaded.warnings.len() + loaded.event_warnings.len() + self.extra.warnings.len())
    }

    /// The queue of one deck (by index) for today, with today's extra new
    /// cards: the one definition home, `recall due` and sessions share.
    fn deck_queue(&self, index: usize, now: DateTime<Utc>, day: &StudyDay) -> DeckQueue {
        let deck = &self.catalog.decks[index].deck;
        let options = QueueOptions {
            extra_new: self.extra.for_deck(&deck.id),
            tag: None,
        };
        DeckQueue::build_with(deck, &self.progress, &self.config, now, day, options)
    }

    /// Re-reads the log if its length or mtime changed since it was read
    /// (another terminal studied); a cheap check, so it runs on every
    /// recount and before a session starts.
    fn reload_if_changed(&mut self, now: DateTime<Utc>) -> anyhow::Result<()> {
        if logs_stamp(&self.paths.data_dir) != self.log_seen {
            self.reload(now)?;
        }
        Ok(())
    }

    /// The catalog indices of the decks the home screen shows (not hidden).
    fn shown_decks(&self) -> Vec<usize> {
        let hidden = &self.config.hidden_decks;
        (0..self.catalog.decks.len())
            .filter(|&i| {
                let id = self.catalog.decks[i].deck.id.as_str();
                !hidden.iter().any(|h| h == id)
            })
            .collect()
    }

    /// The deck tree as home shows it with `collapsed` folded: hidden decks
    /// (`recall decks --hide`) leave it; a level whose decks are all hidden
    /// goes with them.
    fn shown_tree(&self, collapsed: &BTreeSet<String>) -> Vec<TreeRow> {
        let decks: Vec<&Deck> = self
            .catalog
            .decks
            .iter()
            .map(|loaded| &loaded.deck)
            .collect();
        let mut tree = tree::rows(&decks, collapsed);
        let hidden: Vec<bool> = decks
            .iter()
            .map(|deck| {
                self.config
                    .hidden_decks
                    .iter()
                    .any(|h| h == deck.id.as_str())
            })
            .collect();
        tree.retain_mut(|row| {
            row.subtree.retain(|&i| !hidden[i]);
            if row.deck.is_some_and(|i| hidden[i]) {
                row.deck = None;
            }
            !row.subtree.is_empty()
        });
        tree
    }

    fn recount(&mut self, now: DateTime<Utc>) {
        self.counted_at = now;
        let day = self.study_day(now);
        let zone = local_zone(now);
        // Each deck's counts and next due card; a tree row adds up its subtree.
        let mut home_counts = std::mem::take(&mut self.home_counts);
        let per_deck = home_counts.counts(self.catalog.decks.len(), now, &day, |index| {
            self.deck_queue(index, now, &day)
        });
        self.home_counts = home_counts;
        self.tree = self.shown_tree(&self.collapsed);
        let decks: Vec<&Deck> = self
            .catalog
            .decks
            .iter()
            .map(|loaded| &loaded.deck)
            .collect();
        self.rows = self
            .tree
            .iter()
            .map(|row| DeckRow {
                name: row.label.clone(),
                description: row
                    .deck
                    .map(|i| decks[i].description.clone())
                    .unwrap_or_default(),
                cards: row.subtree.iter().map(|&i| decks[i].cards().len()).sum(),
                counts: row
                    .subtree
                    .iter()
                    .fold(DueCounts::default(), |sum, &i| sum + per_deck[i].0),
                next: row
                    .subtree
                    .iter()
                    .fold(None, |next, &i| earliest(next, per_deck[i].1))
                    .map(|due| format::next_due(due, now, zone)),
                depth: row.depth,
                children: row.children,
            })
            .collect();
        let last = self.rows.len().saturating_sub(1);
        if let Some(selected) = self.selection.selected() {
            self.selection.select(Some(selected.min(last)));
        }
    }

    /// Folds (`collapse`) or unfolds the selected row. Folding a row that
    /// has no open children selects its parent instead, as in a file tree.
    fn fold(&mut self, collapse: bool, now: DateTime<Utc>) {
        let selected = self.selection.selected().unwrap_or(0);
        let Some(row) = self.tree.get(selected).cloned() else {
            return;
        };
        match (collapse, row.children) {
            (true, Children::Shown) => {
                self.collapsed.insert(row.path.clone());
            }
            (true, _) if row.depth > 0 => {
                let parent = self.tree[..selected]
                    .iter()
                    .rposition(|other| other.depth < row.depth);
                self.selection.select(parent);
                return;
            }
            (false, Children::Collapsed) => {
                self.collapsed.remove(&row.path);
            }
            _ => return,
        }
        self.recount(now);
        if let Some(index) = self.tree.iter().position(|other| other.path == row.path) {
            self.selection.select(Some(index));
        }
    }

    /// Re-reads the decks if a file in the deck directory was added,
    /// removed or changed (an import from another terminal, an edit), so
    /// the home screen shows it without a restart. Keeps the decks it has
    /// if the new set cannot be loaded. Returns whether it re-read them.
    fn rescan_decks(&mut self) -> bool {
        // A deck dir that cannot be read keeps the decks there are.
        deck_files(&self.deck_dir) != self.deck_files && self.reload_decks().is_ok()
    }

    /// Re-reads every deck file (and `--deck` TOML file) now.
    fn reload_decks(&mut self) -> Result<(), crate::deck::DeckError> {
        self.fingerprint = self.fingerprint.and_then(|print| {
            Some(snapshot::Fingerprint {
                decks: crate::cache::home::decks_hash(&self.deck_dir)?,
                ..print
            })
        });
        self.deck_files = deck_files(&self.deck_dir);
        // `--deck` files: TOML ones are re-read, decks of other formats kept.
        let is_toml = |path: &std::path::Path| path.extension().is_some_and(|ext| ext == "toml");
        let mut args = Vec::new();
        let mut kept = Vec::new();
        for loaded in &self.catalog.decks {
            if let DeckSource::Argument(path) = &loaded.source {
                if is_toml(path) {
                    args.push(path.clone());
                } else {
                    kept.push((loaded.deck.clone(), path.clone()));
                }
            }
        }
        let rescanned = Catalog::discover(&self.deck_dir, &args).and_then(|mut catalog| {
            for (deck, path) in kept {
                catalog.add_argument(deck, path)?;
            }
            Ok(catalog)
        });
        let catalog = rescanned?;
        self.catalog = catalog;
        self.home_counts.clear();
        let last = self.catalog.decks.len().saturating_sub(1);
        let selected = self.selection.selected().unwrap_or(0).min(last);
        self.selection.select(Some(selected));
        Ok(())
    }

    fn study_day(&self, now: DateTime<Utc>) -> StudyDay {
        StudyDay::containing(now, self.config.day_starts_at, &Local)
    }

    /// Starts a session on one deck (by index) or all; the app leaves when
    /// it ends if `exit_after` is set (for `recall study`). A deck studies
    /// its subtree: `geo` studies `geo.capitals` and `geo.rivers` too.
    pub fn start_session(
        &mut self,
        deck: Option<usize>,
        now: DateTime<Utc>,
        exit_after: bool,
    ) -> Result<(), StartError> {
        let studied = match deck {
            Some(index) => {
                let id = self.catalog.decks[index].deck.id.as_str().to_owned();
                let row = self.tree.iter().find(|row| row.path == id).cloned();
                let subtree = row.map_or_else(|| vec![index], |row| row.subtree);
                Some((self.catalog.decks[index].deck.name.clone(), subtree))
            }
            None => None,
        };
        self.start_decks(studied, now, exit_after)
    }

    /// Starts a session on the given decks (title and indices), or on all.
    fn start_decks(
        &mut self,
        studied: Option<(String, Vec<usize>)>,
        now: DateTime<Utc>,
        exit_after: bool,
    ) -> Result<(), StartError> {
        // By id: re-reading the decks below may number them differently.
        let (title, ids) = match studied {
            Some((title, decks)) => {
                let ids: Vec<DeckId> = decks
                    .iter()
                    .map(|&i| self.catalog.decks[i].deck.id.clone())
                    .collect();
                (title, Some(ids))
            }
            None => ("All decks".to_owned(), None),
        };
        // Another terminal may have studied, imported or edited a deck since
        // this screen read the files: take the lock first, then count from
        // the decks and the log as they are now.
        let lock = DataLock::acquire(&self.paths.data_dir)?;
        if self.rescan_decks() {
            self.recount(now);
        }
        self.reload_if_changed(now).map_err(StartError::Reload)?;
        let decks = match ids {
            Some(ids) => ids
                .iter()
                .filter_map(|id| self.catalog.decks.iter().position(|d| &d.deck.id == id))
                .collect(),
            None => self.shown_decks(),
        };
        let day = self.study_day(now);
        let queues: Vec<DeckQueue> = decks
            .iter()
            .map(|&i| self.deck_queue(i, now, &day))
            .collect();
        self.open_session(decks, title, queues, now, exit_after, Some(lock))
    }

    /// Opens a session over `queues` (of the catalog's `decks`), taking the
    /// data-dir lock unless the caller holds it already.
    fn open_session(
        &mut self,
        decks: Vec<usize>,
        title: String,
        queues: Vec<DeckQueue>,
        now: DateTime<Utc>,
        exit_after: bool,
        lock: Option<DataLock>,
    ) -> Result<(), StartError> {
        let day = self.study_day(now);
        // One deck: its preset's learn-ahead limit; several: the top level's.
        let learn_ahead = match decks.as_slice() {
            [one] => self
                .config
                .for_deck(self.catalog.decks[*one].deck.id.as_str())
                .learn_ahead(),
            _ => self.config.learn_ahead(),
        };
        let texts = session_texts(&self.catalog, &decks, &queues);
        let session = Session::new(queues, self.config.deck_settings(), day, now)
            .with_learn_ahead(learn_ahead, now);
        if session.phase() == Phase::Done {
            let next = match session.summary(now).next_due {
                Some(due) => format!("; {}", format::next_due(due, now, local_zone(now))),
                None => String::new(),
            };
            return Err(StartError::NothingDue { deck: title, next });
        }
        let lock = match lock {
            Some(lock) => lock,
            None => DataLock::acquire(&self.paths.data_dir)?,
        };
        let writer = LogWriter::open(&self.paths.own_log(LogKind::Reviews)?, &lock)?;
        let events = EventWriter::open(&self.paths.own_log(LogKind::CardEvents)?, &lock)?;
        self.exit_after_session = exit_after;
        self.message = None;
        self.screen = Screen::Study(Box::new(StudyScreen {
            title,
            session,
            _lock: lock,
            writer,
            scroll: ScrollState::default(),
            ending: None,
            texts,
            events,
            undo: Vec::new(),
            lapses: HashMap::new(),
            marks: HashMap::new(),
            typed: TextField::default(),
            typed_for: None,
            confirm_forget: false,
            wrapped: WrapCache::default(),
        }));
        Ok(())
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// For `recall study` and `recall quiz`, the one line to print to the
    /// shell when the screen is gone: `15 cards, 3m 20s, 7% again; next
    /// due 11:29`.
    pub fn farewell(&self, now: DateTime<Utc>) -> Option<String> {
        if !self.exit_after_session {
            return None;
        }
        match &self.screen {
            Screen::Study(study) => {
                let s = study.session.summary(now);
                let next = match s.next_due {
                    Some(due) => format!("; next due {}", clock_time(due, now)),
                    None => String::new(),
                };
                Some(format!(
                    "{}, {}, {:.0}% again{next}",
                    format::plural(s.cards, "card"),
                    crate::ui::study::duration(s.time),
                    s.again_share() * 100.0
                ))
            }
            _ => self.farewell.clone(),
        }
    }

    /// Which key table applies now.
    pub fn key_context(&self) -> KeyContext {
        if self.help_open {
            KeyContext::Help
        } else {
            self.screen_context()
        }
    }

    /// Which card and side is up, to tell when something new appeared: the
    /// key table in use and how many cards this session has graded.
    pub fn shown(&self) -> (KeyContext, usize) {
        let done = match &self.screen {
            Screen::Study(study) => study.session.reviews_done(),
            _ => 0,
        };
        (self.key_context(), done)
    }

    /// The key table of the screen itself (under the help overlay, if open).
    fn screen_context(&self) -> KeyContext {
        if let Some(dialog) = &self.edit_dialog {
            return dialog.context();
        }
        match &self.screen {
            Screen::Home => KeyContext::Home,
            Screen::Study(study) if study.confirm_forget => KeyContext::ConfirmForget,
            Screen::Study(study) => match (study.ending, study.session.phase()) {
                (Some(_), _) | (None, Phase::Done) => KeyContext::Summary,
                (None, Phase::Waiting { .. }) => KeyContext::Waiting,
                (None, Phase::Card(card)) if card.revealed => KeyContext::Answer,
                (None, Phase::Card(_)) => match study.current(&self.catalog) {
                    Some((_, card)) if card.type_answer.is_some() => KeyContext::TypeQuestion,
                    _ => KeyContext::Question,
                },
            },
            Screen::QuizDialog(_) => KeyContext::QuizDialog,
            Screen::CustomDialog(_) => KeyContext::CustomDialog,
            Screen::Quiz(quiz) => quiz.context(),
            Screen::Stats(_) => KeyContext::Stats,
            Screen::Browser(browser) => browser.context(),
        }
    }

    /// Lets time pass: a waiting learning card may come due, and the home
    /// screen's counts change (learning cards, a new study day).
    pub fn tick(&mut self, now: DateTime<Utc>) {
        match &mut self.screen {
            Screen::Home if now - self.counted_at >= RECOUNT_EVERY => {
                if let Err(error) = self.reload_if_changed(now) {
                    self.message = Some(Message {
                        text: format!("{error:#}"),
                        error: true,
                    });
                }
                self.rescan_decks();
                self.recount(now);
            }
            Screen::Study(study) if study.ending.is_none() => {
                study.session.advance(now);
                if study.session.phase() == Phase::Done {
                    study.ending = Some(Ending::Completed);
                }
            }
            _ => {}
        }
    }

    /// Whether something on screen changes with time alone (the countdown).
    pub fn is_counting_down(&self) -> bool {
        self.key_context() == KeyContext::Waiting
    }

    pub fn update(&mut self, action: Action, now: DateTime<Utc>) {
        if self.too_small && !matches!(action, Action::Quit | Action::Back) {
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::ToggleHelp => {
                self.help_open = !self.help_open;
                self.help_scroll = ScrollState::default();
            }
            _ if self.help_open => match action {
                Action::ScrollUp => self.help_scroll.scroll_by(-1),
                Action::ScrollDown => self.help_scroll.scroll_by(1),
                Action::PageUp => self.help_scroll.scroll_by(-self.help_scroll.page()),
                Action::PageDown => self.help_scroll.scroll_by(self.help_scroll.page()),
                Action::Top => self.help_scroll.to_top(),
                Action::Bottom => self.help_scroll.to_bottom(),
                _ => {}
            },
            _ if self.edit_dialog.is_some() => self.update_edit_dialog(action, now),
            _ => match &mut self.screen {
                Screen::Home => self.update_home(action, now),
                Screen::Study(_) => self.update_study(action, now),
                Screen::QuizDialog(_) => self.update_quiz_dialog(action, now),
                Screen::CustomDialog(_) => self.update_custom_dialog(action, now),
                Screen::Quiz(_) => self.update_quiz(action, now),
                Screen::Stats(_) => self.update_stats(action, now),
                Screen::Browser(_) => self.update_browser(action, now),
            },
        }
    }

    fn update_home(&mut self, action: Action, now: DateTime<Utc>) {
        let selected = self.selection.selected().unwrap_or(0);
        let last = self.rows.len().saturating_sub(1);
        match action {
            Action::Up => self.selection.select(Some(selected.saturating_sub(1))),
            Action::Down => self.selection.select(Some((selected + 1).min(last))),
            Action::Left | Action::Right => self.fold(action == Action::Left, now),
            Action::Browse | Action::Search => self.open_browser(action == Action::Search, now),
            Action::StudySelected | Action::StudyAll => {
                let studied = match action {
                    Action::StudySelected => match self.tree.get(selected) {
                        Some(row) => Some((row.name.clone(), row.subtree.clone())),
                        None => return,
                    },
                    _ => None,
                };
                if let Err(error) = self.start_decks(studied, now, false) {
                    let error_kind = !matches!(error, StartError::NothingDue { .. });
                    self.message = Some(Message {
                        text: capitalize(&error.to_string()),
                        error: error_kind,
                    });
                }
            }
            Action::Quiz => {
                // A level without a deck of its own quizzes its first deck.
                let deck = self
                    .tree
                    .get(selected)
                    .and_then(|row| row.deck.or_else(|| row.subtree.first().copied()));
                if let Some(index) = deck
                    && let Some(loaded) = self.catalog.decks.get(index)
                {
                    self.message = None;
                    self.screen = Screen::QuizDialog(quiz_screen::Dialog::new(index, &loaded.deck));
                }
            }
            Action::Stats => self.open_stats(Some(selected), now),
            Action::AddCard => {
                let deck = self
                    .tree
                    .get(selected)
                    .and_then(|row| row.deck.or_else(|| row.subtree.first().copied()))
                    .and_then(|index| self.catalog.decks.get(index))
                    .map(|loaded| loaded.deck.id.clone());
                if let Some(deck) = deck {
                    self.request_add(&deck);
                }
            }
            Action::CustomStudy => {
                if let Some(loaded) = self.catalog.decks.get(selected) {
                    self.message = None;
                    self.screen =
                        Screen::CustomDialog(custom_screen::Dialog::new(selected, &loaded.deck));
                }
            }
            Action::Back => self.quit = true,
            _ => {}
        }
    }

    fn update_study(&mut self, action: Action, now: DateTime<Utc>) {
        let Screen::Study(study) = &mut self.screen else {
            return;
        };
        let mut leave = false;
        let mut message = None;
        if study.confirm_forget {
            match action {
                Action::Yes => {
                    study.confirm_forget = false;
                    self.message = Some(cards::study_action(
                        study,
                        Action::Forget,
                        &self.progress,
                        now,
                    ));
                }
                Action::No => study.confirm_forget = false,
                _ => {}
            }
            return;
        }
        let typing = !matches!(study.session.phase(), Phase::Card(card) if card.revealed)
            && study
                .current(&self.catalog)
                .is_some_and(|(_, card)| card.type_answer.is_some());
        if typing {
            let key = study.current(&self.catalog).map(|(key, _)| key.clone());
            if study.typed_for != key {
                study.typed = TextField::default();
                study.typed_for = key;
            }
            let field = &mut study.typed;
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
            Action::Reveal => study.session.reveal(),
            Action::Top | Action::Bottom if typing => {}
            Action::Suspend | Action::Bury | Action::Mark => {
                message = Some(cards::study_action(study, action, &self.progress, now));
            }
            Action::Forget if study.session.current().is_some() => study.confirm_forget = true,
            Action::Edit | Action::AddCard => {
                if let Some(key) = study.session.current().map(|card| card.key.clone()) {
                    if action == Action::Edit {
                        self.request_edit(&key);
                    } else {
                        self.request_add(&key.deck);
                    }
                }
                return;
            }
            Action::Grade(rating) => {
                match cards::grade(study, rating, &self.progress, self.config.leech, now) {
                    Ok(leech) => {
                        message = leech;
                        study.scroll.to_top();
                        // The next showing of any card starts with an empty field.
                        study.typed_for = None;
                        if study.session.phase() == Phase::Done {
                            study.ending = Some(Ending::Completed);
                        }
                    }
                    Err(error) => {
                        message = Some(Message {
                            // The error says what happened to the file (put
                            // back, or in doubt); the card stays up to grade
                            // again.
                            text: format!("Not saved: {:#}", anyhow::Error::new(error)),
                            error: true,
                        });
                    }
                }
            }
            Action::Undo => match cards::undo(study, now) {
                Ok(Some(text)) => {
                    study.ending = None;
                    study.scroll.to_top();
                    study.typed_for = None;
                    message = Some(Message { text, error: false });
                }
                Ok(None) => {
                    message = Some(Message {
                        text: "Nothing to undo in this session.".into(),
                        error: false,
                    });
                }
                Err(error) => {
                    message = Some(Message {
                        text: format!("Could not undo: {error:#}"),
                        error: true,
                    });
                }
            },
            Action::ScrollUp => study.scroll.scroll_by(-1),
            Action::ScrollDown => study.scroll.scroll_by(1),
            Action::PageUp => study.scroll.scroll_by(-study.scroll.page()),
            Action::PageDown => study.scroll.scroll_by(study.scroll.page()),
            Action::Top => study.scroll.to_top(),
            Action::Bottom => study.scroll.to_bottom(),
            Action::OpenMedia => {
                message = Some(open_media(&self.paths.data_dir, &self.catalog, study));
            }
            Action::Back if study.ending.is_none() && study.session.reviews_done() > 0 => {
                study.ending = Some(Ending::EndedEarly);
            }
            Action::Back | Action::Continue => leave = true,
            _ => {}
        }
        self.message = message;
        if leave {
            self.leave_session(now);
        }
    }

    /// Back home (releasing the lock), or out for `recall study`.
    fn leave_session(&mut self, now: DateTime<Utc>) {
        if self.exit_after_session {
            self.quit = true;
            return;
        }
        self.screen = Screen::Home;
        if let Err(error) = self.reload(now) {
            self.message = Some(Message {
                text: format!("Could not re-read the review log: {error:#}"),
                error: true,
            });
        }
    }

    /// Keys the home screen kept for the next start by `fingerprint`, taken
    /// before the decks, logs and config now held were read; `kept` is the
    /// screen found under it, if any (not written again when unchanged).
    pub fn set_fingerprint(
        &mut self,
        fingerprint: snapshot::Fingerprint,
        kept: Option<snapshot::HomeSnapshot>,
    ) {
        self.fingerprint = Some(fingerprint);
        self.kept_home = kept.map(|kept| (fingerprint, kept));
    }

    /// Keeps the home screen for the next start (the cache's home entry):
    /// only while home is up without a problem to report, with every fold
    /// open (as a start shows it), and only if it changed.
    pub fn keep_home_screen(&mut self, now: DateTime<Utc>) {
        let Some(fingerprint) = self.fingerprint else {
            return;
        };
        if !matches!(self.screen, Screen::Home) || self.message.as_ref().is_some_and(|m| m.error) {
            return;
        }
        self.recount(now);
        let day = self.study_day(now);
        let tree = self.shown_tree(&BTreeSet::new());
        let decks: Vec<&Deck> = self.catalog.decks.iter().map(|l| &l.deck).collect();
        let Some(screen) =
            snapshot::HomeSnapshot::of(&tree, &decks, &self.home_counts, &day, local_zone(now))
        else {
            return;
        };
        if self.kept_home.as_ref() == Some(&(fingerprint, screen.clone())) {
            return;
        }
        self.cache
            .save_home(&self.paths.data_dir, &fingerprint, &screen);
        self.kept_home = Some((fingerprint, screen));
    }

    /// Whether cards should show their images (`images = true`): the
    /// terminal is then asked, once, how it can draw them.
    pub fn wants_images(&self) -> bool {
        self.config.images
    }

    /// Shows images drawn as `images` says; none with `images = false`.
    pub fn set_images(&mut self, images: CardImages) {
        if self.config.images {
            self.images = Some(Box::new(images));
        }
    }

    pub fn view(&mut self, frame: &mut Frame, now: DateTime<Utc>) {
        if let (Some(images), Screen::Study(study)) = (&mut self.images, &self.screen)
            && let Some((key, card)) = study.current(&self.catalog)
        {
            load_images(images, &self.paths.data_dir, key, card);
        }
        let area = frame.area();
        self.too_small = crate::ui::chrome::is_too_small(area);
        let screen_context = self.screen_context();
        let theme = self.theme;
        let message = self.message.as_ref().map(|m| {
            let style = if m.error { theme.bad() } else { theme.muted() };
            (m.text.as_str(), style)
        });
        match &mut self.screen {
            Screen::Home | Screen::QuizDialog(_) | Screen::CustomDialog(_) => {
                let hints = keys::hints(KeyContext::Home, |_| None);
                let view = HomeView {
                    rows: &self.rows,
                    hints: &hints,
                    message,
                    sync: self.sync_status.as_deref(),
                    theme,
                };
                frame.render_stateful_widget(&view, area, &mut self.selection);
                if let Screen::QuizDialog(dialog) = &self.screen {
                    quiz_screen::render_dialog(frame, dialog, theme);
                }
                if let Screen::CustomDialog(dialog) = &self.screen {
                    custom_screen::render_dialog(frame, dialog, theme);
                }
            }
            Screen::Quiz(quiz) => quiz_screen::render_quiz(frame, quiz, now, theme),
            Screen::Stats(stats) => stats_screen::render(frame, stats, theme),
            Screen::Browser(browser) => {
                cards::render(frame, browser, &self.catalog, message, now, theme);
            }
            Screen::Study(study) => render_study(
                frame,
                study,
                (&self.catalog, self.images.as_deref()),
                (screen_context, self.exit_after_session),
                message,
                now,
                &theme,
            ),
        }
        if let Some(dialog) = &self.edit_dialog {
            edit::render(frame, dialog, theme);
        }
        if self.help_open {
            let entries = keys::help(screen_context);
            let help = HelpView {
                title: "Keys",
                entries: &entries,
                theme,
            };
            help.render_scrolled(area, frame.buffer_mut(), &mut self.help_scroll);
        }
    }
}

fn render_study(
    frame: &mut Frame,
    study: &mut StudyScreen,
    (catalog, images): (&Catalog, Option<&CardImages>),
    (context, leaves_program): (KeyContext, bool),
    message: Option<(&str, Style)>,
    now: DateTime<Utc>,
    theme: &Theme,
) {
    let area = frame.area();
    let header = SessionHeader {
        deck_name: &study.title,
        remaining: study.session.remaining(),
        progress: study.session.progress(),
    };
    if let Some(ending) = study.ending {
        let hints = keys::study_hints(KeyContext::Summary, leaves_program, |_| None);
        let view = SummaryView {
            deck_name: &study.title,
            summary: study.session.summary(now),
            ended_early: ending == Ending::EndedEarly,
            now,
            zone: local_zone(now),
            hints: &hints,
            theme: *theme,
        };
        frame.render_widget(&view, area);
        return;
    }
    match study.session.phase() {
        Phase::Card(current) => {
            let Some((key, card)) = study.current(catalog) else {
                return;
            };
            let current_key = key.clone();
            let typed_text = study.typed_text(key).to_owned();
            let typed_cursor = study.typed.cursor();
            let comparison = card
                .type_answer
                .filter(|_| current.revealed)
                .map(|rule| compare::compare(&typed_text, &card.expected_typed(), rule));
            let typed = card.type_answer.map(|_| TypedView {
                text: &typed_text,
                cursor: if typed_text.is_empty() {
                    0
                } else {
                    typed_cursor
                },
                comparison: comparison.as_ref(),
            });
            let preview = study.session.preview(now);
            let hints = keys::study_hints(context, leaves_program, |rating| {
                preview
                    .as_ref()
                    .map(|p| format::interval(p.get(rating).interval))
            });
            let view = CardView {
                header,
                front: &card.front,
                back: current.revealed.then_some(card.back.as_str()),
                typed,
                hints: &hints,
                message,
                images,
                theme: *theme,
                wrapped: Some((&study.wrapped, &current.key)),
            };
            frame.render_stateful_widget(&view, area, &mut study.scroll);
            if study.confirm_forget {
                let question = format!("Forget {current_key}?");
                let confirm = crate::ui::browser::ConfirmView {
                    question: &question,
                    detail: "It goes back to new and leaves this session; its reviews stay in the log. u undoes it.",
                    theme: *theme,
                };
                frame.render_widget(&confirm, area);
            }
        }
        Phase::Waiting { until, shows_at } => {
            let hints = keys::study_hints(KeyContext::Waiting, leaves_program, |_| None);
            let due_at = clock_time(until, now);
            let view = WaitingView {
                header,
                wait: shows_at - now,
                due_at: &due_at,
                hints: &hints,
                theme: *theme,
            };
            frame.render_widget(&view, area);
        }
        Phase::Done => {}
    }
}

/// The `*.toml` files of the deck directory with their size and time.
fn deck_files(dir: &std::path::Path) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "toml"))
        .map(|entry| {
            let meta = entry.metadata().ok();
            let len = meta.as_ref().map_or(0, std::fs::Metadata::len);
            let modified = meta.and_then(|m| m.modified().ok());
            (entry.path(), len, modified)
        })
        .collect();
    files.sort();
    files
}

/// Where each card of `queues` is in the catalog (deck and card index): a
/// session shows no other card, so a deck's other cards (most of a large
/// one) get no entry.
fn session_texts(
    catalog: &Catalog,
    decks: &[usize],
    queues: &[DeckQueue],
) -> HashMap<CardKey, (usize, usize)> {
    let queued: std::collections::HashSet<(&str, &str)> = queues
        .iter()
        .flat_map(|queue| {
            queue
                .learning
                .iter()
                .chain(&queue.reviews)
                .chain(&queue.new)
        })
        .map(|(key, _)| (key.deck.as_str(), key.card.as_str()))
        .collect();
    let mut texts = HashMap::with_capacity(queued.len());
    for &d in decks {
        let deck = &catalog.decks[d].deck;
        for (c, card) in deck.cards().iter().enumerate() {
            if queued.contains(&(deck.id.as_str(), card.id.as_str())) {
                texts.insert(CardKey::new(deck.id.clone(), card.id.clone()), (d, c));
            }
        }
    }
    texts
}

/// `11:29` today, else `Thu 27 Nov 11:29`, in the local time zone.
fn clock_time(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let zone = local_zone(now);
    let local = at.with_timezone(&zone);
    if local.date_naive() == now.with_timezone(&zone).date_naive() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%a %-d %b %H:%M").to_string()
    }
}

/// The length and mtime of every review log, `None` if they cannot be
/// listed: a cheap way to tell that another process wrote.
fn logs_stamp(data_dir: &std::path::Path) -> Option<Vec<(u64, std::time::SystemTime)>> {
    let logs = store::layout::Layout::new(data_dir)
        .logs(LogKind::Reviews)
        .ok()?;
    logs.iter()
        .map(|path| {
            let meta = std::fs::metadata(path).ok()?;
            Some((meta.len(), meta.modified().ok()?))
        })
        .collect()
}

/// The local time zone's offset at `now`, for clock times on screen.
fn local_zone(now: DateTime<Utc>) -> FixedOffset {
    now.with_timezone(&Local).offset().fix()
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Decodes the images `card` shows (both sides) from
/// `<data dir>/media/<deck id>/`, once each, and forgets the others. A name
/// that is not a plain file name, a missing file and one that is not an
/// image recall can decode (or too large) are kept as `None`: their markers
/// stay text.
fn load_images(images: &mut CardImages, data_dir: &std::path::Path, key: &CardKey, card: &Card) {
    let names: Vec<&str> = crate::deck::image_markers(&card.front)
        .into_iter()
        .chain(crate::deck::image_markers(&card.back))
        .map(|(_, name)| name)
        .collect();
    images.keep_only(&names);
    let dir = data_dir.join("media").join(key.deck.as_str());
    for name in names {
        if images.knows(name) {
            continue;
        }
        let plain = std::path::Path::new(name).components().count() == 1
            && matches!(
                std::path::Path::new(name).components().next(),
                Some(std::path::Component::Normal(_))
            );
        let image = plain.then(|| decode_image(&dir.join(name))).flatten();
        images.insert(name, image);
    }
}

/// A media file decoded as an image, within limits (a hostile file cannot
/// make recall allocate without bound); `None` if it cannot be.
fn decode_image(path: &std::path::Path) -> Option<image::DynamicImage> {
    let mut reader = image::ImageReader::open(path)
        .ok()?
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(8192);
    limits.max_image_height = Some(8192);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    reader.decode().ok()
}

/// `o` in a session: opens the media files of the current card's visible
/// side(s) from `<data dir>/media/<deck id>/`, and says what it did.
fn open_media(data_dir: &std::path::Path, catalog: &Catalog, study: &StudyScreen) -> Message {
    let note = |text: String, error| Message { text, error };
    let Some(current) = study.session.current() else {
        return note("No card is up.".into(), false);
    };
    let Some(&(d, c)) = study.texts.get(&current.key) else {
        return note("No card is up.".into(), false);
    };
    let card = &catalog.decks[d].deck.cards()[c];
    let mut names = crate::deck::media_names(&card.front);
    if current.revealed {
        names.extend(crate::deck::media_names(&card.back));
    }
    names.dedup();
    if names.is_empty() {
        let side = if current.revealed { "card" } else { "question" };
        return note(format!("This {side} has no media to open."), false);
    }
    let dir = data_dir.join("media").join(current.key.deck.as_str());
    let mut opened = Vec::new();
    for name in names {
        let path = dir.join(name);
        if !path.is_file() {
            return note(format!("Not found: {}", path.display()), true);
        }
        if let Err(error) = open::open(&path) {
            return note(format!("Could not open {}: {error}", path.display()), true);
        }
        opened.push(name);
    }
    note(format!("Opened {}.", opened.join(", ")), false)
}

/// The home screen's app, its decks and logs loaded.
pub fn home(
    paths: &Paths,
    cache: &Arc<Cache>,
    catalog: Catalog,
    config: Config,
    now: DateTime<Utc>,
) -> anyhow::Result<App> {
    App::with_cache(paths, Arc::clone(cache), catalog, config, now)
}

/// The app of one study session (deck by index, or all; custom study
/// needs a deck) that returns to the shell when it ends; the line to print
/// instead when nothing is due.
pub fn study(
    paths: &Paths,
    cache: &Arc<Cache>,
    catalog: Catalog,
    config: Config,
    deck: Option<usize>,
    custom: Option<CustomStudy>,
    now: DateTime<Utc>,
) -> anyhow::Result<launch::Loaded> {
    let mut app = App::with_cache(paths, Arc::clone(cache), catalog, config, now)?;
    let started = match (custom, deck) {
        (Some(custom), Some(deck)) => app.start_custom(deck, &custom, now, true),
        (Some(_), None) => anyhow::bail!("custom study needs a deck: `recall study DECK ...`"),
        (None, deck) => app.start_session(deck, now, true),
    };
    match started {
        // Nothing due is news, not an error.
        Err(nothing @ StartError::NothingDue { .. }) => {
            Ok(launch::Loaded::Done(capitalize(&nothing.to_string())))
        }
        other => {
            other?;
            Ok(launch::Loaded::App(Box::new(app)))
        }
    }
}

/// The app of one quiz, which returns to the shell: `recall quiz`.
pub fn quiz(
    paths: &Paths,
    cache: &Arc<Cache>,
    catalog: Catalog,
    config: Config,
    request: QuizRequest,
    now: DateTime<Utc>,
) -> anyhow::Result<App> {
    let mut app = App::with_cache(paths, Arc::clone(cache), catalog, config, now)?;
    app.start_quiz(request, now, true)
        .map_err(quiz_screen::explain)?;
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        anyhow::bail!("the quiz needs a terminal; `recall quiz --history` prints past scores");
    }
    Ok(app)
}
