//! The one-line verdict of an `.assert`, the same in `run`, `check` and the
//! REPL, so that CI logs and a person at the prompt read one format:
//! `ok file:line: text` or `FAIL file:line: text: detail`.

use crate::diag::SourceMap;
use crate::repl::pretty::one_line;
use crate::session::AssertionResult;

/// `file:line` of an assertion; the column adds nothing to a verdict line.
pub fn assertion_place(a: &AssertionResult, sources: &SourceMap) -> String {
    let pos = sources.position(a.span);
    match pos.rsplit_once(':') {
        Some((file_line, _col)) => file_line.to_string(),
        None => pos,
    }
}

/// The verdict line without its line break; an assertion written over
/// several lines is folded onto one.
pub fn verdict_line(a: &AssertionResult, sources: &SourceMap) -> String {
    let at = assertion_place(a, sources);
    let text = one_line(&a.text);
    if a.passed {
        format!("ok {at}: {text}")
    } else {
        format!("FAIL {at}: {text}: {}", a.detail)
    }
}
