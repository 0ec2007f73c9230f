//! `pialog import DOC… -o DIR [--strict] [--id ORG/NUMBER]`: assessment
//! documents -> one fact file per assessment (see `pialog::import`).

use crate::diag::{Diagnostic, SourceMap};
use crate::import;
use crate::output::csv::write_atomically;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pialog import`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Assessment documents (text converted from the published PDF/HTML).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Directory for the fact files (created if missing).
    #[arg(short = 'o', long = "output", default_value = "facts")]
    pub output: PathBuf,
    /// Treat warnings (unread sections, lost marks) as errors: exit 2.
    #[arg(long)]
    pub strict: bool,
    /// Assessment id (ORG/NUMBER) for a document without a cover page
    /// (only with one document).
    #[arg(long)]
    pub id: Option<String>,
}

/// Imports every document; exit 2 when any failed (or warned, with --strict).
pub fn run(args: Args) -> ExitCode {
    let sources = SourceMap::new();
    if args.id.is_some() && args.inputs.len() > 1 {
        eprint!(
            "{}",
            Diagnostic::plain("--id can only be given with one document").render(&sources)
        );
        return super::exit(super::EXIT_BAD_INPUT);
    }
    if let Err(e) = std::fs::create_dir_all(&args.output) {
        eprint!(
            "{}",
            Diagnostic::at_file(
                format!("cannot create the output directory: {e}"),
                &args.output
            )
            .render(&sources)
        );
        return super::exit(super::EXIT_BAD_INPUT);
    }
    let bar = progress(args.inputs.len());
    let mut failed = false;
    for path in &args.inputs {
        bar.set_message(path.display().to_string());
        let result = std::fs::read(path)
            .map_err(|e| Diagnostic::at_file(format!("cannot read the document: {e}"), path))
            .and_then(|bytes| import::import(path, &bytes, args.id.as_deref()));
        bar.inc(1);
        let imported = match result {
            Ok(i) => i,
            Err(d) => {
                bar.suspend(|| eprint!("{}", d.render(&sources)));
                failed = true;
                continue;
            }
        };
        bar.suspend(|| {
            for w in &imported.sink.warnings {
                eprint!(
                    "{}",
                    Diagnostic::at_line(w.message.clone(), path, w.line)
                        .warning()
                        .render(&sources)
                );
            }
        });
        if args.strict && !imported.sink.warnings.is_empty() {
            bar.suspend(|| {
                eprintln!(
                    "error: {}: {} warning(s) with --strict; no fact file written",
                    path.display(),
                    imported.sink.warnings.len()
                )
            });
            failed = true;
            continue;
        }
        let out = args.output.join(&imported.file_name);
        if let Err(d) = write_atomically(&out, imported.text.as_bytes()) {
            bar.suspend(|| eprint!("{}", d.render(&sources)));
            failed = true;
            continue;
        }
        bar.suspend(|| {
            eprintln!(
                "imported {} -> {} ({} facts, {} warnings)",
                path.display(),
                out.display(),
                imported.sink.facts.len(),
                imported.sink.warnings.len()
            )
        });
    }
    bar.finish_and_clear();
    if failed {
        super::exit(super::EXIT_BAD_INPUT)
    } else {
        super::exit(super::EXIT_OK)
    }
}

fn progress(len: usize) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    if len < 2 || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar
}
