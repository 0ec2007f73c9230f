//! Aligned text tables for people at a terminal: query answers in the REPL
//! and in `pialog run`, offending rows of a failed assertion.
//!
//! comfy-table measures East Asian wide characters, so Japanese cells line
//! up; the text never wraps (a long measure stays on one line, as `less -S`
//! users expect) and never carries colour codes, so output is the same in a
//! pipe and on a terminal.

use crate::engine::table::{Table, Value};
use comfy_table::{CellAlignment, ContentArrangement, presets};

/// Shortens a cell to `max` characters (the last one an ellipsis).
pub fn clip(text: &str, max: Option<usize>) -> String {
    match max {
        Some(m) if m > 0 && text.chars().count() > m => {
            let mut s: String = text.chars().take(m - 1).collect();
            s.push('…');
            s
        }
        _ => text.to_string(),
    }
}

/// Renders a table with a header row, without the row count.
pub fn render(table: &Table) -> String {
    render_clipped(table, None)
}

/// Renders a table whose cells are cut to `max` characters (long measure
/// texts would otherwise make a table wider than any screen).
pub fn render_clipped(table: &Table, max: Option<usize>) -> String {
    let mut out = comfy_table::Table::new();
    out.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .force_no_tty();
    out.set_header(table.columns.iter().map(String::as_str));
    for row in &table.rows {
        out.add_row(row.iter().map(|v| {
            let cell = comfy_table::Cell::new(clip(&v.to_string(), max));
            match v {
                Value::Symbol(_) => cell,
                _ => cell.set_alignment(CellAlignment::Right),
            }
        }));
    }
    if table.columns.is_empty() {
        // A query without variables answers yes or no: show that instead of
        // an empty frame.
        return String::new();
    }
    out.trim_fmt()
}

/// `1 row` / `N rows`.
pub fn row_count(n: usize) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}

/// Renders a table followed by its row count, each on its own line, the
/// form every command prints an answer in. A query without variables prints
/// `true` or `false` instead of a table.
pub fn render_answer(table: &Table) -> String {
    render_answer_clipped(table, None)
}

/// [`render_answer`] with cells cut to `max` characters.
pub fn render_answer_clipped(table: &Table, max: Option<usize>) -> String {
    if table.columns.is_empty() {
        let yes = !table.rows.is_empty();
        return format!("{yes}\n");
    }
    format!(
        "{}\n{}\n",
        render_clipped(table, max),
        row_count(table.len())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::table::ColumnType;

    fn sample() -> Table {
        Table {
            name: "q".into(),
            columns: vec!["a".into(), "n".into()],
            types: vec![ColumnType::Symbol, ColumnType::Number],
            rows: vec![
                vec![Value::Symbol("焼津市長/26".into()), Value::Number(7)],
                vec![Value::Symbol("x".into()), Value::Number(123)],
            ],
        }
    }

    #[test]
    fn aligns_wide_characters_and_counts_rows() {
        let text = render_answer(&sample());
        assert!(text.ends_with("\n2 rows\n"));
        let wide = |c: char| matches!(c as u32, 0x3000..=0x9fff | 0xff01..=0xff60);
        let widths: Vec<usize> = text
            .lines()
            .filter(|l| !l.ends_with("rows"))
            .map(|l| l.chars().map(|c| if wide(c) { 2 } else { 1 }).sum())
            .collect();
        assert!(widths.len() >= 4);
        assert!(widths.iter().all(|w| *w == widths[0]), "{text}");
    }

    #[test]
    fn clips_long_cells() {
        assert_eq!(clip("暗号化された通信回線", Some(4)), "暗号化…");
        assert_eq!(clip("短い", Some(4)), "短い");
        assert_eq!(clip("abcdef", None), "abcdef");
    }

    #[test]
    fn boolean_query_prints_true_or_false() {
        let t = Table {
            name: "q".into(),
            columns: vec![],
            types: vec![],
            rows: vec![vec![]],
        };
        assert_eq!(render_answer(&t), "true\n");
        assert_eq!(row_count(1), "1 row");
    }
}
