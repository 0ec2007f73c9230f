//! Issue 14, case 1 (and 7's leftovers): outputs are all or nothing. A run
//! that fails on a later output leaves every earlier target unchanged, no
//! temporary file survives a failure, SIGTERM or the next run, and `-D`
//! naming a file says so.

mod failsafe_common;

use failsafe_common::{names, pialog, texts, write};
use std::path::Path;

const TWO_OUTPUTS: &str = ".decl r(x: number)\nr(1).\n.output r\n.decl q(x: number)\nq(2).\n";

fn assert_untouched(dir: &Path) {
    assert_eq!(std::fs::read_to_string(dir.join("r.csv")).unwrap(), "old\n");
    assert!(
        !names(dir).iter().any(|n| n.starts_with(".pialog-")),
        "{:?}",
        names(dir)
    );
}

#[test]
fn a_later_output_to_a_full_device_changes_no_target() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "r.csv", "old\n");
    write(
        d,
        "p.dl",
        &format!("{TWO_OUTPUTS}.output q(filename=\"/dev/full\")\n"),
    );
    let out = pialog(d, &["run", "p.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot write `/dev/full`"), "{err}");
    // The error names the directive that asked for the file.
    assert!(err.contains("--> /dev/full"), "{err}");
    assert!(
        err.contains("note: asked for by the `.output` at p.dl:6:1"),
        "{err}"
    );
    assert_untouched(d);
}

#[test]
fn a_name_too_long_for_the_file_system_changes_no_target() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "r.csv", "old\n");
    let long = "r".repeat(300);
    write(
        d,
        "p.dl",
        &format!("{TWO_OUTPUTS}.decl {long}(x: number)\n{long}(1).\n.output {long}\n"),
    );
    let out = pialog(d, &["run", "p.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("304 bytes long"), "{err}");
    assert!(
        err.contains("note: asked for by the `.output` at p.dl:8:1"),
        "{err}"
    );
    assert_untouched(d);
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_for_a_later_output_changes_no_target() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "r.csv", "old\n");
    std::fs::create_dir(d.join("ro")).unwrap();
    std::fs::set_permissions(d.join("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes into read-only folders: nothing to test there.
    if std::fs::write(d.join("ro/probe"), "").is_ok() {
        return;
    }
    write(
        d,
        "p.dl",
        &format!("{TWO_OUTPUTS}.output q(filename=\"ro/q.csv\")\n"),
    );
    let out = pialog(d, &["run", "p.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("ro/q.csv"), "{err}");
    assert_untouched(d);
}

#[test]
fn a_broken_script_under_check_keeps_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "r.csv", "old\n");
    write(
        d,
        "good.dl",
        ".decl r(x: number)\nr(1).\n.output r\n.assert count r(_) = 1\n",
    );
    write(d, "bad.dl", ".decl s(x: number)\ns(x) :- t(x).\n");
    let out = pialog(
        d,
        &[
            "check",
            "--no-kb",
            "--junit",
            "report.xml",
            "good.dl",
            "bad.dl",
        ],
    );
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_untouched(d);
    // The report is written: it tells which script broke.
    let report = std::fs::read_to_string(d.join("report.xml")).unwrap();
    assert!(report.contains("bad.dl"), "{report}");
    std::fs::remove_file(d.join("report.xml")).unwrap();
    // Without the broken script, both appear.
    let out = pialog(d, &["check", "--no-kb", "--junit", "report.xml", "good.dl"]);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    assert_eq!(std::fs::read_to_string(d.join("r.csv")).unwrap(), "1\n");
    assert!(d.join("report.xml").exists());
}

#[test]
fn stale_temporaries_of_dead_runs_are_removed_and_others_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // No process has this id (above any pid_max).
    write(d, ".pialog-4294967-1f.tmp", "half");
    write(d, ".pialog-4294967-2e.bak", "old");
    write(d, ".pialog-notes.tmp", "not ours");
    write(d, "p.dl", TWO_OUTPUTS);
    let out = pialog(d, &["run", "p.dl"]);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    assert_eq!(names(d), vec![".pialog-notes.tmp", "p.dl", "r.csv"]);
}

#[cfg(unix)]
#[test]
fn sigterm_removes_the_staged_outputs() {
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "first.dl", ".decl r(x: number)\nr(1).\n.output r\n");
    write(
        d,
        "forever.dl",
        ".decl n(x: number)\nn(0).\nn(x + 1) :- n(x).\n.assert empty n(-1)\n",
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pialog"))
        .current_dir(d)
        .args(["check", "--no-kb", "first.dl", "forever.dl"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The first script's output is staged while the second runs.
    let start = Instant::now();
    while !names(d).iter().any(|n| n.starts_with(".pialog-")) {
        assert!(start.elapsed() < Duration::from_secs(60), "nothing staged");
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(15), "{status:?}");
    assert_eq!(names(d), vec!["first.dl", "forever.dl"]);
}

#[test]
fn an_output_folder_that_is_a_file_is_named_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "afile", "");
    write(d, "p.dl", TWO_OUTPUTS);
    let out = pialog(d, &["run", "-D", "afile", "p.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`afile` is not a folder"), "{err}");
    assert!(
        err.contains("note: asked for by the `.output` at p.dl:3:1"),
        "{err}"
    );
}
