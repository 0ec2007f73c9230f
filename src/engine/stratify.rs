//! Stratification: the order in which relations are computed.
//!
//! The predicate graph has an edge from every relation used in a body to
//! the relation of the head. Its strongly connected components (petgraph's
//! Tarjan) in topological order are the strata: each is computed to a
//! fixpoint after everything it depends on is complete. A negated atom or
//! an aggregate body that depends on a relation of its own component would
//! need a relation before it is complete, so the program is rejected as
//! `unstratifiable`, naming the relations of the cycle and pointing at the
//! offending literal.

use super::ir::{AggIr, Clause, Lit, RelId, Target};
use crate::diag::{Diagnostic, Diagnostics, Span};
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

/// One stratum: relations computed together.
#[derive(Clone, Debug)]
pub struct Stratum {
    /// Relations of the component.
    pub rels: Vec<RelId>,
    /// True when some relation depends on itself (needs iteration).
    pub recursive: bool,
}

/// A dependency of a clause's head on a body relation.
struct Dep {
    from: RelId,
    to: RelId,
    negative: bool,
    span: Span,
}

fn deps_of_lits(lits: &[Lit], to: RelId, negative_ctx: bool, out: &mut Vec<Dep>) {
    for l in lits {
        match l {
            Lit::Pos(a) => out.push(Dep {
                from: a.rel,
                to,
                negative: negative_ctx,
                span: a.span,
            }),
            Lit::Neg(a) => out.push(Dep {
                from: a.rel,
                to,
                negative: true,
                span: a.span,
            }),
            Lit::Agg(AggIr { body, span, .. }) => {
                let mut inner = Vec::new();
                deps_of_lits(body, to, true, &mut inner);
                for mut d in inner {
                    if !negative_ctx {
                        d.span = *span;
                    }
                    out.push(d);
                }
            }
            _ => {}
        }
    }
}

/// Computes the strata of `nrels` relations defined by `clauses`, in
/// evaluation order.
pub fn stratify(
    nrels: usize,
    clauses: &[Clause],
    names: &dyn Fn(RelId) -> String,
) -> Result<Vec<Stratum>, Diagnostics> {
    let mut g: DiGraph<RelId, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..nrels).map(|r| g.add_node(r)).collect();
    let mut deps = Vec::new();
    for c in clauses {
        if let Target::Rel(to) = c.target {
            deps_of_lits(&c.body, to, false, &mut deps);
        }
    }
    for d in &deps {
        g.update_edge(nodes[d.from], nodes[d.to], ());
    }
    let sccs = tarjan_scc(&g);
    let mut comp = vec![0usize; nrels];
    // tarjan_scc returns components in reverse topological order.
    let ordered: Vec<Vec<NodeIndex>> = sccs.into_iter().rev().collect();
    for (i, scc) in ordered.iter().enumerate() {
        for n in scc {
            comp[g[*n]] = i;
        }
    }
    let mut errors = Vec::new();
    for d in &deps {
        if d.negative && comp[d.from] == comp[d.to] {
            let mut cycle: Vec<String> = ordered[comp[d.to]].iter().map(|n| names(g[*n])).collect();
            cycle.sort();
            errors.push(
                Diagnostic::error(
                    format!(
                        "unstratifiable program: `{}` depends on itself through negation or aggregation (cycle: {})",
                        names(d.to),
                        cycle.join(", ")
                    ),
                    d.span,
                )
                .with_label("negated or aggregated inside the cycle"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    Ok(ordered
        .into_iter()
        .map(|scc| {
            let rels: Vec<RelId> = scc.iter().map(|n| g[*n]).collect();
            let recursive =
                rels.len() > 1 || deps.iter().any(|d| d.from == rels[0] && d.to == rels[0]);
            Stratum { rels, recursive }
        })
        .collect())
}
