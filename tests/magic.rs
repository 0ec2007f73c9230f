//! Answering on demand gives the rows full evaluation gives: a bound query
//! of `run` (rewritten by the magic-set transform), programs with
//! `.pragma "magic-transform"` that negate and aggregate, and the REPL,
//! which evaluates only what a question reads, after an added rule and
//! after `:undo`.

#[path = "fixtures/workflow/support.rs"]
mod support;
use std::path::Path;
use support::*;

/// A graph with a cycle, a second component and a negated, counted view.
const GRAPH: &str = r#"
.decl edge(x: symbol, y: symbol)
edge("a", "b"). edge("b", "c"). edge("c", "a"). edge("c", "d").
edge("x", "y"). edge("y", "z").
.decl blocked(x: symbol)
blocked("d").
.decl path(x: symbol, y: symbol)
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).
.decl open(x: symbol, y: symbol)
open(x, y) :- path(x, y), !blocked(y).
.decl fanout(x: symbol, n: number)
fanout(x, n) :- path(x, _), n = count : { path(x, _) }.
.decl reach2(x: symbol, y: symbol)
reach2(x, z) :- open(x, y), open(y, z), fanout(y, n), n > 1.
"#;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

/// The rows of `rel` written by `pialog run` of `text` (sorted lines).
fn output_rows(dir: &Path, text: &str, rel: &str) -> Vec<String> {
    write(dir, "p.dl", text);
    let out = dir.join("out");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("mkdir");
    let o = pialog(dir, &["run", "p.dl", "-D", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(out.join(format!("{rel}.csv"))).expect("output");
    let mut rows: Vec<String> = text.lines().map(str::to_string).collect();
    rows.sort();
    rows
}

#[test]
fn a_bound_query_gives_the_rows_of_the_whole_relation_filtered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = output_rows(dir.path(), &format!("{GRAPH}\n.output reach2\n"), "reach2");
    assert!(!whole.is_empty());
    let want: Vec<String> = whole
        .iter()
        .filter(|r| r.starts_with("a\t"))
        .map(|r| r["a\t".len()..].to_string())
        .collect();
    write(
        dir.path(),
        "q.dl",
        &format!("{GRAPH}\n?- reach2(\"a\", y).\n"),
    );
    let o = pialog(dir.path(), &["run", "q.dl", "--format", "tsv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut got: Vec<String> = stdout(&o)
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("?-") && *l != "y")
        .map(str::to_string)
        .collect();
    got.sort();
    assert_eq!(got, want, "{}", stdout(&o));
}

#[test]
fn the_pragma_keeps_the_rows_of_negation_and_aggregates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let query = "\n.decl q(y: symbol)\nq(y) :- reach2(\"b\", y).\n\
                 .decl r(n: number)\nr(n) :- fanout(\"x\", n).\n\
                 .decl s(y: symbol)\ns(y) :- open(\"c\", y), !reach2(\"x\", y).\n\
                 .output q\n.output r\n.output s\n";
    let plain = format!("{GRAPH}{query}");
    let magic = format!(".pragma \"magic-transform\" \"*\"\n{plain}");
    for rel in ["q", "r", "s"] {
        let want = output_rows(dir.path(), &plain, rel);
        let got = output_rows(dir.path(), &magic, rel);
        assert_eq!(got, want, "{rel}");
        assert!(!want.is_empty(), "{rel}");
    }
}

#[test]
fn the_repl_answers_on_demand_after_a_rule_and_an_undo() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "g.dl", GRAPH);
    let input = ":time off\n\
                 ?- open(\"a\", y).\n\
                 .decl far(x: symbol)\n\
                 far(y) :- reach2(\"x\", y).\n\
                 far(y) :- open(\"a\", y).\n\
                 ?- far(y).\n\
                 :undo\n\
                 ?- far(y).\n\
                 ?- reach2(x, \"z\").\n\
                 ?- open(\"a\", y).\n";
    let o = pialog_stdin(dir.path(), &["repl", "g.dl"], input);
    let (out, err) = (stdout(&o), stderr(&o));
    // open("a", _): a, b, c (d is blocked) — first asked lazily, then
    // again with everything else computed.
    assert_eq!(
        out.lines().filter(|l| *l == "3 rows").count(),
        3,
        "{out}\n{err}"
    );
    // far without its second rule (taken back) is reach2("x", _), empty
    // (y, the only step from x, has one successor), and so is
    // reach2(_, "z").
    assert_eq!(
        out.lines().filter(|l| *l == "0 rows").count(),
        2,
        "{out}\n{err}"
    );
    assert!(
        out.contains("taken back: far(y) :- open(\"a\", y)."),
        "{out}"
    );
}
