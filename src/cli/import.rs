//! `pialog import DOC… -o DIR [--strict] [--id ORG/NUMBER] [--org ORG]`:
//! assessment documents -> one fact file per assessment (see
//! `pialog::import`).

use crate::diag::{Diagnostic, SourceMap};
use crate::import;
use crate::output::csv::{check_target, write_all_atomically};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `pialog import`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Assessment documents (text converted from the published PDF/HTML),
    /// or folders of them (their .txt, .html and .htm files).
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
    /// The body (評価実施機関名, e.g. 熊谷市長) of a document without a
    /// cover page, such as a change list alone (only with one document).
    #[arg(long)]
    pub org: Option<String>,
}

/// Imports every document; exit 2 when any failed (or warned, with
/// --strict). Every document is read first: when one fails nothing is
/// written (not even the output folder), so that a bad input never leaves
/// half a knowledge base.
pub fn run(mut args: Args) -> ExitCode {
    let sources = SourceMap::new();
    let fail = |d: Diagnostic| {
        eprint!("{}", d.render(&sources));
        super::exit(super::EXIT_BAD_INPUT)
    };
    args.inputs = match expand_folders(&args.inputs) {
        Ok(files) => files,
        Err(d) => return fail(d),
    };
    if (args.id.is_some() || args.org.is_some()) && args.inputs.len() > 1 {
        return fail(Diagnostic::plain(
            "--id and --org can only be given with one document",
        ));
    }
    if let Some(id) = &args.id
        && !id.contains('/')
    {
        return fail(Diagnostic::plain(format!(
            "--id {id}: an assessment id is ORG/NUMBER (e.g. 熊谷市長/1)"
        )));
    }
    let given = import::Given {
        id: args.id.as_deref(),
        org: args.org.as_deref(),
    };
    if let Err(d) = check_output(&args.output) {
        return fail(d);
    }
    let bar = progress(args.inputs.len());
    let mut ready = Vec::new();
    let mut failed: Vec<&PathBuf> = Vec::new();
    // Documents are parsed in parallel, a batch at a time, and reported in
    // input order, so that output and messages do not depend on timing.
    let threads = crate::engine::cores::cores();
    for batch in args.inputs.chunks(threads * 8) {
        let results = parse_batch(batch, given, &bar);
        for (path, result) in batch.iter().zip(results) {
            match check_one(&args, path, result, &bar) {
                Some(doc) => ready.push(doc),
                None => failed.push(path),
            }
        }
    }
    bar.finish_and_clear();
    if failed.len() == 1 && args.inputs.len() == 1 {
        return super::exit(super::EXIT_BAD_INPUT);
    }
    if !failed.is_empty() {
        let names: Vec<String> = failed
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect();
        return fail(Diagnostic::plain(format!(
            "no fact file written: {} of {} document(s) failed: {}",
            failed.len(),
            args.inputs.len(),
            names.join(", ")
        )));
    }
    match write_all(&args.output, ready) {
        Ok(()) => super::exit(super::EXIT_OK),
        Err(d) => fail(d),
    }
}

/// The extensions of document files taken from a folder.
const DOCUMENT_EXTENSIONS: &[&str] = &["txt", "html", "htm"];

/// Replaces each folder among `inputs` by its documents (sorted by name,
/// not recursive), so that a folder of a thousand documents imports in one
/// run without a shell glob.
fn expand_folders(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            out.push(input.clone());
            continue;
        }
        let entries = std::fs::read_dir(input)
            .map_err(|e| Diagnostic::at_file(format!("cannot read the folder: {e}"), input))?;
        let mut docs: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        DOCUMENT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                    })
            })
            .collect();
        if docs.is_empty() {
            return Err(Diagnostic::at_file(
                format!(
                    "the folder holds no documents (files ending .{})",
                    DOCUMENT_EXTENSIONS.join(", .")
                ),
                input,
            ));
        }
        docs.sort();
        out.extend(docs);
    }
    Ok(out)
}

/// Imports the documents of one batch on the engine's threads
/// ([`crate::engine::cores::pool`]); results in input order.
fn parse_batch(
    batch: &[PathBuf],
    given: import::Given,
    bar: &ProgressBar,
) -> Vec<Result<import::Imported, Diagnostic>> {
    use rayon::prelude::*;
    let one = |path: &PathBuf| {
        let result = crate::regular_file::refuse_irregular(path)
            .map_err(std::io::Error::other)
            .and_then(|()| std::fs::read(path))
            .map_err(|e| Diagnostic::at_file(format!("cannot read the document: {e}"), path))
            .and_then(|bytes| import::import(path, &bytes, given));
        bar.inc(1);
        result
    };
    match crate::engine::cores::pool() {
        // One document per task: documents differ widely in size, and
        // idle threads take the next one.
        Some(pool) => pool.install(|| batch.par_iter().with_max_len(1).map(one).collect()),
        None => batch.iter().map(one).collect(),
    }
}

/// Refuses an output path that exists and is not a folder, before any
/// document is read.
fn check_output(output: &Path) -> Result<(), Diagnostic> {
    match std::fs::metadata(output) {
        Ok(m) if !m.is_dir() => Err(Diagnostic::at_file(
            format!(
                "cannot write fact files into `{}`: it is a file, not a folder",
                output.display()
            ),
            output,
        )),
        _ => Ok(()),
    }
}

/// A document that imported cleanly, waiting to be written.
struct Ready<'p> {
    path: &'p PathBuf,
    file_name: String,
    id: String,
    org: Option<(String, usize)>,
    text: String,
    facts: usize,
    warnings: usize,
}

/// Reports one document's result (its warnings, its error); the document
/// to write, or `None` when it failed.
fn check_one<'p>(
    args: &Args,
    path: &'p PathBuf,
    result: Result<import::Imported, Diagnostic>,
    bar: &ProgressBar,
) -> Option<Ready<'p>> {
    let sources = SourceMap::new();
    let imported = match result {
        Ok(i) => i,
        Err(d) => {
            bar.suspend(|| eprint!("{}", d.render(&sources)));
            return None;
        }
    };
    bar.suspend(|| {
        for w in &imported.sink.warnings {
            // Line 0: a whole section is absent; the warning is about the file.
            let d = match w.line {
                0 => Diagnostic::at_file(w.message.clone(), path),
                line => Diagnostic::at_line(w.message.clone(), path, line),
            };
            eprint!("{}", d.warning().render(&sources));
        }
    });
    if args.strict && !imported.sink.warnings.is_empty() {
        let d = Diagnostic::at_file(
            format!(
                "`{}`: {} warning(s) with --strict",
                path.display(),
                imported.sink.warnings.len()
            ),
            path,
        );
        bar.suspend(|| eprint!("{}", d.render(&sources)));
        return None;
    }
    Some(Ready {
        path,
        facts: imported.sink.facts.len(),
        warnings: imported.sink.warnings.len(),
        file_name: imported.file_name,
        id: imported.id,
        org: imported.org,
        text: imported.text,
    })
}

/// Writes the fact files of documents that all imported cleanly: the
/// folder is created only now, every target is checked before the first
/// file is written, and a later document of the same assessment replaces
/// an earlier one (with a warning).
fn write_all(output: &Path, docs: Vec<Ready<'_>>) -> Result<(), Diagnostic> {
    let sources = SourceMap::new();
    if docs.is_empty() {
        return Ok(());
    }
    check_distinct_bodies(&docs)?;
    std::fs::create_dir_all(output).map_err(|e| {
        Diagnostic::at_file(
            format!("cannot create the folder `{}`: {e}", output.display()),
            output,
        )
    })?;
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        if let Some(earlier) = last.insert(&doc.file_name, i) {
            let d = Diagnostic::at_file(
                format!(
                    "{} and {} are the same assessment `{}`; the later document's facts replace the earlier's",
                    docs[earlier].path.display(),
                    doc.path.display(),
                    doc.id
                ),
                output.join(&doc.file_name),
            )
            .warning();
            eprint!("{}", d.render(&sources));
        }
    }
    let keep: Vec<(PathBuf, &Ready)> = docs
        .iter()
        .enumerate()
        .filter(|(i, d)| last.get(d.file_name.as_str()) == Some(i))
        .map(|(_, d)| (output.join(&d.file_name), d))
        .collect();
    for (out, _) in &keep {
        check_target(out)?;
    }
    // A bounded number of temporary files open at a time.
    for chunk in keep.chunks(256) {
        let files: Vec<(&Path, &[u8])> = chunk
            .iter()
            .map(|(out, d)| (out.as_path(), d.text.as_bytes()))
            .collect();
        write_all_atomically(&files)?;
    }
    for doc in &docs {
        eprintln!(
            "imported {} -> {} ({} facts, {} warnings)",
            doc.path.display(),
            output.join(&doc.file_name).display(),
            doc.facts,
            doc.warnings
        );
    }
    Ok(())
}

/// Refuses two documents of different bodies that would get the same id
/// (伊達市長 of 北海道 and of 福島県): their facts would merge. The error
/// points at the second cover's 評価実施機関名; `--id` settles it.
fn check_distinct_bodies(docs: &[Ready<'_>]) -> Result<(), Diagnostic> {
    let mut first: HashMap<&str, &Ready> = HashMap::new();
    for doc in docs {
        let Some(earlier) = first.get(doc.file_name.as_str()).copied() else {
            first.insert(&doc.file_name, doc);
            continue;
        };
        let (Some((a, _)), Some((b, line))) = (&earlier.org, &doc.org) else {
            continue;
        };
        let (pa, pb) = (
            import::cover::prefecture_of(a),
            import::cover::prefecture_of(b),
        );
        if pa.is_some() && pb.is_some() && pa != pb {
            return Err(Diagnostic::at_line(
                format!(
                    "{} and {} would both be assessment `{}`, but their covers name different bodies ({a}, {b}); import one of them alone with --id ORG/NUMBER",
                    earlier.path.display(),
                    doc.path.display(),
                    doc.id
                ),
                doc.path,
                *line,
            )
            .with_label("評価実施機関名 of the second document"));
        }
    }
    Ok(())
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
