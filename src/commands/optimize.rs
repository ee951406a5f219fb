//! `recall optimize`: fit the FSRS parameters of one set of settings (the
//! top level's or a preset's) to the reviews of the decks that use it,
//! print how the defaults, the current and the fitted parameters predict
//! those reviews, and write the fit to config.toml when it is better.
//! `--retention` prints the desired-retention advice instead.
//!
//! The fit runs on a worker thread; this one draws the progress bar (on
//! stderr, only if it is a terminal) and turns Ctrl-C into a request to
//! stop, after which nothing is written.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use serde::Serialize;

use super::Context;
use crate::optimize::retention::{self, Assumptions};
use crate::optimize::{self, Control, Metrics, OptimizeError, Report};
use crate::schedule::Parameters;
use crate::store::config::{self, Config, edit};
use crate::store::write_atomically;
use crate::table::Table;

#[derive(Debug)]
pub struct Request {
    pub deck: Option<String>,
    pub preset: Option<String>,
    pub dry_run: bool,
    pub json: bool,
    pub retention: bool,
}

/// Whose parameters are fitted: the top level's or a preset's.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    TopLevel,
    Preset(String),
}

impl Target {
    fn name(&self) -> Option<&str> {
        match self {
            Target::TopLevel => None,
            Target::Preset(name) => Some(name),
        }
    }

    /// Whether the deck with id `deck` uses these settings.
    fn covers(&self, config: &Config, deck: &str) -> bool {
        config.preset_of(deck).map(|source| source.preset) == self.name()
    }

    fn describe(&self) -> String {
        match self {
            Target::TopLevel => "the top-level settings (decks without a preset)".to_owned(),
            Target::Preset(name) => format!("preset `{name}`"),
        }
    }
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    target: Option<&'a str>,
    reviews: usize,
    cards: usize,
    items: usize,
    default: Metrics,
    current: Metrics,
    fitted: Metrics,
    /// The parameters in effect from now on (the fit if it was better).
    parameters: Vec<f64>,
    fitted_parameters: Vec<f64>,
    better: bool,
    written: bool,
}

#[derive(Debug, Serialize)]
struct JsonTooLittle<'a> {
    target: Option<&'a str>,
    reviews: usize,
    cards: usize,
    items: usize,
    minimum_reviews: usize,
    minimum_items: usize,
    written: bool,
    error: String,
}

pub fn run(
    ctx: &Context,
    request: &Request,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let loaded = ctx.config()?;
    let config = &loaded.config;
    let catalog = ctx.catalog(err)?;
    let target = match (&request.preset, &request.deck) {
        (Some(name), _) => {
            if !config.presets.contains_key(name) {
                let known: Vec<&str> = config.presets.keys().map(String::as_str).collect();
                anyhow::bail!(
                    "there is no preset `{name}` in {}; {}",
                    loaded.path.display(),
                    if known.is_empty() {
                        "define one with [presets.NAME]".to_owned()
                    } else {
                        format!("the presets are: {}", known.join(", "))
                    }
                );
            }
            Target::Preset(name.clone())
        }
        (None, Some(typed)) => {
            let deck = &catalog.find(typed)?.deck;
            match config.preset_of(deck.id.as_str()) {
                Some(source) => Target::Preset(source.preset.to_owned()),
                None => Target::TopLevel,
            }
        }
        (None, None) => Target::TopLevel,
    };
    let effective = match &target {
        Target::TopLevel => config.clone(),
        Target::Preset(name) => config
            .presets
            .get(name)
            .map_or_else(|| config.clone(), |preset| preset.apply(config)),
    };
    let current = *effective.scheduler.parameters();

    if request.retention {
        let cards = catalog
            .decks
            .iter()
            .filter(|d| target.covers(config, d.deck.id.as_str()))
            .map(|d| d.deck.cards().len())
            .sum::<usize>();
        let assumptions = Assumptions {
            cards: cards.max(100),
            new_per_day: effective.new_cards_per_day as usize,
            maximum_interval_days: effective.scheduler.maximum_interval_days(),
        };
        let rows = retention::advice(&current, assumptions)?;
        return print_retention(&target, &rows, assumptions, &effective, request.json, out);
    }

    let log = ctx.review_log(err)?;
    let events = ctx.card_events(err)?.events;
    let set = optimize::training_set(
        &log,
        &events,
        &config.deck_settings(),
        &|key| target.covers(config, key.deck.as_str()),
        config.day_starts_at,
        &chrono::Local,
    );
    let control = Control::default();
    let report = match fit_with_progress(&set, &current, &control, err)? {
        Ok(report) => report,
        Err(OptimizeError::TooLittleData {
            reviews,
            items,
            cards,
        }) => {
            let error = OptimizeError::TooLittleData {
                reviews,
                items,
                cards,
            }
            .to_string();
            if request.json {
                let report = JsonTooLittle {
                    target: target.name(),
                    reviews,
                    cards,
                    items,
                    minimum_reviews: optimize::MIN_REVIEWS,
                    minimum_items: optimize::MIN_ITEMS,
                    written: false,
                    error: error.clone(),
                };
                writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
            }
            writeln!(err, "recall: {} for {}", error, target.describe())?;
            writeln!(
                err,
                "recall: nothing was written; keep studying and try again later"
            )?;
            return Ok(ExitCode::FAILURE);
        }
        Err(OptimizeError::Interrupted) => {
            writeln!(err, "recall: interrupted; nothing was written")?;
            return Ok(ExitCode::from(130));
        }
        Err(error) => return Err(error.into()),
    };

    let written = report.better && !request.dry_run;
    if written {
        write_parameters(
            &loaded.path,
            loaded.file_exists,
            target.name(),
            &report.fitted_parameters,
        )?;
    }
    let chosen = *report.chosen(&current);
    if request.json {
        let json = JsonReport {
            target: target.name(),
            reviews: report.reviews,
            cards: report.cards,
            items: report.items,
            default: report.default,
            current: report.current,
            fitted: report.fitted,
            parameters: chosen.as_slice().to_vec(),
            fitted_parameters: report.fitted_parameters.as_slice().to_vec(),
            better: report.better,
            written,
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let decks: Vec<&str> = set.decks.iter().map(String::as_str).collect();
    print_report(
        &target,
        &decks,
        &report,
        written,
        request.dry_run,
        &loaded.path,
        out,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Runs the fit on a worker thread while this one draws the progress bar
/// and watches for Ctrl-C.
fn fit_with_progress(
    set: &optimize::TrainingSet,
    current: &Parameters,
    control: &Control,
    err: &mut dyn Write,
) -> anyhow::Result<Result<Report, OptimizeError>> {
    let interrupted = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    let hook = signal_hook::flag::register(signal_hook::consts::SIGINT, interrupted.clone())
        .context("cannot watch for Ctrl-C")?;
    let show = std::io::stderr().is_terminal() && set.items.len() >= optimize::MIN_ITEMS;
    let bar = show.then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some((Control::STEPS * 100) as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {msg:24} [{bar:30}] {percent:>3}% {elapsed}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    });
    let result = std::thread::scope(|scope| {
        let worker = scope.spawn(|| optimize::optimize(set, current, control));
        while !worker.is_finished() {
            std::thread::sleep(Duration::from_millis(100));
            if interrupted.load(Ordering::Relaxed) {
                control.cancel.store(true, Ordering::Relaxed);
                if let Ok(mut progress) = control.progress.lock() {
                    progress.want_abort = true;
                }
            }
            if let Some(bar) = &bar {
                let step = control.step.load(Ordering::Relaxed);
                let within = match (step, control.progress.lock()) {
                    (0, Ok(progress)) if progress.total() > 0 => {
                        progress.current() * 100 / progress.total()
                    }
                    _ => 0,
                };
                bar.set_position((step * 100 + within.min(100)) as u64);
                bar.set_message(match step {
                    0 => "fitting".to_owned(),
                    s if s <= Control::SPLITS => {
                        format!("evaluating: split {s} of {}", Control::SPLITS)
                    }
                    _ => "comparing".to_owned(),
                });
                bar.tick();
            }
        }
        worker.join()
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    #[cfg(unix)]
    signal_hook::low_level::unregister(hook);
    let _ = err.flush();
    let result = result.map_err(|_| anyhow::anyhow!("the optimizer stopped unexpectedly"))?;
    if interrupted.load(Ordering::Relaxed) {
        return Ok(Err(OptimizeError::Interrupted));
    }
    Ok(result)
}

/// Writes `parameters` into the config (top level or `[presets.NAME]`),
/// keeping everything else, through a temp file and a rename.
fn write_parameters(
    path: &std::path::Path,
    exists: bool,
    preset: Option<&str>,
    parameters: &Parameters,
) -> anyhow::Result<()> {
    // Read again now: the file may have been edited while the fit ran.
    let text = if exists || path.exists() {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
    } else {
        String::new()
    };
    let updated = edit::with_parameters(&text, preset, parameters)
        .with_context(|| format!("cannot set fsrs_parameters in {}", path.display()))?;
    // Never write a file that would not load.
    let check = config::parse(&updated).map_err(|_| {
        anyhow::anyhow!(
            "cannot set fsrs_parameters in {}: the result would not be a valid config; nothing was written",
            path.display()
        )
    })?;
    let applied = match preset {
        None => *check.scheduler.parameters(),
        Some(name) => check
            .presets
            .get(name)
            .and_then(|p| p.fsrs_parameters)
            .unwrap_or_default(),
    };
    anyhow::ensure!(
        applied == *parameters,
        "cannot set fsrs_parameters in {}: the written values would read back differently; nothing was written",
        path.display()
    );
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    write_atomically(path, updated.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn figure(value: f64) -> String {
    format!("{value:.4}")
}

fn print_report(
    target: &Target,
    decks: &[&str],
    report: &Report,
    written: bool,
    dry_run: bool,
    path: &std::path::Path,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "Fitted {} on the reviews of {}.",
        target.describe(),
        decks.join(", ")
    )?;
    writeln!(
        out,
        "{} reviews of {} cards, {} training items.\n",
        report.reviews, report.cards, report.items
    )?;
    let mut table = Table::new(["", "log loss", "RMSE(bins)", "AUC"]);
    for column in 1..4 {
        table.right_align(column);
    }
    for (name, m) in [
        ("default", &report.default),
        ("current", &report.current),
        ("fitted", &report.fitted),
    ] {
        table.row([
            name.to_owned(),
            figure(m.log_loss),
            format!("{:.2}%", m.rmse_bins * 100.0),
            m.auc.map_or_else(|| "-".to_owned(), figure),
        ]);
    }
    write!(out, "{table}")?;
    writeln!(
        out,
        "\nLower log loss and RMSE(bins) are better; higher AUC is better."
    )?;
    let values: Vec<String> = report
        .fitted_parameters
        .as_slice()
        .iter()
        .map(|w| w.to_string())
        .collect();
    writeln!(out, "\nFitted parameters: {}", values.join(", "))?;
    if !report.better {
        writeln!(
            out,
            "The fit is not better than the current parameters (RMSE(bins) over all items): keeping the current ones. Nothing was written."
        )?;
    } else if written {
        let place = match target.name() {
            None => "fsrs_parameters".to_owned(),
            Some(name) => format!("[presets.{name}] fsrs_parameters"),
        };
        writeln!(
            out,
            "Written to {} ({place}); the next session uses them.",
            path.display()
        )?;
    } else if dry_run {
        writeln!(out, "--dry-run: nothing was written.")?;
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct JsonRetention<'a> {
    target: Option<&'a str>,
    desired_retention: f64,
    cards: usize,
    new_per_day: usize,
    days: usize,
    rows: &'a [retention::Row],
}

fn print_retention(
    target: &Target,
    rows: &[retention::Row],
    assumptions: Assumptions,
    effective: &Config,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let desired = effective.scheduler.desired_retention();
    if json {
        let report = JsonRetention {
            target: target.name(),
            desired_retention: desired,
            cards: assumptions.cards,
            new_per_day: assumptions.new_per_day,
            days: retention::DAYS,
            rows,
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "A year of study simulated for {} with its parameters: {} cards, {} new a day.\n",
        target.describe(),
        assumptions.cards,
        assumptions.new_per_day
    )?;
    let mut table = Table::new([
        "retention",
        "reviews/day",
        "minutes/day",
        "remembered",
        "s per card remembered",
        "",
    ]);
    for column in 0..5 {
        table.right_align(column);
    }
    for row in rows {
        let mut mark = Vec::new();
        if row.least_work {
            mark.push("least work");
        }
        if (row.retention - desired).abs() < 1e-9 {
            mark.push("yours");
        }
        table.row([
            format!("{:.2}", row.retention),
            format!("{:.1}", row.reviews_per_day),
            format!("{:.1}", row.minutes_per_day),
            format!("{:.0}", row.remembered),
            format!("{:.1}", row.seconds_per_card_remembered),
            mark.join(", "),
        ]);
    }
    write!(out, "{table}")?;
    writeln!(
        out,
        "\n\"least work\" is the retention with the least study time per card remembered.\nYour desired_retention is {desired}; nothing was changed (set it in config.toml)."
    )?;
    Ok(ExitCode::SUCCESS)
}
