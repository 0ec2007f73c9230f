//! Tables of programs that must parse (with their shape) and of mistakes
//! that must give a precise message at a precise `line:col`.

use crate::diag::{Location, SourceMap};
use crate::lang::ast::*;
use crate::lang::parser::{parse_file, parse_query, parse_source};

fn parse(text: &str) -> Program {
    let mut sm = SourceMap::new();
    match parse_source(&mut sm, "t.dl", text) {
        Ok(p) => p,
        Err(d) => panic!("should parse:\n{text}\n{}", d.render(&sm)),
    }
}

/// First error's message and `line:col`.
fn error(text: &str) -> (String, String) {
    let mut sm = SourceMap::new();
    match parse_source(&mut sm, "t.dl", text) {
        Ok(p) => panic!("should fail:\n{text}\n{p:?}"),
        Err(d) => {
            let first = &d.0[0];
            let pos = match &first.location {
                Location::Span(s) => sm.position(*s).trim_start_matches("t.dl:").to_string(),
                other => format!("{other:?}"),
            };
            (first.message.clone(), pos)
        }
    }
}

/// A compact rendering of an expression, fully parenthesised.
fn show(e: &Expr) -> String {
    match e {
        Expr::Var(v) => v.name.clone(),
        Expr::Wildcard(_) => "_".into(),
        Expr::Str(s, _) => format!("{s:?}"),
        Expr::Number(n, _) => n.to_string(),
        Expr::Unsigned(n, _) => format!("{n}u"),
        Expr::Float(x, _) => format!("{x:?}"),
        Expr::Binary { op, lhs, rhs, .. } => format!("({} {op:?} {})", show(lhs), show(rhs)),
        Expr::Unary { op, arg, .. } => format!("({op:?} {})", show(arg)),
        Expr::Functor { func, args, .. } => format!(
            "{func:?}[{}]",
            args.iter().map(show).collect::<Vec<_>>().join(",")
        ),
        Expr::Aggregate {
            kind, target, body, ..
        } => format!(
            "{kind:?}<{}>{{{}}}",
            target.as_deref().map(show).unwrap_or_default(),
            body.iter().map(lit).collect::<Vec<_>>().join(",")
        ),
        Expr::Record(args, _) => {
            format!("[{}]", args.iter().map(show).collect::<Vec<_>>().join(","))
        }
        Expr::Nil(_) => "nil".into(),
        Expr::Adt { branch, args, .. } => format!(
            "${}({})",
            branch.name,
            args.iter().map(show).collect::<Vec<_>>().join(",")
        ),
    }
}

fn lit(l: &Literal) -> String {
    match l {
        Literal::Atom(a) => atom(a),
        Literal::Negated(a) => format!("!{}", atom(a)),
        Literal::Compare { op, lhs, rhs, .. } => format!("{} {op:?} {}", show(lhs), show(rhs)),
        Literal::Builtin { pred, args, .. } => format!(
            "{pred:?}[{}]",
            args.iter().map(show).collect::<Vec<_>>().join(",")
        ),
        Literal::Bool(b, _) => b.to_string(),
    }
}

fn atom(a: &Atom) -> String {
    format!(
        "{}({})",
        a.relation.name,
        a.args.iter().map(show).collect::<Vec<_>>().join(",")
    )
}

fn dnf(body: &[Vec<Literal>]) -> String {
    body.iter()
        .map(|c| c.iter().map(lit).collect::<Vec<_>>().join(", "))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The body of the only rule of `text`.
fn rule_body(text: &str) -> String {
    let p = parse(text);
    for item in &p.items {
        if let Item::Rule(r) = item {
            return dnf(&r.body);
        }
    }
    panic!("no rule in {text}");
}

/// `r(x) :- x = EXPR.` -> the rendering of EXPR.
fn expr(e: &str) -> String {
    let body = rule_body(&format!("r(x) :- x = {e}."));
    body.trim_start_matches("x Eq ").to_string()
}

#[test]
fn good_programs_parse() {
    let programs = [
        ".decl edge(x: number, y: number)\n.decl path(x: number, y: number)\n\
         edge(1, 2).\npath(x, y) :- edge(x, y).\npath(x, z) :- path(x, y), edge(y, z).\n\
         .output path",
        ".decl e(x: symbol) eqrel\n.decl f(x: symbol) brie inline\n.decl g(x: symbol) btree overridable",
        ".decl a, b(x: number)",
        ".decl z()\nz().",
        ".type Name <: symbol\n.type N = number\n.type U = A | B\n.type Old\n.number_type Id",
        ".input a\n.input a(IO=file, filename=\"a.csv\", delimiter=\",\")\n.output a, b\n.printsize a, b\n.output a()",
        ".output a(IO=stdout, headers=true, rfc4180=1)",
        "a(x), b(x) :- c(x).",
        "a(x) :- b(x) ; c(x).",
        "a(x) :- (b(x), c(x)) ; (d(x) ; e(x)), f(x).",
        "a(x) :- b(x), !c(x), !(d(x)).",
        "a(x) :- b(x), x != 1, x < 2, x <= 3, x > 4, x >= 5, x = 6.",
        "a(x) :- b(y), x = y + 1 - 2 * 3 / 4 % 5 ^ 6.",
        "a(x) :- b(y), x = y band 1 bor 2 bxor 3 bshl 4 bshr 5 bshru 6.",
        "a(x) :- b(y), x = y land 1 lor 2 lxor 3, x = bnot y, x = lnot y.",
        "a(x) :- b(x), x = 0x1F + 0b101 + 42u + 1.5.",
        "a(\"tab\\there \\\"quoted\\\" back\\\\slash\").",
        "a(_, x) :- b(x, _).",
        "a(x) :- b(s), x = cat(s, \"!\"), strlen(s) > 2, x = substr(s, 0, 1).",
        "a(x) :- b(s), x = to_number(s), y = to_string(x), z = to_unsigned(x), w = to_float(x), v = ord(s), u = min(1, 2), t = max(1, 2, 3), q = lower(s), b(y), b(z), b(w), b(v), b(u), b(t), b(q).",
        "a(x) :- b(s), contains(\"x\", s), match(\"a.*\", s), !contains(\"y\", s), !match(\"b\", s).",
        "a(x) :- true, !false, b(x).",
        "a(n) :- n = count : { b(_) }.",
        "a(n) :- n = count : b(_).",
        "a(n) :- n = sum x : { b(x) }.",
        "a(n) :- n = min x : { b(x) }, m = max x : b(x), k = mean x : { b(x), x > 1 }, b(m), b(k).",
        "a(x) :- b(x). // line comment\n/* block\ncomment */ c(1).",
        ".pragma \"legacy\"\n.pragma \"magic-transform\" \"*\"\na(1).",
        "a(x) :- b(x), c(x).\n.plan 0:(1,2), 1:(2,1)",
        "?- a(x), b(x).",
        ".assert empty a(_)\n.assert count a(x), x > 1 >= 2\n.assert count a(_) = 0.\n.decl q(x: number)",
        ".export a to \"out/a.csv\"",
        "!a(1, \"x\").",
        ".decl 評価書(団体: symbol, 番号: number)\n評価書(\"焼津市長\", 26).\n対象(団体) :- 評価書(団体, _).",
        "a(x) :- b(x, \"リスク対策\"), contains(\"暗号\", x).",
        "a(-1). a(- 2). a(2147483647). a(-2147483648). a(1.2.3.4).",
        "a(x) :- b(x), x = (1 + 2) * 3.",
        "a(x) :- b(y), (x = y ; x = y + 1).",
        "a(x) :- b(y), (y + 1) * 2 = x.",
        "a.b(x) :- c.d(x).",
        "a(x) :- b(x, ?y), c(?y).",
        "",
        "   // only a comment\n",
    ];
    for p in programs {
        parse(p);
    }
}

#[test]
fn precedence_follows_souffle() {
    assert_eq!(expr("1 + 2 * 3"), "(1 Add (2 Mul 3))");
    assert_eq!(expr("1 - 2 - 3"), "((1 Sub 2) Sub 3)");
    assert_eq!(expr("2 ^ 3 ^ 2"), "(2 Pow (3 Pow 2))");
    assert_eq!(expr("-y ^ 2"), "(Neg (y Pow 2))");
    assert_eq!(expr("-2 * y"), "(-2 Mul y)");
    assert_eq!(expr("y * -2"), "(y Mul -2)");
    assert_eq!(expr("-y"), "(Neg y)");
    assert_eq!(expr("1 + 2 band 3"), "((1 Add 2) BitAnd 3)");
    assert_eq!(expr("1 bor 2 band 3"), "(1 BitOr (2 BitAnd 3))");
    assert_eq!(expr("1 lor 2 land 3"), "(1 LogOr (2 LogAnd 3))");
    assert_eq!(expr("1 lor 2 lxor 3"), "(1 LogOr (2 LogXor 3))");
    assert_eq!(expr("1 bshl 2 + 3"), "(1 Shl (2 Add 3))");
    assert_eq!(expr("bnot 1 + 2"), "((BitNot 1) Add 2)");
    assert_eq!(expr("(1 + 2) * 3"), "((1 Add 2) Mul 3)");
    assert_eq!(expr("y % 2 * 3"), "((y Mod 2) Mul 3)");
}

#[test]
fn literals_are_read_like_souffle() {
    assert_eq!(expr("0x1F"), "31");
    assert_eq!(expr("0b101"), "5");
    assert_eq!(expr("0xFFFFFFFF"), "-1");
    assert_eq!(expr("42u"), "42u");
    assert_eq!(expr("0x10u"), "16u");
    assert_eq!(expr("1.5"), "1.5");
    assert_eq!(expr("-2147483648"), "-2147483648");
    assert_eq!(expr("1.2.3.4"), "16909060");
    assert_eq!(expr("\"a\\tb\""), "\"a\\tb\"");
    assert_eq!(expr("\"焼津\""), "\"焼津\"");
    assert_eq!(expr("_"), "_");
    assert_eq!(expr("_x"), "_x");
}

#[test]
fn functors_and_aggregates() {
    assert_eq!(expr("cat(a, \"b\", c)"), "Cat[a,\"b\",c]");
    assert_eq!(expr("min(a, b)"), "Min[a,b]");
    assert_eq!(expr("min a : { r(a) }"), "Min<a>{r(a)}");
    assert_eq!(expr("min(a) : { r(a) }"), "Min<a>{r(a)}");
    assert_eq!(expr("count : r(_)"), "Count<>{r(_)}");
    assert_eq!(
        expr("sum a * 2 : { r(a), a > 1 }"),
        "Sum<(a Mul 2)>{r(a),a Gt 1}"
    );
    assert_eq!(expr("strlen(s) + 1"), "(Strlen[s] Add 1)");
    assert_eq!(expr("as(s, Name)"), "s");
    assert_eq!(expr("itou(s) + utoi(t)"), "(ToUnsigned[s] Add ToNumber[t])");
    // A functor call may start a comparison.
    assert_eq!(
        rule_body("r(x) :- s(x), strlen(x) > 2."),
        "s(x), Strlen[x] Gt 2"
    );
}

#[test]
fn bodies_become_dnf() {
    assert_eq!(rule_body("a(x) :- b(x) ; c(x)."), "b(x) | c(x)");
    assert_eq!(
        rule_body("a(x) :- b(x), (c(x) ; d(x)), e(x)."),
        "b(x), c(x), e(x) | b(x), d(x), e(x)"
    );
    assert_eq!(
        rule_body("a(x) :- b(x), !(c(x) ; d(x))."),
        "b(x), !c(x), !d(x)"
    );
    assert_eq!(
        rule_body("a(x) :- b(x), !(c(x), x > 1)."),
        "b(x), !c(x) | b(x), x Le 1"
    );
    assert_eq!(rule_body("a(x) :- b(x), !x = 1."), "b(x), x Ne 1");
    assert_eq!(rule_body("a(x) :- b(x), !!c(x)."), "b(x), c(x)");
    assert_eq!(
        rule_body("a(x) :- b(x), !contains(\"a\", x), !match(\"b\", x), !true."),
        "b(x), NotContains[\"a\",x], NotMatch[\"b\",x], false"
    );
}

#[test]
fn items_have_the_expected_shape() {
    let p = parse(
        ".decl r(a: number, b: symbol) eqrel output\n\
         .input r(IO=file, filename=\"r.tsv\")\n\
         r(1, \"x\").\n\
         s(x), t(x) :- r(x, _).\n\
         ?- s(x).\n\
         .assert count s(x) >= -3\n\
         .export s to \"s.csv\"\n\
         !r(1, \"x\").\n",
    );
    let kinds: Vec<&str> = p
        .items
        .iter()
        .map(|i| match i {
            Item::Decl(_) => "decl",
            Item::Type(_) => "type",
            Item::Input(_) => "input",
            Item::Output(_) => "output",
            Item::PrintSize(_) => "printsize",
            Item::Fact(_) => "fact",
            Item::Retract(_) => "retract",
            Item::Rule(_) => "rule",
            Item::Subsume(_) => "subsume",
            Item::Query(_) => "query",
            Item::Assert(_) => "assert",
            Item::Export(_) => "export",
            Item::Pragma(_) => "pragma",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "decl", "output", "input", "fact", "rule", "query", "assert", "export", "retract"
        ]
    );
    let Item::Decl(d) = &p.items[0] else { panic!() };
    assert_eq!(d.columns.len(), 2);
    assert_eq!(d.columns[1].ty.name, "symbol");
    let quals: Vec<&str> = d.qualifiers.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(quals, ["eqrel", "output"]);
    let Item::Input(io) = &p.items[2] else {
        panic!()
    };
    assert_eq!(io.params[1].0.name, "filename");
    assert_eq!(io.params[1].1, "r.tsv");
    let Item::Rule(r) = &p.items[4] else { panic!() };
    assert_eq!(r.heads.len(), 2);
    let Item::Assert(a) = &p.items[6] else {
        panic!()
    };
    assert_eq!(a.kind, AssertKind::Count(CompareOp::Ge, -3));
    let Item::Export(e) = &p.items[7] else {
        panic!()
    };
    assert_eq!((e.relation.name.as_str(), e.path.as_str()), ("s", "s.csv"));
}

#[test]
fn assertion_span_excludes_the_dot() {
    let text = ".assert empty a(_).\n";
    let mut sm = SourceMap::new();
    let p = parse_source(&mut sm, "t.dl", text).unwrap();
    let Item::Assert(a) = &p.items[0] else {
        panic!()
    };
    assert_eq!(sm.snippet(a.span), ".assert empty a(_)");
}

#[test]
fn types_are_kept() {
    let p = parse(".type A <: symbol\n.type B = A | C\n.type D = number\n.type E");
    let defs: Vec<String> = p
        .items
        .iter()
        .map(|i| match i {
            Item::Type(t) => match &t.def {
                TypeDef::Alias(a) => format!("{}={}", t.name.name, a.name),
                TypeDef::Union(u) => format!(
                    "{}={}",
                    t.name.name,
                    u.iter()
                        .map(|x| x.name.as_str())
                        .collect::<Vec<_>>()
                        .join("|")
                ),
                TypeDef::Record(fields) => format!(
                    "{}=[{}]",
                    t.name.name,
                    fields
                        .iter()
                        .map(|c| format!("{}:{}", c.name.name, c.ty.name))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                TypeDef::Adt(branches) => format!(
                    "{}={}",
                    t.name.name,
                    branches
                        .iter()
                        .map(|b| format!("{}/{}", b.name.name, b.fields.len()))
                        .collect::<Vec<_>>()
                        .join("|")
                ),
            },
            _ => String::new(),
        })
        .collect();
    assert_eq!(defs, ["A=symbol", "B=A|C", "D=number", "E=symbol"]);
}

#[test]
fn record_and_adt_types_and_terms_parse() {
    let p = parse(
        ".type L = [head: number, tail: L]\n.type T = Leaf {} | Node { l: T, v: number }\n\
         r([1, [x, nil]], $Node($Leaf, 2), $Leaf, $Leaf()) :- s([_, x]).",
    );
    let shown: Vec<String> = p
        .items
        .iter()
        .map(|i| match i {
            Item::Type(t) => match &t.def {
                TypeDef::Record(f) => format!("{}:{}", t.name.name, f.len()),
                TypeDef::Adt(b) => format!("{}:{}", t.name.name, b.len()),
                _ => String::new(),
            },
            Item::Rule(r) => {
                r.heads[0]
                    .args
                    .iter()
                    .map(show)
                    .collect::<Vec<_>>()
                    .join(" ")
                    + " :- "
                    + &lit(&r.body[0][0])
            }
            _ => String::new(),
        })
        .collect();
    assert_eq!(
        shown,
        [
            "L:2",
            "T:2",
            "[1,[x,nil]] $Node($Leaf(),2) $Leaf() $Leaf() :- s([_,x])"
        ]
    );
}

#[test]
fn queries_parse_with_or_without_prefix() {
    for text in [
        "?- a(x), b(x).",
        "a(x), b(x).",
        "a(x), b(x)",
        " ?- a(x) ; b(x) ",
    ] {
        let mut sm = SourceMap::new();
        let q = parse_query(&mut sm, "<repl>", text).unwrap();
        assert!(!q.body.is_empty(), "{text}");
    }
}

#[test]
fn mistakes_are_reported_precisely() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "a(x) :- b(x) c(x).",
            "syntax error: expected `.` to end the rule, `,` or `;`, found `c`",
            "1:14",
        ),
        (
            ".decl a(x: number)\na(1)\n",
            "syntax error: expected `.` to end the rule, `,` or `:-`, found the end of the file",
            "2:5",
        ),
        ("a(x) :- .", "syntax error: expected a body literal", "1:9"),
        (
            "a(x) :- b(x), x = .",
            "syntax error: expected a term",
            "1:19",
        ),
        ("a(\"abc).", "syntax error: unterminated string", "1:3"),
        (
            "a(1). /* never closed",
            "syntax error: unterminated comment",
            "1:7",
        ),
        (".decl a(x number)", "syntax error: expected `:`", "1:11"),
        (
            ".decl a(x: number",
            "syntax error: expected `,` or `)`",
            "1:18",
        ),
        (
            "a(x) :- b(x), x = \"a\\q\".",
            "unknown escape sequence `\\q`",
            "1:21",
        ),
        (".init c = C", "unknown component `C`", "1:11"),
        (
            ".comp C { .decl r(x: number) }\n.init c = C<number>",
            "component `C` takes 0 parameter(s), found 1",
            "2:11",
        ),
        (
            ".functor f(x: number): number",
            "`.functor` (user-defined functors) is not supported",
            "1:1",
        ),
        ("a($).", "the counter `$` is not supported by pialog", "1:3"),
        (
            "a(x) :- b(x), y = @f(x).",
            "a user-defined functor `@…` is not supported",
            "1:19",
        ),
        (
            "#line 3\n",
            "the preprocessor directive `#line` is not supported by pialog",
            "1:1",
        ),
        (
            ".limitsize a(n=5)",
            "`.limitsize` is not supported by pialog",
            "1:1",
        ),
        (
            "a(3000000000).",
            "number `3000000000` does not fit in 32 bits",
            "1:3",
        ),
        (
            "a(x) :- b(x), y = substr(x, 1).",
            "arity mismatch: `substr` takes 3 arguments, found 2",
            "1:19",
        ),
        (
            "a(n) :- n = sum : { b(_) }.",
            "`sum` needs an expression",
            "1:13",
        ),
        (
            "a(n) :- n = count x : { b(x) }.",
            "`count` takes no expression",
            "1:19",
        ),
        (
            "a(n) :- n = count : { b(x) ; c(x) }.",
            "a disjunction `;` inside an aggregate is not supported",
            "1:21",
        ),
        (
            "a(x) :- b(s), x = strlen(lenght(s)).",
            "unknown functor `lenght`",
            "1:26",
        ),
        (".export a \"x.csv\"", "syntax error: expected `to`", "1:11"),
        (
            ".assert maybe a(_)",
            "syntax error: expected `empty` or `count`",
            "1:9",
        ),
        ("?- a(x)", "syntax error: expected", "1:8"),
        (
            ".decl a(x: number) eqrl\na(1).",
            "unknown relation qualifier `eqrl`",
            "1:20",
        ),
        (
            "a(x) :- b(x), 評価(x.",
            "syntax error: expected `,`, `)` or an operator, found `.`",
            "1:19",
        ),
    ];
    let mut failures = Vec::new();
    for (text, message, pos) in cases {
        let (got, at) = error(text);
        if !got.starts_with(message) || at != *pos {
            failures.push(format!(
                "{text}\n  want {message} at {pos}\n  got  {got} at {at}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn subsumptive_clauses_keep_both_atoms_and_the_body() {
    let p = parse("best(x, c1) <= best(x, c2) :- c2 < c1 ; c2 = c1 - 1.\n");
    let Item::Subsume(s) = &p.items[0] else {
        panic!("{:?}", p.items)
    };
    assert_eq!(s.dominated.relation.name, "best");
    assert!(matches!(&s.dominating.args[1], Expr::Var(v) if v.name == "c2"));
    assert_eq!(s.body.len(), 2);
    // The checker's view: both atoms lead every alternative.
    let r = s.as_rule();
    assert_eq!(r.heads[0], s.dominated);
    assert!(r.body.iter().all(|alt| alt.len() == 3));
}

#[test]
fn choice_domain_keys_are_columns_or_tuples_of_columns() {
    let p = parse(".decl r(x: number, y: number, z: number) choice-domain x, (y, z)\n");
    let Item::Decl(d) = &p.items[0] else { panic!() };
    let keys: Vec<Vec<&str>> = d
        .choice
        .iter()
        .map(|k| k.iter().map(|c| c.name.as_str()).collect())
        .collect();
    assert_eq!(keys, [vec!["x"], vec!["y", "z"]]);
}

#[test]
fn all_unsupported_features_are_reported_together() {
    let mut sm = SourceMap::new();
    let d = parse_source(
        &mut sm,
        "t.dl",
        "a(@g(1)).\nb($).\n.functor f(x: number): number\n",
    )
    .unwrap_err();
    assert_eq!(d.0.len(), 3);
}

#[test]
fn includes_are_expanded_relative_to_the_including_file() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(dir.path().join("main.dl"), "#include \"sub/a.dl\"\nm(1).\n").unwrap();
    std::fs::write(sub.join("a.dl"), "#include \"b.dl\"\na(1).\n").unwrap();
    std::fs::write(sub.join("b.dl"), "b(1).\n").unwrap();
    let mut sm = SourceMap::new();
    let p = parse_file(&mut sm, &dir.path().join("main.dl")).unwrap();
    let names: Vec<&str> = p
        .items
        .iter()
        .map(|i| match i {
            Item::Fact(a) => a.relation.name.as_str(),
            _ => "?",
        })
        .collect();
    assert_eq!(names, ["b", "a", "m"]);
    // Spans point into the file that holds the text.
    let Item::Fact(b) = &p.items[0] else { panic!() };
    assert!(sm.position(b.span).ends_with("b.dl:1:1"));
}

#[test]
fn include_cycles_and_missing_files_point_at_the_directive() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.dl"), "x(1).\n#include \"b.dl\"\n").unwrap();
    std::fs::write(dir.path().join("b.dl"), "#include \"a.dl\"\n").unwrap();
    std::fs::write(dir.path().join("c.dl"), "\n  #include \"nope.dl\"\n").unwrap();
    let mut sm = SourceMap::new();
    let d = parse_file(&mut sm, &dir.path().join("a.dl")).unwrap_err();
    assert!(d.0[0].message.starts_with("include cycle"), "{:?}", d.0[0]);
    let Location::Span(s) = d.0[0].location else {
        panic!()
    };
    assert!(sm.position(s).ends_with("b.dl:1:1"));

    let mut sm = SourceMap::new();
    let d = parse_file(&mut sm, &dir.path().join("c.dl")).unwrap_err();
    assert!(d.0[0].message.starts_with("cannot read included file"));
    let Location::Span(s) = d.0[0].location else {
        panic!()
    };
    assert!(sm.position(s).ends_with("c.dl:2:3"));

    let mut sm = SourceMap::new();
    let d = parse_file(&mut sm, &dir.path().join("missing.dl")).unwrap_err();
    assert!(d.0[0].message.starts_with("cannot read"));
}

#[test]
fn large_fact_files_parse() {
    let mut text = String::from(".decl f(a: symbol, n: number)\n");
    for i in 0..20_000 {
        text.push_str(&format!("f(\"item {i}\", {i}).\n"));
    }
    let p = parse(&text);
    assert_eq!(p.items.len(), 20_001);
}

#[test]
fn absurdly_deep_terms_are_errors_not_crashes() {
    let chain = vec!["y"; 5000].join(" + ");
    let (msg, _) = error(&format!("a(x) :- a(y), x = {chain}."));
    assert!(msg.contains("nested too deeply"), "{msg}");
    let parens = format!("{}y{}", "(".repeat(400), ")".repeat(400));
    let (msg, _) = error(&format!("a(x) :- a(y), x = {parens}."));
    assert!(msg.contains("nested too deeply"), "{msg}");
    let bangs = "!".repeat(400);
    let (msg, _) = error(&format!("a(x) :- a(x), {bangs}a(x)."));
    assert!(msg.contains("too many `!`"), "{msg}");
}

#[test]
fn statement_spans_end_at_their_last_token() {
    let text = ".decl a(x: number)\n.assert empty a(_)\n// after\n\n.assert count a(x), x > 1 >= 2 /* c */\n\n?- a(x).  // q\n.export a to \"a.csv\"\n// end\n";
    let mut sm = SourceMap::new();
    let program = match parse_source(&mut sm, "t.dl", text) {
        Ok(p) => p,
        Err(d) => panic!("{}", d.render(&sm)),
    };
    let snippets: Vec<&str> = program
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Assert(a) => Some(sm.snippet(a.span)),
            Item::Query(q) => Some(sm.snippet(q.span)),
            Item::Export(e) => Some(sm.snippet(e.span)),
            _ => None,
        })
        .collect();
    assert_eq!(
        snippets,
        [
            ".assert empty a(_)",
            ".assert count a(x), x > 1 >= 2",
            "?- a(x).",
            ".export a to \"a.csv\"",
        ]
    );
}
