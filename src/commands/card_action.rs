//! `recall suspend|unsuspend|bury|forget DECK/CARD...`: one event per card
//! appended to `card_events.csv` (synced), the way the study screen and the
//! browser record them.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::deck::CardKey;
use crate::format::plural;
use crate::store::{CardEvent, DataLock, EventKind, EventWriter, LogKind};

pub fn run(
    ctx: &Context,
    kind: EventKind,
    keys: &[CardKey],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let catalog = ctx.catalog(err)?;
    let config = ctx.config()?.config;
    let progress = ctx.progress(&config, err)?;
    let day = ctx.study_day(config.day_starts_at);
    for key in keys {
        let deck = &catalog.find(key.deck.as_str())?.deck;
        if deck.card(&key.card).is_none() {
            anyhow::bail!(
                "deck `{}` has no card `{}`; `recall cards deck:{}` lists its cards (nothing was changed)",
                key.deck,
                key.card,
                key.deck
            );
        }
    }
    let lock = DataLock::acquire(ctx.paths.data_dir())?;
    let path = ctx.paths.own_log(LogKind::CardEvents)?;
    let mut writer = EventWriter::open(&path, &lock)?;
    let mut changed = 0;
    for key in keys {
        let status = progress.status(key);
        let already = match kind {
            EventKind::Suspend => status.suspended,
            EventKind::Unsuspend => !status.suspended,
            EventKind::Bury => status.is_buried(&day),
            EventKind::Unbury => !status.is_buried(&day),
            EventKind::Mark => status.marked,
            EventKind::Unmark => !status.marked,
            EventKind::Forget => progress.card(key).state() == crate::schedule::State::New,
        };
        if already {
            writeln!(out, "{key}: {}", unchanged(kind))?;
            continue;
        }
        writer
            .append(&CardEvent::new(ctx.now, key.clone(), kind))
            .with_context(|| format!("recording `{kind}` for {key}"))?;
        changed += 1;
    }
    writeln!(out, "{}", done(kind, changed))?;
    Ok(ExitCode::SUCCESS)
}

fn unchanged(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Suspend => "already suspended",
        EventKind::Unsuspend => "not suspended",
        EventKind::Bury => "already buried",
        EventKind::Unbury => "not buried",
        EventKind::Forget => "already new",
        EventKind::Mark => "already marked",
        EventKind::Unmark => "not marked",
    }
}

fn done(kind: EventKind, count: usize) -> String {
    let cards = plural(count, "card");
    match kind {
        EventKind::Suspend => format!("Suspended {cards}."),
        EventKind::Unsuspend => format!("Unsuspended {cards}."),
        EventKind::Bury => format!("Buried {cards} until the next study day."),
        EventKind::Unbury => format!("Unburied {cards}."),
        EventKind::Forget => format!("Forgot {cards}: back to new, their reviews are kept."),
        EventKind::Mark => format!("Marked {cards}."),
        EventKind::Unmark => format!("Unmarked {cards}."),
    }
}
