//! Parallel splitting: a plan whose first step scans a large relation or
//! delta runs on every core, each worker over one range of the scan.
//!
//! Workers read the session's symbols through a shared view; a plan that
//! may create a symbol is not split, and one that turns out to need a new
//! symbol is rerun on one thread, so results never depend on the split.
//! The parts are appended in scan order, so sorted parts of a sorted scan
//! stay sorted.

use super::cores;
use super::exec::{Interrupted, Sources, run_plan};
use super::functors::Ctx;
use super::plan::{Filter, Op, Plan};
use super::sort::BIG_BYTES;
use super::value::Word;
use rayon::prelude::*;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::AtomicBool;

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
            // Packing may create records.
            Expr::Pack(_) => true,
            Expr::Field { rec, .. } => expr(rec),
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

/// Runs a plan whose first operation scans a large relation (or delta) on
/// every core: the scan is cut into ranges, each worker runs the rest of
/// the pipeline over its range with a read-only view of the symbols, and
/// the outputs are concatenated (datafrog sorts and dedups them anyway).
/// A plan that turns out to need a new symbol (`cat` of fresh strings …)
/// is rerun sequentially, so results never depend on the split.
pub(super) fn run_plan_par<const W: usize>(
    plan: &Plan,
    srcs: &Sources<'_, W>,
    ctx: &mut Ctx,
    cancel: &AtomicBool,
    out: &mut Vec<[Word; W]>,
) -> Result<(), Interrupted> {
    let threads = cores::cores().min(8);
    let first = match plan.ops.first() {
        Some(Op::Join(a)) if a.key.is_empty() => a.src,
        _ => return run_plan(plan, srcs, ctx, cancel, out),
    };
    // The cheap tests first: a recursive stratum asks every round.
    let splittable = threads > 1
        && srcs.of(first).len() == 1
        && srcs.of(first)[0].len() >= PARALLEL_MIN
        && !plan_may_intern(plan)
        && src_uses(&plan.ops, first) == 1;
    let pool = match cores::pool() {
        Some(pool) if splittable => pool,
        _ => return run_plan(plan, srcs, ctx, cancel, out),
    };
    let whole = srcs.of(first)[0];
    let step = whole.len().div_ceil(threads);
    type Part<const W: usize> = Result<(Vec<[Word; W]>, Vec<String>, bool), Interrupted>;
    let results: Vec<Part<W>> = {
        let symbols = ctx.sym();
        let run_part = move |part: &[[Word; W]]| -> Part<W> {
            let mut srcs = srcs.clone();
            srcs.set_single(first, part);
            let mut c = Ctx::shared(symbols);
            let mut o = Vec::new();
            run_plan(plan, &srcs, &mut c, cancel, &mut o)?;
            // Give a large part's doubling slack back (in place) before
            // all parts are held at once.
            if std::mem::size_of_val(o.as_slice()) > BIG_BYTES {
                o.shrink_to_fit();
            }
            Ok((o, c.warnings, c.needs_interning))
        };
        // A worker that fails stops the evaluation as an interruption
        // would, as it did when each part had a thread of its own.
        let guarded = move |part: &[[Word; W]]| -> Part<W> {
            std::panic::catch_unwind(AssertUnwindSafe(|| run_part(part)))
                .unwrap_or(Err(Interrupted))
        };
        pool.install(|| whole.par_chunks(step).map(guarded).collect())
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
