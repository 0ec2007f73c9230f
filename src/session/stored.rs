//! Stored facts: the ground facts of fact files, kept as rows rather than
//! as syntax.
//!
//! A national knowledge base is tens of thousands of fact files and
//! millions of `rel("…", 3).` lines. Kept as AST items they cost gigabytes
//! (a `String` per constant, a span per node, the file text for
//! diagnostics) and every check of the program walks them again. Here a
//! fact file is read once, in parallel with the others, by the scanner of
//! [`crate::lang::parse::fast`]; its constants go straight into words
//! (symbols interned the way the `.facts` reader does: against a read-only
//! view of the session's symbols, new ones numbered per file and interned
//! in file order afterwards, so ids still follow first appearance). What
//! stays per fact is its row and its origin (file id and line), enough for
//! `:why` to point at the line, which is read back from the file only
//! when asked.
//!
//! A file the scanner is not sure about (any statement that is not a
//! simple fact, bytes that are not UTF-8, a relation the schema does not
//! declare, a constant of the wrong type) is not stored here: the caller
//! parses it with the grammar and the checker, which give the messages.

use crate::engine::intern::{self, Interner};
use crate::engine::value::{Word, from_f32, from_i32};
use crate::kb::provenance::{Provenance, document_line};
use crate::lang::parse::fast::{self, Constant};
use crate::lang::schema::Schema;
use crate::lang::types::ColumnType;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Files scanned in parallel before their new symbols are interned: large
/// enough to keep both cores busy, small enough that symbols shared by
/// many files are copied into few per-file tables.
const BATCH: usize = 512;

/// The rows of one relation read from fact files.
#[derive(Clone, Debug, Default)]
pub struct StoredRel {
    /// Words per row.
    pub arity: usize,
    /// `arity` words per fact, in load order (duplicates kept: rows are
    /// made a set when the database is built).
    pub data: Vec<Word>,
    /// `(file, line)` of each fact: `file` indexes [`StoredFacts::files`].
    pub origin: Vec<(u32, u32)>,
}

impl StoredRel {
    /// Number of facts stored (duplicates included).
    pub fn len(&self) -> usize {
        self.origin.len()
    }

    /// True when no fact is stored.
    pub fn is_empty(&self) -> bool {
        self.origin.is_empty()
    }

    /// The row of fact `i`.
    pub fn row(&self, i: usize) -> &[Word] {
        &self.data[i * self.arity..(i + 1) * self.arity]
    }
}

/// Every fact stored from fact files, by relation name.
#[derive(Clone, Debug, Default)]
pub struct StoredFacts {
    rels: Vec<StoredRel>,
    /// Where each relation's rows are in `rels`.
    index: HashMap<String, usize>,
    files: Vec<PathBuf>,
}

/// How far the store had grown: [`StoredFacts::rollback`] goes back to it
/// when a load fails, so that a failed load keeps nothing.
#[derive(Clone, Debug)]
pub struct Mark {
    files: usize,
    lens: Vec<usize>,
}

impl StoredFacts {
    /// The stored rows of a relation, if any fact file stated one.
    pub fn get(&self, rel: &str) -> Option<&StoredRel> {
        self.index.get(rel).map(|&k| &self.rels[k])
    }

    /// Number of facts stored in all relations.
    pub fn len(&self) -> usize {
        self.rels.iter().map(StoredRel::len).sum()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.rels.iter().all(StoredRel::is_empty)
    }

    /// The present size, to roll back to.
    pub fn mark(&self) -> Mark {
        Mark {
            files: self.files.len(),
            lens: self.rels.iter().map(StoredRel::len).collect(),
        }
    }

    /// Forgets everything stored after `mark`.
    pub fn rollback(&mut self, mark: Mark) {
        self.rels.truncate(mark.lens.len());
        self.index.retain(|_, k| *k < mark.lens.len());
        for (rel, &n) in self.rels.iter_mut().zip(&mark.lens) {
            rel.origin.truncate(n);
            rel.data.truncate(n * rel.arity);
        }
        self.files.truncate(mark.files);
    }

    /// Where fact `i` of `rel` was stated: the file, the line and the
    /// importer's `// doc:line` note on it (the line is read back from the
    /// file; a file changed since keeps its line number but may lose the
    /// note).
    pub fn provenance(&self, rel: &str, row: &[Word]) -> Option<Provenance> {
        let r = self.get(rel)?;
        let i = (0..r.len()).find(|&i| r.row(i) == row)?;
        let (file, line) = r.origin[i];
        let path = self.files.get(file as usize)?.clone();
        let document = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| text.lines().nth(line as usize - 1).and_then(document_line));
        Some(Provenance {
            path,
            line: line as usize,
            document,
        })
    }

    /// Stores a scanned file when its facts fit the schema; gives it back
    /// (to be loaded with the grammar) when they do not.
    pub fn add(&mut self, file: ScannedFile, schema: &Schema) -> Result<(), ScannedFile> {
        let mut types: Vec<&[ColumnType]> = Vec::with_capacity(file.groups.len());
        for g in &file.groups {
            match shape_fits(g, file.name(g), schema) {
                Some(t) => types.push(t),
                None => return Err(file),
            }
        }
        // No negative number in an unsigned column (the checker says so).
        if types.iter().any(|t| t.contains(&ColumnType::Unsigned)) {
            let mut at = 0;
            for &(g, _) in &file.facts {
                let t = types[g as usize];
                let row = &file.data[at..at + t.len()];
                at += t.len();
                let negative = row
                    .iter()
                    .zip(t)
                    .any(|(&w, ty)| *ty == ColumnType::Unsigned && (w as i32) < 0);
                if negative {
                    return Err(file);
                }
            }
        }
        let id = self.files.len() as u32;
        let slots: Vec<usize> = file
            .groups
            .iter()
            .zip(&types)
            .map(|(g, t)| {
                let name = file.name(g);
                match self.index.get(name) {
                    Some(&k) => k,
                    None => {
                        self.rels.push(StoredRel {
                            arity: t.len(),
                            ..StoredRel::default()
                        });
                        self.index.insert(name.to_string(), self.rels.len() - 1);
                        self.rels.len() - 1
                    }
                }
            })
            .collect();
        let mut at = 0;
        for &(g, line) in &file.facts {
            let rel = &mut self.rels[slots[g as usize]];
            let row = &file.data[at..at + rel.arity];
            at += rel.arity;
            rel.data.extend_from_slice(row);
            rel.origin.push((id, line));
        }
        // Numbers were read as signed; float columns convert.
        for (&k, t) in slots.iter().zip(&types) {
            if !t.contains(&ColumnType::Float) {
                continue;
            }
            let rel = &mut self.rels[k];
            let from = rel
                .origin
                .iter()
                .rposition(|&(f, _)| f != id)
                .map_or(0, |i| i + 1);
            for row in rel.data[from * rel.arity..].chunks_exact_mut(rel.arity) {
                for (w, ty) in row.iter_mut().zip(t.iter()) {
                    if *ty == ColumnType::Float {
                        *w = from_f32(*w as i32 as f32);
                    }
                }
            }
        }
        self.files.push(file.path);
        Ok(())
    }
}

/// The column types of a group's relation when its facts fit it:
/// declared, the same number of columns, strings exactly in the symbol
/// columns.
fn shape_fits<'s>(g: &Group, name: &str, schema: &'s Schema) -> Option<&'s [ColumnType]> {
    let r = schema.relations.get(name)?;
    let fits = r.types.len() == g.arity
        && r.types
            .iter()
            .enumerate()
            .all(|(c, t)| (*t == ColumnType::Symbol) == (g.strings >> c & 1 == 1));
    fits.then_some(&r.types[..])
}

/// One shape of fact in one file: a relation name, a number of arguments
/// and which of them are strings.
#[derive(Debug, Clone, Copy)]
struct Group {
    /// Byte range of the name in [`ScannedFile::names`].
    name: (u32, u32),
    arity: usize,
    /// Bit `c` is set when column `c` holds strings.
    strings: u64,
}

/// A fact file read by the scanner, its symbols already interned.
#[derive(Debug)]
pub struct ScannedFile {
    /// The file.
    pub path: PathBuf,
    /// The relation names of `groups`, end to end.
    names: String,
    groups: Vec<Group>,
    /// Each fact's group and line, in file order.
    facts: Vec<(u32, u32)>,
    /// The facts' words, one row after the other.
    data: Vec<Word>,
}

impl ScannedFile {
    fn name(&self, g: &Group) -> &str {
        &self.names[g.name.0 as usize..g.name.1 as usize]
    }
}

/// What reading one file gave: its facts, or the verdict that the grammar
/// must read it.
pub enum Scan {
    /// Only simple facts.
    Facts(ScannedFile),
    /// Anything else (or unreadable): load it as a program.
    Program(PathBuf),
}

/// Reads the files in parallel, in batches, and interns their new symbols
/// in file order. The result is in the order of `paths`.
pub fn scan_files(paths: &[PathBuf], symbols: &mut Interner) -> Vec<Scan> {
    let mut out = Vec::with_capacity(paths.len());
    for batch in paths.chunks(BATCH) {
        let base = symbols.len() as u32;
        let known: &Interner = symbols;
        let read: Vec<Option<(ScannedFile, Interner)>> = batch
            .par_iter()
            .map(|p| scan_file(p, known, base))
            .collect();
        for (path, scanned) in batch.iter().zip(read) {
            match scanned {
                Some((file, fresh)) => {
                    out.push(Scan::Facts(intern_fresh(file, fresh, base, symbols)))
                }
                None => out.push(Scan::Program(path.clone())),
            }
        }
    }
    out
}

/// Interns a file's new symbols (`base + j` is `fresh`'s symbol `j`) and
/// rewrites their words.
fn intern_fresh(
    mut file: ScannedFile,
    fresh: Interner,
    base: u32,
    symbols: &mut Interner,
) -> ScannedFile {
    let map: Vec<Word> = (0..fresh.len() as u32)
        .map(|j| symbols.intern(fresh.resolve(j)))
        .collect();
    let in_place = map
        .iter()
        .enumerate()
        .all(|(j, &id)| id == base.wrapping_add(j as u32));
    if in_place {
        return file;
    }
    let mut at = 0;
    for &(g, _) in &file.facts {
        let g = file.groups[g as usize];
        for c in 0..g.arity {
            if g.strings >> c & 1 == 1
                && let Some(j) = file.data[at + c].checked_sub(base)
                && let Some(&id) = map.get(j as usize)
            {
                file.data[at + c] = id;
            }
        }
        at += g.arity;
    }
    file
}

/// Reads one file; `None` when it is not a file of simple facts. New
/// symbols are numbered from `base` in the returned interner.
fn scan_file(path: &Path, known: &Interner, base: u32) -> Option<(ScannedFile, Interner)> {
    let bytes = std::fs::read(path).ok()?;
    let text = simdutf8::basic::from_utf8(&bytes).ok()?;
    let mut fresh = Interner::new();
    let mut file = ScannedFile {
        path: path.to_path_buf(),
        names: String::new(),
        groups: Vec::new(),
        facts: Vec::with_capacity(text.len() / 64),
        data: Vec::with_capacity(text.len() / 16),
    };
    let mut args = Vec::new();
    let mut line = 1u32;
    let mut counted = 0;
    let mut last = 0;
    let mut pos = fast::skip_trivia(text, 0);
    while pos < text.len() {
        let s = fast::scan_fact(text, pos, &mut args)?;
        if args.len() > 64 {
            return None;
        }
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted..pos]).count() as u32;
        counted = pos;
        let name = &text[s.name.0..s.name.1];
        let strings = args
            .iter()
            .enumerate()
            .filter(|(_, (c, _, _))| matches!(c, Constant::Str(_)))
            .fold(0u64, |m, (i, _)| m | 1 << i);
        let same = |g: &Group| {
            g.arity == args.len()
                && g.strings == strings
                && &file.names[g.name.0 as usize..g.name.1 as usize] == name
        };
        let k = match file.groups.get(last) {
            Some(g) if same(g) => last,
            _ => match file.groups.iter().position(same) {
                Some(k) => k,
                None => {
                    let start = file.names.len() as u32;
                    file.names.push_str(name);
                    file.groups.push(Group {
                        name: (start, file.names.len() as u32),
                        arity: args.len(),
                        strings,
                    });
                    file.groups.len() - 1
                }
            },
        };
        last = k;
        for (c, _, _) in &args {
            file.data.push(match c {
                Constant::Str(t) => {
                    let h = intern::hash(t);
                    match known.find_hashed(h, t) {
                        Some(id) => id,
                        None => base.wrapping_add(fresh.intern_hashed(h, t)),
                    }
                }
                Constant::Number(n) => from_i32(*n as i32),
            });
        }
        file.facts.push((k as u32, line));
        pos = fast::skip_trivia(text, s.end);
    }
    Some((file, fresh))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::check::{CheckOptions, check};
    use crate::lang::parser;

    fn schema(text: &str) -> Schema {
        let mut sources = crate::diag::SourceMap::new();
        let p = parser::parse_source(&mut sources, "s.dl", text).unwrap();
        check(&p, &CheckOptions::default()).unwrap().schema
    }

    #[test]
    fn stores_rows_with_origins_and_rolls_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.dl");
        let b = dir.path().join("b.dl");
        let c = dir.path().join("c.dl");
        std::fs::write(
            &a,
            "// x\ne(\"p\", 1).\n\ne(\"q\", -2). // doc.txt:9\nz().\n",
        )
        .unwrap();
        std::fs::write(&b, "e(\"q\", 3).\nf(1.5).\n").unwrap();
        std::fs::write(&c, "e(1, 1).\n").unwrap();
        let s = schema(".decl e(x: symbol, n: number)\n.decl z()\n.decl f(x: float)\n");
        let mut symbols = Interner::new();
        symbols.intern("");
        let scans = scan_files(&[a.clone(), b.clone(), c.clone()], &mut symbols);
        assert_eq!(symbols.resolve(1), "p");
        assert_eq!(symbols.resolve(2), "q");
        let mut stored = StoredFacts::default();
        let mut programs = Vec::new();
        let mut refused = Vec::new();
        for scan in scans {
            match scan {
                Scan::Facts(f) => {
                    if let Err(f) = stored.add(f, &s) {
                        refused.push(f.path);
                    }
                }
                Scan::Program(p) => programs.push(p),
            }
        }
        assert_eq!(programs, vec![b]);
        assert_eq!(refused, vec![c]);
        let e = stored.get("e").unwrap();
        assert_eq!(e.row(1), &[2, from_i32(-2)]);
        assert_eq!(stored.get("z").unwrap().len(), 1);
        let p = stored.provenance("e", &[2, from_i32(-2)]).unwrap();
        assert_eq!(p.line, 4);
        assert_eq!(p.document, Some(("doc.txt".to_string(), 9)));
        let mark = stored.mark();
        let again = scan_files(std::slice::from_ref(&a), &mut symbols);
        for scan in again {
            if let Scan::Facts(f) = scan {
                stored.add(f, &s).unwrap();
            }
        }
        assert_eq!(stored.len(), 6);
        stored.rollback(mark);
        assert_eq!(stored.len(), 3);
        assert!(stored.provenance("e", &[1, 1]).is_some());
    }
}
