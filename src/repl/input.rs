//! When is a statement typed at the prompt complete?
//!
//! Rules, facts and queries end with a `.` (which may come lines later, so
//! the REPL keeps reading); directives (`.decl`, `.assert`, `#include` …) end
//! with their line, as in Soufflé; `:commands` are one line. Strings and
//! comments are skipped while looking, so a `.` inside `"a.b"` or a comment
//! does not end the statement.

/// What the text typed so far is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completeness {
    /// Nothing to run (blank, or only comments).
    Empty,
    /// A whole statement (or command): run it.
    Complete,
    /// Keep reading lines.
    Incomplete,
}

/// Decides whether `text` can be run.
pub fn completeness(text: &str) -> Completeness {
    let trimmed = text.trim_start();
    if trimmed.starts_with(':') {
        return Completeness::Complete;
    }
    let directive = trimmed.starts_with('.') || trimmed.starts_with('#');
    let mut depth: i64 = 0;
    let mut last: Option<char> = None;
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    let mut in_block = false;
    while let Some(c) = chars.next() {
        if in_block {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                in_block = false;
            }
            continue;
        }
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                last = Some('"');
            }
            '/' if chars.peek() == Some(&'/') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                in_block = true;
            }
            '(' | '{' => {
                depth += 1;
                last = Some(c);
            }
            ')' | '}' => {
                depth -= 1;
                last = Some(c);
            }
            c if c.is_whitespace() => {}
            c => last = Some(c),
        }
    }
    if last.is_none() && !in_string && !in_block {
        return Completeness::Empty;
    }
    if in_string || in_block {
        return Completeness::Incomplete;
    }
    // A final `.` ends a statement even with a bracket left open: the user
    // meant to finish, and the parser will point at what is missing.
    if last == Some('.') || (directive && depth <= 0) {
        Completeness::Complete
    } else {
        Completeness::Incomplete
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_end_with_a_period_outside_strings() {
        assert_eq!(completeness("?- flow(a, b"), Completeness::Incomplete);
        assert_eq!(completeness("?- flow(a, b."), Completeness::Complete);
        assert_eq!(
            completeness("?- flow(a, b,\n  c, d, e)."),
            Completeness::Complete
        );
        assert_eq!(completeness("r(\"a.\")"), Completeness::Incomplete);
        assert_eq!(completeness("r(\"a.\"). // done."), Completeness::Complete);
        assert_eq!(completeness("r(x) :- s(x). /* ."), Completeness::Incomplete);
        assert_eq!(completeness("r(x) :- /* . */"), Completeness::Incomplete);
    }

    #[test]
    fn directives_and_commands_end_with_the_line() {
        assert_eq!(completeness(".decl r(x: number)"), Completeness::Complete);
        assert_eq!(completeness(".decl r(x: number,"), Completeness::Incomplete);
        assert_eq!(completeness(":schema flow"), Completeness::Complete);
        assert_eq!(completeness("   "), Completeness::Empty);
        assert_eq!(completeness("// note"), Completeness::Empty);
    }
}
