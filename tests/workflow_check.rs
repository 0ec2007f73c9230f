//! `pialog check`: one line per assertion, the summary line, exit codes 0 /
//! 1 / 2, and the JUnit report.

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

#[test]
fn passing_script_exits_0_and_writes_junit() {
    let root = kb_root();
    let script = fixtures().join("ci-pass.dl");
    let junit = root.path().join("report.xml");
    let o = pialog(
        root.path(),
        &[
            "check",
            script.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
        ],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok ")).count(),
        3,
        "{out}"
    );
    assert!(
        out.contains("ci-pass.dl:2: .assert count assessment(_, _, _, _, _) = 2"),
        "{out}"
    );
    assert_eq!(out.lines().last(), Some("3 passed, 0 failed"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains(r#"tests="3" failures="0" errors="0""#),
        "{xml}"
    );
}

#[test]
fn failing_assertion_exits_1_with_offending_rows() {
    let root = kb_root();
    let script = fixtures().join("ci-fail.dl");
    let junit = root.path().join("report.xml");
    let o = pialog(
        root.path(),
        &[
            "check",
            script.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
        ],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    let fail = out
        .lines()
        .find(|l| l.starts_with("FAIL "))
        .expect("a FAIL line");
    assert!(
        fail.contains(
            "ci-fail.dl:3: .assert empty flow_lacks(_, _, _, \"media\", \"encryption\"): 1 row"
        ),
        "{fail}"
    );
    // The offending flow is printed: the fixture's vendor reached by media.
    assert!(out.contains("株式会社テスト電算"), "{out}");
    assert_eq!(out.lines().last(), Some("1 passed, 1 failed"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains(r#"failures="1""#), "{xml}");
    assert!(xml.contains("<failure message=\"1 row\">"), "{xml}");
}

#[test]
fn broken_script_exits_2_and_reports_an_error_case() {
    let root = kb_root();
    let script = fixtures().join("broken.dl");
    let passing = fixtures().join("ci-pass.dl");
    let junit = root.path().join("report.xml");
    let o = pialog(
        root.path(),
        &[
            "check",
            script.to_str().unwrap(),
            passing.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "a broken script wins over passes");
    assert!(
        stderr(&o).contains("unknown relation `no_such_relation`"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).ends_with("3 passed, 0 failed, 1 script(s) could not run\n"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains(r#"errors="1""#), "{xml}");
    assert!(
        xml.contains("<error message=\"cannot run script\">"),
        "{xml}"
    );
}

#[test]
fn missing_knowledge_base_exits_2() {
    let empty = tempfile::tempdir().unwrap();
    let script = fixtures().join("ci-pass.dl");
    let o = pialog(empty.path(), &["check", script.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
}

#[test]
fn junit_to_unwritable_path_exits_2_and_leaves_no_file() {
    let root = kb_root();
    let script = fixtures().join("ci-pass.dl");
    let junit = root.path().join("no-such-folder").join("report.xml");
    let o = pialog(
        root.path(),
        &[
            "check",
            script.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!junit.exists());
}

#[test]
fn std_dl_named_with_the_scripts_is_not_loaded_twice() {
    let root = kb_root();
    let script = fixtures().join("ci-pass.dl");
    let o = pialog(
        root.path(),
        &["check", "queries/std.dl", script.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("part of the knowledge base"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o).lines().last(), Some("3 passed, 0 failed"));
}

#[test]
fn json_format_gives_one_document() {
    let root = kb_root();
    let script = fixtures().join("ci-fail.dl");
    let o = pialog(
        root.path(),
        &["check", "--format", "json", script.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let verdicts = doc["assertions"].as_array().unwrap();
    assert_eq!(verdicts.len(), 2);
    assert_eq!(verdicts[0]["passed"], serde_json::json!(true));
    assert_eq!(verdicts[1]["passed"], serde_json::json!(false));
    assert_eq!(verdicts[1]["detail"], serde_json::json!("1 row"));
    assert!(
        verdicts[1]["at"]
            .as_str()
            .unwrap()
            .ends_with("ci-fail.dl:3")
    );
    assert_eq!(verdicts[1]["rows"].as_array().unwrap().len(), 1);
    assert_eq!(doc["answers"], serde_json::json!([]));
}
