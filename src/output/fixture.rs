//! Tables for the writers' tests, written as their cells: every writer
//! test needs a small answer, and spelling out a `Table` (name, columns,
//! types, rows) each time said the same thing in nine places.

use crate::engine::table::{ColumnType, Table, Value};

/// A symbol cell.
pub fn sym(s: &str) -> Value {
    Value::Symbol(s.to_string())
}

/// An answer `q` with these columns and rows; each column's type is that
/// of its first cell (a symbol when there is no row).
pub fn table(columns: &[&str], rows: Vec<Vec<Value>>) -> Table {
    let types = (0..columns.len())
        .map(|i| match rows.first().and_then(|r| r.get(i)) {
            Some(Value::Number(_)) => ColumnType::Number,
            Some(Value::Unsigned(_)) => ColumnType::Unsigned,
            Some(Value::Float(_)) => ColumnType::Float,
            _ => ColumnType::Symbol,
        })
        .collect();
    Table {
        name: "q".into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        types,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_follow_the_first_row() {
        let t = table(&["a", "n"], vec![vec![sym("x"), Value::Number(1)]]);
        assert_eq!(t.types, vec![ColumnType::Symbol, ColumnType::Number]);
        assert_eq!(table(&["a"], vec![]).types, vec![ColumnType::Symbol]);
    }
}
