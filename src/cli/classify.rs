//! `pialog classify --labels FILE [FILES…]`: how far the measure classes of
//! the rules agree with an analyst's labels.
//!
//! FILES are the rule files (default: `facts/schema.dl` and
//! `queries/std.dl` of `--root`, without the assessments, so only the
//! labelled measures are classified). The report gives precision, recall
//! and F1 per class, the micro average, the share of measures with exactly
//! the labelled set, the rule lines that were wrong, and every measure the
//! rules get wrong with the line that fired. `--min-f1` and `--min-exact`
//! make it a CI gate: below either, the run exits 1 (like a failed
//! assertion); a malformed labels file or rule error exits 2.

use crate::classify::{self, Labels, report};
use crate::diag::SourceMap;
use crate::kb::load::KbArgs;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pialog classify`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The labelled measures: a, m, classes (comma-separated or -), notes,
    /// text; tab-separated, `#` lines are comments.
    #[arg(long, value_name = "FILE")]
    pub labels: PathBuf,
    /// Rule files to load (default: facts/schema.dl and queries/std.dl).
    pub files: Vec<PathBuf>,
    /// List every rule line that fired, not only the ones that were wrong.
    #[arg(long)]
    pub all_lines: bool,
    /// Exit 1 when the micro F1 is below this (0 to 1).
    #[arg(long, value_name = "X")]
    pub min_f1: Option<f64>,
    /// Exit 1 when the share of exactly right class sets is below this.
    #[arg(long, value_name = "X")]
    pub min_exact: Option<f64>,
    /// Where the knowledge base is (`--root`).
    #[command(flatten)]
    pub kb: KbArgs,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let bad = |text: String| {
        eprint!("{text}");
        super::exit(super::EXIT_BAD_INPUT)
    };
    let labels = match Labels::read(&args.labels) {
        Ok(l) => l,
        Err(d) => return bad(d.render(&SourceMap::new())),
    };
    let files = if args.files.is_empty() {
        classify::default_rule_files(&args.kb.root)
    } else {
        args.files.clone()
    };
    let outcome = match classify::run(&files, &labels) {
        Ok(o) => o,
        Err(e) => return bad(e),
    };
    if let Err(d) = labels.check_classes(&outcome.classes) {
        return bad(d.render(&SourceMap::new()));
    }
    let scores = classify::score_outcome(&labels, &outcome);
    let options = report::Options {
        all_lines: args.all_lines,
    };
    print!("{}", report::render(&labels, &outcome, &scores, options));
    let mut missed = Vec::new();
    if let Some(min) = args.min_f1
        && scores.micro.f1() < min
    {
        missed.push(format!(
            "micro F1 {:.3} is below --min-f1 {min}",
            scores.micro.f1()
        ));
    }
    if let Some(min) = args.min_exact
        && scores.exact_share() < min
    {
        missed.push(format!(
            "exact-set share {:.3} is below --min-exact {min}",
            scores.exact_share()
        ));
    }
    for m in &missed {
        eprintln!("classify: {m}");
    }
    if missed.is_empty() {
        super::exit(super::EXIT_OK)
    } else {
        super::exit(super::EXIT_ASSERTION_FAILED)
    }
}
