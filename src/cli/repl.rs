//! `pialog repl [FILES…]`: the interactive session (see `crate::repl`).

use crate::kb::load::{KbArgs, files_or_folders, load};
use crate::repl::{Repl, driver};
use crate::session::Session;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pialog repl`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Program and fact files to load (default: facts/ and queries/std.dl);
    /// a folder loads as a knowledge base (its facts/ and queries/std.dl)
    /// or, without that layout, as its `.dl` files.
    pub files: Vec<PathBuf>,
    /// Where the knowledge base is (`--root`).
    #[command(flatten)]
    pub kb: KbArgs,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let mut session = Session::new()
        .with_inferred_declarations(true)
        .with_lazy_evaluation(true);
    let start = std::time::Instant::now();
    let mut count = 0;
    let loaded = files_or_folders(&args.files, &args.kb.root)
        .map_err(|d| d.render(session.sources()))
        .and_then(|files| {
            count = files.len();
            load(&mut session, &files)
                .and_then(|()| session.evaluate())
                .map_err(|d| d.render(session.sources()))
        });
    let outcome = match loaded {
        Ok(outcome) => outcome,
        Err(e) => {
            eprint!("{e}");
            return super::exit(super::EXIT_BAD_INPUT);
        }
    };
    let tuples: usize = session
        .schema()
        .relations
        .keys()
        .filter_map(|r| session.relation_len(r))
        .sum();
    let relations = session.schema().relations.len();
    let mut repl = Repl::new(session);
    repl.set_banner(format!(
        "pialog {} — {count} file{} loaded: {relations} relations, {tuples} tuples, in {:.2} s.\n\
         :help lists the commands, Tab completes, Ctrl-D leaves.",
        env!("CARGO_PKG_VERSION"),
        if count == 1 { "" } else { "s" },
        start.elapsed().as_secs_f64()
    ));
    repl.set_startup(outcome, start);
    super::exit(driver::run(&mut repl))
}
