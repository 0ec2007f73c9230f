//! Asking the evaluated database: relations, queries, assertions, column values.

use super::compute::Db;
use super::{Session, interrupted};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::engine::ir::{Lowerer, Target, outer_var_names};
use crate::engine::plan::plan;
use crate::engine::rows::Rows;
use crate::engine::strata::run_query;
use crate::engine::table::Table;
use crate::engine::value::{OutputOrder, Word, decode};
use crate::engine::width::width_for;
use crate::lang::ast::{self, AssertKind, CompareOp};
use crate::lang::parser;
use crate::lang::types::ColumnType;
use crate::output::result::AssertionResult;
use std::sync::atomic::Ordering;

impl Session {
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
    /// Text is parsed and handed to [`Session::ask`].
    pub fn query(&mut self, text: &str) -> Result<Table, Diagnostics> {
        self.current()?;
        let q = self.parse_query(text)?;
        let mut table = self.ask(&q)?;
        table.name = text.trim().to_string();
        self.last_query = Some(q);
        Ok(table)
    }

    /// Parses a query (`?- body.` or a bare body) into the session's source
    /// map, so that its diagnostics render with the rest; nothing is asked.
    pub fn parse_query(&mut self, text: &str) -> Result<ast::Query, Diagnostics> {
        parser::parse_query(&mut self.sources, "<query>", text)
    }

    /// Answers a parsed query, evaluating first when rules or facts changed
    /// since the last evaluation: what a caller that builds its queries
    /// (`:why`, `:whynot`) asks without writing them out as text. Columns
    /// are the named variables in order of appearance; the table is named
    /// after the query's text when it has one. Errors point at the spans
    /// the query carries.
    pub fn ask(&mut self, q: &ast::Query) -> Result<Table, Diagnostics> {
        self.current()?;
        self.ensure_bodies(&q.body)?;
        let mut table = self.run_body(&q.body, false)?;
        table.name = self.sources.snippet(q.span).trim().to_string();
        Ok(table)
    }

    /// The verdict on a parsed `.assert`, against the evaluated database
    /// (evaluating first when needed), as an evaluation reports it.
    pub fn ask_assertion(&mut self, a: &ast::Assertion) -> Result<AssertionResult, Diagnostics> {
        self.current()?;
        self.ensure_bodies(&a.body)?;
        self.assertion(a)
    }

    /// Evaluates what is loaded when rules or facts changed since the last
    /// evaluation, so that a question sees the program as it is now.
    fn current(&mut self) -> Result<(), Diagnostics> {
        self.cancel.store(false, Ordering::Relaxed);
        if self.db.is_none() || self.dirty {
            self.evaluate()?;
        }
        Ok(())
    }

    /// On demand: computes what the bodies read (restricted by their
    /// constants) unless it is there already.
    fn ensure_bodies(&mut self, body: &[Vec<ast::Literal>]) -> Result<(), Diagnostics> {
        if !self.lazy {
            return Ok(());
        }
        self.ensure(&crate::engine::magic::Demand {
            whole: Vec::new(),
            bodies: body.to_vec(),
        })
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
    pub(super) fn run_body(
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
        let mut misread = Vec::new();
        crate::lang::inline::asked_of(body, &db.inline, &mut misread);
        if !misread.is_empty() {
            return Err(Diagnostics(misread));
        }
        let mut columns: Vec<String> = Vec::new();
        let mut bodies: Vec<Vec<ast::Literal>> = body.to_vec();
        // What the questions were rewritten to read, if they were.
        let renamed: Vec<Option<&Vec<ast::Literal>>> = body
            .iter()
            .map(|alt| db.asked.iter().find(|(o, _)| o == alt).map(|(_, r)| r))
            .collect();
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
        for (k, alt) in bodies.iter().enumerate() {
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
            let mut lowered = alt.clone();
            if let Some(Some(rw)) = renamed.get(k)
                && rw.len() == lowered.len()
            {
                for (l, r) in lowered.iter_mut().zip(rw.iter()) {
                    if let (ast::Literal::Atom(a), ast::Literal::Atom(b)) = (l, r) {
                        a.relation.name = b.relation.name.clone();
                    }
                }
            }
            let clause = lw.clause(Target::Answer, &head, &[], &lowered, &var_types, span)?;
            if types.is_empty() {
                // The answer's columns are its variables, typed by the checker.
                types = clause
                    .head
                    .iter()
                    .map(|e| match e {
                        crate::engine::ir::Expr::Reg(r) => clause.reg_types[*r],
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

    /// Runs an assertion's body (wildcards named after their columns) and
    /// judges the count; the rows are kept only when it fails.
    pub(super) fn assertion(&mut self, a: &ast::Assertion) -> Result<AssertionResult, Diagnostics> {
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
}
