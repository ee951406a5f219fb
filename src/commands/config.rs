//! `recall config`: the settings in effect, as a valid config file.

use std::io::Write;
use std::process::ExitCode;

use super::Context;

pub fn run(ctx: &Context, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let loaded = ctx.config()?;
    let origin = if loaded.file_exists {
        format!("# Settings from {}", loaded.path.display())
    } else {
        format!(
            "# {} does not exist: these are the defaults.\n# Save this output there to change them.",
            loaded.path.display()
        )
    };
    writeln!(out, "{origin}")?;
    writeln!(out, "# Data directory: {}", ctx.paths.data_dir.display())?;
    write!(out, "{}", loaded.config)?;
    Ok(ExitCode::SUCCESS)
}
