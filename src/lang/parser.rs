//! Text to [`Program`]: the entry points of the surface language.
//!
//! The grammar is `grammar/pialog.pest`; this module runs it, expands
//! `#include` (paths relative to the including file, cycles and missing
//! files reported at the directive), and turns pest's tree into the AST
//! with bodies in disjunctive normal form. Every problem becomes a
//! [`Diagnostic`] with a span; nothing here panics on user input.

use std::path::{Path, PathBuf};

use pest::Parser as _;

use super::ast::{Item, Program, Query};
use super::comp::{self, Member};
use super::parse::build::{Builder, Built};
use super::parse::grammar::{PialogParser, Rule};
use super::parse::{cpp, fast, syntax_error};
use crate::diag::{Diagnostic, Diagnostics, FileId, SourceMap, Span};

/// Parses a program file and everything it `#include`s.
///
/// The file is added to `sources` (so diagnostics can quote it) even when
/// it does not parse.
pub fn parse_file(sources: &mut SourceMap, path: &Path) -> Result<Program, Diagnostics> {
    let text = read_text(path).map_err(Diagnostics::from)?;
    let id = sources.add(path, text);
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut stack = vec![canonical(path)];
    finish(parse_file_id(sources, id, &base, &mut stack))
}

/// Parses program text that has no file of its own (the REPL, tests, `-e`).
/// `name` is what diagnostics show as its path; `#include`s are resolved
/// against the current directory.
pub fn parse_source(
    sources: &mut SourceMap,
    name: &str,
    text: &str,
) -> Result<Program, Diagnostics> {
    let id = sources.add(name, text);
    let mut stack = Vec::new();
    finish(parse_file_id(sources, id, Path::new(""), &mut stack))
}

/// Parses one query for the REPL: `?- body.`, or a bare body with or
/// without the final `.`.
pub fn parse_query(sources: &mut SourceMap, name: &str, text: &str) -> Result<Query, Diagnostics> {
    let id = sources.add(name, text);
    let pairs = PialogParser::parse(Rule::query_only, text)
        .map_err(|e| Diagnostics::from(syntax_error::to_diagnostic(&e, text, 0, id)))?;
    let builder = Builder::new(id);
    let mut body = vec![Vec::new()];
    let mut span = Span::new(id, 0, text.len());
    for pair in pairs.flatten() {
        if pair.as_rule() == Rule::body {
            let s = pair.as_span();
            span = Span::new(id, s.start(), s.end());
            body = builder.body(pair);
            break;
        }
    }
    let errors = builder.into_errors();
    if errors.is_empty() {
        Ok(Query { body, span })
    } else {
        Err(Diagnostics(errors))
    }
}

fn finish((members, mut errors): (Vec<Member>, Vec<Diagnostic>)) -> Result<Program, Diagnostics> {
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let (items, comp_errors) = comp::expand(members);
    errors.extend(comp_errors);
    if errors.is_empty() {
        let mut program = Program { items };
        super::witness::bind_witnesses(&mut program);
        Ok(program)
    } else {
        Err(Diagnostics(errors))
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Parses the loaded file `id`, expanding includes relative to `base`;
/// `stack` holds the canonical paths of the files being included, to
/// detect cycles.
fn parse_file_id(
    sources: &mut SourceMap,
    id: FileId,
    base: &Path,
    stack: &mut Vec<PathBuf>,
) -> (Vec<Member>, Vec<Diagnostic>) {
    // The text is copied out because includes add files to `sources`
    // while the tree borrows it.
    let text = sources.file(id).map(|f| f.text.clone()).unwrap_or_default();
    // Soufflé runs the C preprocessor first; messages then quote the
    // preprocessed lines (line numbers are kept).
    let (id, text) = match cpp::preprocess(&text) {
        Some(done) => {
            let path = sources.file(id).map(|f| f.path.clone()).unwrap_or_default();
            (sources.add(path, done.clone()), done)
        }
        None => (id, text),
    };
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let builder = Builder::new(id);
    let mut pos = fast::skip_trivia(&text, 0);
    while pos < text.len() {
        if let Some((atom, end)) = fast::fact(&text, pos, id) {
            items.push(Member::Item(Item::Fact(atom)));
            pos = fast::skip_trivia(&text, end);
            continue;
        }
        let pair = match PialogParser::parse(Rule::one_item, &text[pos..]) {
            Ok(mut pairs) => pairs.next().and_then(|p| p.into_inner().next()),
            Err(e) => {
                // pest cannot resynchronise; one syntax error per file.
                builder.push_error(syntax_error::to_diagnostic(&e, &text, pos, id));
                break;
            }
        };
        let Some(pair) = pair else { break };
        let end = pos + pair.as_span().end();
        builder.set_offset(pos);
        match builder.item(pair) {
            Built::Items(new) => items.extend(new.into_iter().map(Member::Item)),
            Built::Member(m) => items.push(m),
            Built::Nothing => {}
            Built::Include(rel, span) => {
                let (inc_items, inc_errors) = include(sources, base, &rel, span, stack);
                items.extend(inc_items);
                errors.extend(inc_errors);
            }
        }
        // Every statement consumes at least one character.
        pos = fast::skip_trivia(&text, end.max(pos + 1));
    }
    let mut own = builder.into_errors();
    own.extend(errors);
    own.sort_by_key(|d| match &d.location {
        crate::diag::Location::Span(s) => (s.file, s.start),
        _ => (usize::MAX, 0),
    });
    (items, own)
}

fn include(
    sources: &mut SourceMap,
    base: &Path,
    rel: &str,
    span: Span,
    stack: &mut Vec<PathBuf>,
) -> (Vec<Member>, Vec<Diagnostic>) {
    let path = base.join(rel);
    let key = canonical(&path);
    if let Some(i) = stack.iter().position(|p| *p == key) {
        let cycle: Vec<String> = stack[i..]
            .iter()
            .chain(std::iter::once(&key))
            .map(|p| p.display().to_string())
            .collect();
        let d = Diagnostic::error(format!("include cycle: `{rel}` includes itself"), span)
            .with_label("included again here")
            .with_note(format!("cycle: {}", cycle.join(" -> ")));
        return (Vec::new(), vec![d]);
    }
    // Outside the fence the file is not even opened, so no error can
    // quote it.
    if let Err(m) = crate::fence::check(&path, crate::fence::Access::Read) {
        return (
            Vec::new(),
            vec![Diagnostic::error(m, span).with_label("included here")],
        );
    }
    let text = match read_text(&path) {
        Ok(t) => t,
        // Bad bytes are shown where they are, in the included file; the
        // include site becomes a note.
        Err(e) if matches!(e.location, crate::diag::Location::Line { .. }) => {
            let site = sources.position(span);
            return (
                Vec::new(),
                vec![e.with_note(format!("included from {site}"))],
            );
        }
        Err(e) => {
            let d = Diagnostic::error(
                format!(
                    "cannot read included file {}",
                    e.message.trim_start_matches("cannot read ")
                ),
                span,
            )
            .with_label("included here");
            return (Vec::new(), vec![d]);
        }
    };
    let id = sources.add(&path, text);
    let inner_base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    stack.push(key);
    let result = parse_file_id(sources, id, &inner_base, stack);
    stack.pop();
    result
}

/// Reads a program file as UTF-8 text; a folder, a missing file or bytes
/// that are not UTF-8 (a Shift_JIS file, a binary) get a plain message
/// naming the file and, for bad bytes, where the first one is.
fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let fail =
        |why: String| Diagnostic::at_file(format!("cannot read `{}`: {why}", path.display()), path);
    // A FIFO would block until a writer comes, a device never ends.
    crate::regular_file::refuse_irregular(path).map_err(fail)?;
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, col, quoted) =
            crate::diag::locate_bad_byte(e.as_bytes(), e.utf8_error().valid_up_to(), |b| {
                String::from_utf8_lossy(b).into_owned()
            });
        Diagnostic::at_line(
            format!(
                "cannot read `{}`: not UTF-8 text (Shift_JIS or binary?); save it as UTF-8",
                path.display()
            ),
            path,
            line,
        )
        .with_line_text(quoted, Some(col))
        .with_label("first byte that is not UTF-8")
    })
}
