//! Syntax highlighting of fenced code blocks, with `syntect`'s bundled
//! syntaxes. Tokens are classed (comment, string, keyword, ...) rather than
//! given a theme's RGB colours, and each class gets one of the 16 named ANSI
//! colours, which follow the user's palette and so read on dark and light
//! backgrounds alike. With `NO_COLOR` nothing is highlighted.
//!
//! Highlighting a block is the costly part of drawing a card, so it is done
//! once per block text and kept in a small cache: scrolling a card with a
//! 5,000-line block redraws it from the cache.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};

/// What a piece of code is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Plain,
    Comment,
    String,
    Constant,
    Keyword,
    Type,
    Function,
}

impl Token {
    pub fn style(self) -> Style {
        let fg = |c| Style::new().fg(c);
        match self {
            Token::Plain => Style::new(),
            Token::Comment => Style::new().add_modifier(Modifier::DIM | Modifier::ITALIC),
            Token::String => fg(Color::Green),
            Token::Constant => fg(Color::Yellow),
            Token::Keyword => fg(Color::Magenta),
            Token::Type => fg(Color::Cyan),
            Token::Function => fg(Color::Blue),
        }
    }
}

/// A block's lines, each as pieces of text with their token class.
pub type Lines = Vec<Vec<(String, Token)>>;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Scope prefixes and their classes, the most specific first.
fn classes() -> &'static [(Scope, Token)] {
    static CLASSES: OnceLock<Vec<(Scope, Token)>> = OnceLock::new();
    CLASSES.get_or_init(|| {
        [
            ("comment", Token::Comment),
            ("string", Token::String),
            ("constant.character", Token::String),
            ("constant", Token::Constant),
            ("entity.name.function", Token::Function),
            ("support.function", Token::Function),
            ("variable.function", Token::Function),
            ("entity.name.type", Token::Type),
            ("entity.name.class", Token::Type),
            ("entity.name.struct", Token::Type),
            ("entity.name.enum", Token::Type),
            ("support.type", Token::Type),
            ("support.class", Token::Type),
            ("storage.type", Token::Keyword),
            ("storage.modifier", Token::Keyword),
            ("keyword.operator", Token::Plain),
            ("keyword", Token::Keyword),
            ("entity.name.tag", Token::Keyword),
        ]
        .into_iter()
        .filter_map(|(name, token)| Scope::new(name).ok().map(|s| (s, token)))
        .collect()
    })
}

fn class_of(stack: &ScopeStack) -> Token {
    for scope in stack.as_slice().iter().rev() {
        if let Some((_, token)) = classes()
            .iter()
            .find(|(prefix, _)| prefix.is_prefix_of(*scope))
        {
            return *token;
        }
    }
    Token::Plain
}

/// Highlights `text` as language `lang` (a name or file extension, as in
/// a fence's info string); `None` if syntect does not know the language.
pub fn highlight(lang: &str, text: &str) -> Option<Rc<Lines>> {
    thread_local! {
        static CACHE: RefCell<Vec<(String, String, Rc<Lines>)>> = const { RefCell::new(Vec::new()) };
    }
    const KEPT: usize = 8;
    if let Some(hit) = CACHE.with_borrow(|cache| {
        cache
            .iter()
            .find(|(l, t, _)| l == lang && t == text)
            .map(|(_, _, lines)| Rc::clone(lines))
    }) {
        return Some(hit);
    }
    let lines = Rc::new(highlight_uncached(lang, text)?);
    CACHE.with_borrow_mut(|cache| {
        if cache.len() >= KEPT {
            cache.remove(0);
        }
        cache.push((lang.to_owned(), text.to_owned(), Rc::clone(&lines)));
    });
    Some(lines)
}

/// Highlights without the cache (for benchmarks).
pub fn highlight_uncached(lang: &str, text: &str) -> Option<Lines> {
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_name(lang))?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut lines = Vec::new();
    let mut buffer = String::new();
    for line in text.split('\n') {
        buffer.clear();
        buffer.push_str(line);
        buffer.push('\n');
        let mut pieces: Vec<(String, Token)> = Vec::new();
        let mut push = |piece: &str, token: Token| {
            if piece.is_empty() {
                return;
            }
            match pieces.last_mut() {
                Some((last, t)) if *t == token => last.push_str(piece),
                _ => pieces.push((piece.to_owned(), token)),
            }
        };
        match state.parse_line(&buffer, set) {
            Ok(ops) => {
                let mut at = 0;
                for (offset, op) in ops {
                    let offset = offset.min(line.len());
                    if offset > at {
                        push(&line[at..offset], class_of(&stack));
                        at = offset;
                    }
                    // A scope error leaves the stack as it was: worse
                    // colours, never a lost line.
                    let _ = stack.apply(&op);
                }
                push(&line[at..], class_of(&stack));
            }
            Err(_) => push(line, Token::Plain),
        }
        lines.push(pieces);
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_gets_classes_and_keeps_its_text() {
        let text = "// hi\nfn main() { let s = \"x\"; 42 }";
        let lines = highlight("rust", text).expect("rust is bundled");
        let joined: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|(t, _)| t.as_str()).collect())
            .collect();
        assert_eq!(joined, text.split('\n').collect::<Vec<_>>());
        let token_of = |word: &str| {
            lines
                .iter()
                .flatten()
                .find(|(t, _)| t.contains(word))
                .map(|(_, token)| *token)
        };
        assert_eq!(token_of("// hi"), Some(Token::Comment));
        assert_eq!(token_of("\"x\""), Some(Token::String));
        assert_eq!(token_of("42"), Some(Token::Constant));
        assert_eq!(token_of("main"), Some(Token::Function));
    }

    #[test]
    fn unknown_languages_are_not_highlighted() {
        assert!(highlight("no-such-language", "x").is_none());
    }

    #[test]
    fn the_cache_returns_the_same_lines() {
        let a = highlight("py", "print('a')").expect("python");
        let b = highlight("py", "print('a')").expect("python");
        assert!(Rc::ptr_eq(&a, &b));
    }
}
