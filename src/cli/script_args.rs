//! The flags `run` and `check` share: how a script's results are printed
//! (`--format`, `--max-rows`), which other folders it may use
//! (`--allow-path`) and how long and large it may grow (`--timeout`,
//! `--max-memory`). Kept in one struct flattened into both commands, so
//! the two read and print a script alike.

use crate::diag::SourceMap;
use crate::limits::Limits;
use crate::output::modes::Mode;
use crate::output::offending::DEFAULT_MAX_ROWS;
use crate::output::reporter::Reporter;
use crate::output::table::Fit;
use std::path::PathBuf;

/// Arguments of every command that runs scripts.
#[derive(clap::Args, Debug, Clone)]
pub struct ScriptArgs {
    /// How answers are printed (`csv`, `tsv`: verdicts go to stderr;
    /// `json`: one document with every answer and assertion).
    #[arg(long, value_enum, default_value_t = Mode::Table)]
    pub format: Mode,
    /// Another folder the scripts may read and write (repeatable).
    #[arg(long = "allow-path", value_name = "DIR")]
    pub allow_paths: Vec<PathBuf>,
    /// Offending rows printed per failed assertion.
    #[arg(long = "max-rows", value_name = "N", default_value_t = DEFAULT_MAX_ROWS)]
    pub max_rows: usize,
    /// Time and memory bounds, for each script.
    #[command(flatten)]
    pub limits: Limits,
}

impl ScriptArgs {
    /// The reporter these flags ask for, fitting tables as `fit` says.
    pub fn reporter<'a>(&self, sources: &'a SourceMap, fit: Fit) -> Reporter<'a> {
        Reporter::new(sources, self.format)
            .with_fit(fit)
            .with_max_rows(self.max_rows)
    }
}
