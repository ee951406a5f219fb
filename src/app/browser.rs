//! The card browser's state: every card's [`Facts`], the search line and
//! what it matches, the sort, the selection, and the card page or the
//! forget question when open. Matching and ordering are `search`'s; this
//! keeps indices. Filtering walks the cards in the current sort order, so a
//! keystroke never sorts.

use std::collections::HashSet;

use crate::deck::{CardKey, Catalog};
use crate::search::{self, Column, Facts, Query, SearchError};
use crate::ui::Theme;
use crate::ui::browser::{BrowserRow, BrowserView};
use crate::ui::chrome::{Hint, ScrollState};

/// Where the keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The table: move, sort, act on the selected card.
    Table,
    /// The search line: keys type.
    Search,
    /// A card's page (text and history).
    Card,
    /// "Forget this card?"
    ConfirmForget,
}

/// The browser screen.
#[derive(Debug)]
pub struct Browser {
    cards: Vec<Facts>,
    /// Where each deck's cards start in `cards` (they are in catalog
    /// order): the table's text is read from the catalog for the rows
    /// drawn, not built for every card.
    deck_starts: Vec<usize>,
    /// Every card index in the current sort order.
    order: Vec<u32>,
    /// The indices that match, in order.
    visible: Vec<u32>,
    pub query: String,
    pub error: Option<SearchError>,
    pub sort: Column,
    pub reverse: bool,
    /// Index into `visible`.
    pub selected: usize,
    /// The first visible row drawn, as last rendered.
    pub offset: usize,
    /// Rows that fit, as last rendered.
    pub page: usize,
    pub focus: Focus,
    /// The open card's page: its lines and scroll.
    pub card_page: Option<(String, Vec<String>)>,
    pub scroll: ScrollState,
    /// The cards selected with Space (kept across searches and sorts):
    /// actions apply to them, or to the card under the cursor if none.
    pub picked: HashSet<CardKey>,
}

impl Browser {
    /// A browser over `cards`: the facts of every card of `catalog`, in
    /// its order (as [`search::all`] gives them).
    pub fn new(cards: Vec<Facts>, catalog: &Catalog) -> Browser {
        let mut browser = Browser {
            order: (0..cards.len() as u32).collect(),
            visible: Vec::new(),
            deck_starts: deck_starts(catalog),
            cards,
            query: String::new(),
            error: None,
            sort: Column::Deck,
            reverse: false,
            selected: 0,
            offset: 0,
            page: 10,
            focus: Focus::Table,
            card_page: None,
            scroll: ScrollState::default(),
            picked: HashSet::new(),
        };
        browser.resort();
        browser
    }

    /// New facts after an action (same query, sort and selected card).
    pub fn refresh(&mut self, cards: Vec<Facts>, catalog: &Catalog) {
        let selected = self.selected_key().cloned();
        self.cards = cards;
        self.deck_starts = deck_starts(catalog);
        self.order = (0..self.cards.len() as u32).collect();
        self.resort();
        if let Some(key) = selected
            && let Some(at) = self
                .visible
                .iter()
                .position(|&i| self.cards[i as usize].key == key)
        {
            self.selected = at;
        }
    }

    /// Matches (shown) over all cards.
    pub fn counts(&self) -> (usize, usize) {
        (self.visible.len(), self.cards.len())
    }

    pub fn selected_key(&self) -> Option<&CardKey> {
        let &index = self.visible.get(self.selected)?;
        Some(&self.cards[index as usize].key)
    }

    pub fn selected_facts(&self) -> Option<&Facts> {
        let &index = self.visible.get(self.selected)?;
        Some(&self.cards[index as usize])
    }

    /// Space: selects the card under the cursor, or unselects it, and moves
    /// down a row.
    pub fn toggle_pick(&mut self) {
        let Some(key) = self.selected_key().cloned() else {
            return;
        };
        if !self.picked.remove(&key) {
            self.picked.insert(key);
        }
        self.move_by(1);
    }

    /// The cards an action applies to: the selected ones (in deck order),
    /// else the one under the cursor; only that one with `cursor_only`
    /// (on its page).
    pub fn targets(&self, cursor_only: bool) -> Vec<&Facts> {
        if cursor_only || self.picked.is_empty() {
            return self.selected_facts().into_iter().collect();
        }
        self.cards
            .iter()
            .filter(|card| self.picked.contains(&card.key))
            .collect()
    }

    /// Sorts every card by the current column, then filters.
    fn resort(&mut self) {
        let cards = &self.cards;
        let column = self.sort;
        self.order
            .sort_by(|&a, &b| search::sort_by(column, &cards[a as usize], &cards[b as usize]));
        if self.reverse {
            self.order.reverse();
        }
        self.filter();
    }

    /// Re-reads the query and keeps the cards that match, in sort order. A
    /// bad query keeps the last good result and shows the error.
    pub fn filter(&mut self) {
        let query = match search::parse(&self.query) {
            Ok(query) => {
                self.error = None;
                query
            }
            Err(error) => {
                self.error = Some(error);
                return;
            }
        };
        let selected = self.selected_key().cloned();
        self.visible = matching(&query, &self.cards, &self.order);
        self.selected = selected
            .and_then(|key| {
                self.visible
                    .iter()
                    .position(|&i| self.cards[i as usize].key == key)
            })
            .unwrap_or(0);
    }

    pub fn type_char(&mut self, c: char) {
        self.query.push(c);
        self.filter();
    }

    pub fn erase(&mut self) {
        self.query.pop();
        self.filter();
    }

    /// `s`: sort by the next column.
    pub fn sort_next(&mut self) {
        self.sort = self.sort.next();
        self.reverse = false;
        self.resort();
    }

    /// `S`: reverse the sort.
    pub fn sort_reverse(&mut self) {
        self.reverse = !self.reverse;
        self.order.reverse();
        self.filter();
    }

    /// Moves the selection by `rows` (clamped).
    pub fn move_by(&mut self, rows: isize) {
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(rows).min(last);
    }

    pub fn to_first(&mut self) {
        self.selected = 0;
    }

    pub fn to_last(&mut self) {
        self.selected = self.visible.len().saturating_sub(1);
    }

    /// The view for rendering: only the rows that fit in `height` lines
    /// of table are built.
    pub fn view<'a>(
        &'a mut self,
        catalog: &Catalog,
        table_height: usize,
        hints: &'a [Hint],
        message: Option<(&'a str, ratatui::style::Style)>,
        theme: Theme,
        now: chrono::DateTime<chrono::Utc>,
    ) -> BrowserView<'a> {
        self.page = table_height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + self.page {
            self.offset = self.selected + 1 - self.page;
        }
        self.offset = self
            .offset
            .min(self.visible.len().saturating_sub(self.page));
        let rows = self
            .visible
            .iter()
            .skip(self.offset)
            .take(self.page)
            .map(|&i| {
                let i = i as usize;
                let card = &self.cards[i];
                let (front, tags) = self.text_of(catalog, i);
                let mut row = BrowserRow::new(card, &front, &tags, now);
                row.picked = self.picked.contains(&card.key);
                row
            })
            .collect();
        BrowserView {
            rows,
            selected: self.selected.checked_sub(self.offset),
            query: &self.query,
            searching: self.focus == Focus::Search,
            error: self.error.as_ref(),
            sort: self.sort,
            reverse: self.reverse,
            counts: self.counts(),
            picked: self.picked.len(),
            hints,
            message,
            theme,
        }
    }
}

impl Browser {
    /// Card `index`'s front (its first line) and tags, from the catalog.
    fn text_of(&self, catalog: &Catalog, index: usize) -> (String, String) {
        let deck = self.deck_starts.partition_point(|&start| start <= index);
        let card = deck
            .checked_sub(1)
            .and_then(|d| Some((catalog.decks.get(d)?, index - self.deck_starts[d])))
            .and_then(|(loaded, c)| loaded.deck.cards().get(c));
        match card {
            Some(card) => (
                crate::commands::cards::one_line(&card.front),
                card.tags.join(" "),
            ),
            None => (String::new(), String::new()),
        }
    }
}

/// Where each deck's cards start when all are listed in catalog order.
fn deck_starts(catalog: &Catalog) -> Vec<usize> {
    let mut start = 0;
    catalog
        .decks
        .iter()
        .map(|loaded| {
            let at = start;
            start += loaded.deck.cards().len();
            at
        })
        .collect()
}

/// The cards of `order` that match `query`, in that order.
pub fn matching(query: &Query, cards: &[Facts], order: &[u32]) -> Vec<u32> {
    if *query == Query::All {
        return order.to_vec();
    }
    order
        .iter()
        .copied()
        .filter(|&i| query.matches(&cards[i as usize]))
        .collect()
}
