//! `recall import FILE.apkg|FILE.colpkg`: an Anki package with its decks,
//! review history and media.
//!
//! Everything is read, converted and checked first; media files are
//! unpacked into a staging directory inside the data directory. Only when
//! all of that succeeded is anything moved into place: the media files
//! (renamed from staging), then the decks (each written atomically), and
//! last the new review lines, appended in one batch and synced, then the
//! suspensions. A review already in the log (same card, instant and rating)
//! is never added twice, so re-importing a package adds nothing but what is
//! new.
//!
//! A card suspended in Anki gets one `suspend` card event, at the instant
//! Anki last changed the card (when it was suspended, or later), appended in
//! one synced batch. It is not added again when that event is already in
//! the card events, nor when the card is suspended already: so re-importing
//! never suspends a card twice, nor again after it was unsuspended here.

use std::collections::HashSet;
use std::io::{IsTerminal as _, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use super::{Plan, Request, canonical_source, load_deck_dir, plan, write_deck};
use crate::commands::Context;
use crate::deck::CardKey;
use crate::format::plural;
use crate::import::apkg::{self, AnkiImport, AnkiReview, Limits, Package, strip_controls};
use crate::store::log::KeyIndex;
use crate::store::{CardEvent, DataLock, EventKind, EventWriter, LogKind, LogWriter};
use crate::table::Table;

/// The media directory inside the data directory.
pub const MEDIA_DIR: &str = "media";

/// What happens to one media file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaChange {
    New,
    Updated,
    Unchanged,
}

#[derive(Debug)]
struct StagedMedia {
    staged: PathBuf,
    target: PathBuf,
    change: MediaChange,
}

pub(super) fn run(
    ctx: &Context,
    request: &Request,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if request.deck_id.is_some() || request.name.is_some() {
        bail!(
            "{}: --deck-id and --name do not apply to an Anki package: each of its decks becomes a deck with an id made from its name\n  help: leave them out",
            request.file.display()
        );
    }
    let config = ctx.config()?.config;
    const MIB: u64 = 1024 * 1024;
    let limits = Limits {
        total: config.import_max_total_mb.saturating_mul(MIB),
        per_file: config.import_max_file_mb.saturating_mul(MIB),
    };
    let source = canonical_source(&request.file, &ctx.paths.deck_dir())?;
    let origin = request.file.display().to_string();
    let bar = progress_bar();

    bar.set_message("unpacking");
    let mut package = Package::open(&request.file, limits)?;
    bar.set_message("reading the collection");
    let collection = apkg::collection::read(package.collection_path(), &origin)?;
    bar.set_message("rendering cards");
    let mut imported = {
        let has_media = |name: &str| package.has_media(name);
        apkg::convert(&collection, &has_media, &mut |done, all| {
            bar.set_length(all as u64);
            bar.set_position(done as u64);
        })
        .map_err(|clash| {
            anyhow::anyhow!(
                "{origin}: {clash}\n  help: rename one of them in Anki and export again"
            )
        })?
    };
    // What the report needs of the collection; the rest is freed.
    let schema = collection.schema;
    drop(collection);
    if imported.decks.is_empty() {
        bar.finish_and_clear();
        bail!(
            "{origin}: no card to import ({} in the package, {} skipped)\n  help: check that the package holds the decks you exported",
            plural(imported.cards, "card"),
            imported.skipped_cards.len()
        );
    }

    let _lock = if request.dry_run {
        None
    } else {
        Some(DataLock::acquire(ctx.paths.data_dir())?)
    };
    // Where this device's review lines go, settled before anything is
    // written (it may create the device id file).
    let log_path = match request.dry_run {
        true => None,
        false => Some(ctx.paths.own_log(LogKind::Reviews)?),
    };
    let deck_dir = ctx.paths.deck_dir();
    let dir_decks = load_deck_dir(&deck_dir)?;
    let plans = plan(
        // The plans own the decks from here on.
        std::mem::take(&mut imported.decks),
        &dir_decks,
        &deck_dir,
        &source,
        request.replace,
    )?;
    let (new_reviews, already) = new_reviews(
        ctx,
        std::mem::take(&mut imported.reviews),
        &imported.card_keys,
        err,
    )?;
    let suspensions = new_suspensions(ctx, &imported, err)?;

    bar.set_message("unpacking media");
    let media_dir = ctx.paths.data_dir().join(MEDIA_DIR);
    let staging = staging_dir(ctx, request.dry_run)?;
    let staged = stage_media(&mut package, &plans, &imported, &media_dir, staging.path())?;
    bar.finish_and_clear();

    if !request.dry_run {
        for media in staged.iter().filter(|m| m.change != MediaChange::Unchanged) {
            move_into_place(&media.staged, &media.target)?;
        }
        for plan in &plans {
            write_deck(plan, None)?;
        }
        if let (Some(lock), Some(path)) = (&_lock, &log_path) {
            let mut writer = LogWriter::open(path, lock)?;
            // Each review's line is made as it is written, a chunk at a
            // time; every review's card is in `card_keys` (convert made both).
            let keys = &imported.card_keys;
            writer
                .append_batch(new_reviews.iter().filter_map(|review| review.review(keys)))
                .with_context(|| format!("cannot append to {}", path.display()))?;
        }
        if let (Some(lock), false) = (&_lock, suspensions.is_empty()) {
            let path = ctx.paths.own_log(LogKind::CardEvents)?;
            let mut writer = EventWriter::open(&path, lock)?;
            writer
                .append_batch(&suspensions)
                .with_context(|| format!("cannot append to {}", path.display()))?;
        }
    }
    let summary = Summary {
        origin: &origin,
        package: &package,
        schema,
        imported: &imported,
        plans: &plans,
        new_reviews: new_reviews.len(),
        already,
        new_suspensions: suspensions.len(),
        staged: &staged,
        media_dir: &media_dir,
        dry_run: request.dry_run,
    };
    summary.write(out)?;
    Ok(ExitCode::SUCCESS)
}

/// A progress bar on standard error, drawn only when it is a terminal.
fn progress_bar() -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg:24} [{bar:32}] {pos}/{len} cards")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// The imported reviews not already in the log, and how many were. A
/// review is in the log when its card has a line there at the same
/// millisecond with the same rating.
fn new_reviews(
    ctx: &Context,
    reviews: Vec<AnkiReview>,
    card_keys: &[CardKey],
    err: &mut dyn Write,
) -> anyhow::Result<(Vec<AnkiReview>, usize)> {
    let log = ctx.review_log(err)?;
    if log.entries().is_empty() {
        return Ok((reviews, 0));
    }
    // Each imported card's key in the log, if it has one; then what the
    // log holds of those cards, sorted, and the log itself is freed.
    let in_log: Vec<Option<KeyIndex>> = card_keys.iter().map(|key| log.index_of(key)).collect();
    let mut known: Vec<(KeyIndex, i64, u8)> = log
        .entries()
        .iter()
        .map(|entry| {
            (
                entry.key,
                entry.reviewed_at.timestamp_millis(),
                entry.rating.as_u8(),
            )
        })
        .collect();
    drop(log);
    known.sort_unstable();
    let mut already = 0;
    let mut fresh = reviews;
    fresh.retain(|review| {
        let seen = in_log
            .get(review.card as usize)
            .copied()
            .flatten()
            .is_some_and(|key| {
                known
                    .binary_search(&(key, review.at_ms, review.rating.as_u8()))
                    .is_ok()
            });
        already += usize::from(seen);
        !seen
    });
    Ok((fresh, already))
}

/// A `suspend` event for each card suspended in the package, at the instant
/// Anki last changed the card (or now, if that is later), unless that event
/// is in the card events already or the card is suspended already.
fn new_suspensions(
    ctx: &Context,
    imported: &AnkiImport,
    err: &mut dyn Write,
) -> anyhow::Result<Vec<CardEvent>> {
    if imported.suspended.is_empty() {
        return Ok(Vec::new());
    }
    let log = ctx.card_events(err)?;
    let mut events: Vec<&CardEvent> = log
        .events
        .iter()
        .filter(|event| matches!(event.kind, EventKind::Suspend | EventKind::Unsuspend))
        .collect();
    events.sort_by_key(|event| event.at);
    let mut recorded: HashSet<(&crate::deck::CardKey, i64)> = HashSet::new();
    let mut suspended: std::collections::HashMap<&crate::deck::CardKey, bool> =
        std::collections::HashMap::new();
    for event in events {
        if event.kind == EventKind::Suspend {
            recorded.insert((&event.key, event.at.timestamp_millis()));
        }
        suspended.insert(&event.key, event.kind == EventKind::Suspend);
    }
    Ok(imported
        .suspended
        .iter()
        // Never after now: a suspension from a clock ahead of this one
        // would otherwise win over an unsuspend made here before it.
        .map(|(key, at)| CardEvent::new((*at).min(ctx.now), key.clone(), EventKind::Suspend))
        .filter(|event| {
            !recorded.contains(&(&event.key, event.at.timestamp_millis()))
                && !suspended.get(&event.key).copied().unwrap_or(false)
        })
        .collect())
}

/// Where media are unpacked first: inside the data directory (so moving
/// them into place is a rename), or a system temporary directory for a dry
/// run, which writes nothing to the data directory.
fn staging_dir(ctx: &Context, dry_run: bool) -> anyhow::Result<tempfile::TempDir> {
    if dry_run {
        return tempfile::Builder::new()
            .prefix("recall-import-")
            .tempdir()
            .context("cannot create a temporary directory");
    }
    let data_dir = ctx.paths.data_dir();
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    tempfile::Builder::new()
        .prefix(".import-")
        .tempdir_in(data_dir)
        .with_context(|| {
            format!(
                "cannot create a staging directory in {}",
                data_dir.display()
            )
        })
}

/// Unpacks every media file the decks refer to into `staging`, and says for
/// each whether it is new, changed or already there.
fn stage_media(
    package: &mut Package,
    plans: &[Plan],
    imported: &AnkiImport,
    media_dir: &Path,
    staging: &Path,
) -> anyhow::Result<Vec<StagedMedia>> {
    let mut staged = Vec::new();
    for (plan, report) in plans.iter().zip(&imported.reports) {
        let deck = &plan.file.deck;
        if report.media.is_empty() {
            continue;
        }
        let dir = staging.join(deck.id.as_str());
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        for name in &report.media {
            let path = dir.join(name);
            if package.extract_media(name, &path)?.is_none() {
                continue;
            }
            let target = apkg::media_path(media_dir, &deck.id, name);
            let change = match std::fs::read(&target) {
                Ok(old) => {
                    let new = std::fs::read(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    if old == new {
                        MediaChange::Unchanged
                    } else {
                        MediaChange::Updated
                    }
                }
                Err(_) => MediaChange::New,
            };
            staged.push(StagedMedia {
                staged: path,
                target,
                change,
            });
        }
    }
    Ok(staged)
}

/// Renames a staged (and synced) file over its target, then syncs the
/// directory, so the file is the old one or the new one, never half.
fn move_into_place(staged: &Path, target: &Path) -> anyhow::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::rename(staged, target)
        .with_context(|| format!("cannot move a media file to {}", target.display()))?;
    if let Ok(handle) = std::fs::File::open(dir) {
        // Not every platform can sync a directory; the rename stands anyway.
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Everything the report needs.
struct Summary<'a> {
    origin: &'a str,
    package: &'a Package,
    schema: i64,
    imported: &'a AnkiImport,
    plans: &'a [Plan],
    new_reviews: usize,
    already: usize,
    new_suspensions: usize,
    staged: &'a [StagedMedia],
    media_dir: &'a Path,
    dry_run: bool,
}

impl Summary<'_> {
    fn write(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let imported = self.imported;
        writeln!(
            out,
            "{}: Anki package ({}, schema {}); {}, {}, {}, {}",
            self.origin,
            self.package.version.describe(),
            self.schema,
            plural(imported.notes, "note"),
            plural(imported.cards, "card"),
            match imported.revlog {
                1 => "1 revlog entry".to_owned(),
                n => format!("{n} revlog entries"),
            },
            plural(self.package.media().len(), "media file"),
        )?;
        let verb = if self.dry_run {
            "Would import"
        } else {
            "Imported"
        };
        writeln!(out, "{verb} {}:", plural(self.plans.len(), "deck"))?;
        let mut table = Table::new([
            "DECK",
            "NAME",
            "NOTES",
            "ADDED",
            "UPDATED",
            "UNCHANGED",
            "REMOVED",
            "MEDIA",
            "FILE",
        ]);
        for column in 2..=7 {
            table.right_align(column);
        }
        for (plan, report) in self.plans.iter().zip(&imported.reports) {
            let changes = &plan.changes;
            let what = match plan.target {
                crate::import::Target::Create(_) => " (new)",
                crate::import::Target::Update(_) => "",
                crate::import::Target::Replace(_) => " (replaced)",
            };
            let deck = &plan.file.deck;
            table.row([
                deck.id.to_string(),
                strip_controls(&deck.name),
                report.notes.to_string(),
                changes.added.len().to_string(),
                changes.updated.len().to_string(),
                changes.unchanged.to_string(),
                changes.removed.len().to_string(),
                report.media.len().to_string(),
                format!("{}{what}", plan.target.path().display()),
            ]);
        }
        write!(out, "{table}")?;
        super::report_removed(out, self.plans)?;
        self.write_reviews(out)?;
        self.write_media(out)?;
        self.write_note_types(out)?;
        self.write_notes(out)?;
        if self.dry_run {
            writeln!(out, "Dry run: nothing was written.")?;
        }
        Ok(())
    }

    fn write_reviews(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let verb = if self.dry_run {
            "would be imported"
        } else {
            "imported"
        };
        let mut skipped: Vec<String> = self
            .imported
            .skipped_reviews
            .iter()
            .map(|(reason, n)| format!("{n} {}", reason.describe()))
            .collect();
        if self.already > 0 {
            skipped.push(format!("{} already in the review log", self.already));
        }
        let total: usize = self.imported.skipped_reviews.values().sum::<usize>() + self.already;
        write!(out, "Reviews: {} {verb}", self.new_reviews)?;
        if skipped.is_empty() {
            writeln!(out)?;
        } else {
            writeln!(out, "; {total} skipped: {}", skipped.join(", "))?;
        }
        Ok(())
    }

    fn write_media(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        if self.staged.is_empty() && self.imported.missing_media.is_empty() {
            return Ok(());
        }
        let count = |change| self.staged.iter().filter(|m| m.change == change).count();
        writeln!(
            out,
            "Media: {} in {} ({} new, {} updated, {} unchanged)",
            plural(self.staged.len(), "file"),
            self.media_dir.join("<deck id>").display(),
            count(MediaChange::New),
            count(MediaChange::Updated),
            count(MediaChange::Unchanged),
        )?;
        if !self.imported.missing_media.is_empty() {
            let names: Vec<String> = self
                .imported
                .missing_media
                .iter()
                .take(10)
                .map(|name| strip_controls(name))
                .collect();
            writeln!(
                out,
                "note: {} that cards refer to {} not in the package: {}",
                plural(self.imported.missing_media.len(), "media file"),
                if self.imported.missing_media.len() == 1 {
                    "is"
                } else {
                    "are"
                },
                names.join(", ")
            )?;
        }
        Ok(())
    }

    fn write_note_types(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let names = |stock: bool| -> Vec<String> {
            self.imported
                .note_types
                .iter()
                .filter(|(_, is_stock)| *is_stock == stock)
                .map(|(name, _)| strip_controls(name))
                .collect()
        };
        let (standard, custom) = (names(true), names(false));
        if !self.imported.mapped_types.is_empty() {
            let mapped: Vec<String> = self
                .imported
                .mapped_types
                .iter()
                .map(|name| strip_controls(name))
                .collect();
            writeln!(
                out,
                "Note types imported as recall's card types: {}",
                mapped.join(", ")
            )?;
        }
        if !standard.is_empty() {
            writeln!(
                out,
                "note: {} of Anki's standard note types ({}) rendered from their templates as basic cards: their cards are in several decks, or are not the cards recall's note type makes from the same fields",
                plural(self.imported.rendered_standard_notes, "note"),
                standard.join(", ")
            )?;
        }
        if !custom.is_empty() {
            writeln!(
                out,
                "Note types rendered from their templates as basic cards: {}",
                custom.join(", ")
            )?;
        }
        for (note_type, filter) in &self.imported.unknown_filters {
            writeln!(
                out,
                "note: note type \"{}\" uses `{}`, which recall does not know; the field is shown as it is",
                strip_controls(note_type),
                strip_controls(filter)
            )?;
        }
        Ok(())
    }

    fn write_notes(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let suspended: Vec<String> = self
            .plans
            .iter()
            .zip(&self.imported.reports)
            .filter(|(_, report)| report.suspended > 0)
            .map(|(plan, report)| format!("{} in {}", report.suspended, plan.file.deck.id))
            .collect();
        if !suspended.is_empty() {
            let total = self.imported.suspended.len();
            let verb = if self.dry_run {
                "would be suspended"
            } else {
                "suspended"
            };
            writeln!(
                out,
                "Suspended: {} suspended in Anki ({}): {} {verb} here, {} already (by an earlier import, or by hand)",
                plural(total, "card"),
                suspended.join(", "),
                self.new_suspensions,
                total - self.new_suspensions,
            )?;
        }
        let skipped = &self.imported.skipped_cards;
        if !skipped.is_empty() {
            writeln!(out, "Skipped {}:", plural(skipped.len(), "card"))?;
            let mut helps: Vec<String> = Vec::new();
            for card in skipped {
                writeln!(
                    out,
                    "{}: deck \"{}\", note {}, card {} (note type \"{}\"): {}",
                    self.origin,
                    strip_controls(&card.deck),
                    strip_controls(&card.guid),
                    card.ord + 1,
                    strip_controls(&card.notetype),
                    card.reason
                )?;
                let help = match card.reason {
                    crate::import::SkipReason::EmptyQuestion => {
                        "the card's template renders nothing for this note; Anki shows it as an empty card (Tools > Empty Cards)".to_owned()
                    }
                    crate::import::SkipReason::NoAnswer => {
                        "fill in the field the answer shows, in Anki, and export again".to_owned()
                    }
                    ref other => other.help(),
                };
                if !helps.contains(&help) {
                    writeln!(out, "  help: {help}")?;
                    helps.push(help);
                }
            }
        }
        Ok(())
    }
}
