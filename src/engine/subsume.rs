//! Subsumption: `r(x0) <= r(x1) :- body.` deletes a tuple of `r` while
//! another tuple of `r` dominates it, as Soufflé does.
//!
//! A relation with subsumptive clauses is computed in a fixpoint loop
//! (even when no rule of it is recursive). After every round, when the
//! round's new tuples are the delta and everything before it is stable:
//!
//! 1. **Reject** the new tuples that a new tuple (another one: the
//!    clauses' *distinct* forms) or a stable tuple dominates; they never
//!    enter the relation this round.
//! 2. **Delete** the stable tuples that a remaining new tuple dominates.
//!
//! Then the new tuples that are left drive the next round. A deleted
//! tuple may be derived again later; it is rejected again while what
//! dominates it stays. The other atoms of a subsumptive clause read
//! everything known of the relations of their stratum (in the first
//! round, the relation's non-recursive result whole: Soufflé's deletion
//! after the non-recursive rules), lower strata as completed.

use super::plan::{Access, Plan};
use super::value::Word;
use datafrog::Variable;
use rustc_hash::FxHashSet;

/// Which of the two passes a planned subsumptive clause serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Finds new tuples that are dominated (they are not added).
    Reject,
    /// Finds stable tuples that a new tuple dominates (they are removed).
    Delete,
}

/// One planned subsumptive clause: its head is the dominated tuple, in the
/// relation's column order.
#[derive(Clone, Debug)]
pub struct SubsumePlan {
    /// The relation it deletes from.
    pub rel: usize,
    /// The pass.
    pub step: Step,
    /// The plan.
    pub plan: Plan,
    /// Its accesses by slot.
    pub accesses: Vec<Access>,
}

fn permute<const W: usize>(t: &[Word; W], perm: &[usize]) -> [Word; W] {
    let mut out = *t;
    for (i, &c) in perm.iter().enumerate() {
        out[i] = t[c];
    }
    out
}

/// `gone` (tuples in the relation's column order) as a variable in column
/// order `perm` holds them.
fn permuted<const W: usize>(gone: &FxHashSet<[Word; W]>, perm: &[usize]) -> FxHashSet<[Word; W]> {
    gone.iter().map(|t| permute(t, perm)).collect()
}

/// Removes `gone` from the round's new tuples of a variable that holds
/// the relation in column order `perm`.
pub fn remove_recent<const W: usize>(
    var: &Variable<[Word; W]>,
    perm: &[usize],
    gone: &FxHashSet<[Word; W]>,
) {
    let gone = permuted(gone, perm);
    var.recent
        .borrow_mut()
        .elements
        .retain(|t| !gone.contains(t));
}

/// Removes `gone` from the stable batches of such a variable (each batch
/// stays sorted).
pub fn remove_stable<const W: usize>(
    var: &Variable<[Word; W]>,
    perm: &[usize],
    gone: &FxHashSet<[Word; W]>,
) {
    let gone = permuted(gone, perm);
    for batch in var.stable.borrow_mut().iter_mut() {
        batch.elements.retain(|t| !gone.contains(t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafrog::{Iteration, Relation};

    #[test]
    fn removal_reaches_every_column_order() {
        let mut it = Iteration::new();
        let plain = it.variable::<[Word; 2]>("r");
        let swapped = it.variable::<[Word; 2]>("r by column 1");
        plain.insert(Relation::from_vec(vec![[1, 10], [2, 20]]));
        swapped.insert(Relation::from_vec(vec![[10, 1], [20, 2]]));
        assert!(it.changed());
        let gone: FxHashSet<[Word; 2]> = [[1, 10]].into_iter().collect();
        remove_recent(&plain, &[0, 1], &gone);
        remove_recent(&swapped, &[1, 0], &gone);
        assert_eq!(plain.recent.borrow().elements, [[2, 20]]);
        assert_eq!(swapped.recent.borrow().elements, [[20, 2]]);
        it.changed();
        remove_stable(&swapped, &[1, 0], &[[2, 20]].into_iter().collect());
        assert!(swapped.stable.borrow().iter().all(|b| b.is_empty()));
    }
}
