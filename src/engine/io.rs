//! Soufflé's file formats: `.facts` input (delimiter-separated text) and
//! `.csv` output (tab-separated, sorted, Soufflé's value text).
//!
//! Reading is built for volume: the file is read once, checked as UTF-8
//! once, split on bytes, and every symbol field is interned straight from
//! the borrowed text (one hash lookup; an allocation only for a new
//! symbol). Every malformed row is an error that names the file and line.

use super::eval::Rows;
use super::intern::{self, Interner};
use super::table::ColumnType;
use super::value::{OutputOrder, Word, from_f32, from_i32, text};
use crate::diag::Diagnostic;
use hashbrown::HashTable;
use std::path::Path;

/// Bytes read per block: large enough for parallel parsing to pay off,
/// small enough that a file of any size is never held whole in memory.
const BLOCK: usize = 8 << 20;

/// Bytes of the first block: reading it is the one read nothing overlaps.
const FIRST_BLOCK: usize = 1 << 20;

/// Reads a facts file of the given column types, block by block: while
/// threads parse one block, this thread reads the next into a second
/// buffer, so reading costs no time of its own.
pub fn read_facts(
    path: &Path,
    types: &[ColumnType],
    delimiter: &str,
    headers: bool,
    symbols: &mut Interner,
) -> Result<Rows, Diagnostic> {
    read_blocks(path, types, delimiter, headers, symbols, BLOCK)
}

/// Checks that a facts file a run skips (no output needs it) could be
/// read: it opens and its first byte reads. A missing or unreadable file
/// is still the user's mistake to hear about; its rows are not checked.
pub fn probe_facts(path: &Path) -> Result<(), Diagnostic> {
    use std::io::Read;
    refuse_devices(path)?;
    let mut file = std::fs::File::open(path).map_err(|e| cannot_read(path, e))?;
    let mut first = [0u8; 1];
    file.read(&mut first).map_err(|e| cannot_read(path, e))?;
    Ok(())
}

/// The message for a facts file the system would not let us read.
fn cannot_read(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::at_file(format!("cannot read `{}`: {e}", path.display()), path)
}

/// [`read_facts`] with blocks of `block_size` bytes (small in tests, so that
/// lines and headers meet block ends).
fn read_blocks(
    path: &Path,
    types: &[ColumnType],
    delimiter: &str,
    headers: bool,
    symbols: &mut Interner,
    block_size: usize,
) -> Result<Rows, Diagnostic> {
    let cannot = |e| cannot_read(path, e);
    refuse_devices(path)?;
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let mut acc = Accumulator {
        arity: types.len(),
        data: Vec::new(),
        lines_before: 0,
        nonempty: false,
    };
    let mut buf: Vec<u8> = Vec::new();
    let mut spare: Vec<u8> = Vec::new();
    let size = file.metadata().map_or(0, |m| m.len() as usize);
    let mut first = true;
    // A small first block starts the threads early; later blocks are read
    // while earlier ones are parsed.
    let mut eof = fill(&mut file, &mut buf, block_size.min(FIRST_BLOCK)).map_err(cannot)?;
    // The start of `buf` known to hold no line end.
    let mut searched = 0;
    let mut header_pending = headers;
    loop {
        let cut = if eof {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf[searched..]) {
                Some(i) => searched + i + 1,
                // A line longer than a block: read on.
                None => {
                    searched = buf.len();
                    eof = fill(&mut file, &mut buf, block_size).map_err(cannot)?;
                    continue;
                }
            }
        };
        let mut start = 0;
        if header_pending {
            // Before the end of the file `cut` follows a line end, so only a
            // file of one unterminated line ends up all header.
            start = memchr::memchr(b'\n', &buf[..cut]).map_or(cut, |i| i + 1);
            acc.lines_before += usize::from(start > 0);
            header_pending = false;
        }
        let (block, rest) = (&buf[start..cut], &buf[cut..]);
        let threads = threads_for(block.len());
        let read_next = || {
            if eof {
                return Ok(true);
            }
            spare.clear();
            spare.extend_from_slice(rest);
            fill(&mut file, &mut spare, block_size)
        };
        let next_eof = parse_block(
            block, threads, path, types, delimiter, symbols, &mut acc, read_next,
        )?
        .map_err(cannot)?;
        if eof {
            break;
        }
        if first && size > cut {
            // Room for the whole file's rows at the first block's density:
            // no doubling (copies, page faults, twice the memory for a moment).
            let expected = (acc.data.len() as f64 * size as f64 / cut as f64 * 1.02) as usize;
            acc.data
                .reserve_exact(expected.saturating_sub(acc.data.len()));
        }
        first = false;
        searched = buf.len() - cut;
        std::mem::swap(&mut buf, &mut spare);
        eof = next_eof;
    }
    // The buffers go before sorting, which needs room of its own.
    drop((buf, spare));
    Ok(acc.finish())
}

/// Appends up to `block` bytes of `file` to `buf`; true at the end of
/// the file.
fn fill(file: &mut std::fs::File, buf: &mut Vec<u8>, block: usize) -> std::io::Result<bool> {
    use std::io::Read;
    buf.reserve(block);
    let n = file.take(block as u64).read_to_end(buf)?;
    Ok(n < block)
}

/// A FIFO blocks until a writer comes and a device never ends: only
/// regular files are read (see [`crate::regular_file`]).
fn refuse_devices(path: &Path) -> Result<(), Diagnostic> {
    crate::regular_file::refuse_irregular(path).map_err(|why| {
        Diagnostic::at_file(format!("cannot read `{}`: {why}", path.display()), path)
    })
}

/// Where the caret of a wrong column count goes (1-based character column)
/// and what it says: at the first field too many, or at the end of a line
/// that stops short.
fn columns_caret(text: &str, delimiter: &str, arity: usize, found: usize) -> (usize, String) {
    let chars = |bytes: usize| text[..bytes].chars().count() + 1;
    if found > arity {
        let start = match arity.checked_sub(1) {
            None => 0,
            Some(k) => text
                .match_indices(delimiter)
                .nth(k)
                .map_or(text.len(), |(i, d)| i + d.len()),
        };
        (
            chars(start),
            format!("column {} is one too many", arity + 1),
        )
    } else {
        let end = text.trim_end_matches('\r').len();
        (
            chars(end),
            format!("the line ends after {found} of {arity} columns"),
        )
    }
}

/// Rows parsed so far and the number of lines before the next block.
struct Accumulator {
    arity: usize,
    data: Vec<Word>,
    lines_before: usize,
    nonempty: bool,
}

impl Accumulator {
    fn finish(self) -> Rows {
        if self.arity == 0 {
            return Rows {
                arity: 0,
                len: usize::from(self.nonempty),
                data: Vec::new(),
            };
        }
        macro_rules! by_width {
            ($($n:literal)*) => {
                match self.arity {
                    $($n => sort_grouped::<$n>(self.data),)*
                    _ => Err(self.data),
                }
            };
        }
        match by_width!(1 2 3 4 5 6 7 8) {
            Ok(data) => Rows {
                arity: self.arity,
                len: data.len() / self.arity,
                data,
            },
            Err(data) => Rows::from_unsorted(self.arity, data),
        }
    }
}

/// Sorts every run of rows with one first value.
fn sort_runs<const N: usize>(rows: &mut [[Word; N]]) {
    let mut start = 0;
    while start < rows.len() {
        let key = rows[start][0];
        let end = rows[start..]
            .iter()
            .position(|r| r[0] != key)
            .map_or(rows.len(), |n| start + n);
        rows[start..end].sort_unstable();
        start = end;
    }
}

/// Largest run of rows with one first value that [`sort_grouped`] sorts
/// on its own; longer runs go to the general sort.
const GROUP_MAX: usize = 4096;

/// Sorts and dedups rows whose first column is already in increasing
/// order, run by run; `Err` (untouched) when it is not, or a run is long.
///
/// Facts files are usually written in key order (Soufflé and `.output`
/// write them sorted), and the first column's ids then increase too:
/// ids follow first appearance. Sorting many short runs in cache is several
/// times faster than sorting the whole relation.
fn sort_grouped<const N: usize>(mut data: Vec<Word>) -> Result<Vec<Word>, Vec<Word>> {
    let (rows, _) = data.as_chunks_mut::<N>();
    let mut run = 0;
    for i in 1..rows.len() {
        if rows[i][0] < rows[i - 1][0] {
            return Err(data);
        }
        run = if rows[i][0] == rows[i - 1][0] {
            run + 1
        } else {
            0
        };
        if run >= GROUP_MAX {
            return Err(data);
        }
    }
    // Two halves on two threads, split where a run starts.
    let mut mid = rows.len() / 2;
    while mid > 0 && mid < rows.len() && rows[mid][0] == rows[mid - 1][0] {
        mid += 1;
    }
    let (left, right) = rows.split_at_mut(mid);
    if left.len() < (1 << 16) {
        sort_runs(left);
        sort_runs(right);
    } else {
        std::thread::scope(|scope| {
            scope.spawn(|| sort_runs(right));
            sort_runs(left);
        });
    }
    let w = super::eval::dedup_sorted(rows);
    data.truncate(w * N);
    Ok(data)
}

/// Parses facts text (see [`read_facts`]); `path` is only for messages.
pub fn parse_facts(
    content: &str,
    path: &Path,
    types: &[ColumnType],
    delimiter: &str,
    symbols: &mut Interner,
) -> Result<Rows, Diagnostic> {
    let mut acc = Accumulator {
        arity: types.len(),
        data: Vec::new(),
        lines_before: 0,
        nonempty: false,
    };
    parse_block(
        content.as_bytes(),
        threads_for(content.len()),
        path,
        types,
        delimiter,
        symbols,
        &mut acc,
        || (),
    )?;
    Ok(acc.finish())
}

/// What went wrong in a chunk, with the chunk-local line index.
enum ChunkError {
    /// A byte that is not UTF-8 (0-based chunk line, column, quoted line).
    NotUtf8 {
        line: usize,
        col: usize,
        text: String,
    },
    /// The parsing thread died.
    Failed,
    NotANumber {
        line: usize,
        col: usize,
        text: String,
        field: String,
        column: usize,
        ty: ColumnType,
    },
    Columns {
        line: usize,
        text: String,
        found: usize,
    },
}

/// One chunk parsed against a read-only view of the session's symbols.
///
/// A symbol the session already knows is stored as its session id; a
/// symbol new to the session as `base + j`, where `base` is the session's
/// symbol count when the block started and `j` numbers the chunk's new
/// symbols in order of first appearance (`fresh[j]`). Merging then only
/// interns the new symbols and rewrites the words of those rows.
struct Chunk<'a> {
    lines: usize,
    nonempty: usize,
    data: Vec<Word>,
    fresh: Vec<(&'a str, u64)>,
}

/// Turns the symbol fields of one chunk into words (see [`Chunk`]).
///
/// Each field is hashed once; the hash serves both the session's table
/// and the chunk's own table of new symbols, and is kept for the merge.
struct Coder<'a, 's> {
    known: &'s Interner,
    base: u32,
    table: HashTable<u32>,
    fresh: Vec<(&'a str, u64)>,
}

impl<'a> Coder<'a, '_> {
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
fn delimiter_byte(delimiter: &str) -> Option<u8> {
    match delimiter.as_bytes() {
        [b] if b.is_ascii() && *b != b'\n' && *b != b'\r' => Some(*b),
        _ => None,
    }
}

fn parse_chunk<'a>(
    bytes: &'a [u8],
    types: &[ColumnType],
    delimiter: &'a str,
    known: &Interner,
    base: u32,
) -> Result<Chunk<'a>, ChunkError> {
    let content = simdutf8::compat::from_utf8(bytes).map_err(|e| {
        let (line, col, text) = crate::diag::locate_bad_byte(bytes, e.valid_up_to(), |b| {
            String::from_utf8_lossy(b).into_owned()
        });
        ChunkError::NotUtf8 {
            line: line - 1,
            col,
            text,
        }
    })?;
    let mut coder = Coder {
        known,
        base,
        table: HashTable::new(),
        fresh: Vec::new(),
    };
    let mut data: Vec<Word> = Vec::with_capacity(content.len() / 16);
    let (lines, nonempty) = match delimiter_byte(delimiter) {
        Some(b) => fast_lines(content, b, types, delimiter, &mut coder, &mut data)?,
        None => general_lines(content, 0, types, delimiter, &mut coder, &mut data)?,
    };
    Ok(Chunk {
        lines,
        nonempty,
        data,
        fresh: coder.fresh,
    })
}

/// Reads the rows of `content` split on any delimiter; returns the number
/// of lines and of non-empty lines. `first` is the index of its first line
/// (for messages). Every malformed line is reported from here, also for
/// [`fast_lines`], so the messages have one source.
fn general_lines<'a>(
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
fn fast_lines<'a>(
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

/// How many threads parse a block of `len` bytes: one for small blocks,
/// where starting threads costs more than it saves.
fn threads_for(len: usize) -> usize {
    if len < (1 << 20) {
        1
    } else {
        super::cores::cores().min(8)
    }
}

/// Splits `bytes` into about `n` pieces at line ends.
fn line_chunks(bytes: &[u8], n: usize) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(n);
    let mut start = 0;
    for k in 1..n {
        let target = (bytes.len() * k / n).max(start);
        let Some(nl) = memchr::memchr(b'\n', &bytes[target..]) else {
            break;
        };
        let end = target + nl + 1;
        out.push(&bytes[start..end]);
        start = end;
    }
    out.push(&bytes[start..]);
    out
}

/// Parses whole lines in parallel chunks (each reading the session's
/// symbols and numbering its own new ones), then interns the new symbols
/// chunk by chunk in file order (first appearance decides the id) and
/// appends the rows to `acc`. `meanwhile` runs on this thread while the
/// chunks are parsed; its result is returned when the block is good.
#[allow(clippy::too_many_arguments)]
fn parse_block<R>(
    bytes: &[u8],
    threads: usize,
    path: &Path,
    types: &[ColumnType],
    delimiter: &str,
    symbols: &mut Interner,
    acc: &mut Accumulator,
    meanwhile: impl FnOnce() -> R,
) -> Result<R, Diagnostic> {
    let arity = types.len();
    let delimiter = if delimiter.is_empty() {
        "\t"
    } else {
        delimiter
    };
    let chunks = line_chunks(bytes, threads);
    let base = symbols.len() as u32;
    let known: &Interner = symbols;
    let (results, extra): (Vec<Result<Chunk, ChunkError>>, R) = if chunks.len() == 1 {
        let parsed = parse_chunk(chunks[0], types, delimiter, known, base);
        (vec![parsed], meanwhile())
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .iter()
                .map(|c| scope.spawn(move || parse_chunk(c, types, delimiter, known, base)))
                .collect();
            let extra = meanwhile();
            let results = handles
                .into_iter()
                .map(|h| h.join().unwrap_or(Err(ChunkError::Failed)))
                .collect();
            (results, extra)
        })
    };
    let mut before = acc.lines_before;
    let mut parsed = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(c) => {
                before += c.lines;
                parsed.push(c);
            }
            Err(ChunkError::NotUtf8 { line, col, text }) => {
                return Err(Diagnostic::at_line(
                    format!(
                        "cannot read `{}`: not UTF-8 text (Shift_JIS or binary?); save it as UTF-8",
                        path.display()
                    ),
                    path,
                    before + line + 1,
                )
                .with_line_text(text, Some(col))
                .with_label("first byte that is not UTF-8"));
            }
            Err(ChunkError::Failed) => {
                return Err(Diagnostic::at_file(
                    format!("cannot read `{}`: the parser failed", path.display()),
                    path,
                ));
            }
            Err(ChunkError::NotANumber {
                line,
                col,
                text,
                field,
                column,
                ty,
            }) => {
                return Err(Diagnostic::at_line(
                    format!(
                        "not a number: `{field}` in column {column} (type {})",
                        ty.name()
                    ),
                    path,
                    before + line + 1,
                )
                .with_line_text(text, Some(col)));
            }
            Err(ChunkError::Columns { line, text, found }) => {
                let (col, label) = columns_caret(&text, delimiter, arity, found);
                return Err(Diagnostic::at_line(
                    format!("wrong number of columns: expected {arity}, found {found}"),
                    path,
                    before + line + 1,
                )
                .with_line_text(text, Some(col))
                .with_label(label));
            }
        }
    }
    acc.lines_before = before;
    acc.nonempty |= parsed.iter().any(|c| c.nonempty > 0);
    if arity == 0 {
        return Ok(extra);
    }
    let sym_cols: Vec<usize> = (0..arity)
        .filter(|&c| types[c] == ColumnType::Symbol)
        .collect();
    let data = &mut acc.data;
    for c in parsed {
        let mut in_place = true;
        let map: Vec<Word> = c
            .fresh
            .iter()
            .enumerate()
            .map(|(j, &(s, h))| {
                let id = symbols.intern_hashed(h, s);
                in_place &= id == base.wrapping_add(j as u32);
                id
            })
            .collect();
        let start = data.len();
        data.extend_from_slice(&c.data);
        if !in_place {
            for row in data[start..].chunks_exact_mut(arity) {
                for &col in &sym_cols {
                    if let Some(j) = row[col].checked_sub(base)
                        && let Some(&id) = map.get(j as usize)
                    {
                        row[col] = id;
                    }
                }
            }
        }
    }
    Ok(extra)
}

/// The fields of one line. A one-byte delimiter (the usual tab) is found
/// with `memchr`; since it is ASCII, every cut is a character boundary. A
/// longer delimiter uses the general substring search.
enum Fields<'a> {
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
        ColumnType::Symbol => None,
    }
}

/// Soufflé's text of a relation: one row per line in output order, values
/// separated by `delimiter`, optionally a header line of column names.
pub fn format_rows(
    rows: &Rows,
    types: &[ColumnType],
    symbols: &Interner,
    order: &OutputOrder,
    delimiter: &str,
    header: Option<&[String]>,
) -> String {
    let mut out = String::with_capacity(rows.data.len() * 4);
    if let Some(h) = header {
        out.push_str(&h.join(delimiter));
        out.push('\n');
    }
    if rows.arity == 0 {
        if rows.len > 0 {
            out.push_str("()\n");
        }
        return out;
    }
    for i in order.sorted_rows(&rows.data, types) {
        let row = rows.row(i as usize);
        for (c, (&w, &t)) in row.iter().zip(types).enumerate() {
            if c > 0 {
                out.push_str(delimiter);
            }
            match t {
                ColumnType::Symbol => out.push_str(symbols.resolve(w)),
                _ => out.push_str(&text(w, t, symbols)),
            }
        }
        out.push('\n');
    }
    out
}

/// Soufflé's `IO=stdout` framing of a relation's text.
pub fn stdout_block(name: &str, body: &str, header: Option<&[String]>) -> String {
    let mut s = format!("---------------\n{name}\n");
    if let Some(h) = header {
        s.push_str(&h.join("\t"));
        s.push('\n');
    }
    s.push_str("===============\n");
    s.push_str(body);
    s.push_str("===============\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_and_reports_bad_ones() {
        let mut sy = Interner::new();
        let types = [ColumnType::Symbol, ColumnType::Number];
        let rows = parse_facts(
            "b\t2\na\t1\r\n\nb\t2\n",
            Path::new("e.facts"),
            &types,
            "\t",
            &mut sy,
        )
        .unwrap();
        assert_eq!(rows.len, 2);
        let err =
            parse_facts("a\t1\nb\tx\n", Path::new("e.facts"), &types, "\t", &mut sy).unwrap_err();
        assert!(err.message.contains("not a number"), "{}", err.message);
        assert!(err.render(&Default::default()).contains("e.facts:2:3"));
        let err =
            parse_facts("a\t1\tz\n", Path::new("e.facts"), &types, "\t", &mut sy).unwrap_err();
        assert!(err.message.contains("wrong number of columns"));
    }

    #[test]
    fn output_is_sorted_by_value() {
        let mut sy = Interner::new();
        let types = [ColumnType::Symbol, ColumnType::Number];
        let rows = parse_facts(
            "b\t-2\na\t10\na\t9\n",
            Path::new("x"),
            &types,
            "\t",
            &mut sy,
        )
        .unwrap();
        let order = OutputOrder::new(&sy);
        assert_eq!(
            format_rows(&rows, &types, &sy, &order, "\t", None),
            "a\t9\na\t10\nb\t-2\n"
        );
    }

    /// Reads `text` as one block with `threads` chunks; every row decoded.
    fn load(
        text: &str,
        threads: usize,
        delimiter: &str,
        types: &[ColumnType],
        sy: &mut Interner,
    ) -> Result<Vec<Vec<String>>, Diagnostic> {
        let mut acc = Accumulator {
            arity: types.len(),
            data: Vec::new(),
            lines_before: 0,
            nonempty: false,
        };
        let path = Path::new("t.facts");
        parse_block(
            text.as_bytes(),
            threads,
            path,
            types,
            delimiter,
            sy,
            &mut acc,
            || (),
        )?;
        let rows = acc.finish();
        Ok((0..rows.len)
            .map(|r| {
                rows.row(r)
                    .iter()
                    .zip(types)
                    .map(|(&w, &t)| text_of(w, t, sy))
                    .collect()
            })
            .collect())
    }

    fn text_of(w: Word, t: ColumnType, sy: &Interner) -> String {
        text(w, t, sy)
    }

    /// Lines in a messy but valid shape: CRLF, blank lines, a lone `\r`,
    /// empty fields, repeats above and far apart, no final newline.
    fn messy(delimiter: &str) -> String {
        let mut t = String::new();
        for i in 0..400 {
            let a = format!("焼津/{}", i / 7);
            let b = if i % 5 == 0 {
                String::new()
            } else {
                format!("b{}", i % 13)
            };
            t.push_str(&[a.as_str(), &b, &(i % 11).to_string()].join(delimiter));
            t.push_str(match i % 9 {
                0 => "\r\n",
                1 => "\n\n",
                2 => "\n\r\n",
                _ => "\n",
            });
        }
        t.push_str(&["last", "", "-3"].join(delimiter));
        t
    }

    /// The symbols in order of first appearance, as a plain scan sees them.
    fn first_seen(text: &str, delimiter: &str, pre: &[&str]) -> Vec<String> {
        let mut seen: Vec<String> = pre.iter().map(|s| s.to_string()).collect();
        for line in text.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            for f in line.split(delimiter).take(2) {
                if !seen.iter().any(|s| s == f) {
                    seen.push(f.to_string());
                }
            }
        }
        seen
    }

    #[test]
    fn chunks_and_delimiters_agree_and_keep_first_appearance_order() {
        let types = [ColumnType::Symbol, ColumnType::Symbol, ColumnType::Number];
        let pre = ["b3", "unused"];
        let mut expected = None;
        for (delimiter, threads) in [("\t", 1), ("\t", 3), ("\t", 8), ("||", 1), ("||", 4)] {
            let text = messy(delimiter);
            let mut sy = Interner::new();
            for p in pre {
                sy.intern(p);
            }
            let rows = load(&text, threads, delimiter, &types, &mut sy).unwrap();
            let order: Vec<String> = (0..sy.len() as u32)
                .map(|i| sy.resolve(i).to_string())
                .collect();
            assert_eq!(
                order,
                first_seen(&text, delimiter, &pre),
                "{delimiter:?} {threads}"
            );
            assert!(rows.contains(&vec!["last".into(), String::new(), "-3".into()]));
            assert!(rows.contains(&vec!["焼津/0".into(), String::new(), "0".into()]));
            // Rows are sorted by id, so compare them as sets.
            let mut rows = rows;
            rows.sort();
            match &expected {
                None => expected = Some(rows),
                Some(e) => assert_eq!(&rows, e, "{delimiter:?} {threads}"),
            }
        }
        assert_eq!(expected.map(|e| e.len()), Some(401));
    }

    #[test]
    fn errors_name_the_line_whatever_chunk_it_is_in() {
        let types = [ColumnType::Symbol, ColumnType::Number];
        let mut text: String = (0..300).map(|i| format!("a{i}\t{i}\n")).collect();
        text.push_str("\n\r\nz\t1\t2\n");
        text.push_str("a\t1\n");
        let bad_number = format!("{}a\tx\n", text.replace("z\t1\t2\n", "z\t1\n"));
        for threads in [1, 2, 5] {
            let mut sy = Interner::new();
            let e = load(&text, threads, "\t", &types, &mut sy).unwrap_err();
            assert_eq!(e.message, "wrong number of columns: expected 2, found 3");
            let shown = e.render(&Default::default());
            assert!(shown.contains("t.facts:303:5\n"), "{shown}");
            assert!(shown.contains("^ column 3 is one too many"), "{shown}");
            let e = load(&bad_number, threads, "\t", &types, &mut sy).unwrap_err();
            assert!(e.message.starts_with("not a number: `x` in column 2"));
            assert!(e.render(&Default::default()).contains("t.facts:305:3\n"));
            let e = load("a\t1\nb\n", threads, "\t", &types, &mut sy).unwrap_err();
            assert!(e.message.ends_with("found 1"), "{}", e.message);
            let shown = e.render(&Default::default());
            assert!(shown.contains(":2:2\n"), "{shown}");
            assert!(shown.contains("ends after 1 of 2 columns"), "{shown}");
        }
    }

    #[test]
    fn blocks_split_anywhere_read_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.facts");
        let types = [ColumnType::Symbol, ColumnType::Symbol, ColumnType::Number];
        let mut content = String::from("head\tline\there\r\n");
        content.push_str(&messy("\t"));
        content.push_str("\nx\t");
        content.push_str(&"長".repeat(100));
        content.push_str("\t7\n");
        std::fs::write(&path, &content).unwrap();
        let mut whole = Interner::new();
        let expected = parse_facts(
            content.split_once('\n').unwrap().1,
            &path,
            &types,
            "\t",
            &mut whole,
        )
        .unwrap();
        let decode = |rows: &Rows, sy: &Interner| -> Vec<String> {
            let mut v: Vec<String> = (0..rows.len)
                .map(|r| {
                    let row = rows.row(r);
                    (0..3)
                        .map(|c| text(row[c], types[c], sy))
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect();
            v.sort();
            v
        };
        for block in [1, 7, 64, 1000, 1 << 20] {
            let mut sy = Interner::new();
            let rows = read_blocks(&path, &types, "\t", true, &mut sy, block).unwrap();
            assert_eq!(
                decode(&rows, &sy),
                decode(&expected, &whole),
                "block {block}"
            );
            let order = |i: &Interner| {
                (0..i.len() as u32)
                    .map(|n| i.resolve(n).to_string())
                    .collect::<Vec<_>>()
            };
            assert_eq!(order(&sy), order(&whole), "block {block}");
        }
        // Errors count the header and every earlier block's lines.
        content.push_str("y\t1\n");
        std::fs::write(&path, &content).unwrap();
        for block in [5, 64, 1 << 20] {
            let e =
                read_blocks(&path, &types, "\t", true, &mut Interner::new(), block).unwrap_err();
            assert!(e.message.contains("found 2"), "{}", e.message);
            let line = content.lines().count();
            let at = format!("b.facts:{line}:4\n");
            assert!(e.render(&Default::default()).contains(&at), "block {block}");
        }
        // A file that is all header.
        std::fs::write(&path, "only a header").unwrap();
        let rows = read_blocks(&path, &types, "\t", true, &mut Interner::new(), 4).unwrap();
        assert_eq!(rows.len, 0);
    }

    #[test]
    fn runs_sort_like_the_general_sort() {
        let mut seed = 7u64;
        let mut next = move |m: u32| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as u32) % m
        };
        for (rows, run) in [(0usize, 1u32), (1, 1), (50, 3), (300_000, 40)] {
            let mut data = Vec::new();
            let mut key = 0;
            for _ in 0..rows {
                key += u32::from(next(run) == 0);
                data.extend([key, next(5), next(3)]);
            }
            let expected = Rows::from_unsorted(3, data.clone());
            let sorted = sort_grouped::<3>(data).ok().unwrap();
            assert_eq!(sorted, expected.data, "{rows} rows");
        }
        // Not in first-column order, or one long run: left alone.
        assert_eq!(sort_grouped::<2>(vec![2, 0, 1, 0]), Err(vec![2, 0, 1, 0]));
        let long: Vec<Word> = (0..GROUP_MAX as u32 + 1).flat_map(|i| [0, i]).collect();
        assert!(sort_grouped::<2>(long).is_err());
    }
}
