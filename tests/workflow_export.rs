//! `pialog export`: RFC 4180 CSV with a header, the Excel BOM, formula
//! neutralisation, JSON, and the atomic write (a failure leaves no file).

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

#[test]
fn exports_a_derived_relation_with_header() {
    let root = kb_root();
    let o = pialog(
        root.path(),
        &["export", "reentrusting_vendor", "-o", "v.csv"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(root.path().join("v.csv")).unwrap();
    assert_eq!(
        text,
        "a,n,vendor,task\r\nテスト市長/1,1,株式会社テスト電算,システム運用保守\r\n"
    );
}

#[test]
fn excel_bom_quoting_and_formula_neutralisation() {
    let root = kb_root();
    let script = fixtures().join("formula.dl");
    let o = pialog(
        root.path(),
        &[
            "export",
            "cell",
            script.to_str().unwrap(),
            "--excel",
            "-o",
            "cell.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bytes = std::fs::read(root.path().join("cell.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("a,b\r\n"), "{text}");
    assert!(text.contains("'+81 3,2\r\n"), "{text}");
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x\"\")\",-1\r\n"),
        "{text}"
    );
    assert!(text.contains("\"a,\"\"b\"\"\",3\r\n"), "{text}");
}

#[test]
fn json_keeps_numbers() {
    let root = kb_root();
    let script = fixtures().join("formula.dl");
    let o = pialog(
        root.path(),
        &[
            "export",
            "cell",
            script.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["columns"], serde_json::json!(["a", "b"]));
    assert_eq!(doc["rows"].as_array().unwrap().len(), 3);
    assert!(
        doc["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r[1] == serde_json::json!(-1))
    );
}

#[test]
fn unwritable_target_exits_2_and_writes_nothing() {
    let root = kb_root();
    let target = root.path().join("missing").join("flow.csv");
    let o = pialog(
        root.path(),
        &["export", "flow", "-o", target.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
    assert!(!target.exists());
    assert!(!root.path().join("missing").exists());
}

#[test]
fn failed_export_keeps_the_previous_file_whole() {
    let root = kb_root();
    let target = root.path().join("flow.csv");
    std::fs::write(&target, "previous\r\n").unwrap();
    let o = pialog(
        root.path(),
        &["export", "no_such_relation", "-o", "flow.csv"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown relation `no_such_relation`"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous\r\n");
}
