//! Per-deck settings: `[presets.NAME]` tables and `[decks."ID"] preset =
//! "NAME"`, resolved by pure functions.
//!
//! A deck uses the preset it names; a deck that names none uses its
//! nearest parent's (`geo.capitals.europe`, then `geo.capitals`, then
//! `geo`); a deck with no preset anywhere above it uses the top-level
//! settings. A preset changes only the settings it lists: everything else
//! comes from the top level (presets do not stack).

use std::collections::BTreeMap;

use chrono::TimeDelta;

use super::Config;
use crate::schedule::{Parameters, Settings};

/// The settings a preset may change; the rest stay the top level's.
pub const PRESET_KEYS: &[&str] = &[
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "new_cards_per_day",
    "reviews_per_day",
    "maximum_interval_days",
    "fsrs_parameters",
    "learn_ahead_minutes",
];

/// One `[presets.NAME]` table: `None` keeps the top-level value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Preset {
    pub desired_retention: Option<f64>,
    pub learning_steps: Option<Vec<TimeDelta>>,
    pub relearning_steps: Option<Vec<TimeDelta>>,
    pub new_cards_per_day: Option<u32>,
    pub reviews_per_day: Option<u32>,
    pub maximum_interval_days: Option<u32>,
    pub fsrs_parameters: Option<Parameters>,
    pub learn_ahead_minutes: Option<u32>,
}

impl Preset {
    /// `base` with this preset's settings in place of its own. Values were
    /// checked against the config's ranges, which sit inside the
    /// scheduler's, so a rejected one (impossible) keeps `base`'s.
    pub fn apply(&self, base: &Config) -> Config {
        let mut config = base.clone();
        let mut scheduler = config.scheduler.clone();
        if let Some(retention) = self.desired_retention {
            scheduler = scheduler
                .clone()
                .with_desired_retention(retention)
                .unwrap_or(scheduler);
        }
        if let Some(steps) = &self.learning_steps {
            scheduler = scheduler
                .clone()
                .with_learning_steps(steps.clone())
                .unwrap_or(scheduler);
        }
        if let Some(steps) = &self.relearning_steps {
            scheduler = scheduler
                .clone()
                .with_relearning_steps(steps.clone())
                .unwrap_or(scheduler);
        }
        if let Some(days) = self.maximum_interval_days {
            scheduler = scheduler
                .clone()
                .with_maximum_interval_days(days)
                .unwrap_or(scheduler);
        }
        if let Some(parameters) = self.fsrs_parameters {
            scheduler = scheduler.with_parameters(parameters);
        }
        config.scheduler = scheduler;
        if let Some(n) = self.new_cards_per_day {
            config.new_cards_per_day = n;
        }
        if let Some(n) = self.reviews_per_day {
            config.reviews_per_day = n;
        }
        if let Some(minutes) = self.learn_ahead_minutes {
            config.learn_ahead_minutes = minutes;
        }
        config
    }
}

/// Where a deck's preset comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresetSource<'a> {
    /// The preset's name.
    pub preset: &'a str,
    /// The deck id that names it: the deck itself or a parent.
    pub named_by: &'a str,
}

/// The deck ids a deck inherits from, itself first: `a.b.c`, `a.b`, `a`.
pub fn lineage(deck: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(deck);
    std::iter::from_fn(move || {
        let current = next?;
        next = current.rfind('.').map(|dot| &current[..dot]);
        Some(current)
    })
}

impl Config {
    /// The preset `deck` uses, and which deck names it; `None` when neither
    /// the deck nor any parent names one.
    pub fn preset_of<'a>(&'a self, deck: &'a str) -> Option<PresetSource<'a>> {
        lineage(deck).find_map(|id| {
            self.deck_presets.get(id).map(|preset| PresetSource {
                preset: preset.as_str(),
                named_by: id,
            })
        })
    }

    /// The settings in effect for `deck`: the top level's with its preset's
    /// in place.
    pub fn for_deck(&self, deck: &str) -> Config {
        match self
            .preset_of(deck)
            .and_then(|source| self.presets.get(source.preset))
        {
            Some(preset) => preset.apply(self),
            None => self.clone(),
        }
    }

    /// The scheduler settings of every deck, for replaying the log and for
    /// sessions over several decks.
    pub fn deck_settings(&self) -> DeckSettings {
        let decks = self
            .deck_presets
            .keys()
            .map(|deck| (deck.clone(), self.for_deck(deck).scheduler))
            .collect();
        DeckSettings {
            default: self.scheduler.clone(),
            decks,
        }
    }
}

/// Scheduler settings by deck: the top level's for every deck without a
/// preset, a preset's for the decks under a deck that names one.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckSettings {
    default: Settings,
    /// Each deck that names a preset, with its effective settings.
    decks: BTreeMap<String, Settings>,
}

impl DeckSettings {
    /// The same settings for every deck.
    pub fn uniform(settings: Settings) -> DeckSettings {
        DeckSettings {
            default: settings,
            decks: BTreeMap::new(),
        }
    }

    /// The settings for the deck with id `deck`.
    pub fn for_deck(&self, deck: &str) -> &Settings {
        if self.decks.is_empty() {
            return &self.default;
        }
        lineage(deck)
            .find_map(|id| self.decks.get(id))
            .unwrap_or(&self.default)
    }
}

impl From<Settings> for DeckSettings {
    fn from(settings: Settings) -> Self {
        DeckSettings::uniform(settings)
    }
}

impl From<&Settings> for DeckSettings {
    fn from(settings: &Settings) -> Self {
        DeckSettings::uniform(settings.clone())
    }
}

impl From<&DeckSettings> for DeckSettings {
    fn from(settings: &DeckSettings) -> Self {
        settings.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lineage_walks_up_the_dotted_id() {
        assert_eq!(lineage("a.b.c").collect::<Vec<_>>(), ["a.b.c", "a.b", "a"]);
        assert_eq!(lineage("solo").collect::<Vec<_>>(), ["solo"]);
    }
}
