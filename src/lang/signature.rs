//! Every functor's signature, in one table: its names, how many arguments
//! it takes, their types and the result's type, with the overloads of
//! those that work on several primitive types.
//!
//! The parser reads names and arities from here, the checker's typer the
//! argument and result types, lowering picks the overload an application
//! is evaluated in ([`Signature::resolve`]), and the evaluator runs the
//! overload lowering picked. A new functor is one row here (and its
//! evaluation).

use crate::lang::ast::{Functor, MathFn};
use crate::lang::types::ColumnType;

use ColumnType::{Float, Number, Symbol, Unsigned};

/// The numeric primitives: the overloads of arithmetic functors.
pub const NUMERIC: &[ColumnType] = &[Number, Unsigned, Float];
/// Every primitive.
pub const ANY: &[ColumnType] = &[Symbol, Number, Unsigned, Float];

/// How a functor's arguments are typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Params {
    /// One type per argument, in order (`substr(symbol, number, number)`).
    Fixed(&'static [ColumnType]),
    /// Every argument has this type, however many there are (`cat`).
    Each(ColumnType),
    /// One argument of any of these types; the overload is chosen by the
    /// argument's type (`to_number` parses a symbol, truncates a float).
    Convert(&'static [ColumnType]),
    /// All arguments and the result share one type, any of these
    /// (`min`/`max` on any primitive; `range` and the math functors on
    /// numbers).
    Shared(&'static [ColumnType]),
}

/// The type of a functor's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returns {
    /// Always this type.
    Type(ColumnType),
    /// The type the arguments share ([`Params::Shared`]).
    Shared,
}

/// One functor's row of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The functor.
    pub functor: Functor,
    /// Its name as written.
    pub name: &'static str,
    /// Older spellings Soufflé still reads (`itof`, …).
    pub aliases: &'static [&'static str],
    /// Fewest arguments.
    pub min_args: usize,
    /// Most arguments (`usize::MAX`: any number).
    pub max_args: usize,
    /// Argument types.
    pub params: Params,
    /// Result type.
    pub returns: Returns,
}

/// The overload an application is evaluated in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The type of each argument.
    pub args: Vec<ColumnType>,
    /// The type of the result.
    pub result: ColumnType,
}

const fn row(
    functor: Functor,
    name: &'static str,
    aliases: &'static [&'static str],
    (min_args, max_args): (usize, usize),
    params: Params,
    returns: Returns,
) -> Signature {
    Signature {
        functor,
        name,
        aliases,
        min_args,
        max_args,
        params,
        returns,
    }
}

const fn math(m: MathFn, name: &'static str) -> Signature {
    row(
        Functor::Math(m),
        name,
        &[],
        (1, 1),
        Params::Shared(NUMERIC),
        Returns::Shared,
    )
}

const ONE: (usize, usize) = (1, 1);
const MANY: (usize, usize) = (1, usize::MAX);

/// The table.
pub static FUNCTORS: [Signature; 27] = [
    row(
        Functor::Cat,
        "cat",
        &[],
        MANY,
        Params::Each(Symbol),
        Returns::Type(Symbol),
    ),
    row(
        Functor::Strlen,
        "strlen",
        &[],
        ONE,
        Params::Fixed(&[Symbol]),
        Returns::Type(Number),
    ),
    row(
        Functor::Substr,
        "substr",
        &[],
        (3, 3),
        Params::Fixed(&[Symbol, Number, Number]),
        Returns::Type(Symbol),
    ),
    row(
        Functor::ToNumber,
        "to_number",
        &["utoi", "ftoi"],
        ONE,
        Params::Convert(ANY),
        Returns::Type(Number),
    ),
    row(
        Functor::ToString,
        "to_string",
        &[],
        ONE,
        Params::Convert(ANY),
        Returns::Type(Symbol),
    ),
    row(
        Functor::ToUnsigned,
        "to_unsigned",
        &["itou", "ftou"],
        ONE,
        Params::Convert(ANY),
        Returns::Type(Unsigned),
    ),
    row(
        Functor::ToFloat,
        "to_float",
        &["itof", "utof"],
        ONE,
        Params::Convert(ANY),
        Returns::Type(Float),
    ),
    // Soufflé's `ord` is the word itself, whatever the type.
    row(
        Functor::Ord,
        "ord",
        &[],
        ONE,
        Params::Convert(ANY),
        Returns::Type(Number),
    ),
    row(
        Functor::Min,
        "min",
        &[],
        MANY,
        Params::Shared(ANY),
        Returns::Shared,
    ),
    row(
        Functor::Max,
        "max",
        &[],
        MANY,
        Params::Shared(ANY),
        Returns::Shared,
    ),
    row(
        Functor::Lower,
        "lower",
        &[],
        ONE,
        Params::Fixed(&[Symbol]),
        Returns::Type(Symbol),
    ),
    row(
        Functor::Autoinc,
        "autoinc",
        &[],
        (0, 0),
        Params::Fixed(&[]),
        Returns::Type(Number),
    ),
    row(
        Functor::Range,
        "range",
        &[],
        (2, 3),
        Params::Shared(NUMERIC),
        Returns::Shared,
    ),
    math(MathFn::Sin, "sin"),
    math(MathFn::Cos, "cos"),
    math(MathFn::Tan, "tan"),
    math(MathFn::Asin, "asin"),
    math(MathFn::Acos, "acos"),
    math(MathFn::Atan, "atan"),
    math(MathFn::Sinh, "sinh"),
    math(MathFn::Cosh, "cosh"),
    math(MathFn::Tanh, "tanh"),
    math(MathFn::Asinh, "asinh"),
    math(MathFn::Acosh, "acosh"),
    math(MathFn::Atanh, "atanh"),
    math(MathFn::Log, "log"),
    math(MathFn::Exp, "exp"),
];

/// The signature of `f` (every functor has a row; the unit tests hold
/// the table to that).
pub fn of(f: Functor) -> &'static Signature {
    FUNCTORS
        .iter()
        .find(|s| s.functor == f)
        .unwrap_or(&FUNCTORS[0])
}

/// The functor written `name` (or one of its older spellings).
pub fn by_name(name: &str) -> Option<&'static Signature> {
    FUNCTORS
        .iter()
        .find(|s| s.name == name || s.aliases.contains(&name))
}

impl Signature {
    /// True when `n` arguments are allowed.
    pub fn takes(&self, n: usize) -> bool {
        (self.min_args..=self.max_args).contains(&n)
    }

    /// The type wanted for argument `i`, when the signature fixes it.
    pub fn param(&self, i: usize) -> Option<ColumnType> {
        match self.params {
            Params::Fixed(tys) => tys.get(i).copied(),
            Params::Each(t) => Some(t),
            Params::Convert(_) | Params::Shared(_) => None,
        }
    }

    /// The overload of an application whose arguments have the given
    /// types as far as they are fixed (`None`: an integer literal, which
    /// fits any numeric type), where the context wants `expected`.
    /// Shared types come from the first typed argument, else from the
    /// context; an integer literal alone is a `number`.
    pub fn resolve(&self, args: &[Option<ColumnType>], expected: Option<ColumnType>) -> Resolved {
        match self.params {
            Params::Fixed(_) | Params::Each(_) => Resolved {
                args: (0..args.len())
                    .map(|i| self.param(i).unwrap_or(Number))
                    .collect(),
                result: self.result(Number),
            },
            Params::Convert(_) => Resolved {
                args: args.iter().map(|a| a.unwrap_or(Number)).collect(),
                result: self.result(Number),
            },
            Params::Shared(_) => {
                let t = args.iter().find_map(|a| *a).or(expected).unwrap_or(Number);
                Resolved {
                    args: vec![t; args.len()],
                    result: self.result(t),
                }
            }
        }
    }

    /// The result type when the shared type is `shared`.
    pub fn result(&self, shared: ColumnType) -> ColumnType {
        match self.returns {
            Returns::Type(t) => t,
            Returns::Shared => shared,
        }
    }

    /// True when argument types may be `t` (for [`Params::Convert`] and
    /// [`Params::Shared`]; fixed parameters are checked one by one).
    pub fn accepts(&self, t: ColumnType) -> bool {
        match self.params {
            Params::Convert(tys) | Params::Shared(tys) => tys.contains(&t),
            Params::Fixed(tys) => tys.contains(&t),
            Params::Each(e) => e == t,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_functor() -> Vec<Functor> {
        let mut all = vec![
            Functor::Cat,
            Functor::Strlen,
            Functor::Substr,
            Functor::ToNumber,
            Functor::ToString,
            Functor::ToUnsigned,
            Functor::ToFloat,
            Functor::Ord,
            Functor::Min,
            Functor::Max,
            Functor::Lower,
            Functor::Autoinc,
            Functor::Range,
        ];
        all.extend(MathFn::ALL.iter().map(|(m, _)| Functor::Math(*m)));
        all
    }

    #[test]
    fn every_functor_has_one_row_under_its_own_name() {
        let all = every_functor();
        assert_eq!(all.len(), FUNCTORS.len());
        for f in all {
            let s = of(f);
            assert_eq!(s.functor, f);
            assert_eq!(s.name, f.name());
            assert_eq!(by_name(s.name).map(|s| s.functor), Some(f));
            assert_eq!(FUNCTORS.iter().filter(|r| r.functor == f).count(), 1);
        }
    }

    #[test]
    fn old_spellings_name_the_conversions() {
        for (alias, f) in [
            ("itof", Functor::ToFloat),
            ("utof", Functor::ToFloat),
            ("itou", Functor::ToUnsigned),
            ("ftou", Functor::ToUnsigned),
            ("utoi", Functor::ToNumber),
            ("ftoi", Functor::ToNumber),
        ] {
            assert_eq!(by_name(alias).map(|s| s.functor), Some(f), "{alias}");
        }
        assert_eq!(by_name("nosuch"), None);
    }

    #[test]
    fn arities() {
        assert!(of(Functor::Substr).takes(3) && !of(Functor::Substr).takes(2));
        assert!(of(Functor::Cat).takes(5) && !of(Functor::Cat).takes(0));
        assert!(of(Functor::Range).takes(2) && of(Functor::Range).takes(3));
        assert!(!of(Functor::Range).takes(4));
        assert!(of(Functor::Autoinc).takes(0) && !of(Functor::Autoinc).takes(1));
    }

    #[test]
    fn shared_overloads_follow_the_first_typed_argument_then_the_context() {
        let max = of(Functor::Max);
        let r = max.resolve(&[None, Some(Float)], None);
        assert_eq!(r.args, vec![Float, Float]);
        assert_eq!(r.result, Float);
        let r = max.resolve(&[None, None], Some(Unsigned));
        assert_eq!(r.result, Unsigned);
        assert_eq!(max.resolve(&[None], None).result, Number);
        let sin = of(Functor::Math(MathFn::Sin));
        assert_eq!(sin.resolve(&[Some(Unsigned)], None).result, Unsigned);
        assert!(sin.accepts(Float) && !sin.accepts(Symbol));
        assert!(max.accepts(Symbol));
    }

    #[test]
    fn conversions_take_their_argument_type_and_fix_the_result() {
        let to_number = of(Functor::ToNumber);
        let r = to_number.resolve(&[Some(Symbol)], Some(Float));
        assert_eq!(r.args, vec![Symbol]);
        assert_eq!(r.result, Number);
        // An integer literal converts as a number.
        assert_eq!(to_number.resolve(&[None], None).args, vec![Number]);
        assert_eq!(
            of(Functor::ToString).resolve(&[Some(Float)], None).result,
            Symbol
        );
    }

    #[test]
    fn fixed_parameters_ignore_what_the_arguments_seem() {
        let substr = of(Functor::Substr);
        let r = substr.resolve(&[None, None, None], None);
        assert_eq!(r.args, vec![Symbol, Number, Number]);
        assert_eq!(r.result, Symbol);
        assert_eq!(substr.param(1), Some(Number));
        let cat = of(Functor::Cat);
        assert_eq!(cat.resolve(&[None; 4], None).args, vec![Symbol; 4]);
        assert_eq!(of(Functor::Autoinc).resolve(&[], None).result, Number);
    }
}
