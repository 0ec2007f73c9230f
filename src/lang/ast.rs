//! The syntax tree every later stage works on.
//!
//! The parser produces it with `#include`s already expanded and bodies
//! already in disjunctive normal form (`a :- b, (c ; d).` becomes two
//! conjunctions), so that the checker and the planner only ever see flat
//! conjunctions of literals. Every node keeps its [`Span`] for diagnostics.

use crate::diag::Span;

/// A name as written, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name (relation, variable, type, column, parameter).
    pub name: String,
    /// Where it stands in the source.
    pub span: Span,
}

/// A whole program: the items of the main file and its includes, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Program {
    /// Top-level statements in source order.
    pub items: Vec<Item>,
}

/// One top-level statement.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `.decl rel(col: type, …)`
    Decl(Decl),
    /// `.type Name <: symbol`, `.type Name = A | B`
    Type(TypeDecl),
    /// `.input rel` / `.input rel(IO=file, filename="x", delimiter=",")`
    Input(IoDirective),
    /// `.output rel` / `.output rel(IO=stdout)`
    Output(IoDirective),
    /// `.printsize rel`
    PrintSize(IoDirective),
    /// `rel(c1, c2).` — a ground fact.
    Fact(Atom),
    /// `!rel(c1, c2).` at top level — retracts a fact loaded from any file
    /// (curated corrections win over imported facts).
    Retract(Atom),
    /// `head1, head2 :- body.`
    Rule(Rule),
    /// `dominated <= dominating :- body.`
    Subsume(Subsumption),
    /// `?- body.` — prints a table of bindings.
    Query(Query),
    /// `.assert empty …` / `.assert count … OP N`
    Assert(Assertion),
    /// `.export rel to "file.csv"`
    Export(Export),
    /// `.pragma "key" "value"`: an option for the whole program (only
    /// `magic-transform` means something to pialog; others are kept and
    /// ignored, as Soufflé ignores the ones it does not know).
    Pragma(Pragma),
}

/// `.pragma "key" "value"` (the value may be absent).
#[derive(Clone, Debug, PartialEq)]
pub struct Pragma {
    /// The option's name, unquoted.
    pub key: String,
    /// Its value, unquoted (`""` when none was written).
    pub value: String,
    /// The whole directive.
    pub span: Span,
}

/// A relation declaration; column names feed table headers and CSV headers.
#[derive(Clone, Debug, PartialEq)]
pub struct Decl {
    /// Relation name.
    pub name: Ident,
    /// Columns in order.
    pub columns: Vec<Column>,
    /// Qualifiers written after the columns (`eqrel`, `brie`, `btree`,
    /// `inline`, `overridable` …), kept so that `eqrel` can be honoured and
    /// the others reported or ignored by later stages.
    pub qualifiers: Vec<Ident>,
    /// `choice-domain` keys: each entry is one key (one column or several
    /// in parentheses) that keeps the first tuple derived for it.
    pub choice: Vec<Vec<Ident>>,
    /// The whole directive.
    pub span: Span,
}

/// One declared column.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Column (attribute) name.
    pub name: Ident,
    /// Type name as written: a primitive or a `.type`.
    pub ty: Ident,
}

/// A user type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDecl {
    /// The new type's name.
    pub name: Ident,
    /// What it is made of.
    pub def: TypeDef,
    /// The whole directive.
    pub span: Span,
}

/// The right-hand side of a `.type`.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeDef {
    /// `.type T <: base`: a subtype.
    Alias(Ident),
    /// `.type T = A | B` — union of types sharing one primitive; with one
    /// member (`.type T = base`) an equivalent name.
    Union(Vec<Ident>),
    /// `.type T = [x: number, next: T]`: a record type (Soufflé's
    /// product type; may refer to itself, and `nil` is its empty value).
    Record(Vec<Column>),
    /// `.type T = A {x: number} | B {}`: an algebraic data type, one
    /// constructor per branch.
    Adt(Vec<AdtBranch>),
}

/// One branch of an algebraic data type: a constructor and its fields.
#[derive(Clone, Debug, PartialEq)]
pub struct AdtBranch {
    /// The constructor's name (written `$Name(…)` in terms).
    pub name: Ident,
    /// Its fields in order.
    pub fields: Vec<Column>,
}

/// `.input`, `.output` and `.printsize`: the relations named and the
/// `key=value` parameters (e.g. `IO=file`, `filename="x.csv"`, `delimiter=","`).
#[derive(Clone, Debug, PartialEq)]
pub struct IoDirective {
    /// One or more relations (`.output a, b`).
    pub relations: Vec<Ident>,
    /// Parameters in order, values unquoted.
    pub params: Vec<(Ident, String)>,
    /// The whole directive.
    pub span: Span,
}

/// A rule with one or more heads; each conjunction of `body` is one
/// alternative of the original disjunction.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Head atoms (all derived from every alternative).
    pub heads: Vec<Atom>,
    /// Disjunctive normal form of the body: never empty.
    pub body: Vec<Vec<Literal>>,
    /// The whole rule.
    pub span: Span,
}

/// A subsumptive clause `r(x0) <= r(x1) :- body.`: a tuple of `r`
/// matching `dominated` is deleted while another tuple of `r` matching
/// `dominating` exists with `body` true (Soufflé's subsumption).
#[derive(Clone, Debug, PartialEq)]
pub struct Subsumption {
    /// The tuple that goes (`r(x0)`).
    pub dominated: Atom,
    /// The tuple that stays (`r(x1)`).
    pub dominating: Atom,
    /// Disjunctive normal form of the body: never empty.
    pub body: Vec<Vec<Literal>>,
    /// The whole clause.
    pub span: Span,
}

impl Subsumption {
    /// The clause as Soufflé reads it, `r(x0) :- r(x0), r(x1), body.`:
    /// both heads are atoms of the body, so checking variables and types
    /// treats it like any rule. Each alternative starts with the two atoms.
    pub fn as_rule(&self) -> Rule {
        Rule {
            heads: vec![self.dominated.clone()],
            body: self
                .body
                .iter()
                .map(|conj| {
                    let mut lits = vec![
                        Literal::Atom(self.dominated.clone()),
                        Literal::Atom(self.dominating.clone()),
                    ];
                    lits.extend(conj.iter().cloned());
                    lits
                })
                .collect(),
            span: self.span,
        }
    }
}

/// `rel(arg, …)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    /// Relation name.
    pub relation: Ident,
    /// Arguments.
    pub args: Vec<Expr>,
    /// The whole atom.
    pub span: Span,
}

/// One element of a rule body.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// A positive atom.
    Atom(Atom),
    /// `!atom`
    Negated(Atom),
    /// `lhs OP rhs`
    Compare {
        /// The operator.
        op: CompareOp,
        /// Left side.
        lhs: Expr,
        /// Right side.
        rhs: Expr,
        /// The whole comparison.
        span: Span,
    },
    /// A predicate functor used as a constraint: `contains(sub, s)`, `match(re, s)`.
    Builtin {
        /// Which predicate.
        pred: BuiltinPred,
        /// Its arguments.
        args: Vec<Expr>,
        /// The whole call.
        span: Span,
    },
    /// `true` / `false`.
    Bool(bool, Span),
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// Predicates written like functors but used as constraints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinPred {
    /// `contains(sub, s)`: `sub` occurs in `s`.
    Contains,
    /// `match(regex, s)`: the whole of `s` matches.
    Match,
    /// `!contains(sub, s)`: `sub` does not occur in `s` (a negated
    /// constraint stays a filter, it never needs a stratum).
    NotContains,
    /// `!match(regex, s)`: `s` does not match as a whole.
    NotMatch,
}

/// A term.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A named variable.
    Var(Ident),
    /// `_`
    Wildcard(Span),
    /// A string literal, escapes resolved.
    Str(String, Span),
    /// A signed integer literal (also hex `0x…` and binary `0b…`).
    Number(i64, Span),
    /// An unsigned literal (`42u`).
    Unsigned(u64, Span),
    /// A float literal (`1.5`).
    Float(f64, Span),
    /// `lhs OP rhs`
    Binary {
        /// Operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
        /// The whole expression.
        span: Span,
    },
    /// `-x`, `bnot x`, `lnot x`
    Unary {
        /// Operator.
        op: UnOp,
        /// Operand.
        arg: Box<Expr>,
        /// The whole expression.
        span: Span,
    },
    /// Value functors: `cat(a, b, …)`, `strlen(s)`, `substr(s, i, n)`,
    /// `to_number(s)`, `to_string(n)`, `min(a, b)`, `max(a, b)`, `ord(s)` …
    Functor {
        /// Which functor.
        func: Functor,
        /// Arguments.
        args: Vec<Expr>,
        /// The whole call.
        span: Span,
    },
    /// `count : { body }`, `sum e : { body }`, `min e : atom` …
    Aggregate {
        /// Which aggregate.
        kind: AggKind,
        /// The aggregated expression (absent for `count`).
        target: Option<Box<Expr>>,
        /// The conjunction aggregated over.
        body: Vec<Literal>,
        /// The whole aggregate.
        span: Span,
    },
    /// `[a, b, …]`: a record built from (or, in a body, matched against)
    /// its fields; its type comes from where it stands.
    Record(Vec<Expr>, Span),
    /// `nil`: the empty record of any record type.
    Nil(Span),
    /// `$Branch(a, …)` (or `$Branch`): a value of an algebraic data type.
    Adt {
        /// The constructor.
        branch: Ident,
        /// Its arguments.
        args: Vec<Expr>,
        /// The whole term.
        span: Span,
    },
}

impl Expr {
    /// True for a record, `nil` or a constructor: a term that, in a body,
    /// may take a bound value apart.
    pub fn is_pattern(&self) -> bool {
        matches!(self, Expr::Record(..) | Expr::Nil(_) | Expr::Adt { .. })
    }

    /// The variables a pattern binds when it takes a value apart: those
    /// standing as fields (at any depth), not inside computed terms.
    pub fn pattern_vars<'a>(&'a self, out: &mut Vec<&'a Ident>) {
        match self {
            Expr::Var(v) => out.push(v),
            Expr::Record(args, _) | Expr::Adt { args, .. } => {
                args.iter().for_each(|a| a.pattern_vars(out))
            }
            _ => {}
        }
    }

    /// True when the term is or contains a record, `nil` or a constructor
    /// (outside aggregates): in a body it may then be a pattern.
    pub fn has_record(&self) -> bool {
        match self {
            Expr::Record(..) | Expr::Nil(_) | Expr::Adt { .. } => true,
            Expr::Binary { lhs, rhs, .. } => lhs.has_record() || rhs.has_record(),
            Expr::Unary { arg, .. } => arg.has_record(),
            Expr::Functor { args, .. } => args.iter().any(Expr::has_record),
            _ => false,
        }
    }
}

impl Expr {
    /// Where the term stands.
    pub fn span(&self) -> Span {
        match self {
            Expr::Var(id) => id.span,
            Expr::Wildcard(s)
            | Expr::Str(_, s)
            | Expr::Number(_, s)
            | Expr::Unsigned(_, s)
            | Expr::Float(_, s)
            | Expr::Nil(s)
            | Expr::Record(_, s) => *s,
            Expr::Binary { span, .. }
            | Expr::Adt { span, .. }
            | Expr::Unary { span, .. }
            | Expr::Functor { span, .. }
            | Expr::Aggregate { span, .. } => *span,
        }
    }
}

impl Expr {
    /// True when a `range(…)` generator occurs in the term (outside
    /// aggregates): the term then has several values.
    pub fn has_range(&self) -> bool {
        match self {
            Expr::Functor {
                func: Functor::Range,
                ..
            } => true,
            Expr::Binary { lhs, rhs, .. } => lhs.has_range() || rhs.has_range(),
            Expr::Unary { arg, .. } => arg.has_range(),
            Expr::Functor { args, .. } | Expr::Record(args, _) | Expr::Adt { args, .. } => {
                args.iter().any(Expr::has_range)
            }
            _ => false,
        }
    }

    /// Calls `f` with the name of every relation read inside the term
    /// (atoms of aggregate bodies), so that a program's dependencies can be
    /// followed without lowering it.
    pub fn each_relation<'a>(&'a self, f: &mut dyn FnMut(&'a str)) {
        match self {
            Expr::Binary { lhs, rhs, .. } => {
                lhs.each_relation(f);
                rhs.each_relation(f);
            }
            Expr::Unary { arg, .. } => arg.each_relation(f),
            Expr::Functor { args, .. } | Expr::Record(args, _) | Expr::Adt { args, .. } => {
                args.iter().for_each(|a| a.each_relation(f))
            }
            Expr::Aggregate { target, body, .. } => {
                if let Some(t) = target {
                    t.each_relation(f);
                }
                body.iter().for_each(|l| l.each_relation(f));
            }
            _ => {}
        }
    }
}

impl Literal {
    /// Calls `f` with the name of every relation the literal reads,
    /// negated and aggregated ones included.
    pub fn each_relation<'a>(&'a self, f: &mut dyn FnMut(&'a str)) {
        match self {
            Literal::Atom(a) | Literal::Negated(a) => {
                f(&a.relation.name);
                a.args.iter().for_each(|e| e.each_relation(f));
            }
            Literal::Compare { lhs, rhs, .. } => {
                lhs.each_relation(f);
                rhs.each_relation(f);
            }
            Literal::Builtin { args, .. } => args.iter().for_each(|e| e.each_relation(f)),
            Literal::Bool(..) => {}
        }
    }
}

impl Literal {
    /// Where the literal stands.
    pub fn span(&self) -> Span {
        match self {
            Literal::Atom(a) | Literal::Negated(a) => a.span,
            Literal::Compare { span, .. } | Literal::Builtin { span, .. } => *span,
            Literal::Bool(_, s) => *s,
        }
    }
}

/// Binary arithmetic, bitwise and logical operators on numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^` (power, as in Soufflé)
    Pow,
    /// `band`
    BitAnd,
    /// `bor`
    BitOr,
    /// `bxor`
    BitXor,
    /// `bshl`
    Shl,
    /// `bshr`
    Shr,
    /// `bshru`
    ShrUnsigned,
    /// `land`
    LogAnd,
    /// `lor`
    LogOr,
    /// `lxor`
    LogXor,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `bnot x`
    BitNot,
    /// `lnot x`
    LogNot,
}

/// Value-producing functors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Functor {
    /// `cat(s, …)`
    Cat,
    /// `strlen(s)`
    Strlen,
    /// `substr(s, start, len)`
    Substr,
    /// `to_number(s)`
    ToNumber,
    /// `to_string(n)`
    ToString,
    /// `to_unsigned(x)`
    ToUnsigned,
    /// `to_float(x)`
    ToFloat,
    /// `ord(s)`: the symbol's id, as in Soufflé.
    Ord,
    /// `min(a, b, …)` as a functor
    Min,
    /// `max(a, b, …)` as a functor
    Max,
    /// `lower(s)` (pialog extension: ASCII/Unicode lower case)
    Lower,
    /// `autoinc()`: 0, 1, 2, … in the order the engine asks for them.
    Autoinc,
    /// `range(from, to[, step])`: every value from `from` up to (not
    /// including) `to`; a generator, one binding per value.
    Range,
    /// `sin(x)`, `log(x)`, … — C's math functions, computed in `double`.
    Math(MathFn),
}

/// The math functors Soufflé takes from C's `<cmath>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathFn {
    /// `sin`
    Sin,
    /// `cos`
    Cos,
    /// `tan`
    Tan,
    /// `asin`
    Asin,
    /// `acos`
    Acos,
    /// `atan`
    Atan,
    /// `sinh`
    Sinh,
    /// `cosh`
    Cosh,
    /// `tanh`
    Tanh,
    /// `asinh`
    Asinh,
    /// `acosh`
    Acosh,
    /// `atanh`
    Atanh,
    /// `log` (natural)
    Log,
    /// `exp`
    Exp,
}

impl MathFn {
    /// Every math functor with its name as written.
    pub const ALL: [(MathFn, &'static str); 14] = [
        (MathFn::Sin, "sin"),
        (MathFn::Cos, "cos"),
        (MathFn::Tan, "tan"),
        (MathFn::Asin, "asin"),
        (MathFn::Acos, "acos"),
        (MathFn::Atan, "atan"),
        (MathFn::Sinh, "sinh"),
        (MathFn::Cosh, "cosh"),
        (MathFn::Tanh, "tanh"),
        (MathFn::Asinh, "asinh"),
        (MathFn::Acosh, "acosh"),
        (MathFn::Atanh, "atanh"),
        (MathFn::Log, "log"),
        (MathFn::Exp, "exp"),
    ];

    /// The name as written.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("", |(_, n)| n)
    }

    /// The function on a `double`.
    pub fn apply(self, x: f64) -> f64 {
        match self {
            MathFn::Sin => x.sin(),
            MathFn::Cos => x.cos(),
            MathFn::Tan => x.tan(),
            MathFn::Asin => x.asin(),
            MathFn::Acos => x.acos(),
            MathFn::Atan => x.atan(),
            MathFn::Sinh => x.sinh(),
            MathFn::Cosh => x.cosh(),
            MathFn::Tanh => x.tanh(),
            MathFn::Asinh => x.asinh(),
            MathFn::Acosh => x.acosh(),
            MathFn::Atanh => x.atanh(),
            MathFn::Log => x.ln(),
            MathFn::Exp => x.exp(),
        }
    }
}

/// Aggregate kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggKind {
    /// `count`
    Count,
    /// `sum`
    Sum,
    /// `min`
    Min,
    /// `max`
    Max,
    /// `mean`
    Mean,
}

/// `?- body.`
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// Alternatives of the body, as in [`Rule::body`].
    pub body: Vec<Vec<Literal>>,
    /// The whole query.
    pub span: Span,
}

/// `.assert empty body` / `.assert count body OP N`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assertion {
    /// What is asserted.
    pub kind: AssertKind,
    /// The rows asserted about (alternatives, as in [`Rule::body`]).
    pub body: Vec<Vec<Literal>>,
    /// The whole assertion (its text is the assertion's name in reports).
    pub span: Span,
}

/// The two assertion forms.
#[derive(Clone, Debug, PartialEq)]
pub enum AssertKind {
    /// No row may match.
    Empty,
    /// The number of distinct matching rows compared with a constant.
    Count(CompareOp, i64),
}

/// `.export rel to "file.csv"` — CSV with a header row.
#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    /// The relation exported.
    pub relation: Ident,
    /// Target path, relative to the current directory.
    pub path: String,
    /// The whole directive.
    pub span: Span,
}

impl CompareOp {
    /// The operator as written, for messages and for printing rules back.
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

impl BinOp {
    /// The operator as written, for messages and for printing rules back.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
            BinOp::BitAnd => "band",
            BinOp::BitOr => "bor",
            BinOp::BitXor => "bxor",
            BinOp::Shl => "bshl",
            BinOp::Shr => "bshr",
            BinOp::ShrUnsigned => "bshru",
            BinOp::LogAnd => "land",
            BinOp::LogOr => "lor",
            BinOp::LogXor => "lxor",
        }
    }
}

impl Functor {
    /// The functor's name as written, for messages and for printing rules back.
    pub fn name(self) -> &'static str {
        match self {
            Functor::Cat => "cat",
            Functor::Strlen => "strlen",
            Functor::Substr => "substr",
            Functor::ToNumber => "to_number",
            Functor::ToString => "to_string",
            Functor::ToUnsigned => "to_unsigned",
            Functor::ToFloat => "to_float",
            Functor::Ord => "ord",
            Functor::Min => "min",
            Functor::Max => "max",
            Functor::Lower => "lower",
            Functor::Autoinc => "autoinc",
            Functor::Range => "range",
            Functor::Math(m) => m.name(),
        }
    }
}

impl AggKind {
    /// The aggregate's keyword as written, for messages and for printing rules back.
    pub fn keyword(self) -> &'static str {
        match self {
            AggKind::Count => "count",
            AggKind::Sum => "sum",
            AggKind::Min => "min",
            AggKind::Max => "max",
            AggKind::Mean => "mean",
        }
    }
}
