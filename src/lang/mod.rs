//! The surface language: pest grammar -> AST with spans -> checked program.
//!
//! [`parser`] turns text into [`ast::Program`] (expanding `#include`, bodies
//! in disjunctive normal form), and [`check`] resolves relations and types
//! and reports every user error with a span before anything is evaluated,
//! producing the [`checked::CheckedProgram`] the engine lowers and plans
//! from: the [`schema::Schema`] and every rule variable's type, in the
//! primitive [`types::ColumnType`]s, with functors typed by one table
//! ([`signature`]). The grammar itself is `grammar/pialog.pest`: the
//! language at a glance.

pub mod ast;
pub mod check;
pub mod checked;
pub mod comp;
pub mod inline;
pub mod needed;
pub(crate) mod parse;
pub mod parser;
pub mod patterns;
pub mod record_types;
pub mod schema;
pub mod signature;
pub mod types;
pub mod witness;
