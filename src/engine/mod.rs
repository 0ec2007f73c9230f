//! The Datalog engine: interning, stratification, planning and datafrog
//! evaluation.

pub mod compile;
pub mod eval;
pub mod functors;
pub mod intern;
pub mod io;
pub mod ir;
pub mod plan;
pub mod stratify;
pub mod table;
pub mod value;
