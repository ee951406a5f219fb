//! A card's identity across all decks: its deck id and card id, written
//! `deck/card` on command lines and as two columns in the review log.

use std::fmt;
use std::str::FromStr;

use super::{CardId, DeckId, IdError};

/// Identifies one card among all decks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardKey {
    pub deck: DeckId,
    pub card: CardId,
}

impl CardKey {
    pub fn new(deck: DeckId, card: CardId) -> Self {
        Self { deck, card }
    }
}

impl fmt::Display for CardKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.deck, self.card)
    }
}

/// Why `deck/card` text is not a card key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardKeyError {
    #[error("`{0}` is not DECK/CARD, e.g. aws-api-gateway/endpoint-types")]
    NoSlash(String),
    #[error("bad deck id: {0}")]
    Deck(IdError),
    #[error("bad card id: {0}")]
    Card(IdError),
}

impl FromStr for CardKey {
    type Err = CardKeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (deck, card) = s
            .split_once('/')
            .ok_or_else(|| CardKeyError::NoSlash(s.to_owned()))?;
        Ok(Self {
            deck: DeckId::new(deck).map_err(CardKeyError::Deck)?,
            card: CardId::new(card).map_err(CardKeyError::Card)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_deck_slash_card() {
        let key: CardKey = "aws-api-gateway/endpoint-types".parse().unwrap();
        assert_eq!(key.deck.as_str(), "aws-api-gateway");
        assert_eq!(key.card.as_str(), "endpoint-types");
        assert_eq!(key.to_string(), "aws-api-gateway/endpoint-types");
        assert!(matches!(
            "endpoint-types".parse::<CardKey>(),
            Err(CardKeyError::NoSlash(_))
        ));
        assert!(matches!(
            "a/b/c".parse::<CardKey>(),
            Err(CardKeyError::Card(_))
        ));
    }
}
