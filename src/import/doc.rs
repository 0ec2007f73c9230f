//! The document as a sequence of labelled fields in their place in the form.
//!
//! Whatever the layout, the form is a list of parts (I, II, III …), numbered
//! subsections, numbered items (システム1, 委託事項2, 提供先1), risk blocks and
//! `label  value` fields. This module walks the normalised lines once and
//! gives every field its context, so that the section readers only look up
//! the fields they need (no reader scans the whole document per value).

use super::form::{self, ItemKind, Part, Sub};
use super::normalize::{CONTROL, Line, SELECTED, UNMARKED, circled_number, is_circled};
use super::template;

/// Where a field sits in the form.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// Top-level part.
    pub part: Part,
    /// Numbered subsection of the part.
    pub sub: Sub,
    /// Numbered item (システムN …) if inside one.
    pub item: Option<Item>,
    /// Risk block if inside one.
    pub risk: Option<RiskHead>,
}

/// A numbered item header (システム1, 委託事項2 …).
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Which kind.
    pub kind: ItemKind,
    /// Its number.
    pub n: usize,
    /// Words after the header on the same line (the task, the recipient).
    pub text: String,
    /// Line of the header.
    pub line: usize,
}

/// A risk header (リスク2: … / その他のリスク …).
#[derive(Clone, Debug, PartialEq)]
pub struct RiskHead {
    /// `None` for the その他のリスク block of a phase.
    pub n: Option<usize>,
    /// The title.
    pub title: String,
    /// Line of the header.
    pub line: usize,
    /// The phase code, from the subsection or, when the risk's title is one
    /// of the form's standard titles of another phase (cells out of reading
    /// order), from the title.
    pub phase: &'static str,
}

/// One `label value` field with the lines that belong to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Where it is.
    pub place: Place,
    /// The label without circled number and ※ ("" for text under a header).
    pub label: String,
    /// Line of the label.
    pub line: usize,
    /// Value lines: (original line, text with items separated by '\n').
    pub lines: Vec<(usize, String)>,
}

impl Field {
    /// The whole value as one string of prose.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (_, t) in &self.lines {
            super::normalize::push_joined(&mut out, &t.replace('\n', " "));
        }
        out
    }
}

/// The structure of a document.
#[derive(Debug, Default)]
pub struct Doc {
    /// Fields in document order.
    pub fields: Vec<Field>,
    /// Item headers in document order.
    pub items: Vec<(Place, Item)>,
    /// Risk headers in document order, with their subsection.
    pub risks: Vec<(Sub, RiskHead)>,
    /// Whether any part heading was seen.
    pub has_parts: bool,
    /// First line of the change list (after its column header), if any.
    pub change_list: Option<usize>,
}

impl Doc {
    /// The headers of the items of one kind in one part, in document order:
    /// every reader that places fields by item starts from them.
    pub fn item_heads(&self, part: Part, kind: ItemKind) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(move |(p, i)| p.part == part && i.kind == kind)
            .map(|(_, i)| i)
    }
}

/// Every label of the form a PDF line wrap can cut: the known labels, the
/// risk fields of [`template`] and the choice items.
fn wrappable_labels() -> impl Iterator<Item = &'static str> {
    form::FIELD_LABELS
        .iter()
        .copied()
        .chain(template::MEASURE_HOMES.iter().map(|(l, _)| *l))
        .chain(template::DETAIL_LABELS.iter().copied())
        .chain(form::CHOICE_ITEMS.iter().map(|(l, _)| *l))
}

/// True for a line the form prints as a label (after its circled number).
fn is_form_label(text: &str) -> bool {
    let t = clean_label(text);
    wrappable_labels().any(|l| l == t)
}

/// PDF text cuts long labels over lines ("入手の際の本人確認の措置" /
/// "の内容"). Where a line is not a label but it and the lines right after
/// it spell one of the form's labels, the first line gets the whole label
/// and the others become blank, so that every line keeps its number.
pub fn join_wrapped_labels(lines: &[Line]) -> Vec<Line> {
    const MAX_PARTS: usize = 4;
    let mut out: Vec<Line> = lines.to_vec();
    let mut i = 0;
    while i < out.len() {
        let first = out[i].flat();
        let head = clean_label(&first);
        let starts_label = out[i].filled().len() == 1
            && head.chars().count() >= 4
            && !is_form_label(&first)
            && wrappable_labels().any(|l| l.len() > head.len() && l.starts_with(head.as_str()));
        if !starts_label {
            i += 1;
            continue;
        }
        let mut joined = head.clone();
        let mut found = None;
        for k in 1..MAX_PARTS {
            let Some(next) = out.get(i + k).filter(|l| l.filled().len() == 1) else {
                break;
            };
            joined.push_str(next.flat().trim());
            joined = clean_label(&joined);
            if wrappable_labels().any(|l| l == joined) {
                found = Some(k);
                break;
            }
            if !wrappable_labels().any(|l| l.starts_with(joined.as_str())) {
                break;
            }
        }
        match found {
            Some(k) => {
                out[i].cells = vec![joined];
                for line in &mut out[i + 1..=i + k] {
                    line.cells = vec![String::new()];
                }
                i += k + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// Walks the lines once and builds the field list.
pub fn build(lines: &[Line]) -> Doc {
    let joined = join_wrapped_labels(lines);
    let lines = joined.as_slice();
    let mut doc = Doc::default();
    let mut place = Place {
        part: Part::Front,
        sub: Sub::None,
        item: None,
        risk: None,
    };
    let mut current: Option<Field> = None;
    let mut inferred: Option<&'static str> = None;
    let flush = |doc: &mut Doc, current: &mut Option<Field>| {
        if let Some(f) = current.take()
            && (!f.label.is_empty() || !f.lines.is_empty())
        {
            doc.fields.push(f);
        }
    };
    for line in lines {
        if line.is_blank() {
            continue;
        }
        let flat = line.flat();
        if doc.change_list.is_none() && form::is_change_header(&flat) {
            flush(&mut doc, &mut current);
            doc.change_list = Some(line.no + 1);
            place = Place {
                part: Part::Changes,
                sub: Sub::None,
                item: None,
                risk: None,
            };
            continue;
        }
        if place.part == Part::Changes && doc.change_list.is_some() {
            continue;
        }
        let first = line
            .filled()
            .first()
            .map(|s| s.to_string())
            .unwrap_or_default();
        let first_flat = first.replace('\n', " ");
        if let Some(part) = part_heading(&first_flat, line.filled().len()) {
            flush(&mut doc, &mut current);
            doc.has_parts |= !matches!(part, Part::AffairAnnex | Part::RecordItems | Part::Changes);
            place = Place {
                part,
                sub: Sub::None,
                item: None,
                risk: None,
            };
            continue;
        }
        if matches!(
            place.part,
            Part::Basic | Part::Overview | Part::Risks | Part::OtherRisks
        ) && let Some(sub) = sub_heading(&first_flat)
        {
            flush(&mut doc, &mut current);
            place.sub = sub;
            inferred = form::phase_of(sub);
            place.item = None;
            place.risk = None;
            // Switches written on the heading line ("[ ] 委託しない").
            current = Some(Field {
                place: place.clone(),
                label: String::new(),
                line: line.no,
                lines: vec![(line.no, flat.clone())],
            });
            continue;
        }
        if let Some((kind, n, text)) = item_header(&line.filled()) {
            flush(&mut doc, &mut current);
            let item = Item {
                kind,
                n,
                text,
                line: line.no,
            };
            place.item = Some(item.clone());
            place.risk = None;
            doc.items.push((place.clone(), item));
            continue;
        }
        // An annex printed in the middle of part III (PDF page order): a
        // risk header or a field of the risk blocks ends it.
        if matches!(place.part, Part::RecordItems | Part::AffairAnnex)
            && (risk_header(&flat, line.no, &place, &doc).is_some() || is_risk_field(&flat))
        {
            place = Place {
                part: Part::Risks,
                sub: Sub::None,
                item: None,
                risk: None,
            };
        }
        if let Some(mut head) = risk_header(&flat, line.no, &place, &doc).filter(|h| {
            matches!(place.part, Part::Risks | Part::OtherRisks)
                // Out of reading order, a risk block can land in part II:
                // take it when its title is one the form prints.
                || (!matches!(place.part, Part::Front | Part::Changes)
                    && template::is_standard_title(&h.title))
        }) {
            flush(&mut doc, &mut current);
            head.phase = resolve_phase(&head, place.sub, &mut inferred);
            place.risk = Some(head.clone());
            doc.risks.push((place.sub, head));
            continue;
        }
        let filled = line.filled();
        if let Some((label, value)) = field_start(line, &filled) {
            flush(&mut doc, &mut current);
            let mut lines_of = Vec::new();
            if !value.is_empty() {
                lines_of.push((line.no, value));
            }
            current = Some(Field {
                place: place.clone(),
                label,
                line: line.no,
                lines: lines_of,
            });
            continue;
        }
        let text = filled.join("\n");
        match current.as_mut() {
            Some(f) if f.place == place => f.lines.push((line.no, text)),
            _ => {
                flush(&mut doc, &mut current);
                current = Some(Field {
                    place: place.clone(),
                    label: String::new(),
                    line: line.no,
                    lines: vec![(line.no, text)],
                });
            }
        }
    }
    flush(&mut doc, &mut current);
    doc
}

/// The phase of a risk: the subsection's, unless the title is a standard
/// title of the form that belongs to other phases only (PDF cells out of
/// reading order put risks under the wrong heading).
fn resolve_phase(head: &RiskHead, sub: Sub, inferred: &mut Option<&'static str>) -> &'static str {
    let own = form::phase_of(sub).unwrap_or("other");
    if !head.phase.is_empty() {
        *inferred = Some(head.phase);
        return head.phase;
    }
    if head.n.is_none() {
        // "…の使用におけるその他のリスク": the title names the phase.
        return form::OTHER_RISK_PHASES
            .iter()
            .find(|(k, _)| head.title.contains(k))
            .map_or(own, |(_, p)| *p);
    }
    let candidates = template::phases_of_title(&head.title);
    let chosen = match candidates.as_slice() {
        [] => inferred.unwrap_or(own),
        [one] => *one,
        many => {
            if let Some(p) = inferred.filter(|p| many.contains(p)) {
                p
            } else if many.contains(&own) {
                own
            } else {
                // The heading of the next phase was lost: take the first
                // candidate after the current phase in the form's order.
                let order = &crate::kb::PHASES[..6];
                match order.iter().position(|p| *p == own) {
                    Some(at) => many
                        .iter()
                        .copied()
                        .find(|p| order.iter().position(|q| q == p).is_some_and(|i| i > at))
                        .unwrap_or(many[0]),
                    None => many[0],
                }
            }
        }
    };
    *inferred = Some(chosen);
    chosen
}

fn part_heading(first: &str, cells: usize) -> Option<Part> {
    let t = first.trim();
    if cells > 2 || t.chars().count() > 60 {
        return None;
    }
    if let Some(rest) = t.strip_prefix(form::ANNEX_OPEN) {
        let title = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ')' || c == ' ');
        return form::ANNEX_TITLES
            .iter()
            .find(|(k, _)| title.starts_with(k) || title.contains(k))
            .map(|(_, p)| *p);
    }
    let numeral = form::ROMAN_NUMERALS.iter().find(|r| t.starts_with(*r))?;
    let rest = &t[numeral.len()..];
    if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let title = rest.trim_start();
    let title = title.split(" ※").next().unwrap_or(title);
    if title.chars().count() > 40 {
        return None;
    }
    form::PART_TITLES
        .iter()
        .find(|(k, _)| title.ends_with(k) || title.starts_with(k))
        .map(|(_, p)| *p)
}

fn sub_heading(first: &str) -> Option<Sub> {
    // "[ ４．…" : a bracket of a neighbouring cell glued to the heading.
    let t = first.trim().trim_start_matches(['[', ']', ' ']);
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = t[digits..].strip_prefix('.')?.trim_start();
    if rest.is_empty() || rest.chars().count() > 70 {
        return None;
    }
    Some(
        form::SUB_TITLES
            .iter()
            .find(|(k, prefix, _)| {
                if *prefix {
                    rest.starts_with(k)
                } else {
                    rest.contains(k)
                }
            })
            .map_or(Sub::Other, |(_, _, s)| *s),
    )
}

fn item_header(filled: &[&str]) -> Option<(ItemKind, usize, String)> {
    let first = filled.first()?.replace('\n', " ");
    for (word, kind) in form::ITEM_HEADERS {
        let Some(rest) = first.strip_prefix(word) else {
            continue;
        };
        let rest = rest.trim_start();
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            continue;
        }
        let after = &rest[digits..];
        if !(after.is_empty() || after.starts_with(' ')) {
            continue;
        }
        let n: usize = rest[..digits].parse().ok()?;
        let mut text = after.trim().to_string();
        for cell in &filled[1..] {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&cell.replace('\n', " "));
        }
        return Some((*kind, n, text));
    }
    None
}

fn risk_header(flat: &str, line: usize, place: &Place, doc: &Doc) -> Option<RiskHead> {
    let t = flat.trim();
    if t.contains(form::OTHER_RISK_HEADING) {
        return Some(RiskHead {
            n: None,
            title: t.to_string(),
            line,
            phase: "",
        });
    }
    if let Some(rest) = t.strip_prefix(form::RISK_WORD) {
        let rest = rest.trim_start();
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let after = rest[digits..].trim_start();
        if let Some(title) = after.strip_prefix(':') {
            let n = if digits == 0 {
                1
            } else {
                rest[..digits].parse().ok()?
            };
            return Some(RiskHead {
                n: Some(n),
                title: title.trim().to_string(),
                line,
                phase: "",
            });
        }
        return None;
    }
    // The full form's entrustment block names its risks in one line with
    // no "リスクN:" header: a lone risk.
    let sub_has_risk = doc.risks.iter().any(|(s, _)| *s == place.sub);
    let lone_entrustment = t.starts_with(form::ENTRUSTMENT_RISKS_START)
        && !doc.risks.iter().any(|(_, h)| h.phase == "entrustment");
    if lone_entrustment
        || (place.sub == Sub::Entrust
            && !sub_has_risk
            && place.risk.is_none()
            && t.ends_with(form::RISK_WORD))
    {
        return Some(RiskHead {
            n: Some(1),
            title: t.to_string(),
            line,
            phase: "entrustment",
        });
    }
    None
}

/// True for a line that opens a field only the risk blocks have (a rating,
/// a measure field of the template).
fn is_risk_field(flat: &str) -> bool {
    let label = clean_label(flat.split(" [").next().unwrap_or(flat));
    let label = label.trim_end_matches([' ', '-', '—']);
    label == form::label::ADEQUACY
        || label == form::OTHER_MEASURES_LABEL
        || template::measure_home(label).is_some()
}

/// Removes a leading circled number, `※` marks and spaces from a label.
pub fn clean_label(raw: &str) -> String {
    let t = raw.trim();
    let t = t.trim_start_matches(|c: char| is_circled(c) && circled_number(c).is_some());
    let t = t.trim_start_matches(|c: char| is_circled(c));
    t.replace('※', "").trim().to_string()
}

fn known_label(label: &str) -> bool {
    wrappable_labels().any(|l| l == label)
        || form::CHOICE_ITEMS.iter().any(|(k, _)| label.contains(k))
        || label.ends_with(form::MEASURE_SUFFIX)
}

fn field_start(line: &Line, filled: &[&str]) -> Option<(String, String)> {
    let starts_empty = line.cells.first().is_none_or(String::is_empty);
    if filled.len() >= 2 {
        let c0 = clean_label(filled[0]);
        let c1 = clean_label(filled[1]);
        let c1_label = known_label(&c1)
            || (form::GROUP_WORDS.contains(&c0.as_str())
                && !looks_like_value(&c1)
                && !c1.contains('\n'));
        if filled.len() >= 3 && !c1.is_empty() && c1_label {
            return Some((c1, join_cells(&filled[2..])));
        }
        if form::GROUP_WORDS.contains(&c0.as_str()) && known_label(&c1) {
            return Some((c1, String::new()));
        }
        if starts_empty && !known_label(&c0) {
            return None;
        }
        if c0.contains('\n') || c0.chars().count() > 60 || looks_like_value(&c0) {
            return None;
        }
        return Some((c0, join_cells(&filled[1..])));
    }
    let only = filled.first()?;
    let first_item = only.split('\n').next().unwrap_or("");
    let cleaned = clean_label(first_item);
    // The basic form rates each risk on one line: "<risk>への対策は十分か [ 十分である ]".
    if let Some(at) = cleaned.find(form::label::ADEQUACY)
        && at > 0
    {
        let end = at + form::label::ADEQUACY.len();
        let mut value = cleaned[end..].trim().to_string();
        for item in only.split('\n').skip(1) {
            value.push('\n');
            value.push_str(item);
        }
        return Some((cleaned[..end].to_string(), value));
    }
    let mut best: Option<&str> = None;
    for label in wrappable_labels() {
        if cleaned.starts_with(label) && best.is_none_or(|b| b.len() < label.len()) {
            best = Some(label);
        }
    }
    let label = best?;
    let after = cleaned[label.len()..].trim_start();
    // "…の内容" labels wrapped over two lines keep their tail; a word glued
    // to the label is not a value.
    if !(after.is_empty() || cleaned[label.len()..].starts_with(' ') || after.starts_with('[')) {
        // Only labels in the known list that are a whole cell count.
        if !form::CHOICE_ITEMS.iter().any(|(k, _)| cleaned.contains(k)) {
            return None;
        }
    }
    let rest_items: Vec<&str> = only.split('\n').skip(1).collect();
    let mut value = after.replace('※', "").trim().to_string();
    if form::CHOICE_ITEMS.iter().any(|(k, _)| *k == label) && cleaned.len() > label.len() {
        // "②過去3年以内に…重大事故が発生したか [発生なし]": keep the full label.
        let split = cleaned
            .find(['[', SELECTED, UNMARKED, CONTROL])
            .unwrap_or(cleaned.len());
        let full = cleaned[..split].trim().to_string();
        value = cleaned[split..].trim().to_string();
        for item in rest_items {
            value.push('\n');
            value.push_str(item);
        }
        return Some((full, value));
    }
    for item in rest_items {
        value.push('\n');
        value.push_str(item);
    }
    Some((label.to_string(), value.trim().to_string()))
}

fn looks_like_value(text: &str) -> bool {
    text.starts_with(['・', '[', '<', '(', SELECTED, UNMARKED, CONTROL, '-', '—'])
        || text.chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn join_cells(cells: &[&str]) -> String {
    cells.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::normalize::lines;

    #[test]
    fn fields_get_their_place() {
        let text = "I 基本情報\n2. 特定個人情報ファイルを取り扱う事務において使用するシステム\nシステム1\n①システムの名称\tVRS\n②システムの機能\t・登録\n\t・照会\nIII リスク対策\n3. 特定個人情報の使用\nリスク2: 権限のない者\nユーザ認証の管理\t[行っている]\n";
        let doc = build(&lines(text));
        let names: Vec<&str> = doc.fields.iter().map(|f| f.label.as_str()).collect();
        assert!(names.contains(&"システムの名称"));
        let func = doc
            .fields
            .iter()
            .find(|f| f.label == "システムの機能")
            .unwrap();
        assert_eq!(func.lines.len(), 2);
        assert_eq!(func.place.item.as_ref().map(|i| i.n), Some(1));
        let auth = doc
            .fields
            .iter()
            .find(|f| f.label == "ユーザ認証の管理")
            .unwrap();
        assert_eq!(auth.place.sub, Sub::Use);
        assert_eq!(auth.place.risk.as_ref().and_then(|r| r.n), Some(2));
    }

    #[test]
    fn headers_with_spaces() {
        let doc = build(&lines(
            "III リスク対策\n3. 特定個人情報の使用\nリスク 2 : 権限のない者\nI 基本情報\n2. 特定個人情報ファイルを取り扱う事務において使用するシステム\nシステム 3\n①システムの名称\tX\n",
        ));
        assert_eq!(doc.risks.first().and_then(|(_, r)| r.n), Some(2));
        assert_eq!(doc.items.first().map(|(_, i)| i.n), Some(3));
    }

    #[test]
    fn labels_cut_by_line_wraps_are_joined() {
        let joined = join_wrapped_labels(&lines(
            " 個人番号の真正性確認の措\n置の内容\n本文\n ルールの内容及び\nルール遵守の確認方\n法\n個人番号の\n番号\n",
        ));
        assert_eq!(joined[0].cells, vec!["個人番号の真正性確認の措置の内容"]);
        assert!(joined[1].is_blank());
        assert_eq!(joined[2].cells, vec!["本文"]);
        assert_eq!(
            joined[3].cells,
            vec!["ルールの内容及びルール遵守の確認方法"]
        );
        assert!(joined[4].is_blank() && joined[5].is_blank());
        // A start of a label that the next line does not complete stays.
        assert_eq!(joined[6].cells, vec!["個人番号の"]);
        assert_eq!(joined.len(), 9, "every line keeps its number");
    }

    #[test]
    fn an_annex_inside_part_iii_ends_at_a_risk_field() {
        let doc = build(&lines(
            "III リスク対策\n(別添2) 特定個人情報ファイル記録項目\n・個人番号\nその他の措置の内容 -\nリスク3: 入手した特定個人情報が不正確であるリスク\n入手の際の本人確認の措置の内容 窓口で確認する\n",
        ));
        let f = doc
            .fields
            .iter()
            .find(|f| f.label == "入手の際の本人確認の措置の内容")
            .unwrap();
        assert_eq!(f.place.part, Part::Risks);
        assert_eq!(f.place.risk.as_ref().map(|r| r.phase), Some("acquisition"));
        assert!(
            doc.fields
                .iter()
                .any(|f| f.place.part == Part::RecordItems && f.text().contains("個人番号"))
        );
    }

    #[test]
    fn pdf_lines_split_label_and_value() {
        let doc = build(&lines(
            "Ⅱ　特定個人情報ファイルの概要\n ⑥委託先名 株式会社ミラボ\n",
        ));
        let f = &doc.fields[0];
        assert_eq!(
            (f.label.as_str(), f.text().as_str()),
            ("委託先名", "株式会社ミラボ")
        );
    }
}
