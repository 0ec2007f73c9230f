//! Seeded random directed graphs for the transitive-closure workload.

use super::rng::Rng;
use std::collections::HashSet;

/// `edges` distinct directed edges (no self loops) over `nodes` nodes,
/// numbered `0..nodes`, in generation order. With 2,000 nodes and 8,000
/// edges nearly every node reaches nearly every other (≈ 3.8 million paths).
pub fn random_graph(nodes: u32, edges: usize, seed: u64) -> Vec<(u32, u32)> {
    let mut r = Rng::new(seed);
    let max = nodes as usize * (nodes as usize).saturating_sub(1);
    let edges = edges.min(max);
    let mut seen = HashSet::with_capacity(edges);
    let mut out = Vec::with_capacity(edges);
    while out.len() < edges {
        let x = r.below(nodes as usize) as u32;
        let y = r.below(nodes as usize) as u32;
        if x != y && seen.insert((x, y)) {
            out.push((x, y));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_and_seeded() {
        let g = random_graph(50, 200, 1);
        assert_eq!(g.len(), 200);
        let set: HashSet<_> = g.iter().collect();
        assert_eq!(set.len(), 200);
        assert!(g.iter().all(|&(x, y)| x != y && x < 50 && y < 50));
        assert_eq!(g, random_graph(50, 200, 1));
        assert_eq!(random_graph(3, 100, 1).len(), 6);
    }
}
