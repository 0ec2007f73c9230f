//! Row storage: a relation's rows between evaluations, as flat row-major
//! words, and the conversions to and from the evaluator's fixed-width
//! tuples.
//!
//! Rows are what the session keeps, what fact files are read into and what
//! output is formatted from; tuples (`[Word; W]`, see [`super::width`])
//! exist only while plans read a relation.

use super::sort::{sort_dedup_rows, sort_dedup_slices};
use super::value::Word;
use datafrog::Relation;

/// A relation's rows outside an evaluation: row-major words, sorted in
/// word order and distinct. `len` is kept apart so nullary relations (zero
/// words per row) still know whether they hold their one tuple.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    /// Words per row.
    pub arity: usize,
    /// Number of rows.
    pub len: usize,
    /// `len * arity` words.
    pub data: Vec<Word>,
}

impl Rows {
    /// An empty relation of the given arity.
    pub fn empty(arity: usize) -> Self {
        Rows {
            arity,
            len: 0,
            data: Vec::new(),
        }
    }

    /// Builds sorted, distinct rows from unsorted row-major words.
    pub fn from_unsorted(arity: usize, data: Vec<Word>) -> Self {
        if arity == 0 {
            return Rows {
                arity,
                len: usize::from(!data.is_empty()),
                data: Vec::new(),
            };
        }
        macro_rules! by_width {
            ($($n:literal)*) => {
                match arity {
                    $($n => sort_dedup_rows::<$n>(data),)*
                    _ => sort_dedup_slices(arity, data),
                }
            };
        }
        let data = by_width!(1 2 3 4 5 6 7 8);
        Rows {
            arity,
            len: data.len() / arity,
            data,
        }
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[Word] {
        &self.data[i * self.arity..(i + 1) * self.arity]
    }

    /// True when the row is present (binary search).
    pub fn contains(&self, row: &[Word]) -> bool {
        if self.arity == 0 {
            return self.len > 0;
        }
        let n = self.len;
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.row(mid).cmp(row) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }
}

/// A row as a tuple, zero-padded to the width.
fn to_tuple<const W: usize>(row: &[Word]) -> [Word; W] {
    let mut t = [0; W];
    t[..row.len()].copy_from_slice(row);
    t
}

/// Tuples of sorted, distinct rows: already in tuple order (padding
/// columns are zero), so no sort is needed.
pub(super) fn tuples_of<const W: usize>(rows: &Rows) -> Relation<[Word; W]> {
    let elements: Vec<[Word; W]> = if rows.arity == 0 {
        vec![[0; W]; rows.len.min(1)]
    } else {
        rows.data
            .chunks_exact(rows.arity)
            .map(to_tuple::<W>)
            .collect()
    };
    Relation { elements }
}

/// The rows of a relation's tuples: the first `arity` words of each (the
/// rest is padding up to the tuple width).
pub(super) fn rows_of<const W: usize>(tuples: &Relation<[Word; W]>, arity: usize) -> Rows {
    let mut data = Vec::with_capacity(tuples.len() * arity);
    for t in tuples.iter() {
        data.extend_from_slice(&t[..arity]);
    }
    Rows {
        arity,
        len: tuples.len(),
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_sort_and_dedup_for_every_width() {
        for arity in [1usize, 3, 8, 11] {
            let mut data = Vec::new();
            for i in (0..5000u32).rev() {
                data.push(i);
                data.extend((1..arity).map(|c| (i * 7 + c as u32) % 4999));
            }
            let first = data[..arity].to_vec();
            data.extend_from_slice(&first);
            let rows = Rows::from_unsorted(arity, data);
            assert_eq!(rows.len, 5000);
            assert!((1..rows.len).all(|i| rows.row(i - 1) < rows.row(i)));
        }
    }
}
