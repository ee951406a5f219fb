//! Text from decks, logs and imported files is hostile: a card or deck name
//! holding ESC, CSI or OSC sequences would set the window title, write the
//! clipboard or redraw the screen if printed raw to a terminal.
//!
//! Every line recall prints outside ratatui goes through [`visible`] (or
//! [`VisibleWriter`], which applies it to a whole stream): C0 and C1
//! control characters are shown the way `cat -v` shows them (`^[` for ESC,
//! `^?` for DEL, `M-^[` for U+009B), except newline and tab.

use std::borrow::Cow;
use std::io::Write;

/// `text` with every control character except `\n` and `\t` made visible
/// (caret notation). Borrowed unchanged when there is none.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden_control(c) {
            push_caret(&mut out, c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A control character that must not reach a terminal raw.
fn is_hidden_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `cat -v` notation: `^@`..`^_`, `^?`, and `M-` before C1 (U+0080..U+009F).
fn push_caret(out: &mut String, code: u32) {
    let code = if code >= 0x80 {
        out.push_str("M-");
        code - 0x80
    } else {
        code
    };
    out.push('^');
    out.push(if code == 0x7f {
        '?'
    } else {
        char::from_u32(code ^ 0x40).unwrap_or('?')
    });
}

/// A writer that passes everything through [`visible`]'s rule, byte by
/// byte, so it needs no whole lines (a C1 character split across two
/// writes is still caught). Bytes that are not UTF-8 pass as they are,
/// except C0 controls.
#[derive(Debug)]
pub struct VisibleWriter<W: Write> {
    inner: W,
    /// The previous byte was 0xC2, the first byte of every C1 character.
    pending_c2: bool,
}

impl<W: Write> VisibleWriter<W> {
    pub fn new(inner: W) -> Self {
        VisibleWriter {
            inner,
            pending_c2: false,
        }
    }
}

impl<W: Write> Write for VisibleWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut out = Vec::with_capacity(bytes.len() + 8);
        let mut caret = String::new();
        for &b in bytes {
            if self.pending_c2 {
                self.pending_c2 = false;
                if (0x80..=0x9f).contains(&b) {
                    caret.clear();
                    push_caret(&mut caret, u32::from(b));
                    out.extend_from_slice(caret.as_bytes());
                    continue;
                }
                out.push(0xc2);
            }
            if b == 0xc2 {
                self.pending_c2 = true;
            } else if b < 0x80 && is_hidden_control(char::from(b)) {
                caret.clear();
                push_caret(&mut caret, u32::from(b));
                out.extend_from_slice(caret.as_bytes());
            } else {
                out.push(b);
            }
        }
        self.inner.write_all(&out)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.pending_c2 {
            self.pending_c2 = false;
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for VisibleWriter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_become_visible_and_text_stays() {
        assert_eq!(visible("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            visible("\u{1b}]0;pwned\u{7}title\u{1b}[2J\r\u{7f}"),
            "^[]0;pwned^Gtitle^[[2J^M^?"
        );
        assert_eq!(visible("a\u{9b}31mb\u{85}"), "aM-^[31mbM-^E");
        assert_eq!(visible("日本語 é"), "日本語 é");
    }

    #[test]
    fn the_writer_matches_the_function_even_split_mid_character() {
        let text = "x\u{9b}y\u{1b}[31m\u{e9}\u{c2}";
        let mut out = Vec::new();
        {
            let mut writer = VisibleWriter::new(&mut out);
            for byte in text.as_bytes() {
                writer.write_all(&[*byte]).unwrap();
            }
        }
        assert_eq!(String::from_utf8(out).unwrap(), visible(text));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn nothing_hidden_survives_and_the_writer_agrees(text in "\\PC*|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}a-z ]*", split in 0usize..64) {
            let shown = visible(&text);
            prop_assert!(!shown.chars().any(is_hidden_control));
            let bytes = text.as_bytes();
            let split = split.min(bytes.len());
            let mut out = Vec::new();
            {
                let mut writer = VisibleWriter::new(&mut out);
                writer.write_all(&bytes[..split]).unwrap();
                writer.write_all(&bytes[split..]).unwrap();
            }
            prop_assert_eq!(String::from_utf8(out).unwrap(), shown.into_owned());
        }
    }
}
