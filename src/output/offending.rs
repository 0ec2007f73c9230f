//! The offending rows of a failed assertion, bounded.
//!
//! Why: a CI log is no place for a whole relation. An assertion over a
//! large (or sensitive) relation that fails would print every matching row;
//! `run` and `check` print at most `--max-rows` of them (20 by default) and
//! say how many more there are.

use crate::engine::table::Table;

/// Rows of a failed assertion shown when `--max-rows` is not given.
pub const DEFAULT_MAX_ROWS: usize = 20;

/// The offending rows drawn by `draw` (a table with its row count), cut to
/// the first `max_rows` with a line saying how many were left out.
pub fn render_offending(table: &Table, draw: impl Fn(&Table) -> String, max_rows: usize) -> String {
    if table.columns.is_empty() || table.rows.len() <= max_rows {
        return draw(table);
    }
    let head = Table {
        name: table.name.clone(),
        columns: table.columns.clone(),
        types: table.types.clone(),
        rows: table.rows[..max_rows].to_vec(),
    };
    format!(
        "{}… and {} more ({} rows in all; --max-rows N shows more)\n",
        draw(&head),
        table.rows.len() - max_rows,
        table.rows.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::table::Value;
    use crate::output::fixture::table;
    use crate::output::table::render_answer_clipped;

    #[test]
    fn long_failures_are_cut_with_a_count() {
        let table = table(&["x"], (0..50).map(|i| vec![Value::Number(i)]).collect());
        let draw = |t: &Table| render_answer_clipped(t, None);
        let text = render_offending(&table, draw, 3);
        assert!(text.contains("… and 47 more (50 rows in all"), "{text}");
        assert!(text.contains(" 2 "), "{text}");
        assert!(!text.contains(" 3 "), "{text}");
        assert_eq!(render_offending(&table, draw, 50), draw(&table));
    }
}
