//! `recall export DECK`: write a deck as TOML, Anki text or Markdown, to
//! standard output or (atomically) to a file.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use super::Context;
use crate::cli::ExportFormat;
use crate::deck::{Deck, toml_format};
use crate::format::plural;
use crate::import::anki_text::{self, Separator};
use crate::import::markdown;
use crate::store::write_atomically;

pub fn run(
    ctx: &Context,
    deck_id: &str,
    format: Option<ExportFormat>,
    output: Option<&Path>,
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
