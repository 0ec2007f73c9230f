//! One module per subcommand: its clap arguments and the function that runs
//! it. `main.rs` only dispatches, so every command is testable as a library
//! call and the binary stays a thin shell.

pub mod bench;
pub mod check;
pub mod classify;
pub mod export;
pub mod generate;
pub mod graph;
pub mod import;
pub mod matrix;
pub mod repl;
pub mod report;
pub mod run;
pub mod script_args;

use std::process::ExitCode;

/// Exit status for success.
pub const EXIT_OK: u8 = 0;
/// Exit status when an assertion failed.
pub const EXIT_ASSERTION_FAILED: u8 = 1;
/// Exit status for bad input of any kind (parse, type, I/O).
pub const EXIT_BAD_INPUT: u8 = 2;

/// Converts one of the exit constants into the process exit code.
pub fn exit(code: u8) -> ExitCode {
    ExitCode::from(code)
}
