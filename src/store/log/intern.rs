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
pub(crate) struct Interner {
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
    pub(crate) fn keys(&self) -> &[CardKey] {
        &self.keys
    }

    fn text(&self, index: u32) -> &str {
        let i = index as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.arena[start..self.ends[i] as usize]
    }

    /// The hash of a key, from its two ids (no `deck,card` string needed).
    fn hash(&self, deck: &str, card: &str) -> u64 {
        self.hasher.hash_one((deck, card))
    }

    /// Whether key `index` is `deck,card`.
    fn is(&self, index: u32, deck: &str, card: &str) -> bool {
        let text = self.text(index);
        text.len() == deck.len() + 1 + card.len()
            && text.starts_with(deck)
            && text.as_bytes()[deck.len()] == b','
            && text.ends_with(card)
    }

    /// The index of the key with these ids, if the log has it.
    pub(crate) fn get(&self, deck: &str, card: &str) -> Option<KeyIndex> {
        let hash = self.hash(deck, card);
        self.table
            .find(hash, |&i| self.is(i, deck, card))
            .map(|&i| KeyIndex(i))
    }

    /// The index of the key with these ids, adding it if new; an error if
    /// either id is invalid.
    pub(crate) fn intern(&mut self, deck: &str, card: &str) -> Result<KeyIndex, String> {
        let hash = self.hash(deck, card);
        if let Some(&i) = self.table.find(hash, |&i| self.is(i, deck, card)) {
            return Ok(KeyIndex(i));
        }
        let key = CardKey::new(
            DeckId::new(deck).map_err(|e| format!("deck id: {e}"))?,
            CardId::new(card).map_err(|e| format!("card id: {e}"))?,
        );
        let too_many = || "too many cards".to_owned();
        let index = u32::try_from(self.keys.len()).map_err(|_| too_many())?;
        self.arena.push_str(deck);
        self.arena.push(',');
        self.arena.push_str(card);
        self.ends
            .push(u32::try_from(self.arena.len()).map_err(|_| too_many())?);
        self.keys.push(key);
        let keys = &self.keys;
        let hasher = &self.hasher;
        self.table.insert_unique(hash, index, |&i| {
            let key = &keys[i as usize];
            hasher.hash_one((key.deck.as_str(), key.card.as_str()))
        });
        Ok(KeyIndex(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key is found at its own index among many (enough that keys
    /// share hash-table tags, so the comparison is what tells them apart),
    /// including keys whose `deck,card` texts differ only in where the
    /// comma falls or in the last character.
    #[test]
    fn every_key_is_found_at_its_own_index_among_many() {
        let mut keys = Vec::new();
        for i in 0..3000 {
            keys.push(("d".to_owned(), i.to_string()));
            keys.push(("d1".to_owned(), i.to_string()));
            keys.push((format!("d{i}"), "1".to_owned()));
        }
        let mut interner = Interner::default();
        let mut indices = Vec::new();
        for (deck, card) in &keys {
            let index = interner.intern(deck, card).unwrap();
            assert_eq!(interner.intern(deck, card).unwrap(), index, "interned once");
            indices.push(index);
        }
        let mut distinct = indices.clone();
        distinct.sort_by_key(|i| i.get());
        distinct.dedup();
        assert_eq!(distinct.len(), keys.len() - 1, "d1,1 is listed twice");
        for ((deck, card), index) in keys.iter().zip(&indices) {
            assert_eq!(interner.get(deck, card), Some(*index), "{deck},{card}");
        }
        assert_eq!(interner.get("d", "x"), None);
        assert_eq!(interner.get("d,1", ""), None);
    }
}
