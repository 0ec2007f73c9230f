//! What a worker process does for each [`Job`]: the measured work only
//! (inputs are prepared by the parent), then its wall time and VmHWM.

use super::{Job, Measurement, cpu_seconds, peak_rss_kib};
use std::time::Instant;

/// Runs one job in this process and measures it.
pub fn run(job: &Job) -> Result<Measurement, String> {
    match job {
        Job::Gen {
            assessments,
            seed,
            dir,
        } => generate(*assessments, *seed, dir),
        Job::TcDatafrog { nodes, edges, seed } => tc_datafrog(*nodes, *edges, *seed),
        Job::Engine {
            program,
            facts,
            queries,
        } => super::engine::run(program, facts, queries),
        Job::Import { docs, copies } => import(docs, *copies),
    }
}

fn generate(assessments: usize, seed: u64, dir: &std::path::Path) -> Result<Measurement, String> {
    use crate::r#gen::{Format, GenOptions, Rel, generate};
    let opts = GenOptions {
        assessments,
        seed,
        format: Format::Facts,
    };
    let start = Instant::now();
    let cpu0 = cpu_seconds();
    let stats = generate(&opts, dir).map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    let wall_s = start.elapsed().as_secs_f64();
    let rows = Rel::ALL
        .iter()
        .map(|r| (r.name().to_string(), stats.rows[*r as usize]))
        .collect();
    Ok(Measurement {
        wall_s,
        cpu_s: cpu_seconds() - cpu0,
        peak_rss_kib: peak_rss_kib(),
        rows,
        phases: Vec::new(),
        units: stats.total(),
    })
}

/// The hand-written datafrog program the 0.85 s figure refers to:
/// `path` keyed by its last node, joined with `edge` keyed by its first.
pub fn tc_datafrog_paths(edges: &[(u32, u32)]) -> usize {
    let mut iteration = datafrog::Iteration::new();
    let edge_by_src: datafrog::Relation<(u32, u32)> = edges.iter().copied().collect();
    let path_by_end = iteration.variable::<(u32, u32)>("path");
    path_by_end.extend(edges.iter().map(|&(x, y)| (y, x)));
    while iteration.changed() {
        path_by_end.from_join(&path_by_end, &edge_by_src, |_y, &x, &z| (z, x));
    }
    path_by_end.complete().len()
}

fn tc_datafrog(nodes: u32, edges: usize, seed: u64) -> Result<Measurement, String> {
    let graph = crate::r#gen::graph::random_graph(nodes, edges, seed);
    let start = Instant::now();
    let cpu0 = cpu_seconds();
    let paths = tc_datafrog_paths(&graph);
    let wall_s = start.elapsed().as_secs_f64();
    Ok(Measurement {
        wall_s,
        cpu_s: cpu_seconds() - cpu0,
        peak_rss_kib: peak_rss_kib(),
        rows: [("path".to_string(), paths as u64)].into_iter().collect(),
        phases: Vec::new(),
        units: graph.len() as u64,
    })
}

/// Imports every document `copies` times through [`crate::import::import`]
/// (decode, normalise, read every section, render the fact file), without
/// writing files: documents per second of the importer itself.
fn import(docs: &[std::path::PathBuf], copies: usize) -> Result<Measurement, String> {
    let mut inputs = Vec::new();
    for d in docs {
        let bytes = std::fs::read(d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        inputs.push((d.clone(), bytes));
    }
    let start = Instant::now();
    let cpu0 = cpu_seconds();
    let (mut facts, mut failed, mut done) = (0u64, 0u64, 0u64);
    for _ in 0..copies {
        for (path, bytes) in &inputs {
            match crate::import::import(path, bytes, crate::import::Given::default()) {
                Ok(imported) => {
                    facts += imported.sink.facts.len() as u64;
                    done += 1;
                }
                Err(_) => failed += 1,
            }
        }
    }
    let wall_s = start.elapsed().as_secs_f64();
    Ok(Measurement {
        wall_s,
        cpu_s: cpu_seconds() - cpu0,
        peak_rss_kib: peak_rss_kib(),
        rows: [
            ("facts".to_string(), facts),
            ("documents".to_string(), done),
            ("refused".to_string(), failed),
        ]
        .into_iter()
        .collect(),
        phases: Vec::new(),
        units: done + failed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datafrog_closure_of_a_cycle_and_a_chain() {
        // 0 -> 1 -> 2 -> 0: every node reaches every node (9 paths).
        assert_eq!(tc_datafrog_paths(&[(0, 1), (1, 2), (2, 0)]), 9);
        // 0 -> 1 -> 2 -> 3: 3 + 2 + 1 paths.
        assert_eq!(tc_datafrog_paths(&[(0, 1), (1, 2), (2, 3)]), 6);
    }
}
