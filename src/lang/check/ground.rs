//! Groundedness (Soufflé's rules) and where `_` may stand.
//!
//! A variable is grounded by a positive atom of the same conjunction that
//! has it as an argument, or by `x = expr` whose expression is grounded.
//! Every variable of a clause must be grounded; variables of an aggregate
//! body that do not occur outside it are local and must be grounded inside.

use std::collections::HashSet;

use super::vars;
use crate::diag::Diagnostic;
use crate::lang::ast::{Atom, CompareOp, Expr, Ident, Literal};

/// Checks one conjunction with its heads.
pub fn check(heads: &[Atom], body: &[Literal], errors: &mut Vec<Diagnostic>) {
    check_with(heads, body, &HashSet::new(), errors);
}

/// Checks a clause of an `inline` relation, whose head variables are given
/// by the atom it is expanded into (see [`crate::lang::inline`]): only the
/// variables of its body alone must be grounded there.
pub fn check_inline(heads: &[Atom], body: &[Literal], errors: &mut Vec<Diagnostic>) {
    let mut given = Vec::new();
    for h in heads {
        for a in &h.args {
            vars::expr_vars(a, &mut given);
        }
    }
    let given: HashSet<String> = given.into_iter().map(|v| v.name.clone()).collect();
    check_with(heads, body, &given, errors);
}

fn check_with(
    heads: &[Atom],
    body: &[Literal],
    given: &HashSet<String>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut extra: Vec<&Expr> = Vec::new();
    for h in heads {
        extra.extend(h.args.iter());
    }
    level(body, &extra, given, &HashSet::new(), errors);
    for h in heads {
        for a in &h.args {
            if let Expr::Wildcard(span) = a {
                errors.push(
                    Diagnostic::error("`_` in a rule head: every head column needs a value", *span)
                        .with_label("not allowed in a head"),
                );
            }
        }
    }
    for l in body {
        wildcards_in_literal(l, errors);
    }
}

/// One level (the clause, or an aggregate body). `extra` are terms that
/// belong to this level without grounding anything (heads, the target);
/// `bound` are the outer variables already grounded, `outer` every
/// variable visible from enclosing levels.
fn level(
    body: &[Literal],
    extra: &[&Expr],
    bound: &HashSet<String>,
    outer: &HashSet<String>,
    errors: &mut Vec<Diagnostic>,
) {
    // Heads and targets come first in the source, so first occurrences do.
    let mut occurrences: Vec<&Ident> = Vec::new();
    for e in extra {
        vars::expr_vars(e, &mut occurrences);
    }
    for l in body {
        vars::literal_vars(l, &mut occurrences);
    }
    let mut here: Vec<&Ident> = Vec::new();
    let mut seen = HashSet::new();
    for v in occurrences {
        if !outer.contains(&v.name) && seen.insert(v.name.as_str()) {
            here.push(v);
        }
    }
    let mut visible: HashSet<String> = outer.clone();
    visible.extend(here.iter().map(|v| v.name.clone()));

    let mut grounded: HashSet<String> = bound.clone();
    for l in body {
        if let Literal::Atom(a) = l {
            for arg in &a.args {
                // A record pattern takes the column's value apart.
                let mut vs = Vec::new();
                arg.pattern_vars(&mut vs);
                grounded.extend(vs.iter().map(|v| v.name.clone()));
            }
        }
    }
    loop {
        let mut changed = false;
        for l in body {
            if let Literal::Compare {
                op: CompareOp::Eq,
                lhs,
                rhs,
                ..
            } = l
            {
                for (side, other) in [(lhs, rhs), (rhs, lhs)] {
                    if let Expr::Var(v) = side
                        && !grounded.contains(&v.name)
                        && is_grounded(other, &grounded, &visible)
                    {
                        grounded.insert(v.name.clone());
                        changed = true;
                    }
                    // `[x, y] = e` with `e` grounded takes `e` apart.
                    if side.is_pattern() && is_grounded(other, &grounded, &visible) {
                        let mut vs = Vec::new();
                        side.pattern_vars(&mut vs);
                        for v in vs {
                            changed |= grounded.insert(v.name.clone());
                        }
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    for v in &here {
        if !grounded.contains(&v.name) {
            errors.push(
                Diagnostic::error(format!("ungrounded variable `{}`", v.name), v.span)
                    .with_label("not bound by a positive atom or `=`"),
            );
        }
    }
    // Aggregates of this level, with what they can see.
    let mut aggs = Vec::new();
    for l in body {
        vars::literal_aggregates(l, &mut aggs);
    }
    for e in extra {
        vars::expr_aggregates(e, &mut aggs);
    }
    for agg in aggs {
        if let Expr::Aggregate { target, body, .. } = agg {
            let extra: Vec<&Expr> = target.iter().map(|t| t.as_ref()).collect();
            level(body, &extra, &grounded, &visible, errors);
        }
    }
}

/// True when every variable `e` depends on is grounded.
fn is_grounded(e: &Expr, grounded: &HashSet<String>, visible: &HashSet<String>) -> bool {
    let mut names = Vec::new();
    vars::expr_vars(e, &mut names);
    if names.iter().any(|v| !grounded.contains(&v.name)) {
        return false;
    }
    if matches!(e, Expr::Wildcard(_)) {
        return false;
    }
    // An aggregate's value depends only on the outer variables it uses.
    let mut aggs = Vec::new();
    vars::expr_aggregates(e, &mut aggs);
    aggs.iter().all(|a| {
        let mut deep = Vec::new();
        vars::deep_expr_vars(a, &mut deep);
        deep.iter()
            .filter(|v| visible.contains(&v.name))
            .all(|v| grounded.contains(&v.name))
    })
}

fn wildcards_in_literal(l: &Literal, errors: &mut Vec<Diagnostic>) {
    match l {
        Literal::Atom(a) | Literal::Negated(a) => {
            for arg in &a.args {
                if !matches!(arg, Expr::Wildcard(_)) {
                    wildcards_in_expr(arg, errors);
                }
            }
        }
        Literal::Compare { lhs, rhs, .. } => {
            wildcards_in_expr(lhs, errors);
            wildcards_in_expr(rhs, errors);
        }
        Literal::Builtin { args, .. } => args.iter().for_each(|a| wildcards_in_expr(a, errors)),
        Literal::Bool(..) => {}
    }
}

/// `_` inside a term (not directly an atom argument) has no meaning.
fn wildcards_in_expr(e: &Expr, errors: &mut Vec<Diagnostic>) {
    match e {
        Expr::Wildcard(span) => errors.push(
            Diagnostic::error(
                "`_` can only stand for a column of an atom, not inside a term or comparison",
                *span,
            )
            .with_label("not allowed here"),
        ),
        Expr::Binary { lhs, rhs, .. } => {
            wildcards_in_expr(lhs, errors);
            wildcards_in_expr(rhs, errors);
        }
        Expr::Unary { arg, .. } => wildcards_in_expr(arg, errors),
        Expr::Functor { args, .. } => args.iter().for_each(|a| wildcards_in_expr(a, errors)),
        // A field of a record pattern may be left open.
        Expr::Record(args, _) | Expr::Adt { args, .. } => args
            .iter()
            .filter(|a| !matches!(a, Expr::Wildcard(_)))
            .for_each(|a| wildcards_in_expr(a, errors)),
        Expr::Aggregate { target, body, .. } => {
            if let Some(t) = target {
                wildcards_in_expr(t, errors);
            }
            for l in body {
                wildcards_in_literal(l, errors);
            }
        }
        _ => {}
    }
}
