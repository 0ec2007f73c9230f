//! The library as an embedding program sees it: only what `pialog`
//! re-exports at its root, no module paths.

use pialog::{ColumnType, Diagnostics, Location, Session, Severity, Value};

fn sym(s: &str) -> Value {
    Value::Symbol(s.to_string())
}

#[test]
fn facts_and_a_rule_give_rows() -> Result<(), Diagnostics> {
    let mut session = Session::new();
    session.load_source(
        "facts.dl",
        ".decl edge(x: symbol, y: symbol)\nedge(\"a\", \"b\"). edge(\"b\", \"c\").\n",
    )?;
    session.load_source(
        "rules.dl",
        ".decl path(x: symbol, y: symbol)\n\
         path(x, y) :- edge(x, y).\npath(x, z) :- path(x, y), edge(y, z).\n",
    )?;
    let from_a = session.query("path(\"a\", y)")?;
    assert_eq!(from_a.columns, ["y"]);
    assert_eq!(from_a.rows, [[sym("b")], [sym("c")]]);
    let path = session.relation("path").expect("evaluated");
    assert_eq!(path.types, [ColumnType::Symbol, ColumnType::Symbol]);
    assert_eq!(path.len(), 3);
    assert_eq!(session.relation_len("edge"), Some(2));
    assert!(session.relation("nowhere").is_none());
    Ok(())
}

#[test]
fn a_rule_added_later_sees_the_facts_already_evaluated() -> Result<(), Diagnostics> {
    let mut session = Session::new();
    session.load_source("n.dl", ".decl n(x: number)\nn(1). n(2). n(3).\n")?;
    assert_eq!(session.query("n(x), x > 1")?.len(), 2);
    session.load_source("big.dl", ".decl big(x: number)\nbig(x) :- n(x), x >= 3.\n")?;
    assert_eq!(session.query("big(x)")?.rows, [[Value::Number(3)]]);
    Ok(())
}

#[test]
fn a_program_evaluates_to_answers_and_verdicts() -> Result<(), Diagnostics> {
    let mut session = Session::new();
    session.load_source(
        "ci.dl",
        ".decl vendor(v: symbol)\nvendor(\"A社\").\n\
         ?- vendor(v).\n\
         .assert count vendor(_) >= 1\n\
         .assert empty vendor(\"B社\")\n\
         .assert empty vendor(_)\n",
    )?;
    let outcome = session.evaluate()?;
    assert_eq!(outcome.answers.len(), 1);
    assert_eq!(outcome.answers[0].table.rows, [[sym("A社")]]);
    let passed: Vec<bool> = outcome.assertions.iter().map(|a| a.passed).collect();
    assert_eq!(passed, [true, true, false]);
    assert_eq!(outcome.assertions[2].offending.rows, [[sym("A社")]]);
    Ok(())
}

#[test]
fn a_mistake_is_a_located_std_error() {
    let mut session = Session::new();
    let err = session
        .load_source(
            "typo.dl",
            ".decl edge(x: number)\n.decl p(x: number)\np(x) :- edg(x).\n",
        )
        .expect_err("edg is not declared");
    let first = err.0.first().expect("one diagnostic at least");
    assert_eq!(first.severity, Severity::Error);
    let Location::Span(span) = first.location else {
        panic!("program text is pointed at by span: {:?}", first.location);
    };
    assert_eq!(session.sources().snippet(span), "edg");
    let as_error: Box<dyn std::error::Error> = Box::new(err.clone());
    assert!(as_error.to_string().contains("edg"), "{as_error}");
    let text = err.render(session.sources());
    assert!(text.starts_with("error: "), "{text}");
    assert!(text.contains("  --> typo.dl:3:9\n"), "{text}");
    assert!(
        text.contains("3 | p(x) :- edg(x).\n  |         ^^^"),
        "{text}"
    );
}

#[test]
fn a_failed_load_leaves_the_session_as_it_was() -> Result<(), Diagnostics> {
    let mut session = Session::new();
    session.load_source("ok.dl", ".decl n(x: number)\nn(7).\n")?;
    assert!(session.load_source("bad.dl", "n(\"seven\").\n").is_err());
    assert_eq!(session.query("n(x)")?.rows, [[Value::Number(7)]]);
    Ok(())
}

#[test]
fn facts_are_read_from_the_fact_directory() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("edge.facts"), "a\t1\nb\t2\n")?;
    let mut session = Session::new().with_fact_dir(dir.path().to_path_buf());
    session.load_source(
        "in.dl",
        ".decl edge(x: symbol, n: number)\n.input edge\n\
         .decl total(s: number)\ntotal(s) :- s = sum n : { edge(_, n) }.\n",
    )?;
    assert_eq!(session.query("total(s)")?.rows, [[Value::Number(3)]]);
    Ok(())
}
