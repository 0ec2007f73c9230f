//! Soufflé's file formats: `.facts` input (delimiter-separated text) and
//! `.csv` output (tab-separated, sorted, Soufflé's value text).
//!
//! Reading is built for volume: the file is read once, checked as UTF-8
//! once, split on bytes, and every symbol field is interned straight from
//! the borrowed text (one hash lookup; an allocation only for a new
//! symbol). Every malformed row is an error that names the file and line.

use super::eval::Rows;
use super::intern::Interner;
use super::table::ColumnType;
use super::value::{OutputOrder, Word, from_f32, from_i32, text};
use crate::diag::Diagnostic;
use std::path::Path;

/// Reads a facts file of the given column types.
pub fn read_facts(
    path: &Path,
    types: &[ColumnType],
    delimiter: &str,
    headers: bool,
    symbols: &mut Interner,
) -> Result<Rows, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::at_file(format!("cannot read `{}`: {e}", path.display()), path))?;
    let content = std::str::from_utf8(&bytes).map_err(|e| {
        Diagnostic::at_file(
            format!("cannot read `{}`: not UTF-8 text ({e})", path.display()),
            path,
        )
    })?;
    if headers {
        let start = content.find('\n').map_or(content.len(), |i| i + 1);
        // Keep line numbers right: the header is line 1.
        let body = &content[start..];
        return parse_facts(body, path, types, delimiter, symbols).map_err(|mut d| {
            if let crate::diag::Location::Line { line, .. } = &mut d.location {
                *line += 1;
            }
            d
        });
    }
    parse_facts(content, path, types, delimiter, symbols)
}

/// Parses facts text (see [`read_facts`]); `path` is only for messages.
pub fn parse_facts(
    content: &str,
    path: &Path,
    types: &[ColumnType],
    delimiter: &str,
    symbols: &mut Interner,
) -> Result<Rows, Diagnostic> {
    let arity = types.len();
    let delimiter = if delimiter.is_empty() {
        "\t"
    } else {
        delimiter
    };
    let mut data: Vec<Word> = Vec::with_capacity(content.len() / 8);
    let mut nullary = 0usize;
    for (i, line) in content.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        if arity == 0 {
            nullary += 1;
            continue;
        }
        let mut found = 0usize;
        for (c, field) in line.split(delimiter).enumerate() {
            found += 1;
            if c >= arity {
                continue;
            }
            let w = match types[c] {
                ColumnType::Symbol => symbols.intern(field),
                ty => match parse_number(field, ty) {
                    Some(w) => w,
                    None => {
                        let col = line
                            .split(delimiter)
                            .take(c)
                            .map(|f| f.chars().count() + delimiter.chars().count())
                            .sum::<usize>()
                            + 1;
                        return Err(Diagnostic::at_line(
                            format!(
                                "not a number: `{field}` in column {} (type {})",
                                c + 1,
                                ty.name()
                            ),
                            path,
                            i + 1,
                        )
                        .with_line_text(line, Some(col)));
                    }
                },
            };
            data.push(w);
        }
        if found != arity {
            data.truncate(data.len() - found.min(arity));
            return Err(Diagnostic::at_line(
                format!("wrong number of columns: expected {arity}, found {found}"),
                path,
                i + 1,
            )
            .with_line_text(line, None));
        }
    }
    if arity == 0 {
        return Ok(Rows {
            arity: 0,
            len: nullary.min(1),
            data: Vec::new(),
        });
    }
    Ok(Rows::from_unsorted(arity, data))
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
}
