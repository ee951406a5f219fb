//! `recall check FILE...`: validate deck files.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::deck::catalog::load_file;
use crate::format::plural;

/// Prints `FILE: ok, N cards` for each good file and every problem of each bad
/// one; fails if any file has a problem.
pub fn run(
    files: &[PathBuf],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    for file in files {
        match load_file(file) {
            Ok(deck) => writeln!(
                out,
                "{}: ok, {}",
                file.display(),
                plural(deck.cards().len(), "card")
            )?,
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
