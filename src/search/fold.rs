//! Folding text for search: lower case, accents removed, runs of white
//! space made one space, so `Café` and `cafe` match.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The searchable form of `text`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    if text.is_ascii() {
        for b in text.bytes() {
            push(&mut out, &mut space, char::from(b.to_ascii_lowercase()));
        }
        return out;
    }
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        for lower in c.to_lowercase() {
            push(&mut out, &mut space, lower);
        }
    }
    out
}

fn push(out: &mut String, space: &mut bool, c: char) {
    if c.is_whitespace() {
        if !*space && !out.is_empty() {
            out.push(' ');
        }
        *space = true;
    } else {
        *space = false;
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_and_spaces_fold() {
        assert_eq!(fold("Café  Crème"), "cafe creme");
        assert_eq!(fold("ÉCOLE"), "ecole");
        assert_eq!(fold("Straße"), "straße");
        assert_eq!(fold("REST\nAPI"), "rest api");
        assert_eq!(fold("  lead"), "lead");
        assert_eq!(fold("日本語"), "日本語");
    }
}
