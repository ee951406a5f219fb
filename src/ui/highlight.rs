//! Syntax highlighting of fenced code blocks, with `syntect`'s bundled
//! syntaxes. Tokens are classed (comment, string, keyword, ...) rather than
//! given a theme's RGB colours, and each class gets one of the 16 named ANSI
//! colours, which follow the user's palette and so read on dark and light
//! backgrounds alike. With `NO_COLOR` nothing is highlighted.
//!
//! Highlighting a block is the costly part of drawing a card (syntect
//! parses line by line, each line from the state the one before left), so
//! it is done once per block text and kept in a small cache. In the TUI
//! ([`highlight_in_background`]) a long block is highlighted in two parts:
//! its first [`FIRST_LINES`] lines at once, so the first screens show in
//! colour on the first frame, and the rest on a thread of its own, which
//! publishes the lines it has done every [`PUBLISH_EVERY`]. Lines not yet
//! highlighted show as plain code; [`take_finished`] tells the event loop
//! to draw again and [`progress`] tells kept layouts that they may have
//! changed. The frame never waits for the thread. Elsewhere (tests,
//! benchmarks) every block is highlighted at once, so what is drawn does
//! not depend on timing.
//!
//! syntect's parse state cannot move to another thread (with the
//! Oniguruma engine it holds C pointers), so the background thread parses
//! the first lines again rather than resuming from the state the first
//! part left: a few milliseconds off the event loop, and the same lines,
//! since parsing is deterministic.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use ratatui::style::{Color, Modifier, Style};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};

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

/// One line of a block as pieces of text with their token class.
pub type Line = Vec<(String, Token)>;

/// A block's lines.
pub type Lines = Vec<Line>;

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

/// The class a scope gives by itself, if any.
fn class_of_scope(scope: Scope) -> Option<Token> {
    classes()
        .iter()
        .find(|(prefix, _)| prefix.is_prefix_of(scope))
        .map(|(_, token)| *token)
}

/// The class of the text under a scope stack: that of the innermost scope
/// that has one.
fn class_of(stack: &ScopeStack) -> Token {
    stack
        .as_slice()
        .iter()
        .rev()
        .find_map(|scope| class_of_scope(*scope))
        .unwrap_or(Token::Plain)
}

fn syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    set.find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_name(lang))
}

/// Highlights a block line by line, from where it stopped: syntect's parse
/// state and the scope stack carry over from one call to the next.
#[derive(Debug)]
pub struct Highlighter {
    state: ParseState,
    stack: ScopeStack,
    /// The class under the stack, kept while the stack does not change.
    class: Token,
    /// The byte offset of the next line in the text; `None` once done.
    next: Option<usize>,
    /// The line being parsed, with its newline (syntect wants it).
    buffer: String,
}

impl Highlighter {
    /// `None` if syntect does not know the language (a name or a file
    /// extension, as in a fence's info string).
    pub fn new(lang: &str) -> Option<Highlighter> {
        Some(Highlighter {
            state: ParseState::new(syntax(lang)?),
            stack: ScopeStack::new(),
            class: Token::Plain,
            next: Some(0),
            buffer: String::new(),
        })
    }

    /// Whether every line of the text is highlighted.
    pub fn is_done(&self) -> bool {
        self.next.is_none()
    }

    /// Highlights the next `count` lines of `text` (fewer at its end).
    /// `text` must be the same on every call; its lines are split at `\n`.
    pub fn next_lines(&mut self, text: &str, count: usize) -> Lines {
        let mut lines = Vec::new();
        while lines.len() < count
            && let Some(at) = self.next
        {
            let rest = text.get(at..).unwrap_or_default();
            let line = match rest.find('\n') {
                Some(end) => {
                    self.next = Some(at + end + 1);
                    &rest[..end]
                }
                None => {
                    self.next = None;
                    rest
                }
            };
            lines.push(self.line(line));
        }
        lines
    }

    fn line(&mut self, line: &str) -> Line {
        self.buffer.clear();
        self.buffer.push_str(line);
        self.buffer.push('\n');
        let mut pieces: Line = Vec::new();
        let mut push = |piece: &str, token: Token| {
            if piece.is_empty() {
                return;
            }
            match pieces.last_mut() {
                Some((last, t)) if *t == token => last.push_str(piece),
                _ => pieces.push((piece.to_owned(), token)),
            }
        };
        match self.state.parse_line(&self.buffer, syntaxes()) {
            Ok(ops) => {
                let mut at = 0;
                for (offset, op) in ops {
                    let offset = offset.min(line.len());
                    if offset > at {
                        push(&line[at..offset], self.class);
                        at = offset;
                    }
                    // A scope error leaves the stack as it was: worse
                    // colours, never a lost line.
                    let _ = self.stack.apply(&op);
                    self.class = match op {
                        // A scope pushed with a class of its own gives it;
                        // one without keeps the class of those under it.
                        ScopeStackOp::Push(scope) => class_of_scope(scope).unwrap_or(self.class),
                        ScopeStackOp::Noop => self.class,
                        _ => class_of(&self.stack),
                    };
                }
                push(&line[at..], self.class);
            }
            Err(_) => push(line, Token::Plain),
        }
        pieces
    }
}

/// Highlights a whole block at once, without the cache (for benchmarks
/// and tests).
pub fn highlight_uncached(lang: &str, text: &str) -> Option<Lines> {
    Some(Highlighter::new(lang)?.next_lines(text, usize::MAX))
}

/// A block's highlighted lines so far, from its first: all of them once
/// [`Highlight::is_complete`]. Kept in parts, so that publishing more
/// lines does not copy those already done.
#[derive(Debug, Clone, Default)]
pub struct Highlight {
    parts: Vec<Arc<Lines>>,
    len: usize,
    complete: bool,
}

impl Highlight {
    fn new(lines: Lines, complete: bool) -> Highlight {
        Highlight::default().with(lines, complete)
    }

    /// This highlight with `lines` after the ones it has.
    fn with(&self, lines: Lines, complete: bool) -> Highlight {
        let mut parts = self.parts.clone();
        let len = self.len + lines.len();
        if !lines.is_empty() {
            parts.push(Arc::new(lines));
        }
        Highlight {
            parts,
            len,
            complete,
        }
    }

    /// How many lines are highlighted.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether every line of the block is highlighted.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The highlighted lines, from the block's first.
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.parts.iter().flat_map(|part| part.iter())
    }
}

/// Lines highlighted at once when a block first shows, even in the TUI: a
/// few screenfuls, within a frame's time.
pub const FIRST_LINES: usize = 200;

/// How often the background thread publishes the lines it has done.
pub const PUBLISH_EVERY: Duration = Duration::from_millis(100);

/// Lines the background thread highlights between looks at the clock and
/// at whether the block is still wanted.
const STEP: usize = 25;

/// Highlighted blocks kept.
const KEPT: usize = 8;

thread_local! {
    /// Whether long blocks drawn by this thread are highlighted partly on
    /// a thread of their own.
    static BACKGROUND: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Set when a background highlight published lines, until
/// [`take_finished`].
static FINISHED: AtomicBool = AtomicBool::new(false);

/// Counts the publications of background highlights.
static PROGRESS: AtomicU64 = AtomicU64::new(0);

/// A block's language and text.
type BlockKey = (String, String);

#[derive(Debug)]
struct Entry {
    key: Arc<BlockKey>,
    highlight: Arc<Highlight>,
}

#[derive(Default)]
struct Highlights {
    /// The blocks highlighted or being highlighted, the most recent last.
    entries: Vec<Entry>,
    /// Background threads running.
    workers: usize,
}

fn shared() -> &'static (Mutex<Highlights>, Condvar) {
    static SHARED: OnceLock<(Mutex<Highlights>, Condvar)> = OnceLock::new();
    SHARED.get_or_init(Default::default)
}

fn lock() -> MutexGuard<'static, Highlights> {
    // The cache holds whole values only (a highlight is replaced, never
    // edited): a panic elsewhere cannot leave it half-written, so a
    // poisoned lock is still good.
    shared().0.lock().unwrap_or_else(PoisonError::into_inner)
}

/// From now on, blocks this thread draws that are longer than
/// [`FIRST_LINES`] are highlighted partly on a thread of their own (the
/// TUI's event loop calls this; see the module doc). The bundled syntaxes
/// are loaded when the first code block needs them (part of its first
/// frame), not at start, where they would compete with the load.
pub fn highlight_in_background() {
    BACKGROUND.set(true);
}

/// Whether a background highlight published lines since the last call:
/// the screen should be drawn again.
pub fn take_finished() -> bool {
    FINISHED.swap(false, Ordering::Relaxed)
}

/// A number that changes whenever a background highlight publishes lines:
/// a layout made with an incomplete [`Highlight`] is out of date once it
/// differs from what it was then.
pub fn progress() -> u64 {
    PROGRESS.load(Ordering::Acquire)
}

/// Waits until no block is being highlighted in the background.
pub fn wait_until_idle() {
    let (_, idle) = shared();
    let mut state = lock();
    while state.workers > 0 {
        state = idle.wait(state).unwrap_or_else(PoisonError::into_inner);
    }
}

/// Forgets every highlighted block; background threads stop at their next
/// step (for benchmarks, which highlight the same block again and again).
pub fn forget_all() {
    lock().entries.clear();
}

/// Highlights `text` as language `lang` (a name or file extension, as in
/// a fence's info string); `None` if syntect does not know the language.
/// In the TUI, a long block's highlight is incomplete at first (see the
/// module doc): lines after [`Highlight::len`] show as plain code.
pub fn highlight(lang: &str, text: &str) -> Option<Arc<Highlight>> {
    if let Some(entry) = lock()
        .entries
        .iter()
        .find(|e| e.key.0 == lang && e.key.1 == text)
    {
        return Some(Arc::clone(&entry.highlight));
    }
    let mut highlighter = Highlighter::new(lang)?;
    let first = if BACKGROUND.get() {
        highlighter.next_lines(text, FIRST_LINES)
    } else {
        highlighter.next_lines(text, usize::MAX)
    };
    let highlight = Arc::new(Highlight::new(first, highlighter.is_done()));
    let key = Arc::new((lang.to_owned(), text.to_owned()));
    let mut state = lock();
    // Another thread may have highlighted it meanwhile: one entry each.
    if let Some(entry) = state.entries.iter().find(|e| e.key == key) {
        return Some(Arc::clone(&entry.highlight));
    }
    if state.entries.len() >= KEPT {
        state.entries.remove(0);
    }
    state.entries.push(Entry {
        key: Arc::clone(&key),
        highlight: Arc::clone(&highlight),
    });
    if !highlight.is_complete() {
        state.workers += 1;
        let done = highlight.len();
        std::thread::spawn(move || highlight_rest(&key, done));
    }
    Some(highlight)
}

/// Counts a background thread out when it ends, however it ends.
struct Worker;

impl Drop for Worker {
    fn drop(&mut self) {
        lock().workers -= 1;
        shared().1.notify_all();
    }
}

/// On a thread of its own: highlights the block of `key` after its first
/// `done` lines, publishing what it has every [`PUBLISH_EVERY`], until the
/// block is done or no longer in the cache.
fn highlight_rest(key: &Arc<BlockKey>, done: usize) {
    let _worker = Worker;
    let text = key.1.as_str();
    let Some(mut highlighter) = Highlighter::new(&key.0) else {
        return;
    };
    // The same lines as those already shown (see the module doc).
    let _ = highlighter.next_lines(text, done);
    let wanted = || lock().entries.iter().any(|e| Arc::ptr_eq(&e.key, key));
    while !highlighter.is_done() {
        let started = Instant::now();
        let mut lines = Vec::new();
        while !highlighter.is_done() && started.elapsed() < PUBLISH_EVERY {
            lines.extend(highlighter.next_lines(text, STEP));
            if !wanted() {
                return;
            }
        }
        let mut state = lock();
        let Some(entry) = state.entries.iter_mut().find(|e| Arc::ptr_eq(&e.key, key)) else {
            return;
        };
        entry.highlight = Arc::new(entry.highlight.with(lines, highlighter.is_done()));
        PROGRESS.fetch_add(1, Ordering::Release);
        FINISHED.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|(t, _)| t.as_str()).collect())
            .collect()
    }

    /// Highlights as the first version did: the whole stack looked up for
    /// every piece.
    fn reference(lang: &str, text: &str) -> Lines {
        let mut state = ParseState::new(syntax(lang).expect("bundled"));
        let mut stack = ScopeStack::new();
        let mut lines = Vec::new();
        for line in text.split('\n') {
            let mut pieces: Line = Vec::new();
            let mut push = |piece: &str, token: Token| {
                if piece.is_empty() {
                    return;
                }
                match pieces.last_mut() {
                    Some((last, t)) if *t == token => last.push_str(piece),
                    _ => pieces.push((piece.to_owned(), token)),
                }
            };
            let ops = state
                .parse_line(&format!("{line}\n"), syntaxes())
                .expect("parses");
            let mut at = 0;
            for (offset, op) in ops {
                let offset = offset.min(line.len());
                if offset > at {
                    push(&line[at..offset], class_of(&stack));
                    at = offset;
                }
                let _ = stack.apply(&op);
            }
            push(&line[at..], class_of(&stack));
            lines.push(pieces);
        }
        lines
    }

    /// Rust with constructs that span lines (a block comment, a raw
    /// string), so that each line depends on the state before it.
    fn rust_block(lines: usize) -> String {
        let mut text = String::new();
        for i in 0..lines {
            text.push_str(&match i % 7 {
                0 => format!("/* a comment\n   over two lines {i} */"),
                1 => format!("let s = r#\"raw {i}\nstill the string\"#;"),
                2 => format!("pub struct S{i}<T: Copy> {{ x: T }}"),
                3 => format!("impl S{i} {{ fn f(&self) -> u64 {{ 0x{i:x} + 1 }} }}"),
                4 => "\tlet c = 'c'; // tab, char and comment".to_owned(),
                5 => "#[derive(Debug)] enum E { A, B(u8) }".to_owned(),
                _ => String::new(),
            });
            text.push('\n');
        }
        text
    }

    #[test]
    fn rust_gets_classes_and_keeps_its_text() {
        let text = "// hi\nfn main() { let s = \"x\"; 42 }";
        let highlight = highlight("rust", text).expect("rust is bundled");
        assert!(highlight.is_complete());
        let lines: Lines = highlight.lines().cloned().collect();
        assert_eq!(texts(&lines), text.split('\n').collect::<Vec<_>>());
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
        assert!(Highlighter::new("no-such-language").is_none());
    }

    #[test]
    fn the_cache_returns_the_same_lines() {
        let a = highlight("py", "print('a')").expect("python");
        let b = highlight("py", "print('a')").expect("python");
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn classes_kept_between_pieces_are_those_of_the_whole_stack() {
        let samples = [
            ("rust", rust_block(60)),
            (
                "python",
                "@decorator\ndef f(x: int) -> str:\n    \"\"\"doc\n    string\"\"\"\n    return f'{x!r}' + 'a' # c\n".to_owned(),
            ),
            (
                "html",
                "<div class=\"a\"><script>let x = 1;</script><!-- c\n --></div>".to_owned(),
            ),
            (
                "js",
                "const f = async (a, b) => `t ${a + `n ${b}`}`;\nclass C extends D { static m() {} }".to_owned(),
            ),
            (
                "sh",
                "for f in *.txt; do echo \"$f ${f%.txt}\"; done <<EOF\nhere $x\nEOF".to_owned(),
            ),
        ];
        for (lang, text) in samples {
            let ours = highlight_uncached(lang, &text).expect("bundled");
            assert_eq!(ours, reference(lang, &text), "{lang}");
        }
    }

    #[test]
    fn lines_split_as_the_plain_text_does() {
        for text in ["", "a", "a\n", "a\n\nb", "\n\n"] {
            let lines = highlight_uncached("rust", text).expect("rust");
            let expected: Vec<&str> = text.split('\n').collect();
            assert_eq!(lines.len(), expected.len(), "{text:?}");
            let shown: Vec<String> = texts(&lines);
            assert_eq!(shown, expected, "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// However a block is cut into calls, the lines are those of
        /// highlighting it at once.
        #[test]
        fn highlighting_in_parts_is_highlighting_at_once(
            lines in 1usize..80,
            cuts in proptest::collection::vec(0usize..30, 1..20),
        ) {
            let text = rust_block(lines);
            let whole = highlight_uncached("rust", &text).expect("rust");
            let mut highlighter = Highlighter::new("rust").expect("rust");
            let mut parts = Vec::new();
            for count in cuts.iter().cycle() {
                if highlighter.is_done() {
                    break;
                }
                parts.extend(highlighter.next_lines(&text, *count));
                // A call for no lines makes no progress: move on.
                parts.extend(highlighter.next_lines(&text, 1));
            }
            prop_assert_eq!(parts, whole);
        }
    }

    #[test]
    fn long_blocks_show_their_first_lines_at_once_and_the_rest_in_the_background() {
        // On a thread of its own, so that no other test of this process
        // highlights in the background.
        std::thread::spawn(|| {
            highlight_in_background();
            // A block unique to this test, so no other test has cached it.
            let long = format!("// background test\n{}", rust_block(3000));
            let whole = highlight_uncached("rust", &long).expect("rust");
            assert!(whole.len() > 2 * FIRST_LINES);
            let short = highlight("py", "y_background = 1").expect("python");
            assert!(short.is_complete(), "short: at once");
            let first = highlight("rust", &long).expect("rust");
            assert_eq!(first.len(), FIRST_LINES, "the first lines at once");
            let shown: Lines = first.lines().cloned().collect();
            assert_eq!(shown[..], whole[..FIRST_LINES]);
            wait_until_idle();
            assert!(take_finished());
            let done = highlight("rust", &long).expect("rust");
            assert!(done.is_complete());
            let lines: Lines = done.lines().cloned().collect();
            assert_eq!(lines, whole, "the same lines as at once");
        })
        .join()
        .expect("the test thread");
    }
}
