//! Demand-driven evaluation: the magic-set rewrite.
//!
//! Bottom-up evaluation computes every row of every relation, even when a
//! question names one assessment (`?- weak_risk("13-…", r).`) or one pair
//! of nodes (`query() :- samegen(16384, 32767).`). The rewrite makes the
//! rules compute only what such a question can reach:
//!
//! 1. **Adornment.** Each call of a relation is adorned with which of its
//!    arguments are bound when it is reached ([`sips`]): `samegen(16384,
//!    32767)` is a call `bb`. A relation asked with pattern `α` gets its
//!    own copy `rel@α`, whose rules are the relation's rules with their
//!    calls adorned in turn; asked with nothing bound, the copy is the
//!    relation itself (same name, same rows), its calls adorned.
//! 2. **Magic predicates.** `@magic.rel@α` holds the bindings `rel@α` is
//!    asked for; every rule of `rel@α` starts with it, so it only derives
//!    rows someone asked about.
//! 3. **Magic rules.** For a call of `q` with pattern `β` in a rule of
//!    `p@α`: `@magic.q@β(bound arguments) :- @magic.p@α(…), literals
//!    before the call`. A question's own calls give rules with no magic
//!    atom: the seeds, from its constants.
//!
//! The result is a program whose answers to the demanded relations and
//! questions are those of the original. Relations read under negation or
//! in an aggregate, or numbered with `autoinc()`, and what they are
//! computed from, stay whole ([`safe`]), so the rewritten program is
//! stratified wherever the original is; relations the caller does not let
//! it adorn (inputs, facts, `eqrel`) are read as they are. Only the rules
//! the demand reaches are emitted: the rest is not needed for it.

pub mod safe;
pub mod sips;

use crate::diag::Span;
use crate::lang::ast::{Atom, CompareOp, Expr, Ident, Literal, Rule};
use std::collections::{HashMap, HashSet, VecDeque};

/// What the rewritten program has to answer.
#[derive(Clone, Debug, Default)]
pub struct Demand {
    /// Relations wanted with every row (`.output`, `.printsize`, …).
    pub whole: Vec<String>,
    /// Conjunctions to answer (queries, assertions): their constants, and
    /// what they pass on sideways, restrict what is computed.
    pub bodies: Vec<Vec<Literal>>,
}

/// A relation the rewrite introduces: an adorned copy or a magic predicate.
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    /// Its name (with `@`, which no program can write).
    pub name: String,
    /// The relation of the program it is about.
    pub base: String,
    /// Which of the base relation's columns it has, in order.
    pub columns: Vec<usize>,
}

/// The rewritten program.
#[derive(Clone, Debug, Default)]
pub struct Rewritten {
    /// Rules (one head, one conjunction each) computing what was demanded.
    pub rules: Vec<Rule>,
    /// The demand's bodies with their calls adorned, in the same order.
    pub bodies: Vec<Vec<Literal>>,
    /// The relations the rules define besides the program's own.
    pub relations: Vec<Derived>,
    /// True when some call is asked with a bound argument: otherwise the
    /// rewrite restricts nothing and the original rules do the same work.
    pub restricted: bool,
}

/// What every magic predicate's name starts with.
pub const MAGIC: &str = "@magic.";

/// True for a relation the rewrite made (adorned copies, magic predicates).
pub fn is_derived(name: &str) -> bool {
    name.contains('@')
}

/// `bf`, `bb`, …: which arguments are bound.
fn pattern(bound: &[bool]) -> String {
    bound.iter().map(|&b| if b { 'b' } else { 'f' }).collect()
}

/// The name of `rel` asked with `bound`.
pub fn adorned_name(rel: &str, bound: &[bool]) -> String {
    format!("{rel}@{}", pattern(bound))
}

/// The name of the magic predicate of `rel` asked with `bound`.
pub fn magic_name(rel: &str, bound: &[bool]) -> String {
    format!("{MAGIC}{rel}@{}", pattern(bound))
}

/// One conjunction of one rule, for one head.
struct Clause<'a> {
    head: &'a Atom,
    body: &'a [Literal],
    span: Span,
}

/// A relation to emit rules for: as written (`None`) or asked with a
/// pattern (all free: the relation itself with adorned calls).
type Want = (String, Option<Vec<bool>>);

struct Rewriter<'a> {
    clauses: HashMap<&'a str, Vec<Clause<'a>>>,
    adornable: &'a dyn Fn(&str) -> bool,
    out: Rewritten,
    declared: HashSet<String>,
    seen: HashSet<Want>,
    queue: VecDeque<Want>,
}

fn ident(name: String, span: Span) -> Ident {
    Ident { name, span }
}

impl Rewriter<'_> {
    fn want(&mut self, w: Want) {
        if self.seen.insert(w.clone()) {
            self.queue.push_back(w);
        }
    }

    fn declare(&mut self, name: String, base: &str, columns: Vec<usize>) {
        if self.declared.insert(name.clone()) {
            self.out.relations.push(Derived {
                name,
                base: base.to_string(),
                columns,
            });
        }
    }

    /// Wants every relation a literal reads other than as a positive atom
    /// (under negation, in aggregates): those are evaluated as written.
    fn want_read(&mut self, l: &Literal) {
        let mut names = Vec::new();
        match l {
            Literal::Atom(a) => a
                .args
                .iter()
                .for_each(|e| e.each_relation(&mut |r| names.push(r.to_string()))),
            _ => l.each_relation(&mut |r| names.push(r.to_string())),
        }
        for r in names {
            self.want((r, None));
        }
    }

    /// A positive atom asked with nothing known about its bindings.
    fn want_free(&mut self, a: &Atom) {
        let r = a.relation.name.clone();
        if (self.adornable)(&r) {
            self.want((r, Some(vec![false; a.args.len()])));
        } else {
            self.want((r, None));
        }
    }

    /// Rewrites a conjunction walked from `bound` (variables) and guarded
    /// by `guard`: its calls adorned, a magic rule per bound call.
    fn body(
        &mut self,
        body: &[Literal],
        bound: HashSet<String>,
        guard: Option<Atom>,
    ) -> Vec<Literal> {
        let walk = sips::walk(body, bound);
        let mut renamed: Vec<Literal> = body.to_vec();
        let mut called = vec![false; body.len()];
        for call in &walk.calls {
            called[call.literal] = true;
            let Literal::Atom(a) = &body[call.literal] else {
                continue;
            };
            self.want_read(&body[call.literal]);
            let rel = &a.relation.name;
            if !(self.adornable)(rel) || !call.bound.iter().any(|&b| b) {
                self.want_free(a);
                continue;
            }
            self.out.restricted = true;
            let name = adorned_name(rel, &call.bound);
            let magic = magic_name(rel, &call.bound);
            let columns: Vec<usize> = (0..a.args.len()).filter(|&i| call.bound[i]).collect();
            self.declare(name.clone(), rel, (0..a.args.len()).collect());
            self.declare(magic.clone(), rel, columns.clone());
            self.want((rel.clone(), Some(call.bound.clone())));
            let mut lits: Vec<Literal> = guard.iter().cloned().map(Literal::Atom).collect();
            lits.extend(call.prefix.iter().map(|&i| renamed[i].clone()));
            self.out.rules.push(Rule {
                heads: vec![Atom {
                    relation: ident(magic, a.span),
                    args: columns.iter().map(|&i| a.args[i].clone()).collect(),
                    span: a.span,
                }],
                body: vec![lits],
                span: a.span,
            });
            if let Literal::Atom(r) = &mut renamed[call.literal] {
                r.relation.name = name;
            }
        }
        for (i, l) in body.iter().enumerate() {
            if called[i] {
                continue;
            }
            self.want_read(l);
            if let Literal::Atom(a) = l {
                self.want_free(a);
            }
        }
        // The literals keep their places (the planner orders them): a
        // question's columns stay in the order it was written.
        let mut out: Vec<Literal> = guard.into_iter().map(Literal::Atom).collect();
        out.extend(renamed);
        out
    }

    /// The rules of `rel` asked with `bound`.
    fn adorned(&mut self, rel: &str, bound: &[bool]) {
        let clauses: Vec<(Atom, Vec<Literal>, Span)> = self
            .clauses
            .get(rel)
            .map(|cs| {
                cs.iter()
                    .map(|c| (c.head.clone(), c.body.to_vec(), c.span))
                    .collect()
            })
            .unwrap_or_default();
        let restricted = bound.iter().any(|&b| b);
        for (mut head, body, span) in clauses {
            if head.args.len() != bound.len() {
                continue;
            }
            // A bound argument computed in the head becomes a variable the
            // magic atom binds, with the computation as a test.
            let mut lits: Vec<Literal> = Vec::new();
            for (i, arg) in head.args.iter_mut().enumerate() {
                if bound[i] && !matches!(arg, Expr::Var(_)) && !sips::is_constant(arg) {
                    let s = arg.span();
                    let v = Expr::Var(ident(format!("@h{i}"), s));
                    let e = std::mem::replace(arg, v.clone());
                    lits.push(Literal::Compare {
                        op: CompareOp::Eq,
                        lhs: v,
                        rhs: e,
                        span: s,
                    });
                }
            }
            lits.extend(body);
            let known: HashSet<String> = head
                .args
                .iter()
                .zip(bound)
                .filter_map(|(e, &b)| match e {
                    Expr::Var(v) if b => Some(v.name.clone()),
                    _ => None,
                })
                .collect();
            let guard = restricted.then(|| Atom {
                relation: ident(magic_name(rel, bound), head.span),
                args: head
                    .args
                    .iter()
                    .zip(bound)
                    .filter(|(_, b)| **b)
                    .map(|(e, _)| e.clone())
                    .collect(),
                span: head.span,
            });
            let new_body = self.body(&lits, known, guard);
            if restricted {
                head.relation.name = adorned_name(rel, bound);
            }
            self.out.rules.push(Rule {
                heads: vec![head],
                body: vec![new_body],
                span,
            });
        }
    }

    /// The rules of `rel` as written (it is not adorned).
    fn as_written(&mut self, rel: &str) {
        let clauses: Vec<(Atom, Vec<Literal>, Span)> = self
            .clauses
            .get(rel)
            .map(|cs| {
                cs.iter()
                    .map(|c| (c.head.clone(), c.body.to_vec(), c.span))
                    .collect()
            })
            .unwrap_or_default();
        for (head, body, span) in clauses {
            for l in &body {
                self.want_read(l);
                if let Literal::Atom(a) = l {
                    self.want_free(a);
                }
            }
            for e in &head.args {
                let mut names = Vec::new();
                e.each_relation(&mut |r| names.push(r.to_string()));
                for r in names {
                    self.want((r, None));
                }
            }
            self.out.rules.push(Rule {
                heads: vec![head],
                body: vec![body],
                span,
            });
        }
    }
}

/// Rewrites `rules` to answer `demand`. `may_adorn` says which relations
/// may be restricted (those defined by rules only; not inputs, facts or
/// `eqrel`); of those, the ones [`safe::whole_relations`] names stay whole.
pub fn rewrite(rules: &[Rule], may_adorn: &dyn Fn(&str) -> bool, demand: &Demand) -> Rewritten {
    let whole = safe::whole_relations(rules, &demand.bodies);
    let adornable = |name: &str| may_adorn(name) && !whole.contains(name);
    let mut clauses: HashMap<&str, Vec<Clause>> = HashMap::new();
    for rule in rules {
        for head in &rule.heads {
            for alt in &rule.body {
                clauses
                    .entry(head.relation.name.as_str())
                    .or_default()
                    .push(Clause {
                        head,
                        body: alt,
                        span: rule.span,
                    });
            }
        }
    }
    let mut rw = Rewriter {
        clauses,
        adornable: &adornable,
        out: Rewritten::default(),
        declared: HashSet::new(),
        seen: HashSet::new(),
        queue: VecDeque::new(),
    };
    for rel in &demand.whole {
        let arity = rw
            .clauses
            .get(rel.as_str())
            .and_then(|cs| cs.first())
            .map(|c| c.head.args.len());
        match arity {
            Some(n) if adornable(rel) => rw.want((rel.clone(), Some(vec![false; n]))),
            _ => rw.want((rel.clone(), None)),
        }
    }
    for body in &demand.bodies {
        let b = rw.body(body, HashSet::new(), None);
        rw.out.bodies.push(b);
    }
    while let Some((rel, how)) = rw.queue.pop_front() {
        match how {
            Some(bound) => rw.adorned(&rel, &bound),
            None => rw.as_written(&rel),
        }
    }
    rw.out
}

#[cfg(test)]
mod tests;
