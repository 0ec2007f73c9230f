//! The strata driver: evaluates a program's strata in order, and a query
//! over completed relations.
//!
//! A non-recursive stratum runs its plans once over completed relations
//! (the index store, [`super::index`]). A recursive stratum is a datafrog
//! `Iteration`: each relation is one `Variable` per column order its plans
//! look it up by, all fed the same tuples, so every index of a relation has
//! the same stable/recent split and semi-naive evaluation reads consistent
//! deltas; `Iteration::changed` merges, dedups and promotes each round's
//! output until nothing is new. Relations enter tuple form only when a plan
//! reads them and return to compact rows after the last stratum that reads
//! them; relations the caller will not read are freed as soon as no later
//! stratum needs them.

use super::choice::Choice;
use super::exec::{Interrupted, Sources, run_plan};
use super::functors::Ctx;
use super::index::{Statics, is_identity, permute};
use super::intern::Interner;
use super::ir::{RelId, Target};
use super::parallel::run_plan_par;
use super::plan::{Access, Mode, Op, Plan};
use super::rows::{Rows, rows_of, tuples_of};
use super::sort::{relation, relation_with};
use super::subsume::{self, Step, SubsumePlan};
use super::value::Word;
use datafrog::{Iteration, Relation, Variable};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::Ref;
use std::sync::atomic::{AtomicBool, Ordering};

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
    /// Subsumptive clauses, applied after every round.
    pub subsume: Vec<SubsumePlan>,
    /// `choice-domain` keys of the relations computed here.
    pub choice: Vec<(RelId, Vec<Vec<usize>>)>,
}

impl CompiledStratum {
    /// Every access of every plan of the stratum.
    fn accesses(&self) -> impl Iterator<Item = &Access> {
        self.base
            .iter()
            .chain(&self.delta)
            .flat_map(|(_, a)| a)
            .chain(self.subsume.iter().flat_map(|s| &s.accesses))
    }
}

/// The sorted batches of a variable's stable part.
type Batches<const W: usize> = Vec<Relation<[Word; W]>>;

/// A round's borrows of every variable of a recursive stratum, in one flat
/// list relation by relation (see [`var_bases`]): the stable batches and
/// last round's delta. The vectors are kept across rounds, emptied when the
/// round's plans are done.
struct RoundBorrows<'d, const W: usize> {
    stables: Vec<Ref<'d, Batches<W>>>,
    recents: Vec<Ref<'d, Relation<[Word; W]>>>,
}

impl<'d, const W: usize> RoundBorrows<'d, W> {
    fn new() -> Self {
        RoundBorrows {
            stables: Vec::new(),
            recents: Vec::new(),
        }
    }

    /// Borrows what a round reads of every recursive relation, for the
    /// semi-naive step and the subsumption steps alike.
    fn borrow(&mut self, dyns: &'d [DynRel<W>]) {
        for (_, v) in dyns.iter().flat_map(|d| &d.vars) {
            self.stables.push(v.stable.borrow());
            self.recents.push(v.recent.borrow());
        }
    }

    /// Gives the borrows back, so the variables can change.
    fn release(&mut self) {
        self.stables.clear();
        self.recents.clear();
    }
}

/// Where the variables of each relation start in the stratum's flat list.
fn var_bases<const W: usize>(dyns: &[DynRel<W>]) -> Vec<usize> {
    let mut next = 0;
    dyns.iter()
        .map(|d| {
            let base = next;
            next += d.vars.len();
            base
        })
        .collect()
}

/// Where one access of a recursive stratum's plan reads, resolved once per
/// stratum: a lower stratum's index, or a variable of the stratum (by its
/// place in the flat list) in some version.
#[derive(Clone, Copy)]
enum Read<'s, const W: usize> {
    Static(&'s [[Word; W]]),
    Var(usize, Mode),
    /// A column order no variable holds: nothing to read.
    Nothing,
}

/// Resolves a plan's accesses (see [`Read`]).
fn resolve<'s, const W: usize>(
    accesses: &[Access],
    statics: &'s Statics<W>,
    dyns: &[DynRel<W>],
    bases: &[usize],
) -> Vec<Read<'s, W>> {
    accesses
        .iter()
        .map(|a| match a.mode {
            Mode::Static => Read::Static(statics.slice(a.rel, &a.perm)),
            mode => match find_var(dyns, a.rel, &a.perm) {
                Some((d, v)) => Read::Var(bases[d] + v, mode),
                None => Read::Nothing,
            },
        })
        .collect()
}

/// The accesses a plan scans at its top as a delta: when one of them is
/// empty in a round, the plan derives nothing that round and is skipped.
/// (A delta read inside an aggregate is not one of them: an aggregate over
/// nothing still yields a row.)
fn scanned_deltas(plan: &Plan, accesses: &[Access]) -> Vec<usize> {
    plan.ops
        .iter()
        .filter_map(|op| match op {
            Op::Join(j) if accesses[j.src].mode == Mode::Recent => Some(j.src),
            _ => None,
        })
        .collect()
}

/// Lists this round's slices for each of a plan's accesses into `into`
/// (emptied first), or returns false without listing when a delta in
/// `scanned` is empty this round.
fn fill<'a, const W: usize>(
    reads: &[Read<'a, W>],
    scanned: &[usize],
    borrows: &'a RoundBorrows<'_, W>,
    into: &mut Sources<'a, W>,
) -> bool {
    let recent = |i: usize| match reads[i] {
        Read::Var(v, _) => !borrows.recents[v].is_empty(),
        _ => false,
    };
    if !scanned.iter().all(|&i| recent(i)) {
        return false;
    }
    into.clear();
    for read in reads {
        match *read {
            Read::Static(slice) => into.push(slice),
            Read::Nothing => {}
            Read::Var(v, mode) => {
                if matches!(mode, Mode::Full | Mode::Stable) {
                    borrows.stables[v].iter().for_each(|r| into.push(&r[..]));
                }
                if matches!(mode, Mode::Full | Mode::Recent) {
                    into.push(&borrows.recents[v][..]);
                }
            }
        }
        into.end_access();
    }
    true
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

/// The relation's position among `dyns` and its variable in column order
/// `perm`.
fn find_var<const W: usize>(
    dyns: &[DynRel<W>],
    rel: RelId,
    perm: &[usize],
) -> Option<(usize, usize)> {
    let d = dyns.iter().position(|d| d.rel == rel)?;
    let v = if is_identity(perm) {
        0
    } else {
        dyns[d].vars.iter().position(|(p, _)| p == perm)?
    };
    Some((d, v))
}

/// One round's subsumption (see [`subsume`]): the new tuples dominated by
/// another tuple leave the round's delta, then the stable tuples a new
/// tuple dominates leave the relation; the key values of what left are
/// freed for `choice-domain`.
///
/// `reads` are the plans' accesses, resolved once per stratum; `borrows`
/// is the stratum's, empty between rounds.
fn settle<'d, const W: usize>(
    plans: &[SubsumePlan],
    reads: &[Vec<Read<W>>],
    dyns: &'d [DynRel<W>],
    borrows: &mut RoundBorrows<'d, W>,
    choices: &mut FxHashMap<RelId, Choice<W>>,
    ctx: &mut Ctx,
    cancel: &AtomicBool,
) -> Result<(), Interrupted> {
    for step in [Step::Reject, Step::Delete] {
        let mut gone: FxHashMap<RelId, FxHashSet<[Word; W]>> = FxHashMap::default();
        borrows.borrow(dyns);
        let mut srcs = Sources::new();
        for (p, reads) in plans.iter().zip(reads).filter(|(p, _)| p.step == step) {
            fill(reads, &[], borrows, &mut srcs);
            let mut out = Vec::new();
            run_plan(&p.plan, &srcs, ctx, cancel, &mut out)?;
            gone.entry(p.rel).or_default().extend(out);
        }
        drop(srcs);
        borrows.release();
        for (rel, tuples) in gone {
            if tuples.is_empty() {
                continue;
            }
            let Some(d) = dyns.iter().find(|d| d.rel == rel) else {
                continue;
            };
            for (perm, var) in &d.vars {
                match step {
                    Step::Reject => subsume::remove_recent(var, perm, &tuples),
                    Step::Delete => subsume::remove_stable(var, perm, &tuples),
                }
            }
            if let Some(c) = choices.get_mut(&rel) {
                tuples.iter().for_each(|t| c.forget(t));
            }
        }
    }
    Ok(())
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
        for a in stratum.accesses() {
            last_use[a.rel] = Some(i);
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
            } else if last.is_none_or(|u| u < i) {
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
        if stratum.base.is_empty() && stratum.delta.is_empty() && stratum.subsume.is_empty() {
            // Only stated facts: they stay as rows until a plan reads them.
            continue;
        }
        for a in stratum.accesses() {
            if a.mode == Mode::Static {
                statics.ensure(a.rel, &a.perm);
            }
        }
        let mut outs: FxHashMap<RelId, Vec<[Word; W]>> = FxHashMap::default();
        for &rel in &stratum.rels {
            let rows = statics.take_rows(rel);
            outs.insert(rel, tuples_of::<W>(&rows).elements);
        }
        for (plan, accesses) in &stratum.base {
            let srcs = Sources::one_each(accesses.iter().map(|a| statics.slice(a.rel, &a.perm)));
            let Target::Rel(t) = plan.target else {
                continue;
            };
            let out = outs.entry(t).or_default();
            run_plan_par(plan, &srcs, &mut ctx, cancel, out)?;
        }
        if !stratum.recursive {
            for (rel, tuples) in outs {
                statics.complete(rel, relation(tuples));
            }
            continue;
        }
        let mut iteration = Iteration::new();
        let mut scratch: Vec<[Word; W]> = Vec::new();
        let mut dyns: Vec<DynRel<W>> = Vec::new();
        for &rel in &stratum.rels {
            let identity: Vec<usize> = (0..arities[rel]).collect();
            let mut perms = vec![identity];
            for a in stratum.accesses() {
                if a.rel == rel
                    && a.mode != Mode::Static
                    && !is_identity(&a.perm)
                    && !perms.contains(&a.perm)
                {
                    perms.push(a.perm.clone());
                }
            }
            let vars = perms
                .into_iter()
                .map(|p| (p, iteration.variable::<[Word; W]>("rel")))
                .collect();
            dyns.push(DynRel { rel, vars });
        }
        let mut choices: FxHashMap<RelId, Choice<W>> = stratum
            .choice
            .iter()
            .map(|(rel, keys)| (*rel, Choice::new(keys.clone())))
            .collect();
        let admit = |choices: &mut FxHashMap<RelId, Choice<W>>, rel, t| match choices.get_mut(&rel)
        {
            Some(c) => c.admit(t),
            None => t,
        };
        for d in &dyns {
            if let Some(t) = outs.remove(&d.rel) {
                d.insert(admit(&mut choices, d.rel, t), &mut scratch);
            }
        }
        let bases = var_bases(&dyns);
        // What each delta plan reads, where its rows go, and which of its
        // deltas must be non-empty for it to derive anything.
        let deltas: Vec<(&Plan, Vec<Read<W>>, Vec<usize>, usize)> = stratum
            .delta
            .iter()
            .filter_map(|(plan, accesses)| {
                let Target::Rel(t) = plan.target else {
                    return None;
                };
                let target = dyns.iter().position(|d| d.rel == t)?;
                let reads = resolve(accesses, &statics, &dyns, &bases);
                Some((plan, reads, scanned_deltas(plan, accesses), target))
            })
            .collect();
        // The subsumption steps' reads, likewise.
        let subsumes: Vec<Vec<Read<W>>> = stratum
            .subsume
            .iter()
            .map(|p| resolve(&p.accesses, &statics, &dyns, &bases))
            .collect();
        let mut borrows = RoundBorrows::new();
        let mut kept: Sources<'static, W> = Sources::new();
        let mut round: Vec<Vec<[Word; W]>> = dyns.iter().map(|_| Vec::new()).collect();
        while iteration.changed() {
            if cancel.load(Ordering::Relaxed) {
                return Err(Interrupted);
            }
            if !stratum.subsume.is_empty() {
                settle(
                    &stratum.subsume,
                    &subsumes,
                    &dyns,
                    &mut borrows,
                    &mut choices,
                    &mut ctx,
                    cancel,
                )?;
            }
            borrows.borrow(&dyns);
            let mut srcs = kept.recycle();
            for (plan, reads, scanned, target) in &deltas {
                if fill(reads, scanned, &borrows, &mut srcs) {
                    run_plan_par(plan, &srcs, &mut ctx, cancel, &mut round[*target])?;
                }
            }
            kept = srcs.recycle();
            borrows.release();
            for (d, out) in dyns.iter().zip(&mut round) {
                if !out.is_empty() {
                    let t = std::mem::take(out);
                    d.insert(admit(&mut choices, d.rel, t), &mut scratch);
                }
            }
        }
        drop((deltas, subsumes, borrows));
        drop(iteration);
        for d in dyns {
            let mut vars = d.vars;
            vars.truncate(1);
            if let Some((_, v)) = vars.pop() {
                statics.complete(d.rel, v.complete());
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
    let srcs = Sources::one_each(accesses.iter().map(|a| statics.slice(a.rel, &a.perm)));
    let mut ctx = Ctx::new(symbols);
    let mut out: Vec<[Word; W]> = Vec::new();
    run_plan(plan, &srcs, &mut ctx, cancel, &mut out)?;
    Ok((rows_of(&relation(out), arity), ctx.warnings))
}
