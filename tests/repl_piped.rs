//! The REPL driven through piped stdin, as a script or a test would: no
//! prompt, one statement after another, errors on stderr without ending
//! the session.

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

fn session(input: &str) -> (i32, String, String) {
    let root = kb_root();
    let o = pialog_stdin(root.path(), &["repl"], input);
    (o.status.code().unwrap_or(-1), stdout(&o), stderr(&o))
}

#[test]
fn queries_print_tables_with_row_counts() {
    let (code, out, err) = session(":time off\n?- reentrusting_vendor(a, n, v, _).\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("株式会社テスト電算"), "{out}");
    assert!(out.contains("│ a "), "{out}");
    assert!(out.lines().any(|l| l == "1 row"), "{out}");
    assert!(!out.contains("pialog>"), "no prompt when piped: {out}");
}

#[test]
fn time_is_shown_by_default() {
    let (_, out, _) = session("?- assessment(a, _, _, _, _).\n");
    assert!(
        out.lines()
            .any(|l| l.starts_with("2 rows (") && l.ends_with(" ms)")),
        "{out}"
    );
}

#[test]
fn multi_line_statements() {
    let input = ":time off\n\
                 .decl portable_vendor(v: symbol)\n\
                 portable_vendor(v) :-\n\
                 \x20  flow(_, _, v, m, \"entrustment\"),\n\
                 \x20  portable_method(m).\n\
                 ?- portable_vendor(v).\n";
    let (code, out, err) = session(input);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ok: 1 statement added"), "{out}");
    assert!(out.contains("株式会社テスト電算"), "{out}");
    assert!(out.lines().any(|l| l == "1 row"), "{out}");
}

#[test]
fn rules_typed_without_decl_get_inferred_columns() {
    let input = ":time off\n\
                 vendor_method(v, m) :- flow(_, _, v, m, \"entrustment\").\n\
                 ?- vendor_method(v, \"media\").\n\
                 :schema vendor_method\n";
    let (code, out, err) = session(input);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("株式会社テスト電算"), "{out}");
    assert!(out.contains("// inferred"), "{out}");
}

#[test]
fn errors_show_a_caret_and_the_session_goes_on() {
    let input = ":time off\n?- flow(a, b.\n?- nosuch(x).\n:frobnicate\n?- class(\"encryption\").\n";
    let (code, out, err) = session(input);
    assert_eq!(code, 2, "piped input with errors exits 2");
    assert!(err.contains("syntax error"), "{err}");
    assert!(err.contains("unknown relation `nosuch`"), "{err}");
    assert!(err.contains('^'), "{err}");
    assert!(err.contains("unknown command `:frobnicate`"), "{err}");
    assert!(out.contains("true"), "the last query still ran: {out}");
}

#[test]
fn why_traces_to_fact_lines_and_document_lines() {
    let input =
        ":why flow_lacks(\"テスト市長/1\", _, \"株式会社テスト電算\", \"media\", \"encryption\")\n";
    let (code, out, err) = session(input);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("by rule "), "{out}");
    assert!(out.contains("std.dl:"), "{out}");
    // the entrustment facts, with fact file line and document line
    assert!(
        out.contains("entrust_via(\"テスト市長/1\", 1, \"media\", \"\")"),
        "{out}"
    );
    assert!(out.contains("a-test.dl:14 (a.txt:32)"), "{out}");
    // the negation that makes it lacking
    assert!(
        out.contains("!measure_phase_class(\"テスト市長/1\", \"entrustment\", \"encryption\")"),
        "{out}"
    );
}

#[test]
fn why_follows_recursive_rules_without_looping() {
    let input = ":why reaches(\"テスト市長/1\", \"予防接種台帳システム\", \"情報提供ネットワークシステム\")\n";
    let (code, out, err) = session(input);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "connects(\"テスト市長/1\", \"中間サーバー\", \"情報提供ネットワークシステム\")"
        ),
        "{out}"
    );
    assert!(out.contains("a-test.dl:8 (a.txt:13)"), "{out}");
}

#[test]
fn whynot_names_the_missing_body_literal() {
    let input = ":whynot reentrusting_vendor(\"サンプル町長/2\", 1, \"株式会社テスト電算\", \"データ入力\")\n";
    let (code, out, err) = session(input);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("does not hold"), "{out}");
    assert!(
        out.contains("no `reentrust` fact matches `reentrust(\"サンプル町長/2\", 1, \"yes\")`"),
        "{out}"
    );
}

#[test]
fn schema_facts_export_and_help() {
    let root = kb_root();
    let input =
        ":schema flow\n:facts reentrust\n:export flow flows.csv\n:help\n:quit\n?- never(x).\n";
    let o = pialog_stdin(root.path(), &["repl"], input);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        out.contains(
            ".decl flow(a: Assessment, from: symbol, to: symbol, method: symbol, phase: symbol)"
        ),
        "{out}"
    );
    assert!(out.contains("rule "), "{out}");
    assert!(out.lines().any(|l| l == "2 rows"), "{out}");
    assert!(out.contains("wrote flows.csv"), "{out}");
    assert!(out.contains(":whynot"), "{out}");
    let csv = std::fs::read_to_string(root.path().join("flows.csv")).unwrap();
    assert!(csv.starts_with("a,from,to,method,phase\r\n"), "{csv}");
}

#[test]
fn load_adds_a_script_and_prints_its_answers() {
    let root = kb_root();
    let script = fixtures().join("ci-fail.dl");
    let o = pialog_stdin(
        root.path(),
        &["repl"],
        &format!(":load {}\n", script.display()),
    );
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with("ok ") && l.contains("ci-fail.dl:2")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("FAIL ") && l.contains("ci-fail.dl:3")),
        "{out}"
    );
    assert!(out.contains("loaded "), "{out}");
}

#[test]
fn unfinished_statement_at_end_of_input_is_reported() {
    let (code, _, err) = session("?- flow(a,\n");
    assert_eq!(code, 2);
    assert!(err.contains("incomplete statement"), "{err}");
}

#[test]
fn graph_writes_dot_to_a_file_not_the_screen() {
    let root = kb_root();
    let o = pialog_stdin(
        root.path(),
        &["repl"],
        ":graph テスト市長/1 --lacking encryption\n:graph テスト市長/1 --lacking encryption -o g.dot\n:graph --lacking nothing\n",
    );
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(2), "the last command fails: {err}");
    assert!(!out.contains("digraph"), "no DOT on the screen: {out}");
    assert!(out.contains("-o FILE"), "{out}");
    assert!(out.contains("wrote g.dot"), "{out}");
    let dot = std::fs::read_to_string(root.path().join("g.dot")).unwrap();
    assert!(dot.starts_with("digraph flows {"), "{dot}");
    assert!(dot.contains("color=red"), "{dot}");
    assert!(!dot.contains("サンプル町長"), "{dot}");
    assert!(err.contains("unknown measure class `nothing`"), "{err}");
}
