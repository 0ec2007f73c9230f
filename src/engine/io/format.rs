//! Formatting rows for output: Soufflé's `.csv` text (delimiter-separated,
//! in output order, Soufflé's value text) and its `IO=stdout` framing.

use crate::engine::intern::Interner;
use crate::engine::rows::Rows;
use crate::engine::value::{OutputOrder, text};
use crate::lang::types::ColumnType;

/// Soufflé's text of a relation: one row per line in output order, values
/// separated by `delimiter`, optionally a header line of column names.
pub fn format_rows(
    rows: &Rows,
    types: &[ColumnType],
    symbols: &Interner,
    order: &OutputOrder,
    delimiter: &str,
    header: Option<&[String]>,
) -> String {
    let mut out = String::with_capacity(rows.data.len() * 4);
    if let Some(h) = header {
        out.push_str(&h.join(delimiter));
        out.push('\n');
    }
    if rows.arity == 0 {
        if rows.len > 0 {
            out.push_str("()\n");
        }
        return out;
    }
    for i in order.sorted_rows(&rows.data, types) {
        let row = rows.row(i as usize);
        for (c, (&w, &t)) in row.iter().zip(types).enumerate() {
            if c > 0 {
                out.push_str(delimiter);
            }
            match t {
                ColumnType::Symbol => out.push_str(symbols.resolve(w)),
                _ => out.push_str(&text(w, t, symbols)),
            }
        }
        out.push('\n');
    }
    out
}

/// Soufflé's `IO=stdout` framing of a relation's text.
pub fn stdout_block(name: &str, body: &str, header: Option<&[String]>) -> String {
    let mut s = format!("---------------\n{name}\n");
    if let Some(h) = header {
        s.push_str(&h.join("\t"));
        s.push('\n');
    }
    s.push_str("===============\n");
    s.push_str(body);
    s.push_str("===============\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::io::parse_facts;
    use crate::engine::value::OutputOrder;
    use std::path::Path;

    #[test]
    fn output_is_sorted_by_value() {
        let mut sy = Interner::new();
        let types = [ColumnType::Symbol, ColumnType::Number];
        let rows = parse_facts(
            "b\t-2\na\t10\na\t9\n",
            Path::new("x"),
            &types,
            "\t",
            &mut sy,
        )
        .unwrap();
        let order = OutputOrder::new(&sy);
        assert_eq!(
            format_rows(&rows, &types, &sy, &order, "\t", None),
            "a\t9\na\t10\nb\t-2\n"
        );
    }
}
