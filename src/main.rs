//! The `recall` binary: parse the command line, resolve paths, dispatch, and
//! turn errors into a message and an exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use recall::app;
use recall::app::launch::{Launch, Load, Loaded, Preview};
use recall::app::snapshot::Fingerprint;
use recall::cache::Cache;
use recall::cli::{Cli, Command};
use recall::clock::Clock;
use recall::commands::{self, Context};
use recall::paths::Paths;
use recall::safe_text::{VisibleWriter, visible};
use recall::study::custom::CustomStudy;

fn main() -> ExitCode {
    recall::phases::mark("start");
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let message = format!("recall: {error:#}");
            let _ = writeln!(std::io::stderr(), "{}", visible(&message));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let clock = Clock::from_env()?;
    let ctx = Context {
        paths: Paths::resolve(cli.data_dir, cli.config, cli.device)?,
        deck_args: cli.decks,
        now: clock.now(),
        all_warnings: matches!(cli.command, Some(Command::Due { warnings: true, .. })),
        cache: std::sync::Arc::new(Cache::resolve(cli.no_cache, cli.cache_dir)),
    };
    // Everything printed outside the screen shows control characters
    // visibly: deck and card text may hold terminal escapes.
    let mut err = VisibleWriter::new(std::io::stderr().lock());
    match cli.command {
        None => {
            drop(err);
            let config = ctx.config()?.config;
            let (sync, images) = (config.sync_on_exit, config.images);
            // The home screen kept from the last run shows at once if the
            // files it was counted from are the same.
            let fingerprint = (ctx.deck_args.is_empty() && ctx.cache.dir().is_some())
                .then(|| {
                    Fingerprint::take(
                        &ctx.paths.deck_dir(),
                        &ctx.paths.data_dir,
                        &ctx.paths.config_file,
                    )
                })
                .flatten();
            recall::phases::mark("fingerprint");
            let preview = Preview::for_home(&ctx.cache, &ctx.paths, fingerprint.as_ref(), ctx.now);
            let kept = preview.kept_home().cloned();
            let load_ctx = ctx.clone();
            let load: Load = Box::new(move |stderr| {
                let catalog = load_ctx.catalog(&mut VisibleWriter::new(stderr))?;
                recall::phases::mark("decks");
                let now = clock.now();
                let mut app = app::home(&load_ctx.paths, &load_ctx.cache, catalog, config, now)?;
                if let Some(fingerprint) = fingerprint {
                    app.set_fingerprint(fingerprint, kept);
                    app.keep_home_screen(now);
                }
                Ok(Loaded::App(Box::new(app)))
            });
            let exit = show(
                Launch {
                    preview,
                    images,
                    load,
                },
                clock,
            )?;
            sync_on_exit(&ctx, clock, sync, &exit);
            exit_code(exit)
        }
        Some(Command::Study {
            deck,
            extra_new,
            ahead,
            tag,
            forgotten,
        }) => {
            drop(err);
            let config = ctx.config()?.config;
            let (sync, images) = (config.sync_on_exit, config.images);
            let custom = match (extra_new, ahead, tag, forgotten) {
                (Some(n), ..) => Some(CustomStudy::ExtraNew(n)),
                (_, Some(days), ..) => Some(CustomStudy::Ahead { days }),
                (_, _, Some(tag), _) => Some(CustomStudy::Tag(tag)),
                (.., Some(days)) => Some(CustomStudy::Forgotten { days }),
                _ => None,
            };
            let load_ctx = ctx.clone();
            let load: Load = Box::new(move |stderr| {
                let catalog = load_ctx.catalog(&mut VisibleWriter::new(stderr))?;
                recall::phases::mark("decks");
                let index = match deck {
                    Some(typed) => Some(catalog.position(&typed)?),
                    None => None,
                };
                let (paths, cache) = (&load_ctx.paths, &load_ctx.cache);
                app::study(paths, cache, catalog, config, index, custom, clock.now())
            });
            let exit = show(
                Launch {
                    preview: Preview::Loading,
                    images,
                    load,
                },
                clock,
            )?;
            sync_on_exit(&ctx, clock, sync, &exit);
            exit_code(exit)
        }
        Some(Command::Quiz(args)) if !args.history => {
            drop(err);
            let config = ctx.config()?.config;
            let images = config.images;
            let load_ctx = ctx.clone();
            let load: Load = Box::new(move |stderr| {
                let catalog = load_ctx.catalog(&mut VisibleWriter::new(stderr))?;
                recall::phases::mark("decks");
                let request = commands::quiz::request(&args, &catalog)?;
                let (paths, cache) = (&load_ctx.paths, &load_ctx.cache);
                let app = app::quiz(paths, cache, catalog, config, request, clock.now())?;
                Ok(Loaded::App(Box::new(app)))
            });
            exit_code(show(
                Launch {
                    preview: Preview::Loading,
                    images,
                    load,
                },
                clock,
            )?)
        }
        Some(command) => {
            let stdout = std::io::stdout();
            // An export to a pipe or file is data, passed on byte for byte;
            // to a terminal it is shown like any other output.
            let raw =
                matches!(command, Command::Export { output: None, .. }) && !stdout.is_terminal();
            let mut out: Box<dyn Write> = if raw {
                Box::new(stdout.lock())
            } else {
                Box::new(VisibleWriter::new(stdout.lock()))
            };
            let code = commands::run(command, &ctx, &mut out, &mut err)?;
            out.flush()?;
            Ok(code)
        }
    }
}

/// Runs a screen: in a terminal, drawn at once while `launch` loads on a
/// thread of its own; elsewhere loaded first (the screen then refuses to
/// run without a terminal, after any message the load has, e.g. "Nothing
/// to study").
fn show(launch: Launch, clock: Clock) -> anyhow::Result<app::Exit> {
    if std::io::stdout().is_terminal() {
        return app::launch(launch, clock);
    }
    let mut stderr = Vec::new();
    let loaded = (launch.load)(&mut stderr);
    std::io::stderr().write_all(&stderr)?;
    match loaded? {
        Loaded::App(app) => app::run(*app, clock),
        Loaded::Done(line) => {
            println!("{}", visible(&line));
            Ok(app::Exit::Quit)
        }
    }
}

/// With `sync_on_exit = true` and a data dir set up for sync, syncs after
/// the screen closed normally (the terminal is restored by then). A failed
/// sync is reported, never fatal: the reviews are safe on disk either way.
fn sync_on_exit(ctx: &Context, clock: Clock, enabled: bool, exit: &app::Exit) {
    if !enabled || !matches!(exit, app::Exit::Quit) {
        return;
    }
    if !recall::sync::Repo::is_set_up(ctx.paths.data_dir()) {
        return;
    }
    // The sync happens now, not when the command started.
    let ctx = Context {
        now: clock.now(),
        ..ctx.clone()
    };
    let mut out = std::io::stdout().lock();
    if let Err(error) = commands::sync::run(&ctx, None, &mut out) {
        let _ = writeln!(std::io::stderr(), "recall: sync on exit: {error:#}");
    }
}

/// A signal that stopped the screen exits with 128 + its number, as shells
/// expect of a process that the signal ended.
fn exit_code(exit: app::Exit) -> anyhow::Result<ExitCode> {
    Ok(match exit {
        app::Exit::Quit => ExitCode::SUCCESS,
        app::Exit::Signal(number) => ExitCode::from(128u8.saturating_add(number as u8)),
    })
}

/// `recall decks | head -1` closes the pipe early; that is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
