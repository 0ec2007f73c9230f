//! Parsing facts text into words: a block of whole lines is cut into
//! chunks at line ends, each chunk is parsed on its own thread against a
//! read-only view of the session's symbols (numbering its new symbols
//! itself), then the new symbols are interned chunk by chunk in file order,
//! so ids follow first appearance whatever the split. Every malformed line
//! becomes a located [`Diagnostic`] here.

use super::lines::{Coder, delimiter_byte, fast_lines, general_lines};
use crate::diag::Diagnostic;
use crate::engine::cores;
use crate::engine::intern::Interner;
use crate::engine::rows::Rows;
use crate::engine::sort::sort_grouped;
use crate::engine::value::Word;
use crate::lang::types::ColumnType;
use std::panic::AssertUnwindSafe;
use std::path::Path;

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
pub(super) struct Accumulator {
    arity: usize,
    /// The rows so far, row-major.
    pub(super) data: Vec<Word>,
    /// Lines of the file before the next block (for messages).
    pub(super) lines_before: usize,
    nonempty: bool,
}

impl Accumulator {
    /// No rows yet, of `arity` words each.
    pub(super) fn new(arity: usize) -> Self {
        Accumulator {
            arity,
            data: Vec::new(),
            lines_before: 0,
            nonempty: false,
        }
    }

    /// The rows, sorted and distinct.
    pub(super) fn finish(self) -> Rows {
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

/// Parses facts text (see [`read_facts`]); `path` is only for messages.
pub fn parse_facts(
    content: &str,
    path: &Path,
    types: &[ColumnType],
    delimiter: &str,
    symbols: &mut Interner,
) -> Result<Rows, Diagnostic> {
    // Record columns are read as text, then taken apart.
    let read_as = crate::engine::record::read_as_text(types);
    let mut acc = Accumulator::new(types.len());
    parse_block(
        content.as_bytes(),
        threads_for(content.len()),
        path,
        &read_as,
        delimiter,
        symbols,
        &mut acc,
        || (),
    )?;
    crate::engine::record::records_from_text(
        acc.finish(),
        types,
        symbols,
        path,
        Some(content),
        delimiter,
    )
}

/// What went wrong in a chunk, with the chunk-local line index.
pub(super) enum ChunkError {
    /// A byte that is not UTF-8 (0-based chunk line, column, quoted line).
    NotUtf8 {
        line: usize,
        col: usize,
        text: String,
    },
    /// The chunk's parser failed (a bug).
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
    let mut coder = Coder::new(known, base);
    let mut data: Vec<Word> = Vec::with_capacity(content.len() / 16);
    let (lines, nonempty) = match delimiter_byte(delimiter) {
        Some(b) => fast_lines(content, b, types, delimiter, &mut coder, &mut data)?,
        None => general_lines(content, 0, types, delimiter, &mut coder, &mut data)?,
    };
    Ok(Chunk {
        lines,
        nonempty,
        data,
        fresh: coder.into_fresh(),
    })
}

/// How many threads parse a block of `len` bytes: one for small blocks,
/// where starting threads costs more than it saves.
pub(super) fn threads_for(len: usize) -> usize {
    if len < (1 << 20) {
        1
    } else {
        cores::cores().min(8)
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
pub(super) fn parse_block<R>(
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
    let parse = |c| parse_chunk(c, types, delimiter, known, base);
    let mut results: Vec<Result<Chunk, ChunkError>> =
        chunks.iter().map(|_| Err(ChunkError::Failed)).collect();
    let pool = cores::pool().filter(|_| chunks.len() > 1);
    let extra = match pool {
        // The chunks go to the pool; `meanwhile` runs here, beside them.
        Some(pool) => pool.in_place_scope(|scope| {
            for (slot, &c) in results.iter_mut().zip(&chunks) {
                scope.spawn(move |_| {
                    // A chunk whose parser fails is reported as such.
                    *slot = std::panic::catch_unwind(AssertUnwindSafe(|| parse(c)))
                        .unwrap_or(Err(ChunkError::Failed));
                });
            }
            meanwhile()
        }),
        None => {
            for (slot, &c) in results.iter_mut().zip(&chunks) {
                *slot = parse(c);
            }
            meanwhile()
        }
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::engine::value::text;

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

    /// Reads `text` as one block with `threads` chunks; every row decoded.
    fn load(
        text: &str,
        threads: usize,
        delimiter: &str,
        types: &[ColumnType],
        sy: &mut Interner,
    ) -> Result<Vec<Vec<String>>, Diagnostic> {
        let mut acc = Accumulator::new(types.len());
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
    pub(crate) fn messy(delimiter: &str) -> String {
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
}
