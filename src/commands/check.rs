//! `recall check FILE...`: validate deck files.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::deck::catalog::load_file;
use crate::deck::toml_format::text_warnings;
use crate::format::plural;

/// Prints `FILE: ok, N cards` for each good file and every problem of each bad
/// one; fails if any file has a problem. Card text that parses but probably
/// not as meant (an unclosed code fence, a ragged table) is a warning, as
/// `FILE:LINE:COLUMN: warning: ...`, and never fails the check.
pub fn run(
    files: &[PathBuf],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    for file in files {
        match load_file(file) {
            Ok(deck) => {
                writeln!(
                    out,
                    "{}: ok, {}",
                    file.display(),
                    plural(deck.cards.len(), "card")
                )?;
                let text = std::fs::read_to_string(file).unwrap_or_default();
                for warning in text_warnings(&text) {
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
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
