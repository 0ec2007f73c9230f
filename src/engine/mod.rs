//! The Datalog engine (being built): interning, stratification, planning and
//! datafrog evaluation.

pub mod table;
