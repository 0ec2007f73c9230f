//! Evaluation: runs planned clauses stratum by stratum on datafrog.
//!
//! Tuples are `[u32; W]` arrays, `W` the widest relation of the program
//! (the whole evaluator is instantiated for a handful of widths by
//! [`with_width!`](crate::with_width)), so a tuple is a plain value: no heap allocation per
//! tuple anywhere in a join loop. A completed relation is a sorted
//! `datafrog::Relation`; every column order a plan asks for is built once
//! as another sorted relation (an index). Relations of a recursive stratum
//! are `datafrog::Variable`s of one `Iteration`, one per column order used,
//! all fed the same new tuples, so every index of a relation has the same
//! stable/recent split and semi-naive evaluation reads consistent deltas.
//!
//! A plan is executed as a nested loop over its operations: a join looks
//! its key prefix up by binary search in each sorted batch and walks the
//! matching run; an antijoin checks that no such run exists; filters,
//! bindings and aggregates work on the register array. Derived tuples are
//! collected per round and handed to datafrog, which sorts, deduplicates
//! against what is known and promotes them to the next round's delta.

use super::functors::{Ctx, compare_op, eval};
use super::intern::Interner;
use super::ir::{RelId, Target};
use super::memo::{Cache, Lookup, Stored, key_of};
use super::plan::{Access, AggOp, Col, Filter, MEMO_KEY_MAX, MemoOp, Mode, Op, Plan};
use super::table::ColumnType;
use super::value::{Word, from_f32, from_i32, to_f32, to_i32};
use crate::lang::ast::{AggKind, CompareOp};
use datafrog::{Iteration, Relation, Variable};
use rustc_hash::FxHashMap;
use std::cell::Ref;
use std::sync::atomic::{AtomicBool, Ordering};

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

/// The sorted batches of a variable's stable part.
type Batches<const W: usize> = Vec<Relation<[Word; W]>>;

/// Sorts and dedups flat rows of `N` words as arrays (inline compares,
/// radix sort for large inputs).
fn sort_dedup_rows<const N: usize>(mut data: Vec<Word>) -> Vec<Word> {
    let (rows, _) = data.as_chunks_mut::<N>();
    sort_slice(rows, &mut Vec::new());
    let w = dedup_sorted(rows);
    data.truncate(w * N);
    data
}

/// Moves the distinct rows of a sorted slice to its front and returns how
/// many there are (the rows stay in the caller's flat buffer, which is
/// then truncated).
pub(crate) fn dedup_sorted<const N: usize>(rows: &mut [[Word; N]]) -> usize {
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
fn sort_dedup_slices(arity: usize, data: Vec<Word>) -> Vec<Word> {
    let mut rows: Vec<&[Word]> = data.chunks_exact(arity).collect();
    rows.sort_unstable();
    rows.dedup();
    let mut out = Vec::with_capacity(rows.len() * arity);
    for r in &rows {
        out.extend_from_slice(r);
    }
    out
}

/// Evaluation was stopped through the cancel flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

/// The plans of one stratum.
#[derive(Clone, Debug)]
pub struct CompiledStratum {
    /// Relations computed here.
    pub rels: Vec<RelId>,
    /// Their names, for `PIALOG_TRACE` timings a person can read.
    pub names: Vec<String>,
    /// Needs a fixpoint loop.
    pub recursive: bool,
    /// Plans run once (bodies over lower strata only).
    pub base: Vec<(Plan, Vec<Access>)>,
    /// Semi-naive plans run every round (one per recursive atom).
    pub delta: Vec<(Plan, Vec<Access>)>,
}

/// Smallest supported tuple width that holds `n` columns.
pub fn width_for(n: usize) -> Option<usize> {
    [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32]
        .into_iter()
        .find(|&w| w >= n)
}

/// Calls `$body` with `const $W: usize` set to `$width` (one of the widths
/// of [`width_for`]).
#[macro_export]
macro_rules! with_width {
    ($width:expr, $W:ident => $body:expr) => {
        match $width {
            1 => {
                const $W: usize = 1;
                $body
            }
            2 => {
                const $W: usize = 2;
                $body
            }
            3 => {
                const $W: usize = 3;
                $body
            }
            4 => {
                const $W: usize = 4;
                $body
            }
            5 => {
                const $W: usize = 5;
                $body
            }
            6 => {
                const $W: usize = 6;
                $body
            }
            8 => {
                const $W: usize = 8;
                $body
            }
            10 => {
                const $W: usize = 10;
                $body
            }
            12 => {
                const $W: usize = 12;
                $body
            }
            16 => {
                const $W: usize = 16;
                $body
            }
            24 => {
                const $W: usize = 24;
                $body
            }
            _ => {
                const $W: usize = 32;
                $body
            }
        }
    };
}

fn to_tuple<const W: usize>(row: &[Word]) -> [Word; W] {
    let mut t = [0; W];
    t[..row.len()].copy_from_slice(row);
    t
}

fn permute<const W: usize>(t: &[Word; W], perm: &[usize]) -> [Word; W] {
    let mut p = [0; W];
    for (i, &c) in perm.iter().enumerate() {
        p[i] = t[c];
    }
    p
}

/// A datafrog relation from unsorted tuples. datafrog's own `from_vec`
/// uses a stable sort, which allocates a scratch buffer of half the batch
/// even for sorted input; the tuples are sorted and deduplicated here and
/// handed over as they are.
fn relation<const W: usize>(tuples: Vec<[Word; W]>) -> Relation<[Word; W]> {
    relation_with(tuples, &mut Vec::new())
}

/// [`relation`] with a reusable scratch buffer for the radix sort.
fn relation_with<const W: usize>(
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
    sort_tuples(&mut tuples, scratch);
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
/// unstable sort for small ones.
fn sort_tuples<const W: usize>(tuples: &mut [[Word; W]], buf: &mut Vec<[Word; W]>) {
    sort_slice(tuples, buf);
}

/// [`sort_tuples`] on a slice. Large batches are sorted as two halves on
/// two threads and then merged (sorting is otherwise the one
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
        tuples.par_sort_unstable();
        return;
    }
    buf.clear();
    buf.resize(tuples.len(), [0; W]);
    let threads = super::cores::cores();
    if threads < 2 || tuples.len() < PARALLEL_SORT_MIN {
        radix_sort(tuples, buf);
        return;
    }
    let mid = tuples.len() / 2;
    {
        let (left, right) = tuples.split_at_mut(mid);
        let (left_buf, right_buf) = buf.split_at_mut(mid);
        std::thread::scope(|scope| {
            scope.spawn(|| radix_sort(left, left_buf));
            radix_sort(right, right_buf);
        });
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
fn prefix_eq<const W: usize>(a: &[Word; W], b: &[Word; W], k: usize) -> bool {
    (0..k).all(|i| a[i] == b[i])
}

fn is_identity(perm: &[usize]) -> bool {
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

/// Tuples of sorted, distinct rows: already in tuple order (padding
/// columns are zero), so no sort is needed.
fn tuples_of<const W: usize>(rows: &Rows) -> Relation<[Word; W]> {
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
    fn take_rows(&mut self, rel: RelId) -> Rows {
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

    fn ensure(&mut self, rel: RelId, perm: &[usize]) {
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

    fn slice(&self, rel: RelId, perm: &[usize]) -> &[[Word; W]] {
        if is_identity(perm) {
            return self.base[rel].as_ref().map_or(&[][..], |r| &r[..]);
        }
        self.indexes
            .get(&(rel, perm.to_vec()))
            .map_or(&[][..], |r| &r[..])
    }

    /// Drops a relation nobody will read again (its result is empty).
    fn free(&mut self, rel: RelId) {
        if self.base[rel].take().is_some() {
            self.indexes.retain(|(x, _), _| *x != rel);
        }
        if self.pending[rel].as_ref().is_some_and(|r| r.len > 0) {
            self.pending[rel] = Some(Rows::empty(self.arities[rel]));
        }
    }

    /// Turns a completed relation no later plan reads back into flat rows
    /// (its arity, not the tuple width, per row) and drops its indexes.
    fn retire(&mut self, rel: RelId) {
        let Some(r) = self.base[rel].take() else {
            return;
        };
        self.indexes.retain(|(x, _), _| *x != rel);
        let arity = self.arities[rel];
        let mut data = Vec::with_capacity(r.len() * arity);
        for t in r.iter() {
            data.extend_from_slice(&t[..arity]);
        }
        self.pending[rel] = Some(Rows {
            arity,
            len: r.len(),
            data,
        });
    }

    /// Every relation as rows, consuming the tuples as it goes.
    pub fn into_rows(mut self) -> Vec<Rows> {
        self.indexes.clear();
        let mut out = Vec::with_capacity(self.arities.len());
        for rel in 0..self.arities.len() {
            let arity = self.arities[rel];
            match self.base[rel].take() {
                Some(r) => {
                    let mut data = Vec::with_capacity(r.len() * arity);
                    for t in r.iter() {
                        data.extend_from_slice(&t[..arity]);
                    }
                    out.push(Rows {
                        arity,
                        len: r.len(),
                        data,
                    });
                }
                None => out.push(self.take_rows(rel)),
            }
        }
        out
    }
}

struct Ticker<'a> {
    n: u32,
    cancel: &'a AtomicBool,
}

impl Ticker<'_> {
    #[inline]
    fn tick(&mut self) -> Result<(), Interrupted> {
        self.n = self.n.wrapping_add(1);
        if self.n & 0xFFFF == 0 && self.cancel.load(Ordering::Relaxed) {
            return Err(Interrupted);
        }
        Ok(())
    }
}

struct Exec<'d, 'c, const W: usize> {
    srcs: Vec<Vec<&'d [[Word; W]]>>,
    /// Where the last lookup into each slice landed: probes often come in
    /// key order (the outer scan is sorted), so the next one gallops on
    /// from there instead of searching the whole slice again.
    hints: Vec<Vec<usize>>,
    /// One cache per aggregate and cached stretch of the plan.
    caches: Vec<Cache>,
    ticker: Ticker<'c>,
}

/// [`lower_bound`] starting from a hint: when everything before `hint` is
/// known to be less than the key, gallop forward from it; otherwise search
/// the whole slice. Always returns the exact lower bound.
#[inline]
fn lower_bound_from<const W: usize>(
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

impl<'d, const W: usize> Exec<'d, '_, W> {
    /// Runs `ops` from the current bindings; `sink` receives every complete
    /// binding. Generic over the sink so the head builder is inlined into
    /// the join loops; aggregates pass a `dyn` sink, which keeps the number
    /// of instantiations finite.
    fn run<S: FnMut(&[Word], &mut Ctx)>(
        &mut self,
        ops: &[Op],
        regs: &mut [Word],
        ctx: &mut Ctx,
        sink: &mut S,
    ) -> Result<(), Interrupted> {
        let Some((op, rest)) = ops.split_first() else {
            sink(regs, ctx);
            return Ok(());
        };
        match op {
            Op::Join(a) => {
                let k = a.key.len();
                let mut key = [0 as Word; W];
                for (i, e) in a.key.iter().enumerate() {
                    match eval(e, regs, ctx) {
                        Some(v) => key[i] = v,
                        None => return Ok(()),
                    }
                }
                let nslices = self.srcs[a.src].len();
                for s in 0..nslices {
                    let slice: &'d [[Word; W]] = self.srcs[a.src][s];
                    let start = if k == 0 {
                        0
                    } else {
                        let start = lower_bound_from(slice, &key, k, self.hints[a.src][s]);
                        self.hints[a.src][s] = start;
                        start
                    };
                    'tuples: for t in &slice[start..] {
                        if k > 0 && !prefix_eq(t, &key, k) {
                            break;
                        }
                        self.ticker.tick()?;
                        for &(pos, col) in &a.cols {
                            match col {
                                Col::Bind(r) => regs[r] = t[pos],
                                Col::EqReg(r) => {
                                    if regs[r] != t[pos] {
                                        continue 'tuples;
                                    }
                                }
                            }
                        }
                        self.run(rest, regs, ctx, sink)?;
                    }
                }
                Ok(())
            }
            Op::Anti(a) => {
                let k = a.key.len();
                let mut key = [0 as Word; W];
                for (i, e) in a.key.iter().enumerate() {
                    match eval(e, regs, ctx) {
                        Some(v) => key[i] = v,
                        None => return Ok(()),
                    }
                }
                for (s, slice) in self.srcs[a.src].iter().enumerate() {
                    let start = lower_bound_from(slice, &key, k, self.hints[a.src][s]);
                    self.hints[a.src][s] = start;
                    if start < slice.len() && prefix_eq(&slice[start], &key, k) {
                        return Ok(());
                    }
                }
                self.run(rest, regs, ctx, sink)
            }
            Op::Filter(f) => {
                if passes(f, regs, ctx) {
                    self.run(rest, regs, ctx, sink)
                } else {
                    Ok(())
                }
            }
            Op::Bind(r, e) => match eval(e, regs, ctx) {
                Some(v) => {
                    regs[*r] = v;
                    self.run(rest, regs, ctx, sink)
                }
                None => Ok(()),
            },
            Op::Range(r, ty, args) => {
                let mut bounds = [0 as Word; 3];
                for (b, e) in bounds.iter_mut().zip(args) {
                    match eval(e, regs, ctx) {
                        Some(v) => *b = v,
                        None => return Ok(()),
                    }
                }
                let step = (args.len() == 3).then_some(bounds[2]);
                for v in super::functors::range_values(*ty, bounds[0], bounds[1], step) {
                    regs[*r] = v;
                    self.run(rest, regs, ctx, sink)?;
                }
                Ok(())
            }
            Op::Agg(a) => match self.aggregate(a, regs, ctx)? {
                Some(v) => {
                    regs[a.reg] = v;
                    self.run(rest, regs, ctx, sink)
                }
                None => Ok(()),
            },
            Op::Memo(m) => self.memo(m, rest, regs, ctx, sink),
        }
    }

    /// The value of an aggregate for the current binding of its outer
    /// registers, computed once per distinct binding.
    fn aggregate(
        &mut self,
        a: &AggOp,
        regs: &mut [Word],
        ctx: &mut Ctx,
    ) -> Result<Option<Word>, Interrupted> {
        let key = (a.outer.len() <= MEMO_KEY_MAX).then(|| key_of(&a.outer, regs));
        let lookup = match &key {
            Some(k) => self.caches[a.slot].lookup(k),
            None => Lookup::Off,
        };
        if let Lookup::Hit(s) = lookup {
            return Ok((s.rows == 1).then(|| self.caches[a.slot].word(s.start)));
        }
        let mut acc = Acc::new(a);
        {
            let target = a.target.as_ref();
            let mut add = |regs: &[Word], ctx: &mut Ctx| {
                let v = match target {
                    Some((e, _)) => eval(e, regs, ctx),
                    None => Some(0),
                };
                if let Some(v) = v {
                    acc.add(v, ctx);
                }
            };
            let mut add: &mut dyn FnMut(&[Word], &mut Ctx) = &mut add;
            self.run(&a.ops, regs, ctx, &mut add)?;
        }
        let result = acc.result();
        if let (Lookup::Miss, Some(k)) = (lookup, key) {
            let words: &[Word] = result.as_slice();
            self.caches[a.slot].store(k, words, words.len());
        }
        Ok(result)
    }

    /// Runs a cached stretch ([`MemoOp`]): its answers for the key come
    /// from the cache, or are computed and stored, then the rest of the
    /// pipeline runs once per answer.
    fn memo<S: FnMut(&[Word], &mut Ctx)>(
        &mut self,
        m: &MemoOp,
        rest: &[Op],
        regs: &mut [Word],
        ctx: &mut Ctx,
        sink: &mut S,
    ) -> Result<(), Interrupted> {
        let key = key_of(&m.key, regs);
        let stored = match self.caches[m.slot].lookup(&key) {
            Lookup::Off => return self.run(&m.fallback, regs, ctx, sink),
            Lookup::Hit(s) => s,
            Lookup::Miss => {
                let mut found: Vec<Word> = Vec::new();
                let mut rows = 0;
                {
                    let outs = &m.outs;
                    let mut collect = |regs: &[Word], _: &mut Ctx| {
                        found.extend(outs.iter().map(|&r| regs[r]));
                        rows += 1;
                    };
                    let mut collect: &mut dyn FnMut(&[Word], &mut Ctx) = &mut collect;
                    self.run(&m.ops, regs, ctx, &mut collect)?;
                }
                match self.caches[m.slot].store(key, &found, rows) {
                    Some(s) => s,
                    // The cache is full: replay this answer from here.
                    None => {
                        for k in 0..rows {
                            for (i, &r) in m.outs.iter().enumerate() {
                                regs[r] = found[k * m.outs.len() + i];
                            }
                            self.run(rest, regs, ctx, sink)?;
                        }
                        return Ok(());
                    }
                }
            }
        };
        let Stored { start, rows } = stored;
        let width = m.outs.len();
        for k in 0..rows {
            for (i, &r) in m.outs.iter().enumerate() {
                regs[r] = self.caches[m.slot].word(start + k * width + i);
            }
            self.run(rest, regs, ctx, sink)?;
        }
        Ok(())
    }
}

fn passes(f: &Filter, regs: &[Word], ctx: &mut Ctx) -> bool {
    match f {
        Filter::False => false,
        Filter::Cmp { op, ty, l, r } => match (eval(l, regs, ctx), eval(r, regs, ctx)) {
            (Some(a), Some(b)) => compare_op(*op, *ty, a, b, ctx.sym()),
            _ => false,
        },
        Filter::Contains(neg, sub, s) => match (eval(sub, regs, ctx), eval(s, regs, ctx)) {
            (Some(a), Some(b)) => ctx.contains(a, b) != *neg,
            _ => false,
        },
        Filter::Match(neg, re, s) => match (eval(re, regs, ctx), eval(s, regs, ctx)) {
            (Some(a), Some(b)) => ctx.matches(a, b) != *neg,
            _ => false,
        },
    }
}

/// Running state of one aggregate.
struct Acc {
    kind: AggKind,
    ty: ColumnType,
    count: u64,
    best: Option<Word>,
    sum_i: i32,
    sum_u: u32,
    sum_f: f64,
}

impl Acc {
    fn new(a: &AggOp) -> Self {
        Acc {
            kind: a.kind,
            ty: a.target.as_ref().map_or(ColumnType::Number, |(_, t)| *t),
            count: 0,
            best: None,
            sum_i: 0,
            sum_u: 0,
            sum_f: 0.0,
        }
    }

    fn add(&mut self, v: Word, ctx: &mut Ctx) {
        self.count += 1;
        match self.kind {
            AggKind::Count => {}
            AggKind::Sum | AggKind::Mean => match self.ty {
                ColumnType::Float => {
                    // Soufflé adds floats in the 32-bit domain.
                    self.sum_f = f64::from(self.sum_f as f32 + to_f32(v));
                }
                ColumnType::Unsigned => {
                    self.sum_u = self.sum_u.wrapping_add(v);
                    self.sum_f += f64::from(v);
                }
                _ => {
                    self.sum_i = self.sum_i.wrapping_add(to_i32(v));
                    self.sum_f += f64::from(to_i32(v));
                }
            },
            AggKind::Min | AggKind::Max => {
                let better = match self.best {
                    None => true,
                    Some(b) => {
                        let op = if self.kind == AggKind::Min {
                            CompareOp::Lt
                        } else {
                            CompareOp::Gt
                        };
                        compare_op(op, self.ty, v, b, ctx.sym())
                    }
                };
                if better {
                    self.best = Some(v);
                }
            }
        }
    }

    fn result(&self) -> Option<Word> {
        match self.kind {
            AggKind::Count => Some(from_i32(self.count as i32)),
            AggKind::Sum => Some(match self.ty {
                ColumnType::Float => from_f32(self.sum_f as f32),
                ColumnType::Unsigned => self.sum_u,
                _ => from_i32(self.sum_i),
            }),
            AggKind::Min | AggKind::Max => self.best,
            AggKind::Mean => {
                if self.count == 0 {
                    None
                } else {
                    Some(from_f32((self.sum_f / self.count as f64) as f32))
                }
            }
        }
    }
}

fn head_sink<'o, const W: usize>(
    head: &'o [super::ir::Expr],
    out: &'o mut Vec<[Word; W]>,
) -> impl FnMut(&[Word], &mut Ctx) + 'o {
    move |regs: &[Word], ctx: &mut Ctx| {
        let mut t = [0 as Word; W];
        for (i, e) in head.iter().enumerate() {
            // `eval` reads a register inline.
            match eval(e, regs, ctx) {
                Some(v) => t[i] = v,
                None => return,
            }
        }
        out.push(t);
    }
}

/// Runs one plan over resolved sources into `out`.
fn run_plan<const W: usize>(
    plan: &Plan,
    srcs: Vec<Vec<&[[Word; W]]>>,
    ctx: &mut Ctx,
    cancel: &AtomicBool,
    out: &mut Vec<[Word; W]>,
) -> Result<(), Interrupted> {
    let hints = srcs.iter().map(|v| vec![0; v.len()]).collect();
    let mut exec = Exec {
        srcs,
        hints,
        caches: (0..plan.memos).map(|_| Cache::default()).collect(),
        ticker: Ticker { n: 0, cancel },
    };
    let mut regs = vec![0 as Word; plan.nregs];
    let mut sink = head_sink(&plan.head, out);
    exec.run(&plan.ops, &mut regs, ctx, &mut sink)
}

/// Smallest leading scan worth splitting across threads.
const PARALLEL_MIN: usize = 1 << 15;

/// True when the plan computes strings (`cat`, `substr`, `to_string`,
/// `lower`), which may create symbols: such plans run on one thread.
fn plan_may_intern(plan: &Plan) -> bool {
    use super::ir::Expr;
    use crate::lang::ast::Functor as F;
    fn expr(e: &Expr) -> bool {
        match e {
            Expr::Reg(_) | Expr::Const(_) => false,
            Expr::Bin { l, r, .. } => expr(l) || expr(r),
            Expr::Un { a, .. } => expr(a),
            Expr::Func { f, args, .. } => {
                matches!(f, F::Cat | F::Substr | F::ToString | F::Lower) || args.iter().any(expr)
            }
        }
    }
    fn ops(list: &[Op]) -> bool {
        list.iter().any(|op| match op {
            Op::Join(a) | Op::Anti(a) => a.key.iter().any(expr),
            Op::Filter(Filter::Cmp { l, r, .. })
            | Op::Filter(Filter::Contains(_, l, r))
            | Op::Filter(Filter::Match(_, l, r)) => expr(l) || expr(r),
            Op::Filter(Filter::False) => false,
            Op::Bind(_, e) => expr(e),
            Op::Range(_, _, args) => args.iter().any(expr),
            Op::Agg(a) => ops(&a.ops) || a.target.as_ref().is_some_and(|(e, _)| expr(e)),
            Op::Memo(m) => ops(&m.fallback),
        })
    }
    plan.head.iter().any(expr) || ops(&plan.ops)
}

fn src_uses(ops: &[Op], src: usize) -> usize {
    ops.iter()
        .map(|op| match op {
            Op::Join(a) | Op::Anti(a) => usize::from(a.src == src),
            Op::Agg(a) => src_uses(&a.ops, src),
            // The stretch and its fallback are two routes over the same
            // reads; both count, which keeps the split conservative.
            Op::Memo(m) => src_uses(&m.ops, src) + src_uses(&m.fallback, src),
            _ => 0,
        })
        .sum()
}

/// Batches above this many bytes give memory back eagerly (smaller ones
/// are cheaper to keep than to free and fault in again).
const BIG_BYTES: usize = 16 << 20;

/// Runs a plan whose first operation scans a large relation (or delta) on
/// every core: the scan is cut into ranges, each worker runs the rest of
/// the pipeline over its range with a read-only view of the symbols, and
/// the outputs are concatenated (datafrog sorts and dedups them anyway).
/// A plan that turns out to need a new symbol (`cat` of fresh strings …)
/// is rerun sequentially, so results never depend on the split.
fn run_plan_par<const W: usize>(
    plan: &Plan,
    srcs: Vec<Vec<&[[Word; W]]>>,
    ctx: &mut Ctx,
    cancel: &AtomicBool,
    out: &mut Vec<[Word; W]>,
) -> Result<(), Interrupted> {
    let threads = super::cores::cores().min(8);
    let first = match plan.ops.first() {
        Some(Op::Join(a)) if a.key.is_empty() => a.src,
        _ => return run_plan(plan, srcs, ctx, cancel, out),
    };
    let splittable = threads > 1
        && !plan_may_intern(plan)
        && srcs[first].len() == 1
        && srcs[first][0].len() >= PARALLEL_MIN
        && src_uses(&plan.ops, first) == 1;
    if !splittable {
        return run_plan(plan, srcs, ctx, cancel, out);
    }
    let whole = srcs[first][0];
    let step = whole.len().div_ceil(threads);
    type Part<const W: usize> = Result<(Vec<[Word; W]>, Vec<String>, bool), Interrupted>;
    let results: Vec<Part<W>> = {
        let symbols = ctx.sym();
        std::thread::scope(|scope| {
            let handles: Vec<_> = whole
                .chunks(step)
                .map(|part| {
                    let mut srcs = srcs.clone();
                    srcs[first] = vec![part];
                    scope.spawn(move || {
                        let mut c = Ctx::shared(symbols);
                        let mut o = Vec::new();
                        run_plan(plan, srcs, &mut c, cancel, &mut o)?;
                        // Give a large part's doubling slack back (in
                        // place) before all parts are held at once.
                        if std::mem::size_of_val(o.as_slice()) > BIG_BYTES {
                            o.shrink_to_fit();
                        }
                        Ok((o, c.warnings, c.needs_interning))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(Err(Interrupted)))
                .collect()
        })
    };
    let mut parts = Vec::with_capacity(results.len());
    for r in results {
        parts.push(r?);
    }
    if parts.iter().any(|(_, _, fresh)| *fresh) {
        return run_plan(plan, srcs, ctx, cancel, out);
    }
    // The first part becomes `out` when nothing precedes it; the others
    // follow in order (see `append_shrinking`).
    let mut parts = parts.into_iter();
    if out.is_empty()
        && let Some((first, warnings, _)) = parts.next()
    {
        *out = first;
        for w in warnings {
            ctx.warn(w);
        }
    }
    out.reserve_exact(parts.as_slice().iter().map(|(o, _, _)| o.len()).sum());
    for (o, warnings, _) in parts {
        append_shrinking(out, o);
        for w in warnings {
            ctx.warn(w);
        }
    }
    Ok(())
}

/// Moves `part` to the end of `out` without ever holding two copies of a
/// large part: it is moved from its end in slices, shrinking as it goes,
/// and the slices (which arrive last first) are put back in order, so
/// that sorted parts of a sorted scan stay sorted and the sort that
/// follows finds nothing to do.
fn append_shrinking<const W: usize>(out: &mut Vec<[Word; W]>, mut part: Vec<[Word; W]>) {
    const SLICE: usize = 1 << 16;
    if std::mem::size_of_val(part.as_slice()) <= BIG_BYTES {
        // Small parts: a plain copy (freeing and refaulting pages every
        // round costs more than the memory it saves).
        out.extend_from_slice(&part);
        return;
    }
    let start = out.len();
    let first = part.len() % SLICE;
    while !part.is_empty() {
        let keep = part.len().saturating_sub(SLICE);
        out.extend_from_slice(&part[keep..]);
        part.truncate(keep);
        if part.capacity() > 2 * keep + SLICE {
            part.shrink_to_fit();
        }
    }
    // out[start..] holds the slices last first; reversing it whole and
    // then each slice restores the order.
    let moved = &mut out[start..];
    moved.reverse();
    let (head, rest) = moved.split_at_mut(first);
    head.reverse();
    rest.chunks_mut(SLICE).for_each(|c| c.reverse());
}

/// One relation of a recursive stratum, with a variable per column order.
struct DynRel<const W: usize> {
    rel: RelId,
    vars: Vec<(Vec<usize>, Variable<[Word; W]>)>,
}

impl<const W: usize> DynRel<W> {
    fn insert(&self, tuples: Vec<[Word; W]>, scratch: &mut Vec<[Word; W]>) {
        if tuples.is_empty() {
            return;
        }
        for (perm, var) in self.vars.iter().skip(1) {
            var.insert(relation_with(
                tuples.iter().map(|t| permute(t, perm)).collect(),
                scratch,
            ));
        }
        self.vars[0].1.insert(relation_with(tuples, scratch));
    }
}

/// Prints how long a stratum took when `PIALOG_TRACE` is set (a
/// profiling aid; silent otherwise).
struct TraceGuard {
    on: bool,
    started: std::time::Instant,
    what: String,
}

impl Drop for TraceGuard {
    fn drop(&mut self) {
        if self.on && self.started.elapsed().as_millis() >= 5 {
            let peak = crate::peak_memory::peak_text();
            eprintln!(
                "trace: {} {:.3}s (peak so far {peak})",
                self.what,
                self.started.elapsed().as_secs_f64()
            );
        }
    }
}

/// Evaluates every stratum. `edb` holds the stated facts of every relation
/// (indexed by relation id); the result holds every relation's contents.
/// `keep` says which relations the caller will read afterwards (empty:
/// all of them); the others are freed as soon as no later stratum reads
/// them, which keeps a batch run's peak memory to what is still needed.
pub fn evaluate<const W: usize>(
    strata: &[CompiledStratum],
    edb: Vec<Rows>,
    keep: &[bool],
    symbols: &mut Interner,
    cancel: &AtomicBool,
) -> Result<(Vec<Rows>, Vec<String>), Interrupted> {
    let arities: Vec<usize> = edb.iter().map(|r| r.arity).collect();
    let mut statics = Statics::<W>::from_rows(edb);
    let mut ctx = Ctx::new(symbols);
    let trace = std::env::var_os("PIALOG_TRACE").is_some();
    // The last stratum that reads each relation: after it, the relation
    // goes back to compact rows.
    let mut last_use: Vec<Option<usize>> = vec![None; arities.len()];
    for (i, stratum) in strata.iter().enumerate() {
        for (_, accesses) in stratum.base.iter().chain(&stratum.delta) {
            for a in accesses {
                last_use[a.rel] = Some(i);
            }
        }
    }
    // The stratum after which a relation is complete and unread.
    let mut done_after: Vec<Option<usize>> = last_use.clone();
    for (i, stratum) in strata.iter().enumerate() {
        for &rel in &stratum.rels {
            done_after[rel] = Some(done_after[rel].map_or(i, |u| u.max(i)));
        }
    }
    let kept = |rel: RelId| keep.get(rel).is_none_or(|k| *k);
    for (i, stratum) in strata.iter().enumerate() {
        for (rel, last) in last_use.iter().enumerate() {
            if !kept(rel) && done_after[rel].is_none_or(|u| u < i) {
                statics.free(rel);
            } else if statics.base[rel].is_some() && last.is_none_or(|u| u < i) {
                statics.retire(rel);
            }
        }
        let started = std::time::Instant::now();
        let _report = TraceGuard {
            on: trace,
            started,
            what: format!("stratum {i} [{}]", stratum.names.join(", ")),
        };
        if cancel.load(Ordering::Relaxed) {
            return Err(Interrupted);
        }
        crate::limits::set_stage(format!("stratum {i} [{}]", stratum.names.join(", ")));
        if stratum.base.is_empty() && stratum.delta.is_empty() {
            // Only stated facts: they stay as rows until a plan reads them.
            continue;
        }
        for (_, accesses) in stratum.base.iter().chain(&stratum.delta) {
            for a in accesses {
                if a.mode == Mode::Static {
                    statics.ensure(a.rel, &a.perm);
                }
            }
        }
        let mut outs: FxHashMap<RelId, Vec<[Word; W]>> = FxHashMap::default();
        for &rel in &stratum.rels {
            let rows = statics.take_rows(rel);
            outs.insert(rel, tuples_of::<W>(&rows).elements);
        }
        for (plan, accesses) in &stratum.base {
            let srcs = accesses
                .iter()
                .map(|a| vec![statics.slice(a.rel, &a.perm)])
                .collect();
            let Target::Rel(t) = plan.target else {
                continue;
            };
            let out = outs.entry(t).or_default();
            run_plan_par(plan, srcs, &mut ctx, cancel, out)?;
        }
        if !stratum.recursive {
            for (rel, tuples) in outs {
                statics.base[rel] = Some(relation(tuples));
            }
            continue;
        }
        let mut iteration = Iteration::new();
        let mut scratch: Vec<[Word; W]> = Vec::new();
        let mut dyns: Vec<DynRel<W>> = Vec::new();
        for &rel in &stratum.rels {
            let identity: Vec<usize> = (0..arities[rel]).collect();
            let mut perms = vec![identity];
            for (_, accesses) in &stratum.delta {
                for a in accesses {
                    if a.rel == rel
                        && a.mode != Mode::Static
                        && !is_identity(&a.perm)
                        && !perms.contains(&a.perm)
                    {
                        perms.push(a.perm.clone());
                    }
                }
            }
            let vars = perms
                .into_iter()
                .map(|p| (p, iteration.variable::<[Word; W]>("rel")))
                .collect();
            dyns.push(DynRel { rel, vars });
        }
        let find = |dyns: &[DynRel<W>], rel: RelId, perm: &[usize]| -> Option<(usize, usize)> {
            let d = dyns.iter().position(|d| d.rel == rel)?;
            let v = if is_identity(perm) {
                0
            } else {
                dyns[d].vars.iter().position(|(p, _)| p == perm)?
            };
            Some((d, v))
        };
        for d in &dyns {
            if let Some(t) = outs.remove(&d.rel) {
                d.insert(t, &mut scratch);
            }
        }
        while iteration.changed() {
            if cancel.load(Ordering::Relaxed) {
                return Err(Interrupted);
            }
            let mut round: FxHashMap<RelId, Vec<[Word; W]>> = FxHashMap::default();
            {
                let stables: Vec<Vec<Ref<Batches<W>>>> = dyns
                    .iter()
                    .map(|d| d.vars.iter().map(|(_, v)| v.stable.borrow()).collect())
                    .collect();
                let recents: Vec<Vec<Ref<Relation<[Word; W]>>>> = dyns
                    .iter()
                    .map(|d| d.vars.iter().map(|(_, v)| v.recent.borrow()).collect())
                    .collect();
                for (plan, accesses) in &stratum.delta {
                    let mut srcs: Vec<Vec<&[[Word; W]]>> = Vec::with_capacity(accesses.len());
                    for a in accesses {
                        let slices: Vec<&[[Word; W]]> = match a.mode {
                            Mode::Static => vec![statics.slice(a.rel, &a.perm)],
                            mode => match find(&dyns, a.rel, &a.perm) {
                                None => Vec::new(),
                                Some((d, v)) => {
                                    let mut s: Vec<&[[Word; W]]> = Vec::new();
                                    if matches!(mode, Mode::Full | Mode::Stable) {
                                        s.extend(stables[d][v].iter().map(|r| &r[..]));
                                    }
                                    if matches!(mode, Mode::Full | Mode::Recent) {
                                        s.push(&recents[d][v][..]);
                                    }
                                    s
                                }
                            },
                        };
                        srcs.push(slices);
                    }
                    let Target::Rel(t) = plan.target else {
                        continue;
                    };
                    let out = round.entry(t).or_default();
                    run_plan_par(plan, srcs, &mut ctx, cancel, out)?;
                }
            }
            for d in &dyns {
                if let Some(t) = round.remove(&d.rel) {
                    d.insert(t, &mut scratch);
                }
            }
        }
        drop(iteration);
        for d in dyns {
            let mut vars = d.vars;
            vars.truncate(1);
            if let Some((_, v)) = vars.pop() {
                statics.base[d.rel] = Some(v.complete());
            }
        }
    }
    for rel in 0..arities.len() {
        if !kept(rel) {
            statics.free(rel);
        }
    }
    Ok((statics.into_rows(), ctx.warnings))
}

/// Runs one non-recursive plan (a query) over completed relations and
/// returns the distinct answer rows of `arity` columns.
pub fn run_query<const W: usize>(
    plan: &Plan,
    accesses: &[Access],
    db: &[Rows],
    arity: usize,
    symbols: &mut Interner,
    cancel: &AtomicBool,
) -> Result<(Rows, Vec<String>), Interrupted> {
    let mut statics = Statics::<W>::new(db.iter().map(|r| r.arity).collect());
    let mut loaded = Vec::new();
    for a in accesses {
        if !loaded.contains(&a.rel) {
            statics.set_rows(a.rel, &db[a.rel]);
            loaded.push(a.rel);
        }
        statics.ensure(a.rel, &a.perm);
    }
    let srcs = accesses
        .iter()
        .map(|a| vec![statics.slice(a.rel, &a.perm)])
        .collect();
    let mut ctx = Ctx::new(symbols);
    let mut out: Vec<[Word; W]> = Vec::new();
    run_plan(plan, srcs, &mut ctx, cancel, &mut out)?;
    let rel = relation(out);
    let mut data = Vec::with_capacity(rel.len() * arity);
    for t in rel.iter() {
        data.extend_from_slice(&t[..arity]);
    }
    Ok((
        Rows {
            arity,
            len: rel.len(),
            data,
        },
        ctx.warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn large_parts_are_appended_in_order() {
        // Above the slice-by-slice threshold, with a short first slice.
        let n = (BIG_BYTES / 16) + 12_345;
        let part: Vec<[Word; 4]> = (0..n as u32).map(|i| [i, 0, 0, 0]).collect();
        let mut out: Vec<[Word; 4]> = vec![[7, 7, 7, 7]];
        append_shrinking(&mut out, part);
        assert_eq!(out.len(), n + 1);
        assert!(out[1..].iter().enumerate().all(|(i, t)| t[0] == i as u32));
        let mut small = vec![[1, 0, 0, 0]];
        append_shrinking(&mut small, vec![[2, 0, 0, 0], [3, 0, 0, 0]]);
        assert_eq!(small.iter().map(|t| t[0]).collect::<Vec<_>>(), [1, 2, 3]);
    }

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
