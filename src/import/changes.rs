//! 別添 変更箇所: the change list, in table rows or in PDF text where each
//! row is spread over many lines and the before/after columns follow each
//! other as blocks.

use super::Ctx;
use super::era::find_date;
use super::facts::{n, s};
use super::form;
use super::normalize::{Line, join_wrapped};

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

/// Reads the change list starting at line `start`.
pub fn read(cx: &mut Ctx, start: usize) {
    let lines: Vec<&Line> = cx.lines.iter().filter(|l| l.no >= start).collect();
    let content: Vec<&&Line> = lines.iter().filter(|l| !l.is_blank()).collect();
    let tabbed = content.iter().filter(|l| l.filled().len() >= 3).count();
    let rows = if tabbed * 2 >= content.len().max(1) {
        table_rows(cx, &lines)
    } else {
        pdf_rows(cx, &lines)
    };
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
        if filled.len() < 3 || line.flat().contains("変更前の記載") {
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
    }
    None
}

fn starts_item_ref(text: &str) -> bool {
    let t = text.trim();
    ["VI", "IV", "V", "III", "II", "I", "(別添", "別添"]
        .iter()
        .any(|p| t.starts_with(p) && !t[p.len()..].starts_with(|c: char| c.is_ascii_alphabetic()))
}

fn pdf_rows(cx: &mut Ctx, lines: &[&Line]) -> Vec<Row> {
    // Group lines into rows: a date line opens a row; without dates, a
    // section reference after a finished row opens the next.
    let mut groups: Vec<Vec<(usize, String)>> = Vec::new();
    let mut finished = true;
    for line in lines {
        let text = line.flat();
        if text.contains("変更前の記載") && text.contains("変更後の記載") {
            finished = true;
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
    // Paragraphs separated by blank lines: the first is the item.
    let mut paragraphs: Vec<Vec<String>> = vec![Vec::new()];
    for text in body {
        if text.is_empty() {
            if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                paragraphs.push(Vec::new());
            }
        } else if let Some(p) = paragraphs.last_mut() {
            p.push(text);
        }
    }
    paragraphs.retain(|p| !p.is_empty());
    let mut paragraphs = paragraphs.into_iter();
    row.item = paragraphs.next().map(|p| p.concat()).unwrap_or_default();
    let rest: Vec<Vec<String>> = paragraphs.collect();
    let text_of = |ps: &[Vec<String>]| -> String {
        ps.iter()
            .map(|p| join_wrapped(p.iter().map(String::as_str)).join(" "))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match rest.len() {
        0 => {
            // "再委託しない 再委託する 事前" on one line after the item, or
            // item and values on one line.
            cx.sink
                .warn(line, "変更箇所: no 変更前/変更後 text found in this row");
        }
        1 if rest[0].len() == 1 && rest[0][0].split(' ').count() == 2 => {
            let mut words = rest[0][0].split(' ');
            row.before = words.next().unwrap_or("").to_string();
            row.after = words.next().unwrap_or("").to_string();
        }
        1 => {
            row.after = text_of(&rest);
            cx.sink.warn(
                line,
                "変更箇所: only one text block between 項目 and 提出時期, so 変更前 and 変更後 cannot be told apart; taken as 変更後 (変更前 left empty)",
            );
        }
        len => {
            let first_start: String = rest[0].concat().chars().take(8).collect();
            let split = (1..len)
                .rev()
                .find(|&k| rest[k].concat().starts_with(&first_start))
                .unwrap_or(len / 2);
            if len > 2 && !(1..len).any(|k| rest[k].concat().starts_with(&first_start)) {
                cx.sink.warn(
                    line,
                    format!("変更箇所: {len} text blocks; split into 変更前/変更後 at the middle"),
                );
            }
            row.before = text_of(&rest[..split]);
            row.after = text_of(&rest[split..]);
        }
    }
    row
}
