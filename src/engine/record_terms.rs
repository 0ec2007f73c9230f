//! Record terms in a rule body, made ready for lowering.
//!
//! A record `[a, b]`, `nil` or a constructor `$B(…)` in a body is either
//! built (*packed*: all its variables are bound elsewhere, the term is a
//! value) or taken apart (*unpacked*: the value it is equated with is
//! bound, and the term's variables get the fields). Soufflé decides this
//! the same way, after resolving aliases; here:
//!
//! 1. [`normalise`]: a pattern standing as an argument of a positive atom
//!    becomes a fresh variable there and an equation `fresh = pattern`
//!    beside it; equations between two patterns are split field by field;
//!    a variable that only ever stands in equations and is equated with a
//!    pattern is replaced by the pattern (`r = [x, y], s = r, s = [v, w]`
//!    becomes `x = v, y = w`).
//! 2. [`unpack_decisions`]: for each literal, whether it is an equation to
//!    unpack — its non-pattern side is bound without it.

use std::collections::HashSet;

use crate::lang::ast::{CompareOp, Expr, Ident, Literal};
use crate::lang::check::vars;

/// True for a record, `nil` or a constructor (see [`Expr::is_pattern`]).
pub fn is_pattern(e: &Expr) -> bool {
    e.is_pattern()
}

/// Whether a body (or the terms of its heads) holds any record term.
fn has_records(body: &[Literal], head: &[Expr]) -> bool {
    let mut found = head.iter().any(|e| e.has_record());
    for l in body {
        let mut each = |e: &Expr| found |= e.has_record() || aggregate_has_records(e);
        match l {
            Literal::Atom(a) | Literal::Negated(a) => a.args.iter().for_each(&mut each),
            Literal::Compare { lhs, rhs, .. } => {
                each(lhs);
                each(rhs);
            }
            Literal::Builtin { args, .. } => args.iter().for_each(&mut each),
            Literal::Bool(..) => {}
        }
    }
    found
}

fn aggregate_has_records(e: &Expr) -> bool {
    let mut aggs = Vec::new();
    vars::expr_aggregates(e, &mut aggs);
    aggs.iter().any(|a| match a {
        Expr::Aggregate { body, target, .. } => has_records(
            body,
            target.as_deref().map(std::slice::from_ref).unwrap_or(&[]),
        ),
        _ => false,
    })
}

/// Step 1 for a clause body (and, recursively, its aggregate bodies).
/// `None` when the body has no record term.
pub fn normalise(body: &[Literal], head: &[Expr]) -> Option<Vec<Literal>> {
    if !has_records(body, head) {
        return None;
    }
    let mut fresh = 0;
    Some(level(body.to_vec(), head, &mut fresh))
}

fn level(body: Vec<Literal>, head: &[Expr], fresh: &mut usize) -> Vec<Literal> {
    let mut out = Vec::with_capacity(body.len());
    let mut extra = Vec::new();
    for mut l in body {
        match &mut l {
            Literal::Atom(a) => {
                for arg in &mut a.args {
                    nested(arg, fresh);
                    if is_pattern(arg) {
                        *fresh += 1;
                        let span = arg.span();
                        let v = Expr::Var(Ident {
                            name: format!("<record {fresh}>"),
                            span,
                        });
                        let pattern = std::mem::replace(arg, v.clone());
                        extra.push(Literal::Compare {
                            op: CompareOp::Eq,
                            lhs: v,
                            rhs: pattern,
                            span,
                        });
                    }
                }
            }
            Literal::Negated(a) => a.args.iter_mut().for_each(|e| nested(e, fresh)),
            Literal::Compare { lhs, rhs, .. } => {
                nested(lhs, fresh);
                nested(rhs, fresh);
            }
            Literal::Builtin { args, .. } => args.iter_mut().for_each(|e| nested(e, fresh)),
            Literal::Bool(..) => {}
        }
        out.push(l);
    }
    out.extend(extra);
    resolve_aliases(out, head)
}

/// Normalises the bodies of the aggregates inside a term.
fn nested(e: &mut Expr, fresh: &mut usize) {
    match e {
        Expr::Aggregate { body, target, .. } => {
            let head: Vec<Expr> = target.iter().map(|t| (**t).clone()).collect();
            *body = level(std::mem::take(body), &head, fresh);
        }
        Expr::Binary { lhs, rhs, .. } => {
            nested(lhs, fresh);
            nested(rhs, fresh);
        }
        Expr::Unary { arg, .. } => nested(arg, fresh),
        Expr::Functor { args, .. } | Expr::Record(args, _) | Expr::Adt { args, .. } => {
            args.iter_mut().for_each(|a| nested(a, fresh))
        }
        _ => {}
    }
}

/// Splits equations between patterns and substitutes variables that only
/// alias a pattern, until nothing changes.
fn resolve_aliases(mut body: Vec<Literal>, head: &[Expr]) -> Vec<Literal> {
    for _ in 0..64 {
        let mut changed = false;
        let mut next = Vec::with_capacity(body.len());
        for l in body {
            match l {
                Literal::Compare {
                    op: CompareOp::Eq,
                    lhs,
                    rhs,
                    span,
                } if is_pattern(&lhs) && is_pattern(&rhs) => {
                    changed = true;
                    split(lhs, rhs, span, &mut next);
                }
                l => next.push(l),
            }
        }
        body = next;
        if let Some(i) = alias(&body, head) {
            let Literal::Compare { lhs, rhs, .. } = body.remove(i) else {
                break;
            };
            let (name, term) = match (&lhs, &rhs) {
                (Expr::Var(v), t) if !matches!(t, Expr::Var(w) if w.name == v.name) => {
                    (v.name.clone(), rhs)
                }
                _ => match &rhs {
                    Expr::Var(v) => (v.name.clone(), lhs),
                    _ => break,
                },
            };
            for l in &mut body {
                substitute_literal(l, &name, &term);
            }
            changed = true;
        }
        if !changed {
            break;
        }
    }
    body
}

/// `[a, b] = [c, d]` as `a = c, b = d` (wildcards match anything).
fn split(lhs: Expr, rhs: Expr, span: crate::diag::Span, out: &mut Vec<Literal>) {
    let pairs = match (lhs, rhs) {
        (Expr::Record(a, _), Expr::Record(b, _)) if a.len() == b.len() => a.into_iter().zip(b),
        (
            Expr::Adt {
                branch: x, args: a, ..
            },
            Expr::Adt {
                branch: y, args: b, ..
            },
        ) if x.name == y.name && a.len() == b.len() => a.into_iter().zip(b),
        (Expr::Nil(_), Expr::Nil(_)) => return,
        _ => {
            out.push(Literal::Bool(false, span));
            return;
        }
    };
    for (a, b) in pairs {
        if matches!(a, Expr::Wildcard(_)) || matches!(b, Expr::Wildcard(_)) {
            continue;
        }
        out.push(Literal::Compare {
            op: CompareOp::Eq,
            lhs: a,
            rhs: b,
            span,
        });
    }
}

/// The index of an equation `v = t` whose variable `v` occurs nowhere but
/// in equations of this level, and either `t` is a pattern or `v` is also
/// equated with one: `v` is then only a name for the pattern.
fn alias(body: &[Literal], head: &[Expr]) -> Option<usize> {
    let mut elsewhere: HashSet<&str> = HashSet::new();
    let mut head_vars = Vec::new();
    head.iter()
        .for_each(|e| vars::deep_expr_vars(e, &mut head_vars));
    elsewhere.extend(head_vars.iter().map(|v| v.name.as_str()));
    let mut with_pattern: HashSet<&str> = HashSet::new();
    for l in body {
        match l {
            Literal::Compare {
                op: CompareOp::Eq,
                lhs,
                rhs,
                ..
            } => {
                for (side, other) in [(lhs, rhs), (rhs, lhs)] {
                    match side {
                        Expr::Var(v) if is_pattern(other) => {
                            with_pattern.insert(v.name.as_str());
                        }
                        Expr::Var(_) => {}
                        e => {
                            let mut vs = Vec::new();
                            vars::deep_expr_vars(e, &mut vs);
                            elsewhere.extend(vs.iter().map(|v| v.name.as_str()));
                        }
                    }
                }
            }
            l => {
                let mut vs = Vec::new();
                vars::deep_literal_vars(l, &mut vs);
                elsewhere.extend(vs.iter().map(|v| v.name.as_str()));
            }
        }
    }
    body.iter().position(|l| match l {
        Literal::Compare {
            op: CompareOp::Eq,
            lhs,
            rhs,
            ..
        } => [(lhs, rhs), (rhs, lhs)].iter().any(|(side, other)| {
            matches!(side, Expr::Var(v)
                if !elsewhere.contains(v.name.as_str())
                    && with_pattern.contains(v.name.as_str())
                    && !matches!(other, Expr::Var(w) if w.name == v.name)
                    && (is_pattern(other) || matches!(other, Expr::Var(_))))
        }),
        _ => false,
    })
}

fn substitute_literal(l: &mut Literal, name: &str, term: &Expr) {
    match l {
        Literal::Atom(a) | Literal::Negated(a) => {
            a.args.iter_mut().for_each(|e| substitute(e, name, term))
        }
        Literal::Compare { lhs, rhs, .. } => {
            substitute(lhs, name, term);
            substitute(rhs, name, term);
        }
        Literal::Builtin { args, .. } => args.iter_mut().for_each(|e| substitute(e, name, term)),
        Literal::Bool(..) => {}
    }
}

fn substitute(e: &mut Expr, name: &str, term: &Expr) {
    match e {
        Expr::Var(v) if v.name == name => *e = term.clone(),
        Expr::Binary { lhs, rhs, .. } => {
            substitute(lhs, name, term);
            substitute(rhs, name, term);
        }
        Expr::Unary { arg, .. } => substitute(arg, name, term),
        Expr::Functor { args, .. } | Expr::Record(args, _) | Expr::Adt { args, .. } => {
            args.iter_mut().for_each(|a| substitute(a, name, term))
        }
        _ => {}
    }
}

fn pattern_vars<'a>(e: &'a Expr, out: &mut Vec<&'a Ident>) {
    e.pattern_vars(out)
}

/// Step 2: for each literal of one level, true when it is an equation
/// `e = pattern` to unpack. `outer` are variables bound by enclosing
/// levels.
pub fn unpack_decisions(body: &[Literal], outer: &HashSet<String>) -> Vec<bool> {
    (0..body.len())
        .map(|i| match &body[i] {
            Literal::Compare {
                op: CompareOp::Eq,
                lhs,
                rhs,
                ..
            } if is_pattern(lhs) != is_pattern(rhs) => {
                let other = if is_pattern(lhs) { rhs } else { lhs };
                let bound = grounded(body, outer, Some(i));
                all_bound(other, &bound)
            }
            _ => false,
        })
        .collect()
}

fn all_bound(e: &Expr, bound: &HashSet<String>) -> bool {
    let mut vs = Vec::new();
    vars::expr_vars(e, &mut vs);
    !matches!(e, Expr::Wildcard(_)) && vs.iter().all(|v| bound.contains(&v.name))
}

/// The variables of a level bound by its literals (without literal
/// `skip`): positive atoms, `v = e` with `e` bound, patterns unpacked
/// from bound values.
fn grounded(body: &[Literal], outer: &HashSet<String>, skip: Option<usize>) -> HashSet<String> {
    let mut bound = outer.clone();
    for l in body {
        if let Literal::Atom(a) = l {
            for arg in &a.args {
                if let Expr::Var(v) = arg {
                    bound.insert(v.name.clone());
                }
            }
        }
    }
    loop {
        let mut changed = false;
        for (i, l) in body.iter().enumerate() {
            if Some(i) == skip {
                continue;
            }
            let Literal::Compare {
                op: CompareOp::Eq,
                lhs,
                rhs,
                ..
            } = l
            else {
                continue;
            };
            for (side, other) in [(lhs, rhs), (rhs, lhs)] {
                if !all_bound(other, &bound) {
                    continue;
                }
                let mut vs = Vec::new();
                if is_pattern(side) {
                    pattern_vars(side, &mut vs);
                } else if let Expr::Var(v) = side {
                    vs.push(v);
                }
                for v in vs {
                    changed |= bound.insert(v.name.clone());
                }
            }
        }
        if !changed {
            return bound;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;
    use crate::lang::parser::parse_source;

    fn body(src: &str) -> (Vec<Literal>, Vec<Expr>) {
        let p = parse_source(&mut SourceMap::default(), "t.dl", src).unwrap();
        match &p.items[0] {
            crate::lang::ast::Item::Rule(r) => (r.body[0].clone(), r.heads[0].args.clone()),
            _ => panic!("not a rule"),
        }
    }

    fn text(lits: &[Literal]) -> String {
        crate::repl::pretty::conjunction(lits)
    }

    #[test]
    fn atom_patterns_become_equations_and_aliases_disappear() {
        let (b, h) = body("r(z) :- a(x, y), r = [x, y], s = r, s = [v, w], w = z.");
        let n = normalise(&b, &h).unwrap();
        assert_eq!(text(&n), "a(x, y), x = v, y = w, w = z");
        let (b, h) = body("f(x) :- s([x, [_, nil]]).");
        let n = normalise(&b, &h).unwrap();
        assert_eq!(text(&n), "s(<record 1>), <record 1> = [x, [_, nil]]");
        assert_eq!(unpack_decisions(&n, &HashSet::new()), vec![false, true]);
    }

    #[test]
    fn a_record_of_bound_fields_is_packed() {
        let (b, h) = body("f(r) :- n(x), n(y), r = [x, y].");
        assert!(normalise(&b, &h).is_some());
        assert_eq!(
            unpack_decisions(&b, &HashSet::new()),
            vec![false, false, false]
        );
        let (b, _) = body("f(x) :- g(r), r = [x, 1].");
        assert_eq!(unpack_decisions(&b, &HashSet::new()), vec![false, true]);
        let (b, h) = body("f(x) :- n(x).");
        assert!(normalise(&b, &h).is_none());
    }

    #[test]
    fn different_constructors_never_match() {
        let (b, h) = body("f(1) :- $A(1) = $B(1), $A(x) = $A(2).");
        let n = normalise(&b, &h).unwrap();
        assert_eq!(text(&n), "false, x = 2");
    }
}
