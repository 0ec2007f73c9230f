//! Engine workloads through the public `session::Session` API, exactly as
//! `pialog run -F dir` drives it: load the program text, evaluate (reading
//! every `.input` an output needs), then answer `?-` queries against the
//! evaluated database.

use super::{Measurement, cpu_seconds, peak_rss_kib};
use crate::session::Session;
use std::path::Path;
use std::time::Instant;

/// Loads `program` with `-F facts`, evaluates it, then answers `queries`.
/// `wall_s` is load + evaluate; each query's latency is a phase
/// (`query 1`, …) and its row count a row of the same name.
pub fn run(program: &str, facts: &Path, queries: &[String]) -> Result<Measurement, String> {
    let start = Instant::now();
    let cpu0 = cpu_seconds();
    // A batch run prunes what no output needs, as `pialog run` does; the
    // REPL workload asks further queries, so it keeps every relation.
    let mut session = Session::new()
        .with_fact_dir(facts.to_path_buf())
        .with_pruning(queries.is_empty());
    // `.output` would write into the current directory: the bench programs
    // use `.printsize` only, but keep any file away from the user's tree.
    let out = tempfile::tempdir().map_err(|e| e.to_string())?;
    session = session.with_output_dir(out.path().to_path_buf());
    let render = |s: &Session, d: crate::diag::Diagnostics| {
        d.0.iter()
            .map(|x| x.render(s.sources()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if let Err(d) = session.load_source("bench.dl", program) {
        return Err(render(&session, d));
    }
    let loaded = start.elapsed().as_secs_f64();
    let outcome = match session.evaluate() {
        Ok(o) => o,
        Err(d) => return Err(render(&session, d)),
    };
    let wall_s = start.elapsed().as_secs_f64();
    let cpu_s = cpu_seconds() - cpu0;
    let mut rows: std::collections::BTreeMap<String, u64> = outcome
        .printsizes()
        .map(|(k, v)| (k.to_string(), v as u64))
        .collect();
    let mut phases = vec![
        ("parse+check".to_string(), loaded),
        ("load+evaluate".to_string(), wall_s),
    ];
    for (i, q) in queries.iter().enumerate() {
        let t = Instant::now();
        let table = match session.query(q) {
            Ok(t) => t,
            Err(d) => return Err(render(&session, d)),
        };
        let key = format!("query {}", i + 1);
        phases.push((key.clone(), t.elapsed().as_secs_f64()));
        rows.insert(key, table.len() as u64);
    }
    Ok(Measurement {
        wall_s,
        cpu_s,
        peak_rss_kib: peak_rss_kib(),
        rows,
        phases,
        units: 0,
    })
}
