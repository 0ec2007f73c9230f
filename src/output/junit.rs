//! JUnit XML for CI dashboards (`pialog check --junit FILE`).
//!
//! Every CI system reads this format: one `<testsuite>` per script, one
//! `<testcase>` per `.assert`, a `<failure>` holding the detail and the
//! offending rows. Written by hand (the format is tiny) and saved with
//! [`super::csv::write_atomically`] so a dashboard never reads half a file.

use std::fmt::Write as _;

/// One assertion's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// `file:line: assertion text`.
    pub name: String,
    /// `None` when it passed; otherwise the message and the detail body
    /// (offending rows as a table).
    pub failure: Option<(String, String)>,
}

/// One script's results.
#[derive(Clone, Debug, PartialEq)]
pub struct Suite {
    /// The script path.
    pub name: String,
    /// Its assertions in order.
    pub cases: Vec<Case>,
    /// An error that stopped the script (parse, type, I/O), if any.
    pub error: Option<String>,
}

pub use super::xml::esc;

/// The whole report.
pub fn render(suites: &[Suite]) -> String {
    let tests: usize = suites.iter().map(|s| s.cases.len().max(1)).sum();
    let failures: usize = suites
        .iter()
        .flat_map(|s| &s.cases)
        .filter(|c| c.failure.is_some())
        .count();
    let errors = suites.iter().filter(|s| s.error.is_some()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        r#"<testsuites name="pialog check" tests="{tests}" failures="{failures}" errors="{errors}">"#
    );
    for suite in suites {
        let f = suite.cases.iter().filter(|c| c.failure.is_some()).count();
        let e = usize::from(suite.error.is_some());
        let _ = writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{f}" errors="{e}">"#,
            esc(&suite.name),
            suite.cases.len().max(e)
        );
        if let Some(err) = &suite.error {
            let _ = writeln!(
                out,
                r#"    <testcase name="{}" classname="{}"><error message="cannot run script">{}</error></testcase>"#,
                esc(&suite.name),
                esc(&suite.name),
                esc(err)
            );
        }
        for case in &suite.cases {
            match &case.failure {
                None => {
                    let _ = writeln!(
                        out,
                        r#"    <testcase name="{}" classname="{}"/>"#,
                        esc(&case.name),
                        esc(&suite.name)
                    );
                }
                Some((message, body)) => {
                    let _ = writeln!(
                        out,
                        r#"    <testcase name="{}" classname="{}"><failure message="{}">{}</failure></testcase>"#,
                        esc(&case.name),
                        esc(&suite.name),
                        esc(message),
                        esc(body)
                    );
                }
            }
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    let _ = writeln!(out, "</testsuites>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_escapes() {
        let xml = render(&[Suite {
            name: "ci.dl".into(),
            cases: vec![
                Case {
                    name: "ci.dl:1: .assert empty r(_)".into(),
                    failure: None,
                },
                Case {
                    name: "ci.dl:2: .assert count r(_) >= 1".into(),
                    failure: Some(("0 < 1".into(), "x & <y>".into())),
                },
            ],
            error: None,
        }]);
        assert!(xml.contains(r#"tests="2" failures="1" errors="0""#));
        assert!(xml.contains("x &amp; &lt;y&gt;"));
        assert!(xml.contains("&gt;= 1"));
    }
}
