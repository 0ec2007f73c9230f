//! `pialog report`: one self-contained HTML page for the knowledge base —
//! every assessment present, pictures inline, findings linked to the lines
//! they came from, and no URL that a browser would fetch.

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

#[test]
fn the_report_is_one_self_contained_page() {
    let root = kb_root();
    let o = pialog(root.path(), &["report", "-o", "out/r.html"]);
    assert_eq!(o.status.code(), Some(2), "a missing folder fails first");
    assert!(!root.path().join("out").exists());
    let o = pialog(root.path(), &["report", "-o", "r.html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("wrote r.html (2 assessments)"),
        "{}",
        stderr(&o)
    );
    let html = std::fs::read_to_string(root.path().join("r.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.trim_end().ends_with("</html>"));
    // Every assessment: a row of the overview linked to its section.
    for (i, id) in ["サンプル町長/2", "テスト市長/1"].iter().enumerate() {
        assert!(
            html.contains(&format!("<a href=\"#a{}\">{id}</a>", i + 1)),
            "{id} in the overview"
        );
        assert!(
            html.contains(&format!("<article id=\"a{}\"><h2>{id}", i + 1)),
            "{id}"
        );
    }
    // Pictures inline: the heat map and a flow graph per assessment.
    assert!(
        html.matches("<svg ").count() >= 3,
        "heat map and two flow graphs"
    );
    assert!(html.contains("特定個人情報の流れ"));
    // Findings carry the document line and link to the fact file.
    let linked = html.matches("<a class=\"src\" href=\"facts/").count();
    assert!(linked > 0, "findings are linked to their fact lines");
    assert!(html.contains(".txt:"), "document lines are named");
    // Self-contained: styles and script inline, nothing fetched.
    assert!(html.contains("<style>") && html.contains("<script>"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no URL"
    );
    assert!(
        !html.contains("<link") && !html.contains(" src="),
        "nothing loaded"
    );
    assert!(html.contains("id=\"filter\""), "a filter box");
}
