//! Carrying out directives: `.output`, `.printsize`, `.export`, queries and
//! assertions in order, files staged and written behind the fence.

use super::Session;
use crate::diag::{Diagnostic, Diagnostics, SourceMap, Span};
use crate::engine::intern::Interner;
use crate::engine::io::{format_rows, probe_facts, read_facts};
use crate::engine::ir::unresolved;
use crate::engine::rows::Rows;
use crate::engine::value::OutputOrder;
use crate::lang::ast::{self, Item};
use crate::lang::types::ColumnType;
use crate::output::csv::{CsvOptions, to_csv_bytes};
use crate::output::result::{Answer, Outcome, Printed};
use crate::output::transaction::Transaction;
use std::path::{Path, PathBuf};

/// A hash of what a stdout `.output` shows, to tell whether it changed.
fn hash_of(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// An `.input`/`.output` parameter.
fn param<'a>(d: &'a ast::IoDirective, key: &str) -> Option<&'a str> {
    d.params
        .iter()
        .find(|(k, _)| k.name.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// The warning for an `.input` whose file does not exist in an existing
/// folder (Soufflé reads it as an empty relation); `None` when it exists or
/// cannot be looked at for another reason, or its folder is missing too,
/// which reading then reports as an error.
fn missing_input(path: &std::path::Path, rel: &str) -> Option<String> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if folder.is_some_and(|f| !f.is_dir()) {
        return None;
    }
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(format!(
            "warning: no file `{}` for `.input {rel}`: it is read as an empty relation",
            path.display()
        )),
        _ => None,
    }
}

/// Where a directive is, for the note on an I/O error about the file it
/// named: the error keeps pointing at the file (and line) it is about.
fn asked_by(what: &str, span: Span, sources: &SourceMap) -> String {
    format!("asked for by the `{what}` at {}", sources.position(span))
}

/// A path outside the installed fence (an error at the directive), or not
/// a regular file (an error at the file, noting the directive).
fn guard_path(
    path: &Path,
    access: crate::fence::Access,
    span: Span,
    note: &str,
) -> Result<(), Diagnostic> {
    crate::fence::check(path, access).map_err(|m| Diagnostic::error(m, span))?;
    if access == crate::fence::Access::Read {
        crate::regular_file::refuse_irregular(path).map_err(|why| {
            Diagnostic::at_file(format!("cannot read `{}`: {why}", path.display()), path)
                .with_note(note)
        })?;
    }
    Ok(())
}

/// What one relation of an `.input` gave.
pub(super) enum Input {
    /// The rows of its file.
    Rows(Rows),
    /// No file (Soufflé reads it as no rows): the warning to give.
    Missing(String),
    /// A relation no output needs: its file was only looked at.
    Probed,
}

/// Reads one relation of an `.input` from its file (under `-F`, behind
/// the fence): its rows, a warning when the file is missing, or — for a
/// relation no output needs — only a look that the file can be read.
/// An error at the file notes the directive that asked for it.
pub(super) fn read_input(
    d: &ast::IoDirective,
    rel: &str,
    types: &[ColumnType],
    wanted: bool,
    fact_dir: &Path,
    sources: &SourceMap,
    symbols: &mut Interner,
) -> Result<Input, Diagnostic> {
    let file = param(d, "filename")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(format!("{rel}.facts")));
    let path = if file.is_absolute() {
        file
    } else {
        fact_dir.join(file)
    };
    let note = asked_by(".input", d.span, sources);
    guard_path(&path, crate::fence::Access::Read, d.span, &note)?;
    let at = |e: Diagnostic| e.with_note(note.clone());
    if let Some(w) = missing_input(&path, rel) {
        return Ok(Input::Missing(w));
    }
    if !wanted {
        return probe_facts(&path).map(|()| Input::Probed).map_err(at);
    }
    let delimiter = param(d, "delimiter").unwrap_or("\t");
    let headers = param(d, "headers") == Some("true");
    read_facts(&path, types, delimiter, headers, symbols)
        .map(Input::Rows)
        .map_err(at)
}

impl Session {
    /// Carries out the directives after an evaluation: outputs and sizes
    /// (again only when `recomputed`), then the queries, assertions and
    /// exports loaded since the last call; stages or writes the files.
    pub(super) fn carry_out(
        &mut self,
        recomputed: bool,
        outcome: &mut Outcome,
    ) -> Result<(), Diagnostics> {
        let mut files: Vec<(PathBuf, Vec<u8>, Span, &str)> = Vec::new();
        // Only the directives that produce something (facts and rules,
        // possibly millions, are not copied).
        let items: Vec<(usize, Item)> = self
            .program
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                matches!(
                    i,
                    Item::Output(_)
                        | Item::PrintSize(_)
                        | Item::Query(_)
                        | Item::Assert(_)
                        | Item::Export(_)
                )
            })
            .map(|(k, i)| (k, i.clone()))
            .collect();
        let order = OutputOrder::new(&self.symbols);
        // Outputs and sizes in stratum order (then directive order), split
        // so that each directive names one relation; everything else stays
        // in program order after them.
        let mut io: Vec<(usize, usize, Item)> = Vec::new();
        for (idx, item) in items.iter() {
            let idx = *idx;
            if let Item::Output(d) | Item::PrintSize(d) = item {
                for rel in &d.relations {
                    let mut one = d.clone();
                    one.relations = vec![rel.clone()];
                    let stratum = self
                        .db
                        .as_ref()
                        .and_then(|db| db.catalog.id(&rel.name).map(|id| db.stratum_of[id]))
                        .unwrap_or(usize::MAX);
                    let item = match item {
                        Item::Output(_) => Item::Output(one),
                        _ => Item::PrintSize(one),
                    };
                    io.push((stratum, idx, item));
                }
            }
        }
        io.sort_by_key(|(stratum, idx, _)| (*stratum, *idx));
        let ordered: Vec<(usize, Item)> = io
            .into_iter()
            .map(|(_, idx, item)| (idx, item))
            .chain(
                items
                    .iter()
                    .filter(|&(_, i)| !matches!(i, Item::Output(_) | Item::PrintSize(_)))
                    .cloned(),
            )
            .collect();
        for (idx, item) in ordered.iter() {
            let idx = *idx;
            let fresh = idx >= self.answered;
            match item {
                Item::Output(d) if recomputed => {
                    for rel in &d.relations {
                        let text = self.relation_text(&rel.name, d, &order)?;
                        let header = param(d, "headers") == Some("true");
                        let to_stdout =
                            param(d, "IO") == Some("stdout") || self.output_dir.as_os_str() == "-";
                        if to_stdout {
                            if self.unchanged_since_shown(idx, &rel.name, fresh, hash_of(&text.1)) {
                                continue;
                            }
                            let cols = header.then(|| self.columns_of(&rel.name));
                            outcome.printed.push(Printed::Relation {
                                name: rel.name.clone(),
                                header: cols,
                                body: text.1,
                            });
                        } else {
                            let file = param(d, "filename")
                                .map(PathBuf::from)
                                .unwrap_or_else(|| PathBuf::from(format!("{}.csv", rel.name)));
                            let path = if file.is_absolute() {
                                file
                            } else {
                                self.output_dir.join(file)
                            };
                            let mut body = String::new();
                            if header {
                                body.push_str(&text.0.join(&text.2));
                                body.push('\n');
                            }
                            body.push_str(&text.1);
                            files.push((path, body.into_bytes(), d.span, ".output"));
                        }
                    }
                }
                Item::PrintSize(d) if recomputed => {
                    for rel in &d.relations {
                        let n = self.relation_len(&rel.name).unwrap_or(0);
                        if self.unchanged_since_shown(idx, &rel.name, fresh, n as u64) {
                            continue;
                        }
                        outcome.printed.push(Printed::Size {
                            relation: rel.name.clone(),
                            rows: n,
                        });
                    }
                }
                Item::Query(q) if fresh => {
                    let table = self.run_body(&q.body, false)?;
                    outcome.answers.push(Answer {
                        text: self.sources.snippet(q.span).to_string(),
                        span: q.span,
                        table,
                    });
                }
                Item::Assert(a) if fresh => {
                    outcome.assertions.push(self.assertion(a)?);
                }
                Item::Export(e) if fresh => {
                    let table = self
                        .relation(&e.relation.name)
                        .ok_or_else(|| unresolved(&e.relation.name, e.relation.span))?;
                    let bytes = to_csv_bytes(&table, CsvOptions::default()).map_err(|err| {
                        Diagnostic::error(format!("cannot encode CSV: {err}"), e.span)
                    })?;
                    files.push((PathBuf::from(&e.path), bytes, e.span, ".export"));
                }
                _ => {}
            }
        }
        self.answered = self.program.items.len();
        // Every output is staged before any target changes (see
        // `output::transaction`); an error names the directive.
        let mut staged = Transaction::new();
        for (path, bytes, span, what) in files {
            let note = asked_by(what, span, &self.sources);
            guard_path(&path, crate::fence::Access::Write, span, &note)?;
            staged.stage_for(&path, &bytes, Some(note))?;
        }
        if self.defer_writes {
            outcome.written = staged.targets();
            self.pending.absorb(staged);
        } else {
            outcome.written = staged.commit()?;
        }
        Ok(())
    }

    fn columns_of(&self, rel: &str) -> Vec<String> {
        self.schema
            .relations
            .get(rel)
            .map(|r| r.columns.clone())
            .unwrap_or_default()
    }

    /// True when directive `idx` already showed `value` for `rel` and is
    /// not new: it is not shown again. Records `value` otherwise.
    fn unchanged_since_shown(&mut self, idx: usize, rel: &str, fresh: bool, value: u64) -> bool {
        let key = (idx, rel.to_string());
        if !fresh && self.shown.get(&key) == Some(&value) {
            return true;
        }
        self.shown.insert(key, value);
        false
    }

    /// (columns, body text, delimiter) of an output relation.
    fn relation_text(
        &self,
        rel: &str,
        d: &ast::IoDirective,
        order: &OutputOrder,
    ) -> Result<(Vec<String>, String, String), Diagnostics> {
        let Some(db) = &self.db else {
            return Ok((Vec::new(), String::new(), "\t".into()));
        };
        let Some(id) = db.catalog.id(rel) else {
            return Err(unresolved(rel, d.span).into());
        };
        let delimiter = param(d, "delimiter").unwrap_or("\t").to_string();
        let info = &db.catalog.rels[id];
        let text = format_rows(
            &db.rows[id],
            &info.types,
            &self.symbols,
            order,
            &delimiter,
            None,
        );
        Ok((info.columns.clone(), text, delimiter))
    }
}
