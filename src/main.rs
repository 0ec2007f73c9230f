//! The `pialog` binary: installs the allocator that `--max-memory` counts
//! with and runs [`pialog::cli::main`]; the command line itself lives in the
//! library.

use std::process::ExitCode;

/// Counts the heap against `--max-memory` and turns running out of memory
/// into an `error:` with exit 2 (see `pialog::limits`). It is installed here,
/// not in the library, so a program that embeds pialog keeps its own.
#[global_allocator]
static ALLOCATOR: pialog::limits::CountingAllocator = pialog::limits::CountingAllocator;

fn main() -> ExitCode {
    pialog::cli::main()
}
