//! The record store: every record value is one word, its id here.
//!
//! As in Soufflé, records are interned per arity: packing the same fields
//! twice gives the same id, so records compare and join as words, and
//! unpacking is a look-up. Ids start at 1 in each arity; `0` is `nil`.
//! Algebraic data types are records too (see
//! [`crate::lang::record_types`] for the encoding).
//!
//! The store also holds the program's [`RecordTypes`], so that a word of a
//! [`ColumnType::Record`] column can be printed in Soufflé's text form
//! (`[1, a]`, `nil`, `$Branch(1, [2, b])`) and read back from a fact file.

use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::intern::Interner;
use super::rows::Rows;
use super::table::ColumnType;
use super::value::{Word, format_float_digits, from_f32, from_i32, to_f32, to_i32};
use crate::diag::Diagnostic;
use crate::lang::record_types::{RecordKind, RecordTypes};

/// Records of one arity: their fields end to end, and the id of each.
#[derive(Clone, Debug, Default)]
struct Arity {
    /// `fields[(id - 1) * n ..][..n]` are the fields of record `id`.
    fields: Vec<Word>,
    ids: FxHashMap<Box<[Word]>, Word>,
}

/// Interned records of every arity, and the types they are read and
/// printed by.
#[derive(Clone, Debug, Default)]
pub struct RecordStore {
    by_arity: Vec<Arity>,
    /// The program's record types and algebraic data types.
    pub types: Arc<RecordTypes>,
}

impl RecordStore {
    /// The id of the record with these fields, if it was ever packed.
    pub fn get(&self, fields: &[Word]) -> Option<Word> {
        self.by_arity.get(fields.len())?.ids.get(fields).copied()
    }

    /// The id of the record with these fields, adding it when it is new.
    pub fn pack(&mut self, fields: &[Word]) -> Word {
        if let Some(id) = self.get(fields) {
            return id;
        }
        let n = fields.len();
        if self.by_arity.len() <= n {
            self.by_arity.resize_with(n + 1, Arity::default);
        }
        let a = &mut self.by_arity[n];
        let id = (a.ids.len() + 1) as Word;
        a.fields.extend_from_slice(fields);
        a.ids.insert(fields.into(), id);
        id
    }

    /// The fields of record `id` of arity `n` (`None` for `nil` or an id
    /// never handed out).
    pub fn unpack(&self, id: Word, n: usize) -> Option<&[Word]> {
        if id == 0 {
            return None;
        }
        let a = self.by_arity.get(n)?;
        if n == 0 {
            return (id as usize <= a.ids.len()).then_some(&[]);
        }
        let start = (id as usize - 1).checked_mul(n)?;
        a.fields.get(start..start + n)
    }
}

/// Soufflé's text of a word of record type `id`: `[1, a]`, `nil`,
/// `$Branch(…)`, nested values the same way.
pub fn text(w: Word, id: u32, symbols: &Interner) -> String {
    let mut out = String::new();
    write(&mut out, w, ColumnType::Record(id), symbols);
    out
}

fn write(out: &mut String, w: Word, ty: ColumnType, symbols: &Interner) {
    let store = &symbols.records;
    match ty {
        ColumnType::Symbol => out.push_str(symbols.resolve(w)),
        ColumnType::Number => out.push_str(&to_i32(w).to_string()),
        ColumnType::Unsigned => out.push_str(&w.to_string()),
        ColumnType::Float => out.push_str(&format_float_digits(f64::from(to_f32(w)), 9)),
        ColumnType::Record(id) => match store.types.get(id).map(|t| &t.kind) {
            Some(RecordKind::Record(fields)) => match store.unpack(w, fields.len()) {
                None => out.push_str("nil"),
                Some(values) => {
                    out.push('[');
                    for (i, (v, f)) in values.iter().zip(fields).enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        write(out, *v, f.ty, symbols);
                    }
                    out.push(']');
                }
            },
            Some(RecordKind::Adt(branches)) => {
                let (index, payload) = if store.types.is_enum(id) {
                    (w, None)
                } else {
                    match store.unpack(w, 2) {
                        Some(&[i, p]) => (i, Some(p)),
                        _ => (w, None),
                    }
                };
                let Some(b) = branches.get(index as usize) else {
                    out.push_str(&to_i32(w).to_string());
                    return;
                };
                out.push('$');
                out.push_str(&b.name);
                let args: Vec<Word> = match (payload, b.fields.len()) {
                    (_, 0) | (None, _) => Vec::new(),
                    (Some(p), 1) => vec![p],
                    (Some(p), n) => store.unpack(p, n).map(<[Word]>::to_vec).unwrap_or_default(),
                };
                if !b.fields.is_empty() {
                    out.push('(');
                    for (i, (v, f)) in args.iter().zip(&b.fields).enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        write(out, *v, f.ty, symbols);
                    }
                    out.push(')');
                }
            }
            None => out.push_str(&w.to_string()),
        },
    }
}

/// The column types a facts file is parsed by: a record column is read as
/// a symbol (its text), then [`records_from_text`] takes it apart.
pub fn read_as_text(types: &[ColumnType]) -> Vec<ColumnType> {
    types
        .iter()
        .map(|t| match t {
            ColumnType::Record(_) => ColumnType::Symbol,
            t => *t,
        })
        .collect()
}

/// Rows read with [`read_as_text`] types, their record columns turned from
/// text into records (and the rows sorted and deduplicated again: two
/// spellings of one record are one row).
///
/// `source` is the file's text when the caller holds it (else the file is
/// read again, only to point at a bad value: rows keep no line numbers).
pub fn records_from_text(
    rows: Rows,
    types: &[ColumnType],
    symbols: &mut Interner,
    path: &Path,
    source: Option<&str>,
    delimiter: &str,
) -> Result<Rows, Diagnostic> {
    if !types.iter().any(|t| matches!(t, ColumnType::Record(_))) || rows.arity == 0 {
        return Ok(rows);
    }
    let mut data = rows.data;
    let arity = rows.arity;
    for row in data.chunks_exact_mut(arity) {
        for (col, (w, t)) in row.iter_mut().zip(types).enumerate() {
            let ColumnType::Record(id) = *t else { continue };
            let text = symbols.resolve(*w).to_string();
            *w = parse(&text, id, symbols).map_err(|(at, expected)| {
                let message = format!(
                    "cannot read `{text}` as a value of `{}`: expected {expected} at character {}",
                    symbols.records.types.name(id),
                    text[..at.min(text.len())].chars().count() + 1
                );
                let read;
                let source = match source {
                    Some(s) => Some(s),
                    None => {
                        read = std::fs::read_to_string(path).ok();
                        read.as_deref()
                    }
                };
                match source.and_then(|s| locate(s, delimiter, col, &text)) {
                    Some((line, start, quoted)) => {
                        let column = quoted[..start].chars().count()
                            + text[..at.min(text.len())].chars().count()
                            + 1;
                        Diagnostic::at_line(message, path, line)
                            .with_line_text(quoted, Some(column))
                    }
                    None => Diagnostic::at_file(message, path),
                }
            })?;
        }
    }
    Ok(Rows::from_unsorted(arity, data))
}

/// The first line of `source` whose column `col` is `text` (1-based line
/// number, the byte offset of the field, the line), for pointing at a bad
/// value after the rows have left their lines behind.
fn locate(source: &str, delimiter: &str, col: usize, text: &str) -> Option<(usize, usize, String)> {
    source.lines().enumerate().find_map(|(i, line)| {
        let mut start = 0;
        for (k, field) in line.split(delimiter).enumerate() {
            if k == col {
                let lead = field.len() - field.trim_start().len();
                return (field.trim() == text).then(|| (i + 1, start + lead, line.to_string()));
            }
            start += field.len() + delimiter.len();
        }
        None
    })
}

/// Packs the value of an algebraic data type from its branch and the
/// words of its arguments (Soufflé's encoding).
pub fn pack_adt(store: &mut RecordStore, adt: u32, index: u32, args: &[Word]) -> Word {
    if store.types.is_enum(adt) {
        return index;
    }
    let payload = match args {
        [one] => *one,
        _ => store.pack(args),
    };
    store.pack(&[index, payload])
}

/// Reads a value of record type `id` in Soufflé's text form (what
/// [`text`] writes; symbols inside unquoted, or quoted with `"`). `Err`
/// holds the byte offset where the text stops making sense and what was
/// expected there.
pub fn parse(s: &str, id: u32, symbols: &mut Interner) -> Result<Word, (usize, String)> {
    let mut r = Reader { s, pos: 0 };
    let w = r.value(ColumnType::Record(id), "", symbols)?;
    r.space();
    if r.pos < s.len() {
        return Err((r.pos, "the end of the value".into()));
    }
    Ok(w)
}

struct Reader<'s> {
    s: &'s str,
    pos: usize,
}

impl Reader<'_> {
    fn space(&mut self) {
        while self.rest().starts_with([' ', '\t']) {
            self.pos += 1;
        }
    }

    fn rest(&self) -> &str {
        self.s.get(self.pos..).unwrap_or("")
    }

    fn eat(&mut self, c: char) -> Result<(), (usize, String)> {
        self.space();
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else {
            Err((self.pos, format!("`{c}`")))
        }
    }

    /// A primitive field: up to one of `stops` (or a quoted symbol).
    fn atom(&mut self, stops: &str) -> &str {
        self.space();
        let start = self.pos;
        let rest = self.rest();
        let end = rest.find(|c| stops.contains(c)).unwrap_or(rest.len());
        self.pos += end;
        self.s[start..start + end].trim_end()
    }

    fn value(
        &mut self,
        ty: ColumnType,
        stops: &str,
        symbols: &mut Interner,
    ) -> Result<Word, (usize, String)> {
        let at = {
            self.space();
            self.pos
        };
        let bad = |what: &str| Err((at, what.to_string()));
        match ty {
            ColumnType::Symbol => {
                if self.rest().starts_with('"') {
                    let body = &self.rest()[1..];
                    let Some(end) = body.find('"') else {
                        return bad("a closing `\"`");
                    };
                    let text = body[..end].to_string();
                    self.pos += end + 2;
                    return Ok(symbols.intern(&text));
                }
                let t = self.atom(stops).to_string();
                Ok(symbols.intern(&t))
            }
            ColumnType::Number => self
                .atom(stops)
                .parse::<i32>()
                .map(from_i32)
                .or_else(|_| bad("a number")),
            ColumnType::Unsigned => self
                .atom(stops)
                .parse::<u32>()
                .or_else(|_| bad("an unsigned number")),
            ColumnType::Float => self
                .atom(stops)
                .parse::<f32>()
                .map(from_f32)
                .or_else(|_| bad("a float")),
            ColumnType::Record(id) => {
                let types = symbols.records.types.clone();
                match types.get(id).map(|t| &t.kind) {
                    Some(RecordKind::Record(fields)) => {
                        if self.rest().starts_with("nil") {
                            self.pos += 3;
                            return Ok(0);
                        }
                        self.eat('[')?;
                        let mut words = Vec::with_capacity(fields.len());
                        for (i, f) in fields.iter().enumerate() {
                            if i > 0 {
                                self.eat(',')?;
                            }
                            words.push(self.value(f.ty, ",]", symbols)?);
                        }
                        self.eat(']')?;
                        Ok(symbols.records.pack(&words))
                    }
                    Some(RecordKind::Adt(branches)) => {
                        self.eat('$')?;
                        let rest = self.rest();
                        let len = rest
                            .find(|c: char| !(c.is_alphanumeric() || "_?.".contains(c)))
                            .unwrap_or(rest.len());
                        let name = &rest[..len];
                        let Some(index) = branches.iter().position(|b| b.name == name) else {
                            return bad("a constructor of the column's type");
                        };
                        self.pos += len;
                        let fields = &branches[index].fields;
                        let mut words = Vec::with_capacity(fields.len());
                        if !fields.is_empty() {
                            self.eat('(')?;
                            for (i, f) in fields.iter().enumerate() {
                                if i > 0 {
                                    self.eat(',')?;
                                }
                                words.push(self.value(f.ty, ",)", symbols)?);
                            }
                            self.eat(')')?;
                        }
                        Ok(pack_adt(&mut symbols.records, id, index as u32, &words))
                    }
                    None => bad("a value of a known type"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::record_types::{Branch, Field, RecordType};

    fn store() -> Interner {
        let field = |n: &str, ty| Field { name: n.into(), ty };
        let mut sy = Interner::new();
        sy.records.types = Arc::new(RecordTypes {
            types: vec![
                RecordType {
                    name: "List".into(),
                    kind: RecordKind::Record(vec![
                        field("head", ColumnType::Symbol),
                        field("tail", ColumnType::Record(0)),
                    ]),
                },
                RecordType {
                    name: "E".into(),
                    kind: RecordKind::Adt(vec![
                        Branch {
                            name: "Leaf".into(),
                            fields: Vec::new(),
                        },
                        Branch {
                            name: "Node".into(),
                            fields: vec![
                                field("l", ColumnType::Record(1)),
                                field("v", ColumnType::Number),
                            ],
                        },
                    ]),
                },
            ],
        });
        sy
    }

    #[test]
    fn packing_interns_per_arity_and_nil_is_zero() {
        let mut s = RecordStore::default();
        let a = s.pack(&[1, 2]);
        assert_eq!(a, 1);
        assert_eq!(s.pack(&[3, 4]), 2);
        assert_eq!(s.pack(&[1, 2]), a);
        assert_eq!(s.pack(&[7]), 1, "ids count per arity");
        assert_eq!(s.unpack(2, 2), Some(&[3, 4][..]));
        assert_eq!(s.unpack(0, 2), None);
        assert_eq!(s.unpack(9, 2), None);
    }

    #[test]
    fn records_and_adts_read_back_what_they_print() {
        let mut sy = store();
        for text_in in [
            "[a, [b c, nil]]",
            "nil",
            "$Node($Node($Leaf, 1), -2)",
            "$Leaf",
        ] {
            let ty = if text_in.starts_with('$') { 1 } else { 0 };
            let w = parse(text_in, ty, &mut sy).unwrap();
            assert_eq!(text(w, ty, &sy), text_in);
        }
        assert_eq!(
            text(parse(r#"["x, y",nil]"#, 0, &mut sy).unwrap(), 0, &sy),
            "[x, y, nil]"
        );
        assert!(parse("[a, 3", 0, &mut sy).is_err());
        assert_eq!(
            parse("$Node($Leaf, x)", 1, &mut sy).unwrap_err().1,
            "a number"
        );
        assert!(parse("$Wed", 1, &mut sy).is_err());
    }
}
