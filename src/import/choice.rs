//! Reading the choices of the form however the conversion kept them.
//!
//! Two shapes exist. A *group* lists every option with a mark in front
//! (`☑ 紙 ☐ 専用線 ☑ その他 (VRS)`): the selected options are those with a
//! [`SELECTED`] mark. A *select box* shows one value, bracketed or next to a
//! lone box, usually followed by the list of possible values
//! (`[ 十分である ] <選択肢> 1) 特に力を入れている 2) 十分である …`).
//! Marks are normalised by [`super::normalize`] before we get here.
//!
//! Where a group's options kept *different* glyphs and none shows as
//! selected — some kept the form control (`<input type="checkbox"/>`, read
//! as [`CONTROL`]) while the others print an empty bracket `[ ]`
//! ([`UNMARKED`]) — the conversion dropped the `checked` attribute but kept
//! the control only where a mark stood: the options with the control are
//! the selected ones (DESIGN "marks"). A group all of printed empty brackets
//! is a real "none selected"; a group all of bare controls cannot be told.

use super::normalize::{CONTROL, SELECTED, UNMARKED};

/// One option label found in a group.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The code of the option (from the form table).
    pub code: &'static str,
    /// The mark in front of it: `Some(true)` selected, `Some(false)` shown
    /// as not selected, `None` no mark (lost in conversion).
    pub mark: Option<bool>,
    /// The glyph in front of it as normalised (`☑`, `☐`, `⬚`, `■` …).
    pub glyph: Option<char>,
    /// Words in the parentheses after the option, or "".
    pub detail: String,
}

/// What could be told about a group.
#[derive(Clone, Debug, PartialEq)]
pub enum Group {
    /// Options shown as selected.
    Selected(Vec<Hit>),
    /// No option marked, but these options have words in their parentheses,
    /// so they count as selected (DESIGN); a warning still says so.
    FromDetails(Vec<Hit>),
    /// Options found, none marked and no words: nothing can be told.
    Unmarked,
    /// Every option printed with an empty bracket: the document selects none.
    NoneSelected,
    /// None of the options is in the text.
    Absent,
}

/// Finds the options of `table` in `text` with their marks and details.
pub fn scan<'t>(text: &str, table: &'t [(&'t str, &'static str)]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut pos = 0;
    // With ● in the text, a bare ○ is the unselected glyph of the pair.
    let filled_circles = text.contains(['●', '◉']);
    while pos < text.len() {
        let rest = &text[pos..];
        let best = table
            .iter()
            .filter(|(label, _)| rest.starts_with(label))
            .max_by_key(|(label, _)| label.len());
        let Some((label, code)) = best else {
            pos += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let glyph = text[..pos].trim_end().chars().last();
        let mark = glyph.and_then(|c| glyph_mark(c, filled_circles));
        let glyph = glyph.filter(|_| mark.is_some());
        pos += label.len();
        let (detail, used) = parenthesised(&text[pos..]);
        pos += used;
        hits.push(Hit {
            code,
            mark,
            glyph,
            detail,
        });
    }
    hits
}

/// Glyphs some conversions print in front of options instead of boxes:
/// (selected, not selected) pairs of one group.
pub const GLYPH_PAIRS: &[(char, char)] =
    &[('■', '□'), ('●', '○'), ('◉', '○'), ('◆', '◇'), ('✓', '□')];

/// The mark a glyph right before an option stands for. A bare ○/〇 is the
/// unselected glyph when the group also uses ●, otherwise a selection.
fn glyph_mark(c: char, filled_circles: bool) -> Option<bool> {
    match c {
        SELECTED => Some(true),
        UNMARKED | CONTROL => Some(false),
        '○' | '〇' | '◯' => Some(!filled_circles),
        c if GLYPH_PAIRS.iter().any(|(sel, _)| *sel == c) => Some(true),
        c if GLYPH_PAIRS.iter().any(|(_, un)| *un == c) => Some(false),
        _ => None,
    }
}

/// Reads a group: which options are selected.
pub fn group(text: &str, table: &[(&str, &'static str)]) -> Group {
    let hits = scan(text, table);
    if hits.is_empty() {
        return Group::Absent;
    }
    let selected: Vec<Hit> = hits
        .iter()
        .filter(|h| h.mark == Some(true))
        .cloned()
        .collect();
    if !selected.is_empty() {
        return Group::Selected(selected);
    }
    let controls = hits.iter().filter(|h| h.glyph == Some(CONTROL)).count();
    let brackets = hits.iter().filter(|h| h.glyph == Some(UNMARKED)).count();
    if controls > 0 && brackets > 0 && controls + brackets == hits.len() {
        return Group::Selected(
            hits.into_iter()
                .filter(|h| h.glyph == Some(CONTROL))
                .collect(),
        );
    }
    if brackets == hits.len() {
        return Group::NoneSelected;
    }
    let worded: Vec<Hit> = hits
        .into_iter()
        .filter(|h| !super::form::is_empty_word(&h.detail))
        .collect();
    if worded.is_empty() {
        Group::Unmarked
    } else {
        Group::FromDetails(worded)
    }
}

/// What could be told about a select box.
#[derive(Clone, Debug, PartialEq)]
pub enum Select {
    /// The value shown.
    Value(&'static str),
    /// Several different values are shown as chosen.
    Ambiguous,
    /// No value can be told (lost marks, empty brackets).
    Unreadable,
}

/// Reads a select box: removes the enumerated option list (`1) A 2) B`)
/// and the `<選択肢>` caption, then takes the one option label left, unless
/// several unticked boxes show that the real marks were lost.
pub fn select(text: &str, table: &[(&str, &'static str)]) -> Select {
    let shown = without_captions(&remove_enumeration(text, table));
    let hits = scan(&shown, table);
    let ticked: Vec<&Hit> = hits.iter().filter(|h| h.mark == Some(true)).collect();
    // Without a tick, the value shown is the one option label left once the
    // enumeration is gone, with or without a box in front ("⬚ 十分である",
    // "[ 十分である ]"); boxes with no label after them are empty controls
    // of the conversion and tell nothing.
    let chosen: Vec<&Hit> = if ticked.is_empty() {
        hits.iter().collect()
    } else {
        ticked
    };
    let mut codes: Vec<&'static str> = chosen.iter().map(|h| h.code).collect();
    codes.dedup();
    match codes.as_slice() {
        [] => Select::Unreadable,
        [one] => Select::Value(one),
        _ if chosen.iter().all(|h| h.code == chosen[0].code) => Select::Value(chosen[0].code),
        _ => Select::Ambiguous,
    }
}

/// The text without the captions of an option list (`<選択肢>`).
fn without_captions(text: &str) -> String {
    super::form::OPTION_CAPTIONS
        .iter()
        .fold(text.to_string(), |t, caption| t.replace(caption, " "))
}

fn remove_enumeration(text: &str, table: &[(&str, &'static str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let preceded_ok = out.chars().last().is_none_or(|c| c != '(');
        if digits > 0 && preceded_ok && rest[digits..].starts_with(')') {
            let after = rest[digits + 1..].trim_start();
            if let Some((label, _)) = table
                .iter()
                .filter(|(l, _)| after.starts_with(l))
                .max_by_key(|(l, _)| l.len())
            {
                rest = &after[label.len()..];
                out.push(' ');
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// True for text that is only the remains of a select box: its caption,
/// enumerated options ("1) 行っている 2) 行っていない"), brackets and marks.
/// PDF text scatters these between the paragraphs of a measure.
pub fn is_option_debris(text: &str) -> bool {
    let mut rest = without_captions(text);
    for table in [
        super::form::ANSWER_OPTIONS,
        super::form::ADEQUACY_OPTIONS,
        super::form::REENTRUST_OPTIONS,
        super::form::PHASE_SWITCHES,
    ] {
        rest = remove_enumeration(&rest, table);
    }
    let stripped = rest.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '[' | ']' | SELECTED | UNMARKED | CONTROL)
    });
    stripped.is_empty() && text.trim() != ""
        || super::form::ANSWER_OPTIONS
            .iter()
            .chain(super::form::ADEQUACY_OPTIONS)
            .chain(super::form::PHASE_SWITCHES)
            .any(|(label, _)| stripped == *label)
}

/// The words inside a balanced `( … )` right after an option (spaces
/// allowed before it), and how many bytes were used.
pub fn parenthesised(text: &str) -> (String, usize) {
    let trimmed = text.trim_start();
    let skipped = text.len() - trimmed.len();
    if !trimmed.starts_with('(') {
        return (String::new(), 0);
    }
    let mut depth = 0usize;
    for (i, c) in trimmed.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    let inner = trimmed[1..i].trim().to_string();
                    return (inner, skipped + i + 1);
                }
            }
            _ => {}
        }
    }
    // Unbalanced: the rest of the text is the detail.
    (trimmed[1..].trim().to_string(), text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::form::{ADEQUACY_OPTIONS, ANSWER_OPTIONS, METHOD_OPTIONS, SOURCE_OPTIONS};
    use crate::import::normalize::normalize_text;

    fn codes(g: &Group) -> Vec<(&'static str, String)> {
        match g {
            Group::Selected(h) | Group::FromDetails(h) => {
                h.iter().map(|h| (h.code, h.detail.clone())).collect()
            }
            _ => vec![],
        }
    }

    #[test]
    fn checked_attributes_and_glyphs() {
        let t = normalize_text(
            "[<input checked=\"\" type=\"radio\"/>] 紙 [<input type=\"checkbox\"/>] 電子記録媒体(フラッシュメモリを除く。) [<input checked=\"\" type=\"radio\"/>] その他 (ワクチン接種記録システム(VRS))",
        );
        let g = group(&t, METHOD_OPTIONS);
        assert!(matches!(g, Group::Selected(_)));
        assert_eq!(
            codes(&g),
            vec![
                ("paper", String::new()),
                ("other", "ワクチン接種記録システム(VRS)".into())
            ]
        );
        let k = normalize_text("[〇]紙 [　]電子メール [〇]庁内連携システム");
        assert_eq!(codes(&group(&k, METHOD_OPTIONS)).len(), 2);
    }

    #[test]
    fn lost_marks_fall_back_to_details_or_nothing() {
        let t = normalize_text(
            "<input type=\"checkbox\"/> 本人又は本人の代理人 <input type=\"checkbox\"/> 評価実施機関内の他部署( 戸籍住民課 ) <input type=\"checkbox\"/> 民間事業者( )",
        );
        let g = group(&t, SOURCE_OPTIONS);
        assert!(matches!(g, Group::FromDetails(_)));
        assert_eq!(codes(&g), vec![("internal", "戸籍住民課".into())]);
        let none =
            normalize_text("<input type=\"checkbox\"/> 紙 <input type=\"checkbox\"/> 電子メール");
        assert_eq!(group(&none, METHOD_OPTIONS), Group::Unmarked);
        assert_eq!(group("なにもない", METHOD_OPTIONS), Group::Absent);
    }

    #[test]
    fn select_boxes() {
        let t = normalize_text(
            "〔 十分である 〕 <選択肢> 1) 特に力を入れている 2) 十分である 3) 課題が残されている",
        );
        assert_eq!(select(&t, ADEQUACY_OPTIONS), Select::Value("sufficient"));
        let t = normalize_text("<選択肢> [ 10人未満 ] 1) 再委託する 2) 再委託しない");
        assert_eq!(
            select(&t, crate::import::form::REENTRUST_OPTIONS),
            Select::Unreadable
        );
        let t = normalize_text(
            "特に力を入れて行っている[ <選択肢> 1) 特に力を入れて行っている 2) 十分に行っている 3) 十分に行っていない ]",
        );
        assert_eq!(select(&t, ANSWER_OPTIONS), Select::Value("emphasized"));
        // The value inside a checkbox glyph, the other boxes empty.
        let boxed_value = normalize_text(
            "<input type=\"checkbox\"/> 特に力を入れている <input type=\"checkbox\"/> <input type=\"checkbox\"/> <選択肢> 1) 特に力を入れている 2) 十分である",
        );
        assert_eq!(
            select(&boxed_value, ADEQUACY_OPTIONS),
            Select::Value("emphasized")
        );
        let two = normalize_text(
            "<input type=\"checkbox\"/> 十分である <input type=\"checkbox\"/> 課題が残されている",
        );
        assert_eq!(select(&two, ADEQUACY_OPTIONS), Select::Ambiguous);
        let boxed = normalize_text(
            "<input type=\"checkbox\"/> 十分に行っている 〔選択肢〕 1) 特に力を入れて行っている 2) 十分に行っている",
        );
        assert_eq!(select(&boxed, ANSWER_OPTIONS), Select::Value("sufficient"));
        let empty = normalize_text("[ ] <選択肢> 1) 特に力を入れている 2) 十分である");
        assert_eq!(select(&empty, ADEQUACY_OPTIONS), Select::Unreadable);
    }

    #[test]
    fn different_glyphs_for_selected_and_unselected() {
        let g = group(
            &normalize_text("■ 紙 □ 電子メール ■ その他 (窓口)"),
            METHOD_OPTIONS,
        );
        assert_eq!(
            codes(&g),
            vec![("paper", String::new()), ("other", "窓口".into())]
        );
        let g = group(
            &normalize_text("● 本人又は本人の代理人 ○ 民間事業者 ( )"),
            SOURCE_OPTIONS,
        );
        assert_eq!(codes(&g), vec![("subject", String::new())]);
        let g = group(&normalize_text("○ 紙 電子メール"), METHOD_OPTIONS);
        assert_eq!(codes(&g), vec![("paper", String::new())]);
    }

    #[test]
    fn controls_among_empty_brackets_are_the_selected_ones() {
        let g = group(
            &normalize_text(
                "<input type=\"checkbox\"/> 紙 [ ] 電子記録媒体 [ ] フラッシュメモリ <input type=\"checkbox\"/> 電子メール [ ] 専用線 <input type=\"checkbox\"/> 庁内連携システム",
            ),
            METHOD_OPTIONS,
        );
        assert_eq!(
            codes(&g),
            vec![
                ("paper", String::new()),
                ("email", String::new()),
                ("internal-link", String::new())
            ]
        );
        let audit = normalize_text(
            "[ <input type=\"radio\"/> ] 自己点検 [ <input type=\"radio\"/> ] 内部監査 [    ] 外部監査",
        );
        let g = group(&audit, crate::import::form::AUDIT_OPTIONS);
        assert_eq!(
            codes(&g),
            vec![("self-check", String::new()), ("internal", String::new())]
        );
        // One glyph throughout: all controls cannot be told, all printed
        // empty brackets select nothing.
        let all_controls =
            normalize_text("<input type=\"checkbox\"/> 紙 <input type=\"checkbox\"/> 電子メール");
        assert_eq!(group(&all_controls, METHOD_OPTIONS), Group::Unmarked);
        assert_eq!(
            group(&normalize_text("[ ] 紙 [ ] 電子メール"), METHOD_OPTIONS),
            Group::NoneSelected
        );
    }

    #[test]
    fn details_keep_nested_parentheses() {
        assert_eq!(parenthesised(" (a(b)c) rest"), ("a(b)c".to_string(), 8));
        assert_eq!(parenthesised("x"), (String::new(), 0));
    }
}
