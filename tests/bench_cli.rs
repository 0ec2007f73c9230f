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

/// A `--root` that is a file and `--runs 0` are refused before any work.
#[test]
fn bad_root_and_zero_runs_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("q.dl");
    std::fs::write(&file, "").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .args(["bench", "--only", "std", "--quick", "--root"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("it is a file, not the project folder"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "no table for a refused run");

    let out = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .args(["bench", "--only", "tc", "--quick", "--runs", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`--runs 0`"));
}

/// A workload whose worker fails is shown in the table and makes the run
/// exit 2 (here the corpus cannot be generated: a folder stands where
/// `measure.facts` goes).
#[test]
fn failed_workload_exits_2() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("corpus-2720/measure.facts")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .args([
            "bench",
            "--only",
            "national",
            "--quick",
            "--json",
            "--work-dir",
        ])
        .arg(work.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("workload(s) failed"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["workload"] == "gen" && r["failed"] == true)
    );
}

/// A stand-in for Soufflé that prints the sizes it is given, so that the
/// side-by-side plumbing is tested without Soufflé installed.
fn fake_souffle(dir: &std::path::Path, printed: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("souffle");
    std::fs::write(&path, format!("#!/bin/sh\nprintf '{printed}'\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// The check of pialog's independent-rounds row, measured beside a
/// stand-in Soufflé (in `dir`) that prints `printed`.
fn check_beside(dir: &std::path::Path, printed: &str) -> String {
    let souffle = fake_souffle(dir, printed);
    let doc = bench(&[
        "--only",
        "independent",
        "--quick",
        "--souffle",
        souffle.to_str().unwrap(),
    ]);
    let rows = doc["rows"].as_array().unwrap();
    let at = rows
        .iter()
        .position(|r| r["engine"] == "Soufflé interpreter")
        .expect("a Soufflé row");
    rows[at + 1]["check"].as_str().unwrap().to_string()
}

#[test]
fn souffle_runs_beside_pialog_and_its_sizes_are_compared() {
    let dir = tempfile::tempdir().unwrap();
    // `--quick` runs 2 × 10,000 rounds: `a` holds 10,001 numbers.
    let ours = check_beside(dir.path(), "a\\t10001\\n");
    assert!(ours.contains("1 size = Soufflé's"), "{ours}");
    assert!(ours.contains("x Soufflé ("), "{ours}");

    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let ours = check_beside(&other, "a\\t7\\n");
    assert!(
        ours.contains("SIZES DIFFER: a 10001 != Soufflé's 7"),
        "{ours}"
    );
}

#[test]
fn a_missing_souffle_is_bad_input() {
    let out = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .args([
            "bench",
            "--only",
            "independent",
            "--quick",
            "--souffle",
            "/no/such/souffle",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
}
