//! `recall import FILE`: read a deck from TOML, Anki text or Markdown, and
//! write it to the deck directory.
//!
//! Everything is read and checked before anything is written: the decks the
//! file holds, and for each the deck already there. Only when every deck
//! may be written are they written, each atomically, under the data lock.
//! The review log is never opened: cards that keep their ids keep their
//! history.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use super::Context;
use crate::cli::ImportFormat;
use crate::deck::catalog::{BUNDLED, parse_text};
use crate::deck::toml_format::{self, DeckFile};
use crate::deck::{Deck, DeckError, DeckId, default_deck_id};
use crate::format::plural;
use crate::import::{
    self, Changes, Existing, Format, Imported, ReadOptions, SkippedReport, Target,
};
use crate::store::{DataLock, write_atomically};
use crate::table::Table;

/// The command line's request, as given.
#[derive(Debug, Clone)]
pub struct Request {
    pub file: PathBuf,
    pub format: ImportFormat,
    pub deck_id: Option<DeckId>,
    pub name: Option<String>,
    pub replace: bool,
    pub dry_run: bool,
}

/// One deck to write, as its file will hold it, and what writing it changes.
#[derive(Debug)]
struct Plan {
    file: DeckFile,
    target: Target,
    changes: Changes,
}

pub fn run(ctx: &Context, request: &Request, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let bytes = read_source(&request.file)?;
    let format = format_of(request)?;
    let source = canonical_source(&request.file, &ctx.paths.deck_dir())?;
    let origin = request.file.display().to_string();
    let file_stem = request
        .file
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = ReadOptions {
        format,
        deck_id: request.deck_id.clone(),
        name: request.name.clone(),
    };
    // Dry runs write nothing, so they need no lock. An import takes it
    // before it looks at the deck directory, so nothing changes there
    // between planning and writing.
    let _lock = if request.dry_run {
        None
    } else {
        Some(DataLock::acquire(ctx.paths.data_dir())?)
    };
    // The deck directory (a re-import's old deck) loads on the second core
    // while the source is read.
    let deck_dir = ctx.paths.deck_dir();
    let (imported, dir_decks) = std::thread::scope(|scope| {
        let dir_decks = scope.spawn(|| load_deck_dir(&deck_dir));
        let imported = import::read(&bytes, &origin, &file_stem, &options);
        let dir_decks = dir_decks
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (imported, dir_decks)
    });
    // A TOML deck is copied as written (only `imported_from` is set), unless
    // --deck-id or --name change it.
    let verbatim = (format == Format::Toml && request.deck_id.is_none() && request.name.is_none())
        .then(|| String::from_utf8(bytes).ok())
        .flatten();
    let mut imported = imported?;
    if imported.decks.is_empty() {
        let skipped = SkippedReport {
            origin: &origin,
            skipped: &imported.skipped,
        };
        write!(out, "{skipped}")?;
        bail!(no_cards(&origin, &imported, format));
    }
    let decks = std::mem::take(&mut imported.decks);
    let plans = plan(decks, &dir_decks?, &deck_dir, &source, request.replace)?;
    if !request.dry_run {
        for plan in &plans {
            write_deck(plan, verbatim.as_deref())?;
        }
    }
    report(out, &origin, &imported, &plans, request.dry_run)?;
    Ok(ExitCode::SUCCESS)
}

/// `--format`, or the format the file's extension suggests.
fn format_of(request: &Request) -> anyhow::Result<Format> {
    Ok(match request.format {
        ImportFormat::Toml => Format::Toml,
        ImportFormat::Csv => Format::Csv,
        ImportFormat::Tsv => Format::Tsv,
        ImportFormat::Md => Format::Markdown,
        ImportFormat::Auto => match Format::from_path(&request.file) {
            Some(format) => format,
            None => bail!(
                "{}: cannot tell the format from the file name\n  help: pass --format toml, csv, tsv or md (Anki's text exports are csv)",
                request.file.display()
            ),
        },
    })
}

fn read_source(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path.is_dir() {
        bail!(
            "{}: is a directory\n  help: give the path of a file to import",
            path.display()
        );
    }
    crate::read_file::read_regular(path, crate::read_file::MAX_DECK_BYTES).map_err(|error| {
        match error.kind() {
            std::io::ErrorKind::NotFound => {
                anyhow::anyhow!("{}: no such file; check the path", path.display())
            }
            _ => anyhow::anyhow!("{}: cannot read it: {error}", path.display()),
        }
    })
}

/// The source's absolute path, as recorded in `imported_from`. A file in the
/// deck directory is not imported: recall already loads it as it is.
fn canonical_source(path: &Path, deck_dir: &Path) -> anyhow::Result<String> {
    let source = std::fs::canonicalize(path)
        .with_context(|| format!("{}: cannot resolve its path", path.display()))?;
    if let Ok(deck_dir) = std::fs::canonicalize(deck_dir)
        && source.starts_with(&deck_dir)
    {
        bail!(
            "{}: is in recall's deck directory, which recall loads as it is; there is nothing to import\n  help: import a file from elsewhere, or edit this one in place",
            path.display()
        );
    }
    Ok(source.to_string_lossy().into_owned())
}

fn no_cards(origin: &str, imported: &Imported, format: Format) -> String {
    let entry = imported.entry;
    let how = match format {
        Format::Markdown => "write each card as a `## question` heading with its answer below it",
        _ => "each row holds a front and a back, separated by the file's separator",
    };
    if imported.entries == 0 {
        format!("{origin}: holds no cards\n  help: {how}")
    } else {
        format!(
            "{origin}: no card to import: all {} skipped (listed above)\n  help: fix the {entry}s as the hints say, then import again",
            plural(imported.entries, entry)
        )
    }
}

/// A deck file of the deck directory, loaded with its `imported_from`.
type DirDeck = (PathBuf, Result<DeckFile, DeckError>);

/// Decides where each deck goes; any refusal stops the whole import.
fn plan(
    decks: Vec<Deck>,
    dir_decks: &[DirDeck],
    deck_dir: &Path,
    source: &str,
    replace: bool,
) -> anyhow::Result<Vec<Plan>> {
    let bundled = bundled_ids();
    let mut plans = Vec::with_capacity(decks.len());
    for deck in decks {
        let default_path = deck_dir.join(format!("{}.toml", deck.id));
        let existing = existing(&deck.id, &bundled, dir_decks, &default_path);
        let target = import::decide(&deck.id, existing, source, &default_path, replace)?;
        let old = match existing {
            Existing::Deck { deck, .. } => Some(deck),
            _ => None,
        };
        plans.push(Plan {
            changes: import::compare(old, &deck),
            file: DeckFile {
                deck,
                imported_from: Some(source.to_owned()),
            },
            target,
        });
    }
    Ok(plans)
}

fn bundled_ids() -> Vec<DeckId> {
    BUNDLED
        .iter()
        .filter_map(|bundled| {
            let stem = bundled.file.strip_suffix(".toml").unwrap_or(bundled.file);
            parse_text(bundled.text, bundled.file, stem)
                .ok()
                .map(|deck| deck.id)
        })
        .collect()
}

/// Every `*.toml` in the deck directory, by file name, as the catalog
/// loads them but with `imported_from` kept.
fn load_deck_dir(deck_dir: &Path) -> anyhow::Result<Vec<DirDeck>> {
    let entries = match std::fs::read_dir(deck_dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(anyhow::Error::new(error).context(format!(
                "cannot read the deck directory {}",
                deck_dir.display()
            )));
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|path| {
            let loaded = load_deck_file(&path);
            (path, loaded)
        })
        .collect())
}

fn load_deck_file(path: &Path) -> Result<DeckFile, DeckError> {
    let text = std::fs::read_to_string(path).map_err(|error| DeckError::from_io(path, error))?;
    toml_format::parse_file(&text, &default_deck_id(path)).map_err(|problems| DeckError::Invalid {
        origin: path.display().to_string(),
        problems,
    })
}

/// What already has `id`: a bundled deck, a deck in the deck directory (the
/// first by file name, as the catalog keeps it), or a file at its path.
fn existing<'a>(
    id: &DeckId,
    bundled: &[DeckId],
    dir_decks: &'a [DirDeck],
    default_path: &'a Path,
) -> Existing<'a> {
    if bundled.contains(id) {
        return Existing::Bundled;
    }
    let same_id = dir_decks.iter().find_map(|(path, loaded)| match loaded {
        Ok(file) if file.deck.id == *id => Some((path, file)),
        _ => None,
    });
    if let Some((path, file)) = same_id {
        return Existing::Deck {
            deck: &file.deck,
            path,
            imported_from: file.imported_from.as_deref(),
        };
    }
    match dir_decks.iter().find(|(path, _)| path == default_path) {
        Some((path, Ok(file))) => Existing::OtherDeck {
            path,
            id: &file.deck.id,
        },
        Some((path, Err(_))) => Existing::Broken {
            path,
            error: "it has problems (`recall check` lists them)",
        },
        None => Existing::Nothing,
    }
}

/// Writes a deck file: the source text itself when `verbatim` holds it and
/// it reads back as exactly the planned deck, else the deck afresh.
fn write_deck(plan: &Plan, verbatim: Option<&str>) -> anyhow::Result<()> {
    let path = plan.target.path();
    let source = plan.file.imported_from.as_deref().unwrap_or_default();
    let default_id = plan.file.deck.id.as_str();
    let copied = verbatim
        .and_then(|text| toml_format::set_imported_from(text, source))
        .filter(|text| toml_format::parse_file(text, default_id).as_ref() == Ok(&plan.file));
    let text = copied.unwrap_or_else(|| toml_format::write_file(&plan.file));
    write_atomically(path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn report(
    out: &mut dyn Write,
    origin: &str,
    imported: &Imported,
    plans: &[Plan],
    dry_run: bool,
) -> anyhow::Result<()> {
    let entry = imported.entry;
    writeln!(
        out,
        "{origin}: {}; {}",
        imported.summary,
        plural(imported.entries, entry)
    )?;
    let verb = if dry_run { "Would import" } else { "Imported" };
    writeln!(out, "{verb} {}:", plural(plans.len(), "deck"))?;
    let mut table = Table::new([
        "DECK",
        "NAME",
        "ADDED",
        "UPDATED",
        "UNCHANGED",
        "REMOVED",
        "FILE",
    ]);
    for column in 2..=5 {
        table.right_align(column);
    }
    for plan in plans {
        let changes = &plan.changes;
        let what = match plan.target {
            Target::Create(_) => " (new)",
            Target::Update(_) => "",
            Target::Replace(_) => " (replaced)",
        };
        let deck = &plan.file.deck;
        table.row([
            deck.id.to_string(),
            deck.name.clone(),
            changes.added.len().to_string(),
            changes.updated.len().to_string(),
            changes.unchanged.to_string(),
            changes.removed.len().to_string(),
            format!("{}{what}", plan.target.path().display()),
        ]);
    }
    write!(out, "{table}")?;
    report_removed(out, plans)?;
    if !imported.skipped.is_empty() {
        writeln!(out, "Skipped {}:", plural(imported.skipped.len(), entry))?;
        let skipped = SkippedReport {
            origin,
            skipped: &imported.skipped,
        };
        write!(out, "{skipped}")?;
    }
    for remark in &imported.remarks {
        writeln!(
            out,
            "{origin}:{}: note: {}\n  help: {}",
            remark.position,
            remark.kind,
            remark.kind.help()
        )?;
    }
    if dry_run {
        writeln!(out, "Dry run: nothing was written.")?;
    }
    Ok(())
}

/// Names the cards that left their deck, and says where their history is.
fn report_removed(out: &mut dyn Write, plans: &[Plan]) -> anyhow::Result<()> {
    const SHOWN: usize = 10;
    for plan in plans.iter().filter(|plan| !plan.changes.removed.is_empty()) {
        let removed = &plan.changes.removed;
        let mut names: Vec<String> = removed
            .iter()
            .take(SHOWN)
            .map(ToString::to_string)
            .collect();
        if removed.len() > SHOWN {
            names.push(format!("and {} more", removed.len() - SHOWN));
        }
        writeln!(
            out,
            "Removed from {}: {} (no longer in the source; their reviews stay in the log and count again if the card comes back)",
            plan.file.deck.id,
            names.join(", ")
        )?;
    }
    Ok(())
}
