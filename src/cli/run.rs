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

use super::{EXIT_ASSERTION_FAILED, EXIT_BAD_INPUT, EXIT_OK, exit};
use crate::diag::SourceMap;
use crate::fence::Fence;
use crate::limits::{Limits, arm};
use crate::output::modes::{self, Mode};
use crate::output::offending::{DEFAULT_MAX_ROWS, render_offending};
use crate::output::table::Fit;
use crate::output::verdict::verdict_line;
use crate::output::{json, table};
use crate::session::{Outcome, Session};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// How answers are printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// Aligned tables with row counts.
    #[default]
    Table,
    /// Every answer one field per line (long measure texts whole).
    Line,
    /// CSV with a header row per answer, answers separated by a blank line.
    Csv,
    /// TSV with a header row per answer, answers separated by a blank line.
    Tsv,
    /// Every answer as a Markdown table under its query.
    Markdown,
    /// One JSON document with every answer and assertion.
    Json,
}

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
    /// How query answers are printed.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Read and write only inside the `-F` and `-D` folders and the
    /// `--allow-path` ones (the scripts named here are read too).
    #[arg(long)]
    pub sandbox: bool,
    /// Another folder the sandbox lets the scripts use (repeatable).
    #[arg(long = "allow-path", value_name = "DIR")]
    pub allow_paths: Vec<PathBuf>,
    /// Offending rows printed per failed assertion.
    #[arg(long = "max-rows", value_name = "N", default_value_t = DEFAULT_MAX_ROWS)]
    pub max_rows: usize,
    /// Time and memory bounds.
    #[command(flatten)]
    pub limits: Limits,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    crate::output::transaction::clean_up_on_signals();
    if args.sandbox || !args.allow_paths.is_empty() {
        let mut folders = vec![args.fact_dir.clone()];
        if args.output_dir.as_os_str() != "-" {
            folders.push(args.output_dir.clone());
        }
        folders.extend(args.allow_paths.iter().cloned());
        crate::fence::install(Some(
            Fence::around(folders).admitting(args.scripts.iter().cloned()),
        ));
    }
    let mut session = Session::new()
        .with_fact_dir(args.fact_dir.clone())
        .with_output_dir(args.output_dir.clone())
        .with_pruning(true);
    let armed = arm(args.limits, &session.cancel_flag(), true);
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
    for w in &outcome.warnings {
        eprintln!("{w}");
    }
    // A closed pipe (`pialog run … | head`) is not an error worth a panic.
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(outcome.stdout.as_bytes())
        .and_then(|()| {
            let text = render(&outcome, args.format, session.sources(), args.max_rows);
            stdout.write_all(text.as_bytes())
        })
        .and_then(|()| stdout.flush());
    if outcome.assertions.iter().any(|a| !a.passed) {
        exit(EXIT_ASSERTION_FAILED)
    } else {
        exit(EXIT_OK)
    }
}

/// The assertion verdict lines (`ok …` / `FAIL …` with at most `max_rows`
/// offending rows each).
pub fn render_assertions(outcome: &Outcome, sources: &SourceMap, max_rows: usize) -> String {
    let mut out = String::new();
    for a in &outcome.assertions {
        out.push_str(&verdict_line(a, sources));
        out.push('\n');
        if !a.passed && !a.offending.is_empty() {
            let draw = |t: &crate::engine::table::Table| table::render_answer(t);
            out.push_str(&render_offending(&a.offending, draw, max_rows));
        }
    }
    out
}

/// Everything `run` prints after the program's own output.
pub fn render(outcome: &Outcome, format: Format, sources: &SourceMap, max_rows: usize) -> String {
    match format {
        Format::Table | Format::Line | Format::Markdown => {
            let mode = match format {
                Format::Line => Mode::Line,
                Format::Markdown => Mode::Markdown,
                _ => Mode::Table,
            };
            // Fitted to a terminal, never cut in a pipe.
            let fit = Fit {
                width: crate::output::screen::width(),
                ..Fit::default()
            };
            let mut out = String::new();
            for (i, a) in outcome.answers.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                if mode == Mode::Markdown {
                    out.push_str(&format!("```\n{}\n```\n\n", a.text.trim()));
                } else {
                    out.push_str(a.text.trim());
                    out.push('\n');
                }
                out.push_str(&modes::render(&a.table, mode, fit));
            }
            if !outcome.answers.is_empty() && !outcome.assertions.is_empty() {
                out.push('\n');
            }
            out.push_str(&render_assertions(outcome, sources, max_rows));
            out
        }
        Format::Csv | Format::Tsv => {
            let mut parts = Vec::new();
            for a in &outcome.answers {
                if format == Format::Csv {
                    let bytes = crate::output::csv::to_csv_bytes(&a.table, Default::default())
                        .unwrap_or_default();
                    parts.push(String::from_utf8_lossy(&bytes).into_owned());
                } else {
                    parts.push(modes::render(&a.table, Mode::Tsv, Fit::default()));
                }
            }
            let text = parts.join("\n");
            eprint!("{}", render_assertions(outcome, sources, max_rows));
            text
        }
        Format::Json => {
            let answers = outcome
                .answers
                .iter()
                .map(|a| json::answer(a.text.trim(), &a.table))
                .collect();
            let assertions = outcome
                .assertions
                .iter()
                .map(|a| json::assertion(&a.text, a.passed, &a.detail, &a.offending))
                .collect();
            json::to_text(&json::document(answers, assertions))
        }
    }
}
