//! The checker's product: a program whose relations are resolved and whose
//! every variable has its type fixed, once.
//!
//! [`check`](crate::lang::check::check) proves that every relation exists
//! with the arity it is used at and that types agree; what it learned is
//! kept here so that lowering reads it instead of inferring again. The
//! [`Schema`] gives every column's type; [`VarTypes`] gives, for each
//! conjunction of each rule, every variable's type in its scope (the
//! clause, or the body of an aggregate, whose own variables are those not
//! seen outside it).

use std::collections::HashMap;

use crate::diag::Span;
use crate::lang::ast::{Item, Literal, Program, Rule, Subsumption};
use crate::lang::schema::Schema;
use crate::lang::types::ColumnType;

/// Where a variable lives: [`CLAUSE`], or the body of the aggregate
/// written at a given place ([`aggregate_scope`]).
pub type Scope = usize;

/// The scope of a clause's own variables (outside every aggregate).
pub const CLAUSE: Scope = 0;

/// The scope of the variables local to the aggregate written at `span`.
pub fn aggregate_scope(span: Span) -> Scope {
    span.start + 1
}

/// The type of every named variable of one conjunction, per scope.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VarTypes {
    types: HashMap<(Scope, String), ColumnType>,
}

impl VarTypes {
    /// The type of `name` in `scope`, if the checker could tell it.
    pub fn get(&self, scope: Scope, name: &str) -> Option<ColumnType> {
        self.types.get(&(scope, name.to_string())).copied()
    }

    /// The type of a clause-level variable.
    pub fn of(&self, name: &str) -> Option<ColumnType> {
        self.get(CLAUSE, name)
    }

    /// Fixes the type of `name` in `scope` (the checker's typer, and
    /// lowering for the variables it introduces itself).
    pub fn insert(&mut self, scope: Scope, name: &str, ty: ColumnType) {
        self.types.insert((scope, name.to_string()), ty);
    }

    /// These types with the variables `map` names renamed (an expanded
    /// `inline` clause, whose variables are made fresh).
    pub fn renamed(&self, map: &HashMap<String, String>) -> VarTypes {
        let types = self
            .types
            .iter()
            .map(|((scope, name), ty)| {
                let name = map.get(name).unwrap_or(name).clone();
                ((*scope, name), *ty)
            })
            .collect();
        VarTypes { types }
    }

    /// Adds the types of `other` (the variables of another clause put
    /// into this one).
    pub fn extend(&mut self, other: VarTypes) {
        self.types.extend(other.types);
    }

    /// Number of typed variables.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// True when no variable is typed.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }
}

/// A rule with the types of each alternative of its body (same order as
/// [`Rule::body`]), as lowering takes it.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedRule {
    /// The rule.
    pub rule: Rule,
    /// Variable types, one per alternative.
    pub types: Vec<VarTypes>,
}

impl CheckedRule {
    /// A rule whose body has no variables (a fact with computed
    /// arguments, a rule lowering writes itself).
    pub fn without_variables(rule: Rule) -> Self {
        let types = vec![VarTypes::default(); rule.body.len()];
        CheckedRule { rule, types }
    }
}

/// The variable types of checked clauses, found through the places of
/// their atoms. A rewrite that builds new rules out of a program's atoms
/// (the magic-set transform: adorned copies, magic rules made of a body's
/// prefix) keeps each atom's span, so a new clause takes the types of the
/// clause its atoms were written in: its variables are that clause's.
#[derive(Debug, Default)]
pub struct TypesByAtom {
    by_span: HashMap<Span, VarTypes>,
}

impl TypesByAtom {
    /// Indexes every head and body atom of `rules` with its clause's types.
    pub fn new(rules: &[CheckedRule]) -> Self {
        let mut by_span = HashMap::new();
        for r in rules {
            for (alt, types) in r.rule.body.iter().zip(&r.types) {
                for h in &r.rule.heads {
                    by_span.entry(h.span).or_insert_with(|| types.clone());
                }
                for l in alt {
                    if let Literal::Atom(a) | Literal::Negated(a) = l {
                        by_span.entry(a.span).or_insert_with(|| types.clone());
                    }
                }
            }
        }
        TypesByAtom { by_span }
    }

    /// `rule` with, for each alternative, the types of the clause its first
    /// known atom (head first) comes from; a clause of constants only (a
    /// seed) has no variables to type.
    pub fn retype(&self, rule: Rule) -> CheckedRule {
        let types = rule
            .body
            .iter()
            .map(|alt| {
                let heads = rule.heads.iter().map(|h| h.span);
                let atoms = alt.iter().filter_map(|l| match l {
                    Literal::Atom(a) | Literal::Negated(a) => Some(a.span),
                    _ => None,
                });
                heads
                    .chain(atoms)
                    .find_map(|s| self.by_span.get(&s))
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        CheckedRule { rule, types }
    }
}

/// A checked program: its schema and every rule's variable types.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckedProgram {
    /// Relations and user types.
    pub schema: Schema,
    /// Variable types of the rules.
    pub rules: RuleTypes,
}

/// The variable types of each alternative of each rule of a checked
/// program, by the rule's index among the program's items.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleTypes {
    by_item: HashMap<usize, Vec<VarTypes>>,
}

impl RuleTypes {
    /// Records the types of the rule at `items[index]`.
    pub fn insert(&mut self, index: usize, types: Vec<VarTypes>) {
        self.by_item.insert(index, types);
    }

    /// Takes the types of items checked on their own (`other`, indexed
    /// from 0) that now stand at `items[offset..]`; what was recorded for
    /// those places before is dropped.
    pub fn append(&mut self, offset: usize, other: RuleTypes) {
        self.by_item.retain(|&k, _| k < offset);
        for (k, types) in other.by_item {
            self.by_item.insert(offset + k, types);
        }
    }

    /// The variable types of the rule at `items[index]` of the checked
    /// program, one per alternative (empty for any other item).
    pub fn get(&self, index: usize) -> &[VarTypes] {
        self.by_item.get(&index).map_or(&[], Vec::as_slice)
    }

    /// The subsumptive clauses of `program` with the types of their
    /// alternatives (each read as [`Subsumption::as_rule`]), in order.
    pub fn subsumptions(&self, program: &Program) -> Vec<(Subsumption, Vec<VarTypes>)> {
        program
            .items
            .iter()
            .enumerate()
            .filter_map(|(k, item)| match item {
                Item::Subsume(s) => Some((s.clone(), self.get(k).to_vec())),
                _ => None,
            })
            .collect()
    }

    /// The rules of `program` (the one these types were checked from)
    /// with their types, in program order.
    pub fn rules(&self, program: &Program) -> Vec<CheckedRule> {
        program
            .items
            .iter()
            .enumerate()
            .filter_map(|(k, item)| match item {
                Item::Rule(r) => Some(CheckedRule {
                    rule: r.clone(),
                    types: self.get(k).to_vec(),
                }),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;
    use crate::lang::check::{CheckOptions, check};
    use crate::lang::parser::parse_source;

    fn checked(text: &str) -> (Program, CheckedProgram) {
        let mut sm = SourceMap::new();
        let p = parse_source(&mut sm, "t.dl", text).unwrap();
        let c = check(&p, &CheckOptions::default()).unwrap();
        (p, c)
    }

    #[test]
    fn every_variable_of_every_alternative_is_typed_once() {
        let (p, c) = checked(
            ".decl e(x: symbol, n: float)\n.decl o(x: symbol, m: float)\n\
             o(x, m) :- e(x, n), m = n + 1 ; e(x, _), m = 2.",
        );
        let rules = c.rules.rules(&p);
        assert_eq!(rules.len(), 1);
        let [first, second] = rules[0].types.as_slice() else {
            panic!("{:?}", rules[0].types);
        };
        assert_eq!(first.of("x"), Some(ColumnType::Symbol));
        assert_eq!(first.of("n"), Some(ColumnType::Float));
        assert_eq!(first.of("m"), Some(ColumnType::Float));
        // `m = 2` alone: the head column types it.
        assert_eq!(second.of("m"), Some(ColumnType::Float));
        assert_eq!(second.of("n"), None);
        assert_eq!(c.rules.get(0), &[]);
    }

    #[test]
    fn a_clause_built_from_a_rules_atoms_takes_that_rules_types() {
        let (p, c) = checked(
            ".decl e(x: symbol, n: float)\n.decl o(x: symbol, m: float)\n\
             o(x, m) :- e(x, n), m = n + 1.",
        );
        let rules = c.rules.rules(&p);
        let by_atom = TypesByAtom::new(&rules);
        // A magic rule's shape: a new head over a prefix of the body.
        let original = &rules[0].rule;
        let body_atom = original.body[0][0].clone();
        let Literal::Atom(a) = &body_atom else {
            panic!("{body_atom:?}");
        };
        let mut head = a.clone();
        head.relation.name = "@magic.e@bf".into();
        let built = Rule {
            heads: vec![head],
            body: vec![vec![body_atom.clone()]],
            span: a.span,
        };
        let retyped = by_atom.retype(built);
        assert_eq!(retyped.types.len(), 1);
        assert_eq!(retyped.types[0].of("n"), Some(ColumnType::Float));
        assert_eq!(retyped.types[0].of("x"), Some(ColumnType::Symbol));
        // A seed (no atom of the program) has nothing to type.
        let mut seed = original.clone();
        seed.heads[0].span = Span::default();
        seed.body = vec![Vec::new()];
        assert_eq!(by_atom.retype(seed).types, vec![VarTypes::default()]);
    }

    #[test]
    fn added_rules_take_their_types_to_their_place_in_the_program() {
        let base = ".decl e(x: float)\n.decl f(x: float)\ne(1.5).\n";
        let (_, mut c) = checked(base);
        let mut sm = SourceMap::new();
        let text = format!("{base}f(y) :- e(y).\n");
        let p = parse_source(&mut sm, "t.dl", &text).unwrap();
        let added = p.items[3..].to_vec();
        let options = CheckOptions::default();
        let Some(Ok(types)) = crate::lang::check::check_added(&p, &c.schema, &added, &options)
        else {
            panic!("the added rule should check alone");
        };
        assert_eq!(types.get(0)[0].of("y"), Some(ColumnType::Float));
        c.rules.append(3, types);
        let rules = c.rules.rules(&p);
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].types[0].of("y"), Some(ColumnType::Float));
    }

    #[test]
    fn aggregate_variables_are_typed_in_their_own_scope() {
        let text = ".decl e(k: symbol, v: unsigned)\n.decl t(k: symbol, s: unsigned)\n\
                    t(k, s) :- e(k, _), s = sum v : { e(k, v) }.";
        let (p, c) = checked(text);
        let rules = c.rules.rules(&p);
        let types = &rules[0].types[0];
        let Item::Rule(r) = &p.items[2] else {
            panic!("not a rule: {:?}", p.items[2]);
        };
        let crate::lang::ast::Literal::Compare {
            rhs: crate::lang::ast::Expr::Aggregate { span, .. },
            ..
        } = &r.body[0][1]
        else {
            panic!("not an aggregate: {:?}", r.body[0][1]);
        };
        let scope = aggregate_scope(*span);
        assert_eq!(types.get(scope, "v"), Some(ColumnType::Unsigned));
        assert_eq!(types.of("v"), None);
        assert_eq!(types.of("k"), Some(ColumnType::Symbol));
        assert_eq!(types.get(scope, "k"), None, "k is the clause's, injected");
    }
}
