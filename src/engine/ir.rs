//! Lowering: checked AST clauses -> register-based clauses the planner and
//! evaluator work on.
//!
//! Each DNF alternative of a rule and each of its heads becomes one
//! [`Clause`]. Variables become registers (numbered slots of a small word
//! array that the evaluator reuses for every binding, so no per-tuple
//! allocation); constants are interned words; every expression carries the
//! [`ColumnType`] it computes in (needed because one word may be a symbol
//! id, an `i32`, a `u32` or `f32` bits). Nothing is inferred or checked
//! again here: a register has the type the checker fixed for its variable
//! ([`VarTypes`]), an expression the type read off its parts, a functor
//! application the overload the [signature table](crate::lang::signature)
//! gives for its argument types. A relation the checker did not resolve
//! is a broken invariant ([`unresolved`]), not a user error. Aggregates are lifted out of
//! expressions into [`Lit::Agg`] literals that bind a register, with their
//! own nested register scope: variables of the aggregate body that also
//! occur outside are the outer (injected) variables, as in Soufflé.

use super::intern::Interner;
use super::value::{Word, from_f32, from_i32};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::lang::ast;
use crate::lang::checked::{self, VarTypes};
use crate::lang::signature::{self, Resolved, Returns};
use crate::lang::types::ColumnType;
use std::collections::HashMap;

/// Index of a relation in the [`Catalog`].
pub type RelId = usize;
/// Index of a register of a clause.
pub type Reg = usize;

/// What the engine knows about one relation.
#[derive(Clone, Debug, Default)]
pub struct RelInfo {
    /// Its name.
    pub name: String,
    /// Column names (for headers).
    pub columns: Vec<String>,
    /// Column types (decide how words are decoded, compared, printed).
    pub types: Vec<ColumnType>,
    /// Declared `eqrel`: kept closed under reflexivity/symmetry/transitivity.
    pub eqrel: bool,
    /// `choice-domain` keys (column positions): a tuple whose value of a
    /// key is already held is not added.
    pub choice: Vec<Vec<usize>>,
}

/// All relations of a program, numbered.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    /// Relations by id.
    pub rels: Vec<RelInfo>,
    index: HashMap<String, RelId>,
}

impl Catalog {
    /// Adds (or replaces) a relation and returns its id.
    pub fn add(&mut self, info: RelInfo) -> RelId {
        if let Some(&id) = self.index.get(&info.name) {
            self.rels[id] = info;
            return id;
        }
        let id = self.rels.len();
        self.index.insert(info.name.clone(), id);
        self.rels.push(info);
        id
    }

    /// The id of a relation by name.
    pub fn id(&self, name: &str) -> Option<RelId> {
        self.index.get(name).copied()
    }

    /// The widest relation (decides the tuple width of an evaluation).
    pub fn max_arity(&self) -> usize {
        self.rels.iter().map(|r| r.types.len()).max().unwrap_or(0)
    }
}

/// A lowered expression.
#[derive(Clone, Debug)]
pub enum Expr {
    /// The value of a register.
    Reg(Reg),
    /// A constant word.
    Const(Word),
    /// Binary operator evaluated in type `ty`.
    Bin {
        /// Operator.
        op: ast::BinOp,
        /// Operand (and result) type.
        ty: ColumnType,
        /// Left operand.
        l: Box<Expr>,
        /// Right operand.
        r: Box<Expr>,
    },
    /// Unary operator evaluated in type `ty`.
    Un {
        /// Operator.
        op: ast::UnOp,
        /// Operand type.
        ty: ColumnType,
        /// Operand.
        a: Box<Expr>,
    },
    /// A value functor.
    Func {
        /// Which functor.
        f: ast::Functor,
        /// Argument types.
        arg_tys: Vec<ColumnType>,
        /// Result type.
        ty: ColumnType,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `[a, b, …]`: the id of the record of these values
    /// ([`super::record::RecordStore::pack`]).
    Pack(Vec<Expr>),
    /// Field `index` of the record of `arity` fields that `rec` is; no
    /// value when it is `nil`.
    Field {
        /// The record.
        rec: Box<Expr>,
        /// Its number of fields.
        arity: usize,
        /// Which field.
        index: usize,
    },
}

impl Expr {
    /// Registers read by the expression.
    pub fn regs(&self, out: &mut Vec<Reg>) {
        match self {
            Expr::Reg(r) => out.push(*r),
            Expr::Const(_) => {}
            Expr::Bin { l, r, .. } => {
                l.regs(out);
                r.regs(out);
            }
            Expr::Un { a, .. } => a.regs(out),
            Expr::Func { args, .. } | Expr::Pack(args) => args.iter().for_each(|a| a.regs(out)),
            Expr::Field { rec, .. } => rec.regs(out),
        }
    }
}

/// One argument of a body atom.
#[derive(Clone, Debug)]
pub enum Arg {
    /// `_`
    Wild,
    /// Anything else (a register binds or checks, depending on the plan).
    Expr(Expr),
}

/// A body atom.
#[derive(Clone, Debug)]
pub struct AtomIr {
    /// Relation.
    pub rel: RelId,
    /// Arguments, one per column.
    pub args: Vec<Arg>,
    /// Where it was written.
    pub span: Span,
}

/// An aggregate lifted out of an expression.
#[derive(Clone, Debug)]
pub struct AggIr {
    /// The register receiving the result.
    pub reg: Reg,
    /// Which aggregate.
    pub kind: ast::AggKind,
    /// The aggregated expression and its type.
    pub target: Option<(Expr, ColumnType)>,
    /// The body.
    pub body: Vec<Lit>,
    /// Registers of the enclosing scope the body reads (must be bound first).
    pub outer: Vec<Reg>,
    /// Where it was written.
    pub span: Span,
}

/// A body literal.
#[derive(Clone, Debug)]
pub enum Lit {
    /// Positive atom.
    Pos(AtomIr),
    /// Negated atom (antijoin against a completed relation).
    Neg(AtomIr),
    /// Comparison in type `ty`.
    Cmp {
        /// Operator.
        op: ast::CompareOp,
        /// Operand type.
        ty: ColumnType,
        /// Left side.
        l: Expr,
        /// Right side.
        r: Expr,
        /// Source.
        span: Span,
    },
    /// `contains(sub, s)`, possibly negated.
    Contains {
        /// `!contains`.
        negated: bool,
        /// Needle.
        sub: Expr,
        /// Haystack.
        s: Expr,
    },
    /// `match(re, s)`, possibly negated.
    Match {
        /// `!match`.
        negated: bool,
        /// Pattern.
        re: Expr,
        /// Subject.
        s: Expr,
    },
    /// `true` / `false`.
    Bool(bool),
    /// An aggregate binding a register.
    Agg(AggIr),
    /// `reg = range(from, to[, step])`: one binding per value.
    Range {
        /// The register bound.
        reg: Reg,
        /// The values' type.
        ty: ColumnType,
        /// `from`, `to` and the optional `step`.
        args: Vec<Expr>,
    },
}

/// Where a clause's result goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A relation of the catalog.
    Rel(RelId),
    /// The answer of a query.
    Answer,
    /// A subsumptive clause of the relation: the body starts with the
    /// dominated and the dominating atom, the head is the dominated tuple,
    /// which is deleted. `distinct` clauses also require the two tuples to
    /// differ (one column at a time), for when both read the same tuples.
    Dominated {
        /// The relation.
        rel: RelId,
        /// The clause requires the two tuples to differ.
        distinct: bool,
    },
}

/// One rule alternative for one head.
#[derive(Clone, Debug)]
pub struct Clause {
    /// Where derived tuples go.
    pub target: Target,
    /// Head expressions, one per column.
    pub head: Vec<Expr>,
    /// Body literals (aggregates lifted out).
    pub body: Vec<Lit>,
    /// Register names (for error messages); aggregate-local ones included.
    pub reg_names: Vec<String>,
    /// Span of the first occurrence of each register.
    pub reg_spans: Vec<Span>,
    /// Register types.
    pub reg_types: Vec<ColumnType>,
    /// The rule (or query) it came from.
    pub span: Span,
}

impl Clause {
    /// Number of registers.
    pub fn nregs(&self) -> usize {
        self.reg_names.len()
    }
}

/// Turns AST clauses into [`Clause`]s for one catalog and interner.
pub struct Lowerer<'a> {
    /// Relations.
    pub catalog: &'a Catalog,
    /// Symbols (string constants are interned here).
    pub symbols: &'a mut Interner,
}

struct Scope {
    /// Which scope of the checked clause this is.
    id: checked::Scope,
    vars: HashMap<String, Reg>,
    /// Registers of enclosing scopes read inside this one.
    outer_used: Vec<Reg>,
}

struct ClauseBuilder<'t> {
    /// The checker's types of the clause's variables.
    var_types: &'t VarTypes,
    names: Vec<String>,
    spans: Vec<Span>,
    types: Vec<Option<ColumnType>>,
    scopes: Vec<Scope>,
    lifted: Vec<Lit>,
}

impl ClauseBuilder<'_> {
    fn reg_of(&mut self, id: &ast::Ident) -> Reg {
        let depth = self.scopes.len();
        for d in (0..depth).rev() {
            if let Some(&r) = self.scopes[d].vars.get(&id.name) {
                if d + 1 < depth {
                    for s in &mut self.scopes[d + 1..] {
                        if !s.outer_used.contains(&r) {
                            s.outer_used.push(r);
                        }
                    }
                }
                return r;
            }
        }
        self.new_reg(&id.name, id.span)
    }

    /// A register for a variable of the innermost scope, typed as the
    /// checker typed it there.
    fn new_reg(&mut self, name: &str, span: Span) -> Reg {
        let r = self.names.len();
        let scope = self.scopes.last().map_or(checked::CLAUSE, |s| s.id);
        self.names.push(name.to_string());
        self.spans.push(span);
        self.types.push(self.var_types.get(scope, name));
        if let Some(s) = self.scopes.last_mut() {
            s.vars.insert(name.to_string(), r);
        }
        r
    }

    /// The type an expression computes in, read off its parts: variables
    /// as the checker typed them, functors from the signature table
    /// (`None` for an integer literal, which takes the type its context
    /// wants, and for a variable the checker left untyped).
    fn type_of(&self, e: &ast::Expr) -> Option<ColumnType> {
        let chain: Vec<checked::Scope> = self.scopes.iter().map(|s| s.id).collect();
        expr_type(self.var_types, &chain, e)
    }
}

/// The type of `e` where the scopes `chain` (outermost first) are open;
/// see [`ClauseBuilder::type_of`].
fn expr_type(types: &VarTypes, chain: &[checked::Scope], e: &ast::Expr) -> Option<ColumnType> {
    match e {
        ast::Expr::Var(id) => chain.iter().rev().find_map(|s| types.get(*s, &id.name)),
        // Records take their type from where they stand; constructors in
        // `Lowerer::term_type`.
        ast::Expr::Wildcard(_)
        | ast::Expr::Number(..)
        | ast::Expr::Record(..)
        | ast::Expr::Nil(_)
        | ast::Expr::Adt { .. } => None,
        ast::Expr::Str(..) => Some(ColumnType::Symbol),
        ast::Expr::Unsigned(..) => Some(ColumnType::Unsigned),
        ast::Expr::Float(..) => Some(ColumnType::Float),
        ast::Expr::Binary { lhs, rhs, .. } => {
            expr_type(types, chain, lhs).or_else(|| expr_type(types, chain, rhs))
        }
        ast::Expr::Unary { arg, .. } => expr_type(types, chain, arg),
        ast::Expr::Functor { func, args, .. } => {
            let sig = signature::of(*func);
            match sig.returns {
                Returns::Type(t) => Some(t),
                Returns::Shared => args.iter().find_map(|a| expr_type(types, chain, a)),
            }
        }
        ast::Expr::Aggregate {
            kind, target, span, ..
        } => match kind {
            ast::AggKind::Count => Some(ColumnType::Number),
            ast::AggKind::Mean => Some(ColumnType::Float),
            _ => {
                let mut inner = chain.to_vec();
                inner.push(checked::aggregate_scope(*span));
                target.as_ref().and_then(|t| expr_type(types, &inner, t))
            }
        },
    }
}

/// The error for a relation that reached the engine without the checker
/// resolving it: a broken invariant, not a mistake in the program.
pub fn unresolved(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        format!("internal error: relation `{name}` reached the engine unchecked"),
        span,
    )
    .with_note("the checker resolves every relation before lowering; this is a bug in pialog")
}

/// Names of variables used in a literal list outside aggregates (the outer
/// scope of a clause), in order of first appearance.
pub(crate) fn outer_var_names(
    lits: &[ast::Literal],
    heads: &[&[ast::Expr]],
    out: &mut Vec<String>,
) {
    fn expr(e: &ast::Expr, out: &mut Vec<String>) {
        match e {
            ast::Expr::Var(id) if !out.contains(&id.name) => out.push(id.name.clone()),
            ast::Expr::Binary { lhs, rhs, .. } => {
                expr(lhs, out);
                expr(rhs, out);
            }
            ast::Expr::Unary { arg, .. } => expr(arg, out),
            ast::Expr::Functor { args, .. }
            | ast::Expr::Record(args, _)
            | ast::Expr::Adt { args, .. } => args.iter().for_each(|a| expr(a, out)),
            _ => {}
        }
    }
    for h in heads {
        h.iter().for_each(|e| expr(e, out));
    }
    for l in lits {
        match l {
            ast::Literal::Atom(a) | ast::Literal::Negated(a) => {
                a.args.iter().for_each(|e| expr(e, out))
            }
            ast::Literal::Compare { lhs, rhs, .. } => {
                expr(lhs, out);
                expr(rhs, out);
            }
            ast::Literal::Builtin { args, .. } => args.iter().for_each(|e| expr(e, out)),
            ast::Literal::Bool(..) => {}
        }
    }
}

/// `x = range(…)` (either way round): the variable and the arguments.
fn range_binding<'e>(
    lhs: &'e ast::Expr,
    rhs: &'e ast::Expr,
) -> Option<(&'e ast::Expr, &'e [ast::Expr])> {
    [(lhs, rhs), (rhs, lhs)]
        .into_iter()
        .find_map(|(v, other)| match (v, other) {
            (
                ast::Expr::Var(_),
                ast::Expr::Functor {
                    func: ast::Functor::Range,
                    args,
                    ..
                },
            ) => Some((v, args.as_slice())),
            _ => None,
        })
}

/// `range(…)` in a head or atom argument, or inside a larger term, becomes
/// a variable bound by `v = range(…)` in the body, so that the generator
/// is always a binding of its own.
fn range_terms(
    head: &[ast::Expr],
    body: &[ast::Literal],
) -> Option<(Vec<ast::Expr>, Vec<ast::Literal>)> {
    fn lift(e: &mut ast::Expr, extra: &mut Vec<ast::Literal>) {
        match e {
            ast::Expr::Functor {
                func: ast::Functor::Range,
                span,
                ..
            } => {
                let span = *span;
                let fresh = ast::Expr::Var(ast::Ident {
                    name: format!("<range {}>", extra.len() + 1),
                    span,
                });
                let call = std::mem::replace(e, fresh.clone());
                extra.push(ast::Literal::Compare {
                    op: ast::CompareOp::Eq,
                    lhs: fresh,
                    rhs: call,
                    span,
                });
            }
            ast::Expr::Binary { lhs, rhs, .. } => {
                lift(lhs, extra);
                lift(rhs, extra);
            }
            ast::Expr::Unary { arg, .. } => lift(arg, extra),
            ast::Expr::Functor { args, .. }
            | ast::Expr::Record(args, _)
            | ast::Expr::Adt { args, .. } => args.iter_mut().for_each(|a| lift(a, extra)),
            _ => {}
        }
    }
    let in_body = |l: &ast::Literal| match l {
        ast::Literal::Atom(a) | ast::Literal::Negated(a) => a.args.iter().any(|e| e.has_range()),
        ast::Literal::Compare { lhs, rhs, .. } => {
            range_binding(lhs, rhs).is_none() && (lhs.has_range() || rhs.has_range())
        }
        _ => false,
    };
    if !head.iter().any(|e| e.has_range()) && !body.iter().any(in_body) {
        return None;
    }
    let mut extra = Vec::new();
    let mut head = head.to_vec();
    head.iter_mut().for_each(|e| lift(e, &mut extra));
    let mut body = body.to_vec();
    for l in &mut body {
        if !in_body(l) {
            continue;
        }
        match l {
            ast::Literal::Atom(a) | ast::Literal::Negated(a) => {
                a.args.iter_mut().for_each(|e| lift(e, &mut extra))
            }
            ast::Literal::Compare { lhs, rhs, .. } => {
                lift(lhs, &mut extra);
                lift(rhs, &mut extra);
            }
            _ => {}
        }
    }
    extra.extend(body);
    Some((head, extra))
}

/// Soufflé grounds a variable by an atom even where the same atom also
/// uses it inside an argument expression (`r(n) :- c(n, 2*n).`): such an
/// argument is read into a fresh variable and compared afterwards
/// (`c(n, v), v = 2*n`). An argument whose variables are all bound by
/// literals written before the atom stays as it is, so that it remains an
/// index key. `None` when nothing changes.
fn self_bound_args(body: &[ast::Literal]) -> Option<Vec<ast::Literal>> {
    let binds_elsewhere = |name: &str, before: usize| {
        body[..before].iter().any(|l| match l {
            ast::Literal::Atom(a) => a
                .args
                .iter()
                .any(|e| matches!(e, ast::Expr::Var(v) if v.name == name)),
            ast::Literal::Compare {
                op: ast::CompareOp::Eq,
                lhs,
                rhs,
                ..
            } => [lhs, rhs]
                .iter()
                .any(|e| matches!(e, ast::Expr::Var(v) if v.name == name)),
            _ => false,
        })
    };
    let mut out: Vec<ast::Literal> = Vec::new();
    let mut extra = Vec::new();
    let mut changed = false;
    for (i, l) in body.iter().enumerate() {
        let ast::Literal::Atom(a) = l else {
            out.push(l.clone());
            continue;
        };
        let mut atom = a.clone();
        for arg in &mut atom.args {
            if !matches!(
                arg,
                ast::Expr::Binary { .. } | ast::Expr::Unary { .. } | ast::Expr::Functor { .. }
            ) {
                continue;
            }
            let mut vars = Vec::new();
            crate::lang::check::vars::expr_vars(arg, &mut vars);
            if vars.iter().all(|v| binds_elsewhere(&v.name, i)) {
                continue;
            }
            let span = arg.span();
            let fresh = ast::Expr::Var(ast::Ident {
                name: format!("<argument {}>", extra.len() + 1),
                span,
            });
            let computed = std::mem::replace(arg, fresh.clone());
            extra.push(ast::Literal::Compare {
                op: ast::CompareOp::Eq,
                lhs: fresh,
                rhs: computed,
                span,
            });
            changed = true;
        }
        out.push(ast::Literal::Atom(atom));
    }
    changed.then(|| {
        out.extend(extra);
        out
    })
}

impl<'a> Lowerer<'a> {
    /// Lowers one head of one rule alternative, with the checker's types
    /// of its variables (`types`).
    pub fn clause(
        &mut self,
        target: Target,
        head: &[ast::Expr],
        head_types: &[ColumnType],
        body: &[ast::Literal],
        types: &VarTypes,
        span: Span,
    ) -> Result<Clause, Diagnostics> {
        let ranged = range_terms(head, body);
        let (head, body) = match &ranged {
            Some((h, b)) => (h.as_slice(), b.as_slice()),
            None => (head, body),
        };
        let rewritten = self_bound_args(body);
        let body = rewritten.as_deref().unwrap_or(body);
        let normalised = super::record_terms::normalise(body, head);
        let body = normalised.as_deref().unwrap_or(body);
        let unpack = super::record_terms::unpack_decisions(body, &Default::default());
        // The rewrites above name the terms they move out (`<range 1>`,
        // `<argument 1>`); those variables, which the checker never saw,
        // have the type of the column they now stand in.
        let mut own_types;
        let types = if ranged.is_some() || rewritten.is_some() || normalised.is_some() {
            own_types = types.clone();
            self.type_introduced(&mut own_types, head, head_types, body)?;
            &own_types
        } else {
            types
        };
        let mut b = ClauseBuilder {
            var_types: types,
            names: Vec::new(),
            spans: Vec::new(),
            types: Vec::new(),
            scopes: vec![Scope {
                id: checked::CLAUSE,
                vars: HashMap::new(),
                outer_used: Vec::new(),
            }],
            lifted: Vec::new(),
        };
        // Outer variables get registers first so that aggregate bodies see
        // them as injected rather than local.
        self.pre_register(&mut b, body, head);
        let mut lits = Vec::new();
        for (l, unpack) in body.iter().zip(unpack) {
            let lit = self.lit(&mut b, l, unpack)?;
            lits.push(lit);
        }
        let mut head_ir = Vec::new();
        for (i, e) in head.iter().enumerate() {
            let ty = head_types.get(i).copied();
            head_ir.push(self.expr(&mut b, e, ty)?);
        }
        lits.append(&mut b.lifted);
        let reg_types = b
            .types
            .iter()
            .map(|t| t.unwrap_or(ColumnType::Number))
            .collect();
        Ok(Clause {
            target,
            head: head_ir,
            body: lits,
            reg_names: b.names,
            reg_spans: b.spans,
            reg_types,
            span,
        })
    }

    /// Types the variables lowering introduced (names starting with `<`)
    /// from the atom column or head column each stands in as a whole.
    fn type_introduced(
        &self,
        types: &mut VarTypes,
        head: &[ast::Expr],
        head_types: &[ColumnType],
        body: &[ast::Literal],
    ) -> Result<(), Diagnostics> {
        let mut set = |e: &ast::Expr, ty: ColumnType| {
            if let ast::Expr::Var(id) = e
                && id.name.starts_with('<')
                && types.of(&id.name).is_none()
            {
                types.insert(checked::CLAUSE, &id.name, ty);
            }
        };
        for l in body {
            if let ast::Literal::Atom(a) | ast::Literal::Negated(a) = l {
                let rel = self.rel(a)?;
                for (e, ty) in a.args.iter().zip(&self.catalog.rels[rel].types) {
                    set(e, *ty);
                }
            }
        }
        for (e, ty) in head.iter().zip(head_types) {
            set(e, *ty);
        }
        Ok(())
    }

    fn pre_register(&self, b: &mut ClauseBuilder, body: &[ast::Literal], head: &[ast::Expr]) {
        let mut names = Vec::new();
        outer_var_names(body, &[head], &mut names);
        // Spans: find the first occurrence of each name for messages.
        fn find_span(e: &ast::Expr, name: &str) -> Option<Span> {
            match e {
                ast::Expr::Var(id) if id.name == name => Some(id.span),
                ast::Expr::Binary { lhs, rhs, .. } => {
                    find_span(lhs, name).or_else(|| find_span(rhs, name))
                }
                ast::Expr::Unary { arg, .. } => find_span(arg, name),
                ast::Expr::Functor { args, .. }
                | ast::Expr::Record(args, _)
                | ast::Expr::Adt { args, .. } => args.iter().find_map(|a| find_span(a, name)),
                _ => None,
            }
        }
        for n in names {
            let span = body
                .iter()
                .find_map(|l| match l {
                    ast::Literal::Atom(a) | ast::Literal::Negated(a) => {
                        a.args.iter().find_map(|e| find_span(e, &n))
                    }
                    ast::Literal::Compare { lhs, rhs, .. } => {
                        find_span(lhs, &n).or_else(|| find_span(rhs, &n))
                    }
                    ast::Literal::Builtin { args, .. } => {
                        args.iter().find_map(|e| find_span(e, &n))
                    }
                    ast::Literal::Bool(..) => None,
                })
                .or_else(|| head.iter().find_map(|e| find_span(e, &n)))
                .unwrap_or_default();
            b.reg_of(&ast::Ident { name: n, span });
        }
    }

    /// The relation of an atom the checker resolved (with the arity it
    /// proved).
    fn rel(&self, atom: &ast::Atom) -> Result<RelId, Diagnostics> {
        match self.catalog.id(&atom.relation.name) {
            Some(id) if self.catalog.rels[id].types.len() == atom.args.len() => Ok(id),
            _ => Err(unresolved(&atom.relation.name, atom.relation.span).into()),
        }
    }

    fn lit(
        &mut self,
        b: &mut ClauseBuilder,
        l: &ast::Literal,
        unpack: bool,
    ) -> Result<Lit, Diagnostics> {
        Ok(match l {
            ast::Literal::Compare { lhs, rhs, span, .. } if unpack => {
                let (pattern, value) = if super::record_terms::is_pattern(lhs) {
                    (lhs, rhs)
                } else {
                    (rhs, lhs)
                };
                let ty = self
                    .term_type(b, value)
                    .or_else(|| self.term_type(b, pattern));
                let v = self.expr(b, value, ty)?;
                let mut out = Vec::new();
                self.unpack(b, v, pattern, ty, *span, &mut out)?;
                let mut out = out.into_iter();
                let first = out.next().unwrap_or(Lit::Bool(true));
                b.lifted.extend(out);
                first
            }
            ast::Literal::Atom(a) => Lit::Pos(self.atom(b, a)?),
            ast::Literal::Negated(a) => Lit::Neg(self.atom(b, a)?),
            ast::Literal::Compare {
                op: ast::CompareOp::Eq,
                lhs,
                rhs,
                ..
            } if range_binding(lhs, rhs).is_some() => {
                let (var, args) = range_binding(lhs, rhs).unwrap_or((lhs, &[]));
                let ty = args
                    .iter()
                    .find_map(|a| b.type_of(a))
                    .or_else(|| b.type_of(var))
                    .unwrap_or(ColumnType::Number);
                let ast::Expr::Var(id) = var else {
                    return Err(Diagnostic::error("`range` binds a variable", var.span()).into());
                };
                let reg = b.reg_of(id);
                if b.types[reg].is_none() {
                    b.types[reg] = Some(ty);
                }
                let mut lowered = Vec::with_capacity(args.len());
                for a in args {
                    lowered.push(self.expr(b, a, Some(ty))?);
                }
                Lit::Range {
                    reg,
                    ty,
                    args: lowered,
                }
            }
            ast::Literal::Compare { op, lhs, rhs, span } => {
                let ty = b
                    .type_of(lhs)
                    .or_else(|| b.type_of(rhs))
                    .unwrap_or(ColumnType::Number);
                let l = self.expr(b, lhs, Some(ty))?;
                let r = self.expr(b, rhs, Some(ty))?;
                Lit::Cmp {
                    op: *op,
                    ty,
                    l,
                    r,
                    span: *span,
                }
            }
            ast::Literal::Builtin { pred, args, span } => {
                if args.len() != 2 {
                    return Err(Diagnostic::error(
                        "arity mismatch: this predicate takes 2 arguments",
                        *span,
                    )
                    .into());
                }
                let x = self.expr(b, &args[0], Some(ColumnType::Symbol))?;
                let y = self.expr(b, &args[1], Some(ColumnType::Symbol))?;
                match pred {
                    ast::BuiltinPred::Contains => Lit::Contains {
                        negated: false,
                        sub: x,
                        s: y,
                    },
                    ast::BuiltinPred::NotContains => Lit::Contains {
                        negated: true,
                        sub: x,
                        s: y,
                    },
                    ast::BuiltinPred::Match => Lit::Match {
                        negated: false,
                        re: x,
                        s: y,
                    },
                    ast::BuiltinPred::NotMatch => Lit::Match {
                        negated: true,
                        re: x,
                        s: y,
                    },
                }
            }
            ast::Literal::Bool(v, _) => Lit::Bool(*v),
        })
    }

    fn atom(&mut self, b: &mut ClauseBuilder, a: &ast::Atom) -> Result<AtomIr, Diagnostics> {
        let rel = self.rel(a)?;
        let types = self.catalog.rels[rel].types.clone();
        let mut args = Vec::with_capacity(a.args.len());
        for (e, ty) in a.args.iter().zip(types) {
            args.push(match e {
                ast::Expr::Wildcard(_) => Arg::Wild,
                e => Arg::Expr(self.expr(b, e, Some(ty))?),
            });
        }
        Ok(AtomIr {
            rel,
            args,
            span: a.span,
        })
    }

    fn expr(
        &mut self,
        b: &mut ClauseBuilder,
        e: &ast::Expr,
        expected: Option<ColumnType>,
    ) -> Result<Expr, Diagnostics> {
        use ast::Functor as F;
        Ok(match e {
            ast::Expr::Var(id) => {
                let r = b.reg_of(id);
                if b.types[r].is_none() {
                    b.types[r] = expected;
                }
                Expr::Reg(r)
            }
            ast::Expr::Wildcard(span) => {
                return Err(
                    Diagnostic::error("`_` cannot be used here: it has no value", *span).into(),
                );
            }
            ast::Expr::Str(s, _) => Expr::Const(self.symbols.intern(s)),
            ast::Expr::Number(n, _) => Expr::Const(match expected {
                Some(ColumnType::Float) => from_f32(*n as f32),
                Some(ColumnType::Unsigned) => *n as u32,
                _ => from_i32(*n as i32),
            }),
            ast::Expr::Unsigned(n, _) => Expr::Const(match expected {
                Some(ColumnType::Float) => from_f32(*n as f32),
                _ => *n as u32,
            }),
            ast::Expr::Float(x, _) => Expr::Const(from_f32(*x as f32)),
            ast::Expr::Binary { op, lhs, rhs, .. } => {
                let ty = b
                    .type_of(lhs)
                    .or_else(|| b.type_of(rhs))
                    .or(expected)
                    .unwrap_or(ColumnType::Number);
                if ty == ColumnType::Symbol && *op == ast::BinOp::Add {
                    // Soufflé 2.4+: `+` on symbols concatenates.
                    let l = self.expr(b, lhs, Some(ty))?;
                    let r = self.expr(b, rhs, Some(ty))?;
                    return Ok(Expr::Func {
                        f: F::Cat,
                        arg_tys: vec![ty, ty],
                        ty,
                        args: vec![l, r],
                    });
                }
                let ty = if ty == ColumnType::Symbol {
                    ColumnType::Number
                } else {
                    ty
                };
                Expr::Bin {
                    op: *op,
                    ty,
                    l: Box::new(self.expr(b, lhs, Some(ty))?),
                    r: Box::new(self.expr(b, rhs, Some(ty))?),
                }
            }
            ast::Expr::Unary { op, arg, .. } => {
                let ty = b.type_of(arg).or(expected).unwrap_or(ColumnType::Number);
                Expr::Un {
                    op: *op,
                    ty,
                    a: Box::new(self.expr(b, arg, Some(ty))?),
                }
            }
            ast::Expr::Functor { func, args, span } => {
                let sig = signature::of(*func);
                if !sig.takes(args.len()) {
                    // The parser reads arities from the same table.
                    return Err(Diagnostic::error(
                        format!(
                            "internal error: `{}` with {} arguments",
                            sig.name,
                            args.len()
                        ),
                        *span,
                    )
                    .into());
                }
                let known: Vec<Option<ColumnType>> = args.iter().map(|a| b.type_of(a)).collect();
                let Resolved {
                    args: arg_tys,
                    result: ty,
                } = sig.resolve(&known, expected);
                let mut lowered = Vec::with_capacity(args.len());
                for (a, t) in args.iter().zip(&arg_tys) {
                    lowered.push(self.expr(b, a, Some(*t))?);
                }
                Expr::Func {
                    f: *func,
                    arg_tys,
                    ty,
                    args: lowered,
                }
            }
            ast::Expr::Nil(_) => Expr::Const(0),
            ast::Expr::Record(fields, _) => {
                let types = self.field_types(expected, fields.len());
                let mut lowered = Vec::with_capacity(fields.len());
                for (f, t) in fields.iter().zip(types) {
                    lowered.push(self.expr(b, f, t)?);
                }
                Expr::Pack(lowered)
            }
            ast::Expr::Adt { branch, args, span } => {
                let (index, types, is_enum) = self.constructor(branch, args.len(), *span)?;
                if is_enum {
                    return Ok(Expr::Const(index));
                }
                let mut lowered = Vec::with_capacity(args.len());
                for (a, t) in args.iter().zip(types) {
                    lowered.push(self.expr(b, a, Some(t))?);
                }
                let payload = if lowered.len() == 1 {
                    lowered.remove(0)
                } else {
                    Expr::Pack(lowered)
                };
                Expr::Pack(vec![Expr::Const(index), payload])
            }
            ast::Expr::Aggregate {
                kind,
                target,
                body,
                span,
            } => {
                let reg = b.names.len();
                b.names.push(format!("<aggregate@{}>", span.start));
                b.spans.push(*span);
                b.types.push(None);
                b.scopes.push(Scope {
                    id: checked::aggregate_scope(*span),
                    vars: HashMap::new(),
                    outer_used: Vec::new(),
                });
                // Local variables (those no enclosing scope has) get their
                // registers, typed as the checker typed them in this scope,
                // before anything is lowered.
                let mut local_names = Vec::new();
                outer_var_names(body, &[], &mut local_names);
                if let Some(t) = target {
                    outer_var_names(&[], &[std::slice::from_ref(t.as_ref())], &mut local_names);
                }
                for n in &local_names {
                    let known = b.scopes[..b.scopes.len() - 1]
                        .iter()
                        .any(|s| s.vars.contains_key(n));
                    if !known {
                        b.new_reg(n, *span);
                    }
                }
                let saved = std::mem::take(&mut b.lifted);
                let mut lits = Vec::new();
                let outer: std::collections::HashSet<String> = b.scopes[..b.scopes.len() - 1]
                    .iter()
                    .flat_map(|s| s.vars.keys().cloned())
                    .collect();
                let unpack = super::record_terms::unpack_decisions(body, &outer);
                for (l, unpack) in body.iter().zip(unpack) {
                    lits.push(self.lit(b, l, unpack)?);
                }
                let target_ir = match target {
                    Some(t) => {
                        let tty = b.type_of(t).unwrap_or(ColumnType::Number);
                        Some((self.expr(b, t, Some(tty))?, tty))
                    }
                    None => None,
                };
                lits.append(&mut b.lifted);
                b.lifted = saved;
                let scope = b.scopes.pop().map(|s| s.outer_used).unwrap_or_default();
                let rty = match kind {
                    ast::AggKind::Count => ColumnType::Number,
                    ast::AggKind::Mean => ColumnType::Float,
                    _ => target_ir
                        .as_ref()
                        .map(|(_, t)| *t)
                        .unwrap_or(ColumnType::Number),
                };
                if *kind != ast::AggKind::Count && target_ir.is_none() {
                    return Err(Diagnostic::error(
                        "this aggregate needs an expression to aggregate",
                        *span,
                    )
                    .into());
                }
                b.types[reg] = Some(rty);
                b.lifted.push(Lit::Agg(AggIr {
                    reg,
                    kind: *kind,
                    target: target_ir,
                    body: lits,
                    outer: scope,
                    span: *span,
                }));
                Expr::Reg(reg)
            }
        })
    }
}

impl Lowerer<'_> {
    /// The type of a term: a constructor's is its type's, others as the
    /// checker typed them.
    fn term_type(&self, b: &ClauseBuilder, e: &ast::Expr) -> Option<ColumnType> {
        match e {
            ast::Expr::Adt { branch, .. } => self
                .symbols
                .records
                .types
                .branch(&branch.name)
                .map(|(r, _)| ColumnType::Record(r.adt)),
            e => b.type_of(e),
        }
    }

    /// The field types of a record of `n` fields standing where `expected`
    /// is wanted (unknown when that is not a record type of `n` fields).
    fn field_types(&self, expected: Option<ColumnType>, n: usize) -> Vec<Option<ColumnType>> {
        match expected {
            Some(ColumnType::Record(id)) => match self.symbols.records.types.fields(id) {
                Some(fs) if fs.len() == n => fs.iter().map(|f| Some(f.ty)).collect(),
                _ => vec![None; n],
            },
            _ => vec![None; n],
        }
    }

    /// A constructor's branch index, field types and whether its type is
    /// an enumeration.
    fn constructor(
        &self,
        branch: &ast::Ident,
        n: usize,
        span: Span,
    ) -> Result<(Word, Vec<ColumnType>, bool), Diagnostics> {
        let types = &self.symbols.records.types;
        match types.branch(&branch.name) {
            Some((r, b)) if b.fields.len() == n => Ok((
                r.index,
                b.fields.iter().map(|f| f.ty).collect(),
                types.is_enum(r.adt),
            )),
            _ => Err(Diagnostic::error(
                format!(
                    "unknown constructor `${}` with {n} argument(s)",
                    branch.name
                ),
                span,
            )
            .into()),
        }
    }

    /// The literals that take the value `v` apart by `pattern`: each
    /// field is equated with its part of the pattern (binding a variable,
    /// or comparing), nested patterns in turn.
    fn unpack(
        &mut self,
        b: &mut ClauseBuilder,
        v: Expr,
        pattern: &ast::Expr,
        ty: Option<ColumnType>,
        span: Span,
        out: &mut Vec<Lit>,
    ) -> Result<(), Diagnostics> {
        let record_ty = ty.unwrap_or(ColumnType::Number);
        let eq = |l: Expr, r: Expr, ty: ColumnType| Lit::Cmp {
            op: ast::CompareOp::Eq,
            ty,
            l,
            r,
            span,
        };
        match pattern {
            ast::Expr::Wildcard(_) => {}
            ast::Expr::Nil(_) => out.push(eq(v, Expr::Const(0), record_ty)),
            ast::Expr::Record(fields, _) => {
                let n = fields.len();
                if fields.iter().all(|f| matches!(f, ast::Expr::Wildcard(_))) {
                    // `[_, _]` matches any record but `nil`.
                    out.push(Lit::Cmp {
                        op: ast::CompareOp::Ne,
                        ty: record_ty,
                        l: v,
                        r: Expr::Const(0),
                        span,
                    });
                    return Ok(());
                }
                let types = self.field_types(ty, n);
                for (i, (f, t)) in fields.iter().zip(types).enumerate() {
                    let part = Expr::Field {
                        rec: Box::new(v.clone()),
                        arity: n,
                        index: i,
                    };
                    self.unpack(b, part, f, t, span, out)?;
                }
            }
            ast::Expr::Adt {
                branch,
                args,
                span: at,
            } => {
                let (index, types, is_enum) = self.constructor(branch, args.len(), *at)?;
                if is_enum {
                    out.push(eq(v, Expr::Const(index), record_ty));
                    return Ok(());
                }
                let part = |i| Expr::Field {
                    rec: Box::new(v.clone()),
                    arity: 2,
                    index: i,
                };
                out.push(eq(part(0), Expr::Const(index), ColumnType::Number));
                match args.as_slice() {
                    [] => {}
                    [one] => self.unpack(b, part(1), one, types.first().copied(), span, out)?,
                    many => {
                        let n = many.len();
                        for (i, (a, t)) in many.iter().zip(types).enumerate() {
                            let field = Expr::Field {
                                rec: Box::new(part(1)),
                                arity: n,
                                index: i,
                            };
                            self.unpack(b, field, a, Some(t), span, out)?;
                        }
                    }
                }
            }
            other => {
                let t = ty.or_else(|| self.term_type(b, other));
                let x = self.expr(b, other, t)?;
                out.push(eq(x, v, t.unwrap_or(ColumnType::Number)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! Small AST builders shared by the engine's unit tests.
    use super::*;
    use crate::lang::checked::CheckedRule;

    pub fn sp() -> Span {
        Span::default()
    }
    pub fn id(n: &str) -> ast::Ident {
        ast::Ident {
            name: n.into(),
            span: sp(),
        }
    }
    pub fn var(n: &str) -> ast::Expr {
        if n == "_" {
            ast::Expr::Wildcard(sp())
        } else {
            ast::Expr::Var(id(n))
        }
    }
    pub fn num(n: i64) -> ast::Expr {
        ast::Expr::Number(n, sp())
    }
    pub fn atom(rel: &str, args: Vec<ast::Expr>) -> ast::Atom {
        ast::Atom {
            relation: id(rel),
            args,
            span: sp(),
        }
    }
    pub fn pos(rel: &str, args: Vec<ast::Expr>) -> ast::Literal {
        ast::Literal::Atom(atom(rel, args))
    }
    pub fn neg(rel: &str, args: Vec<ast::Expr>) -> ast::Literal {
        ast::Literal::Negated(atom(rel, args))
    }
    pub fn cmp(op: ast::CompareOp, l: ast::Expr, r: ast::Expr) -> ast::Literal {
        ast::Literal::Compare {
            op,
            lhs: l,
            rhs: r,
            span: sp(),
        }
    }
    /// The rules of `items` without variable types: the tests' relations
    /// are all `number`, which is what lowering assumes of an untyped
    /// variable.
    pub fn untyped(items: &[ast::Item]) -> Vec<CheckedRule> {
        items
            .iter()
            .filter_map(|i| match i {
                ast::Item::Rule(r) => Some(CheckedRule::without_variables(r.clone())),
                _ => None,
            })
            .collect()
    }

    pub fn rule(head: ast::Atom, body: Vec<ast::Literal>) -> ast::Item {
        ast::Item::Rule(ast::Rule {
            heads: vec![head],
            body: vec![body],
            span: sp(),
        })
    }

    #[test]
    fn aggregate_outer_variables_are_injected() {
        let mut cat = Catalog::default();
        for (n, a) in [("a", 2), ("c", 2)] {
            cat.add(RelInfo {
                name: n.into(),
                columns: (0..a).map(|i| format!("c{i}")).collect(),
                types: vec![ColumnType::Number; a],
                eqrel: false,
                ..Default::default()
            });
        }
        let mut sy = Interner::new();
        let mut lw = Lowerer {
            catalog: &cat,
            symbols: &mut sy,
        };
        let agg = ast::Expr::Aggregate {
            kind: ast::AggKind::Sum,
            target: Some(Box::new(var("y"))),
            body: vec![pos("a", vec![var("x"), var("y")])],
            span: sp(),
        };
        let body = vec![
            pos("a", vec![var("x"), var("_")]),
            cmp(ast::CompareOp::Eq, var("n"), agg),
        ];
        let c = lw
            .clause(
                Target::Rel(1),
                &[var("x"), var("n")],
                &[ColumnType::Number; 2],
                &body,
                &VarTypes::default(),
                sp(),
            )
            .unwrap();
        let Some(Lit::Agg(a)) = c.body.last() else {
            panic!("aggregate not lifted");
        };
        assert_eq!(a.outer, vec![0]);
        assert_eq!(c.reg_names[0], "x");
    }
}
