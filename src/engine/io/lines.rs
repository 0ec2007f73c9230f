//! Lines into words: the scanners that split a chunk's lines into fields
//! and turn each field into a word — a symbol through the chunk's
//! [`Coder`], a number by [`parse_number`].

use super::parse::ChunkError;
use crate::engine::intern::{self, Interner};
use crate::engine::value::{Word, from_f32, from_i32};
use crate::lang::types::ColumnType;
use hashbrown::HashTable;

/// Turns the symbol fields of one chunk into words (see [`Chunk`]).
///
/// Each field is hashed once; the hash serves both the session's table
/// and the chunk's own table of new symbols, and is kept for the merge.
pub(super) struct Coder<'a, 's> {
    known: &'s Interner,
    base: u32,
    table: HashTable<u32>,
    fresh: Vec<(&'a str, u64)>,
}

impl<'a, 's> Coder<'a, 's> {
    /// A coder over the session's symbols, numbering new ones from `base`.
    pub(super) fn new(known: &'s Interner, base: u32) -> Self {
        Coder {
            known,
            base,
            table: HashTable::new(),
            fresh: Vec::new(),
        }
    }

    /// The chunk's new symbols in order of first appearance, with their
    /// hashes.
    pub(super) fn into_fresh(self) -> Vec<(&'a str, u64)> {
        self.fresh
    }

    #[inline]
    fn code(&mut self, s: &'a str) -> Word {
        let h = intern::hash(s);
        if let Some(id) = self.known.find_hashed(h, s) {
            return id;
        }
        let fresh = &self.fresh;
        if let Some(&j) = self.table.find(h, |&j| fresh[j as usize].0 == s) {
            return self.base.wrapping_add(j);
        }
        let j = self.fresh.len() as u32;
        self.fresh.push((s, h));
        let fresh = &self.fresh;
        self.table.insert_unique(h, j, |&k| fresh[k as usize].1);
        self.base.wrapping_add(j)
    }
}

/// The delimiter byte when the fast reader applies: one ASCII byte that
/// is not part of a line end.
pub(super) fn delimiter_byte(delimiter: &str) -> Option<u8> {
    match delimiter.as_bytes() {
        [b] if b.is_ascii() && *b != b'\n' && *b != b'\r' => Some(*b),
        _ => None,
    }
}

/// Reads the rows of `content` split on any delimiter; returns the number
/// of lines and of non-empty lines. `first` is the index of its first line
/// (for messages). Every malformed line is reported from here, also for
/// [`fast_lines`], so the messages have one source.
pub(super) fn general_lines<'a>(
    content: &'a str,
    first: usize,
    types: &[ColumnType],
    delimiter: &'a str,
    coder: &mut Coder<'a, '_>,
    data: &mut Vec<Word>,
) -> Result<(usize, usize), ChunkError> {
    if content.is_empty() {
        return Ok((0, 0));
    }
    let arity = types.len();
    let mut lines = 0;
    let mut nonempty = 0;
    // A final newline ends the last line; it does not start another one.
    let body = content.strip_suffix('\n').unwrap_or(content);
    for (i, line) in body.split('\n').enumerate() {
        let i = first + i;
        lines += 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            if let Some(w) = empty_line_row(types, coder) {
                nonempty += 1;
                data.push(w);
            }
            continue;
        }
        nonempty += 1;
        if arity == 0 {
            continue;
        }
        let mut found = 0usize;
        for (c, field) in Fields::new(line, delimiter).enumerate() {
            found += 1;
            if c >= arity {
                continue;
            }
            let w = match types[c] {
                ColumnType::Symbol => coder.code(field),
                ty => match parse_number(field, ty) {
                    Some(w) => w,
                    None => {
                        let col = Fields::new(line, delimiter)
                            .take(c)
                            .map(|f| f.chars().count() + delimiter.chars().count())
                            .sum::<usize>()
                            + 1;
                        return Err(ChunkError::NotANumber {
                            line: i,
                            col,
                            text: line.to_string(),
                            field: field.to_string(),
                            column: c + 1,
                            ty,
                        });
                    }
                },
            };
            data.push(w);
        }
        if found != arity {
            return Err(ChunkError::Columns {
                line: i,
                text: line.to_string(),
                found,
            });
        }
    }
    Ok((lines, nonempty))
}

/// The row an empty line stands for: in a one-column symbol relation it is
/// the empty string (Soufflé reads it so); elsewhere it is no row.
fn empty_line_row(types: &[ColumnType], coder: &mut Coder<'_, '_>) -> Option<Word> {
    (types == [ColumnType::Symbol]).then(|| coder.code(""))
}

/// [`general_lines`] for a one-byte delimiter: a single pass of `memchr2`
/// over the chunk finds every delimiter and line end, and a field equal to
/// the one above it in the same column (sorted key columns) skips the hash
/// lookup. A malformed line is handed to [`general_lines`] for the message.
pub(super) fn fast_lines<'a>(
    content: &'a str,
    byte: u8,
    types: &[ColumnType],
    delimiter: &'a str,
    coder: &mut Coder<'a, '_>,
    data: &mut Vec<Word>,
) -> Result<(usize, usize), ChunkError> {
    let bytes = content.as_bytes();
    let arity = types.len();
    let mut above: Vec<(&'a str, Word)> = vec![("", 0); arity];
    let mut have_above = vec![false; arity];
    let mut line = 0usize;
    let mut nonempty = 0usize;
    let mut line_start = 0usize;
    let mut field_start = 0usize;
    let mut col = 0usize;
    // Reports the line that starts at `start` (index `i`) the general way.
    let fail = |start: usize, i: usize, coder: &mut Coder<'a, '_>| -> ChunkError {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |n| start + n);
        let text = content.get(start..end).unwrap_or("");
        match general_lines(text, i, types, delimiter, coder, &mut Vec::new()) {
            Err(e) => e,
            Ok(_) => ChunkError::Failed,
        }
    };
    let mut field = |c: usize,
                     start: usize,
                     end: usize,
                     coder: &mut Coder<'a, '_>,
                     data: &mut Vec<Word>|
     -> bool {
        let Some(f) = content.get(start..end) else {
            return false;
        };
        let w = match types[c] {
            ColumnType::Symbol => {
                let (prev, w) = above[c];
                if have_above[c] && prev == f {
                    w
                } else {
                    let w = coder.code(f);
                    above[c] = (f, w);
                    have_above[c] = true;
                    w
                }
            }
            ty => match parse_number(f, ty) {
                Some(w) => w,
                None => return false,
            },
        };
        data.push(w);
        true
    };
    let mut ends = memchr::memchr2_iter(byte, b'\n', bytes);
    loop {
        let (p, at_newline) = match ends.next() {
            Some(p) => (p, bytes[p] == b'\n'),
            None if line_start < bytes.len() => (bytes.len(), true),
            None => break,
        };
        if !at_newline {
            if col < arity && !field(col, field_start, p, coder, data) {
                return Err(fail(line_start, line, coder));
            }
            col += 1;
            field_start = p + 1;
            continue;
        }
        let mut end = p;
        if end > line_start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        if col == 0 && end == line_start {
            if let Some(w) = empty_line_row(types, coder) {
                nonempty += 1;
                data.push(w);
            }
        } else {
            nonempty += 1;
            if arity > 0 {
                if col < arity && !field(col, field_start, end, coder, data) {
                    return Err(fail(line_start, line, coder));
                }
                if col + 1 != arity {
                    return Err(fail(line_start, line, coder));
                }
            }
        }
        line += 1;
        line_start = p + 1;
        field_start = line_start;
        col = 0;
    }
    Ok((line, nonempty))
}

/// The fields of one line. A one-byte delimiter (the usual tab) is found
/// with `memchr`; since it is ASCII, every cut is a character boundary. A
/// longer delimiter uses the general substring search.
pub(super) enum Fields<'a> {
    Byte { rest: Option<&'a str>, byte: u8 },
    Str(std::str::Split<'a, &'a str>),
}

impl<'a> Fields<'a> {
    fn new(line: &'a str, delimiter: &'a str) -> Self {
        match delimiter.as_bytes() {
            [b] if b.is_ascii() => Fields::Byte {
                rest: Some(line),
                byte: *b,
            },
            _ => Fields::Str(line.split(delimiter)),
        }
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Fields::Str(s) => s.next(),
            Fields::Byte { rest, byte } => {
                let r = (*rest)?;
                match memchr::memchr(*byte, r.as_bytes()) {
                    Some(i) => {
                        *rest = Some(&r[i + 1..]);
                        Some(&r[..i])
                    }
                    None => {
                        *rest = None;
                        Some(r)
                    }
                }
            }
        }
    }
}

/// Reads one number of a numeric column; `None` when it is not one.
pub fn parse_number(field: &str, ty: ColumnType) -> Option<Word> {
    let f = field.trim();
    match ty {
        ColumnType::Number => {
            if let Ok(n) = f.parse::<i32>() {
                return Some(from_i32(n));
            }
            let (neg, body) = match f.strip_prefix('-') {
                Some(b) => (true, b),
                None => (false, f),
            };
            let v = if let Some(h) = body.strip_prefix("0x") {
                i64::from_str_radix(h, 16).ok()?
            } else if let Some(b) = body.strip_prefix("0b") {
                i64::from_str_radix(b, 2).ok()?
            } else {
                return None;
            };
            let v = if neg { -v } else { v };
            i32::try_from(v)
                .ok()
                .or_else(|| u32::try_from(v).ok().map(|u| u as i32))
                .map(from_i32)
        }
        ColumnType::Unsigned => {
            if let Ok(n) = f.parse::<u32>() {
                return Some(n);
            }
            if let Some(h) = f.strip_prefix("0x") {
                return u32::from_str_radix(h, 16).ok();
            }
            if let Some(b) = f.strip_prefix("0b") {
                return u32::from_str_radix(b, 2).ok();
            }
            None
        }
        ColumnType::Float => f.parse::<f32>().ok().map(from_f32),
        ColumnType::Symbol | ColumnType::Record(_) => None,
    }
}
