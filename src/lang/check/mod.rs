//! The checker: everything that can be wrong with a parsed program before
//! it runs, reported all at once with spans.
//!
//! Passes, in order: `.type`s resolved to primitives ([`decls`]), `.decl`s
//! collected (and, for the REPL, undeclared rule heads given inferred
//! schemas), then every statement: relations exist and arities agree,
//! types agree ([`typing`]), variables are grounded and `_` stands only
//! where it means something ([`ground`]), facts are ground. The result is
//! a [`CheckedProgram`]: the [`Schema`] and every rule's variable types,
//! which the engine lowers from without checking or inferring again.

mod decls;
pub(crate) mod ground;
mod lint;
mod subtypes;
mod typing;
pub mod vars;

use std::collections::HashSet;

pub use crate::lang::checked::{CheckedProgram, RuleTypes, VarTypes};
pub use crate::lang::schema::{RelationSchema, Schema};

use crate::diag::{Diagnostic, Diagnostics, Location, Span};
use crate::lang::ast::{Atom, Expr, Item, Literal, Program};
use crate::lang::types::ColumnType;
use typing::{Pending, Relations, Typer};

/// How strict the checker is.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// REPL mode: a relation defined by rules or facts but never declared
    /// gets a schema inferred from its heads and bodies instead of an
    /// ``unknown relation`` error.
    pub infer_undeclared: bool,
}

/// Checks a whole program (all files, includes expanded) and returns it
/// checked (its schema and every rule's variable types), or every error
/// found.
pub fn check(program: &Program, options: &CheckOptions) -> Result<CheckedProgram, Diagnostics> {
    let mut errors = Vec::new();
    let mut schema = Schema {
        types: decls::resolve_types(program, &mut errors),
        ..Schema::default()
    };
    schema.records = decls::record_types(program, &schema.types, &mut errors);
    decls::collect_decls(program, &mut schema, &mut errors);
    if options.infer_undeclared {
        decls::infer_undeclared(program, &mut schema, &mut errors);
    }
    let lattice = subtypes::Lattice::new(program);
    let mut checker = Checker {
        schema: &schema,
        lattice: &lattice,
        errors: Vec::new(),
    };
    let mut rules = RuleTypes::default();
    for (k, item) in program.items.iter().enumerate() {
        if let Some(types) = checker.item(item) {
            rules.insert(k, types);
        }
    }
    errors.extend(checker.errors);
    let errors = dedup(errors);
    if errors
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error)
    {
        Err(Diagnostics(errors))
    } else {
        Ok(CheckedProgram { schema, rules })
    }
}

/// Checks items added to a program already checked into `schema`, without
/// checking what was there again (a REPL statement, a fact file a session
/// adds). `program` is the whole program, the added items included.
/// `None` when the items could change the schema — a `.decl`, a `.type`,
/// or, when undeclared relations are inferred, a head of a relation that
/// has no `.decl` — and the whole program must go through [`check`].
/// The added rules' variable types are indexed by their place in `added`
/// (see [`RuleTypes::append`]).
pub fn check_added(
    program: &Program,
    schema: &Schema,
    added: &[Item],
    options: &CheckOptions,
) -> Option<Result<RuleTypes, Diagnostics>> {
    let inferred = |a: &Atom| {
        options.infer_undeclared
            && schema
                .relations
                .get(&a.relation.name)
                .is_none_or(|r| r.inferred)
    };
    let reshapes = added.iter().any(|item| match item {
        Item::Decl(_) | Item::Type(_) => true,
        Item::Fact(a) => inferred(a),
        Item::Rule(r) => r.heads.iter().any(inferred),
        _ => false,
    });
    if reshapes {
        return None;
    }
    let lattice = if added.iter().any(|i| matches!(i, Item::Rule(_))) {
        subtypes::Lattice::new(program)
    } else {
        subtypes::Lattice::default()
    };
    let mut checker = Checker {
        schema,
        lattice: &lattice,
        errors: Vec::new(),
    };
    let mut rules = RuleTypes::default();
    for (k, item) in added.iter().enumerate() {
        if let Some(types) = checker.item(item) {
            rules.insert(k, types);
        }
    }
    let errors = dedup(checker.errors);
    Some(
        if errors
            .iter()
            .any(|d| d.severity == crate::diag::Severity::Error)
        {
            Err(Diagnostics(errors))
        } else {
            Ok(rules)
        },
    )
}

/// Warnings that never fail a run (a variable that occurs only once in a
/// clause, as Soufflé warns). Separate from [`check`] so that callers
/// decide whether to print them.
pub fn warnings(program: &Program) -> Diagnostics {
    Diagnostics(lint::singleton_variables(program))
}

/// The type of every named variable of one conjunction (with its heads),
/// for the engine's plans and the columns of query answers: how a query
/// the program does not hold (typed at the REPL, rewritten by the session)
/// is checked. Fails with the errors of the conjunction, or when the type
/// of a clause-level variable cannot be told (it is then also ungrounded).
pub fn clause_var_types(
    schema: &Schema,
    body: &[Literal],
    heads: &[Atom],
) -> Result<VarTypes, Diagnostics> {
    // A REPL query is checked here for the first time: unknown relations,
    // arities and groundedness come before types, with the messages a
    // program gets (not "cannot infer the type" for a misspelt relation).
    // A query has no heads, so no subtype to check.
    let lattice = subtypes::Lattice::default();
    let mut checker = Checker {
        schema,
        lattice: &lattice,
        errors: Vec::new(),
    };
    for h in heads {
        checker.atom_shape(h);
    }
    checker.clause(heads, body);
    if checker
        .errors
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error)
    {
        return Err(Diagnostics(dedup(checker.errors)));
    }
    let pending = Pending::new();
    let rels = Relations {
        schema,
        pending: &pending,
    };
    let mut typer = Typer::new(&rels);
    typer.run(heads, body);
    let mut errors = typer.take_errors();
    let mut names = Vec::new();
    for h in heads {
        vars::atom_vars(h, &mut names);
    }
    for l in body {
        vars::literal_vars(l, &mut names);
    }
    let out = typer.var_types();
    for v in names {
        if out.of(&v.name).is_none() {
            errors.push(Diagnostic::error(
                format!("cannot infer the type of `{}`", v.name),
                v.span,
            ));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(dedup(errors)))
    }
}

/// One diagnostic per span and message; bodies in normal form repeat
/// literals, so the same mistake would otherwise be reported per branch.
/// Type errors at a span already reported are dropped too.
fn dedup(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    type At = (usize, usize, usize);
    let mut seen: HashSet<(String, Option<At>)> = HashSet::new();
    let mut type_spans: HashSet<At> = HashSet::new();
    let mut out = Vec::new();
    for d in errors {
        let key_span = match &d.location {
            Location::Span(s) => Some((s.file, s.start, s.end)),
            _ => None,
        };
        if d.message.starts_with("type mismatch")
            && let Some(k) = key_span
            && !type_spans.insert(k)
        {
            continue;
        }
        if seen.insert((d.message.clone(), key_span)) {
            out.push(d);
        }
    }
    out
}

struct Checker<'a> {
    schema: &'a Schema,
    lattice: &'a subtypes::Lattice,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Checks one item; a rule's variable types, one per alternative.
    fn item(&mut self, item: &Item) -> Option<Vec<VarTypes>> {
        match item {
            Item::Decl(_) | Item::Type(_) | Item::Pragma(_) => {}
            Item::Input(io) | Item::Output(io) | Item::PrintSize(io) => {
                for r in &io.relations {
                    self.known(&r.name, r.span);
                }
                self.io_kind(io, matches!(item, Item::Output(_)));
            }
            Item::Export(e) => {
                self.known(&e.relation.name, e.relation.span);
                if e.path.trim().is_empty() || e.path.ends_with('/') {
                    self.errors.push(
                        Diagnostic::error("`.export` needs a file name", e.span)
                            .with_label("no file name"),
                    );
                }
            }
            Item::Fact(a) => self.fact(a, "fact"),
            Item::Retract(a) => self.fact(a, "retraction"),
            Item::Rule(r) => {
                for h in &r.heads {
                    self.atom_shape(h);
                }
                let types = r.body.iter().map(|conj| self.clause(&r.heads, conj));
                return Some(types.collect());
            }
            Item::Subsume(s) => {
                self.atom_shape(&s.dominated);
                self.atom_shape(&s.dominating);
                if s.dominated.relation.name != s.dominating.relation.name {
                    self.errors.push(
                        Diagnostic::error(
                            "a subsumptive clause compares two tuples of one relation",
                            s.dominating.relation.span,
                        )
                        .with_label(format!("not `{}`", s.dominated.relation.name)),
                    );
                }
                let rule = s.as_rule();
                let types = rule.body.iter().map(|conj| self.clause(&rule.heads, conj));
                return Some(types.collect());
            }
            Item::Query(q) => {
                for conj in &q.body {
                    self.clause(&[], conj);
                }
            }
            Item::Assert(a) => {
                for conj in &a.body {
                    self.clause(&[], conj);
                }
            }
        }
        None
    }

    /// `IO=` names a kind of file pialog reads or writes: `file` (and
    /// `stdout` for `.output`); Soufflé's `sqlite`, `stdin`, … are refused
    /// here rather than read as a file named by `filename`.
    fn io_kind(&mut self, io: &crate::lang::ast::IoDirective, output: bool) {
        for (key, value) in &io.params {
            if key.name != "IO" {
                continue;
            }
            let known = value == "file" || (output && value == "stdout");
            if !known {
                let allowed = if output {
                    "`file` or `stdout`"
                } else {
                    "`file`"
                };
                self.errors.push(
                    Diagnostic::error(format!("IO={value} is not supported by pialog"), key.span)
                        .with_label("not supported")
                        .with_note(format!("IO can be {allowed}")),
                );
            }
        }
    }

    /// Reports an unknown relation; true when it exists.
    fn known(&mut self, name: &str, span: Span) -> bool {
        if self.schema.relations.contains_key(name) {
            return true;
        }
        let mut d = Diagnostic::error(format!("unknown relation `{name}`"), span)
            .with_label("not declared");
        if let Some(near) = nearest(name, self.schema.relations.keys()) {
            d = d.with_note(format!("did you mean `{near}`?"));
        }
        self.errors.push(d);
        false
    }

    /// Relation exists and the number of arguments matches; true when so.
    fn atom_shape(&mut self, a: &Atom) -> bool {
        if !self.known(&a.relation.name, a.relation.span) {
            return false;
        }
        let Some(r) = self.schema.relations.get(&a.relation.name) else {
            return false;
        };
        if r.arity() != a.args.len() {
            self.errors.push(
                Diagnostic::error(
                    format!(
                        "arity mismatch: `{}` has {} column{}, found {} argument{}",
                        a.relation.name,
                        r.arity(),
                        if r.arity() == 1 { "" } else { "s" },
                        a.args.len(),
                        if a.args.len() == 1 { "" } else { "s" },
                    ),
                    a.span,
                )
                .with_note(format!(
                    ".decl {}({})",
                    r.name,
                    r.columns
                        .iter()
                        .zip(&r.type_names)
                        .map(|(c, t)| format!("{c}: {t}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            return false;
        }
        true
    }

    fn fact(&mut self, a: &Atom, what: &str) {
        if !self.atom_shape(a) {
            return;
        }
        let Some(r) = self.schema.relations.get(&a.relation.name) else {
            return;
        };
        let mut simple = true;
        for (arg, &want) in a.args.iter().zip(&r.types) {
            match arg {
                Expr::Str(..) if want == ColumnType::Symbol => {}
                Expr::Number(..) if want != ColumnType::Symbol => {}
                Expr::Unsigned(..) if want == ColumnType::Unsigned => {}
                Expr::Float(..) if want == ColumnType::Float => {}
                Expr::Wildcard(span) => self.errors.push(
                    Diagnostic::error(
                        format!("`_` in a {what}: a {what} must give every column a value"),
                        *span,
                    )
                    .with_label("not a constant"),
                ),
                other => {
                    let mut names = Vec::new();
                    vars::deep_expr_vars(other, &mut names);
                    let mut aggs = Vec::new();
                    vars::expr_aggregates(other, &mut aggs);
                    if let Some(v) = names.first() {
                        self.errors.push(
                            Diagnostic::error(
                                format!("ungrounded variable `{}` in a {what}: a {what} must be constant", v.name),
                                v.span,
                            )
                            .with_label("not a constant"),
                        );
                    } else if let Some(agg) = aggs.first() {
                        self.errors.push(Diagnostic::error(
                            format!("an aggregate cannot stand in a {what}"),
                            agg.span(),
                        ));
                    } else {
                        simple = false;
                    }
                }
            }
        }
        if !simple {
            // Constant expressions (`1 + 2`, `cat("a", "b")`, a constant of
            // the wrong type): let the typer judge them.
            let pending = Pending::new();
            let rels = Relations {
                schema: self.schema,
                pending: &pending,
            };
            let mut typer = Typer::new(&rels);
            typer.run(std::slice::from_ref(a), &[]);
            self.errors.extend(typer.take_errors());
        }
    }

    /// Checks one conjunction with its heads; its variables' types.
    fn clause(&mut self, heads: &[Atom], body: &[Literal]) -> VarTypes {
        let mut atoms = Vec::new();
        vars::all_atoms(body, &mut atoms);
        for a in atoms {
            self.atom_shape(a);
        }
        let pending = Pending::new();
        let rels = Relations {
            schema: self.schema,
            pending: &pending,
        };
        let mut typer = Typer::new(&rels);
        typer.run(heads, body);
        self.errors.extend(typer.take_errors());
        let inline = !heads.is_empty()
            && heads.iter().all(|h| {
                self.schema
                    .relation(&h.relation.name)
                    .is_some_and(|r| r.is_inline())
            });
        if inline {
            ground::check_inline(heads, body, &mut self.errors);
        } else {
            ground::check(heads, body, &mut self.errors);
        }
        subtypes::check_heads(self.lattice, self.schema, heads, body, &mut self.errors);
        typer.var_types()
    }
}

/// The closest known name (edit distance at most 2, and less than a third
/// of the name), for "did you mean".
fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 2);
    known
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k.as_str())
}

/// Edit distance where swapping two neighbouring characters costs one
/// (the commonest typo).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 2 {
        return usize::MAX;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * w + j] = if i == 0 {
                j
            } else if j == 0 {
                i
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j - 1] + cost)
                    .min(d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                v
            };
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests;
