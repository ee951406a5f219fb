//! The terminal edge: raw mode, the alternate screen and bracketed paste on
//! the way in, and restored on every way out: quit, Ctrl-C, every catchable
//! fatal signal (TERM, HUP, INT, QUIT, USR1, USR2, ALRM), an error, or a
//! panic (ratatui's hook restores the terminal first, then the panic
//! message prints). Ctrl-Z and SIGTSTP restore the terminal and stop;
//! `fg` (SIGCONT) re-enters it and redraws everything.
//!
//! Input is guarded so that nothing is graded unseen: keys typed while
//! recall was loading are all dropped; keys that would act on a card,
//! queued before it (or its answer) appeared, are dropped; a key held down
//! acts once; pastes are ignored (no screen has a text field).

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers,
};
use ratatui::crossterm::execute;
use signal_hook::consts::{
    SIGALRM, SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2,
};

use std::sync::mpsc;

use super::App;
use super::keys::{self, Action};
use super::launch::{Launch, Loaded, Preview};
use crate::clock::Clock;

/// How often the loop wakes without input: to notice signals, and to
/// redraw the countdown and counts that change with time.
const TICK: Duration = Duration::from_millis(250);

/// The same key again within this long is the keyboard's auto-repeat (or a
/// burst): it does not act. Auto-repeat sends 25-35 keys a second.
const REPEAT_WITHIN: Duration = Duration::from_millis(150);

/// Signals that end the screen (after restoring the terminal).
const FATAL: [i32; 7] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM];

/// How the program ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit.
    Quit,
    /// A signal asked us to stop; the terminal was restored.
    Signal(i32),
}

/// What the signal handlers set; the loop reads them every tick.
#[derive(Debug, Clone, Default)]
struct Flags {
    /// The number of a fatal signal that arrived, or 0.
    fatal: Arc<AtomicUsize>,
    /// SIGTSTP (the terminal's Ctrl-Z, or `kill -TSTP`).
    stop: Arc<AtomicBool>,
    /// SIGCONT: we were stopped (perhaps by SIGSTOP) and go on.
    resumed: Arc<AtomicBool>,
    /// The user's editor is running: it owns the terminal meanwhile.
    editing: Arc<AtomicBool>,
}

/// Runs `app` in the terminal until it quits or a signal arrives.
pub fn run(app: App, clock: Clock) -> anyhow::Result<Exit> {
    let images = app.wants_images();
    let (sender, loads) = mpsc::channel();
    let _ = sender.send((Ok(Loaded::App(Box::new(app))), Vec::new()));
    run_loaded(Preview::Loading, images, &loads, clock)
}

/// Sets up the terminal and shows `launch`'s preview while its load runs
/// on a thread of its own; then runs the app it gives, as [`run`].
pub fn launch(launch: Launch, clock: Clock) -> anyhow::Result<Exit> {
    if !std::io::stdout().is_terminal() {
        anyhow::bail!("the study screen needs a terminal; `recall due` prints what is due instead");
    }
    let (sender, loads) = mpsc::channel();
    let load = launch.load;
    std::thread::Builder::new()
        .name("load".into())
        .spawn(move || {
            let mut stderr = Vec::new();
            let loaded = load(&mut stderr);
            let _ = sender.send((loaded, stderr));
        })?;
    run_loaded(launch.preview, launch.images, &loads, clock)
}

/// What the load thread sends: the app (or why not) and its stderr.
type LoadResult = (anyhow::Result<Loaded>, Vec<u8>);

/// What is left to print once the terminal is restored.
#[derive(Default)]
struct Leftovers {
    app: Option<Box<App>>,
    stderr: Vec<u8>,
    done: Option<String>,
}

fn run_loaded(
    preview: Preview,
    images: bool,
    loads: &mpsc::Receiver<LoadResult>,
    clock: Clock,
) -> anyhow::Result<Exit> {
    if !std::io::stdout().is_terminal() {
        anyhow::bail!("the study screen needs a terminal; `recall due` prints what is due instead");
    }
    // Signal handlers replace the default "die at once", which would leave
    // the terminal in raw mode; the loop sees the flags within one tick.
    let flags = Flags::default();
    let mut ids = Vec::new();
    for signal in FATAL {
        ids.push(signal_hook::flag::register_usize(
            signal,
            Arc::clone(&flags.fatal),
            signal as usize,
        )?);
    }
    ids.push(signal_hook::flag::register(
        SIGTSTP,
        Arc::clone(&flags.stop),
    )?);
    ids.push(signal_hook::flag::register(
        SIGCONT,
        Arc::clone(&flags.resumed),
    )?);
    spawn_watchdog(Arc::clone(&flags.fatal), Arc::clone(&flags.editing));
    let mut terminal = ratatui::try_init()?;
    crate::phases::mark("terminal");
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let mut leftovers = Leftovers::default();
    let start = Start { preview, images };
    let result = serve(&mut terminal, &start, loads, &clock, &flags, &mut leftovers);
    restore();
    {
        use std::io::Write as _;
        let _ = std::io::stderr().write_all(&leftovers.stderr);
    }
    if let Some(line) = leftovers.done {
        println!("{}", crate::safe_text::visible(&line));
    }
    if let Some(line) = leftovers.app.and_then(|app| app.farewell(clock.now())) {
        println!("{}", crate::safe_text::visible(&line));
    }
    for id in ids {
        signal_hook::low_level::unregister(id);
    }
    result
}

/// The screen from the preview to the end: waits for the load, then runs
/// the app with the keys kept meanwhile.
/// What a start shows while loading, and whether cards will want images.
struct Start {
    preview: Preview,
    images: bool,
}

fn serve(
    terminal: &mut DefaultTerminal,
    start: &Start,
    loads: &mpsc::Receiver<LoadResult>,
    clock: &Clock,
    flags: &Flags,
    leftovers: &mut Leftovers,
) -> anyhow::Result<Exit> {
    let mut images = None;
    let waited = wait_for_load(terminal, start, &mut images, loads, clock, flags)?;
    let (loaded, kept_keys) = match waited {
        Waited::Loaded(loaded, stderr, keys) => {
            leftovers.stderr = stderr;
            (loaded?, keys)
        }
        Waited::Exit(exit) => return Ok(exit),
    };
    let mut app = match loaded {
        Loaded::App(app) => app,
        Loaded::Done(line) => {
            leftovers.done = Some(line);
            return Ok(Exit::Quit);
        }
    };
    // Asked after the first frame if it was not asked during the load: the
    // first frame does not wait for the terminal's answer.
    let ask_images = match images {
        Some(images) if app.wants_images() => {
            app.set_images(images);
            false
        }
        _ => app.wants_images(),
    };
    // Keys typed at the kept home screen act now, as long as home is up.
    for key in kept_keys {
        if app.key_context() != keys::KeyContext::Home {
            break;
        }
        if let Some(action) = keys::action_for(key, keys::KeyContext::Home) {
            app.update(action, clock.now());
        }
    }
    let result = event_loop(terminal, &mut app, ask_images, clock, flags);
    if matches!(result, Ok(Exit::Quit)) {
        app.keep_home_screen(clock.now());
    }
    leftovers.app = Some(app);
    result
}

/// How the wait for the load ended.
enum Waited {
    /// The load's result, its stderr, and the keys kept for the app.
    Loaded(anyhow::Result<Loaded>, Vec<u8>, Vec<KeyEvent>),
    /// Quit, or a signal, before it was done.
    Exit(Exit),
}

/// How often the preview looks for the load's result.
const LOAD_POLL: Duration = Duration::from_millis(2);

/// Draws the preview until the load is done, keeping keys typed at a kept
/// home screen and dropping those typed at "Loading"; a quitting key or a
/// signal ends it at once (the load thread ends with the process).
///
/// The terminal is asked how it draws images (`images`) right after the
/// first frame, while the load goes on: the answer takes a round trip,
/// and inside tmux ratatui-image runs `tmux` once.
fn wait_for_load(
    terminal: &mut DefaultTerminal,
    start: &Start,
    images: &mut Option<crate::ui::images::CardImages>,
    loads: &mpsc::Receiver<LoadResult>,
    clock: &Clock,
    flags: &Flags,
) -> anyhow::Result<Waited> {
    let preview = &start.preview;
    let theme = crate::ui::Theme::from_env();
    let context = preview.key_context();
    let mut kept = Vec::new();
    let mut dirty = true;
    let mut drawn = false;
    loop {
        match loads.try_recv() {
            Ok((loaded, stderr)) => return Ok(Waited::Loaded(loaded, stderr, kept)),
            Err(mpsc::TryRecvError::Disconnected) => {
                anyhow::bail!("loading the decks and the review log stopped unexpectedly")
            }
            Err(mpsc::TryRecvError::Empty) => {}
        }
        if dirty {
            terminal.draw(|frame| preview.view(frame, clock.now(), theme))?;
            dirty = false;
            if !drawn {
                drawn = true;
                crate::phases::mark("first frame");
                if start.images {
                    *images = Some(query_images());
                    crate::phases::mark("images");
                }
            }
        }
        match flags.fatal.load(Ordering::Relaxed) {
            0 => {}
            number => return Ok(Waited::Exit(Exit::Signal(number as i32))),
        }
        if terminal_gone() {
            return Ok(Waited::Exit(Exit::Signal(SIGHUP)));
        }
        if flags.stop.swap(false, Ordering::Relaxed) {
            suspend(terminal, flags)?;
            dirty = true;
        }
        if flags.resumed.swap(false, Ordering::Relaxed) {
            resume(terminal, flags)?;
            dirty = true;
        }
        if !event::poll(LOAD_POLL)? {
            continue;
        }
        dirty = true;
        if let Event::Key(key) = event::read()? {
            if is_suspend(&key) {
                suspend(terminal, flags)?;
                continue;
            }
            match keys::action_for(key, context) {
                Some(keys::Action::Quit) => return Ok(Waited::Exit(Exit::Quit)),
                // Home's "q" quits too, at once.
                Some(keys::Action::Back) if context == keys::KeyContext::Home => {
                    return Ok(Waited::Exit(Exit::Quit));
                }
                Some(_) if context == keys::KeyContext::Home => kept.push(key),
                _ => {}
            }
        }
    }
}

/// How long the terminal has to say how it draws images.
const IMAGE_QUERY_TIMEOUT: Duration = Duration::from_millis(1000);

/// How images are drawn: `RECALL_IMAGES=halfblocks` draws half blocks
/// without asking the terminal (tests, and terminals that answer wrongly);
/// `RECALL_IMAGES=query` asks even inside tmux or screen.
const IMAGES_ENV: &str = "RECALL_IMAGES";

/// Asks the terminal, once, in raw mode and before any key is read, how it
/// can draw images (kitty, iTerm2 or sixel graphics, and its cell size in
/// pixels), waiting at most [`IMAGE_QUERY_TIMEOUT`]; coloured half blocks
/// when it does not say. Inside tmux or screen, which pass such queries on
/// only when configured to, it does not ask: half blocks.
///
/// ratatui-image reads the answer on a thread of its own. Every terminal
/// answers the status report that ends the query, so that thread ends with
/// it; if no answer came in time, the thread would still be waiting and
/// take the first keys typed. So after a timeout recall asks for the
/// status report itself, plainly (tmux and screen answer it too), and gives
/// the thread a moment to read the answer and end.
fn query_images() -> crate::ui::images::CardImages {
    use crate::ui::images::CardImages;
    use ratatui_image::picker::{Picker, cap_parser::QueryStdioOptions};
    let setting = std::env::var(IMAGES_ENV).unwrap_or_default();
    if setting == "halfblocks" {
        return CardImages::halfblocks();
    }
    let multiplexed = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
        || std::env::var_os("STY").is_some_and(|v| !v.is_empty())
        || std::env::var("TERM")
            .is_ok_and(|term| term.starts_with("tmux") || term.starts_with("screen"));
    if multiplexed && setting != "query" {
        return CardImages::halfblocks();
    }
    let options = QueryStdioOptions {
        timeout: IMAGE_QUERY_TIMEOUT,
        ..QueryStdioOptions::default()
    };
    let asked = Instant::now();
    let picker = Picker::from_query_stdio_with_options(options);
    if asked.elapsed() >= IMAGE_QUERY_TIMEOUT {
        use std::io::Write as _;
        let mut stdout = std::io::stdout();
        let _ = stdout.write_all(b"\x1b[5n").and_then(|()| stdout.flush());
        std::thread::sleep(Duration::from_millis(200));
    }
    match picker {
        Ok(picker) => CardImages::new(picker),
        Err(_) => CardImages::halfblocks(),
    }
}

/// Leaves the alternate screen and raw mode.
fn restore() {
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
}

/// Restores the terminal and stops the process as the default SIGTSTP
/// would; when it goes on (`fg`), re-enters the screen and redraws it all.
fn suspend(terminal: &mut DefaultTerminal, flags: &Flags) -> anyhow::Result<()> {
    restore();
    flags.resumed.store(false, Ordering::Relaxed);
    // SIGSTOP cannot be caught: the process stops here until SIGCONT.
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    resume(terminal, flags)
}

/// Back from a stop: raw mode, the alternate screen, and a full redraw
/// (the shell drew over the screen meanwhile).
fn resume(terminal: &mut DefaultTerminal, flags: &Flags) -> anyhow::Result<()> {
    flags.resumed.store(false, Ordering::Relaxed);
    ratatui::crossterm::terminal::enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        ratatui::crossterm::terminal::EnterAlternateScreen,
        EnableBracketedPaste
    )?;
    terminal.clear()?;
    Ok(())
}

/// Runs the user's editor on the whole terminal: the screen is left (raw
/// mode off, main screen back) before it starts and entered again after
/// it ends, whether it ran, failed or could not start at all.
fn run_editor(
    terminal: &mut DefaultTerminal,
    flags: &Flags,
    job: &super::edit::EditJob,
) -> anyhow::Result<std::io::Result<std::process::ExitStatus>> {
    restore();
    flags.editing.store(true, Ordering::Relaxed);
    let ran = job.spawn();
    flags.editing.store(false, Ordering::Relaxed);
    // Ctrl-C, Ctrl-\ and Ctrl-Z typed in an editor that leaves them to the
    // terminal reach us too (same process group): they were the editor's.
    for signal in [SIGINT, SIGQUIT] {
        let _ =
            flags
                .fatal
                .compare_exchange(signal as usize, 0, Ordering::Relaxed, Ordering::Relaxed);
    }
    flags.stop.store(false, Ordering::Relaxed);
    resume(terminal, flags)?;
    Ok(ran)
}

/// How long a signal may go unanswered before the watchdog ends the process.
const SIGNAL_GRACE: Duration = Duration::from_secs(1);

/// When the terminal hangs up, crossterm's reader can loop forever on the
/// end of its input without returning (crossterm 0.29), and a write to a
/// terminal that does not read blocks: either way the event loop never
/// answers a signal, nor sees that the terminal is gone. This thread
/// watches the terminal too (a hang-up without a signal counts as SIGHUP)
/// and ends the process if a signal has gone unanswered for
/// [`SIGNAL_GRACE`], restoring the terminal only if that does not block
/// too; not while an editor runs (the loop is waiting for it, not hung).
/// Nothing is lost: every grade was synced when it was given, and the OS
/// releases the lock.
fn spawn_watchdog(signal: Arc<AtomicUsize>, editing: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(TICK);
            let gone = terminal_gone();
            if gone {
                let _ = signal.compare_exchange(
                    0,
                    SIGHUP as usize,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
            }
            let number = signal.load(Ordering::Relaxed);
            // While the editor runs, the loop is waiting for it, not hung.
            if number != 0 && !editing.load(Ordering::Relaxed) {
                // A terminal that is gone has nothing left to restore: the
                // loop gets one tick to leave by itself.
                std::thread::sleep(if gone { TICK } else { SIGNAL_GRACE });
                let (done, wait) = std::sync::mpsc::channel();
                std::thread::spawn(move || {
                    restore();
                    let _ = done.send(());
                });
                let _ = wait.recv_timeout(Duration::from_millis(300));
                std::process::exit(128 + number as i32);
            }
        }
    });
}

/// Whether the terminal is gone: it hung up or failed (the emulator or its
/// parent died without a signal reaching us). Asked of stdin when that is
/// the terminal, else of stdout (the screen), never of a piped stdin
/// whose end says nothing about the terminal.
#[cfg(unix)]
fn terminal_gone() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let fd = if std::io::stdin().is_terminal() {
        rustix::stdio::stdin()
    } else {
        rustix::stdio::stdout()
    };
    let mut fds = [PollFd::new(&fd, PollFlags::empty())];
    let zero = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    match poll(&mut fds, Some(&zero)) {
        Ok(_) => fds[0]
            .revents()
            .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL),
        Err(_) => true,
    }
}

#[cfg(not(unix))]
fn terminal_gone() -> bool {
    false
}

/// Which card and side is up: input that arrived before it changed was
/// meant for what was up before.
type Shown = (keys::KeyContext, usize);

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    ask_images: bool,
    clock: &Clock,
    flags: &Flags,
) -> anyhow::Result<Exit> {
    let mut shown: Option<Shown> = None;
    let mut last_key: Option<(KeyCode, Instant)> = None;
    // Whether the screen must be drawn again: after input, and on ticks
    // where time shows (counts, countdowns). A card's question or answer
    // does not change with time, so a huge card is not re-laid-out idle.
    let mut dirty = true;
    let mut first_frame = true;
    crate::ui::highlight::highlight_in_background();
    loop {
        let now = clock.now();
        app.tick(now);
        // A long code block's colours arrived: show them.
        dirty |= crate::ui::highlight::take_finished();
        let card_up = matches!(
            app.key_context(),
            keys::KeyContext::Question | keys::KeyContext::Answer
        );
        if dirty || !card_up {
            terminal.draw(|frame| app.view(frame, now))?;
        }
        dirty = false;
        if first_frame {
            first_frame = false;
            crate::phases::mark("app frame");
            crate::phases::write_if_asked();
            if ask_images {
                app.set_images(query_images());
                dirty = true;
            }
        }
        if app.should_quit() {
            return Ok(Exit::Quit);
        }
        match flags.fatal.load(Ordering::Relaxed) {
            0 => {}
            number => return Ok(Exit::Signal(number as i32)),
        }
        if terminal_gone() {
            // Nothing to restore on a terminal that is gone.
            return Ok(Exit::Signal(SIGHUP));
        }
        if flags.stop.swap(false, Ordering::Relaxed) {
            suspend(terminal, flags)?;
            dirty = true;
            continue;
        }
        if flags.resumed.swap(false, Ordering::Relaxed) {
            // Stopped by SIGSTOP, which we could not see coming.
            resume(terminal, flags)?;
            dirty = true;
            continue;
        }
        let now_shown = app.shown();
        if shown.is_none() {
            // Keys typed while the decks and the log loaded (seconds, for a
            // huge deck) were typed at a screen that was not there: all go.
            while event::poll(Duration::ZERO)? {
                let _ = event::read()?;
            }
        }
        if shown != Some(now_shown) {
            // A new card or side just appeared: drop keys typed before it.
            shown = Some(now_shown);
            dirty = true;
            drop_queued_input(app, clock)?;
            if app.should_quit() {
                return Ok(Exit::Quit);
            }
        }
        if !event::poll(TICK)? {
            continue;
        }
        dirty = true;
        match event::read()? {
            Event::Key(key) if is_suspend(&key) => suspend(terminal, flags)?,
            Event::Key(key) => {
                let repeat = is_repeat(&key, &mut last_key);
                if let Some(action) = keys::action_for(key, app.key_context())
                    && !(repeat && acts_on_card(action))
                {
                    app.update(action, clock.now());
                }
                if let Some(job) = app.take_edit() {
                    let ran = run_editor(terminal, flags, &job)?;
                    app.finish_edit(job, ran, clock.now());
                }
            }
            // Pastes and resizes need nothing: the next pass draws at the
            // new size, and no screen takes pasted text.
            _ => {}
        }
    }
}

/// Discards the keys already waiting that would act on the card (grade,
/// reveal, undo, answer); others (leaving, quitting, scrolling) still act.
fn drop_queued_input(app: &mut App, clock: &Clock) -> anyhow::Result<()> {
    while event::poll(Duration::ZERO)? {
        if let Event::Key(key) = event::read()?
            && let Some(action) = keys::action_for(key, app.key_context())
            && !acts_on_card(action)
        {
            app.update(action, clock.now());
        }
    }
    Ok(())
}

fn is_suspend(key: &KeyEvent) -> bool {
    key.kind != KeyEventKind::Release
        && key.modifiers.contains(KeyModifiers::CONTROL)
        && key.code == KeyCode::Char('z')
}

/// A key the terminal reports as a repeat, or the same key again too soon
/// for a person to have pressed it twice (terminals without the kitty
/// protocol report auto-repeat as presses).
fn is_repeat(key: &KeyEvent, last: &mut Option<(KeyCode, Instant)>) -> bool {
    let at = Instant::now();
    let repeat = key.kind == KeyEventKind::Repeat
        || last.is_some_and(|(code, when)| code == key.code && at - when < REPEAT_WITHIN);
    *last = Some((key.code, at));
    repeat
}

/// Actions that would grade or turn a card, which a held key must not
/// repeat.
fn acts_on_card(action: Action) -> bool {
    matches!(
        action,
        Action::Reveal
            | Action::Grade(_)
            | Action::Undo
            | Action::Knew
            | Action::Missed
            | Action::Pick(_)
            | Action::Next
    )
}
