//! One line of figures per assessment of an evaluated knowledge base: who
//! made it, on which form and when, how many risks it rates and how many of
//! them weakly, how many measure classes its peers have and it lacks, and
//! how much of the document the importer could not read. It heads `pialog
//! check` and the HTML report, so an analyst sees at once where to look.

use crate::engine::table::{Table, Value};
use crate::session::Session;
use std::collections::BTreeMap;

pub use crate::output::report::Overview;

fn text(row: &[Value], i: usize) -> String {
    row.get(i).map(|v| v.to_string()).unwrap_or_default()
}

/// How many rows each assessment (column 0) has in `rel`.
fn counts(session: &Session, rel: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    if let Some(t) = session.relation(rel) {
        for r in &t.rows {
            *out.entry(text(r, 0)).or_insert(0) += 1;
        }
    }
    out
}

/// The first value of column `col` per assessment in `rel`.
fn first(session: &Session, rel: &str, col: usize) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(t) = session.relation(rel) {
        for r in &t.rows {
            out.entry(text(r, 0)).or_insert_with(|| text(r, col));
        }
    }
    out
}

/// The figures of every assessment, in id order; empty when the session
/// has no `assessment` relation (a script run with `--no-kb`).
pub fn overview(session: &Session) -> Vec<Overview> {
    let Some(assessments) = session.relation("assessment") else {
        return Vec::new();
    };
    let forms = first(session, "form", 1);
    let dates = first(session, "published", 1);
    let affairs = first(session, "affair", 1);
    let risks = counts(session, "risk");
    let weak = counts(session, "weak_risk");
    let gaps = counts(session, "risk_lacks");
    let unread = counts(session, "unread");
    let get = |m: &BTreeMap<String, usize>, id: &str| m.get(id).copied().unwrap_or(0);
    let mut out: Vec<Overview> = assessments
        .rows
        .iter()
        .map(|r| {
            let id = text(r, 0);
            Overview {
                body: text(r, 1),
                title: affairs.get(&id).cloned().unwrap_or_else(|| text(r, 3)),
                form: forms.get(&id).cloned().unwrap_or_default(),
                date: dates.get(&id).cloned().unwrap_or_default(),
                risks: get(&risks, &id),
                weak: get(&weak, &id),
                gaps: get(&gaps, &id),
                unread: get(&unread, &id),
                id,
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// The figures as a table (for the terminal and every output mode).
pub fn to_table(rows: &[Overview]) -> Table {
    use crate::engine::table::ColumnType::{Number, Symbol};
    let columns = [
        "assessment",
        "body",
        "form",
        "date",
        "risks",
        "weak",
        "gaps",
        "unread",
    ];
    Table {
        name: "overview".into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        types: vec![
            Symbol, Symbol, Symbol, Symbol, Number, Number, Number, Number,
        ],
        rows: rows
            .iter()
            .map(|o| {
                let n = |x: usize| Value::Number(i64::try_from(x).unwrap_or(i64::MAX));
                let or_dash = |s: &str| Value::Symbol(if s.is_empty() { "-" } else { s }.into());
                vec![
                    Value::Symbol(o.id.clone()),
                    Value::Symbol(o.body.clone()),
                    or_dash(&o.form),
                    or_dash(&o.date),
                    n(o.risks),
                    n(o.weak),
                    n(o.gaps),
                    n(o.unread),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_assessment() {
        let mut s = Session::new();
        s.load_source(
            "kb.dl",
            r#"
            .decl assessment(a: symbol, org: symbol, number: symbol, title: symbol, kind: symbol)
            .decl published(a: symbol, date: symbol)
            .decl risk(a: symbol, r: symbol, phase: symbol, title: symbol)
            .decl weak_risk(a: symbol, r: symbol, phase: symbol, title: symbol, rating: symbol)
            assessment("x/1", "X市長", "1", "予防接種", "full").
            assessment("y/2", "Y町長", "2", "住基", "full").
            published("x/1", "2024-04-01").
            risk("x/1", "r1", "use", "t"). risk("x/1", "r2", "use", "t").
            weak_risk("x/1", "r2", "use", "t", "weak").
            "#,
        )
        .expect("loads");
        s.evaluate().expect("evaluates");
        let o = overview(&s);
        assert_eq!(o.len(), 2);
        assert_eq!(
            (o[0].id.as_str(), o[0].risks, o[0].weak, o[0].date.as_str()),
            ("x/1", 2, 1, "2024-04-01")
        );
        assert_eq!((o[1].risks, o[1].gaps, o[1].form.as_str()), (0, 0, ""));
        let t = to_table(&o);
        assert_eq!(t.rows[1][2], Value::Symbol("-".into()));
    }
}
