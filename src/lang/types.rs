//! The language's primitive types: what a column, a variable or an
//! expression holds once `.type` names are resolved.
//!
//! They belong to the language (the checker fixes them, `.decl` names
//! them); the engine reads them to decide how a 32-bit word is decoded,
//! compared and printed, and rows leaving the engine carry them.

/// The four primitive types of Soufflé, and records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// Interned string.
    Symbol,
    /// Signed 32-bit integer.
    Number,
    /// Unsigned 32-bit integer.
    Unsigned,
    /// 32-bit float.
    Float,
    /// A record type or an algebraic data type, numbered in the program's
    /// [`RecordTypes`](crate::lang::record_types::RecordTypes): the word
    /// is a record id in the engine's record store, `0` being `nil`.
    Record(u32),
}

impl ColumnType {
    /// The type's name as written in `.decl`.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Symbol => "symbol",
            ColumnType::Number => "number",
            ColumnType::Unsigned => "unsigned",
            ColumnType::Float => "float",
            ColumnType::Record(_) => "a record",
        }
    }

    /// The primitive a built-in type name stands for.
    pub fn from_name(name: &str) -> Option<ColumnType> {
        match name {
            "symbol" => Some(ColumnType::Symbol),
            "number" => Some(ColumnType::Number),
            "unsigned" => Some(ColumnType::Unsigned),
            "float" => Some(ColumnType::Float),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for t in [
            ColumnType::Symbol,
            ColumnType::Number,
            ColumnType::Unsigned,
            ColumnType::Float,
        ] {
            assert_eq!(ColumnType::from_name(t.name()), Some(t));
        }
        assert_eq!(ColumnType::from_name("Name"), None);
    }
}
