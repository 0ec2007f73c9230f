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

pub(super) struct Exec<'d, 'c, const W: usize> {
    srcs: Vec<Vec<&'d [[Word; W]]>>,
    /// Where the last lookup into each slice landed: probes often come in
    /// key order (the outer scan is sorted), so the next one gallops on
    /// from there instead of searching the whole slice again.
    hints: Vec<Vec<usize>>,
    /// One cache per aggregate and cached stretch of the plan.
    pub(super) caches: Vec<Cache>,
    ticker: Ticker<'c>,
}

impl<'d, const W: usize> Exec<'d, '_, W> {
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
