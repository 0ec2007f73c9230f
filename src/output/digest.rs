//! The one-screen view of `pialog check`: what the knowledge base holds (a
//! line of figures per assessment), then each script under its name with
//! every saved question as one line (its comment, its row count, the rows
//! per assessment), every assertion's verdict, where to look next, and the
//! CI verdict as the very last line, where a CI log shows it. The full
//! answer tables are one flag away (`--full`).

use super::table::{Fit, answer, row_count};
use super::width::{columns, elide_end, pad};
use crate::engine::table::Table;
use std::fmt::Write as _;

/// One saved question's answer, as the digest shows it.
#[derive(Clone, Debug)]
pub struct Question {
    /// The comment written above the query (or the query itself).
    pub label: String,
    /// The answer.
    pub table: Table,
}

/// What one script gave.
#[derive(Clone, Debug, Default)]
pub struct Script {
    /// The script's path as given.
    pub name: String,
    /// The first sentence of the comment the script starts with.
    pub about: String,
    /// What the program itself prints (`.printsize` lines, relations sent
    /// to stdout), as `pialog run` prints it.
    pub printed: String,
    /// Its questions in order.
    pub questions: Vec<Question>,
    /// Its verdict lines (`ok …`, `FAIL …`) with the offending rows of a
    /// failure, already rendered.
    pub verdicts: Vec<(String, Option<Table>)>,
    /// The error that kept it from running.
    pub broken: Option<String>,
}

/// Rows of a failed assertion shown under it; `--full` shows them all.
const OFFENDING_SHOWN: usize = 5;

/// The count (`222 rows`, or `true`/`false` for a yes-no question).
fn count(table: &Table) -> String {
    if table.columns.is_empty() {
        return if table.rows.is_empty() {
            "false"
        } else {
            "true"
        }
        .to_string();
    }
    row_count(table.len())
}

/// ` · 札幌市長/24 100, 焼津市長/26 80` — when the first column is the
/// assessment, how the rows share out among them.
fn shares(table: &Table) -> String {
    let mut s = String::new();
    if table.columns.first().is_some_and(|c| c == "a") && !table.rows.is_empty() {
        let mut per: Vec<(String, usize)> = Vec::new();
        for r in &table.rows {
            let a = r.first().map(|v| v.to_string()).unwrap_or_default();
            match per.iter_mut().find(|(x, _)| *x == a) {
                Some((_, n)) => *n += 1,
                None => per.push((a, 1)),
            }
        }
        if per.len() > 1 {
            let parts: Vec<String> = per.iter().map(|(a, n)| format!("{a} {n}")).collect();
            let _ = write!(s, " · {}", parts.join(", "));
        }
    }
    s
}

/// A line cut to the screen (never when there is no screen).
fn fitted(line: &str, width: Option<usize>) -> String {
    match width {
        Some(w) if columns(line) > w => elide_end(line, w),
        _ => line.to_string(),
    }
}

/// Lines of a script's own output shown under its name; `--full` shows
/// all of them.
const PRINTED_SHOWN: usize = 10;

/// The script's own output, indented under its name and cut to
/// [`PRINTED_SHOWN`] lines.
fn printed_lines(printed: &str, width: Option<usize>, out: &mut String) {
    let lines: Vec<&str> = printed.lines().collect();
    for line in lines.iter().take(PRINTED_SHOWN) {
        let _ = writeln!(out, "{}", fitted(&format!("  {line}"), width));
    }
    if lines.len() > PRINTED_SHOWN {
        let _ = writeln!(
            out,
            "  (first {PRINTED_SHOWN} of {} lines; --full shows all)",
            lines.len()
        );
    }
}

/// Renders the digest; `overview` is the table of assessment figures (none
/// without a knowledge base), `verdict` the closing `N passed, M failed`.
pub fn render(
    overview: Option<&Table>,
    scripts: &[Script],
    width: Option<usize>,
    verdict: &str,
) -> String {
    let fit = Fit {
        width,
        ..Fit::default()
    };
    let mut out = String::new();
    if let Some(t) = overview.filter(|t| !t.rows.is_empty()) {
        let head = format!(
            "{} assessment{} (weak: risks rated weakly; gaps: measure classes peers state and it lacks)",
            t.len(),
            if t.len() == 1 { "" } else { "s" }
        );
        let _ = writeln!(out, "{}", fitted(&head, width));
        out.push_str(&super::table::draw(t, fit).text);
        out.push('\n');
    }
    for s in scripts {
        let head = if s.about.is_empty() {
            s.name.clone()
        } else {
            format!("{} — {}", s.name, s.about)
        };
        let _ = writeln!(out, "{}", fitted(&head, width));
        if let Some(e) = &s.broken {
            let first = e.lines().next().unwrap_or("error");
            let _ = writeln!(
                out,
                "{}",
                fitted(&format!("  could not run: {first}"), width)
            );
        }
        printed_lines(&s.printed, width, &mut out);
        let counts: Vec<String> = s.questions.iter().map(|q| count(&q.table)).collect();
        let room = counts.iter().map(|c| columns(c)).max().unwrap_or(0);
        for (q, n) in s.questions.iter().zip(&counts) {
            let label = q.label.trim_end_matches(['.', '。']);
            let line = format!("  {}  {label}{}", pad(n, room, true), shares(&q.table));
            let _ = writeln!(out, "{}", fitted(&line, width));
        }
        for (line, offending) in &s.verdicts {
            let _ = writeln!(out, "{}", fitted(line, width));
            if let Some(t) = offending.as_ref().filter(|t| !t.columns.is_empty()) {
                let mut head = t.clone();
                head.rows.truncate(OFFENDING_SHOWN);
                out.push_str(&answer(&head, fit));
                if t.len() > OFFENDING_SHOWN {
                    let _ = writeln!(
                        out,
                        "(first {OFFENDING_SHOWN} of {}; --full shows all)",
                        t.len()
                    );
                }
            }
        }
    }
    out.push('\n');
    for line in [
        "next: --full prints every answer table, --format line|csv|markdown|json other forms",
        "      pialog repl to ask further (:why explains a row), pialog report -o report.html",
        "      writes a page to hand on",
    ] {
        let _ = writeln!(out, "{}", fitted(line, width));
    }
    let _ = writeln!(out, "{verdict}");
    out
}

/// The comment block right above line `line` of `text` (1-based), joined
/// into one line; empty when the line above is not a comment.
pub fn comment_above(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut block = Vec::new();
    let mut i = line.saturating_sub(1);
    while i > 0 {
        let l = lines.get(i - 1).map_or("", |l| l.trim());
        match l.strip_prefix("//") {
            Some(c) => block.push(c.trim()),
            None => break,
        }
        i -= 1;
    }
    block.reverse();
    block.join(" ").trim().to_string()
}

/// The first sentence of the comment a script opens with.
pub fn about(text: &str) -> String {
    let mut words = Vec::new();
    for l in text.lines() {
        let Some(c) = l.trim().strip_prefix("//") else {
            break;
        };
        let c = c.trim();
        if c.is_empty() {
            break;
        }
        words.push(c);
    }
    let joined = words.join(" ");
    // Up to the first full stop (`. ` or `。`).
    let end = [
        joined.find(". ").map(|i| i + 1),
        joined.find('。').map(|i| i + '。'.len_utf8()),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(joined.len());
    joined[..end].trim_end_matches('.').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::table::Value;
    use crate::output::fixture::{sym, table};

    const SCRIPT: &str = "// What changed between versions, according to its change\n// list. More text.\n//\n//   pialog check x.dl\n\n// Every change,\n// in order.\n?- change(a, k).\n\n?- other(x).\n";

    #[test]
    fn labels_come_from_the_comments() {
        assert_eq!(
            about(SCRIPT),
            "What changed between versions, according to its change list"
        );
        assert_eq!(comment_above(SCRIPT, 8), "Every change, in order.");
        assert_eq!(comment_above(SCRIPT, 10), "");
    }

    #[test]
    fn one_line_per_question_and_the_verdict_last() {
        let t = table(
            &["a", "k"],
            vec![
                vec![sym("焼津市長/26"), Value::Number(1)],
                vec![sym("焼津市長/26"), Value::Number(2)],
                vec![sym("練馬区長/3"), Value::Number(1)],
            ],
        );
        let s = Script {
            name: "x.dl".into(),
            about: "About".into(),
            printed: "q\t3\n".into(),
            questions: vec![Question {
                label: "Every change".into(),
                table: t.clone(),
            }],
            verdicts: vec![
                ("ok x.dl:3: .assert a".into(), None),
                ("FAIL x.dl:4: .assert b: 3 rows".into(), Some(t.clone())),
            ],
            broken: None,
        };
        let text = render(Some(&t), &[s], Some(60), "1 passed, 1 failed");
        assert!(text.contains("x.dl — About\n  q\t3\n"), "{text}");
        assert!(
            text.contains("  3 rows  Every change · 焼津市長/26 2, 練馬区長/3 1\n"),
            "{text}"
        );
        assert!(text.contains("FAIL x.dl:4"), "{text}");
        assert!(text.ends_with("\n1 passed, 1 failed\n"), "{text}");
        assert!(text.lines().all(|l| columns(l) <= 60), "{text}");
    }
}
