//! `pialog bench` runs its workloads in child processes and checks the
//! engine's results against the hand-written datafrog baseline. Tiny sizes;
//! no timing is asserted.

use std::process::Command;

fn bench(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .arg("bench")
        .args(args)
        .args(["--json", "--runs", "2"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "bench failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn tc_engine_agrees_with_datafrog_and_reports_memory() {
    let doc = bench(&["--only", "tc", "--tc-sizes", "60x240"]);
    assert!(doc["cores"].as_u64().unwrap() >= 1);
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let paths: Vec<u64> = rows
        .iter()
        .map(|r| r["rows"]["path"].as_u64().unwrap())
        .collect();
    assert!(paths[0] > 240);
    assert_eq!(paths[0], paths[1], "engine and datafrog disagree");
    for r in rows {
        assert!(r["peak_rss_mib"].as_f64().unwrap() > 0.0);
        assert_eq!(r["walls_s"].as_array().unwrap().len(), 2);
        assert!(!r["check"].as_str().unwrap().contains("DIFFER"));
    }
    assert!(
        rows[1]["check"]
            .as_str()
            .unwrap()
            .contains("path = datafrog's")
    );
}

#[test]
fn bad_size_is_bad_input() {
    let out = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .args(["bench", "--only", "tc", "--tc-sizes", "lots"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NODESxEDGES"));
}

#[test]
fn failing_worker_is_reported_not_fatal() {
    let out = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .args(["bench", "--worker", "{\"job\":\"nonsense\"}"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad worker job"));
}
