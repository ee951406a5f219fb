//! Syntax highlighting of fenced code blocks, with `syntect`'s bundled
//! syntaxes. Tokens are classed (comment, string, keyword, ...) rather than
//! given a theme's RGB colours, and each class gets one of the 16 named ANSI
//! colours, which follow the user's palette and so read on dark and light
//! backgrounds alike. With `NO_COLOR` nothing is highlighted.
//!
//! Highlighting a block is the costly part of drawing a card, so it is done
//! once per block text and kept in a small cache: scrolling a card with a
//! 5,000-line block redraws it from the cache. In the TUI
//! ([`highlight_in_background`]), a block too long to highlight within a
//! frame is highlighted on a thread of its own: it shows as plain code
//! until its colours are ready, and [`take_finished`] tells the event loop
//! to draw again. Elsewhere (tests, benchmarks) every block is highlighted
//! at once, so what is drawn does not depend on timing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};

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

/// Blocks of up to this many lines are highlighted at once even in the
/// TUI: a few milliseconds.
const AT_ONCE_LINES: usize = 300;

/// Highlighted blocks kept.
const KEPT: usize = 8;

thread_local! {
    /// Whether long blocks drawn by this thread are highlighted on a
    /// thread of their own.
    static BACKGROUND: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Set when a background highlight is done, until [`take_finished`].
static FINISHED: AtomicBool = AtomicBool::new(false);

/// A block's language and text.
type BlockKey = (String, String);

#[derive(Default)]
struct Highlights {
    /// The blocks highlighted, the most recent last.
    done: Vec<(BlockKey, Arc<Lines>)>,
    /// The blocks being highlighted in the background.
    pending: Vec<BlockKey>,
}

fn shared() -> &'static (Mutex<Highlights>, Condvar) {
    static SHARED: OnceLock<(Mutex<Highlights>, Condvar)> = OnceLock::new();
    SHARED.get_or_init(Default::default)
}

fn lock() -> MutexGuard<'static, Highlights> {
    // The cache holds finished values only: a panic elsewhere cannot leave
    // it half-written, so a poisoned lock is still good.
    shared().0.lock().unwrap_or_else(PoisonError::into_inner)
}

/// From now on, blocks this thread draws that are longer than a frame can
/// afford are highlighted on a thread of their own (the TUI's event loop
/// calls this; see the module doc).
pub fn highlight_in_background() {
    BACKGROUND.set(true);
}

/// Whether a background highlight finished since the last call: the screen
/// should be drawn again.
pub fn take_finished() -> bool {
    FINISHED.swap(false, Ordering::Relaxed)
}

/// Waits until no block is being highlighted in the background.
pub fn wait_until_idle() {
    let (_, idle) = shared();
    let mut state = lock();
    while !state.pending.is_empty() {
        state = idle.wait(state).unwrap_or_else(PoisonError::into_inner);
    }
}

/// Highlights `text` as language `lang` (a name or file extension, as in
/// a fence's info string); `None` if syntect does not know the language,
/// or while a long block is still being highlighted in the background.
pub fn highlight(lang: &str, text: &str) -> Option<Arc<Lines>> {
    let key = (lang.to_owned(), text.to_owned());
    {
        let state = lock();
        if let Some((_, lines)) = state.done.iter().find(|(k, _)| *k == key) {
            return Some(Arc::clone(lines));
        }
        if state.pending.contains(&key) {
            return None;
        }
    }
    syntax(lang)?;
    if BACKGROUND.get() && text.lines().nth(AT_ONCE_LINES).is_some() {
        lock().pending.push(key.clone());
        std::thread::spawn(move || {
            let lines = highlight_uncached(&key.0, &key.1);
            finish(key, lines, true);
        });
        return None;
    }
    let lines = highlight_uncached(lang, text);
    finish(key, lines, false)
}

/// Keeps a block's highlight (dropping the oldest beyond [`KEPT`]) and
/// wakes whoever waits for the background to be idle; from the background,
/// also says the screen should be drawn again.
fn finish(key: BlockKey, lines: Option<Lines>, background: bool) -> Option<Arc<Lines>> {
    let mut state = lock();
    state.pending.retain(|k| *k != key);
    let lines = lines.map(Arc::new);
    if let Some(lines) = &lines {
        if state.done.len() >= KEPT {
            state.done.remove(0);
        }
        state.done.push((key, Arc::clone(lines)));
    }
    if background {
        FINISHED.store(true, Ordering::Relaxed);
    }
    shared().1.notify_all();
    lines
}

fn syntax(lang: &str) -> Option<&'static syntect::parsing::SyntaxReference> {
    let set = syntaxes();
    set.find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_name(lang))
}

/// Highlights without the cache (for benchmarks).
pub fn highlight_uncached(lang: &str, text: &str) -> Option<Lines> {
    let set = syntaxes();
    let mut state = ParseState::new(syntax(lang)?);
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
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn long_blocks_are_highlighted_in_the_background_short_ones_at_once() {
        highlight_in_background();
        // A block unique to this test, so no other test has cached it.
        let long: String = (0..=AT_ONCE_LINES)
            .map(|i| format!("x_background_{i} = {i}\n"))
            .collect();
        assert!(highlight("py", "y = 1").is_some(), "short: at once");
        assert!(highlight("py", &long).is_none(), "long: plain at first");
        wait_until_idle();
        assert!(take_finished());
        let lines = highlight("py", &long).expect("highlighted by now");
        assert_eq!(lines.len(), AT_ONCE_LINES + 2);
        let first: String = lines[0].iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(first, "x_background_0 = 0");
        assert!(lines[0].contains(&("0".to_owned(), Token::Constant)));
        assert!(!take_finished(), "taken once");
    }
}
