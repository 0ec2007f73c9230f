//! Option groups of PDF text whose cells came out of reading order.
//!
//! A converted PDF prints a table cell where its box lies on the page, not
//! where the form reads it: the option lines of a group ("] 税務システム",
//! "[ ○ ] その他 ( … )", "[ ] 情報提供ネットワークシステム [") can stand
//! before the heading of their own item, split from their label, with the
//! brackets of one option cut over two lines. The form says what may stand
//! where: every item (システムN) has exactly one group of a given field, so
//! when the groups and the headings interleave one to one, all on the same
//! side, each group belongs to the heading beside it. When they do not, the
//! caller warns and attributes nothing.

use super::choice::{self, Group};
use super::normalize::{Line, SELECTED, UNMARKED};

/// One option group gathered from consecutive lines.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionGroup {
    /// First and last line of the group.
    pub start: usize,
    /// Last line of the group.
    pub end: usize,
    /// The lines as read (normalised text).
    pub lines: Vec<(usize, String)>,
    /// Whether the field's own label is among the lines.
    pub labelled: bool,
}

impl OptionGroup {
    /// The group's text with the brackets cut over lines mended: an option
    /// whose `]` stands at the start of a line gets the mark of the `[` left
    /// open at the end of another line, when that can be told (every open
    /// bracket empty, or as many open brackets with a mark as cut options).
    /// `None` when the cut marks cannot be matched to their options.
    pub fn mended_text(&self) -> Option<String> {
        let mut open_marked = 0usize;
        let mut cut = 0usize;
        let mut pieces: Vec<String> = Vec::new();
        for (_, t) in &self.lines {
            let mut t = t.trim().to_string();
            if let Some(at) = t.rfind('[')
                && !t[at..].contains(']')
            {
                let inner = t[at + 1..].trim().to_string();
                if !inner.is_empty() && !is_selected_glyph(&inner) {
                    // Words after an open bracket: not a cut mark.
                } else {
                    open_marked += usize::from(!inner.is_empty());
                    t.truncate(at);
                }
            }
            if let Some(rest) = t.strip_prefix(']') {
                // A closing bracket with no option after it closes nothing
                // that can be read.
                t = if rest.trim().is_empty() {
                    String::new()
                } else {
                    cut += 1;
                    format!("\u{0}{}", rest.trim_start())
                };
            }
            pieces.push(t);
        }
        let mark = match (open_marked, cut) {
            (0, _) => UNMARKED,
            (m, c) if m == c => SELECTED,
            _ => return None,
        };
        let mut text = String::new();
        for piece in &pieces {
            super::normalize::push_joined(&mut text, piece);
        }
        Some(text.replace('\u{0}', &format!(" {mark} ")))
    }

    /// Like [`Self::mended_text`], but words in parentheses that open a
    /// line of their own stay apart from the option before them (in
    /// scattered cells they may be another option's).
    pub fn mended_text_lines_apart(&self) -> Option<String> {
        let apart = OptionGroup {
            lines: self
                .lines
                .iter()
                .map(|(no, t)| {
                    let t = t.trim();
                    let t = if t.starts_with('(') {
                        format!("{LINE_APART} {t}")
                    } else {
                        t.to_string()
                    };
                    (*no, t)
                })
                .collect(),
            ..self.clone()
        };
        apart.mended_text()
    }

    /// Lines where words in parentheses open a line of their own (and run
    /// on until the parenthesis closes): not attributed.
    pub fn orphan_words(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, (no, t)) in self.lines.iter().enumerate() {
            if !t.trim_start().starts_with('(') {
                continue;
            }
            let mut words = String::new();
            let mut depth = 0i32;
            for (_, next) in &self.lines[i..] {
                words.push_str(next);
                depth += paren_balance(next);
                if depth <= 0 {
                    break;
                }
            }
            let (inner, _) = super::choice::parenthesised(&words);
            if !super::form::is_empty_word(&inner) {
                out.push(*no);
            }
        }
        out
    }

    /// Joins groups of one field found apart (in line order).
    pub fn merge(groups: Vec<OptionGroup>) -> Option<OptionGroup> {
        let mut lines: Vec<(usize, String)> = groups.iter().flat_map(|g| g.lines.clone()).collect();
        lines.sort_by_key(|(no, _)| *no);
        Some(OptionGroup {
            start: lines.first()?.0,
            end: lines.last()?.0,
            labelled: groups.iter().any(|g| g.labelled),
            lines,
        })
    }

    /// The line to cite for the group: its first selected mark, else its
    /// first line.
    pub fn line(&self) -> usize {
        self.lines
            .iter()
            .find(|(_, t)| t.contains(SELECTED))
            .map_or(self.start, |(no, _)| *no)
    }

    /// Reads the group's options, words in parentheses on a line of their
    /// own left unattributed.
    pub fn read_apart(&self, table: &[(&str, &'static str)]) -> Option<Group> {
        self.mended_text_lines_apart()
            .map(|t| choice::group(&t, table))
    }

    /// The line where an option's label stands.
    pub fn line_of(&self, option: &str) -> usize {
        self.lines
            .iter()
            .find(|(_, t)| t.contains(option))
            .map_or(self.start, |(no, _)| *no)
    }

    /// Reads the group's options against a table of the form.
    pub fn read(&self, table: &[(&str, &'static str)]) -> Option<Group> {
        self.mended_text().map(|t| choice::group(&t, table))
    }
}

fn is_selected_glyph(inner: &str) -> bool {
    let t = super::normalize::normalize_marks(&format!("[{inner}]"));
    t.trim() == SELECTED.to_string()
}

/// Keeps a parenthesis on a line of its own from reading as the words of
/// the option before it.
const LINE_APART: char = '\u{1}';

/// How many lines the words of an option's parentheses may run over.
const PAREN_LINES: usize = 6;

/// True for a line that belongs to an option group of `table`: an option
/// with a mark or a cut bracket in front, or the group's label.
fn is_option_line(text: &str, table: &[(&str, &'static str)], label: &str) -> bool {
    let t = text.trim();
    if super::doc::clean_label(t) == label {
        return true;
    }
    table.iter().any(|(option, _)| {
        t.match_indices(option).any(|(at, _)| {
            t[..at]
                .trim_end()
                .chars()
                .last()
                .is_some_and(|c| matches!(c, ']' | SELECTED | UNMARKED))
        })
    })
}

/// A line that is only the opening of a cut mark: "[", "[ ○", "[ [".
fn is_open_mark(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    !t.is_empty()
        && t.starts_with('[')
        && t.chars().count() <= 3
        && t.chars()
            .skip(1)
            .all(|c| c == '[' || is_selected_glyph(&c.to_string()))
}

/// Gathers the option groups of `table` (with the field `label`) in the
/// lines `from..to`: consecutive option lines, blank lines allowed between,
/// and the words of an option's parentheses carried over lines. A group
/// without the label joins the next labelled group when no heading of
/// `headings` stands between them.
pub fn gather(
    lines: &[Line],
    from: usize,
    to: usize,
    table: &[(&str, &'static str)],
    label: &str,
    headings: &[usize],
) -> Vec<OptionGroup> {
    let groups = clusters(lines, from, to, table, label);
    let mut merged: Vec<OptionGroup> = Vec::new();
    let mut pending: Option<OptionGroup> = None;
    for g in groups {
        let g = match pending.take() {
            Some(p) if !headings.iter().any(|h| *h > p.end && *h < g.start) => OptionGroup {
                start: p.start,
                end: g.end,
                lines: p.lines.into_iter().chain(g.lines).collect(),
                labelled: g.labelled,
            },
            Some(p) => {
                merged.push(p);
                g
            }
            None => g,
        };
        if g.labelled {
            merged.push(g);
        } else {
            pending = Some(g);
        }
    }
    merged.extend(pending);
    merged
}

/// The runs of consecutive option lines of `table` in the lines
/// `from..to` (blank lines allowed between, the words of an option's
/// parentheses carried over a few lines), each on its own.
pub fn clusters(
    lines: &[Line],
    from: usize,
    to: usize,
    table: &[(&str, &'static str)],
    label: &str,
) -> Vec<OptionGroup> {
    let mut groups: Vec<OptionGroup> = Vec::new();
    let mut current: Option<OptionGroup> = None;
    let mut depth = 0i32;
    let mut carried = 0usize;
    for line in lines.iter().filter(|l| l.no >= from && l.no < to) {
        if line.is_blank() {
            continue;
        }
        let text = line.flat();
        carried = if depth > 0 { carried + 1 } else { 0 };
        if carried > PAREN_LINES {
            // Words that never close are not an option's: stop carrying.
            depth = 0;
        }
        if text
            .trim_start()
            .starts_with(|c: char| super::normalize::circled_number(c).is_some())
            && super::doc::clean_label(&text) != label
        {
            // Another field's label: no option's words run into it.
            depth = 0;
        }
        let inside = depth > 0
            || (current.is_some() && (text.trim_start().starts_with('(') || is_open_mark(&text)));
        if inside || is_option_line(&text, table, label) {
            depth = (depth + paren_balance(&text)).max(0);
            let g = current.get_or_insert_with(|| OptionGroup {
                start: line.no,
                end: line.no,
                lines: Vec::new(),
                labelled: false,
            });
            g.end = line.no;
            g.labelled |= super::doc::clean_label(&text) == label;
            g.lines.push((line.no, text));
        } else if let Some(g) = current.take() {
            groups.push(g);
        }
    }
    groups.extend(current);
    groups
}

fn paren_balance(text: &str) -> i32 {
    text.chars()
        .map(|c| match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        })
        .sum()
}

/// Pairs each group with a heading: `Some(i)` per group is the index of
/// its heading. Groups all printed just before their own heading, or all
/// just after it, one per heading; anything else is `None` (cannot tell).
pub fn place(groups: &[OptionGroup], headings: &[usize]) -> Option<Vec<usize>> {
    if groups.len() != headings.len() || groups.is_empty() || groups.iter().any(|g| !g.labelled) {
        return None;
    }
    let before = groups
        .iter()
        .zip(headings)
        .enumerate()
        .all(|(i, (g, h))| g.end < *h && (i == 0 || g.start > headings[i - 1]));
    let after =
        groups.iter().zip(headings).enumerate().all(|(i, (g, h))| {
            g.start > *h && headings.get(i + 1).is_none_or(|next| g.end < *next)
        });
    (before != after).then(|| (0..groups.len()).collect())
}

/// Expands a name that lists several members under one prefix
/// ("システム基盤(市中間サーバー、個人基本)") into the members
/// ("システム基盤(市中間サーバー)", "システム基盤(個人基本)") when every member
/// is one of `known` (the systems the document names); otherwise the name
/// stays whole.
pub fn expand_members(name: &str, known: &[String]) -> Vec<String> {
    let expanded = (|| {
        let open = name.find('(')?;
        let inner = name[open + 1..].strip_suffix(')')?;
        let prefix = &name[..open];
        let members = super::text::split_names(inner);
        if members.len() < 2 {
            return None;
        }
        let names: Vec<String> = members.iter().map(|m| format!("{prefix}({m})")).collect();
        names.iter().all(|n| known.contains(n)).then_some(names)
    })();
    expanded.unwrap_or_else(|| vec![name.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::form::CONNECT_OPTIONS;
    use crate::import::normalize::lines;

    const BEFORE: &str = "説明文\n\n] 税務システム\n\n[ ○ ] その他 （ 乙システム、基盤（甲、丙） ）\n\n] 庁内連携システム\n③他のシステムとの接続\n[ ] 情報提供ネットワークシステム [\n\n[ ] 宛名システム等 [\nシステム2\n①システムの名称 乙システム\n②システムの機能\n照会する\n[ ○ ] 庁内連携システム [ ○\n③他のシステムとの接続\n[ ] 税務システム\n] 宛名システム等\nシステム1\n";

    /// The option groups of [`BEFORE`] (headings at lines 12 and 20).
    fn before_groups() -> Vec<OptionGroup> {
        gather(
            &lines(BEFORE),
            1,
            100,
            CONNECT_OPTIONS,
            "他のシステムとの接続",
            &[12, 20],
        )
    }

    #[test]
    fn groups_before_their_headings_are_placed() {
        let groups = before_groups();
        assert_eq!(groups.len(), 2);
        assert_eq!((groups[0].start, groups[0].end), (3, 11));
        assert_eq!((groups[1].start, groups[1].end), (16, 19));
        assert_eq!(place(&groups, &[12, 20]), Some(vec![0, 1]));
        let Some(Group::Selected(hits)) = groups[0].read(CONNECT_OPTIONS) else {
            panic!("{:?}", groups[0].mended_text());
        };
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].detail, "乙システム、基盤(甲、丙)");
        // One open bracket with a mark, one cut option: that option.
        let Some(Group::Selected(hits)) = groups[1].read(CONNECT_OPTIONS) else {
            panic!("{:?}", groups[1].mended_text());
        };
        let codes: Vec<&str> = hits.iter().map(|h| h.code).collect();
        assert_eq!(codes, vec!["庁内連携システム", "宛名システム等"]);
    }

    #[test]
    fn groups_that_do_not_interleave_are_not_placed() {
        let groups = before_groups();
        assert_eq!(place(&groups, &[12]), None);
        // The first group after its heading, the second before its own.
        assert_eq!(place(&groups, &[2, 20]), None);
    }

    #[test]
    fn a_group_found_apart_reads_as_one() {
        let text = "[ ○ ] 行政機関・独立行政法人等 ( 年金機構 )\n説明\n] 本人又は本人の代理人\n説明\n①入手元\n[ ○\n[ ○ ] 評価実施機関内の他部署\n[ ] 民間事業者 ( )\n(\n戸籍課\n]\n";
        let ls = lines(text);
        let groups = clusters(&ls, 1, 100, crate::import::form::SOURCE_OPTIONS, "入手元");
        assert_eq!(groups.len(), 3);
        let merged = OptionGroup::merge(groups).unwrap();
        let Some(Group::Selected(hits)) = merged.read_apart(crate::import::form::SOURCE_OPTIONS)
        else {
            panic!("{:?}", merged.mended_text_lines_apart());
        };
        let got: Vec<(&str, &str)> = hits.iter().map(|h| (h.code, h.detail.as_str())).collect();
        assert_eq!(
            got,
            vec![("national", "年金機構"), ("subject", ""), ("internal", "")]
        );
        assert_eq!(merged.orphan_words(), vec![9]);
        assert_eq!(merged.line_of("本人又は本人の代理人"), 3);
    }

    #[test]
    fn members_expand_only_into_known_names() {
        let known = vec!["基盤(甲)".to_string(), "基盤(丙)".to_string()];
        assert_eq!(expand_members("基盤(甲、丙)", &known), known);
        assert_eq!(
            expand_members("4情報(氏名、住所)", &known),
            vec!["4情報(氏名、住所)"]
        );
        assert_eq!(expand_members("乙システム", &known), vec!["乙システム"]);
    }
}
