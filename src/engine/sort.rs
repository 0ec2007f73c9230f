//! Sorting rows and tuples: the one sort of the engine, for rule output,
//! indexes and fact files alike.
//!
//! Large batches of tuples are radix-sorted (LSD, over the significant bits
//! of each column: rule output is mostly small numbers and symbol ids, so a
//! column takes one or two counting passes); small ones take the standard
//! unstable sort, huge ones rayon's in-place parallel sort. Output that is
//! already in order (a pipeline walking a sorted relation and writing its
//! columns first) is recognised in one pass and left alone. Fact files,
//! usually written in key order, are sorted run by run
//! ([`sort_grouped`]).

use super::cores;
use super::value::Word;
use datafrog::Relation;

/// Batches above this many bytes give memory back eagerly (smaller ones
/// are cheaper to keep than to free and fault in again).
pub(super) const BIG_BYTES: usize = 16 << 20;

/// Sorts and dedups flat rows of `N` words as arrays (inline compares,
/// radix sort for large inputs).
pub(super) fn sort_dedup_rows<const N: usize>(mut data: Vec<Word>) -> Vec<Word> {
    let (rows, _) = data.as_chunks_mut::<N>();
    sort_slice(rows, &mut Vec::new());
    let w = dedup_sorted(rows);
    data.truncate(w * N);
    data
}

/// Moves the distinct rows of a sorted slice to its front and returns how
/// many there are (the rows stay in the caller's flat buffer, which is
/// then truncated).
pub(super) fn dedup_sorted<const N: usize>(rows: &mut [[Word; N]]) -> usize {
    let mut w = 0;
    for r in 0..rows.len() {
        if w == 0 || rows[r] != rows[w - 1] {
            rows[w] = rows[r];
            w += 1;
        }
    }
    w
}

/// The general case of [`Rows::from_unsorted`] for wide rows.
pub(super) fn sort_dedup_slices(arity: usize, data: Vec<Word>) -> Vec<Word> {
    let mut rows: Vec<&[Word]> = data.chunks_exact(arity).collect();
    rows.sort_unstable();
    rows.dedup();
    let mut out = Vec::with_capacity(rows.len() * arity);
    for r in &rows {
        out.extend_from_slice(r);
    }
    out
}

/// A datafrog relation from unsorted tuples. datafrog's own `from_vec`
/// uses a stable sort, which allocates a scratch buffer of half the batch
/// even for sorted input; the tuples are sorted and deduplicated here and
/// handed over as they are.
pub(super) fn relation<const W: usize>(tuples: Vec<[Word; W]>) -> Relation<[Word; W]> {
    relation_with(tuples, &mut Vec::new())
}

/// [`relation`] with a reusable scratch buffer for the radix sort.
pub(super) fn relation_with<const W: usize>(
    mut tuples: Vec<[Word; W]>,
    scratch: &mut Vec<[Word; W]>,
) -> Relation<[Word; W]> {
    // Rule output grew by doubling and loses its duplicates: give the slack
    // back (in place), before the sort's scratch buffer is allocated and
    // again after dedup, since completed relations live until the end of
    // evaluation.
    let slack = |t: &Vec<[Word; W]>| t.capacity() > t.len() + t.len() / 4 + 1024;
    if std::mem::size_of_val(tuples.as_slice()) > BIG_BYTES && slack(&tuples) {
        tuples.shrink_to_fit();
    }
    sort_slice(&mut tuples, scratch);
    tuples.dedup();
    if slack(&tuples) {
        tuples.shrink_to_fit();
    }
    debug_assert!(tuples.windows(2).all(|w| w[0] < w[1]));
    Relation { elements: tuples }
}

/// Sorts tuples: an LSD radix sort over the significant bits of each
/// column for large batches (rule output is mostly small numbers and
/// symbol ids, so a column takes one or two counting passes), the standard
/// unstable sort for small ones. Large batches are sorted as two halves
/// on two threads and then merged (sorting is otherwise the one
/// single-threaded step of a stratum).
fn sort_slice<const W: usize>(tuples: &mut [[Word; W]], buf: &mut Vec<[Word; W]>) {
    // A pipeline that walks its sorted leading relation in order and
    // writes that relation's columns first produces sorted output (often
    // a large share of a stratum's rows): one comparison per tuple, which
    // stops at the first pair out of order, saves the whole sort.
    if tuples.windows(2).all(|w| w[0] <= w[1]) {
        return;
    }
    // Small batches: a comparison sort wins. Huge ones: sort in place
    // rather than double the memory with a radix scratch buffer — sooner
    // for wide tuples, whose radix sort needs more passes (measured: the
    // in-place sort is then also faster; for 2-word tuples radix wins).
    let in_place_above: usize = if W >= 4 { 32 << 20 } else { 48 << 20 };
    if tuples.len() < 4096 {
        tuples.sort_unstable();
        return;
    }
    if std::mem::size_of_val(tuples) > in_place_above {
        // rayon's quicksort works in place on every core.
        use rayon::slice::ParallelSliceMut;
        match cores::pool() {
            Some(pool) => pool.install(|| tuples.par_sort_unstable()),
            None => tuples.sort_unstable(),
        }
        return;
    }
    buf.clear();
    buf.resize(tuples.len(), [0; W]);
    let threads = cores::cores();
    if threads < 2 || tuples.len() < PARALLEL_SORT_MIN {
        radix_sort(tuples, buf);
        return;
    }
    let mid = tuples.len() / 2;
    {
        let (left, right) = tuples.split_at_mut(mid);
        let (left_buf, right_buf) = buf.split_at_mut(mid);
        cores::join(
            || radix_sort(left, left_buf),
            || radix_sort(right, right_buf),
        );
    }
    merge_into(&tuples[..mid], &tuples[mid..], buf);
    tuples.copy_from_slice(buf);
}

/// Smallest batch sorted on two threads.
const PARALLEL_SORT_MIN: usize = 1 << 17;

/// Merges two sorted runs into `out` (as long as both together).
fn merge_into<const W: usize>(a: &[[Word; W]], b: &[[Word; W]], out: &mut [[Word; W]]) {
    let (mut i, mut j) = (0, 0);
    for slot in out.iter_mut() {
        if j >= b.len() || (i < a.len() && a[i] <= b[j]) {
            *slot = a[i];
            i += 1;
        } else {
            *slot = b[j];
            j += 1;
        }
    }
}

/// LSD radix sort over the significant bits of each column, with `buf` (as
/// long as `tuples`) as scratch; the result ends in `tuples`.
fn radix_sort<const W: usize>(tuples: &mut [[Word; W]], buf: &mut [[Word; W]]) {
    const DIGIT: u32 = 11;
    let mut passes: Vec<(usize, u32)> = Vec::new();
    for col in (0..W).rev() {
        let (mut lo, mut hi) = (Word::MAX, 0);
        for t in tuples.iter() {
            lo = lo.min(t[col]);
            hi = hi.max(t[col]);
        }
        if lo == hi {
            continue;
        }
        let bits = 32 - hi.leading_zeros();
        let mut shift = 0;
        while shift < bits {
            passes.push((col, shift));
            shift += DIGIT;
        }
    }
    if passes.len() > 8 {
        tuples.sort_unstable();
        return;
    }
    let mut counts = vec![0usize; 1 << DIGIT];
    let mut in_buf = false;
    for (col, shift) in passes {
        let (src, dst): (&mut [[Word; W]], &mut [[Word; W]]) = if in_buf {
            (&mut *buf, &mut *tuples)
        } else {
            (&mut *tuples, &mut *buf)
        };
        counts.iter_mut().for_each(|c| *c = 0);
        let digit = |t: &[Word; W]| ((t[col] >> shift) & ((1 << DIGIT) - 1)) as usize;
        for t in src.iter() {
            counts[digit(t)] += 1;
        }
        let mut sum = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = sum;
            sum += n;
        }
        for t in src.iter() {
            let d = digit(t);
            dst[counts[d]] = *t;
            counts[d] += 1;
        }
        in_buf = !in_buf;
    }
    if in_buf {
        tuples.copy_from_slice(buf);
    }
}

/// Sorts every run of rows with one first value.
fn sort_runs<const N: usize>(rows: &mut [[Word; N]]) {
    let mut start = 0;
    while start < rows.len() {
        let key = rows[start][0];
        let end = rows[start..]
            .iter()
            .position(|r| r[0] != key)
            .map_or(rows.len(), |n| start + n);
        rows[start..end].sort_unstable();
        start = end;
    }
}

/// Largest run of rows with one first value that [`sort_grouped`] sorts
/// on its own; longer runs go to the general sort.
const GROUP_MAX: usize = 4096;

/// Sorts and dedups rows whose first column is already in increasing
/// order, run by run; `Err` (untouched) when it is not, or a run is long.
///
/// Facts files are usually written in key order (Soufflé and `.output`
/// write them sorted), and the first column's ids then increase too:
/// ids follow first appearance. Sorting many short runs in cache is several
/// times faster than sorting the whole relation.
pub(super) fn sort_grouped<const N: usize>(mut data: Vec<Word>) -> Result<Vec<Word>, Vec<Word>> {
    let (rows, _) = data.as_chunks_mut::<N>();
    let mut run = 0;
    for i in 1..rows.len() {
        if rows[i][0] < rows[i - 1][0] {
            return Err(data);
        }
        run = if rows[i][0] == rows[i - 1][0] {
            run + 1
        } else {
            0
        };
        if run >= GROUP_MAX {
            return Err(data);
        }
    }
    // Two halves in parallel, split where a run starts.
    let mut mid = rows.len() / 2;
    while mid > 0 && mid < rows.len() && rows[mid][0] == rows[mid - 1][0] {
        mid += 1;
    }
    let (left, right) = rows.split_at_mut(mid);
    if left.len() < (1 << 16) {
        sort_runs(left);
        sort_runs(right);
    } else {
        cores::join(|| sort_runs(left), || sort_runs(right));
    }
    let w = dedup_sorted(rows);
    data.truncate(w * N);
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rows::Rows;

    #[test]
    fn large_batches_sort_like_the_standard_sort() {
        // Above the two-thread threshold, with duplicates and a column
        // wide enough for several radix passes.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut tuples: Vec<[Word; 3]> = (0..PARALLEL_SORT_MIN * 2 + 17)
            .map(|_| {
                let r = next();
                [(r % 1000) as u32, (r >> 20) as u32, 7]
            })
            .collect();
        let mut expected = tuples.clone();
        expected.sort_unstable();
        sort_slice(&mut tuples, &mut Vec::new());
        assert_eq!(tuples, expected);
    }

    #[test]
    fn runs_sort_like_the_general_sort() {
        let mut seed = 7u64;
        let mut next = move |m: u32| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as u32) % m
        };
        for (rows, run) in [(0usize, 1u32), (1, 1), (50, 3), (300_000, 40)] {
            let mut data = Vec::new();
            let mut key = 0;
            for _ in 0..rows {
                key += u32::from(next(run) == 0);
                data.extend([key, next(5), next(3)]);
            }
            let expected = Rows::from_unsorted(3, data.clone());
            let sorted = sort_grouped::<3>(data).ok().unwrap();
            assert_eq!(sorted, expected.data, "{rows} rows");
        }
        // Not in first-column order, or one long run: left alone.
        assert_eq!(sort_grouped::<2>(vec![2, 0, 1, 0]), Err(vec![2, 0, 1, 0]));
        let long: Vec<Word> = (0..GROUP_MAX as u32 + 1).flat_map(|i| [0, i]).collect();
        assert!(sort_grouped::<2>(long).is_err());
    }
}
