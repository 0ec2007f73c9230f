//! The 32-bit value domain: how a typed value is one machine word, how a
//! word turns back into a [`Value`] or into Soufflé's text, and how rows are
//! ordered for output.
//!
//! Soufflé's default build stores every value in a 32-bit `RamDomain`:
//! symbols as symbol-table indices, `number` as `i32`, `unsigned` as `u32`,
//! `float` as `f32` bits. pialog uses the same domain, so arithmetic wraps
//! exactly where Soufflé's does and tuples are small arrays of `u32`.

use super::intern::Interner;
use super::table::Value;
use crate::lang::ast;
use crate::lang::types::ColumnType;
use std::cmp::Ordering;

/// One value inside the engine.
pub type Word = u32;

/// Encodes a signed number.
pub fn from_i32(n: i32) -> Word {
    n as u32
}

/// Decodes a signed number.
pub fn to_i32(w: Word) -> i32 {
    w as i32
}

/// Encodes a float. `-0.0` becomes `0.0`: Soufflé compares floats by value,
/// so `-0` in a fact joins with a constant `0.0`, and one word per value
/// keeps joins on words right.
pub fn from_f32(x: f32) -> Word {
    if x == 0.0 { 0 } else { x.to_bits() }
}

/// Decodes a float.
pub fn to_f32(w: Word) -> f32 {
    f32::from_bits(w)
}

/// The decoded value of a word of the given type.
pub fn decode(w: Word, ty: ColumnType, symbols: &Interner) -> Value {
    match ty {
        ColumnType::Symbol => Value::Symbol(symbols.resolve(w).to_string()),
        ColumnType::Number => Value::Number(i64::from(to_i32(w))),
        ColumnType::Unsigned => Value::Unsigned(u64::from(w)),
        ColumnType::Float => Value::Float(f64::from(to_f32(w))),
        // A record leaves the engine as its text: writers print it as is.
        ColumnType::Record(id) => Value::Symbol(super::record::text(w, id, symbols)),
    }
}

/// The word of a decoded value without interning (`None` for a symbol the
/// engine never saw, or a value of the wrong type).
pub fn encode_lookup(v: &Value, ty: ColumnType, symbols: &Interner) -> Option<Word> {
    match (v, ty) {
        (Value::Symbol(s), ColumnType::Symbol) => symbols.get(s),
        (Value::Number(n), ColumnType::Number) => i32::try_from(*n).ok().map(from_i32),
        (Value::Unsigned(n), ColumnType::Unsigned) => u32::try_from(*n).ok(),
        (Value::Number(n), ColumnType::Unsigned) => u32::try_from(*n).ok(),
        (Value::Float(x), ColumnType::Float) => Some(from_f32(*x as f32)),
        (Value::Number(n), ColumnType::Float) => Some(from_f32(*n as f32)),
        _ => None,
    }
}

/// The word of a literal constant of a stated fact (`"a"`, `1`, `-2`,
/// `1.5`) in a column of type `ty`, interning a symbol: how facts written
/// in program text become rows. `None` for anything else (an expression,
/// a constant of another type), which is evaluated as a rule instead.
pub fn literal_word(e: &ast::Expr, ty: ColumnType, symbols: &mut Interner) -> Option<Word> {
    match e {
        ast::Expr::Str(s, _) if ty == ColumnType::Symbol => Some(symbols.intern(s)),
        _ => literal_number(e, ty),
    }
}

/// [`literal_word`] without interning: `None` also for a symbol the engine
/// never saw (no row can hold it).
pub fn literal_word_lookup(e: &ast::Expr, ty: ColumnType, symbols: &Interner) -> Option<Word> {
    match e {
        ast::Expr::Str(s, _) if ty == ColumnType::Symbol => symbols.get(s),
        _ => literal_number(e, ty),
    }
}

/// The word of a numeric literal (a negated one too) in a numeric column;
/// `None` for a symbol column or anything but a literal.
pub fn literal_number(e: &ast::Expr, ty: ColumnType) -> Option<Word> {
    use ast::Expr as E;
    match (e, ty) {
        (E::Number(n, _), ColumnType::Number) => Some(from_i32(*n as i32)),
        (E::Number(n, _), ColumnType::Unsigned) => Some(*n as u32),
        (E::Number(n, _), ColumnType::Float) => Some(from_f32(*n as f32)),
        (E::Unsigned(n, _), ColumnType::Unsigned) => Some(*n as u32),
        (E::Float(x, _), ColumnType::Float) => Some(from_f32(*x as f32)),
        (
            E::Unary {
                op: ast::UnOp::Neg,
                arg,
                ..
            },
            ColumnType::Number | ColumnType::Float,
        ) => match arg.as_ref() {
            E::Number(n, _) if ty == ColumnType::Number => Some(from_i32(-(*n as i32))),
            E::Number(n, _) => Some(from_f32(-(*n as f32))),
            E::Float(x, _) => Some(from_f32(-(*x as f32))),
            _ => None,
        },
        _ => None,
    }
}

/// Soufflé's text of a word in output files: symbols bare, numbers in
/// decimal, floats as its writers print them (`%g` with `max_digits10` = 9
/// significant digits).
pub fn text(w: Word, ty: ColumnType, symbols: &Interner) -> String {
    match ty {
        ColumnType::Symbol => symbols.resolve(w).to_string(),
        ColumnType::Number => to_i32(w).to_string(),
        ColumnType::Unsigned => w.to_string(),
        ColumnType::Float => format_float_digits(f64::from(to_f32(w)), 9),
        ColumnType::Record(id) => super::record::text(w, id, symbols),
    }
}

/// Soufflé's text of a decoded value (used for tables built elsewhere).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Float(x) => format_float_digits(*x, 9),
        other => other.to_string(),
    }
}

/// C++ `std::ostream << double` with the default precision: `%g` with six
/// significant digits.
pub fn format_float(x: f64) -> String {
    format_float_digits(x, 6)
}

/// `%.<digits>g`: `digits` significant digits, trailing zeros dropped,
/// exponent form outside `1e-4 ..= 10^digits`.
pub fn format_float_digits(x: f64, digits: usize) -> String {
    let digits = digits.max(1);
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let sci = format!("{x:.prec$e}", prec = digits - 1);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..digits as i32).contains(&exp) {
        let m = trim_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (digits as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{x:.decimals$}")).to_string()
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Maps words to order-preserving sort keys per column type, so that rows
/// can be sorted for output by comparing words only: symbols by their rank
/// in string order, signed numbers with the sign bit flipped, floats by the
/// usual total-order bit trick.
pub struct OutputOrder {
    ranks: Vec<u32>,
}

impl OutputOrder {
    /// Prepares the symbol ranks (one sort of the symbol table).
    pub fn new(symbols: &Interner) -> Self {
        OutputOrder {
            ranks: symbols.ranks(),
        }
    }

    /// The sort key of one word.
    pub fn key(&self, w: Word, ty: ColumnType) -> u32 {
        match ty {
            ColumnType::Symbol => self.ranks.get(w as usize).copied().unwrap_or(w),
            ColumnType::Number => w ^ 0x8000_0000,
            // Records in Soufflé's order: by id.
            ColumnType::Unsigned | ColumnType::Record(_) => w,
            ColumnType::Float => {
                if w & 0x8000_0000 != 0 {
                    !w
                } else {
                    w | 0x8000_0000
                }
            }
        }
    }

    /// Sorts flat rows (row-major, `types.len()` words each) into output
    /// order and returns the permutation of row indices.
    pub fn sorted_rows(&self, data: &[Word], types: &[ColumnType]) -> Vec<u32> {
        let arity = types.len();
        if arity == 0 {
            return if data.is_empty() { Vec::new() } else { vec![0] };
        }
        let n = data.len() / arity;
        let keys: Vec<u32> = data
            .chunks_exact(arity)
            .flat_map(|row| row.iter().zip(types).map(|(&w, &t)| self.key(w, t)))
            .collect();
        let mut idx: Vec<u32> = (0..n as u32).collect();
        idx.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize * arity, b as usize * arity);
            keys[a..a + arity].cmp(&keys[b..b + arity])
        });
        idx
    }
}

/// Compares two words of one type the way Soufflé's `<` does: numbers by
/// value, symbols by string.
pub fn compare(a: Word, b: Word, ty: ColumnType, symbols: &Interner) -> Ordering {
    match ty {
        ColumnType::Symbol => symbols.resolve(a).cmp(symbols.resolve(b)),
        ColumnType::Number => to_i32(a).cmp(&to_i32(b)),
        ColumnType::Unsigned | ColumnType::Record(_) => a.cmp(&b),
        ColumnType::Float => to_f32(a).partial_cmp(&to_f32(b)).unwrap_or(Ordering::Equal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_cpp() {
        assert_eq!(format_float(0.5), "0.5");
        assert_eq!(format_float(1.0), "1");
        assert_eq!(format_float(1.23456789), "1.23457");
        assert_eq!(format_float(1e10), "1e+10");
        assert_eq!(format_float(123456.0), "123456");
        assert_eq!(format_float(1234567.0), "1.23457e+06");
        assert_eq!(format_float(0.0001), "0.0001");
        assert_eq!(format_float(0.00001), "1e-05");
        assert_eq!(format_float(-2.5), "-2.5");
        assert_eq!(format_float(f64::from(0.1f32)), "0.1");
        assert_eq!(format_float_digits(65536.25, 9), "65536.25");
        assert_eq!(format_float_digits(1e8, 9), "100000000");
        assert_eq!(format_float_digits(1.0 / 1024.0, 9), "0.0009765625");
    }

    #[test]
    fn literals_of_facts_become_words_of_their_column_type() {
        use crate::diag::Span;
        let sp = Span::default();
        let neg = |e: ast::Expr| ast::Expr::Unary {
            op: ast::UnOp::Neg,
            arg: Box::new(e),
            span: sp,
        };
        let mut s = Interner::new();
        let a = ast::Expr::Str("a".into(), sp);
        assert_eq!(literal_word_lookup(&a, ColumnType::Symbol, &s), None);
        let w = literal_word(&a, ColumnType::Symbol, &mut s);
        assert_eq!(w, s.get("a"));
        assert_eq!(literal_word_lookup(&a, ColumnType::Symbol, &s), w);
        assert_eq!(literal_word(&a, ColumnType::Number, &mut s), None);
        let two = ast::Expr::Number(2, sp);
        assert_eq!(literal_number(&two, ColumnType::Float), Some(from_f32(2.0)));
        assert_eq!(literal_number(&two, ColumnType::Symbol), None);
        assert_eq!(
            literal_number(&neg(two.clone()), ColumnType::Number),
            Some(from_i32(-2))
        );
        assert_eq!(literal_number(&neg(two), ColumnType::Unsigned), None);
    }

    #[test]
    fn output_order_is_numeric_and_lexicographic() {
        let mut s = Interner::new();
        let b = s.intern("b");
        let a = s.intern("a");
        let o = OutputOrder::new(&s);
        assert!(o.key(a, ColumnType::Symbol) < o.key(b, ColumnType::Symbol));
        assert!(o.key(from_i32(-5), ColumnType::Number) < o.key(from_i32(3), ColumnType::Number));
        assert!(
            o.key(from_f32(-1.5), ColumnType::Float) < o.key(from_f32(-0.5), ColumnType::Float)
        );
        assert!(o.key(from_f32(0.5), ColumnType::Float) < o.key(from_f32(2.0), ColumnType::Float));
        let data = [from_i32(3), from_i32(-1), from_i32(0)];
        assert_eq!(o.sorted_rows(&data, &[ColumnType::Number]), vec![1, 2, 0]);
    }
}
