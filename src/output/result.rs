//! What one evaluation of a script produced, as data: the answers of its
//! `?-` queries, the verdicts of its `.assert`s, what the program itself
//! prints (relations sent to stdout, `.printsize` lines), the files its
//! directives wrote and the warnings raised on the way.
//!
//! The session fills an [`Outcome`]; every command that shows one (`run`,
//! `check`, the REPL) hands it to the one [`super::reporter`], so the same
//! script says the same thing wherever it runs, and a program embedding
//! pialog reads rows instead of scraping text.

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

/// One piece of what the program itself prints, as Soufflé would print it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Printed {
    /// A relation written with `IO=stdout` (or under `-D -`).
    Relation {
        /// The relation.
        name: String,
        /// Its column names, when the directive asked for `headers=true`.
        header: Option<Vec<String>>,
        /// Its rows as Soufflé writes them (tab-separated lines).
        body: String,
    },
    /// A `.printsize` result.
    Size {
        /// The relation.
        relation: String,
        /// How many rows it holds.
        rows: usize,
    },
}

/// Everything one evaluation produced besides the database.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Query answers in program order.
    pub answers: Vec<Answer>,
    /// Assertion verdicts in program order.
    pub assertions: Vec<AssertionResult>,
    /// What the program prints, in Soufflé's order (relations and sizes as
    /// their strata complete).
    pub printed: Vec<Printed>,
    /// Files written (`.output`, `.export`).
    pub written: Vec<PathBuf>,
    /// Warnings raised during evaluation (e.g. a bad `substr` index).
    pub warnings: Vec<String>,
}

impl Outcome {
    /// The `.printsize` results in order, as (relation, rows).
    pub fn printsizes(&self) -> impl Iterator<Item = (&str, usize)> {
        self.printed.iter().filter_map(|p| match p {
            Printed::Size { relation, rows } => Some((relation.as_str(), *rows)),
            Printed::Relation { .. } => None,
        })
    }

    /// Whether an assertion failed (what makes `run` and `check` exit 1).
    pub fn failed(&self) -> bool {
        self.assertions.iter().any(|a| !a.passed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_off_what_is_printed() {
        let outcome = Outcome {
            printed: vec![
                Printed::Relation {
                    name: "r".into(),
                    header: None,
                    body: "a\n".into(),
                },
                Printed::Size {
                    relation: "s".into(),
                    rows: 3,
                },
            ],
            ..Outcome::default()
        };
        assert_eq!(outcome.printsizes().collect::<Vec<_>>(), vec![("s", 3)]);
        assert!(!outcome.failed());
    }
}
