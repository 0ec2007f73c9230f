//! A statement's text as output shows it: a query heading its answer, an
//! assertion in its verdict line. The source map holds a statement as
//! written (a directive's span runs up to the next statement, comments
//! included); every reporter folds it the same way, so `run`, `check` and
//! the REPL quote a statement alike.

/// A statement's text as written, without the comments and blank lines
/// that follow it (a directive's span runs up to the next statement).
pub fn written(text: &str) -> String {
    let mut lines: Vec<&str> = text.trim().lines().collect();
    while lines
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with("//"))
    {
        lines.pop();
    }
    lines.join("\n").trim().to_string()
}

/// A statement's text on one line: comments dropped and runs of blanks
/// (line breaks included) folded to one space outside strings, so that an
/// assertion spread over lines still makes one `FAIL …`/`ok …` line.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.trim().chars().peekable();
    let mut blank = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                if blank && !out.is_empty() {
                    out.push(' ');
                }
                blank = false;
                out.push('"');
                while let Some(d) = chars.next() {
                    out.push(d);
                    match d {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                out.push(e);
                            }
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
                blank = true;
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for d in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
                blank = true;
            }
            c if c.is_whitespace() => blank = true,
            c => {
                if blank && !out.is_empty() {
                    out.push(' ');
                }
                blank = false;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_text_drops_trailing_comments() {
        assert_eq!(
            written(".assert empty r(_)\n\n// next check\n"),
            ".assert empty r(_)"
        );
        assert_eq!(written("?- a(x),\n   b(x)."), "?- a(x),\n   b(x).");
    }

    #[test]
    fn one_line_folds_blanks_and_comments_outside_strings() {
        assert_eq!(
            one_line(".assert empty e(x),\n   // why\n   x = \"a  // b\", /* c */ y = \"\\\"\"\n"),
            ".assert empty e(x), x = \"a  // b\", y = \"\\\"\""
        );
    }
}
