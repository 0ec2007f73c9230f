//! `pialog run SCRIPT… [-F dir] [-D dir] [--format table|csv|json]`: runs
//! Datalog scripts the way `souffle` does (same `-F`/`-D` flags, same
//! `.output` files), then prints the answers of `?-` queries and the
//! verdicts of `.assert`s.
//!
//! Exit status: 0 when everything ran and every assertion held, 1 when an
//! assertion failed, 2 for bad input (nothing is written then).
//!
//! `--timeout` and `--max-memory` bound the run (see [`crate::limits`]);
//! `--sandbox` fences it to the `-F`/`-D` folders and `--allow-path`s, as
//! `check` always is (see [`crate::fence`]).

use super::script_args::ScriptArgs;
use super::{EXIT_ASSERTION_FAILED, EXIT_BAD_INPUT, EXIT_OK, exit};
use crate::fence::Fence;
use crate::limits::arm;
use crate::output::json;
use crate::output::modes::Mode;
use crate::output::result::Outcome;
use crate::output::table::Fit;
use crate::session::Session;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pialog run`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Datalog scripts, loaded in order as one program.
    #[arg(required = true, value_name = "SCRIPT")]
    pub scripts: Vec<PathBuf>,
    /// Directory `.input` relations are read from (`<rel>.facts`).
    #[arg(short = 'F', long = "facts", value_name = "DIR", default_value = ".")]
    pub fact_dir: PathBuf,
    /// Directory `.output` relations are written to (`<rel>.csv`); `-`
    /// prints them instead.
    #[arg(
        short = 'D',
        long = "output",
        value_name = "DIR",
        default_value = ".",
        allow_hyphen_values = true
    )]
    pub output_dir: PathBuf,
    /// Read and write only inside the `-F` and `-D` folders and the
    /// `--allow-path` ones (the scripts named here are read too).
    #[arg(long)]
    pub sandbox: bool,
    /// How results are printed and bounded.
    #[command(flatten)]
    pub script: ScriptArgs,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    crate::output::transaction::clean_up_on_signals();
    if args.sandbox || !args.script.allow_paths.is_empty() {
        let mut folders = vec![args.fact_dir.clone()];
        if args.output_dir.as_os_str() != "-" {
            folders.push(args.output_dir.clone());
        }
        folders.extend(args.script.allow_paths.iter().cloned());
        crate::fence::install(Some(
            Fence::around(folders).admitting(args.scripts.iter().cloned()),
        ));
    }
    let mut session = Session::new()
        .with_fact_dir(args.fact_dir.clone())
        .with_output_dir(args.output_dir.clone())
        .with_pruning(true);
    let armed = arm(args.script.limits, &session.cancel_flag(), true);
    for script in &args.scripts {
        if let Err(d) = session.load_file(script) {
            eprint!("{}", d.render(session.sources()));
            return exit(EXIT_BAD_INPUT);
        }
    }
    let outcome = match session.evaluate() {
        Ok(o) => o,
        Err(d) => {
            eprint!("{}", d.render(session.sources()));
            return exit(EXIT_BAD_INPUT);
        }
    };
    // The limits bound the evaluation, not the printing of its answers.
    drop(armed);
    let (out, err) = render(&outcome, &args.script, &session);
    eprint!("{err}");
    // A closed pipe (`pialog run … | head`) is not an error worth a panic.
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush());
    if outcome.failed() {
        exit(EXIT_ASSERTION_FAILED)
    } else {
        exit(EXIT_OK)
    }
}

/// What `run` prints on stdout and on stderr: the program's own output
/// first, then the answers and verdicts (verdicts on stderr in the data
/// formats, inside the document in JSON); warnings on stderr.
fn render(outcome: &Outcome, args: &ScriptArgs, session: &Session) -> (String, String) {
    // Fitted to a terminal, never cut in a pipe.
    let fit = Fit {
        width: crate::output::screen::width(),
        ..Fit::default()
    };
    let reporter = args.reporter(session.sources(), fit).with_crlf(true);
    let report = reporter.report(outcome);
    match args.format {
        Mode::Table | Mode::Line | Mode::Markdown => (report.text(), report.warnings),
        Mode::Csv | Mode::Tsv => (
            report.printed + &report.answers,
            report.warnings + &report.verdicts,
        ),
        Mode::Json => {
            let doc = json::document(
                reporter.json_answers(outcome),
                reporter.json_assertions(outcome),
                json::printed(&outcome.printed),
            );
            (json::to_text(&doc), report.warnings)
        }
    }
}
