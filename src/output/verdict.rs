//! The one-line verdict of an `.assert`, the same in `run`, `check` and the
//! REPL, so that CI logs and a person at the prompt read one format:
//! `ok file:line: text` or `FAIL file:line: text: detail`.

use super::result::AssertionResult;
use super::statement::one_line;
use crate::diag::SourceMap;

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

/// The verdict on an assertion, failed as vacuous: the value check found
/// it naming a value no row holds (`kb::values`), so it says nothing about
/// the data, whatever its rows.
pub fn unless_vacuous(a: &AssertionResult) -> AssertionResult {
    let mut a = a.clone();
    a.passed = false;
    a.detail = "vacuous: it names a value no row holds (see the warning)".into();
    a
}
