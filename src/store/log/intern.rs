//! Card keys stored once per log, not once per review.
//!
//! Loading a big log looks up one key per line in random order, so this is
//! built for cache misses: the hash table holds bare `u32` indices (about
//! 400 KB for 100,000 cards, small enough to stay in cache), and the key
//! text it is checked against sits in one contiguous arena. A
//! `HashMap<Box<str>, _>` of the same keys took about twice as long.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::KeyIndex;
use crate::deck::{CardId, CardKey, DeckId};

#[derive(Debug, Default, Clone)]
pub(super) struct Interner {
    keys: Vec<CardKey>,
    /// Every key's `deck,card` text, back to back.
    arena: String,
    /// Where each key's text ends in `arena`; it starts where the previous
    /// one ends.
    ends: Vec<u32>,
    table: HashTable<u32>,
    /// A fixed seed: the log is the user's own, so hash flooding is moot.
    hasher: foldhash::fast::FixedState,
}

impl Interner {
    pub(super) fn keys(&self) -> &[CardKey] {
        &self.keys
    }

    fn text(&self, index: u32) -> &str {
        let i = index as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.arena[start..self.ends[i] as usize]
    }

    /// The index of `deck_and_card` (`deck,card` as in the log), if known.
    pub(super) fn get(&self, deck_and_card: &str) -> Option<KeyIndex> {
        let hash = self.hasher.hash_one(deck_and_card);
        self.table
            .find(hash, |&i| self.text(i) == deck_and_card)
            .map(|&i| KeyIndex(i))
    }

    /// The index of `deck_and_card` (its comma at byte `comma`), adding the
    /// key if it is new; an error if either id is invalid.
    pub(super) fn intern(&mut self, deck_and_card: &str, comma: usize) -> Result<KeyIndex, String> {
        let hash = self.hasher.hash_one(deck_and_card);
        if let Some(&i) = self.table.find(hash, |&i| self.text(i) == deck_and_card) {
            return Ok(KeyIndex(i));
        }
        let (deck, card) = (&deck_and_card[..comma], &deck_and_card[comma + 1..]);
        let key = CardKey::new(
            DeckId::new(deck).map_err(|e| format!("deck id: {e}"))?,
            CardId::new(card).map_err(|e| format!("card id: {e}"))?,
        );
        let index = u32::try_from(self.keys.len()).map_err(|_| "too many cards".to_owned())?;
        self.keys.push(key);
        self.arena.push_str(deck_and_card);
        self.ends
            .push(u32::try_from(self.arena.len()).map_err(|_| "too many cards".to_owned())?);
        let hasher = &self.hasher;
        let arena = &self.arena;
        let ends = &self.ends;
        self.table.insert_unique(hash, index, |&i| {
            let i = i as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] as usize };
            hasher.hash_one(&arena[start..ends[i] as usize])
        });
        Ok(KeyIndex(index))
    }
}
