//! Cached decks: a deck file's parsed, validated [`Deck`], used while the
//! file has the same path, size, modification time and content hash.
//!
//! The content is hashed on every use (xxh3-128, a few milliseconds for a
//! 16 MB deck), so a file replaced by another of the same size and time is
//! still noticed. Both the file and the entry are read in blocks (the
//! entry decoded as it is read): a hit holds neither whole in memory.
//! Files with problems are not cached: their errors are found again each
//! time.

use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::Cache;
use super::entry;
use crate::deck::catalog::{parse_bytes, read_deck_file};
use crate::deck::{Deck, DeckError, default_deck_id};

/// What a deck entry is for.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct DeckKey {
    path: String,
    size: u64,
    modified_nanos: Option<i128>,
    content: u128,
}

impl Cache {
    /// Loads the deck file at `path`, from the cache when it holds this
    /// very file, else by parsing it (and caching the result). Errors are
    /// the parser's, as [`crate::deck::catalog::load_file`] gives them.
    pub fn load_deck(&self, path: &Path) -> Result<Deck, DeckError> {
        let Some(entry_path) = self.entry_path("decks", path) else {
            return crate::deck::catalog::load_file(path);
        };
        // Hashed as it is read, never held whole: a hit costs the entry's
        // memory only, not the file's too.
        if let Some(key) = streamed_key(path)
            && let Some(deck) =
                entry::read_streamed::<DeckKey, Deck>(self, &entry_path, |cached| cached == &key)
        {
            return Ok(deck);
        }
        let bytes = read_deck_file(path)?;
        let key = DeckKey {
            path: path.to_string_lossy().into_owned(),
            size: bytes.len() as u64,
            modified_nanos: modified_nanos(path),
            content: xxhash_rust::xxh3::xxh3_128(&bytes),
        };
        let deck = parse_bytes(bytes, path, &default_deck_id(path))?;
        entry::write(self, &entry_path, &key, &deck);
        Ok(deck)
    }
}

/// The key of the file at `path`, its content hashed in blocks; `None` if
/// it is not a regular file or cannot be read (the parser then says why).
fn streamed_key(path: &Path) -> Option<DeckKey> {
    use std::io::Read;
    // Opened without blocking (a FIFO named like a deck must not hang the
    // start) and only if it is a regular file.
    let mut file = crate::read_file::open_regular(path).ok()?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(read) => {
                hasher.update(&buf[..read]);
                size += read as u64;
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(DeckKey {
        path: path.to_string_lossy().into_owned(),
        size,
        modified_nanos: modified_nanos(path),
        content: hasher.digest128(),
    })
}

fn modified_nanos(path: &Path) -> Option<i128> {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(nanos_since_epoch)
}

fn nanos_since_epoch(time: SystemTime) -> Option<i128> {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => Some(after.as_nanos() as i128),
        Err(before) => Some(-(before.duration().as_nanos() as i128)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str =
        "[deck]\nname = \"D\"\n\n[[cards]]\nid = \"a\"\nfront = \"Q\"\nback = \"A\"\n";

    #[test]
    fn a_cached_deck_is_the_parsed_deck_and_a_changed_file_is_reparsed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(Some(dir.path().join("cache")));
        let path = dir.path().join("d.toml");
        std::fs::write(&path, DECK).unwrap();
        let parsed = crate::deck::catalog::load_file(&path).unwrap();
        assert_eq!(cache.load_deck(&path).unwrap(), parsed);
        assert_eq!(cache.load_deck(&path).unwrap(), parsed);
        assert!(cache.entry_path("decks", &path).unwrap().exists());

        // Same size, different text: the hash notices.
        let edited = DECK.replace("\"Q\"", "\"R\"");
        std::fs::write(&path, &edited).unwrap();
        let deck = cache.load_deck(&path).unwrap();
        assert_eq!(deck.cards()[0].front, "R");
        assert!(cache.take_warning().is_none());
    }
}
