//! A session: the loaded program, its evaluated database and everything a
//! command needs to ask about it.
//!
//! Every command (`run`, `check`, `repl`, `export`, `graph`, `bench`) goes
//! through this one type, so they all see the same semantics: load program
//! text (parsed and checked against everything loaded before; nothing is
//! kept when it fails), evaluate (all strata, then `.output`/`.export`
//! files, queries and assertions in order), ask queries against the result.
//! Symbols are interned once per session so that ids stay valid across
//! evaluations and queries. Files are written only after the whole program
//! evaluated without error, so a failure never leaves a partial output.

use crate::diag::{Diagnostic, Diagnostics, SourceMap, Span};
use crate::engine::compile::{compile, lower_rules};
use crate::engine::intern::Interner;
use crate::engine::io::{format_rows, probe_facts, read_facts, stdout_block};
use crate::engine::ir::{Catalog, Lowerer, RelInfo, Target, outer_var_names};
use crate::engine::plan::plan;
use crate::engine::rows::Rows;
use crate::engine::strata::{evaluate, run_query};
use crate::engine::table::{ColumnType, Table};
use crate::engine::value::{OutputOrder, Word, decode, encode_lookup};
use crate::engine::width::width_for;
use crate::lang::ast::{self, AssertKind, CompareOp, Item, Program};
use crate::lang::check::{CheckOptions, check};
use crate::lang::parser;
use crate::lang::schema::Schema;
use crate::output::csv::{CsvOptions, to_csv_bytes};
use crate::output::transaction::Transaction;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub mod stored;

use stored::{Scan, StoredFacts};

/// The answer to one `?-` query of a program.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The query as written.
    pub text: String,
    /// Where it was written.
    pub span: Span,
    /// Its rows (columns = named variables in order of first appearance).
    pub table: Table,
}

/// The verdict on one `.assert`.
#[derive(Clone, Debug)]
pub struct AssertionResult {
    /// The assertion as written.
    pub text: String,
    /// Where it was written.
    pub span: Span,
    /// Whether it held.
    pub passed: bool,
    /// What was found (`3 rows`, `count is 0, expected >= 1`).
    pub detail: String,
    /// The rows that made it fail (all matching rows).
    pub offending: Table,
}

/// Everything one evaluation produced besides the database.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Query answers in program order.
    pub answers: Vec<Answer>,
    /// Assertion verdicts in program order.
    pub assertions: Vec<AssertionResult>,
    /// `.printsize` results in program order.
    pub printsizes: Vec<(String, usize)>,
    /// Files written (`.output`, `.export`).
    pub written: Vec<PathBuf>,
    /// What Soufflé would print, in program order: relations written with
    /// `IO=stdout` or `-D -` (in Soufflé's framing) and `.printsize` lines
    /// (`rel<TAB>N`).
    pub stdout: String,
    /// Warnings raised during evaluation (e.g. a bad `substr` index).
    pub warnings: Vec<String>,
}

/// The evaluated database.
struct Db {
    catalog: Catalog,
    rows: Vec<Rows>,
    /// Position of each relation's stratum in evaluation order: Soufflé
    /// writes outputs and sizes as strata complete, so we order them so.
    stratum_of: Vec<usize>,
    /// Program items and stored facts it was computed from: a later
    /// evaluation of a program that only grew reuses the relations the
    /// new items do not affect.
    items: usize,
    stored: usize,
}

/// What a session held before one load (see [`Session::undo`]).
struct Checkpoint {
    items: usize,
    stored: stored::Mark,
    schema: Schema,
    answered: usize,
    /// The text or file loaded after it, to say what was taken back.
    what: String,
}

/// Text on one line, cut to a length a message can hold.
fn one_line(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line,
    }
}

/// A loaded program, its evaluation, and the means to query it.
pub struct Session {
    sources: SourceMap,
    program: Program,
    schema: Schema,
    symbols: Interner,
    fact_dir: PathBuf,
    output_dir: PathBuf,
    cancel: Arc<AtomicBool>,
    db: Option<Db>,
    /// Ground facts of fact files, as rows (see [`stored`]).
    stored: StoredFacts,
    /// The state before each load, oldest first (`:undo`).
    loads: Vec<Checkpoint>,
    /// How many of `loads` the last successful evaluation saw.
    good: usize,
    dirty: bool,
    answered: usize,
    infer_undeclared: bool,
    prune: bool,
    last_query: Option<ast::Query>,
    defer_writes: bool,
    pending: Transaction,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

/// An `.input`/`.output` parameter.
fn param<'a>(d: &'a ast::IoDirective, key: &str) -> Option<&'a str> {
    d.params
        .iter()
        .find(|(k, _)| k.name.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// The warning for an `.input` whose file does not exist in an existing
/// folder (Soufflé reads it as an empty relation); `None` when it exists or
/// cannot be looked at for another reason, or its folder is missing too,
/// which reading then reports as an error.
fn missing_input(path: &std::path::Path, rel: &str) -> Option<String> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if folder.is_some_and(|f| !f.is_dir()) {
        return None;
    }
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(format!(
            "warning: no file `{}` for `.input {rel}`: it is read as an empty relation",
            path.display()
        )),
        _ => None,
    }
}

/// The error of a stopped evaluation: a tripped `--timeout`/`--max-memory`
/// says which, a Ctrl-C says so.
fn interrupted(cancel: &Arc<AtomicBool>) -> Diagnostics {
    match crate::limits::tripped(cancel) {
        Some(why) => {
            let (message, note) = crate::limits::message(why);
            Diagnostic::plain(message).with_note(note).into()
        }
        None => Diagnostic::plain("evaluation interrupted").into(),
    }
}

/// Where a directive is, for the note on an I/O error about the file it
/// named: the error keeps pointing at the file (and line) it is about.
fn asked_by(what: &str, span: Span, sources: &SourceMap) -> String {
    format!("asked for by the `{what}` at {}", sources.position(span))
}

/// A path outside the installed fence (an error at the directive), or not
/// a regular file (an error at the file, noting the directive).
fn guard_path(
    path: &Path,
    access: crate::fence::Access,
    span: Span,
    note: &str,
) -> Result<(), Diagnostic> {
    crate::fence::check(path, access).map_err(|m| Diagnostic::error(m, span))?;
    if access == crate::fence::Access::Read {
        crate::regular_file::refuse_irregular(path).map_err(|why| {
            Diagnostic::at_file(format!("cannot read `{}`: {why}", path.display()), path)
                .with_note(note)
        })?;
    }
    Ok(())
}

/// With `PIALOG_TRACE` set, says how far loading and evaluation got and
/// the peak memory so far, on stderr (for finding where time goes).
fn trace(what: &str) {
    if std::env::var_os("PIALOG_TRACE").is_none() {
        return;
    }
    let peak = crate::peak_memory::peak_text();
    eprintln!("trace: {what} (peak so far {peak})");
}

impl Session {
    /// An empty session reading facts from and writing outputs to the
    /// current directory.
    pub fn new() -> Session {
        // Ids start at the first symbol a program names, as Soufflé's do
        // (`ord("a")` is 0 when "a" is its first symbol).
        let symbols = Interner::new();
        Session {
            sources: SourceMap::new(),
            program: Program::default(),
            schema: Schema::default(),
            symbols,
            fact_dir: PathBuf::from("."),
            output_dir: PathBuf::from("."),
            cancel: Arc::new(AtomicBool::new(false)),
            db: None,
            stored: StoredFacts::default(),
            loads: Vec::new(),
            good: 0,
            dirty: true,
            answered: 0,
            infer_undeclared: false,
            prune: false,
            last_query: None,
            defer_writes: false,
            pending: Transaction::new(),
        }
    }

    /// Where `.input` files are read (`-F`).
    pub fn with_fact_dir(mut self, dir: PathBuf) -> Session {
        self.fact_dir = dir;
        self
    }

    /// Where `.output` files are written (`-D`); `-` prints them.
    pub fn with_output_dir(mut self, dir: PathBuf) -> Session {
        self.output_dir = dir;
        self
    }

    /// Lets rules without `.decl` define relations with inferred column
    /// types (the REPL).
    pub fn with_inferred_declarations(mut self, on: bool) -> Session {
        self.infer_undeclared = on;
        self
    }

    /// Reads and evaluates only what the program's outputs, sizes,
    /// exports, queries and assertions depend on (batch runs: `run`,
    /// `check`, the benchmarks). A session that will answer further
    /// queries (the REPL) must not prune, since those may ask about any
    /// relation. See [`crate::lang::needed`].
    pub fn with_pruning(mut self, on: bool) -> Session {
        self.prune = on;
        self
    }

    /// Stages `.output`/`.export` files instead of writing them: a command
    /// that runs several sessions (`check`) or writes more files of its own
    /// takes them with [`Session::take_writes`] and commits everything at
    /// once, so that a failure anywhere changes no target.
    pub fn with_deferred_writes(mut self, on: bool) -> Session {
        self.defer_writes = on;
        self
    }

    /// The outputs staged by evaluations with deferred writes, to commit.
    pub fn take_writes(&mut self) -> Transaction {
        std::mem::take(&mut self.pending)
    }

    /// Loads a program file (with its `#include`s).
    pub fn load_file(&mut self, path: &Path) -> Result<(), Diagnostics> {
        let cp = self.checkpoint(path.display().to_string());
        let program = parser::parse_file(&mut self.sources, path)?;
        self.add(program.items)?;
        self.loads.push(cp);
        Ok(())
    }

    /// Loads program text that has no file (REPL input, tests); returns the
    /// items added.
    pub fn load_source(&mut self, name: &str, text: &str) -> Result<Vec<Item>, Diagnostics> {
        let cp = self.checkpoint(text.trim().to_string());
        let program = parser::parse_source(&mut self.sources, name, text)?;
        let items = self.add(program.items)?;
        self.loads.push(cp);
        Ok(items)
    }

    /// Loads files as one program, checked once: files of simple facts
    /// (what `pialog import` and `pialog gen` write) are read in parallel
    /// straight into rows (see [`stored`]); every other file is parsed and
    /// checked as a program. Nothing is kept when any file fails.
    pub fn load_files(&mut self, paths: &[PathBuf]) -> Result<(), Diagnostics> {
        let what = match paths {
            [one] => one.display().to_string(),
            _ => format!("{} files", paths.len()),
        };
        let cp = self.checkpoint(what);
        let symbols = self.symbols.len();
        match self.load_files_in(paths) {
            Ok(()) => {
                self.loads.push(cp);
                Ok(())
            }
            Err(d) => {
                self.restore(cp);
                self.symbols.truncate(symbols);
                Err(d)
            }
        }
    }

    /// What the session holds now, to come back to.
    fn checkpoint(&self, what: String) -> Checkpoint {
        Checkpoint {
            items: self.program.items.len(),
            stored: self.stored.mark(),
            schema: self.schema.clone(),
            answered: self.answered,
            what,
        }
    }

    /// Goes back to a checkpoint: what was loaded since is forgotten and
    /// the next question evaluates the program as it was.
    fn restore(&mut self, cp: Checkpoint) {
        self.program.items.truncate(cp.items);
        self.stored.rollback(cp.stored);
        self.schema = cp.schema;
        self.answered = self.answered.min(cp.answered);
        self.dirty = true;
        // Its rows may hold what was taken back.
        self.db = None;
    }

    /// Takes back the last load (a statement typed at the REPL prompt, a
    /// file): its rules, facts, retractions and directives are gone and
    /// the next question evaluates without them. Returns what was taken
    /// back (its text or file name), `None` when nothing was loaded.
    pub fn undo(&mut self) -> Option<String> {
        let cp = self.loads.pop()?;
        let what = cp.what.clone();
        self.restore(cp);
        self.good = self.good.min(self.loads.len());
        Some(what)
    }

    /// How many loads [`Session::undo`] could take back, newest first.
    pub fn loads(&self) -> usize {
        self.loads.len()
    }

    /// After an evaluation that failed or was interrupted, takes back
    /// everything loaded since the last one that succeeded, so that the
    /// statement that caused it (a rule too slow to finish) does not stay
    /// in the session; a note on `d` says what was taken back.
    fn back_to_good(&mut self, d: Diagnostics) -> Diagnostics {
        if self.good >= self.loads.len() {
            return d;
        }
        let taken: Vec<Checkpoint> = self.loads.drain(self.good..).collect();
        let what: Vec<String> = taken.iter().map(|c| one_line(&c.what)).collect();
        if let Some(first) = taken.into_iter().next() {
            self.restore(first);
        }
        let note = format!("taken back: {}", what.join("; "));
        Diagnostics(
            d.0.into_iter()
                .enumerate()
                .map(|(i, e)| if i == 0 { e.with_note(note.clone()) } else { e })
                .collect(),
        )
    }

    fn load_files_in(&mut self, paths: &[PathBuf]) -> Result<(), Diagnostics> {
        let started = std::time::Instant::now();
        let scans = stored::scan_files(paths, &mut self.symbols);
        trace(&format!(
            "files scanned {:.3}s",
            started.elapsed().as_secs_f64()
        ));
        let mut programs = Vec::new();
        let mut facts = Vec::new();
        for scan in scans {
            match scan {
                Scan::Program(p) => programs.push(p),
                Scan::Facts(f) => facts.push(f),
            }
        }
        let parse = |session: &mut Session, paths: &[PathBuf]| {
            let mut items = Vec::new();
            let mut errors = Vec::new();
            for path in paths {
                match parser::parse_file(&mut session.sources, path) {
                    Ok(p) => items.extend(p.items),
                    Err(d) => errors.extend(d.0),
                }
            }
            if errors.is_empty() {
                Ok(items)
            } else {
                Err(Diagnostics(errors))
            }
        };
        let items = parse(self, &programs)?;
        // A program that does not check alone may need the facts (a REPL
        // relation declared by its facts only): then every file goes
        // through the grammar and the checker, which has the last word.
        let before = self.program.items.len();
        if self.add(items.clone()).is_err() {
            self.program.items.truncate(before);
            let rest: Vec<PathBuf> = facts.into_iter().map(|f| f.path).collect();
            let mut all = items;
            all.extend(parse(self, &rest)?);
            return self.add(all).map(|_| ());
        }
        trace(&format!(
            "programs checked {:.3}s",
            started.elapsed().as_secs_f64()
        ));
        let mut refused = Vec::new();
        for f in facts {
            if let Err(f) = self.stored.add(f, &self.schema) {
                refused.push(f.path);
            }
        }
        self.dirty = true;
        trace(&format!(
            "facts stored {:.3}s",
            started.elapsed().as_secs_f64()
        ));
        if !refused.is_empty() {
            let items = parse(self, &refused)?;
            self.add(items)?;
        }
        Ok(())
    }

    fn add(&mut self, items: Vec<Item>) -> Result<Vec<Item>, Diagnostics> {
        let before = self.program.items.len();
        self.program.items.extend(items.iter().cloned());
        let checked = check(
            &self.program,
            &CheckOptions {
                infer_undeclared: self.infer_undeclared,
            },
        );
        let schema = match checked {
            Ok(schema) => schema,
            Err(d) => {
                self.program.items.truncate(before);
                return Err(d);
            }
        };
        let changes_db = items
            .iter()
            .any(|i| !matches!(i, Item::Query(_) | Item::Assert(_) | Item::Export(_)));
        if changes_db {
            self.dirty = true;
        }
        self.schema = schema;
        Ok(items)
    }

    /// The checked schema of everything loaded.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// All program texts loaded (for rendering diagnostics).
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// Everything loaded, in order.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Set it to stop a running evaluation or query (Ctrl-C).
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }

    /// The relations numbered in declaration order (relation ids order
    /// independent strata, so outputs come in the order of the program).
    fn catalog(&self) -> Catalog {
        let mut cat = Catalog::default();
        let declared = self.program.items.iter().filter_map(|i| match i {
            Item::Decl(d) => Some(d.name.name.as_str()),
            _ => None,
        });
        let names: Vec<&str> = declared
            .chain(self.schema.relations.keys().map(String::as_str))
            .collect();
        for name in names {
            if cat.id(name).is_some() {
                continue;
            }
            let Some(rs) = self.schema.relations.get(name) else {
                continue;
            };
            cat.add(RelInfo {
                name: name.to_string(),
                columns: rs.columns.clone(),
                types: rs.types.clone(),
                eqrel: rs.is_eqrel(),
            });
        }
        cat
    }

    /// Evaluates what is loaded (again only if rules or facts changed since
    /// the last evaluation), writes `.output`/`.export` files and answers
    /// the queries and assertions loaded since the last call.
    pub fn evaluate(&mut self) -> Result<Outcome, Diagnostics> {
        self.cancel.store(false, Ordering::Relaxed);
        let recomputed = self.dirty || self.db.is_none();
        let mut outcome = Outcome::default();
        if recomputed {
            let prev = self.db.take();
            let (db, warnings) = match self.compute(prev) {
                Ok(done) => done,
                Err(d) => return Err(self.back_to_good(d)),
            };
            self.good = self.loads.len();
            self.db = Some(db);
            self.dirty = false;
            outcome.warnings = self.placed_warnings(warnings);
        }
        let mut files: Vec<(PathBuf, Vec<u8>, Span, &str)> = Vec::new();
        // Only the directives that produce something (facts and rules,
        // possibly millions, are not copied).
        let items: Vec<(usize, Item)> = self
            .program
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                matches!(
                    i,
                    Item::Output(_)
                        | Item::PrintSize(_)
                        | Item::Query(_)
                        | Item::Assert(_)
                        | Item::Export(_)
                )
            })
            .map(|(k, i)| (k, i.clone()))
            .collect();
        let order = OutputOrder::new(&self.symbols);
        // Outputs and sizes in stratum order (then directive order), split
        // so that each directive names one relation; everything else stays
        // in program order after them.
        let mut io: Vec<(usize, usize, Item)> = Vec::new();
        for (idx, item) in items.iter() {
            let idx = *idx;
            if let Item::Output(d) | Item::PrintSize(d) = item {
                for rel in &d.relations {
                    let mut one = d.clone();
                    one.relations = vec![rel.clone()];
                    let stratum = self
                        .db
                        .as_ref()
                        .and_then(|db| db.catalog.id(&rel.name).map(|id| db.stratum_of[id]))
                        .unwrap_or(usize::MAX);
                    let item = match item {
                        Item::Output(_) => Item::Output(one),
                        _ => Item::PrintSize(one),
                    };
                    io.push((stratum, idx, item));
                }
            }
        }
        io.sort_by_key(|(stratum, idx, _)| (*stratum, *idx));
        let ordered: Vec<(usize, Item)> = io
            .into_iter()
            .map(|(_, idx, item)| (idx, item))
            .chain(
                items
                    .iter()
                    .filter(|&(_, i)| !matches!(i, Item::Output(_) | Item::PrintSize(_)))
                    .cloned(),
            )
            .collect();
        for (idx, item) in ordered.iter() {
            let idx = *idx;
            let fresh = idx >= self.answered;
            match item {
                Item::Output(d) if recomputed => {
                    for rel in &d.relations {
                        let text = self.relation_text(&rel.name, d, &order)?;
                        let header = param(d, "headers") == Some("true");
                        let to_stdout =
                            param(d, "IO") == Some("stdout") || self.output_dir.as_os_str() == "-";
                        if to_stdout {
                            let cols = header.then(|| self.columns_of(&rel.name));
                            outcome.stdout.push_str(&stdout_block(
                                &rel.name,
                                &text.1,
                                cols.as_deref(),
                            ));
                        } else {
                            let file = param(d, "filename")
                                .map(PathBuf::from)
                                .unwrap_or_else(|| PathBuf::from(format!("{}.csv", rel.name)));
                            let path = if file.is_absolute() {
                                file
                            } else {
                                self.output_dir.join(file)
                            };
                            let mut body = String::new();
                            if header {
                                body.push_str(&text.0.join(&text.2));
                                body.push('\n');
                            }
                            body.push_str(&text.1);
                            files.push((path, body.into_bytes(), d.span, ".output"));
                        }
                    }
                }
                Item::PrintSize(d) if recomputed => {
                    for rel in &d.relations {
                        let n = self.relation_len(&rel.name).unwrap_or(0);
                        outcome.stdout.push_str(&format!("{}\t{n}\n", rel.name));
                        outcome.printsizes.push((rel.name.clone(), n));
                    }
                }
                Item::Query(q) if fresh => {
                    let table = self.run_body(&q.body, false)?;
                    outcome.answers.push(Answer {
                        text: self.sources.snippet(q.span).to_string(),
                        span: q.span,
                        table,
                    });
                }
                Item::Assert(a) if fresh => {
                    outcome.assertions.push(self.assertion(a)?);
                }
                Item::Export(e) if fresh => {
                    let table = self.relation(&e.relation.name).ok_or_else(|| {
                        Diagnostics::from(Diagnostic::error(
                            format!("unknown relation `{}`", e.relation.name),
                            e.relation.span,
                        ))
                    })?;
                    let bytes = to_csv_bytes(&table, CsvOptions::default()).map_err(|err| {
                        Diagnostic::error(format!("cannot encode CSV: {err}"), e.span)
                    })?;
                    files.push((PathBuf::from(&e.path), bytes, e.span, ".export"));
                }
                _ => {}
            }
        }
        self.answered = self.program.items.len();
        // Every output is staged before any target changes (see
        // `output::transaction`); an error names the directive.
        let mut staged = Transaction::new();
        for (path, bytes, span, what) in files {
            let note = asked_by(what, span, &self.sources);
            guard_path(&path, crate::fence::Access::Write, span, &note)?;
            staged.stage_for(&path, &bytes, Some(note))?;
        }
        if self.defer_writes {
            outcome.written = staged.targets();
            self.pending.absorb(staged);
        } else {
            outcome.written = staged.commit()?;
        }
        Ok(outcome)
    }

    /// Run-time warnings, with those about literal `match` patterns
    /// replaced by warnings at the pattern in its rule.
    fn placed_warnings(&self, warnings: Vec<String>) -> Vec<String> {
        let placed = crate::lang::patterns::bad_patterns(&self.program);
        let mut out: Vec<String> = placed
            .iter()
            .map(|(_, d)| d.render(&self.sources).trim_end().to_string())
            .collect();
        out.extend(warnings.into_iter().filter(|w| {
            !placed.iter().any(|(pat, _)| {
                *w == format!("warning: invalid regular expression \"{pat}\" in match")
            })
        }));
        out
    }

    fn columns_of(&self, rel: &str) -> Vec<String> {
        self.schema
            .relations
            .get(rel)
            .map(|r| r.columns.clone())
            .unwrap_or_default()
    }

    /// (columns, body text, delimiter) of an output relation.
    fn relation_text(
        &self,
        rel: &str,
        d: &ast::IoDirective,
        order: &OutputOrder,
    ) -> Result<(Vec<String>, String, String), Diagnostics> {
        let Some(db) = &self.db else {
            return Ok((Vec::new(), String::new(), "\t".into()));
        };
        let Some(id) = db.catalog.id(rel) else {
            return Err(Diagnostic::error(format!("unknown relation `{rel}`"), d.span).into());
        };
        let delimiter = param(d, "delimiter").unwrap_or("\t").to_string();
        let info = &db.catalog.rels[id];
        let text = format_rows(
            &db.rows[id],
            &info.types,
            &self.symbols,
            order,
            &delimiter,
            None,
        );
        Ok((info.columns.clone(), text, delimiter))
    }

    /// Reads facts and inputs, compiles and evaluates every stratum.
    ///
    /// With `prev`, the database of this program before items were added
    /// (a rule or fact typed at the REPL prompt), only the relations the
    /// new items affect are computed; the others keep their rows from
    /// `prev` and read as inputs (see [`crate::lang::needed::affected_relations`]).
    fn compute(&mut self, prev: Option<Db>) -> Result<(Db, Vec<String>), Diagnostics> {
        let started = std::time::Instant::now();
        let mut catalog = self.catalog();
        let mut prev = prev.filter(|db| {
            !self.prune && db.items <= self.program.items.len() && db.stored == self.stored.len()
        });
        let affected = prev.as_ref().map(|db| {
            crate::lang::needed::affected_relations(&self.program, &self.program.items[db.items..])
        });
        // The id in `prev` of every relation whose rows are reused.
        let mut reuse_of: Vec<Option<usize>> = catalog
            .rels
            .iter()
            .map(|r| {
                let db = prev.as_ref()?;
                if affected.as_ref()?.contains(&r.name) {
                    return None;
                }
                let old = db.catalog.id(&r.name)?;
                (db.catalog.rels[old].types == r.types).then_some(old)
            })
            .collect();
        let mut errors = Vec::new();
        let mut facts: Vec<Vec<Word>> = catalog.rels.iter().map(|_| Vec::new()).collect();
        let mut extra_rules: Vec<Item> = Vec::new();
        let mut retracted: Vec<(usize, Vec<Word>)> = Vec::new();
        let mut inputs: Vec<Rows> = Vec::new();
        let mut input_rels: Vec<usize> = Vec::new();
        let mut input_warnings: Vec<String> = Vec::new();
        // A pruned (batch) run computes what its outputs need and keeps
        // only the outputs themselves.
        let outputs = self
            .prune
            .then(|| crate::lang::needed::output_relations(&self.program));
        let needed = outputs
            .as_ref()
            .map(|o| crate::lang::needed::needed_relations(&self.program, o));
        let wanted = |name: &str| {
            crate::engine::independent::is_helper(name)
                || needed.as_ref().is_none_or(|n| n.contains(name))
        };
        for item in &self.program.items {
            if let Item::Output(d) | Item::PrintSize(d) = item {
                for rel in &d.relations {
                    if catalog.id(&rel.name).is_none() {
                        errors.push(Diagnostic::error(
                            format!("unknown relation `{}`", rel.name),
                            rel.span,
                        ));
                    }
                }
            }
            if let Item::Export(e) = item
                && catalog.id(&e.relation.name).is_none()
            {
                errors.push(Diagnostic::error(
                    format!("unknown relation `{}`", e.relation.name),
                    e.relation.span,
                ));
            }
        }
        for item in &self.program.items {
            match item {
                Item::Fact(a) | Item::Retract(a) => {
                    let Some(id) = catalog.id(&a.relation.name) else {
                        errors.push(Diagnostic::error(
                            format!("unknown relation `{}`", a.relation.name),
                            a.relation.span,
                        ));
                        continue;
                    };
                    if reuse_of[id].is_some() {
                        continue;
                    }
                    let types = &catalog.rels[id].types;
                    match constant_row(&a.args, types, &mut self.symbols) {
                        Some(row) if row.len() == types.len() => {
                            if matches!(item, Item::Fact(_)) {
                                if types.is_empty() {
                                    facts[id].push(0);
                                } else {
                                    facts[id].extend_from_slice(&row);
                                }
                            } else {
                                retracted.push((id, row));
                            }
                        }
                        _ if matches!(item, Item::Fact(_)) => {
                            // A fact with expressions: evaluate it as a
                            // rule with an empty body.
                            extra_rules.push(Item::Rule(ast::Rule {
                                heads: vec![a.clone()],
                                body: vec![Vec::new()],
                                span: a.span,
                            }));
                        }
                        _ => errors.push(Diagnostic::error(
                            "a retraction must list constants only",
                            a.span,
                        )),
                    }
                }
                Item::Input(d) => {
                    for rel in &d.relations {
                        let Some(id) = catalog.id(&rel.name) else {
                            errors.push(Diagnostic::error(
                                format!("unknown relation `{}`", rel.name),
                                rel.span,
                            ));
                            continue;
                        };
                        let file = param(d, "filename")
                            .map(PathBuf::from)
                            .unwrap_or_else(|| PathBuf::from(format!("{}.facts", rel.name)));
                        let path = if file.is_absolute() {
                            file
                        } else {
                            self.fact_dir.join(file)
                        };
                        if reuse_of[id].is_some() {
                            continue;
                        }
                        let note = asked_by(".input", d.span, &self.sources);
                        if let Err(e) = guard_path(&path, crate::fence::Access::Read, d.span, &note)
                        {
                            errors.push(e);
                            continue;
                        }
                        let at = |e: Diagnostic| e.with_note(note.clone());
                        if let Some(w) = missing_input(&path, &rel.name) {
                            // Soufflé reads a missing file as no rows.
                            input_warnings.push(w);
                            continue;
                        }
                        if !wanted(&rel.name) {
                            if let Err(e) = probe_facts(&path) {
                                errors.push(at(e));
                            }
                            continue;
                        }
                        let delimiter = param(d, "delimiter").unwrap_or("\t");
                        let types = catalog.rels[id].types.clone();
                        let headers = param(d, "headers") == Some("true");
                        match read_facts(&path, &types, delimiter, headers, &mut self.symbols) {
                            Ok(rows) => {
                                inputs.push(rows);
                                input_rels.push(id);
                            }
                            Err(e) => errors.push(at(e)),
                        }
                    }
                }
                _ => {}
            }
        }
        for (id, rel) in catalog.rels.iter().enumerate() {
            let Some(stored) = self.stored.get(&rel.name) else {
                continue;
            };
            if !wanted(&rel.name) || stored.is_empty() || reuse_of[id].is_some() {
                continue;
            }
            if stored.arity == 0 {
                facts[id].push(0);
            } else {
                facts[id].extend_from_slice(&stored.data);
            }
        }
        trace(&format!(
            "facts and inputs read {:.3}s",
            started.elapsed().as_secs_f64()
        ));
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        let mut items: Vec<Item> = self
            .program
            .items
            .iter()
            .filter(|i| matches!(i, Item::Rule(_)))
            .cloned()
            .collect();
        items.extend(extra_rules);
        // Body parts independent of the head become nullary helpers,
        // evaluated once instead of joined through.
        let (items, helpers) = crate::engine::independent::split(items);
        for name in helpers {
            catalog.add(RelInfo {
                name,
                columns: Vec::new(),
                types: Vec::new(),
                eqrel: false,
            });
            facts.push(Vec::new());
            reuse_of.push(None);
        }
        let mut clauses = lower_rules(&catalog, &items, &mut self.symbols)?;
        // Every rule is compiled, so that an unstratifiable or ungrounded
        // one is reported even when no output needs it; a pruned run then
        // evaluates only the rules of needed relations.
        let mut compiled = compile(&catalog, &clauses)?;
        if needed.is_some() || prev.is_some() {
            clauses.retain(|c| match c.target {
                Target::Rel(r) => wanted(&catalog.rels[r].name) && reuse_of[r].is_none(),
                Target::Answer => true,
            });
            compiled = compile(&catalog, &clauses)?;
        }
        // Stated facts, `.input` rows and retractions per relation; input
        // rows are moved, not copied, when they are a relation's only source.
        let mut by_rel: Vec<Vec<Rows>> = catalog.rels.iter().map(|_| Vec::new()).collect();
        for (k, rows) in input_rels.iter().zip(inputs.drain(..)) {
            by_rel[*k].push(rows);
        }
        let mut edb: Vec<Rows> = Vec::with_capacity(catalog.rels.len());
        for (id, data) in facts.into_iter().enumerate() {
            let arity = catalog.rels[id].types.len();
            if let (Some(old), Some(db)) = (reuse_of[id], prev.as_mut()) {
                edb.push(std::mem::replace(&mut db.rows[old], Rows::empty(arity)));
                continue;
            }
            let mut parts = std::mem::take(&mut by_rel[id]);
            let mut rows = match (data.is_empty(), parts.len()) {
                (true, 1) => parts.pop().unwrap_or_else(|| Rows::empty(arity)),
                _ => {
                    let mut data = data;
                    for p in parts {
                        if arity == 0 {
                            if p.len > 0 {
                                data.push(0);
                            }
                        } else {
                            data.extend_from_slice(&p.data);
                        }
                    }
                    Rows::from_unsorted(arity, data)
                }
            };
            let gone: Vec<Word> = retracted
                .iter()
                .filter(|(r, _)| *r == id)
                .flat_map(|(_, row)| row.iter().copied().chain((arity == 0).then_some(0)))
                .collect();
            if !gone.is_empty() {
                let gone = Rows::from_unsorted(arity, gone);
                if arity == 0 {
                    rows = Rows::empty(0);
                } else {
                    let mut kept = Vec::with_capacity(rows.data.len());
                    let mut len = 0;
                    for i in 0..rows.len {
                        if !gone.contains(rows.row(i)) {
                            kept.extend_from_slice(rows.row(i));
                            len += 1;
                        }
                    }
                    rows = Rows {
                        arity,
                        len,
                        data: kept,
                    };
                }
            }
            edb.push(rows);
        }
        drop(inputs);
        let cancel = self.cancel.clone();
        let keep: Vec<bool> = match &outputs {
            Some(o) => catalog.rels.iter().map(|r| o.contains(&r.name)).collect(),
            None => Vec::new(),
        };
        let result = crate::with_width!(compiled.width, W => evaluate::<W>(
            &compiled.strata, edb, &keep, &mut self.symbols, &cancel
        ));
        let (rows, mut warnings) = result.map_err(|_| interrupted(&cancel))?;
        input_warnings.append(&mut warnings);
        let warnings = input_warnings;
        let mut stratum_of = vec![usize::MAX; catalog.rels.len()];
        for (i, s) in compiled.strata.iter().enumerate() {
            for &r in &s.rels {
                stratum_of[r] = i;
            }
        }
        if let Some(db) = &prev {
            for (id, old) in reuse_of.iter().enumerate() {
                if let Some(old) = old {
                    stratum_of[id] = db.stratum_of[*old];
                }
            }
        }
        drop(prev);
        Ok((
            Db {
                catalog,
                rows,
                stratum_of,
                items: self.program.items.len(),
                stored: self.stored.len(),
            },
            warnings,
        ))
    }

    /// Number of tuples of an evaluated relation, without decoding them.
    pub fn relation_len(&self, name: &str) -> Option<usize> {
        let db = self.db.as_ref()?;
        db.catalog.id(name).map(|id| db.rows[id].len)
    }

    /// The decoded, sorted contents of an evaluated relation.
    pub fn relation(&self, name: &str) -> Option<Table> {
        let db = self.db.as_ref()?;
        let id = db.catalog.id(name)?;
        let info = &db.catalog.rels[id];
        Some(self.table(name, &info.columns, &info.types, &db.rows[id]))
    }

    fn table(&self, name: &str, columns: &[String], types: &[ColumnType], rows: &Rows) -> Table {
        let order = OutputOrder::new(&self.symbols);
        let decoded = if rows.arity == 0 {
            (0..rows.len.min(1)).map(|_| Vec::new()).collect()
        } else {
            order
                .sorted_rows(&rows.data, types)
                .into_iter()
                .map(|i| {
                    rows.row(i as usize)
                        .iter()
                        .zip(types)
                        .map(|(&w, &t)| decode(w, t, &self.symbols))
                        .collect()
                })
                .collect()
        };
        Table {
            name: name.to_string(),
            columns: columns.to_vec(),
            types: types.to_vec(),
            rows: decoded,
        }
    }

    /// Answers a query (`?- body.` or a bare body) against the evaluated
    /// database; columns are the named variables in order of appearance.
    pub fn query(&mut self, text: &str) -> Result<Table, Diagnostics> {
        self.cancel.store(false, Ordering::Relaxed);
        if self.db.is_none() || self.dirty {
            self.evaluate()?;
        }
        let q = parser::parse_query(&mut self.sources, "<query>", text)?;
        let mut table = self.run_body(&q.body, false)?;
        table.name = text.trim().to_string();
        self.last_query = Some(q);
        Ok(table)
    }

    /// The query [`Session::query`] answered last, parsed (with its spans),
    /// so that the REPL can check its values ([`crate::kb::values`]).
    pub fn last_query(&self) -> Option<&ast::Query> {
        self.last_query.as_ref()
    }

    /// Whether some row of an evaluated relation holds the symbol `value`
    /// in column `col`, without decoding anything: `None` when the
    /// relation is unknown, has no rows, or the column holds no symbols.
    /// What the value check ([`crate::kb::values`]) asks of every constant.
    pub fn column_holds(&self, name: &str, col: usize, value: &str) -> Option<bool> {
        let db = self.db.as_ref()?;
        let id = db.catalog.id(name)?;
        let ty = *db.catalog.rels[id].types.get(col)?;
        let rows = &db.rows[id];
        if ty != ColumnType::Symbol || rows.len == 0 {
            return None;
        }
        let Some(w) = self.symbols.get(value) else {
            return Some(false);
        };
        Some((0..rows.len).any(|i| rows.row(i)[col] == w))
    }

    /// The distinct values of symbol column `col` of an evaluated relation
    /// (in no particular order), or `None` when there are more than `limit`
    /// of them (an open column of measure texts is no list to suggest
    /// from) or the column holds no symbols.
    pub fn column_values(&self, name: &str, col: usize, limit: usize) -> Option<Vec<String>> {
        let db = self.db.as_ref()?;
        let id = db.catalog.id(name)?;
        if *db.catalog.rels[id].types.get(col)? != ColumnType::Symbol {
            return None;
        }
        let rows = &db.rows[id];
        let mut seen = rustc_hash::FxHashSet::default();
        for i in 0..rows.len {
            seen.insert(rows.row(i)[col]);
            if seen.len() > limit {
                return None;
            }
        }
        Some(
            seen.into_iter()
                .map(|w| self.symbols.resolve(w).to_string())
                .collect(),
        )
    }

    /// Evaluates a query body; with `name_wildcards`, every `_` in a positive
    /// atom becomes a column named after the atom's column (assertions show
    /// whole matching tuples).
    fn run_body(
        &mut self,
        body: &[Vec<ast::Literal>],
        name_wildcards: bool,
    ) -> Result<Table, Diagnostics> {
        let Some(db) = self.db.take() else {
            return Ok(Table::default());
        };
        let result = self.run_body_on(&db, body, name_wildcards);
        self.db = Some(db);
        result
    }

    fn run_body_on(
        &mut self,
        db: &Db,
        body: &[Vec<ast::Literal>],
        name_wildcards: bool,
    ) -> Result<Table, Diagnostics> {
        let mut columns: Vec<String> = Vec::new();
        let mut bodies: Vec<Vec<ast::Literal>> = body.to_vec();
        if name_wildcards {
            for alt in &mut bodies {
                let mut seen: Vec<String> = Vec::new();
                outer_var_names(alt, &[], &mut seen);
                for lit in alt.iter_mut() {
                    if let ast::Literal::Atom(a) = lit {
                        let cols = db
                            .catalog
                            .id(&a.relation.name)
                            .map(|id| db.catalog.rels[id].columns.clone())
                            .unwrap_or_default();
                        for (i, arg) in a.args.iter_mut().enumerate() {
                            if let ast::Expr::Wildcard(span) = arg {
                                let base = cols.get(i).cloned().unwrap_or_else(|| format!("_{i}"));
                                let mut name = base.clone();
                                let mut k = 2;
                                while seen.contains(&name) {
                                    name = format!("{base}{k}");
                                    k += 1;
                                }
                                seen.push(name.clone());
                                *arg = ast::Expr::Var(ast::Ident { name, span: *span });
                            }
                        }
                    }
                }
            }
        }
        if let Some(first) = bodies.first() {
            outer_var_names(first, &[], &mut columns);
        }
        let mut types: Vec<ColumnType> = Vec::new();
        let mut data: Vec<Word> = Vec::new();
        let arity = columns.len();
        for alt in &bodies {
            let head: Vec<ast::Expr> = columns
                .iter()
                .map(|c| {
                    ast::Expr::Var(ast::Ident {
                        name: c.clone(),
                        span: Span::default(),
                    })
                })
                .collect();
            let span = alt.first().map(|l| l.span()).unwrap_or_default();
            // The checker's verdict on the query (types, groundedness)
            // comes first: its messages are the ones programs get.
            let var_types = crate::lang::check::clause_var_types(&self.schema, alt, &[])?;
            let mut lw = Lowerer {
                catalog: &db.catalog,
                symbols: &mut self.symbols,
            };
            let clause = lw.clause(Target::Answer, &head, &[], alt, span)?;
            if types.is_empty() {
                types = clause
                    .head
                    .iter()
                    .zip(&columns)
                    .map(|(e, name)| match e {
                        crate::engine::ir::Expr::Reg(r) => {
                            var_types.get(name).copied().unwrap_or(clause.reg_types[*r])
                        }
                        _ => ColumnType::Symbol,
                    })
                    .collect();
            }
            let mut p = plan(&clause, None, &|_| false)?;
            let accesses = p.number_sources();
            let widest = accesses
                .iter()
                .map(|a| db.catalog.rels[a.rel].types.len())
                .max()
                .unwrap_or(0);
            let width = width_for(widest.max(arity).max(1)).ok_or_else(|| {
                Diagnostics::from(Diagnostic::plain("a query may have at most 32 columns"))
            })?;
            let cancel = self.cancel.clone();
            let result = crate::with_width!(width, W => run_query::<W>(
                &p, &accesses, &db.rows, arity, &mut self.symbols, &cancel
            ));
            let (rows, warnings) = result.map_err(|_| interrupted(&cancel))?;
            for w in warnings {
                eprintln!("{w}");
            }
            if arity == 0 {
                if rows.len > 0 {
                    data.push(0);
                }
            } else {
                data.extend_from_slice(&rows.data);
            }
        }
        let rows = if arity == 0 {
            Rows {
                arity: 0,
                len: usize::from(!data.is_empty()),
                data: Vec::new(),
            }
        } else {
            Rows::from_unsorted(arity, data)
        };
        Ok(self.table("", &columns, &types, &rows))
    }

    fn assertion(&mut self, a: &ast::Assertion) -> Result<AssertionResult, Diagnostics> {
        let mut table = self.run_body(&a.body, true)?;
        let text = self
            .sources
            .snippet(a.span)
            .trim()
            .trim_end_matches('.')
            .trim_end()
            .to_string();
        table.name = text.clone();
        let n = table.len();
        let (passed, detail) = match &a.kind {
            AssertKind::Empty => (
                n == 0,
                if n == 1 {
                    "1 row".to_string()
                } else {
                    format!("{n} rows")
                },
            ),
            AssertKind::Count(op, k) => {
                let m = n as i64;
                let ok = match op {
                    CompareOp::Eq => m == *k,
                    CompareOp::Ne => m != *k,
                    CompareOp::Lt => m < *k,
                    CompareOp::Le => m <= *k,
                    CompareOp::Gt => m > *k,
                    CompareOp::Ge => m >= *k,
                };
                let sym = op.symbol();
                (ok, format!("count is {n}, expected {sym} {k}"))
            }
        };
        if passed {
            table.rows.clear();
        }
        Ok(AssertionResult {
            text,
            span: a.span,
            passed,
            detail,
            offending: table,
        })
    }

    /// Where a stated tuple comes from, for `:why`: the fact file line
    /// (and the document line the importer noted on it) of a stored fact
    /// or a fact in program text. Tuples read from `.input` files have none.
    pub fn fact_provenance(
        &self,
        rel: &str,
        row: &[crate::engine::table::Value],
    ) -> Option<crate::kb::Provenance> {
        if let Some(span) = self.fact_origin(rel, row) {
            return crate::kb::provenance(&self.sources, span);
        }
        let types = &self.schema.relations.get(rel)?.types;
        let words: Vec<Word> = row
            .iter()
            .zip(types)
            .map(|(v, &t)| encode_lookup(v, t, &self.symbols))
            .collect::<Option<_>>()?;
        self.stored.provenance(rel, &words)
    }

    /// The fact item (program text) that stated this tuple, for `:why`.
    /// Tuples read from `.input` files have none.
    pub fn fact_origin(&self, rel: &str, row: &[crate::engine::table::Value]) -> Option<Span> {
        let types = &self.schema.relations.get(rel)?.types;
        let words: Vec<Word> = row
            .iter()
            .zip(types)
            .map(|(v, &t)| encode_lookup(v, t, &self.symbols))
            .collect::<Option<_>>()?;
        for item in &self.program.items {
            if let Item::Fact(a) = item
                && a.relation.name == rel
                && a.args.len() == words.len()
                && a.args
                    .iter()
                    .zip(types)
                    .zip(&words)
                    .all(|((e, &t), &w)| constant_word_lookup(e, t, &self.symbols) == Some(w))
            {
                return Some(a.span);
            }
        }
        None
    }
}

/// The word of a literal constant, interning symbols.
fn constant_word(e: &ast::Expr, ty: ColumnType, symbols: &mut Interner) -> Option<Word> {
    match e {
        ast::Expr::Str(s, _) if ty == ColumnType::Symbol => Some(symbols.intern(s)),
        _ => constant_word_lookup(e, ty, symbols),
    }
}

/// The word of a literal constant without interning.
fn constant_word_lookup(e: &ast::Expr, ty: ColumnType, symbols: &Interner) -> Option<Word> {
    use crate::engine::value::{from_f32, from_i32};
    match (e, ty) {
        (ast::Expr::Str(s, _), ColumnType::Symbol) => symbols.get(s),
        (ast::Expr::Number(n, _), ColumnType::Number) => Some(from_i32(*n as i32)),
        (ast::Expr::Number(n, _), ColumnType::Unsigned) => Some(*n as u32),
        (ast::Expr::Number(n, _), ColumnType::Float) => Some(from_f32(*n as f32)),
        (ast::Expr::Unsigned(n, _), ColumnType::Unsigned) => Some(*n as u32),
        (ast::Expr::Float(x, _), ColumnType::Float) => Some(from_f32(*x as f32)),
        (
            ast::Expr::Unary {
                op: ast::UnOp::Neg,
                arg,
                ..
            },
            ColumnType::Number | ColumnType::Float,
        ) => match arg.as_ref() {
            ast::Expr::Number(n, _) if ty == ColumnType::Number => Some(from_i32(-(*n as i32))),
            ast::Expr::Number(n, _) => Some(from_f32(-(*n as f32))),
            ast::Expr::Float(x, _) => Some(from_f32(-(*x as f32))),
            _ => None,
        },
        _ => None,
    }
}

/// The words of a fact whose arguments are all literal constants.
fn constant_row(
    args: &[ast::Expr],
    types: &[ColumnType],
    symbols: &mut Interner,
) -> Option<Vec<Word>> {
    if args.len() != types.len() {
        return None;
    }
    args.iter()
        .zip(types)
        .map(|(e, &t)| constant_word(e, t, symbols))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::table::Value;

    fn session(text: &str) -> Session {
        let mut s = Session::new().with_output_dir(PathBuf::from("-"));
        s.load_source("t.dl", text).unwrap();
        s
    }

    #[test]
    fn query_relation_and_fact_origin() {
        let mut s = session(
            ".decl e(x: symbol, y: number)\ne(\"a\", 1).\ne(\"b\", 2).\n\
             .decl big(x: symbol)\nbig(x) :- e(x, n), n > 1.\n",
        );
        s.evaluate().unwrap();
        let t = s.query("?- e(x, n), n < 2.").unwrap();
        assert_eq!(t.columns, vec!["x", "n"]);
        assert_eq!(
            t.rows,
            vec![vec![Value::Symbol("a".into()), Value::Number(1)]]
        );
        let big = s.relation("big").unwrap();
        assert_eq!(big.rows, vec![vec![Value::Symbol("b".into())]]);
        let span = s
            .fact_origin("e", &[Value::Symbol("b".into()), Value::Number(2)])
            .unwrap();
        assert_eq!(s.sources().snippet(span), "e(\"b\", 2)");
        assert!(s.fact_origin("big", &[Value::Symbol("b".into())]).is_none());
    }

    #[test]
    fn failed_load_adds_nothing_and_new_rules_reevaluate() {
        let mut s = session(".decl e(x: number)\ne(1).\n");
        assert!(s.load_source("bad.dl", "f(x) :- e(x).").is_err());
        assert_eq!(s.program().items.len(), 2);
        s.evaluate().unwrap();
        s.load_source("more.dl", ".decl f(x: number)\nf(x + 1) :- e(x).\n?- f(y).")
            .unwrap();
        let outcome = s.evaluate().unwrap();
        assert_eq!(outcome.answers.len(), 1);
        assert_eq!(outcome.answers[0].table.rows, vec![vec![Value::Number(2)]]);
        // Only new queries are answered by the next evaluation.
        assert!(s.evaluate().unwrap().answers.is_empty());
    }

    #[test]
    fn bad_queries_are_diagnostics() {
        let mut s = session(".decl e(x: number)\ne(1).\n");
        for q in ["?- nope(x).", "?- e(x", "?- e(x), y > 1.", "?- e(\"a\")."] {
            let err = s.query(q).unwrap_err();
            assert!(err.has_errors(), "{q}");
        }
        assert_eq!(s.query("e(1)").unwrap().rows.len(), 1);
    }

    #[test]
    fn retractions_remove_stated_facts() {
        let mut s = session(".decl e(x: number)\ne(1). e(2). e(3).\n!e(2).\n");
        s.evaluate().unwrap();
        let e = s.relation("e").unwrap();
        assert_eq!(e.rows, vec![vec![Value::Number(1)], vec![Value::Number(3)]]);
    }

    fn rows(s: &mut Session, q: &str) -> Vec<Vec<Value>> {
        s.query(q).unwrap().rows
    }

    #[test]
    fn an_interrupted_rule_is_taken_back() {
        let mut s = session(".decl e(x: number)\ne(1). e(2).\n");
        s.evaluate().unwrap();
        s.load_source(
            "slow.dl",
            ".decl n(x: number)\nn(0).\nn(x + 1) :- n(x), x < 100000000.\n",
        )
        .unwrap();
        let flag = s.cancel_flag();
        let h = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            flag.store(true, Ordering::Relaxed);
        });
        let err = s.evaluate().unwrap_err();
        h.join().unwrap();
        assert!(err.0[0].message.contains("interrupted"));
        assert!(
            err.0[0]
                .notes
                .iter()
                .any(|n| n.contains("taken back: .decl n"))
        );
        assert_eq!(s.program().items.len(), 3);
        assert!(!s.schema().relations.contains_key("n"));
        assert_eq!(
            rows(&mut s, "?- e(x)."),
            [[Value::Number(1)], [Value::Number(2)]]
        );
        assert!(s.query("?- n(x).").is_err());
    }

    #[test]
    fn undo_takes_back_rules_facts_and_retractions() {
        let mut s = session(".decl e(x: number)\ne(1). e(2).\n.decl f(x: number)\n");
        s.evaluate().unwrap();
        s.load_source("r.dl", "f(x + 10) :- e(x).").unwrap();
        assert_eq!(
            rows(&mut s, "?- f(x)."),
            [[Value::Number(11)], [Value::Number(12)]]
        );
        s.load_source("x.dl", "!e(1).").unwrap();
        assert_eq!(rows(&mut s, "?- f(x)."), [[Value::Number(12)]]);
        s.load_source("y.dl", "e(3).").unwrap();
        assert_eq!(rows(&mut s, "?- e(x).").len(), 2);
        assert_eq!(s.undo().as_deref(), Some("e(3)."));
        assert_eq!(s.undo().as_deref(), Some("!e(1)."));
        assert_eq!(
            rows(&mut s, "?- f(x)."),
            [[Value::Number(11)], [Value::Number(12)]]
        );
        assert_eq!(s.undo().as_deref(), Some("f(x + 10) :- e(x)."));
        assert!(rows(&mut s, "?- f(x).").is_empty());
        assert_eq!(s.loads(), 1);
    }

    #[test]
    fn added_rules_and_facts_update_what_they_affect() {
        let mut s = session(
            ".decl e(x: number)\ne(1). e(2).\n.decl f(x: number)\nf(x + 10) :- e(x).\n\
             .decl n(k: number)\nn(k) :- k = count : { f(_) }.\n",
        );
        s.evaluate().unwrap();
        s.load_source("g.dl", ".decl g(x: number)\ng(x) :- e(x), x > 1.")
            .unwrap();
        assert_eq!(rows(&mut s, "?- g(x)."), [[Value::Number(2)]]);
        assert_eq!(
            rows(&mut s, "?- f(x)."),
            [[Value::Number(11)], [Value::Number(12)]]
        );
        s.load_source("e.dl", "e(5).").unwrap();
        assert_eq!(
            rows(&mut s, "?- g(x)."),
            [[Value::Number(2)], [Value::Number(5)]]
        );
        assert_eq!(rows(&mut s, "?- n(k)."), [[Value::Number(3)]]);
        s.load_source("f.dl", "f(0).").unwrap();
        assert_eq!(rows(&mut s, "?- n(k)."), [[Value::Number(4)]]);
        assert_eq!(rows(&mut s, "?- g(x).").len(), 2);
    }

    #[test]
    fn cancel_flag_interrupts() {
        let mut s = session(".decl n(x: number)\nn(0).\nn(x + 1) :- n(x), x < 100000000.\n");
        s.cancel_flag().store(true, Ordering::Relaxed);
        // evaluate() clears the flag when it starts; set it from another
        // thread shortly after instead.
        let flag = s.cancel_flag();
        let h = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            flag.store(true, Ordering::Relaxed);
        });
        let err = s.evaluate().unwrap_err();
        h.join().unwrap();
        assert!(err.0[0].message.contains("interrupted"));
    }
}
