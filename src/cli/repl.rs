//! `pialog repl` (being built; see the open issues).

use std::process::ExitCode;

/// Arguments of `pialog repl`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Inputs.
    pub inputs: Vec<std::path::PathBuf>,
}

/// Runs the command.
pub fn run(_args: Args) -> ExitCode {
    eprintln!("error: `pialog repl` is not available in this build yet");
    super::exit(super::EXIT_BAD_INPUT)
}
