//! `pialog report [-o report.html] [--lacking CLASS] [FILES…]`: the loaded
//! knowledge base as one self-contained HTML page ([`crate::output::report`]).
//!
//! The findings are read off the standard relations (`weak_risk`,
//! `risk_lacks`, `change`, `unread`), each with the measure texts of its
//! risk and the line it came from: the fact's own line in its fact file and
//! the `// document:line` the importer wrote on it (`kb::provenance`).
//! What the loaded programs report themselves (sizes, answers, verdicts)
//! heads the page as `pialog run` prints it ([`crate::output::reporter`]).

use crate::diag::SourceMap;
use crate::engine::table::{Table, Value};
use crate::kb::load::{KbArgs, files_to_load, load};
use crate::kb::overview::overview;
use crate::kb::views::{flow_graph, matrix};
use crate::output::csv::{check_target, write_atomically};
use crate::output::modes::Mode;
use crate::output::report::{Finding, Report, Section, Source, render};
use crate::output::reporter::Reporter;
use crate::output::result::{Outcome, Printed};
use crate::session::Session;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `pialog report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Program and fact files to load (default: facts/ and queries/std.dl).
    pub files: Vec<PathBuf>,
    /// The page to write.
    #[arg(short, long, value_name = "FILE", default_value = "report.html")]
    pub output: PathBuf,
    /// Draw the flows lacking a measure of this class in red.
    #[arg(long, value_name = "CLASS", default_value = "encryption")]
    pub lacking: String,
    /// Where the knowledge base is (`--root`).
    #[command(flatten)]
    pub kb: KbArgs,
}

fn text(row: &[Value], i: usize) -> String {
    row.get(i).map(|v| v.to_string()).unwrap_or_default()
}

/// A relation's rows, or none when it is not defined.
fn rows(session: &Session, rel: &str) -> Vec<Vec<Value>> {
    session
        .relation(rel)
        .map(|t: Table| t.rows)
        .unwrap_or_default()
}

/// Where the fact `rel(row)` was stated, linked relative to the report.
fn source_of(session: &Session, rel: &str, row: &[Value], report_dir: &Path) -> Option<Source> {
    let p = session.fact_provenance(rel, row)?;
    let fact = format!("{}:{}", p.path.display(), p.line);
    let label = match &p.document {
        Some((doc, line)) => format!("{doc}:{line}"),
        None => fact.clone(),
    };
    let full = std::fs::canonicalize(&p.path).unwrap_or_else(|_| p.path.clone());
    let href = full
        .strip_prefix(report_dir)
        .map(Path::to_path_buf)
        .unwrap_or(full);
    Some(Source {
        label,
        fact,
        href: href.to_string_lossy().replace('\\', "/"),
    })
}

/// Gathers every section of the page.
fn build(session: &Session, script: String, lacking: &str, report_dir: &Path) -> Report {
    let risks = rows(session, "risk");
    let measures = rows(session, "measure");
    let class_names: BTreeMap<String, String> = rows(session, "class_label")
        .iter()
        .map(|r| (text(r, 0), text(r, 1)))
        .collect();
    let class_name = |c: &str| match class_names.get(c) {
        Some(l) => format!("{l} ({c})"),
        None => c.to_string(),
    };
    let measures_of = |a: &str, r: &str| -> Vec<String> {
        measures
            .iter()
            .filter(|m| text(m, 0) == a && text(m, 1) == r)
            .map(|m| text(m, 3))
            .collect()
    };
    let risk_row = |a: &str, r: &str| {
        risks
            .iter()
            .find(|x| text(x, 0) == a && text(x, 1) == r)
            .cloned()
    };
    let risk_source = |a: &str, r: &str| {
        risk_row(a, r).and_then(|row| source_of(session, "risk", &row, report_dir))
    };
    let body_has = rows(session, "body_has");
    let graph = flow_graph(session, None, Some(lacking))
        .or_else(|_| flow_graph(session, None, None))
        .ok();
    let weak = rows(session, "weak_risk");
    let gaps = rows(session, "risk_lacks");
    let changes = rows(session, "change");
    let unread = rows(session, "unread");
    let lacking_name = class_name(lacking);
    let sections = overview(session)
        .into_iter()
        .map(|o| {
            let a = o.id.clone();
            let mine = |r: &&Vec<Value>| text(r, 0) == a;
            let weak = weak
                .iter()
                .filter(mine)
                .map(|r| Finding {
                    title: format!("{} — {} [{}]", text(r, 1), text(r, 3), text(r, 4)),
                    details: measures_of(&a, &text(r, 1)),
                    source: risk_source(&a, &text(r, 1)),
                })
                .collect();
            let gaps = gaps
                .iter()
                .filter(mine)
                .map(|r| {
                    let (risk, class) = (text(r, 1), text(r, 2));
                    let peers: Vec<String> = body_has
                        .iter()
                        .filter(|b| text(b, 1) == risk && text(b, 2) == class)
                        .map(|b| text(b, 0))
                        .collect();
                    let title = risk_row(&a, &risk).map_or(String::new(), |x| text(&x, 3));
                    Finding {
                        title: format!(
                            "{risk} {title} — {} がない ({} にはある)",
                            class_name(&class),
                            peers.join("、")
                        ),
                        details: measures_of(&a, &risk),
                        source: risk_source(&a, &risk),
                    }
                })
                .collect();
            let changes = changes
                .iter()
                .filter(mine)
                .map(|r| Finding {
                    title: format!(
                        "{}. {} {} [{}]",
                        text(r, 1),
                        text(r, 2),
                        text(r, 3),
                        text(r, 6)
                    ),
                    details: vec![
                        format!("変更前: {}", text(r, 4)),
                        format!("変更後: {}", text(r, 5)),
                    ],
                    source: source_of(session, "change", r, report_dir),
                })
                .collect();
            let unread = unread
                .iter()
                .filter(mine)
                .map(|r| Finding {
                    title: format!("{} (line {}): {}", text(r, 1), text(r, 2), text(r, 3)),
                    details: Vec::new(),
                    source: source_of(session, "unread", r, report_dir),
                })
                .collect();
            Section {
                flow_svg: graph
                    .as_ref()
                    .and_then(|g| crate::output::flow_svg::render(g, &a, Some(&lacking_name))),
                overview: o,
                weak,
                gaps,
                changes,
                unread,
            }
        })
        .collect();
    Report {
        title: "特定個人情報保護評価書 — pialog report".to_string(),
        heat_map: matrix(session)
            .ok()
            .map(|m| crate::output::svg::heat_map(&m)),
        sections,
        script,
    }
}

/// A session on the named files (or the knowledge base), evaluated, with
/// what the evaluation reported. Like [`crate::kb::load::open_evaluated`],
/// the `.output`s of the loaded files are not carried out: the page is the
/// one thing written.
fn open(files: &[PathBuf], root: &Path) -> Result<(Session, Outcome), String> {
    let files = files_to_load(files, root).map_err(|d| d.render(&SourceMap::new()))?;
    let mut session = Session::new().with_output_dir(PathBuf::from("-"));
    match load(&mut session, &files).and_then(|()| session.evaluate()) {
        Ok(outcome) => Ok((session, outcome)),
        Err(d) => Err(d.render(session.sources())),
    }
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let fail = |e: String| {
        eprint!("{e}");
        super::exit(super::EXIT_BAD_INPUT)
    };
    if let Err(d) = check_target(&args.output) {
        return fail(d.render(&SourceMap::new()));
    }
    let (session, mut outcome) = match open(&args.files, &args.kb.root) {
        Ok(opened) => opened,
        Err(e) => return fail(e),
    };
    // Whole relations sent to stdout are no reading for a page; their
    // sizes, answers and verdicts are.
    outcome
        .printed
        .retain(|p| matches!(p, Printed::Size { .. }));
    // The loaded programs' own report reads as `pialog run` prints it.
    let script = Reporter::new(session.sources(), Mode::Table).report(&outcome);
    eprint!("{}", script.warnings);
    let dir = args
        .output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let report = build(&session, script.text(), &args.lacking, &dir);
    let n = report.sections.len();
    if let Err(d) = write_atomically(&args.output, render(&report).as_bytes()) {
        return fail(d.render(session.sources()));
    }
    eprintln!(
        "wrote {} ({n} assessment{})",
        args.output.display(),
        if n == 1 { "" } else { "s" }
    );
    super::exit(super::EXIT_OK)
}
