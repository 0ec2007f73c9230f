//! The workloads of `pialog bench` and the order they run in: inputs are
//! prepared in a work directory, each measured step runs in its own child
//! process ([`super::spawn`]), and every step becomes a [`Row`].

use super::report::{Row, Target};
use super::{
    COVERAGE_PACK, INDEPENDENT_BODY, INDEPENDENT_ROUNDS, Job, Limits, Outcome, TC_PROGRAM, spawn,
    spawn_souffle, write_graph,
};
use crate::r#gen::DEFAULT_SEED;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The assessments of the national corpus (≈ 4.3 million facts).
pub const NATIONAL: usize = 43_525;
/// The slice of the scaling curve (16 slices ≈ the national corpus).
pub const SLICE: usize = 2_720;

/// The workloads, selectable with `--only`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Workload {
    /// Transitive closure of seeded random graphs (engine and hand-written datafrog).
    Tc,
    /// The coverage pack over the national corpus (includes its generation).
    National,
    /// `?-` queries after the first evaluation of the national corpus.
    Repl,
    /// The coverage pack over 1×, 4×, 16× a 2,720-assessment slice.
    Scaling,
    /// `queries/std.dl` over the national corpus.
    Std,
    /// Documents per second of the importer over copies of the seeds.
    Import,
    /// A rule whose body has a part independent of the head (Soufflé's
    /// `independent_body3` shape).
    Independent,
}

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Small sizes (seconds, for tests and a first look).
    pub quick: bool,
    /// Workloads to run (all when empty).
    pub only: Vec<Workload>,
    /// Runs per measured step.
    pub runs: usize,
    /// Time limit per run.
    pub timeout: Duration,
    /// Resident-memory limit per run, MiB.
    pub max_rss_mib: u64,
    /// Graph sizes (nodes, edges) of the closure curve; empty = default.
    pub tc_sizes: Vec<(u32, usize)>,
    /// Where inputs are written (a temporary directory when `None`).
    pub work_dir: Option<PathBuf>,
    /// The crate root (for `queries/std.dl`, `facts/schema.dl`, seeds).
    pub root: PathBuf,
    /// Progress lines on stderr.
    pub verbose: bool,
    /// Soufflé's binary, to run the same programs beside pialog in the same
    /// run (the issues' reference), when one is installed.
    pub souffle: Option<PathBuf>,
}

impl Options {
    fn wants(&self, w: Workload) -> bool {
        self.only.is_empty() || self.only.contains(&w)
    }

    fn limits(&self) -> Limits {
        Limits {
            timeout: self.timeout,
            max_rss_kib: self.max_rss_mib * 1024,
        }
    }
}

/// Runs the selected workloads and returns the table rows.
pub fn run(opts: &Options) -> Result<Vec<Row>, String> {
    let tmp;
    let work: PathBuf = match &opts.work_dir {
        Some(d) => d.clone(),
        None => {
            tmp = tempfile::tempdir().map_err(|e| format!("cannot make a work directory: {e}"))?;
            tmp.path().to_path_buf()
        }
    };
    let mut rows = Vec::new();
    if opts.wants(Workload::Tc) {
        tc(opts, &work, &mut rows)?;
    }
    let national = if opts.quick { SLICE } else { NATIONAL };
    let needs_national = [Workload::National, Workload::Repl, Workload::Std]
        .iter()
        .any(|w| opts.wants(*w));
    if needs_national {
        let dir = work.join(format!("corpus-{national}"));
        let facts = generate(opts, &dir, national, &mut rows);
        if opts.wants(Workload::National) {
            let size = format!("{national} assessments");
            let reference = souffle_row(opts, "national", &size, COVERAGE_PACK, &dir, facts);
            progress(opts, "national: coverage pack");
            let runs = repeat(opts, &engine_job(COVERAGE_PACK, &dir, &[]));
            let mut row = Row::from_runs(
                "national",
                size,
                "pialog coverage pack".into(),
                facts,
                &runs,
                (!opts.quick).then_some(Target {
                    wall_s: 2.0,
                    rss_mib: 300.0,
                }),
            );
            if let Some(reference) = reference {
                beside_souffle(&mut row, &reference, 0.55);
                rows.push(reference);
            }
            rows.push(row);
        }
        if opts.wants(Workload::Repl) {
            repl(opts, &dir, national, facts, &mut rows);
        }
        if opts.wants(Workload::Std) {
            std_rules(opts, &dir, national, facts, &mut rows);
        }
    }
    if opts.wants(Workload::Scaling) {
        let factors: &[usize] = if opts.quick { &[1, 4] } else { &[1, 4, 16] };
        let slice = if opts.quick { SLICE / 8 } else { SLICE };
        for &k in factors {
            let n = slice * k;
            let dir = work.join(format!("corpus-{n}"));
            let facts = if dir.join("measure.facts").exists() && n == national {
                count_lines(&dir)
            } else {
                generate(opts, &dir, n, &mut rows)
            };
            progress(opts, &format!("scaling: {k}x"));
            let runs = repeat(opts, &engine_job(COVERAGE_PACK, &dir, &[]));
            rows.push(Row::from_runs(
                "scaling",
                format!("{k}x = {n} assessments"),
                "pialog coverage pack".into(),
                facts,
                &runs,
                None,
            ));
        }
        scaling_note(&mut rows);
    }
    if opts.wants(Workload::Import) {
        import(opts, &mut rows);
    }
    if opts.wants(Workload::Independent) {
        let n = if opts.quick { 2_000 } else { 20_000 };
        progress(opts, "independent: a(x) :- b(x), c(y), d(y).");
        let program = INDEPENDENT_BODY.replace("{N}", &n.to_string());
        let runs = repeat(opts, &engine_job(&program, &work, &[]));
        rows.push(Row::from_runs(
            "independent",
            format!("chains of {n}"),
            "pialog a(x) :- b(x), c(y), d(y).".into(),
            3 * n as u64,
            &runs,
            None,
        ));
        let n = if opts.quick { 10_000 } else { 1_000_000 };
        let size = format!("{} one-tuple rounds", 2 * n);
        let program = INDEPENDENT_ROUNDS.replace("{N}", &n.to_string());
        let reference = souffle_row(opts, "independent", &size, &program, &work, 3);
        progress(
            opts,
            "independent: a(x) :- b(x), c(y), d(y). b(x + 1) :- a(x).",
        );
        let runs = repeat(opts, &engine_job(&program, &work, &[]));
        // 3× Soufflé's interpreter: measured in this run when it is
        // installed, else its 0.85 s of the issue on `independent_body3`.
        let souffle_s = reference.as_ref().and_then(|r| r.wall_s).unwrap_or(0.85);
        let mut row = Row::from_runs(
            "independent",
            size,
            "pialog a(x) :- b(x), c(y), d(y). b(x + 1) :- a(x), x < N.".into(),
            3,
            &runs,
            (!opts.quick).then_some(Target {
                wall_s: 3.0 * souffle_s,
                rss_mib: f64::INFINITY,
            }),
        );
        if let Some(reference) = reference {
            beside_souffle(&mut row, &reference, 3.0);
            rows.push(reference);
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Soufflé's interpreter on the same program and inputs, when a `souffle`
/// binary is known: the reference row measured in the same run.
fn souffle_row(
    opts: &Options,
    workload: &str,
    size: &str,
    program: &str,
    facts: &Path,
    input: u64,
) -> Option<Row> {
    let souffle = opts.souffle.as_ref()?;
    progress(opts, &format!("{workload}: Soufflé's interpreter"));
    let runs = repeat_with(opts, |limits| {
        spawn_souffle(souffle, program, facts, limits)
    });
    Some(Row::from_runs(
        workload,
        size.to_string(),
        "Soufflé interpreter".into(),
        input,
        &runs,
        None,
    ))
}

/// Notes beside a pialog row how it compares with Soufflé's row of the
/// same run: the time ratio against `limit` (the bound), and
/// whether every size Soufflé printed is pialog's.
fn beside_souffle(row: &mut Row, reference: &Row, limit: f64) {
    let mut notes = Vec::new();
    if !reference.rows.is_empty() {
        let differ: Vec<String> = reference
            .rows
            .iter()
            .filter(|(rel, n)| row.rows.get(*rel) != Some(*n))
            .map(|(rel, n)| {
                let ours = row.rows.get(rel).copied().unwrap_or(0);
                format!("{rel} {ours} != Soufflé's {n}")
            })
            .collect();
        if differ.is_empty() {
            let n = reference.rows.len();
            let what = if n == 1 { "size" } else { "sizes" };
            notes.push(format!("{n} {what} = Soufflé's"));
        } else {
            notes.push(format!("SIZES DIFFER: {}", differ.join(", ")));
        }
    }
    if let (Some(w), Some(b)) = (row.wall_s, reference.wall_s) {
        let ratio = w / b;
        let verdict = if ratio <= limit { "within" } else { "OVER" };
        notes.push(format!("{ratio:.2}x Soufflé ({verdict} {limit}x)"));
    }
    notes.push(std::mem::take(&mut row.check));
    row.check = notes
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
}

fn progress(opts: &Options, what: &str) {
    if opts.verbose {
        eprintln!("bench: {what}");
    }
}

fn repeat(opts: &Options, job: &Job) -> Vec<Outcome> {
    repeat_with(opts, |limits| spawn(job, limits))
}

/// `opts.runs` runs of `run`, stopping at the first that does not finish.
fn repeat_with(opts: &Options, run: impl Fn(Limits) -> Outcome) -> Vec<Outcome> {
    let mut runs = Vec::new();
    for _ in 0..opts.runs.max(1) {
        let o = run(opts.limits());
        let stop = !matches!(o, Outcome::Done(_));
        runs.push(o);
        if stop {
            break;
        }
    }
    runs
}

fn engine_job(program: &str, facts: &Path, queries: &[&str]) -> Job {
    Job::Engine {
        program: program.to_string(),
        facts: facts.to_path_buf(),
        queries: queries.iter().map(|q| q.to_string()).collect(),
    }
}

/// Generates a corpus (one measured run) and returns its number of facts.
fn generate(opts: &Options, dir: &Path, n: usize, rows: &mut Vec<Row>) -> u64 {
    progress(opts, &format!("gen: {n} assessments"));
    let job = Job::Gen {
        assessments: n,
        seed: DEFAULT_SEED,
        dir: dir.to_path_buf(),
    };
    let o = spawn(&job, opts.limits());
    let facts = match &o {
        Outcome::Done(m) => m.units,
        _ => 0,
    };
    rows.push(Row::from_runs(
        "gen",
        format!("{n} assessments"),
        "pialog gen (TSV)".into(),
        facts,
        &[o],
        None,
    ));
    facts
}

fn count_lines(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "facts"))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .map(|b| b.iter().filter(|&&c| c == b'\n').count() as u64)
        .sum()
}

fn tc(opts: &Options, work: &Path, rows: &mut Vec<Row>) -> Result<(), String> {
    let sizes = if !opts.tc_sizes.is_empty() {
        opts.tc_sizes.clone()
    } else if opts.quick {
        vec![(500, 2_000)]
    } else {
        vec![(2_000, 8_000), (4_000, 16_000), (8_000, 32_000)]
    };
    for (nodes, edges) in sizes {
        let seed = DEFAULT_SEED;
        let dir = work.join(format!("tc-{nodes}-{edges}"));
        let written = write_graph(&dir, nodes, edges, seed)
            .map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
        let size = format!("{nodes} nodes / {written} edges");
        let target = (nodes == 2_000 && edges == 8_000).then_some(Target {
            wall_s: 1.2,
            rss_mib: 250.0,
        });
        progress(opts, &format!("tc: datafrog {size}"));
        let base = repeat(opts, &Job::TcDatafrog { nodes, edges, seed });
        let base_row = Row::from_runs(
            "tc",
            size.clone(),
            "datafrog (hand-written)".into(),
            written as u64,
            &base,
            None,
        );
        progress(opts, &format!("tc: pialog {size}"));
        let runs = repeat(opts, &engine_job(TC_PROGRAM, &dir, &[]));
        let mut row = Row::from_runs("tc", size, "pialog".into(), written as u64, &runs, target);
        if let (Some(a), Some(b)) = (row.rows.get("path"), base_row.rows.get("path")) {
            let same = if a == b {
                format!("path = datafrog's {b}")
            } else {
                format!("PATH {a} != datafrog's {b}")
            };
            row.check = [same, row.check.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
        }
        if let (Some(w), Some(b)) = (row.wall_s, base_row.wall_s) {
            row.check.push_str(&format!("; {:.2}x datafrog", w / b));
        }
        rows.push(base_row);
        rows.push(row);
    }
    Ok(())
}

/// The queries an analyst types after the corpus is loaded.
pub const REPL_QUERIES: &[&str] = &[
    "?- flow_lacks(a, from, to, \"email\", \"encryption\").",
    "?- weak_risk(a, \"use/2\", \"issues-remain\"), reentrusting_vendor(a, n, v).",
    "?- measure(a, \"network/1\", m, t), contains(\"ログ\", t).",
];

fn repl(opts: &Options, dir: &Path, n: usize, facts: u64, rows: &mut Vec<Row>) {
    progress(opts, "repl: load, evaluate, then queries");
    let runs = repeat(opts, &engine_job(COVERAGE_PACK, dir, REPL_QUERIES));
    // One row per query: its latency is the phase of the same name.
    for (i, q) in REPL_QUERIES.iter().enumerate() {
        let key = format!("query {}", i + 1);
        let per_query: Vec<Outcome> = runs
            .iter()
            .map(|o| match o {
                Outcome::Done(m) => {
                    let wall = m
                        .phases
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map_or(f64::NAN, |(_, s)| *s);
                    let mut mq = m.clone();
                    mq.wall_s = wall;
                    mq.cpu_s = f64::NAN;
                    mq.rows = m
                        .rows
                        .iter()
                        .filter(|(k, _)| **k == key)
                        .map(|(k, v)| (k.clone(), *v))
                        .collect();
                    Outcome::Done(mq)
                }
                other => other.clone(),
            })
            .collect();
        rows.push(Row::from_runs(
            "repl",
            format!("{n} assessments"),
            q.to_string(),
            facts,
            &per_query,
            (!opts.quick).then_some(Target {
                wall_s: 1.0,
                rss_mib: f64::INFINITY,
            }),
        ));
    }
}

/// `queries/std.dl` as shipped, with the schema and an `.input` per
/// relation, `.printsize` for every relation it declares.
fn std_program(root: &Path) -> Result<String, String> {
    let read = |p: &str| {
        std::fs::read_to_string(root.join(p)).map_err(|e| format!("cannot read {p}: {e}"))
    };
    let schema = read("facts/schema.dl")?;
    let std = read("queries/std.dl")?;
    let mut prog = schema.clone();
    for rel in crate::r#gen::Rel::ALL {
        prog.push_str(&format!(".input {}\n", rel.name()));
    }
    prog.push_str(&std);
    prog.push('\n');
    for line in std.lines() {
        if let Some(rest) = line.trim().strip_prefix(".decl ")
            && let Some((name, _)) = rest.split_once('(')
        {
            prog.push_str(&format!(".printsize {}\n", name.trim()));
        }
    }
    Ok(prog)
}

fn std_rules(opts: &Options, dir: &Path, n: usize, facts: u64, rows: &mut Vec<Row>) {
    progress(opts, "std: queries/std.dl");
    let runs = match std_program(&opts.root) {
        Ok(prog) => repeat(opts, &engine_job(&prog, dir, &[])),
        Err(e) => vec![Outcome::Failed(e)],
    };
    rows.push(Row::from_runs(
        "std",
        format!("{n} assessments"),
        "pialog queries/std.dl".into(),
        facts,
        &runs,
        None,
    ));
}

/// Adds to each scaling row its time per assessment relative to 1×.
fn scaling_note(rows: &mut [Row]) {
    let base = rows
        .iter()
        .find(|r| r.workload == "scaling" && r.size.starts_with("1x"))
        .and_then(|r| r.wall_s.map(|w| (w, r.input)));
    let Some((w1, in1)) = base else { return };
    for r in rows.iter_mut().filter(|r| r.workload == "scaling") {
        if let Some(w) = r.wall_s {
            let ratio = (w / w1) / (r.input as f64 / in1.max(1) as f64);
            let note = format!("time/fact {ratio:.2}x of 1x");
            r.check = if r.check.is_empty() {
                note
            } else {
                format!("{note}; {}", r.check)
            };
        }
    }
}

fn import(opts: &Options, rows: &mut Vec<Row>) {
    let seeds = opts.root.join("../shared/seeds");
    let mut docs: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect()
        })
        .unwrap_or_default();
    docs.sort();
    if docs.is_empty() {
        eprintln!(
            "bench: import skipped: no seed documents in {}",
            seeds.display()
        );
        return;
    }
    let copies = if opts.quick { 2 } else { 25 };
    progress(opts, "import: seeds");
    let runs = repeat(
        opts,
        &Job::Import {
            docs: docs.clone(),
            copies,
        },
    );
    let mut row = Row::from_runs(
        "import",
        format!("{} seeds x {copies}", docs.len()),
        "pialog import (library)".into(),
        (docs.len() * copies) as u64,
        &runs,
        None,
    );
    row.check = if row.check.is_empty() {
        "input/s = documents/s".to_string()
    } else {
        format!("input/s = documents/s; {}", row.check)
    };
    rows.push(row);
}
