//! `pialog bench`: measures the engine on the workloads of issue 5 —
//! transitive closure, the coverage pack over the synthetic national
//! corpus, its linear scaling, REPL query latency, `queries/std.dl`, and the
//! importer — and prints wall time, peak memory and throughput per workload
//! with the machine's core count. Each workload runs in a child process so
//! that its peak memory is its own (see [`crate::bench`]).

use crate::bench::{self, report, suite};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Arguments of `pialog bench`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Small sizes: a first look in seconds (no targets are judged).
    #[arg(long)]
    pub quick: bool,
    /// Run only these workloads (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<suite::Workload>,
    /// Runs per measured step (the best wall time is shown; row counts
    /// must agree between runs).
    #[arg(long)]
    pub runs: Option<usize>,
    /// Time limit per run, seconds.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
    /// Resident-memory limit per run, MiB (the run is stopped above it).
    #[arg(long, default_value_t = 8192)]
    pub max_rss_mb: u64,
    /// Graph sizes of the closure curve as NODESxEDGES (comma-separated),
    /// e.g. `2000x8000,20000x80000`.
    #[arg(long, value_delimiter = ',')]
    pub tc_sizes: Vec<String>,
    /// Keep the generated inputs in this directory (default: a temporary
    /// directory removed at the end).
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// The project directory (for `queries/std.dl`, `facts/schema.dl` and
    /// `../shared/seeds`); default: the current directory or the one the
    /// binary was built in.
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Soufflé's binary, run beside pialog on the coverage pack and the
    /// independent-rounds workload (default: `souffle` on the `PATH`, when
    /// there is one; without it the issues' figures stand in).
    #[arg(long)]
    pub souffle: Option<PathBuf>,
    /// Print one JSON document instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Internal: run one workload in this process and print its
    /// measurement (used by the parent to measure each workload apart).
    #[arg(long, hide = true)]
    pub worker: Option<String>,
}

/// The first `name` among the folders of `$PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn parse_size(s: &str) -> Option<(u32, usize)> {
    let (n, e) = s.split_once(['x', 'X'])?;
    Some((n.trim().parse().ok()?, e.trim().parse().ok()?))
}

/// The first of: `$CARGO_MANIFEST_DIR`, the current directory, an
/// ancestor of the binary (`target/release/pialog`), that holds
/// `queries/std.dl`; else the current directory.
fn project_root() -> PathBuf {
    let has_std = |p: &std::path::Path| p.join("queries/std.dl").is_file();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        candidates.push(PathBuf::from(dir));
    }
    candidates.push(cwd.clone());
    if let Ok(exe) = std::env::current_exe() {
        candidates.extend(exe.ancestors().skip(1).map(std::path::Path::to_path_buf));
    }
    candidates.into_iter().find(|p| has_std(p)).unwrap_or(cwd)
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    if let Some(spec) = &args.worker {
        return match bench::worker(spec) {
            Ok(()) => super::exit(super::EXIT_OK),
            Err(e) => {
                eprintln!("error: {e}");
                super::exit(super::EXIT_BAD_INPUT)
            }
        };
    }
    let mut tc_sizes = Vec::new();
    for s in &args.tc_sizes {
        match parse_size(s) {
            Some(size) => tc_sizes.push(size),
            None => {
                eprintln!("error: `--tc-sizes {s}`: expected NODESxEDGES such as 2000x8000");
                return super::exit(super::EXIT_BAD_INPUT);
            }
        }
    }
    if args.runs == Some(0) {
        eprintln!("error: `--runs 0`: at least one run is needed");
        return super::exit(super::EXIT_BAD_INPUT);
    }
    let root = args.root.clone().unwrap_or_else(project_root);
    if let Err(e) = check_root(&root, args.root.is_some(), &args.only) {
        eprintln!("error: {e}");
        return super::exit(super::EXIT_BAD_INPUT);
    }
    let souffle = match &args.souffle {
        Some(p) if !p.is_file() => {
            eprintln!("error: `--souffle {}`: no such file", p.display());
            return super::exit(super::EXIT_BAD_INPUT);
        }
        Some(p) => Some(p.clone()),
        None => on_path("souffle"),
    };
    let opts = suite::Options {
        quick: args.quick,
        only: args.only.clone(),
        runs: args.runs.unwrap_or(if args.quick { 1 } else { 3 }),
        timeout: Duration::from_secs(args.timeout),
        max_rss_mib: args.max_rss_mb,
        tc_sizes,
        work_dir: args.work_dir.clone(),
        root,
        verbose: !args.json,
        souffle,
    };
    let rows = match suite::run(&opts) {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("error: {e}");
            return super::exit(super::EXIT_BAD_INPUT);
        }
    };
    if args.json {
        let doc = serde_json::json!({
            "machine": report::machine(),
            "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
            "rows": rows,
        });
        println!("{doc:#}");
    } else {
        println!("pialog bench — {}", report::machine());
        println!("{}", report::render(&rows));
        print!("{}", report::render_counts(&rows));
    }
    let failed: Vec<String> = rows
        .iter()
        .filter(|r| r.failed)
        .map(|r| format!("{} ({})", r.workload, r.size))
        .collect();
    if failed.is_empty() {
        super::exit(super::EXIT_OK)
    } else {
        eprintln!(
            "error: {} workload(s) failed: {}",
            failed.len(),
            failed.join(", ")
        );
        super::exit(super::EXIT_BAD_INPUT)
    }
}

/// Checks before any work that the project root is a folder and holds
/// what the selected workloads read (`queries/std.dl` and
/// `facts/schema.dl` for `std`), so that a mistyped `--root` fails at once.
fn check_root(root: &Path, given: bool, only: &[suite::Workload]) -> Result<(), String> {
    let what = if given {
        format!("`--root {}`", root.display())
    } else {
        format!("the project folder `{}`", root.display())
    };
    if !root.is_dir() {
        return Err(if root.exists() {
            format!("{what}: it is a file, not the project folder")
        } else {
            format!("{what}: no such folder")
        });
    }
    if only.is_empty() || only.contains(&suite::Workload::Std) {
        for needed in ["facts/schema.dl", "queries/std.dl"] {
            if !root.join(needed).is_file() {
                return Err(format!(
                    "{what} has no `{needed}` (the `std` workload needs it; give --root the project folder)"
                ));
            }
        }
    }
    Ok(())
}
