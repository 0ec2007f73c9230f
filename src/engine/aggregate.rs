//! Aggregates in the pipeline: `count`, `sum`, `min`, `max` and `mean` of
//! a sub-pipeline, computed per binding of the registers it shares with
//! the rule (its injected variables) and cached per distinct binding.
//!
//! Soufflé's semantics: `count`/`sum` of an empty body are 0, `min`/`max`/
//! `mean` of an empty body give no tuple; sums wrap in the column's type
//! and floats add in the 32-bit domain.

use super::exec::{Exec, Interrupted};
use super::functors::{Ctx, compare_op, eval};
use super::memo::{Lookup, key_of};
use super::plan::{AggOp, MEMO_KEY_MAX};
use super::value::{Word, from_f32, from_i32, to_f32, to_i32};
use crate::lang::ast::{AggKind, CompareOp};
use crate::lang::types::ColumnType;

impl<const W: usize> Exec<'_, '_, '_, W> {
    /// The value of an aggregate for the current binding of its outer
    /// registers, computed once per distinct binding.
    pub(super) fn aggregate(
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
