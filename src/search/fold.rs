//! Folding text for search: lower case, accents removed, runs of white
//! space made one space, so `Café` and `cafe` match.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The searchable form of `text`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`], appended to `out` (which should end where a word may start).
pub fn fold_into(text: &str, out: &mut String) {
    let mut space = false;
    if text.is_ascii() {
        // Bytes in, bytes out: no per-character `char` work.
        let mut bytes = Vec::with_capacity(text.len());
        for &b in text.as_bytes() {
            // What `char::is_whitespace` says of ASCII: space, \t to \r.
            if matches!(b, b' ' | b'\t'..=b'\r') {
                if !space && !bytes.is_empty() {
                    bytes.push(b' ');
                }
                space = true;
            } else {
                space = false;
                bytes.push(b.to_ascii_lowercase());
            }
        }
        // ASCII in, ASCII out.
        out.push_str(std::str::from_utf8(&bytes).unwrap_or_default());
        return;
    }
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        for lower in c.to_lowercase() {
            push(&mut folded, &mut space, lower);
        }
    }
    out.push_str(&folded);
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
        // ASCII's whitespace is what `char::is_whitespace` says, too.
        assert_eq!(fold("a\t\x0b\x0cb \r\n c"), "a b c");
    }

    #[test]
    fn folding_into_a_buffer_appends() {
        let mut out = String::from("x\n");
        fold_into("  Café  Crème ", &mut out);
        out.push('\n');
        fold_into(" REST  API", &mut out);
        assert_eq!(
            out,
            format!("x\n{}\n{}", fold("  Café  Crème "), fold(" REST  API"))
        );
    }
}
