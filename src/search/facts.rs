//! [`Facts`]: everything search and the browser's columns need about one
//! card, computed once (text folded, numbers relative to now) so that each
//! keystroke only compares.

use std::cmp::Ordering;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::fold::{fold, fold_into};
use crate::day::StudyDay;
use crate::deck::{self, CardKey};
use crate::schedule::{self, Card, Parameters, State};
use crate::store::{LeechRule, Status};

/// One card as search sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub key: CardKey,
    /// Shared by the deck's cards.
    pub deck_id: Arc<str>,
    /// The deck's name, folded; shared by the deck's cards.
    pub deck_name: Arc<str>,
    /// Front and back, folded, separated by a line feed.
    pub text: String,
    /// Folded tags.
    pub tags: Vec<String>,
    pub state: State,
    pub due: Option<DateTime<Utc>>,
    /// Study days from today to the due date (0 today, negative overdue).
    pub due_days: Option<i64>,
    /// Due before the study day ends (and not new).
    pub is_due: bool,
    /// From the last review to the due date, in days.
    pub interval_days: Option<f64>,
    pub stability: Option<f64>,
    pub difficulty: Option<f64>,
    pub retrievability: Option<f64>,
    pub reviews: u32,
    pub lapses: u32,
    pub suspended: bool,
    pub buried: bool,
    pub leech: bool,
    pub marked: bool,
    /// Study days since the last review (0 today).
    pub rated_days_ago: Option<i64>,
}

/// What the cards of one deck share.
#[derive(Debug, Clone)]
pub struct DeckFacts {
    pub id: Arc<str>,
    /// Folded.
    pub name: Arc<str>,
}

impl DeckFacts {
    pub fn new(deck: &deck::Deck) -> DeckFacts {
        DeckFacts {
            id: deck.id.as_str().into(),
            name: fold(&deck.name).into(),
        }
    }
}

impl Facts {
    /// The facts of `card` (deck text) in `deck` with its schedule and
    /// status, at `now` within `day`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        deck: &deck::Deck,
        card: &deck::Card,
        schedule: &Card,
        status: &Status,
        leech: LeechRule,
        parameters: &Parameters,
        now: DateTime<Utc>,
        day: &StudyDay,
    ) -> Facts {
        let key = CardKey::new(deck.id.clone(), card.id.clone());
        let shared = DeckFacts::new(deck);
        Facts::with_deck(
            &shared,
            key,
            card,
            schedule,
            status,
            (leech, parameters),
            now,
            day,
        )
    }

    /// [`Facts::new`] with the deck's shared facts made once.
    #[allow(clippy::too_many_arguments)]
    pub fn with_deck(
        deck: &DeckFacts,
        key: CardKey,
        card: &deck::Card,
        schedule: &Card,
        status: &Status,
        (leech, parameters): (LeechRule, &Parameters),
        now: DateTime<Utc>,
        day: &StudyDay,
    ) -> Facts {
        let days_from_today = |at: DateTime<Utc>| (at - day.start).num_seconds().div_euclid(86_400);
        let due = schedule.due();
        let interval_days = match (due, schedule.last_review()) {
            (Some(due), Some(last)) => Some(days(due - last)),
            _ => None,
        };
        let mut text = String::with_capacity(card.front.len() + card.back.len() + 1);
        fold_into(&card.front, &mut text);
        text.push('\n');
        fold_into(&card.back, &mut text);
        Facts {
            key,
            deck_id: Arc::clone(&deck.id),
            deck_name: Arc::clone(&deck.name),
            text,
            tags: card.tags.iter().map(|t| fold(t)).collect(),
            state: schedule.state(),
            due,
            due_days: due.map(days_from_today),
            is_due: schedule.state() != State::New && due.is_some_and(|due| due < day.end),
            interval_days,
            stability: schedule.stability(),
            difficulty: schedule.difficulty(),
            retrievability: schedule::retrievability(schedule, now, parameters),
            reviews: status.reviews,
            lapses: status.lapses,
            suspended: status.suspended,
            buried: status.is_buried(day),
            leech: leech.is_leech(status.lapses),
            marked: status.marked,
            rated_days_ago: status.last_reviewed.map(|at| -days_from_today(at)),
        }
    }
}

impl Facts {
    /// The flags as words: `suspended buried leech marked`, those that apply.
    pub fn flags(&self) -> String {
        [
            (self.suspended, "suspended"),
            (self.buried, "buried"),
            (self.leech, "leech"),
            (self.marked, "marked"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, word)| *word)
        .collect::<Vec<_>>()
        .join(" ")
    }
}

fn days(span: TimeDelta) -> f64 {
    span.num_seconds() as f64 / 86_400.0
}

/// The browser's columns, in order; each sorts by its own value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Deck,
    Front,
    State,
    Due,
    Interval,
    Stability,
    Difficulty,
    Retrievability,
    Reviews,
    Lapses,
    Tags,
    Flags,
}

impl Column {
    pub const ALL: [Column; 12] = [
        Column::Deck,
        Column::Front,
        Column::State,
        Column::Due,
        Column::Interval,
        Column::Stability,
        Column::Difficulty,
        Column::Retrievability,
        Column::Reviews,
        Column::Lapses,
        Column::Tags,
        Column::Flags,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Deck => "Deck",
            Column::Front => "Front",
            Column::State => "State",
            Column::Due => "Due",
            Column::Interval => "Ivl",
            Column::Stability => "Stab",
            Column::Difficulty => "Diff",
            Column::Retrievability => "R",
            Column::Reviews => "Revs",
            Column::Lapses => "Laps",
            Column::Tags => "Tags",
            Column::Flags => "Flags",
        }
    }

    /// The next column, for `s`.
    pub fn next(self) -> Column {
        let at = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Column::ALL[(at + 1) % Column::ALL.len()]
    }
}

fn state_rank(state: State) -> u8 {
    match state {
        State::New => 0,
        State::Learning => 1,
        State::Relearning => 2,
        State::Review => 3,
    }
}

/// Missing values (a new card's stability) sort after every value.
fn optional<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn flags_rank(card: &Facts) -> u8 {
    u8::from(card.suspended) << 3
        | u8::from(card.buried) << 2
        | u8::from(card.leech) << 1
        | u8::from(card.marked)
}

/// Orders two cards by `column`; ties keep deck order (sort stably).
pub fn sort_by(column: Column, a: &Facts, b: &Facts) -> Ordering {
    match column {
        Column::Deck => a.deck_id.cmp(&b.deck_id),
        Column::Front => a.text.cmp(&b.text),
        Column::State => state_rank(a.state).cmp(&state_rank(b.state)),
        Column::Due => optional(a.due, b.due),
        Column::Interval => optional(a.interval_days, b.interval_days),
        Column::Stability => optional(a.stability, b.stability),
        Column::Difficulty => optional(a.difficulty, b.difficulty),
        Column::Retrievability => optional(a.retrievability, b.retrievability),
        Column::Reviews => a.reviews.cmp(&b.reviews),
        Column::Lapses => a.lapses.cmp(&b.lapses),
        Column::Tags => a.tags.cmp(&b.tags),
        Column::Flags => flags_rank(b).cmp(&flags_rank(a)),
    }
}

/// The facts of every card in `catalog`, in deck order.
pub fn all(
    catalog: &crate::deck::Catalog,
    progress: &crate::store::Progress,
    config: &crate::store::Config,
    now: DateTime<Utc>,
    day: &StudyDay,
) -> Vec<Facts> {
    let settings = config.deck_settings();
    const NEW: Card = Card::new(0);
    let total = catalog.decks.iter().map(|d| d.deck.cards().len()).sum();
    let mut facts = Vec::with_capacity(total);
    facts.extend(catalog.decks.iter().flat_map(|loaded| {
        let deck = &loaded.deck;
        let shared = DeckFacts::new(deck);
        let parameters = settings.for_deck(deck.id.as_str()).parameters();
        deck.cards().iter().map(move |card| {
            let key = CardKey::new(deck.id.clone(), card.id.clone());
            let (schedule, status) = progress.card_and_status(&key);
            Facts::with_deck(
                &shared,
                key,
                card,
                schedule.as_ref().unwrap_or(&NEW),
                &status,
                (config.leech, parameters),
                now,
                day,
            )
        })
    }));
    facts
}
