//! Which relations the rewrite must leave whole.
//!
//! A relation read under negation or inside an aggregate is asked about
//! from a lower stratum; restricting it by what its readers demand would
//! make it depend on them (through the magic predicates), and the program
//! could stop being stratified. Such a relation, and everything it is
//! computed from, is evaluated in full, as written — the fallback Soufflé
//! takes for what it cannot label. The same holds for relations whose
//! rules number rows with `autoinc()`: the numbers depend on which rows
//! exist, so their rules and everything they read stay as they are.

use crate::lang::ast::{Expr, Functor, Literal, Rule};
use std::collections::HashSet;

/// True when the term calls `autoinc()`.
fn has_autoinc(e: &Expr) -> bool {
    match e {
        Expr::Functor {
            func: Functor::Autoinc,
            ..
        } => true,
        Expr::Binary { lhs, rhs, .. } => has_autoinc(lhs) || has_autoinc(rhs),
        Expr::Unary { arg, .. } => has_autoinc(arg),
        Expr::Functor { args, .. } => args.iter().any(has_autoinc),
        Expr::Aggregate { target, body, .. } => {
            target.as_deref().is_some_and(has_autoinc) || body.iter().any(literal_autoinc)
        }
        _ => false,
    }
}

fn literal_autoinc(l: &Literal) -> bool {
    match l {
        Literal::Atom(a) | Literal::Negated(a) => a.args.iter().any(has_autoinc),
        Literal::Compare { lhs, rhs, .. } => has_autoinc(lhs) || has_autoinc(rhs),
        Literal::Builtin { args, .. } => args.iter().any(has_autoinc),
        Literal::Bool(..) => false,
    }
}

/// Adds the relations read inside aggregates of `e`.
fn aggregated(e: &Expr, out: &mut HashSet<String>) {
    match e {
        Expr::Aggregate { target, body, .. } => {
            if let Some(t) = target {
                t.each_relation(&mut |r| {
                    out.insert(r.to_string());
                });
            }
            for l in body {
                l.each_relation(&mut |r| {
                    out.insert(r.to_string());
                });
            }
        }
        Expr::Binary { lhs, rhs, .. } => {
            aggregated(lhs, out);
            aggregated(rhs, out);
        }
        Expr::Unary { arg, .. } => aggregated(arg, out),
        Expr::Functor { args, .. } => args.iter().for_each(|a| aggregated(a, out)),
        _ => {}
    }
}

/// Adds the relations read under negation or in an aggregate by `l`.
fn guarded(l: &Literal, out: &mut HashSet<String>) {
    match l {
        Literal::Negated(a) => {
            out.insert(a.relation.name.clone());
            a.args.iter().for_each(|e| aggregated(e, out));
        }
        Literal::Atom(a) => a.args.iter().for_each(|e| aggregated(e, out)),
        Literal::Compare { lhs, rhs, .. } => {
            aggregated(lhs, out);
            aggregated(rhs, out);
        }
        Literal::Builtin { args, .. } => args.iter().for_each(|e| aggregated(e, out)),
        Literal::Bool(..) => {}
    }
}

/// The relations to evaluate whole: read under negation or in an
/// aggregate (by a rule or by one of `bodies`), defined with `autoinc()`,
/// and everything those are computed from.
pub fn whole_relations(rules: &[Rule], bodies: &[Vec<Literal>]) -> HashSet<String> {
    let mut whole: HashSet<String> = HashSet::new();
    for rule in rules {
        for alt in &rule.body {
            alt.iter().for_each(|l| guarded(l, &mut whole));
        }
        for h in &rule.heads {
            h.args.iter().for_each(|e| aggregated(e, &mut whole));
        }
        let counts = rule.heads.iter().any(|h| h.args.iter().any(has_autoinc))
            || rule.body.iter().flatten().any(literal_autoinc);
        if counts {
            whole.extend(rule.heads.iter().map(|h| h.relation.name.clone()));
        }
    }
    for body in bodies {
        body.iter().for_each(|l| guarded(l, &mut whole));
    }
    // Downwards: what a whole relation's rules read is needed whole too.
    loop {
        let mut grew = false;
        for rule in rules {
            if !rule.heads.iter().any(|h| whole.contains(&h.relation.name)) {
                continue;
            }
            let mut reads: Vec<String> = Vec::new();
            for l in rule.body.iter().flatten() {
                l.each_relation(&mut |r| reads.push(r.to_string()));
            }
            for h in &rule.heads {
                // Every head of a multi-head rule comes from the same body.
                reads.push(h.relation.name.clone());
                h.args
                    .iter()
                    .for_each(|e| e.each_relation(&mut |r| reads.push(r.to_string())));
            }
            for r in reads {
                grew |= whole.insert(r);
            }
        }
        if !grew {
            break;
        }
    }
    whole
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;
    use crate::lang::ast::Item;
    use crate::lang::parser::parse_source;

    fn whole(text: &str) -> Vec<String> {
        let mut sources = SourceMap::new();
        let p = parse_source(&mut sources, "t.dl", text).unwrap();
        let rules: Vec<Rule> = p
            .items
            .into_iter()
            .filter_map(|i| match i {
                Item::Rule(r) => Some(r),
                _ => None,
            })
            .collect();
        let mut v: Vec<String> = whole_relations(&rules, &[]).into_iter().collect();
        v.sort();
        v
    }

    #[test]
    fn negated_aggregated_and_counted_relations_and_their_sources_stay_whole() {
        let text = ".decl a(x: number)\n.decl b(x: number)\n.decl c(x: number)\n\
                    .decl d(x: number)\n.decl e(x: number)\n.decl f(x: number)\n\
                    .decl g(x: number)\n.decl h(x: number)\n\
                    a(x) :- b(x), !c(x).\nc(x) :- d(x).\n\
                    e(n) :- n = count : { f(_) }.\ng(autoinc()) :- h(_).\nb(x) :- h(x).\n";
        assert_eq!(whole(text), ["c", "d", "f", "g", "h"]);
    }
}
