//! Programs the checker must accept (with the schema they give) and
//! mistakes it must report with the fixed key phrases at `line:col`.

use super::*;
use crate::diag::SourceMap;
use crate::lang::parser::parse_source;

fn run(text: &str, infer: bool) -> (Result<Schema, Diagnostics>, SourceMap) {
    let mut sm = SourceMap::new();
    let program = match parse_source(&mut sm, "t.dl", text) {
        Ok(p) => p,
        Err(d) => panic!("does not parse:\n{text}\n{}", d.render(&sm)),
    };
    let result = check(
        &program,
        &CheckOptions {
            infer_undeclared: infer,
        },
    );
    (result.map(|c| c.schema), sm)
}

fn ok(text: &str) -> Schema {
    match run(text, false) {
        (Ok(s), _) => s,
        (Err(d), sm) => panic!("should check:\n{text}\n{}", d.render(&sm)),
    }
}

/// Every error as `message @ line:col`.
fn errors(text: &str, infer: bool) -> Vec<String> {
    match run(text, infer) {
        (Ok(_), _) => panic!("should fail:\n{text}"),
        (Err(d), sm) => d
            .0
            .iter()
            .map(|e| {
                let at = match &e.location {
                    Location::Span(s) => sm.position(*s).trim_start_matches("t.dl:").to_string(),
                    other => format!("{other:?}"),
                };
                format!("{} @ {at}", e.message)
            })
            .collect(),
    }
}

const EDGE: &str = ".decl edge(x: number, y: number)\n";

#[test]
fn good_programs_check() {
    let programs = [
        ".decl edge(x: number, y: number)\n.decl path(x: number, y: number)\n\
         edge(1, 2).\npath(x, y) :- edge(x, y).\npath(x, z) :- path(x, y), edge(y, z).\n.output path",
        ".type Name <: symbol\n.type Id = number\n.type Any = Name | Other\n.type Other <: symbol\n\
         .decl p(n: Name, i: Id, a: Any)\np(\"a\", 1, \"b\").\n.input p\n.printsize p",
        ".decl n(x: number)\n.decl m(x: number)\nn(1).\nm(y) :- n(x), y = x * 2 + 1 - x / 3 % 2 ^ 2.",
        ".decl f(x: float)\n.decl g(x: float)\nf(1.5).\nf(2).\ng(y) :- f(x), y = x + 1.",
        ".decl u(x: unsigned)\nu(3u).\nu(4).",
        ".decl s(x: symbol)\n.decl l(x: symbol, n: number)\ns(\"ab\").\n\
         l(t, n) :- s(x), t = cat(x, \"!\"), n = strlen(x), contains(\"a\", x), match(\"a.*\", x).",
        ".decl s(x: symbol)\n.decl t(x: symbol)\nt(y) :- s(x), y = substr(x, 0, 1), !s(y), y != x.",
        ".decl s(x: symbol)\n.decl c(n: number)\nc(n) :- n = count : { s(_) }.",
        ".decl e(x: symbol, y: number)\n.decl c(x: symbol, n: number)\n\
         c(x, n) :- e(x, _), n = sum y : { e(x, y) }.",
        ".decl e(x: symbol, y: number)\n.decl c(x: symbol, n: number)\n\
         c(x, n) :- e(x, _), n = min y : { e(x, y) }, m = max y : e(x, y), m >= n.",
        ".decl e(x: symbol, y: float)\n.decl c(x: symbol, n: float)\n\
         c(x, n) :- e(x, _), n = mean y : { e(x, y) }.",
        // Local variables of two aggregates do not clash.
        ".decl a(x: symbol)\n.decl b(x: number)\n.decl c(m: number, n: number)\n\
         c(m, n) :- m = count : { a(y) }, n = count : { b(y) }.",
        ".decl e(x: number, y: number)\n?- e(x, _), x > 1.\n.assert empty e(_, 3)\n\
         .assert count e(x, y), x < y >= 0\n.export e to \"e.csv\"\n!e(1, 2).",
        ".decl 評価書(団体: symbol, 番号: number)\n.decl 団体(名: symbol)\n\
         評価書(\"焼津市長\", 26).\n団体(名) :- 評価書(名, _).",
        ".decl e(x: number)\n.decl f(x: number)\nf(x) :- e(x) ; e(y), x = y + 1.",
        ".decl e(x: number)\n.decl f(x: number)\nf(x) :- e(y), x = y + 1, x < 10.",
        ".decl e(x: symbol)\n.decl f(x: number)\nf(n) :- e(s), n = to_number(s).\nf(n) :- e(s), n = ord(s).",
        ".decl e(x: number)\n.decl f(x: symbol)\nf(s) :- e(n), s = to_string(n).",
        ".decl e(x: number)\n.decl f(x: number)\nf(x) :- e(x), x = min(x, 3), max(1, x) > 0.",
        ".decl e(x: number, y: number) eqrel\ne(1, 2).",
        ".decl a(x: number)\na(1 + 2).\n.decl b(x: symbol)\nb(cat(\"a\", \"b\")).",
        ".decl a(x: number)\n.decl b(x: number)\nb(x) :- a(x), true.\nb(x) :- a(x), !false.",
        // Soufflé 2.4+ concatenates symbols with `+`.
        ".decl p(s: symbol)\n.decl j(s: symbol)\nj(\"a\" + \"b\").\nj(\"x-\" + s) :- p(s).\nj(a + b) :- p(a), p(b).",
    ];
    for p in programs {
        ok(p);
    }
}

#[test]
fn schema_resolves_user_types() {
    let s = ok(".type Name <: symbol\n.type Id = number\n.decl p(n: Name, i: Id) brie");
    let p = &s.relations["p"];
    assert_eq!(p.columns, ["n", "i"]);
    assert_eq!(p.types, [ColumnType::Symbol, ColumnType::Number]);
    assert_eq!(p.type_names, ["Name", "Id"]);
    assert_eq!(p.qualifiers, ["brie"]);
    assert!(!p.inferred);
    assert_eq!(s.types["Name"], ColumnType::Symbol);
}

#[test]
fn mistakes_are_reported_with_key_phrases() {
    let cases: &[(&str, &str)] = &[
        (
            ".decl edge(x: number, y: number)\npath(x) :- edg(x, _).",
            "unknown relation `path` @ 2:1",
        ),
        (
            ".decl edge(x: number, y: number)\n.decl p(x: number)\np(x) :- edg(x, _).",
            "unknown relation `edg` @ 3:9",
        ),
        (".output nope", "unknown relation `nope` @ 1:9"),
        (".export nope to \"x.csv\"", "unknown relation `nope` @ 1:9"),
        (
            ".decl e(x: number)\n.input e(IO=sqlite, dbname=\"x.db\")",
            "IO=sqlite is not supported by pialog @ 2:10",
        ),
        (
            ".decl e(x: number)\n.output e(IO=stdin)",
            "IO=stdin is not supported by pialog @ 2:11",
        ),
        (
            ".decl e(x: number)\n.export e to \"\"",
            "`.export` needs a file name @ 2:1",
        ),
        (
            ".decl edge(x: number, y: number)\nedge(1, 2, 3).",
            "arity mismatch: `edge` has 2 columns, found 3 arguments @ 2:1",
        ),
        (
            ".decl edge(x: number, y: number)\n.decl p(x: number)\np(x) :- edge(x).",
            "arity mismatch: `edge` has 2 columns, found 1 argument @ 3:9",
        ),
        (
            ".decl edge(x: number, y: number)\nedge(1, \"a\").",
            "type mismatch: column `y` of `edge` is number, but the constant \"a\" is symbol @ 2:9",
        ),
        (
            ".decl a(x: symbol)\n.decl b(x: number)\n.decl c(x: number)\nc(x) :- a(x), b(x).",
            "type mismatch: column `x` of `b` is number, but `x` is symbol (from column `x` of `a`) @ 4:17",
        ),
        (
            ".decl a(x: symbol)\n.decl c(x: symbol)\nc(y) :- a(x), y = x + 1.",
            "type mismatch: `+` on symbol and a number @ 3:19",
        ),
        (
            ".decl a(x: symbol)\n.decl c(x: symbol)\nc(y) :- a(x), y = x * 2.",
            "type mismatch: arithmetic `*` on a symbol @ 3:19",
        ),
        (
            ".decl a(x: number)\n.decl c(x: number)\nc(y) :- a(x), y = strlen(x).",
            "type mismatch: an argument of `strlen` is symbol, but `x` is number (from column `x` of `a`) @ 3:26",
        ),
        (
            ".decl a(x: number, s: symbol)\n.decl c(x: number)\nc(x) :- a(x, s), x < s.",
            "type mismatch: cannot compare number with symbol @ 3:18",
        ),
        (
            ".decl a(x: number)\n.decl c(x: number)\nc(y) :- a(x).",
            "ungrounded variable `y` @ 3:3",
        ),
        (
            ".decl a(x: number)\n.decl c(x: number)\nc(x) :- a(x), !a(y).",
            "ungrounded variable `y` @ 3:18",
        ),
        (
            ".decl a(x: number)\n.decl c(x: number)\nc(x) :- a(x), y > 1.",
            "ungrounded variable `y` @ 3:15",
        ),
        (
            ".decl a(x: number)\n.decl c(x: number)\nc(x) :- a(x), x = y + z.",
            "ungrounded variable `y` @ 3:19",
        ),
        (
            ".decl a(x: number)\n.decl c(x: number)\nc(x) :- x = y, y = x.",
            "ungrounded variable `x` @ 3:3",
        ),
        (
            ".decl a(x: number)\n.decl c(x: number)\nc(n) :- n = sum y : { a(x) }.",
            "ungrounded variable `y` @ 3:17",
        ),
        (
            ".decl a(x: number)\n.decl c(x: number)\nc(_) :- a(_).",
            "`_` in a rule head: every head column needs a value @ 3:3",
        ),
        (
            ".decl a(x: number)\n.decl c(x: number)\nc(x) :- a(x), x > _.",
            "`_` can only stand for a column of an atom, not inside a term or comparison @ 3:19",
        ),
        (
            ".decl a(x: number)\na(x).",
            "ungrounded variable `x` in a fact: a fact must be constant @ 2:3",
        ),
        (
            ".decl a(x: number)\na(_).",
            "`_` in a fact: a fact must give every column a value @ 2:3",
        ),
        (".decl a(x: Nope)", "unknown type `Nope` @ 1:12"),
        (".type T <: Nope", "unknown type `Nope` @ 1:12"),
        (
            ".decl a(x: number)\n.decl a(y: number)",
            "relation `a` declared twice @ 2:7",
        ),
        (
            ".type T <: symbol\n.type T <: number",
            "type `T` declared twice @ 2:7",
        ),
        (
            ".type A <: symbol\n.type B <: number\n.type C = A | B",
            "type mismatch: union `C` mixes symbol and number @ 3:15",
        ),
        (
            ".decl a(x: number, x: symbol)",
            "column `x` declared twice in `a` @ 1:20",
        ),
        (
            ".decl e(x: number)\n?- e(x), y < 3.",
            "ungrounded variable `y` @ 2:10",
        ),
        (
            ".decl e(x: number)\n.assert count e(_), f(_) = 1",
            "unknown relation `f` @ 2:21",
        ),
        (
            ".decl e(x: number)\n!e(\"a\").",
            "type mismatch: column `x` of `e` is number, but the constant \"a\" is symbol @ 2:4",
        ),
    ];
    let mut failures = Vec::new();
    for (text, want) in cases {
        let got = errors(text, false);
        if !got.iter().any(|g| g == want) {
            failures.push(format!("{text}\n  want {want}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_error_is_reported() {
    let got = errors(
        ".decl a(x: number)\nb(1).\na(\"x\").\nc(x) :- a(x).\na(y) :- a(x).",
        false,
    );
    assert_eq!(got.len(), 4, "{got:?}");
}

#[test]
fn unknown_relation_suggests_a_near_name() {
    let (r, _) = run(
        ".decl edge(x: number)\n.decl p(x: number)\np(x) :- edeg(x).",
        false,
    );
    let d = r.unwrap_err();
    assert_eq!(d.0[0].notes, ["did you mean `edge`?"]);
}

#[test]
fn repl_mode_infers_undeclared_relations() {
    let (r, sm) = run(
        ".decl edge(x: number, y: number)\n.decl name(n: number, s: symbol)\n\
         path(x, y) :- edge(x, y).\npath(x, z) :- path(x, y), edge(y, z).\n\
         named(s, n, 1) :- name(n, s).\nsize(c) :- c = count : { edge(_, _) }.\n\
         tag(\"a\", 2).",
        true,
    );
    let s = r.unwrap_or_else(|d| panic!("{}", d.render(&sm)));
    let path = &s.relations["path"];
    assert!(path.inferred);
    assert_eq!(path.columns, ["x", "y"]);
    assert_eq!(path.types, [ColumnType::Number, ColumnType::Number]);
    let named = &s.relations["named"];
    assert_eq!(named.columns, ["s", "n", "c3"]);
    assert_eq!(
        named.types,
        [ColumnType::Symbol, ColumnType::Number, ColumnType::Number]
    );
    assert_eq!(s.relations["size"].types, [ColumnType::Number]);
    assert_eq!(
        s.relations["tag"].types,
        [ColumnType::Symbol, ColumnType::Number]
    );
    assert_eq!(s.relations["tag"].columns, ["c1", "c2"]);
}

#[test]
fn repl_mode_still_reports_unknown_body_relations() {
    let got = errors("p(x) :- q(x).", true);
    assert!(
        got.iter().any(|g| g == "unknown relation `q` @ 1:9"),
        "{got:?}"
    );
}

#[test]
fn clause_var_types_gives_every_variable() {
    let s = ok(&format!("{EDGE}.decl n(x: symbol, y: number)"));
    let mut sm = SourceMap::new();
    let q = crate::lang::parser::parse_query(&mut sm, "q", "?- edge(x, y), n(s, y), z = y + 1.")
        .unwrap();
    let t = clause_var_types(&s, &q.body[0], &[]).unwrap();
    assert_eq!(t.of("x"), Some(ColumnType::Number));
    assert_eq!(t.of("s"), Some(ColumnType::Symbol));
    assert_eq!(t.of("z"), Some(ColumnType::Number));
}

#[test]
fn clause_var_types_reports_unknown_relations_and_arity_first() {
    let s = ok(EDGE);
    for (query, want) in [
        ("?- edge(x).", "arity mismatch"),
        ("?- egde(x, y).", "unknown relation `egde`"),
        ("?- edge(x, y), !edge(z, y).", "ungrounded variable `z`"),
    ] {
        let mut sm = SourceMap::new();
        let q = crate::lang::parser::parse_query(&mut sm, "q", query).unwrap();
        let err = clause_var_types(&s, &q.body[0], &[]).unwrap_err();
        assert!(err.0[0].message.starts_with(want), "{query}: {:?}", err.0);
    }
}

#[test]
fn large_fact_files_check_quickly_enough() {
    let mut text = String::from(".decl f(a: symbol, n: number)\n");
    for i in 0..20_000 {
        text.push_str(&format!("f(\"item {i}\", {i}).\n"));
    }
    ok(&text);
}

#[test]
fn singleton_variables_are_warnings_only() {
    let text = ".decl e(x: number, y: number)\n.decl o(x: number)\no(x) :- e(x, y), e(x, _z).";
    let mut sm = SourceMap::new();
    let p = parse_source(&mut sm, "t.dl", text).unwrap();
    assert!(check(&p, &CheckOptions::default()).is_ok());
    let w = warnings(&p);
    assert_eq!(w.0.len(), 1);
    assert_eq!(w.0[0].message, "variable `y` occurs only once");
    assert!(!w.has_errors());
}

/// Items added to a checked program are checked alone, with the errors a
/// whole check gives them; items that could change the schema are not.
#[test]
fn added_items_are_checked_against_the_schema_alone() {
    let base = ".decl e(x: number)\n.decl f(x: symbol)\ne(1).\n";
    let schema = ok(base);
    let mut sm = SourceMap::new();
    let whole = |sm: &mut SourceMap, more: &str| {
        let text = format!("{base}{more}");
        let program = parse_source(sm, "t.dl", &text).unwrap_or_default();
        let added = program.items[3..].to_vec();
        (program, added)
    };
    let plain = CheckOptions::default();
    let (program, added) = whole(&mut sm, "f(x) :- e(x).\n");
    let err = check_added(&program, &schema, &added, &plain)
        .and_then(Result::err)
        .map(|d| d.0[0].message.clone());
    let full = check(&program, &plain)
        .err()
        .map(|d| d.0[0].message.clone());
    assert!(err.as_deref().is_some_and(|m| m.contains("type mismatch")));
    assert_eq!(err, full);
    let (program, added) = whole(&mut sm, "e(2).\n?- e(x).\n");
    assert!(matches!(
        check_added(&program, &schema, &added, &plain),
        Some(Ok(_))
    ));
    let (program, added) = whole(&mut sm, ".decl g(x: number)\n");
    assert!(check_added(&program, &schema, &added, &plain).is_none());
    let infer = CheckOptions {
        infer_undeclared: true,
    };
    let (program, added) = whole(&mut sm, "h(x) :- e(x).\n");
    assert!(check_added(&program, &schema, &added, &infer).is_none());
}
