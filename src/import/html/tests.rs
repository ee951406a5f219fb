//! HTML conversion: one test per tag family, then round trips.

use proptest::prelude::*;

use super::*;

fn md(html: &str) -> String {
    to_markdown(html)
}

#[test]
fn line_breaks_and_blocks() {
    assert_eq!(md("a<br>b<br/>c<BR />d"), "a\nb\nc\nd");
    assert_eq!(md("a<div>b</div><div>c</div>"), "a\nb\nc");
    assert_eq!(md("<div>a</div><div><br></div><div>b</div>"), "a\n\nb");
    assert_eq!(md("<p>one</p><p>two</p>"), "one\ntwo");
    assert_eq!(md("a<br><br>b"), "a\n\nb");
    assert_eq!(md("<div>a<br></div><div>b</div>"), "a\nb");
}

#[test]
fn whitespace_and_entities_as_a_browser_shows_them() {
    assert_eq!(md("a   b\n\tc"), "a b c");
    assert_eq!(md("<div>  a  </div>  <div> b </div>"), "a\nb");
    assert_eq!(md("a&nbsp;&nbsp;b"), "a  b");
    assert_eq!(
        md("&lt;b&gt; &amp; &quot;q&quot; &eacute; &#233; &#xE9;"),
        "\\<b> & \"q\" é é é"
    );
    assert_eq!(
        md("fish & chips; AT&T &amp;amp;"),
        "fish & chips; AT&T \\&amp;"
    );
    assert_eq!(md("x < y and y > z, 1<2"), "x < y and y > z, 1<2");
}

#[test]
fn strong_emphasis_underline_strike() {
    assert_eq!(md("<b>Lambda</b>"), "**Lambda**");
    assert_eq!(md("a <strong>b</strong> c"), "a **b** c");
    assert_eq!(md("<b>word </b>next"), "**word** next");
    assert_eq!(
        md("<i>it</i> <em>em</em> <u>under</u>"),
        "*it* *em* *under*"
    );
    assert_eq!(
        md("<s>old</s> <strike>x</strike> <del>y</del>"),
        "~~old~~ ~~x~~ ~~y~~"
    );
    assert_eq!(md("<b><i>both</i></b>"), "***both***");
    assert_eq!(md("<b>a <i>b</i></b> c"), "**a *b*** c");
    assert_eq!(md("<b><b>x</b></b>"), "**x**");
    assert_eq!(md("<b>a<br>b</b>"), "**a**\n**b**");
    assert_eq!(md("<b></b>x"), "x");
    assert_eq!(md("<b>unclosed"), "**unclosed**");
}

#[test]
fn code_and_pre() {
    assert_eq!(md("use <code>x = 1</code>"), "use `x = 1`");
    assert_eq!(md("<kbd>Ctrl</kbd>+<kbd>C</kbd>"), "`Ctrl`+`C`");
    assert_eq!(md("<code>a`b</code>"), "``a`b``");
    assert_eq!(
        md("<pre>line 1\n  line 2 &lt;x&gt;</pre>"),
        "```\nline 1\n  line 2 <x>\n```"
    );
    assert_eq!(
        md("<pre><code class=\"language-rust\">fn main() {}\n</code></pre>"),
        "```rust\nfn main() {}\n```"
    );
    assert_eq!(md("<pre>a<br>b</pre>"), "```\na\nb\n```");
    assert_eq!(md("<pre>```\nx</pre>"), "````\n```\nx\n````");
}

#[test]
fn lists_nested() {
    assert_eq!(md("<ul><li>one</li><li>two</li></ul>"), "- one\n- two");
    assert_eq!(
        md("Intro<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>After"),
        "Intro\n- a\n  - a1\n- b\n\nAfter"
    );
    assert_eq!(md("<ol><li>x</li><li>y</li></ol>"), "1. x\n2. y");
    assert_eq!(md("<ol start=\"3\"><li>x</li></ol>"), "3. x");
    assert_eq!(md("<ul>\n  <li> spaced </li>\n</ul>"), "- spaced");
    assert_eq!(md("<li><div>in div</div></li>"), "- in div");
    assert_eq!(
        md("<ol><li>a<ol><li>b<ul><li>c</li></ul></li></ol></li></ol>"),
        "1. a\n   1. b\n      - c"
    );
}

#[test]
fn tables_rectangular_or_as_lines() {
    assert_eq!(
        md("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>x|y</td></tr></table>"),
        "| a | b |\n| --- | --- |\n| 1 | x\\|y |"
    );
    assert_eq!(
        md("<table><tr><td colspan=2>wide</td></tr><tr><td>1</td><td>2</td></tr></table>"),
        "wide\n1 · 2"
    );
    assert_eq!(
        md("<table><tr><td>a</td></tr><tr><td>b</td><td>c</td></tr></table>"),
        "a\nb · c"
    );
}

#[test]
fn links_images_sounds() {
    assert_eq!(
        md("<a href=\"https://x.org/a b\">the docs</a>"),
        "[the docs](<https://x.org/a b>)"
    );
    assert_eq!(md("<a href=\"https://x.org\">x</a>"), "[x](https://x.org)");
    assert_eq!(md("<a>no href</a>"), "no href");
    assert_eq!(md("<img src=\"cat.png\">"), "[image: cat.png]");
    assert_eq!(md("<img alt='x' src='a b.jpg' />"), "[image: a b.jpg]");
    assert_eq!(md("<img src=\"data:image/png;base64,xx\">"), "[image]");
    assert_eq!(md("hear [sound:word.mp3]"), "hear [sound: word.mp3]");
}

#[test]
fn sub_and_superscript() {
    assert_eq!(md("x<sup>2</sup> + H<sub>2</sub>O"), "x² + H₂O");
    assert_eq!(md("e<sup>iπ</sup>"), "eiπ");
    assert_eq!(md("a<sup>(n+1)</sup>"), "a⁽ⁿ⁺¹⁾");
}

#[test]
fn mathjax_is_kept_as_written() {
    let markdown = md("\\(x^2\\) and \\[\\frac{a}{b}\\]");
    assert_eq!(
        markup::plain_text(&markdown),
        "\\(x^2\\) and \\[\\frac{a}{b}\\]"
    );
}

#[test]
fn other_tags_are_dropped_with_their_text_kept() {
    assert_eq!(
        md("<span style=\"c\">s</span> <font color=red>f</font>"),
        "s f"
    );
    assert_eq!(
        md("a<script>alert('<b>')</script>b<style>p{}</style>c"),
        "abc"
    );
    assert_eq!(md("a<!-- <b>hidden</b> -->b"), "ab");
    assert_eq!(md("<h2>Title</h2>text"), "## Title\n\ntext");
    assert_eq!(md("<blockquote>q</blockquote>"), "> q");
    assert_eq!(md("a<hr>b"), "a\n\n***\n\nb");
}

#[test]
fn markdown_becomes_anki_html() {
    assert_eq!(
        from_markdown("**Lambda**\n- invoke `fn`\n  - nested"),
        "<b>Lambda</b><ul><li>invoke <code>fn</code><ul><li>nested</li></ul></li></ul>"
    );
    assert_eq!(from_markdown("a < b & c"), "a &lt; b &amp; c");
    assert_eq!(
        from_markdown("[image: cat.png] [sound: x.mp3]"),
        "<img src=\"cat.png\"> [sound:x.mp3]"
    );
    assert_eq!(
        from_markdown("```rust\nfn x() {}\n```"),
        "<pre><code class=\"language-rust\">fn x() {}&#10;</code></pre>"
    );
}

#[test]
fn markdown_we_write_comes_back_unchanged() {
    for text in [
        "**Lambda**\n\n- invoke a function\n  - nested `code`\n\nparagraph",
        "*it* ~~old~~ **bold *both***",
        "\\<b>literal</b> & [sound: x.mp3] [image: y.png]",
        "# Title\n\n> quoted\n> more\n\n***\n\n1. one\n2. two",
        "```python\ndef f():\n    return 1\n```",
        "| a | b |\n| --- | --- |\n| 1 | `2` |",
        "see [the docs](https://x.org) now",
        "\\- not a list\n\\# not a heading\n1\\. not a number",
        "a  b",
    ] {
        let html = from_markdown(text);
        assert_eq!(md(&html), text, "{html}");
    }
}

/// Words of card text, maybe marked.
fn word() -> impl Strategy<Value = String> {
    let plain = prop_oneof![
        "[a-zé日]{1,6}",
        Just("x<y".to_owned()),
        Just("a&b".to_owned()),
        Just("1.".to_owned()),
        Just("a#b".to_owned()),
        Just("[sound: a.mp3]".to_owned()),
        Just("[image: b.png]".to_owned()),
        Just("\\(x\\)".to_owned()),
    ];
    (plain, 0..6u8).prop_map(|(w, mark)| match mark {
        1 => format!("**{w}**"),
        2 => format!("*{w}*"),
        3 => format!("~~{w}~~"),
        4 => format!("`{w}`"),
        _ => w,
    })
}

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..5).prop_map(|words| words.join(" "))
}

/// A block of the Markdown we write.
fn block() -> impl Strategy<Value = String> {
    let paragraph = prop::collection::vec(line(), 1..3).prop_map(|l| l.join("\n"));
    let list = (
        prop::collection::vec(line(), 1..4),
        any::<bool>(),
        prop::option::of(line()),
    )
        .prop_map(|(items, numbered, nested)| {
            let mut out: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    if numbered {
                        format!("{}. {item}", i + 1)
                    } else {
                        format!("- {item}")
                    }
                })
                .collect();
            if let Some(nested) = nested {
                let hang = if numbered { "   " } else { "  " };
                out.insert(1, format!("{hang}- {nested}"));
            }
            out.join("\n")
        });
    let code = (
        "(rust|python)?",
        prop::collection::vec("[a-z(){} =<>&*]{0,12}", 1..4),
    )
        .prop_map(|(lang, lines)| format!("```{lang}\n{}\n```", lines.join("\n")));
    let table = (1..4usize, 1..3usize, prop::collection::vec(line(), 12)).prop_map(
        |(columns, rows, cells)| {
            let mut cells = cells.into_iter();
            let mut row = || {
                let c: Vec<String> = (0..columns)
                    .map(|_| cells.next().unwrap_or_default())
                    .collect();
                format!("| {} |", c.join(" | "))
            };
            let mut out = vec![row(), format!("|{}", " --- |".repeat(columns))];
            out.extend((0..rows).map(|_| row()));
            out.join("\n")
        },
    );
    prop_oneof![
        4 => paragraph,
        2 => list,
        1 => code,
        1 => table,
        1 => line().prop_map(|l| format!("## {l}")),
        1 => line().prop_map(|l| format!("> {l}")),
        1 => Just("***".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    /// Markdown as we write it -> Anki HTML -> Markdown is the identity.
    #[test]
    fn our_markdown_survives_anki_html(blocks in prop::collection::vec(block(), 1..5)) {
        // What we write: the text once through our own writer.
        let text = markup::write::write(&markup::parse(&blocks.join("\n\n")));
        let html = from_markdown(&text);
        prop_assert_eq!(md(&html), text, "{}", html);
    }

    /// Any input converts without panicking.
    #[test]
    fn any_html_converts(html in "(<[a-zA-Z/!?-]{0,6}( [a-z]+=(\"[^\"]*\"|'[^']*'|[a-z]*))?/?>?|&[a-z#0-9]{0,6};?|[^<&]{0,5}|\\[sound:[a-z]*\\]?)*") {
        let markdown = to_markdown(&html);
        let _ = markup::parse(&markdown);
    }
}
