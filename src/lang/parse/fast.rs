//! A hand-written fast path for the commonest statement: a ground fact
//! `rel("text", 42, -1).` with plain strings and decimal numbers.
//!
//! Fact files written by `pialog import` and `pialog gen` hold hundreds of
//! thousands of such lines; pest spends most of its time on per-character
//! bookkeeping there. Anything this scanner is not sure about (escapes,
//! floats, expressions, qualified names, odd spacing) returns `None` and
//! the statement goes through the grammar, which stays the authority.

use crate::diag::{FileId, Span};
use crate::lang::ast::{Atom, Expr, Ident};

/// Skips blanks and comments from `pos`; returns the new position. An
/// unterminated `/*` is left in place for the grammar to report.
pub fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        match bytes.get(pos) {
            Some(b' ' | b'\t' | b'\r' | b'\n' | 0x0B | 0x0C) => pos += 1,
            Some(b'/') if bytes.get(pos + 1) == Some(&b'/') => {
                pos = match text[pos..].find('\n') {
                    Some(i) => pos + i + 1,
                    None => text.len(),
                };
            }
            Some(b'/') if bytes.get(pos + 1) == Some(&b'*') => match text[pos + 2..].find("*/") {
                Some(i) => pos = pos + 2 + i + 2,
                None => return pos,
            },
            Some(_) => {
                // U+FEFF (byte order mark) and U+3000 (ideographic space)
                // are blanks in the grammar too.
                let rest = &text[pos..];
                if rest.starts_with('\u{FEFF}') || rest.starts_with('\u{3000}') {
                    pos += 3;
                } else {
                    return pos;
                }
            }
            None => return pos,
        }
    }
}

/// A constant of a ground fact as the scanner read it, borrowing the text
/// where it can (a string needs its own copy only when it had escapes).
#[derive(Clone, Debug, PartialEq)]
pub enum Constant<'a> {
    /// A string literal, escapes resolved.
    Str(std::borrow::Cow<'a, str>),
    /// A decimal number of the 32-bit signed domain.
    Number(i64),
}

/// One ground fact as the scanner read it: where its name is, where its
/// atom ends and where scanning goes on (after the final `.`). Its
/// constants are in the caller's buffer, with their start offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scanned {
    /// Byte range of the relation name.
    pub name: (usize, usize),
    /// End of the atom (the closing parenthesis).
    pub atom_end: usize,
    /// Position after the final `.`.
    pub end: usize,
}

/// Reads a simple fact at `pos` without building syntax: its constants
/// (with their start offsets) replace the contents of `args`. `None` when
/// the grammar must decide. Loading a knowledge base of fact files reads
/// millions of facts this way, straight into rows.
pub fn scan_fact<'a>(
    text: &'a str,
    pos: usize,
    args: &mut Vec<(Constant<'a>, usize, usize)>,
) -> Option<Scanned> {
    args.clear();
    let bytes = text.as_bytes();
    let name_end = ident_end(text, pos)?;
    let mut i = blanks(bytes, name_end);
    if bytes.get(i) != Some(&b'(') {
        return None;
    }
    i += 1;
    i = blanks(bytes, i);
    if bytes.get(i) == Some(&b')') {
        i += 1;
    } else {
        loop {
            i = blanks(bytes, i);
            let (arg, next) = constant(text, i)?;
            args.push((arg, i, next));
            i = blanks(bytes, next);
            match bytes.get(i) {
                Some(b',') => i += 1,
                Some(b')') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    let atom_end = i;
    i = blanks(bytes, i);
    if bytes.get(i) != Some(&b'.') {
        return None;
    }
    Some(Scanned {
        name: (pos, name_end),
        atom_end,
        end: i + 1,
    })
}

/// Reads a simple fact at `pos`; returns the atom and the position after
/// its final `.`, or `None` when the grammar must decide.
pub fn fact(text: &str, pos: usize, file: FileId) -> Option<(Atom, usize)> {
    let mut scanned = Vec::new();
    let s = scan_fact(text, pos, &mut scanned)?;
    let relation = Ident {
        name: text[s.name.0..s.name.1].to_string(),
        span: Span::new(file, s.name.0, s.name.1),
    };
    let args = scanned
        .into_iter()
        .map(|(c, start, end)| {
            let span = Span::new(file, start, end);
            match c {
                Constant::Str(t) => Expr::Str(t.into_owned(), span),
                Constant::Number(n) => Expr::Number(n, span),
            }
        })
        .collect();
    let atom = Atom {
        relation,
        args,
        span: Span::new(file, pos, s.atom_end),
    };
    Some((atom, s.end))
}

fn blanks(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

fn ident_end(text: &str, pos: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // ASCII names (all that the importer writes) without Unicode tables.
    let mut i = pos;
    while let Some(&b) = bytes.get(i) {
        let ok =
            b == b'_' || b == b'?' || b.is_ascii_alphabetic() || (i > pos && b.is_ascii_digit());
        if !ok {
            break;
        }
        i += 1;
    }
    match bytes.get(i) {
        Some(b) if b.is_ascii() && i > pos => return (*b != b'.').then_some(i),
        None => return None,
        _ => {}
    }
    let mut chars = text[pos..].char_indices();
    let (_, first) = chars.next()?;
    if !(first == '_' || first == '?' || pest::unicode::XID_START(first)) {
        return None;
    }
    for (i, c) in chars {
        if !(c == '_' || c == '?' || pest::unicode::XID_CONTINUE(c)) {
            // A `.` right after the name is a qualified name: not ours.
            return (c != '.').then_some(pos + i);
        }
    }
    None
}

/// A string (common escapes resolved) or a decimal number of the 32-bit
/// domain.
fn constant(text: &str, i: usize) -> Option<(Constant<'_>, usize)> {
    let bytes = text.as_bytes();
    match bytes.get(i)? {
        b'"' => {
            let body = &text[i + 1..];
            let close = memchr::memchr2(b'"', b'\\', body.as_bytes())?;
            if body.as_bytes()[close] == b'"' {
                let end = i + 1 + close + 1;
                return Some((Constant::Str(body[..close].into()), end));
            }
            // Escapes: resolve the common ones, leave the rest to the grammar.
            let mut out = String::with_capacity(body.len().min(256));
            let mut chars = body.char_indices();
            while let Some((k, c)) = chars.next() {
                match c {
                    '"' => {
                        let end = i + 1 + k + 1;
                        return Some((Constant::Str(out.into()), end));
                    }
                    '\\' => out.push(match chars.next()?.1 {
                        '"' => '"',
                        '\'' => '\'',
                        '\\' => '\\',
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        _ => return None,
                    }),
                    c => out.push(c),
                }
            }
            None
        }
        b'-' | b'0'..=b'9' => {
            let negative = bytes[i] == b'-';
            let start = i + usize::from(negative);
            let mut end = start;
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if end == start || !matches!(bytes.get(end), Some(b' ' | b'\t' | b',' | b')')) {
                return None;
            }
            // Leave `0x`/`0b`/`u`/floats and the range checks to the grammar.
            let v: i64 = text[start..end].parse().ok()?;
            let v = if negative { -v } else { v };
            if v < i64::from(i32::MIN) || v > i64::from(i32::MAX) {
                return None;
            }
            Some((Constant::Number(v), end))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_simple_facts_and_declines_the_rest() {
        let (a, end) = fact("f(\"焼津\", -3, 4). // x", 0, 0).unwrap();
        assert_eq!(a.relation.name, "f");
        assert_eq!(a.args.len(), 3);
        assert_eq!(end, "f(\"焼津\", -3, 4).".len());
        assert!(matches!(a.args[1], Expr::Number(-3, _)));
        assert!(fact("z().", 0, 0).is_some());
        let (a, _) = fact("f(\"a\\tb\\\"c\").", 0, 0).unwrap();
        assert!(matches!(&a.args[0], Expr::Str(s, _) if s == "a\tb\"c"));
        for text in [
            "f(\"a\\qb\").",
            "f(1.5).",
            "f(0x10).",
            "f(x).",
            "f(1) :- g(1).",
            "a.b(1).",
            "f(3000000000).",
            "f(1 + 2).",
            "f(1)",
        ] {
            assert!(fact(text, 0, 0).is_none(), "{text}");
        }
    }

    #[test]
    fn scans_constants_without_syntax() {
        let mut args = Vec::new();
        let s = scan_fact("r(\"a\\\"b\", 7) . x", 0, &mut args).unwrap();
        assert_eq!(s.name, (0, 1));
        assert_eq!(s.end, "r(\"a\\\"b\", 7) .".len());
        assert_eq!(args[0].0, Constant::Str("a\"b".into()));
        assert_eq!(args[1].0, Constant::Number(7));
        assert!(scan_fact("!r(1).", 0, &mut args).is_none());
        assert!(scan_fact(".decl r(x: number)", 0, &mut args).is_none());
    }

    #[test]
    fn skips_blanks_and_comments() {
        let text = "  // c\n /* d */\u{3000}x";
        assert_eq!(&text[skip_trivia(text, 0)..], "x");
        assert_eq!(skip_trivia("/* open", 0), 0);
    }
}
