//! Issue 14, case 6: `pialog check` reads and writes only inside the
//! knowledge base root (and `--allow-path` folders), `run --sandbox` the
//! same inside `-F`/`-D`; a path outside is a located error naming the
//! flag, an `#include` outside is never opened (so never quoted), and a
//! failed assertion prints a bounded number of rows.

mod failsafe_common;

use failsafe_common::{names, pialog, texts, write};
use std::path::Path;

/// A knowledge-base root `kb/` and, beside it, `outside/` with a secret.
fn layout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kb/README", "");
    write(dir.path(), "outside/secret.tsv", "SECRET-LINE\t1\n");
    write(
        dir.path(),
        "outside/secret.dl",
        "SECRET-LINE is not Datalog\n",
    );
    dir
}

fn check(root: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["check", "--no-kb"];
    all.extend_from_slice(args);
    let out = pialog(root, &all);
    let (o, e) = texts(&out);
    (out.status.code(), o, e)
}

#[test]
fn an_input_outside_the_root_is_refused_and_never_printed() {
    let dir = layout();
    let kb = dir.path().join("kb");
    write(
        &kb,
        "t.dl",
        ".decl pw(u: symbol, n: number)\n.input pw(filename=\"../outside/secret.tsv\")\n\
         .assert empty pw(_, _)\n",
    );
    let (code, out, err) = check(&kb, &["t.dl"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("cannot read `./../outside/secret.tsv`"),
        "{err}"
    );
    assert!(
        err.contains("it is outside the folders this run may use"),
        "{err}"
    );
    assert!(err.contains("--allow-path"), "{err}");
    assert!(err.contains("--> t.dl:2:1"), "{err}");
    assert!(
        !out.contains("SECRET") && !err.contains("SECRET-LINE\t"),
        "{out}{err}"
    );
    // Allowed, it is read (and the failing assertion shows it).
    let (code, out, err) = check(&kb, &["--allow-path", "../outside", "t.dl"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.contains("SECRET-LINE"), "{out}");
}

#[test]
fn an_include_outside_is_not_opened_so_not_quoted() {
    let dir = layout();
    let kb = dir.path().join("kb");
    let secret = dir.path().join("outside/secret.dl");
    write(&kb, "t.dl", &format!("#include \"{}\"\n", secret.display()));
    let (code, _, err) = check(&kb, &["t.dl"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("it is outside the folders"), "{err}");
    assert!(err.contains("--> t.dl:1:1"), "{err}");
    assert!(!err.contains("SECRET-LINE"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_root_pointing_outside_is_refused() {
    let dir = layout();
    let kb = dir.path().join("kb");
    std::os::unix::fs::symlink(dir.path().join("outside/secret.tsv"), kb.join("link.tsv")).unwrap();
    write(
        &kb,
        "t.dl",
        ".decl pw(u: symbol, n: number)\n.input pw(filename=\"link.tsv\")\n.assert empty pw(_, _)\n",
    );
    let (code, out, err) = check(&kb, &["t.dl"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("it is outside the folders"), "{err}");
    assert!(!out.contains("SECRET"), "{out}");
}

#[test]
fn outputs_and_exports_outside_are_refused_and_nothing_written() {
    let dir = layout();
    let kb = dir.path().join("kb");
    write(
        &kb,
        "out.dl",
        ".decl w(x: number)\nw(1).\n.output w(filename=\"../outside/w.csv\")\n",
    );
    let abs = dir.path().join("outside/e.csv");
    write(
        &kb,
        "export.dl",
        &format!(
            ".decl w(x: number)\nw(1).\n.export w to \"{}\"\n",
            abs.display()
        ),
    );
    for script in ["out.dl", "export.dl"] {
        let (code, _, err) = check(&kb, &[script]);
        assert_eq!(code, Some(2), "{script}: {err}");
        assert!(err.contains("cannot write"), "{err}");
        assert!(err.contains("--allow-path"), "{err}");
    }
    assert_eq!(
        names(&dir.path().join("outside")),
        vec!["secret.dl", "secret.tsv"]
    );
    // Inside the root they are written.
    write(
        &kb,
        "in.dl",
        ".decl w(x: number)\nw(1).\n.output w\n.export w to \"w-export.csv\"\n",
    );
    let (code, _, err) = check(&kb, &["in.dl"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(kb.join("w.csv").exists() && kb.join("w-export.csv").exists());
}

#[test]
fn run_is_fenced_only_with_sandbox() {
    let dir = layout();
    let kb = dir.path().join("kb");
    write(
        &kb,
        "t.dl",
        ".decl pw(u: symbol, n: number)\n.input pw(filename=\"../outside/secret.tsv\")\n.printsize pw\n",
    );
    let out = pialog(&kb, &["run", "t.dl"]);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    let out = pialog(&kb, &["run", "--sandbox", "t.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("it is outside the folders"), "{err}");
    // `-F` names a folder the sandbox lets the script read.
    write(
        &kb,
        "f.dl",
        ".decl pw(u: symbol, n: number)\n.input pw(filename=\"secret.tsv\")\n.printsize pw\n",
    );
    let out = pialog(
        &kb,
        &["run", "--sandbox", "-F", "../outside", "-D", "-", "f.dl"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
}

#[test]
fn failed_assertions_print_a_bounded_number_of_rows() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "t.dl",
        ".decl n(x: number)\nn(0).\nn(x + 1) :- n(x), x < 49.\n.assert empty n(_)\n",
    );
    // The one-screen view shows a few rows anyway; `--full` the bound.
    let (code, out, _) = check(d, &["--full", "t.dl"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("… and 30 more (50 rows in all"), "{out}");
    assert!(out.contains("│ 19 │") && !out.contains("│ 20 │"), "{out}");
    let (_, out, _) = check(d, &["--full", "--max-rows", "100", "t.dl"]);
    assert!(out.contains("│ 49 │") && !out.contains("more"), "{out}");
    let run = pialog(d, &["run", "--max-rows", "5", "t.dl"]);
    let (out, _) = texts(&run);
    assert!(out.contains("… and 45 more"), "{out}");
}
