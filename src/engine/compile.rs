//! Compilation: a program's rules -> strata of planned clauses.
//!
//! Rules are lowered clause by clause ([`super::ir`]), `eqrel` relations get
//! their closure rules, the predicate graph is stratified
//! ([`super::stratify`]) and every clause is planned ([`super::plan`]):
//! once without a delta when its body reads only lower strata, otherwise
//! once per body atom of its own stratum, that atom reading the delta.

use super::intern::Interner;
use super::ir::{Catalog, Clause, Lit, Lowerer, RelId, Target, unresolved};
use super::plan::{Mode, plan, plan_with};
use super::strata::CompiledStratum;
use super::stratify::stratify;
use super::subsume::{Step, SubsumePlan};
use super::width::width_for;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::lang::ast;
use crate::lang::checked::{CLAUSE, CheckedRule, VarTypes};

/// A program ready to evaluate.
#[derive(Clone, Debug)]
pub struct Compiled {
    /// Strata in evaluation order.
    pub strata: Vec<CompiledStratum>,
    /// Tuple width of the evaluation.
    pub width: usize,
}

impl Compiled {
    /// Keeps only the plans whose target `keep` accepts, and the tuple
    /// width only they need: a batch run evaluates just the rules its
    /// outputs need and an incremental one just those the new items affect,
    /// after every rule was compiled (and so checked) once. `clauses` are
    /// the ones compiled. The strata stay those of the whole program, so
    /// outputs come in the same order either way.
    pub fn retain(&mut self, clauses: &[Clause], keep: impl Fn(&Target) -> bool) {
        for s in &mut self.strata {
            s.base.retain(|(p, _)| keep(&p.target));
            s.delta.retain(|(p, _)| keep(&p.target));
        }
        let widest = clauses
            .iter()
            .filter(|c| keep(&c.target))
            .map(clause_width)
            .max()
            .unwrap_or(0);
        if let Some(width) = width_for(widest.max(1)) {
            self.width = width;
        }
    }
}

fn ident(name: &str, span: Span) -> ast::Ident {
    ast::Ident {
        name: name.into(),
        span,
    }
}

/// The closure rules of an `eqrel` relation `r`: symmetric, transitive,
/// reflexive on its elements (as Soufflé's equivalence relations are).
fn eqrel_rules(name: &str, span: Span) -> Vec<(Vec<ast::Expr>, Vec<ast::Literal>)> {
    let v = |n: &str| ast::Expr::Var(ident(n, span));
    let at = |a: ast::Expr, b: ast::Expr| {
        ast::Literal::Atom(ast::Atom {
            relation: ident(name, span),
            args: vec![a, b],
            span,
        })
    };
    vec![
        (vec![v("y"), v("x")], vec![at(v("x"), v("y"))]),
        (
            vec![v("x"), v("z")],
            vec![at(v("x"), v("y")), at(v("y"), v("z"))],
        ),
        (
            vec![v("x"), v("x")],
            vec![at(v("x"), ast::Expr::Wildcard(span))],
        ),
    ]
}

/// The clauses of a subsumptive clause `r(x0) <= r(x1) :- body.`, each as
/// (distinct, head, body): the body is `r(x0), r(x1), body` and the head
/// `x0`. The plain clauses serve when the two atoms read disjoint tuples;
/// the distinct ones add `a != b` for one column pair each (the tuples
/// differ when some column does), for when both read the same tuples, so
/// that no tuple deletes itself. Wildcards of the two atoms become named
/// variables so that their columns can be compared; a column pair that is
/// the same variable or constant on both sides can never differ and gives
/// no clause.
#[allow(clippy::type_complexity)]
fn subsumption_clauses(
    sub: &ast::Subsumption,
) -> (
    Vec<(usize, bool, Vec<ast::Expr>, Vec<ast::Literal>)>,
    Vec<(String, usize)>,
) {
    let mut fresh: Vec<(String, usize)> = Vec::new();
    let mut name_wildcards = |atom: &ast::Atom| {
        let mut atom = atom.clone();
        for (col, arg) in atom.args.iter_mut().enumerate() {
            if let ast::Expr::Wildcard(span) = arg {
                let name = format!("<column {}>", fresh.len());
                *arg = ast::Expr::Var(ident(&name, *span));
                fresh.push((name, col));
            }
        }
        atom
    };
    let dominated = name_wildcards(&sub.dominated);
    let dominating = name_wildcards(&sub.dominating);
    let same = |a: &ast::Expr, b: &ast::Expr| match (a, b) {
        (ast::Expr::Var(x), ast::Expr::Var(y)) => x.name == y.name,
        (ast::Expr::Str(x, _), ast::Expr::Str(y, _)) => x == y,
        (ast::Expr::Number(x, _), ast::Expr::Number(y, _)) => x == y,
        (ast::Expr::Unsigned(x, _), ast::Expr::Unsigned(y, _)) => x == y,
        _ => false,
    };
    let mut out = Vec::new();
    for (k, conj) in sub.body.iter().enumerate() {
        let mut body = vec![
            ast::Literal::Atom(dominated.clone()),
            ast::Literal::Atom(dominating.clone()),
        ];
        body.extend(conj.iter().cloned());
        for (a, b) in dominated.args.iter().zip(&dominating.args) {
            if same(a, b) {
                continue;
            }
            let mut distinct = body.clone();
            distinct.push(ast::Literal::Compare {
                op: ast::CompareOp::Ne,
                lhs: a.clone(),
                rhs: b.clone(),
                span: sub.span,
            });
            out.push((k, true, dominated.args.clone(), distinct));
        }
        out.push((k, false, dominated.args.clone(), body));
    }
    (out, fresh)
}

/// Lowers the checked subsumptive clauses (see [`subsumption_clauses`])
/// into clauses whose target is [`Target::Dominated`].
pub fn lower_subsumptions(
    catalog: &Catalog,
    subs: &[(ast::Subsumption, Vec<VarTypes>)],
    symbols: &mut Interner,
) -> Result<Vec<Clause>, Diagnostics> {
    let mut lw = Lowerer { catalog, symbols };
    let mut clauses = Vec::new();
    let mut errors = Vec::new();
    for (sub, types) in subs {
        let id = match catalog.id(&sub.dominated.relation.name) {
            Some(id) if catalog.rels[id].types.len() == sub.dominated.args.len() => id,
            _ => {
                errors.push(unresolved(
                    &sub.dominated.relation.name,
                    sub.dominated.relation.span,
                ));
                continue;
            }
        };
        let col_types = catalog.rels[id].types.clone();
        let (alternatives, fresh) = subsumption_clauses(sub);
        for (k, distinct, head, body) in alternatives {
            let mut types = types.get(k).cloned().unwrap_or_default();
            for (name, col) in &fresh {
                types.insert(CLAUSE, name, col_types[*col]);
            }
            let target = Target::Dominated { rel: id, distinct };
            match lw.clause(target, &head, &col_types, &body, &types, sub.span) {
                Ok(c) => clauses.push(c),
                Err(d) => errors.extend(d.0),
            }
        }
    }
    if errors.is_empty() {
        Ok(clauses)
    } else {
        Err(Diagnostics(errors))
    }
}

/// Lowers every checked rule into clauses (all errors collected), and
/// adds the closure rules of each `eqrel` relation.
pub fn lower_rules(
    catalog: &Catalog,
    rules: &[CheckedRule],
    symbols: &mut Interner,
) -> Result<Vec<Clause>, Diagnostics> {
    let mut lw = Lowerer { catalog, symbols };
    let mut clauses = Vec::new();
    let mut errors = Vec::new();
    for CheckedRule { rule, types } in rules {
        for head in &rule.heads {
            let id = match catalog.id(&head.relation.name) {
                Some(id) if catalog.rels[id].types.len() == head.args.len() => id,
                _ => {
                    errors.push(unresolved(&head.relation.name, head.relation.span));
                    continue;
                }
            };
            let head_types = catalog.rels[id].types.clone();
            let untyped = VarTypes::default();
            for (k, body) in rule.body.iter().enumerate() {
                let types = types.get(k).unwrap_or(&untyped);
                match lw.clause(
                    Target::Rel(id),
                    &head.args,
                    &head_types,
                    body,
                    types,
                    rule.span,
                ) {
                    Ok(c) => clauses.push(c),
                    Err(d) => errors.extend(d.0),
                }
            }
        }
    }
    for (id, rel) in catalog.rels.iter().enumerate() {
        if !rel.eqrel || rel.types.len() != 2 {
            continue;
        }
        // As the closure rules use them: `x` in the first column, `y` and
        // `z` in the second.
        let mut types = VarTypes::default();
        for (v, col) in [("x", 0), ("y", 1), ("z", 1)] {
            types.insert(CLAUSE, v, rel.types[col]);
        }
        for (head, body) in eqrel_rules(&rel.name, Span::default()) {
            match lw.clause(
                Target::Rel(id),
                &head,
                &rel.types,
                &body,
                &types,
                Span::default(),
            ) {
                Ok(c) => clauses.push(c),
                Err(d) => errors.extend(d.0),
            }
        }
    }
    if errors.is_empty() {
        Ok(clauses)
    } else {
        Err(Diagnostics(errors))
    }
}

/// The widest tuple a clause reads or writes.
fn clause_width(c: &Clause) -> usize {
    fn lits(ls: &[Lit]) -> usize {
        ls.iter()
            .map(|l| match l {
                Lit::Pos(a) | Lit::Neg(a) => a.args.len(),
                Lit::Agg(a) => lits(&a.body),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    c.head.len().max(lits(&c.body))
}

/// Stratifies and plans the clauses.
pub fn compile(catalog: &Catalog, clauses: &[Clause]) -> Result<Compiled, Diagnostics> {
    let names = |r: RelId| catalog.rels[r].name.clone();
    let strata = stratify(catalog.rels.len(), clauses, &names)?;
    // Tuples are as wide as the widest relation a rule touches; relations
    // only stated and never used by a rule stay as flat rows.
    let widest = clauses.iter().map(clause_width).max().unwrap_or(0);
    let Some(width) = width_for(widest.max(1)) else {
        return Err(Diagnostic::plain(format!(
            "relations with more than 32 columns are not supported (widest: {widest})"
        ))
        .into());
    };
    let mut stratum_of = vec![0usize; catalog.rels.len()];
    for (i, s) in strata.iter().enumerate() {
        for &r in &s.rels {
            stratum_of[r] = i;
        }
    }
    // A relation that deletes by subsumption or chooses by key is settled
    // round by round, so its stratum runs as a loop even without recursion.
    let subsumed: Vec<bool> = (0..catalog.rels.len())
        .map(|r| {
            clauses
                .iter()
                .any(|c| matches!(c.target, Target::Dominated { rel, .. } if rel == r))
        })
        .collect();
    let mut out: Vec<CompiledStratum> = strata
        .iter()
        .map(|s| CompiledStratum {
            rels: s.rels.clone(),
            names: s.rels.iter().map(|&r| names(r)).collect(),
            recursive: s.recursive
                || s.rels
                    .iter()
                    .any(|&r| subsumed[r] || !catalog.rels[r].choice.is_empty()),
            base: Vec::new(),
            delta: Vec::new(),
            subsume: Vec::new(),
            choice: s
                .rels
                .iter()
                .filter(|&&r| !catalog.rels[r].choice.is_empty())
                .map(|&r| (r, catalog.rels[r].choice.clone()))
                .collect(),
        })
        .collect();
    let mut errors = Vec::new();
    for c in clauses {
        if let Target::Dominated { rel, distinct } = c.target {
            let si = stratum_of[rel];
            // (dominated, dominating) versions and the pass they serve:
            // new against new, new against stable, stable against new.
            let passes: &[(Mode, Mode, Step)] = if distinct {
                &[(Mode::Recent, Mode::Recent, Step::Reject)]
            } else {
                &[
                    (Mode::Recent, Mode::Stable, Step::Reject),
                    (Mode::Stable, Mode::Recent, Step::Delete),
                ]
            };
            for &(dominated, dominating, step) in passes {
                let modes = |pos: usize, r: RelId| match pos {
                    0 => dominated,
                    1 => dominating,
                    _ if stratum_of[r] == si => Mode::Full,
                    _ => Mode::Static,
                };
                let lead = if dominated == Mode::Recent { 0 } else { 1 };
                match plan_with(c, Some(lead), &modes) {
                    Ok(mut plan) => {
                        let accesses = plan.number_sources();
                        out[si].subsume.push(SubsumePlan {
                            rel,
                            step,
                            plan,
                            accesses,
                        });
                    }
                    Err(d) => {
                        errors.extend(d.0);
                        break;
                    }
                }
            }
            continue;
        }
        let Target::Rel(t) = c.target else { continue };
        let si = stratum_of[t];
        let recursive = out[si].recursive;
        let dynamic = |r: RelId| recursive && stratum_of[r] == si;
        let deltas: Vec<usize> = c
            .body
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(l, Lit::Pos(a) if dynamic(a.rel)))
            .map(|(i, _)| i)
            .collect();
        if deltas.is_empty() {
            match plan(c, None, &|_| false) {
                Ok(mut p) => {
                    let acc = p.number_sources();
                    out[si].base.push((p, acc));
                }
                Err(d) => errors.extend(d.0),
            }
        } else {
            for d in deltas {
                match plan(c, Some(d), &dynamic) {
                    Ok(mut p) => {
                        let acc = p.number_sources();
                        out[si].delta.push((p, acc));
                    }
                    Err(d) => {
                        errors.extend(d.0);
                        break;
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    Ok(Compiled { strata: out, width })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ir::RelInfo;
    use crate::engine::ir::tests::*;
    use crate::engine::rows::Rows;
    use crate::engine::strata::evaluate;
    use crate::lang::ast::CompareOp;
    use crate::lang::types::ColumnType;
    use std::sync::atomic::AtomicBool;

    fn run(
        rels: &[(&str, usize)],
        items: Vec<ast::Item>,
        edb: &[(&str, Vec<Vec<i32>>)],
    ) -> Result<Vec<Rows>, Diagnostics> {
        run_keeping(rels, items, edb, &[])
    }

    fn run_keeping(
        rels: &[(&str, usize)],
        items: Vec<ast::Item>,
        edb: &[(&str, Vec<Vec<i32>>)],
        keep: &[bool],
    ) -> Result<Vec<Rows>, Diagnostics> {
        let mut cat = Catalog::default();
        for (n, a) in rels {
            cat.add(RelInfo {
                name: n.to_string(),
                columns: (0..*a).map(|i| format!("c{i}")).collect(),
                types: vec![ColumnType::Number; *a],
                eqrel: false,
                ..Default::default()
            });
        }
        let mut sy = Interner::new();
        let clauses = lower_rules(&cat, &untyped(&items), &mut sy)?;
        let compiled = compile(&cat, &clauses)?;
        let mut facts: Vec<Rows> = cat
            .rels
            .iter()
            .map(|r| Rows::empty(r.types.len()))
            .collect();
        for (n, rows) in edb {
            let id = cat.id(n).unwrap();
            let data = rows.iter().flatten().map(|&v| v as u32).collect();
            facts[id] = Rows::from_unsorted(rows[0].len(), data);
        }
        let cancel = AtomicBool::new(false);
        let (rows, _) = crate::with_width!(compiled.width, W => evaluate::<W>(
            &compiled.strata, facts, keep, &mut sy, &cancel
        ))
        .unwrap();
        Ok(rows)
    }

    fn chain(n: i32) -> Vec<Vec<i32>> {
        (0..n).map(|i| vec![i, (i + 1) % n]).collect()
    }

    #[test]
    fn retain_keeps_the_plans_of_kept_targets_and_the_width_they_need() {
        let mut cat = Catalog::default();
        for (n, a) in [("e", 1), ("f", 1), ("wide", 3)] {
            cat.add(RelInfo {
                name: n.to_string(),
                columns: (0..a).map(|i| format!("c{i}")).collect(),
                types: vec![ColumnType::Number; a],
                eqrel: false,
                ..Default::default()
            });
        }
        let items = vec![
            rule(atom("f", vec![var("x")]), vec![pos("e", vec![var("x")])]),
            rule(
                atom("wide", vec![var("x"), var("x"), var("x")]),
                vec![pos("e", vec![var("x")])],
            ),
        ];
        let clauses = lower_rules(&cat, &untyped(&items), &mut Interner::new()).unwrap();
        let mut compiled = compile(&cat, &clauses).unwrap();
        assert_eq!(compiled.width, 3);
        let f = cat.id("f").unwrap();
        compiled.retain(&clauses, |t| *t == Target::Rel(f));
        assert_eq!(compiled.width, 1);
        let plans: Vec<&Target> = compiled
            .strata
            .iter()
            .flat_map(|s| s.base.iter().chain(&s.delta))
            .map(|(p, _)| &p.target)
            .collect();
        assert_eq!(plans, [&Target::Rel(f)]);
    }

    #[test]
    fn transitive_closure_on_a_cycle() {
        for nonlinear in [false, true] {
            let second = if nonlinear { "path" } else { "edge" };
            let items = vec![
                rule(
                    atom("path", vec![var("x"), var("y")]),
                    vec![pos("edge", vec![var("x"), var("y")])],
                ),
                rule(
                    atom("path", vec![var("x"), var("z")]),
                    vec![
                        pos("path", vec![var("x"), var("y")]),
                        pos(second, vec![var("y"), var("z")]),
                    ],
                ),
            ];
            let rows = run(&[("edge", 2), ("path", 2)], items, &[("edge", chain(5))]).unwrap();
            assert_eq!(rows[1].len, 25);
        }
    }

    #[test]
    fn negation_and_aggregates() {
        // reach from 0 over edges; unreached = node not reached; n = count of reach.
        let items = vec![
            rule(atom("reach", vec![num(0)]), vec![pos("node", vec![num(0)])]),
            rule(
                atom("reach", vec![var("y")]),
                vec![
                    pos("reach", vec![var("x")]),
                    pos("edge", vec![var("x"), var("y")]),
                ],
            ),
            rule(
                atom("unreached", vec![var("x")]),
                vec![pos("node", vec![var("x")]), neg("reach", vec![var("x")])],
            ),
            rule(
                atom("total", vec![var("n")]),
                vec![cmp(
                    CompareOp::Eq,
                    var("n"),
                    ast::Expr::Aggregate {
                        kind: ast::AggKind::Count,
                        target: None,
                        body: vec![pos("reach", vec![var("_")])],
                        span: sp(),
                    },
                )],
            ),
            rule(
                atom("biggest", vec![var("n")]),
                vec![cmp(
                    CompareOp::Eq,
                    var("n"),
                    ast::Expr::Aggregate {
                        kind: ast::AggKind::Max,
                        target: Some(Box::new(var("y"))),
                        body: vec![pos("none", vec![var("y")])],
                        span: sp(),
                    },
                )],
            ),
        ];
        let rels = [
            ("node", 1),
            ("edge", 2),
            ("reach", 1),
            ("unreached", 1),
            ("total", 1),
            ("none", 1),
            ("biggest", 1),
        ];
        let edb = [
            ("node", (0..6).map(|i| vec![i]).collect()),
            ("edge", vec![vec![0, 1], vec![1, 2], vec![4, 5]]),
        ];
        let rows = run(&rels, items, &edb).unwrap();
        assert_eq!(rows[2].data, vec![0, 1, 2]);
        assert_eq!(rows[3].data, vec![3, 4, 5]);
        assert_eq!(rows[4].data, vec![3]);
        assert_eq!(rows[6].len, 0);
    }

    #[test]
    fn large_scans_split_across_threads_give_every_row() {
        // 40,000 facts exceed the parallel threshold: the scan is split
        // (on a multi-core machine) and every row must still come out once.
        let n = 40_000;
        let items = vec![
            rule(
                atom("next", vec![var("x"), var("y")]),
                vec![
                    pos("big", vec![var("x")]),
                    cmp(
                        CompareOp::Eq,
                        var("y"),
                        ast::Expr::Binary {
                            op: ast::BinOp::Add,
                            lhs: Box::new(var("x")),
                            rhs: Box::new(num(1)),
                            span: sp(),
                        },
                    ),
                ],
            ),
            rule(
                atom("odd", vec![var("x")]),
                vec![
                    pos("big", vec![var("x")]),
                    cmp(
                        CompareOp::Eq,
                        ast::Expr::Binary {
                            op: ast::BinOp::Mod,
                            lhs: Box::new(var("x")),
                            rhs: Box::new(num(2)),
                            span: sp(),
                        },
                        num(1),
                    ),
                ],
            ),
        ];
        let edb = [("big", (0..n).map(|i| vec![i]).collect())];
        let rows = run(&[("big", 1), ("next", 2), ("odd", 1)], items, &edb).unwrap();
        assert_eq!(rows[1].len, n as usize);
        assert_eq!(rows[1].row(n as usize - 1), &[n as u32 - 1, n as u32]);
        assert_eq!(rows[2].len, n as usize / 2);
    }

    /// `r(x, c) :- big(x, t), small(c, w), (t % w) = 0.` over `big`.
    fn filtered_cross_product(big: &str) -> ast::Item {
        rule(
            atom("r", vec![var("x"), var("c")]),
            vec![
                pos(big, vec![var("x"), var("t")]),
                pos("small", vec![var("c"), var("w")]),
                cmp(
                    CompareOp::Eq,
                    ast::Expr::Binary {
                        op: ast::BinOp::Mod,
                        lhs: Box::new(var("t")),
                        rhs: Box::new(var("w")),
                        span: sp(),
                    },
                    num(0),
                ),
            ],
        )
    }

    #[test]
    fn filtered_cross_products_are_cached_per_key_and_give_every_row() {
        // Keys repeat (t = i % 7) in one relation and never repeat in the
        // other (the cache gives up after a few thousand misses): both
        // must give exactly the rows of the plain nested loop.
        let n = 20_000i32;
        let small: Vec<Vec<i32>> = (1..=5).map(|w| vec![100 + w, w]).collect();
        for (big, key) in [("rep", 7), ("uniq", n)] {
            let rows: Vec<Vec<i32>> = (0..n).map(|i| vec![i, i % key]).collect();
            let expected = rows
                .iter()
                .map(|r| small.iter().filter(|s| r[1] % s[1] == 0).count())
                .sum::<usize>();
            let got = run(
                &[(big, 2), ("small", 2), ("r", 2)],
                vec![filtered_cross_product(big)],
                &[(big, rows), ("small", small.clone())],
            )
            .unwrap();
            assert_eq!(got[2].len, expected, "{big}");
        }
        let mut cat = Catalog::default();
        for n in ["rep", "small", "r"] {
            cat.add(RelInfo {
                name: n.into(),
                columns: vec!["a".into(), "b".into()],
                types: vec![ColumnType::Number; 2],
                eqrel: false,
                ..Default::default()
            });
        }
        let clauses = lower_rules(
            &cat,
            &untyped(&[filtered_cross_product("rep")]),
            &mut Interner::new(),
        )
        .unwrap();
        let p = plan(&clauses[0], None, &|_| false).unwrap();
        assert!(
            matches!(&p.ops[1], crate::engine::plan::Op::Memo(m) if m.key.len() == 1 && m.outs.len() == 2),
            "{:?}",
            p.ops
        );
    }

    #[test]
    fn grouped_counts_with_the_key_bound_by_a_big_atom_are_right() {
        // total(k, n) :- big(_, k), n = count : { big(_, k) }.
        let items = vec![rule(
            atom("total", vec![var("k"), var("n")]),
            vec![
                pos("big", vec![ast::Expr::Wildcard(sp()), var("k")]),
                cmp(
                    CompareOp::Eq,
                    var("n"),
                    ast::Expr::Aggregate {
                        kind: ast::AggKind::Count,
                        target: None,
                        body: vec![pos("big", vec![ast::Expr::Wildcard(sp()), var("k")])],
                        span: sp(),
                    },
                ),
            ],
        )];
        let big: Vec<Vec<i32>> = (0..30_000).map(|i| vec![i, i % 3]).collect();
        let rows = run(&[("big", 2), ("total", 2)], items, &[("big", big)]).unwrap();
        assert_eq!(rows[1].data, vec![0, 10_000, 1, 10_000, 2, 10_000]);
    }

    #[test]
    fn relations_not_kept_are_freed_after_their_last_reader() {
        // mid(x) :- edge(x, _).  top(x) :- mid(x), !edge(x, x).
        let items = vec![
            rule(
                atom("mid", vec![var("x")]),
                vec![pos("edge", vec![var("x"), ast::Expr::Wildcard(sp())])],
            ),
            rule(
                atom("top", vec![var("x")]),
                vec![
                    pos("mid", vec![var("x")]),
                    neg("edge", vec![var("x"), var("x")]),
                ],
            ),
        ];
        let rels = [("edge", 2), ("mid", 1), ("top", 1)];
        let edb = [("edge", vec![vec![1, 2], vec![2, 2], vec![3, 1]])];
        let all = run(&rels, items.clone(), &edb).unwrap();
        let kept = run_keeping(&rels, items, &edb, &[false, false, true]).unwrap();
        assert_eq!(all[2].data, vec![1, 3]);
        assert_eq!(kept[2], all[2]);
        assert_eq!((kept[0].len, kept[1].len), (0, 0));
        assert_eq!((all[0].len, all[1].len), (3, 3));
    }

    #[test]
    fn negation_in_a_cycle_is_unstratifiable() {
        let items = vec![
            rule(
                atom("p", vec![var("x")]),
                vec![pos("q", vec![var("x")]), neg("r", vec![var("x")])],
            ),
            rule(atom("r", vec![var("x")]), vec![pos("p", vec![var("x")])]),
        ];
        let err = run(&[("p", 1), ("q", 1), ("r", 1)], items, &[]).unwrap_err();
        let msg = &err.0[0].message;
        assert!(
            msg.contains("unstratifiable") && msg.contains("p, r"),
            "{msg}"
        );
    }

    #[test]
    fn ungrounded_head_variable_is_reported() {
        let items = vec![rule(
            atom("p", vec![var("x"), var("y")]),
            vec![pos("q", vec![var("x")])],
        )];
        let err = run(&[("p", 2), ("q", 1)], items, &[]).unwrap_err();
        assert!(err.0[0].message.contains("ungrounded variable `y`"));
    }
}
