//! Flow graphs as Graphviz DOT and Mermaid text (`pialog graph`, `:graph`).
//!
//! Nodes are the file, its systems, sources, vendors and recipients of one
//! assessment; edges are `flow` rows labelled with the method. A flow that
//! lacks the measure class the user asked about is drawn red, so a reviewer
//! sees the gap before reading a table. The graph is a petgraph `DiGraph`
//! whose nodes are keyed by (assessment, name), so two assessments that both
//! acquire from 本人又は代理人 do not share a node; each assessment is drawn as
//! its own cluster.

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What a node stands for; decides its shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// The specific personal information file.
    File,
    /// A system of the assessment.
    System,
    /// Anything else: a source, a vendor, a recipient, an outside system.
    Party,
}

/// One node of the flow graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The assessment the node belongs to.
    pub assessment: String,
    /// The name shown.
    pub name: String,
    /// What it is.
    pub kind: NodeKind,
}

/// One movement of the file (a `flow` row) and whether it lacks the class.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    /// Method code (`media`, `email`, …).
    pub method: String,
    /// Phase code.
    pub phase: String,
    /// True when the flow lacks the chosen measure class (drawn red).
    pub lacking: bool,
}

/// The flow graph of one or more assessments.
#[derive(Debug, Default)]
pub struct FlowGraph {
    graph: DiGraph<Node, Flow>,
    index: BTreeMap<(String, String), NodeIndex>,
    /// Japanese labels of method codes (`paper` → 紙), for edge labels.
    methods: BTreeMap<String, String>,
}

/// The flows between one pair of nodes drawn as one edge: the methods'
/// labels joined (`紙・電子記録媒体`). Methods that lack the chosen class
/// and those that do not are kept on two edges, so red stays exact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// Index of the node the file leaves.
    pub from: usize,
    /// Index of the node it reaches.
    pub to: usize,
    /// The methods, as labels, in order of first appearance.
    pub label: String,
    /// These methods lack the chosen measure class.
    pub lacking: bool,
}

/// What the line styles mean, for the legend under a picture.
pub const LEGEND: &str = "凡例: 矢印 = 特定個人情報の流れ (方法)、赤 = 指定した措置のない流れ、点線 = システムがファイルを保有";

impl FlowGraph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or finds) a node; a later call with a more specific kind than
    /// `Party` upgrades it.
    pub fn node(&mut self, assessment: &str, name: &str, kind: NodeKind) -> NodeIndex {
        let key = (assessment.to_string(), name.to_string());
        if let Some(&ix) = self.index.get(&key) {
            if kind != NodeKind::Party {
                self.graph[ix].kind = kind;
            }
            return ix;
        }
        let ix = self.graph.add_node(Node {
            assessment: assessment.to_string(),
            name: name.to_string(),
            kind,
        });
        self.index.insert(key, ix);
        ix
    }

    /// The name a flow end is drawn under: a source written `その他(X)`
    /// where X is already a node (a system, the file) is that node, so
    /// VRS appears once and not as a box and an ellipse.
    fn canonical<'n>(&self, assessment: &str, name: &'n str) -> &'n str {
        let inner = name
            .strip_prefix("その他(")
            .or_else(|| name.strip_prefix("その他（"))
            .and_then(|r| r.strip_suffix(')').or_else(|| r.strip_suffix('）')));
        match inner {
            Some(i)
                if self
                    .index
                    .contains_key(&(assessment.to_string(), i.to_string())) =>
            {
                i
            }
            _ => name,
        }
    }

    /// Adds one flow; parallel flows with the same method and phase merge
    /// (lacking if any of them lacks).
    pub fn flow(&mut self, assessment: &str, from: &str, to: &str, flow: Flow) {
        let (from, to) = (
            self.canonical(assessment, from),
            self.canonical(assessment, to),
        );
        let a = self.node(assessment, from, NodeKind::Party);
        let b = self.node(assessment, to, NodeKind::Party);
        let same = self
            .graph
            .edges_connecting(a, b)
            .find(|e| e.weight().method == flow.method && e.weight().phase == flow.phase)
            .map(|e| e.id());
        match same {
            Some(e) => self.graph[e].lacking |= flow.lacking,
            None => {
                self.graph.add_edge(a, b, flow);
            }
        }
    }

    /// Sets the labels edges show for method codes (std.dl's `method`).
    pub fn set_method_labels(&mut self, labels: BTreeMap<String, String>) {
        self.methods = labels;
    }

    /// The flows grouped into one edge per pair of nodes (and lackingness).
    pub fn edges(&self) -> Vec<Edge> {
        let mut out: Vec<Edge> = Vec::new();
        let mut seen: BTreeMap<(usize, usize, bool), usize> = BTreeMap::new();
        for e in self.graph.edge_references() {
            let f = e.weight();
            let key = (e.source().index(), e.target().index(), f.lacking);
            let label = self.methods.get(&f.method).unwrap_or(&f.method);
            match seen.get(&key) {
                Some(&i) => {
                    let edge = &mut out[i];
                    if !edge.label.split('・').any(|l| l == label) {
                        edge.label.push('・');
                        edge.label.push_str(label);
                    }
                }
                None => {
                    seen.insert(key, out.len());
                    out.push(Edge {
                        from: key.0,
                        to: key.1,
                        label: label.clone(),
                        lacking: f.lacking,
                    });
                }
            }
        }
        out
    }

    /// (system, file) index pairs of each assessment: a system holds the
    /// file of its assessment, drawn as a dashed tie.
    pub fn holds(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for nodes in self.clusters().values() {
            let of = |k: NodeKind| nodes.iter().filter(move |ix| self.graph[**ix].kind == k);
            for s in of(NodeKind::System) {
                for f in of(NodeKind::File) {
                    out.push((s.index(), f.index()));
                }
            }
        }
        out
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The assessments drawn, in order.
    pub fn assessments(&self) -> Vec<&str> {
        self.clusters().into_keys().collect()
    }

    /// The nodes of one assessment with their indices.
    pub fn nodes_of(&self, assessment: &str) -> Vec<(usize, &Node)> {
        self.clusters()
            .get(assessment)
            .map(|ixs| {
                ixs.iter()
                    .map(|&ix| (ix.index(), &self.graph[ix]))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every flow as (from index, to index, flow).
    pub fn flows(&self) -> Vec<(usize, usize, &Flow)> {
        self.graph
            .edge_references()
            .map(|e| (e.source().index(), e.target().index(), e.weight()))
            .collect()
    }

    /// Nodes grouped by assessment, in a stable order.
    fn clusters(&self) -> BTreeMap<&str, Vec<NodeIndex>> {
        let mut out: BTreeMap<&str, Vec<NodeIndex>> = BTreeMap::new();
        for (_, &ix) in self.index.iter() {
            out.entry(self.graph[ix].assessment.as_str())
                .or_default()
                .push(ix);
        }
        out
    }

    /// Graphviz DOT text.
    pub fn to_dot(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "digraph flows {{");
        let _ = writeln!(s, "  rankdir=LR;");
        let _ = writeln!(
            s,
            "  node [fontname=\"Noto Sans CJK JP, sans-serif\"]; edge [fontname=\"Noto Sans CJK JP, sans-serif\"];"
        );
        for (i, (assessment, nodes)) in self.clusters().into_iter().enumerate() {
            let _ = writeln!(s, "  subgraph cluster_{i} {{");
            let _ = writeln!(s, "    label={};", dot_quote(assessment));
            for ix in nodes {
                let node = &self.graph[ix];
                let shape = match node.kind {
                    NodeKind::File => "note",
                    NodeKind::System => "box3d",
                    NodeKind::Party => "ellipse",
                };
                let _ = writeln!(
                    s,
                    "    n{} [label={}, shape={shape}];",
                    ix.index(),
                    dot_quote(&node.name)
                );
            }
            let _ = writeln!(s, "  }}");
        }
        for (sys, file) in self.holds() {
            let _ = writeln!(
                s,
                "  n{sys} -> n{file} [style=dashed, arrowhead=none, color=gray];"
            );
        }
        for e in self.edges() {
            let colour = if e.lacking {
                ", color=red, fontcolor=red, penwidth=2"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "  n{} -> n{} [label={}{colour}];",
                e.from,
                e.to,
                dot_quote(&e.label)
            );
        }
        let _ = writeln!(s, "  label={}; labelloc=b;", dot_quote(LEGEND));
        let _ = writeln!(s, "}}");
        s
    }

    /// Mermaid `flowchart` text (renders in GitHub and GitLab markdown).
    pub fn to_mermaid(&self) -> String {
        let mut s = String::from("flowchart LR\n");
        for (i, (assessment, nodes)) in self.clusters().into_iter().enumerate() {
            let _ = writeln!(s, "  subgraph c{i}[{}]", mermaid_quote(assessment));
            for ix in nodes {
                let node = &self.graph[ix];
                let label = mermaid_quote(&node.name);
                let _ = match node.kind {
                    NodeKind::File => writeln!(s, "    n{}[/{label}/]", ix.index()),
                    NodeKind::System => writeln!(s, "    n{}[[{label}]]", ix.index()),
                    NodeKind::Party => writeln!(s, "    n{}({label})", ix.index()),
                };
            }
            let _ = writeln!(s, "  end");
        }
        let mut red = Vec::new();
        let mut k = 0;
        for (sys, file) in self.holds() {
            let _ = writeln!(s, "  n{sys} -.- n{file}");
            k += 1;
        }
        for e in self.edges() {
            let _ = writeln!(
                s,
                "  n{} -->|{}| n{}",
                e.from,
                mermaid_quote(&e.label),
                e.to
            );
            if e.lacking {
                red.push(k.to_string());
            }
            k += 1;
        }
        if !red.is_empty() {
            let _ = writeln!(
                s,
                "  linkStyle {} stroke:red,stroke-width:2px",
                red.join(",")
            );
        }
        s
    }
}

/// A DOT string literal.
fn dot_quote(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            _ => s.push(c),
        }
    }
    s.push('"');
    s
}

/// A Mermaid label: quoted, with the characters Mermaid cannot take inside
/// quotes written as entities.
fn mermaid_quote(text: &str) -> String {
    let escaped = text
        .replace('"', "#quot;")
        .replace('|', "#124;")
        .replace('\n', " ");
    format!("\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FlowGraph {
        let mut g = FlowGraph::new();
        g.node("A/1", "予防接種ファイル", NodeKind::File);
        g.flow(
            "A/1",
            "本人又は代理人",
            "予防接種ファイル",
            Flow {
                method: "paper".into(),
                phase: "acquisition".into(),
                lacking: false,
            },
        );
        g.flow(
            "A/1",
            "予防接種ファイル",
            "業者\"X\"",
            Flow {
                method: "media".into(),
                phase: "entrustment".into(),
                lacking: true,
            },
        );
        g
    }

    #[test]
    fn dot_marks_lacking_flows_red() {
        let dot = sample().to_dot();
        assert!(dot.starts_with("digraph flows {"));
        assert!(dot.contains("label=\"A/1\""));
        assert!(dot.contains("shape=note"));
        assert!(dot.contains("label=\"業者\\\"X\\\"\""));
        let red: Vec<&str> = dot.lines().filter(|l| l.contains("color=red")).collect();
        assert_eq!(red.len(), 1);
        assert!(red[0].contains("label=\"media\""), "codes without labels");
    }

    #[test]
    fn methods_of_one_pair_share_one_japanese_edge_and_systems_hold_the_file() {
        let mut g = sample();
        g.node("A/1", "VRS", NodeKind::System);
        for (m, lacking) in [("paper", false), ("media", false), ("email", true)] {
            g.flow(
                "A/1",
                "本人又は代理人",
                "予防接種ファイル",
                Flow {
                    method: m.into(),
                    phase: "acquisition".into(),
                    lacking,
                },
            );
        }
        g.set_method_labels(
            [
                ("paper", "紙"),
                ("media", "電子記録媒体"),
                ("email", "電子メール"),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        );
        let dot = g.to_dot();
        assert!(dot.contains("[label=\"紙・電子記録媒体\"];"), "{dot}");
        assert!(dot.contains("[label=\"電子メール\", color=red"), "{dot}");
        assert!(dot.contains("style=dashed"), "VRS holds the file: {dot}");
        assert!(dot.contains("凡例"), "{dot}");
        assert_eq!(g.edges().len(), 3);
    }

    #[test]
    fn mermaid_styles_lacking_links() {
        let m = sample().to_mermaid();
        assert!(m.starts_with("flowchart LR\n"));
        assert!(m.contains("linkStyle 1 stroke:red"), "{m}");
        assert!(m.contains("#quot;X#quot;"));
    }
}
