//! The index store: completed relations as sorted tuples, one sorted copy
//! per column order a plan reads them by, and the prefix searches a join
//! runs against them.
//!
//! An index is the relation permuted so its key columns come first and
//! sorted again, so a join is a binary search for the key prefix plus a walk
//! over the matching run.

use super::ir::RelId;
use super::rows::{Rows, rows_of, tuples_of};
use super::sort::relation;
use super::value::Word;
use datafrog::Relation;
use rustc_hash::FxHashMap;

/// A tuple with its columns in index order `perm`.
pub(super) fn permute<const W: usize>(t: &[Word; W], perm: &[usize]) -> [Word; W] {
    let mut p = [0; W];
    for (i, &c) in perm.iter().enumerate() {
        p[i] = t[c];
    }
    p
}

/// First index whose key prefix is not less than `key[..k]` (branch-free
/// binary search: lookups into small static relations dominate joins).
#[inline]
fn lower_bound<const W: usize>(slice: &[[Word; W]], key: &[Word; W], k: usize) -> usize {
    let mut base = 0usize;
    let mut size = slice.len();
    while size > 1 {
        let half = size / 2;
        let mid = base + half;
        base = if prefix_less(&slice[mid], key, k) {
            mid
        } else {
            base
        };
        size -= half;
    }
    if size == 1 && prefix_less(&slice[base], key, k) {
        base + 1
    } else {
        base
    }
}

/// `a[..k] < b[..k]`, lexicographically, without a `memcmp` call.
#[inline(always)]
fn prefix_less<const W: usize>(a: &[Word; W], b: &[Word; W], k: usize) -> bool {
    for i in 0..k {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

/// `a[..k] == b[..k]`.
#[inline(always)]
pub(super) fn prefix_eq<const W: usize>(a: &[Word; W], b: &[Word; W], k: usize) -> bool {
    (0..k).all(|i| a[i] == b[i])
}

/// True when a column order is the relation's own (no index needed).
pub(super) fn is_identity(perm: &[usize]) -> bool {
    perm.iter().enumerate().all(|(i, &c)| i == c)
}

/// Completed relations and their indexes. Relations arrive as flat rows
/// and are turned into tuples only when a plan first reads them, so
/// relations no rule touches never take tuple form at all.
pub struct Statics<const W: usize> {
    arities: Vec<usize>,
    pending: Vec<Option<Rows>>,
    base: Vec<Option<Relation<[Word; W]>>>,
    indexes: FxHashMap<(RelId, Vec<usize>), Relation<[Word; W]>>,
}

impl<const W: usize> Statics<W> {
    /// Relations of the given arities, all empty.
    pub fn new(arities: Vec<usize>) -> Self {
        Statics {
            pending: arities.iter().map(|_| None).collect(),
            base: arities.iter().map(|_| None).collect(),
            arities,
            indexes: FxHashMap::default(),
        }
    }

    /// Relations with their stated contents (moved in, converted lazily).
    pub fn from_rows(rows: Vec<Rows>) -> Self {
        let arities = rows.iter().map(|r| r.arity).collect();
        let mut s = Self::new(arities);
        s.pending = rows.into_iter().map(Some).collect();
        s
    }

    /// Sets a relation's contents from borrowed rows.
    pub fn set_rows(&mut self, rel: RelId, rows: &Rows) {
        self.base[rel] = Some(tuples_of(rows));
        self.pending[rel] = None;
        self.indexes.retain(|(r, _), _| *r != rel);
    }

    /// Takes the stated rows of a relation that is about to be computed.
    pub(super) fn take_rows(&mut self, rel: RelId) -> Rows {
        self.pending[rel]
            .take()
            .unwrap_or_else(|| Rows::empty(self.arities[rel]))
    }

    fn load(&mut self, rel: RelId) {
        if self.base[rel].is_none() {
            let rows = self.take_rows(rel);
            self.base[rel] = Some(tuples_of(&rows));
        }
    }

    pub(super) fn ensure(&mut self, rel: RelId, perm: &[usize]) {
        self.load(rel);
        if is_identity(perm) || self.indexes.contains_key(&(rel, perm.to_vec())) {
            return;
        }
        let t0 = std::time::Instant::now();
        let idx: Vec<[Word; W]> = self.base[rel]
            .iter()
            .flat_map(|r| r.iter())
            .map(|t| permute(t, perm))
            .collect();
        let n = idx.len();
        self.indexes.insert((rel, perm.to_vec()), relation(idx));
        if std::env::var_os("PIALOG_TRACE").is_some() {
            eprintln!(
                "trace:   index {rel} {perm:?} {n} rows {:.3}s",
                t0.elapsed().as_secs_f64()
            );
        }
    }

    pub(super) fn slice(&self, rel: RelId, perm: &[usize]) -> &[[Word; W]] {
        if is_identity(perm) {
            return self.base[rel].as_ref().map_or(&[][..], |r| &r[..]);
        }
        self.indexes
            .get(&(rel, perm.to_vec()))
            .map_or(&[][..], |r| &r[..])
    }

    /// Drops a relation nobody will read again (its result is empty).
    pub(super) fn free(&mut self, rel: RelId) {
        if self.base[rel].take().is_some() {
            self.indexes.retain(|(x, _), _| *x != rel);
        }
        if self.pending[rel].as_ref().is_some_and(|r| r.len > 0) {
            self.pending[rel] = Some(Rows::empty(self.arities[rel]));
        }
    }

    /// Turns a completed relation no later plan reads back into flat rows
    /// (its arity, not the tuple width, per row) and drops its indexes.
    pub(super) fn retire(&mut self, rel: RelId) {
        let Some(r) = self.base[rel].take() else {
            return;
        };
        self.indexes.retain(|(x, _), _| *x != rel);
        self.pending[rel] = Some(rows_of(&r, self.arities[rel]));
    }

    /// Stores the tuples its stratum computed for a relation.
    pub(super) fn complete(&mut self, rel: RelId, tuples: Relation<[Word; W]>) {
        self.base[rel] = Some(tuples);
    }

    /// Every relation as rows, consuming the tuples as it goes.
    pub fn into_rows(mut self) -> Vec<Rows> {
        self.indexes.clear();
        let mut out = Vec::with_capacity(self.arities.len());
        for rel in 0..self.arities.len() {
            match self.base[rel].take() {
                Some(r) => out.push(rows_of(&r, self.arities[rel])),
                None => out.push(self.take_rows(rel)),
            }
        }
        out
    }
}

/// [`lower_bound`] starting from a hint: when everything before `hint` is
/// known to be less than the key, gallop forward from it; otherwise search
/// the whole slice. Always returns the exact lower bound.
#[inline]
pub(super) fn lower_bound_from<const W: usize>(
    slice: &[[Word; W]],
    key: &[Word; W],
    k: usize,
    hint: usize,
) -> usize {
    if hint == 0 || hint > slice.len() || !prefix_less(&slice[hint - 1], key, k) {
        return lower_bound(slice, key, k);
    }
    let mut step = 1;
    let mut lo = hint;
    while lo + step <= slice.len() && prefix_less(&slice[lo + step - 1], key, k) {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step).min(slice.len());
    lo + lower_bound(&slice[lo..hi], key, k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn galloping_lookup_agrees_with_binary_search() {
        let slice: Vec<[Word; 2]> = (0..500u32).map(|i| [i / 3 * 2, i % 3]).collect();
        for hint in [0, 1, 7, 100, 499, 500, 501] {
            for key in 0..400u32 {
                let k = [key, 0];
                assert_eq!(
                    lower_bound_from(&slice, &k, 1, hint),
                    lower_bound(&slice, &k, 1),
                    "key {key} hint {hint}"
                );
            }
        }
    }
}
