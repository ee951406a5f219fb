//! Anki note types and their card templates, rendered the way Anki renders
//! them, to HTML that [`super::html::to_markdown`] then turns into card text.
//!
//! A template is text with `{{Field}}` references, `{{#Field}}…{{/Field}}`
//! (shown when the field is not empty), `{{^Field}}…{{/Field}}` (shown when
//! it is), `{{FrontSide}}` (the rendered question, on the answer side) and
//! filters: `{{text:F}}` (HTML stripped), `{{hint:F}}`, `{{type:F}}` (Anki's
//! typed-answer box: nothing on the question, the expected answer on the
//! answer side) and `{{cloze:F}}`. Filters recall does not know leave the
//! field as it is and are reported, once each, by [`Rendered::unknown_filters`].
//!
//! Everything here is pure: a note type and a note's fields in, HTML out.

use std::fmt;

/// What kind of note type Anki says this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One card per template.
    Normal,
    /// One card per cloze number, from the first template.
    Cloze,
}

/// The stock note type a note type was made from, as Anki records it
/// (`originalStockKind`); `None` for a note type made from scratch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stock {
    Basic,
    BasicAndReversed,
    BasicOptionalReversed,
    BasicTyping,
    Cloze,
    ImageOcclusion,
}

impl Stock {
    /// From Anki's `OriginalStockKind` number.
    pub fn from_anki(kind: i64) -> Option<Stock> {
        Some(match kind {
            1 => Stock::Basic,
            2 => Stock::BasicAndReversed,
            3 => Stock::BasicOptionalReversed,
            4 => Stock::BasicTyping,
            5 => Stock::Cloze,
            6 => Stock::ImageOcclusion,
            _ => return None,
        })
    }
}

/// One card template: its question and answer formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub name: String,
    pub question: String,
    pub answer: String,
}

/// A note type: its fields (in order) and its templates (by ordinal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteType {
    pub id: i64,
    pub name: String,
    pub kind: Kind,
    pub stock: Option<Stock>,
    pub fields: Vec<String>,
    pub templates: Vec<Template>,
}

/// A card's two sides as Anki renders them, in HTML.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    pub question: String,
    pub answer: String,
    /// Filters this card used that recall does not know, in order, once each.
    pub unknown_filters: Vec<String>,
}

/// What a card's template may ask about besides its fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct CardContext<'a> {
    pub tags: &'a [String],
    pub deck: &'a str,
}

impl NoteType {
    /// Renders card `ord` of a note whose fields (in [`NoteType::fields`]
    /// order) are `fields`. A cloze note's card `ord` shows cloze `ord + 1`.
    pub fn render(&self, ord: usize, fields: &[&str], context: CardContext<'_>) -> Rendered {
        let template_ord = match self.kind {
            Kind::Normal => ord,
            Kind::Cloze => 0,
        };
        let Some(template) = self.templates.get(template_ord) else {
            return Rendered::default();
        };
        let mut unknown = Vec::new();
        let mut renderer = Renderer {
            note_type: self,
            fields,
            context,
            card_name: &template.name,
            cloze: (self.kind == Kind::Cloze).then_some(ord + 1),
            front_side: None,
            side: Side::Question,
            unknown: &mut unknown,
        };
        let question = renderer.render(&parse(&template.question));
        renderer.front_side = Some(question.clone());
        renderer.side = Side::Answer;
        let answer = renderer.render(&parse(&template.answer));
        Rendered {
            question,
            answer,
            unknown_filters: unknown,
        }
    }

    /// The index of the field named `name`.
    fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|field| field == name)
    }

    /// The stock note type this one still is: Anki records where a note
    /// type came from (`originalStockKind`, which a note type made with
    /// "Add" from Basic carries too), so this also checks that its kind,
    /// fields and templates are still the stock ones, up to the names of
    /// the fields (which Anki translates).
    pub fn standard(&self) -> Option<Stock> {
        let stock = self.stock?;
        let (kind, fields, templates) = stock_shape(stock)?;
        let reference = NoteType {
            id: 0,
            name: String::new(),
            kind,
            stock: Some(stock),
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            templates: templates
                .iter()
                .map(|(q, a)| Template {
                    name: String::new(),
                    question: (*q).to_owned(),
                    answer: (*a).to_owned(),
                })
                .collect(),
        };
        (self.kind == kind
            && self.fields.len() == fields.len()
            && self.shape() == reference.shape())
        .then_some(stock)
    }

    /// The templates with every field named by its index.
    fn shape(&self) -> Vec<(String, String)> {
        self.templates
            .iter()
            .map(|t| {
                (
                    canonical(&parse(&t.question), self),
                    canonical(&parse(&t.answer), self),
                )
            })
            .collect()
    }
}

/// A stock note type: kind, field names, (question, answer) per template.
type StockShape = (
    Kind,
    &'static [&'static str],
    Vec<(&'static str, &'static str)>,
);

/// Anki's stock note types (`rslib/src/notetype/stock.rs`): kind, field
/// names and templates. Image Occlusion is not rendered as stock.
fn stock_shape(stock: Stock) -> Option<StockShape> {
    const ANSWER: &str = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}";
    const REVERSE_ANSWER: &str = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}";
    Some(match stock {
        Stock::Basic => (
            Kind::Normal,
            &["Front", "Back"],
            vec![("{{Front}}", ANSWER)],
        ),
        Stock::BasicAndReversed => (
            Kind::Normal,
            &["Front", "Back"],
            vec![("{{Front}}", ANSWER), ("{{Back}}", REVERSE_ANSWER)],
        ),
        Stock::BasicOptionalReversed => (
            Kind::Normal,
            &["Front", "Back", "Add Reverse"],
            vec![
                ("{{Front}}", ANSWER),
                ("{{#Add Reverse}}{{Back}}{{/Add Reverse}}", REVERSE_ANSWER),
            ],
        ),
        Stock::BasicTyping => (
            Kind::Normal,
            &["Front", "Back"],
            vec![(
                "{{Front}}\n\n{{type:Back}}",
                "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}",
            )],
        ),
        Stock::Cloze => (
            Kind::Cloze,
            &["Text", "Back Extra"],
            vec![("{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}")],
        ),
        Stock::ImageOcclusion => return None,
    })
}

/// A parsed template written back with fields by index (`{{#0}}`), so two
/// note types that differ only in field names compare equal.
fn canonical(nodes: &[Node], note_type: &NoteType) -> String {
    let name = |field: &str| match note_type.field_index(field) {
        Some(index) => format!("#{index}"),
        None => field.to_owned(),
    };
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Field {
                name: field,
                filters,
            } => {
                out.push_str("{{");
                for filter in filters {
                    out.push_str(filter);
                    out.push(':');
                }
                out.push_str(&name(field));
                out.push_str("}}");
            }
            Node::Section {
                name: field,
                negated,
                children,
            } => {
                let field = name(field);
                let open = if *negated { '^' } else { '#' };
                out.push_str(&format!("{{{{{open}{field}}}}}"));
                out.push_str(&canonical(children, note_type));
                out.push_str(&format!("{{{{/{field}}}}}"));
            }
        }
    }
    out
}

/// The answer without the question it repeats: what follows Anki's
/// `<hr id=answer>` divider, or the whole answer if it has none.
pub fn answer_part(answer: &str) -> &str {
    let lower = answer.to_ascii_lowercase();
    ["<hr id=answer>", "<hr id=\"answer\">", "<hr id='answer'>"]
        .iter()
        .filter_map(|divider| lower.find(divider).map(|at| at + divider.len()))
        .min()
        .map_or(answer, |end| &answer[end..])
}

/// Whether a field counts as empty for `{{#F}}`, as in Anki: nothing but
/// whitespace, `&nbsp;` and empty `<br>`/`<div>` tags.
pub fn field_is_empty(text: &str) -> bool {
    strip_html(text)
        .replace("&nbsp;", " ")
        .chars()
        .all(|c| c.is_whitespace() || c == '\u{200b}')
        && !text.to_ascii_lowercase().contains("<img")
}

/// The text of some HTML with its tags removed (entities kept, as Anki's
/// `text:` filter does).
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Question,
    Answer,
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Text(String),
    /// `{{filter:filter:Field}}`: filters as written, applied right to left.
    Field {
        name: String,
        filters: Vec<String>,
    },
    /// `{{#F}}` (or `{{^F}}` when `negated`) up to `{{/F}}`.
    Section {
        name: String,
        negated: bool,
        children: Vec<Node>,
    },
}

/// Parses a template. Like Anki, a `{{/F}}` that closes nothing is text and
/// a section never closed runs to the end.
fn parse(template: &str) -> Vec<Node> {
    let mut stack: Vec<(String, bool, Vec<Node>)> = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        let Some(open) = rest.find("{{") else {
            nodes.push(Node::Text(rest.to_owned()));
            break;
        };
        if open > 0 {
            nodes.push(Node::Text(rest[..open].to_owned()));
        }
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            nodes.push(Node::Text(rest[open..].to_owned()));
            break;
        };
        let tag = after[..close].trim();
        rest = &after[close + 2..];
        if let Some(name) = tag.strip_prefix('#').or_else(|| tag.strip_prefix('^')) {
            let negated = tag.starts_with('^');
            stack.push((name.trim().to_owned(), negated, std::mem::take(&mut nodes)));
        } else if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim();
            if stack.last().is_some_and(|(open, _, _)| open == name) {
                if let Some((open, negated, parent)) = stack.pop() {
                    let children = std::mem::replace(&mut nodes, parent);
                    nodes.push(Node::Section {
                        name: open,
                        negated,
                        children,
                    });
                }
            } else {
                nodes.push(Node::Text(format!("{{{{{tag}}}}}")));
            }
        } else {
            let mut parts: Vec<&str> = tag.split(':').collect();
            let name = parts.pop().unwrap_or_default().trim().to_owned();
            nodes.push(Node::Field {
                name,
                filters: parts.iter().map(|f| f.trim().to_owned()).collect(),
            });
        }
    }
    while let Some((name, negated, parent)) = stack.pop() {
        let children = std::mem::replace(&mut nodes, parent);
        nodes.push(Node::Section {
            name,
            negated,
            children,
        });
    }
    nodes
}

struct Renderer<'a> {
    note_type: &'a NoteType,
    fields: &'a [&'a str],
    context: CardContext<'a>,
    card_name: &'a str,
    /// A cloze card's cloze number.
    cloze: Option<usize>,
    front_side: Option<String>,
    side: Side,
    unknown: &'a mut Vec<String>,
}

impl fmt::Debug for Renderer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Renderer")
            .field("note_type", &self.note_type.name)
            .finish_non_exhaustive()
    }
}

impl Renderer<'_> {
    fn render(&mut self, nodes: &[Node]) -> String {
        let mut out = String::new();
        for node in nodes {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Field { name, filters } => {
                    let text = self.field(name, filters);
                    out.push_str(&text);
                }
                Node::Section {
                    name,
                    negated,
                    children,
                } => {
                    let empty = self.value(name).is_none_or(|value| field_is_empty(&value));
                    if empty == *negated {
                        let inner = self.render(children);
                        out.push_str(&inner);
                    }
                }
            }
        }
        out
    }

    /// A field's value, or a special field's.
    fn value(&self, name: &str) -> Option<String> {
        if let Some(i) = self.note_type.field_index(name) {
            return Some(self.fields.get(i).copied().unwrap_or_default().to_owned());
        }
        Some(match name {
            "FrontSide" => self.front_side.clone().unwrap_or_default(),
            "Tags" => self.context.tags.join(" "),
            "Type" => self.note_type.name.clone(),
            "Deck" => self.context.deck.to_owned(),
            "Subdeck" => self
                .context
                .deck
                .rsplit("::")
                .next()
                .unwrap_or_default()
                .to_owned(),
            "Card" => self.card_name.to_owned(),
            "CardFlag" => String::new(),
            _ => return None,
        })
    }

    fn field(&mut self, name: &str, filters: &[String]) -> String {
        let Some(mut text) = self.value(name) else {
            // Anki shows a missing field as an error in the card; we show
            // nothing, and the import reports it as an unknown filter would.
            self.note_unknown(&format!("{{{{{name}}}}} (no such field)"));
            return String::new();
        };
        if name == "FrontSide" {
            return text;
        }
        for filter in filters.iter().rev() {
            text = match filter.as_str() {
                "text" => strip_html(&text),
                "hint" => hint(name, &text),
                "type" => match self.side {
                    Side::Question => String::new(),
                    Side::Answer => text,
                },
                "cloze" => match self.cloze {
                    Some(ord) => render_cloze(&text, ord, self.side),
                    None => text,
                },
                "cloze-only" => match self.cloze {
                    Some(ord) => cloze_only(&text, ord),
                    None => text,
                },
                other if other.starts_with("tts") => String::new(),
                other => {
                    self.note_unknown(other);
                    text
                }
            };
        }
        text
    }

    fn note_unknown(&mut self, what: &str) {
        if !self.unknown.iter().any(|known| known == what) {
            self.unknown.push(what.to_owned());
        }
    }
}

/// Anki's hint: a "show" link and the hidden text.
fn hint(name: &str, text: &str) -> String {
    if field_is_empty(text) {
        return String::new();
    }
    format!(
        "<a class=hint href=\"#\" draggable=false>\n{name}</a>\n<div class=hint style=\"display: none\">{text}</div>\n"
    )
}

/// One `{{cN::text::hint}}`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cloze {
    Text(String),
    Deletion {
        ords: Vec<usize>,
        children: Vec<Cloze>,
        hint: Option<String>,
    },
}

/// Parses cloze deletions, nested ones included.
fn parse_cloze(text: &str) -> Vec<Cloze> {
    fn parse_at(text: &str, mut at: usize, nested: bool) -> (Vec<Cloze>, usize) {
        let mut out = Vec::new();
        let mut plain = String::new();
        while at < text.len() {
            let rest = &text[at..];
            if let Some((ords, len)) = cloze_start(rest) {
                if !plain.is_empty() {
                    out.push(Cloze::Text(std::mem::take(&mut plain)));
                }
                let (children, end) = parse_at(text, at + len, true);
                let (children, hint) = split_hint(children);
                out.push(Cloze::Deletion {
                    ords,
                    children,
                    hint,
                });
                at = end;
            } else if nested && rest.starts_with("}}") {
                if !plain.is_empty() {
                    out.push(Cloze::Text(plain));
                }
                return (out, at + 2);
            } else {
                let c = rest.chars().next().unwrap_or_default();
                plain.push(c);
                at += c.len_utf8().max(1);
            }
        }
        if !plain.is_empty() {
            out.push(Cloze::Text(plain));
        }
        (out, at)
    }
    parse_at(text, 0, false).0
}

/// `{{c1,2::` at the start of `text`: the cloze numbers and the length.
fn cloze_start(text: &str) -> Option<(Vec<usize>, usize)> {
    let inner = text.strip_prefix("{{c")?;
    let end = inner.find("::")?;
    let ords: Option<Vec<usize>> = inner[..end]
        .split(',')
        .map(|n| n.trim().parse().ok())
        .collect();
    let ords = ords.filter(|ords| !ords.is_empty())?;
    Some((ords, 3 + end + 2))
}

/// The last top-level `::` of a deletion's text starts its hint.
fn split_hint(children: Vec<Cloze>) -> (Vec<Cloze>, Option<String>) {
    let Some(index) = children
        .iter()
        .rposition(|child| matches!(child, Cloze::Text(text) if text.contains("::")))
    else {
        return (children, None);
    };
    let mut children = children;
    let Cloze::Text(text) = children[index].clone() else {
        return (children, None);
    };
    let Some(split) = text.find("::") else {
        return (children, None);
    };
    let hint: String = text[split + 2..].to_owned();
    let mut hint_text = hint;
    for rest in children.drain(index + 1..) {
        hint_text.push_str(&cloze_plain(&rest));
    }
    children[index] = Cloze::Text(text[..split].to_owned());
    (children, Some(hint_text))
}

fn cloze_plain(node: &Cloze) -> String {
    match node {
        Cloze::Text(text) => text.clone(),
        Cloze::Deletion { children, .. } => children.iter().map(cloze_plain).collect(),
    }
}

/// The `{{cloze:F}}` of card `ord`: its deletion hidden (`[...]` or
/// `[hint]`) on the question and shown on the answer; the others shown.
fn render_cloze(text: &str, ord: usize, side: Side) -> String {
    let nodes = parse_cloze(text);
    if !contains_ord(&nodes, ord) {
        return String::new();
    }
    render_cloze_nodes(&nodes, ord, side)
}

fn contains_ord(nodes: &[Cloze], ord: usize) -> bool {
    nodes.iter().any(|node| match node {
        Cloze::Text(_) => false,
        Cloze::Deletion { ords, children, .. } => {
            ords.contains(&ord) || contains_ord(children, ord)
        }
    })
}

fn render_cloze_nodes(nodes: &[Cloze], ord: usize, side: Side) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Cloze::Text(text) => out.push_str(text),
            Cloze::Deletion {
                ords,
                children,
                hint,
            } => {
                let inner = render_cloze_nodes(children, ord, side);
                if ords.contains(&ord) {
                    match side {
                        Side::Question => {
                            let shown = hint.as_deref().unwrap_or("...");
                            out.push_str(&format!("<span class=\"cloze\">[{shown}]</span>"));
                        }
                        Side::Answer => {
                            out.push_str(&format!("<span class=\"cloze\">{inner}</span>"));
                        }
                    }
                } else {
                    out.push_str(&format!("<span class=\"cloze-inactive\">{inner}</span>"));
                }
            }
        }
    }
    out
}

/// `{{cloze-only:F}}`: the texts of card `ord`'s deletions, comma-separated.
fn cloze_only(text: &str, ord: usize) -> String {
    fn collect(nodes: &[Cloze], ord: usize, out: &mut Vec<String>) {
        for node in nodes {
            if let Cloze::Deletion { ords, children, .. } = node {
                if ords.contains(&ord) {
                    out.push(children.iter().map(cloze_plain).collect());
                } else {
                    collect(children, ord, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    collect(&parse_cloze(text), ord, &mut out);
    out.join(", ")
}

/// The cloze numbers a cloze note's text uses, sorted, without repeats.
pub fn cloze_numbers(text: &str) -> Vec<usize> {
    fn collect(nodes: &[Cloze], out: &mut Vec<usize>) {
        for node in nodes {
            if let Cloze::Deletion { ords, children, .. } = node {
                out.extend(ords);
                collect(children, out);
            }
        }
    }
    let mut out = Vec::new();
    collect(&parse_cloze(text), &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note_type(question: &str, answer: &str) -> NoteType {
        NoteType {
            id: 1,
            name: "Custom".into(),
            kind: Kind::Normal,
            stock: None,
            fields: vec!["Front".into(), "Back".into(), "Extra".into()],
            templates: vec![Template {
                name: "Card 1".into(),
                question: question.into(),
                answer: answer.into(),
            }],
        }
    }

    fn render(question: &str, answer: &str, fields: &[&str]) -> Rendered {
        note_type(question, answer).render(0, fields, CardContext::default())
    }

    #[test]
    fn fields_and_front_side() {
        let r = render(
            "{{Front}}",
            "{{FrontSide}}<hr id=answer>{{ Back }}",
            &["q", "a", ""],
        );
        assert_eq!(r.question, "q");
        assert_eq!(r.answer, "q<hr id=answer>a");
        assert_eq!(answer_part(&r.answer), "a");
        assert_eq!(answer_part("no divider"), "no divider");
        assert!(r.unknown_filters.is_empty());
    }

    #[test]
    fn conditionals() {
        let t = "{{Front}}{{#Extra}} ({{Extra}}){{/Extra}}{{^Extra}} -{{/Extra}}";
        assert_eq!(render(t, "", &["q", "a", "x"]).question, "q (x)");
        assert_eq!(render(t, "", &["q", "a", ""]).question, "q -");
        assert_eq!(render(t, "", &["q", "a", " <br> "]).question, "q -");
        // Nested, and a section never closed runs to the end.
        let t = "{{#Front}}[{{#Extra}}{{Extra}}{{/Extra}}]{{/Front}}{{#Back}}b";
        assert_eq!(render(t, "", &["q", "a", "x"]).question, "[x]b");
        assert_eq!(render(t, "", &["", "a", "x"]).question, "b");
    }

    #[test]
    fn filters() {
        let r = render(
            "{{text:Front}} {{type:Back}}",
            "{{type:Back}} {{hint:Extra}}",
            &["<b>bold</b>", "answer", "more"],
        );
        assert_eq!(r.question, "bold ");
        assert!(r.answer.starts_with("answer <a class=hint"));
        assert!(r.answer.contains(">more</div>"));
        let r = render(
            "{{furigana:Front}} {{kana:Front}} {{furigana:Back}}",
            "",
            &["f", "b", ""],
        );
        assert_eq!(r.question, "f f b");
        assert_eq!(r.unknown_filters, ["furigana", "kana"]);
        let r = render("{{Nope}}", "", &["f", "b", ""]);
        assert_eq!(r.question, "");
        assert_eq!(r.unknown_filters, ["{{Nope}} (no such field)"]);
    }

    #[test]
    fn special_fields() {
        let tags = vec!["a".to_owned(), "b".to_owned()];
        let context = CardContext {
            tags: &tags,
            deck: "Geo::Capitals",
        };
        let r = note_type("{{Tags}}|{{Deck}}|{{Subdeck}}|{{Card}}|{{Type}}", "").render(
            0,
            &["", "", ""],
            context,
        );
        assert_eq!(r.question, "a b|Geo::Capitals|Capitals|Card 1|Custom");
    }

    #[test]
    fn clozes() {
        let mut cloze = note_type("{{cloze:Front}}", "{{cloze:Front}}<br>{{Back}}");
        cloze.kind = Kind::Cloze;
        let text = "{{c1::Canberra}} is in {{c2::Australia::a country}}";
        let first = cloze.render(0, &[text, "x", ""], CardContext::default());
        assert_eq!(
            first.question,
            "<span class=\"cloze\">[...]</span> is in <span class=\"cloze-inactive\">Australia</span>"
        );
        assert_eq!(
            first.answer,
            "<span class=\"cloze\">Canberra</span> is in <span class=\"cloze-inactive\">Australia</span><br>x"
        );
        let second = cloze.render(1, &[text, "x", ""], CardContext::default());
        assert!(
            second
                .question
                .ends_with("<span class=\"cloze\">[a country]</span>")
        );
        // A card whose number the text no longer has is empty.
        assert_eq!(
            cloze
                .render(2, &[text, "", ""], CardContext::default())
                .question,
            ""
        );
        assert_eq!(
            cloze_numbers("{{c2::a}} {{c1,3::b {{c4::c}}}}"),
            [1, 2, 3, 4]
        );
        assert_eq!(cloze_only("{{c1::a}} {{c2::b}} {{c1::c}}", 1), "a, c");
    }

    #[test]
    fn stock_note_types_are_recognised_by_shape_not_by_name() {
        let mut basic = note_type("{{Front}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}");
        basic.fields.truncate(2);
        basic.stock = Some(Stock::Basic);
        assert_eq!(basic.standard(), Some(Stock::Basic));
        // Translated field names are still Basic.
        let mut german = basic.clone();
        german.fields = vec!["Vorderseite".into(), "Rückseite".into()];
        german.templates[0].question = "{{Vorderseite}}".into();
        german.templates[0].answer = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Rückseite}}".into();
        assert_eq!(german.standard(), Some(Stock::Basic));
        // A note type made from Basic, with templates of its own, is not.
        let mut custom = basic.clone();
        custom.templates[0].question = "Q: {{Front}}".into();
        assert_eq!(custom.standard(), None);
        basic.stock = None;
        assert_eq!(basic.standard(), None);
    }

    #[test]
    fn a_missing_template_renders_nothing() {
        let r = note_type("{{Front}}", "").render(3, &["q", "", ""], CardContext::default());
        assert_eq!(r, Rendered::default());
    }
}
