//! Type inference and type checking of one clause (one conjunction).
//!
//! Variables get the primitive type of the columns they stand in, and
//! types flow through `=`, arithmetic and functors until nothing changes;
//! then a last walk reports every place where two types meet that do not
//! agree. Integer literals fit any numeric type (as in Soufflé), so `x + 1`
//! is fine for a `float` x.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::vars;
use crate::diag::{Diagnostic, Span};
use crate::lang::ast::{AggKind, Atom, BinOp, Expr, Functor, Ident, Literal};
use crate::lang::checked::{CLAUSE, VarTypes, aggregate_scope};
use crate::lang::schema::Schema;
use crate::lang::signature::{self, Params, Returns};
use crate::lang::types::ColumnType;

/// What is known about a term's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A primitive type.
    Known(ColumnType),
    /// An integer literal: any numeric type.
    Int,
    /// Nothing known yet.
    Unknown,
}

impl Ty {
    fn describe(self) -> &'static str {
        match self {
            Ty::Known(t) => t.name(),
            Ty::Int => "a number",
            Ty::Unknown => "unknown",
        }
    }

    fn is_symbol(self) -> bool {
        self == Ty::Known(ColumnType::Symbol)
    }

    /// The primitive to use when nothing more precise is known.
    pub fn resolved(self) -> Option<ColumnType> {
        match self {
            Ty::Known(t) => Some(t),
            Ty::Int => Some(ColumnType::Number),
            Ty::Unknown => None,
        }
    }
}

fn compatible(a: Ty, b: Ty) -> bool {
    match (a, b) {
        (Ty::Unknown, _) | (_, Ty::Unknown) | (Ty::Int, Ty::Int) => true,
        (Ty::Int, Ty::Known(t)) | (Ty::Known(t), Ty::Int) => {
            !matches!(t, ColumnType::Symbol | ColumnType::Record(_))
        }
        (Ty::Known(x), Ty::Known(y)) => x == y,
    }
}

/// The more precise of two compatible types.
fn join(a: Ty, b: Ty) -> Ty {
    match (a, b) {
        (Ty::Unknown, t) | (t, Ty::Unknown) => t,
        (Ty::Int, t) | (t, Ty::Int) => t,
        (t, _) => t,
    }
}

/// Column types of relations whose columns are still being inferred
/// (REPL rules without `.decl`); `Ty::Unknown` where not yet known.
pub type Pending = BTreeMap<String, (Vec<String>, Vec<Ty>)>;

/// Relations as the typer sees them: declared ones from the schema, plus
/// those being inferred.
pub struct Relations<'a> {
    /// Declared (and finished inferred) relations.
    pub schema: &'a Schema,
    /// Relations being inferred.
    pub pending: &'a Pending,
}

impl Relations<'_> {
    /// Column names and types of `name`, if it is known.
    fn get(&self, name: &str) -> Option<(Vec<String>, Vec<Ty>)> {
        if let Some(r) = self.schema.relations.get(name) {
            return Some((
                r.columns.clone(),
                r.types.iter().map(|t| Ty::Known(*t)).collect(),
            ));
        }
        self.pending.get(name).cloned()
    }
}

struct VarState {
    ty: Ty,
    origin: String,
}

/// Infers and checks the types of one conjunction with its heads.
pub struct Typer<'a> {
    rels: &'a Relations<'a>,
    vars: HashMap<(usize, String), VarState>,
    declared: HashMap<usize, HashSet<String>>,
    chain: Vec<usize>,
    changed: bool,
    report: bool,
    errors: Vec<Diagnostic>,
}

impl<'a> Typer<'a> {
    /// A typer over the given relations.
    pub fn new(rels: &'a Relations<'a>) -> Self {
        Typer {
            rels,
            vars: HashMap::new(),
            declared: HashMap::new(),
            chain: vec![CLAUSE],
            changed: false,
            report: false,
            errors: Vec::new(),
        }
    }

    /// Infers until stable, then checks; errors go to [`Typer::errors`].
    pub fn run(&mut self, heads: &[Atom], body: &[Literal]) {
        let mut names = Vec::new();
        for h in heads {
            vars::atom_vars(h, &mut names);
        }
        for l in body {
            vars::literal_vars(l, &mut names);
        }
        let scope0 = self.declared.entry(CLAUSE).or_default();
        for v in names {
            scope0.insert(v.name.clone());
        }
        for _ in 0..16 {
            self.changed = false;
            self.walk(heads, body);
            if !self.changed {
                break;
            }
        }
        self.report = true;
        self.walk(heads, body);
        self.report = false;
    }

    /// The diagnostics of the checking walk.
    pub fn take_errors(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.errors)
    }

    /// The type inferred for a variable of the clause level.
    pub fn var_type(&self, name: &str) -> Ty {
        self.vars
            .get(&(CLAUSE, name.to_string()))
            .map(|v| v.ty)
            .unwrap_or(Ty::Unknown)
    }

    /// Every variable's type, per scope, as far as it is known (an
    /// integer literal's variable is a `number`).
    pub fn var_types(&self) -> VarTypes {
        let mut out = VarTypes::default();
        for ((scope, name), state) in &self.vars {
            if let Some(t) = state.ty.resolved() {
                out.insert(*scope, name, t);
            }
        }
        out
    }

    /// The type of a term without variables (a fact argument).
    pub fn constant_type(&mut self, e: &Expr) -> Ty {
        self.report = true;
        let t = self.synth(e);
        self.report = false;
        t
    }

    fn walk(&mut self, heads: &[Atom], body: &[Literal]) {
        for l in body {
            self.literal(l);
        }
        for h in heads {
            self.atom(h);
        }
    }

    fn error(&mut self, d: Diagnostic) {
        if self.report {
            self.errors.push(d);
        }
    }

    fn literal(&mut self, l: &Literal) {
        match l {
            Literal::Atom(a) | Literal::Negated(a) => self.atom(a),
            Literal::Compare { lhs, rhs, span, .. } => {
                let lt = self.synth(lhs);
                let rt = self.synth(rhs);
                if !compatible(lt, rt) {
                    self.error(Diagnostic::error(
                        format!(
                            "type mismatch: cannot compare {} with {}",
                            self.describe(lt),
                            self.describe(rt)
                        ),
                        *span,
                    ));
                    return;
                }
                // Let types flow both ways (`x = y + 1`, `"a" = s`).
                let saved = self.report;
                self.report = false;
                self.expect(lhs, rt, "the other side of the comparison");
                self.expect(rhs, lt, "the other side of the comparison");
                self.report = saved;
            }
            Literal::Builtin { pred, args, .. } => {
                let name = match pred {
                    crate::lang::ast::BuiltinPred::Contains
                    | crate::lang::ast::BuiltinPred::NotContains => "contains",
                    _ => "match",
                };
                for a in args {
                    self.expect(
                        a,
                        Ty::Known(ColumnType::Symbol),
                        &format!("an argument of `{name}`"),
                    );
                }
            }
            Literal::Bool(..) => {}
        }
    }

    fn atom(&mut self, a: &Atom) {
        let Some((columns, types)) = self.rels.get(&a.relation.name) else {
            return;
        };
        if types.len() != a.args.len() {
            return;
        }
        for ((arg, ty), col) in a.args.iter().zip(types).zip(&columns) {
            let ctx = format!("column `{col}` of `{}`", a.relation.name);
            self.expect(arg, ty, &ctx);
        }
    }

    fn resolve(&self, name: &str) -> usize {
        for id in self.chain.iter().rev() {
            if self.declared.get(id).is_some_and(|s| s.contains(name)) {
                return *id;
            }
        }
        0
    }

    fn var_ty(&self, v: &Ident) -> (Ty, String) {
        let key = (self.resolve(&v.name), v.name.clone());
        match self.vars.get(&key) {
            Some(s) => (s.ty, s.origin.clone()),
            None => (Ty::Unknown, String::new()),
        }
    }

    fn set_var(&mut self, v: &Ident, want: Ty, ctx: &str) {
        if want == Ty::Unknown {
            return;
        }
        let key = (self.resolve(&v.name), v.name.clone());
        let state = self.vars.entry(key).or_insert(VarState {
            ty: Ty::Unknown,
            origin: String::new(),
        });
        let cur = state.ty;
        if !compatible(cur, want) {
            let origin = if state.origin.is_empty() {
                String::new()
            } else {
                format!(" ({})", state.origin)
            };
            let msg = format!(
                "type mismatch: {ctx} is {}, but `{}` is {}{origin}",
                self.describe(want),
                v.name,
                self.describe(cur),
            );
            self.error(Diagnostic::error(msg, v.span).with_label("type mismatch"));
            return;
        }
        let new = join(cur, want);
        if new != cur {
            state.ty = new;
            state.origin = format!("from {ctx}");
            self.changed = true;
        }
    }

    /// Checks that `e` can have type `want` (where `ctx` wants it) and
    /// passes the type down to variables.
    fn expect(&mut self, e: &Expr, want: Ty, ctx: &str) {
        match e {
            Expr::Var(v) => self.set_var(v, want, ctx),
            Expr::Wildcard(_) => {}
            Expr::Binary {
                lhs,
                rhs,
                op: BinOp::Add,
                ..
            } if want.is_symbol() => {
                // Soufflé 2.4+: `+` on symbols concatenates.
                self.expect(lhs, want, ctx);
                self.expect(rhs, want, ctx);
            }
            Expr::Binary { lhs, rhs, op, .. } => {
                if want.is_symbol() {
                    self.mismatch(e, want, Ty::Int, ctx);
                    self.synth(e);
                    return;
                }
                let t = self.synth(e);
                let target = join(want, t);
                if matches!(op, BinOp::Shl | BinOp::Shr | BinOp::ShrUnsigned) {
                    self.expect(lhs, target, ctx);
                } else {
                    self.expect(lhs, target, ctx);
                    self.expect(rhs, target, ctx);
                }
            }
            Expr::Unary { arg, .. } => {
                if want.is_symbol() {
                    self.mismatch(e, want, Ty::Int, ctx);
                    return;
                }
                self.expect(arg, want, ctx);
            }
            Expr::Record(fields, span) => self.expect_record(fields, *span, want, ctx),
            Expr::Nil(span) => {
                let records = &self.rels.schema.records;
                match want {
                    Ty::Unknown => {}
                    Ty::Known(ColumnType::Record(id)) if records.fields(id).is_some() => {}
                    _ => self.error(
                        Diagnostic::error(
                            format!(
                                "type mismatch: {ctx} is {}, but `nil` is a record",
                                self.describe(want)
                            ),
                            *span,
                        )
                        .with_label("type mismatch"),
                    ),
                }
            }
            _ => {
                let t = self.synth(e);
                if !compatible(t, want) {
                    self.mismatch(e, want, t, ctx);
                }
            }
        }
    }

    /// A type's name for messages: record types and ADTs by their name.
    fn describe(&self, t: Ty) -> String {
        match t {
            Ty::Known(ColumnType::Record(id)) => {
                format!("`{}`", self.rels.schema.records.name(id))
            }
            _ => t.describe().to_string(),
        }
    }

    /// `[a, b]` where `want` is expected: the fields get the record
    /// type's field types.
    fn expect_record(&mut self, fields: &[Expr], span: Span, want: Ty, ctx: &str) {
        let records = &self.rels.schema.records;
        let id = match want {
            Ty::Unknown => {
                for f in fields {
                    self.synth(f);
                }
                return;
            }
            Ty::Known(ColumnType::Record(id)) => id,
            _ => {
                let msg = format!(
                    "type mismatch: {ctx} is {}, but this is a record",
                    self.describe(want)
                );
                self.error(Diagnostic::error(msg, span).with_label("type mismatch"));
                return;
            }
        };
        let name = records.name(id).to_string();
        let Some(types) = records.fields(id).map(<[_]>::to_vec) else {
            let msg = format!(
                "type mismatch: {ctx} is the algebraic data type `{name}`, but this is a record"
            );
            self.error(
                Diagnostic::error(msg, span)
                    .with_label("type mismatch")
                    .with_note("a value of an algebraic data type is written `$Constructor(…)`"),
            );
            return;
        };
        if types.len() != fields.len() {
            self.error(
                Diagnostic::error(
                    format!(
                        "record arity mismatch: `{name}` has {} field(s), {} given",
                        types.len(),
                        fields.len()
                    ),
                    span,
                )
                .with_label(format!("{ctx} is `{name}`")),
            );
            return;
        }
        for (f, t) in fields.iter().zip(types) {
            let ctx = format!("field `{}` of `{name}`", t.name);
            self.expect(f, Ty::Known(t.ty), &ctx);
        }
    }

    /// `$Branch(args)`: the constructor's type, its arguments checked.
    fn constructor(&mut self, branch: &Ident, args: &[Expr], span: Span) -> Ty {
        let records = &self.rels.schema.records;
        let Some((at, b)) = records.branch(&branch.name) else {
            self.error(
                Diagnostic::error(format!("unknown constructor `${}`", branch.name), span)
                    .with_label("no algebraic data type has this branch"),
            );
            for a in args {
                self.synth(a);
            }
            return Ty::Unknown;
        };
        let fields = b.fields.clone();
        if fields.len() != args.len() {
            self.error(
                Diagnostic::error(
                    format!(
                        "constructor `${}` takes {} argument(s), {} given",
                        branch.name,
                        fields.len(),
                        args.len()
                    ),
                    span,
                )
                .with_label("wrong number of arguments"),
            );
        } else {
            for (a, f) in args.iter().zip(fields) {
                let ctx = format!("field `{}` of `${}`", f.name, branch.name);
                self.expect(a, Ty::Known(f.ty), &ctx);
            }
        }
        Ty::Known(ColumnType::Record(at.adt))
    }

    fn mismatch(&mut self, e: &Expr, want: Ty, have: Ty, ctx: &str) {
        let what = match e {
            Expr::Str(s, _) => format!("the constant \"{s}\""),
            Expr::Number(n, _) => format!("the constant {n}"),
            Expr::Unsigned(n, _) => format!("the constant {n}u"),
            Expr::Float(x, _) => format!("the constant {x}"),
            Expr::Functor { func, .. } => format!("`{}(…)`", func.name()),
            Expr::Aggregate { kind, .. } => format!("the `{}` aggregate", kind.keyword()),
            _ => "this expression".to_string(),
        };
        self.error(
            Diagnostic::error(
                format!(
                    "type mismatch: {ctx} is {}, but {what} is {}",
                    self.describe(want),
                    self.describe(have)
                ),
                e.span(),
            )
            .with_label("type mismatch"),
        );
    }

    /// The type of `e`, checking its parts.
    fn synth(&mut self, e: &Expr) -> Ty {
        match e {
            Expr::Var(v) => self.var_ty(v).0,
            Expr::Wildcard(_) => Ty::Unknown,
            Expr::Str(..) => Ty::Known(ColumnType::Symbol),
            Expr::Number(..) => Ty::Int,
            Expr::Unsigned(..) => Ty::Known(ColumnType::Unsigned),
            Expr::Float(..) => Ty::Known(ColumnType::Float),
            Expr::Binary { op, lhs, rhs, span } => {
                let lt = self.synth(lhs);
                let rt = self.synth(rhs);
                if *op == BinOp::Add && (lt.is_symbol() || rt.is_symbol()) {
                    // Soufflé 2.4+: `+` on two symbols concatenates them.
                    if !compatible(lt, rt) {
                        self.error(Diagnostic::error(
                            format!(
                                "type mismatch: `+` on {} and {}",
                                lt.describe(),
                                rt.describe()
                            ),
                            *span,
                        ));
                        return Ty::Known(ColumnType::Symbol);
                    }
                    let saved = self.report;
                    self.report = false;
                    self.expect(lhs, Ty::Known(ColumnType::Symbol), "the other operand");
                    self.expect(rhs, Ty::Known(ColumnType::Symbol), "the other operand");
                    self.report = saved;
                    return Ty::Known(ColumnType::Symbol);
                }
                let sym = if lt.is_symbol() {
                    Some(lhs)
                } else if rt.is_symbol() {
                    Some(rhs)
                } else {
                    None
                };
                if let Some(side) = sym {
                    self.error(
                        Diagnostic::error(
                            format!("type mismatch: arithmetic `{}` on a symbol", op.symbol()),
                            side.span(),
                        )
                        .with_label("a symbol"),
                    );
                    return Ty::Int;
                }
                let shift = matches!(op, BinOp::Shl | BinOp::Shr | BinOp::ShrUnsigned);
                if !shift && !compatible(lt, rt) {
                    self.error(Diagnostic::error(
                        format!(
                            "type mismatch: `{}` on {} and {}",
                            op.symbol(),
                            lt.describe(),
                            rt.describe()
                        ),
                        *span,
                    ));
                    return lt;
                }
                let t = if shift { lt } else { join(lt, rt) };
                // Unknown operands take the other side's type.
                let saved = self.report;
                self.report = false;
                if t != Ty::Unknown {
                    self.expect(lhs, t, "the other operand");
                    if !shift {
                        self.expect(rhs, t, "the other operand");
                    }
                }
                self.report = saved;
                if t == Ty::Unknown { Ty::Unknown } else { t }
            }
            Expr::Unary { arg, .. } => {
                let t = self.synth(arg);
                if t.is_symbol() {
                    self.error(Diagnostic::error(
                        "type mismatch: arithmetic on a symbol",
                        arg.span(),
                    ));
                    return Ty::Int;
                }
                t
            }
            Expr::Functor { func, args, .. } => self.functor(*func, args),
            Expr::Record(fields, _) => {
                // Typed by where it stands (see `expect_record`).
                for f in fields {
                    self.synth(f);
                }
                Ty::Unknown
            }
            Expr::Nil(_) => Ty::Unknown,
            Expr::Adt { branch, args, span } => self.constructor(branch, args, *span),
            Expr::Aggregate {
                kind,
                target,
                body,
                span,
            } => {
                let scope = aggregate_scope(*span);
                self.enter(scope, target.as_deref(), body);
                for l in body {
                    self.literal(l);
                }
                let t = match target {
                    Some(t) => self.synth(t),
                    None => Ty::Unknown,
                };
                self.chain.pop();
                match kind {
                    AggKind::Count => Ty::Known(ColumnType::Number),
                    AggKind::Mean => {
                        self.numeric_target(target.as_deref(), t, *kind);
                        Ty::Known(ColumnType::Float)
                    }
                    _ => {
                        self.numeric_target(target.as_deref(), t, *kind);
                        t
                    }
                }
            }
        }
    }

    fn numeric_target(&mut self, target: Option<&Expr>, t: Ty, kind: AggKind) {
        if let Some(e) = target
            && kind == AggKind::Mean
            && matches!(t, Ty::Known(ColumnType::Number | ColumnType::Unsigned))
        {
            // Soufflé's `mean` is defined on floats only.
            self.error(
                Diagnostic::error(
                    format!(
                        "type mismatch: `mean` needs a float expression, but this is {}",
                        t.describe()
                    ),
                    e.span(),
                )
                .with_note("convert it with `to_float(…)`"),
            );
            return;
        }
        if let Some(e) = target
            && t.is_symbol()
        {
            self.error(Diagnostic::error(
                format!(
                    "type mismatch: `{}` needs a numeric expression, but this is a symbol",
                    kind.keyword()
                ),
                e.span(),
            ));
        }
    }

    /// Opens the scope of an aggregate: its variables that do not occur
    /// in an enclosing scope are its own.
    fn enter(&mut self, scope: usize, target: Option<&Expr>, body: &[Literal]) {
        if !self.declared.contains_key(&scope) {
            let mut names = Vec::new();
            if let Some(t) = target {
                vars::expr_vars(t, &mut names);
            }
            for l in body {
                vars::literal_vars(l, &mut names);
            }
            let visible: HashSet<String> = names
                .iter()
                .filter(|v| {
                    self.chain
                        .iter()
                        .any(|id| self.declared.get(id).is_some_and(|s| s.contains(&v.name)))
                })
                .map(|v| v.name.clone())
                .collect();
            let locals = names
                .into_iter()
                .map(|v| v.name.clone())
                .filter(|n| !visible.contains(n))
                .collect();
            self.declared.insert(scope, locals);
        }
        self.chain.push(scope);
    }

    /// The type of a functor application, its arguments checked against
    /// the functor's row of the [signature table](crate::lang::signature).
    fn functor(&mut self, func: Functor, args: &[Expr]) -> Ty {
        let sig = signature::of(func);
        let ctx = format!("an argument of `{}`", sig.name);
        let shared = match sig.params {
            Params::Fixed(_) | Params::Each(_) => {
                for (i, a) in args.iter().enumerate() {
                    match sig.param(i) {
                        Some(t) => self.expect(a, Ty::Known(t), &ctx),
                        None => {
                            self.synth(a);
                        }
                    }
                }
                Ty::Unknown
            }
            Params::Convert(_) => {
                for a in args {
                    self.synth(a);
                }
                Ty::Unknown
            }
            Params::Shared(allowed) => {
                let symbols = allowed.contains(&ColumnType::Symbol);
                let mut t = Ty::Unknown;
                for a in args {
                    let at = self.synth(a);
                    if at.is_symbol() && !symbols {
                        self.mismatch(a, Ty::Int, at, &ctx);
                    } else if compatible(t, at) {
                        t = join(t, at);
                    } else {
                        self.mismatch(a, t, at, &ctx);
                    }
                }
                if t != Ty::Unknown {
                    let saved = self.report;
                    self.report = false;
                    for a in args {
                        self.expect(a, t, &ctx);
                    }
                    self.report = saved;
                }
                t
            }
        };
        match sig.returns {
            Returns::Type(t) => Ty::Known(t),
            Returns::Shared => shared,
        }
    }
}
