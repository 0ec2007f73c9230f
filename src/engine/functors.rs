//! Scalar semantics: arithmetic, functors and constraints on 32-bit words,
//! following Soufflé.
//!
//! - Arithmetic wraps in the operand type (`i32`, `u32`) like Soufflé's
//!   C++; integer `/` and `%` by zero warn and yield no tuple (Soufflé
//!   aborts the run); `^` is `std::pow` cast back as Soufflé does it.
//! - Strings are byte strings as in Soufflé: `strlen` counts bytes and
//!   `substr(s, i, n)` takes bytes `i..i+n` (0-based) but never half a
//!   character; an index outside `0..=strlen(s)` warns and yields `""`,
//!   like `std::string::substr`.
//! - `to_number` reads a leading decimal number like `std::stoi`; a string
//!   with none yields no tuple (Soufflé aborts the program).
//! - `match(re, s)` is a whole-string regex match; each pattern is compiled
//!   once per evaluation and an invalid one warns and never matches.
//! - Which overload an application runs (`to_number` of a symbol or of a
//!   float, `max` on floats) is the one lowering picked from the signature
//!   table ([`crate::lang::signature`]); here each overload is carried out.

use super::intern::Interner;
use super::ir::Expr;
use super::value::{Word, compare, format_float, from_f32, from_i32, to_f32, to_i32};
use crate::lang::ast::{BinOp, CompareOp, Functor, UnOp};
use crate::lang::signature;
use crate::lang::types::ColumnType;
use regex::Regex;
use rustc_hash::FxHashMap;
use std::cmp::Ordering;

/// The symbol table as an evaluation sees it: owned for writing (a
/// sequential run may create symbols with `cat`, `substr` …) or shared by
/// parallel workers, which may only read it.
pub enum Symbols<'a> {
    /// Exclusive: new symbols are interned.
    Owned(&'a mut Interner),
    /// Shared with other workers: a new symbol cannot be made; the run is
    /// marked and redone sequentially.
    Shared(&'a Interner),
}

fn table<'b>(s: &'b Symbols) -> &'b Interner {
    match s {
        Symbols::Owned(i) => i,
        Symbols::Shared(i) => i,
    }
}

/// What expression evaluation needs besides registers.
pub struct Ctx<'a> {
    /// Symbols (functors such as `cat` create new ones).
    symbols: Symbols<'a>,
    /// Set when a shared context needed a symbol that does not exist yet.
    pub needs_interning: bool,
    /// Compiled patterns by the pattern's symbol id.
    regexes: FxHashMap<Word, Option<Regex>>,
    /// Answers of `contains`, remembered per haystack (keyword rules test
    /// the same few needles against texts that repeat across assessments).
    contains: ContainsMemo,
    /// Warnings to show once evaluation ends (deduplicated).
    pub warnings: Vec<String>,
    /// The next value of `autoinc()`.
    autoinc: i32,
}

impl<'a> Ctx<'a> {
    /// A context over a session's interner.
    pub fn new(symbols: &'a mut Interner) -> Self {
        Self::with(Symbols::Owned(symbols))
    }

    /// A read-only context for a parallel worker.
    pub fn shared(symbols: &'a Interner) -> Self {
        Self::with(Symbols::Shared(symbols))
    }

    fn with(symbols: Symbols<'a>) -> Self {
        Ctx {
            symbols,
            needs_interning: false,
            regexes: FxHashMap::default(),
            contains: ContainsMemo::default(),
            warnings: Vec::new(),
            autoinc: 0,
        }
    }

    /// The symbol table.
    pub fn sym(&self) -> &Interner {
        table(&self.symbols)
    }

    /// The id of a (possibly new) symbol.
    pub fn intern(&mut self, s: &str) -> Word {
        match &mut self.symbols {
            Symbols::Owned(i) => i.intern(s),
            Symbols::Shared(i) => match i.get(s) {
                Some(w) => w,
                None => {
                    self.needs_interning = true;
                    0
                }
            },
        }
    }

    /// The id of a (possibly new) record, as [`Ctx::intern`] for symbols.
    pub fn pack(&mut self, fields: &[Word]) -> Word {
        match &mut self.symbols {
            Symbols::Owned(i) => i.records.pack(fields),
            Symbols::Shared(i) => match i.records.get(fields) {
                Some(w) => w,
                None => {
                    self.needs_interning = true;
                    0
                }
            },
        }
    }

    /// The next `autoinc()` value. A shared context cannot hand one out
    /// (the numbers must not repeat across workers): the run is marked and
    /// redone sequentially, as for a new symbol.
    pub fn next_autoinc(&mut self) -> Option<Word> {
        match &self.symbols {
            Symbols::Owned(_) => {
                let n = self.autoinc;
                self.autoinc = self.autoinc.wrapping_add(1);
                Some(from_i32(n))
            }
            Symbols::Shared(_) => {
                self.needs_interning = true;
                Some(0)
            }
        }
    }

    /// Records a warning once.
    pub fn warn(&mut self, w: String) {
        if self.warnings.len() < 100 && !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }

    /// `contains(sub, s)`: `sub` occurs in `s` (bytes).
    pub fn contains(&mut self, sub: Word, s: Word) -> bool {
        self.contains.test(table(&self.symbols), sub, s)
    }

    /// Whole-string regex match with a per-pattern cache; `None` for a
    /// pattern that is no regular expression (as in Soufflé, the
    /// constraint then fails whether it is negated or not).
    pub fn matches(&mut self, re: Word, s: Word) -> Option<bool> {
        if !self.regexes.contains_key(&re) {
            let pat = self.sym().resolve(re).to_string();
            let compiled = match Regex::new(&format!("^(?:{pat})$")) {
                Ok(r) => Some(r),
                Err(_) => {
                    self.warn(format!(
                        "warning: invalid regular expression \"{pat}\" in match"
                    ));
                    None
                }
            };
            self.regexes.insert(re, compiled);
        }
        match self.regexes.get(&re) {
            Some(Some(r)) => Some(r.is_match(self.sym().resolve(s))),
            _ => None,
        }
    }
}

/// Lines of the `contains` memo (a power of two): room for the distinct
/// texts of a national corpus's measures while staying in the L2 cache.
const MEMO_LINES: usize = 1 << 15;
/// Needles remembered per line (one bit each).
const MEMO_NEEDLES: usize = 64;
/// Slots of the needle table (open addressing, at most half full).
const NEEDLE_SLOTS: usize = 2 * MEMO_NEEDLES;

/// What one memo line knows about one haystack: which needles were tested
/// against it and which of them were found.
#[derive(Clone, Copy, Default)]
struct MemoLine {
    hay: Word,
    known: u64,
    found: u64,
}

/// `contains` answers by (needle, haystack) symbol id, in a fixed-size
/// direct-mapped cache: a keyword rule tests a few dozen needles against
/// millions of tuples but only thousands of distinct texts, and a hash map
/// per pair costs more than the search it saves. The first
/// [`MEMO_NEEDLES`] needles get a bit in every line; later ones are
/// searched each time. Bounded memory whatever the data.
#[derive(Default)]
struct ContainsMemo {
    /// Searchers of the remembered needles, by bit.
    finders: Vec<memchr::memmem::Finder<'static>>,
    /// Needle id + 1 (0 = empty) and its bit, by slot.
    slots: Vec<(Word, u8)>,
    /// Searchers of needles beyond the remembered ones.
    overflow: FxHashMap<Word, memchr::memmem::Finder<'static>>,
    /// Allocated on first use.
    lines: Vec<MemoLine>,
}

impl ContainsMemo {
    /// `sub` occurs in `s`.
    fn test(&mut self, symbols: &Interner, sub: Word, s: Word) -> bool {
        let Some(bit) = self.bit(symbols, sub) else {
            let finder = self.overflow.entry(sub).or_insert_with(|| {
                memchr::memmem::Finder::new(symbols.resolve(sub).as_bytes()).into_owned()
            });
            return finder.find(symbols.resolve(s).as_bytes()).is_some();
        };
        if self.lines.is_empty() {
            self.lines = vec![MemoLine::default(); MEMO_LINES];
        }
        let mask = 1u64 << bit;
        let line = &mut self.lines[(s.wrapping_mul(0x9E37_79B1) >> 17) as usize % MEMO_LINES];
        if line.hay != s {
            *line = MemoLine {
                hay: s,
                known: 0,
                found: 0,
            };
        }
        if line.known & mask != 0 {
            return line.found & mask != 0;
        }
        let found = self.finders[bit as usize]
            .find(symbols.resolve(s).as_bytes())
            .is_some();
        line.known |= mask;
        if found {
            line.found |= mask;
        }
        found
    }

    /// The needle's bit, assigned on first sight while bits remain.
    fn bit(&mut self, symbols: &Interner, sub: Word) -> Option<u8> {
        if self.slots.is_empty() {
            self.slots = vec![(0, 0); NEEDLE_SLOTS];
        }
        let key = sub.wrapping_add(1);
        let mut i = (sub.wrapping_mul(0x9E37_79B1) >> 25) as usize % NEEDLE_SLOTS;
        loop {
            let (k, b) = self.slots[i];
            if k == key && key != 0 {
                return Some(b);
            }
            if k == 0 {
                break;
            }
            i = (i + 1) % NEEDLE_SLOTS;
        }
        if self.finders.len() >= MEMO_NEEDLES || key == 0 {
            return None;
        }
        let b = self.finders.len() as u8;
        self.finders
            .push(memchr::memmem::Finder::new(symbols.resolve(sub).as_bytes()).into_owned());
        self.slots[i] = (key, b);
        Some(b)
    }
}

/// Evaluates an expression; `None` means "no tuple" (division by zero, a
/// string `to_number` cannot read).
#[inline]
pub fn eval(e: &Expr, regs: &[Word], ctx: &mut Ctx) -> Option<Word> {
    // Join keys, head columns and most comparison operands are a register
    // or a constant: those are read right here, in the join loop, and only
    // computed expressions pay for a call.
    match e {
        Expr::Reg(r) => Some(regs[*r]),
        Expr::Const(w) => Some(*w),
        _ => eval_computed(e, regs, ctx),
    }
}

/// [`eval`] of an operator or functor application.
#[inline(never)]
fn eval_computed(e: &Expr, regs: &[Word], ctx: &mut Ctx) -> Option<Word> {
    match e {
        Expr::Reg(r) => Some(regs[*r]),
        Expr::Const(w) => Some(*w),
        Expr::Bin { op, ty, l, r } => {
            let a = eval(l, regs, ctx)?;
            let b = eval(r, regs, ctx)?;
            let out = binary(*op, *ty, a, b);
            if out.is_none() {
                ctx.warn(format!(
                    "warning: integer division by zero in `{}`: the rule derives no row for it",
                    op.symbol()
                ));
            }
            out
        }
        Expr::Un { op, ty, a } => {
            let a = eval(a, regs, ctx)?;
            Some(unary(*op, *ty, a))
        }
        Expr::Func {
            f,
            arg_tys,
            ty,
            args,
        } => functor(*f, arg_tys, *ty, args, regs, ctx),
        Expr::Pack(args) => {
            let mut fields = Vec::with_capacity(args.len());
            for a in args {
                fields.push(eval(a, regs, ctx)?);
            }
            Some(ctx.pack(&fields))
        }
        Expr::Field { rec, arity, index } => {
            let id = eval(rec, regs, ctx)?;
            ctx.sym().records.unpack(id, *arity)?.get(*index).copied()
        }
    }
}

/// Soufflé's integer `^`: `std::pow` in `double`, cast back to `int32_t`
/// (a negative exponent truncates towards zero).
fn int_pow_i32(base: i32, exp: i32) -> i32 {
    cpp_double_to_i32(f64::from(base).powf(f64::from(exp)))
}

/// Soufflé's unsigned `^`: `std::pow` in `double`, cast back to `uint32_t`.
fn int_pow_u32(base: u32, exp: u32) -> u32 {
    cpp_double_to_u32(f64::from(base).powf(f64::from(exp)))
}

/// C++'s `static_cast<int32_t>(double)` on x86-64: truncation, and
/// `INT32_MIN` for anything out of range (NaN included).
fn cpp_double_to_i32(d: f64) -> i32 {
    if d.is_finite() && d > -2_147_483_649.0 && d < 2_147_483_648.0 {
        d as i32
    } else {
        i32::MIN
    }
}

/// C++'s `static_cast<uint32_t>(double)` on x86-64: through a 64-bit
/// integer whose low 32 bits are kept; out of the 64-bit range (or NaN)
/// that integer is `INT64_MIN`, whose low bits are 0.
fn cpp_double_to_u32(d: f64) -> u32 {
    if d.is_finite() && d.abs() < 9.223_372_036_854_775e18 {
        (d as i64) as u32
    } else {
        0
    }
}

/// A binary operator in type `ty`.
pub fn binary(op: BinOp, ty: ColumnType, a: Word, b: Word) -> Option<Word> {
    let logic = |x: bool| Some(u32::from(x));
    match ty {
        ColumnType::Float => {
            let (x, y) = (to_f32(a), to_f32(b));
            let r = match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                BinOp::Mod => x % y,
                BinOp::Pow => x.powf(y),
                BinOp::LogAnd => return Some(from_f32(f32::from(u8::from(x != 0.0 && y != 0.0)))),
                BinOp::LogOr => return Some(from_f32(f32::from(u8::from(x != 0.0 || y != 0.0)))),
                BinOp::LogXor => {
                    return Some(from_f32(f32::from(u8::from((x != 0.0) != (y != 0.0)))));
                }
                _ => return binary(op, ColumnType::Unsigned, a, b),
            };
            Some(from_f32(r))
        }
        ColumnType::Unsigned => match op {
            BinOp::Add => Some(a.wrapping_add(b)),
            BinOp::Sub => Some(a.wrapping_sub(b)),
            BinOp::Mul => Some(a.wrapping_mul(b)),
            BinOp::Div => a.checked_div(b),
            BinOp::Mod => a.checked_rem(b),
            BinOp::Pow => Some(int_pow_u32(a, b)),
            BinOp::BitAnd => Some(a & b),
            BinOp::BitOr => Some(a | b),
            BinOp::BitXor => Some(a ^ b),
            BinOp::Shl => Some(a.wrapping_shl(b)),
            BinOp::Shr | BinOp::ShrUnsigned => Some(a.wrapping_shr(b)),
            BinOp::LogAnd => logic(a != 0 && b != 0),
            BinOp::LogOr => logic(a != 0 || b != 0),
            BinOp::LogXor => logic((a != 0) != (b != 0)),
        },
        ColumnType::Number | ColumnType::Symbol | ColumnType::Record(_) => {
            let (x, y) = (to_i32(a), to_i32(b));
            let r = match op {
                BinOp::Add => x.wrapping_add(y),
                BinOp::Sub => x.wrapping_sub(y),
                BinOp::Mul => x.wrapping_mul(y),
                BinOp::Div => {
                    if y == 0 {
                        return None;
                    }
                    x.wrapping_div(y)
                }
                BinOp::Mod => {
                    if y == 0 {
                        return None;
                    }
                    x.wrapping_rem(y)
                }
                BinOp::Pow => int_pow_i32(x, y),
                BinOp::BitAnd => x & y,
                BinOp::BitOr => x | y,
                BinOp::BitXor => x ^ y,
                BinOp::Shl => x.wrapping_shl(y as u32),
                BinOp::Shr => x.wrapping_shr(y as u32),
                BinOp::ShrUnsigned => (a.wrapping_shr(b)) as i32,
                BinOp::LogAnd => i32::from(x != 0 && y != 0),
                BinOp::LogOr => i32::from(x != 0 || y != 0),
                BinOp::LogXor => i32::from((x != 0) != (y != 0)),
            };
            Some(from_i32(r))
        }
    }
}

/// A unary operator in type `ty`.
pub fn unary(op: UnOp, ty: ColumnType, a: Word) -> Word {
    match (op, ty) {
        (UnOp::Neg, ColumnType::Float) => from_f32(-to_f32(a)),
        (UnOp::Neg, _) => from_i32(to_i32(a).wrapping_neg()),
        (UnOp::BitNot, _) => !a,
        (UnOp::LogNot, ColumnType::Float) => from_f32(f32::from(u8::from(to_f32(a) == 0.0))),
        (UnOp::LogNot, _) => u32::from(a == 0),
    }
}

/// Soufflé's comparison of two words of type `ty`.
pub fn compare_op(op: CompareOp, ty: ColumnType, a: Word, b: Word, symbols: &Interner) -> bool {
    if ty != ColumnType::Float {
        match op {
            CompareOp::Eq => return a == b,
            CompareOp::Ne => return a != b,
            _ => {}
        }
    }
    if ty == ColumnType::Float {
        let (x, y) = (to_f32(a), to_f32(b));
        return match op {
            CompareOp::Eq => x == y,
            CompareOp::Ne => x != y,
            CompareOp::Lt => x < y,
            CompareOp::Le => x <= y,
            CompareOp::Gt => x > y,
            CompareOp::Ge => x >= y,
        };
    }
    let ord = compare(a, b, ty, symbols);
    match op {
        CompareOp::Lt => ord == Ordering::Less,
        CompareOp::Le => ord != Ordering::Greater,
        CompareOp::Gt => ord == Ordering::Greater,
        CompareOp::Ge => ord != Ordering::Less,
        CompareOp::Eq => ord == Ordering::Equal,
        CompareOp::Ne => ord != Ordering::Equal,
    }
}

/// `std::stoi`: leading white space, a sign, decimal digits; the rest of
/// the string is ignored. `None` when there is no digit or it overflows.
pub fn parse_leading_i32(s: &str) -> Option<i32> {
    let t = s.trim_start();
    let bytes = t.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let digits_start = end;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    if end == digits_start {
        return None;
    }
    t[..end].parse::<i32>().ok()
}

fn functor(
    f: Functor,
    arg_tys: &[ColumnType],
    ty: ColumnType,
    args: &[Expr],
    regs: &[Word],
    ctx: &mut Ctx,
) -> Option<Word> {
    // Functors of at most three arguments (by the signature table) have
    // them evaluated here; `cat`, `min` and `max` walk theirs.
    let mut vals = [0u32; 3];
    let fixed = signature::of(f).max_args <= 3 && args.len() <= 3;
    if fixed {
        for (i, a) in args.iter().enumerate() {
            vals[i] = eval(a, regs, ctx)?;
        }
    }
    match f {
        Functor::Cat => {
            let mut s = String::new();
            for a in args {
                let w = eval(a, regs, ctx)?;
                s.push_str(ctx.sym().resolve(w));
            }
            Some(ctx.intern(&s))
        }
        Functor::Strlen => Some(from_i32(ctx.sym().resolve(vals[0]).len() as i32)),
        Functor::Substr => {
            let text = ctx.sym().resolve(vals[0]);
            let (i, n) = (to_i32(vals[1]), to_i32(vals[2]));
            let out = match byte_slice(text, i, n) {
                Some(part) => part.to_string(),
                None => {
                    let msg = format!(
                        "warning: wrong index position provided by substr(\"{text}\",{i},{n}) functor"
                    );
                    ctx.warn(msg);
                    String::new()
                }
            };
            Some(ctx.intern(&out))
        }
        Functor::ToNumber if arg_tys.first() == Some(&ColumnType::Float) => {
            Some(from_i32(to_f32(vals[0]) as i32))
        }
        Functor::ToNumber if arg_tys.first() != Some(&ColumnType::Symbol) => Some(vals[0]),
        Functor::ToNumber => {
            let s = ctx.sym().resolve(vals[0]);
            match parse_leading_i32(s) {
                Some(n) => Some(from_i32(n)),
                None => {
                    let msg =
                        format!("warning: wrong string provided by to_number(\"{s}\") functor");
                    ctx.warn(msg);
                    None
                }
            }
        }
        Functor::ToString => {
            let text = match arg_tys.first().copied().unwrap_or(ColumnType::Number) {
                ColumnType::Float => format!("{:.6}", to_f32(vals[0])),
                ColumnType::Unsigned => vals[0].to_string(),
                ColumnType::Symbol => ctx.sym().resolve(vals[0]).to_string(),
                ColumnType::Number => to_i32(vals[0]).to_string(),
                ColumnType::Record(id) => super::record::text(vals[0], id, ctx.sym()),
            };
            Some(ctx.intern(&text))
        }
        Functor::ToUnsigned if arg_tys.first() == Some(&ColumnType::Symbol) => {
            let s = ctx.sym().resolve(vals[0]);
            match s.trim().parse::<u32>() {
                Ok(x) => Some(x),
                Err(_) => {
                    let msg =
                        format!("warning: wrong string provided by to_unsigned(\"{s}\") functor");
                    ctx.warn(msg);
                    None
                }
            }
        }
        Functor::ToUnsigned => Some(match arg_tys.first() {
            Some(ColumnType::Float) => to_f32(vals[0]) as u32,
            _ => vals[0],
        }),
        Functor::ToFloat if arg_tys.first() == Some(&ColumnType::Symbol) => {
            let s = ctx.sym().resolve(vals[0]);
            match s.trim().parse::<f32>() {
                Ok(x) => Some(from_f32(x)),
                Err(_) => {
                    let msg =
                        format!("warning: wrong string provided by to_float(\"{s}\") functor");
                    ctx.warn(msg);
                    None
                }
            }
        }
        Functor::ToFloat => Some(match arg_tys.first() {
            Some(ColumnType::Unsigned) => from_f32(vals[0] as f32),
            Some(ColumnType::Float) => vals[0],
            _ => from_f32(to_i32(vals[0]) as f32),
        }),
        Functor::Ord => Some(vals[0]),
        Functor::Lower => {
            let s = ctx.sym().resolve(vals[0]).to_lowercase();
            Some(ctx.intern(&s))
        }
        Functor::Autoinc => ctx.next_autoinc(),
        // A generator is lowered to its own binding, never evaluated here.
        Functor::Range => None,
        Functor::Math(m) => {
            let x = vals[0];
            Some(match ty {
                ColumnType::Float => from_f32(m.apply(f64::from(to_f32(x))) as f32),
                ColumnType::Unsigned => cpp_double_to_u32(m.apply(f64::from(x))),
                _ => from_i32(cpp_double_to_i32(m.apply(f64::from(to_i32(x))))),
            })
        }
        Functor::Min | Functor::Max => {
            let mut best: Option<Word> = None;
            for a in args {
                let w = eval(a, regs, ctx)?;
                best = Some(match best {
                    None => w,
                    Some(b) => {
                        let less = compare_op(CompareOp::Lt, ty, w, b, ctx.sym());
                        if (f == Functor::Min) == less { w } else { b }
                    }
                });
            }
            best
        }
    }
}

/// `substr(s, i, n)` as Soufflé takes it: bytes `i..i+n` of `s` (to the
/// end when `n` is negative or reaches past it); `None` when `i` is outside
/// `0..=strlen(s)`. Soufflé can cut a multibyte character in two, which a
/// UTF-8 symbol cannot hold: the part of a character cut at either end is
/// left out, so the result is the whole characters inside the byte range.
fn byte_slice(s: &str, i: i32, n: i32) -> Option<&str> {
    let start = usize::try_from(i).ok().filter(|&i| i <= s.len())?;
    let end = usize::try_from(n).map_or(s.len(), |n| start.saturating_add(n).min(s.len()));
    let mut from = start;
    while !s.is_char_boundary(from) {
        from += 1;
    }
    let mut to = end.max(from);
    while !s.is_char_boundary(to) {
        to -= 1;
    }
    s.get(from..to)
}

/// The values of `range(from, to[, step])` in type `ty`, as Soufflé
/// produces them: up to but not including `to`, by `step` (by 1 or -1
/// towards `to` when absent); a zero step gives `from` once when the range
/// is not empty. Stops where the next value would overflow.
pub fn range_values(
    ty: ColumnType,
    from: Word,
    to: Word,
    step: Option<Word>,
) -> Box<dyn Iterator<Item = Word>> {
    match ty {
        ColumnType::Float => {
            let (a, b) = (to_f32(from), to_f32(to));
            let s = step.map_or(if a <= b { 1.0 } else { -1.0 }, to_f32);
            if s == 0.0 {
                return Box::new((a != b).then_some(from).into_iter());
            }
            let more = move |x: &f32| if s > 0.0 { *x < b } else { *x > b };
            Box::new(
                std::iter::successors(Some(a), move |x| Some(x + s))
                    .take_while(more)
                    .map(from_f32),
            )
        }
        ColumnType::Unsigned => {
            let (a, b) = (from, to);
            match step {
                None if a <= b => Box::new(a..b),
                None => Box::new((b + 1..=a).rev()),
                Some(0) => Box::new((a != b).then_some(a).into_iter()),
                Some(s) => Box::new(
                    std::iter::successors(Some(a), move |x| x.checked_add(s))
                        .take_while(move |x| *x < b),
                ),
            }
        }
        _ => {
            let (a, b) = (to_i32(from), to_i32(to));
            let s = step.map_or(if a <= b { 1 } else { -1 }, to_i32);
            if s == 0 {
                return Box::new((a != b).then_some(from).into_iter());
            }
            Box::new(
                std::iter::successors(Some(a), move |x| x.checked_add(s))
                    .take_while(move |x| if s > 0 { *x < b } else { *x > b })
                    .map(from_i32),
            )
        }
    }
}

/// `%g` text of a float, shared with `to_string`'s callers.
pub fn float_text(w: Word) -> String {
    format_float(f64::from(to_f32(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_arithmetic_wraps_and_traps() {
        let n = ColumnType::Number;
        assert_eq!(
            binary(BinOp::Add, n, from_i32(i32::MAX), 1),
            Some(from_i32(i32::MIN))
        );
        assert_eq!(binary(BinOp::Div, n, 7, 0), None);
        assert_eq!(binary(BinOp::Mod, n, from_i32(-7), 2), Some(from_i32(-1)));
        assert_eq!(binary(BinOp::Pow, n, 2, 10), Some(1024));
        assert_eq!(binary(BinOp::Pow, n, 2, from_i32(-1)), Some(0));
        assert_eq!(binary(BinOp::LogAnd, n, 3, 0), Some(0));
    }

    #[test]
    fn substr_is_bytewise_and_clips() {
        let mut sy = Interner::new();
        let s = sy.intern("hello");
        let mut ctx = Ctx::new(&mut sy);
        let call = |i: i32, n: i32, ctx: &mut Ctx| {
            let e = Expr::Func {
                f: Functor::Substr,
                arg_tys: vec![ColumnType::Symbol, ColumnType::Number, ColumnType::Number],
                ty: ColumnType::Symbol,
                args: vec![
                    Expr::Const(s),
                    Expr::Const(from_i32(i)),
                    Expr::Const(from_i32(n)),
                ],
            };
            let w = eval(&e, &[], ctx).unwrap();
            ctx.sym().resolve(w).to_string()
        };
        assert_eq!(call(1, 3, &mut ctx), "ell");
        assert_eq!(call(3, 10, &mut ctx), "lo");
        assert_eq!(call(9, 1, &mut ctx), "");
        assert_eq!(ctx.warnings.len(), 1);
    }

    #[test]
    fn substr_never_cuts_a_character() {
        assert_eq!(byte_slice("日本", 0, 1), Some(""));
        assert_eq!(byte_slice("日本", 0, 4), Some("日"));
        assert_eq!(byte_slice("日本", 1, 5), Some("本"));
        assert_eq!(byte_slice("日本", 3, 3), Some("本"));
        assert_eq!(byte_slice("日本", 6, 1), Some(""));
        assert_eq!(byte_slice("日本", 7, 1), None);
        assert_eq!(byte_slice("abc", 1, -1), Some("bc"));
    }

    #[test]
    fn power_is_cpp_pow_cast_back() {
        let (n, u) = (ColumnType::Number, ColumnType::Unsigned);
        assert_eq!(
            binary(BinOp::Pow, n, from_i32(-5), 31),
            Some(from_i32(i32::MIN))
        );
        assert_eq!(
            binary(BinOp::Pow, n, from_i32(i32::MAX), 2),
            Some(from_i32(i32::MIN))
        );
        assert_eq!(binary(BinOp::Pow, n, from_i32(-2), 3), Some(from_i32(-8)));
        assert_eq!(binary(BinOp::Pow, u, 2, 32), Some(0));
        assert_eq!(binary(BinOp::Pow, u, 3, 3), Some(27));
    }

    #[test]
    fn range_counts_like_souffle() {
        let n = |v: Vec<Word>| v.into_iter().map(to_i32).collect::<Vec<_>>();
        let num = ColumnType::Number;
        assert_eq!(n(range_values(num, 1, 4, None).collect()), [1, 2, 3]);
        assert_eq!(n(range_values(num, 3, 0, None).collect()), [3, 2, 1]);
        assert_eq!(n(range_values(num, 5, 9, Some(0)).collect()), [5]);
        assert!(range_values(num, 5, 5, Some(0)).next().is_none());
        let top = from_i32(i32::MAX);
        assert_eq!(
            range_values(num, from_i32(i32::MAX - 1), top, Some(5)).count(),
            1
        );
        let u: Vec<Word> = range_values(ColumnType::Unsigned, 3, 1, None).collect();
        assert_eq!(u, [3, 2]);
    }

    #[test]
    fn to_number_reads_a_prefix() {
        assert_eq!(parse_leading_i32(" 12abc"), Some(12));
        assert_eq!(parse_leading_i32("-3"), Some(-3));
        assert_eq!(parse_leading_i32("abc"), None);
    }

    #[test]
    fn match_is_whole_string() {
        let mut sy = Interner::new();
        let re = sy.intern("a.c");
        let yes = sy.intern("abc");
        let no = sy.intern("xabc");
        let mut ctx = Ctx::new(&mut sy);
        assert_eq!(ctx.matches(re, yes), Some(true));
        assert_eq!(ctx.matches(re, no), Some(false));
    }

    #[test]
    fn a_bad_pattern_matches_nothing_even_negated() {
        let mut sy = Interner::new();
        let re = sy.intern("[a");
        let s = sy.intern("b");
        let mut ctx = Ctx::new(&mut sy);
        assert_eq!(ctx.matches(re, s), None);
    }

    #[test]
    fn contains_memo_agrees_with_search_past_its_bounds() {
        // More needles than the memo has bits and more texts than it has
        // lines: every answer must still be the plain substring test.
        let mut sy = Interner::new();
        let needles: Vec<(String, Word)> = (0..80)
            .map(|i| {
                let n = format!("k{i}x");
                let id = sy.intern(&n);
                (n, id)
            })
            .collect();
        let texts: Vec<(String, Word)> = (0..(MEMO_LINES as u32 + 500))
            .map(|i| {
                let t = format!("t k{}x {}", i % 97, i);
                let id = sy.intern(&t);
                (t, id)
            })
            .collect();
        let mut ctx = Ctx::new(&mut sy);
        for round in 0..2 {
            for (t, tid) in texts.iter().step_by(7 + round) {
                for (n, nid) in &needles {
                    assert_eq!(
                        ctx.contains(*nid, *tid),
                        t.contains(n.as_str()),
                        "{n} in {t}"
                    );
                }
            }
        }
    }
}
