//! Published assessment text -> facts (DESIGN "Import").
//!
//! The pipeline, one module per step:
//! [`decode`] (UTF-8 / Shift_JIS, refusing empty and binary files) ->
//! [`normalize`] (HTML, NFKC, marks, whitespace; one [`normalize::Line`] per
//! original line, so provenance survives) -> [`doc`] (one pass giving every
//! `label value` field its place in the form: part, subsection, item, risk)
//! -> the section readers [`cover`], [`basic`], [`overview`], [`records`],
//! [`risks`], [`changes`], which look fields up and write [`facts`] through a
//! [`facts::Sink`]. What the form is — titles, labels, option lists and their
//! codes — lives in [`form`] as tables; choices are read by [`choice`].
//! Nothing is guessed silently: whatever cannot be read becomes a warning.
//!
//! PDF text whose table cells came out of reading order is the hard case:
//! the readers attribute a value by its place in the document, and where
//! the place contradicts the form (a field twice in one block, marks away
//! from their options, a rating outside any risk) they warn and leave the
//! value unattributed, or, for fields the form prints under one fixed risk
//! (`form::CHOICE_ITEMS`, [`template`]), attribute it by the form.
//! A person's corrections go into `facts/<id>.curated.dl`.

#![warn(missing_docs)]

pub mod basic;
pub mod changes;
pub mod choice;
pub mod cover;
pub mod decode;
pub mod doc;
pub mod era;
pub mod facts;
pub mod form;
pub mod items;
pub mod normalize;
pub mod overview;
pub mod placing;
pub mod records;
pub mod risks;
pub mod scattered;
pub mod template;
pub mod text;

use crate::diag::Diagnostic;
use facts::{Sink, s};
use normalize::Line;
use std::path::Path;

/// State shared by the section readers of one document.
pub struct Ctx<'a> {
    /// The document structure.
    pub doc: &'a doc::Doc,
    /// The normalised lines.
    pub lines: &'a [Line],
    /// True for PDF text (no table cells): wrapped lines are joined.
    pub pdf: bool,
    /// The name of the 特定個人情報ファイル (set by the part I/II reader).
    pub file: String,
    /// Facts and warnings.
    pub sink: Sink,
}

/// The result of importing one document.
#[derive(Debug)]
pub struct Imported {
    /// Assessment id (`org/number`).
    pub id: String,
    /// Facts and warnings.
    pub sink: Sink,
    /// The fact file text.
    pub text: String,
    /// File name for the facts: `<id with '/' -> '-'>.dl`.
    pub file_name: String,
}

/// The fact file name of an assessment id.
pub fn fact_file_name(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    // Never the name of a curated corrections file, which import must not
    // overwrite.
    if safe.ends_with(".curated") {
        format!("{safe}_.dl")
    } else {
        format!("{safe}.dl")
    }
}

/// The curated corrections file that goes with a fact file.
pub fn curated_file_name(id: &str) -> String {
    fact_file_name(id).trim_end_matches(".dl").to_string() + ".curated.dl"
}

/// Imports one document. `doc_name` is the name written in provenance
/// comments; `id` overrides the assessment id (for documents whose cover
/// page is missing). Errors: undecodable, empty, binary, not an assessment.
pub fn import(path: &Path, bytes: &[u8], id: Option<&str>) -> Result<Imported, Diagnostic> {
    let doc_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (text, _) = decode::decode(bytes).map_err(|e| match &e {
        decode::DecodeError::Undecodable(at) => Diagnostic::at_line(e.message(), path, at.line)
            .with_line_text(at.text.clone(), Some(at.col))
            .with_label("first byte that is neither UTF-8 nor Shift_JIS"),
        _ => Diagnostic::at_file(e.message(), path),
    })?;
    let lines = normalize::lines(&text);
    let structure = doc::build(&lines);
    let change_start = structure.change_list.unwrap_or(usize::MAX);
    let cover = cover::read(&lines, change_start);
    if !cover.has_form_title
        && cover.number.is_none()
        && !structure.has_parts
        && structure.change_list.is_none()
    {
        return Err(Diagnostic::at_file(
            "not a 特定個人情報保護評価書: no cover page, no numbered parts and no change list were found",
            path,
        ));
    }
    let stem = path
        .file_stem()
        .map_or_else(|| doc_name.clone(), |s| s.to_string_lossy().into_owned());
    let (assessment_id, id_warning) = match (id, &cover.org, &cover.number) {
        (Some(id), _, _) => (id.to_string(), None),
        (None, Some((org, _)), Some((number, _))) => (format!("{org}/{number}"), None),
        (None, _, _) => (
            stem.clone(),
            Some(format!(
                "no cover page with 評価実施機関名 and 評価書番号: the assessment id is the file name \"{stem}\" (give --id ORG/NUMBER to set it)"
            )),
        ),
    };
    let tabbed = lines.iter().filter(|l| l.filled().len() >= 2).count();
    let content = lines.iter().filter(|l| !l.is_blank()).count();
    let mut cx = Ctx {
        doc: &structure,
        lines: &lines,
        pdf: tabbed * 10 < content,
        file: String::new(),
        sink: Sink::new(&assessment_id),
    };
    if let Some(w) = id_warning {
        cx.sink.warn(1, w);
    }
    write_cover(&mut cx, &cover, id);
    if structure.has_parts {
        basic::read(&mut cx);
        overview::read(&mut cx);
        records::read(&mut cx);
        risks::read(&mut cx);
    }
    if let Some(start) = structure.change_list {
        changes::read(&mut cx, start);
    } else if structure.has_parts {
        cx.sink.warn(1, "変更箇所 (change list) not found");
    }
    let file_name = fact_file_name(&assessment_id);
    let text = facts::render_file(&doc_name, &curated_file_name(&assessment_id), &cx.sink);
    Ok(Imported {
        id: assessment_id,
        sink: cx.sink,
        text,
        file_name,
    })
}

fn write_cover(cx: &mut Ctx, cover: &cover::Cover, id: Option<&str>) {
    let given = id.and_then(|id| id.split_once('/'));
    match (&cover.org, &cover.number) {
        (None, _) | (_, None) if given.is_some() => {
            // The user named the assessment (--id ORG/NUMBER): the cover
            // page is missing, so the title and kind stay unknown ("").
            let (org, number) = given.unwrap_or_default();
            cx.sink.add(
                "assessment",
                vec![
                    s(org),
                    s(number),
                    s(&cover.title),
                    s(cover.kind.unwrap_or("")),
                ],
                1,
            );
            cx.sink.warn(
                1,
                "no cover page: the assessment fact takes organisation and number from --id; its title and kind are unknown (\"\")",
            );
        }
        (Some((org, _)), Some((number, line))) => {
            let kind = cover.kind.unwrap_or_else(|| {
                cx.sink.warn(*line, "the kind of assessment (全項目/重点項目/基礎項目) is not named; kind written as \"\"");
                ""
            });
            cx.sink.add(
                "assessment",
                vec![s(org), s(number), s(&cover.title), s(kind)],
                *line,
            );
        }
        _ => cx.sink.warn(
            1,
            "cover page: 評価実施機関名 or 評価書番号 not found; no assessment fact written",
        ),
    }
    match &cover.published {
        Ok((date, line)) => cx.sink.add("published", vec![s(date)], *line),
        Err(line) if cover.org.is_some() => cx.sink.warn(
            (*line).max(1),
            "公表日: no date in the text; no published fact written",
        ),
        Err(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fact_file_names() {
        assert_eq!(fact_file_name("焼津市長/26"), "焼津市長-26.dl");
        assert_eq!(curated_file_name("焼津市長/26"), "焼津市長-26.curated.dl");
        assert_eq!(fact_file_name("x/1.curated"), "x-1.curated_.dl");
        assert_eq!(fact_file_name("a\\b:c"), "a-b-c.dl");
    }
}
