//! `pialog run SCRIPT… [-F dir] [-D dir] [--format table|csv|json]`: runs
//! Datalog scripts the way `souffle` does (same `-F`/`-D` flags, same
//! `.output` files), then prints the answers of `?-` queries and the
//! verdicts of `.assert`s.
//!
//! Exit status: 0 when everything ran and every assertion held, 1 when an
//! assertion failed, 2 for bad input (nothing is written then).

use super::{EXIT_ASSERTION_FAILED, EXIT_BAD_INPUT, EXIT_OK, exit};
use crate::diag::SourceMap;
use crate::output::modes::{self, Mode};
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
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let mut session = Session::new()
        .with_fact_dir(args.fact_dir.clone())
        .with_output_dir(args.output_dir.clone())
        .with_pruning(true);
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
    for w in &outcome.warnings {
        eprintln!("{w}");
    }
    // A closed pipe (`pialog run … | head`) is not an error worth a panic.
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(outcome.stdout.as_bytes())
        .and_then(|()| {
            stdout.write_all(render(&outcome, args.format, session.sources()).as_bytes())
        })
        .and_then(|()| stdout.flush());
    if outcome.assertions.iter().any(|a| !a.passed) {
        exit(EXIT_ASSERTION_FAILED)
    } else {
        exit(EXIT_OK)
    }
}

/// `file:line` of an assertion.
/// The assertion verdict lines (`ok …` / `FAIL …` with offending rows).
pub fn render_assertions(outcome: &Outcome, sources: &SourceMap) -> String {
    let mut out = String::new();
    for a in &outcome.assertions {
        out.push_str(&verdict_line(a, sources));
        out.push('\n');
        if !a.passed && !a.offending.is_empty() {
            out.push_str(&table::render_answer(&a.offending));
        }
    }
    out
}

/// Everything `run` prints after the program's own output.
pub fn render(outcome: &Outcome, format: Format, sources: &SourceMap) -> String {
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
            out.push_str(&render_assertions(outcome, sources));
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
            eprint!("{}", render_assertions(outcome, sources));
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
