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
//! codes — lives in [`form`] and, for the cover page, in [`template`] as
//! tables; choices are read by [`choice`]. The cover is read from the text
//! with its whitespace removed ([`compact`]), so that its layout does not
//! matter. Nothing is guessed silently: whatever cannot be read becomes a
//! warning and an `unread` fact, placed by [`sections`].
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
pub mod compact;
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
pub mod sections;
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
    /// 評価実施機関名 as the cover prints it (a prefecture kept) and its
    /// line: tells two bodies whose ids would be the same apart.
    pub org: Option<(String, usize)>,
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

/// Who the user says the document is about, for documents whose cover
/// page is missing or wrong (`--id`, `--org`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Given<'a> {
    /// The whole assessment id, `ORG/NUMBER`.
    pub id: Option<&'a str>,
    /// The body (評価実施機関名); the number comes from the cover or, when
    /// it has none, the file name.
    pub org: Option<&'a str>,
}

/// Imports one document. `doc_name` is the name written in provenance
/// comments; `given` overrides the assessment id or body (for documents
/// whose cover page is missing). Errors: undecodable, empty, binary, not an
/// assessment.
pub fn import(path: &Path, bytes: &[u8], given: Given) -> Result<Imported, Diagnostic> {
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
    if !cover.found && !structure.has_parts && structure.change_list.is_none() {
        return Err(Diagnostic::at_file(
            "not a 特定個人情報保護評価書: no cover page, no numbered parts and no change list were found",
            path,
        ));
    }
    let stem = path
        .file_stem()
        .map_or_else(|| doc_name.clone(), |s| s.to_string_lossy().into_owned());
    let who = identify(&cover, given, &stem);
    let tabbed = lines.iter().filter(|l| l.filled().len() >= 2).count();
    let content = lines.iter().filter(|l| !l.is_blank()).count();
    let mut cx = Ctx {
        doc: &structure,
        lines: &lines,
        pdf: tabbed * 10 < content,
        file: String::new(),
        sink: Sink::new(&who.id),
    };
    for (line, w) in &who.warnings {
        cx.sink.warn_in(sections::COVER, *line, w.clone());
    }
    write_cover(&mut cx, &cover, &who);
    if structure.has_parts {
        basic::read(&mut cx);
        overview::read(&mut cx);
        records::read(&mut cx);
        risks::read(&mut cx);
    }
    warn_absent_parts(&mut cx, &cover);
    if let Some(start) = structure.change_list {
        changes::read(&mut cx, start);
    } else if structure.has_parts {
        cx.sink.warn_in(
            sections::part_name(form::Part::Changes),
            0,
            "変更箇所 (change list): absent from the document",
        );
    }
    let file_name = fact_file_name(&who.id);
    let kind = cover.kind.map_or("", |k| k.0);
    let unread = cx
        .sink
        .unread_facts(|line| sections::of_line(&structure, kind, line));
    let text = facts::render_file(&doc_name, &curated_file_name(&who.id), &cx.sink, &unread);
    Ok(Imported {
        id: who.id,
        org: cover.org.map(|o| (o.text, o.line)),
        sink: cx.sink,
        text,
        file_name,
    })
}

/// The assessment a document is: its id and the `assessment` fact's
/// organisation and number, from the user's word or the cover.
struct Identity {
    id: String,
    /// Organisation and number for the `assessment` fact, when known.
    org_number: Option<(String, String)>,
    warnings: Vec<(usize, String)>,
}

fn identify(cover: &cover::Cover, given: Given, stem: &str) -> Identity {
    let mut warnings = Vec::new();
    // Line 0 when the document has no cover page at all.
    let line = if cover.found { cover.line.max(1) } else { 0 };
    let printed_org = cover.org.as_ref().map(|o| cover::org_id(&o.text));
    let number = cover.number.as_ref().map(|n| n.text.clone());
    if let Some(id) = given.id {
        let org_number = id
            .split_once('/')
            .map(|(o, n)| (o.to_string(), n.to_string()));
        return Identity {
            id: id.to_string(),
            org_number,
            warnings,
        };
    }
    let org = match (given.org, printed_org) {
        (Some(g), Some(p)) if g != p => {
            warnings.push((
                line,
                format!("--org {g} replaces the cover's 評価実施機関名 {p}"),
            ));
            Some(g.to_string())
        }
        (Some(g), _) => Some(g.to_string()),
        (None, p) => p,
    };
    match (org, number) {
        (Some(org), Some(n)) if !n.is_empty() => Identity {
            id: format!("{org}/{n}"),
            org_number: Some((org, n)),
            warnings,
        },
        (Some(org), n) => {
            warnings.push((
                line,
                format!(
                    "no 評価書番号 on the cover: the assessment id is \"{org}/{stem}\" (the file name; give --id ORG/NUMBER to set it)"
                ),
            ));
            Identity {
                id: format!("{org}/{stem}"),
                org_number: Some((org, n.unwrap_or_default())),
                warnings,
            }
        }
        (None, _) => {
            let what = if cover.found {
                "no 評価実施機関名 on the cover"
            } else {
                "no cover page"
            };
            warnings.push((
                line,
                format!(
                    "{what}: the assessment id is the file name \"{stem}\" (give --id ORG/NUMBER or --org ORG to set it)"
                ),
            ));
            Identity {
                id: stem.to_string(),
                org_number: None,
                warnings,
            }
        }
    }
}

fn write_cover(cx: &mut Ctx, cover: &cover::Cover, who: &Identity) {
    let cover_section = sections::COVER;
    for (line, w) in &cover.warnings {
        let section = if cover.affair.is_none() && w.contains(template::AFFAIR_LABEL) {
            section_of(form::Part::Basic, form::Sub::Affair, cover)
        } else {
            cover_section.to_string()
        };
        cx.sink.warn_in(&section, *line, w.clone());
    }
    if let Some((org, number)) = &who.org_number {
        let title = cover.title.as_ref().map_or("", |t| t.text.as_str());
        let kind = cover.kind.map_or("", |k| k.0);
        let line = cover
            .number
            .as_ref()
            .or(cover.title.as_ref())
            .map_or(cover.line.max(1), |v| v.line);
        if cover.title.is_none() {
            cx.sink.warn_in(
                cover_section,
                cover.line,
                "評価書名 not read: the assessment's title is unknown (\"\")",
            );
        }
        if cover.kind.is_none() {
            cx.sink.warn_in(
                cover_section,
                cover.line,
                "the kind of assessment (全項目/重点項目/基礎項目) is not named; kind written as \"\"",
            );
        }
        cx.sink.add(
            "assessment",
            vec![s(org), s(number), s(title), s(kind)],
            line,
        );
    }
    for (rel, value) in [
        ("published", &cover.published),
        ("form", &cover.form),
        ("affair", &cover.affair),
    ] {
        if let Some(v) = value {
            cx.sink.add(rel, vec![s(&v.text)], v.line);
        }
    }
    if cover.found && cover.form.is_none() {
        cx.sink.warn_in(
            cover_section,
            cover.line,
            "the 様式 line ([平成26年4月 様式2]) is not on the cover; no form fact written",
        );
    }
}

/// The section name of a part or subsection of this document's form.
fn section_of(part: form::Part, sub: form::Sub, cover: &cover::Cover) -> String {
    let place = doc::Place {
        part,
        sub,
        item: None,
        risk: None,
    };
    sections::name(&place, cover.kind.map_or("", |k| k.0))
}

/// A document with a cover page whose main parts are absent (a first page
/// only, an excerpt): says which parts the reading could not reach.
fn warn_absent_parts(cx: &mut Ctx, cover: &cover::Cover) {
    if !cover.found {
        return;
    }
    for part in [form::Part::Overview, form::Part::Risks] {
        if !cx.doc.fields.iter().any(|f| f.place.part == part) {
            let name = sections::part_name(part);
            cx.sink.warn_in(
                &section_of(part, form::Sub::None, cover),
                0,
                format!("{name}: absent, the document ends before this part (a first page or an excerpt only)"),
            );
        }
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
