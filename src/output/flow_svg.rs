//! The flow graph of one assessment as SVG, laid out by pialog itself (no
//! Graphviz needed): three layers, left to right — where the file comes
//! from, the file with the systems that hold it, where it goes. Every pair
//! of nodes gets one edge whose label lists its methods in Japanese
//! (紙・電子記録媒体), drawn red when a method lacks the measure class asked
//! for; each system is tied to the file by a dashed line; a legend says so.
//! Labels name CJK font families with fallbacks, so the picture reads
//! wherever a Japanese font is installed.

use super::dot::{FlowGraph, NodeKind};
use super::width::{columns, wrap};
use super::xml::esc;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Font families for Japanese labels, most common first.
pub const CJK_FONTS: &str = "'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic','Meiryo','IPAexGothic',sans-serif";

/// Text columns per line of a node label.
const LABEL_COLUMNS: usize = 24;
/// Pixels per text column (12 px font: a wide character is about 12 px).
const PX: usize = 6;
const LINE: usize = 16;
const PAD: usize = 8;
const VGAP: usize = 14;
/// Horizontal room between layers: enough for the longest edge label
/// (10 px font: about 5 px a column), within these bounds.
const HGAP_MIN: usize = 140;
const HGAP_MAX: usize = 420;

struct Placed {
    lines: Vec<String>,
    x: usize,
    y: usize,
    w: usize,
    h: usize,
    kind: NodeKind,
}

/// The SVG of `assessment`'s part of `graph`, its edges labelled with the
/// graph's method labels; `None` when the assessment has no node.
/// (Edges group the methods of one pair of nodes: `FlowGraph::edges`.)
pub fn render(graph: &FlowGraph, assessment: &str, lacking_class: Option<&str>) -> Option<String> {
    draw(graph, assessment, lacking_class).map(|(svg, _, _)| svg)
}

/// Every assessment of `graph`, one picture under another in one SVG.
pub fn render_all(graph: &FlowGraph, lacking_class: Option<&str>) -> String {
    let mut parts = String::new();
    let (mut y, mut width) = (0, 0);
    for a in graph.assessments() {
        if let Some((svg, w, h)) = draw(graph, a, lacking_class) {
            let _ = writeln!(
                parts,
                r#"<text x="8" y="{}" font-size="15" font-weight="bold">{}</text>"#,
                y + 20,
                esc(a)
            );
            // A nested <svg> is placed by its x/y attributes.
            let _ = writeln!(
                parts,
                "{}",
                svg.replacen("<svg ", &format!(r#"<svg y="{}" "#, y + 28), 1)
            );
            y += h + 48;
            width = width.max(w);
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{y}\" viewBox=\"0 0 {width} {y}\" font-family=\"{CJK_FONTS}\">\n{parts}</svg>\n"
    )
}

/// The picture and its width and height in pixels.
fn draw(
    graph: &FlowGraph,
    assessment: &str,
    lacking_class: Option<&str>,
) -> Option<(String, usize, usize)> {
    let nodes = graph.nodes_of(assessment);
    if nodes.is_empty() {
        return None;
    }
    let ids: Vec<usize> = nodes.iter().map(|(i, _)| *i).collect();
    let edges: Vec<_> = graph
        .edges()
        .into_iter()
        .filter(|e| ids.contains(&e.from) && ids.contains(&e.to))
        .collect();
    let kind = |i: usize| nodes.iter().find(|(j, _)| *j == i).map(|(_, n)| n.kind);
    let inner = |i: usize| matches!(kind(i), Some(NodeKind::File | NodeKind::System));
    // Layers: 0 sources, 1 file and systems, 2 recipients.
    let layer = |i: usize| -> usize {
        if inner(i) {
            1
        } else if edges.iter().any(|e| e.from == i && inner(e.to)) {
            0
        } else {
            2
        }
    };
    let mut columns_of: [Vec<usize>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    // Files first in the middle layer, then systems.
    let mut order: Vec<&(usize, &super::dot::Node)> = nodes.iter().collect();
    order.sort_by_key(|(_, n)| n.kind != NodeKind::File);
    for (i, _) in order {
        columns_of[layer(*i)].push(*i);
    }
    let longest = edges.iter().map(|e| columns(&e.label)).max().unwrap_or(0);
    let hgap = (longest * 5 + 40).clamp(HGAP_MIN, HGAP_MAX);
    let mut placed: BTreeMap<usize, Placed> = BTreeMap::new();
    let mut x = PAD;
    let mut height = 0;
    for col in &columns_of {
        let mut y = 40;
        let mut widest = 0;
        for &i in col {
            let name = nodes
                .iter()
                .find(|(j, _)| *j == i)
                .map_or("", |(_, n)| n.name.as_str());
            let lines = wrap(name, LABEL_COLUMNS);
            let w = lines.iter().map(|l| columns(l)).max().unwrap_or(1) * PX + 2 * PAD;
            let h = lines.len() * LINE + PAD;
            widest = widest.max(w);
            placed.insert(
                i,
                Placed {
                    lines,
                    x,
                    y,
                    w,
                    h,
                    kind: kind(i).unwrap_or(NodeKind::Party),
                },
            );
            y += h + VGAP;
        }
        height = height.max(y);
        if widest > 0 {
            x += widest + hgap;
        }
    }
    let width = x.saturating_sub(hgap) + 80;
    let legend_y = height + 10;
    let total_h = legend_y + 30;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_h}" viewBox="0 0 {width} {total_h}" font-family="{CJK_FONTS}" font-size="12">"#
    );
    let _ = writeln!(
        s,
        r#"<title>{} の特定個人情報の流れ (flows)</title>"#,
        esc(assessment)
    );
    let _ = writeln!(
        s,
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker><marker id="arrow-red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#d62728"/></marker></defs>"##
    );
    for (t, head) in [
        (0, "入手元"),
        (1, "ファイル・システム"),
        (2, "委託先・提供先"),
    ] {
        if let Some(p) = columns_of[t].first().and_then(|i| placed.get(i)) {
            let _ = writeln!(
                s,
                r##"<text x="{}" y="24" font-weight="bold" fill="#333">{head}</text>"##,
                p.x
            );
        }
    }
    // Systems hold the file: dashed ties on the left of the middle layer.
    for (sys, file) in graph.holds() {
        let (Some(p), Some(f)) = (placed.get(&sys), placed.get(&file)) else {
            continue;
        };
        let (x1, y1) = (p.x + 4, p.y + p.h / 2);
        let (x2, y2) = (f.x + 4, f.y + f.h / 2);
        let _ = writeln!(
            s,
            r##"<path d="M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}" fill="none" stroke="#999" stroke-dasharray="4 3"/>"##,
            x1.saturating_sub(30),
            x2.saturating_sub(30)
        );
    }
    // One edge per pair of nodes, its methods joined.
    for e in &edges {
        let (Some(p), Some(q)) = (placed.get(&e.from), placed.get(&e.to)) else {
            continue;
        };
        let (colour, marker, stroke) = if e.lacking {
            ("#d62728", "arrow-red", 2)
        } else {
            ("#555", "arrow", 1)
        };
        let label = esc(&e.label);
        let (path, lx, ly) = if p.x == q.x {
            // Within the middle layer: a loop out to the right.
            let (x1, y1) = (p.x + p.w, p.y + p.h / 2);
            let (x2, y2) = (q.x + q.w, q.y + q.h / 2);
            let bulge = x1.max(x2) + 60;
            (
                format!("M{x1},{y1} C{bulge},{y1} {bulge},{y2} {x2},{y2}"),
                bulge - 10,
                (y1 + y2) / 2,
            )
        } else {
            let (x1, y1) = (p.x + p.w, p.y + p.h / 2);
            let (x2, y2) = (q.x, q.y + q.h / 2);
            // The label sits near the end whose nodes are spread out (the
            // sources on the left, the recipients on the right), not where
            // many edges meet at the file.
            let t = if layer(e.from) == 0 { 0.3 } else { 0.7 };
            let at = |a: usize, b: usize| (a as f64 + (b as f64 - a as f64) * t).round() as usize;
            (format!("M{x1},{y1} L{x2},{y2}"), at(x1, x2), at(y1, y2))
        };
        let _ = writeln!(
            s,
            r#"<path d="{path}" fill="none" stroke="{colour}" stroke-width="{stroke}" marker-end="url(#{marker})"/>"#
        );
        let _ = writeln!(
            s,
            r##"<text x="{lx}" y="{}" text-anchor="middle" font-size="10" fill="{colour}" stroke="#fff" stroke-width="3" paint-order="stroke">{label}</text>"##,
            ly.saturating_sub(3)
        );
    }
    for p in placed.values() {
        let (fill, rx) = match p.kind {
            NodeKind::File => ("#fff3c4", 2),
            NodeKind::System => ("#dbe9f6", 2),
            NodeKind::Party => ("#f4f4f4", 12),
        };
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="{rx}" fill="{fill}" stroke="#666"/>"##,
            p.x, p.y, p.w, p.h
        );
        for (k, l) in p.lines.iter().enumerate() {
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{}">{}</text>"#,
                p.x + PAD,
                p.y + PAD / 2 + (k + 1) * LINE - 4,
                esc(l)
            );
        }
    }
    let missing = lacking_class.map_or("--lacking で指定した措置".to_string(), |c| {
        format!("{c} の措置なし")
    });
    let _ = writeln!(
        s,
        r##"<g font-size="11" fill="#333"><line x1="10" y1="{y}" x2="40" y2="{y}" stroke="#555" marker-end="url(#arrow)"/><text x="46" y="{t}">流れ (方法)</text><line x1="140" y1="{y}" x2="170" y2="{y}" stroke="#d62728" stroke-width="2" marker-end="url(#arrow-red)"/><text x="176" y="{t}">{}</text><line x1="{d}" y1="{y}" x2="{d2}" y2="{y}" stroke="#999" stroke-dasharray="4 3"/><text x="{d3}" y="{t}">システムがファイルを保有</text><rect x="{f}" y="{r}" width="14" height="10" fill="#fff3c4" stroke="#666"/><text x="{f2}" y="{t}">ファイル</text><rect x="{g}" y="{r}" width="14" height="10" fill="#dbe9f6" stroke="#666"/><text x="{g2}" y="{t}">システム</text></g>"##,
        esc(&missing),
        d = 196 + columns(&missing) * 6,
        d2 = 226 + columns(&missing) * 6,
        d3 = 232 + columns(&missing) * 6,
        f = 400 + columns(&missing) * 6,
        f2 = 420 + columns(&missing) * 6,
        g = 480 + columns(&missing) * 6,
        g2 = 500 + columns(&missing) * 6,
        y = legend_y + 6,
        t = legend_y + 10,
        r = legend_y + 1,
    );
    s.push_str("</svg>\n");
    Some((s, width, total_h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::dot::Flow;

    #[test]
    fn one_labelled_edge_per_pair_and_a_legend() {
        let mut g = FlowGraph::new();
        g.node("x/1", "予防接種ファイル", NodeKind::File);
        g.node("x/1", "VRS", NodeKind::System);
        for method in ["paper", "media"] {
            g.flow(
                "x/1",
                "本人",
                "予防接種ファイル",
                Flow {
                    method: method.into(),
                    phase: "acquisition".into(),
                    lacking: method == "media",
                },
            );
        }
        g.flow(
            "x/1",
            "その他(VRS)",
            "予防接種ファイル",
            Flow {
                method: "other".into(),
                phase: "acquisition".into(),
                lacking: false,
            },
        );
        g.set_method_labels(
            [("paper", "紙"), ("media", "電子記録媒体")]
                .into_iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        );
        let svg = render(&g, "x/1", Some("encryption")).expect("drawn");
        // paper and media on one edge; the lacking media flow on its own.
        assert!(svg.contains(">紙</text>"), "{svg}");
        assert!(svg.contains(">電子記録媒体</text>"), "{svg}");
        assert_eq!(
            svg.matches("marker-end=\"url(#arrow-red)\"").count(),
            2,
            "{svg}"
        );
        assert!(!svg.contains("その他(VRS)"), "VRS once: {svg}");
        assert!(svg.contains("stroke-dasharray"), "system tied to the file");
        assert!(svg.contains("Noto Sans CJK JP"));
        assert!(svg.contains("システムがファイルを保有"));
        assert!(render(&g, "y/2", None).is_none());
        let all = render_all(&g, None);
        assert!(
            all.contains(">x/1</text>") && all.matches("<svg ").count() == 2,
            "{all}"
        );
    }
}
