//! Editing and adding cards in the user's editor: `e` opens a card's deck
//! file at the card's line, `n` a draft of new cards for a deck. The editor
//! is `$VISUAL`, else `$EDITOR`, else `vi`, split into words as a shell
//! would (quotes kept, nothing run through a shell) and given `+LINE FILE`.
//!
//! This module prepares the job and checks what came back; the terminal
//! loop (`app/terminal.rs`) leaves the screen, runs the job and restores
//! the screen, whatever the editor did. On return the file is validated:
//! a deck file with problems is never half-applied (recall goes on with
//! the deck as it was loaded) and never thrown away (the user re-opens the
//! editor or keeps the file as it is); a draft is appended to its deck file
//! (by atomic replace) only when the result loads.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use chrono::{DateTime, Utc};
use ratatui::Frame;

use super::keys::{self, Action, KeyContext};
use super::{App, Message, Screen};
use crate::deck::catalog::{self, BUNDLED, DeckSource};
use crate::deck::draft::{self, Origin};
use crate::deck::{CardKey, DeckError, DeckId, default_deck_id, toml_format};
use crate::store;
use crate::ui::Theme;
use crate::ui::edit::DialogView;

/// `$VISUAL`, else `$EDITOR`, else `vi`, as a program and its arguments.
/// An empty variable counts as unset; one a shell could not split (an
/// unclosed quote) is an error that says so.
pub fn command_from(visual: Option<&str>, editor: Option<&str>) -> Result<Vec<String>, String> {
    let (name, value) = match (visual, editor) {
        (Some(v), _) if !v.trim().is_empty() => ("VISUAL", v),
        (_, Some(e)) if !e.trim().is_empty() => ("EDITOR", e),
        _ => return Ok(vec!["vi".to_owned()]),
    };
    match shell_words::split(value) {
        Ok(words) if !words.is_empty() => Ok(words),
        Ok(_) => Ok(vec!["vi".to_owned()]),
        Err(error) => Err(format!(
            "${name} (`{value}`) cannot be split into words: {error}"
        )),
    }
}

/// The editor from the environment.
pub fn command_from_env() -> Result<Vec<String>, String> {
    let var = |name| std::env::var(name).ok();
    command_from(var("VISUAL").as_deref(), var("EDITOR").as_deref())
}

/// One run of the editor on one file, and what to do with the result.
#[derive(Debug, Clone)]
pub struct EditJob {
    /// The program and its arguments.
    command: Vec<String>,
    /// The file the editor opens.
    pub file: PathBuf,
    /// The line it opens at.
    pub line: usize,
    /// The file's bytes before this run, to tell that nothing changed.
    before: Vec<u8>,
    target: Target,
}

#[derive(Debug, Clone)]
enum Target {
    /// A deck file, edited in place; the id it has when `[deck]` sets none.
    Deck { default_id: String },
    /// A draft of new cards, appended to `deck_file` when it loads.
    Draft {
        deck_file: PathBuf,
        default_id: String,
    },
}

impl EditJob {
    /// Runs the editor and waits for it. The terminal must be out of raw
    /// mode and the alternate screen (the terminal loop sees to that).
    pub fn spawn(&self) -> std::io::Result<ExitStatus> {
        let (program, args) = self
            .command
            .split_first()
            .ok_or_else(|| std::io::Error::other("no editor command"))?;
        Command::new(program)
            .args(args)
            .arg(format!("+{}", self.line))
            .arg(&self.file)
            .status()
    }

    /// The editor program's name, for messages.
    fn program(&self) -> &str {
        self.command.first().map_or("vi", String::as_str)
    }

    /// The deck file this job changes.
    fn deck_file(&self) -> &Path {
        match &self.target {
            Target::Deck { .. } => &self.file,
            Target::Draft { deck_file, .. } => deck_file,
        }
    }
}

/// What the editor left.
#[derive(Debug)]
enum Checked {
    Unchanged,
    /// The deck file loads (a draft was appended to it): `added` cards new.
    Saved {
        added: usize,
    },
    /// Problems, one `file:line:column: ...` per line; the line to re-open
    /// the editor at.
    Problems {
        lines: Vec<String>,
        line: usize,
    },
}

/// Validates what the editor left in `job.file`.
fn check(job: &EditJob) -> Result<Checked, String> {
    let now = catalog::read_deck_file(&job.file).map_err(|e| e.to_string())?;
    if now == job.before {
        return Ok(Checked::Unchanged);
    }
    match &job.target {
        Target::Deck { default_id } => match catalog::parse_bytes(now, &job.file, default_id) {
            Ok(_) => Ok(Checked::Saved { added: 0 }),
            Err(error) => Ok(problems(&error, None)),
        },
        Target::Draft {
            deck_file,
            default_id,
        } => {
            let draft = String::from_utf8(now)
                .map_err(|_| format!("{} is not UTF-8 text", job.file.display()))?;
            let deck_bytes = catalog::read_deck_file(deck_file).map_err(|e| e.to_string())?;
            let deck_text = String::from_utf8(deck_bytes)
                .map_err(|_| format!("{} is not UTF-8 text", deck_file.display()))?;
            let before = toml_format::parse(&deck_text, default_id)
                .map(|deck| deck.cards().len())
                .unwrap_or(0);
            let Some(appended) = draft::append(&deck_text, &draft) else {
                return Ok(Checked::Unchanged);
            };
            let origin = deck_file.display().to_string();
            match catalog::parse_text(&appended.text, &origin, default_id) {
                Ok(deck) => {
                    store::write_atomically(deck_file, appended.text.as_bytes()).map_err(
                        |error| format!("could not write {}: {error}", deck_file.display()),
                    )?;
                    Ok(Checked::Saved {
                        added: deck.cards().len().saturating_sub(before),
                    })
                }
                Err(error) => Ok(problems(&error, Some((&appended, &job.file, deck_file)))),
            }
        }
    }
}

/// The problems of `error` as lines; for a draft, each is placed in the
/// draft or in the deck file it was appended to.
fn problems(error: &DeckError, draft: Option<(&draft::Appended, &Path, &Path)>) -> Checked {
    let DeckError::Invalid { origin, problems } = error else {
        return Checked::Problems {
            lines: vec![error.to_string()],
            line: 1,
        };
    };
    let mut lines = Vec::new();
    let mut first = None;
    for problem in problems {
        let (file, line, in_draft) = match draft {
            None => (origin.clone(), problem.position.line, true),
            Some((appended, draft_file, deck_file)) => match appended.origin(problem.position.line)
            {
                Origin::Draft(line) => (draft_file.display().to_string(), line, true),
                Origin::Deck(line) => (deck_file.display().to_string(), line, false),
            },
        };
        if in_draft {
            first = first.or(Some(line));
        }
        lines.push(format!(
            "{file}:{line}:{}: {}",
            problem.position.column, problem.kind
        ));
        lines.push(format!("  help: {}", problem.kind.help()));
    }
    Checked::Problems {
        lines,
        line: first.unwrap_or(1),
    }
}

/// A question or a report over the screen, about an edit.
#[derive(Debug)]
pub enum Dialog {
    /// Before the editor opens: `y` goes on with `next`, `n` does nothing.
    Confirm {
        title: &'static str,
        lines: Vec<String>,
        next: Next,
    },
    /// The file the editor left has problems.
    Problems { job: EditJob, lines: Vec<String> },
}

/// What a confirmed question goes on with.
#[derive(Debug)]
pub enum Next {
    /// Copy the bundled deck `file` to `to`, then edit `key` in the copy
    /// (or add a card to it, for `None`).
    CopyBundled {
        file: &'static str,
        to: PathBuf,
        deck: DeckId,
        key: Option<CardKey>,
    },
    /// Open the editor.
    Open(EditJob),
}

impl Dialog {
    pub fn context(&self) -> KeyContext {
        match self {
            Dialog::Confirm { .. } => KeyContext::EditConfirm,
            Dialog::Problems { .. } => KeyContext::EditProblems,
        }
    }
}

impl App {
    /// The editor to run: the one set for tests, else the environment's.
    fn editor_command(&self) -> Result<Vec<String>, String> {
        match &self.editor {
            Some(command) => Ok(command.clone()),
            None => command_from_env(),
        }
    }

    /// Runs `command` instead of `$VISUAL`/`$EDITOR` (tests).
    pub fn with_editor(mut self, command: Vec<String>) -> App {
        self.editor = Some(command);
        self
    }

    /// The editor run the app is waiting for, taken: the terminal loop
    /// runs it (`EditJob::spawn`) and hands the result to
    /// [`finish_edit`](Self::finish_edit).
    pub fn take_edit(&mut self) -> Option<EditJob> {
        self.pending_edit.take()
    }

    fn say(&mut self, text: impl Into<String>, error: bool) {
        self.message = Some(Message {
            text: text.into(),
            error,
        });
    }

    /// `e` on a card: its deck file at its line, after the questions a
    /// bundled or imported deck needs.
    pub(super) fn request_edit(&mut self, key: &CardKey) {
        self.plan(&key.deck, Some(key));
    }

    /// `n` on a deck: a draft of new cards for it.
    pub(super) fn request_add(&mut self, deck: &DeckId) {
        self.plan(deck, None);
    }

    /// Where `key` (or, for `None`, a new card) of `deck` is edited, and
    /// what to ask first.
    fn plan(&mut self, deck: &DeckId, key: Option<&CardKey>) {
        let Some(loaded) = self.catalog.get(deck) else {
            return self.say(format!("No deck `{deck}` is loaded."), true);
        };
        let path = match &loaded.source {
            DeckSource::Bundled { file } => {
                let to = self.deck_dir.join(file);
                let what = if key.is_some() {
                    "edit"
                } else {
                    "add a card to"
                };
                self.edit_dialog = Some(Dialog::Confirm {
                    title: " Bundled deck ",
                    lines: vec![
                        format!(
                            "\"{}\" ships with recall and cannot be changed.",
                            loaded.deck.name
                        ),
                        format!(
                            "Copy it to {} and {what} the copy? The copy takes its place, with the same ids: your progress is kept.",
                            to.display()
                        ),
                    ],
                    next: Next::CopyBundled {
                        file,
                        to,
                        deck: deck.clone(),
                        key: key.cloned(),
                    },
                });
                return;
            }
            DeckSource::DeckDir(path) | DeckSource::Argument(path) => path.clone(),
        };
        if path.extension().is_none_or(|ext| ext != "toml") {
            return self.say(
                format!(
                    "{} is not a recall deck file: edit it there, or import it (`recall import`) to edit it here.",
                    path.display()
                ),
                true,
            );
        }
        let command = match self.editor_command() {
            Ok(command) => command,
            Err(error) => return self.say(error, true),
        };
        let default_id = default_deck_id(&path);
        let bytes = match catalog::read_deck_file(&path) {
            Ok(bytes) => bytes,
            Err(error) => return self.say(format!("Cannot edit: {error}"), true),
        };
        let text = String::from_utf8_lossy(&bytes);
        let located = toml_format::parse_located(&text, &default_id).ok();
        let imported_from = located
            .as_ref()
            .and_then(|(file, _)| file.imported_from.clone());
        let job = match key {
            Some(key) => {
                let note = loaded
                    .deck
                    .card(&key.card)
                    .map_or_else(|| key.card.clone(), |card| card.note.clone());
                let line = located
                    .as_ref()
                    .and_then(|(_, at)| at.get(&note))
                    .map_or(1, |at| at.line);
                EditJob {
                    command,
                    file: path.clone(),
                    line,
                    before: bytes,
                    target: Target::Deck { default_id },
                }
            }
            None => match self.new_draft(&loaded.deck.name, &path, &loaded.deck.id) {
                Ok((file, line, before)) => EditJob {
                    command,
                    file,
                    line,
                    before,
                    target: Target::Draft {
                        deck_file: path.clone(),
                        default_id,
                    },
                },
                Err(error) => return self.say(format!("Cannot start a draft: {error}"), true),
            },
        };
        match imported_from {
            Some(source) => {
                self.edit_dialog = Some(Dialog::Confirm {
                    title: " Imported deck ",
                    lines: vec![
                        format!("{} was imported from {source}.", path.display()),
                        "Importing it again overwrites what you change here: better edit the source and import it again.".to_owned(),
                        "Edit here anyway?".to_owned(),
                    ],
                    next: Next::Open(job),
                });
            }
            None => self.pending_edit = Some(job),
        }
    }

    /// Writes a new card's template to `<data dir>/drafts/`; returns its
    /// path, the line to open, and its bytes.
    fn new_draft(
        &self,
        deck_name: &str,
        deck_file: &Path,
        deck: &DeckId,
    ) -> std::io::Result<(PathBuf, usize, Vec<u8>)> {
        let dir = self.paths.data_dir.join("drafts");
        store::atomic::create_dir_all_synced(&dir)?;
        let (text, line) = draft::template(deck_name, &deck_file.display().to_string());
        let stamp = Utc::now().format("%Y%m%d-%H%M%S");
        let mut file = dir.join(format!("{deck}-{stamp}.toml"));
        let mut n = 1;
        while file.exists() {
            n += 1;
            file = dir.join(format!("{deck}-{stamp}-{n}.toml"));
        }
        store::write_atomically(&file, text.as_bytes())?;
        Ok((file, line, text.into_bytes()))
    }

    /// After the editor: validate, then reload the decks, ask, or report.
    pub fn finish_edit(
        &mut self,
        job: EditJob,
        ran: std::io::Result<ExitStatus>,
        now: DateTime<Utc>,
    ) {
        let is_draft = matches!(job.target, Target::Draft { .. });
        let status = match ran {
            Ok(status) => status,
            Err(error) => {
                if is_draft {
                    let _ = std::fs::remove_file(&job.file);
                }
                return self.say(
                    format!(
                        "Could not start the editor `{}`: {error}. Set $VISUAL or $EDITOR to your editor.",
                        job.program()
                    ),
                    true,
                );
            }
        };
        match check(&job) {
            Err(error) => {
                let kept = if is_draft {
                    format!(" Your draft is kept in {}.", job.file.display())
                } else {
                    String::new()
                };
                self.say(format!("Could not check the edit: {error}.{kept}"), true);
            }
            Ok(Checked::Unchanged) => {
                if is_draft {
                    let _ = std::fs::remove_file(&job.file);
                }
                let exit = if status.success() {
                    String::new()
                } else {
                    format!(" (the editor exited with {status})")
                };
                let text = if is_draft {
                    format!("Nothing added{exit}.")
                } else {
                    format!("No change to {}{exit}.", job.file.display())
                };
                self.say(text, false);
            }
            Ok(Checked::Saved { added }) => {
                if is_draft {
                    let _ = std::fs::remove_file(&job.file);
                }
                let deck_file = job.deck_file().display().to_string();
                match self.decks_changed(now) {
                    Ok(()) => {
                        let text = if is_draft {
                            format!(
                                "Added {} to {deck_file}.",
                                crate::format::plural(added, "card")
                            )
                        } else {
                            format!("Saved {deck_file}; decks reloaded, progress kept.")
                        };
                        self.say(text, false);
                    }
                    Err(error) => self.say(
                        format!("Saved {deck_file}, but the decks could not be reloaded: {error}"),
                        true,
                    ),
                }
            }
            Ok(Checked::Problems { lines, line }) => {
                let job = EditJob { line, ..job };
                self.edit_dialog = Some(Dialog::Problems { job, lines });
            }
        }
    }

    /// Keys while an edit dialog is up.
    pub(super) fn update_edit_dialog(&mut self, action: Action, now: DateTime<Utc>) {
        let Some(dialog) = self.edit_dialog.take() else {
            return;
        };
        match (dialog, action) {
            (Dialog::Confirm { next, .. }, Action::Yes) => self.go_on(next, now),
            (Dialog::Confirm { .. }, Action::No) => self.say("Not edited.", false),
            // `before` stays the text from before the first run: coming
            // back without a change still has the same problems.
            (Dialog::Problems { job, .. }, Action::Edit) => self.pending_edit = Some(job),
            (Dialog::Problems { job, .. }, Action::Keep) => {
                let text = match job.target {
                    Target::Deck { .. } => format!(
                        "Kept {} as it is; recall goes on with the deck as it was loaded until the file is fixed (`recall check` lists the problems).",
                        job.file.display()
                    ),
                    Target::Draft { ref deck_file, .. } => format!(
                        "Kept your draft in {}; nothing was added to {}.",
                        job.file.display(),
                        deck_file.display()
                    ),
                };
                self.say(text, true);
            }
            (dialog, _) => self.edit_dialog = Some(dialog),
        }
    }

    fn go_on(&mut self, next: Next, now: DateTime<Utc>) {
        match next {
            Next::Open(job) => self.pending_edit = Some(job),
            Next::CopyBundled {
                file,
                to,
                deck,
                key,
            } => {
                if !to.exists() {
                    let Some(bundled) = BUNDLED.iter().find(|b| b.file == file) else {
                        return;
                    };
                    let written = store::atomic::create_dir_all_synced(&self.deck_dir)
                        .and_then(|()| store::write_atomically(&to, bundled.text.as_bytes()));
                    if let Err(error) = written {
                        return self
                            .say(format!("Could not copy to {}: {error}", to.display()), true);
                    }
                }
                if let Err(error) = self.decks_changed(now) {
                    return self.say(format!("Could not reload the decks: {error}"), true);
                }
                let is_copy = self
                    .catalog
                    .get(&deck)
                    .is_some_and(|loaded| loaded.source == DeckSource::DeckDir(to.clone()));
                if !is_copy {
                    return self.say(
                        format!(
                            "{} does not load as the bundled deck's copy; `recall check --deck {}` says why.",
                            to.display(),
                            to.display()
                        ),
                        true,
                    );
                }
                match key {
                    Some(key) => self.request_edit(&key),
                    None => self.request_add(&deck),
                }
            }
        }
    }

    /// The deck files changed: read them again, and give the screen the
    /// new text. A session keeps its cards (by id: progress is kept), minus
    /// those no longer in any deck.
    pub(super) fn decks_changed(&mut self, now: DateTime<Utc>) -> Result<(), DeckError> {
        self.reload_decks()?;
        match &mut self.screen {
            Screen::Study(study) => {
                let decks: std::collections::HashSet<&DeckId> =
                    study.texts.keys().map(|key| &key.deck).collect();
                let texts: std::collections::HashMap<CardKey, (usize, usize)> = self
                    .catalog
                    .decks
                    .iter()
                    .enumerate()
                    .filter(|(_, loaded)| decks.contains(&loaded.deck.id))
                    .flat_map(|(d, loaded)| {
                        let deck = &loaded.deck;
                        deck.cards().iter().enumerate().map(move |(c, card)| {
                            (CardKey::new(deck.id.clone(), card.id.clone()), (d, c))
                        })
                    })
                    .collect();
                study.session.retain(|key| texts.contains_key(key), now);
                study.texts = texts;
                if study.session.phase() == super::Phase::Done && study.ending.is_none() {
                    study.ending = Some(super::Ending::Completed);
                }
            }
            Screen::Browser(_) => self.refresh_browser(now),
            _ => self.recount(now),
        }
        Ok(())
    }
}

/// The dialog over the screen.
pub(super) fn render(frame: &mut Frame, dialog: &Dialog, theme: Theme) {
    let (title, lines, context) = match dialog {
        Dialog::Confirm { title, lines, .. } => (*title, lines, KeyContext::EditConfirm),
        Dialog::Problems { job, lines } => {
            let title = match job.target {
                Target::Deck { .. } => " The deck file has problems ",
                Target::Draft { .. } => " The new card has problems ",
            };
            (title, lines, KeyContext::EditProblems)
        }
    };
    let hints = keys::hints(context, |_| None);
    let view = DialogView {
        title,
        lines,
        hints: &hints,
        theme,
    };
    frame.render_widget(&view, frame.area());
}
