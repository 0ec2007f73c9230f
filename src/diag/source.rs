//! Where program text lives: the loaded files and the spans that point into
//! them.
//!
//! Stages carry [`Span`]s (file id + byte range) from the parser to the last
//! check; only a rendered diagnostic turns one into a line and a column,
//! through the [`SourceMap`] that holds every text of a run or REPL session.

use std::path::PathBuf;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let mut sm = SourceMap::new();
        let id = sm.add("j.dl", "r(\"焼津\", x).");
        let off = "r(\"焼津\", ".len();
        assert_eq!(sm.position(Span::new(id, off, off + 1)), "j.dl:1:9");
    }

    #[test]
    fn a_line_is_quoted_without_its_break() {
        let mut sm = SourceMap::new();
        let id = sm.add("w.dl", "a.\r\nb.\n");
        let file = sm.file(id).expect("just added");
        assert_eq!(file.line_text(1), "a.");
        assert_eq!(file.line_text(2), "b.");
        assert_eq!(file.line_text(9), "");
        assert_eq!(sm.snippet(Span::new(id, 4, 6)), "b.");
        assert_eq!(sm.snippet(Span::new(id, 4, 60)), "");
    }
}
