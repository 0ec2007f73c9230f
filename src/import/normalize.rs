//! Converted document text -> clean lines of cells.
//!
//! Published assessments reach us as text converted from PDF or HTML: tab
//! separated table rows with HTML fragments, Markdown, or hard-wrapped PDF
//! lines with full-width characters. This module removes the differences
//! that carry no meaning: HTML tags and entities (keeping list items apart),
//! NFKC (全角 ＶＲＳ -> VRS, １２ -> 12; circled item numbers are kept),
//! folded whitespace, and every way of drawing a choice mark reduced to
//! [`SELECTED`] or [`UNMARKED`].

use unicode_normalization::UnicodeNormalization;

/// A choice mark the document shows as selected (`checked`, `[○]`, `[〇]` …).
pub const SELECTED: char = '☑';
/// A choice mark the document shows as not selected (`[ ]`, an empty
/// printed bracket).
pub const UNMARKED: char = '☐';
/// A form control (`<input>` without `checked`) whose state the conversion
/// may have lost: unselected unless its group's glyphs split (DESIGN
/// "marks", read by `choice`), so it is kept apart from [`UNMARKED`].
pub const CONTROL: char = '⬚';
/// Separates list items (`<li>`, `<p>`, `<br>`) inside one cell.
pub const ITEM_BREAK: char = '\n';

/// One line of the original document, split into table cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// 1-based line number in the original document (for provenance).
    pub no: usize,
    /// Cells (tab separated in the source), each trimmed; list items inside
    /// a cell are separated by [`ITEM_BREAK`].
    pub cells: Vec<String>,
}

impl Line {
    /// The non-empty cells.
    pub fn filled(&self) -> Vec<&str> {
        self.cells
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect()
    }

    /// All cells joined by one space, items flattened: the line as prose.
    pub fn flat(&self) -> String {
        let mut out = String::new();
        for cell in self.filled() {
            for item in cell.split(ITEM_BREAK) {
                if !item.is_empty() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(item);
                }
            }
        }
        out
    }

    /// True when nothing is left on the line.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(String::is_empty)
    }
}

/// Normalises a whole document into lines (one per original line).
pub fn lines(text: &str) -> Vec<Line> {
    text.split('\n')
        .enumerate()
        .map(|(i, raw)| Line {
            no: i + 1,
            cells: raw.split('\t').map(normalize_cell).collect(),
        })
        .collect()
}

/// Normalises one table cell: HTML, NFKC, marks, Markdown, whitespace.
pub fn normalize_cell(raw: &str) -> String {
    let text = strip_html(raw);
    let text = nfkc_keep_circled(&text);
    let text = normalize_marks(&text);
    let items: Vec<String> = text
        .split(ITEM_BREAK)
        .map(|item| strip_markdown(&fold_spaces(item)))
        .filter(|item| !item.is_empty())
        .collect();
    items.join("\n")
}

/// Normalises a short piece of text (a label, a value) the same way.
pub fn normalize_text(raw: &str) -> String {
    normalize_cell(raw).replace(ITEM_BREAK, " ")
}

/// Removes tags and decodes entities; `<input>` becomes a mark, block tags
/// an item break. A `<` that does not open a tag (`<選択肢>`) is text.
pub fn strip_html(raw: &str) -> String {
    if !raw.contains('<') && !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(pos) = rest.find(['<', '&']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if let Some(after) = tail.strip_prefix('<') {
            let opens_tag = after
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
            match (opens_tag, tail.find('>')) {
                (true, Some(end)) => {
                    out.push_str(tag_replacement(&tail[1..end]));
                    rest = &tail[end + 1..];
                }
                _ => {
                    out.push('<');
                    rest = &tail[1..];
                }
            }
        } else {
            let (text, used) = entity(tail);
            out.push_str(&text);
            rest = &tail[used..];
        }
    }
    out.push_str(rest);
    out
}

fn tag_replacement(tag: &str) -> &'static str {
    let lower = tag.to_ascii_lowercase();
    let name: String = lower
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    match name.as_str() {
        "input" if lower.contains("checked") => " ☑ ",
        "input" => " ⬚ ",
        "li" | "p" | "br" | "tr" | "ul" | "ol" | "div" | "table" | "h1" | "h2" | "h3" | "h4" => {
            "\n"
        }
        "td" | "th" => " ",
        _ => "",
    }
}

fn entity(tail: &str) -> (String, usize) {
    const NAMED: &[(&str, &str)] = &[
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
        ("&quot;", "\""),
        ("&apos;", "'"),
        ("&nbsp;", " "),
    ];
    for (name, text) in NAMED {
        if tail.starts_with(name) {
            return (text.to_string(), name.len());
        }
    }
    if let Some(body) = tail.strip_prefix("&#")
        && let Some(end) = body.find(';').filter(|&e| e <= 8)
    {
        let digits = &body[..end];
        let code = match digits.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => digits.parse().ok(),
        };
        if let Some(c) = code.and_then(char::from_u32) {
            return (c.to_string(), end + 3);
        }
    }
    ("&".to_string(), 1)
}

/// NFKC, except for circled numbers (①, ⑴, Ⓐ …) which number the fields
/// of the form and would otherwise collapse into plain digits.
pub fn nfkc_keep_circled(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if is_circled(c) {
            out.extend(text[start..i].nfkc());
            out.push(c);
            start = i + c.len_utf8();
        }
    }
    out.extend(text[start..].nfkc());
    out
}

/// Circled or parenthesised numbers and letters.
pub fn is_circled(c: char) -> bool {
    matches!(c, '\u{2460}'..='\u{24FF}' | '\u{3251}'..='\u{325F}' | '\u{32B1}'..='\u{32BF}')
}

/// The number of a circled digit (① -> 1), if it is one.
pub fn circled_number(c: char) -> Option<usize> {
    match c {
        '\u{2460}'..='\u{2473}' => Some(c as usize - 0x2460 + 1),
        '\u{2474}'..='\u{2487}' => Some(c as usize - 0x2474 + 1),
        _ => None,
    }
}

const SELECTED_GLYPHS: &[char] = &['○', '〇', '◯', '●', '◎', 'O', 'o', '✓', '✔', 'レ', SELECTED];

/// Reduces bracketed marks to [`SELECTED`] / [`UNMARKED`]: `[○]`, `[ 〇 ]`,
/// `[O]`, `[ ☑ ]` select, `[ ]`, `[]`, `[ ☐ ]` do not; `〔 〕` become `[ ]`.
pub fn normalize_marks(text: &str) -> String {
    if !text.contains(['[', '〔', '(']) {
        return text.to_string();
    }
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '〔' => '[',
            '〕' => ']',
            c => c,
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' {
            let mut j = i + 1;
            let mut inner = Vec::new();
            while j < chars.len() && chars[j] != ']' && chars[j] != '[' && inner.len() < 4 {
                if !chars[j].is_whitespace() {
                    inner.push(chars[j]);
                }
                j += 1;
            }
            if j < chars.len() && chars[j] == ']' {
                let mark = match inner.as_slice() {
                    [] => Some(UNMARKED),
                    [c] if *c == UNMARKED => Some(UNMARKED),
                    [c] if *c == CONTROL => Some(CONTROL),
                    [c] if SELECTED_GLYPHS.contains(c) => Some(SELECTED),
                    _ => None,
                };
                if let Some(mark) = mark {
                    out.push(' ');
                    out.push(mark);
                    out.push(' ');
                    i = j + 1;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Collapses runs of whitespace into one space and trims.
pub fn fold_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn strip_markdown(text: &str) -> String {
    let mut t = text.trim_start_matches('#').trim();
    if t.chars().all(|c| matches!(c, '-' | '|' | ' ' | '=')) {
        return String::new();
    }
    if let Some(rest) = t.strip_prefix("- ") {
        t = rest.trim();
    }
    let t = t.trim_start_matches("**").trim_end_matches("**").trim();
    t.replace("\\_", "_").replace("\\*", "*")
}

/// Appends a line to text: Japanese on both sides of the seam joins without
/// a space (a hard wrap inside a word), anything else with one.
pub fn push_joined(out: &mut String, next: &str) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    let cjk = |c: char| {
        !c.is_ascii() && !c.is_whitespace() && c != SELECTED && c != UNMARKED && c != CONTROL
    };
    let glue = out.chars().last().is_some_and(cjk) && next.chars().next().is_some_and(cjk);
    if !out.is_empty() && !glue {
        out.push(' ');
    }
    out.push_str(next);
}

/// Joins hard-wrapped lines of PDF text: a line that does not start with a
/// bullet, number or mark continues the previous one. Japanese text joins
/// without a space, other text with one.
pub fn join_wrapped<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match items.last_mut() {
            Some(last) if !starts_item(line) => {
                let ascii_seam = last
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                    && line
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric());
                if ascii_seam {
                    last.push(' ');
                }
                last.push_str(line);
            }
            _ => items.push(line.to_string()),
        }
    }
    items
}

/// True when a line opens a new item: a bullet, a circled or parenthesised
/// number, "1 " numbering, a mark, or a bracketed heading.
pub fn starts_item(line: &str) -> bool {
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if matches!(
        first,
        '・' | '●' | '■' | '◆' | '○' | '※' | '<' | '【' | '≪' | '-' | '*'
    ) || first == SELECTED
        || first == UNMARKED
        || first == CONTROL
        || is_circled(first)
    {
        return true;
    }
    if first == '(' {
        return chars.next().is_some_and(|c| c.is_ascii_digit());
    }
    if first.is_ascii_digit() {
        let rest: String = line
            .chars()
            .skip_while(|c| c.is_ascii_digit())
            .take(1)
            .collect();
        return matches!(rest.as_str(), " " | ")" | "." | ":");
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_becomes_ascii_but_circled_numbers_stay() {
        assert_eq!(
            normalize_text("ワクチン接種記録システム（ＶＲＳ）　１２件"),
            "ワクチン接種記録システム(VRS) 12件"
        );
        assert_eq!(normalize_text("①事務の名称"), "①事務の名称");
        assert_eq!(
            normalize_text("Ⅱ　特定個人情報ファイルの概要"),
            "II 特定個人情報ファイルの概要"
        );
    }

    #[test]
    fn html_lists_become_items_and_inputs_marks() {
        let cell =
            normalize_cell("<ul style=\"x\"> <li>・一つ目</li> <li>・二つ目&amp;三</li></ul>");
        assert_eq!(cell, "・一つ目\n・二つ目&三");
        assert_eq!(
            normalize_cell("一行目<br>二行目<br/>&#12354;&#x3044;"),
            "一行目\n二行目\nあい"
        );
        let marks = normalize_text(
            "<input checked=\"\" type=\"checkbox\"/> 紙 <input type=\"checkbox\"/> 専用線 &lt;選択肢&gt;",
        );
        assert_eq!(marks, "☑ 紙 ⬚ 専用線 <選択肢>");
    }

    #[test]
    fn bracket_marks_are_unified() {
        assert_eq!(
            normalize_text("[ ○ ] 紙 [ ] 専用線 [〇]その他"),
            "☑ 紙 ☐ 専用線 ☑ その他"
        );
        assert_eq!(
            normalize_text("[<input type=\"checkbox\"/>] 委託する]"),
            "⬚ 委託する]"
        );
        assert_eq!(normalize_text("〔 十分である 〕"), "[ 十分である ]");
        assert_eq!(normalize_text("[O] その他"), "☑ その他");
    }

    #[test]
    fn text_that_is_not_a_tag_survives() {
        assert_eq!(normalize_text("<選択肢> 1) 紙"), "<選択肢> 1) 紙");
        assert_eq!(normalize_text("a < b & c"), "a < b & c");
    }

    #[test]
    fn markdown_is_removed() {
        assert_eq!(
            normalize_text("## II 特定個人情報ファイルの概要"),
            "II 特定個人情報ファイルの概要"
        );
        assert_eq!(normalize_text("**リスク1: 目的外**"), "リスク1: 目的外");
        assert_eq!(normalize_text("--------------"), "");
        assert_eq!(normalize_text("氏\\_日本人"), "氏_日本人");
    }

    #[test]
    fn wrapped_lines_join() {
        let joined = join_wrapped([
            "・住基情報の入手については、既存住民基本台",
            "帳システムに登録した情報",
            "・二つ目",
            "1 番号付き",
            "続き",
        ]);
        assert_eq!(
            joined,
            vec![
                "・住基情報の入手については、既存住民基本台帳システムに登録した情報",
                "・二つ目",
                "1 番号付き続き"
            ]
        );
    }
}
