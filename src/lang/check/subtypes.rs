//! Soufflé's subtype rule for rule heads: a variable stored into a column
//! of a user type must have that type or one of its subtypes.
//!
//! `.type N <: number` makes `N` a subtype of `number`, not the other way
//! round, so `r(x) :- a(x).` with `a(x: number)` and `r(x: N)` is refused
//! by Soufflé ("Atom's argument type is not a subtype of its declared
//! type"). The primitive types are checked by [`super::typing`]; this pass
//! adds the user types. A variable's types are those of the body columns it
//! stands in directly; constants and computed values fit any type of their
//! primitive, as in Soufflé.

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::lang::ast::{Atom, Expr, Item, Literal, Program, TypeDef};
use crate::lang::schema::{Schema, primitive};

/// The declared `.type`s: for each, the types it is directly a subtype of.
#[derive(Default)]
pub struct Lattice {
    parents: HashMap<String, Vec<String>>,
}

impl Lattice {
    /// Reads the `.type` declarations of a program: `T <: B` and `T = B`
    /// make `T` a subtype of `B`; `U = A | B` makes `A` and `B` subtypes of
    /// `U` (a one-member union `T = B` is an equivalence, both ways).
    pub fn new(program: &Program) -> Self {
        let mut parents: HashMap<String, Vec<String>> = HashMap::new();
        for item in &program.items {
            let Item::Type(t) = item else { continue };
            match &t.def {
                // A record type or an ADT is a type of its own.
                TypeDef::Record(_) | TypeDef::Adt(_) => {}
                TypeDef::Alias(base) => {
                    parents
                        .entry(t.name.name.clone())
                        .or_default()
                        .push(base.name.clone());
                }
                TypeDef::Union(members) => {
                    for m in members {
                        parents
                            .entry(m.name.clone())
                            .or_default()
                            .push(t.name.name.clone());
                    }
                    if let [only] = members.as_slice() {
                        parents
                            .entry(t.name.name.clone())
                            .or_default()
                            .push(only.name.clone());
                    }
                }
            }
        }
        Lattice { parents }
    }

    /// True when `sub` is `sup` or one of its subtypes.
    pub fn is_subtype(&self, sub: &str, sup: &str) -> bool {
        let mut seen = vec![sub.to_string()];
        let mut todo = vec![sub.to_string()];
        while let Some(t) = todo.pop() {
            if t == sup {
                return true;
            }
            for p in self.parents.get(&t).into_iter().flatten() {
                if !seen.contains(p) {
                    seen.push(p.clone());
                    todo.push(p.clone());
                }
            }
        }
        false
    }
}

/// Checks the heads of one conjunction.
pub fn check_heads(
    lattice: &Lattice,
    schema: &Schema,
    heads: &[Atom],
    body: &[Literal],
    errors: &mut Vec<Diagnostic>,
) {
    let mut var_types: HashMap<&str, Vec<&str>> = HashMap::new();
    for l in body {
        let Literal::Atom(a) = l else { continue };
        let Some(r) = schema.relation(&a.relation.name) else {
            continue;
        };
        for (arg, ty) in a.args.iter().zip(&r.type_names) {
            if let Expr::Var(v) = arg {
                var_types.entry(&v.name).or_default().push(ty);
            }
        }
    }
    for h in heads {
        let Some(r) = schema.relation(&h.relation.name) else {
            continue;
        };
        for (arg, want) in h.args.iter().zip(&r.type_names) {
            let Expr::Var(v) = arg else { continue };
            if primitive(want).is_some() {
                continue;
            }
            let Some(have) = var_types.get(v.name.as_str()) else {
                continue;
            };
            if have.iter().any(|t| lattice.is_subtype(t, want)) {
                continue;
            }
            errors.push(
                Diagnostic::error(
                    format!(
                        "type mismatch: `{}` is {}, which is not `{want}` or a subtype of it",
                        v.name,
                        have.iter()
                            .map(|t| format!("`{t}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                    v.span,
                )
                .with_label(format!(
                    "stored into a `{want}` column of `{}`",
                    h.relation.name
                ))
                .with_note(format!(
                    "declare the body column as `{want}`, or convert with `as({}, {want})`",
                    v.name
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;
    use crate::lang::parser::parse_source;

    #[test]
    fn subtypes_follow_declarations() {
        let mut sm = SourceMap::new();
        let text =
            ".type N <: number\n.type M <: N\n.type U = M | S\n.type S <: symbol\n.type Same = N\n";
        let p = parse_source(&mut sm, "t.dl", text).expect("parses");
        let l = Lattice::new(&p);
        assert!(l.is_subtype("M", "N"));
        assert!(l.is_subtype("M", "number"));
        assert!(!l.is_subtype("number", "N"));
        assert!(l.is_subtype("S", "U"));
        assert!(!l.is_subtype("U", "S"));
        assert!(l.is_subtype("N", "Same") && l.is_subtype("Same", "N"));
    }
}
