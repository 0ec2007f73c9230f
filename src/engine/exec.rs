//! The pipeline interpreter: a plan runs as a nested loop over its
//! operations on an array of registers.
//!
//! A join looks its key prefix up by binary search in each sorted batch of
//! its source (galloping on from the last lookup, since probes mostly come
//! in key order) and walks the matching run; an antijoin checks that no
//! such run exists; filters, bindings and ranges work on the registers;
//! aggregates ([`super::aggregate`]) and cached stretches ([`super::memo`])
//! run their own sub-pipelines. Every complete binding goes to a sink —
//! for a rule, the head builder that appends the derived tuple.

use super::functors::{Ctx, compare_op, eval};
use super::index::{lower_bound_from, prefix_eq};
use super::memo::{Cache, Lookup, Stored, key_of};
use super::plan::{Col, Filter, MemoOp, Op, Plan};
use super::value::Word;
use std::sync::atomic::{AtomicBool, Ordering};

/// Evaluation was stopped through the cancel flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

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

/// The slices each access of a plan reads, in one flat list: access `i`
/// reads `slices[starts[i]..starts[i + 1]]`. Flat, and reusable across
/// borrows ([`Sources::recycle`]), so that each round of a recursive
/// stratum fills storage kept from the round before instead of allocating
/// a vector per access: a program of a million one-tuple rounds spends
/// most of its time in such small allocations otherwise.
#[derive(Clone, Debug)]
pub(super) struct Sources<'d, const W: usize> {
    slices: Vec<&'d [[Word; W]]>,
    starts: Vec<usize>,
}

impl<'d, const W: usize> Sources<'d, W> {
    /// No accesses yet.
    pub(super) fn new() -> Self {
        Sources {
            slices: Vec::new(),
            starts: vec![0],
        }
    }

    /// One slice per access, in access order (completed relations).
    pub(super) fn one_each(slices: impl IntoIterator<Item = &'d [[Word; W]]>) -> Self {
        let mut s = Sources::new();
        for slice in slices {
            s.push(slice);
            s.end_access();
        }
        s
    }

    /// Adds a slice to the access being listed.
    pub(super) fn push(&mut self, slice: &'d [[Word; W]]) {
        self.slices.push(slice);
    }

    /// Ends the access being listed: the slices pushed since the last call
    /// are what it reads.
    pub(super) fn end_access(&mut self) {
        self.starts.push(self.slices.len());
    }

    /// Where the slices of access `i` stand in the flat list (the lookup
    /// hints are indexed the same way).
    fn span(&self, i: usize) -> std::ops::Range<usize> {
        self.starts[i]..self.starts[i + 1]
    }

    /// The slices access `i` reads.
    pub(super) fn of(&self, i: usize) -> &[&'d [[Word; W]]] {
        &self.slices[self.span(i)]
    }

    /// Puts `slice` in place of what access `i` reads (one slice).
    pub(super) fn set_single(&mut self, i: usize, slice: &'d [[Word; W]]) {
        let span = self.span(i);
        let shift = 1 - span.len() as isize;
        self.slices.splice(span, [slice]);
        for s in &mut self.starts[i + 1..] {
            *s = s.wrapping_add_signed(shift);
        }
    }

    /// Empties the list.
    pub(super) fn clear(&mut self) {
        self.slices.clear();
        self.starts.truncate(1);
    }

    /// Empties the list, keeping its storage for slices of another borrow.
    pub(super) fn recycle<'e>(mut self) -> Sources<'e, W> {
        self.starts.truncate(1);
        Sources {
            slices: reuse(self.slices),
            starts: self.starts,
        }
    }
}

/// Empties a vector and hands its allocation on for elements of the same
/// size and another lifetime. The collect runs in place for such elements
/// (nothing is collected: the vector is empty); were it ever not to, the
/// result would still be right, only newly allocated.
pub(super) fn reuse<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter()
        .map(|_| unreachable!("the vector is empty"))
        .collect()
}

pub(super) struct Exec<'d, 's, 'c, const W: usize> {
    srcs: &'s Sources<'d, W>,
    /// Where the last lookup into each slice landed (indexed like the flat
    /// slice list): probes often come in key order (the outer scan is
    /// sorted), so the next one gallops on from there instead of searching
    /// the whole slice again.
    hints: &'s mut [usize],
    /// One cache per aggregate and cached stretch of the plan.
    pub(super) caches: Vec<Cache>,
    ticker: Ticker<'c>,
}

impl<'d, const W: usize> Exec<'d, '_, '_, W> {
    /// Runs `ops` from the current bindings; `sink` receives every complete
    /// binding. Generic over the sink so the head builder is inlined into
    /// the join loops; aggregates pass a `dyn` sink, which keeps the number
    /// of instantiations finite.
    pub(super) fn run<S: FnMut(&[Word], &mut Ctx)>(
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
                for s in self.srcs.span(a.src) {
                    let slice: &'d [[Word; W]] = self.srcs.slices[s];
                    let start = if k == 0 {
                        0
                    } else {
                        let start = lower_bound_from(slice, &key, k, self.hints[s]);
                        self.hints[s] = start;
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
                for s in self.srcs.span(a.src) {
                    let slice: &'d [[Word; W]] = self.srcs.slices[s];
                    let start = lower_bound_from(slice, &key, k, self.hints[s]);
                    self.hints[s] = start;
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
            (Some(a), Some(b)) => ctx.matches(a, b).is_some_and(|m| m != *neg),
            _ => false,
        },
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
pub(super) fn run_plan<const W: usize>(
    plan: &Plan,
    srcs: &Sources<'_, W>,
    ctx: &mut Ctx,
    cancel: &AtomicBool,
    out: &mut Vec<[Word; W]>,
) -> Result<(), Interrupted> {
    let n = srcs.slices.len();
    on_stack(n, |hints| {
        on_stack(plan.nregs, |regs| {
            let mut exec = Exec {
                srcs,
                hints,
                caches: (0..plan.memos).map(|_| Cache::default()).collect(),
                ticker: Ticker { n: 0, cancel },
            };
            let mut sink = head_sink(&plan.head, out);
            exec.run(&plan.ops, regs, ctx, &mut sink)
        })
    })
}

/// Runs `f` on `n` zeroed words of scratch: on the stack when few (a plan
/// runs every round of a recursive stratum, and a round may derive a
/// single tuple), on the heap otherwise.
fn on_stack<T: Copy + Default, R>(n: usize, f: impl FnOnce(&mut [T]) -> R) -> R {
    const FEW: usize = 32;
    if n <= FEW {
        let mut buf = [T::default(); FEW];
        f(&mut buf[..n])
    } else {
        f(&mut vec![T::default(); n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_list_each_access_and_replace_one() {
        let a: Vec<[Word; 1]> = vec![[1], [2]];
        let b: Vec<[Word; 1]> = vec![[3]];
        let mut s = Sources::new();
        s.push(&a);
        s.push(&b);
        s.end_access();
        s.end_access();
        s.push(&b);
        s.end_access();
        assert_eq!(s.of(0).len(), 2);
        assert!(s.of(1).is_empty());
        assert_eq!(s.of(2), [&b[..]]);
        // Two slices become one; the later accesses keep theirs.
        s.set_single(0, &b);
        assert_eq!(s.of(0), [&b[..]]);
        assert!(s.of(1).is_empty());
        assert_eq!(s.of(2), [&b[..]]);
        let again: Sources<'_, 1> = s.recycle();
        assert_eq!(again.slices.len(), 0);
        assert_eq!(again.starts, [0]);
    }

    #[test]
    fn reuse_keeps_the_allocation() {
        let n = 7u32;
        let v: Vec<&u32> = vec![&n; 64];
        let cap = v.capacity();
        let w: Vec<&u32> = reuse(v);
        assert!(w.is_empty());
        assert_eq!(w.capacity(), cap);
    }
}
