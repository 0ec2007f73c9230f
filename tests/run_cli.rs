//! `pialog run` through the real binary: the Soufflé-compatible surface
//! (`-F`, `-D`, `.output` files), query answers in each format, assertion
//! verdicts and exit codes, and errors rendered with a caret.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn pialog(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pialog"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the pialog binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, content: &str) {
    fs::write(dir.join(name), content).expect("write fixture");
}

#[test]
fn recursion_negation_and_aggregates_write_soufflé_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("facts")).unwrap();
    fs::create_dir(d.join("out")).unwrap();
    write(d, "facts/edge.facts", "a\tb\nb\tc\nc\ta\nd\te\n");
    write(
        d,
        "prog.dl",
        r#"
.decl edge(x: symbol, y: symbol)
.input edge
.decl node(x: symbol)
node(x) :- edge(x, _) ; edge(_, x).
.decl reach(x: symbol, y: symbol)
reach(x, y) :- edge(x, y).
reach(x, z) :- reach(x, y), edge(y, z).
.decl unreached(x: symbol, y: symbol)
unreached(x, y) :- node(x), node(y), !reach(x, y).
.decl fanout(x: symbol, n: number)
fanout(x, n) :- node(x), n = count : { reach(x, _) }.
.decl total(n: number)
total(s) :- s = sum n : { fanout(_, n) }.
.output reach, unreached, fanout, total
"#,
    );
    let out = pialog(d, &["run", "prog.dl", "-F", "facts", "-D", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let reach = fs::read_to_string(d.join("out/reach.csv")).unwrap();
    assert_eq!(reach.lines().count(), 10, "{reach}");
    assert!(reach.starts_with("a\ta\na\tb\na\tc\nb\ta\n"), "{reach}");
    let fanout = fs::read_to_string(d.join("out/fanout.csv")).unwrap();
    assert_eq!(fanout, "a\t3\nb\t3\nc\t3\nd\t1\ne\t0\n");
    let total = fs::read_to_string(d.join("out/total.csv")).unwrap();
    assert_eq!(total, "10\n");
    let unreached = fs::read_to_string(d.join("out/unreached.csv")).unwrap();
    assert!(unreached.contains("e\te\n") && !unreached.contains("a\tb\n"));
}

#[test]
fn queries_print_tables_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "q.dl",
        r#"
.decl vendor(a: symbol, v: symbol)
vendor("焼津市長/26", "株式会社A"). vendor("x/1", "B社").
?- vendor(a, "株式会社A").
?- vendor(a, v), v != "株式会社A".
"#,
    );
    let out = pialog(d, &["run", "q.dl"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("?- vendor(a, \"株式会社A\")."), "{stdout}");
    assert!(
        stdout.contains("焼津市長/26") && stdout.contains("1 row"),
        "{stdout}"
    );

    let out = pialog(d, &["run", "q.dl", "--format", "csv"]);
    assert_eq!(
        text(&out.stdout),
        "a\r\n焼津市長/26\r\n\na,v\r\nx/1,B社\r\n"
    );

    let out = pialog(d, &["run", "q.dl", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["answers"][1]["columns"], serde_json::json!(["a", "v"]));
    assert_eq!(
        doc["answers"][1]["rows"],
        serde_json::json!([["x/1", "B社"]])
    );
}

#[test]
fn json_keeps_what_the_program_prints_inside_the_one_document() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "p.dl",
        ".decl e(x: number)\ne(1). e(2).\n.printsize e\n\
         .decl q(x: number, y: symbol)\n.output q(IO=stdout)\nq(x, \"a b\") :- e(x).\n\
         .decl t()\nt().\n.output t(IO=stdout)\n?- e(x), x > 1.\n",
    );
    for cmd in [
        &["run", "p.dl", "--format", "json"][..],
        &["check", "--no-kb", "--format", "json", "p.dl"],
    ] {
        let out = pialog(d, cmd);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{cmd:?}: not one JSON document ({e}): {}",
                text(&out.stdout)
            )
        });
        assert_eq!(doc["answers"][0]["rows"], serde_json::json!([[2]]));
        let printed = doc["printed"].as_array().unwrap();
        assert_eq!(printed[0], serde_json::json!({"printsize": "e", "rows": 2}));
        let q = printed.iter().find(|p| p["relation"] == "q").unwrap();
        assert_eq!(q["rows"], serde_json::json!([["1", "a b"], ["2", "a b"]]));
        let t = printed.iter().find(|p| p["relation"] == "t").unwrap();
        assert_eq!(t["rows"], serde_json::json!([[]]));
    }
    // Nothing printed: the document keeps its two keys.
    write(d, "a.dl", ".decl e(x: number)\ne(1).\n?- e(x).\n");
    let out = pialog(d, &["run", "a.dl", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc.get("printed").is_none(), "{doc}");
}

#[test]
fn failed_assertion_exits_1_with_offending_rows() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "ci.dl",
        r#".decl flow(a: symbol, method: symbol)
flow("x", "email"). flow("y", "paper").
.assert count flow(_, _) >= 1
.assert empty flow(_, "email")
"#,
    );
    let out = pialog(d, &["run", "ci.dl"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("ok ci.dl:3: .assert count flow(_, _) >= 1\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("FAIL ci.dl:4: .assert empty flow(_, \"email\"): 1 row\n"),
        "{stdout}"
    );
    assert!(stdout.contains("email"), "{stdout}");
}

#[test]
fn unstratifiable_program_points_at_the_literal_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("out")).unwrap();
    write(
        d,
        "bad.dl",
        ".decl p(x: number)\n.decl q(x: number)\np(1).\nq(x) :- p(x), !p(x).\np(x) :- q(x), !q(x).\n.output p\n",
    );
    let out = pialog(d, &["run", "bad.dl", "-D", "out"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unstratifiable"), "{stderr}");
    assert!(stderr.contains("  --> bad.dl:4:16"), "{stderr}");
    assert!(stderr.contains("q(x) :- p(x), !p(x)."), "{stderr}");
    assert!(stderr.contains("^^^^"), "{stderr}");
    assert_eq!(fs::read_dir(d.join("out")).unwrap().count(), 0);
}

#[test]
fn bad_fact_row_names_the_file_and_line_and_stdout_output_works() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "e.facts", "1\t2\n3\tx\n");
    write(
        d,
        "p.dl",
        ".decl e(a: number, b: number)\n.input e\n.output e\n",
    );
    let out = pialog(d, &["run", "p.dl", "-D", "-"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("not a number"), "{stderr}");
    assert!(stderr.contains("e.facts:2"), "{stderr}");

    write(d, "e.facts", "3\t4\n1\t2\n");
    let out = pialog(d, &["run", "p.dl", "-D", "-"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "---------------\ne\n===============\n1\t2\n3\t4\n===============\n"
    );
}

#[test]
fn a_bad_record_in_a_facts_file_is_pointed_at() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "p.facts", "a\t[1, 2]\nb\t[3, 4]\nc\t[5, x]\n");
    write(
        d,
        "p.dl",
        ".type P = [x: number, y: number]\n.decl p(n: symbol, at: P)\n.input p\n.output p\n",
    );
    let out = pialog(d, &["run", "p.dl", "-D", "out"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("expected a number"), "{stderr}");
    assert!(stderr.contains("p.facts:3:7"), "{stderr}");
    assert!(stderr.contains("3 | c\t[5, x]"), "{stderr}");
    assert!(!d.join("out/p.csv").exists(), "nothing half-written");
}

#[test]
fn missing_script_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = pialog(dir.path(), &["run", "nope.dl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read"));
}

#[test]
fn a_run_reads_only_what_its_outputs_need_but_still_checks_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "edge.facts", "a\tb\n");
    // `note` feeds no output: its broken row is never read, as Soufflé
    // skips relations no output depends on.
    write(d, "note.facts", "only-one-column\n");
    let program = r#"
.decl edge(x: symbol, y: symbol)
.decl note(x: symbol, y: symbol)
.decl noted(x: symbol)
.input edge
.input note
noted(x) :- note(x, _).
.printsize edge
"#;
    write(d, "prog.dl", program);
    let out = pialog(d, &["run", "prog.dl", "-F", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "edge\t1\n");
    // Once an output needs it, the bad row is an error with its place.
    write(d, "prog2.dl", &format!("{program}.printsize noted\n"));
    let out = pialog(d, &["run", "prog2.dl", "-F", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("wrong number of columns") && err.contains("note.facts:1"),
        "{err}"
    );
    // A missing input file is an empty relation, as in Soufflé, with a
    // warning even when nothing needs it.
    fs::remove_file(d.join("note.facts")).unwrap();
    let out = pialog(d, &["run", "prog.dl", "-F", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("warning") && text(&out.stderr).contains("note.facts"),
        "{}",
        text(&out.stderr)
    );
    // A rule no output needs is still checked.
    write(
        d,
        "prog3.dl",
        ".decl p(x: symbol)\n.decl q(x: symbol)\np(x) :- q(x), !p(x).\n",
    );
    let out = pialog(d, &["run", "prog3.dl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unstratifiable"),
        "{}",
        text(&out.stderr)
    );
}
