//! `recall stats [DECK] [--days N] [--json]`: every figure of the stats
//! screen, as plain tables or as JSON.

use std::io::Write;
use std::process::ExitCode;

use super::Context;
use crate::deck::Deck;
use crate::format::plural;
use crate::stats::{self, Bin, Scope, Stats};
use crate::table::Table;

pub fn run(
    ctx: &Context,
    deck: Option<&str>,
    days: usize,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    // The decks and the log are read side by side, on the two cores: each
    // is a large part of the time on a big collection.
    let (catalog, logs) = std::thread::scope(|scope| {
        let logs = scope.spawn(|| {
            let mut warnings = Vec::new();
            let log = ctx.review_log(&mut warnings);
            let events = ctx.card_events(&mut warnings);
            (log, events, warnings)
        });
        let catalog = ctx.catalog(err);
        (catalog, logs.join())
    });
    let catalog = catalog?;
    let Ok((log, events, warnings)) = logs else {
        anyhow::bail!("reading the review log failed unexpectedly");
    };
    err.write_all(&warnings)?;
    let scope = match deck {
        Some(id) => Scope::Deck(catalog.find(id)?.deck.id.clone()),
        None => Scope::All,
    };
    let config = ctx.config()?.config;
    // The history needs the whole log replayed with the card events (each
    // review with its card's state before it); the cards' states now are
    // that same replay's end, the progress `recall due` has (the cache
    // holds the same replay): one read and one replay, not two.
    let (log, events) = (log?, events?.events);
    let when = stats::When {
        config: &config,
        now: ctx.now,
        zone: &chrono::Local,
    };
    let (mut histories, progress) =
        stats::histories_and_progress(&log, &events, &when, std::slice::from_ref(&scope));
    let history = histories
        .pop()
        .unwrap_or_else(|| stats::History::empty(when.date()));
    let decks: Vec<&Deck> = catalog.decks.iter().map(|d| &d.deck).collect();
    let current = stats::current(&progress, &decks, &scope, &when, days);
    let stats = stats::assemble(&scope, history, current);
    if json {
        serde_json::to_writer_pretty(&mut *out, &stats)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", text(&stats))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A percentage with one decimal, or `-` for none.
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

/// The whole report as plain text.
pub fn text(stats: &Stats) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let scope = stats.deck.as_deref().unwrap_or("all decks");
    let t = &stats.today;
    let _ = writeln!(s, "Statistics of {scope}, study day {}\n", stats.date);
    let _ = writeln!(s, "TODAY");
    let _ = writeln!(
        s,
        "{}, {} in {}; Again {} ({}); {} new; streak {}\n",
        plural(t.cards as usize, "card"),
        plural(t.reviews as usize, "review"),
        crate::format::duration_ms(t.time_ms),
        t.again,
        percent(t.again_share),
        t.new_cards,
        plural(t.streak_days as usize, "day")
    );

    let _ = writeln!(
        s,
        "TRUE RETENTION (reviews of cards in review; pass = Hard, Good or Easy)"
    );
    let mut table = Table::new([
        "PERIOD",
        "YOUNG",
        "PASS/FAIL",
        "MATURE",
        "PASS/FAIL",
        "TOTAL",
        "PASS/FAIL",
    ]);
    for column in 1..=6 {
        table.right_align(column);
    }
    for (name, period) in stats.true_retention.rows() {
        let split =
            |x: stats::RetentionSplit| [percent(x.rate()), format!("{}/{}", x.passed, x.failed)];
        let [yr, yc] = split(period.young);
        let [mr, mc] = split(period.mature);
        let [tr, tc] = split(period.total());
        table.row([name.to_owned(), yr, yc, mr, mc, tr, tc]);
    }
    let _ = writeln!(s, "{table}");

    let c = &stats.calendar;
    let _ = writeln!(s, "CALENDAR (last {} days; {} reviews)", c.days, c.reviews);
    s.push_str(&heatmap_text(stats));
    let busiest = c.busiest_day.map_or_else(
        || "-".to_owned(),
        |b| format!("{} ({} reviews)", b.date, b.reviews),
    );
    let _ = writeln!(
        s,
        "days studied {}; daily average {:.1}; busiest day {busiest}\n",
        c.days_studied, c.average_per_day
    );

    let _ = writeln!(
        s,
        "FORECAST (cards due per day; +0 = today, overdue included; suspended left out, buried from +1)"
    );
    let mut table = Table::new(["DAYS", "+0", "+1", "+2", "+3", "+4", "+5", "+6"]);
    (0..8).for_each(|c| table.right_align(c));
    for (week, days) in stats.forecast.chunks(7).enumerate() {
        let mut row: [String; 8] = Default::default();
        row[0] = format!("+{}", week * 7);
        for (cell, due) in row[1..].iter_mut().zip(days) {
            *cell = due.to_string();
        }
        table.row(row);
    }
    let _ = writeln!(s, "{table}");

    let n = &stats.counts;
    let _ = writeln!(s, "CARDS");
    let mut table = Table::new([
        "NEW",
        "LEARNING",
        "RELEARNING",
        "YOUNG",
        "MATURE",
        "SUSPENDED",
        "BURIED",
        "TOTAL",
    ]);
    (0..8).for_each(|c| table.right_align(c));
    table.row(
        [
            n.new,
            n.learning,
            n.relearning,
            n.young,
            n.mature,
            n.suspended,
            n.buried,
            n.total,
        ]
        .map(|x| x.to_string()),
    );
    let _ = writeln!(s, "{table}");

    let d = &stats.distributions;
    for (title, bins) in [
        ("INTERVALS (review cards)", &d.interval),
        ("STABILITY", &d.stability),
        ("DIFFICULTY (1 to 10)", &d.difficulty),
        ("RETRIEVABILITY NOW", &d.retrievability),
    ] {
        let _ = writeln!(s, "{title}");
        let _ = writeln!(s, "{}", bins_table(bins));
    }

    let k = &stats.calibration;
    let _ = writeln!(
        s,
        "CALIBRATION (last 365 days, reviews a day or more apart: FSRS's predicted recall against your pass rate)"
    );
    let mut table = Table::new(["PREDICTED", "MEAN", "OBSERVED", "REVIEWS"]);
    (1..4).for_each(|c| table.right_align(c));
    for bin in &k.bins {
        table.row([
            format!("{:.0}-{:.0}%", bin.from * 100.0, bin.to * 100.0),
            percent(bin.predicted),
            percent(bin.observed),
            bin.count.to_string(),
        ]);
    }
    let _ = writeln!(s, "{table}");
    let number = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.4}"));
    let _ = writeln!(
        s,
        "{} reviews; log loss {}; RMSE(bins) {}",
        k.reviews,
        number(k.log_loss),
        number(k.rmse_bins)
    );
    let _ = writeln!(s, "{}\n", calibration_hint(k.rmse_bins));

    let _ = writeln!(s, "TIME OF DAY (last 365 days, local time)");
    let mut table = Table::new(["HOUR", "REVIEWS", "PASS"]);
    (0..3).for_each(|c| table.right_align(c));
    for hour in stats.hours.iter().filter(|h| h.reviews > 0) {
        table.row([
            format!("{:02}", hour.hour),
            hour.reviews.to_string(),
            percent(hour.pass_rate),
        ]);
    }
    let _ = write!(s, "{table}");
    s
}

/// What to do about the calibration: `recall optimize` fits the
/// parameters to the user's reviews.
pub fn calibration_hint(rmse_bins: Option<f64>) -> &'static str {
    match rmse_bins {
        Some(e) if e > stats::POOR_FIT_RMSE => {
            "Poor fit: run `recall optimize` to fit the parameters to your reviews."
        }
        Some(_) => "Good fit; `recall optimize` refits the parameters as your reviews grow.",
        None => "Not enough reviews yet; `recall optimize` fits the parameters once there are.",
    }
}

/// A histogram as two rows: the bins' lower edges, and their counts.
fn bins_table(bins: &[Bin]) -> String {
    use unicode_width::UnicodeWidthStr;
    let widths: Vec<usize> = bins
        .iter()
        .map(|b| b.label.width().max(b.count.to_string().len()))
        .collect();
    let row = |cells: Vec<String>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{}{c}", " ".repeat(w.saturating_sub(c.width()))))
            .collect();
        padded.join("  ")
    };
    format!(
        "FROM   {}\nCARDS  {}\n",
        row(bins.iter().map(|b| b.label.clone()).collect()),
        row(bins.iter().map(|b| b.count.to_string()).collect())
    )
}

/// The calendar as a grid: a row per weekday, a column per week, one
/// character per day by its share of the busiest day: `·` none, then
/// `░ ▒ ▓ █`.
fn heatmap_text(stats: &Stats) -> String {
    let grid = stats::calendar_grid(stats);
    let max = stats.calendar.busiest_day.map_or(0, |b| b.reviews);
    let mut s = String::new();
    for (weekday, row) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .zip(&grid)
    {
        s.push_str(weekday);
        s.push(' ');
        for cell in row {
            s.push(match cell {
                None => ' ',
                Some(n) => stats::shade(*n, max),
            });
        }
        let trimmed = s.trim_end_matches(' ').len();
        s.truncate(trimmed);
        s.push('\n');
    }
    s
}
