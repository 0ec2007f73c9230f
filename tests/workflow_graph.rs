//! `pialog graph` and `pialog matrix`: DOT/Mermaid contents with lacking
//! flows in red, and the coverage matrix as CSV and SVG.

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

#[test]
fn dot_draws_flows_and_marks_lacking_ones_red() {
    let root = kb_root();
    let o = pialog(
        root.path(),
        &[
            "graph",
            "--assessment",
            "テスト市長/1",
            "--lacking",
            "encryption",
        ],
    );
    let dot = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dot.starts_with("digraph flows {"), "{dot}");
    assert!(dot.contains("label=\"テスト市長/1\""), "{dot}");
    assert!(!dot.contains("サンプル町長"), "{dot}");
    assert!(
        dot.contains("label=\"予防接種ファイル\", shape=note"),
        "{dot}"
    );
    assert!(dot.contains("label=\"中間サーバー\", shape=box3d"), "{dot}");
    let red: Vec<&str> = dot.lines().filter(|l| l.contains("color=red")).collect();
    // A states no encryption measure at all: every flow of A is red, the
    // media flow to the vendor among them.
    assert!(red.iter().any(|l| l.contains("電子記録媒体")), "{dot}");
    // One edge per pair, methods in Japanese; systems tied to the file; a legend.
    assert!(!dot.contains("label=\"media\""), "{dot}");
    assert!(dot.contains("style=dashed"), "{dot}");
    assert!(dot.contains("凡例"), "{dot}");
    let o = pialog(
        root.path(),
        &[
            "graph",
            "--assessment",
            "サンプル町長/2",
            "--lacking",
            "encryption",
        ],
    );
    let dot = stdout(&o);
    // B encrypts what it entrusts by e-mail: that edge stays black; its
    // acquisition by e-mail (no measure for that phase) is red.
    let edge = dot
        .lines()
        .find(|l| l.contains("電子メール") && !l.contains("color=red"));
    assert!(edge.is_some(), "{dot}");
    assert!(
        dot.lines()
            .any(|l| l.contains("電子メール") && l.contains("color=red")),
        "{dot}"
    );
}

#[test]
fn mermaid_and_errors() {
    let root = kb_root();
    let o = pialog(
        root.path(),
        &["graph", "--format", "mermaid", "--lacking", "logging"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m = stdout(&o);
    assert!(m.starts_with("flowchart LR\n"), "{m}");
    assert!(m.contains("linkStyle"), "{m}");
    let o = pialog(root.path(), &["graph", "--lacking", "telepathy"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown measure class `telepathy`"),
        "{}",
        stderr(&o)
    );
    let o = pialog(root.path(), &["graph", "--assessment", "どこか/9"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn svg_is_drawn_without_graphviz() {
    let root = kb_root();
    let o = pialog(
        root.path(),
        &[
            "graph",
            "--format",
            "svg",
            "--lacking",
            "encryption",
            "-o",
            "g.svg",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = std::fs::read_to_string(root.path().join("g.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains(">テスト市長/1</text>"), "{svg}");
    assert!(svg.contains("Noto Sans CJK JP"), "CJK fonts named: {svg}");
    assert!(
        svg.contains("#d62728"),
        "a flow lacking encryption is red: {svg}"
    );
    assert!(svg.contains(">電子記録媒体"), "methods in Japanese: {svg}");
}

#[test]
fn matrix_csv_and_svg() {
    let root = kb_root();
    let o = pialog(root.path(), &["matrix", "-o", "m.csv", "--svg", "m.svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(root.path().join("m.csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("assessment,org,phase,encryption,access-control"),
        "{header}"
    );
    let cols: Vec<&str> = header.split(',').collect();
    let col = |name: &str| cols.iter().position(|c| *c == name).unwrap();
    let row = |a: &str, p: &str| -> Vec<String> {
        csv.lines()
            .find(|l| l.starts_with(&format!("{a},")) && l.split(',').nth(2) == Some(p))
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect()
    };
    // A locks its server room, B erases: each lacks what the other has.
    assert_eq!(row("テスト市長/1", "storage")[col("physical")], "1");
    assert_eq!(row("テスト市長/1", "storage")[col("erasure")], "0!");
    assert_eq!(row("サンプル町長/2", "storage")[col("physical")], "0!");
    // B states no acquisition risk: not assessed, empty cell.
    assert_eq!(
        row("サンプル町長/2", "acquisition")[col("verification")],
        ""
    );
    let svg = std::fs::read_to_string(root.path().join("m.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains(">暗号化</text>"));
    assert!(
        svg.contains("サンプル町長/2 / 保管・消去 / 物理的対策"),
        "{svg}"
    );
}
