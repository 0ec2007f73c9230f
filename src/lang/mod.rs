//! The surface language: pest grammar -> AST with spans -> checked program.
//!
//! [`parser`] turns text into [`ast::Program`] (expanding `#include`, bodies
//! in disjunctive normal form), and [`check`] resolves relations and types
//! and reports every user error with a span before anything is evaluated,
//! producing the [`schema::Schema`] the engine plans from. The grammar
//! itself is `grammar/pialog.pest`: the language at a glance.

pub mod ast;
pub mod check;
pub mod checked;
pub mod comp;
pub mod needed;
pub(crate) mod parse;
pub mod parser;
pub mod patterns;
pub mod schema;
pub mod signature;
pub mod types;
pub mod witness;
