//! The `recall` binary: parse the command line, resolve paths, dispatch, and
//! turn errors into a message and an exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use recall::cli::{Cli, Command};
use recall::clock::Clock;
use recall::commands::{self, Context};
use recall::paths::Paths;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "recall: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context {
        paths: Paths::resolve(cli.data_dir, cli.config)?,
        deck_args: cli.decks,
        now: Clock::from_env()?.now(),
    };
    let command = cli.command.unwrap_or(Command::Decks { json: false });
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let code = commands::run(command, &ctx, &mut out, &mut err)?;
    out.flush()?;
    Ok(code)
}

/// `recall decks | head -1` closes the pipe early; that is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
