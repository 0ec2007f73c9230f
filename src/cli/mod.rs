//! The command line: one module per subcommand (its clap arguments and the
//! function that runs it) and [`main`], which parses the arguments and hands
//! the subcommand to its module. The binary in `main.rs` only installs the
//! allocator and calls [`main`]; none of this is part of the library's
//! documented surface.

pub(crate) mod bench;
pub(crate) mod check;
pub(crate) mod classify;
pub(crate) mod export;
pub(crate) mod generate;
pub(crate) mod graph;
pub(crate) mod import;
pub(crate) mod matrix;
pub(crate) mod repl;
pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod script_args;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit status for success.
pub const EXIT_OK: u8 = 0;
/// Exit status when an assertion failed.
pub const EXIT_ASSERTION_FAILED: u8 = 1;
/// Exit status for bad input of any kind (parse, type, I/O).
pub const EXIT_BAD_INPUT: u8 = 2;

/// Converts one of the exit constants into the process exit code.
pub fn exit(code: u8) -> ExitCode {
    ExitCode::from(code)
}

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
    Run(run::Args),
    /// Interactive session over the knowledge base.
    Repl(repl::Args),
    /// Turn assessment documents into fact files.
    Import(import::Args),
    /// Write one relation as CSV.
    Export(export::Args),
    /// Run scripts with `.assert`s for CI (exit 1 on failure).
    Check(check::Args),
    /// Score the measure classes of the rules against labelled measures.
    Classify(classify::Args),
    /// Draw systems, files, vendors and recipients with their flows.
    Graph(graph::Args),
    /// Coverage matrix of assessments × phases × measure classes.
    Matrix(matrix::Args),
    /// Write one self-contained HTML page of the knowledge base's findings.
    Report(report::Args),
    /// Write a seeded synthetic national corpus.
    Gen(generate::Args),
    /// Measure the engine on the standard workloads.
    Bench(bench::Args),
}

/// Stack of the thread that runs the command: the parser and the evaluator
/// recurse once per body literal, and a generated rule of 10,000 atoms is
/// still a program to run, not a crash (only touched pages cost memory).
const STACK_BYTES: usize = 256 << 20;

/// The `pialog` command: parses the process's arguments and runs the
/// subcommand on a thread with a deep stack; the binary's whole `main`.
pub fn main() -> ExitCode {
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
    match Cli::parse().command {
        Command::Run(a) => run::run(a),
        Command::Repl(a) => repl::run(a),
        Command::Import(a) => import::run(a),
        Command::Export(a) => export::run(a),
        Command::Check(a) => check::run(a),
        Command::Classify(a) => classify::run(a),
        Command::Graph(a) => graph::run(a),
        Command::Matrix(a) => matrix::run(a),
        Command::Report(a) => report::run(a),
        Command::Gen(a) => generate::run(a),
        Command::Bench(a) => bench::run(a),
    }
}
