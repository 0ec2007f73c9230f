//! The language test suite: every folder under `tests/programs/` is one
//! Datalog program with its inputs and the outputs Soufflé would give.
//!
//! The suite is data, not Rust, for the same reasons Soufflé's own test
//! suite is: a case is read and reviewed as a program next to its expected
//! rows, anyone can add one without touching code, and the expectations can
//! be checked against Soufflé itself by running the same folder through
//! `souffle -F facts -D out prog.dl`. The hidden acceptance programs are
//! compared with Soufflé row by row, so the cases here state Soufflé's
//! semantics (whole-string `match`, byte-based `strlen`, `count` of empty
//! sets, C++ integer division …), not what our engine happens to do.
//!
//! A folder holds:
//! - `prog.dl` — the program (it may `#include` files of the folder);
//! - `facts/` — optional input directory, passed as `-F facts` (`-F .` when
//!   absent);
//! - `expected/<file>` — for each file the run must write into the `-D`
//!   directory (`<rel>.csv` for `.output rel`): compared as a sorted set of
//!   lines, since Soufflé's row order depends on symbol interning; a written
//!   file without an expectation is a failure too;
//! - `expected_files/<path>` — files the run must write relative to its
//!   working directory (`.export rel to "x.csv"`), compared byte for byte;
//! - `expected_stdout` — the exact standard output (line endings normalised);
//! - `expected_stdout_contains` — each non-empty line must occur in stdout,
//!   in order (for reports whose layout is not fixed, e.g. failed assertions);
//! - `expected_stderr` — each non-empty line must occur in stderr, in order
//!   (`prog.dl:3:15`, ``unknown relation `edg` ``, the caret line …);
//! - `expected_stderr_any` — each non-empty line must occur somewhere in
//!   stderr, in any order (the relations named by a cycle);
//! - `exit_code` — default 0; with 2 the `-D` directory must stay empty
//!   (no partial output);
//! - `args` — extra command-line arguments, one per line.
//!
//! Each case runs in a fresh copy of its folder, so files written relative to
//! the working directory never touch the source tree. All cases run, and one
//! assertion at the end lists every failure with a diff.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The suite must not silently shrink.
const MIN_PROGRAMS: usize = 40;

/// A guard against an evaluation that never ends; no case needs more than a
/// fraction of a second.
const CASE_TIMEOUT: Duration = Duration::from_secs(60);

/// Names in a case folder that describe the case instead of being its input.
const EXPECTATION_ENTRIES: &[&str] = &[
    "expected",
    "expected_files",
    "expected_stdout",
    "expected_stdout_contains",
    "expected_stderr",
    "expected_stderr_any",
    "exit_code",
    "args",
];

#[test]
fn programs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs");
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("programs");
    let mut cases: Vec<PathBuf> = match fs::read_dir(&root) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => panic!("cannot read {}: {e}", root.display()),
    };
    cases.sort();

    let mut failed = Vec::new();
    let mut failures = Vec::new();
    for case in &cases {
        let name = file_name(case);
        if let Err(why) = run_case(case, &scratch.join(&name)) {
            failures.push(format!("=== {name} ===\n{why}"));
            failed.push(name);
        }
    }
    if cases.len() < MIN_PROGRAMS {
        failures.push(format!(
            "only {} programs in {}, expected at least {MIN_PROGRAMS}",
            cases.len(),
            root.display()
        ));
    }
    assert!(
        failures.is_empty(),
        "{} of {} programs failed: {}\n\n{}",
        failed.len(),
        cases.len(),
        failed.join(", "),
        failures.join("\n\n")
    );
}

/// What a case folder says the run must produce.
struct Expectations {
    exit_code: i32,
    args: Vec<String>,
    stdout: Option<String>,
    stdout_contains: Vec<String>,
    stderr: Vec<String>,
    stderr_any: Vec<String>,
    outputs: Option<PathBuf>,
    files: Option<PathBuf>,
}

impl Expectations {
    fn read(case: &Path) -> Result<Self, String> {
        let text = |name: &str| -> Result<Option<String>, String> {
            let path = case.join(name);
            if !path.exists() {
                return Ok(None);
            }
            fs::read_to_string(&path)
                .map(Some)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        let lines = |name: &str| -> Result<Vec<String>, String> {
            Ok(text(name)?
                .map(|t| {
                    t.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default())
        };
        let exit_code = match text("exit_code")? {
            Some(t) => t
                .trim()
                .parse()
                .map_err(|e| format!("exit_code {t:?} is not a number: {e}"))?,
            None => 0,
        };
        let dir = |name: &str| Some(case.join(name)).filter(|p| p.is_dir());
        let expectations = Expectations {
            exit_code,
            args: lines("args")?
                .iter()
                .map(|l| l.trim().to_string())
                .collect(),
            stdout: text("expected_stdout")?,
            stdout_contains: lines("expected_stdout_contains")?,
            stderr: lines("expected_stderr")?,
            stderr_any: lines("expected_stderr_any")?,
            outputs: dir("expected"),
            files: dir("expected_files"),
        };
        if expectations.stdout.is_none()
            && expectations.stdout_contains.is_empty()
            && expectations.stderr.is_empty()
            && expectations.stderr_any.is_empty()
            && expectations.outputs.is_none()
            && expectations.files.is_none()
        {
            return Err(
                "the folder states no expectation (expected/, expected_stdout, \
                        expected_stderr …)"
                    .to_string(),
            );
        }
        Ok(expectations)
    }
}

/// Runs one case in a fresh copy of its folder and checks every expectation.
fn run_case(case: &Path, scratch: &Path) -> Result<(), String> {
    if !case.join("prog.dl").is_file() {
        return Err("no prog.dl".to_string());
    }
    let expect = Expectations::read(case)?;
    let work = scratch.join("work");
    let out = scratch.join("out");
    if scratch.exists() {
        fs::remove_dir_all(scratch).map_err(|e| format!("cannot clean {scratch:?}: {e}"))?;
    }
    copy_inputs(case, &work).map_err(|e| format!("cannot copy the case: {e}"))?;
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {out:?}: {e}"))?;

    let fact_dir = if work.join("facts").is_dir() {
        "facts"
    } else {
        "."
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_pialog"));
    command
        .current_dir(&work)
        .arg("run")
        .arg("prog.dl")
        .arg("-F")
        .arg(fact_dir)
        .arg("-D")
        .arg(&out)
        .args(&expect.args);
    let run = run_with_timeout(command)?;

    let mut problems = Vec::new();
    if run.code != Some(expect.exit_code) {
        problems.push(format!(
            "exit code {:?}, expected {}",
            run.code, expect.exit_code
        ));
    }
    let stdout = run.stdout.replace("\r\n", "\n");
    if let Some(want) = &expect.stdout {
        let want = want.replace("\r\n", "\n");
        if stdout != want {
            problems.push(format!(
                "stdout differs:\n--- expected\n{want}--- actual\n{stdout}---"
            ));
        }
    }
    if let Err(missing) = contains_in_order(&stdout, &expect.stdout_contains) {
        problems.push(format!("stdout lacks (in order) {missing:?}"));
    }
    if let Err(missing) = contains_in_order(&run.stderr, &expect.stderr) {
        problems.push(format!("stderr lacks (in order) {missing:?}"));
    }
    for want in &expect.stderr_any {
        if !run.stderr.contains(want.as_str()) {
            problems.push(format!("stderr lacks {want:?}"));
        }
    }
    if let Some(dir) = &expect.outputs {
        problems.extend(compare_outputs(dir, &out));
    }
    if expect.exit_code == 2 {
        let written = list_files(&out);
        if !written.is_empty() {
            problems.push(format!(
                "bad input must write no output file, found {written:?}"
            ));
        }
    }
    if let Some(dir) = &expect.files {
        problems.extend(compare_files(dir, &work));
    }

    if problems.is_empty() {
        Ok(())
    } else {
        problems.push(format!(
            "--- full stdout\n{}--- full stderr\n{}---",
            run.stdout, run.stderr
        ));
        Err(problems.join("\n"))
    }
}

/// Copies the program, its includes and its facts (not the expectations).
fn copy_inputs(case: &Path, work: &Path) -> std::io::Result<()> {
    fs::create_dir_all(work)?;
    for entry in fs::read_dir(case)? {
        let path = entry?.path();
        let name = file_name(&path);
        if EXPECTATION_ENTRIES.contains(&name.as_str()) {
            continue;
        }
        copy_tree(&path, &work.join(&name))?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to)?;
        for entry in fs::read_dir(from)? {
            let path = entry?.path();
            copy_tree(&path, &to.join(file_name(&path)))?;
        }
        Ok(())
    } else {
        fs::copy(from, to).map(|_| ())
    }
}

/// Exit status and decoded output of one run.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run_with_timeout(mut command: Command) -> Result<Run, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start pialog: {e}"))?;
    // Drain both pipes on threads so a chatty run cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > CASE_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("pialog did not finish within {CASE_TIMEOUT:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("cannot wait for pialog: {e}")),
        }
    };
    Ok(Run {
        code: status.code(),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// Checks that every needle occurs in `haystack`, each after the previous.
fn contains_in_order(haystack: &str, needles: &[String]) -> Result<(), String> {
    let mut rest = haystack;
    for needle in needles {
        match rest.find(needle.as_str()) {
            Some(at) => rest = &rest[at + needle.len()..],
            None => return Err(needle.clone()),
        }
    }
    Ok(())
}

/// Compares the `-D` directory with `expected/` as sets of lines per file.
fn compare_outputs(expected: &Path, out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let want = list_files(expected);
    for rel in &want {
        let written = out.join(rel);
        let Ok(actual) = fs::read_to_string(&written) else {
            problems.push(format!("{rel}: not written"));
            continue;
        };
        let expected_text = fs::read_to_string(expected.join(rel)).unwrap_or_default();
        let want_rows = line_set(&expected_text);
        let got_rows = line_set(&actual);
        if want_rows != got_rows {
            let missing: Vec<_> = want_rows.difference(&got_rows).collect();
            let extra: Vec<_> = got_rows.difference(&want_rows).collect();
            problems.push(format!(
                "{rel}: rows differ\n  missing: {missing:?}\n  unexpected: {extra:?}"
            ));
        }
        if actual.lines().count() != got_rows.len() {
            problems.push(format!("{rel}: duplicate rows in {actual:?}"));
        }
    }
    for rel in list_files(out) {
        if !want.contains(&rel) {
            problems.push(format!("{rel}: written but not expected"));
        }
    }
    problems
}

/// Compares files written in the working directory byte for byte.
fn compare_files(expected: &Path, work: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for rel in list_files(expected) {
        let want = fs::read(expected.join(&rel)).unwrap_or_default();
        match fs::read(work.join(&rel)) {
            Ok(got) if got == want => {}
            Ok(got) => problems.push(format!(
                "{rel}: content differs\n--- expected\n{:?}\n--- actual\n{:?}",
                String::from_utf8_lossy(&want),
                String::from_utf8_lossy(&got)
            )),
            Err(_) => problems.push(format!("{rel}: not written")),
        }
    }
    problems
}

fn line_set(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

/// Relative paths of all files below `dir` (empty when it does not exist).
fn list_files(dir: &Path) -> BTreeSet<String> {
    fn walk(base: &Path, dir: &Path, into: &mut BTreeSet<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, into);
            } else if let Ok(rel) = path.strip_prefix(base) {
                into.insert(rel.to_string_lossy().into_owned());
            }
        }
    }
    let mut files = BTreeSet::new();
    walk(dir, dir, &mut files);
    files
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
