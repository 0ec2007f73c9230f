//! Driving compilation and evaluation: the catalog, ground facts, stored
//! facts and inputs assembled into rows, incremental recompute and pruning.

use super::demand;
use super::directives::{Input, read_input};
use super::{Session, interrupted, trace};
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::compile::{compile, lower_rules, lower_subsumptions};
use crate::engine::intern::Interner;
use crate::engine::ir::{Catalog, RelInfo, Target};
use crate::engine::magic::{self, Demand};
use crate::engine::rows::Rows;
use crate::engine::strata::evaluate;
use crate::engine::value::{Word, literal_word};
use crate::lang::ast::{self, Item};
use crate::lang::checked::{CheckedRule, TypesByAtom};
use crate::lang::types::ColumnType;

/// The evaluated database.
pub(super) struct Db {
    pub(super) catalog: Catalog,
    pub(super) rows: Vec<Rows>,
    /// Position of each relation's stratum in evaluation order: Soufflé
    /// writes outputs and sizes as strata complete, so we order them so.
    pub(super) stratum_of: Vec<usize>,
    /// Program items and stored facts it was computed from: a later
    /// evaluation of a program that only grew reuses the relations the
    /// new items do not affect.
    pub(super) items: usize,
    pub(super) stored: usize,
    /// Which relations hold all their rows: a session evaluated on
    /// demand (the REPL) computes only what was asked for.
    pub(super) valid: Vec<bool>,
    /// The questions it was computed for, each with its rewrite reading
    /// the adorned relations (see [`crate::engine::magic`]).
    pub(super) asked: Vec<(Vec<ast::Literal>, Vec<ast::Literal>)>,
    /// The `inline` relations written into their users (see
    /// [`crate::lang::inline`]): they have no rows to ask.
    pub(super) inline: std::collections::HashSet<String>,
}

impl Session {
    /// The relations numbered in declaration order (relation ids order
    /// independent strata, so outputs come in the order of the program).
    fn catalog(&self) -> Catalog {
        let mut cat = Catalog::default();
        let declared = self.program.items.iter().filter_map(|i| match i {
            Item::Decl(d) => Some(d.name.name.as_str()),
            _ => None,
        });
        let names: Vec<&str> = declared
            .chain(self.schema.relations.keys().map(String::as_str))
            .collect();
        for name in names {
            if cat.id(name).is_some() {
                continue;
            }
            let Some(rs) = self.schema.relations.get(name) else {
                continue;
            };
            cat.add(RelInfo {
                name: name.to_string(),
                columns: rs.columns.clone(),
                types: rs.types.clone(),
                eqrel: rs.is_eqrel(),
                choice: rs.choice.clone(),
            });
        }
        cat
    }

    /// Recomputes the database when rules or facts changed since the last
    /// evaluation: `Some(warnings)` when it did, `None` when it was current.
    /// A failure takes back what was loaded since the last good evaluation.
    /// With `lazy` (a session evaluated on demand) it computes what that
    /// asks for, when it is not there yet.
    pub(super) fn refresh(
        &mut self,
        lazy: Option<&Demand>,
    ) -> Result<Option<Vec<String>>, Diagnostics> {
        let unmet = lazy.is_some_and(|d| !self.holds(d));
        if !(self.dirty || self.db.is_none() || unmet) {
            return Ok(None);
        }
        let prev = self.db.take();
        let (db, warnings) = match self.compute(prev, lazy) {
            Ok(done) => done,
            Err(d) => return Err(self.back_to_good(d)),
        };
        self.good = self.loads.len();
        self.db = Some(db);
        self.dirty = false;
        Ok(Some(self.placed_warnings(warnings)))
    }

    /// The rules rewritten for `plan` ([`crate::engine::magic`]) with the
    /// catalog extended by the relations the rewrite adds, lowered and
    /// compiled; `None` when the rewrite restricts nothing or does not
    /// compile (the rules as written are evaluated then).
    fn rewrite(
        &mut self,
        checked: &[CheckedRule],
        plan: &demand::Plan,
        catalog: &Catalog,
        reuse_of: &[Option<usize>],
    ) -> Option<demand::Rewrite> {
        let rules: Vec<ast::Rule> = checked.iter().map(|c| c.rule.clone()).collect();
        let rules = &rules[..];
        let mut base: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for item in &self.program.items {
            match item {
                Item::Fact(a) | Item::Retract(a) => {
                    base.insert(&a.relation.name);
                }
                Item::Input(d) => base.extend(d.relations.iter().map(|r| r.name.as_str())),
                _ => {}
            }
        }
        let defined: std::collections::HashSet<&str> = rules
            .iter()
            .flat_map(|r| r.heads.iter().map(|h| h.relation.name.as_str()))
            .collect();
        let may_adorn = |r: &str| {
            defined.contains(r)
                && !base.contains(r)
                && self.stored.get(r).is_none_or(|s| s.is_empty())
                && plan.selected.as_ref().is_none_or(|s| s.contains(r))
                && !plan.whole_anyway.contains(r)
                && catalog
                    .id(r)
                    .is_some_and(|id| !catalog.rels[id].eqrel && reuse_of[id].is_none())
        };
        let rw = magic::rewrite(rules, &may_adorn, &plan.demand);
        if !rw.restricted {
            return None;
        }
        let mut cat = catalog.clone();
        for d in &rw.relations {
            let info = &catalog.rels[catalog.id(&d.base)?];
            cat.add(RelInfo {
                name: d.name.clone(),
                columns: d.columns.iter().map(|&i| info.columns[i].clone()).collect(),
                types: d.columns.iter().map(|&i| info.types[i]).collect(),
                eqrel: false,
                ..Default::default()
            });
        }
        let types = TypesByAtom::new(checked);
        let items: Vec<CheckedRule> = rw.rules.into_iter().map(|r| types.retype(r)).collect();
        let (items, helpers) = crate::engine::independent::split(items);
        for name in helpers {
            cat.add(RelInfo {
                name,
                columns: Vec::new(),
                types: Vec::new(),
                ..Default::default()
            });
        }
        let clauses = lower_rules(&cat, &items, &mut self.symbols).ok()?;
        let compiled = compile(&cat, &clauses).ok()?;
        trace(&format!(
            "magic: {} rules for {} adorned relations",
            items.len(),
            rw.relations.len()
        ));
        Some(demand::Rewrite {
            catalog: cat,
            clauses,
            compiled,
            bodies: rw.bodies,
        })
    }

    /// True when every relation `d` reads holds all its rows.
    fn holds(&self, d: &Demand) -> bool {
        let Some(db) = &self.db else {
            return false;
        };
        demand::demanded_relations(d)
            .iter()
            .all(|r| db.catalog.id(r).is_none_or(|id| db.valid[id]))
    }

    /// Computes what `d` reads unless it is there already (a session
    /// evaluated on demand).
    pub(super) fn ensure(&mut self, d: &Demand) -> Result<(), Diagnostics> {
        if !self.dirty && self.holds(d) {
            return Ok(());
        }
        let prev = self.db.take();
        match self.compute(prev, Some(d)) {
            Ok((db, warnings)) => {
                self.db = Some(db);
                self.dirty = false;
                self.good = self.loads.len();
                for w in self.placed_warnings(warnings) {
                    eprintln!("{w}");
                }
                Ok(())
            }
            Err(e) => Err(self.back_to_good(e)),
        }
    }

    /// Makes the named relations hold all their rows before they are read
    /// whole (`:facts`, `:export`, `:graph` in the REPL); a session that is
    /// not evaluated on demand has them already.
    pub fn ensure_relations(&mut self, names: &[String]) -> Result<(), Diagnostics> {
        if !self.lazy {
            return Ok(());
        }
        self.cancel
            .store(false, std::sync::atomic::Ordering::Relaxed);
        self.ensure(&Demand {
            whole: names.to_vec(),
            bodies: Vec::new(),
        })
    }

    /// Run-time warnings, with those about literal `match` patterns
    /// replaced by warnings at the pattern in its rule.
    fn placed_warnings(&self, warnings: Vec<String>) -> Vec<String> {
        let placed = crate::lang::patterns::bad_patterns(&self.program);
        let mut out: Vec<String> = placed
            .iter()
            .map(|(_, d)| d.render(&self.sources).trim_end().to_string())
            .collect();
        out.extend(warnings.into_iter().filter(|w| {
            !placed.iter().any(|(pat, _)| {
                *w == format!("warning: invalid regular expression \"{pat}\" in match")
            })
        }));
        out
    }
    /// Reads facts and inputs, compiles and evaluates every stratum.
    ///
    /// With `prev`, the database of this program before items were added
    /// (a rule or fact typed at the REPL prompt), only the relations the
    /// new items affect are computed; the others keep their rows from
    /// `prev` and read as inputs (see [`crate::lang::needed::affected_relations`]).
    ///
    /// With `lazy` (a session evaluated on demand), only what it asks for
    /// is computed (the rest of `prev` is kept as it was).
    fn compute(
        &mut self,
        prev: Option<Db>,
        lazy: Option<&Demand>,
    ) -> Result<(Db, Vec<String>), Diagnostics> {
        let started = std::time::Instant::now();
        let mut catalog = self.catalog();
        let mut prev = prev.filter(|db| {
            !self.prune && db.items <= self.program.items.len() && db.stored == self.stored.len()
        });
        let affected = prev.as_ref().map(|db| {
            crate::lang::needed::affected_relations(&self.program, &self.program.items[db.items..])
        });
        // The id in `prev` of every relation whose rows are reused.
        let mut reuse_of: Vec<Option<usize>> = catalog
            .rels
            .iter()
            .map(|r| {
                let db = prev.as_ref()?;
                if affected.as_ref()?.contains(&r.name) {
                    return None;
                }
                let old = db.catalog.id(&r.name)?;
                (db.valid[old] && db.catalog.rels[old].types == r.types).then_some(old)
            })
            .collect();
        let mut errors = Vec::new();
        let mut facts: Vec<Vec<Word>> = catalog.rels.iter().map(|_| Vec::new()).collect();
        let mut extra_rules: Vec<CheckedRule> = Vec::new();
        let mut retracted: Vec<(usize, Vec<Word>)> = Vec::new();
        let mut inputs: Vec<Rows> = Vec::new();
        let mut input_rels: Vec<usize> = Vec::new();
        let mut input_warnings: Vec<String> = Vec::new();
        // A pruned (batch) run computes what its outputs need and keeps
        // only the outputs themselves.
        let outputs = self
            .prune
            .then(|| crate::lang::needed::output_relations(&self.program));
        let roots = outputs
            .clone()
            .or_else(|| lazy.map(demand::demanded_relations));
        let needed = roots
            .as_ref()
            .map(|o| crate::lang::needed::needed_relations(&self.program, o));
        let wanted = |name: &str| {
            magic::is_derived(name) || needed.as_ref().is_none_or(|n| n.contains(name))
        };
        // The checker has seen that every relation named exists: the
        // catalog holds them all.
        for item in &self.program.items {
            match item {
                Item::Fact(a) | Item::Retract(a) => {
                    let Some(id) = catalog.id(&a.relation.name) else {
                        continue;
                    };
                    if reuse_of[id].is_some() {
                        continue;
                    }
                    let types = &catalog.rels[id].types;
                    match constant_row(&a.args, types, &mut self.symbols) {
                        Some(row) if row.len() == types.len() => {
                            if matches!(item, Item::Fact(_)) {
                                if types.is_empty() {
                                    facts[id].push(0);
                                } else {
                                    facts[id].extend_from_slice(&row);
                                }
                            } else {
                                retracted.push((id, row));
                            }
                        }
                        _ if matches!(item, Item::Fact(_)) => {
                            // A fact with expressions: evaluate it as a
                            // rule with an empty body.
                            extra_rules.push(CheckedRule::without_variables(ast::Rule {
                                heads: vec![a.clone()],
                                body: vec![Vec::new()],
                                span: a.span,
                            }));
                        }
                        _ => errors.push(Diagnostic::error(
                            "a retraction must list constants only",
                            a.span,
                        )),
                    }
                }
                Item::Input(d) => {
                    for rel in &d.relations {
                        let Some(id) = catalog.id(&rel.name) else {
                            continue;
                        };
                        if reuse_of[id].is_some() {
                            continue;
                        }
                        let types = catalog.rels[id].types.clone();
                        let read = read_input(
                            d,
                            &rel.name,
                            &types,
                            wanted(&rel.name),
                            &self.fact_dir,
                            &self.sources,
                            &mut self.symbols,
                        );
                        match read {
                            Ok(Input::Rows(rows)) => {
                                inputs.push(rows);
                                input_rels.push(id);
                            }
                            Ok(Input::Missing(w)) => input_warnings.push(w),
                            Ok(Input::Probed) => {}
                            Err(e) => errors.push(e),
                        }
                    }
                }
                _ => {}
            }
        }
        for (id, rel) in catalog.rels.iter().enumerate() {
            let Some(stored) = self.stored.get(&rel.name) else {
                continue;
            };
            if !wanted(&rel.name) || stored.is_empty() || reuse_of[id].is_some() {
                continue;
            }
            if stored.arity == 0 {
                facts[id].push(0);
            } else {
                facts[id].extend_from_slice(&stored.data);
            }
        }
        trace(&format!(
            "facts and inputs read {:.3}s",
            started.elapsed().as_secs_f64()
        ));
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        let mut items = self.rule_types.rules(&self.program);
        items.extend(extra_rules);
        // `inline` relations whose rules need their users' arguments are
        // written into those users.
        let inline = crate::lang::inline::to_expand(self.schema(), &items);
        let misread = crate::lang::inline::read_as_rows(&self.program, &inline);
        if !misread.is_empty() {
            return Err(Diagnostics(misread));
        }
        items.extend(crate::lang::inline::facts_as_rules(&self.program, &inline));
        let items = crate::lang::inline::expand(items, &inline)?;
        let plan = demand::plan(&self.program, self.prune, lazy);
        let written: Vec<CheckedRule> = match plan {
            Some(_) => items.clone(),
            None => Vec::new(),
        };
        let had_rules: std::collections::HashSet<String> = items
            .iter()
            .flat_map(|c| c.rule.heads.iter().map(|h| h.relation.name.clone()))
            .collect();
        // Body parts independent of the head become nullary helpers,
        // evaluated once instead of joined through.
        let (items, helpers) = crate::engine::independent::split(items);
        for name in helpers {
            catalog.add(RelInfo {
                name,
                columns: Vec::new(),
                types: Vec::new(),
                ..Default::default()
            });
            facts.push(Vec::new());
            reuse_of.push(None);
        }
        let mut clauses = lower_rules(&catalog, &items, &mut self.symbols)?;
        let subsumptions = self.rule_types.subsumptions(&self.program);
        clauses.extend(lower_subsumptions(
            &catalog,
            &subsumptions,
            &mut self.symbols,
        )?);
        // Every rule is compiled, so that an unstratifiable or ungrounded
        // one is reported even when no output needs it; a pruned run then
        // evaluates only the rules of needed relations, an incremental one
        // only those of relations the new items affect.
        let mut compiled = compile(&catalog, &clauses)?;
        // Answering on demand: the program rewritten for what is asked,
        // when that restricts anything and the rewrite compiles.
        let mut asked = Vec::new();
        // Subsumption and `choice-domain` depend on the whole relation and
        // the order tuples come in, which a rewrite for demand changes.
        let rewritable =
            subsumptions.is_empty() && catalog.rels.iter().all(|r| r.choice.is_empty());
        if let Some(plan) = plan
            && rewritable
            && let Some(rw) = self.rewrite(&written, &plan, &catalog, &reuse_of)
        {
            catalog = rw.catalog;
            clauses = rw.clauses;
            compiled = rw.compiled;
            while facts.len() < catalog.rels.len() {
                facts.push(Vec::new());
                reuse_of.push(None);
            }
            asked = plan.demand.bodies.into_iter().zip(rw.bodies).collect();
        }
        let evaluated = |t: &Target| match *t {
            Target::Rel(r) | Target::Dominated { rel: r, .. } => {
                wanted(&catalog.rels[r].name) && reuse_of[r].is_none()
            }
            Target::Answer => true,
        };
        let defined: std::collections::HashSet<usize> = clauses
            .iter()
            .filter(|c| evaluated(&c.target))
            .filter_map(|c| match c.target {
                Target::Rel(r) => Some(r),
                Target::Answer | Target::Dominated { .. } => None,
            })
            .collect();
        if needed.is_some() || prev.is_some() {
            compiled.retain(&clauses, evaluated);
        }
        // Stated facts, `.input` rows and retractions per relation; input
        // rows are moved, not copied, when they are a relation's only source.
        let mut by_rel: Vec<Vec<Rows>> = catalog.rels.iter().map(|_| Vec::new()).collect();
        for (k, rows) in input_rels.iter().zip(inputs.drain(..)) {
            by_rel[*k].push(rows);
        }
        let mut edb: Vec<Rows> = Vec::with_capacity(catalog.rels.len());
        for (id, data) in facts.into_iter().enumerate() {
            let arity = catalog.rels[id].types.len();
            if let (Some(old), Some(db)) = (reuse_of[id], prev.as_mut()) {
                edb.push(std::mem::replace(&mut db.rows[old], Rows::empty(arity)));
                continue;
            }
            let mut parts = std::mem::take(&mut by_rel[id]);
            let mut rows = match (data.is_empty(), parts.len()) {
                (true, 1) => parts.pop().unwrap_or_else(|| Rows::empty(arity)),
                _ => {
                    let mut data = data;
                    for p in parts {
                        if arity == 0 {
                            if p.len > 0 {
                                data.push(0);
                            }
                        } else {
                            data.extend_from_slice(&p.data);
                        }
                    }
                    // Stated facts of a `choice-domain` relation choose in
                    // the order they are written, as in Soufflé.
                    let keys = &catalog.rels[id].choice;
                    if !keys.is_empty() {
                        data = crate::engine::choice::first_per_key(arity, keys, data);
                    }
                    Rows::from_unsorted(arity, data)
                }
            };
            let gone: Vec<Word> = retracted
                .iter()
                .filter(|(r, _)| *r == id)
                .flat_map(|(_, row)| row.iter().copied().chain((arity == 0).then_some(0)))
                .collect();
            if !gone.is_empty() {
                let gone = Rows::from_unsorted(arity, gone);
                if arity == 0 {
                    rows = Rows::empty(0);
                } else {
                    let mut kept = Vec::with_capacity(rows.data.len());
                    let mut len = 0;
                    for i in 0..rows.len {
                        if !gone.contains(rows.row(i)) {
                            kept.extend_from_slice(rows.row(i));
                            len += 1;
                        }
                    }
                    rows = Rows {
                        arity,
                        len,
                        data: kept,
                    };
                }
            }
            edb.push(rows);
        }
        drop(inputs);
        let cancel = self.cancel.clone();
        // The adorned relations the questions read stay too.
        let mut read: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for l in asked.iter().flat_map(|(_, b)| b) {
            l.each_relation(&mut |r| {
                read.insert(r);
            });
        }
        let keep: Vec<bool> = match &outputs {
            Some(o) => catalog
                .rels
                .iter()
                .map(|r| o.contains(&r.name) || read.contains(r.name.as_str()))
                .collect(),
            None => Vec::new(),
        };
        let valid: Vec<bool> = catalog
            .rels
            .iter()
            .enumerate()
            .map(|(id, r)| {
                reuse_of[id].is_some()
                    || (!magic::is_derived(&r.name)
                        && wanted(&r.name)
                        && (!had_rules.contains(&r.name) || defined.contains(&id)))
            })
            .collect();
        let result = crate::with_width!(compiled.width, W => evaluate::<W>(
            &compiled.strata, edb, &keep, &mut self.symbols, &cancel
        ));
        let (rows, mut warnings) = result.map_err(|_| interrupted(&cancel))?;
        input_warnings.append(&mut warnings);
        let warnings = input_warnings;
        let mut stratum_of = vec![usize::MAX; catalog.rels.len()];
        for (i, s) in compiled.strata.iter().enumerate() {
            for &r in &s.rels {
                stratum_of[r] = i;
            }
        }
        drop(prev);
        Ok((
            Db {
                catalog,
                rows,
                stratum_of,
                items: self.program.items.len(),
                stored: self.stored.len(),
                valid,
                asked,
                inline,
            },
            warnings,
        ))
    }
}

/// The words of a fact whose arguments are all literal constants.
fn constant_row(
    args: &[ast::Expr],
    types: &[ColumnType],
    symbols: &mut Interner,
) -> Option<Vec<Word>> {
    if args.len() != types.len() {
        return None;
    }
    args.iter()
        .zip(types)
        .map(|(e, &t)| literal_word(e, t, symbols))
        .collect()
}
