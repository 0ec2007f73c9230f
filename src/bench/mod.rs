//! Workloads and measurements behind `pialog bench` (issue 5, "Speed at
//! national scale").
//!
//! Every workload runs in a child process (the current binary re-executed
//! as `pialog bench --worker <job>`), so that the peak resident memory read
//! from `/proc/self/status` (VmHWM) belongs to that workload alone, and so
//! that a workload that runs away can be stopped (time limit, memory limit)
//! without losing the others. The parent prepares the inputs (graphs,
//! the synthetic corpus), collects one [`Measurement`] per run, checks that
//! repeated runs give the same row count for every output relation, and
//! prints the table.

pub mod engine;
pub mod jobs;
pub mod report;
pub mod suite;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The rule pack measured over the corpus: keyword classes with
/// `contains`, flows, recursion, negation and counts, with `.input` for
/// every assessment relation (see the file).
pub const COVERAGE_PACK: &str = include_str!("coverage.dl");

/// The transitive-closure program of the issue, as a Soufflé user writes it.
pub const TC_PROGRAM: &str = "\
.decl edge(x: number, y: number)
.input edge
.decl path(x: number, y: number)
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).
.printsize path
";

/// Soufflé's `independent_body3` shape, written for pialog: `a(x) :-
/// b(x), c(y), d(y).` where `b`, `c` and `d` are recursive. `c(y), d(y)`
/// shares nothing with the head, so it is checked once (see
/// [`crate::engine::independent`]) instead of joined with every `b`
/// row; `{N}` is the length of the chains.
pub const INDEPENDENT_BODY: &str = "\
.decl b(x: number)
.decl c(x: number)
.decl d(x: number)
.decl a(x: number)
b(0). b(x + 1) :- b(x), x < {N}.
c(0). c(x + 1) :- c(x), x < {N}.
d(0). d(x + 2) :- d(x), x < {N}.
a(x) :- b(x), c(y), d(y).
.printsize a
";

/// The same shape where the independent part sits inside a mutual
/// recursion, as in Soufflé's `independent_body3` itself: `a` and `b` feed
/// each other one number per round, so the fixpoint takes `2 × {N}` rounds
/// of one tuple each and measures what a round costs, not what a join
/// costs (Soufflé's interpreter: 0.85 s at a million, in the issue).
pub const INDEPENDENT_ROUNDS: &str = "\
.decl a(x: number)
.decl b(x: number)
.decl c(x: number)
.decl d(x: number)
a(x) :- b(x), c(y), d(y).
b(0). b(x + 1) :- a(x), x < {N}.
c(0). c(x + 2) :- c(x), x < 1000.
d(0). d(x + 3) :- d(x), x < 1000.
.printsize a
";

/// One unit of work for a child process.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "kebab-case")]
pub enum Job {
    /// Write the synthetic corpus as TSV into `dir`.
    Gen {
        /// Assessments.
        assessments: usize,
        /// Seed.
        seed: u64,
        /// Output directory.
        dir: PathBuf,
    },
    /// Transitive closure with a hand-written datafrog program (the
    /// baseline the issue compares with).
    TcDatafrog {
        /// Nodes.
        nodes: u32,
        /// Edges.
        edges: usize,
        /// Seed of the graph.
        seed: u64,
    },
    /// Load and evaluate a program through `session::Session` with `-F dir`.
    Engine {
        /// Program text.
        program: String,
        /// The `-F` directory.
        facts: PathBuf,
        /// `?-` queries answered after the evaluation, timed one by one.
        queries: Vec<String>,
    },
    /// Import every document `copies` times through the importer's library.
    Import {
        /// The documents.
        docs: Vec<PathBuf>,
        /// How many times each is imported.
        copies: usize,
    },
}

/// What one run of a [`Job`] measured (printed by the child as JSON).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Measurement {
    /// Wall time of the measured work (child start-up excluded), seconds.
    pub wall_s: f64,
    /// CPU time (user + system, all threads) of the measured work, seconds:
    /// the figure to read when other processes share the cores.
    #[serde(default)]
    pub cpu_s: f64,
    /// Peak resident set of the child (VmHWM), KiB.
    pub peak_rss_kib: u64,
    /// Row count of every output relation (`.printsize`, paths, facts …).
    pub rows: BTreeMap<String, u64>,
    /// Named sub-timings (`load+evaluate`, one per REPL query, …), seconds.
    pub phases: Vec<(String, f64)>,
    /// Units processed (documents for the importer).
    pub units: u64,
}

pub use crate::peak_memory::peak_rss_kib;

/// CPU time (user + system) this process has used so far, seconds, from
/// `/proc/self/stat` (clock ticks of 1/100 s); 0 where `/proc` is missing.
pub fn cpu_seconds() -> f64 {
    stat_seconds(11, 12)
}

/// CPU time (user + system) of this process's children that were waited
/// for, seconds (fields 16 and 17 of `/proc/self/stat`).
pub fn children_cpu_seconds() -> f64 {
    stat_seconds(13, 14)
}

/// The sum of two clock-tick fields of `/proc/self/stat`, counted from the
/// state field (3) as 0, in seconds.
fn stat_seconds(a: usize, b: usize) -> f64 {
    let Ok(text) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name: state is field 3, utime
    // and stime are fields 14 and 15.
    let Some((_, rest)) = text.rsplit_once(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (tick(a) + tick(b)) as f64 / 100.0
}

/// Limits for one child.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Wall-clock limit.
    pub timeout: Duration,
    /// Resident-memory limit in KiB (the child is stopped above it, so that
    /// a runaway workload cannot take the shared machine down).
    pub max_rss_kib: u64,
}

/// How a child run ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// It finished and reported.
    Done(Measurement),
    /// It was stopped at the time limit.
    Timeout(Duration),
    /// It was stopped at the memory limit.
    OutOfMemory(u64),
    /// It failed (message from its stderr).
    Failed(String),
}

/// Runs `job` in a child process of the current binary and waits for its
/// measurement, stopping it at the limits.
pub fn spawn(job: &Job, limits: Limits) -> Outcome {
    let exe = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => return Outcome::Failed(format!("cannot find the pialog binary: {e}")),
    };
    let spec = match serde_json::to_string(job) {
        Ok(s) => s,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let mut command = Command::new(exe);
    command.args(["bench", "--worker", &spec]);
    let done = match supervise(command, "a worker", limits) {
        Ok(done) => done,
        Err(stopped) => return stopped,
    };
    match done.out.lines().rev().find(|l| l.starts_with('{')) {
        Some(line) => match serde_json::from_str(line) {
            Ok(m) => Outcome::Done(m),
            Err(e) => Outcome::Failed(format!("unreadable worker report: {e}")),
        },
        None => Outcome::Failed(format!(
            "the worker printed no report; stderr: {}",
            done.err
        )),
    }
}

/// Runs Soufflé's interpreter on `program` over `facts` as a child of
/// this process, under the same limits as a worker: wall and CPU time are
/// its own, its peak memory is sampled while it runs, and its `.printsize`
/// lines are the row counts.
pub fn spawn_souffle(souffle: &Path, program: &str, facts: &Path, limits: Limits) -> Outcome {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return Outcome::Failed(format!("cannot make a work directory: {e}")),
    };
    let prog = dir.path().join("prog.dl");
    let out = dir.path().join("out");
    if let Err(e) = std::fs::write(&prog, program).and_then(|()| std::fs::create_dir_all(&out)) {
        return Outcome::Failed(format!("cannot write {}: {e}", dir.path().display()));
    }
    let mut command = Command::new(souffle);
    command.arg(&prog).arg("-F").arg(facts).arg("-D").arg(&out);
    let cpu0 = children_cpu_seconds();
    let done = match supervise(command, "Soufflé", limits) {
        Ok(done) => done,
        Err(stopped) => return stopped,
    };
    let rows = done
        .out
        .lines()
        .filter_map(|l| {
            let (rel, n) = l.split_once('\t')?;
            Some((rel.to_string(), n.trim().parse().ok()?))
        })
        .collect();
    Outcome::Done(Measurement {
        wall_s: done.wall_s,
        cpu_s: children_cpu_seconds() - cpu0,
        peak_rss_kib: done.peak_rss_kib,
        rows,
        phases: Vec::new(),
        units: 0,
    })
}

/// A child that ran to a successful exit.
struct Finished {
    /// What it printed.
    out: String,
    err: String,
    /// From its start to its exit (to the polling interval), seconds.
    wall_s: f64,
    /// Its highest resident set seen while polling (VmHWM), KiB.
    peak_rss_kib: u64,
}

/// Starts `command` (`what` names it in messages) with its output piped
/// and waits for it, polling its memory: it is killed at the memory or
/// time limit. A failure comes back with the last lines of its stderr.
fn supervise(mut command: Command, what: &str, limits: Limits) -> Result<Finished, Outcome> {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = child.map_err(|e| Outcome::Failed(format!("cannot start {what}: {e}")))?;
    // Drain the pipes on threads so that a chatty child never blocks.
    let out_thread = drain(child.stdout.take());
    let err_thread = drain(child.stderr.take());
    let start = Instant::now();
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let mut stopped = None;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(e) => return Err(Outcome::Failed(format!("cannot wait for {what}: {e}"))),
        }
        let rss = crate::peak_memory::status_kib(&status_path, "VmRSS:");
        peak = peak.max(crate::peak_memory::status_kib(&status_path, "VmHWM:"));
        if rss > limits.max_rss_kib {
            stopped = Some(Outcome::OutOfMemory(rss));
        } else if start.elapsed() > limits.timeout {
            stopped = Some(Outcome::Timeout(limits.timeout));
        }
        if stopped.is_some() {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let wall_s = start.elapsed().as_secs_f64();
    let out = out_thread.join().unwrap_or_default();
    let err = err_thread.join().unwrap_or_default();
    if let Some(s) = stopped {
        return Err(s);
    }
    match status {
        Some(s) if s.success() => Ok(Finished {
            out,
            err,
            wall_s,
            peak_rss_kib: peak,
        }),
        _ => {
            let msg = err.lines().rev().take(6).collect::<Vec<_>>();
            let msg: Vec<&str> = msg.into_iter().rev().collect();
            Err(Outcome::Failed(msg.join(" / ")))
        }
    }
}

/// Reads a child's pipe to its end on a thread of its own, so that a
/// child that writes much never blocks on a full pipe.
fn drain<R: std::io::Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_string(&mut s);
        }
        s
    })
}

/// Entry point of a child: runs the job and prints its measurement as one
/// JSON line on stdout.
pub fn worker(spec: &str) -> Result<(), String> {
    let job: Job = serde_json::from_str(spec).map_err(|e| format!("bad worker job: {e}"))?;
    let m = jobs::run(&job)?;
    let line = serde_json::to_string(&m).map_err(|e| e.to_string())?;
    println!("{line}");
    Ok(())
}

/// Writes `edge.facts` for a seeded random graph into `dir`.
pub fn write_graph(dir: &Path, nodes: u32, edges: usize, seed: u64) -> std::io::Result<usize> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let graph = crate::r#gen::graph::random_graph(nodes, edges, seed);
    let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("edge.facts"))?);
    for (x, y) in &graph {
        writeln!(w, "{x}\t{y}")?;
    }
    w.flush()?;
    Ok(graph.len())
}
