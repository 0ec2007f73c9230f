//! Which relations a batch run has to compute.
//!
//! A script run in CI asks for a few outputs (`.output`, `.printsize`,
//! `.export`, queries, assertions) over a schema that declares every
//! assessment relation with `.input`. Reading and evaluating the relations
//! no output depends on only costs time and memory: on the national corpus
//! a fifth of the input bytes feed nothing. Soufflé drops such relations
//! too (its redundant-relation pass), so a batch run reads only the inputs
//! and evaluates only the rules this module marks as needed. The REPL does
//! not prune: any relation may be asked about later.

use super::ast::{Atom, Item, Literal, Program};
use std::collections::HashSet;

/// What a rule or a subsumptive clause derives (or deletes from) and what
/// it reads: the view both passes below follow.
struct Derivation<'a> {
    heads: Vec<&'a Atom>,
    body: &'a [Vec<Literal>],
}

/// Every rule and subsumptive clause of the program, in order.
fn derivations(program: &Program) -> Vec<Derivation<'_>> {
    program
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Rule(r) => Some(Derivation {
                heads: r.heads.iter().collect(),
                body: &r.body,
            }),
            Item::Subsume(s) => Some(Derivation {
                heads: vec![&s.dominated],
                body: &s.body,
            }),
            _ => None,
        })
        .collect()
}

/// Adds every relation a body reads to `needed`.
fn add_body(body: &[Vec<Literal>], needed: &mut HashSet<String>) {
    for alt in body {
        for lit in alt {
            lit.each_relation(&mut |r| {
                needed.insert(r.to_string());
            });
        }
    }
}

/// The relations a run reports on: named by `.output`, `.printsize` and
/// `.export`, or read by a query or an assertion. Only these must survive
/// evaluation; everything else may be freed once it has been used.
pub fn output_relations(program: &Program) -> HashSet<String> {
    let mut needed: HashSet<String> = HashSet::new();
    for item in &program.items {
        match item {
            Item::Output(d) | Item::PrintSize(d) => {
                needed.extend(d.relations.iter().map(|r| r.name.clone()));
            }
            Item::Export(e) => {
                needed.insert(e.relation.name.clone());
            }
            Item::Query(q) => add_body(&q.body, &mut needed),
            Item::Assert(a) => add_body(&a.body, &mut needed),
            _ => {}
        }
    }
    needed
}

/// The relations the given outputs ([`output_relations`]) depend on,
/// outputs included, directly or through rules (positively, negated or
/// inside aggregates).
pub fn needed_relations(program: &Program, outputs: &HashSet<String>) -> HashSet<String> {
    let mut needed = outputs.clone();
    // Follow rules backwards until nothing new is needed.
    let rules = derivations(program);
    let mut done = vec![false; rules.len()];
    loop {
        let mut grew = false;
        for (k, rule) in rules.iter().enumerate() {
            if done[k] || !rule.heads.iter().any(|h| needed.contains(&h.relation.name)) {
                continue;
            }
            done[k] = true;
            grew = true;
            add_body(rule.body, &mut needed);
            // A multi-head rule computes all its heads; their other
            // arguments may hold aggregates too.
            for h in &rule.heads {
                needed.insert(h.relation.name.clone());
                h.args.iter().for_each(|e| {
                    e.each_relation(&mut |r| {
                        needed.insert(r.to_string());
                    })
                });
            }
        }
        if !grew {
            break;
        }
    }
    needed
}

/// The relations whose rows change when `new` (the items added since an
/// evaluation) join `program` (which ends with them): the relations `new`
/// states facts or retractions of, reads with `.input`, declares or
/// defines by rules, and every relation a rule derives from one of those,
/// positively, negated or through an aggregate. Every other relation keeps
/// the rows it had (the REPL reuses them instead of computing them again).
pub fn affected_relations(program: &Program, new: &[Item]) -> HashSet<String> {
    let mut affected: HashSet<String> = HashSet::new();
    for item in new {
        match item {
            Item::Fact(a) | Item::Retract(a) => {
                affected.insert(a.relation.name.clone());
            }
            Item::Rule(r) => affected.extend(r.heads.iter().map(|h| h.relation.name.clone())),
            Item::Subsume(s) => {
                affected.insert(s.dominated.relation.name.clone());
            }
            Item::Input(d) => affected.extend(d.relations.iter().map(|r| r.name.clone())),
            Item::Decl(d) => {
                affected.insert(d.name.name.clone());
            }
            _ => {}
        }
    }
    let rules = derivations(program);
    loop {
        let mut grew = false;
        for rule in &rules {
            let mut reads = HashSet::new();
            add_body(rule.body, &mut reads);
            for h in &rule.heads {
                h.args.iter().for_each(|e| {
                    e.each_relation(&mut |r| {
                        reads.insert(r.to_string());
                    })
                });
            }
            if reads.iter().any(|r| affected.contains(r)) {
                for h in &rule.heads {
                    grew |= affected.insert(h.relation.name.clone());
                }
            }
        }
        if !grew {
            break;
        }
    }
    affected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;
    use crate::lang::parser::parse_source;

    fn needed(text: &str) -> Vec<String> {
        let mut sources = SourceMap::new();
        let program = parse_source(&mut sources, "t.dl", text).unwrap();
        let outputs = output_relations(&program);
        let mut v: Vec<String> = needed_relations(&program, &outputs).into_iter().collect();
        v.sort();
        v
    }

    #[test]
    fn outputs_pull_in_what_their_rules_read() {
        let text = r#"
            .decl a(x: number)
            .decl b(x: number)
            .decl c(x: number)
            .decl d(x: number)
            .decl unused(x: number)
            .decl lonely(x: number)
            .input a
            .input unused
            b(x) :- a(x), !c(x).
            c(x) :- d(x).
            d(n) :- n = count : { a(_) }.
            lonely(x) :- unused(x).
            .printsize b
        "#;
        assert_eq!(needed(text), ["a", "b", "c", "d"]);
    }

    #[test]
    fn what_an_added_rule_changes_follows_the_rules_forward() {
        let mut sources = SourceMap::new();
        let text = ".decl a(x: number)\n.decl b(x: number)\n.decl c(x: number)\n\
                    .decl d(x: number)\nb(x) :- a(x).\nc(n) :- n = count : { b(_) }.\n\
                    d(x) :- a(x).\n";
        let mut program = parse_source(&mut sources, "t.dl", text).unwrap();
        let added = parse_source(&mut sources, "n.dl", "b(7).").unwrap();
        program.items.extend(added.items.iter().cloned());
        let mut v: Vec<String> = affected_relations(&program, &added.items)
            .into_iter()
            .collect();
        v.sort();
        assert_eq!(v, ["b", "c"]);
    }

    #[test]
    fn queries_assertions_and_exports_are_outputs_too() {
        let text = r#"
            .decl a(x: number)
            .decl b(x: number)
            .decl e(x: number)
            .decl f(x: number)
            ?- a(x).
            .assert empty b(_)
            .export e to "e.csv"
        "#;
        assert_eq!(needed(text), ["a", "b", "e"]);
    }
}
