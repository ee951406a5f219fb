//! Deck and card ids: short, validated strings that are safe in file names,
//! CSV fields and command lines.

use std::fmt;
use std::str::FromStr;

/// The longest id we accept, in characters.
pub const MAX_ID_LEN: usize = 64;

/// Why a string is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an id cannot be empty")]
    Empty,
    #[error("`{id}` is {len} characters long; ids have at most {MAX_ID_LEN}")]
    TooLong { id: String, len: usize },
    #[error("`{id}` contains {found:?}; ids use only letters, digits, `-`, `_` and `.`")]
    BadChar { id: String, found: char },
}

/// Checks the id rules shared by decks and cards.
fn validate(id: &str) -> Result<(), IdError> {
    if id.is_empty() {
        return Err(IdError::Empty);
    }
    if let Some(found) = id.chars().find(|c| !is_id_char(*c)) {
        return Err(IdError::BadChar {
            id: id.to_owned(),
            found,
        });
    }
    // All id characters are ASCII, so the byte length is the character count.
    if id.len() > MAX_ID_LEN {
        return Err(IdError::TooLong {
            id: id.to_owned(),
            len: id.len(),
        });
    }
    Ok(())
}

/// Whether `c` may appear in an id.
pub fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        // Deserialised ids (from recall's cache) are checked like any other.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(id: String) -> Result<Self, IdError> {
                Self::new(id)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl $name {
            /// Validates `id` and wraps it.
            pub fn new(id: impl Into<String>) -> Result<Self, IdError> {
                let id = id.into();
                validate(&id)?;
                Ok(Self(id))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether `id` is valid, without making one (no allocation).
            pub fn is_valid(id: &str) -> bool {
                validate(id).is_ok()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// The id of a deck, e.g. `aws-api-gateway`.
    DeckId
);
id_type!(
    /// The id of a card within its deck, e.g. `endpoint-types`.
    CardId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_allowed_characters() {
        assert!(DeckId::new("aws-api_gateway.v2").is_ok());
        assert!(CardId::new("a".repeat(MAX_ID_LEN)).is_ok());
    }

    #[test]
    fn rejects_empty_long_and_odd_ids() {
        assert_eq!(CardId::new(""), Err(IdError::Empty));
        assert!(matches!(
            CardId::new("a".repeat(MAX_ID_LEN + 1)),
            Err(IdError::TooLong { len: 65, .. })
        ));
        assert!(matches!(
            DeckId::new("my deck"),
            Err(IdError::BadChar { found: ' ', .. })
        ));
        assert!(matches!(
            DeckId::new("a/b"),
            Err(IdError::BadChar { found: '/', .. })
        ));
        assert!(matches!(
            DeckId::new("é"),
            Err(IdError::BadChar { found: 'é', .. })
        ));
    }
}
