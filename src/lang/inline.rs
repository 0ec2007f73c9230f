//! `inline` relations (`.decl cross(…) inline`): a relation that is not
//! computed but written into the rules that use it, as Soufflé does.
//!
//! Most inline relations are grounded on their own, and computing them
//! gives the rows inlining would: those are left to the engine. This module
//! is for the others, whose rules leave their head variables to the atom
//! that uses them (`cross([a0, a1], [b0, b1], [o0, o1], v) :- v = …`, with
//! nothing in the body to bind `a0`): every positive atom of such a
//! relation in another rule is replaced by the body of each of its rules —
//! one alternative per rule — with fresh variables, and the atom's
//! arguments equated to the head's terms. The relation itself is then not
//! computed, so it may not be negated or aggregated over.

use std::collections::{HashMap, HashSet};

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::ast::{Atom, CompareOp, Expr, Ident, Item, Literal, Program, Rule};
use crate::lang::check::{ground, vars};
use crate::lang::checked::{CheckedRule, VarTypes};
use crate::lang::schema::Schema;
use crate::lang::witness::{rename, rename_lit};
use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;

/// The inline relations that must be expanded: those with a rule that is
/// not grounded on its own.
pub fn to_expand(schema: &Schema, rules: &[CheckedRule]) -> HashSet<String> {
    let mut out = HashSet::new();
    for r in rules {
        let [head] = r.rule.heads.as_slice() else {
            continue;
        };
        let name = &head.relation.name;
        if out.contains(name) || !schema.relation(name).is_some_and(|s| s.is_inline()) {
            continue;
        }
        let ungrounded = r.rule.body.iter().any(|alt| {
            let mut errors = Vec::new();
            ground::check(&r.rule.heads, alt, &mut errors);
            !errors.is_empty()
        });
        if ungrounded {
            out.insert(name.clone());
        }
    }
    out
}

/// One rule of an inline relation, one alternative of its body.
struct Definition {
    head: Atom,
    body: Vec<Literal>,
    types: VarTypes,
}

/// The rules with every positive atom of a relation of `inline` written
/// out (see the module doc), and those relations' own rules left out.
pub fn expand(
    rules: Vec<CheckedRule>,
    inline: &HashSet<String>,
) -> Result<Vec<CheckedRule>, Diagnostics> {
    if inline.is_empty() {
        return Ok(rules);
    }
    let mut defs: HashMap<String, Vec<Definition>> = HashMap::new();
    let mut others = Vec::new();
    for r in rules {
        match r.rule.heads.as_slice() {
            [head] if inline.contains(&head.relation.name) => {
                let types = r
                    .types
                    .into_iter()
                    .chain(std::iter::repeat_with(VarTypes::default));
                for (body, types) in r.rule.body.into_iter().zip(types) {
                    defs.entry(head.relation.name.clone())
                        .or_default()
                        .push(Definition {
                            head: head.clone(),
                            body,
                            types,
                        });
                }
            }
            _ => others.push(r),
        }
    }
    let mut errors = cycles(&defs);
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let mut fresh = 0;
    let mut out = Vec::with_capacity(others.len());
    for r in others {
        let CheckedRule { rule, types } = r;
        let Rule { heads, body, span } = rule;
        let types = types
            .into_iter()
            .chain(std::iter::repeat_with(VarTypes::default));
        let (mut alts, mut tys) = (Vec::new(), Vec::new());
        for (alt, ty) in body.into_iter().zip(types) {
            let mut work = vec![(alt, ty)];
            while let Some((alt, ty)) = work.pop() {
                let at = alt.iter().position(|l| match l {
                    Literal::Atom(a) => defs.contains_key(&a.relation.name),
                    _ => false,
                });
                let Some(k) = at else {
                    not_written_out(&alt, inline, &mut errors);
                    alts.push(alt);
                    tys.push(ty);
                    continue;
                };
                let Literal::Atom(call) = &alt[k] else {
                    continue;
                };
                // Last first, so that the stack gives them back in order.
                for def in defs[&call.relation.name].iter().rev() {
                    fresh += 1;
                    let (lits, map) = instantiate(call, def, fresh);
                    let mut next = alt[..k].to_vec();
                    next.extend(lits);
                    next.extend(alt[k + 1..].iter().cloned());
                    let mut t = ty.clone();
                    t.extend(def.types.renamed(&map));
                    work.push((next, t));
                }
            }
        }
        out.push(CheckedRule {
            rule: Rule {
                heads,
                body: alts,
                span,
            },
            types: tys,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(errors))
    }
}

/// The stated facts of the relations of `inline`, as rules with an empty
/// body: expanded like the relations' other rules (a fact is one more
/// alternative), since the relations themselves are not read.
pub fn facts_as_rules(program: &Program, inline: &HashSet<String>) -> Vec<CheckedRule> {
    if inline.is_empty() {
        return Vec::new();
    }
    program
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Fact(a) if inline.contains(&a.relation.name) => {
                Some(CheckedRule::without_variables(Rule {
                    heads: vec![a.clone()],
                    body: vec![Vec::new()],
                    span: a.span,
                }))
            }
            _ => None,
        })
        .collect()
}

/// The places of `program` that would read an expanded relation as if it
/// had rows: an I/O directive or `.export` naming it, a query or an
/// assertion using it. It has none (its rules are written into their
/// users), so each is an error rather than a silent empty answer.
pub fn read_as_rows(program: &Program, inline: &HashSet<String>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if inline.is_empty() {
        return errors;
    }
    for item in &program.items {
        let named: Vec<&Ident> = match item {
            Item::Input(d) | Item::Output(d) | Item::PrintSize(d) => d.relations.iter().collect(),
            Item::Export(e) => vec![&e.relation],
            Item::Query(q) => {
                asked_of(&q.body, inline, &mut errors);
                Vec::new()
            }
            Item::Assert(a) => {
                asked_of(&a.body, inline, &mut errors);
                Vec::new()
            }
            _ => Vec::new(),
        };
        for id in named.into_iter().filter(|id| inline.contains(&id.name)) {
            errors.push(no_rows(&id.name, id.span));
        }
    }
    errors
}

/// Reports the atoms of expanded relations in a question's body.
pub fn asked_of(body: &[Vec<Literal>], inline: &HashSet<String>, errors: &mut Vec<Diagnostic>) {
    // Every question passes here; most programs have no inline relation.
    if inline.is_empty() {
        return;
    }
    for alt in body {
        let mut atoms = Vec::new();
        vars::all_atoms(alt, &mut atoms);
        for a in atoms
            .into_iter()
            .filter(|a| inline.contains(&a.relation.name))
        {
            errors.push(no_rows(&a.relation.name, a.span));
        }
    }
}

fn no_rows(name: &str, span: crate::diag::Span) -> Diagnostic {
    Diagnostic::error(
        format!("`{name}` is inline: its rules are written into the rules that use it, so it has no rows to read here"),
        span,
    )
    .with_label("an inline relation")
    .with_note(format!("ask through a rule (`q(…) :- {name}(…).`), or drop `inline` from its `.decl` and ground its rules"))
}

/// Inline relations written in terms of each other in a cycle cannot be
/// written out: one error per cycle, at the `.decl`-side head of its first
/// rule, naming the relations in it.
fn cycles(defs: &HashMap<String, Vec<Definition>>) -> Vec<Diagnostic> {
    let mut graph: DiGraphMap<&str, ()> = DiGraphMap::new();
    for (name, rules) in defs {
        graph.add_node(name.as_str());
        for def in rules {
            let mut atoms = Vec::new();
            vars::all_atoms(&def.body, &mut atoms);
            for a in atoms {
                if defs.contains_key(&a.relation.name) {
                    graph.add_edge(name.as_str(), a.relation.name.as_str(), ());
                }
            }
        }
    }
    let mut errors = Vec::new();
    for mut scc in tarjan_scc(&graph) {
        if scc.len() == 1 && !graph.contains_edge(scc[0], scc[0]) {
            continue;
        }
        scc.sort_unstable();
        let first = defs[scc[0]][0].head.span;
        errors.push(
            Diagnostic::error(
                format!(
                    "inline relations cannot depend on themselves: {{{}}} form a cycle, so their rules cannot be written out",
                    scc.join(", ")
                ),
                first,
            )
            .with_label("part of the cycle")
            .with_note("drop `inline` from one of their `.decl`s"),
        );
    }
    errors
}

/// The literals that stand for `call` under one rule of its relation: the
/// call's arguments equated to the head's terms (`_` equates nothing),
/// then the rule's body, every variable of the rule made fresh.
fn instantiate(call: &Atom, def: &Definition, n: usize) -> (Vec<Literal>, HashMap<String, String>) {
    let mut names = Vec::new();
    for a in &def.head.args {
        vars::expr_vars(a, &mut names);
    }
    for l in &def.body {
        vars::literal_vars(l, &mut names);
    }
    // `~` cannot be written in a name, so a fresh one meets no other.
    let map: HashMap<String, String> = names
        .into_iter()
        .map(|v| (v.name.clone(), format!("{}~{n}", v.name)))
        .collect();
    let mut out = Vec::new();
    for (arg, term) in call.args.iter().zip(&def.head.args) {
        if matches!(arg, Expr::Wildcard(_)) {
            continue;
        }
        let mut term = term.clone();
        rename(&mut term, &map);
        out.push(Literal::Compare {
            op: CompareOp::Eq,
            lhs: arg.clone(),
            rhs: term,
            span: call.span,
        });
    }
    for l in &def.body {
        let mut l = l.clone();
        rename_lit(&mut l, &map);
        out.push(l);
    }
    (out, map)
}

/// Reports the atoms of expanded relations left in `alt`: negated, or in
/// an aggregate, where there is no row to expand against.
fn not_written_out(alt: &[Literal], inline: &HashSet<String>, errors: &mut Vec<Diagnostic>) {
    let mut atoms = Vec::new();
    vars::all_atoms(alt, &mut atoms);
    for a in atoms {
        if inline.contains(&a.relation.name) {
            errors.push(
                Diagnostic::error(
                    format!(
                        "`{}` is inline and its rules need the arguments of a positive atom: it cannot be negated or aggregated over",
                        a.relation.name
                    ),
                    a.span,
                )
                .with_label("not a positive atom of the rule")
                .with_note("drop `inline` from its `.decl` and ground its rules, or use it in a positive atom"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;
    use crate::lang::check::{CheckOptions, check};
    use crate::lang::parser::parse_source;

    fn checked(src: &str) -> (Schema, Vec<CheckedRule>) {
        let (_, schema, rules) = checked_program(src);
        (schema, rules)
    }

    fn checked_program(src: &str) -> (Program, Schema, Vec<CheckedRule>) {
        let mut sources = SourceMap::new();
        let program = parse_source(&mut sources, "t.dl", src).expect("parses");
        let c = check(&program, &CheckOptions::default()).expect("checks");
        let rules = c.rules.rules(&program);
        (program, c.schema, rules)
    }

    /// The errors expanding `src` gives (it must give some).
    fn refused(src: &str) -> Vec<Diagnostic> {
        let (schema, rules) = checked(src);
        let inline = to_expand(&schema, &rules);
        expand(rules, &inline).expect_err("refused").0
    }

    const CROSS: &str = ".type P = [x: number, y: number]\n\
        .decl cross(a: P, b: P, v: number) inline\n\
        cross([a0, a1], [b0, b1], v) :- v = a0 * b1 - a1 * b0.\n\
        .decl pt(p: P)\n\
        .decl r(v: number)\n";

    #[test]
    fn an_ungrounded_inline_rule_is_written_into_its_users() {
        let (schema, rules) = checked(&format!("{CROSS}r(v) :- pt(p), pt(q), cross(p, q, v).\n"));
        let inline = to_expand(&schema, &rules);
        assert_eq!(inline, HashSet::from(["cross".to_string()]));
        let out = expand(rules, &inline).expect("expands");
        assert_eq!(out.len(), 1, "cross's own rule is gone");
        let body = &out[0].rule.body[0];
        // pt, pt, three equalities (p, q, v), then cross's body.
        assert_eq!(body.len(), 6, "{body:?}");
        assert!(
            body.iter()
                .all(|l| !matches!(l, Literal::Atom(a) if a.relation.name == "cross"))
        );
        assert!(
            out[0].types[0].of("a0~1").is_some(),
            "fresh variables are typed"
        );
    }

    #[test]
    fn a_grounded_inline_relation_is_left_to_the_engine() {
        let (schema, rules) = checked(
            ".decl e(x: number)\n.decl s(x: number) inline\ns(x) :- e(x).\n.decl r(x: number)\nr(x) :- s(x).\n",
        );
        assert!(to_expand(&schema, &rules).is_empty());
    }

    #[test]
    fn a_negated_expanded_relation_is_an_error() {
        let err = refused(&format!(
            "{CROSS}r(v) :- pt(p), pt(q), v = 1, !cross(p, q, v).\n"
        ));
        assert!(err[0].message.contains("cannot be negated"), "{err:?}");
    }

    #[test]
    fn a_cycle_of_inline_relations_is_an_error() {
        let err = refused(
            ".decl m(x: number) inline\n.decl n(x: number) inline\n\
             m(x) :- x > 0, n(y), y = x - 1.\n\
             m(x) :- x = 0.\n\
             n(x) :- m(y), y = x + 1.\n\
             .decl e(x: number)\n.decl r(x: number)\nr(x) :- e(x), m(x).\n",
        );
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(err[0].message.contains("{m, n} form a cycle"), "{err:?}");
    }

    #[test]
    fn a_stated_fact_is_one_more_alternative() {
        let src = ".decl two(x: number, y: number) inline\n\
             two(x, y) :- y = x + 1.\n\
             two(7, 7).\n\
             .decl e(x: number)\n.decl r(x: number, y: number)\n\
             r(x, y) :- e(x), two(x, y).\n";
        let (program, schema, mut rules) = checked_program(src);
        let inline = to_expand(&schema, &rules);
        rules.extend(facts_as_rules(&program, &inline));
        let out = expand(rules, &inline).expect("expands");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule.body.len(), 2, "the rule and the fact");
    }

    #[test]
    fn each_rule_of_the_relation_is_an_alternative() {
        let (schema, rules) = checked(
            ".decl two(x: number, y: number) inline\n\
             two(x, y) :- y = x + 1.\n\
             two(x, y) :- y = x + 2.\n\
             .decl e(x: number)\n.decl r(x: number, y: number)\n\
             r(x, y) :- e(x), two(x, y).\n",
        );
        let inline = to_expand(&schema, &rules);
        let out = expand(rules, &inline).expect("expands");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule.body.len(), 2);
        assert_eq!(out[0].types.len(), 2);
    }
}
