//! Settings from `config.toml`: the scheduler's settings plus daily limits
//! and when a study day starts. A missing file means defaults; an unknown key
//! or a bad value is an error at its `path:line:column`, with the value and
//! what is allowed.
//!
//! ```toml
//! desired_retention = 0.9          # 0.70 to 0.99
//! learning_steps = ["1m", "10m"]   # s, m, h, d
//! relearning_steps = ["10m"]
//! maximum_interval_days = 36500
//! new_cards_per_day = 20
//! reviews_per_day = 200
//! day_starts_at = 4                # hour, local time
//! learn_ahead_minutes = 20         # 0 to 1440
//! fuzz = true
//! bury_siblings = true             # one card of a note per day
//! leech_threshold = 8              # lapses that make a leech; 0 = never
//! leech_action = "suspend"         # or "tag": only mark it a leech
//! hidden_decks = []                # deck ids left off the home screen
//! sync_on_exit = false            # run `recall sync` when the app quits
//! images = true                   # show a card's images in study
//! # fsrs_parameters = [21 numbers]  # optional: your own fitted FSRS-6 weights
//! import_max_total_mb = 2048       # an Anki package may unpack to this much
//! import_max_file_mb = 100         # and any one file in it to this much
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Range, RangeInclusive};
use std::path::{Path, PathBuf};

use chrono::TimeDelta;
use toml::de::{DeTable, DeValue};

pub mod edit;
mod presets;

pub use presets::{DeckSettings, PRESET_KEYS, Preset, PresetSource, lineage};

use super::replay::LeechRule;
use crate::deck::{LineIndex, Position};
use crate::schedule::{LOWER_BOUNDS, ParameterError, Parameters, Settings, UPPER_BOUNDS};

pub const DESIRED_RETENTION: RangeInclusive<f64> = 0.70..=0.99;
pub const MAXIMUM_INTERVAL_DAYS: RangeInclusive<i64> = 1..=36_500;
pub const CARDS_PER_DAY: RangeInclusive<i64> = 0..=100_000;
pub const DAY_STARTS_AT: RangeInclusive<i64> = 0..=23;
/// Caps on what an imported Anki package may unpack to, in MiB.
pub const IMPORT_MAX_MB: RangeInclusive<i64> = 1..=1_048_576;
pub const LEARN_AHEAD_MINUTES: RangeInclusive<i64> = 0..=1440;
pub const LEECH_THRESHOLD: RangeInclusive<i64> = 0..=1000;
/// Steps are whole seconds from 1 second to 36500 days (the scheduler's rule).
const STEP_SECONDS: RangeInclusive<i64> = 1..=36_500 * 86_400;

const KEYS: &[&str] = &[
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval_days",
    "new_cards_per_day",
    "reviews_per_day",
    "day_starts_at",
    "learn_ahead_minutes",
    "fuzz",
    "bury_siblings",
    "fsrs_parameters",
    "import_max_total_mb",
    "import_max_file_mb",
    "leech_threshold",
    "leech_action",
    "hidden_decks",
    "sync_on_exit",
    "images",
    "presets",
    "decks",
];

/// Everything configurable, with defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// FSRS parameters, retention, steps, maximum interval, fuzz.
    pub scheduler: Settings,
    /// New cards introduced per deck per day.
    pub new_cards_per_day: u32,
    /// Reviews (of cards past learning) per deck per day.
    pub reviews_per_day: u32,
    /// The local hour at which a new study day begins.
    pub day_starts_at: u32,
    /// Cards of one note (a reversed card, cloze siblings) wait for the next
    /// day once one of them is studied, as Anki's "bury siblings".
    pub bury_siblings: bool,
    /// What an imported Anki package may unpack to in all, in MiB.
    pub import_max_total_mb: u64,
    /// What any one file of an Anki package may unpack to, in MiB.
    pub import_max_file_mb: u64,
    /// When a card is a leech, and whether it is then suspended.
    pub leech: LeechRule,
    /// Decks left off the home screen and out of "study all", by id.
    pub hidden_decks: Vec<String>,
    /// Run `recall sync` when the app quits (if the data dir is set up).
    pub sync_on_exit: bool,
    /// When nothing else is left in a session, learning cards due within
    /// this many minutes show at once (Anki's "learn ahead limit").
    pub learn_ahead_minutes: u32,
    /// Show a card's images in study, where `[image: name]` is (kitty,
    /// iTerm2 or sixel graphics when the terminal has them, coloured half
    /// blocks otherwise).
    pub images: bool,
    /// `[presets.NAME]`: settings some decks use instead of these.
    pub presets: BTreeMap<String, Preset>,
    /// `[decks."ID"] preset = "NAME"`: deck id to preset name (every name
    /// is one of `presets`).
    pub deck_presets: BTreeMap<String, String>,
}

impl Config {
    /// The learn-ahead limit as a span.
    pub fn learn_ahead(&self) -> TimeDelta {
        TimeDelta::minutes(i64::from(self.learn_ahead_minutes))
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            scheduler: Settings::default(),
            new_cards_per_day: 20,
            reviews_per_day: 200,
            day_starts_at: 4,
            bury_siblings: true,
            import_max_total_mb: 2048,
            import_max_file_mb: 100,
            learn_ahead_minutes: 20,
            leech: LeechRule::default(),
            hidden_decks: Vec::new(),
            sync_on_exit: false,
            images: true,
            presets: BTreeMap::new(),
            deck_presets: BTreeMap::new(),
        }
    }
}

/// The config in effect and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedConfig {
    pub config: Config,
    pub path: PathBuf,
    /// False when the file does not exist and every setting is a default.
    pub file_exists: bool,
}

/// One bad entry in the config file.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigProblem {
    pub position: Position,
    pub message: String,
    pub help: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `problems` is never empty.
    #[error("{}", render(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<ConfigProblem>,
    },
}

fn render(path: &Path, problems: &[ConfigProblem]) -> String {
    problems
        .iter()
        .map(|p| {
            format!(
                "{}:{}: {}\n  help: {}",
                path.display(),
                p.position,
                p.message,
                p.help
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl LoadedConfig {
    /// Reads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
        let bytes = match crate::read_file::read_regular(path, crate::read_file::MAX_CONFIG_BYTES) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(LoadedConfig {
                    config: Config::default(),
                    path: path.to_path_buf(),
                    file_exists: false,
                });
            }
            Err(source) => {
                return Err(ConfigError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let invalid = |problems| ConfigError::Invalid {
            path: path.to_path_buf(),
            problems,
        };
        let text = String::from_utf8(bytes).map_err(|error| {
            let valid = error.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&error.as_bytes()[..valid]).into_owned();
            invalid(vec![ConfigProblem {
                position: LineIndex::new(&prefix).position(prefix.len()),
                message: "the file is not valid UTF-8".into(),
                help: "save the file as UTF-8".into(),
            }])
        })?;
        let config = parse(&text).map_err(invalid)?;
        Ok(LoadedConfig {
            config,
            path: path.to_path_buf(),
            file_exists: true,
        })
    }
}

/// Parses config text, reporting every problem.
pub fn parse(text: &str) -> Result<Config, Vec<ConfigProblem>> {
    let lines = LineIndex::new(text);
    let root = DeTable::parse(text).map_err(|error| {
        let offset = error.span().map_or(0, |span| span.start);
        vec![ConfigProblem {
            position: lines.position(offset),
            message: format!("invalid TOML: {}", error.message().trim()),
            help: "fix the TOML syntax at this position".into(),
        }]
    })?;
    let mut reader = Reader {
        lines: &lines,
        problems: Vec::new(),
    };
    let config = reader.config(root.get_ref());
    if reader.problems.is_empty() {
        Ok(config)
    } else {
        reader.problems.sort_by_key(|p| p.position);
        Err(reader.problems)
    }
}

type Value<'i> = toml::Spanned<DeValue<'i>>;

struct Reader<'a> {
    lines: &'a LineIndex<'a>,
    problems: Vec<ConfigProblem>,
}

impl Reader<'_> {
    fn report(&mut self, span: Range<usize>, message: String, help: impl Into<String>) {
        self.problems.push(ConfigProblem {
            position: self.lines.position(span.start),
            message,
            help: help.into(),
        });
    }

    /// Starts from the defaults and applies every valid entry.
    fn config(&mut self, root: &DeTable<'_>) -> Config {
        let mut config = Config::default();
        let mut entries: Vec<_> = root.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        // Settings validate retention against steps etc. independently, so
        // the order of application does not matter.
        let mut assignments = Vec::new();
        for (key, value) in entries {
            let name = key.get_ref().as_ref();
            match name {
                "presets" => config.presets = self.presets(value),
                "decks" => assignments = self.deck_assignments(value),
                _ => self.setting(&mut config, key, value),
            }
        }
        for (deck, preset, span) in assignments {
            if config.presets.contains_key(&preset) {
                config.deck_presets.insert(deck, preset);
            } else {
                let help = match config.presets.keys().next() {
                    None => {
                        "define it first: [presets.NAME] with the settings it changes".to_owned()
                    }
                    Some(_) => format!(
                        "the presets are: {}",
                        config
                            .presets
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.report(
                    span,
                    format!("deck `{deck}` names an unknown preset {preset:?}"),
                    help,
                );
            }
        }
        config
    }

    /// One top-level setting applied to `config`.
    fn setting(
        &mut self,
        config: &mut Config,
        key: &toml::Spanned<toml::de::DeString<'_>>,
        value: &Value<'_>,
    ) {
        let name = key.get_ref().as_ref();
        {
            let scheduler = config.scheduler.clone();
            match name {
                "desired_retention" => {
                    if let Some(r) = self.float_in(name, value, DESIRED_RETENTION) {
                        config.scheduler = ok_or_keep(scheduler.with_desired_retention(r), config);
                    }
                }
                "learning_steps" | "relearning_steps" => {
                    if let Some(steps) = self.steps(name, value) {
                        let updated = if name == "learning_steps" {
                            scheduler.with_learning_steps(steps)
                        } else {
                            scheduler.with_relearning_steps(steps)
                        };
                        config.scheduler = ok_or_keep(updated, config);
                    }
                }
                "maximum_interval_days" => {
                    if let Some(days) = self.integer_in(name, value, MAXIMUM_INTERVAL_DAYS) {
                        let updated = scheduler.with_maximum_interval_days(days as u32);
                        config.scheduler = ok_or_keep(updated, config);
                    }
                }
                "new_cards_per_day" => {
                    if let Some(n) = self.integer_in(name, value, CARDS_PER_DAY) {
                        config.new_cards_per_day = n as u32;
                    }
                }
                "reviews_per_day" => {
                    if let Some(n) = self.integer_in(name, value, CARDS_PER_DAY) {
                        config.reviews_per_day = n as u32;
                    }
                }
                "day_starts_at" => {
                    if let Some(hour) = self.integer_in(name, value, DAY_STARTS_AT) {
                        config.day_starts_at = hour as u32;
                    }
                }
                "import_max_total_mb" => {
                    if let Some(mb) = self.integer_in(name, value, IMPORT_MAX_MB) {
                        config.import_max_total_mb = mb as u64;
                    }
                }
                "import_max_file_mb" => {
                    if let Some(mb) = self.integer_in(name, value, IMPORT_MAX_MB) {
                        config.import_max_file_mb = mb as u64;
                    }
                }
                "learn_ahead_minutes" => {
                    if let Some(minutes) = self.integer_in(name, value, LEARN_AHEAD_MINUTES) {
                        config.learn_ahead_minutes = minutes as u32;
                    }
                }
                "leech_threshold" => {
                    if let Some(n) = self.integer_in(name, value, LEECH_THRESHOLD) {
                        config.leech.threshold = n as u32;
                    }
                }
                "leech_action" => match value.get_ref().as_str() {
                    Some("suspend") => config.leech.suspend = true,
                    Some("tag") => config.leech.suspend = false,
                    _ => self.report(
                        value.span(),
                        format!("leech_action = {} is not an action", source_text(value)),
                        "use \"suspend\" (suspend leeches) or \"tag\" (only mark them)",
                    ),
                },
                "hidden_decks" => match value.get_ref() {
                    DeValue::Array(items) => {
                        let ids: Option<Vec<String>> = items
                            .iter()
                            .map(|item| item.get_ref().as_str().map(str::to_owned))
                            .collect();
                        match ids {
                            Some(ids) => config.hidden_decks = ids,
                            None => self.report(
                                value.span(),
                                "hidden_decks must list deck ids as strings".into(),
                                "write it like hidden_decks = [\"aws-api-gateway\"], or use `recall decks --show ID`",
                            ),
                        }
                    }
                    other => self.wrong_type(name, value, "a list of deck ids", other),
                },
                "sync_on_exit" => match value.get_ref() {
                    DeValue::Boolean(on) => config.sync_on_exit = *on,
                    other => self.wrong_type(name, value, "true or false", other),
                },
                "images" => match value.get_ref() {
                    DeValue::Boolean(on) => config.images = *on,
                    other => self.wrong_type(name, value, "true or false", other),
                },
                "fuzz" => match value.get_ref() {
                    DeValue::Boolean(fuzz) => config.scheduler = scheduler.with_fuzz(*fuzz),
                    other => self.wrong_type(name, value, "true or false", other),
                },
                "bury_siblings" => match value.get_ref() {
                    DeValue::Boolean(bury) => config.bury_siblings = *bury,
                    other => self.wrong_type(name, value, "true or false", other),
                },
                "fsrs_parameters" => {
                    if let Some(parameters) = self.parameters(name, value) {
                        config.scheduler = scheduler.with_parameters(parameters);
                    }
                }
                _ => {
                    let help = match crate::deck::suggest_key(name, KEYS) {
                        Some(known) => format!("did you mean `{known}`?"),
                        None => format!("the settings are: {}", KEYS.join(", ")),
                    };
                    self.report(key.span(), format!("unknown setting `{name}`"), help);
                }
            }
        }
    }

    /// `[presets.NAME]` tables.
    fn presets(&mut self, value: &Value<'_>) -> BTreeMap<String, Preset> {
        let mut presets = BTreeMap::new();
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type(
                "presets",
                value,
                "tables like [presets.NAME]",
                value.get_ref(),
            );
            return presets;
        };
        for (name, body) in table.iter() {
            let DeValue::Table(settings) = body.get_ref() else {
                let label = format!("presets.{}", name.get_ref().as_ref());
                self.wrong_type(&label, body, "a table of settings", body.get_ref());
                continue;
            };
            let preset = self.preset(settings);
            presets.insert(name.get_ref().as_ref().to_owned(), preset);
        }
        presets
    }

    /// One preset: each setting is checked as at the top level, on a copy
    /// of the defaults, and taken from there.
    fn preset(&mut self, table: &DeTable<'_>) -> Preset {
        let mut preset = Preset::default();
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        for (key, value) in entries {
            let name = key.get_ref().as_ref();
            if !PRESET_KEYS.contains(&name) {
                let (message, help) = if KEYS.contains(&name) {
                    (
                        format!("`{name}` cannot be set in a preset"),
                        format!(
                            "set it at the top level; a preset may set: {}",
                            PRESET_KEYS.join(", ")
                        ),
                    )
                } else {
                    let help = match crate::deck::suggest_key(name, PRESET_KEYS) {
                        Some(known) => format!("did you mean `{known}`?"),
                        None => format!("a preset may set: {}", PRESET_KEYS.join(", ")),
                    };
                    (format!("unknown preset setting `{name}`"), help)
                };
                self.report(key.span(), message, help);
                continue;
            }
            let before = self.problems.len();
            let mut scratch = Config::default();
            self.setting(&mut scratch, key, value);
            if self.problems.len() != before {
                continue;
            }
            let s = &scratch.scheduler;
            match name {
                "desired_retention" => preset.desired_retention = Some(s.desired_retention()),
                "learning_steps" => preset.learning_steps = Some(s.learning_steps().to_vec()),
                "relearning_steps" => preset.relearning_steps = Some(s.relearning_steps().to_vec()),
                "maximum_interval_days" => {
                    preset.maximum_interval_days = Some(s.maximum_interval_days());
                }
                "fsrs_parameters" => preset.fsrs_parameters = Some(*s.parameters()),
                "new_cards_per_day" => preset.new_cards_per_day = Some(scratch.new_cards_per_day),
                "reviews_per_day" => preset.reviews_per_day = Some(scratch.reviews_per_day),
                _ => preset.learn_ahead_minutes = Some(scratch.learn_ahead_minutes),
            }
        }
        preset
    }

    /// `[decks."ID"] preset = "NAME"` entries: (deck id, preset, where the
    /// name is written), checked against the presets once all are read.
    fn deck_assignments(&mut self, value: &Value<'_>) -> Vec<(String, String, Range<usize>)> {
        let mut out = Vec::new();
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type(
                "decks",
                value,
                "tables like [decks.\"DECK_ID\"]",
                value.get_ref(),
            );
            return out;
        };
        for (deck, body) in table.iter() {
            let id = deck.get_ref().as_ref();
            if crate::deck::DeckId::new(id).is_err() {
                self.report(
                    deck.span(),
                    format!("[decks.{id:?}]: {id:?} is not a deck id"),
                    "use the deck's id as `recall decks` lists it, in quotes: [decks.\"geo.capitals\"]",
                );
                continue;
            }
            let DeValue::Table(settings) = body.get_ref() else {
                self.wrong_type(
                    &format!("decks.{id:?}"),
                    body,
                    "a table with preset = \"NAME\"",
                    body.get_ref(),
                );
                continue;
            };
            for (key, item) in settings.iter() {
                match (key.get_ref().as_ref(), item.get_ref()) {
                    ("preset", DeValue::String(name)) => {
                        out.push((id.to_owned(), name.as_ref().to_owned(), item.span()));
                    }
                    ("preset", other) => {
                        self.wrong_type("preset", item, "a preset's name in quotes", other);
                    }
                    (other, DeValue::Table(_)) => self.report(
                        key.span(),
                        format!("[decks.{id:?}] has a table `{other}`"),
                        format!("quote deck ids that have dots: [decks.\"{id}.{other}\"]"),
                    ),
                    (other, _) => self.report(
                        key.span(),
                        format!("unknown deck setting `{other}`"),
                        "a deck takes only preset = \"NAME\"; the settings go in [presets.NAME]",
                    ),
                }
            }
        }
        out
    }

    fn wrong_type(&mut self, name: &str, value: &Value<'_>, expected: &str, found: &DeValue<'_>) {
        let message = format!(
            "`{name}` must be {expected}, but it is {} ({})",
            crate::format::with_article(found.type_str()),
            source_text(value)
        );
        self.report(
            value.span(),
            message,
            format!("write `{name}` as {expected}"),
        );
    }

    fn float_in(
        &mut self,
        name: &str,
        value: &Value<'_>,
        range: RangeInclusive<f64>,
    ) -> Option<f64> {
        let number = match value.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<f64>().ok(),
            other => {
                self.wrong_type(name, value, "a number", other);
                return None;
            }
        };
        match number {
            Some(n) if range.contains(&n) => Some(n),
            _ => {
                let message = format!("{name} = {} is out of range", source_text(value));
                let help = format!(
                    "use a number from {:.2} to {:.2}",
                    range.start(),
                    range.end()
                );
                self.report(value.span(), message, help);
                None
            }
        }
    }

    fn integer_in(
        &mut self,
        name: &str,
        value: &Value<'_>,
        range: RangeInclusive<i64>,
    ) -> Option<i64> {
        let DeValue::Integer(integer) = value.get_ref() else {
            self.wrong_type(name, value, "a whole number", value.get_ref());
            return None;
        };
        let digits = integer.as_str().replace('_', "");
        let digits = digits
            .trim_start_matches("0x")
            .trim_start_matches("0o")
            .trim_start_matches("0b");
        match i64::from_str_radix(digits, integer.radix()) {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                let message = format!("{name} = {} is out of range", source_text(value));
                let help = format!(
                    "use a whole number from {} to {}",
                    range.start(),
                    range.end()
                );
                self.report(value.span(), message, help);
                None
            }
        }
    }

    fn steps(&mut self, name: &str, value: &Value<'_>) -> Option<Vec<TimeDelta>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(
                name,
                value,
                "a list of durations like [\"1m\", \"10m\"]",
                value.get_ref(),
            );
            return None;
        };
        let mut steps = Vec::with_capacity(items.len());
        for item in items.iter() {
            let parsed = item.get_ref().as_str().and_then(parse_step);
            match parsed {
                Some(step) => steps.push(step),
                None => {
                    let message = format!("{name}: {} is not a valid step", source_text(item));
                    let help = "write steps as a whole number and a unit (s, m, h or d) from 1s to 36500d, e.g. \"1m\", \"10m\", \"1d\"";
                    self.report(item.span(), message, help);
                }
            }
        }
        (steps.len() == items.len()).then_some(steps)
    }

    fn parameters(&mut self, name: &str, value: &Value<'_>) -> Option<Parameters> {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(name, value, "a list of 21 numbers", value.get_ref());
            return None;
        };
        let mut numbers = Vec::with_capacity(items.len());
        for item in items.iter() {
            let number = match item.get_ref() {
                DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
                DeValue::Integer(i) => i.as_str().replace('_', "").parse::<f64>().ok(),
                _ => None,
            };
            match number {
                Some(n) => numbers.push(n),
                None => {
                    let message = format!("{name}: {} is not a number", source_text(item));
                    self.report(
                        item.span(),
                        message,
                        "write the 21 FSRS-6 parameters as numbers",
                    );
                    return None;
                }
            }
        }
        match Parameters::from_slice(&numbers) {
            Ok(parameters) => Some(parameters),
            Err(ParameterError::WrongCount(count)) => {
                let message = format!("{name} has {count} numbers; FSRS-6 has 21");
                self.report(
                    value.span(),
                    message,
                    "list all 21 parameters, or remove the line to use the defaults",
                );
                None
            }
            Err(error @ ParameterError::OutOfRange { index, .. }) => {
                let span = items.get(index).map_or(value.span(), |item| item.span());
                let help = format!(
                    "w[{index}] must be from {} to {}",
                    LOWER_BOUNDS[index], UPPER_BOUNDS[index]
                );
                self.report(span, format!("{name}: {error}"), help);
                None
            }
        }
    }
}

/// Keeps the previous settings when the scheduler rejects a value that the
/// config's own (narrower) checks let through; cannot happen with the ranges
/// above, which sit inside the scheduler's.
fn ok_or_keep<E>(updated: Result<Settings, E>, config: &Config) -> Settings {
    updated.unwrap_or_else(|_| config.scheduler.clone())
}

/// How a value was written in the file, for messages.
fn source_text(value: &Value<'_>) -> String {
    match value.get_ref() {
        DeValue::String(s) => format!("{s:?}"),
        DeValue::Integer(i) => i.as_str().to_owned(),
        DeValue::Float(f) => f.as_str().to_owned(),
        DeValue::Boolean(b) => b.to_string(),
        other => other.type_str().to_owned(),
    }
}

/// `text` (a config file) with `hidden_decks` set to `ids`: the value is
/// replaced where it is written, or a line is added at the end; everything
/// else (comments, order) stays as it was.
pub fn with_hidden_decks(text: &str, ids: &[String]) -> String {
    let value = format!(
        "[{}]",
        ids.iter()
            .map(|id| format!("{id:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let span = DeTable::parse(text).ok().and_then(|root| {
        root.get_ref()
            .iter()
            .find(|(key, _)| key.get_ref().as_ref() == "hidden_decks")
            .map(|(_, value)| value.span())
    });
    match span {
        Some(span) => format!("{}{value}{}", &text[..span.start], &text[span.end..]),
        None => {
            let newline = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            format!("{text}{newline}hidden_decks = {value}\n")
        }
    }
}

/// `"90s"`, `"10m"`, `"2h"`, `"1d"`: a whole number and a unit.
pub fn parse_step(text: &str) -> Option<TimeDelta> {
    // The unit is the last character, which need not be one byte ("5分").
    let (unit_at, _) = text.char_indices().next_back()?;
    let (number, unit) = text.split_at(unit_at);
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = number.parse().ok()?;
    let seconds = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86_400)?,
        _ => return None,
    };
    STEP_SECONDS
        .contains(&seconds)
        .then(|| TimeDelta::seconds(seconds))
}

/// The inverse of [`parse_step`], in the largest unit that divides evenly.
pub fn format_step(step: TimeDelta) -> String {
    let seconds = step.num_seconds();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] {
        if seconds % size == 0 && seconds != 0 {
            return format!("{}{unit}", seconds / size);
        }
    }
    format!("{seconds}s")
}

impl fmt::Display for Config {
    /// The settings as a valid `config.toml`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let steps = |steps: &[TimeDelta]| {
            let quoted: Vec<String> = steps
                .iter()
                .map(|s| format!("\"{}\"", format_step(*s)))
                .collect();
            format!("[{}]", quoted.join(", "))
        };
        let s = &self.scheduler;
        writeln!(f, "desired_retention = {}", s.desired_retention())?;
        writeln!(f, "learning_steps = {}", steps(s.learning_steps()))?;
        writeln!(f, "relearning_steps = {}", steps(s.relearning_steps()))?;
        writeln!(f, "maximum_interval_days = {}", s.maximum_interval_days())?;
        writeln!(f, "new_cards_per_day = {}", self.new_cards_per_day)?;
        writeln!(f, "reviews_per_day = {}", self.reviews_per_day)?;
        writeln!(f, "day_starts_at = {}", self.day_starts_at)?;
        writeln!(f, "learn_ahead_minutes = {}", self.learn_ahead_minutes)?;
        writeln!(f, "fuzz = {}", s.fuzz())?;
        writeln!(f, "bury_siblings = {}", self.bury_siblings)?;
        writeln!(f, "leech_threshold = {}", self.leech.threshold)?;
        let action = if self.leech.suspend { "suspend" } else { "tag" };
        writeln!(f, "leech_action = \"{action}\"")?;
        let hidden: Vec<String> = self
            .hidden_decks
            .iter()
            .map(|id| format!("{id:?}"))
            .collect();
        writeln!(f, "hidden_decks = [{}]", hidden.join(", "))?;
        writeln!(f, "sync_on_exit = {}", self.sync_on_exit)?;
        writeln!(f, "images = {}", self.images)?;
        let weights: Vec<String> = s
            .parameters()
            .as_slice()
            .iter()
            .map(|w| format!("{w:?}"))
            .collect();
        writeln!(f, "fsrs_parameters = [{}]", weights.join(", "))?;
        writeln!(f, "import_max_total_mb = {}", self.import_max_total_mb)?;
        writeln!(f, "import_max_file_mb = {}", self.import_max_file_mb)?;
        for (name, preset) in &self.presets {
            writeln!(f, "\n[presets.{}]", toml_key(name))?;
            if let Some(r) = preset.desired_retention {
                writeln!(f, "desired_retention = {r}")?;
            }
            if let Some(s) = &preset.learning_steps {
                writeln!(f, "learning_steps = {}", steps(s))?;
            }
            if let Some(s) = &preset.relearning_steps {
                writeln!(f, "relearning_steps = {}", steps(s))?;
            }
            if let Some(days) = preset.maximum_interval_days {
                writeln!(f, "maximum_interval_days = {days}")?;
            }
            if let Some(n) = preset.new_cards_per_day {
                writeln!(f, "new_cards_per_day = {n}")?;
            }
            if let Some(n) = preset.reviews_per_day {
                writeln!(f, "reviews_per_day = {n}")?;
            }
            if let Some(minutes) = preset.learn_ahead_minutes {
                writeln!(f, "learn_ahead_minutes = {minutes}")?;
            }
            if let Some(parameters) = &preset.fsrs_parameters {
                let weights: Vec<String> = parameters
                    .as_slice()
                    .iter()
                    .map(|w| format!("{w:?}"))
                    .collect();
                writeln!(f, "fsrs_parameters = [{}]", weights.join(", "))?;
            }
        }
        for (deck, preset) in &self.deck_presets {
            writeln!(
                f,
                "\n[decks.{}]\npreset = {}",
                toml_key(deck),
                toml_key_quoted(preset)
            )?;
        }
        Ok(())
    }
}

/// A table key as TOML writes it: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        key.to_owned()
    } else {
        toml_key_quoted(key)
    }
}

/// A TOML basic string.
fn toml_key_quoted(text: &str) -> String {
    toml_edit::Value::from(text).to_string().trim().to_owned()
}
