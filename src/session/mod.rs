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
//!
//! The type is split along its seams, one concept per file:
//! - `program`: keeping and checking the program, loading, checkpoints, undo;
//! - [`stored`]: ground facts of fact files kept as rows, with retractions;
//! - `compute`: driving compilation and evaluation, incremental and pruned;
//! - [`demand`]: what an evaluation is asked for, answered on demand;
//! - `directives`: carrying out `.output`/`.printsize`/`.export`, files;
//! - `ask`: queries and assertions against the evaluated database;
//! - `provenance`: where a stated tuple comes from.
//!
//! What an evaluation reports besides the database (answers, verdicts,
//! what the program prints, files written, warnings) is data of the layer
//! below, [`crate::output::result`], which every reporter reads.

mod ask;
mod compute;
pub mod demand;
mod directives;
mod program;
mod provenance;
pub mod stored;

pub use crate::output::result::{Answer, AssertionResult, Outcome, Printed};

use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::engine::intern::Interner;
use crate::lang::ast::{self, Program};
use crate::lang::checked::RuleTypes;
use crate::lang::schema::Schema;
use crate::output::transaction::Transaction;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use compute::Db;
use program::Checkpoint;
use provenance::FactOrigins;
use stored::StoredFacts;

/// A loaded program, its evaluation, and the means to query it.
pub struct Session {
    sources: SourceMap,
    program: Program,
    schema: Schema,
    /// The checker's variable types of the program's rules.
    rule_types: RuleTypes,
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
    /// Evaluate only what is asked (see [`Session::with_lazy_evaluation`]).
    lazy: bool,
    /// Fact items by tuple, built on the first [`Session::fact_origin`]
    /// after the program changed.
    origins: std::cell::OnceCell<FactOrigins>,
    /// What each `.printsize` and stdout `.output` last showed, by item and
    /// relation (a size, or a hash of the rows): after a later change at
    /// the prompt only those whose relation changed are shown again, so a
    /// typed fact does not reprint every size and relation of the script.
    shown: std::collections::HashMap<(usize, String), u64>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
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
            rule_types: RuleTypes::default(),
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
            lazy: false,
            origins: std::cell::OnceCell::new(),
            shown: std::collections::HashMap::new(),
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

    /// Evaluates nothing until something is asked: a question (or an
    /// output) computes the relations it reads, restricted by its constants
    /// ([`crate::engine::magic`]), and keeps what it computed whole for the
    /// next one (the REPL on a national knowledge base).
    pub fn with_lazy_evaluation(mut self, on: bool) -> Session {
        self.lazy = on;
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

    /// The checked schema of everything loaded.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// All program texts loaded (for rendering diagnostics).
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// The program texts, for rendering diagnostics after the session is
    /// dropped (a command that failed to open one).
    pub fn into_sources(self) -> SourceMap {
        self.sources
    }

    /// Everything loaded, in order.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Set it to stop a running evaluation or query (Ctrl-C).
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }

    /// Evaluates what is loaded (again only if rules or facts changed since
    /// the last evaluation), writes `.output`/`.export` files and answers
    /// the queries and assertions loaded since the last call.
    pub fn evaluate(&mut self) -> Result<Outcome, Diagnostics> {
        self.cancel.store(false, Ordering::Relaxed);
        let mut outcome = Outcome::default();
        // On demand: the outputs and the questions not answered yet.
        let asked = self.lazy.then(|| crate::engine::magic::Demand {
            whole: demand::whole_outputs(&self.program),
            bodies: demand::bodies(
                &self.program.items[self.answered.min(self.program.items.len())..],
            ),
        });
        let recomputed = match self.refresh(asked.as_ref())? {
            Some(warnings) => {
                outcome.warnings = warnings;
                true
            }
            None => false,
        };
        self.carry_out(recomputed, &mut outcome)?;
        Ok(outcome)
    }
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
    fn added_items_are_checked_against_what_is_loaded() {
        let mut s = session(".decl e(x: number)\n.decl f(x: symbol)\ne(1).\n");
        let err = s.load_source("r.dl", "f(x) :- e(x).").unwrap_err();
        assert!(err.0[0].message.contains("type mismatch"), "{err:?}");
        assert_eq!(s.program().items.len(), 3);
        s.load_source("g.dl", ".decl g(x: number)\ng(x + 1) :- e(x).")
            .unwrap();
        assert_eq!(rows(&mut s, "?- g(x)."), [[Value::Number(2)]]);
        // A relation the REPL infers from its heads is inferred again.
        let mut s = Session::new().with_inferred_declarations(true);
        s.load_source("a", "e(1).").unwrap();
        s.load_source("b", "p(x) :- e(x).").unwrap();
        assert_eq!(rows(&mut s, "?- p(x)."), [[Value::Number(1)]]);
        assert!(s.load_source("c", "p(\"a\").").is_err());
        s.load_source("d", "p(2).").unwrap();
        assert_eq!(rows(&mut s, "?- p(x).").len(), 2);
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
