//! Bodies in disjunctive normal form.
//!
//! Soufflé splits `a :- b, (c ; d).` into one clause per alternative and
//! pushes `!` inwards through parentheses; the parser does the same so that
//! every later stage only sees flat conjunctions of literals.

use crate::lang::ast::{BuiltinPred, CompareOp, Literal};

/// A disjunction of conjunctions.
pub type Dnf = Vec<Vec<Literal>>;

/// More alternatives than this is almost certainly a mistake (or an
/// exponential blow-up from negated parentheses); the parser reports it.
pub const MAX_ALTERNATIVES: usize = 4096;

/// `a, b` where each side is already a disjunction: the cross product.
/// Returns `None` when the result would exceed [`MAX_ALTERNATIVES`].
pub fn and(left: Dnf, right: Dnf) -> Option<Dnf> {
    if left.len().saturating_mul(right.len()) > MAX_ALTERNATIVES {
        return None;
    }
    if right.len() == 1 {
        let right = right.into_iter().next().unwrap_or_default();
        return Some(
            left.into_iter()
                .map(|mut conj| {
                    conj.extend(right.iter().cloned());
                    conj
                })
                .collect(),
        );
    }
    let mut out = Vec::with_capacity(left.len() * right.len());
    for l in &left {
        for r in &right {
            let mut conj = l.clone();
            conj.extend(r.iter().cloned());
            out.push(conj);
        }
    }
    Some(out)
}

/// `!(…)`: De Morgan's laws, then back to normal form.
pub fn negate(dnf: Dnf) -> Option<Dnf> {
    // !(C1 ; C2) = !C1 , !C2 and !(l1, l2) = !l1 ; !l2
    let mut acc: Dnf = vec![Vec::new()];
    for conj in dnf {
        let alternatives: Dnf = conj.into_iter().map(|l| vec![negate_literal(l)]).collect();
        acc = and(acc, alternatives)?;
    }
    Some(acc)
}

/// The negation of one literal; comparisons flip, constraints invert.
pub fn negate_literal(literal: Literal) -> Literal {
    match literal {
        Literal::Atom(a) => Literal::Negated(a),
        Literal::Negated(a) => Literal::Atom(a),
        Literal::Compare { op, lhs, rhs, span } => Literal::Compare {
            op: flip(op),
            lhs,
            rhs,
            span,
        },
        Literal::Builtin { pred, args, span } => Literal::Builtin {
            pred: match pred {
                BuiltinPred::Contains => BuiltinPred::NotContains,
                BuiltinPred::NotContains => BuiltinPred::Contains,
                BuiltinPred::Match => BuiltinPred::NotMatch,
                BuiltinPred::NotMatch => BuiltinPred::Match,
            },
            args,
            span,
        },
        Literal::Bool(b, span) => Literal::Bool(!b, span),
    }
}

fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Eq => CompareOp::Ne,
        CompareOp::Ne => CompareOp::Eq,
        CompareOp::Lt => CompareOp::Ge,
        CompareOp::Ge => CompareOp::Lt,
        CompareOp::Gt => CompareOp::Le,
        CompareOp::Le => CompareOp::Gt,
    }
}
