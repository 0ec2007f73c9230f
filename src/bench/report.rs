//! The benchmark table (aligned text for people, JSON for
//! `scripts/duckdb_bench.py` and CI dashboards).

use super::{Measurement, Outcome};
use comfy_table::{Table, presets};
use serde::Serialize;
use std::collections::BTreeMap;

/// One line of the table: a workload at one size on one engine, over
/// several runs.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// Workload name (`tc`, `national`, `scaling`, `repl`, `std`, `import`, `gen`).
    pub workload: String,
    /// Size label (`2000n/8000e`, `43525 assessments`, …).
    pub size: String,
    /// What ran (`pialog`, `datafrog (hand-written)`, a query text …).
    pub engine: String,
    /// Best wall time over the successful runs, seconds.
    pub wall_s: Option<f64>,
    /// Best CPU time (user + system) over the successful runs, seconds.
    pub cpu_s: Option<f64>,
    /// Every run's wall time, seconds.
    pub walls_s: Vec<f64>,
    /// Highest peak RSS over the runs, MiB.
    pub peak_rss_mib: Option<f64>,
    /// Input facts (or documents for `import`).
    pub input: u64,
    /// Input units per second at the best wall time.
    pub per_second: Option<f64>,
    /// Row counts of the output relations (first run).
    pub rows: BTreeMap<String, u64>,
    /// The figure to reach, if the issue sets one.
    pub target: String,
    /// Whether the target is met (`yes`, `NO`, or empty).
    pub met: String,
    /// Result checks and failures in words.
    pub check: String,
    /// True when a run failed (the worker reported an error): the bench
    /// then exits 2.
    pub failed: bool,
}

/// Target of a row: wall seconds and MiB.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    /// Wall seconds.
    pub wall_s: f64,
    /// Peak MiB (`f64::INFINITY` for none).
    pub rss_mib: f64,
}

impl Row {
    /// Summarises the runs of one workload; `check` starts with what the
    /// caller verified, the run-to-run row-count check is added here.
    pub fn from_runs(
        workload: &str,
        size: String,
        engine: String,
        input: u64,
        runs: &[Outcome],
        target: Option<Target>,
    ) -> Row {
        let done: Vec<&Measurement> = runs
            .iter()
            .filter_map(|o| match o {
                Outcome::Done(m) => Some(m),
                _ => None,
            })
            .collect();
        let mut problems = Vec::new();
        for o in runs {
            match o {
                Outcome::Done(_) => {}
                Outcome::Timeout(d) => {
                    problems.push(format!("stopped at the {} s time limit", d.as_secs()))
                }
                Outcome::OutOfMemory(kib) => problems.push(format!(
                    "stopped at the memory limit ({} MiB resident)",
                    kib / 1024
                )),
                Outcome::Failed(msg) => problems.push(format!("failed: {msg}")),
            }
        }
        problems.dedup();
        let walls: Vec<f64> = done.iter().map(|m| m.wall_s).collect();
        let wall = walls.iter().copied().reduce(f64::min);
        let cpu = done
            .iter()
            .map(|m| m.cpu_s)
            .filter(|c| c.is_finite() && *c > 0.0)
            .reduce(f64::min);
        let rss = done
            .iter()
            .map(|m| m.peak_rss_kib)
            .max()
            .map(|k| k as f64 / 1024.0);
        let rows = done.first().map(|m| m.rows.clone()).unwrap_or_default();
        let mut check = Vec::new();
        if done.len() > 1 {
            let same = done.iter().all(|m| m.rows == rows);
            check.push(if same {
                format!("row counts identical in {} runs", done.len())
            } else {
                "ROW COUNTS DIFFER between runs".to_string()
            });
        }
        check.extend(problems);
        let (target_text, met) = match (target, wall, rss) {
            (Some(t), Some(w), Some(r)) => (
                target_text(t),
                if w <= t.wall_s && r <= t.rss_mib {
                    "yes"
                } else {
                    "NO"
                }
                .to_string(),
            ),
            (Some(t), _, _) => (target_text(t), "NO".to_string()),
            (None, _, _) => (String::new(), String::new()),
        };
        Row {
            workload: workload.to_string(),
            size,
            engine,
            wall_s: wall,
            cpu_s: cpu,
            walls_s: walls,
            peak_rss_mib: rss,
            input,
            // A query's latency says nothing about input throughput.
            per_second: wall
                .filter(|_| workload != "repl")
                .map(|w| input as f64 / w.max(1e-9)),
            rows,
            target: target_text,
            met,
            check: check.join("; "),
            failed: runs.iter().any(|o| matches!(o, Outcome::Failed(_))),
        }
    }
}

fn target_text(t: Target) -> String {
    // Two decimals at most: a target computed from a measured reference
    // (3× Soufflé's time) has many.
    let wall = (t.wall_s * 100.0).round() / 100.0;
    if t.rss_mib.is_finite() {
        format!("≤ {wall} s, ≤ {} MB", t.rss_mib)
    } else {
        format!("≤ {wall} s")
    }
}

/// A number of facts as `4.29 M` / `31.5 k`.
fn human(n: f64) -> String {
    if n >= 1e6 {
        format!("{:.2} M", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.1} k", n / 1e3)
    } else {
        format!("{n:.0}")
    }
}

/// The machine line printed above the table.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|r| r.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("MemTotal:")
                    .and_then(|r| r.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            })
        })
        .map_or(String::new(), |kib| {
            format!(", {:.0} GiB", kib as f64 / 1024.0 / 1024.0)
        });
    format!("{cores} cores ({cpu}){mem}")
}

/// The aligned table.
pub fn render(rows: &[Row]) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "workload",
        "size",
        "engine",
        "wall s",
        "cpu s",
        "peak RSS MB",
        "input",
        "input/s",
        "output rows",
        "target",
        "met",
        "check",
    ]);
    for r in rows {
        let out: u64 = r.rows.values().sum();
        t.add_row(vec![
            r.workload.clone(),
            r.size.clone(),
            r.engine.clone(),
            r.wall_s.map_or("-".into(), |w| format!("{w:.3}")),
            r.cpu_s.map_or("-".into(), |c| format!("{c:.2}")),
            r.peak_rss_mib.map_or("-".into(), |m| format!("{m:.0}")),
            human(r.input as f64),
            r.per_second.map_or("-".into(), human),
            if r.rows.is_empty() {
                "-".into()
            } else {
                human(out as f64)
            },
            r.target.clone(),
            r.met.clone(),
            r.check.clone(),
        ]);
    }
    t.to_string()
}

/// The row counts of every output relation, one line per row of the table.
pub fn render_counts(rows: &[Row]) -> String {
    let mut s = String::new();
    for r in rows {
        if r.rows.is_empty() {
            continue;
        }
        let counts: Vec<String> = r.rows.iter().map(|(k, v)| format!("{k}={v}")).collect();
        s.push_str(&format!(
            "{} {} [{}]: {}\n",
            r.workload,
            r.size,
            r.engine,
            counts.join(" ")
        ));
    }
    s
}
