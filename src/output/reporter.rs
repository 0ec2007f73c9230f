//! The one reporter behind `run`, `check` and the REPL: it turns an
//! [`Outcome`] into text, so that the same script says the same thing in
//! each of them.
//!
//! A script's results come in four parts, each for the stream it belongs
//! on ([`Report`]): what the program itself prints (relations sent to
//! stdout, `.printsize` lines, in Soufflé's framing and order), the answers
//! of its queries (each under its query in the text modes), the verdicts of
//! its assertions (`ok …`/`FAIL …` with a bounded sample of the offending
//! rows) and the warnings raised while it ran. A command decides where each
//! part goes (data formats keep verdicts off stdout; `check` gathers JSON
//! across scripts), never how it reads.

use super::modes::{self, Mode};
use super::offending::{DEFAULT_MAX_ROWS, render_offending};
use super::result::{Answer, AssertionResult, Outcome, Printed};
use super::statement::{one_line, written};
use super::table::Fit;
use super::verdict::{assertion_place, unless_vacuous, verdict_line};
use super::{csv, json};
use crate::diag::{SourceMap, Span};
use crate::engine::table::Table;
use std::borrow::Cow;

/// How a script's results are drawn.
#[derive(Clone, Debug)]
pub struct Reporter<'a> {
    sources: &'a SourceMap,
    mode: Mode,
    fit: Fit,
    max_rows: usize,
    crlf: bool,
    vacuous: Vec<Span>,
}

/// A script's results, drawn, one part per stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// What the program itself prints (Soufflé's standard output).
    pub printed: String,
    /// The answers of its queries, in program order.
    pub answers: String,
    /// The verdicts of its assertions, in program order.
    pub verdicts: String,
    /// Warnings raised while it ran, one per line.
    pub warnings: String,
}

impl Report {
    /// Everything for one stream, as a person reads it: the program's own
    /// output, the answers, then the verdicts (a blank line between answers
    /// and verdicts).
    pub fn text(&self) -> String {
        let mut out = self.printed.clone();
        out.push_str(&self.answers);
        if !self.answers.is_empty() && !self.verdicts.is_empty() {
            out.push('\n');
        }
        out.push_str(&self.verdicts);
        out
    }
}

/// What the program itself prints, as Soufflé prints it: a relation sent
/// to stdout framed by its name, a `.printsize` as `rel<TAB>N`.
pub fn printed(outcome: &Outcome) -> String {
    let mut out = String::new();
    for p in &outcome.printed {
        match p {
            Printed::Relation { name, header, body } => out.push_str(
                &crate::engine::io::stdout_block(name, body, header.as_deref()),
            ),
            Printed::Size { relation, rows } => {
                out.push_str(&format!("{relation}\t{rows}\n"));
            }
        }
    }
    out
}

impl<'a> Reporter<'a> {
    /// A reporter drawing answers in `mode`, never cut, showing at most
    /// [`DEFAULT_MAX_ROWS`] offending rows per failed assertion.
    pub fn new(sources: &'a SourceMap, mode: Mode) -> Reporter<'a> {
        Reporter {
            sources,
            mode,
            fit: Fit::default(),
            max_rows: DEFAULT_MAX_ROWS,
            crlf: false,
            vacuous: Vec::new(),
        }
    }

    /// Fits tables (answers and offending rows) as `fit` says.
    pub fn with_fit(mut self, fit: Fit) -> Reporter<'a> {
        self.fit = fit;
        self
    }

    /// Shows at most `max_rows` offending rows per failed assertion.
    pub fn with_max_rows(mut self, max_rows: usize) -> Reporter<'a> {
        self.max_rows = max_rows;
        self
    }

    /// Ends CSV records with CRLF, as RFC 4180 and `pialog export` do
    /// (`pialog run --format csv` output goes to files and other tools).
    pub fn with_crlf(mut self, crlf: bool) -> Reporter<'a> {
        self.crlf = crlf;
        self
    }

    /// Fails the assertions written at `spans` as vacuous: the value check
    /// found them naming a value no row holds (see [`unless_vacuous`]).
    pub fn with_vacuous(mut self, spans: Vec<Span>) -> Reporter<'a> {
        self.vacuous = spans;
        self
    }

    /// The mode answers are drawn in.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The whole report, answers drawn in the reporter's mode.
    pub fn report(&self, outcome: &Outcome) -> Report {
        let drawn: Vec<String> = outcome
            .answers
            .iter()
            .map(|a| self.draw(&a.table))
            .collect();
        self.report_drawn(outcome, &drawn)
    }

    /// The whole report with the answer tables already drawn by the caller,
    /// one per answer in order (the REPL adds the time taken and keeps each
    /// table for `:show`).
    pub fn report_drawn(&self, outcome: &Outcome, drawn: &[String]) -> Report {
        let mut answers = String::new();
        for (i, (a, body)) in outcome.answers.iter().zip(drawn).enumerate() {
            if i > 0 {
                answers.push('\n');
            }
            answers.push_str(&self.heading(a));
            answers.push_str(body);
        }
        let verdicts = outcome
            .assertions
            .iter()
            .map(|a| self.verdict(&self.judged(a)))
            .collect();
        let warnings = outcome.warnings.iter().map(|w| format!("{w}\n")).collect();
        Report {
            printed: printed(outcome),
            answers,
            verdicts,
            warnings,
        }
    }

    /// An answer's table in the reporter's mode.
    pub fn draw(&self, table: &Table) -> String {
        if self.crlf && self.mode == Mode::Csv && !table.columns.is_empty() {
            let bytes = csv::to_csv_bytes(table, csv::CsvOptions::default()).unwrap_or_default();
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        modes::render(table, self.mode, self.fit)
    }

    /// The line(s) an answer stands under: its query as written in the
    /// text modes, nothing in the data modes.
    pub fn heading(&self, answer: &Answer) -> String {
        let text = written(&answer.text);
        match self.mode {
            Mode::Csv | Mode::Tsv | Mode::Json => String::new(),
            Mode::Markdown => format!("```\n{text}\n```\n\n"),
            Mode::Table | Mode::Line => format!("{text}\n"),
        }
    }

    /// The verdict on an assertion as reported: failed as vacuous where
    /// the value check said so.
    pub fn judged<'b>(&self, a: &'b AssertionResult) -> Cow<'b, AssertionResult> {
        if self.vacuous.contains(&a.span) {
            Cow::Owned(unless_vacuous(a))
        } else {
            Cow::Borrowed(a)
        }
    }

    /// Whether the assertion is reported failed as vacuous.
    pub fn is_vacuous(&self, a: &AssertionResult) -> bool {
        self.vacuous.contains(&a.span)
    }

    /// The verdict line of a judged assertion, with at most `max_rows` of
    /// the rows that made it fail.
    pub fn verdict(&self, a: &AssertionResult) -> String {
        let mut out = verdict_line(a, self.sources);
        out.push('\n');
        out.push_str(&self.offending(a));
        out
    }

    /// The offending rows shown under a failed assertion (none when it
    /// passed or has no rows to show).
    pub fn offending(&self, a: &AssertionResult) -> String {
        let t = &a.offending;
        if a.passed || t.columns.is_empty() || t.rows.is_empty() {
            return String::new();
        }
        render_offending(t, |t| super::table::answer(t, self.fit), self.max_rows)
    }

    /// The JSON answer objects of an outcome (`--format json`).
    pub fn json_answers(&self, outcome: &Outcome) -> Vec<serde_json::Value> {
        outcome
            .answers
            .iter()
            .map(|a| json::answer(&written(&a.text), &a.table))
            .collect()
    }

    /// The JSON verdict objects of an outcome, each with `at`, its
    /// file:line.
    pub fn json_assertions(&self, outcome: &Outcome) -> Vec<serde_json::Value> {
        outcome
            .assertions
            .iter()
            .map(|a| {
                let a = self.judged(a);
                let mut v = json::assertion(&one_line(&a.text), a.passed, &a.detail, &a.offending);
                v["at"] = serde_json::Value::String(assertion_place(&a, self.sources));
                v
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::table::Value;
    use crate::output::fixture;

    fn table(rows: i64) -> Table {
        fixture::table(&["n"], (0..rows).map(|i| vec![Value::Number(i)]).collect())
    }

    fn outcome(sources: &mut SourceMap) -> Outcome {
        let file = sources.add("s.dl", "?- q(n).\n.assert empty q(_)\n");
        Outcome {
            answers: vec![Answer {
                text: "?- q(n).".into(),
                span: Span::new(file, 0, 8),
                table: table(2),
            }],
            assertions: vec![AssertionResult {
                text: ".assert empty q(_)\n".into(),
                span: Span::new(file, 9, 27),
                passed: false,
                detail: "2 rows".into(),
                offending: table(2),
            }],
            printed: vec![Printed::Size {
                relation: "q".into(),
                rows: 2,
            }],
            written: Vec::new(),
            warnings: vec!["warning: w".into()],
        }
    }

    #[test]
    fn each_part_once_in_order() {
        let mut sources = SourceMap::new();
        let o = outcome(&mut sources);
        let r = Reporter::new(&sources, Mode::Table).report(&o);
        assert_eq!(r.printed, "q\t2\n");
        assert!(r.answers.starts_with("?- q(n).\n"), "{}", r.answers);
        assert!(r.answers.ends_with("2 rows\n"), "{}", r.answers);
        assert!(
            r.verdicts
                .starts_with("FAIL s.dl:2: .assert empty q(_): 2 rows\n"),
            "{}",
            r.verdicts
        );
        assert_eq!(r.warnings, "warning: w\n");
        let text = r.text();
        assert_eq!(text.matches("q\t2\n").count(), 1, "{text}");
        assert!(text.contains("2 rows\n\nFAIL"), "{text}");
    }

    #[test]
    fn data_modes_have_no_heading_and_bounded_rows() {
        let mut sources = SourceMap::new();
        let o = outcome(&mut sources);
        let csv = Reporter::new(&sources, Mode::Csv).report(&o);
        assert_eq!(csv.answers, "n\n0\n1\n");
        let crlf = Reporter::new(&sources, Mode::Csv)
            .with_crlf(true)
            .report(&o);
        assert_eq!(crlf.answers, "n\r\n0\r\n1\r\n");
        let cut = Reporter::new(&sources, Mode::Table)
            .with_max_rows(1)
            .report(&o);
        assert!(cut.verdicts.contains("… and 1 more"), "{}", cut.verdicts);
        let md = Reporter::new(&sources, Mode::Markdown).report(&o);
        assert!(
            md.answers.starts_with("```\n?- q(n).\n```\n\n| n |"),
            "{}",
            md.answers
        );
    }

    #[test]
    fn vacuous_assertions_fail_in_text_and_json() {
        let mut sources = SourceMap::new();
        let mut o = outcome(&mut sources);
        o.assertions[0].passed = true;
        let span = o.assertions[0].span;
        let plain = Reporter::new(&sources, Mode::Json);
        assert_eq!(plain.json_assertions(&o)[0]["passed"], true);
        assert_eq!(plain.json_assertions(&o)[0]["at"], "s.dl:2");
        let judged = Reporter::new(&sources, Mode::Json).with_vacuous(vec![span]);
        assert_eq!(judged.json_assertions(&o)[0]["passed"], false);
        assert!(judged.report(&o).verdicts.starts_with("FAIL s.dl:2"));
    }
}
