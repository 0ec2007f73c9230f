//! A knowledge base elsewhere: `pialog repl DIR`, `pialog check … --kb DIR`,
//! and fact files that the fast loader stores as rows next to ones it hands
//! to the grammar (escapes, floats, mistakes), giving the same rows and the
//! same located errors.

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

#[test]
fn repl_takes_a_knowledge_base_folder() {
    let root = kb_root();
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = root.path().to_string_lossy().into_owned();
    let o = pialog_stdin(
        elsewhere.path(),
        &["repl", &dir],
        ":time off\n?- assessment(a, _, _, _, _).\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).lines().any(|l| l == "2 rows"), "{}", stdout(&o));
}

#[test]
fn check_takes_a_kb_folder_or_a_folder_of_fact_files() {
    let root = kb_root();
    let elsewhere = tempfile::tempdir().unwrap();
    let script = elsewhere.path().join("s.dl");
    std::fs::write(&script, ".assert count assessment(a, _, _, _, _) = 2.\n").unwrap();
    let script = script.to_string_lossy().into_owned();
    for kb in [root.path().to_path_buf(), root.path().join("facts")] {
        let kb = kb.to_string_lossy().into_owned();
        let o = pialog(elsewhere.path(), &["check", &script, "--kb", &kb]);
        assert_eq!(o.status.code(), Some(0), "{kb}: {}", stderr(&o));
        assert!(stdout(&o).contains("1 passed, 0 failed"), "{}", stdout(&o));
    }
}

/// A folder of fact files: plain ones (stored as rows), one with a float
/// (read by the grammar), one with escapes.
fn fact_folder(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("schema.dl"),
        ".decl e(x: symbol, n: number)\n.decl w(x: float)\n.decl u(x: unsigned)\n",
    )
    .unwrap();
    std::fs::write(
        p.join("a.dl"),
        "e(\"a\", 1).\ne(\"b\", 2). // doc.txt:7\nu(3).\n",
    )
    .unwrap();
    std::fs::write(p.join("b.dl"), "e(\"q\\\"x\", -4).\nw(2).\n").unwrap();
    std::fs::write(p.join("c.dl"), "w(1.5).\n").unwrap();
    std::fs::write(p.join("d.dl"), extra).unwrap();
    dir
}

#[test]
fn stored_and_parsed_fact_files_give_the_same_rows() {
    let dir = fact_folder("e(\"a\", 1).\n");
    let folder = dir.path().to_string_lossy().into_owned();
    let o = pialog_stdin(
        dir.path(),
        &["repl", &folder],
        ":time off\n?- e(x, n).\n?- w(x).\n?- u(x).\n:why e(\"b\", 2)\n",
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.contains("q\"x") && out.contains("-4"), "{out}");
    assert!(out.lines().any(|l| l == "3 rows"), "{out}");
    assert!(out.contains("│ 1.5 │") && out.contains("│   2 │"), "{out}");
    assert!(out.contains("a.dl:2 (doc.txt:7)"), "{out}");
}

#[test]
fn a_bad_fact_file_is_a_located_error_and_loads_nothing() {
    let dir = fact_folder("e(\"a\", \"not a number\").\n");
    let folder = dir.path().to_string_lossy().into_owned();
    let o = pialog(dir.path(), &["repl", &folder]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("error: "), "{err}");
    assert!(err.contains("d.dl:1:"), "{err}");
    assert!(err.contains('^'), "{err}");
}
