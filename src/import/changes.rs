//! 別添 変更箇所: the change list, in table rows or in PDF text where each
//! row is spread over many lines and the before/after columns follow each
//! other as blocks.

use super::Ctx;
use super::era::find_date;
use super::facts::{n, s};
use super::form;
use super::normalize::{CONTROL, Line, SELECTED, UNMARKED, join_wrapped};

/// One row of the change list.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Row {
    /// Line where the row starts.
    pub line: usize,
    /// ISO date or "".
    pub date: String,
    /// 項目.
    pub item: String,
    /// 変更前の記載.
    pub before: String,
    /// 変更後の記載.
    pub after: String,
    /// `before` / `after` / "" when unreadable.
    pub timing: &'static str,
}

/// The rows of the change list starting at line `start`, warning through
/// `cx` where a row cannot be read.
fn rows(cx: &mut Ctx, start: usize) -> Vec<Row> {
    let start = if cx.pdf {
        lead_in(cx.lines, start.saturating_sub(1))
    } else {
        start
    };
    // The change list is the last part of the assessment; in a council
    // document the next attachment (別紙3: public comments …) ends it.
    let lines: Vec<&Line> = cx
        .lines
        .iter()
        .filter(|l| l.no >= start)
        .take_while(|l| !form::is_attachment_heading(&l.flat()))
        .collect();
    let content: Vec<&&Line> = lines.iter().filter(|l| !l.is_blank()).collect();
    let tabbed = content.iter().filter(|l| l.filled().len() >= 3).count();
    if tabbed * 2 >= content.len().max(1) {
        table_rows(cx, &lines)
    } else {
        pdf_rows(cx, &lines)
    }
}

/// The rows of the document's change list, read without warnings: the
/// values it restates confirm readings of the body (see `items`).
pub fn restated(cx: &Ctx) -> Vec<Row> {
    let Some(start) = cx.doc.change_list else {
        return Vec::new();
    };
    let mut scratch = Ctx {
        doc: cx.doc,
        lines: cx.lines,
        pdf: cx.pdf,
        file: String::new(),
        sink: super::facts::Sink::new(""),
    };
    rows(&mut scratch, start)
}

/// Reads the change list starting at line `start`.
pub fn read(cx: &mut Ctx, start: usize) {
    let rows = rows(cx, start);
    if !rows.is_empty() && rows.iter().all(|r| r.date.is_empty()) {
        cx.sink.warn(
            rows[0].line,
            "変更箇所: the rows have no 変更日 (column empty in the text); dates written as \"\"",
        );
    }
    for (k, row) in rows.into_iter().enumerate() {
        if row.timing.is_empty() {
            cx.sink.warn(
                row.line,
                format!("変更箇所 row {}: 提出時期 (事前/事後) not found", k + 1),
            );
        }
        cx.sink.add(
            "change",
            vec![
                n(k + 1),
                s(row.date),
                s(row.item),
                s(row.before),
                s(row.after),
                s(row.timing),
            ],
            row.line,
        );
    }
}

fn timing_code(text: &str) -> Option<&'static str> {
    form::lookup(form::TIMINGS, text.trim())
}

fn cell_text(cell: Option<&String>) -> String {
    cell.map(|c| c.replace('\n', " ").trim().to_string())
        .unwrap_or_default()
}

fn table_rows(cx: &mut Ctx, lines: &[&Line]) -> Vec<Row> {
    let mut rows = Vec::new();
    for line in lines {
        let filled = line.filled();
        if filled.len() < 3 || line.flat().contains(form::CHANGE_COLUMNS[0]) {
            if !line.is_blank() && filled.len() < 3 {
                cx.sink.warn(
                    line.no,
                    "変更箇所: a line that is not a row of the table; skipped",
                );
            }
            continue;
        }
        let cells = &line.cells;
        rows.push(Row {
            line: line.no,
            date: find_date(&cell_text(cells.first())).unwrap_or_default(),
            item: cell_text(cells.get(1)),
            before: cell_text(cells.get(2)),
            after: cell_text(cells.get(3)),
            timing: cells.get(4).and_then(|c| timing_code(c)).unwrap_or(""),
        });
    }
    rows
}

/// True for a line that is only an era date (a PDF row starts with it).
fn date_line(text: &str) -> Option<String> {
    let t = text.trim();
    (t.chars().count() <= 20 && (t.starts_with("令和") || t.starts_with("平成")))
        .then(|| find_date(t))
        .flatten()
}

/// Splits a line into (text before the timing word, timing) when it ends
/// with 事前 / 事後.
fn timing_split(text: &str) -> Option<(String, &'static str)> {
    let t = text.trim();
    for (word, code) in form::TIMINGS {
        if t == *word {
            return Some((String::new(), code));
        }
        if let Some(head) = t.strip_suffix(word)
            && head.ends_with(' ')
        {
            return Some((head.trim().to_string(), code));
        }
        // "事前 ひな形改定による修正": the timing, then its explanation.
        if let Some(tail) = t.strip_prefix(word)
            && tail.starts_with(' ')
        {
            return Some((String::new(), code));
        }
    }
    None
}

/// PDF text prints a page's table header at the bottom of the page: the
/// first rows of the change list can stand before its heading. Walking back
/// from the header line, a row opens with an item reference ("I-2", "表紙")
/// and the row before it closes with its 事前/事後 (and a few words of
/// reason) just above; the first row is the one with no closed row above
/// it. Returns the first line of the list.
pub fn lead_in(lines: &[Line], header: usize) -> usize {
    /// Lines between a row's timing and the next row's item reference.
    const REASON_LINES: usize = 4;
    let above: Vec<(usize, String)> = lines
        .iter()
        .rev()
        .filter(|l| l.no < header && !l.is_blank())
        .map(|l| (l.no, l.flat()))
        .collect();
    let Some(last) = above.first() else {
        return header + 1;
    };
    if timing_split(&last.1).is_none()
        && !above[..above.len().min(REASON_LINES)]
            .iter()
            .any(|(_, t)| timing_split(t).is_some())
    {
        return header + 1;
    }
    let mut first = header + 1;
    for (i, (no, text)) in above.iter().enumerate() {
        if !starts_row(text) {
            continue;
        }
        first = *no;
        let closed_above = above[i + 1..]
            .iter()
            .take(REASON_LINES)
            .any(|(_, t)| timing_split(t).is_some());
        if !closed_above {
            break;
        }
    }
    first
}

/// The item reference that opens a change row: "I-2", "表紙", "(別添2)".
fn starts_row(text: &str) -> bool {
    let t = text.trim();
    if t.starts_with(form::ANNEX_OPEN) || t.starts_with(form::COVER_ITEM) {
        return true;
    }
    form::ROMAN_NUMERALS
        .iter()
        .find(|r| t.starts_with(*r))
        .is_some_and(|r| t[r.len()..].starts_with(['-', '−', '‐']))
}

fn starts_item_ref(text: &str) -> bool {
    let t = text.trim();
    form::CHANGE_ITEM_STARTS
        .iter()
        .any(|p| t.starts_with(p) && !t[p.len()..].starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// Marks where a row continues after a page break (see [`pdf_row`]).
const PAGE_BREAK: &str = "\u{0}page";

fn pdf_rows(cx: &mut Ctx, lines: &[&Line]) -> Vec<Row> {
    // Group lines into rows: a date line opens a row; without dates, a
    // section reference after a finished row opens the next.
    let mut groups: Vec<Vec<(usize, String)>> = Vec::new();
    let mut finished = true;
    for line in lines {
        let text = line.flat();
        if form::is_change_header(&text) || form::is_change_heading(&text) {
            finished = true;
            continue;
        }
        // A row cut by a page break goes on under "同上" (same date) and
        // "（上段からの続き）": it is the same row.
        let continuation = form::PAGE_CONTINUATIONS.contains(&text.as_str())
            || (date_line(&text).is_some() && text.ends_with(form::SAME_AS_ABOVE));
        if continuation {
            if let Some(g) = groups.last_mut()
                && g.last().is_none_or(|(_, t)| t != PAGE_BREAK)
            {
                g.push((line.no, PAGE_BREAK.to_string()));
            }
            continue;
        }
        let opens =
            date_line(&text).is_some() || (finished && !text.is_empty() && starts_item_ref(&text));
        if opens {
            groups.push(Vec::new());
            finished = false;
        }
        if let Some(g) = groups.last_mut() {
            if timing_split(&text).is_some() {
                finished = true;
            }
            g.push((line.no, text));
        }
    }
    groups.into_iter().map(|g| pdf_row(cx, g)).collect()
}

/// A one-line block holding the same option list twice with different
/// marks ("☑ 自己点検 ☐ 内部監査 ☑ 自己点検 ☑ 内部監査"): before and after.
fn repeated_halves(line: &str) -> Option<(String, String)> {
    let words: Vec<&str> = line.split(' ').collect();
    if words.len() < 4 || !words.len().is_multiple_of(2) {
        return None;
    }
    let (a, b) = words.split_at(words.len() / 2);
    let labels = |ws: &[&str]| -> Vec<String> {
        ws.iter()
            .map(|w| w.trim_matches([SELECTED, UNMARKED, CONTROL]).to_string())
            .filter(|w| !w.is_empty())
            .collect()
    };
    (labels(a) == labels(b) && !labels(a).is_empty()).then(|| (a.join(" "), b.join(" ")))
}

/// Reads one PDF row: date, item (first block), the 変更前/変更後 blocks and
/// the timing. A row continued over a page break holds both columns on each
/// page, so each page part is split on its own and the parts are joined.
fn pdf_row(cx: &mut Ctx, group: Vec<(usize, String)>) -> Row {
    let line = group.first().map_or(0, |(no, _)| *no);
    let mut row = Row {
        line,
        ..Row::default()
    };
    let mut body: Vec<String> = Vec::new();
    let mut iter = group.into_iter().peekable();
    if let Some((_, first)) = iter.peek()
        && let Some(date) = date_line(first)
    {
        row.date = date;
        iter.next();
    }
    for (_, text) in iter {
        if let Some((head, code)) = timing_split(&text) {
            if !head.is_empty() {
                body.push(head);
            }
            row.timing = code;
            break;
        }
        body.push(text);
    }
    let parts: Vec<&[String]> = body.split(|t| t == PAGE_BREAK).collect();
    if parts.len() > 1 {
        cx.sink.warn(
            line,
            "変更箇所: the row continues over a page break; each page's 変更前/変更後 blocks are read separately and joined",
        );
    }
    let mut befores = Vec::new();
    let mut afters = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let mut paragraphs = paragraphs_of(part).into_iter();
        if i == 0 {
            row.item = paragraphs.next().map(|p| p.concat()).unwrap_or_default();
        }
        let rest: Vec<Vec<String>> = paragraphs.collect();
        if rest.is_empty() && i > 0 {
            continue;
        }
        let (before, after) = split_blocks(cx, line, &rest);
        befores.push(before);
        afters.push(after);
    }
    let join = |v: Vec<String>| {
        v.into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    row.before = join(befores);
    row.after = join(afters);
    row
}

/// Blocks of lines separated by blank lines.
fn paragraphs_of(lines: &[String]) -> Vec<Vec<String>> {
    let mut paragraphs: Vec<Vec<String>> = vec![Vec::new()];
    for text in lines {
        if text.is_empty() {
            if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                paragraphs.push(Vec::new());
            }
        } else if let Some(p) = paragraphs.last_mut() {
            p.push(text.clone());
        }
    }
    paragraphs.retain(|p| !p.is_empty());
    paragraphs
}

/// Splits the blocks after the item into 変更前 and 変更後.
fn split_blocks(cx: &mut Ctx, line: usize, rest: &[Vec<String>]) -> (String, String) {
    let text_of = |ps: &[Vec<String>]| -> String {
        ps.iter()
            .map(|p| join_wrapped(p.iter().map(String::as_str)).join(" "))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match rest.len() {
        0 => {
            cx.sink
                .warn(line, "変更箇所: no 変更前/変更後 text found in this row");
            (String::new(), String::new())
        }
        1 if rest[0].len() == 1 && rest[0][0].split(' ').count() == 2 => {
            let mut words = rest[0][0].split(' ');
            let before = words.next().unwrap_or("").to_string();
            (before, words.next().unwrap_or("").to_string())
        }
        1 if rest[0].len() == 1 && repeated_halves(&rest[0][0]).is_some() => {
            repeated_halves(&rest[0][0]).unwrap_or_default()
        }
        1 => {
            cx.sink.warn(
                line,
                "変更箇所: only one text block between 項目 and 提出時期, so 変更前 and 変更後 cannot be told apart; taken as 変更後 (変更前 left empty)",
            );
            (String::new(), text_of(rest))
        }
        len => {
            let first_start: String = rest[0].concat().chars().take(8).collect();
            let repeat = (1..len)
                .rev()
                .find(|&k| rest[k].concat().starts_with(&first_start));
            if repeat.is_none() && len > 2 {
                cx.sink.warn(
                    line,
                    format!("変更箇所: {len} text blocks; split into 変更前/変更後 at the middle"),
                );
            }
            let split = repeat.unwrap_or(len / 2);
            (text_of(&rest[..split]), text_of(&rest[split..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::normalize::lines;

    #[test]
    fn rows_printed_above_the_header_are_part_of_the_list() {
        let text = "3. 第三者点検\n\nI-2\nシステム2\n旧い機能\n\n新しい機能\n事前 文言整理\n\n表紙\n宣言\n旧\n新\n事前\nひな形改定による修正\n(別添3) 変更箇所\n変更日 項目 変更前の記載 変更後の記載 提出時期\nII-3\n";
        let ls = lines(text);
        assert_eq!(lead_in(&ls, 17), 3);
        // Body text above the header: the list starts after it.
        let body =
            lines("①実施日\n令和6年1月1日\n変更日 項目 変更前の記載 変更後の記載 提出時期\n");
        assert_eq!(lead_in(&body, 3), 4);
        assert!(form::is_change_heading("(別添3) 変更箇所"));
        assert!(!form::is_change_heading(
            "(別添2) 特定個人情報ファイル記録項目"
        ));
    }
}
