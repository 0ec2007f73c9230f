//! What an evaluation is asked for, and whether to answer it on demand.
//!
//! Three kinds of evaluation restrict their work to what is asked
//! (through [`crate::engine::magic`]):
//!
//! - a program with `.pragma "magic-transform" "*"` (or a list of
//!   relation names), as Soufflé does: every output is computed through
//!   the rewrite, the relations named (or all) adorned;
//! - a batch run (`run`, `check`) whose queries or assertions name
//!   constants (`?- weak_risk("13-…", r).`): the relations only those
//!   read are computed for the constants, the ones an output needs whole
//!   as usual;
//! - the REPL, which evaluates nothing until asked: a question computes
//!   the relations it reads, restricted by its constants, and what is
//!   computed whole stays for the next question.
//!
//! A relation is adorned only when it is defined by rules alone (no
//! stated facts, no `.input`, no fact files, not `eqrel`) and is not
//! computed whole anyway (needed by an output, or kept from an earlier
//! question).

use crate::engine::compile::Compiled;
use crate::engine::ir::{Catalog, Clause};
use crate::engine::magic::Demand;
use crate::lang::ast::{Item, Literal, Program};
use crate::lang::needed::needed_relations;
use std::collections::HashSet;

/// The pragma that asks for the rewrite.
const PRAGMA: &str = "magic-transform";

/// The relations a program's `.output`, `.printsize` and `.export` name.
pub fn whole_outputs(program: &Program) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in &program.items {
        let names: Vec<&str> = match item {
            Item::Output(d) | Item::PrintSize(d) => {
                d.relations.iter().map(|r| r.name.as_str()).collect()
            }
            Item::Export(e) => vec![e.relation.name.as_str()],
            _ => Vec::new(),
        };
        for n in names {
            if !out.iter().any(|o| o == n) {
                out.push(n.to_string());
            }
        }
    }
    out
}

/// Every alternative of every query and assertion of `items`.
pub fn bodies(items: &[Item]) -> Vec<Vec<Literal>> {
    items
        .iter()
        .flat_map(|i| match i {
            Item::Query(q) => q.body.clone(),
            Item::Assert(a) => a.body.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// The relations a demand reads: its whole relations and every relation
/// its bodies name.
pub fn demanded_relations(demand: &Demand) -> HashSet<String> {
    let mut out: HashSet<String> = demand.whole.iter().cloned().collect();
    for l in demand.bodies.iter().flatten() {
        l.each_relation(&mut |r| {
            out.insert(r.to_string());
        });
    }
    out
}

/// A program rewritten for a demand, ready to evaluate.
pub struct Rewrite {
    /// The relations, the rewrite's own included.
    pub catalog: Catalog,
    /// The rewritten rules, lowered.
    pub clauses: Vec<Clause>,
    /// Their strata and plans.
    pub compiled: Compiled,
    /// The demand's bodies as rewritten (reading the adorned relations).
    pub bodies: Vec<Vec<Literal>>,
}

/// How an evaluation may use the rewrite.
pub struct Plan {
    /// What it must answer.
    pub demand: Demand,
    /// Relations computed whole whatever the rewrite does.
    pub whole_anyway: HashSet<String>,
    /// The relations the pragma names (`None`: all).
    pub selected: Option<HashSet<String>>,
}

/// The plan for an evaluation of `program`: `lazy` is the REPL's demand;
/// `batch` says the run reports only its outputs (`run`, `check`). `None`
/// when every relation is to be computed as written.
pub fn plan(program: &Program, batch: bool, lazy: Option<&Demand>) -> Option<Plan> {
    let pragma = program.items.iter().rev().find_map(|i| match i {
        Item::Pragma(p) if p.key == PRAGMA => Some(p.value.trim().to_string()),
        _ => None,
    });
    let selected = pragma.as_ref().and_then(|v| {
        (v != "*").then(|| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
    });
    let whole_of = |whole: &[String]| {
        let roots: HashSet<String> = whole.iter().cloned().collect();
        needed_relations(program, &roots)
    };
    if let Some(d) = lazy {
        return Some(Plan {
            whole_anyway: whole_of(&d.whole),
            demand: d.clone(),
            selected,
        });
    }
    let demand = Demand {
        whole: whole_outputs(program),
        bodies: bodies(&program.items),
    };
    if pragma.is_some() {
        return Some(Plan {
            demand,
            whole_anyway: HashSet::new(),
            selected,
        });
    }
    if !batch || demand.bodies.is_empty() {
        return None;
    }
    Some(Plan {
        whole_anyway: whole_of(&demand.whole),
        demand,
        selected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;
    use crate::lang::parser::parse_source;

    fn program(text: &str) -> Program {
        let mut sources = SourceMap::new();
        parse_source(&mut sources, "t.dl", text).unwrap()
    }

    #[test]
    fn the_pragma_names_what_may_be_adorned() {
        let p = program(".pragma \"magic-transform\" \"a, b\"\n.decl a(x: number)\n.output a\n");
        let plan = plan(&p, false, None).unwrap();
        let mut names: Vec<&String> = plan.selected.as_ref().unwrap().iter().collect();
        names.sort();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(plan.demand.whole, ["a"]);
    }

    #[test]
    fn a_batch_run_restricts_only_its_questions() {
        let p = program(
            ".decl a(x: number)\n.decl b(x: number)\n.decl c(x: number)\n\
             b(x) :- a(x).\nc(x) :- b(x).\n.output b\n?- c(1).\n",
        );
        let plan = plan(&p, true, None).unwrap();
        assert_eq!(plan.demand.bodies.len(), 1);
        assert!(plan.whole_anyway.contains("b") && !plan.whole_anyway.contains("c"));
        assert!(super::plan(&p, false, None).is_none());
    }
}
