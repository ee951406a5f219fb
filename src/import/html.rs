//! HTML, as in Anki's fields, to our light Markdown and back.
//!
//! [`to_markdown`] reads what Anki's editor writes: `<br>` and block tags
//! (`<div>`, `<p>`, ...) become line breaks, `<b>`/`<strong>` become `**`,
//! `<code>` becomes `` ` ``, `<ul>`/`<ol>` items become `- ` / `1. ` lines
//! nested by two spaces, entities are decoded (`&nbsp;` as a plain space),
//! `<img src="x.png">` and `[sound:x.mp3]` become visible `[image: x.png]` and
//! `[sound: x.mp3]` markers, and other tags are dropped (the text inside
//! `<script>` and `<style>` too). Runs of spaces and line ends in the source
//! count as one space, as a browser shows them.
//!
//! [`from_markdown`] writes HTML that Anki shows the way recall does (bold
//! and code as tags, one `<br>` per line end) and that [`to_markdown`] reads
//! back to exactly the same text, whatever it holds: a space is written as
//! `&nbsp;` wherever a browser would drop or merge it, and characters that
//! mean something in HTML are escaped.

use std::borrow::Cow;

/// Tags after which, and before which, text starts on a new line.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "nav",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
];

/// Tags whose content is not text to show.
const HIDDEN_TAGS: &[&str] = &["head", "script", "style", "template", "title"];

/// The whitespace HTML collapses; other spaces (e.g. U+00A0) are text.
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0C}')
}

/// Converts an HTML field to light Markdown (surrounding space not trimmed).
pub fn to_markdown(html: &str) -> String {
    let mut converter = Converter::default();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        converter.text(&rest[..lt]);
        rest = &rest[lt..];
        match Tag::parse(rest) {
            Some((tag, len)) => {
                rest = &rest[len..];
                if let Some(hidden) = tag.opens_hidden() {
                    rest = skip_hidden(rest, hidden);
                } else {
                    converter.tag(&tag);
                }
            }
            None => {
                converter.text("<");
                rest = &rest[1..];
            }
        }
    }
    converter.text(rest);
    converter.finish()
}

/// Skips the content of a `<script>`-like element, up to and past its end tag.
fn skip_hidden<'a>(html: &'a str, name: &str) -> &'a str {
    let mut rest = html;
    while let Some(lt) = rest.find("</") {
        rest = &rest[lt..];
        if let Some((tag, len)) = Tag::parse(rest)
            && tag.closing
            && tag.name == name
        {
            return &rest[len..];
        }
        rest = &rest[2..];
    }
    ""
}

/// One tag: its lower-cased name, whether it is an end tag, and its `src`.
#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    src: Option<String>,
}

impl Tag {
    /// Parses the tag at the start of `html` (which starts with `<`),
    /// returning it and its length; comments and `<!...>`/`<?...>`
    /// declarations parse as a nameless tag. `None` if this `<` starts no tag.
    fn parse(html: &str) -> Option<(Tag, usize)> {
        let after = &html[1..];
        if let Some(comment) = after.strip_prefix("!--") {
            let end = comment.find("-->").map_or(html.len(), |i| 1 + 3 + i + 3);
            return Some((Tag::nameless(), end));
        }
        if after.starts_with(['!', '?']) {
            let end = after.find('>').map_or(html.len(), |i| i + 2);
            return Some((Tag::nameless(), end));
        }
        let (closing, body) = match after.strip_prefix('/') {
            Some(body) => (true, body),
            None => (false, after),
        };
        if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let name_len = body
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(body.len());
        let attrs_end = find_tag_end(&body[name_len..])?;
        let attrs = &body[name_len..name_len + attrs_end];
        let len = html.len() - body.len() + name_len + attrs_end + 1;
        let name = body[..name_len].to_ascii_lowercase();
        let src = (name == "img").then(|| attribute(attrs, "src")).flatten();
        Some((Tag { name, closing, src }, len))
    }

    fn nameless() -> Tag {
        Tag {
            name: String::new(),
            closing: false,
            src: None,
        }
    }

    fn opens_hidden(&self) -> Option<&'static str> {
        if self.closing {
            return None;
        }
        HIDDEN_TAGS
            .iter()
            .copied()
            .find(|hidden| *hidden == self.name)
    }
}

/// The offset of the `>` that ends a tag's attributes, skipping quoted values.
fn find_tag_end(attrs: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in attrs.char_indices() {
        match (quote, c) {
            (None, '>') => return Some(i),
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    None
}

/// The value of attribute `wanted` (quoted or not, entities decoded).
fn attribute(attrs: &str, wanted: &str) -> Option<String> {
    let mut rest = attrs.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    while !rest.is_empty() {
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        rest = rest[name_len..].trim_start();
        let mut value = None;
        if let Some(after_eq) = rest.strip_prefix('=') {
            let after_eq = after_eq.trim_start();
            let (raw, remaining) = match after_eq.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after_eq[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after_eq.find(char::is_whitespace).unwrap_or(after_eq.len());
                    (&after_eq[..end], &after_eq[end..])
                }
            };
            value = Some(raw);
            rest = remaining;
        }
        if name.eq_ignore_ascii_case(wanted) {
            return value.map(|raw| html_escape::decode_html_entities(raw).into_owned());
        }
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    }
    None
}

/// An open `<ul>` or `<ol>` and, for `<ol>`, the number of the next item.
#[derive(Debug)]
enum List {
    Bullets,
    Numbered(usize),
}

/// Markdown being written from HTML, with the state that tags leave open.
#[derive(Debug, Default)]
struct Converter {
    out: String,
    /// Where the current line starts in `out`.
    line_start: usize,
    /// Text (not only a list marker) is on the current line.
    text_on_line: bool,
    /// Source whitespace was seen after text; written as one space before
    /// more text on the same line, dropped at a line end.
    pending_space: bool,
    /// Open `<b>`/`<strong>` tags, and whether `**` is open in `out`.
    bold: usize,
    bold_written: bool,
    code: usize,
    code_written: bool,
    /// Inside `<pre>`, whitespace is kept as it is.
    pre: usize,
    lists: Vec<List>,
}

impl Converter {
    /// Source text between tags.
    fn text(&mut self, text: &str) {
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let len = if is_html_space(c) {
                self.space(c);
                c.len_utf8()
            } else if c == '&' {
                self.entity(rest)
            } else if let Some((name, len)) = sound(rest) {
                self.visible(&format!("[sound: {name}]"));
                len
            } else {
                let plain = rest
                    .find(|c: char| is_html_space(c) || c == '&' || c == '[')
                    .unwrap_or(rest.len())
                    .max(c.len_utf8());
                self.visible(&rest[..plain]);
                plain
            };
            rest = &rest[len..];
        }
    }

    fn space(&mut self, c: char) {
        if self.pre > 0 {
            match c {
                '\n' => self.line_break(),
                '\r' => {}
                _ => self.visible(&c.to_string()),
            }
        } else if self.text_on_line {
            self.pending_space = true;
        }
    }

    /// An entity at the start of `text`, or a plain `&`; returns the length read.
    fn entity(&mut self, text: &str) -> usize {
        // An entity is `&`, up to 40 name characters, then `;`.
        let end = text
            .bytes()
            .enumerate()
            .skip(1)
            .take(40)
            .find(|(_, b)| matches!(b, b';' | b'&' | b'<') || b.is_ascii_whitespace())
            .filter(|(_, b)| *b == b';')
            .map(|(i, _)| i);
        if let Some(end) = end {
            let entity = &text[..=end];
            if entity == "&nbsp;" {
                // Anki's editor writes `&nbsp;` for plain spaces it must keep.
                self.visible(" ");
                return entity.len();
            }
            if let Cow::Owned(decoded) = html_escape::decode_html_entities(entity) {
                self.visible(&decoded);
                return entity.len();
            }
        }
        self.visible("&");
        1
    }

    /// Writes text that shows, opening and closing `**` and `` ` `` as the
    /// tags around it ask.
    ///
    /// Marks open lazily, at the first text after their tag, so that an
    /// empty `<b></b>` writes nothing; they close at once with their tag.
    fn visible(&mut self, text: &str) {
        if std::mem::take(&mut self.pending_space) {
            self.out.push(' ');
        }
        if self.bold > 0 && !self.bold_written {
            self.out.push_str("**");
            self.bold_written = true;
        }
        if self.code > 0 && !self.code_written {
            self.out.push('`');
            self.code_written = true;
        }
        self.out.push_str(text);
        self.text_on_line = true;
    }

    /// Closes `**` and `` ` `` at a line end; they reopen on the next line
    /// if their tags are still open, since our Markdown marks lines.
    fn close_marks(&mut self) {
        if std::mem::take(&mut self.code_written) {
            self.out.push('`');
        }
        if std::mem::take(&mut self.bold_written) {
            self.out.push_str("**");
        }
    }

    fn line_break(&mut self) {
        self.close_marks();
        self.out.push('\n');
        self.line_start = self.out.len();
        self.text_on_line = false;
        self.pending_space = false;
    }

    /// Starts a new line unless the current one has no text yet.
    fn block_boundary(&mut self) {
        if self.text_on_line {
            self.line_break();
        }
    }

    fn tag(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        match (name, tag.closing) {
            ("br", _) => self.line_break(),
            ("b" | "strong", false) => self.bold += 1,
            ("b" | "strong", true) => {
                self.bold = self.bold.saturating_sub(1);
                if self.bold == 0 && std::mem::take(&mut self.bold_written) {
                    self.out.push_str("**");
                }
            }
            ("code" | "kbd" | "samp" | "tt", false) => self.code += 1,
            ("code" | "kbd" | "samp" | "tt", true) => {
                self.code = self.code.saturating_sub(1);
                if self.code == 0 && std::mem::take(&mut self.code_written) {
                    self.out.push('`');
                }
            }
            ("pre", closing) => {
                self.block_boundary();
                if closing {
                    self.pre = self.pre.saturating_sub(1);
                } else {
                    self.pre += 1;
                }
            }
            ("ul" | "ol", false) => {
                self.block_boundary();
                self.lists.push(if name == "ul" {
                    List::Bullets
                } else {
                    List::Numbered(1)
                });
            }
            ("ul" | "ol", true) => {
                self.block_boundary();
                self.lists.pop();
            }
            ("li", false) => self.list_item(),
            ("li", true) => self.block_boundary(),
            ("td" | "th", false) if self.text_on_line => self.pending_space = true,
            ("img", false) => {
                let marker = match tag.src.as_deref().map(str::trim) {
                    Some(src) if !src.is_empty() && !src.starts_with("data:") => {
                        format!("[image: {src}]")
                    }
                    _ => "[image]".to_owned(),
                };
                self.visible(&marker);
            }
            _ if BLOCK_TAGS.contains(&name) => self.block_boundary(),
            _ => {}
        }
    }

    /// `- ` (or `1. `) on a line of its own, indented two spaces per level.
    fn list_item(&mut self) {
        if self.out.len() > self.line_start {
            self.line_break();
        }
        self.close_marks();
        let depth = self.lists.len().max(1);
        let marker = match self.lists.last_mut() {
            Some(List::Numbered(n)) => {
                *n += 1;
                format!("{}. ", *n - 1)
            }
            _ => "- ".to_owned(),
        };
        self.out.push_str(&"  ".repeat(depth - 1));
        self.out.push_str(&marker);
        self.pending_space = false;
    }

    fn finish(mut self) -> String {
        self.close_marks();
        self.out
    }
}

/// `[sound:name]` at the start of `text`: the name and the length.
fn sound(text: &str) -> Option<(&str, usize)> {
    let inner = text.strip_prefix("[sound:")?;
    let end = inner.find(']')?;
    Some((inner[..end].trim(), "[sound:".len() + end + 1))
}

/// One unit of a line being written as HTML.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Piece {
    Char(char),
    Tag(&'static str),
}

/// Converts light Markdown to HTML that [`to_markdown`] reads back unchanged.
pub fn from_markdown(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 4);
    for (i, line) in markdown.split('\n').enumerate() {
        if i > 0 {
            html.push_str("<br>");
        }
        write_pieces(&line_pieces(line), &mut html);
    }
    html
}

/// A line as characters and the tags its `**` pairs and `` ` `` spans become.
/// Only pairs around some text on the same line become tags; an unpaired
/// marker stays as it is.
fn line_pieces(line: &str) -> Vec<Piece> {
    let chars: Vec<char> = line.chars().collect();
    let mut pieces = Vec::with_capacity(chars.len());
    let mut bold_open = false;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '`'
            && let Some(len) = chars[i + 1..].iter().position(|&c| c == '`')
            && len > 0
        {
            pieces.push(Piece::Tag("<code>"));
            pieces.extend(chars[i + 1..i + 1 + len].iter().map(|&c| Piece::Char(c)));
            pieces.push(Piece::Tag("</code>"));
            i += len + 2;
            continue;
        }
        if chars[i] == '*' && chars.get(i + 1) == Some(&'*') {
            if bold_open {
                pieces.push(Piece::Tag("</b>"));
                bold_open = false;
                i += 2;
                continue;
            }
            if has_closing_bold(&chars[i + 2..]) {
                pieces.push(Piece::Tag("<b>"));
                bold_open = true;
                i += 2;
                continue;
            }
        }
        pieces.push(Piece::Char(chars[i]));
        i += 1;
    }
    pieces
}

/// Whether `rest` (after an opening `**`) has text and then a closing `**`
/// outside code spans.
fn has_closing_bold(rest: &[char]) -> bool {
    let mut i = 0;
    while i < rest.len() {
        if rest[i] == '`'
            && let Some(len) = rest[i + 1..].iter().position(|&c| c == '`')
            && len > 0
        {
            i += len + 2;
            continue;
        }
        if rest[i] == '*' && rest.get(i + 1) == Some(&'*') {
            return i > 0;
        }
        i += 1;
    }
    false
}

fn write_pieces(pieces: &[Piece], html: &mut String) {
    let is_text = |piece: Option<&Piece>| matches!(piece, Some(Piece::Char(c)) if *c != ' ');
    for (i, piece) in pieces.iter().enumerate() {
        match *piece {
            Piece::Tag(tag) => html.push_str(tag),
            Piece::Char(' ') => {
                // A browser keeps a space only between two pieces of text.
                let kept = i > 0 && is_text(pieces.get(i - 1)) && is_text(pieces.get(i + 1));
                html.push_str(if kept { " " } else { "&nbsp;" });
            }
            Piece::Char(c) => push_escaped(c, &pieces[i + 1..], html),
        }
    }
}

fn push_escaped(c: char, after: &[Piece], html: &mut String) {
    match c {
        '&' => html.push_str("&amp;"),
        '<' => html.push_str("&lt;"),
        '>' => html.push_str("&gt;"),
        '\t' => html.push_str("&#9;"),
        '\r' => html.push_str("&#13;"),
        '\u{0C}' => html.push_str("&#12;"),
        // U+00A0 would come back as a plain space if written as `&nbsp;`.
        '\u{A0}' => html.push_str("&#160;"),
        '[' if starts_sound(after) => html.push_str("&#91;"),
        c => html.push(c),
    }
}

/// Whether the pieces after a `[` spell `sound:`, which reads as a marker.
fn starts_sound(after: &[Piece]) -> bool {
    let word = "sound:";
    after.len() >= word.len()
        && word
            .chars()
            .zip(after)
            .all(|(c, piece)| *piece == Piece::Char(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        crate::deck::normalize_text(&to_markdown(html))
    }

    #[test]
    fn line_breaks_and_blocks() {
        assert_eq!(md("a<br>b<br/>c<BR />d"), "a\nb\nc\nd");
        assert_eq!(md("a<div>b</div><div>c</div>"), "a\nb\nc");
        assert_eq!(md("<div>a</div><div><br></div><div>b</div>"), "a\n\nb");
        assert_eq!(md("<p>one</p><p>two</p>"), "one\ntwo");
        assert_eq!(md("a<br><br>b"), "a\n\nb");
    }

    #[test]
    fn whitespace_collapses_like_a_browser() {
        assert_eq!(md("a   b\n\tc"), "a b c");
        assert_eq!(md("<div>  a  </div>  <div> b </div>"), "a\nb");
        assert_eq!(md("a&nbsp;&nbsp;b"), "a  b");
        assert_eq!(md("x<br>&nbsp;&nbsp;- y"), "x\n  - y");
    }

    #[test]
    fn bold_and_code() {
        assert_eq!(md("<b>Lambda</b>"), "**Lambda**");
        assert_eq!(md("a <strong>b</strong> c"), "a **b** c");
        assert_eq!(md("<b>word </b>next"), "**word** next");
        assert_eq!(md("use <code>x = 1</code>"), "use `x = 1`");
        assert_eq!(md("<b><b>x</b></b>"), "**x**");
        assert_eq!(md("<b>a<br>b</b>"), "**a**\n**b**");
        assert_eq!(md("<b></b>x"), "x");
        assert_eq!(md("<b>unclosed"), "**unclosed**");
    }

    #[test]
    fn lists() {
        assert_eq!(md("<ul><li>one</li><li>two</li></ul>"), "- one\n- two");
        assert_eq!(
            md("Intro<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>After"),
            "Intro\n- a\n  - a1\n- b\nAfter"
        );
        assert_eq!(md("<ol><li>x</li><li>y</li></ol>"), "1. x\n2. y");
        assert_eq!(md("<ul>\n  <li> spaced </li>\n</ul>"), "- spaced");
        assert_eq!(md("<li><div>in div</div></li>"), "- in div");
    }

    #[test]
    fn entities_media_and_other_tags() {
        assert_eq!(
            md("&lt;b&gt; &amp; &quot;q&quot; &eacute; &#233; &#xE9;"),
            "<b> & \"q\" é é é"
        );
        assert_eq!(
            md("fish & chips; a &unknown; b"),
            "fish & chips; a &unknown; b"
        );
        assert_eq!(md("<img src=\"cat.png\">"), "[image: cat.png]");
        assert_eq!(md("<img alt='x' src='a b.jpg' />"), "[image: a b.jpg]");
        assert_eq!(md("<img src=\"data:image/png;base64,xx\">"), "[image]");
        assert_eq!(md("hear [sound:word.mp3]"), "hear [sound: word.mp3]");
        assert_eq!(
            md("<a href=\"x\">link</a> <i>it</i> <span style=\"c\">s</span>"),
            "link it s"
        );
        assert_eq!(
            md("a<script>alert('<b>')</script>b<style>p{}</style>c"),
            "abc"
        );
        assert_eq!(md("a<!-- <b>hidden</b> -->b"), "ab");
        assert_eq!(md("x < y and y > z, 1<2"), "x < y and y > z, 1<2");
        assert_eq!(md("<table><tr><td>a</td><td>b</td></tr></table>"), "a b");
        assert_eq!(md("<pre>line 1\n  line 2</pre>"), "line 1\n  line 2");
    }

    #[test]
    fn markdown_becomes_html() {
        assert_eq!(
            from_markdown("**Lambda**\n- invoke `fn`\n  - nested"),
            "<b>Lambda</b><br>- invoke&nbsp;<code>fn</code><br>&nbsp;&nbsp;- nested"
        );
        assert_eq!(from_markdown("a < b & c"), "a &lt; b &amp; c");
        assert_eq!(from_markdown("** x"), "** x");
        assert_eq!(from_markdown("****"), "****");
        assert_eq!(from_markdown("[sound:x]"), "&#91;sound:x]");
    }

    #[test]
    fn markdown_comes_back_unchanged() {
        for text in [
            "**Lambda**\n- invoke a function\n  - nested `code`\n\nparagraph",
            "a  b   c\n  indented\ttab\u{A0}nbsp",
            "**a** b **c**d** e",
            "`**not bold**` and **`bold code`**",
            "<b>literal</b> &amp; [sound:x] [image: y]",
            "****\n** x **\n`\n``",
            "trailing space \nnext",
            "ends with **",
        ] {
            assert_eq!(md(&from_markdown(text)), text, "{}", from_markdown(text));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Any card text survives HTML export and import, spaces and all.
        #[test]
        fn any_text_comes_back(text in "(\\*\\*|`|&[a-z#0-9]{0,5};?|<[a-z/]{0,3}>?|\\[sound:|[ \t\n\u{A0}\u{0C}]|\\r|- |[a-zé日🐈]){1,40}") {
            let text = crate::deck::normalize_text(&text);
            // normalize_text turns `\r\r\n` into `\r\n`: not a text it leaves alone.
            proptest::prop_assume!(!text.is_empty() && !text.contains("\r\n"));
            let html = from_markdown(&text);
            proptest::prop_assert_eq!(md(&html), text, "{}", html);
        }

        /// Any input converts without panicking.
        #[test]
        fn any_html_converts(html in "(<[a-zA-Z/!?-]{0,6}( [a-z]+=(\"[^\"]*\"|'[^']*'|[a-z]*))?/?>?|&[a-z#0-9]{0,6};?|[^<&]{0,5}|\\[sound:[a-z]*\\]?)*") {
            let _ = to_markdown(&html);
        }
    }
}
