//! `pialog check SCRIPT… [--junit FILE] [--full] [--format …]`: run saved
//! scripts with `.assert`s, as a CI job does.
//!
//! Each script runs in a fresh session on top of the knowledge base (the
//! default files, or `--no-kb`), so scripts cannot disturb each other.
//! By default the output reads on one screen ([`crate::output::digest`]):
//! a line of figures per assessment, each script under its name with one
//! line per saved question (its comment and row count) and one per
//! assertion (`ok …` / `FAIL …: detail`, a few offending rows), and
//! `N passed, M failed` last. `--full` prints every answer table instead;
//! `--format` prints the answers as lines, CSV, TSV, Markdown or one JSON
//! document. Exit 1 when an assertion failed, 2 when a script could not be
//! run at all (that wins: a broken script must not look like a red test).
//!
//! A check is fenced (see [`crate::fence`]): scripts read and write only
//! inside the knowledge base root, the current folder (where `.input` and
//! `.output` paths start) and the `--allow-path` folders. Every output
//! (`.output`, `.export`, `--junit`) is written at the end, all or none:
//! a script that cannot run leaves every target as it was (only the JUnit
//! report, which says so, is written).

use crate::fence::Fence;
use crate::kb::load::{KbArgs, files_to_load, load};
use crate::limits::{Limits, arm};
use crate::output::digest;
use crate::output::json;
use crate::output::junit::{Case, Suite, render};
use crate::output::modes::{Mode, render as render_mode};
use crate::output::offending::{DEFAULT_MAX_ROWS, render_offending};
use crate::output::table::Fit;
use crate::output::transaction::Transaction;
use crate::output::verdict::{assertion_place, verdict_line};
use crate::session::Session;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats of `check`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Text for people and CI logs (one screen; tables with `--full`).
    Table,
    /// Every answer one field per line (long measure texts whole).
    Line,
    /// Every answer as CSV, separated by blank lines; verdicts on stderr.
    Csv,
    /// Every answer as TSV, separated by blank lines; verdicts on stderr.
    Tsv,
    /// Every answer as a Markdown table under its query.
    Markdown,
    /// One JSON document for scripts.
    Json,
}

impl Format {
    /// The mode answers are printed in.
    fn mode(self) -> Mode {
        match self {
            Format::Table => Mode::Table,
            Format::Line => Mode::Line,
            Format::Csv => Mode::Csv,
            Format::Tsv => Mode::Tsv,
            Format::Markdown => Mode::Markdown,
            Format::Json => Mode::Json,
        }
    }
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
    /// `table`: one screen, or the answer tables with `--full`; `line`,
    /// `csv`, `tsv`, `markdown`: every answer in that form; `json`: one
    /// document `{"answers":[…],"assertions":[…]}` (each assertion also
    /// has `at`, its file:line).
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Print every answer table in full, not one line per question.
    #[arg(long)]
    pub full: bool,
    /// Cut table cells to this many display columns (long measure texts).
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Where the knowledge base is (`--root`).
    #[command(flatten)]
    pub kb: KbArgs,
    /// Another folder the scripts may read and write (repeatable).
    #[arg(long = "allow-path", value_name = "DIR")]
    pub allow_paths: Vec<PathBuf>,
    /// Offending rows printed per failed assertion.
    #[arg(long = "max-rows", value_name = "N", default_value_t = DEFAULT_MAX_ROWS)]
    pub max_rows: usize,
    /// Time and memory bounds, for each script.
    #[command(flatten)]
    pub limits: Limits,
}

/// What one script gave.
struct ScriptResult {
    suite: Suite,
    passed: usize,
    failed: usize,
    /// Assertions that name a value no row holds (see [`crate::kb::values`]).
    vacuous: usize,
    /// JSON answers and assertions (for `--format json`).
    answers: Vec<serde_json::Value>,
    assertions: Vec<serde_json::Value>,
    /// The one-screen view of it.
    digest: digest::Script,
}

/// How answers are printed in the full output.
#[derive(Clone, Copy)]
struct Shape {
    mode: Mode,
    fit: Fit,
    /// Offending rows shown per failed assertion.
    max_rows: usize,
}

impl Shape {
    /// A query's answer, headed by its text where the mode allows it.
    fn answer(self, text: &str, table: &crate::engine::table::Table, out: &mut String) {
        match self.mode {
            Mode::Csv | Mode::Tsv => {
                if !out.is_empty() {
                    out.push('\n');
                }
            }
            Mode::Markdown => {
                let _ = writeln!(out, "\n```\n{text}\n```\n");
            }
            _ => {
                let _ = writeln!(out, "{text}");
            }
        }
        out.push_str(&render_mode(table, self.mode, self.fit));
    }
}

fn run_script(
    base: &[PathBuf],
    script: &std::path::Path,
    shape: Shape,
    (limits, staged): (Limits, &mut Transaction),
    out: &mut String,
    verdicts: &mut String,
) -> ScriptResult {
    let name = script.display().to_string();
    let mut digest = digest::Script {
        name: name.clone(),
        ..digest::Script::default()
    };
    let mut suite = Suite {
        name: name.clone(),
        cases: Vec::new(),
        error: None,
    };
    // Only what the script's queries and assertions read is evaluated.
    let mut session = Session::new().with_pruning(true).with_deferred_writes(true);
    let armed = arm(limits, &session.cancel_flag(), true);
    let mut files = base.to_vec();
    files.push(script.to_path_buf());
    let outcome = load(&mut session, &files)
        .and_then(|()| session.evaluate())
        .map_err(|d| d.render(session.sources()));
    drop(armed);
    staged.absorb(session.take_writes());
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            eprint!("{e}");
            digest.broken = Some(e.clone());
            suite.error = Some(e);
            return ScriptResult {
                suite,
                passed: 0,
                failed: 0,
                vacuous: 0,
                answers: Vec::new(),
                assertions: Vec::new(),
                digest,
            };
        }
    };
    digest.about = std::fs::read_to_string(script)
        .map(|t| digest::about(&t))
        .unwrap_or_default();
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
        shape.answer(&text, &a.table, out);
        let label = session
            .sources()
            .file(a.span.file)
            .map(|f| digest::comment_above(&f.text, f.line_col(a.span.start).0))
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| crate::repl::pretty::one_line(&a.text));
        digest.questions.push(digest::Question {
            label,
            table: a.table.clone(),
        });
    }
    // A mistyped value warns wherever it stands in the script, and makes
    // an assertion that names it fail as a broken script (exit 2).
    let findings = crate::kb::values::check_script(&session, script);
    for f in &findings {
        eprint!("{}", f.diagnostic.render(session.sources()));
    }
    let (mut passed, mut failed, mut vacuous) = (0, 0, 0);
    for a in &outcome.assertions {
        let a = &crate::output::verdict::unless_vacuous(a, &findings);
        let at = assertion_place(a, session.sources());
        let at = at.as_str();
        let text = crate::repl::pretty::one_line(&a.text);
        let text = text.as_str();
        let line = verdict_line(a, session.sources());
        let mut verdict = json::assertion(text, a.passed, &a.detail, &a.offending);
        verdict["at"] = serde_json::Value::String(at.to_string());
        assertions.push(verdict);
        digest
            .verdicts
            .push((line.clone(), (!a.passed).then(|| a.offending.clone())));
        if a.passed {
            passed += 1;
            let _ = writeln!(verdicts, "{line}");
            suite.cases.push(Case {
                name: format!("{at}: {text}"),
                failure: None,
            });
        } else {
            if findings
                .iter()
                .any(|f| f.statement == a.span && f.makes_vacuous())
            {
                vacuous += 1;
            } else {
                failed += 1;
            }
            let _ = writeln!(verdicts, "{line}");
            let rows = if a.offending.columns.is_empty() {
                String::new()
            } else {
                render_offending(
                    &a.offending,
                    |t| crate::output::table::answer(t, shape.fit),
                    shape.max_rows,
                )
            };
            verdicts.push_str(&rows);
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
        vacuous,
        answers,
        assertions,
        digest,
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
    crate::output::transaction::clean_up_on_signals();
    let folders = [args.kb.root.clone(), PathBuf::from(".")];
    crate::fence::install(Some(
        Fence::around(folders.into_iter().chain(args.allow_paths.iter().cloned()))
            .admitting(args.scripts.iter().cloned()),
    ));
    let mut staged = Transaction::new();
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
                eprint!("{}", e.render(&Default::default()));
                return super::exit(super::EXIT_BAD_INPUT);
            }
        }
    };
    let (mut passed, mut failed, mut broken, mut vacuous) = (0, 0, 0, 0);
    let mut suites = Vec::new();
    let mode = args.format.mode();
    // The one-screen view unless the tables or another format are asked for.
    let digest_view = args.format == Format::Table && !args.full;
    let screen = crate::output::screen::width();
    let shape = Shape {
        mode,
        fit: Fit {
            width: screen,
            cell: args.width,
            ..Fit::default()
        },
        max_rows: args.max_rows,
    };
    let (mut answers, mut assertions) = (Vec::new(), Vec::new());
    let mut digests = Vec::new();
    let canonical = |p: &PathBuf| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
    let in_kb: Vec<PathBuf> = base.iter().map(canonical).collect();
    for script in &args.scripts {
        // `pialog check queries/*.dl` names std.dl too: it is already loaded
        // under every script, and loading it twice would declare twice.
        if in_kb.contains(&canonical(script)) {
            eprintln!(
                "note: {} is part of the knowledge base (loaded under every script)",
                script.display()
            );
            continue;
        }
        let (mut out, mut verdicts) = (String::new(), String::new());
        let r = run_script(
            &base,
            script,
            shape,
            (args.limits, &mut staged),
            &mut out,
            &mut verdicts,
        );
        if mode.is_data() && mode != Mode::Json {
            // CSV and TSV on stdout stay data; verdicts go to stderr.
            say(&out);
            eprint!("{verdicts}");
        } else if !digest_view && mode != Mode::Json {
            say(&out);
            say(&verdicts);
        }
        answers.extend(r.answers);
        assertions.extend(r.assertions);
        passed += r.passed;
        failed += r.failed;
        vacuous += r.vacuous;
        broken += usize::from(r.suite.error.is_some());
        suites.push(r.suite);
        digests.push(r.digest);
    }
    let verdict = if broken > 0 {
        format!("{passed} passed, {failed} failed, {broken} script(s) could not run")
    } else if vacuous > 0 {
        format!("{passed} passed, {failed} failed, {vacuous} vacuous (naming a value no row holds)")
    } else {
        format!("{passed} passed, {failed} failed")
    };
    if mode == Mode::Json {
        say(&json::to_text(&json::document(answers, assertions)));
    } else if digest_view {
        let overview = (!base.is_empty())
            .then(|| crate::kb::load::open_evaluated(&[], &args.kb.root).ok())
            .flatten()
            .map(|s| crate::kb::overview::to_table(&crate::kb::overview::overview(&s)));
        crate::output::pager::show(&digest::render(
            overview.as_ref(),
            &digests,
            screen,
            &verdict,
        ));
    } else if mode.is_data() {
        eprintln!("{verdict}");
    } else {
        say(&format!("{verdict}\n"));
    }
    // The scripts' outputs all or none: a script that could not run keeps
    // every target. The JUnit report is written either way, since it is
    // what tells a dashboard which script broke.
    if broken > 0 {
        staged = Transaction::new();
    }
    let junit = match &args.junit {
        Some(path) => staged.stage(path, render(&suites).as_bytes()),
        None => Ok(()),
    };
    if let Err(d) = junit.and_then(|()| staged.commit().map(|_| ())) {
        eprint!("{}", d.render(&Default::default()));
        return super::exit(super::EXIT_BAD_INPUT);
    }
    if broken > 0 || vacuous > 0 {
        super::exit(super::EXIT_BAD_INPUT)
    } else if failed > 0 {
        super::exit(super::EXIT_ASSERTION_FAILED)
    } else {
        super::exit(super::EXIT_OK)
    }
}
