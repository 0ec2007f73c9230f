//! `pialog import DOC… -o DIR [--strict] [--id ORG/NUMBER]`: assessment
//! documents -> one fact file per assessment (see `pialog::import`).

use crate::diag::{Diagnostic, SourceMap};
use crate::import;
use crate::output::csv::write_atomically;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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
    let mut written: HashMap<String, &PathBuf> = HashMap::new();
    // Documents are parsed in parallel, a batch at a time, and written in
    // input order, so that output and messages do not depend on timing.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    for batch in args.inputs.chunks(threads * 8) {
        let results = parse_batch(batch, args.id.as_deref(), threads, &bar);
        for (path, result) in batch.iter().zip(results) {
            failed |= !write_one(&args, path, result, &bar, &mut written);
        }
    }
    bar.finish_and_clear();
    if failed {
        super::exit(super::EXIT_BAD_INPUT)
    } else {
        super::exit(super::EXIT_OK)
    }
}

/// Imports the documents of one batch on `threads` threads; results in
/// input order.
fn parse_batch(
    batch: &[PathBuf],
    id: Option<&str>,
    threads: usize,
    bar: &ProgressBar,
) -> Vec<Result<import::Imported, Diagnostic>> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<import::Imported, Diagnostic>>>> =
        batch.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads.min(batch.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = batch.get(i) else { break };
                    let result = std::fs::read(path)
                        .map_err(|e| {
                            Diagnostic::at_file(format!("cannot read the document: {e}"), path)
                        })
                        .and_then(|bytes| import::import(path, &bytes, id));
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(result);
                    }
                    bar.inc(1);
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| {
                Err(Diagnostic::plain(
                    "internal error: a document was not imported",
                ))
            })
        })
        .collect()
}

/// Reports one document's result and writes its fact file; false on failure.
fn write_one<'p>(
    args: &Args,
    path: &'p PathBuf,
    result: Result<import::Imported, Diagnostic>,
    bar: &ProgressBar,
    written: &mut HashMap<String, &'p PathBuf>,
) -> bool {
    let sources = SourceMap::new();
    let imported = match result {
        Ok(i) => i,
        Err(d) => {
            bar.suspend(|| eprint!("{}", d.render(&sources)));
            return false;
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
        return false;
    }
    let out = args.output.join(&imported.file_name);
    if let Some(earlier) = written.insert(imported.file_name.clone(), path) {
        let d = Diagnostic::at_file(
            format!(
                "{} and {} are the same assessment {:?}; the later document's facts replace the earlier's",
                earlier.display(),
                path.display(),
                imported.id
            ),
            &out,
        )
        .warning();
        bar.suspend(|| eprint!("{}", d.render(&sources)));
    }
    if let Err(d) = write_atomically(&out, imported.text.as_bytes()) {
        bar.suspend(|| eprint!("{}", d.render(&sources)));
        return false;
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
    true
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
