//! What one evaluation produced besides the database: query answers,
//! assertion verdicts, sizes, files written, Soufflé's stdout, warnings.

use crate::diag::Span;
use crate::engine::table::Table;
use std::path::PathBuf;

/// The answer to one `?-` query of a program.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The query as written.
    pub text: String,
    /// Where it was written.
    pub span: Span,
    /// Its rows (columns = named variables in order of first appearance).
    pub table: Table,
}

/// The verdict on one `.assert`.
#[derive(Clone, Debug)]
pub struct AssertionResult {
    /// The assertion as written.
    pub text: String,
    /// Where it was written.
    pub span: Span,
    /// Whether it held.
    pub passed: bool,
    /// What was found (`3 rows`, `count is 0, expected >= 1`).
    pub detail: String,
    /// The rows that made it fail (all matching rows).
    pub offending: Table,
}

/// Everything one evaluation produced besides the database.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Query answers in program order.
    pub answers: Vec<Answer>,
    /// Assertion verdicts in program order.
    pub assertions: Vec<AssertionResult>,
    /// `.printsize` results in program order.
    pub printsizes: Vec<(String, usize)>,
    /// Files written (`.output`, `.export`).
    pub written: Vec<PathBuf>,
    /// What Soufflé would print, in program order: relations written with
    /// `IO=stdout` or `-D -` (in Soufflé's framing) and `.printsize` lines
    /// (`rel<TAB>N`).
    pub stdout: String,
    /// Warnings raised during evaluation (e.g. a bad `substr` index).
    pub warnings: Vec<String>,
}
