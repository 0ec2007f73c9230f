//! pialog: a knowledge base of Japanese privacy impact assessments
//! (特定個人情報保護評価書) with a Datalog query language.
//!
//! Data flows one way: text -> [`lang`] (pest grammar, AST with spans,
//! checks) -> [`engine`] (interning, stratification, planning, datafrog
//! evaluation) -> rows -> [`output`] (tables, CSV, JSON, DOT). Assessment
//! documents enter through [`import`], which writes fact files that [`kb`]
//! loads with their provenance. Every user error is a [`diag::Diagnostic`]
//! that points at the text that caused it.

// Errors are the cold path and carry source locations; boxing them would
// only move the cost to every construction site.
#![allow(clippy::result_large_err)]

pub mod bench;
pub mod classify;
pub mod cli;
pub mod diag;
pub mod engine;
pub mod fence;
pub mod r#gen;
pub mod import;
pub mod kb;
pub mod lang;
pub mod limits;
pub mod output;
pub mod peak_memory;
pub mod regular_file;
pub mod repl;
pub mod session;
