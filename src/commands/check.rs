//! `recall check FILE...`: validate deck files, in any format `import`
//! reads (by extension or `--format`), writing nothing.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::ImportFormat;
use crate::deck::catalog::check_file;
use crate::format::plural;
use crate::import::{self, Format, ReadOptions, SkippedReport};

/// Prints `FILE: ok, N cards` for each good file and every problem of each bad
/// one; fails if any file has a problem (a skipped row counts as one). Card
/// text of a deck file that parses but probably not as meant (an unclosed
/// code fence, a ragged table) is a warning, as
/// `FILE:LINE:COLUMN: warning: ...`, and never fails the check.
pub fn run(
    files: &[PathBuf],
    format: ImportFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    for file in files {
        let package = match format {
            ImportFormat::Apkg => true,
            ImportFormat::Auto => {
                file.extension()
                    .and_then(|ext| ext.to_str())
                    .is_some_and(|ext| {
                        ext.eq_ignore_ascii_case("apkg") || ext.eq_ignore_ascii_case("colpkg")
                    })
            }
            _ => false,
        };
        if package {
            failed |= !check_package(file, out, err)?;
            continue;
        }
        let format = match format {
            ImportFormat::Apkg => continue,
            ImportFormat::Auto => Format::from_path(file).unwrap_or(Format::Toml),
            ImportFormat::Toml => Format::Toml,
            ImportFormat::Csv => Format::Csv,
            ImportFormat::Tsv => Format::Tsv,
            ImportFormat::Md => Format::Markdown,
        };
        if format == Format::Toml {
            match check_file(file) {
                Ok((deck, warnings)) => {
                    writeln!(
                        out,
                        "{}: ok, {}",
                        file.display(),
                        plural(deck.cards().len(), "card")
                    )?;
                    for warning in warnings {
                        writeln!(
                            err,
                            "{}:{}: warning: {}, {}: {}",
                            file.display(),
                            warning.position,
                            warning.place,
                            warning.field,
                            warning.message
                        )?;
                    }
                }
                Err(error) => {
                    failed = true;
                    writeln!(err, "{error}")?;
                }
            }
            continue;
        }
        failed |= !check_other(file, format, out, err)?;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads an Anki package as `import` would (with the default size caps);
/// true if it could be read and every card became one.
fn check_package(
    file: &std::path::Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<bool> {
    use crate::import::apkg;
    let origin = file.display().to_string();
    let read = apkg::Package::open(file, apkg::Limits::default()).and_then(|package| {
        let collection = apkg::collection::read(package.collection_path(), &origin)?;
        let has_media = |name: &str| package.has_media(name);
        Ok(apkg::convert(&collection, &has_media, &mut |_, _| {}))
    });
    match read {
        Ok(Ok(imported)) => {
            let cards: usize = imported.decks.iter().map(|deck| deck.cards().len()).sum();
            writeln!(
                out,
                "{origin}: {}, {} in {}, {}",
                if imported.skipped_cards.is_empty() {
                    "ok"
                } else {
                    "read"
                },
                plural(cards, "card"),
                plural(imported.decks.len(), "deck"),
                plural(imported.reviews.len(), "review")
            )?;
            for card in &imported.skipped_cards {
                writeln!(
                    err,
                    "{origin}: deck \"{}\", note {}, card {}: {}",
                    apkg::strip_controls(&card.deck),
                    apkg::strip_controls(&card.guid),
                    card.ord + 1,
                    card.reason
                )?;
            }
            Ok(imported.skipped_cards.is_empty())
        }
        Ok(Err(clash)) => {
            writeln!(err, "{origin}: {clash}")?;
            Ok(false)
        }
        Err(error) => {
            writeln!(err, "{error}")?;
            Ok(false)
        }
    }
}

/// Reads a CSV/TSV/Markdown file as `import` would; true if every entry
/// became a card.
fn check_other(
    file: &std::path::Path,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<bool> {
    let origin = file.display().to_string();
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => {
            writeln!(err, "{origin}: cannot read it: {error}")?;
            return Ok(false);
        }
    };
    let stem = file
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = ReadOptions {
        format,
        deck_id: None,
        name: None,
    };
    let imported = match import::read(&bytes, &origin, &stem, &options) {
        Ok(imported) => imported,
        Err(error) => {
            writeln!(err, "{error}")?;
            return Ok(false);
        }
    };
    let cards: usize = imported.decks.iter().map(|deck| deck.cards().len()).sum();
    let skipped = SkippedReport {
        origin: &origin,
        skipped: &imported.skipped,
    };
    write!(err, "{skipped}")?;
    for remark in &imported.remarks {
        writeln!(
            err,
            "{origin}:{}: note: {}\n  help: {}",
            remark.position,
            remark.kind,
            remark.kind.help()
        )?;
    }
    let good = imported.skipped.is_empty() && cards > 0;
    if good {
        let decks = match imported.decks.len() {
            1 => String::new(),
            n => format!(" in {n} decks"),
        };
        writeln!(out, "{origin}: ok, {}{decks}", plural(cards, "card"))?;
    } else if cards == 0 && imported.skipped.is_empty() {
        writeln!(err, "{origin}: no cards found")?;
    }
    Ok(good)
}
