//! Rows as they leave the engine: decoded values with column names and
//! types, ready for any writer (table, CSV, JSON) or for a REPL answer.
//!
//! Inside the engine every value is a 32-bit word (interned symbol id or the
//! bits of a number, as in Soufflé's default 32-bit domain); a [`Table`] is
//! the decoded copy handed to the outside, so writers never see interning.

use std::fmt;

/// Column types of a [`Table`] are the language's primitive types (kept
/// reachable here, beside the rows that carry them).
pub use crate::lang::types::ColumnType;

/// One decoded cell.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
pub enum Value {
    /// A string.
    Symbol(String),
    /// A signed number.
    Number(i64),
    /// An unsigned number.
    Unsigned(u64),
    /// A float.
    Float(f64),
}

impl fmt::Display for Value {
    /// Soufflé's textual form: symbols bare, numbers in decimal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Symbol(s) => f.write_str(s),
            Value::Number(n) => write!(f, "{n}"),
            Value::Unsigned(n) => write!(f, "{n}"),
            Value::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A named, typed set of rows (a relation, a query answer, offending rows of
/// an assertion). Rows are sorted and distinct, as Soufflé's output is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Relation name, or the query text for an answer.
    pub name: String,
    /// Column names (from `.decl`, or the variables of a query).
    pub columns: Vec<String>,
    /// Column types, same length as `columns`.
    pub types: Vec<ColumnType>,
    /// The rows.
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
