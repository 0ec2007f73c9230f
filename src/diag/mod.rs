//! Source files and diagnostics shared by every stage.
//!
//! Every error a user can cause must point at the text that caused it: a
//! `file:line:col` header, the source line and a caret under the span. Stages
//! therefore carry [`Span`]s (file id + byte range) from the parser to the last
//! check, and only the final report turns them into lines and columns through
//! the [`SourceMap`]. Errors about data files that are not program text (a bad
//! TSV row, an unreadable document) use [`Location::Line`] instead.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Index of a file inside a [`SourceMap`]; cheap to copy into every span.
pub type FileId = usize;

/// A byte range in one loaded source file, kept on every AST node so that a
/// late stage (type checking, stratification) can still underline the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Which file of the [`SourceMap`] the range belongs to.
    pub file: FileId,
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// Builds a span; kept as a function so call sites read as intent.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span { file, start, end }
    }

    /// The smallest span covering both, used for nodes built from parts.
    pub fn join(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One loaded text file; the text is kept so diagnostics can quote it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the user named it (shown in messages).
    pub path: PathBuf,
    /// The whole text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// The text of a 1-based line without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// All program texts loaded in one run or REPL session, so that a span from
/// any of them (including `#include`d files) can be rendered.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a text and returns the id its spans will carry.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> FileId {
        self.files.push(SourceFile::new(path.into(), text.into()));
        self.files.len() - 1
    }

    /// The file behind an id.
    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id)
    }

    /// The text a span covers (empty when the span is out of range).
    pub fn snippet(&self, span: Span) -> &str {
        self.file(span.file)
            .and_then(|f| f.text.get(span.start..span.end))
            .unwrap_or("")
    }

    /// `path:line:col` of the start of a span.
    pub fn position(&self, span: Span) -> String {
        match self.file(span.file) {
            Some(f) => {
                let (line, col) = f.line_col(span.start);
                format!("{}:{}:{}", f.path.display(), line, col)
            }
            None => "<unknown>".to_string(),
        }
    }

    /// Number of loaded files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when nothing was loaded yet.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

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
#[derive(Clone, Debug, PartialEq)]
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

    /// Renders the diagnostic as plain text:
    ///
    /// ```text
    /// error: unknown relation `edg`
    ///   --> prog.dl:3:17
    ///    |
    ///  3 | path(x, y) :- edg(x, y).
    ///    |               ^^^ not declared
    /// ```
    pub fn render(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{kind}: {}", self.message);
        match &self.location {
            Location::Span(span) => render_span(&mut out, sources, *span, self.label.as_deref()),
            Location::Line {
                path,
                line,
                col,
                text,
            } => {
                match col {
                    Some(c) => {
                        let _ = writeln!(out, "  --> {}:{line}:{c}", path.display());
                    }
                    None => {
                        let _ = writeln!(out, "  --> {}:{line}", path.display());
                    }
                }
                if let Some(text) = text {
                    let width = line.to_string().len();
                    let _ = writeln!(out, "{:width$} |", "");
                    let _ = writeln!(out, "{line} | {}", printable(text));
                    if let Some(c) = col {
                        let pad = caret_pad(text, *c);
                        let label = self.label.as_deref().unwrap_or("");
                        let sep = if label.is_empty() { "" } else { " " };
                        let _ = writeln!(out, "{:width$} | {pad}^{sep}{label}", "");
                    }
                }
            }
            Location::File(path) => {
                let _ = writeln!(out, "  --> {}", path.display());
            }
            Location::None => {}
        }
        for note in &self.notes {
            let _ = writeln!(out, "  = note: {note}");
        }
        out
    }
}

/// A quoted line as it can be shown on a terminal: control characters
/// (from a binary or mis-encoded file) become U+FFFD, one cell each.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(|c| c.is_control() && c != '\t') {
        text.chars()
            .map(|c| {
                if c.is_control() && c != '\t' {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// The blanks that put a caret under 1-based character column `col` of
/// `text` as a terminal shows it: tabs are repeated, wide (CJK) characters
/// take two cells.
fn caret_pad(text: &str, col: usize) -> String {
    let mut pad = String::new();
    for ch in text.chars().take(col.saturating_sub(1)) {
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

fn render_span(out: &mut String, sources: &SourceMap, span: Span, label: Option<&str>) {
    let Some(file) = sources.file(span.file) else {
        return;
    };
    let (line, col) = file.line_col(span.start);
    let _ = writeln!(out, "  --> {}:{line}:{col}", file.path.display());
    let text = file.line_text(line);
    let width = line.to_string().len();
    let _ = writeln!(out, "{:width$} |", "");
    let _ = writeln!(out, "{line} | {}", printable(text));
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
        .map(char_width)
        .sum::<usize>()
        .max(1);
    let pad = caret_pad(text, col);
    let carets = "^".repeat(caret_len);
    match label {
        Some(l) => {
            let _ = writeln!(out, "{:width$} | {pad}{carets} {l}", "");
        }
        None => {
            let _ = writeln!(out, "{:width$} | {pad}{carets}", "");
        }
    }
}

/// Where an undecodable byte stands in a file that is not text in the
/// expected encoding: 1-based line and column, and the line itself made
/// printable for quoting (control bytes replaced, cut short). Program files
/// and imported documents both report bad bytes this way; `lossy` decodes a
/// byte range in whichever encoding the file was meant to be in.
pub fn locate_bad_byte(
    bytes: &[u8],
    at: usize,
    lossy: impl Fn(&[u8]) -> String,
) -> (usize, usize, String) {
    let at = at.min(bytes.len());
    let line_start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let col = lossy(&bytes[line_start..at]).chars().count() + 1;
    // A binary file's "line" can be long and full of control bytes that
    // would garble the terminal.
    let quoted = lossy(&bytes[line_start..line_end])
        .trim_end_matches('\r')
        .chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .take(col.max(80) + 40)
        .collect();
    (line, col, quoted)
}

/// Several diagnostics from one stage; a stage reports all it found, not
/// just the first, so that a user fixes a file in one pass.
#[derive(Clone, Debug, Default, PartialEq)]
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
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let mut sm = SourceMap::new();
        let id = sm.add("j.dl", "r(\"焼津\", x).");
        let off = "r(\"焼津\", ".len();
        assert_eq!(sm.position(Span::new(id, off, off + 1)), "j.dl:1:9");
    }

    #[test]
    fn bad_byte_is_located_by_line_and_character() {
        let bytes = b"ok\n\xe7\x84\xbc\xff\x01x\nnext";
        let (line, col, quoted) =
            locate_bad_byte(bytes, 6, |b| String::from_utf8_lossy(b).into_owned());
        assert_eq!((line, col), (2, 2));
        assert_eq!(quoted, "焼\u{FFFD}\u{FFFD}x");
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
}
