//! What the checker learned about a program: every relation's columns and
//! primitive types, and every user type's primitive.
//!
//! The engine plans and decodes rows from this alone; writers take column
//! names from it; the REPL prints it for `:schema`. It is the one place
//! where `.type` names have been reduced to Soufflé's four primitives.

use std::collections::BTreeMap;

use crate::diag::Span;
use crate::lang::types::ColumnType;

/// All relations and user types of a checked program.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    /// Relations by name.
    pub relations: BTreeMap<String, RelationSchema>,
    /// User types (`.type`) by name, resolved to their primitive.
    pub types: BTreeMap<String, ColumnType>,
    /// What the record types and ADTs among them are made of.
    pub records: crate::lang::record_types::RecordTypes,
}

/// One relation: its columns as declared (or inferred in the REPL).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RelationSchema {
    /// Relation name.
    pub name: String,
    /// Column names, for table and CSV headers.
    pub columns: Vec<String>,
    /// Primitive type of each column.
    pub types: Vec<ColumnType>,
    /// Type of each column as written (`symbol`, or a `.type` name).
    pub type_names: Vec<String>,
    /// The `.decl` (or, when inferred, the first head that defined it).
    pub span: Span,
    /// True when no `.decl` exists and the columns were inferred from rules.
    pub inferred: bool,
    /// Qualifiers of the `.decl` (`eqrel`, `brie`, …).
    pub qualifiers: Vec<String>,
    /// `choice-domain` keys as column positions: for each key, the first
    /// tuple derived with a value of it is kept and later ones dropped.
    pub choice: Vec<Vec<usize>>,
}

impl RelationSchema {
    /// Number of columns.
    pub fn arity(&self) -> usize {
        self.types.len()
    }

    /// True for `eqrel` relations (reflexive, symmetric, transitive closure
    /// of what is derived into them).
    pub fn is_eqrel(&self) -> bool {
        self.qualifiers.iter().any(|q| q == "eqrel")
    }

    /// True for `inline` relations: rules may leave their head variables
    /// to the atom they are expanded into (see [`crate::lang::inline`]).
    pub fn is_inline(&self) -> bool {
        self.qualifiers.iter().any(|q| q == "inline")
    }
}

impl Schema {
    /// The relation called `name`.
    pub fn relation(&self, name: &str) -> Option<&RelationSchema> {
        self.relations.get(name)
    }
}

/// The primitive a built-in type name stands for.
pub fn primitive(name: &str) -> Option<ColumnType> {
    ColumnType::from_name(name)
}
