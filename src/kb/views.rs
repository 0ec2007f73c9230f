//! Pictures of an evaluated knowledge base: the flow graph and the coverage
//! matrix, read off the relations of `queries/std.dl`. Shared by the
//! `graph` and `matrix` commands and by the REPL's `:graph`.

use crate::engine::table::{Table, Value};
use crate::output::dot::{Flow, FlowGraph, NodeKind};
use crate::output::matrix::{Inputs, Matrix};
use crate::session::Session;

/// A relation the view needs, or an error saying where it should come from.
fn need(session: &Session, rel: &str) -> Result<Table, String> {
    session.relation(rel).ok_or_else(|| {
        format!(
            "error: unknown relation `{rel}`: load queries/std.dl (the default without FILES) or define it\n"
        )
    })
}

fn text(row: &[Value], i: usize) -> String {
    row.get(i).map(|v| v.to_string()).unwrap_or_default()
}

/// The measure classes known to std.dl (`class` relation).
pub fn classes(session: &Session) -> Result<Vec<String>, String> {
    Ok(need(session, "class")?
        .rows
        .iter()
        .map(|r| text(r, 0))
        .collect())
}

/// The error for an assessment id that is not loaded: the ids that contain
/// what was typed (`札幌` finds `札幌市長/24`) as a suggestion, and every
/// known id, so the user can copy the right one.
pub fn unknown_assessment(typed: &str, ids: &[String]) -> String {
    let mut out = format!("error: unknown assessment `{typed}`\n");
    let near: Vec<&String> = ids
        .iter()
        .filter(|id| id.contains(typed) || typed.contains(id.as_str()))
        .collect();
    if !near.is_empty() {
        let near: Vec<&str> = near.iter().map(|s| s.as_str()).collect();
        out.push_str(&format!("  = help: did you mean {}?\n", near.join(" or ")));
    }
    if ids.is_empty() {
        out.push_str("  = note: no assessment is loaded (run `pialog import` first?)\n");
    } else {
        out.push_str(&format!(
            "  = note: known assessments: {}\n",
            ids.join(", ")
        ));
    }
    out
}

/// The flow graph of one assessment (or all), with the flows that lack the
/// measure class `lacking` marked.
pub fn flow_graph(
    session: &Session,
    assessment: Option<&str>,
    lacking: Option<&str>,
) -> Result<FlowGraph, String> {
    let flow = need(session, "flow")?;
    let keep = |a: &str| assessment.is_none_or(|x| x == a);
    let mut lacks = std::collections::HashSet::new();
    if let Some(class) = lacking {
        let known = classes(session)?;
        if !known.iter().any(|c| c == class) {
            return Err(format!(
                "error: unknown measure class `{class}`\n  = note: known classes: {}\n",
                known.join(", ")
            ));
        }
        for r in need(session, "flow_lacks")?.rows {
            if text(&r, 4) == class {
                lacks.insert((text(&r, 0), text(&r, 1), text(&r, 2), text(&r, 3)));
            }
        }
    }
    let mut graph = FlowGraph::new();
    graph.set_method_labels(method_labels(session));
    if let Some(a) = assessment {
        let mut ids: Vec<String> = session
            .relation("assessment")
            .map(|t| t.rows.iter().map(|r| text(r, 0)).collect())
            .unwrap_or_default();
        ids.extend(flow.rows.iter().map(|r| text(r, 0)));
        ids.sort();
        ids.dedup();
        if !ids.iter().any(|id| id == a) {
            return Err(unknown_assessment(a, &ids));
        }
    }
    for (rel, kind) in [("file", NodeKind::File), ("system", NodeKind::System)] {
        if let Some(t) = session.relation(rel) {
            for r in &t.rows {
                let a = text(r, 0);
                if keep(&a) {
                    graph.node(&a, &text(r, 1), kind);
                }
            }
        }
    }
    for r in &flow.rows {
        let a = text(r, 0);
        if !keep(&a) {
            continue;
        }
        let key = (a.clone(), text(r, 1), text(r, 2), text(r, 3));
        let lacking = lacks.contains(&key);
        graph.flow(
            &a,
            &key.1,
            &key.2,
            Flow {
                method: key.3.clone(),
                phase: text(r, 4),
                lacking,
            },
        );
    }
    Ok(graph)
}

/// Japanese labels of the method codes (std.dl's `method`), for edge
/// labels; empty when std.dl is not loaded (codes are shown then).
pub fn method_labels(session: &Session) -> std::collections::BTreeMap<String, String> {
    session
        .relation("method")
        .map(|t| t.rows.iter().map(|r| (text(r, 0), text(r, 1))).collect())
        .unwrap_or_default()
}

/// The coverage matrix of every loaded assessment.
pub fn matrix(session: &Session) -> Result<Matrix, String> {
    let assessment = need(session, "assessment")?;
    let phase = need(session, "phase")?;
    let class_label = need(session, "class_label")?;
    let assessed_phase = need(session, "assessed_phase")?;
    let measure_phase = need(session, "measure_phase")?;
    let measure_class = need(session, "measure_class")?;
    // Absent from an older std.dl: then no cell is unknown.
    let phase_unknown = session.relation("phase_unknown");
    Ok(Matrix::build(&Inputs {
        assessment: &assessment,
        phase: &phase,
        class_label: &class_label,
        assessed_phase: &assessed_phase,
        measure_phase: &measure_phase,
        measure_class: &measure_class,
        phase_unknown: phase_unknown.as_ref(),
        phase_order: &super::PHASES,
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unknown_assessment_lists_the_known_ids() {
        let ids = vec!["札幌市長/24".to_string(), "焼津市長/26".to_string()];
        let e = super::unknown_assessment("札幌", &ids);
        assert!(e.starts_with("error: unknown assessment `札幌`\n"), "{e}");
        assert!(e.contains("did you mean 札幌市長/24?"), "{e}");
        assert!(
            e.contains("known assessments: 札幌市長/24, 焼津市長/26"),
            "{e}"
        );
        assert!(!super::unknown_assessment("x", &ids).contains("did you mean"));
    }
}
