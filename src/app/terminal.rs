//! The terminal edge: raw mode and the alternate screen on the way in, and
//! restored on every way out: quit, Ctrl-C, SIGTERM, SIGHUP, SIGINT, an
//! error, or a panic (ratatui's hook restores the terminal first, then the
//! panic message prints).

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use super::{App, keys};
use crate::clock::Clock;

/// How often the loop wakes without input: to notice signals, and to
/// redraw the countdown and counts that change with time.
const TICK: Duration = Duration::from_millis(250);

/// How the program ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit.
    Quit,
    /// A signal asked us to stop; the terminal was restored.
    Signal(i32),
}

/// Runs `app` in the terminal until it quits or a signal arrives.
pub fn run(mut app: App, clock: Clock) -> anyhow::Result<Exit> {
    if !std::io::stdout().is_terminal() {
        anyhow::bail!("the study screen needs a terminal; `recall due` prints what is due instead");
    }
    // Signal handlers replace the default "die at once", which would leave
    // the terminal in raw mode; the loop sees the flag within one tick.
    let signal = Arc::new(AtomicUsize::new(0));
    let ids = [SIGTERM, SIGHUP, SIGINT]
        .into_iter()
        .map(|s| signal_hook::flag::register_usize(s, Arc::clone(&signal), s as usize))
        .collect::<Result<Vec<_>, _>>()?;
    spawn_watchdog(Arc::clone(&signal));
    let mut terminal = ratatui::try_init()?;
    crate::phases::mark("terminal");
    let result = event_loop(&mut terminal, &mut app, &clock, &signal);
    ratatui::restore();
    if let Some(line) = app.farewell(clock.now()) {
        println!("{line}");
    }
    for id in ids {
        signal_hook::low_level::unregister(id);
    }
    result
}

/// How long a signal may go unanswered before the watchdog ends the process.
const SIGNAL_GRACE: Duration = Duration::from_secs(1);

/// When the terminal hangs up, crossterm's reader can loop forever on the
/// end of its input without returning (crossterm 0.29), so the event loop
/// never sees SIGHUP and the process spins. This thread ends the process if
/// a signal has gone unanswered for [`SIGNAL_GRACE`]. Nothing is lost: every
/// grade was synced when it was given, and the OS releases the lock.
fn spawn_watchdog(signal: Arc<AtomicUsize>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(TICK);
            let number = signal.load(Ordering::Relaxed);
            if number != 0 {
                std::thread::sleep(SIGNAL_GRACE);
                ratatui::restore();
                std::process::exit(128 + number as i32);
            }
        }
    });
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    clock: &Clock,
    signal: &AtomicUsize,
) -> anyhow::Result<Exit> {
    let mut first_frame = true;
    loop {
        let now = clock.now();
        app.tick(now);
        terminal.draw(|frame| app.view(frame, now))?;
        if first_frame {
            first_frame = false;
            crate::phases::mark("first frame");
            crate::phases::write_if_asked();
        }
        if app.should_quit() {
            return Ok(Exit::Quit);
        }
        match signal.load(Ordering::Relaxed) {
            0 => {}
            number => return Ok(Exit::Signal(number as i32)),
        }
        if !event::poll(TICK)? {
            continue;
        }
        // Resizes need nothing: the next pass draws at the new size.
        if let Event::Key(key) = event::read()?
            && let Some(action) = keys::action_for(key, app.key_context())
        {
            app.update(action, clock.now());
        }
    }
}
