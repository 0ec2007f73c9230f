//! Record types and algebraic data types, as the checker resolved them.
//!
//! A `.type T = [x: number, next: T]` or `.type T = A {…} | B {}` gets a
//! number, and columns of that type are [`ColumnType::Record`] with it; this
//! table says what the number stands for (field names and types, or the
//! branches), for type checking, for lowering record terms, and for reading
//! and printing values in Soufflé's text form.
//!
//! Branches of an algebraic data type are kept sorted by name, as Soufflé
//! numbers them: a value of an enumeration (every branch without fields) is
//! its branch's index, any other value is the record `[index, payload]`,
//! the payload being the one argument itself or the record of the
//! arguments (Soufflé's encoding, so that values order and compare alike).

use crate::lang::types::ColumnType;

/// Every record type and algebraic data type of a program, by number.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordTypes {
    /// The types; [`ColumnType::Record`]`(i)` is `types[i]`.
    pub types: Vec<RecordType>,
}

/// One record type or algebraic data type.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordType {
    /// The type's name as declared.
    pub name: String,
    /// What its values are made of.
    pub kind: RecordKind,
}

/// The two kinds of types whose values are records.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordKind {
    /// `[x: number, y: symbol]`: the fields in order.
    Record(Vec<Field>),
    /// `A {…} | B {…}`: the branches, sorted by name.
    Adt(Vec<Branch>),
}

/// A named, typed field of a record or of a branch.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Its name as declared.
    pub name: String,
    /// Its type.
    pub ty: ColumnType,
}

/// One constructor of an algebraic data type.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// The constructor's name (without `$`).
    pub name: String,
    /// Its fields.
    pub fields: Vec<Field>,
}

/// Where a constructor belongs: its type's number and its branch index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BranchRef {
    /// The algebraic data type.
    pub adt: u32,
    /// The branch's index in name order.
    pub index: u32,
}

impl RecordTypes {
    /// The type numbered `id`.
    pub fn get(&self, id: u32) -> Option<&RecordType> {
        self.types.get(id as usize)
    }

    /// The fields of a record type (`None` for an unknown number or an
    /// algebraic data type).
    pub fn fields(&self, id: u32) -> Option<&[Field]> {
        match &self.get(id)?.kind {
            RecordKind::Record(f) => Some(f),
            RecordKind::Adt(_) => None,
        }
    }

    /// The branches of an algebraic data type.
    pub fn branches(&self, id: u32) -> Option<&[Branch]> {
        match &self.get(id)?.kind {
            RecordKind::Adt(b) => Some(b),
            RecordKind::Record(_) => None,
        }
    }

    /// True for an algebraic data type whose branches have no fields: its
    /// values are bare branch indices.
    pub fn is_enum(&self, id: u32) -> bool {
        self.branches(id)
            .is_some_and(|b| b.iter().all(|x| x.fields.is_empty()))
    }

    /// The constructor called `name` (constructor names are unique in a
    /// program, as in Soufflé).
    pub fn branch(&self, name: &str) -> Option<(BranchRef, &Branch)> {
        self.types
            .iter()
            .enumerate()
            .find_map(|(i, t)| match &t.kind {
                RecordKind::Adt(bs) => bs.iter().enumerate().find_map(|(j, b)| {
                    (b.name == name).then_some((
                        BranchRef {
                            adt: i as u32,
                            index: j as u32,
                        },
                        b,
                    ))
                }),
                RecordKind::Record(_) => None,
            })
    }

    /// The declared name of type `id`, for messages.
    pub fn name(&self, id: u32) -> &str {
        self.get(id).map_or("?", |t| t.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> RecordTypes {
        let branch = |n: &str| Branch {
            name: n.into(),
            fields: Vec::new(),
        };
        RecordTypes {
            types: vec![
                RecordType {
                    name: "P".into(),
                    kind: RecordKind::Record(vec![Field {
                        name: "x".into(),
                        ty: ColumnType::Number,
                    }]),
                },
                RecordType {
                    name: "Day".into(),
                    kind: RecordKind::Adt(vec![branch("Mon"), branch("Tue")]),
                },
            ],
        }
    }

    #[test]
    fn constructors_are_found_by_name_with_their_index() {
        let t = day();
        let (r, b) = t.branch("Tue").unwrap();
        assert_eq!((r.adt, r.index, b.name.as_str()), (1, 1, "Tue"));
        assert!(t.branch("Wed").is_none());
        assert!(t.is_enum(1));
        assert!(!t.is_enum(0));
        assert_eq!(t.fields(0).map(|f| f.len()), Some(1));
        assert!(t.fields(1).is_none());
        assert_eq!(t.name(1), "Day");
    }
}
