//! Card states from the review log: each card's reviews, in time order,
//! through the scheduler with the current settings. A card with no reviews
//! is New. Replaying the same log with the same settings always gives the
//! same states (fuzz is seeded by card and review count).
//!
//! The card events (`card_events.csv`) are replayed with the reviews, in
//! time order: a `forget` makes the card New again from that moment (its
//! reviews stay in the log and in its counts), `suspend` and `bury` take it
//! out of the queue ([`Progress::is_available`]), and a lapse that reaches
//! the leech threshold makes the card a leech (and suspends it, with
//! `leech_action = "suspend"`). An event at the same millisecond as a review
//! comes after it.
//!
//! A replay can be continued: [`Replayed`] is the state after some first
//! lines of the log (and every card event), which the cache keeps so that a
//! start replays only the reviews appended since ([`Replayed::extend`]).

use std::collections::HashMap;

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::card_events::{CardEvent, EventKind};
use super::config::DeckSettings;
use super::log::{Entry, Interner, ReviewLog};
use crate::day::StudyDay;
use crate::deck::{CardId, CardKey, DeckId};
use crate::schedule::{self, Card, Rating, Settings, State};

/// When a card counts as a leech and what happens then (Anki's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LeechRule {
    /// Lapses that make a leech; 0 turns leeches off.
    pub threshold: u32,
    /// Suspend the card when it becomes a leech (else only mark it one).
    pub suspend: bool,
}

impl Default for LeechRule {
    fn default() -> Self {
        LeechRule {
            threshold: 8,
            suspend: true,
        }
    }
}

impl LeechRule {
    /// Whether reaching `lapses` lapses is a leech hit: at the threshold,
    /// then every half threshold after it, as Anki does.
    pub fn hit(&self, lapses: u32) -> bool {
        if self.threshold == 0 || lapses < self.threshold {
            return false;
        }
        (lapses - self.threshold).is_multiple_of((self.threshold / 2).max(1))
    }

    /// Whether a card with `lapses` lapses is a leech.
    pub fn is_leech(&self, lapses: u32) -> bool {
        self.threshold > 0 && lapses >= self.threshold
    }
}

/// Whether grading a card in `state` with `rating` is a lapse: a card past
/// learning forgotten.
pub fn is_lapse(state: State, rating: Rating) -> bool {
    state == State::Review && rating == Rating::Again
}

/// What the events and the reviews say about a card besides its schedule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Status {
    pub suspended: bool,
    /// When the card was last buried (and not unburied since).
    pub buried_at: Option<DateTime<Utc>>,
    pub marked: bool,
    /// Again on a card in Review, over all its reviews (a forget keeps
    /// them, as in Anki).
    pub lapses: u32,
    /// Every review in the log, a forget notwithstanding.
    pub reviews: u32,
    /// The last review in the log, a forget notwithstanding.
    pub last_reviewed: Option<DateTime<Utc>>,
    pub leech: bool,
}

impl Status {
    /// Buried during `day` (or later): out of the queue until the next one.
    pub fn is_buried(&self, day: &StudyDay) -> bool {
        self.buried_at.is_some_and(|at| at >= day.start)
    }

    fn apply(&mut self, kind: EventKind) {
        match kind {
            EventKind::Suspend => self.suspended = true,
            EventKind::Unsuspend => self.suspended = false,
            EventKind::Bury | EventKind::Unbury | EventKind::Forget => {}
            EventKind::Mark => self.marked = true,
            EventKind::Unmark => self.marked = false,
        }
    }
}

/// What was studied in one deck during the current study day, for the
/// daily limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Cards whose first review was today.
    pub new_started: u32,
    /// Reviews of cards that were in the Review state (not learning steps).
    pub reviews: u32,
}

/// Every reviewed card's state, and today's counts per deck.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// By the log's key index.
    cards: Vec<Card>,
    /// The log's card keys (shared, not copied).
    keys: Arc<Interner>,
    /// By the log's key index, like `cards`.
    statuses: Vec<Status>,
    /// Cards without reviews that have events.
    unreviewed: HashMap<CardKey, Status>,
    today: HashMap<DeckId, DayCounts>,
}

/// How far back [`Replayed`] remembers reviews, to count a study day's:
/// longer than any study day (25 hours at a daylight-saving change).
const RECENT: TimeDelta = TimeDelta::days(3);

/// One review as the daily counts need it: when, which card, and the
/// card's state just before.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
struct RecentReview {
    at_millis: i64,
    key: u32,
    before: State,
}

/// A replay of a log's first reviews and of card events, in time order,
/// that more reviews can continue. Indexed by the log's key index.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Replayed {
    #[serde(deserialize_with = "crate::exact_vec::deserialize")]
    cards: Vec<Card>,
    #[serde(deserialize_with = "crate::exact_vec::deserialize")]
    statuses: Vec<Status>,
    /// Cards the replayed reviews do not know, with events: (deck, card).
    unreviewed: Vec<(String, String, Status)>,
    /// The latest review replayed, in milliseconds since the epoch.
    last_millis: Option<i64>,
    /// The latest card event replayed, in milliseconds since the epoch.
    last_event_millis: Option<i64>,
    /// Every review since `RECENT` before `last_millis`, in time order.
    #[serde(deserialize_with = "crate::exact_vec::deserialize")]
    recent: Vec<RecentReview>,
}

impl Replayed {
    /// Replays `entries` (whose keys index `keys`, in the merged log's
    /// order) after the reviews and events already replayed. Returns
    /// `false`, replaying nothing, unless they are all later than those:
    /// then only a full replay gives the merged order (and drops duplicates
    /// across the two). Events cannot be added this way: new events mean a
    /// full replay.
    pub(crate) fn extend(
        &mut self,
        keys: &Interner,
        entries: &[Entry],
        settings: &DeckSettings,
        leech: LeechRule,
    ) -> bool {
        let latest = self.last_millis.max(self.last_event_millis);
        let in_order = entries.is_sorted_by_key(|e| e.reviewed_at)
            && match (latest, entries.first()) {
                (Some(last), Some(first)) => first.reviewed_at.timestamp_millis() > last,
                _ => true,
            };
        if !in_order {
            return false;
        }
        self.replay_sorted(keys, entries, &[], settings, leech, &mut |_, _| {});
        true
    }

    /// Replays `entries` and `events`, both in time order; `on_review` sees
    /// each review with its card's state just before.
    fn replay_sorted(
        &mut self,
        keys: &Interner,
        entries: &[Entry],
        events: &[CardEvent],
        settings: &DeckSettings,
        leech: LeechRule,
        on_review: &mut dyn FnMut(&Entry, &Card),
    ) {
        let known = self.cards.len();
        for key in &keys.keys()[known..] {
            self.cards.push(Card::with_key(&key.to_string()));
            // Events on a card before its first review (all events are
            // earlier than the reviews `extend` adds).
            let found = self
                .unreviewed
                .iter()
                .position(|(deck, card, _)| deck == key.deck.as_str() && card == key.card.as_str());
            let status = found.map(|i| self.unreviewed.swap_remove(i).2);
            self.statuses.push(status.unwrap_or_default());
        }
        // Each card's settings, by its deck's preset.
        let by_key: Vec<&Settings> = keys
            .keys()
            .iter()
            .map(|key| settings.for_deck(key.deck.as_str()))
            .collect();
        let mut events = events.iter().peekable();
        let recent_from = entries.last().map(|last| last.reviewed_at - RECENT);
        for entry in entries {
            while let Some(event) = events.next_if(|e| e.at < entry.reviewed_at) {
                self.apply(keys, event);
            }
            let i = entry.key.get();
            let card = &mut self.cards[i];
            let status = &mut self.statuses[i];
            on_review(entry, card);
            let before = card.state();
            if recent_from.is_some_and(|from| entry.reviewed_at >= from) {
                self.recent.push(RecentReview {
                    at_millis: entry.reviewed_at.timestamp_millis(),
                    key: i as u32,
                    before,
                });
            }
            status.reviews += 1;
            status.last_reviewed = Some(entry.reviewed_at);
            if is_lapse(before, entry.rating) {
                status.lapses += 1;
                status.leech = leech.is_leech(status.lapses);
                if leech.suspend && leech.hit(status.lapses) {
                    status.suspended = true;
                }
            }
            *card = schedule::review(card, entry.rating, entry.reviewed_at, by_key[i]);
        }
        for event in events {
            self.apply(keys, event);
        }
        if let Some(last) = entries.last() {
            let last_millis = last.reviewed_at.timestamp_millis();
            self.last_millis = Some(last_millis);
            let cut = last_millis - RECENT.num_milliseconds();
            let old = self.recent.partition_point(|r| r.at_millis < cut);
            self.recent.drain(..old);
        }
    }

    /// One card event: a forget makes the card New again.
    fn apply(&mut self, keys: &Interner, event: &CardEvent) {
        let at = event.at.timestamp_millis();
        self.last_event_millis = Some(self.last_event_millis.map_or(at, |last| last.max(at)));
        let status = match keys.get(event.key.deck.as_str(), event.key.card.as_str()) {
            // Every key of `keys` has its card by now: `replay_sorted` adds
            // them before it applies any event.
            Some(index) => {
                if event.kind == EventKind::Forget {
                    self.cards[index.get()] = Card::with_key(&event.key.to_string());
                }
                &mut self.statuses[index.get()]
            }
            _ => {
                let (deck, card) = (event.key.deck.as_str(), event.key.card.as_str());
                let found = self
                    .unreviewed
                    .iter()
                    .position(|(d, c, _)| d == deck && c == card);
                let i = found.unwrap_or_else(|| {
                    self.unreviewed
                        .push((deck.to_owned(), card.to_owned(), Status::default()));
                    self.unreviewed.len() - 1
                });
                &mut self.unreviewed[i].2
            }
        };
        match event.kind {
            EventKind::Bury => status.buried_at = Some(event.at),
            EventKind::Unbury => status.buried_at = None,
            kind => status.apply(kind),
        }
    }

    /// Whether this replay remembers every review that `day` may hold.
    pub(crate) fn covers(&self, day: &StudyDay) -> bool {
        match self.last_millis {
            None => true,
            Some(last) => day.start.timestamp_millis() >= last - RECENT.num_milliseconds(),
        }
    }

    /// The number of cards (keys) replayed: a check against the key table.
    pub(crate) fn cards(&self) -> usize {
        self.cards.len()
    }

    /// The progress for the study day `day`; `keys` are the keys the
    /// entries indexed. `day` must be [`covered`](Self::covers).
    pub(crate) fn into_progress(self, keys: Arc<Interner>, day: &StudyDay) -> Progress {
        let mut today: HashMap<DeckId, DayCounts> = HashMap::new();
        let start = day.start.timestamp_millis();
        let from = self.recent.partition_point(|r| r.at_millis < start);
        for review in &self.recent[from..] {
            let at = DateTime::<Utc>::from_timestamp_millis(review.at_millis);
            if !at.is_some_and(|at| day.contains(at)) {
                continue;
            }
            let deck = &keys.keys()[review.key as usize].deck;
            count(today.entry(deck.clone()).or_default(), review.before);
        }
        let unreviewed = self
            .unreviewed
            .into_iter()
            .filter_map(|(deck, card, status)| {
                let key = CardKey::new(DeckId::new(deck).ok()?, CardId::new(card).ok()?);
                Some((key, status))
            })
            .collect();
        Progress {
            cards: self.cards,
            keys,
            statuses: self.statuses,
            unreviewed,
            today,
        }
    }

    /// Replays a whole log and its card events.
    pub fn of_log(
        log: &ReviewLog,
        events: &[CardEvent],
        settings: impl Into<DeckSettings>,
        leech: LeechRule,
    ) -> Replayed {
        let settings = &settings.into();
        let mut replayed = Replayed::default();
        let events = events_in_time_order(events);
        replayed.replay_sorted(
            log.interner(),
            &in_time_order(log),
            &events,
            settings,
            leech,
            &mut |_, _| {},
        );
        replayed
    }
}

/// Replays `log` and `events` (a forget makes a card New again) in time
/// order with each deck's settings; `on_review` sees every review with the
/// state its card was in just before it (New for a card's first review).
pub fn review_states(
    log: &ReviewLog,
    events: &[CardEvent],
    settings: &DeckSettings,
    on_review: &mut dyn FnMut(&Entry, State),
) {
    review_cards(log, events, settings, &mut |entry, before| {
        on_review(entry, before.state());
    });
}

/// [`review_states`] with the whole card before each review: its memory,
/// due date and last review (the statistics need its interval and its
/// predicted recall).
pub fn review_cards(
    log: &ReviewLog,
    events: &[CardEvent],
    settings: &DeckSettings,
    on_review: &mut dyn FnMut(&Entry, &Card),
) {
    let events = events_in_time_order(events);
    Replayed::default().replay_sorted(
        log.interner(),
        &in_time_order(log),
        &events,
        settings,
        LeechRule::default(),
        on_review,
    );
}

/// Counts one review of a card that was in `before` in a day's counts.
fn count(counts: &mut DayCounts, before: State) {
    match before {
        State::New => counts.new_started += 1,
        State::Review => counts.reviews += 1,
        State::Learning | State::Relearning => {}
    }
}

impl Progress {
    /// Replays `log` with `settings` and no card events; `day` is the study
    /// day for the counts.
    pub fn replay(log: &ReviewLog, settings: impl Into<DeckSettings>, day: &StudyDay) -> Progress {
        Progress::replay_with_events(log, &[], settings, LeechRule::default(), day)
    }

    /// Replays `log` and `events` together in time order.
    pub fn replay_with_events(
        log: &ReviewLog,
        events: &[CardEvent],
        settings: impl Into<DeckSettings>,
        leech: LeechRule,
        day: &StudyDay,
    ) -> Progress {
        let settings = &settings.into();
        let replayed = Replayed::of_log(log, events, settings, leech);
        Progress::of_replayed(replayed, log, events, settings, leech, day)
    }

    /// [`Progress::replay_with_events`], with `on_review` seeing every
    /// review and its card's state just before it, as in [`review_cards`]
    /// (the statistics take both from one replay).
    pub fn replay_observing(
        log: &ReviewLog,
        events: &[CardEvent],
        settings: &DeckSettings,
        leech: LeechRule,
        day: &StudyDay,
        on_review: &mut dyn FnMut(&Entry, &Card),
    ) -> Progress {
        let mut replayed = Replayed::default();
        replayed.replay_sorted(
            log.interner(),
            &in_time_order(log),
            &events_in_time_order(events),
            settings,
            leech,
            on_review,
        );
        Progress::of_replayed(replayed, log, events, settings, leech, day)
    }

    /// The progress from a replay of the whole of `log` and `events`.
    pub(crate) fn of_replayed(
        replayed: Replayed,
        log: &ReviewLog,
        events: &[CardEvent],
        settings: &DeckSettings,
        leech: LeechRule,
        day: &StudyDay,
    ) -> Progress {
        if replayed.covers(day) {
            return replayed.into_progress(log.shared_keys(), day);
        }
        // A study day long before the last review (a clock set back): count
        // it from the whole log.
        let mut progress = replayed.into_progress(log.shared_keys(), day);
        progress.today = count_day(log, events, settings, leech, day);
        progress
    }

    /// The card's status: suspended, buried, marked, lapses.
    pub fn status(&self, key: &CardKey) -> Status {
        match self.keys.get(key.deck.as_str(), key.card.as_str()) {
            Some(i) => self.statuses[i.get()],
            None => self.unreviewed.get(key).copied().unwrap_or_default(),
        }
    }

    /// Whether the card may be queued today: neither suspended nor buried.
    pub fn is_available(&self, key: &CardKey, day: &StudyDay) -> bool {
        let status = self.status(key);
        !status.suspended && !status.is_buried(day)
    }

    /// The card's state and status with one look-up: the state is `None`
    /// for a card without reviews (the browser needs no fuzz seed for it).
    pub fn card_and_status(&self, key: &CardKey) -> (Option<Card>, Status) {
        match self.keys.get(key.deck.as_str(), key.card.as_str()) {
            Some(i) => (Some(self.cards[i.get()]), self.statuses[i.get()]),
            None => (None, self.unreviewed.get(key).copied().unwrap_or_default()),
        }
    }

    /// The card's state: New if it has no reviews.
    pub fn card(&self, key: &CardKey) -> Card {
        self.keys
            .get(key.deck.as_str(), key.card.as_str())
            .map(|i| self.cards[i.get()])
            .unwrap_or_else(|| Card::with_key(&key.to_string()))
    }

    /// Today's counts for a deck.
    pub fn today(&self, deck: &DeckId) -> DayCounts {
        self.today.get(deck).copied().unwrap_or_default()
    }

    /// Every card with reviews.
    pub fn reviewed_keys(&self) -> impl Iterator<Item = &CardKey> {
        self.keys.keys().iter()
    }

    /// Every card with reviews, and how many it has.
    pub fn review_counts(&self) -> impl Iterator<Item = (&CardKey, u32)> {
        self.keys
            .keys()
            .iter()
            .zip(self.statuses.iter().map(|s| s.reviews))
    }
}

/// The daily counts of `day` from a full replay of `log` and `events`.
fn count_day(
    log: &ReviewLog,
    events: &[CardEvent],
    settings: &DeckSettings,
    leech: LeechRule,
    day: &StudyDay,
) -> HashMap<DeckId, DayCounts> {
    let mut today: HashMap<DeckId, DayCounts> = HashMap::new();
    let events = events_in_time_order(events);
    Replayed::default().replay_sorted(
        log.interner(),
        &in_time_order(log),
        &events,
        settings,
        leech,
        &mut |entry, before| {
            if day.contains(entry.reviewed_at) {
                let deck = &log.keys()[entry.key.get()].deck;
                count(today.entry(deck.clone()).or_default(), before.state());
            }
        },
    );
    today
}

/// The events sorted by time, stably.
fn events_in_time_order(events: &[CardEvent]) -> std::borrow::Cow<'_, [CardEvent]> {
    if events.is_sorted_by_key(|e| e.at) {
        return std::borrow::Cow::Borrowed(events);
    }
    let mut sorted = events.to_vec();
    sorted.sort_by_key(|e| e.at);
    std::borrow::Cow::Owned(sorted)
}

/// The log's entries sorted by time, stably (equal times keep file order).
/// Logs are written in time order, so this is usually just a check.
fn in_time_order(log: &ReviewLog) -> std::borrow::Cow<'_, [Entry]> {
    let entries = log.entries();
    if entries.is_sorted_by_key(|e| e.reviewed_at) {
        return std::borrow::Cow::Borrowed(entries);
    }
    let mut sorted = entries.to_vec();
    sorted.sort_by_key(|e| e.reviewed_at);
    std::borrow::Cow::Owned(sorted)
}
