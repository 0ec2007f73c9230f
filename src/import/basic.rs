//! Part I 基本情報: the affair, the systems and their connections, the file.

use super::Ctx;
use super::choice::{self, Group, Hit};
use super::doc::Field;
use super::facts::s;
use super::form::{self, ItemKind, Part, Sub, label};
use super::normalize::{CONTROL, SELECTED, UNMARKED};
use super::scattered::{self, OptionGroup};
use super::text::{bullets, split_names};
use std::collections::BTreeMap;

/// Reads systems, functions and connections (the affair, I-1 ①, is read
/// with the cover page by `cover`).
pub fn read(cx: &mut Ctx) {
    let doc = cx.doc;
    let mut systems: BTreeMap<usize, Vec<&Field>> = BTreeMap::new();
    for f in &doc.fields {
        if f.place.part != Part::Basic {
            continue;
        }
        if let Some(item) = f.place.item.as_ref().filter(|i| i.kind == ItemKind::System) {
            systems.entry(item.n).or_default().push(f);
        }
    }
    let headers: Vec<usize> = doc
        .item_heads(Part::Basic, ItemKind::System)
        .map(|i| i.n)
        .collect();
    if let Some(&max) = headers.iter().max() {
        let missing: Vec<String> = (1..max)
            .filter(|n| !headers.contains(n))
            .map(|n| n.to_string())
            .collect();
        if !missing.is_empty() {
            let line = doc
                .items
                .iter()
                .find(|(_, i)| i.kind == ItemKind::System)
                .map_or(1, |(_, i)| i.line);
            cx.sink.warn(
                line,
                format!("I-2: システム{} are not in the text (lost in conversion); only the systems present were read", missing.join(", ")),
            );
        }
    }
    let names = system_names(cx, &systems);
    let known: Vec<String> = names.values().map(|(_, name)| name.clone()).collect();
    let placed = placed_connections(cx, &systems);
    let orphan = orphan_function(&systems, &names);
    for (n, fields) in &systems {
        let Some((no, name)) = names.get(n).cloned() else {
            continue;
        };
        cx.sink.add("system", vec![s(&name)], no);
        let mut seen_functions = false;
        let mut seen_connects = false;
        if let Some(groups) = &placed {
            seen_connects = true;
            if let Some(g) = groups.get(n) {
                placed_group(cx, &name, g, &known);
            }
        }
        // In PDF text whose cells came out of reading order, option marks
        // turn up inside other fields of the block, or a field twice: the
        // connections cannot be attributed to this system.
        let stray_marks = fields
            .iter()
            .filter(|f| f.label != label::CONNECTS)
            .flat_map(|f| f.lines.iter())
            .any(|(_, t)| is_mark_line(t));
        let repeated = fields.iter().filter(|f| f.label == label::CONNECTS).count() > 1
            || fields
                .iter()
                .filter(|f| f.label == label::SYSTEM_FUNCTION)
                .count()
                > 1;
        if (stray_marks || repeated) && !seen_connects {
            let line = fields
                .iter()
                .find(|f| f.label == label::CONNECTS)
                .map_or(no, |f| f.line);
            cx.sink.warn(
                line,
                format!("I-2 システム{n} ({name}) ③他のシステムとの接続: option marks are separated from their label (cells out of reading order); connections not attributed"),
            );
            seen_connects = true;
        }
        let own_functions = fields
            .iter()
            .filter(|f| f.label == label::SYSTEM_FUNCTION)
            .copied();
        let adopted = orphan.filter(|(to, _)| to == n).map(|(_, f)| f);
        for f in own_functions.chain(adopted) {
            if seen_functions {
                if orphan.is_some_and(|(_, o)| std::ptr::eq(o, f)) {
                    continue;
                }
                cx.sink.warn(f.line, format!("I-2 システム{n}: a second ②システムの機能 (cells out of reading order); ignored"));
                continue;
            }
            seen_functions = true;
            functions(cx, &name, f);
        }
        for f in fields {
            if f.label == label::CONNECTS {
                if seen_connects {
                    continue;
                }
                seen_connects = true;
                connections(cx, &name, f, &known);
            }
        }
    }
    file_name(cx);
}

/// The name of each system (①システムの名称), warning for those without one.
fn system_names(
    cx: &mut Ctx,
    systems: &BTreeMap<usize, Vec<&Field>>,
) -> BTreeMap<usize, (usize, String)> {
    let mut names = BTreeMap::new();
    for (n, fields) in systems {
        let Some(name_field) = fields.iter().find(|f| f.label == label::SYSTEM_NAME) else {
            let line = fields.first().map_or(1, |f| f.line);
            cx.sink.warn(
                line,
                format!("I-2 システム{n}: no ①システムの名称, the system was not read"),
            );
            continue;
        };
        match name_field.lines.first().map(|(no, t)| (*no, first_item(t))) {
            Some(found) => {
                names.insert(*n, found);
            }
            None => cx.sink.warn(
                name_field.line,
                format!("I-2 システム{n}: the name is empty"),
            ),
        }
    }
    names
}

fn functions(cx: &mut Ctx, name: &str, f: &Field) {
    let lines: Vec<(usize, String)> = f
        .lines
        .iter()
        .filter(|(_, t)| !is_mark_line(t))
        .cloned()
        .collect();
    for (no, text) in bullets(&lines, cx.pdf) {
        cx.sink.add("system_function", vec![s(name), s(text)], no);
    }
}

/// PDF text: the ③ option groups of part I placed by the system headings
/// around them ([`scattered`]), when some system's block shows them out of
/// reading order and the groups and headings interleave one to one.
/// `None` when the fields can be read in place, or nothing can be told.
fn placed_connections(
    cx: &Ctx,
    systems: &BTreeMap<usize, Vec<&Field>>,
) -> Option<BTreeMap<usize, OptionGroup>> {
    if !cx.pdf {
        return None;
    }
    let scattered_marks = systems.values().any(|fields| {
        fields
            .iter()
            .filter(|f| f.label != label::CONNECTS)
            .flat_map(|f| f.lines.iter())
            .any(|(_, t)| is_mark_line(t))
    });
    if !scattered_marks {
        return None;
    }
    let heads: Vec<(usize, usize)> = cx
        .doc
        .item_heads(Part::Basic, ItemKind::System)
        .map(|i| (i.line, i.n))
        .collect();
    let in_part = |part: Part| cx.doc.fields.iter().filter(move |f| f.place.part == part);
    let from = in_part(Part::Basic).map(|f| f.line).min()?;
    let to = in_part(Part::Overview)
        .map(|f| f.line)
        .min()
        .unwrap_or(usize::MAX);
    let lines: Vec<usize> = heads.iter().map(|(line, _)| *line).collect();
    let groups = scattered::gather(
        cx.lines,
        from,
        to,
        form::CONNECT_OPTIONS,
        label::CONNECTS,
        &lines,
    );
    // Option lines without the label are other fields' (part II's text
    // printed before its heading, say).
    let groups: Vec<OptionGroup> = groups.into_iter().filter(|g| g.labelled).collect();
    let order = scattered::place(&groups, &lines)?;
    Some(
        order
            .into_iter()
            .zip(groups)
            .map(|(i, g)| (heads[i].1, g))
            .collect(),
    )
}

fn placed_group(cx: &mut Ctx, name: &str, g: &OptionGroup, known: &[String]) {
    match g.read(form::CONNECT_OPTIONS) {
        Some(Group::Selected(hits)) => write_connections(cx, name, hits, g.line(), known),
        Some(Group::NoneSelected) => {}
        _ => cx.sink.warn(
            g.start,
            format!("I-2 {name} ③他のシステムとの接続: the marks of the options cut over lines cannot be matched (cells out of reading order); no connection written"),
        ),
    }
}

/// A ②システムの機能 printed in another system's block (a second one
/// there) while exactly one system has none: by the form, each system has
/// one, so it is that system's. Returns (system number, the field).
fn orphan_function<'a>(
    systems: &BTreeMap<usize, Vec<&'a Field>>,
    names: &BTreeMap<usize, (usize, String)>,
) -> Option<(usize, &'a Field)> {
    let count = |fields: &Vec<&Field>| {
        fields
            .iter()
            .filter(|f| f.label == label::SYSTEM_FUNCTION)
            .count()
    };
    let lacking: Vec<usize> = systems
        .iter()
        .filter(|(n, fields)| names.contains_key(n) && count(fields) == 0)
        .map(|(n, _)| *n)
        .collect();
    let extra: Vec<&Field> = systems
        .values()
        .filter(|fields| count(fields) == 2)
        .filter_map(|fields| {
            fields
                .iter()
                .filter(|f| f.label == label::SYSTEM_FUNCTION)
                .nth(1)
                .copied()
        })
        .collect();
    let too_many = systems.values().any(|fields| count(fields) > 2);
    match (lacking.as_slice(), extra.as_slice(), too_many) {
        ([to], [f], false) => Some((*to, *f)),
        _ => None,
    }
}

/// A line holding choice marks or the remains of a bracket split by the
/// conversion ("] 庁内連携システム", "[ ○").
fn is_mark_line(text: &str) -> bool {
    let t = text.trim();
    t.contains([SELECTED, UNMARKED, CONTROL]) || t.starts_with(']') || t.ends_with('[')
}

fn connections(cx: &mut Ctx, name: &str, f: &Field, known: &[String]) {
    let text = f.text();
    let line = f.lines.first().map_or(f.line, |(no, _)| *no);
    let hits = match choice::group(&text, form::CONNECT_OPTIONS) {
        Group::Selected(h) => h,
        Group::FromDetails(h) => {
            cx.sink.warn(line, format!("I-2 {name} ③他のシステムとの接続: no box is marked; only options with words in their parentheses were taken"));
            h
        }
        Group::Unmarked => {
            cx.sink.warn(line, format!("I-2 {name} ③他のシステムとの接続: no box is marked (marks lost in conversion?); no connection written"));
            return;
        }
        Group::NoneSelected => return,
        Group::Absent => {
            cx.sink.warn(
                line,
                format!("I-2 {name} ③他のシステムとの接続: the options are not in the text"),
            );
            return;
        }
    };
    write_connections(cx, name, hits, line, known);
}

/// One `connects` row per checked option and per system named inside その他
/// ( ), a shared prefix expanded into the systems the document names.
fn write_connections(cx: &mut Ctx, name: &str, hits: Vec<Hit>, line: usize, known: &[String]) {
    for hit in hits {
        if hit.code == "other" {
            for other in split_names(&hit.detail) {
                for member in scattered::expand_members(&other, known) {
                    cx.sink.add("connects", vec![s(name), s(member)], line);
                }
            }
        } else {
            cx.sink.add("connects", vec![s(name), s(hit.code)], line);
        }
    }
}

fn file_name(cx: &mut Ctx) {
    // I-3 lists every file of the assessment; II repeats its block per file
    // (read by the part II reader). Without I-3, the first II block names it.
    let names = file_names(cx, Part::Basic);
    let names = if names.is_empty() {
        file_names(cx, Part::Overview)
    } else {
        names
    };
    match names.first() {
        Some((_, first)) => cx.file = first.clone(),
        None => cx.sink.warn(
            1,
            "特定個人情報ファイル名 not found; facts about the file use the name \"\"",
        ),
    }
    for (no, name) in names {
        cx.sink.add("file", vec![s(&name)], no);
    }
}

/// The file names written under "特定個人情報ファイル名" in one part.
pub fn file_names(cx: &Ctx, part: Part) -> Vec<(usize, String)> {
    let lines: Vec<(usize, String)> = cx
        .doc
        .fields
        .iter()
        .filter(|f| f.place.sub == Sub::FileName && f.place.part == part && f.label.is_empty())
        .flat_map(|f| f.lines.iter())
        .filter(|(_, t)| !t.contains(form::FILE_NAME_HEADING))
        .cloned()
        .collect();
    bullets(&lines, cx.pdf)
        .into_iter()
        .map(|(no, t)| (no, strip_number(&t)))
        .filter(|(_, t)| !t.is_empty())
        .collect()
}

/// Removes "(1)" / "1." numbering in front of a name.
fn strip_number(text: &str) -> String {
    let t = text.trim();
    let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
    if let Some(rest) = t.strip_prefix('(') {
        let d = digits(rest);
        if d > 0 && rest[d..].starts_with(')') {
            return rest[d + 1..].trim().to_string();
        }
    }
    let d = digits(t);
    if d > 0 && (t[d..].starts_with('.') || t[d..].starts_with(' ')) {
        return t[d + 1..].trim().to_string();
    }
    t.to_string()
}

/// The first item of a value (the name before any list).
pub fn first_item(text: &str) -> String {
    text.split('\n').next().unwrap_or("").trim().to_string()
}
