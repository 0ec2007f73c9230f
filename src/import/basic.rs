//! Part I 基本情報: the affair, the systems and their connections, the file.

use super::Ctx;
use super::choice::{self, Group};
use super::doc::Field;
use super::facts::s;
use super::form::{self, ItemKind, Part, Sub, label};
use super::normalize::{CONTROL, SELECTED, UNMARKED};
use super::text::{bullets, split_names};
use std::collections::BTreeMap;

/// Reads affair, systems, functions and connections.
pub fn read(cx: &mut Ctx) {
    let doc = cx.doc;
    if let Some(f) = doc
        .fields
        .iter()
        .find(|f| f.place.part == Part::Basic && f.label == label::AFFAIR)
        && let Some((no, name)) = f.lines.first()
    {
        cx.sink.add("affair", vec![s(first_item(name))], *no);
    }
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
        .items
        .iter()
        .filter(|(p, i)| p.part == Part::Basic && i.kind == ItemKind::System)
        .map(|(_, i)| i.n)
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
    for (n, fields) in systems {
        let Some(name_field) = fields.iter().find(|f| f.label == label::SYSTEM_NAME) else {
            let line = fields.first().map_or(1, |f| f.line);
            cx.sink.warn(
                line,
                format!("I-2 システム{n}: no ①システムの名称, the system was not read"),
            );
            continue;
        };
        let Some((no, name)) = name_field.lines.first().map(|(no, t)| (*no, first_item(t))) else {
            cx.sink.warn(
                name_field.line,
                format!("I-2 システム{n}: the name is empty"),
            );
            continue;
        };
        cx.sink.add("system", vec![s(&name)], no);
        let mut seen_functions = false;
        let mut seen_connects = false;
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
        if stray_marks || repeated {
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
        for f in &fields {
            if f.label == label::SYSTEM_FUNCTION {
                if seen_functions {
                    cx.sink.warn(f.line, format!("I-2 システム{n}: a second ②システムの機能 (cells out of reading order); ignored"));
                    continue;
                }
                seen_functions = true;
                let lines: Vec<(usize, String)> = f
                    .lines
                    .iter()
                    .filter(|(_, t)| !is_mark_line(t))
                    .cloned()
                    .collect();
                for (no, text) in bullets(&lines, cx.pdf) {
                    cx.sink.add("system_function", vec![s(&name), s(text)], no);
                }
            } else if f.label == label::CONNECTS {
                if seen_connects {
                    continue;
                }
                seen_connects = true;
                connections(cx, &name, f);
            }
        }
    }
    file_name(cx);
}

/// A line holding choice marks or the remains of a bracket split by the
/// conversion ("] 庁内連携システム", "[ ○").
fn is_mark_line(text: &str) -> bool {
    let t = text.trim();
    t.contains([SELECTED, UNMARKED, CONTROL]) || t.starts_with(']') || t.ends_with('[')
}

fn connections(cx: &mut Ctx, name: &str, f: &Field) {
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
    for hit in hits {
        if hit.code == "other" {
            for other in split_names(&hit.detail) {
                cx.sink.add("connects", vec![s(name), s(other)], line);
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
        .filter(|(_, t)| !t.contains("特定個人情報ファイル名"))
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
