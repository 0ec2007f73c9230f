use super::*;
use crate::diag::SourceMap;
use crate::lang::ast::Item;
use crate::lang::parser::parse_source;
use crate::repl::pretty;

/// The rules of `text`, the bodies of its queries, and every relation with
/// rules adornable.
fn parts(text: &str) -> (Vec<Rule>, Vec<Vec<Literal>>) {
    let mut sources = SourceMap::new();
    let p = parse_source(&mut sources, "t.dl", text).unwrap();
    let mut rules = Vec::new();
    let mut bodies = Vec::new();
    for item in p.items {
        match item {
            Item::Rule(r) => rules.push(r),
            Item::Query(q) => bodies.push(q.body[0].clone()),
            _ => {}
        }
    }
    (rules, bodies)
}

fn show(rw: &Rewritten) -> Vec<String> {
    let mut v: Vec<String> = rw
        .rules
        .iter()
        .map(|r| {
            format!(
                "{} :- {}",
                pretty::atom(&r.heads[0]),
                pretty::conjunction(&r.body[0])
            )
        })
        .collect();
    v.sort();
    v
}

fn rewrite_text(text: &str, whole: &[&str]) -> Rewritten {
    let (rules, bodies) = parts(text);
    let defined: HashSet<String> = rules
        .iter()
        .flat_map(|r| r.heads.iter().map(|h| h.relation.name.clone()))
        .collect();
    let demand = Demand {
        whole: whole.iter().map(|s| s.to_string()).collect(),
        bodies,
    };
    rewrite(&rules, &|r| defined.contains(r), &demand)
}

#[test]
fn same_generation_is_asked_only_about_the_two_nodes() {
    let rw = rewrite_text(
        "samegen(x, x) :- node(x).\n\
         samegen(x, y) :- parent(x, a), samegen(a, b), parent(y, b).\n\
         query() :- samegen(16384, 32767).\n",
        &["query"],
    );
    assert!(rw.restricted);
    assert_eq!(
        show(&rw),
        [
            "@magic.samegen@bb(16384, 32767) :- ",
            "@magic.samegen@bf(a) :- @magic.samegen@bb(x, y), parent(x, a)",
            "@magic.samegen@bf(a) :- @magic.samegen@bf(x), parent(x, a)",
            "query() :- samegen@bb(16384, 32767)",
            "samegen@bb(x, x) :- @magic.samegen@bb(x, x), node(x)",
            "samegen@bb(x, y) :- @magic.samegen@bb(x, y), parent(x, a), samegen@bf(a, b), parent(y, b)",
            "samegen@bf(x, x) :- @magic.samegen@bf(x), node(x)",
            "samegen@bf(x, y) :- @magic.samegen@bf(x), parent(x, a), samegen@bf(a, b), parent(y, b)",
        ]
    );
    let names: Vec<&str> = rw.relations.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "samegen@bb",
            "@magic.samegen@bb",
            "samegen@bf",
            "@magic.samegen@bf"
        ]
    );
    assert_eq!(rw.relations[3].columns, [0]);
}

#[test]
fn negated_relations_stay_whole_and_keep_their_rules() {
    let rw = rewrite_text(
        "a(x, y) :- b(x, y), !c(y).\nb(x, y) :- e(x, y).\nc(y) :- d(y, _).\n?- a(1, y).\n",
        &[],
    );
    assert_eq!(
        show(&rw),
        [
            "@magic.a@bf(1) :- ",
            "@magic.b@bf(x) :- @magic.a@bf(x)",
            "a@bf(x, y) :- @magic.a@bf(x), b@bf(x, y), !c(y)",
            "b@bf(x, y) :- @magic.b@bf(x), e(x, y)",
            "c(y) :- d(y, _)",
        ]
    );
    assert_eq!(pretty::conjunction(&rw.bodies[0]), "a@bf(1, y)");
}

#[test]
fn a_question_without_constants_restricts_nothing() {
    let rw = rewrite_text(
        "p(x, z) :- p(x, y), e(y, z).\np(x, y) :- e(x, y).\n?- p(x, y).\n",
        &[],
    );
    assert!(!rw.restricted);
    assert_eq!(
        show(&rw),
        ["p(x, y) :- e(x, y)", "p(x, z) :- p(x, y), e(y, z)"]
    );
}

#[test]
fn computed_head_arguments_and_arithmetic_stay_free() {
    let rw = rewrite_text(
        "g(x) :- s(x).\ng(x) :- g(x + 1), v(x).\nn(x + 1) :- g(x).\n?- g(0).\n?- n(3).\n",
        &[],
    );
    let rules = show(&rw);
    // g(x + 1) is asked with nothing bound (arithmetic would generate
    // values), so the whole of g is computed for it.
    assert!(rules.contains(&"g(x) :- g((x + 1)), v(x)".to_string()));
    assert!(rules.contains(&"g@b(x) :- @magic.g@b(x), g((x + 1)), v(x)".to_string()));
    // The computed head argument of n becomes a tested variable.
    assert!(rules.contains(&"n@b(@h0) :- @magic.n@b(@h0), @h0 = (x + 1), g(x)".to_string()));
}
