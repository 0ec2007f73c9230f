//! `:whynot` through the piped REPL: retractions, patterns with `_`, and
//! failed negations told as the fact that holds.

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

fn whynot(extra: &[(&str, &str)], input: &str) -> (i32, String, String) {
    let root = kb_root();
    for (name, text) in extra {
        std::fs::write(root.path().join("facts").join(name), text).expect("write facts");
    }
    let o = pialog_stdin(root.path(), &["repl"], input);
    (o.status.code().unwrap_or(-1), stdout(&o), stderr(&o))
}

#[test]
fn a_retracted_fact_names_where_it_is_stated_and_retracted() {
    let (code, out, err) = whynot(
        &[(
            "a-test.curated.dl",
            "// a correction\n!entrusted_to(\"テスト市長/1\", 1, \"株式会社テスト電算\").\n",
        )],
        ":whynot entrusted_to(\"テスト市長/1\", 1, \"株式会社テスト電算\")\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("not stated in any loaded file"), "{out}");
    assert!(
        out.contains(
            "entrusted_to(\"テスト市長/1\", 1, \"株式会社テスト電算\") is stated at facts/a-test.dl:13 (a.txt:31) but retracted by `!entrusted_to(\"テスト市長/1\", 1, \"株式会社テスト電算\").` at facts/a-test.curated.dl:2"
        ),
        "{out}"
    );
}

#[test]
fn a_pattern_with_wildcards_is_explained() {
    let (code, out, err) = whynot(&[], ":whynot entrusted_to(\"テスト市長/1\", 9, _)\n");
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(
        out.contains("entrusted_to(\"テスト市長/1\", 9, _) is not stated in any loaded file"),
        "{out}"
    );
    // A derived pattern: each rule, down to the literal that fails.
    let (_, out, _) = whynot(
        &[],
        ":whynot flow_lacks(\"サンプル町長/2\", _, \"株式会社テスト電算\", \"email\", \"encryption\")\n",
    );
    assert!(
        out.contains("flow_lacks(\"サンプル町長/2\", _, \"株式会社テスト電算\", \"email\", \"encryption\") does not hold:"),
        "{out}"
    );
    assert!(
        out.contains(
            "measure_phase_class(\"サンプル町長/2\", \"entrustment\", \"encryption\") holds:"
        ),
        "{out}"
    );
}

#[test]
fn a_failed_negation_is_told_as_the_fact_that_holds_and_where_from() {
    let (code, out, err) = whynot(
        &[],
        ":whynot phase_lacks(\"テスト市長/1\", \"entrustment\", \"contract\")\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("no match for `!"), "{out}");
    assert!(
        out.contains("measure_phase_class(\"テスト市長/1\", \"entrustment\", \"contract\") holds:"),
        "{out}"
    );
    // ... down to the measure's fact file line and document line.
    assert!(
        out.contains("fact at facts/a-test.dl:23 (a.txt:62)"),
        "{out}"
    );
}

#[test]
fn an_unknown_cell_is_explained_by_its_unread_note() {
    let (code, out, err) = whynot(
        &[(
            "unread.dl",
            "unread(\"テスト市長/1\", \"entrustment/1\", 61, \"not attributed\").\n",
        )],
        ":whynot phase_lacks(\"テスト市長/1\", \"entrustment\", \"encryption\")\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("phase_unread(\"テスト市長/1\", \"entrustment\") holds:"),
        "{out}"
    );
    assert!(
        out.contains("unread(\"テスト市長/1\", \"entrustment/1\", 61, \"not attributed\")"),
        "{out}"
    );
}

#[test]
fn a_mistyped_value_in_the_pattern_is_warned_about() {
    let (code, out, err) = whynot(
        &[],
        ":whynot flow_lacks(\"テスト市長/1\", _, _, _, \"encryptio\")\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("`encryptio` is not a measure class; did you mean `encryption`?"),
        "{err}"
    );
    assert!(
        out.contains("no `class` fact matches `class(\"encryptio\")`"),
        "{out}"
    );
}
