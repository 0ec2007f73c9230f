//! Where variables and aggregates occur in literals and terms.
//!
//! A variable inside an aggregate body is local to that aggregate unless it
//! also occurs outside it, so most walks here stop at aggregate boundaries:
//! "at this level" means outside any nested aggregate.

use crate::lang::ast::{Atom, Expr, Ident, Literal};

/// Named variables of `e` at this level, in order of occurrence.
pub fn expr_vars<'a>(e: &'a Expr, out: &mut Vec<&'a Ident>) {
    match e {
        Expr::Var(v) => out.push(v),
        Expr::Binary { lhs, rhs, .. } => {
            expr_vars(lhs, out);
            expr_vars(rhs, out);
        }
        Expr::Unary { arg, .. } => expr_vars(arg, out),
        Expr::Functor { args, .. } | Expr::Record(args, _) | Expr::Adt { args, .. } => {
            args.iter().for_each(|a| expr_vars(a, out))
        }
        Expr::Aggregate { .. }
        | Expr::Wildcard(_)
        | Expr::Str(..)
        | Expr::Number(..)
        | Expr::Unsigned(..)
        | Expr::Float(..)
        | Expr::Nil(_) => {}
    }
}

/// Named variables of a literal at this level.
pub fn literal_vars<'a>(l: &'a Literal, out: &mut Vec<&'a Ident>) {
    match l {
        Literal::Atom(a) | Literal::Negated(a) => atom_vars(a, out),
        Literal::Compare { lhs, rhs, .. } => {
            expr_vars(lhs, out);
            expr_vars(rhs, out);
        }
        Literal::Builtin { args, .. } => args.iter().for_each(|a| expr_vars(a, out)),
        Literal::Bool(..) => {}
    }
}

/// Named variables of an atom's arguments at this level.
pub fn atom_vars<'a>(a: &'a Atom, out: &mut Vec<&'a Ident>) {
    a.args.iter().for_each(|e| expr_vars(e, out));
}

/// Aggregates of `e` at this level (not those nested inside them).
pub fn expr_aggregates<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::Aggregate { .. } => out.push(e),
        Expr::Binary { lhs, rhs, .. } => {
            expr_aggregates(lhs, out);
            expr_aggregates(rhs, out);
        }
        Expr::Unary { arg, .. } => expr_aggregates(arg, out),
        Expr::Functor { args, .. } | Expr::Record(args, _) | Expr::Adt { args, .. } => {
            args.iter().for_each(|a| expr_aggregates(a, out))
        }
        _ => {}
    }
}

/// Aggregates of a literal at this level.
pub fn literal_aggregates<'a>(l: &'a Literal, out: &mut Vec<&'a Expr>) {
    match l {
        Literal::Atom(a) | Literal::Negated(a) => {
            a.args.iter().for_each(|e| expr_aggregates(e, out))
        }
        Literal::Compare { lhs, rhs, .. } => {
            expr_aggregates(lhs, out);
            expr_aggregates(rhs, out);
        }
        Literal::Builtin { args, .. } => args.iter().for_each(|a| expr_aggregates(a, out)),
        Literal::Bool(..) => {}
    }
}

/// Every named variable of `e`, inside nested aggregates too.
pub fn deep_expr_vars<'a>(e: &'a Expr, out: &mut Vec<&'a Ident>) {
    match e {
        Expr::Aggregate { target, body, .. } => {
            if let Some(t) = target {
                deep_expr_vars(t, out);
            }
            for l in body {
                deep_literal_vars(l, out);
            }
        }
        Expr::Var(v) => out.push(v),
        Expr::Binary { lhs, rhs, .. } => {
            deep_expr_vars(lhs, out);
            deep_expr_vars(rhs, out);
        }
        Expr::Unary { arg, .. } => deep_expr_vars(arg, out),
        Expr::Functor { args, .. } | Expr::Record(args, _) | Expr::Adt { args, .. } => {
            args.iter().for_each(|a| deep_expr_vars(a, out))
        }
        _ => {}
    }
}

/// Every named variable of a literal, inside nested aggregates too.
pub fn deep_literal_vars<'a>(l: &'a Literal, out: &mut Vec<&'a Ident>) {
    match l {
        Literal::Atom(a) | Literal::Negated(a) => {
            a.args.iter().for_each(|e| deep_expr_vars(e, out))
        }
        Literal::Compare { lhs, rhs, .. } => {
            deep_expr_vars(lhs, out);
            deep_expr_vars(rhs, out);
        }
        Literal::Builtin { args, .. } => args.iter().for_each(|a| deep_expr_vars(a, out)),
        Literal::Bool(..) => {}
    }
}

/// Every atom of a conjunction, including those inside aggregate bodies
/// (and inside aggregates nested in aggregate targets).
pub fn all_atoms<'a>(body: &'a [Literal], out: &mut Vec<&'a Atom>) {
    for l in body {
        if let Literal::Atom(a) | Literal::Negated(a) = l {
            out.push(a);
        }
        let mut aggs = Vec::new();
        literal_aggregates(l, &mut aggs);
        for agg in aggs {
            if let Expr::Aggregate { body, target, .. } = agg {
                all_atoms(body, out);
                if let Some(t) = target {
                    let mut nested = Vec::new();
                    expr_aggregates(t, &mut nested);
                    for n in nested {
                        if let Expr::Aggregate { body, .. } = n {
                            all_atoms(body, out);
                        }
                    }
                }
            }
        }
    }
}
