//! Diagnostics: the errors and warnings a user can cause, as values.
//!
//! Every error a user can cause must point at the text that caused it: a
//! `file:line:col` header, the source line and a caret under the span. Stages
//! therefore carry [`Span`]s from the parser to the last check, and only the
//! final report turns them into lines and columns through the [`SourceMap`]
//! ([`render`] lays the text out). Errors about data files that are not
//! program text (a bad TSV row, an unreadable document) use
//! [`Location::Line`] instead.
//!
//! [`Diagnostic`] and [`Diagnostics`] are [`std::error::Error`]s, so a
//! program that embeds pialog can pass them up with `?` like any other
//! error; their `Display` is the message alone, and
//! [`Diagnostic::render`] / [`Diagnostics::render`] give the located text
//! the command line prints.

mod bad_byte;
pub mod render;
mod source;

pub use bad_byte::locate_bad_byte;
pub use render::Located;
pub use source::{FileId, SourceFile, SourceMap, Span};
use std::path::{Path, PathBuf};

/// Where a diagnostic points.
#[derive(Clone, Debug, PartialEq)]
pub enum Location {
    /// Program text: rendered with the source line and a caret.
    Span(Span),
    /// A data file line (TSV facts, an imported document): rendered as
    /// `path:line` (and `:col` when known) with the line quoted when given.
    Line {
        /// The data file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column when known.
        col: Option<usize>,
        /// The offending line, quoted under the header.
        text: Option<String>,
    },
    /// A whole file (cannot be opened, cannot be written).
    File(PathBuf),
    /// No location (command-line misuse).
    None,
}

/// One error or warning for the user; rendered by [`Diagnostic::render`].
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Diagnostic {
    /// `error` or `warning`.
    pub severity: Severity,
    /// One sentence saying what is wrong.
    pub message: String,
    /// What it points at.
    pub location: Location,
    /// Short label printed after the caret.
    pub label: Option<String>,
    /// Extra lines: hints, the other end of a cycle, what to do.
    pub notes: Vec<String>,
}

/// How bad a diagnostic is; errors make the command exit 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Stops the command.
    Error,
    /// Reported, the command goes on.
    Warning,
}

impl Diagnostic {
    /// An error pointing at program text.
    pub fn error(message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: Location::Span(span),
            label: None,
            notes: Vec::new(),
        }
    }

    /// An error about a line of a data file.
    pub fn at_line(message: impl Into<String>, path: impl AsRef<Path>, line: usize) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: Location::Line {
                path: path.as_ref().to_path_buf(),
                line,
                col: None,
                text: None,
            },
            label: None,
            notes: Vec::new(),
        }
    }

    /// An error about a whole file (unreadable, unwritable).
    pub fn at_file(message: impl Into<String>, path: impl AsRef<Path>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: Location::File(path.as_ref().to_path_buf()),
            label: None,
            notes: Vec::new(),
        }
    }

    /// An error with no location (bad command-line use).
    pub fn plain(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: Location::None,
            label: None,
            notes: Vec::new(),
        }
    }

    /// Turns the diagnostic into a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Adds the label printed after the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a note line.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the quoted text and column of a [`Location::Line`].
    pub fn with_line_text(mut self, quoted: impl Into<String>, column: Option<usize>) -> Self {
        if let Location::Line { text, col, .. } = &mut self.location {
            *text = Some(quoted.into());
            *col = column;
        }
        self
    }

    /// Renders the diagnostic as the user sees it: the header, where it
    /// points, the quoted line with a caret under the span, the notes (see
    /// [`render`]).
    pub fn render(&self, sources: &SourceMap) -> String {
        self.located(sources).to_string()
    }

    /// The diagnostic with the sources its span points into, to format the
    /// located text straight into a writer; its own `Display` is only the
    /// message, since a span means nothing without the text.
    pub fn located<'a>(&'a self, sources: &'a SourceMap) -> Located<'a> {
        Located {
            diagnostic: self,
            sources,
        }
    }
}

/// Several diagnostics from one stage; a stage reports all it found, not
/// just the first, so that a user fixes a file in one pass.
///
/// Its `Display` is the first message and how many follow; the located
/// text of all of them is [`Diagnostics::render`].
#[derive(Clone, Debug, Default, PartialEq, thiserror::Error)]
#[error("{}", summary(&self.0))]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Renders every diagnostic, separated by blank lines.
    pub fn render(&self, sources: &SourceMap) -> String {
        self.0
            .iter()
            .map(|d| d.render(sources))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// True when at least one entry is an error (not a warning).
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// One line for a list of diagnostics: the first error's message (the first
/// warning's when there is no error) and the count of the others.
fn summary(all: &[Diagnostic]) -> String {
    let first = all
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or(all.first());
    match (first, all.len()) {
        (None, _) => "no diagnostics".to_string(),
        (Some(d), 1) => d.message.clone(),
        (Some(d), n) => format!("{} (and {} more)", d.message, n - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_is_an_error_whose_display_is_its_message() {
        let d = Diagnostic::at_line("expected 2 columns, found 3", "edge.facts", 7);
        let e: &dyn std::error::Error = &d;
        assert_eq!(e.to_string(), "expected 2 columns, found 3");
        assert!(e.source().is_none());
    }

    #[test]
    fn several_diagnostics_display_the_first_error_and_a_count() {
        let warn = Diagnostic::plain("unused relation `u`").warning();
        let err = Diagnostic::plain("unknown relation `edg`");
        let all = Diagnostics(vec![warn.clone(), err.clone(), warn.clone()]);
        assert_eq!(all.to_string(), "unknown relation `edg` (and 2 more)");
        assert_eq!(Diagnostics::from(err).to_string(), "unknown relation `edg`");
        assert_eq!(Diagnostics::from(warn).to_string(), "unused relation `u`");
        assert_eq!(Diagnostics::default().to_string(), "no diagnostics");
        assert_eq!(all.into_iter().count(), 3);
    }

    #[test]
    fn diagnostics_pass_up_through_question_marks() {
        fn stage() -> Result<(), Diagnostics> {
            Err(Diagnostic::plain("no input").into())
        }
        fn program() -> Result<(), Box<dyn std::error::Error>> {
            stage()?;
            Ok(())
        }
        assert_eq!(program().map_err(|e| e.to_string()), Err("no input".into()));
    }

    #[test]
    fn diagnostics_render_blank_line_separated() {
        let all = Diagnostics(vec![
            Diagnostic::plain("a"),
            Diagnostic::plain("b").warning(),
        ]);
        assert_eq!(all.render(&SourceMap::new()), "error: a\n\nwarning: b\n");
    }
}
