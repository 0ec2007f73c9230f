//! One field per line, a record after another (psql's `\x`, sqlite's
//! `.mode line`): the way to read rows whose cells are long sentences, and
//! what a table too wide for the screen falls back to. Long values wrap to
//! the screen's width instead of being cut, so nothing is lost.

use super::width::{columns, one_line, pad, wrap};
use crate::engine::table::Table;

/// Renders every row of `table` as a block of `name │ value` lines, values
/// wrapped to fit `screen` columns (`usize::MAX`: never wrapped).
pub fn render(table: &Table, screen: usize) -> String {
    render_rows(table, 0..table.rows.len(), screen)
}

/// Renders the rows `range` (0-based) of `table`, numbered from 1.
pub fn render_rows(table: &Table, range: std::ops::Range<usize>, screen: usize) -> String {
    let label = table.columns.iter().map(|c| columns(c)).max().unwrap_or(0);
    let room = screen.saturating_sub(label + 3).max(10);
    let mut out = String::new();
    for n in range {
        let Some(row) = table.rows.get(n) else {
            break;
        };
        let title = format!("-[ {} ]", n + 1);
        let rule = screen.min(label + 3 + 20).saturating_sub(columns(&title));
        out.push_str(&title);
        out.push_str(&"-".repeat(rule));
        out.push('\n');
        for (name, value) in table.columns.iter().zip(row) {
            let text = value.to_string();
            let text = one_line(&text);
            for (i, part) in wrap(&text, room).iter().enumerate() {
                let shown = if i == 0 { name.as_str() } else { "" };
                out.push_str(pad(shown, label, false).as_str());
                out.push_str(" │ ");
                out.push_str(part);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{sym, table};

    #[test]
    fn one_field_per_line_wrapped_to_the_screen() {
        let t = table(
            &["a", "text"],
            vec![
                vec![
                    sym("焼津市長/26"),
                    sym(&"暗号化された通信回線を使用する。".repeat(5)),
                ],
                vec![sym("x"), sym("y")],
            ],
        );
        let text = render(&t, 40);
        assert!(text.starts_with("-[ 1 ]"), "{text}");
        assert!(text.contains("\n-[ 2 ]"), "{text}");
        assert!(text.contains("a    │ 焼津市長/26\n"), "{text}");
        assert!(text.lines().all(|l| columns(l) <= 40), "{text}");
        assert!(text.lines().filter(|l| l.starts_with("     │ ")).count() >= 3);
        assert_eq!(render_rows(&t, 1..2, 40).lines().count(), 3);
    }
}
