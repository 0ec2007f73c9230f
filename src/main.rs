//! The `pialog` binary: parses the command line and hands each subcommand to
//! its module in `pialog::cli`; nothing else lives here.

use clap::{Parser, Subcommand};
use pialog::cli;
use std::process::ExitCode;

/// Counts the heap against `--max-memory` and turns running out of memory
/// into an `error:` with exit 2 (see `pialog::limits`).
#[global_allocator]
static ALLOCATOR: pialog::limits::CountingAllocator = pialog::limits::CountingAllocator;

/// A knowledge base of privacy impact assessments with a Datalog query language.
#[derive(Parser, Debug)]
#[command(name = "pialog", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run Datalog scripts (Soufflé-compatible flags -F / -D).
    Run(cli::run::Args),
    /// Interactive session over the knowledge base.
    Repl(cli::repl::Args),
    /// Turn assessment documents into fact files.
    Import(cli::import::Args),
    /// Write one relation as CSV.
    Export(cli::export::Args),
    /// Run scripts with `.assert`s for CI (exit 1 on failure).
    Check(cli::check::Args),
    /// Score the measure classes of the rules against labelled measures.
    Classify(cli::classify::Args),
    /// Draw systems, files, vendors and recipients with their flows.
    Graph(cli::graph::Args),
    /// Coverage matrix of assessments × phases × measure classes.
    Matrix(cli::matrix::Args),
    /// Write one self-contained HTML page of the knowledge base's findings.
    Report(cli::report::Args),
    /// Write a seeded synthetic national corpus.
    Gen(cli::generate::Args),
    /// Measure the engine on the standard workloads.
    Bench(cli::bench::Args),
}

/// Stack of the thread that runs the command: the parser and the evaluator
/// recurse once per body literal, and a generated rule of 10,000 atoms is
/// still a program to run, not a crash (only touched pages cost memory).
const STACK_BYTES: usize = 256 << 20;

fn main() -> ExitCode {
    let worker = std::thread::Builder::new()
        .name("pialog".into())
        .stack_size(STACK_BYTES)
        .spawn(run_command);
    match worker {
        // A panic has printed its message; 101 is Rust's code for it.
        Ok(handle) => handle.join().unwrap_or(ExitCode::from(101)),
        Err(_) => run_command(),
    }
}

fn run_command() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(a) => cli::run::run(a),
        Command::Repl(a) => cli::repl::run(a),
        Command::Import(a) => cli::import::run(a),
        Command::Export(a) => cli::export::run(a),
        Command::Check(a) => cli::check::run(a),
        Command::Classify(a) => cli::classify::run(a),
        Command::Graph(a) => cli::graph::run(a),
        Command::Matrix(a) => cli::matrix::run(a),
        Command::Report(a) => cli::report::run(a),
        Command::Gen(a) => cli::generate::run(a),
        Command::Bench(a) => cli::bench::run(a),
    }
}
