//! The analyst's REPL: statements and `?-` queries against a live session,
//! plus `:commands` for looking around (schema, facts, explanations,
//! exports, graphs).
//!
//! [`Repl::execute`] runs one complete input and returns what to print, so
//! the same core serves the terminal (rustyline, [`driver`]) and piped
//! stdin (tests, scripts) and can be tested without either. Nothing a user
//! types ends the session except `:quit` and Ctrl-D: errors are printed with
//! their caret and the session goes on.

pub mod driver;
pub mod helper;
pub mod input;
pub mod output;
pub mod pretty;
pub mod why;

use crate::engine::table::Table;
use crate::kb::values::ValueCheck;
use crate::output::csv::{CsvOptions, export_table};
use crate::output::modes::Mode;
use crate::output::reporter::Reporter;
use crate::output::result::Outcome;
use crate::output::table::{Fit, row_count};
use crate::session::Session;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// The `:commands`, with a one-line description each (for `:help` and
/// completion).
pub const COMMANDS: &[(&str, &str)] = &[
    (":help", ":help — this list"),
    (
        ":load",
        ":load FILE — load a program or fact file and evaluate",
    ),
    (":schema", ":schema [rel] — relations and their columns"),
    (":facts", ":facts rel — every row of a relation"),
    (
        ":why",
        ":why rel(args) — how a fact was derived, down to the document line",
    ),
    (
        ":whynot",
        ":whynot rel(args) — which body literal of each rule has no match",
    ),
    (
        ":export",
        ":export rel FILE.csv [--excel] — write a relation as CSV",
    ),
    (
        ":graph",
        ":graph [assessment] [--lacking CLASS] [-o FILE.dot|.mmd|.svg] — flow graph to a file",
    ),
    (
        ":mode",
        ":mode table|line|csv|tsv|json|markdown — how answers are printed",
    ),
    (
        ":headers",
        ":headers on|off — print the header row of answers",
    ),
    (
        ":show",
        ":show N — row N of the last answer, one field per line, uncut",
    ),
    (
        ":output",
        ":output FILE [--excel] — write the next answer to FILE (.csv, .tsv, .json, .md, .txt)",
    ),
    (
        ":undo",
        ":undo — take back the last statement or :load (rules, facts, directives)",
    ),
    (":time", ":time on|off — show how long each query took"),
    (
        ":limit",
        ":limit [time SECONDS|off] [memory MB|off] — stop a statement that runs too long or grows too big",
    ),
    (
        ":width",
        ":width N|off — also cut every cell to N columns (tables fit the screen anyway)",
    ),
    (":quit", ":quit — leave (Ctrl-D also leaves)"),
];

/// What one input produced.
#[derive(Debug, Default)]
pub struct Reply {
    /// Normal output (tables, explanations).
    pub out: String,
    /// Errors, rendered with carets.
    pub err: String,
    /// Warnings (a value no row holds …): shown before the answer, and
    /// the input still succeeded.
    pub warn: String,
    /// The user asked to leave.
    pub quit: bool,
}

impl Reply {
    fn error(text: impl Into<String>) -> Reply {
        Reply {
            err: text.into(),
            ..Reply::default()
        }
    }

    fn out(text: impl Into<String>) -> Reply {
        Reply {
            out: text.into(),
            ..Reply::default()
        }
    }

    /// True when the input failed.
    pub fn failed(&self) -> bool {
        !self.err.is_empty()
    }
}

/// A REPL over one session.
pub struct Repl {
    session: Session,
    banner: String,
    time: bool,
    width: Option<usize>,
    inputs: usize,
    /// How answers are printed (`:mode`).
    mode: Mode,
    /// Whether answers have a header row (`:headers`).
    headers: bool,
    /// The terminal's width, to fit tables to (`None`: a pipe, never cut).
    screen: Option<usize>,
    /// The last answer shown, for `:show N`.
    last: Option<Table>,
    /// Where the next answer goes instead of the screen (`:output`).
    output: Option<output::Target>,
    /// `:limit`: bounds on each statement.
    limits: crate::limits::Limits,
    /// What the files loaded at start printed and answered (their
    /// `.printsize`, queries, assertions), shown before the first prompt.
    startup: Option<Reply>,
    /// Loads of the session before the prompt (the knowledge base), which
    /// `:undo` leaves alone.
    base_loads: usize,
}

impl Repl {
    /// Wraps a session whose files are loaded and evaluated.
    pub fn new(session: Session) -> Repl {
        let base_loads = session.loads();
        Repl {
            session,
            banner: String::new(),
            time: true,
            width: None,
            inputs: 0,
            mode: Mode::Table,
            headers: true,
            screen: None,
            last: None,
            output: None,
            limits: crate::limits::Limits::default(),
            startup: None,
            base_loads,
        }
    }

    /// Keeps what the start's evaluation gave (the files named on the
    /// command line run as `:load` runs them: their `.printsize` lines,
    /// answers and verdicts are shown), to be shown before the first prompt.
    pub fn set_startup(&mut self, outcome: Outcome, start: Instant) {
        let reply = self.render(outcome, start, &[]);
        self.startup = (!reply.out.is_empty() || !reply.warn.is_empty()).then_some(reply);
    }

    /// What the start gave, once (see [`Repl::set_startup`]).
    pub fn take_startup(&mut self) -> Option<Reply> {
        self.startup.take()
    }

    /// The session (for completion and the driver's cancel flag).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Shows or hides the time taken after each answer.
    pub fn set_time(&mut self, on: bool) {
        self.time = on;
    }

    /// Sets the greeting shown on a terminal (what was loaded, how fast).
    pub fn set_banner(&mut self, text: String) {
        self.banner = text;
    }

    /// The greeting shown on a terminal.
    pub fn banner(&self) -> &str {
        &self.banner
    }

    /// Cuts table cells to `width` display columns (`None`: never).
    pub fn set_width(&mut self, width: Option<usize>) {
        self.width = width;
    }

    /// Fits tables to a screen `width` columns wide (`None`: never cut);
    /// the driver sets it before each input, so a resized window is
    /// followed.
    pub fn set_screen(&mut self, width: Option<usize>) {
        self.screen = width;
    }

    /// How a table is fitted now.
    fn fit(&self) -> Fit {
        Fit {
            width: self.screen,
            cell: self.width,
            headers: self.headers,
            numbered: true,
        }
    }

    /// Relation names known now (for completion).
    pub fn relation_names(&self) -> Vec<String> {
        self.session.schema().relations.keys().cloned().collect()
    }

    /// Column names of every relation (for completion).
    pub fn columns(&self) -> Vec<(String, Vec<String>)> {
        self.session
            .schema()
            .relations
            .values()
            .map(|r| (r.name.clone(), r.columns.clone()))
            .collect()
    }

    /// Runs one complete input: a `:command`, a `?-` query, or program text
    /// (rules, facts, directives) added to the session.
    pub fn execute(&mut self, input: &str) -> Reply {
        let text = input.trim();
        if text.is_empty() {
            return Reply::default();
        }
        if let Some(cmd) = text.strip_prefix(':') {
            if let Some(rest) = cmd.strip_prefix("limit") {
                return match crate::limits::set_from_words(&mut self.limits, rest) {
                    Ok(shown) => Reply::out(shown),
                    Err(e) => Reply::error(e),
                };
            }
            return self.command(cmd);
        }
        self.inputs += 1;
        // The session stays usable when a limit stops the statement.
        let _armed = crate::limits::arm(self.limits, &self.session.cancel_flag(), false);
        if text.starts_with("?-") {
            self.query(text)
        } else {
            self.add(text)
        }
    }

    fn timing(&self, start: Instant) -> String {
        if self.time {
            format!(" ({:.1} ms)", start.elapsed().as_secs_f64() * 1000.0)
        } else {
            String::new()
        }
    }

    /// Renders an answer in the current mode (or writes it to the
    /// `:output` file) and keeps it for `:show`; `start` is when the
    /// question was asked, for the time shown after the row count.
    fn answer(&mut self, table: &Table, start: Option<Instant>) -> String {
        if let Some(target) = self.output.take() {
            let text = target.write(table, self.headers);
            self.last = Some(table.clone());
            return text.unwrap_or_else(|e| e.render(self.session.sources()));
        }
        let (mut s, cut) = crate::output::modes::render_noting(table, self.mode, self.fit());
        if self.mode.is_data() || table.columns.is_empty() {
            self.last = Some(table.clone());
            return s;
        }
        if let Some(start) = start
            && self.time
        {
            // `N rows` is the last line: add the time to it.
            s.truncate(s.trim_end().len());
            s.push_str(&self.timing(start));
            s.push('\n');
        }
        if cut {
            let _ = writeln!(
                s,
                "(cells cut to fit {} columns: :show N prints row N whole, :mode line every row)",
                self.screen.unwrap_or_default()
            );
        }
        self.last = Some(table.clone());
        s
    }

    fn query(&mut self, text: &str) -> Reply {
        let start = Instant::now();
        match self.session.query(text) {
            Ok(table) => {
                let mut reply = Reply::out(self.answer(&table, Some(start)));
                if let Some(q) = self.session.last_query() {
                    let mut found = Vec::new();
                    ValueCheck::new(&self.session).body(&q.body, q.span, &mut found);
                    reply.warn = self.render_findings(&found);
                }
                reply
            }
            Err(d) => Reply::error(d.render(self.session.sources())),
        }
    }

    fn set_mode(&mut self, name: &str) -> Reply {
        if name.is_empty() {
            return Reply::out(format!("mode {}\n", self.mode.name()));
        }
        match Mode::parse(name) {
            Some(m) => {
                self.mode = m;
                Reply::out(format!("mode {}\n", m.name()))
            }
            None => Reply::error(format!(
                "error: unknown mode `{name}`\n  = note: modes: table, line, csv, tsv, json, markdown\n"
            )),
        }
    }

    fn show(&self, arg: &str) -> Reply {
        let Some(last) = &self.last else {
            return Reply::error("error: no answer yet to show a row of\n");
        };
        match arg.parse::<usize>() {
            Ok(n) if n >= 1 && n <= last.len() => Reply::out(crate::output::vertical::render_rows(
                last,
                n - 1..n,
                self.screen.unwrap_or(usize::MAX),
            )),
            _ => Reply::error(format!(
                "error: usage: :show N, N from 1 to {} (the rows of the last answer)\n",
                last.len()
            )),
        }
    }

    fn set_output(&mut self, args: &str) -> Reply {
        if args.is_empty() {
            self.output = None;
            return Reply::out("output to the screen\n");
        }
        match output::Target::parse(args, self.mode) {
            Ok(t) => {
                let shown = format!("the next answer goes to {}\n", t.path.display());
                self.output = Some(t);
                Reply::out(shown)
            }
            Err(e) => Reply::error(e.render(self.session.sources())),
        }
    }

    /// The value check's warnings, rendered.
    fn render_findings(&self, found: &[crate::kb::values::Finding]) -> String {
        found
            .iter()
            .map(|f| f.diagnostic.render(self.session.sources()))
            .collect()
    }

    /// Adds program text, evaluates, and prints what the text asked for
    /// (answers of queries inside it, assertion results).
    fn add(&mut self, text: &str) -> Reply {
        let name = format!("<input {}>", self.inputs);
        let start = Instant::now();
        let items = match self.session.load_source(&name, text) {
            Ok(items) => items,
            Err(d) => return Reply::error(d.render(self.session.sources())),
        };
        let mut reply = self.evaluate(start, &items);
        if reply.out.is_empty() && !reply.failed() {
            let n = items.len();
            reply.out = format!(
                "ok: {n} statement{} added{}\n",
                if n == 1 { "" } else { "s" },
                self.timing(start)
            );
        }
        reply
    }

    /// Evaluates and renders the outcome (answers, assertions, printsizes),
    /// with the value check's warnings on `items` (what was just typed): an
    /// assertion naming a value no row holds fails as vacuous.
    fn evaluate(&mut self, start: Instant, items: &[crate::lang::ast::Item]) -> Reply {
        match self.session.evaluate() {
            Ok(o) => self.render(o, start, items),
            Err(d) => Reply::error(d.render(self.session.sources())),
        }
    }

    /// An evaluation's outcome as the prompt shows it; `items` are the
    /// statements just added, whose values are checked.
    fn render(
        &mut self,
        outcome: Outcome,
        start: Instant,
        items: &[crate::lang::ast::Item],
    ) -> Reply {
        let found = ValueCheck::new(&self.session).items(items);
        let drawn: Vec<String> = outcome
            .answers
            .iter()
            .map(|a| self.answer(&a.table, Some(start)))
            .collect();
        let vacuous = found
            .iter()
            .filter(|f| f.makes_vacuous())
            .map(|f| f.statement)
            .collect();
        // Every offending row: the prompt is no CI log.
        let report = Reporter::new(self.session.sources(), self.mode)
            .with_fit(self.fit())
            .with_max_rows(usize::MAX)
            .with_vacuous(vacuous)
            .report_drawn(&outcome, &drawn);
        let mut out = report.text();
        for p in &outcome.written {
            let _ = writeln!(out, "wrote {}", p.display());
        }
        let mut reply = Reply::out(out);
        reply.warn = report.warnings + &self.render_findings(&found);
        reply
    }

    fn command(&mut self, cmd: &str) -> Reply {
        let (name, rest) = match cmd.split_once(char::is_whitespace) {
            Some((n, r)) => (n, r.trim()),
            None => (cmd.trim(), ""),
        };
        match name {
            "help" | "h" | "?" => Reply::out(help()),
            "quit" | "q" | "exit" => Reply {
                quit: true,
                ..Reply::default()
            },
            "time" => match rest {
                "on" => {
                    self.time = true;
                    Reply::out("time on\n")
                }
                "off" => {
                    self.time = false;
                    Reply::out("time off\n")
                }
                _ => Reply::error("error: usage: :time on|off\n"),
            },
            "width" => match rest {
                "off" => {
                    self.width = None;
                    Reply::out("width off\n")
                }
                n => match n.parse::<usize>() {
                    Ok(n) if n > 1 => {
                        self.width = Some(n);
                        Reply::out(format!("width {n}\n"))
                    }
                    _ => Reply::error("error: usage: :width N|off (N at least 2)\n"),
                },
            },
            "headers" => match rest {
                "on" | "off" => {
                    self.headers = rest == "on";
                    Reply::out(format!("headers {rest}\n"))
                }
                _ => Reply::error("error: usage: :headers on|off\n"),
            },
            "mode" => self.set_mode(rest),
            "show" => self.show(rest),
            "output" | "o" => self.set_output(rest),
            "load" => self.load(rest),
            "undo" => self.undo(),
            "schema" => self.schema(rest),
            "facts" => self.facts(rest),
            "why" | "whynot" => self.explain(name == "why", rest),
            "export" => self.export(rest),
            "graph" => self.graph(rest),
            other => Reply::error(format!(
                "error: unknown command `:{other}` (type :help for the list)\n"
            )),
        }
    }

    fn load(&mut self, path: &str) -> Reply {
        if path.is_empty() {
            return Reply::error("error: usage: :load FILE\n");
        }
        let start = Instant::now();
        if let Err(d) = self.session.load_file(Path::new(path)) {
            return Reply::error(d.render(self.session.sources()));
        }
        let mut reply = self.evaluate(start, &[]);
        if !reply.failed() {
            let _ = writeln!(reply.out, "loaded {path}{}", self.timing(start));
        }
        reply
    }

    /// Takes back the last statement or file loaded at the prompt.
    fn undo(&mut self) -> Reply {
        if self.session.loads() <= self.base_loads {
            return Reply::error("error: nothing typed or loaded at the prompt to take back\n");
        }
        match self.session.undo() {
            Some(what) => Reply::out(format!("taken back: {what}\n")),
            None => Reply::error("error: nothing to take back\n"),
        }
    }

    fn schema(&self, rel: &str) -> Reply {
        let relations = &self.session.schema().relations;
        let mut out = String::new();
        let decl = |name: &str| {
            let Some(r) = relations.get(name) else {
                return String::new();
            };
            let cols: Vec<String> = r
                .columns
                .iter()
                .zip(&r.type_names)
                .map(|(c, t)| format!("{c}: {t}"))
                .collect();
            format!(
                ".decl {}({}){}",
                r.name,
                cols.join(", "),
                if r.inferred { "  // inferred" } else { "" }
            )
        };
        if rel.is_empty() {
            for name in relations.keys() {
                let _ = writeln!(out, "{}", decl(name));
            }
            let _ = writeln!(out, "{} relations", relations.len());
            return Reply::out(out);
        }
        match relations.get(rel) {
            Some(r) => {
                let _ = writeln!(out, "{}", decl(rel));
                let _ = writeln!(
                    out,
                    "  declared at {}",
                    self.session.sources().position(r.span)
                );
                let rules = self.session.program().items.iter().filter_map(|i| match i {
                    crate::lang::ast::Item::Rule(rule)
                        if rule.heads.iter().any(|h| h.relation.name == rel) =>
                    {
                        Some(rule.span)
                    }
                    _ => None,
                });
                for span in rules {
                    let text = self.session.sources().snippet(span);
                    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    let _ = writeln!(
                        out,
                        "  rule {}: {text}",
                        self.session.sources().position(span)
                    );
                }
                Reply::out(out)
            }
            None => Reply::error(format!("error: unknown relation `{rel}`\n")),
        }
    }

    fn facts(&mut self, rel: &str) -> Reply {
        if rel.is_empty() {
            return Reply::error("error: usage: :facts rel\n");
        }
        if let Err(d) = self.session.ensure_relations(&[rel.to_string()]) {
            return Reply::error(d.render(self.session.sources()));
        }
        match self.session.relation(rel) {
            Some(t) => {
                let text = self.answer(&t, None);
                Reply::out(text)
            }
            None => Reply::error(format!("error: unknown relation `{rel}`\n")),
        }
    }

    fn explain(&mut self, why: bool, pattern: &str) -> Reply {
        if pattern.is_empty() {
            return Reply::error(format!(
                "error: usage: :{} rel(\"value\", …)\n",
                if why { "why" } else { "whynot" }
            ));
        }
        let (rel, rows) = match why::matching_facts(&mut self.session, pattern) {
            Ok(x) => x,
            Err(e) => return Reply::error(e),
        };
        // A mistyped value in the pattern is the likeliest "why not".
        let warn = self.check_pattern(pattern);
        let mut reply = self.explain_rows(why, pattern, &rel, &rows);
        reply.warn = warn;
        reply
    }

    /// The value check's warnings on a `:why`/`:whynot` pattern, asked as a
    /// query so that they point into it.
    fn check_pattern(&mut self, pattern: &str) -> String {
        let text = format!("?- {}.", pattern.trim().trim_end_matches('.'));
        if self.session.query(&text).is_err() {
            return String::new();
        }
        let mut found = Vec::new();
        if let Some(q) = self.session.last_query() {
            ValueCheck::new(&self.session).body(&q.body, q.span, &mut found);
        }
        self.render_findings(&found)
    }

    /// Explains the facts matching a pattern (`:why`), or why none or the
    /// pattern does not hold (`:whynot`).
    fn explain_rows(&mut self, why: bool, pattern: &str, rel: &str, rows: &Table) -> Reply {
        if rows.is_empty() {
            if why {
                return Reply::out(format!("no `{rel}` fact matches {pattern} (try :whynot)\n"));
            }
            // A pattern with `_` is explained as a pattern.
            return match why::pattern_values(&self.session, rel, pattern) {
                Some(values) => Reply::out(why::why_not(&mut self.session, rel, &values)),
                None => Reply::error(
                    "error: :whynot needs a fact such as rel(\"a\", _, 1): constants or `_`\n",
                ),
            };
        }
        let mut out = String::new();
        if !why {
            let row: Vec<_> = rows.rows[0].iter().cloned().map(Some).collect();
            return Reply::out(why::why_not(&mut self.session, rel, &row));
        }
        let shown = rows.rows.len().min(3);
        for row in rows.rows.iter().take(shown) {
            out.push_str(&why::why(&mut self.session, rel, row));
        }
        if rows.rows.len() > shown {
            let _ = writeln!(
                out,
                "({} more matching facts; give more values to pick one)",
                rows.rows.len() - shown
            );
        }
        Reply::out(out)
    }

    fn export(&mut self, args: &str) -> Reply {
        let parts: Vec<&str> = args.split_whitespace().collect();
        let excel = parts.contains(&"--excel");
        let plain: Vec<&str> = parts.into_iter().filter(|p| *p != "--excel").collect();
        let [rel, file] = plain.as_slice() else {
            return Reply::error("error: usage: :export rel FILE.csv [--excel]\n");
        };
        if let Err(d) = self.session.ensure_relations(&[rel.to_string()]) {
            return Reply::error(d.render(self.session.sources()));
        }
        let Some(table) = self.session.relation(rel) else {
            return Reply::error(format!("error: unknown relation `{rel}`\n"));
        };
        match export_table(&table, Path::new(file), CsvOptions { excel }) {
            Ok(()) => Reply::out(format!("wrote {file} ({})\n", row_count(table.len()))),
            Err(d) => Reply::error(d.render(self.session.sources())),
        }
    }

    /// `:graph [a] [--lacking CLASS] [-o FILE]`: the flow graph goes to a
    /// file (DOT, Mermaid by its extension); a screen of DOT text helps
    /// nobody, so without `-o` only its size and how to write it are shown.
    fn graph(&mut self, args: &str) -> Reply {
        // The graph reads the knowledge base's views whole.
        let all: Vec<String> = self.session.schema().relations.keys().cloned().collect();
        if let Err(d) = self.session.ensure_relations(&all) {
            return Reply::error(d.render(self.session.sources()));
        }
        let mut assessment = None;
        let mut lacking = None;
        let mut file = None;
        let mut words = args.split_whitespace();
        while let Some(w) = words.next() {
            match w {
                "--lacking" => lacking = words.next(),
                "-o" | "--output" => file = words.next(),
                _ => assessment = Some(w),
            }
        }
        let g = match crate::kb::views::flow_graph(&self.session, assessment, lacking) {
            Ok(g) => g,
            Err(e) => return Reply::error(e),
        };
        let Some(file) = file else {
            return Reply::out(format!(
                "flow graph of {}: {} nodes, {} flows\n\
                 write it with `:graph {}-o FILE` (.svg to view, .dot for Graphviz, .mmd for Mermaid)\n",
                assessment.unwrap_or("every assessment"),
                g.node_count(),
                g.edge_count(),
                args.split(" -o")
                    .next()
                    .map_or(String::new(), |a| if a.trim().is_empty() {
                        String::new()
                    } else {
                        format!("{} ", a.trim())
                    }),
            ));
        };
        let path = Path::new(file);
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("mmd" | "mermaid") => g.to_mermaid(),
            Some("svg") => assessment
                .and_then(|a| crate::output::flow_svg::render(&g, a, lacking))
                .unwrap_or_else(|| crate::output::flow_svg::render_all(&g, lacking)),
            _ => g.to_dot(),
        };
        match crate::output::csv::write_atomically(path, text.as_bytes()) {
            Ok(()) => Reply::out(format!(
                "wrote {file} ({} nodes, {} flows)\n",
                g.node_count(),
                g.edge_count()
            )),
            Err(d) => Reply::error(d.render(self.session.sources())),
        }
    }
}

/// The `:help` text.
pub fn help() -> String {
    let mut s = String::from(
        "Type rules and facts to add them, `?- body.` to ask (tables show the row count and\n\
         the time taken). A statement may span lines until its closing `.`.\n\
         Ctrl-C stops a running query, Ctrl-D leaves.\n\n",
    );
    for (_, text) in COMMANDS {
        let _ = writeln!(s, "  {text}");
    }
    s
}
