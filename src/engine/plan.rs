//! Planning: orders the literals of one clause into a pipeline of
//! operations over registers.
//!
//! The planner is greedy and deterministic. Starting from the semi-naive
//! delta atom (if any), it repeatedly schedules, in this order of
//! preference: every filter whose registers are bound (comparisons,
//! `contains`, `match`, negations as antijoins), every binding `x = expr`
//! and aggregate whose inputs are bound, and then the positive atom with
//! the most bound columns (ties: source order). An atom is read through an
//! index whose column order puts the bound (key) columns first, so the
//! evaluator finds matches with a binary search on the key prefix. What
//! cannot be scheduled is ungrounded and reported with its span.

use super::ir::{AggIr, Arg, AtomIr, Clause, Expr, Lit, Reg, RelId, Target};
use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::ast::{AggKind, CompareOp};
use crate::lang::types::ColumnType;

/// Which version of a relation an atom reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// A relation of a completed lower stratum.
    Static,
    /// The tuples new in the last round (the semi-naive delta).
    Recent,
    /// Everything known so far (stable and recent).
    Full,
    /// Everything known before the last round.
    Stable,
}

/// How an atom is read: which relation, through which column order, in
/// which version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Access {
    /// The relation.
    pub rel: RelId,
    /// Column order of the index: key columns first.
    pub perm: Vec<usize>,
    /// Version.
    pub mode: Mode,
}

/// What happens with a non-key column of a matched tuple.
#[derive(Clone, Copy, Debug)]
pub enum Col {
    /// Binds a register.
    Bind(Reg),
    /// Must equal a register bound earlier in the same atom (`p(x, x)`).
    EqReg(Reg),
}

/// Reads an atom: look up the key prefix, then bind or check the rest.
#[derive(Clone, Debug)]
pub struct AtomOp {
    /// Index to read.
    pub access: Access,
    /// Values of the first `key.len()` columns of the index.
    pub key: Vec<Expr>,
    /// Other columns (positions in the permuted tuple).
    pub cols: Vec<(usize, Col)>,
    /// Slot of this access in the plan's source table (see
    /// [`Plan::number_sources`]).
    pub src: usize,
}

/// A filter on bound registers.
#[derive(Clone, Debug)]
pub enum Filter {
    /// Comparison.
    Cmp {
        /// Operator.
        op: CompareOp,
        /// Type.
        ty: ColumnType,
        /// Left.
        l: Expr,
        /// Right.
        r: Expr,
    },
    /// `contains` (negated when the flag is set).
    Contains(bool, Expr, Expr),
    /// `match` (negated when the flag is set).
    Match(bool, Expr, Expr),
    /// `false`: never passes.
    False,
}

/// An aggregate evaluated per binding of its outer registers.
#[derive(Clone, Debug)]
pub struct AggOp {
    /// Result register.
    pub reg: Reg,
    /// Kind.
    pub kind: AggKind,
    /// Aggregated expression and type.
    pub target: Option<(Expr, ColumnType)>,
    /// The body's pipeline.
    pub ops: Vec<Op>,
    /// Registers of the enclosing scope the body reads: the result is the
    /// same for every binding of them, so it is computed once per binding.
    pub outer: Vec<Reg>,
    /// Slot of the result cache (see [`Plan::number_sources`]).
    pub slot: usize,
}

/// A stretch of the pipeline that reads a relation without regard to the
/// bindings so far, then filters it against a few of them — the shape of
/// `measure(a, _, m, t), keyword(c, w), contains(w, t)`. Its answers
/// depend only on the `key` registers (`t`), and a national corpus repeats
/// the same few thousand texts across a million rows, so the evaluator
/// runs the stretch once per distinct key and replays the stored answers.
#[derive(Clone, Debug)]
pub struct MemoOp {
    /// Registers bound before the stretch that it reads.
    pub key: Vec<Reg>,
    /// Registers the stretch binds (replayed from the cache).
    pub outs: Vec<Reg>,
    /// The stretch itself.
    pub ops: Vec<Op>,
    /// The stretch followed by the rest of the pipeline, run directly when
    /// the cache does not pay (keys seldom repeat).
    pub fallback: Vec<Op>,
    /// Slot of the cache (see [`Plan::number_sources`]).
    pub slot: usize,
}

/// Most key registers a cached stretch or aggregate may have.
pub const MEMO_KEY_MAX: usize = 8;

/// One step of a pipeline.
#[derive(Clone, Debug)]
pub enum Op {
    /// Join with an atom (a scan when the key is empty).
    Join(AtomOp),
    /// Antijoin: fails when a tuple with the key prefix exists.
    Anti(AtomOp),
    /// Filter.
    Filter(Filter),
    /// `reg := expr` (fails when the expression has no value).
    Bind(Reg, Expr),
    /// `reg := each value of range(from, to[, step])` in type `ty`.
    Range(Reg, ColumnType, Vec<Expr>),
    /// Aggregate.
    Agg(AggOp),
    /// A cached stretch.
    Memo(MemoOp),
}

/// A planned clause.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Pipeline.
    pub ops: Vec<Op>,
    /// Head expressions.
    pub head: Vec<Expr>,
    /// Destination.
    pub target: Target,
    /// Registers needed.
    pub nregs: usize,
    /// Number of caches (aggregates and [`MemoOp`]s), set by
    /// [`Plan::number_sources`].
    pub memos: usize,
}

impl Plan {
    /// Numbers the distinct accesses of the plan (nested aggregates
    /// included) and stores each atom's slot in [`AtomOp::src`]; returns
    /// the accesses by slot so the evaluator can resolve them once per run.
    /// Caches are numbered too ([`Plan::memos`]).
    pub fn number_sources(&mut self) -> Vec<Access> {
        fn walk(ops: &mut [Op], out: &mut Vec<Access>, memos: &mut usize) {
            for op in ops {
                match op {
                    Op::Join(a) | Op::Anti(a) => {
                        a.src = match out.iter().position(|x| *x == a.access) {
                            Some(i) => i,
                            None => {
                                out.push(a.access.clone());
                                out.len() - 1
                            }
                        };
                    }
                    Op::Agg(a) => {
                        a.slot = *memos;
                        *memos += 1;
                        walk(&mut a.ops, out, memos);
                    }
                    Op::Memo(m) => {
                        m.slot = *memos;
                        *memos += 1;
                        walk(&mut m.ops, out, memos);
                        walk(&mut m.fallback, out, memos);
                    }
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        let mut memos = 0;
        walk(&mut self.ops, &mut out, &mut memos);
        self.memos = memos;
        out
    }
}

fn expr_bound(e: &Expr, bound: &[bool]) -> bool {
    let mut regs = Vec::new();
    e.regs(&mut regs);
    regs.iter().all(|r| bound[*r])
}

fn ungrounded(clause: &Clause, reg: Reg) -> Diagnostics {
    Diagnostic::error(
        format!("ungrounded variable `{}`", clause.reg_names[reg]),
        clause.reg_spans[reg],
    )
    .with_label("not bound by a positive atom")
    .into()
}

/// Plans a clause. `delta` is the index (in `clause.body`) of the atom that
/// reads the last round's new tuples; `dynamic` tells which relations are
/// still being computed (the current stratum).
pub fn plan(
    clause: &Clause,
    delta: Option<usize>,
    dynamic: &dyn Fn(RelId) -> bool,
) -> Result<Plan, Diagnostics> {
    plan_with(clause, delta, &|pos, rel| mode_of(pos, rel, delta, dynamic))
}

/// Plans a clause whose atoms read the versions `modes` gives them (by
/// position in `clause.body` and relation); `lead` is the atom that goes
/// first when its arguments allow (the one reading a delta). Subsumptive
/// clauses are planned so, their two atoms reading chosen versions.
pub fn plan_with(
    clause: &Clause,
    lead: Option<usize>,
    modes: &dyn Fn(usize, RelId) -> Mode,
) -> Result<Plan, Diagnostics> {
    let mut bound = vec![false; clause.nregs()];
    let lits: Vec<(usize, &Lit)> = clause.body.iter().enumerate().collect();
    let ops = memoise(plan_lits(clause, &lits, lead, modes, &mut bound)?);
    for e in &clause.head {
        let mut regs = Vec::new();
        e.regs(&mut regs);
        if let Some(r) = regs.into_iter().find(|r| !bound[*r]) {
            return Err(ungrounded(clause, r));
        }
    }
    Ok(Plan {
        ops,
        head: clause.head.clone(),
        target: clause.target,
        nregs: clause.nregs(),
        memos: 0,
    })
}

fn mode_of(pos: usize, rel: RelId, delta: Option<usize>, dynamic: &dyn Fn(RelId) -> bool) -> Mode {
    if !dynamic(rel) {
        return Mode::Static;
    }
    match delta {
        Some(d) if pos == d => Mode::Recent,
        Some(d) if pos < d => Mode::Full,
        Some(_) => Mode::Stable,
        None => Mode::Full,
    }
}

/// Builds the read of an atom given the bound registers; `None` when an
/// argument expression still needs unbound registers.
fn atom_op(atom: &AtomIr, mode: Mode, bound: &mut [bool]) -> Option<AtomOp> {
    let mut key_cols = Vec::new();
    let mut key = Vec::new();
    for (i, a) in atom.args.iter().enumerate() {
        if let Arg::Expr(e) = a {
            match e {
                Expr::Reg(r) if !bound[*r] => {}
                e if expr_bound(e, bound) => {
                    key_cols.push(i);
                    key.push(e.clone());
                }
                _ => return None,
            }
        }
    }
    let mut perm = key_cols.clone();
    perm.extend((0..atom.args.len()).filter(|i| !key_cols.contains(i)));
    let mut cols = Vec::new();
    for (pos, &c) in perm.iter().enumerate().skip(key_cols.len()) {
        if let Arg::Expr(Expr::Reg(r)) = &atom.args[c] {
            if bound[*r] {
                cols.push((pos, Col::EqReg(*r)));
            } else {
                bound[*r] = true;
                cols.push((pos, Col::Bind(*r)));
            }
        }
    }
    Some(AtomOp {
        access: Access {
            rel: atom.rel,
            perm,
            mode,
        },
        key,
        cols,
        src: 0,
    })
}

/// The key length [`atom_op`] would give the atom (its columns bound by
/// earlier operations), or `None` when it cannot be read yet; without
/// building the operation.
fn key_len(atom: &AtomIr, bound: &[bool]) -> Option<usize> {
    let mut n = 0;
    for a in &atom.args {
        if let Arg::Expr(e) = a {
            match e {
                Expr::Reg(r) if !bound[*r] => {}
                e if expr_bound(e, bound) => n += 1,
                _ => return None,
            }
        }
    }
    Some(n)
}

fn lit_regs(l: &Lit) -> Vec<Reg> {
    let mut out = Vec::new();
    match l {
        Lit::Pos(a) | Lit::Neg(a) => a.args.iter().for_each(|x| {
            if let Arg::Expr(e) = x {
                e.regs(&mut out)
            }
        }),
        Lit::Cmp { l, r, .. } => {
            l.regs(&mut out);
            r.regs(&mut out);
        }
        Lit::Contains { sub, s, .. } => {
            sub.regs(&mut out);
            s.regs(&mut out);
        }
        Lit::Match { re, s, .. } => {
            re.regs(&mut out);
            s.regs(&mut out);
        }
        Lit::Bool(_) => {}
        Lit::Agg(a) => {
            out.extend(a.outer.iter().copied());
        }
        Lit::Range { reg, args, .. } => {
            out.push(*reg);
            args.iter().for_each(|e| e.regs(&mut out));
        }
    }
    out
}

fn plan_lits(
    clause: &Clause,
    lits: &[(usize, &Lit)],
    delta: Option<usize>,
    modes: &dyn Fn(usize, RelId) -> Mode,
    bound: &mut [bool],
) -> Result<Vec<Op>, Diagnostics> {
    let mut ops = Vec::new();
    let mut done = vec![false; lits.len()];
    let widest = lits
        .iter()
        .filter_map(|(_, l)| match l {
            Lit::Pos(a) => Some(a.args.len()),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    // The delta atom goes first when it can (the common case: the round's
    // new tuples drive the loop); when its arguments need registers bound
    // elsewhere (`fib(i - 1, a)`), it is read later, still as the delta.
    if let Some(d) = delta
        && let Some(i) = lits.iter().position(|(p, _)| *p == d)
        && let Lit::Pos(a) = lits[i].1
        && let Some(op) = atom_op(a, modes(d, a.rel), &mut bound.to_vec())
    {
        let _ = atom_op(a, modes(d, a.rel), bound);
        ops.push(Op::Join(op));
        done[i] = true;
    }
    // Passes 1 and 2 look only at the literals that are not positive
    // atoms; pass 3 starts after the atoms already planned. A body of
    // thousands of atoms is so planned in linear time, not quadratic.
    let others: Vec<usize> = (0..lits.len())
        .filter(|&i| !matches!(lits[i].1, Lit::Pos(_)))
        .collect();
    let mut first = 0;
    loop {
        while done.get(first) == Some(&true) {
            first += 1;
        }
        let mut progress = false;
        // 1. Filters and antijoins whose registers are bound.
        for &i in &others {
            let lit = lits[i].1;
            if done[i] {
                continue;
            }
            // Computed only for the literals that ask: a body of thousands
            // of atoms must not pay for their registers on every pass.
            let ready = || lit_regs(lit).iter().all(|r| bound[*r]);
            let op =
                match lit {
                    Lit::Bool(true) => None,
                    Lit::Bool(false) => Some(Op::Filter(Filter::False)),
                    Lit::Cmp { op, ty, l, r, .. } if ready() => Some(Op::Filter(Filter::Cmp {
                        op: *op,
                        ty: *ty,
                        l: l.clone(),
                        r: r.clone(),
                    })),
                    Lit::Contains { negated, sub, s } if ready() => Some(Op::Filter(
                        Filter::Contains(*negated, sub.clone(), s.clone()),
                    )),
                    Lit::Match { negated, re, s } if ready() => {
                        Some(Op::Filter(Filter::Match(*negated, re.clone(), s.clone())))
                    }
                    Lit::Neg(a) if ready() => {
                        let mut scratch = bound.to_vec();
                        let op = atom_op(a, Mode::Static, &mut scratch);
                        match op {
                            Some(mut op) => {
                                op.cols.clear();
                                Some(Op::Anti(op))
                            }
                            None => continue,
                        }
                    }
                    _ => continue,
                };
            done[i] = true;
            progress = true;
            if let Some(op) = op {
                ops.push(op);
            }
        }
        if progress {
            continue;
        }
        // 2. Bindings `x = expr` and aggregates with bound inputs.
        for &i in &others {
            let lit = lits[i].1;
            if done[i] {
                continue;
            }
            match lit {
                Lit::Cmp {
                    op: CompareOp::Eq,
                    l,
                    r,
                    ..
                } => {
                    for (v, other) in [(l, r), (r, l)] {
                        // A register an aggregate still has to set is
                        // bound by it; the equation then compares.
                        let set_by_aggregate = |x: Reg| {
                            lits.iter().enumerate().any(|(j, (_, l))| {
                                !done[j] && matches!(l, Lit::Agg(a) if a.reg == x)
                            })
                        };
                        if let Expr::Reg(x) = v
                            && !bound[*x]
                            && expr_bound(other, bound)
                            && !set_by_aggregate(*x)
                        {
                            ops.push(Op::Bind(*x, other.clone()));
                            bound[*x] = true;
                            done[i] = true;
                            progress = true;
                            break;
                        }
                    }
                }
                Lit::Range { reg, ty, args }
                    if !bound[*reg] && args.iter().all(|e| expr_bound(e, bound)) =>
                {
                    ops.push(Op::Range(*reg, *ty, args.clone()));
                    bound[*reg] = true;
                    done[i] = true;
                    progress = true;
                }
                Lit::Agg(a) if a.outer.iter().all(|r| bound[*r]) => {
                    ops.push(Op::Agg(plan_agg(clause, a, bound)?));
                    bound[a.reg] = true;
                    done[i] = true;
                    progress = true;
                }
                _ => {}
            }
            if progress {
                break;
            }
        }
        if progress {
            continue;
        }
        // 3. The positive atom with the most bound columns (the first of
        // them). No atom can beat one whose every column is bound, so the
        // scan stops there.
        let mut best: Option<(usize, usize)> = None;
        for (i, (_, lit)) in lits.iter().enumerate().skip(first) {
            if done[i] {
                continue;
            }
            if let Lit::Pos(a) = lit
                && let Some(score) = key_len(a, bound)
                && best.is_none_or(|(_, s)| score > s)
            {
                best = Some((i, score));
                if score == widest {
                    break;
                }
            }
        }
        if let Some((i, _)) = best {
            let (pos, lit) = lits[i];
            if let Lit::Pos(a) = lit {
                let mode = modes(pos, a.rel);
                if let Some(op) = atom_op(a, mode, bound) {
                    ops.push(Op::Join(op));
                }
            }
            done[i] = true;
            continue;
        }
        break;
    }
    if let Some(i) = done.iter().position(|d| !d) {
        let regs = lit_regs(lits[i].1);
        let r = regs.into_iter().find(|r| !bound[*r]).or_else(|| {
            // An atom whose expression arguments need an unbound register.
            let mut all = Vec::new();
            if let Lit::Pos(a) = lits[i].1 {
                for x in &a.args {
                    if let Arg::Expr(e) = x {
                        e.regs(&mut all);
                    }
                }
            }
            all.into_iter().find(|r| !bound[*r])
        });
        return Err(match r {
            Some(r) => ungrounded(clause, r),
            None => Diagnostic::error("cannot evaluate this literal", clause.span).into(),
        });
    }
    Ok(ops)
}

fn plan_agg(clause: &Clause, a: &AggIr, bound: &[bool]) -> Result<AggOp, Diagnostics> {
    let mut inner = bound.to_vec();
    let lits: Vec<(usize, &Lit)> = a.body.iter().enumerate().collect();
    let ops = memoise(plan_lits(
        clause,
        &lits,
        None,
        &|_, _| Mode::Static,
        &mut inner,
    )?);
    if let Some((e, _)) = &a.target {
        let mut regs = Vec::new();
        e.regs(&mut regs);
        if let Some(r) = regs.into_iter().find(|r| !inner[*r]) {
            return Err(ungrounded(clause, r));
        }
    }
    Ok(AggOp {
        reg: a.reg,
        kind: a.kind,
        target: a.target.clone(),
        ops,
        outer: a.outer.clone(),
        slot: 0,
    })
}

/// Registers an operation reads that must be bound before it.
fn op_reads(op: &Op) -> Vec<Reg> {
    let mut out = Vec::new();
    match op {
        Op::Join(a) | Op::Anti(a) => {
            a.key.iter().for_each(|e| e.regs(&mut out));
            // `p(x, x)` checks its second `x` against the first: that is
            // not a read of an earlier binding.
            let own: Vec<Reg> = op_binds(op);
            out.extend(a.cols.iter().filter_map(|(_, c)| match c {
                Col::EqReg(r) if !own.contains(r) => Some(*r),
                _ => None,
            }));
        }
        Op::Filter(Filter::Cmp { l, r, .. })
        | Op::Filter(Filter::Contains(_, l, r))
        | Op::Filter(Filter::Match(_, l, r)) => {
            l.regs(&mut out);
            r.regs(&mut out);
        }
        Op::Filter(Filter::False) => {}
        Op::Bind(_, e) => e.regs(&mut out),
        Op::Range(_, _, args) => args.iter().for_each(|e| e.regs(&mut out)),
        Op::Agg(a) => out.extend(a.outer.iter().copied()),
        Op::Memo(m) => out.extend(m.key.iter().copied()),
    }
    out
}

/// Registers an operation binds for the operations after it.
fn op_binds(op: &Op) -> Vec<Reg> {
    match op {
        Op::Join(a) => a
            .cols
            .iter()
            .filter_map(|(_, c)| match c {
                Col::Bind(r) => Some(*r),
                Col::EqReg(_) => None,
            })
            .collect(),
        Op::Anti(_) | Op::Filter(_) => Vec::new(),
        Op::Bind(r, _) | Op::Range(r, _, _) => vec![*r],
        Op::Agg(a) => vec![a.reg],
        Op::Memo(m) => m.outs.clone(),
    }
}

/// Wraps every stretch that starts with a join independent of the
/// bindings so far and is then filtered against them into a [`MemoOp`].
/// Only filtered cross products are cached: there, each outer binding
/// costs a whole scan of the joined relation, so a repeated key saves the
/// most; a plain join through an index is cheap enough already.
fn memoise(ops: Vec<Op>) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::with_capacity(ops.len());
    let mut i = 0;
    while i < ops.len() {
        let starts = i > 0 && matches!(&ops[i], Op::Join(_)) && op_reads(&ops[i]).is_empty();
        if starts {
            let mut inner = op_binds(&ops[i]);
            let mut key: Vec<Reg> = Vec::new();
            let mut filtered = false;
            let mut j = i + 1;
            while j < ops.len() {
                let reads = op_reads(&ops[j]);
                if !reads.iter().any(|r| inner.contains(r)) {
                    break;
                }
                let outer: Vec<Reg> = reads.into_iter().filter(|r| !inner.contains(r)).collect();
                if !outer.is_empty() && matches!(&ops[j], Op::Filter(_) | Op::Anti(_)) {
                    filtered = true;
                }
                for r in outer {
                    if !key.contains(&r) {
                        key.push(r);
                    }
                }
                inner.extend(op_binds(&ops[j]));
                j += 1;
            }
            if filtered && key.len() <= MEMO_KEY_MAX {
                key.sort_unstable();
                let stretch: Vec<Op> = ops[i..j].to_vec();
                let outs = stretch.iter().flat_map(op_binds).collect();
                let fallback = ops[i..].to_vec();
                out.push(Op::Memo(MemoOp {
                    key,
                    outs,
                    ops: stretch,
                    fallback,
                    slot: 0,
                }));
                i = j;
                continue;
            }
        }
        out.push(ops[i].clone());
        i += 1;
    }
    out
}
