//! Part II 特定個人情報ファイルの概要: sources, methods, entrustment, provision,
//! transfer, storage.

use super::Ctx;
use super::choice::{self, Group, Hit, Select};
use super::doc::Field;
use super::facts::{n, s};
use super::form::{self, ItemKind, Part, Sub, label};
use super::scattered::{self, OptionGroup};
use super::text::{bullets, split_names};
use std::collections::HashSet;

/// Reads every relation of part II.
pub fn read(cx: &mut Ctx) {
    let doc = cx.doc;
    // Each II block starts with its file's name; facts below it are about
    // that file.
    let marks = super::basic::file_names(cx, Part::Overview);
    for (no, name) in &marks {
        cx.sink.add("file", vec![s(name)], *no);
    }
    let default = cx.file.clone();
    let file_at = |line: usize| -> String {
        marks
            .iter()
            .rev()
            .find(|(no, _)| *no <= line)
            .map_or_else(|| default.clone(), |(_, name)| name.clone())
    };
    let restated = super::changes::restated(cx);
    let placed = super::items::entrustment_items(cx, &restated).unwrap_or_default();
    let provisions = super::items::provision_items(cx, &restated).unwrap_or_default();
    let mut seen: HashSet<(ItemKind, usize, &str)> = HashSet::new();
    for f in doc.fields.iter().filter(|f| f.place.part == Part::Overview) {
        let file = file_at(f.line);
        if let Some(k) = placed.get(&f.line) {
            entrustment_field(cx, f, &file, *k, f.label.as_str());
            continue;
        }
        if let Some(k) = provisions.fields.get(&f.line) {
            if f.label == label::PROVISION_VIA {
                provision_via(cx, f, *k);
            }
            continue;
        }
        if let Some(item) = &f.place.item
            && !f.label.is_empty()
            && !seen.insert((item.kind, item.n, f.label.as_str()))
        {
            // The same field twice in one item: PDF cells out of reading
            // order; the later one belongs to another item we cannot tell.
            cx.sink.warn(
                f.line,
                format!("II: {} appears twice in one item block (cells out of reading order); the second is not attributed", f.label),
            );
            continue;
        }
        match (
            f.place.sub,
            f.place.item.as_ref().map(|i| (i.kind, i.n)),
            f.label.as_str(),
        ) {
            (_, None, label::SOURCE) => {
                let hits = scattered_group(cx, f, form::SOURCE_OPTIONS, "II-3 ①入手元")
                    .unwrap_or_else(|| group(cx, f, form::SOURCE_OPTIONS, "II-3 ①入手元"));
                for (h, line) in hits {
                    cx.sink
                        .add("source", vec![s(&file), s(h.code), s(h.detail)], line);
                }
            }
            (_, None, label::ACQUIRED_VIA) => {
                for (h, line) in group(cx, f, form::METHOD_OPTIONS, "II-3 ②入手方法") {
                    cx.sink
                        .add("acquired_via", vec![s(&file), s(h.code), s(h.detail)], line);
                }
            }
            (_, Some((ItemKind::Entrustment, k)), l) => entrustment_field(cx, f, &file, k, l),
            (Sub::Entrust, None, label::VENDOR | label::REENTRUST | label::ENTRUST_VIA) => {
                let line = f.lines.first().map_or(f.line, |(no, _)| *no);
                cx.sink.warn(
                    line,
                    format!("II-4 {}: outside any 委託事項 block (cells out of reading order); not attributed to an entrustment: {}", f.label, f.text()),
                );
            }
            (_, Some((ItemKind::Provision, k)), label::PROVISION_VIA) => provision_via(cx, f, k),
            (_, Some((ItemKind::Transfer, k)), label::TRANSFER_VIA)
                if has_text(cx, ItemKind::Transfer, k) =>
            {
                for (h, line) in group(
                    cx,
                    f,
                    form::METHOD_OPTIONS,
                    &format!("II-5 移転先{k} ⑥移転方法"),
                ) {
                    cx.sink
                        .add("transfer_via", vec![n(k), s(h.code), s(h.detail)], line);
                }
            }
            (Sub::Store, None, label::STORED) => {
                for (no, text) in bullets(&f.lines, cx.pdf) {
                    cx.sink.add("stored", vec![s(&file), s(text)], no);
                }
            }
            _ => {}
        }
    }
    for (place, item) in &doc.items {
        if place.part != Part::Overview {
            continue;
        }
        if let Some((_, line, name)) = provisions
            .recipients
            .iter()
            .find(|(k, _, _)| item.kind == ItemKind::Provision && *k == item.n)
        {
            let file = file_at(item.line);
            cx.sink
                .add("provision", vec![s(&file), n(item.n), s(name)], *line);
            continue;
        }
        if item.text.is_empty() || form::is_empty_word(&item.text) {
            let has_fields = doc.fields.iter().any(|f| {
                f.place.item.as_ref().is_some_and(|i| i.line == item.line)
                    && f.label == form::LEGAL_BASIS
                    && f.lines.iter().any(|(_, t)| !form::is_empty_word(t))
            });
            if item.kind == ItemKind::Provision || (item.kind == ItemKind::Transfer && has_fields) {
                cx.sink.warn(
                    item.line,
                    format!(
                        "II-5 {}{}: the recipient is not on the header line; not read",
                        if item.kind == ItemKind::Provision {
                            "提供先"
                        } else {
                            "移転先"
                        },
                        item.n
                    ),
                );
            }
            continue;
        }
        let file = file_at(item.line);
        match item.kind {
            ItemKind::Entrustment => cx.sink.add(
                "entrustment",
                vec![s(&file), n(item.n), s(&item.text)],
                item.line,
            ),
            ItemKind::Provision => cx.sink.add(
                "provision",
                vec![s(&file), n(item.n), s(&item.text)],
                item.line,
            ),
            ItemKind::Transfer => cx.sink.add(
                "transfer",
                vec![s(&file), n(item.n), s(&item.text)],
                item.line,
            ),
            ItemKind::System => {}
        }
    }
    reentrust_missing(cx);
}

fn provision_via(cx: &mut Ctx, f: &Field, k: usize) {
    for (h, line) in group(
        cx,
        f,
        form::METHOD_OPTIONS,
        &format!("II-5 提供先{k} ⑥提供方法"),
    ) {
        cx.sink
            .add("provision_via", vec![n(k), s(h.code), s(h.detail)], line);
    }
}

fn has_text(cx: &Ctx, kind: ItemKind, k: usize) -> bool {
    cx.doc.items.iter().any(|(p, i)| {
        p.part == Part::Overview && i.kind == kind && i.n == k && !form::is_empty_word(&i.text)
    })
}

fn entrustment_field(cx: &mut Ctx, f: &Field, file: &str, k: usize, l: &str) {
    match l {
        label::VENDOR => {
            if let Some((no, _)) = f.lines.first() {
                // Single characters are vertical captions of PDF tables (再/委/託).
                let text: Vec<&str> = f
                    .lines
                    .iter()
                    .map(|(_, t)| t.as_str())
                    .filter(|t| t.chars().count() > 1)
                    .collect();
                for vendor in split_names(&text.join("、")) {
                    cx.sink.add("entrusted_to", vec![n(k), s(vendor)], *no);
                }
            }
        }
        label::ENTRUST_VIA => {
            for (h, line) in group(
                cx,
                f,
                form::METHOD_OPTIONS,
                &format!("II-4 委託事項{k} 委託先への提供方法"),
            ) {
                cx.sink
                    .add("entrust_via", vec![n(k), s(h.code), s(h.detail)], line);
            }
        }
        label::ENTRUST_TASK => {
            let has_title = cx.doc.items.iter().any(|(p, i)| {
                p.part == Part::Overview
                    && i.kind == ItemKind::Entrustment
                    && i.n == k
                    && !i.text.is_empty()
            });
            if !has_title && let Some((no, _)) = f.lines.first() {
                cx.sink
                    .add("entrustment", vec![s(file), n(k), s(f.text())], *no);
            }
        }
        label::REENTRUST | "再委託" => {
            let line = f.lines.first().map_or(f.line, |(no, _)| *no);
            if f.text().is_empty() {
                return;
            }
            match choice::select(&f.text(), form::REENTRUST_OPTIONS) {
                Select::Value(v) => cx.sink.add("reentrust", vec![n(k), s(v)], line),
                _ => cx.sink.warn(line, format!("II-4 委託事項{k} 再委託の有無: the chosen value cannot be told; no fact written")),
            }
        }
        _ => {}
    }
}

fn reentrust_missing(cx: &mut Ctx) {
    let entrusted: Vec<(usize, usize)> = cx
        .doc
        .item_heads(Part::Overview, ItemKind::Entrustment)
        .map(|i| (i.n, i.line))
        .collect();
    for (k, line) in entrusted {
        let has = cx
            .sink
            .facts
            .iter()
            .any(|f| f.rel == "reentrust" && f.args.get(1) == Some(&n(k)));
        if !has
            && !cx
                .sink
                .warnings
                .iter()
                .any(|w| w.message.contains(&format!("委託事項{k} 再委託")))
        {
            cx.sink
                .warn(line, format!("II-4 委託事項{k}: 再委託の有無 not found"));
        }
    }
}

/// PDF text whose option lines for this field stand apart (marks cut from
/// their options, some options pages away): the option lines of part II
/// before II-4 that hold an option only this field has are one group.
/// Words in parentheses on a line of their own are not attributed (they
/// may be any option's) and are warned about. `None` when the field is
/// whole or the scattered group cannot be read.
fn scattered_group(
    cx: &mut Ctx,
    f: &Field,
    table: &[(&str, &'static str)],
    what: &str,
) -> Option<Vec<(Hit, usize)>> {
    let cut = |t: &str| open_mark(t) || t.trim_start().starts_with(']');
    if !cx.pdf || !f.lines.iter().any(|(_, t)| cut(t)) {
        return None;
    }
    let part: Vec<&Field> = cx
        .doc
        .fields
        .iter()
        .filter(|g| g.place.part == Part::Overview)
        .collect();
    let from = part.first()?.line;
    let to = part
        .iter()
        .find(|g| g.place.sub == Sub::Entrust)
        .map_or(usize::MAX, |g| g.line);
    // Options this field shares with other fields' lists (その他) do not
    // tell whose a line is.
    let shared: Vec<&str> = table
        .iter()
        .map(|(o, _)| *o)
        .filter(|o| form::METHOD_OPTIONS.iter().any(|(m, _)| m == o))
        .collect();
    let own = |g: &OptionGroup| {
        g.lines.iter().any(|(_, t)| {
            table
                .iter()
                .any(|(o, _)| !shared.contains(o) && t.contains(o))
        })
    };
    let groups: Vec<OptionGroup> = scattered::clusters(cx.lines, from, to, table, &f.label)
        .into_iter()
        .filter(own)
        .collect();
    let merged = OptionGroup::merge(groups)?;
    let Some(Group::Selected(hits)) = merged.read_apart(table) else {
        return None;
    };
    let orphans = merged.orphan_words();
    if !orphans.is_empty() {
        let at: Vec<String> = orphans.iter().map(usize::to_string).collect();
        cx.sink.warn(
            orphans[0],
            format!("{what}: words in parentheses on lines {} stand apart from their options (cells out of reading order); not attributed", at.join(", ")),
        );
    }
    Some(
        hits.into_iter()
            .map(|h| {
                let option = table
                    .iter()
                    .find(|(_, c)| *c == h.code)
                    .map_or("", |(o, _)| *o);
                let line = merged.line_of(option);
                (h, line)
            })
            .collect(),
    )
}

/// True for a line ending in an opened bracket with a mark ("[ ○"): a
/// selection whose option went to another line.
fn open_mark(text: &str) -> bool {
    text.rfind('[').is_some_and(|at| {
        let inner = text[at + 1..].trim();
        !inner.is_empty() && !inner.contains(']') && inner.chars().count() == 1
    })
}

/// The word of an item header as the change list writes it ("委託事項").
fn item_word(kind: ItemKind) -> &'static str {
    form::ITEM_HEADERS
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("", |(w, _)| *w)
}

/// Reads a choice group of a field, warning when marks were lost.
pub fn group(
    cx: &mut Ctx,
    f: &Field,
    table: &[(&str, &'static str)],
    what: &str,
) -> Vec<(Hit, usize)> {
    let text = f.text();
    let line = f.lines.first().map_or(f.line, |(no, _)| *no);
    let hits = match choice::group(&text, table) {
        Group::Selected(h) => h,
        Group::FromDetails(h) => {
            cx.sink.warn(line, format!("{what}: no option is marked (marks lost in conversion); only the options with words in their parentheses were taken"));
            h
        }
        Group::NoneSelected => Vec::new(),
        Group::Unmarked => {
            cx.sink.warn(
                line,
                format!("{what}: no option is marked (marks lost in conversion?); nothing written"),
            );
            Vec::new()
        }
        Group::Absent => {
            cx.sink
                .warn(line, format!("{what}: the options are not in the text"));
            Vec::new()
        }
    };
    // Brackets split over lines ("[ ○" here, "] 紙" there): the PDF cells of
    // the group came out of order, so parenthesised words may belong to
    // another option.
    // An opening bracket standing alone ("[ [") is an empty box whose
    // option went elsewhere: it moves no words.
    let damaged = f.lines.iter().any(|(_, t)| {
        let opens = t
            .split_whitespace()
            .filter(|w| *w != "[")
            .collect::<String>();
        opens.matches('[').count() != opens.matches(']').count()
    });
    // Marks cut from their options ("[ ○" left open): the document's own
    // change list may restate the value; taken when it agrees with every
    // mark that can be read.
    if f.lines.iter().any(|(_, t)| open_mark(t)) {
        let item = f
            .place
            .item
            .as_ref()
            .map(|i| format!("{}{}", item_word(i.kind), i.n));
        let rows = super::changes::restated(cx);
        if let Some((restated, at)) =
            super::items::restated_options(&rows, &f.label, item.as_deref(), table)
            && hits
                .iter()
                .all(|h| restated.iter().any(|r| r.code == h.code))
        {
            return restated.into_iter().map(|h| (h, at)).collect();
        }
    }
    if damaged && hits.iter().any(|h| !form::is_empty_word(&h.detail)) {
        cx.sink.warn(
            line,
            format!("{what}: marks and words of the options are split over lines (cells out of reading order); the words in parentheses are not attributed"),
        );
    }
    hits.into_iter()
        .map(|mut h| {
            if damaged || form::is_empty_word(&h.detail) {
                h.detail.clear();
            }
            (h, line)
        })
        .collect()
}
