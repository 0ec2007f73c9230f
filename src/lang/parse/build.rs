//! From pest's parse tree to the [`ast`](crate::lang::ast).
//!
//! The grammar accepts a little more than pialog implements (Soufflé's
//! counters, user functors …) so that those constructs get a precise
//! "not supported" diagnostic here. Errors are collected, not returned
//! early, so one run reports every problem of a file; a node that failed
//! is replaced by a harmless placeholder to keep building.

use std::cell::{Cell, RefCell};
use std::sync::LazyLock;

use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::dnf::{self, Dnf};
use super::grammar::Rule;
use crate::diag::{Diagnostic, FileId, Span};
use crate::lang::ast::{
    AdtBranch, AggKind, AssertKind, Assertion, Atom, BinOp, BuiltinPred, Column, CompareOp, Decl,
    Export, Expr, Functor, Ident, IoDirective, Item, Literal, Pragma, Query, Rule as AstRule,
    Subsumption, TypeDecl, TypeDef, UnOp,
};
use crate::lang::comp::{CompType, Component, Init, Member};

/// Soufflé's operator precedence, lowest first; unary minus binds tighter
/// than `*` but looser than `^` (so `-2^2` is `-(2^2)`).
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::lor, Assoc::Left))
        .op(Op::infix(Rule::lxor, Assoc::Left))
        .op(Op::infix(Rule::land, Assoc::Left))
        .op(Op::infix(Rule::bor, Assoc::Left))
        .op(Op::infix(Rule::bxor, Assoc::Left))
        .op(Op::infix(Rule::band, Assoc::Left))
        .op(Op::infix(Rule::bshl, Assoc::Left)
            | Op::infix(Rule::bshr, Assoc::Left)
            | Op::infix(Rule::bshru, Assoc::Left))
        .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
        .op(Op::infix(Rule::mul, Assoc::Left)
            | Op::infix(Rule::div, Assoc::Left)
            | Op::infix(Rule::modulo, Assoc::Left))
        .op(Op::prefix(Rule::neg) | Op::prefix(Rule::bnot) | Op::prefix(Rule::lnot))
        .op(Op::infix(Rule::pow, Assoc::Right))
});

/// Deeper terms would overflow the stack of the recursive passes after the
/// parser (and no hand-written program comes near).
pub const MAX_DEPTH: usize = 200;

/// What a top-level statement turned into: items, or an `#include` the
/// caller must expand in place.
pub enum Built {
    /// Ordinary items (a `.decl` of several names gives several).
    Items(Vec<Item>),
    /// `#include "path"` with the span of the directive.
    Include(String, Span),
    /// Accepted and ignored (`.plan`).
    Nothing,
    /// A component statement (`.comp`, `.init`, `.override`), expanded
    /// once the whole program is read ([`crate::lang::comp`]).
    Member(Member),
}

/// Builds AST nodes for one file, collecting diagnostics.
pub struct Builder {
    file: FileId,
    /// Byte offset of the parsed slice inside the file.
    offset: Cell<usize>,
    /// Nesting of terms and bodies being built (see [`MAX_DEPTH`]).
    depth: Cell<usize>,
    errors: RefCell<Vec<Diagnostic>>,
}

impl Builder {
    /// A builder for the file whose text pest parsed.
    pub fn new(file: FileId) -> Self {
        Builder {
            file,
            offset: Cell::new(0),
            depth: Cell::new(0),
            errors: RefCell::new(Vec::new()),
        }
    }

    /// Spans of the pairs built next are shifted by `offset` (pest parsed
    /// a slice of the file starting there).
    pub fn set_offset(&self, offset: usize) {
        self.offset.set(offset);
    }

    /// Records a diagnostic found outside the builder (e.g. a syntax error).
    pub fn push_error(&self, d: Diagnostic) {
        self.errors.borrow_mut().push(d);
    }

    /// The diagnostics collected so far.
    pub fn into_errors(self) -> Vec<Diagnostic> {
        self.errors.into_inner()
    }

    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        let o = self.offset.get();
        Span::new(self.file, o + s.start(), o + s.end())
    }

    fn error(&self, message: impl Into<String>, span: Span) {
        self.errors
            .borrow_mut()
            .push(Diagnostic::error(message, span));
    }

    fn unsupported(&self, what: &str, span: Span) {
        self.errors.borrow_mut().push(
            Diagnostic::error(format!("{what} is not supported by pialog"), span)
                .with_label("not supported"),
        );
    }

    fn ident(&self, pair: &Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    /// One top-level statement.
    pub fn item(&self, pair: Pair<Rule>) -> Built {
        // pest leaves trailing whitespace and comments inside a rule that
        // ends with an optional part; the statement ends with its last token.
        let mut span = self.span(&pair);
        span.end = self.offset.get() + token_end(&pair);
        match pair.as_rule() {
            Rule::include => {
                let path = pair
                    .into_inner()
                    .next()
                    .map(|p| match p.as_rule() {
                        Rule::string => self.string(p).0,
                        _ => p.into_inner().as_str().to_string(),
                    })
                    .unwrap_or_default();
                Built::Include(path, span)
            }
            Rule::decl => Built::Items(self.decl(pair, span)),
            Rule::component => Built::Member(Member::Comp(self.component(pair, span))),
            Rule::init => {
                let mut inner = pair.into_inner();
                let name = inner.find(|p| p.as_rule() == Rule::ident);
                let comp = inner.find(|p| p.as_rule() == Rule::comp_type);
                match (name, comp) {
                    (Some(n), Some(c)) => Built::Member(Member::Init(Init {
                        name: self.ident(&n),
                        comp: self.comp_type(c),
                        span,
                    })),
                    _ => Built::Nothing,
                }
            }
            Rule::override_ => match pair.into_inner().find(|p| p.as_rule() == Rule::ident) {
                Some(n) => Built::Member(Member::Override(self.ident(&n))),
                None => Built::Nothing,
            },
            Rule::type_decl => Built::Items(vec![Item::Type(self.type_decl(pair, span))]),
            Rule::io_directive => Built::Items(vec![self.io_directive(pair, span)]),
            Rule::export => Built::Items(vec![self.export(pair, span)]),
            Rule::assertion => Built::Items(vec![self.assertion(pair, span)]),
            Rule::pragma => {
                let mut strings = pair
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::string)
                    .map(|p| self.string(p).0);
                let key = strings.next().unwrap_or_default();
                let value = strings.next().unwrap_or_default();
                Built::Items(vec![Item::Pragma(Pragma { key, value, span })])
            }
            Rule::plan => Built::Nothing,
            Rule::query => {
                let body = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::body)
                    .map(|b| self.body(b))
                    .unwrap_or_default();
                Built::Items(vec![Item::Query(Query { body, span })])
            }
            Rule::retract => match pair.into_inner().find(|p| p.as_rule() == Rule::atom) {
                Some(atom) => Built::Items(vec![Item::Retract(self.atom(atom))]),
                None => Built::Nothing,
            },
            Rule::clause => Built::Items(self.clause(pair, span)),
            Rule::unsupported_preprocessor => {
                let word = pair.as_str().split_whitespace().next().unwrap_or("#");
                self.errors.borrow_mut().push(
                    Diagnostic::error(
                        format!("the preprocessor directive `{word}` is not supported by pialog"),
                        span,
                    )
                    .with_label("not supported")
                    .with_note("only `#include \"file\"` is"),
                );
                Built::Nothing
            }
            Rule::unsupported_directive => {
                let word = pair.as_str().split_whitespace().next().unwrap_or("");
                let what = match word {
                    ".comp" => "`.comp` (components)",
                    ".init" => "`.init` (component instantiation)",
                    ".functor" => "`.functor` (user-defined functors)",
                    ".override" => "`.override` (components)",
                    _ => "`.limitsize`",
                };
                self.unsupported(what, span);
                Built::Nothing
            }
            Rule::subsumption => Built::Items(self.subsumption(pair, span)),
            _ => Built::Nothing,
        }
    }

    // ------------------------------------------------------------ components

    fn component(&self, pair: Pair<Rule>, span: Span) -> Component {
        let mut types = Vec::new();
        let mut members = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::comp_type => types.push(self.comp_type(p)),
                Rule::kw_comp | Rule::colon | Rule::comma | Rule::lbrace | Rule::rbrace => {}
                _ => {
                    let mut item_span = self.span(&p);
                    item_span.end = self.offset.get() + token_end(&p);
                    match self.item(p) {
                        Built::Items(items) => members.extend(items.into_iter().map(Member::Item)),
                        Built::Member(m) => members.push(m),
                        Built::Include(..) => {
                            self.unsupported("`#include` inside a component", item_span)
                        }
                        Built::Nothing => {}
                    }
                }
            }
        }
        let mut types = types.into_iter();
        let head = types.next().unwrap_or(CompType {
            name: Ident {
                name: String::new(),
                span,
            },
            args: Vec::new(),
        });
        Component {
            head,
            bases: types.collect(),
            members,
            span,
        }
    }

    fn comp_type(&self, pair: Pair<Rule>) -> CompType {
        let mut name = None;
        let mut args = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident if name.is_none() => name = Some(self.ident(&p)),
                Rule::comp_arg => args.push(self.ident(&p)),
                _ => {}
            }
        }
        let span = args.first().map_or(Span::default(), |a: &Ident| a.span);
        CompType {
            name: name.unwrap_or(Ident {
                name: String::new(),
                span,
            }),
            args,
        }
    }

    // ------------------------------------------------------------ directives

    fn decl(&self, pair: Pair<Rule>, span: Span) -> Vec<Item> {
        let mut names = Vec::new();
        let mut columns = Vec::new();
        let mut qualifiers = Vec::new();
        let mut choice: Vec<Vec<Ident>> = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::qualified => names.push(self.ident(&p)),
                Rule::attribute => {
                    let mut inner = p.into_inner().filter(|q| q.as_rule() != Rule::colon);
                    if let (Some(name), Some(ty)) = (inner.next(), inner.next()) {
                        columns.push(Column {
                            name: self.ident(&name),
                            ty: self.ident(&ty),
                        });
                    }
                }
                Rule::qualifier => qualifiers.push(self.ident(&p)),
                Rule::unknown_qualifier => self.push_error(
                    Diagnostic::error(
                        format!("unknown relation qualifier `{}`", p.as_str()),
                        self.span(&p),
                    )
                    .with_note(
                        "known qualifiers: eqrel, brie, btree, btree_delete, inline, no_inline, \
                         magic, no_magic, overridable (and the old input, output, printsize)",
                    ),
                ),
                Rule::choice_domain => {
                    for key in p.into_inner().filter(|k| k.as_rule() == Rule::fd_key) {
                        choice.push(
                            key.into_inner()
                                .filter(|c| c.as_rule() == Rule::ident)
                                .map(|c| self.ident(&c))
                                .collect(),
                        );
                    }
                }
                _ => {}
            }
        }
        let mut items = Vec::new();
        for name in names {
            items.push(Item::Decl(Decl {
                name: name.clone(),
                columns: columns.clone(),
                qualifiers: qualifiers.clone(),
                choice: choice.clone(),
                span,
            }));
            // Soufflé's deprecated `.decl r(…) output` means `.output r`.
            for q in &qualifiers {
                let directive = IoDirective {
                    relations: vec![name.clone()],
                    params: Vec::new(),
                    span: q.span,
                };
                match q.name.as_str() {
                    "input" => items.push(Item::Input(directive)),
                    "output" => items.push(Item::Output(directive)),
                    "printsize" => items.push(Item::PrintSize(directive)),
                    _ => {}
                }
            }
        }
        items
    }

    fn type_decl(&self, pair: Pair<Rule>, span: Span) -> TypeDecl {
        let mut inner = pair.into_inner();
        let keyword = inner.next().map(|k| k.as_rule());
        let name = inner
            .next()
            .map(|n| self.ident(&n))
            .unwrap_or_else(|| Ident {
                name: String::new(),
                span,
            });
        let primitive = |p: &str| Ident {
            name: p.to_string(),
            span: name.span,
        };
        let def = match keyword {
            Some(Rule::kw_number_type) => TypeDef::Alias(primitive("number")),
            Some(Rule::kw_symbol_type) => TypeDef::Alias(primitive("symbol")),
            _ => match inner.next() {
                None => TypeDef::Alias(primitive("symbol")),
                Some(d) => {
                    match d.as_rule() {
                        Rule::subtype_def => match d.into_inner().next() {
                            Some(t) => TypeDef::Alias(self.ident(&t)),
                            None => TypeDef::Alias(primitive("symbol")),
                        },
                        Rule::union_def => {
                            // `T = B` is a union of one: an equivalence.
                            TypeDef::Union(d.into_inner().map(|t| self.ident(&t)).collect())
                        }
                        Rule::record_def => TypeDef::Record(self.attributes(d)),
                        _ => TypeDef::Adt(
                            d.into_inner()
                                .filter(|b| b.as_rule() == Rule::adt_branch)
                                .map(|b| {
                                    let mut inner = b.into_inner();
                                    let name = inner.next().map(|n| self.ident(&n));
                                    AdtBranch {
                                        name: name.unwrap_or_else(|| primitive("")),
                                        fields: self.attributes_of(inner),
                                    }
                                })
                                .collect(),
                        ),
                    }
                }
            },
        };
        TypeDecl { name, def, span }
    }

    /// The `name: type` fields of a record type.
    fn attributes(&self, pair: Pair<Rule>) -> Vec<Column> {
        self.attributes_of(pair.into_inner())
    }

    fn attributes_of(&self, pairs: Pairs<Rule>) -> Vec<Column> {
        pairs
            .filter(|p| p.as_rule() == Rule::attribute)
            .filter_map(|p| {
                let mut inner = p.into_inner().filter(|q| q.as_rule() != Rule::colon);
                let name = self.ident(&inner.next()?);
                let ty = self.ident(&inner.next()?);
                Some(Column { name, ty })
            })
            .collect()
    }

    /// The terms of a record or of a constructor's arguments.
    fn exprs(&self, pair: Pair<Rule>) -> Vec<Expr> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::expr)
            .map(|p| self.expr(p))
            .collect()
    }

    fn io_directive(&self, pair: Pair<Rule>, span: Span) -> Item {
        let mut inner = pair.into_inner();
        let keyword = inner.next().map(|k| k.as_rule());
        let mut relations = Vec::new();
        let mut params = Vec::new();
        for p in inner {
            match p.as_rule() {
                Rule::qualified => relations.push(self.ident(&p)),
                Rule::io_params => {
                    for kv in p.into_inner().filter(|k| k.as_rule() == Rule::kv_pair) {
                        let mut parts = kv.into_inner();
                        if let (Some(key), Some(value)) = (parts.next(), parts.next()) {
                            let text = match value.into_inner().next() {
                                Some(v) if v.as_rule() == Rule::string => self.string(v).0,
                                Some(v) => v.as_str().to_string(),
                                None => String::new(),
                            };
                            params.push((self.ident(&key), text));
                        }
                    }
                }
                _ => {}
            }
        }
        let directive = IoDirective {
            relations,
            params,
            span,
        };
        match keyword {
            Some(Rule::kw_input) => Item::Input(directive),
            Some(Rule::kw_output) => Item::Output(directive),
            _ => Item::PrintSize(directive),
        }
    }

    fn export(&self, pair: Pair<Rule>, span: Span) -> Item {
        let mut relation = None;
        let mut path = String::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::qualified => relation = Some(self.ident(&p)),
                Rule::string => path = self.string(p).0,
                _ => {}
            }
        }
        let relation = relation.unwrap_or_else(|| Ident {
            name: String::new(),
            span,
        });
        Item::Export(Export {
            relation,
            path,
            span,
        })
    }

    fn assertion(&self, pair: Pair<Rule>, span: Span) -> Item {
        let mut kind = AssertKind::Empty;
        let mut body = Vec::new();
        // The assertion's text (its name in reports) ends before the optional dot.
        let mut end = span.start;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::assert_empty => {
                    end = self.offset.get() + token_end(&p);
                    if let Some(b) = p.into_inner().find(|q| q.as_rule() == Rule::body) {
                        body = self.body(b);
                    }
                }
                Rule::assert_count => {
                    end = self.offset.get() + token_end(&p);
                    let mut op = CompareOp::Eq;
                    let mut n = 0;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::body => body = self.body(q),
                            Rule::compare_op => op = compare_op(q.as_str()),
                            Rule::signed_int => match q.as_str().parse::<i64>() {
                                Ok(v) => n = v,
                                Err(_) => self.error(
                                    format!("number `{}` is out of range", q.as_str()),
                                    self.span(&q),
                                ),
                            },
                            _ => {}
                        }
                    }
                    kind = AssertKind::Count(op, n);
                }
                _ => {}
            }
        }
        Item::Assert(Assertion {
            kind,
            body,
            span: Span::new(span.file, span.start, end.max(span.start)),
        })
    }

    // ------------------------------------------------------------ clauses

    fn clause(&self, pair: Pair<Rule>, span: Span) -> Vec<Item> {
        let mut heads = Vec::new();
        let mut body = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::atom => heads.push(self.atom(p)),
                Rule::body => body = Some(self.body(p)),
                _ => {}
            }
        }
        match body {
            None => heads
                .into_iter()
                .map(|h| {
                    // `total(sum x : { item(x) }).` reads relations: it is a
                    // rule with an empty body, as in Soufflé.
                    // So is `r(range(1, 5)).`: one fact per value.
                    let mut reads = h.args.iter().any(Expr::has_range);
                    h.args
                        .iter()
                        .for_each(|e| e.each_relation(&mut |_| reads = true));
                    if reads {
                        Item::Rule(AstRule {
                            span: h.span,
                            heads: vec![h],
                            body: vec![Vec::new()],
                        })
                    } else {
                        Item::Fact(h)
                    }
                })
                .collect(),
            Some(body) => vec![Item::Rule(AstRule { heads, body, span })],
        }
    }

    /// `dominated <= dominating :- body.`
    fn subsumption(&self, pair: Pair<Rule>, span: Span) -> Vec<Item> {
        let mut atoms = Vec::new();
        let mut body = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::atom => atoms.push(self.atom(p)),
                Rule::body => body = self.body(p),
                _ => {}
            }
        }
        let mut atoms = atoms.into_iter();
        match (atoms.next(), atoms.next()) {
            (Some(dominated), Some(dominating)) => vec![Item::Subsume(Subsumption {
                dominated,
                dominating,
                body,
                span,
            })],
            _ => Vec::new(),
        }
    }

    /// An atom `rel(args)`.
    pub fn atom(&self, pair: Pair<Rule>) -> Atom {
        let span = self.span(&pair);
        let mut relation = Ident {
            name: String::new(),
            span,
        };
        let mut args = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::qualified => relation = self.ident(&p),
                Rule::expr => args.push(self.expr(p)),
                _ => {}
            }
        }
        Atom {
            relation,
            args,
            span,
        }
    }

    /// A body in disjunctive normal form (never empty).
    pub fn body(&self, pair: Pair<Rule>) -> Dnf {
        let span = self.span(&pair);
        let depth = self.depth.get() + 1;
        if depth > MAX_DEPTH {
            self.error(
                format!("this body is nested too deeply (more than {MAX_DEPTH} levels)"),
                span,
            );
            return vec![Vec::new()];
        }
        self.depth.set(depth);
        let out = self.body_inner(pair, span);
        self.depth.set(depth - 1);
        out
    }

    fn body_inner(&self, pair: Pair<Rule>, span: Span) -> Dnf {
        let mut out: Dnf = Vec::new();
        for conj in pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::conjunction)
        {
            out.extend(self.conjunction(conj));
        }
        if out.len() > dnf::MAX_ALTERNATIVES {
            self.too_many(span);
            out.truncate(1);
        }
        if out.is_empty() {
            out.push(Vec::new());
        }
        out
    }

    fn too_many(&self, span: Span) {
        self.error(
            format!(
                "this body has more than {} alternatives once `;` and `!( … )` are expanded",
                dnf::MAX_ALTERNATIVES
            ),
            span,
        );
    }

    fn conjunction(&self, pair: Pair<Rule>) -> Dnf {
        let span = self.span(&pair);
        let mut acc: Dnf = vec![Vec::new()];
        for term in pair.into_inner().filter(|p| p.as_rule() != Rule::comma) {
            let t = self.term(term);
            match dnf::and(acc, t) {
                Some(next) => acc = next,
                None => {
                    self.too_many(span);
                    return vec![Vec::new()];
                }
            }
        }
        acc
    }

    fn term(&self, pair: Pair<Rule>) -> Dnf {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::atom => vec![vec![Literal::Atom(self.atom(pair))]],
            Rule::negation => {
                let depth = self.depth.get() + 1;
                if depth > MAX_DEPTH {
                    self.error("too many `!` in a row", span);
                    return vec![Vec::new()];
                }
                self.depth.set(depth);
                let inner = pair
                    .into_inner()
                    .find(|p| p.as_rule() != Rule::bang)
                    .map(|p| self.term(p))
                    .unwrap_or_default();
                self.depth.set(depth - 1);
                match dnf::negate(inner) {
                    Some(d) => d,
                    None => {
                        self.too_many(span);
                        vec![Vec::new()]
                    }
                }
            }
            Rule::paren_body => match pair.into_inner().find(|p| p.as_rule() == Rule::body) {
                Some(b) => self.body(b),
                None => vec![Vec::new()],
            },
            Rule::bool_lit => vec![vec![Literal::Bool(pair.as_str() == "true", span)]],
            Rule::builtin_pred => {
                let mut pred = BuiltinPred::Contains;
                let mut args = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::kw_match => pred = BuiltinPred::Match,
                        Rule::kw_contains => pred = BuiltinPred::Contains,
                        Rule::expr => args.push(self.expr(p)),
                        _ => {}
                    }
                }
                vec![vec![Literal::Builtin { pred, args, span }]]
            }
            Rule::comparison => {
                let mut exprs = Vec::new();
                let mut op = CompareOp::Eq;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::expr => exprs.push(self.expr(p)),
                        Rule::compare_op => op = compare_op(p.as_str()),
                        _ => {}
                    }
                }
                let rhs = exprs.pop().unwrap_or(Expr::Wildcard(span));
                let lhs = exprs.pop().unwrap_or(Expr::Wildcard(span));
                vec![vec![Literal::Compare { op, lhs, rhs, span }]]
            }
            _ => vec![Vec::new()],
        }
    }

    // ------------------------------------------------------------ expressions

    /// A term with Soufflé's operator precedence.
    pub fn expr(&self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        // Every operator and every level of parentheses is one level of
        // the tree that later passes walk recursively.
        let ops = pair.clone().into_inner().count() / 2;
        let depth = self.depth.get() + 1 + ops;
        if depth > MAX_DEPTH {
            self.error(
                format!("this term is nested too deeply (more than {MAX_DEPTH} operators or parentheses)"),
                span,
            );
            return Expr::Wildcard(span);
        }
        self.depth.set(depth);
        let e = self.pratt(pair.into_inner());
        self.depth.set(depth - 1 - ops);
        e
    }

    fn pratt(&self, pairs: Pairs<Rule>) -> Expr {
        PRATT
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, arg| {
                let op_span = self.span(&op);
                let whole = op_span.join(arg.span());
                match op.as_rule() {
                    Rule::neg => match arg {
                        // Soufflé folds `-` into a numeric constant.
                        Expr::Number(n, _) => Expr::Number(n.wrapping_neg(), whole),
                        Expr::Float(x, _) => Expr::Float(-x, whole),
                        other => Expr::Unary {
                            op: UnOp::Neg,
                            arg: Box::new(other),
                            span: whole,
                        },
                    },
                    Rule::bnot => Expr::Unary {
                        op: UnOp::BitNot,
                        arg: Box::new(arg),
                        span: whole,
                    },
                    _ => Expr::Unary {
                        op: UnOp::LogNot,
                        arg: Box::new(arg),
                        span: whole,
                    },
                }
            })
            .map_infix(|lhs, op, rhs| {
                let whole = lhs.span().join(rhs.span());
                let op = match op.as_rule() {
                    Rule::add => BinOp::Add,
                    Rule::sub => BinOp::Sub,
                    Rule::mul => BinOp::Mul,
                    Rule::div => BinOp::Div,
                    Rule::modulo => BinOp::Mod,
                    Rule::pow => BinOp::Pow,
                    Rule::band => BinOp::BitAnd,
                    Rule::bor => BinOp::BitOr,
                    Rule::bxor => BinOp::BitXor,
                    Rule::bshl => BinOp::Shl,
                    Rule::bshr => BinOp::Shr,
                    Rule::bshru => BinOp::ShrUnsigned,
                    Rule::land => BinOp::LogAnd,
                    Rule::lor => BinOp::LogOr,
                    _ => BinOp::LogXor,
                };
                Expr::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                    span: whole,
                }
            })
            .parse(pairs)
    }

    fn primary(&self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::variable => Expr::Var(self.ident(&pair)),
            Rule::wildcard => Expr::Wildcard(span),
            Rule::string => {
                let (text, span) = self.string(pair);
                Expr::Str(text, span)
            }
            Rule::number => self.number(pair.as_str(), span),
            Rule::unsigned => {
                let text = pair.as_str().trim_end_matches('u');
                match parse_radix(text).filter(|v| *v <= u64::from(u32::MAX)) {
                    Some(v) => Expr::Unsigned(v, span),
                    None => {
                        self.error(
                            format!(
                                "unsigned number `{}` does not fit in 32 bits",
                                pair.as_str()
                            ),
                            span,
                        );
                        Expr::Unsigned(0, span)
                    }
                }
            }
            Rule::float => match pair.as_str().parse::<f64>() {
                Ok(x) => Expr::Float(x, span),
                Err(_) => {
                    self.error(format!("`{}` is not a float", pair.as_str()), span);
                    Expr::Float(0.0, span)
                }
            },
            Rule::ip_number => {
                let parts: Vec<u32> = pair
                    .as_str()
                    .split('.')
                    .map(|p| p.parse::<u32>().unwrap_or(u32::MAX))
                    .collect();
                if parts.iter().any(|p| *p > 255) {
                    self.error("IP address out of range", span);
                    return Expr::Number(0, span);
                }
                let v = parts.iter().fold(0u32, |acc, p| (acc << 8) | p);
                Expr::Number(i64::from(v as i32), span)
            }
            Rule::paren_expr => match pair.into_inner().find(|p| p.as_rule() == Rule::expr) {
                Some(e) => self.expr(e),
                None => Expr::Wildcard(span),
            },
            Rule::functor_call => self.functor(pair, span),
            // Soufflé's `as` reinterprets the static type only; pialog keeps
            // the value (the checker types it by its own expression).
            Rule::cast => match pair.into_inner().find(|p| p.as_rule() == Rule::expr) {
                Some(e) => self.expr(e),
                None => Expr::Wildcard(span),
            },
            Rule::aggregate => self.aggregate(pair, span),
            Rule::record_term => Expr::Record(self.exprs(pair), span),
            Rule::nil => Expr::Nil(span),
            Rule::adt_term => {
                let mut inner = pair.into_inner();
                let branch = inner.next().map(|n| self.ident(&n)).unwrap_or(Ident {
                    name: String::new(),
                    span,
                });
                let args = inner.next().map(|a| self.exprs(a)).unwrap_or_default();
                Expr::Adt { branch, args, span }
            }
            Rule::unsupported_arg => {
                let what = match pair.into_inner().next().map(|p| p.as_rule()) {
                    Some(Rule::unsupported_counter) => "the counter `$`",
                    Some(Rule::unsupported_user_functor) => "a user-defined functor `@…`",
                    _ => "this term",
                };
                self.unsupported(what, span);
                Expr::Wildcard(span)
            }
            Rule::unknown_functor => {
                let name = pair.into_inner().next().map_or("", |p| p.as_str());
                self.errors.borrow_mut().push(
                    Diagnostic::error(format!("unknown functor `{name}`"), span)
                        .with_label("not a functor pialog knows")
                        .with_note(
                            "functors: cat, strlen, substr, ord, to_number, to_string, to_unsigned, to_float, lower, min, max (and contains/match as conditions)",
                        ),
                );
                Expr::Wildcard(span)
            }
            Rule::expr => self.expr(pair),
            _ => Expr::Wildcard(span),
        }
    }

    fn number(&self, text: &str, span: Span) -> Expr {
        let radix = text.starts_with("0x") || text.starts_with("0b");
        match parse_radix(text) {
            // Hex and binary literals are bit patterns of the 32-bit domain.
            Some(v) if radix && v <= u64::from(u32::MAX) => {
                Expr::Number(i64::from(v as u32 as i32), span)
            }
            // 2^31 itself is allowed so that `-2147483648` can be written.
            Some(v) if !radix && v <= 1 << 31 => Expr::Number(v as i64, span),
            _ => {
                self.error(format!("number `{text}` does not fit in 32 bits"), span);
                Expr::Number(0, span)
            }
        }
    }

    fn functor(&self, pair: Pair<Rule>, span: Span) -> Expr {
        let mut name = "";
        let mut args = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::functor_name => name = p.as_str(),
                Rule::expr => args.push(self.expr(p)),
                _ => {}
            }
        }
        // The grammar admits only the names of the signature table.
        let (func, arity) = match crate::lang::signature::by_name(name) {
            Some(sig) => (sig.functor, (sig.min_args, sig.max_args)),
            None => (Functor::Lower, (1, 1)),
        };
        let (lo, hi) = arity;
        if args.len() < lo || args.len() > hi {
            let expected = if lo == hi {
                format!("{lo} argument{}", if lo == 1 { "" } else { "s" })
            } else {
                format!("at least {lo} argument")
            };
            self.error(
                format!(
                    "arity mismatch: `{name}` takes {expected}, found {}",
                    args.len()
                ),
                span,
            );
        }
        Expr::Functor { func, args, span }
    }

    fn aggregate(&self, pair: Pair<Rule>, span: Span) -> Expr {
        let mut kind = AggKind::Count;
        let mut kind_text = "count";
        let mut target = None;
        let mut body = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::agg_kind => {
                    kind_text = p.as_str();
                    kind = match kind_text {
                        "sum" => AggKind::Sum,
                        "min" => AggKind::Min,
                        "max" => AggKind::Max,
                        "mean" => AggKind::Mean,
                        _ => AggKind::Count,
                    };
                }
                Rule::expr => target = Some(Box::new(self.expr(p))),
                Rule::agg_body => body = self.agg_body(p),
                _ => {}
            }
        }
        match (kind, &target) {
            (AggKind::Count, Some(t)) => {
                self.error(
                    "`count` takes no expression: write `count : { … }`",
                    t.span(),
                );
            }
            (AggKind::Count, None) | (_, Some(_)) => {}
            (_, None) => {
                self.error(
                    format!("`{kind_text}` needs an expression: write `{kind_text} x : {{ … }}`"),
                    span,
                );
            }
        }
        Expr::Aggregate {
            kind,
            target,
            body,
            span,
        }
    }

    fn agg_body(&self, pair: Pair<Rule>) -> Vec<Literal> {
        let span = self.span(&pair);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::atom => return vec![Literal::Atom(self.atom(p))],
                Rule::body => {
                    let mut alternatives = self.body(p);
                    if alternatives.len() > 1 {
                        self.unsupported("a disjunction `;` inside an aggregate", span);
                    }
                    return alternatives.swap_remove(0);
                }
                _ => {}
            }
        }
        Vec::new()
    }

    /// A string literal with its escapes resolved, and its span.
    fn string(&self, pair: Pair<Rule>) -> (String, Span) {
        let span = self.span(&pair);
        let raw = pair
            .into_inner()
            .next()
            .map(|p| p.as_str())
            .unwrap_or_default();
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some((_, e)) = chars.next() else { break };
            let resolved = match e {
                '"' => '"',
                '\'' => '\'',
                '\\' => '\\',
                'a' => '\u{7}',
                'b' => '\u{8}',
                'f' => '\u{c}',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'v' => '\u{b}',
                other => {
                    // +1 for the opening quote.
                    let at = span.start + 1 + i;
                    self.error(
                        format!("unknown escape sequence `\\{other}` in a string"),
                        Span::new(self.file, at, at + 1 + other.len_utf8()),
                    );
                    other
                }
            };
            out.push(resolved);
        }
        (out, span)
    }
}

fn compare_op(text: &str) -> CompareOp {
    match text {
        "!=" => CompareOp::Ne,
        "<" => CompareOp::Lt,
        "<=" => CompareOp::Le,
        ">" => CompareOp::Gt,
        ">=" => CompareOp::Ge,
        _ => CompareOp::Eq,
    }
}

/// Decimal, `0x…` or `0b…` digits to a value (no sign, no suffix).
fn parse_radix(text: &str) -> Option<u64> {
    if let Some(hex) = text.strip_prefix("0x") {
        u64::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = text.strip_prefix("0b") {
        u64::from_str_radix(bin, 2).ok()
    } else {
        text.parse::<u64>().ok()
    }
}

/// Where a pair's last token ends (an offset into the parsed text).
///
/// pest keeps the implicit whitespace and comments skipped before an
/// optional or repeated part that did not match inside the rule, so a
/// statement such as `.assert empty r(_)` would otherwise run on over the
/// comments and blank lines up to the next statement. Descends into the last
/// child as long as only trivia follows it.
fn token_end(pair: &Pair<Rule>) -> usize {
    // The chain of last children, outermost first (iterative: bodies can
    // nest deeply).
    let mut chain = vec![pair.as_span()];
    let mut current = pair.clone();
    while let Some(last) = current.clone().into_inner().last() {
        chain.push(last.as_span());
        current = last;
    }
    let input = pair.as_span().get_input();
    let mut end = chain.last().map_or(0, |s| s.end());
    for span in chain.iter().rev().skip(1) {
        let rest = input.get(end..span.end()).unwrap_or("");
        if super::fast::skip_trivia(rest, 0) < rest.len() {
            end = span.end();
        }
    }
    end
}
