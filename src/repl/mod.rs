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
pub mod pretty;
pub mod why;

use crate::engine::table::Table;
use crate::output::csv::{CsvOptions, export_table};
use crate::output::table::{render_answer_clipped, row_count};
use crate::output::verdict::verdict_line;
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
        ":graph [assessment] [--lacking CLASS] — flow graph as DOT",
    ),
    (
        ":undo",
        ":undo — take back the last statement or :load (rules, facts, directives)",
    ),
    (":time", ":time on|off — show how long each query took"),
    (":width", ":width N|off — cut table cells to N characters"),
    (":quit", ":quit — leave (Ctrl-D also leaves)"),
];

/// What one input produced.
#[derive(Debug, Default)]
pub struct Reply {
    /// Normal output (tables, explanations).
    pub out: String,
    /// Errors, rendered with carets.
    pub err: String,
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
            base_loads,
        }
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

    /// Cuts table cells to `width` characters (`None`: never).
    pub fn set_width(&mut self, width: Option<usize>) {
        self.width = width;
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
            return self.command(cmd);
        }
        self.inputs += 1;
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

    fn answer(&self, table: &Table, start: Instant) -> String {
        let mut s = render_answer_clipped(table, self.width);
        if self.time && !table.columns.is_empty() {
            // `N rows` is the last line: add the time to it.
            s.truncate(s.trim_end().len());
            s.push_str(&self.timing(start));
            s.push('\n');
        }
        s
    }

    fn query(&mut self, text: &str) -> Reply {
        let start = Instant::now();
        match self.session.query(text) {
            Ok(table) => Reply::out(self.answer(&table, start)),
            Err(d) => Reply::error(d.render(self.session.sources())),
        }
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
        let mut reply = self.evaluate(start);
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

    /// Evaluates and renders the outcome (answers, assertions, printsizes).
    fn evaluate(&mut self, start: Instant) -> Reply {
        let outcome = match self.session.evaluate() {
            Ok(o) => o,
            Err(d) => return Reply::error(d.render(self.session.sources())),
        };
        let mut out = outcome.stdout.clone();
        for a in &outcome.answers {
            let _ = writeln!(out, "{}", pretty::written(&a.text));
            out.push_str(&self.answer(&a.table, start));
        }
        for a in &outcome.assertions {
            let _ = writeln!(out, "{}", verdict_line(a, self.session.sources()));
            if !a.passed {
                out.push_str(&render_answer_clipped(&a.offending, self.width));
            }
        }
        for (rel, n) in &outcome.printsizes {
            let _ = writeln!(out, "{rel}\t{n}");
        }
        for p in &outcome.written {
            let _ = writeln!(out, "wrote {}", p.display());
        }
        Reply::out(out)
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
        let mut reply = self.evaluate(start);
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

    fn facts(&self, rel: &str) -> Reply {
        if rel.is_empty() {
            return Reply::error("error: usage: :facts rel\n");
        }
        match self.session.relation(rel) {
            Some(t) => Reply::out(render_answer_clipped(&t, self.width)),
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
        if rows.is_empty() {
            if why {
                return Reply::out(format!("no `{rel}` fact matches {pattern} (try :whynot)\n"));
            }
            // whynot needs every value: a pattern with no match is answered
            // for the pattern itself when it is ground.
            return match ground_values(&self.session, &rel, pattern) {
                Some(values) => Reply::out(why::why_not(&mut self.session, &rel, &values)),
                None => Reply::error(
                    "error: :whynot needs a fact with every value given (no `_` or variables)\n",
                ),
            };
        }
        let mut out = String::new();
        if !why {
            return Reply::out(why::why_not(&mut self.session, &rel, &rows.rows[0]));
        }
        let shown = rows.rows.len().min(3);
        for row in rows.rows.iter().take(shown) {
            out.push_str(&why::why(&mut self.session, &rel, row));
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

    fn export(&self, args: &str) -> Reply {
        let parts: Vec<&str> = args.split_whitespace().collect();
        let excel = parts.contains(&"--excel");
        let plain: Vec<&str> = parts.into_iter().filter(|p| *p != "--excel").collect();
        let [rel, file] = plain.as_slice() else {
            return Reply::error("error: usage: :export rel FILE.csv [--excel]\n");
        };
        let Some(table) = self.session.relation(rel) else {
            return Reply::error(format!("error: unknown relation `{rel}`\n"));
        };
        match export_table(&table, Path::new(file), CsvOptions { excel }) {
            Ok(()) => Reply::out(format!("wrote {file} ({})\n", row_count(table.len()))),
            Err(d) => Reply::error(d.render(self.session.sources())),
        }
    }

    fn graph(&self, args: &str) -> Reply {
        let mut assessment = None;
        let mut lacking = None;
        let mut words = args.split_whitespace();
        while let Some(w) = words.next() {
            if w == "--lacking" {
                lacking = words.next();
            } else {
                assessment = Some(w);
            }
        }
        match crate::kb::views::flow_graph(&self.session, assessment, lacking) {
            Ok(g) => Reply::out(g.to_dot()),
            Err(e) => Reply::error(e),
        }
    }
}

/// Values of a fully ground pattern, typed by the relation's columns.
fn ground_values(
    session: &Session,
    rel: &str,
    pattern: &str,
) -> Option<Vec<crate::engine::table::Value>> {
    use crate::engine::table::{ColumnType, Value};
    let schema = session.schema().relations.get(rel)?;
    let inner = pattern.trim().trim_end_matches('.').trim();
    let inner = inner.get(inner.find('(')? + 1..)?.strip_suffix(')')?;
    let args = why::split_args(inner);
    if args.len() != schema.types.len() {
        return None;
    }
    args.iter()
        .zip(&schema.types)
        .map(|(a, t)| match t {
            ColumnType::Symbol => {
                let s = a.strip_prefix('"')?.strip_suffix('"')?;
                Some(Value::Symbol(s.replace("\\\"", "\"").replace("\\\\", "\\")))
            }
            ColumnType::Number => a.parse().ok().map(Value::Number),
            ColumnType::Unsigned => a.trim_end_matches('u').parse().ok().map(Value::Unsigned),
            ColumnType::Float => a.parse().ok().map(Value::Float),
        })
        .collect()
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
