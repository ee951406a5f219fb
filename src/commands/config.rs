//! `recall config`: the settings in effect, as a valid config file, then
//! the settings each deck uses (its preset's, its parent's, or the top
//! level's) as comments.

use std::io::Write;
use std::process::ExitCode;

use super::Context;
use crate::store::Config;
use crate::store::config::format_step;
use crate::table::Table;

pub fn run(ctx: &Context, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let loaded = ctx.config()?;
    let origin = if loaded.file_exists {
        format!("# Settings from {}", loaded.path.display())
    } else {
        format!(
            "# {} does not exist: these are the defaults.\n# Save this output there to change them.",
            loaded.path.display()
        )
    };
    writeln!(out, "{origin}")?;
    writeln!(out, "# Data directory: {}", ctx.paths.data_dir.display())?;
    write!(out, "{}", loaded.config)?;
    let catalog = ctx.catalog(err)?;
    let ids: Vec<&str> = catalog.decks.iter().map(|d| d.deck.id.as_str()).collect();
    if !ids.is_empty() {
        writeln!(out, "\n# Effective settings per deck:")?;
        for line in effective_table(&loaded.config, &ids).to_string().lines() {
            writeln!(out, "# {}", line.trim_end())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One row per deck: where its preset comes from and what it sets.
pub fn effective_table(config: &Config, decks: &[&str]) -> Table {
    let mut table = Table::new([
        "deck",
        "preset",
        "retention",
        "learning",
        "relearning",
        "new/day",
        "reviews/day",
        "max ivl",
        "ahead",
        "parameters",
    ]);
    for deck in decks {
        let effective = config.for_deck(deck);
        let preset = match config.preset_of(deck) {
            None => "-".to_owned(),
            Some(source) if source.named_by == *deck => source.preset.to_owned(),
            Some(source) => format!("{} (from {})", source.preset, source.named_by),
        };
        let s = &effective.scheduler;
        let steps = |steps: &[chrono::TimeDelta]| {
            if steps.is_empty() {
                "none".to_owned()
            } else {
                steps
                    .iter()
                    .map(|s| format_step(*s))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        };
        let parameters = if *s.parameters() == crate::schedule::Parameters::default() {
            "default"
        } else {
            "own"
        };
        table.row([
            (*deck).to_owned(),
            preset,
            format!("{}", s.desired_retention()),
            steps(s.learning_steps()),
            steps(s.relearning_steps()),
            effective.new_cards_per_day.to_string(),
            effective.reviews_per_day.to_string(),
            format!("{}d", s.maximum_interval_days()),
            format!("{}m", effective.learn_ahead_minutes),
            parameters.to_owned(),
        ]);
    }
    table
}
