//! Ids for imported decks and cards: other programs name things with any
//! characters, while our ids use only letters, digits, `-`, `_` and `.`
//! (they end up in file names and the review log).
//!
//! Both mappings are pure functions of the name, so re-importing a source
//! gives the same ids, and so keeps the review history.

use crate::deck::{CardId, DeckId, MAX_ID_LEN, fnv1a32};

/// `-` and 8 hex digits, appended when a mapping loses information.
const HASH_SUFFIX_LEN: usize = 9;

/// The id of a deck named `name` (an Anki deck name or a file name):
///
/// - each `::` level of Anki's hierarchy becomes a `.`-separated part;
/// - ASCII letters and digits are kept, lower-cased; common accented Latin
///   letters lose their accent (`é` -> `e`, `ß` -> `ss`);
/// - every other run of spaces and punctuation becomes one `-`;
/// - characters of other scripts and symbols are dropped, and then `-` and a
///   hash of the whole name are appended, so `日本語` and `中文` stay apart;
/// - an empty result becomes `deck-` and the hash; a long one is cut to 55
///   characters and gets the hash.
///
/// `Languages::Japanese N5` -> `languages.japanese-n5`.
pub fn deck_id_from_name(name: &str) -> DeckId {
    let name = name.trim();
    let mut lossy = false;
    let parts: Vec<String> = name
        .split("::")
        .map(|part| slug(part, &mut lossy))
        .filter(|part| !part.is_empty())
        .collect();
    let id = with_hash_if_needed(parts.join("."), lossy, name, "deck");
    DeckId::new(id).unwrap_or_else(|error| unreachable!("mapped deck ids are valid: {error}"))
}

/// The id of a card from an Anki note's guid, or `None` for an empty guid.
///
/// A guid that is already a valid id is kept as it is, so our own exports
/// (which write card ids as guids) come back unchanged. Otherwise every
/// character other than ASCII letters, digits, `-` and `.` is written as `_`
/// and the hex digits of its UTF-8 bytes: Anki's `LkS:t]e}jw` becomes
/// `LkS_3at_5de_7djw`. Guids are case-sensitive, and so are these ids. A
/// result over 64 characters is cut to 55 and gets `-` and a hash.
pub fn card_id_from_guid(guid: &str) -> Option<CardId> {
    let guid = guid.trim();
    if guid.is_empty() {
        return None;
    }
    if let Ok(id) = CardId::new(guid) {
        return Some(id);
    }
    let mut escaped = String::with_capacity(guid.len() * 2);
    for c in guid.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
            escaped.push(c);
        } else {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                escaped.push_str(&format!("_{byte:02x}"));
            }
        }
    }
    let id = with_hash_if_needed(escaped, false, guid, "card");
    Some(CardId::new(id).unwrap_or_else(|error| unreachable!("mapped card ids are valid: {error}")))
}

/// Lower-cased ASCII letters and digits, accents folded, other runs as `-`.
/// Sets `lossy` when a character had to be dropped.
fn slug(text: &str, lossy: &mut bool) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        let kept = if c.is_ascii_alphanumeric() {
            Some(c.to_ascii_lowercase().to_string())
        } else {
            fold_latin(c).map(str::to_owned)
        };
        match kept {
            Some(kept) => {
                if gap && !slug.is_empty() {
                    slug.push('-');
                }
                gap = false;
                slug.push_str(&kept);
            }
            None => {
                gap = true;
                if !(c.is_whitespace() || c.is_ascii_punctuation()) {
                    *lossy = true;
                }
            }
        }
    }
    slug
}

/// Appends `-` and the name's hash when the mapping dropped characters or
/// the id would be too long; an empty id becomes `{empty}-{hash}`.
fn with_hash_if_needed(id: String, lossy: bool, name: &str, empty: &str) -> String {
    let hash = format!("{:08x}", fnv1a32(name.as_bytes()));
    if id.is_empty() {
        return format!("{empty}-{hash}");
    }
    if !lossy && id.len() <= MAX_ID_LEN {
        return id;
    }
    // Ids are ASCII here, so cutting at a byte index is cutting at a character.
    let keep = id.len().min(MAX_ID_LEN - HASH_SUFFIX_LEN);
    let cut = id[..keep].trim_end_matches(['-', '.', '_']);
    if cut.is_empty() {
        format!("{empty}-{hash}")
    } else {
        format!("{cut}-{hash}")
    }
}

/// The ASCII spelling of a common accented Latin letter, lower-cased.
fn fold_latin(c: char) -> Option<&'static str> {
    let lower = c.to_lowercase().next()?;
    Some(match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(name: &str) -> String {
        deck_id_from_name(name).to_string()
    }

    fn card(guid: &str) -> String {
        card_id_from_guid(guid).unwrap().to_string()
    }

    #[test]
    fn deck_names_keep_their_hierarchy_as_dots() {
        assert_eq!(deck("Geo::Capitals"), "geo.capitals");
        assert_eq!(deck("Languages::Japanese N5"), "languages.japanese-n5");
        assert_eq!(deck("AWS API Gateway"), "aws-api-gateway");
        assert_eq!(deck("  my_deck (v2.1)!  "), "my-deck-v2-1");
        assert_eq!(deck("a:: ::b"), "a.b");
    }

    #[test]
    fn accents_fold_and_other_scripts_get_a_hash() {
        assert_eq!(deck("Français Été"), "francais-ete");
        assert_eq!(deck("Straße"), "strasse");
        let japanese = deck("日本語");
        assert!(
            japanese.starts_with("deck-") && japanese.len() == 13,
            "{japanese}"
        );
        assert_ne!(deck("日本語"), deck("中文"));
        let mixed = deck("日本語 N5");
        assert!(mixed.starts_with("n5-"), "{mixed}");
        assert_ne!(mixed, deck("中文 N5"));
        assert!(deck("Emoji 🐈").starts_with("emoji-"));
    }

    #[test]
    fn long_names_are_cut_with_a_hash() {
        let long = deck(&"word ".repeat(40));
        assert!(long.len() <= MAX_ID_LEN, "{long}");
        assert_ne!(long, deck(&"word ".repeat(41)));
        assert!(DeckId::new(deck(&"::".repeat(10))).is_ok());
        assert!(deck("").starts_with("deck-"));
    }

    #[test]
    fn valid_guids_are_kept() {
        assert_eq!(card("integration-examples"), "integration-examples");
        assert_eq!(card("Ab_9.x-Y"), "Ab_9.x-Y");
        assert_eq!(card_id_from_guid("  "), None);
    }

    #[test]
    fn other_guids_are_escaped_injectively() {
        assert_eq!(card("LkS:t]e}jw"), "LkS_3at_5de_7djw");
        assert_eq!(card("abc/def+1"), "abc_2fdef_2b1");
        assert_eq!(card("a b"), "a_20b");
        assert_eq!(card("é!"), "_c3_a9_21");
        assert_ne!(card("a/b"), card("a+b"));
        // Anki's guids are base91: every one of those characters maps to a
        // valid id.
        let base91 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";
        for c in base91.chars() {
            assert!(card_id_from_guid(&format!("x{c}")).is_some());
        }
    }

    #[test]
    fn long_guids_are_cut_with_a_hash() {
        let guid = "/".repeat(40);
        let id = card(&guid);
        assert!(id.len() <= MAX_ID_LEN, "{id}");
        assert_ne!(id, card(&"/".repeat(41)));
    }
}
