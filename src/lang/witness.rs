//! Aggregate witnesses: Soufflé lets a `min`/`max` aggregate bind, outside
//! it, variables of its body that nothing else binds —
//! `tallest(s, h) :- h = max x : { student(s, x) }.` gives the student with
//! the greatest height.
//!
//! The rule is rewritten before checking: the aggregate keeps its own copy
//! of the witness variables, and its body is joined once more at the rule
//! level with the target equal to the result:
//! `h = max x' : { student(s', x') }, student(s, x), x = h`. Every tuple that
//! reaches the extreme value is a witness (Soufflé keeps one of them when
//! several tie). `count`, `sum` and `mean` have no witness: their variables
//! stay local as before.

use std::collections::{HashMap, HashSet};

use crate::lang::ast::{AggKind, CompareOp, Expr, Ident, Item, Literal, Program};
use crate::lang::check::vars;

/// Rewrites the witnesses of every rule of the program.
pub fn bind_witnesses(program: &mut Program) {
    let mut fresh = 0usize;
    for item in &mut program.items {
        let Item::Rule(rule) = item else { continue };
        let heads = rule.heads.clone();
        for conj in &mut rule.body {
            let head_args: Vec<&Expr> = heads.iter().flat_map(|h| h.args.iter()).collect();
            if let Some(new) = rewrite(conj, &head_args, &mut fresh) {
                *conj = new;
            }
        }
    }
}

/// The conjunction with its witnesses bound, or `None` when it has none.
fn rewrite(body: &[Literal], heads: &[&Expr], fresh: &mut usize) -> Option<Vec<Literal>> {
    let grounded = grounded(body);
    let mut out: Vec<Literal> = Vec::new();
    let mut extra: Vec<Literal> = Vec::new();
    let mut changed = false;
    for (i, l) in body.iter().enumerate() {
        let Some(MinMax {
            result,
            kind,
            target,
            body: agg_body,
            span,
        }) = min_max_binding(l)
        else {
            out.push(l.clone());
            continue;
        };
        // Names used outside this aggregate, at the rule level.
        let mut outside: HashSet<String> = HashSet::new();
        let mut names = Vec::new();
        for e in heads {
            vars::expr_vars(e, &mut names);
        }
        for (j, other) in body.iter().enumerate() {
            if j != i {
                vars::literal_vars(other, &mut names);
            }
        }
        outside.extend(names.iter().map(|v| v.name.clone()));
        // The result variable written inside its own aggregate is a local
        // of the aggregate that shadows it (`a = max a : r(a)`).
        let shadowed: HashMap<String, String> = result
            .iter()
            .filter(|r| {
                let mut deep = Vec::new();
                vars::deep_expr_vars(target, &mut deep);
                agg_body
                    .iter()
                    .for_each(|l| vars::deep_literal_vars(l, &mut deep));
                deep.iter().any(|v| v.name == r.name)
            })
            .map(|r| {
                *fresh += 1;
                (r.name.clone(), format!("<local {fresh}>{}", r.name))
            })
            .collect();
        let mut target = target.clone();
        rename(&mut target, &shadowed);
        let mut agg_body = agg_body.to_vec();
        agg_body.iter_mut().for_each(|l| rename_lit(l, &shadowed));
        let (target, agg_body) = (&target, agg_body.as_slice());
        let mut inner = Vec::new();
        vars::expr_vars(target, &mut inner);
        for l in agg_body {
            vars::literal_vars(l, &mut inner);
        }
        let witnesses: HashSet<String> = inner
            .iter()
            .map(|v| v.name.clone())
            .filter(|n| outside.contains(n) && !grounded.contains(n))
            .collect();
        if witnesses.is_empty() {
            if shadowed.is_empty() {
                out.push(l.clone());
            } else {
                changed = true;
                out.push(binding(
                    result,
                    kind,
                    target.clone(),
                    agg_body.to_vec(),
                    span,
                    fresh,
                ));
            }
            continue;
        }
        changed = true;
        let mut new_name = |n: &str| {
            *fresh += 1;
            format!("<witness {fresh}>{n}")
        };
        // The aggregate's own copy of the witnesses.
        let own: HashMap<String, String> =
            witnesses.iter().map(|w| (w.clone(), new_name(w))).collect();
        let mut agg_target = target.clone();
        rename(&mut agg_target, &own);
        let mut agg_lits = agg_body.to_vec();
        agg_lits.iter_mut().for_each(|l| rename_lit(l, &own));
        // The join at the rule level: the aggregate's locals get names of
        // their own so that they meet nothing else of the rule.
        let mut deep = Vec::new();
        vars::deep_expr_vars(target, &mut deep);
        for l in agg_body {
            vars::deep_literal_vars(l, &mut deep);
        }
        let locals: HashMap<String, String> = deep
            .iter()
            .map(|v| v.name.clone())
            .filter(|n| !outside.contains(n) && !grounded.contains(n))
            .collect::<HashSet<_>>()
            .into_iter()
            .map(|n| {
                let f = new_name(&n);
                (n, f)
            })
            .collect();
        let result = result.cloned().unwrap_or_else(|| Ident {
            name: new_name("result"),
            span,
        });
        out.push(binding(
            Some(&result),
            kind,
            agg_target,
            agg_lits,
            span,
            fresh,
        ));
        for l in agg_body {
            let mut l = l.clone();
            rename_lit(&mut l, &locals);
            extra.push(l);
        }
        let mut joined_target = target.clone();
        rename(&mut joined_target, &locals);
        extra.push(Literal::Compare {
            op: CompareOp::Eq,
            lhs: joined_target,
            rhs: Expr::Var(result),
            span,
        });
    }
    changed.then(|| {
        out.extend(extra);
        out
    })
}

/// `result = kind target : { body }` (a fresh result for `_`).
fn binding(
    result: Option<&Ident>,
    kind: AggKind,
    target: Expr,
    body: Vec<Literal>,
    span: crate::diag::Span,
    fresh: &mut usize,
) -> Literal {
    let result = result.cloned().unwrap_or_else(|| {
        *fresh += 1;
        Ident {
            name: format!("<result {fresh}>"),
            span,
        }
    });
    Literal::Compare {
        op: CompareOp::Eq,
        lhs: Expr::Var(result),
        rhs: Expr::Aggregate {
            kind,
            target: Some(Box::new(target)),
            body,
            span,
        },
        span,
    }
}

/// The parts of `r = min t : { … }`.
struct MinMax<'a> {
    /// `r`, or `None` for `_`.
    result: Option<&'a Ident>,
    kind: AggKind,
    target: &'a Expr,
    body: &'a [Literal],
    span: crate::diag::Span,
}

/// `r = min t : { … }` (or `_ = …`, or the sides swapped).
fn min_max_binding(l: &Literal) -> Option<MinMax<'_>> {
    let Literal::Compare {
        op: CompareOp::Eq,
        lhs,
        rhs,
        ..
    } = l
    else {
        return None;
    };
    for (side, other) in [(lhs, rhs), (rhs, lhs)] {
        let result = match side {
            Expr::Var(v) => Some(v),
            Expr::Wildcard(_) => None,
            _ => continue,
        };
        if let Expr::Aggregate {
            kind: kind @ (AggKind::Min | AggKind::Max),
            target: Some(target),
            body,
            span,
        } = other
        {
            return Some(MinMax {
                result,
                kind: *kind,
                target,
                body,
                span: *span,
            });
        }
    }
    None
}

/// Variables the rule level binds before any witness: atom arguments, then
/// `x = e` over bound variables (an aggregate's result included), to a
/// fixpoint.
fn grounded(body: &[Literal]) -> HashSet<String> {
    let mut g: HashSet<String> = HashSet::new();
    for l in body {
        if let Literal::Atom(a) = l {
            for e in &a.args {
                // A record pattern binds its fields too.
                let mut vs = Vec::new();
                e.pattern_vars(&mut vs);
                g.extend(vs.iter().map(|v| v.name.clone()));
            }
        }
    }
    loop {
        let mut grew = false;
        for l in body {
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
                if side.is_pattern() {
                    let mut used = Vec::new();
                    vars::expr_vars(other, &mut used);
                    if used.iter().all(|u| g.contains(&u.name)) {
                        let mut vs = Vec::new();
                        side.pattern_vars(&mut vs);
                        for v in vs {
                            grew |= g.insert(v.name.clone());
                        }
                    }
                }
                if let Expr::Var(v) = side
                    && !g.contains(&v.name)
                {
                    // An aggregate's result is bound by the aggregate.
                    let mut used = Vec::new();
                    vars::expr_vars(other, &mut used);
                    if used.iter().all(|u| g.contains(&u.name)) {
                        g.insert(v.name.clone());
                        grew = true;
                    }
                }
            }
        }
        if !grew {
            return g;
        }
    }
}

/// Renames the variables of `e` that `map` names.
pub(crate) fn rename(e: &mut Expr, map: &HashMap<String, String>) {
    match e {
        Expr::Var(v) => {
            if let Some(n) = map.get(&v.name) {
                v.name = n.clone();
            }
        }
        Expr::Binary { lhs, rhs, .. } => {
            rename(lhs, map);
            rename(rhs, map);
        }
        Expr::Unary { arg, .. } => rename(arg, map),
        Expr::Functor { args, .. } | Expr::Record(args, _) | Expr::Adt { args, .. } => {
            args.iter_mut().for_each(|a| rename(a, map))
        }
        Expr::Aggregate { target, body, .. } => {
            if let Some(t) = target {
                rename(t, map);
            }
            body.iter_mut().for_each(|l| rename_lit(l, map));
        }
        _ => {}
    }
}

/// Renames the variables of `l` that `map` names.
pub(crate) fn rename_lit(l: &mut Literal, map: &HashMap<String, String>) {
    match l {
        Literal::Atom(a) | Literal::Negated(a) => a.args.iter_mut().for_each(|e| rename(e, map)),
        Literal::Compare { lhs, rhs, .. } => {
            rename(lhs, map);
            rename(rhs, map);
        }
        Literal::Builtin { args, .. } => args.iter_mut().for_each(|e| rename(e, map)),
        Literal::Bool(..) => {}
    }
}
