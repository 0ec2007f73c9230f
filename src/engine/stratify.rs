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
        match c.target {
            Target::Rel(to) => deps_of_lits(&c.body, to, false, &mut deps),
            // The two atoms of a subsumptive clause read the relation it
            // deletes from: that alone makes nothing recursive (as in
            // Soufflé); the rest of its body is read like any rule's.
            Target::Dominated { rel, .. } => {
                deps_of_lits(c.body.get(2..).unwrap_or(&[]), rel, false, &mut deps)
            }
            Target::Answer => {}
        }
    }
    for d in &deps {
        g.update_edge(nodes[d.from], nodes[d.to], ());
    }
    // Components in a topological order that, among components free to go
    // next, takes the one with the earliest-declared relation: outputs and
    // sizes of independent relations then come in program order.
    let sccs = tarjan_scc(&g);
    let mut comp_of = vec![0usize; nrels];
    for (i, scc) in sccs.iter().enumerate() {
        for n in scc {
            comp_of[g[*n]] = i;
        }
    }
    let ncomp = sccs.len();
    let mut indegree = vec![0usize; ncomp];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); ncomp];
    for e in g.edge_indices() {
        if let Some((a, b)) = g.edge_endpoints(e) {
            let (ca, cb) = (comp_of[g[a]], comp_of[g[b]]);
            if ca != cb && !succ[ca].contains(&cb) {
                succ[ca].push(cb);
                indegree[cb] += 1;
            }
        }
    }
    let first_rel: Vec<RelId> = sccs
        .iter()
        .map(|scc| scc.iter().map(|n| g[*n]).min().unwrap_or(0))
        .collect();
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<(RelId, usize)>> = (0..ncomp)
        .filter(|&c| indegree[c] == 0)
        .map(|c| std::cmp::Reverse((first_rel[c], c)))
        .collect();
    let mut order = Vec::with_capacity(ncomp);
    while let Some(std::cmp::Reverse((_, c))) = ready.pop() {
        order.push(c);
        for &d in &succ[c] {
            indegree[d] -= 1;
            if indegree[d] == 0 {
                ready.push(std::cmp::Reverse((first_rel[d], d)));
            }
        }
    }
    let mut slots: Vec<Option<Vec<NodeIndex>>> = sccs.into_iter().map(Some).collect();
    let ordered: Vec<Vec<NodeIndex>> = order
        .into_iter()
        .filter_map(|c| slots[c].take())
        .map(|mut scc| {
            scc.sort_by_key(|n| g[*n]);
            scc
        })
        .collect();
    let mut comp = vec![0usize; nrels];
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
