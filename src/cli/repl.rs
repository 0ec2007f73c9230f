//! `pialog repl [FILES…]`: the interactive session (see `crate::repl`).

use crate::kb::load::{KbArgs, files_to_load, load};
use crate::repl::{Repl, driver};
use crate::session::Session;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pialog repl`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Program and fact files to load (default: facts/ and queries/std.dl).
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub kb: KbArgs,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let mut session = Session::new().with_inferred_declarations(true);
    let loaded = files_to_load(&args.files, &args.kb.root)
        .and_then(|files| load(&mut session, &files))
        .and_then(|()| {
            session
                .evaluate()
                .map(|_| ())
                .map_err(|d| d.render(session.sources()))
        });
    if let Err(e) = loaded {
        eprint!("{e}");
        return super::exit(super::EXIT_BAD_INPUT);
    }
    let mut repl = Repl::new(session);
    super::exit(driver::run(&mut repl))
}
