//! The order in which a clause passes bindings sideways (its SIPS), and
//! what each atom of the body is asked with.
//!
//! A clause is walked from what is known (the head's bound arguments, or
//! nothing for a query): filters and `v = known` equalities as soon as
//! their variables are bound, then the positive atom with the most bound
//! arguments (all bound first, the leftmost on a tie), whose variables are
//! then bound too. Only variables and constants count as bound arguments:
//! a binding computed by arithmetic (`p(x + 1)`, `y = x + 1`) would let a
//! magic predicate generate values the original program never reaches (an
//! infinite relation where the program is finite), so it is treated as
//! free. Aggregates bind nothing and are never part of a prefix. What is
//! left (literals whose variables the walk never binds) follows at the end.

use crate::lang::ast::{CompareOp, Expr, Literal};
use std::collections::HashSet;

/// One positive atom of the body as the walk meets it.
#[derive(Debug)]
pub struct Call {
    /// Its index in the body.
    pub literal: usize,
    /// Which arguments are bound when it is reached.
    pub bound: Vec<bool>,
    /// The literals before it in the walk (indices into the body), which
    /// bind its bound arguments.
    pub prefix: Vec<usize>,
}

/// The walk over one clause body.
#[derive(Debug)]
pub struct Walk {
    /// Every literal's index, in the walk's order (leftovers last).
    pub order: Vec<usize>,
    /// The positive atoms reached with some knowledge of their bindings.
    pub calls: Vec<Call>,
}

/// True for a literal constant: a bound argument as it stands.
pub fn is_constant(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Str(..) | Expr::Number(..) | Expr::Unsigned(..) | Expr::Float(..)
    )
}

/// True when the term holds an aggregate (which binds nothing here).
fn has_aggregate(e: &Expr) -> bool {
    match e {
        Expr::Aggregate { .. } => true,
        Expr::Binary { lhs, rhs, .. } => has_aggregate(lhs) || has_aggregate(rhs),
        Expr::Unary { arg, .. } => has_aggregate(arg),
        Expr::Functor { args, .. } => args.iter().any(has_aggregate),
        _ => false,
    }
}

/// The variables of a term outside aggregates.
fn vars<'a>(e: &'a Expr, out: &mut Vec<&'a str>) {
    match e {
        Expr::Var(id) => out.push(&id.name),
        Expr::Binary { lhs, rhs, .. } => {
            vars(lhs, out);
            vars(rhs, out);
        }
        Expr::Unary { arg, .. } => vars(arg, out),
        Expr::Functor { args, .. } => args.iter().for_each(|a| vars(a, out)),
        _ => {}
    }
}

/// The terms of a literal other than a positive atom.
fn terms(l: &Literal) -> Vec<&Expr> {
    match l {
        Literal::Atom(a) | Literal::Negated(a) => a.args.iter().collect(),
        Literal::Compare { lhs, rhs, .. } => vec![lhs, rhs],
        Literal::Builtin { args, .. } => args.iter().collect(),
        Literal::Bool(..) => Vec::new(),
    }
}

/// True when every variable of the terms is bound and none holds an
/// aggregate.
fn all_bound(ts: &[&Expr], bound: &HashSet<String>) -> bool {
    ts.iter().all(|t| {
        let mut v = Vec::new();
        vars(t, &mut v);
        !has_aggregate(t) && v.iter().all(|x| bound.contains(*x))
    })
}

/// The variable a literal `v = known` (either way round) binds.
fn binds(l: &Literal, bound: &HashSet<String>) -> Option<String> {
    let Literal::Compare {
        op: CompareOp::Eq,
        lhs,
        rhs,
        ..
    } = l
    else {
        return None;
    };
    let known = |e: &Expr| is_constant(e) || matches!(e, Expr::Var(id) if bound.contains(&id.name));
    match (lhs, rhs) {
        (Expr::Var(v), other) | (other, Expr::Var(v))
            if !bound.contains(&v.name) && known(other) =>
        {
            Some(v.name.clone())
        }
        _ => None,
    }
}

/// Walks `body` from the variables in `bound`.
pub fn walk(body: &[Literal], mut bound: HashSet<String>) -> Walk {
    let mut done = vec![false; body.len()];
    let mut order: Vec<usize> = Vec::new();
    let mut calls = Vec::new();
    loop {
        // Filters and bindings by copy, until none applies.
        let mut grew = true;
        while grew {
            grew = false;
            for (i, l) in body.iter().enumerate() {
                if done[i] || matches!(l, Literal::Atom(_)) {
                    continue;
                }
                if let Some(v) = binds(l, &bound) {
                    bound.insert(v);
                } else if !all_bound(&terms(l), &bound) {
                    continue;
                }
                done[i] = true;
                order.push(i);
                grew = true;
            }
        }
        // The next atom: its computed arguments must be known already.
        let mut best: Option<(usize, (bool, usize))> = None;
        for (i, l) in body.iter().enumerate() {
            let Literal::Atom(a) = l else { continue };
            if done[i] {
                continue;
            }
            let ready = a.args.iter().all(|e| {
                matches!(e, Expr::Var(_) | Expr::Wildcard(_))
                    || is_constant(e)
                    || all_bound(&[e], &bound)
            });
            if !ready {
                continue;
            }
            let n = a.args.iter().filter(|e| argument_bound(e, &bound)).count();
            let key = (n == a.args.len(), n);
            if best.is_none_or(|(_, k)| key > k) {
                best = Some((i, key));
            }
        }
        let Some((i, _)) = best else { break };
        let Literal::Atom(a) = &body[i] else { break };
        calls.push(Call {
            literal: i,
            bound: a.args.iter().map(|e| argument_bound(e, &bound)).collect(),
            prefix: order.clone(),
        });
        for e in &a.args {
            if let Expr::Var(v) = e {
                bound.insert(v.name.clone());
            }
        }
        done[i] = true;
        order.push(i);
    }
    order.extend((0..body.len()).filter(|&i| !done[i]));
    Walk { order, calls }
}

/// Whether an argument counts as bound: a constant or a bound variable.
fn argument_bound(e: &Expr, bound: &HashSet<String>) -> bool {
    is_constant(e) || matches!(e, Expr::Var(v) if bound.contains(&v.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;
    use crate::lang::ast::Item;
    use crate::lang::parser::parse_source;

    fn body(text: &str) -> Vec<Literal> {
        let mut sources = SourceMap::new();
        let p = parse_source(&mut sources, "t.dl", text).unwrap();
        match &p.items[0] {
            Item::Rule(r) => r.body[0].clone(),
            other => panic!("not a rule: {other:?}"),
        }
    }

    fn pattern(b: &[bool]) -> String {
        b.iter().map(|&x| if x { 'b' } else { 'f' }).collect()
    }

    #[test]
    fn bindings_flow_from_the_head_through_atoms() {
        let b = body("s(x, y) :- p(x, a), s(a, b), p(y, b).");
        let w = walk(&b, ["x".to_string(), "y".to_string()].into());
        let got: Vec<(usize, String)> = w
            .calls
            .iter()
            .map(|c| (c.literal, pattern(&c.bound)))
            .collect();
        // p(x, a) and p(y, b) tie: the leftmost goes first; then s(a, b)
        // and p(y, b) both have one bound argument.
        assert_eq!(got, [(0, "bf".into()), (1, "bf".into()), (2, "bb".into())]);
        assert_eq!(w.order, [0, 1, 2]);
    }

    #[test]
    fn arithmetic_binds_nothing_and_filters_wait_for_their_variables() {
        let b = body("g(x) :- x < 3, g(x + 1), v(x), y = x + 1, z = x, h(y, z).");
        let w = walk(&b, ["x".to_string()].into());
        let got: Vec<(usize, String)> = w
            .calls
            .iter()
            .map(|c| (c.literal, pattern(&c.bound)))
            .collect();
        // x < 3 and z = x first; v(x) is all bound; g(x + 1) is free;
        // h(y, z) waits for y, which only arithmetic binds... and the
        // equality `y = x + 1` is a filter once x is bound, but binds
        // nothing, so h is asked with z only.
        assert_eq!(got[0], (2, "b".into()));
        assert!(got.contains(&(1, "f".into())));
        assert!(got.contains(&(5, "fb".into())));
        assert_eq!(w.order.len(), b.len());
    }

    #[test]
    fn constants_bind_and_aggregates_stay_out_of_prefixes() {
        let b = body("q(n) :- n = count : { e(_) }, r(\"k\", m), s(m, n).");
        let w = walk(&b, HashSet::new());
        assert_eq!(pattern(&w.calls[0].bound), "bf");
        assert_eq!(w.calls[0].literal, 1);
        let s = w.calls.iter().find(|c| c.literal == 2).unwrap();
        assert_eq!(pattern(&s.bound), "bf");
        assert!(!s.prefix.contains(&0));
        assert_eq!(*w.order.last().unwrap(), 0);
    }
}
