//! The surface language: pest grammar -> AST with spans -> checked program.
//!
//! `parser` turns text into [`ast::Program`] (expanding `#include`), and
//! `check` resolves relations and types and reports every user error with a
//! span before anything is evaluated.

pub mod ast;
mod parse;
pub mod parser;
