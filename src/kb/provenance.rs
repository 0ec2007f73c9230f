//! Where a fact came from: its fact file line and the document line.
//!
//! `pialog import` ends every fact line with `// <doc file>:<line>`, so the
//! span of a fact item (as the session records it) is enough to point an
//! analyst at the page of the published assessment behind an answer.

use crate::diag::{SourceMap, Span};
use std::fmt;
use std::path::PathBuf;

/// The origin of one fact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    /// The fact file (or script) that states the fact.
    pub path: PathBuf,
    /// 1-based line in that file.
    pub line: usize,
    /// The document and 1-based document line named in the trailing
    /// `// doc:line` comment, when the line has one.
    pub document: Option<(String, usize)>,
}

impl fmt::Display for Provenance {
    /// `facts/x.dl:12 (doc.txt:345)`, or `facts/x.dl:12` without a document.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)?;
        if let Some((doc, line)) = &self.document {
            write!(f, " ({doc}:{line})")?;
        }
        Ok(())
    }
}

/// Finds the file line of a span and the `// doc:line` comment on it.
pub fn provenance(sources: &SourceMap, span: Span) -> Option<Provenance> {
    let file = sources.file(span.file)?;
    let (line, _) = file.line_col(span.start);
    let (end_line, _) = file.line_col(span.end.saturating_sub(1).max(span.start));
    // A fact may span lines; the importer's comment sits on its last line.
    let document =
        document_line(file.line_text(end_line)).or_else(|| document_line(file.line_text(line)));
    Some(Provenance {
        path: file.path.clone(),
        line,
        document,
    })
}

/// Reads a trailing `// name:123` comment (the importer's provenance note).
/// Strings inside the fact may hold `//`, so the last comment that parses
/// wins.
pub fn document_line(text: &str) -> Option<(String, usize)> {
    let mut rest = text;
    let mut found = None;
    while let Some(i) = rest.find("//") {
        let after = &rest[i + 2..];
        if let Some(parsed) = parse_doc_ref(after.trim()) {
            found = Some(parsed);
        }
        rest = after;
    }
    found
}

fn parse_doc_ref(text: &str) -> Option<(String, usize)> {
    let (name, line) = text.rsplit_once(':')?;
    let name = name.trim();
    let line: usize = line.trim().parse().ok()?;
    if name.is_empty() || name.contains('"') {
        return None;
    }
    Some((name.to_string(), line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_document_comment() {
        assert_eq!(
            document_line(r#"system("a", "x//y"). // yaizu.txt:51"#),
            Some(("yaizu.txt".into(), 51))
        );
        assert_eq!(document_line(r#"system("a", "b")."#), None);
        assert_eq!(document_line("x. // just a remark"), None);
    }

    #[test]
    fn span_to_file_and_document_line() {
        let mut sm = SourceMap::new();
        let text = "// header\nsystem(\"a\", \"s\"). // doc.txt:7\n";
        let id = sm.add("facts/a.dl", text);
        let start = text.find("system").unwrap();
        let p = provenance(&sm, Span::new(id, start, start + 17)).unwrap();
        assert_eq!(p.line, 2);
        assert_eq!(p.document, Some(("doc.txt".into(), 7)));
        assert_eq!(p.to_string(), "facts/a.dl:2 (doc.txt:7)");
    }
}
