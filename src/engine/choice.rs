//! `choice-domain`: a relation that keeps, for each value of a key, only
//! the first tuple derived with it (Soufflé's functional dependencies).
//!
//! `.decl edge_of(n: symbol, e: symbol) choice-domain n` makes `n` a key:
//! once a tuple with `n = "a"` is in the relation, every later tuple with
//! `n = "a"` is dropped before it is added, so the relation is a function
//! of `n`. Several keys (`choice-domain x, y`) must each stay unique;
//! `(x, y)` is one key of two columns. "First" is the order in which the
//! engine derives tuples: stated facts in the order written (and `.input`
//! rows after them) first, then the rules'
//! output in rule order and, within a rule, in the order its plan finds
//! the bindings; a recursive relation chooses round by round. The filter
//! sits where rule output enters the relation, before it is sorted.

use super::value::Word;
use rustc_hash::FxHashSet;

/// The keys of one `choice-domain` relation and the key values it holds.
pub struct Choice<const W: usize> {
    keys: Vec<Vec<usize>>,
    held: Vec<FxHashSet<[Word; W]>>,
}

impl<const W: usize> Choice<W> {
    /// A relation with these keys (column positions), still empty.
    pub fn new(keys: Vec<Vec<usize>>) -> Self {
        let held = keys.iter().map(|_| FxHashSet::default()).collect();
        Choice { keys, held }
    }

    fn project(key: &[usize], t: &[Word; W]) -> [Word; W] {
        let mut p = [0; W];
        for (i, &c) in key.iter().enumerate() {
            p[i] = t[c];
        }
        p
    }

    /// The tuples of `tuples` (in their order) whose every key value is
    /// new; those are now held.
    pub fn admit(&mut self, tuples: Vec<[Word; W]>) -> Vec<[Word; W]> {
        let mut out = Vec::with_capacity(tuples.len());
        for t in tuples {
            let free = self
                .keys
                .iter()
                .zip(&self.held)
                .all(|(k, h)| !h.contains(&Self::project(k, &t)));
            if free {
                for (k, h) in self.keys.iter().zip(&mut self.held) {
                    h.insert(Self::project(k, &t));
                }
                out.push(t);
            }
        }
        out
    }

    /// Frees the key values of a tuple that left the relation (deleted by
    /// subsumption), so that another tuple may take them.
    pub fn forget(&mut self, t: &[Word; W]) {
        for (k, h) in self.keys.iter().zip(&mut self.held) {
            h.remove(&Self::project(k, t));
        }
    }
}

/// Rows (`arity` words each, in the order given) less those whose value of
/// some key an earlier row already had: stated facts choose in the order
/// they are written, before the engine sorts them.
pub fn first_per_key(arity: usize, keys: &[Vec<usize>], rows: Vec<Word>) -> Vec<Word> {
    if arity == 0 {
        return rows;
    }
    let mut held: Vec<FxHashSet<Vec<Word>>> = keys.iter().map(|_| FxHashSet::default()).collect();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows.chunks_exact(arity) {
        let values: Vec<Vec<Word>> = keys
            .iter()
            .map(|k| k.iter().map(|&c| row[c]).collect())
            .collect();
        if values.iter().zip(&held).all(|(v, h)| !h.contains(v)) {
            for (v, h) in values.into_iter().zip(&mut held) {
                h.insert(v);
            }
            out.extend_from_slice(row);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stated_rows_choose_in_their_order() {
        let rows = vec![1, 9, 1, 2, 2, 5];
        assert_eq!(first_per_key(2, &[vec![0]], rows), [1, 9, 2, 5]);
    }

    #[test]
    fn the_first_tuple_of_a_key_wins() {
        let mut c = Choice::<2>::new(vec![vec![0]]);
        assert_eq!(c.admit(vec![[1, 5], [1, 6], [2, 7]]), [[1, 5], [2, 7]]);
        assert_eq!(c.admit(vec![[2, 8], [3, 9]]), [[3, 9]]);
    }

    #[test]
    fn every_key_must_be_free() {
        // `choice-domain x, y`: each column on its own is a key.
        let mut c = Choice::<2>::new(vec![vec![0], vec![1]]);
        assert_eq!(
            c.admit(vec![[1, 1], [1, 2], [2, 1], [2, 2]]),
            [[1, 1], [2, 2]]
        );
    }

    #[test]
    fn a_key_of_two_columns_holds_their_pair() {
        let mut c = Choice::<3>::new(vec![vec![0, 1]]);
        assert_eq!(
            c.admit(vec![[1, 1, 0], [1, 2, 0], [1, 1, 9]]),
            [[1, 1, 0], [1, 2, 0]]
        );
    }

    #[test]
    fn a_forgotten_tuple_frees_its_key() {
        let mut c = Choice::<2>::new(vec![vec![0]]);
        c.admit(vec![[1, 5]]);
        c.forget(&[1, 5]);
        assert_eq!(c.admit(vec![[1, 6]]), [[1, 6]]);
    }
}
