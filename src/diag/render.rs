//! The text form of a diagnostic: a header, where it points, the quoted line
//! with a caret under the span, and the notes.
//!
//! ```text
//! error: unknown relation `edg`
//!   --> prog.dl:3:17
//!    |
//!  3 | path(x, y) :- edg(x, y).
//!    |               ^^^ not declared
//! ```
//!
//! The layout is pinned byte for byte by the integration tests, and
//! `codespan-reporting`, `ariadne` and `miette` each lay it out otherwise:
//! measured with `codespan-reporting` 0.12 in ASCII mode, it indents the
//! `-->` line with the gutter (three blanks before it from line 10 on, where
//! this prints two), adds a bare `|` line before the notes and a blank line
//! after every diagnostic, and expands tabs to four blanks, so the caret
//! under a tab-separated fact row would no longer line up with the row as
//! the terminal shows it; `ariadne` and `miette` draw boxes. The renderer is
//! therefore kept, with no dependency.

use super::{Diagnostic, Location, Severity, SourceMap, Span};
use std::fmt;

/// A diagnostic paired with the sources its spans point into; its
/// [`Display`](fmt::Display) is the full located text that
/// [`Diagnostic::render`] returns.
#[derive(Clone, Copy, Debug)]
pub struct Located<'a> {
    pub(super) diagnostic: &'a Diagnostic,
    pub(super) sources: &'a SourceMap,
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(out, "{kind}: {}", d.message)?;
        let label = d.label.as_deref();
        match &d.location {
            Location::Span(span) => span_lines(out, self.sources, *span, label)?,
            Location::Line {
                path,
                line,
                col,
                text,
            } => {
                match col {
                    Some(c) => writeln!(out, "  --> {}:{line}:{c}", path.display())?,
                    None => writeln!(out, "  --> {}:{line}", path.display())?,
                }
                if let Some(text) = text {
                    let width = line.to_string().len();
                    writeln!(out, "{:width$} |", "")?;
                    writeln!(out, "{line} | {}", printable(text))?;
                    if let Some(c) = col {
                        let pad = caret_pad(text, *c);
                        let label = label.unwrap_or("");
                        let sep = if label.is_empty() { "" } else { " " };
                        writeln!(out, "{:width$} | {pad}^{sep}{label}", "")?;
                    }
                }
            }
            Location::File(path) => writeln!(out, "  --> {}", path.display())?,
            Location::None => {}
        }
        for note in &d.notes {
            writeln!(out, "  = note: {note}")?;
        }
        Ok(())
    }
}

/// The header, quoted line and carets of a span in program text; nothing
/// when the span's file is not in the map.
fn span_lines(
    out: &mut fmt::Formatter<'_>,
    sources: &SourceMap,
    span: Span,
    label: Option<&str>,
) -> fmt::Result {
    let Some(file) = sources.file(span.file) else {
        return Ok(());
    };
    let (line, col) = file.line_col(span.start);
    writeln!(out, "  --> {}:{line}:{col}", file.path.display())?;
    let text = file.line_text(line);
    let width = line.to_string().len();
    writeln!(out, "{:width$} |", "")?;
    writeln!(out, "{line} | {}", printable(text))?;
    let (end_line, end_col) = file.line_col(span.end);
    let underlined = if end_line == line && end_col > col {
        end_col - col
    } else if end_line == line {
        1
    } else {
        (text.chars().count() + 1).saturating_sub(col).max(1)
    };
    let caret_len = text
        .chars()
        .skip(col - 1)
        .take(underlined)
        .map(|c| char_width(printable_char(c)))
        .sum::<usize>()
        .max(1);
    let pad = caret_pad(text, col);
    let carets = "^".repeat(caret_len);
    match label {
        Some(l) => writeln!(out, "{:width$} | {pad}{carets} {l}", ""),
        None => writeln!(out, "{:width$} | {pad}{carets}", ""),
    }
}

/// A character as a terminal can show it in a quoted line: control
/// characters (from a binary or mis-encoded file) become U+FFFD, one cell.
pub(super) fn printable_char(c: char) -> char {
    if c.is_control() && c != '\t' {
        '\u{FFFD}'
    } else {
        c
    }
}

/// A quoted line with every character made [`printable_char`].
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(|c| printable_char(c) != c) {
        text.chars().map(printable_char).collect::<String>().into()
    } else {
        text.into()
    }
}

/// The blanks that put a caret under 1-based character column `col` of
/// `text` as a terminal shows it once [`printable`]: tabs are repeated, wide
/// (CJK) characters take two cells, a control character the one of its
/// replacement.
fn caret_pad(text: &str, col: usize) -> String {
    let mut pad = String::new();
    for ch in text.chars().take(col.saturating_sub(1)).map(printable_char) {
        match ch {
            '\t' => pad.push('\t'),
            _ => pad.push_str(&" ".repeat(char_width(ch))),
        }
    }
    pad
}

/// Terminal cells of a character: 2 for East Asian wide and full-width
/// characters (漢字, かな, full-width forms), 0 for combining marks, else 1.
fn char_width(ch: char) -> usize {
    unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_span() {
        let mut sm = SourceMap::new();
        let id = sm.add("prog.dl", ".decl e(x: number)\npath(x) :- edg(x).\n");
        let start = 30;
        let d = Diagnostic::error("unknown relation `edg`", Span::new(id, start, start + 3))
            .with_label("not declared");
        let text = d.render(&sm);
        assert_eq!(
            text,
            "error: unknown relation `edg`\n  --> prog.dl:2:12\n  |\n2 | path(x) :- edg(x).\n  |            ^^^ not declared\n"
        );
        assert_eq!(d.located(&sm).to_string(), text);
    }

    #[test]
    fn data_line_location_quotes_the_row() {
        let d = Diagnostic::at_line("expected 2 columns, found 3", "edge.facts", 7)
            .with_line_text("a\tb\tc", Some(5));
        let text = d.render(&SourceMap::new());
        assert!(text.starts_with("error: expected 2 columns, found 3\n  --> edge.facts:7:5\n"));
        assert!(text.contains("7 | a\tb\tc"));
    }

    #[test]
    fn a_warning_about_a_file_carries_its_notes() {
        let d = Diagnostic::at_file("cannot read", "x.facts")
            .with_note("check the path")
            .warning();
        assert_eq!(
            d.render(&SourceMap::new()),
            "warning: cannot read\n  --> x.facts\n  = note: check the path\n"
        );
    }

    #[test]
    fn control_characters_are_quoted_as_replacement_characters() {
        let d = Diagnostic::at_line("bad", "b.facts", 12).with_line_text("a\u{1}\tb", Some(4));
        assert_eq!(
            d.render(&SourceMap::new()),
            "error: bad\n  --> b.facts:12:4\n   |\n12 | a\u{FFFD}\tb\n   |   \t^\n"
        );
    }

    #[test]
    fn carets_line_up_under_wide_characters() {
        let mut sm = SourceMap::new();
        let id = sm.add("j.dl", "p(x) :- 評価(x), q(x).");
        let start = "p(x) :- ".len();
        let d = Diagnostic::error("arity", Span::new(id, start, start + "評価(x)".len()));
        assert!(
            d.render(&sm).ends_with("\n  |         ^^^^^^^\n"),
            "{}",
            d.render(&sm)
        );
        let q = "p(x) :- 評価(x), ".len();
        let d = Diagnostic::error("unknown", Span::new(id, q, q + 1));
        assert!(
            d.render(&sm).ends_with("\n  |                  ^\n"),
            "{}",
            d.render(&sm)
        );
        let d =
            Diagnostic::at_line("not a number", "e.facts", 1).with_line_text("焼津\tx", Some(4));
        assert!(d.render(&SourceMap::new()).ends_with("\n  |     \t^\n"));
    }

    #[test]
    fn a_span_over_several_lines_underlines_to_the_end_of_the_first() {
        let mut sm = SourceMap::new();
        let id = sm.add("m.dl", "ab cd\nef\n");
        let d = Diagnostic::error("long", Span::new(id, 3, 8));
        assert!(d.render(&sm).ends_with("1 | ab cd\n  |    ^^\n"));
    }
}
