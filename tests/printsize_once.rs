//! One script, one report: `.printsize` prints its line exactly once in
//! `pialog run`, in `pialog check` (the one-screen digest and `--full`) and
//! in the REPL fed through a pipe and on the page of `pialog report`, because all of them draw the session's
//! outcome through the same reporter. (`check` and the REPL used to print
//! it twice: once from the program's own output, once more by themselves.)

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

/// Declares, fills and sizes a relation, then asks and asserts about it.
const SCRIPT: &str = ".decl sized(x: number)\nsized(1). sized(2).\n.printsize sized\n?- sized(x).\n.assert count sized(_) = 2\n";

/// How many lines of `text` are the `.printsize` line.
fn size_lines(text: &str) -> usize {
    text.lines().filter(|l| *l == "sized\t2").count()
}

#[test]
fn run_prints_the_size_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.dl"), SCRIPT).unwrap();
    let o = pialog(dir.path(), &["run", "s.dl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(size_lines(&out), 1, "{out}");
    assert!(
        out.starts_with("sized\t2\n"),
        "the program's own output first: {out}"
    );
    assert!(
        out.contains("ok s.dl:5: .assert count sized(_) = 2"),
        "{out}"
    );
}

#[test]
fn check_prints_the_size_once_in_every_view() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.dl"), SCRIPT).unwrap();
    for view in [&[][..], &["--full"][..], &["--format", "line"][..]] {
        let mut args = vec!["check", "--no-kb", "s.dl"];
        args.extend_from_slice(view);
        let o = pialog(dir.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{view:?}: {}", stderr(&o));
        let out = stdout(&o);
        let shown: usize = out.lines().filter(|l| l.trim_start() == "sized\t2").count();
        assert_eq!(shown, 1, "{view:?}: {out}");
        assert_eq!(out.lines().last(), Some("1 passed, 0 failed"), "{out}");
    }
}

#[test]
fn the_piped_repl_prints_the_size_once() {
    let root = kb_root();
    std::fs::write(root.path().join("s.dl"), SCRIPT).unwrap();
    let o = pialog_stdin(root.path(), &["repl"], ":time off\n:load s.dl\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(size_lines(&out), 1, "{out}");
    assert!(
        out.contains("ok s.dl:5: .assert count sized(_) = 2"),
        "{out}"
    );
    assert!(out.contains("loaded s.dl"), "{out}");
}

#[test]
fn a_script_named_at_the_start_of_the_repl_says_what_it_says_under_load() {
    // `pialog repl s.dl` runs the script as `:load s.dl` would: its size,
    // answer and verdict come before the first statement typed.
    let root = kb_root();
    std::fs::write(root.path().join("s.dl"), SCRIPT).unwrap();
    let o = pialog_stdin(root.path(), &["repl", "s.dl"], "?- sized(x), x > 1.\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(size_lines(&out), 1, "{out}");
    let verdict = out
        .find("ok s.dl:5: .assert count sized(_) = 2")
        .unwrap_or_else(|| panic!("no verdict: {out}"));
    let typed = out.rfind("1 row").expect("the typed question answered");
    assert!(out.starts_with("sized\t2\n"), "{out}");
    assert!(verdict < typed, "the start's output first: {out}");
    assert_eq!(out.matches("2 rows").count(), 1, "{out}");
}

#[test]
fn a_later_change_reprints_only_the_sizes_it_changes() {
    let root = kb_root();
    std::fs::write(root.path().join("s.dl"), SCRIPT).unwrap();
    let o = pialog_stdin(
        root.path(),
        &["repl"],
        ":time off\n:load s.dl\n.decl other(x: number)\nother(1).\nsized(3).\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // Once at :load; `other(1).` leaves `sized` as it was; `sized(3).` grows it.
    assert_eq!(size_lines(&out), 1, "{out}");
    assert_eq!(out.lines().filter(|l| *l == "sized\t3").count(), 1, "{out}");
}

#[test]
fn the_report_page_shows_the_size_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.dl"), SCRIPT).unwrap();
    let o = pialog(dir.path(), &["report", "s.dl", "-o", "r.html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert_eq!(size_lines(&html), 1, "{html}");
    assert!(
        html.contains("ok s.dl:5: .assert count sized(_) = 2"),
        "{html}"
    );
}
