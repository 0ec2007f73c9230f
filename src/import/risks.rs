//! Part III (risk blocks per phase) and IV (audit, training, other
//! measures): risk, adequacy, measure, choice.

use super::Ctx;
use super::choice::{self, Group, Select};
use super::doc::{Field, RiskHead};
use super::facts::s;
use super::form::{self, Part, Sub, label};
use super::text::bullets;
use std::collections::{HashMap, HashSet};

/// Reads risks, ratings, measures and the other choices.
pub fn read(cx: &mut Ctx) {
    let doc = cx.doc;
    let mut skipped: HashSet<Sub> = HashSet::new();
    // Phase switches ("[ ○ ] 提供・移転しない") on the subsection heading.
    for f in doc
        .fields
        .iter()
        .filter(|f| in_risks(f) && f.label.is_empty() && f.place.risk.is_none())
    {
        let Some(phase) = form::phase_of(f.place.sub) else {
            continue;
        };
        for hit in choice::scan(&f.text(), form::PHASE_SWITCHES) {
            if hit.mark == Some(true) {
                cx.sink
                    .add("choice", vec![s(phase), s(hit.code), s("yes")], f.line);
                if hit.code == "not-applicable" {
                    skipped.insert(f.place.sub);
                }
            }
        }
    }
    basic_form_ratings(cx, &skipped);
    let mut measure_counts: HashMap<String, usize> = HashMap::new();
    let mut written: HashSet<String> = HashSet::new();
    let mut rated: HashSet<String> = HashSet::new();
    for (sub, head) in &doc.risks {
        if skipped.contains(sub) {
            continue;
        }
        let Some(id) = risk_id(*sub, head) else {
            continue;
        };
        if head.n.is_some() {
            let phase = id.split('/').next().unwrap_or("other").to_string();
            cx.sink
                .add("risk", vec![s(&id), s(phase), s(&head.title)], head.line);
            written.insert(id);
        }
    }
    for f in doc
        .fields
        .iter()
        .filter(|f| !in_risks(f) && f.label == label::ADEQUACY && f.place.part != Part::Front)
    {
        let line = f.lines.first().map_or(f.line, |(no, _)| *no);
        cx.sink.warn(
            line,
            "リスクへの対策は十分か outside part III (cells out of reading order); not attributed",
        );
    }
    for f in doc.fields.iter().filter(|f| in_risks(f)) {
        if skipped.contains(&f.place.sub) {
            continue;
        }
        let line = f.lines.first().map_or(f.line, |(no, _)| *no);
        if let Some((item, home)) = choice_item(&f.label) {
            if f.text().is_empty() {
                continue;
            }
            if let Some(block) = scope_of(f).filter(|b| b != home && !b.starts_with("other/")) {
                cx.sink.warn(
                    line,
                    format!("{}: printed inside {block} (cells out of reading order); attributed to {home}, where the form places it", f.label),
                );
            }
            match choice::select(&f.text(), form::ANSWER_OPTIONS) {
                Select::Value(v) => cx.sink.add("choice", vec![s(home), s(item), s(v)], line),
                _ => cx.sink.warn(
                    line,
                    format!(
                        "{home} {}: the chosen value cannot be told; no fact written",
                        f.label
                    ),
                ),
            }
            continue;
        }
        let Some(scope) = scope_of(f) else {
            if f.label == label::ADEQUACY {
                cx.sink.warn(line, "リスクへの対策は十分か outside any risk block (cells out of reading order); not attributed");
            }
            continue;
        };
        if f.label == label::ADEQUACY {
            if !rated.insert(scope.clone()) {
                cx.sink.warn(line, format!("{scope}: a second リスクへの対策は十分か in one risk block (cells out of reading order); not attributed"));
                continue;
            }
            match choice::select(&f.text(), form::ADEQUACY_OPTIONS) {
                Select::Value(v) => cx.sink.add("adequacy", vec![s(&scope), s(v)], line),
                Select::Ambiguous => cx.sink.warn(line, format!("{scope} リスクへの対策は十分か: several ratings are marked; none written")),
                Select::Unreadable => cx.sink.warn(line, format!("{scope} リスクへの対策は十分か: the rating cannot be told (marks lost or left empty); none written")),
            }
            continue;
        }
        if f.label == label::AUDIT_DONE && f.place.sub == Sub::Audit {
            audit_group(cx, f);
            continue;
        }
        if is_measure_field(f) {
            let rows = bullets(&f.lines, cx.pdf);
            if rows.is_empty() {
                continue;
            }
            if !written.contains(&scope) {
                let (phase, title) = block_title(f);
                cx.sink.add(
                    "risk",
                    vec![s(&scope), s(phase), s(title)],
                    f.place.risk.as_ref().map_or(f.line, |r| r.line),
                );
                written.insert(scope.clone());
            }
            for (no, text) in rows {
                let k = measure_counts.entry(scope.clone()).or_insert(0);
                *k += 1;
                let m = format!("{scope}#{k}");
                cx.sink.add("measure", vec![s(&scope), s(m), s(text)], no);
            }
        }
    }
}

fn in_risks(f: &Field) -> bool {
    matches!(f.place.part, Part::Risks | Part::OtherRisks) || f.place.risk.is_some()
}

fn risk_id(sub: Sub, head: &RiskHead) -> Option<String> {
    let phase = if head.phase.is_empty() {
        form::phase_of(sub)?
    } else {
        head.phase
    };
    Some(match head.n {
        Some(n) => format!("{phase}/{n}"),
        None => format!("{phase}/other"),
    })
}

/// The risk id (or IV block) a field belongs to.
fn scope_of(f: &Field) -> Option<String> {
    match (&f.place.risk, f.place.sub) {
        (_, Sub::Audit) => Some("other/audit".to_string()),
        (_, Sub::Training) => Some("other/training".to_string()),
        (_, Sub::OtherMeasures) => Some("other/other".to_string()),
        (Some(head), sub) => risk_id(sub, head),
        (None, _) => None,
    }
}

fn block_title(f: &Field) -> (&'static str, String) {
    match (f.place.sub, &f.place.risk) {
        (Sub::Audit, _) => ("other", "監査".to_string()),
        (Sub::Training, _) => ("other", "従業者に対する教育・啓発".to_string()),
        (Sub::OtherMeasures, _) => ("other", "その他のリスク対策".to_string()),
        (sub, Some(head)) if head.phase.is_empty() => {
            (form::phase_of(sub).unwrap_or("other"), head.title.clone())
        }
        (_, Some(head)) => (head.phase, head.title.clone()),
        (sub, None) => (form::phase_of(sub).unwrap_or("other"), String::new()),
    }
}

fn choice_item(label: &str) -> Option<(&'static str, &'static str)> {
    if label.is_empty() {
        return None;
    }
    let table = form::CHOICE_ITEMS;
    if let Some((_, v)) = table.iter().find(|(k, _)| *k == label) {
        return Some(*v);
    }
    // A label cut by a PDF line wrap ("安全管理体制・規程の職"): the one
    // label of the form that it begins.
    let truncated: Vec<_> = table
        .iter()
        .filter(|(k, _)| label.chars().count() >= 5 && k.starts_with(label))
        .collect();
    if let [(_, v)] = truncated.as_slice() {
        return Some(*v);
    }
    table
        .iter()
        .filter(|(k, _)| label.contains(k) && k.chars().count() > 4)
        .max_by_key(|(k, _)| k.len())
        .map(|(_, v)| *v)
}

fn is_measure_field(f: &Field) -> bool {
    if f.label.is_empty() {
        // Text under その他のリスク, or the IV その他のリスク対策 block.
        return f.place.risk.as_ref().is_some_and(|r| r.n.is_none())
            || f.place.sub == Sub::OtherMeasures;
    }
    !form::NOT_MEASURE_LABELS.contains(&f.label.as_str())
        && form::MEASURE_LABEL_ENDINGS
            .iter()
            .any(|e| f.label.ends_with(e))
}

fn audit_group(cx: &mut Ctx, f: &Field) {
    let line = f.lines.first().map_or(f.line, |(no, _)| *no);
    match choice::group(&f.text(), form::AUDIT_OPTIONS) {
        Group::Selected(selected) => {
            for hit in choice::scan(&f.text(), form::AUDIT_OPTIONS) {
                let value = if selected.iter().any(|h| h.code == hit.code) {
                    "yes"
                } else {
                    "no"
                };
                cx.sink.add("choice", vec![s("audit"), s(hit.code), s(value)], line);
            }
        }
        _ => cx.sink.warn(line, "監査 実施の有無: no box is marked (自己点検 / 内部監査 / 外部監査 marks lost in conversion); nothing written"),
    }
}

/// The basic form (基礎項目評価書) has no risk headers: each risk is a line
/// "<title>への対策は十分か [ rating ]". The title names the risk; its phase
/// is the subsection's (or the form's, for a standard title), numbered in
/// order within the phase.
fn basic_form_ratings(cx: &mut Ctx, skipped: &HashSet<Sub>) {
    let doc = cx.doc;
    let suffix = "への対策は十分か";
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    for f in doc.fields.iter().filter(|f| {
        in_risks(f)
            && f.place.risk.is_none()
            && f.label.len() > label::ADEQUACY.len()
            && f.label.ends_with(label::ADEQUACY)
            && !skipped.contains(&f.place.sub)
    }) {
        let title = f.label.trim_end_matches(suffix).to_string();
        let standard: Vec<&str> = form::STANDARD_RISKS
            .iter()
            .filter(|(_, t)| *t == title)
            .map(|(p, _)| *p)
            .collect();
        let phase = match (form::phase_of(f.place.sub), standard.as_slice()) {
            (Some(p), _) => p,
            (None, [one]) => one,
            _ => "other",
        };
        let n = counts.entry(phase).or_insert(0);
        *n += 1;
        let id = format!("{phase}/{n}");
        let line = f.lines.first().map_or(f.line, |(no, _)| *no);
        cx.sink
            .add("risk", vec![s(&id), s(phase), s(&title)], f.line);
        match choice::select(&f.text(), form::ADEQUACY_OPTIONS) {
            Select::Value(v) => cx.sink.add("adequacy", vec![s(&id), s(v)], line),
            _ => cx.sink.warn(
                line,
                format!("{id} {}: the rating cannot be told; none written", f.label),
            ),
        }
    }
}
