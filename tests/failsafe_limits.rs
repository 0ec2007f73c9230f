//! Issue 14, cases 2 and 3 (and 7's long body): `--max-memory` and
//! `--timeout` stop a run with an `error:` naming the stratum that grew or
//! ran, exit 2 and no output written; a rule of 10,000 atoms runs.

mod failsafe_common;

use failsafe_common::{names, pialog, texts, write};

const CROSS: &str = ".decl d(x: number)\nd(0).\nd(x + 1) :- d(x), x < 3000.\n\
    .decl c(x: number, y: number, z: number)\nc(x, y, z) :- d(x), d(y), d(z).\n\
    .output d\n.output c\n";

#[test]
fn a_cross_product_stops_at_the_memory_limit_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "p.dl", CROSS);
    let out = pialog(d, &["run", "--max-memory", "64", "p.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: memory limit of 64 MB exceeded"),
        "{err}"
    );
    assert!(err.contains("[c]"), "{err}");
    assert!(err.contains("--max-memory"), "{err}");
    assert_eq!(names(d), vec!["p.dl"]);
}

#[test]
fn a_growing_cat_stops_at_the_memory_limit_under_check() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "p.dl",
        ".decl s(x: symbol)\ns(\"ab\").\ns(cat(x, x)) :- s(x).\n.assert count s(_) > 0\n",
    );
    let out = pialog(d, &["check", "--no-kb", "--max-memory", "32", "p.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("memory limit of 32 MB exceeded"), "{err}");
    assert!(err.contains("[s]"), "{err}");
}

#[test]
fn a_runaway_rule_stops_at_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "p.dl",
        ".decl n(x: number)\nn(0).\nn(x + 1) :- n(x).\n.output n\n",
    );
    for cmd in ["run", "check"] {
        let mut args = vec![cmd, "--timeout", "0.5", "p.dl"];
        if cmd == "check" {
            args.insert(1, "--no-kb");
        }
        let out = pialog(d, &args);
        let (_, err) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {err}");
        assert!(
            err.starts_with("error: time limit of 0.500 s exceeded while evaluating stratum"),
            "{cmd}: {err}"
        );
        assert!(err.contains("[n]"), "{err}");
        assert_eq!(names(d), vec!["p.dl"], "{cmd}");
    }
}

#[test]
fn limits_are_checked_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "p.dl", ".decl n(x: number)\n");
    for bad in [
        ["--timeout", "0"],
        ["--timeout", "soon"],
        ["--max-memory", "0"],
    ] {
        let out = pialog(d, &["run", bad[0], bad[1], "p.dl"]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
    let out = pialog(
        d,
        &["run", "--timeout", "30", "--max-memory", "512", "p.dl"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
}

#[test]
fn the_repl_limit_stops_a_statement_and_keeps_the_session() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "empty.dl", ".decl e(x: number)\ne(7).\n");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pialog"))
        .current_dir(d)
        .args(["repl", "empty.dl"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The REPL evaluates when asked: the question about the endless rule
    // is the statement the limit stops.
    let input = ":limit time 0.5\n.decl n(x: number)\nn(0).\nn(x + 1) :- n(x).\n?- n(x).\n\
                 :limit memory 100\n";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, err) = texts(&out);
    assert!(
        stdout.contains("limits: time 0.500 s, memory off"),
        "{stdout}"
    );
    assert!(
        err.contains("error: time limit of 0.500 s exceeded"),
        "{err}"
    );
    // The session goes on after the stopped statement.
    assert!(
        stdout.contains("limits: time 0.500 s, memory 100 MB"),
        "{stdout}"
    );
}

#[test]
fn a_rule_of_ten_thousand_atoms_runs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = vec!["e(x)"; 10_000].join(", ");
    write(
        d,
        "p.dl",
        &format!(".decl e(x: number)\ne(1).\n.decl r(x: number)\nr(x) :- {body}.\n.printsize r\n"),
    );
    let out = pialog(d, &["run", "--timeout", "120", "p.dl"]);
    let (stdout, err) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(stdout, "r\t1\n");
}
