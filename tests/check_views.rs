//! The views of `pialog check`: the one-screen digest (figures per
//! assessment, one line per saved question under its script's name, the
//! verdict last), `--full` tables, and every `--format`.

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

/// A saved script with two commented questions and one assertion.
const SCRIPT: &str = "// Flows of the fixture bodies. More words.\n\n// Every flow.\n?- flow(a, from, to, method, phase).\n\n// Re-entrusting vendors.\n?- reentrusting_vendor(a, n, vendor, task).\n\n.assert count flow(_, _, _, _, _) >= 1\n";

fn check(args: &[&str]) -> (i32, String, String) {
    let root = kb_root();
    std::fs::write(root.path().join("saved.dl"), SCRIPT).unwrap();
    let mut all = vec!["check", "saved.dl"];
    all.extend_from_slice(args);
    let o = pialog(root.path(), &all);
    (o.status.code().unwrap_or(-1), stdout(&o), stderr(&o))
}

#[test]
fn the_digest_reads_on_one_screen_with_the_verdict_last() {
    let (code, out, err) = check(&[]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("2 assessments"), "{out}");
    // The figures per assessment, as a table.
    assert!(out.contains("┆ risks ┆ weak ┆ gaps ┆ unread │"), "{out}");
    assert!(out.contains("テスト市長/1"), "{out}");
    // The script under its name, with its first sentence, then its questions.
    let head = lines
        .iter()
        .position(|l| *l == "saved.dl — Flows of the fixture bodies")
        .expect("the script's heading");
    assert!(
        lines[head + 1].ends_with(" rows  Every flow")
            || lines[head + 1].contains(" rows  Every flow · "),
        "{out}"
    );
    assert!(
        lines[head + 2].contains("row  Re-entrusting vendors"),
        "{out}"
    );
    assert!(
        lines[head + 3].starts_with("ok saved.dl:9: .assert count flow"),
        "{out}"
    );
    // No answer table in the digest, and the CI verdict is the last line.
    assert!(!out.contains("┆ from"), "{out}");
    assert!(out.contains("next: --full"), "{out}");
    assert_eq!(lines.last(), Some(&"1 passed, 0 failed"), "{out}");
}

#[test]
fn full_prints_the_answer_tables() {
    let (code, out, _) = check(&["--full"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("?- flow(a, from, to, method, phase)."),
        "{out}"
    );
    assert!(out.contains("┆ from"), "{out}");
    assert!(!out.contains("next: --full"), "{out}");
    assert_eq!(out.lines().last(), Some("1 passed, 0 failed"));
}

#[test]
fn every_format_prints_every_answer() {
    let (_, csv, err) = check(&["--format", "csv"]);
    assert!(csv.starts_with("a,from,to,method,phase\n"), "{csv}");
    assert!(csv.contains("\n\na,n,vendor,task\n"), "{csv}");
    assert!(!csv.contains("ok "), "verdicts stay off the data: {csv}");
    assert!(
        err.contains("ok saved.dl:9") && err.contains("1 passed"),
        "{err}"
    );
    let (_, tsv, _) = check(&["--format", "tsv"]);
    assert!(tsv.starts_with("a\tfrom\tto\tmethod\tphase\n"), "{tsv}");
    let (_, line, _) = check(&["--format", "line"]);
    assert!(line.contains("-[ 1 ]"), "{line}");
    assert!(line.contains("vendor │ "), "{line}");
    let (_, md, _) = check(&["--format", "markdown"]);
    assert!(
        md.contains("| a | from | to | method | phase |\n|---|"),
        "{md}"
    );
    let (_, json, _) = check(&["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("one JSON document");
    assert_eq!(doc["answers"].as_array().map(Vec::len), Some(2));
}

#[test]
fn run_takes_the_same_formats() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("q.dl");
    std::fs::write(
        &script,
        ".decl r(a: symbol, n: number)\nr(\"焼津市長/26\", 3).\n?- r(a, n).\n",
    )
    .unwrap();
    let run = |format: &str| {
        let o = pialog(
            dir.path(),
            &["run", script.to_str().unwrap(), "--format", format],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    assert!(run("line").contains("a │ 焼津市長/26\nn │ 3\n"));
    assert_eq!(run("tsv"), "a\tn\n焼津市長/26\t3\n");
    assert!(run("markdown").contains("| a | n |\n|---|--:|\n| 焼津市長/26 | 3 |\n"));
    assert!(run("table").contains("│ 焼津市長/26 ┆ 3 │"));
}
