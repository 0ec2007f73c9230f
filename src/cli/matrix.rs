//! `pialog matrix [-o matrix.csv] [--svg matrix.svg] [FILES…]`: the
//! side-by-side coverage matrix (assessments × phases × measure classes).
//!
//! Without `-o`/`--svg` the CSV goes to stdout. Both files are written
//! atomically; any failure exits 2.

use crate::diag::SourceMap;
use crate::kb::load::{KbArgs, open_evaluated};
use crate::kb::views::matrix;
use crate::output::csv::{CsvOptions, check_target, to_csv_bytes, write_all_atomically};
use crate::output::svg::heat_map;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pialog matrix`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Program and fact files to load (default: facts/ and queries/std.dl).
    pub files: Vec<PathBuf>,
    /// Write the matrix as CSV here.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the SVG heat map here.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Start the CSV with the UTF-8 BOM (for Excel).
    #[arg(long)]
    pub excel: bool,
    /// Where the knowledge base is (`--root`).
    #[command(flatten)]
    pub kb: KbArgs,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let fail = |e: String| {
        eprint!("{e}");
        super::exit(super::EXIT_BAD_INPUT)
    };
    // A mistyped path fails before the knowledge base is evaluated.
    for path in args.output.iter().chain(&args.svg) {
        if let Err(d) = check_target(path) {
            return fail(d.render(&SourceMap::new()));
        }
    }
    let session = match open_evaluated(&args.files, &args.kb.root) {
        Ok(s) => s,
        Err(e) => return fail(e.to_string()),
    };
    let m = match matrix(&session) {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    let csv = match to_csv_bytes(&m.to_table(), CsvOptions { excel: args.excel }) {
        Ok(b) => b,
        Err(e) => return fail(format!("error: cannot encode CSV: {e}\n")),
    };
    if args.output.is_none() && args.svg.is_none() {
        let mut out = std::io::stdout().lock();
        if out.write_all(&csv).and_then(|()| out.flush()).is_err() {
            return super::exit(super::EXIT_BAD_INPUT);
        }
        return super::exit(super::EXIT_OK);
    }
    // Both files or neither: a failing SVG must not leave the CSV behind.
    let svg = heat_map(&m);
    let mut files: Vec<(&std::path::Path, &[u8])> = Vec::new();
    if let Some(path) = &args.output {
        files.push((path, &csv));
    }
    if let Some(path) = &args.svg {
        files.push((path, svg.as_bytes()));
    }
    if let Err(d) = write_all_atomically(&files) {
        return fail(d.render(session.sources()));
    }
    for (path, _) in &files {
        eprintln!("wrote {}", path.display());
    }
    super::exit(super::EXIT_OK)
}
