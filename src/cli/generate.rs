//! `pialog gen`: writes the seeded synthetic national corpus (see
//! [`crate::r#gen`]) so that the engine can be measured, and compared with
//! Soufflé or DuckDB, at the scale of every published assessment in Japan.

use crate::r#gen::{self as corpus, Format, GenOptions, Rel};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pialog gen`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Number of assessments (43,525 ≈ 4 million facts, the national scale).
    #[arg(long, short = 'n', default_value_t = 43_525)]
    pub assessments: usize,
    /// Seed of every random choice: the same seed writes the same bytes.
    #[arg(long, default_value_t = corpus::DEFAULT_SEED)]
    pub seed: u64,
    /// Output directory (created if missing).
    #[arg(long, short = 'o')]
    pub output: PathBuf,
    /// `facts`: `<rel>.facts` TSV for `.input`; `dl`: one fact file per
    /// assessment under `dl/`; `both`.
    #[arg(long, value_enum, default_value_t = Format::Facts)]
    pub format: Format,
}

/// Runs the command: writes the corpus and prints its size to stderr.
pub fn run(args: Args) -> ExitCode {
    let opts = GenOptions {
        assessments: args.assessments,
        seed: args.seed,
        format: args.format,
    };
    match corpus::generate(&opts, &args.output) {
        Ok(stats) => {
            for rel in Rel::ALL {
                eprintln!("{:>16} {:>10}", rel.name(), stats.rows[rel as usize]);
            }
            let secs = stats.elapsed.as_secs_f64();
            eprintln!(
                "wrote {} facts of {} assessments to {} in {:.2} s ({:.1} M facts/s)",
                stats.total(),
                args.assessments,
                args.output.display(),
                secs,
                stats.total() as f64 / secs.max(1e-9) / 1e6
            );
            super::exit(super::EXIT_OK)
        }
        Err(e) => {
            eprintln!("error: {e}; no corpus was written");
            super::exit(super::EXIT_BAD_INPUT)
        }
    }
}
