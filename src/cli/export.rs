//! `pialog export REL [-o FILE] [--excel] [--format csv|json] [FILES…]`:
//! one relation for a spreadsheet or a script.
//!
//! CSV is RFC 4180 with a header, formula-safe, written atomically (see
//! `output::csv`); `--excel` adds the BOM Japanese Excel needs. Without
//! `-o` the text goes to stdout. Any failure exits 2 and leaves no file.

use crate::diag::SourceMap;
use crate::kb::load::{KbArgs, open_evaluated};
use crate::output::csv::{CsvOptions, check_target, to_csv_bytes, write_atomically};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats of `export`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// RFC 4180 CSV with a header row.
    Csv,
    /// `{"name","columns","rows"}`.
    Json,
}

/// Arguments of `pialog export`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The relation to write.
    pub relation: String,
    /// Program and fact files to load (default: facts/ and queries/std.dl).
    pub files: Vec<PathBuf>,
    /// Write here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Start the CSV with the UTF-8 BOM (Excel in Japanese locales needs it).
    #[arg(long)]
    pub excel: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Where the knowledge base is (`--root`).
    #[command(flatten)]
    pub kb: KbArgs,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    crate::output::transaction::clean_up_on_signals();
    // A mistyped path fails before the knowledge base is evaluated.
    if let Some(path) = &args.output
        && let Err(d) = check_target(path)
    {
        eprint!("{}", d.render(&SourceMap::new()));
        return super::exit(super::EXIT_BAD_INPUT);
    }
    let session = match open_evaluated(&args.files, &args.kb.root) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{e}");
            return super::exit(super::EXIT_BAD_INPUT);
        }
    };
    let Some(table) = session.relation(&args.relation) else {
        eprintln!("error: unknown relation `{}`", args.relation);
        return super::exit(super::EXIT_BAD_INPUT);
    };
    let bytes = match args.format {
        Format::Csv => match to_csv_bytes(&table, CsvOptions { excel: args.excel }) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: cannot encode CSV: {e}");
                return super::exit(super::EXIT_BAD_INPUT);
            }
        },
        Format::Json => {
            crate::output::json::to_text(&crate::output::json::table(&table)).into_bytes()
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(d) = write_atomically(path, &bytes) {
                eprint!("{}", d.render(session.sources()));
                return super::exit(super::EXIT_BAD_INPUT);
            }
            eprintln!("wrote {} ({} rows)", path.display(), table.len());
        }
        None => {
            let mut out = std::io::stdout().lock();
            if out.write_all(&bytes).and_then(|()| out.flush()).is_err() {
                return super::exit(super::EXIT_BAD_INPUT);
            }
        }
    }
    super::exit(super::EXIT_OK)
}
