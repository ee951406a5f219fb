//! `recall sync [--init REMOTE]`: the data dir through git (see [`crate::sync`]).

use std::io::Write;
use std::process::ExitCode;

use super::Context;
use crate::format::plural;
use crate::store::DataLock;
use crate::sync::{Repo, Report};

/// Syncs (or sets up sync with `init`), holding the data-dir lock so no
/// session appends while git reads the files.
pub fn run(ctx: &Context, init: Option<&str>, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let device = ctx.paths.device()?;
    std::fs::create_dir_all(ctx.paths.data_dir())?;
    let _lock = DataLock::acquire(ctx.paths.data_dir())?;
    let repo = Repo::new(ctx.paths.data_dir(), device.clone());
    let report = match init {
        Some(remote) => repo.init(remote, ctx.now)?,
        None => repo.sync(ctx.now)?,
    };
    writeln!(out, "{}", describe(&report, device.as_str()))?;
    Ok(ExitCode::SUCCESS)
}

/// One line for the shell, e.g. `synced main as laptop-3fa09c: 12 reviews
/// and 1 deck came in; sent this machine's changes`.
pub fn describe(report: &Report, device: &str) -> String {
    let mut incoming = Vec::new();
    if report.reviews_in > 0 {
        incoming.push(plural(report.reviews_in, "review"));
    }
    if !report.decks_changed.is_empty() {
        incoming.push(format!(
            "{} ({})",
            plural(report.decks_changed.len(), "deck"),
            report.decks_changed.join(", ")
        ));
    }
    let came_in = if incoming.is_empty() {
        "nothing new came in".to_owned()
    } else {
        format!("{} came in", incoming.join(" and "))
    };
    let sent = if report.pushed {
        "sent this machine's changes"
    } else {
        "nothing to send"
    };
    format!("synced {} as {device}: {came_in}; {sent}", report.branch)
}
