//! pialog: a knowledge base of Japanese privacy impact assessments
//! (特定個人情報保護評価書) with a Datalog query language.
//!
//! Data flows one way: text -> `lang` (pest grammar, AST with spans,
//! checks) -> `engine` (interning, stratification, planning, datafrog
//! evaluation) -> rows -> `output` (tables, CSV, JSON, DOT). Assessment
//! documents enter through `import`, which writes fact files that `kb`
//! loads with their provenance. Every user error is a [`Diagnostic`] that
//! points at the text that caused it.
//!
//! # Embedding
//!
//! The `pialog` command is one user of this library; a program of its own can
//! hold a [`Session`] instead of scraping the command's text. A session keeps
//! the program loaded so far (declarations, facts, rules), evaluates it when
//! it is asked something, and hands rows back as a [`Table`] of [`Value`]s:
//!
//! ```
//! use pialog::{Session, Value};
//!
//! let mut session = Session::new();
//! // Facts, as `pialog import` writes them for each assessment.
//! session.load_source(
//!     "facts.dl",
//!     r#"
//!     .decl entrusted(a: symbol, vendor: symbol)
//!     .decl reentrust_allowed(a: symbol, vendor: symbol)
//!     entrusted("焼津市長/26", "A社").
//!     entrusted("焼津市長/26", "B社").
//!     reentrust_allowed("焼津市長/26", "B社").
//!     "#,
//! )?;
//! // A rule over them, added to the same session.
//! session.load_source(
//!     "rules.dl",
//!     r#"
//!     .decl reentrusted(a: symbol, vendor: symbol)
//!     reentrusted(a, v) :- entrusted(a, v), reentrust_allowed(a, v).
//!     "#,
//! )?;
//! // Rows of a query: one column per named variable.
//! let found = session.query("reentrusted(a, v)")?;
//! assert_eq!(found.columns, ["a", "v"]);
//! assert_eq!(
//!     found.rows,
//!     [[Value::Symbol("焼津市長/26".into()), Value::Symbol("B社".into())]]
//! );
//! // Or a whole relation, sorted as Soufflé writes it.
//! let all = session.relation("entrusted").expect("evaluated by the query");
//! assert_eq!(all.len(), 2);
//! # Ok::<(), pialog::Diagnostics>(())
//! ```
//!
//! A mistake comes back as [`Diagnostics`], a [`std::error::Error`] whose
//! `Display` is the message; [`Diagnostics::render`] with the session's
//! [`Session::sources`] gives the located text the command line prints:
//!
//! ```
//! let mut session = pialog::Session::new();
//! let err = session.load_source("typo.dl", "p(x) :- edg(x).").unwrap_err();
//! let text = err.render(session.sources());
//! assert!(text.contains("  --> typo.dl:1:"), "{text}");
//! ```
//!
//! The modules hidden from this documentation (the command line, the
//! benchmark, the corpus generator, the engine's and the importer's inner
//! parts) are public only so that the binary and the integration tests reach
//! them; they are not a stable interface.

// Errors are the cold path and carry source locations; boxing them would
// only move the cost to every construction site.
#![allow(clippy::result_large_err)]

pub mod diag;

#[doc(hidden)]
pub mod bench;
pub(crate) mod classify;
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod engine;
pub(crate) mod fence;
#[doc(hidden)]
pub mod r#gen;
#[doc(hidden)]
pub mod import;
#[doc(hidden)]
pub mod kb;
#[doc(hidden)]
pub mod lang;
#[doc(hidden)]
pub mod limits;
#[doc(hidden)]
pub mod output;
pub(crate) mod peak_memory;
pub(crate) mod regular_file;
#[doc(hidden)]
pub mod repl;
#[doc(hidden)]
pub mod session;

pub use diag::{Diagnostic, Diagnostics, Location, Severity, SourceMap, Span};
pub use engine::table::{ColumnType, Table, Value};
pub use session::{Answer, AssertionResult, Outcome, Session};
