//! Part III (risk blocks per phase) and IV (audit, training, other
//! measures): risk, adequacy, measure, choice.

use super::Ctx;
use super::choice::{self, Group, Select};
use super::doc::{Field, RiskHead};
use super::facts::s;
use super::form::{self, Part, Sub, label};
use super::placing::{Placer, choice_item};
use super::template;
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
    let fields: Vec<&Field> = doc
        .fields
        .iter()
        .filter(|f| in_risks(f) && !skipped.contains(&f.place.sub))
        .collect();
    let blocks = fields.iter().map(|f| scope_of(f)).collect();
    let heads: Vec<(usize, String)> = doc
        .risks
        .iter()
        .filter(|(sub, _)| !skipped.contains(sub))
        .filter_map(|(sub, h)| risk_id(*sub, h).map(|id| (h.line, id)))
        .collect();
    let mut placer = Placer::new(fields, blocks, heads, cx.pdf);
    for i in 0..placer.fields().len() {
        let f = placer.fields()[i];
        let line = f.lines.first().map_or(f.line, |(no, _)| *no);
        if let Some((item, home)) = choice_item(&f.label) {
            if f.text().is_empty() {
                continue;
            }
            if let Some(block) = placer
                .block(i)
                .filter(|b| *b != home && !b.starts_with("other/"))
            {
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
        if f.label == label::ADEQUACY {
            let Some(scope) = placer.rating_scope(i) else {
                let at = placer
                    .block(i)
                    .map_or_else(String::new, |b| format!(" in {b}"));
                cx.sink.warn(line, format!("リスクへの対策は十分か{at}: no risk of the form is left for this rating (cells out of reading order, or a block the form does not rate); not attributed"));
                continue;
            };
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
            let Some(scope) = placer.measure_scope(i) else {
                cx.sink.warn(line, format!("{}: the form prints this field under several risks and its place does not tell which (cells out of reading order); {} measure(s) not attributed", f.label, rows.len()));
                continue;
            };
            if !written.contains(&scope) {
                let (phase, title) = title_of(&scope, f, &doc.risks);
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

/// The phase and title of a risk: its header's when the document has one,
/// else the form's standard title, else the block's.
fn title_of(scope: &str, f: &Field, risks: &[(Sub, RiskHead)]) -> (&'static str, String) {
    if let Some(title) = template::other_block_title(scope) {
        return ("other", title.to_string());
    }
    if let Some((sub, head)) = risks
        .iter()
        .find(|(sub, h)| risk_id(*sub, h).as_deref() == Some(scope))
    {
        let phase = if head.phase.is_empty() {
            form::phase_of(*sub).unwrap_or("other")
        } else {
            head.phase
        };
        return (phase, head.title.clone());
    }
    let standard = scope.split_once('/').and_then(|(phase, n)| {
        let n: usize = n.parse().ok()?;
        template::RISK_TITLES
            .iter()
            .find(|(p, _)| *p == phase)
            .and_then(|(p, titles)| titles.get(n.checked_sub(1)?).map(|t| (*p, t.to_string())))
    });
    standard.unwrap_or_else(|| block_title(f))
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
    let iv = |id: &str| {
        (
            "other",
            template::other_block_title(id)
                .unwrap_or_default()
                .to_string(),
        )
    };
    match (f.place.sub, &f.place.risk) {
        (Sub::Audit, _) => iv("other/audit"),
        (Sub::Training, _) => iv("other/training"),
        (Sub::OtherMeasures, _) => iv("other/other"),
        (sub, Some(head)) if head.phase.is_empty() => {
            (form::phase_of(sub).unwrap_or("other"), head.title.clone())
        }
        (_, Some(head)) => (head.phase, head.title.clone()),
        (sub, None) => (form::phase_of(sub).unwrap_or("other"), String::new()),
    }
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
/// `<title>への対策は十分か [ rating ]`. The title names the risk; its phase
/// is the subsection's (or the form's, for a standard title), numbered in
/// order within the phase.
fn basic_form_ratings(cx: &mut Ctx, skipped: &HashSet<Sub>) {
    let doc = cx.doc;
    let suffix = form::ADEQUACY_SUFFIX;
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    for f in doc.fields.iter().filter(|f| {
        in_risks(f)
            && f.place.risk.is_none()
            && f.label.len() > label::ADEQUACY.len()
            && f.label.ends_with(label::ADEQUACY)
            && !skipped.contains(&f.place.sub)
    }) {
        let title = f.label.trim_end_matches(suffix).to_string();
        let standard = template::phases_of_title(&title);
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
