//! `recall quiz`: resolving its options for the quiz screen, and
//! `recall quiz --history [DECK]`, which prints past scores.

use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, Local, Utc};

use super::Context;
use crate::app::QuizRequest;
use crate::cli::QuizArgs;
use crate::deck::Catalog;
use crate::quiz::Spec;
use crate::store::quiz_log::{QuizHistory, RecordScope};
use crate::store::{Layout, LogKind};
use crate::table::Table;
use crate::ui::study::duration;

/// The quiz the command line asks for: the deck looked up by id.
pub fn request(args: &QuizArgs, catalog: &Catalog) -> anyhow::Result<QuizRequest> {
    let deck = match &args.deck {
        Some(id) => {
            let found = catalog.find(id)?;
            catalog
                .decks
                .iter()
                .position(|loaded| loaded.deck.id == found.deck.id)
        }
        None => None,
    };
    Ok(QuizRequest {
        deck,
        spec: Spec {
            mode: args.mode,
            length: args.length,
            tag: args.tag.clone(),
        },
        seed: args.seed,
        record: args.record,
    })
}

/// Prints every finished quiz round (of `deck`, if given), oldest first,
/// then the total.
pub fn history(
    ctx: &Context,
    deck: Option<&str>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut history = QuizHistory::default();
    for path in Layout::new(&ctx.paths.data_dir).logs(LogKind::Quizzes)? {
        let file = QuizHistory::load(&path).map_err(|e| {
            anyhow::Error::new(e).context(format!("cannot read {}", path.display()))
        })?;
        for warning in &file.warnings {
            writeln!(err, "recall: warning: {}: {warning}", path.display())?;
        }
        history.records.extend(file.records);
    }
    // Every device's scores, oldest first; a line copied twice counts once.
    history.records.sort_by_key(|r| r.to_line());
    history.records.dedup();
    let records: Vec<_> = history
        .records
        .iter()
        .filter(|record| match (deck, &record.scope) {
            (None, _) => true,
            (Some(id), RecordScope::Deck(deck)) => deck.as_str() == id,
            (Some(_), RecordScope::Pooled) => false,
        })
        .collect();
    if records.is_empty() {
        match deck {
            Some(id) => {
                // A typo should not pass for "no quizzes yet".
                ctx.catalog(err)?.find(id)?;
                writeln!(
                    out,
                    "No quizzes of {id} yet. Start one with `recall quiz {id}`."
                )?;
            }
            None => writeln!(out, "No quizzes yet. Start one with `recall quiz`.")?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(["FINISHED", "DECK", "MODE", "RIGHT", "%", "TIME"]);
    table.right_align(3);
    table.right_align(4);
    for record in &records {
        let scope = match &record.scope {
            RecordScope::Deck(id) => id.to_string(),
            RecordScope::Pooled => "(all decks)".to_owned(),
        };
        table.row([
            local_time(record.finished_at),
            scope,
            record.mode.to_string(),
            format!("{}/{}", record.correct, record.asked),
            format!("{}%", record.percent()),
            duration(chrono::TimeDelta::milliseconds(
                i64::try_from(record.duration_ms).unwrap_or(i64::MAX),
            )),
        ]);
    }
    write!(out, "{table}")?;
    let asked: usize = records.iter().map(|r| r.asked).sum();
    let correct: usize = records.iter().map(|r| r.correct).sum();
    let percent = (correct * 100 + asked / 2).checked_div(asked).unwrap_or(0);
    writeln!(
        out,
        "\n{}: {correct} of {asked} answers right ({percent}%).",
        crate::format::plural(records.len(), "quiz round")
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `2026-11-25 10:40`, in the local time zone.
fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}
