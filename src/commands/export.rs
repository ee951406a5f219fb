//! `recall export DECK`: write a deck as TOML, Anki text or Markdown, to
//! standard output or (atomically) to a file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use super::Context;
use crate::cli::ExportFormat;
use crate::deck::{Deck, toml_format};
use crate::format::plural;
use crate::import::anki_text::{self, Separator};
use crate::import::markdown;
use crate::store::{DataLock, layout, log, quiz_log, write_atomically};

pub fn run(
    ctx: &Context,
    deck_id: &str,
    format: Option<ExportFormat>,
    output: Option<&Path>,
    force: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let format = match (format, output) {
        (Some(format), _) => format,
        (None, None) => ExportFormat::Toml,
        (None, Some(path)) => match format_from_extension(path) {
            Some(format) => format,
            None => bail!(
                "{}: cannot tell the format from the file name\n  help: pass --format toml, csv, tsv or md",
                path.display()
            ),
        },
    };
    let catalog = ctx.catalog(err)?;
    let deck = &catalog.find(deck_id)?.deck;
    let text = render(deck, format);
    match output {
        None => out.write_all(text.as_bytes())?,
        Some(path) => {
            let _lock = guard_own_files(ctx, path, force)?;
            write_atomically(path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(
                out,
                "Wrote {} ({}) to {} as {}.",
                deck.id,
                plural(deck.cards().len(), "card"),
                path.display(),
                format_name(format)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses to write onto recall's own files: the logs and the lock always,
/// anything else in the data directory (its decks) unless `force`, which
/// takes the data-dir lock for the write.
fn guard_own_files(ctx: &Context, path: &Path, force: bool) -> anyhow::Result<Option<DataLock>> {
    let data_dir = ctx.paths.data_dir();
    let Some(inside) = within(data_dir, path) else {
        return Ok(None);
    };
    let protected = [log::FILE_NAME, quiz_log::FILE_NAME, DataLock::FILE_NAME];
    let name = inside
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if protected.contains(&name) || name.ends_with(".torn") || inside.starts_with(layout::LOG_DIR) {
        bail!(
            "{} is recall's own {name}; export never writes over it (nothing was written)\n  help: choose another file with -o",
            path.display()
        );
    }
    if !force {
        bail!(
            "{} is inside recall's data directory {}; nothing was written\n  help: choose a file elsewhere, or pass --force to replace it",
            path.display(),
            data_dir.display()
        );
    }
    Ok(Some(DataLock::acquire(data_dir)?))
}

/// `path` relative to `dir` if it is inside it (symlinks resolved), else
/// `None`.
fn within(dir: &Path, path: &Path) -> Option<PathBuf> {
    let dir = std::fs::canonicalize(dir).ok()?;
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let parent = std::fs::canonicalize(parent).ok()?;
    // A symlink is followed to where the write would land.
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| parent.join(name));
    full.strip_prefix(&dir).ok().map(Path::to_path_buf)
}

/// The deck in `format`. Only the deck travels: where it was imported from
/// belongs to this data directory, not to the exported file.
pub fn render(deck: &Deck, format: ExportFormat) -> String {
    match format {
        ExportFormat::Toml => toml_format::write(deck),
        ExportFormat::Csv => anki_text::write(deck, Separator::COMMA),
        ExportFormat::Tsv => anki_text::write(deck, Separator::TAB),
        ExportFormat::Md => markdown::write(deck),
    }
}

/// `.toml`, `.csv`, `.tsv` or `.txt` (tab-separated, as Anki names its
/// exports), `.md` or `.markdown`.
fn format_from_extension(path: &Path) -> Option<ExportFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "toml" => ExportFormat::Toml,
        "csv" => ExportFormat::Csv,
        "tsv" | "txt" => ExportFormat::Tsv,
        "md" | "markdown" => ExportFormat::Md,
        _ => return None,
    })
}

fn format_name(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Toml => "TOML",
        ExportFormat::Csv => "Anki text (comma-separated)",
        ExportFormat::Tsv => "Anki text (tab-separated)",
        ExportFormat::Md => "Markdown",
    }
}
