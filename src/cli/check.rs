//! `pialog check SCRIPT… [--junit FILE]`: run saved scripts with `.assert`s,
//! as a CI job does.
//!
//! Each script runs in a fresh session on top of the knowledge base (the
//! default files, or `--no-kb`), so scripts cannot disturb each other.
//! Answers of `?-` queries in a script are printed first (saved query
//! scripts are run this way); then one line per assertion (`ok …` / `FAIL …: detail` followed by the offending
//! rows), then `N passed, M failed`. Exit 1 when an assertion failed, 2 when
//! a script could not be run at all (that wins: a broken script must not
//! look like a red test).

use crate::kb::load::{KbArgs, files_to_load, load};
use crate::output::csv::write_atomically;
use crate::output::json;
use crate::output::junit::{Case, Suite, render};
use crate::output::table::render_answer_clipped;
use crate::output::verdict::{assertion_place, verdict_line};
use crate::session::Session;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats of `check`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Text for people and CI logs.
    Table,
    /// One JSON document for scripts.
    Json,
}

/// Arguments of `pialog check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scripts with `.assert`s, run one after another.
    #[arg(required = true, value_name = "SCRIPT")]
    pub scripts: Vec<PathBuf>,
    /// Also write a JUnit XML report here (for CI dashboards).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Do not load the knowledge base under the scripts (facts/ and
    /// queries/std.dl); the scripts stand alone.
    #[arg(long)]
    pub no_kb: bool,
    /// `table`: answers as aligned tables and one line per assertion;
    /// `json`: one document `{"answers":[…],"assertions":[…]}` (each
    /// assertion also has `at`, its file:line).
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Cut table cells to this many characters (long measure texts).
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Where the knowledge base is (`--root`).
    #[command(flatten)]
    pub kb: KbArgs,
}

/// What one script gave.
struct ScriptResult {
    suite: Suite,
    passed: usize,
    failed: usize,
    /// JSON answers and assertions (for `--format json`).
    answers: Vec<serde_json::Value>,
    assertions: Vec<serde_json::Value>,
}

fn run_script(
    base: &[PathBuf],
    script: &std::path::Path,
    width: Option<usize>,
    out: &mut String,
) -> ScriptResult {
    let name = script.display().to_string();
    let mut suite = Suite {
        name: name.clone(),
        cases: Vec::new(),
        error: None,
    };
    // Only what the script's queries and assertions read is evaluated.
    let mut session = Session::new().with_pruning(true);
    let mut files = base.to_vec();
    files.push(script.to_path_buf());
    let outcome = load(&mut session, &files)
        .and_then(|()| session.evaluate().map_err(|d| d.render(session.sources())));
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            eprint!("{e}");
            suite.error = Some(e);
            return ScriptResult {
                suite,
                passed: 0,
                failed: 0,
                answers: Vec::new(),
                assertions: Vec::new(),
            };
        }
    };
    // Relations a script sends to stdout (`.output r(IO=stdout)`) and
    // `.printsize`s come first, as `pialog run` prints them.
    out.push_str(&outcome.stdout);
    for (rel, n) in &outcome.printsizes {
        let _ = writeln!(out, "{rel}\t{n}");
    }
    // A saved script may also ask queries: show their answers next.
    let mut answers = Vec::new();
    let mut assertions = Vec::new();
    for a in &outcome.answers {
        let text = crate::repl::pretty::written(&a.text);
        answers.push(json::answer(&text, &a.table));
        let _ = writeln!(out, "{text}");
        out.push_str(&render_answer_clipped(&a.table, width));
    }
    let (mut passed, mut failed) = (0, 0);
    for a in &outcome.assertions {
        let at = assertion_place(a, session.sources());
        let at = at.as_str();
        let text = crate::repl::pretty::one_line(&a.text);
        let text = text.as_str();
        let line = verdict_line(a, session.sources());
        let mut verdict = json::assertion(text, a.passed, &a.detail, &a.offending);
        verdict["at"] = serde_json::Value::String(at.to_string());
        assertions.push(verdict);
        if a.passed {
            passed += 1;
            let _ = writeln!(out, "{line}");
            suite.cases.push(Case {
                name: format!("{at}: {text}"),
                failure: None,
            });
        } else {
            failed += 1;
            let _ = writeln!(out, "{line}");
            let rows = if a.offending.columns.is_empty() {
                String::new()
            } else {
                render_answer_clipped(&a.offending, width)
            };
            out.push_str(&rows);
            suite.cases.push(Case {
                name: format!("{at}: {text}"),
                failure: Some((a.detail.clone(), rows)),
            });
        }
    }
    ScriptResult {
        suite,
        passed,
        failed,
        answers,
        assertions,
    }
}

/// Prints to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    // A mistyped --junit path fails before any script runs (and writes
    // its `.output`s).
    if let Some(path) = &args.junit
        && let Err(d) = crate::output::csv::check_target(path)
    {
        eprint!("{}", d.render(&Default::default()));
        return super::exit(super::EXIT_BAD_INPUT);
    }
    let base = if args.no_kb {
        Vec::new()
    } else {
        match files_to_load(&[], &args.kb.root) {
            Ok(f) => f,
            Err(e) => {
                eprint!("{e}");
                return super::exit(super::EXIT_BAD_INPUT);
            }
        }
    };
    let (mut passed, mut failed, mut broken) = (0, 0, 0);
    let mut suites = Vec::new();
    let text = args.format == Format::Table;
    let (mut answers, mut assertions) = (Vec::new(), Vec::new());
    let canonical = |p: &PathBuf| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
    let in_kb: Vec<PathBuf> = base.iter().map(canonical).collect();
    for script in &args.scripts {
        // `pialog check queries/*.dl` names std.dl too: it is already loaded
        // under every script, and loading it twice would declare twice.
        if in_kb.contains(&canonical(script)) {
            eprintln!(
                "note: {} is part of the knowledge base, loaded under every script; not run on its own",
                script.display()
            );
            continue;
        }
        let mut out = String::new();
        let r = run_script(&base, script, args.width, &mut out);
        if text {
            say(&out);
        }
        answers.extend(r.answers);
        assertions.extend(r.assertions);
        passed += r.passed;
        failed += r.failed;
        broken += usize::from(r.suite.error.is_some());
        suites.push(r.suite);
    }
    if !text {
        say(&json::to_text(&json::document(answers, assertions)));
    } else if broken > 0 {
        say(&format!(
            "{passed} passed, {failed} failed, {broken} script(s) could not run\n"
        ));
    } else {
        say(&format!("{passed} passed, {failed} failed\n"));
    }
    if let Some(path) = &args.junit
        && let Err(d) = write_atomically(path, render(&suites).as_bytes())
    {
        eprint!("{}", d.render(&Default::default()));
        return super::exit(super::EXIT_BAD_INPUT);
    }
    if broken > 0 {
        super::exit(super::EXIT_BAD_INPUT)
    } else if failed > 0 {
        super::exit(super::EXIT_ASSERTION_FAILED)
    } else {
        super::exit(super::EXIT_OK)
    }
}
