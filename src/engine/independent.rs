//! Body parts independent of the head, checked once.
//!
//! In `a(x) :- b(x), c(y), d(y).` the literals `c(y), d(y)` share no
//! variable with the head or with `b(x)`: they only decide whether the
//! rule fires at all. Joined as written, every `b` row meets every
//! `c ⋈ d` row (a cross product, again in every round of a recursive
//! stratum) only for the result to be projected away. Soufflé evaluates
//! such a part once, as an emptiness check; here the rule is rewritten
//! before lowering:
//!
//! ```text
//! @independent0() :- c(y), d(y).
//! a(x) :- b(x), @independent0().
//! ```
//!
//! The helper is a nullary relation (zero or one row), so the join with
//! it is a test. Parts are found per alternative of the body as connected
//! components of literals sharing variables; a part is split off when it
//! holds a positive atom, shares no variable with the head, and is not the
//! whole body. Variables inside aggregates count too (an aggregate body
//! may read variables of the rule). Helper names start with `@`, which no
//! program can write.

use super::ir::outer_var_names;
use crate::lang::ast::{Atom, Expr, Ident, Literal, Rule};
use crate::lang::checked::CheckedRule;

/// What every helper relation's name starts with.
pub const PREFIX: &str = "@independent";

/// True for a helper relation made by [`split`].
pub fn is_helper(name: &str) -> bool {
    name.starts_with(PREFIX)
}

/// Rewrites the rules; returns them and the names of the nullary helper
/// relations to declare. A helper rule takes the checker's variable types
/// of the alternative it came from (its variables keep their names).
pub fn split(rules: Vec<CheckedRule>) -> (Vec<CheckedRule>, Vec<String>) {
    let mut helpers: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(rules.len());
    for CheckedRule { mut rule, types } in rules {
        let mut head_vars = Vec::new();
        let heads: Vec<&[Expr]> = rule.heads.iter().map(|h| &h.args[..]).collect();
        outer_var_names(&[], &heads, &mut head_vars);
        let mut extra = Vec::new();
        for (k, alt) in rule.body.iter_mut().enumerate() {
            for part in independent_parts(alt, &head_vars) {
                let name = format!("{PREFIX}{}", helpers.len());
                let span = alt[part[0]].span();
                let atom = Atom {
                    relation: Ident {
                        name: name.clone(),
                        span,
                    },
                    args: Vec::new(),
                    span,
                };
                let body: Vec<Literal> = part.iter().map(|&i| alt[i].clone()).collect();
                extra.push(CheckedRule {
                    rule: Rule {
                        heads: vec![atom.clone()],
                        body: vec![body],
                        span: rule.span,
                    },
                    types: types.get(k).cloned().into_iter().collect(),
                });
                // The part's first literal becomes the test; the others go.
                alt[part[0]] = Literal::Atom(atom);
                for &i in part.iter().skip(1).rev() {
                    alt.remove(i);
                }
                helpers.push(name);
            }
        }
        out.push(CheckedRule { rule, types });
        out.extend(extra);
    }
    (out, helpers)
}

/// The literal indices of each part of `alt` to split off (each sorted),
/// later parts first so that removing them keeps earlier indices valid.
fn independent_parts(alt: &[Literal], head_vars: &[String]) -> Vec<Vec<usize>> {
    if alt.len() < 2 {
        return Vec::new();
    }
    let vars: Vec<Vec<String>> = alt
        .iter()
        .map(|l| {
            let mut v = Vec::new();
            all_vars(l, &mut v);
            v
        })
        .collect();
    // Union-find over literals joined by a shared variable.
    let mut parent: Vec<usize> = (0..alt.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..alt.len() {
        for j in i + 1..alt.len() {
            if vars[i].iter().any(|v| vars[j].contains(v)) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut parts: Vec<Vec<usize>> = Vec::new();
    let mut part_of: Vec<Option<usize>> = vec![None; alt.len()];
    for i in 0..alt.len() {
        let r = root(&mut parent, i);
        match part_of[r] {
            Some(k) => parts[k].push(i),
            None => {
                part_of[r] = Some(parts.len());
                parts.push(vec![i]);
            }
        }
    }
    let mut out: Vec<Vec<usize>> = parts
        .into_iter()
        .filter(|p| {
            p.len() < alt.len()
                && p.iter().any(|&i| matches!(alt[i], Literal::Atom(_)))
                && p.iter()
                    .all(|&i| vars[i].iter().all(|v| !head_vars.contains(v)))
        })
        .collect();
    out.sort_by_key(|p| std::cmp::Reverse(p[0]));
    out
}

/// Every variable named anywhere in a literal, inside aggregates too: an
/// aggregate body may read a variable of the rule, and a name shared by
/// chance only joins two parts that could have been apart (never the
/// reverse), so the split stays correct.
fn all_vars(l: &Literal, out: &mut Vec<String>) {
    fn expr(e: &Expr, out: &mut Vec<String>) {
        match e {
            Expr::Var(id) if !out.contains(&id.name) => out.push(id.name.clone()),
            Expr::Binary { lhs, rhs, .. } => {
                expr(lhs, out);
                expr(rhs, out);
            }
            Expr::Unary { arg, .. } => expr(arg, out),
            Expr::Functor { args, .. } | Expr::Record(args, _) | Expr::Adt { args, .. } => {
                args.iter().for_each(|a| expr(a, out))
            }
            Expr::Aggregate { target, body, .. } => {
                if let Some(t) = target {
                    expr(t, out);
                }
                body.iter().for_each(|l| all_vars(l, out));
            }
            _ => {}
        }
    }
    match l {
        Literal::Atom(a) | Literal::Negated(a) => a.args.iter().for_each(|e| expr(e, out)),
        Literal::Compare { lhs, rhs, .. } => {
            expr(lhs, out);
            expr(rhs, out);
        }
        Literal::Builtin { args, .. } => args.iter().for_each(|e| expr(e, out)),
        Literal::Bool(..) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;
    use crate::lang::parser;

    fn rules(text: &str) -> Vec<String> {
        let mut sources = SourceMap::new();
        let p = parser::parse_source(&mut sources, "t.dl", text).unwrap();
        let rules = crate::engine::ir::tests::untyped(&p.items);
        let (rules, _) = split(rules);
        rules
            .iter()
            .map(|CheckedRule { rule: r, .. }| {
                let body: Vec<String> =
                    r.body[0].iter().map(crate::repl::pretty::literal).collect();
                format!("{} :- {}", r.heads[0].relation.name, body.join(", "))
            })
            .collect()
    }

    #[test]
    fn a_helper_keeps_the_types_of_its_alternative() {
        let mut sources = SourceMap::new();
        let text =
            ".decl b(x: number)\n.decl c(y: symbol)\n.decl a(x: number)\na(x) :- b(x), c(y).";
        let p = parser::parse_source(&mut sources, "t.dl", text).unwrap();
        let checked = crate::lang::check::check(&p, &Default::default()).unwrap();
        let (rules, helpers) = split(checked.rules.rules(&p));
        assert_eq!(helpers, ["@independent0"]);
        let helper = &rules[1];
        assert_eq!(helper.rule.heads[0].relation.name, "@independent0");
        assert_eq!(
            helper.types[0].of("y"),
            Some(crate::lang::types::ColumnType::Symbol)
        );
    }

    #[test]
    fn splits_parts_that_share_nothing_with_the_head() {
        assert_eq!(
            rules("a(x) :- b(x), c(y), d(y), e(_), x > 1."),
            [
                "a :- b(x), @independent1(), @independent0(), x > 1",
                "@independent0 :- e(_)",
                "@independent1 :- c(y), d(y)",
            ]
        );
    }

    #[test]
    fn an_aggregate_reading_a_part_goes_with_it() {
        assert_eq!(
            rules("a(x) :- b(x), n = count : { c(y, _) }, d(y).")[1],
            "@independent0 :- n = count : { c(y, _) }, d(y)"
        );
    }

    #[test]
    fn leaves_connected_bodies_and_aggregates_alone() {
        for text in [
            "a(x) :- b(x, y), c(y).",
            "a(1) :- c(y), d(y).",
            "a(x) :- b(x), n = count : { c(x, _) }, n > 1.",
            "a(x) :- b(x), y = 1, y < 2.",
        ] {
            assert_eq!(rules(text).len(), 1, "{text}");
        }
    }
}
