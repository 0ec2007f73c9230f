//! Facts as the importer collects them, and the fact file it writes.
//!
//! Each fact remembers the document line it came from, so that the written
//! file ends every line with `// doc:line` and any answer can be traced back
//! to the page. Warnings are kept beside the facts and written as
//! `unread(a, section, line, reason)` facts after the `// unread:` comment,
//! so that a query can tell a gap in the document from a gap in the reading.

use std::collections::HashSet;
use std::fmt::Write as _;

/// A value in a fact.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Arg {
    /// A symbol (written quoted and escaped).
    S(String),
    /// A number.
    N(i64),
}

/// One fact of an assessment relation.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    /// Relation name (one of facts/schema.dl).
    pub rel: &'static str,
    /// Arguments, the assessment id first.
    pub args: Vec<Arg>,
    /// Line of the source document.
    pub line: usize,
}

/// Something the importer could not read.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    /// Line of the source document (0 when a whole part is absent).
    pub line: usize,
    /// What could not be read and why.
    pub message: String,
    /// The section of the form it belongs to, when the reader knows it;
    /// otherwise the section is told from the line when the file is written.
    pub section: Option<String>,
}

/// The relation that holds what could not be read (facts/schema.dl).
pub const UNREAD: &str = "unread";

/// Collects facts (without duplicates) and warnings for one assessment.
#[derive(Debug, Default)]
pub struct Sink {
    /// The assessment id, put first in every fact.
    pub id: String,
    /// Facts in reading order.
    pub facts: Vec<Fact>,
    /// Warnings in reading order.
    pub warnings: Vec<Warning>,
    seen: HashSet<(&'static str, Vec<Arg>)>,
}

impl Sink {
    /// A sink for assessment `id`.
    pub fn new(id: &str) -> Self {
        Sink {
            id: id.to_string(),
            ..Sink::default()
        }
    }

    /// Adds `rel(id, args…)` unless the same fact is already there.
    pub fn add(&mut self, rel: &'static str, args: Vec<Arg>, line: usize) {
        let mut full = Vec::with_capacity(args.len() + 1);
        full.push(Arg::S(self.id.clone()));
        full.extend(args);
        if self.seen.insert((rel, full.clone())) {
            self.facts.push(Fact {
                rel,
                args: full,
                line,
            });
        }
    }

    /// Records a warning; its section is told from its line.
    pub fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning {
            line,
            message: message.into(),
            section: None,
        });
    }

    /// Records a warning about a named section of the form ("cover",
    /// "変更箇所"); `line` 0 when the whole section is absent.
    pub fn warn_in(&mut self, section: &str, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning {
            line,
            message: message.into(),
            section: Some(section.to_string()),
        });
    }

    /// The warnings as `unread(a, section, line, reason)` facts, each
    /// section named by `section_of(line)` unless the reader named it.
    pub fn unread_facts(&self, section_of: impl Fn(usize) -> String) -> Vec<Fact> {
        self.warnings
            .iter()
            .map(|w| Fact {
                rel: UNREAD,
                args: vec![
                    s(&self.id),
                    s(w.section.clone().unwrap_or_else(|| section_of(w.line))),
                    n(w.line),
                    s(w.message.replace('\n', " ")),
                ],
                line: w.line,
            })
            .collect()
    }

    /// Number of facts of one relation (for reports and tests).
    pub fn count(&self, rel: &str) -> usize {
        self.facts.iter().filter(|f| f.rel == rel).count()
    }
}

/// Shorthand for a symbol argument.
pub fn s(text: impl Into<String>) -> Arg {
    Arg::S(text.into())
}

/// Shorthand for a number argument.
pub fn n(value: usize) -> Arg {
    Arg::N(i64::try_from(value).unwrap_or(i64::MAX))
}

/// Escapes a string for a Soufflé string literal.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Renders one fact as a line of Datalog with its provenance comment.
pub fn render_fact(fact: &Fact, doc_name: &str) -> String {
    let args: Vec<String> = fact
        .args
        .iter()
        .map(|a| match a {
            Arg::S(t) => quote(t),
            Arg::N(v) => v.to_string(),
        })
        .collect();
    format!(
        "{}({}). // {}:{}",
        fact.rel,
        args.join(", "),
        doc_name,
        fact.line
    )
}

/// The whole fact file: header, facts, and after `// unread:` the facts of
/// what could not be read (`unread` rows from [`Sink::unread_facts`]).
pub fn render_file(doc_name: &str, curated_name: &str, sink: &Sink, unread: &[Fact]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Facts of assessment {} imported by `pialog import` from {doc_name}.",
        quote(&sink.id)
    );
    let _ = writeln!(
        out,
        "// Generated: do not edit. Corrections belong in {curated_name}, which import never overwrites."
    );
    let _ = writeln!(
        out,
        "// Declarations are in facts/schema.dl. Each line names the document line it was read from."
    );
    out.push('\n');
    for fact in &sink.facts {
        out.push_str(&render_fact(fact, doc_name));
        out.push('\n');
    }
    out.push_str("\n// unread: what the import could not read, by section of the form\n");
    if unread.is_empty() {
        out.push_str("//   (nothing)\n");
    }
    for fact in unread {
        out.push_str(&render_fact(fact, doc_name));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_facts_deduplicated() {
        let mut sink = Sink::new("焼津市長/26");
        sink.add("system", vec![s("a\"b\\c")], 3);
        sink.add("system", vec![s("a\"b\\c")], 9);
        assert_eq!(sink.facts.len(), 1);
        assert_eq!(
            render_fact(&sink.facts[0], "d.txt"),
            "system(\"焼津市長/26\", \"a\\\"b\\\\c\"). // d.txt:3"
        );
    }

    #[test]
    fn warnings_become_unread_facts_with_their_section() {
        let mut sink = Sink::new("a/1");
        sink.warn(12, "no date");
        sink.warn_in("変更箇所", 0, "absent");
        let unread = sink.unread_facts(|line| format!("at {line}"));
        let text = render_file("d.txt", "a-1.curated.dl", &sink, &unread);
        assert!(text.contains("unread(\"a/1\", \"at 12\", 12, \"no date\"). // d.txt:12"));
        assert!(text.contains("unread(\"a/1\", \"変更箇所\", 0, \"absent\"). // d.txt:0"));
        assert!(render_file("d.txt", "c", &Sink::new("a"), &[]).contains("(nothing)"));
    }
}
