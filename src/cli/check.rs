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

use super::script_args::ScriptArgs;
use crate::fence::Fence;
use crate::kb::load::{KbArgs, files_to_load, load};
use crate::output::digest;
use crate::output::json;
use crate::output::junit::{Case, Suite, render};
use crate::output::modes::Mode;
use crate::output::reporter::Report;
use crate::output::statement::one_line;
use crate::output::table::Fit;
use crate::output::transaction::Transaction;
use crate::output::verdict::{assertion_place, verdict_line};
use crate::session::Session;
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Print every answer table in full, not one line per question (with
    /// `--format table`).
    #[arg(long)]
    pub full: bool,
    /// Cut table cells to this many display columns (long measure texts).
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Where the knowledge base is (`--root`).
    #[command(flatten)]
    pub kb: KbArgs,
    /// How results are printed and bounded.
    #[command(flatten)]
    pub script: ScriptArgs,
}

/// What one script gave.
struct ScriptResult {
    suite: Suite,
    passed: usize,
    failed: usize,
    /// Assertions that name a value no row holds (see [`crate::kb::values`]).
    vacuous: usize,
    /// JSON answers, assertions and program output (for `--format json`).
    answers: Vec<serde_json::Value>,
    assertions: Vec<serde_json::Value>,
    printed: Vec<serde_json::Value>,
    /// The one-screen view of it.
    digest: digest::Script,
    /// Its program output, answers, verdicts and warnings, drawn.
    report: Report,
}

impl ScriptResult {
    /// Nothing yet: no case, no answer.
    fn new(suite: Suite, digest: digest::Script) -> ScriptResult {
        ScriptResult {
            suite,
            passed: 0,
            failed: 0,
            vacuous: 0,
            answers: Vec::new(),
            assertions: Vec::new(),
            printed: Vec::new(),
            digest,
            report: Report::default(),
        }
    }

    /// A script that could not run: `error` says why.
    fn broken(suite: Suite, digest: digest::Script, error: String) -> ScriptResult {
        let mut r = ScriptResult::new(suite, digest);
        r.digest.broken = Some(error.clone());
        r.suite.error = Some(error);
        r
    }
}

fn run_script(
    base: &[PathBuf],
    script: &std::path::Path,
    (args, fit): (&ScriptArgs, Fit),
    staged: &mut Transaction,
) -> ScriptResult {
    let name = script.display().to_string();
    let digest = digest::Script {
        name: name.clone(),
        ..digest::Script::default()
    };
    let suite = Suite {
        name: name.clone(),
        cases: Vec::new(),
        error: None,
    };
    // Only what the script's queries and assertions read is evaluated.
    let mut session = Session::new().with_pruning(true).with_deferred_writes(true);
    let armed = crate::limits::arm(args.limits, &session.cancel_flag(), true);
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
            return ScriptResult::broken(suite, digest, e);
        }
    };
    // A mistyped value warns wherever it stands in the script, and makes
    // an assertion that names it fail as a broken script (exit 2).
    let findings = crate::kb::values::check_script(&session, script);
    for f in &findings {
        eprint!("{}", f.diagnostic.render(session.sources()));
    }
    let vacuous = findings
        .iter()
        .filter(|f| f.makes_vacuous())
        .map(|f| f.statement)
        .collect();
    let reporter = args.reporter(session.sources(), fit).with_vacuous(vacuous);
    let report = reporter.report(&outcome);
    eprint!("{}", report.warnings);
    let mut result = ScriptResult::new(suite, digest);
    result.digest.about = std::fs::read_to_string(script)
        .map(|t| digest::about(&t))
        .unwrap_or_default();
    result.digest.printed = report.printed.clone();
    result.report = report;
    result.answers = reporter.json_answers(&outcome);
    result.assertions = reporter.json_assertions(&outcome);
    result.printed = json::printed(&outcome.printed);
    for a in &outcome.answers {
        let label = session
            .sources()
            .file(a.span.file)
            .map(|f| digest::comment_above(&f.text, f.line_col(a.span.start).0))
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| one_line(&a.text));
        result.digest.questions.push(digest::Question {
            label,
            table: a.table.clone(),
        });
    }
    for a in &outcome.assertions {
        let judged = reporter.judged(a);
        let at = assertion_place(&judged, session.sources());
        let line = verdict_line(&judged, session.sources());
        result
            .digest
            .verdicts
            .push((line, (!judged.passed).then(|| judged.offending.clone())));
        let failure = if judged.passed {
            result.passed += 1;
            None
        } else {
            if reporter.is_vacuous(a) {
                result.vacuous += 1;
            } else {
                result.failed += 1;
            }
            Some((judged.detail.clone(), reporter.offending(&judged)))
        };
        result.suite.cases.push(Case {
            name: format!("{at}: {}", one_line(&judged.text)),
            failure,
        });
    }
    result
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
        Fence::around(
            folders
                .into_iter()
                .chain(args.script.allow_paths.iter().cloned()),
        )
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
    let mode = args.script.format;
    // The one-screen view unless the tables or another format are asked for.
    let digest_view = mode == Mode::Table && !args.full;
    let screen = crate::output::screen::width();
    let fit = Fit {
        width: screen,
        cell: args.width,
        ..Fit::default()
    };
    let (mut answers, mut assertions, mut printed) = (Vec::new(), Vec::new(), Vec::new());
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
        let r = run_script(&base, script, (&args.script, fit), &mut staged);
        // What the script prints itself (`.output r(IO=stdout)`,
        // `.printsize`) comes first, as `pialog run` prints it, then the
        // answers of its queries, then the verdicts.
        if mode.is_data() && mode != Mode::Json {
            // CSV and TSV on stdout stay data; verdicts go to stderr.
            say(&(r.report.printed.clone() + &r.report.answers));
            eprint!("{}", r.report.verdicts);
        } else if !digest_view && mode != Mode::Json {
            say(&r.report.text());
        }
        answers.extend(r.answers);
        assertions.extend(r.assertions);
        printed.extend(r.printed);
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
        say(&json::to_text(&json::document(
            answers, assertions, printed,
        )));
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
