//! Where a stated tuple comes from, for `:why` and the report: the fact
//! item of program text that stated it, or the fact file line of a stored
//! row. Facts of program text are indexed once, on the first question
//! after the program changed, instead of scanned per question (the report
//! asks once per finding).

use super::Session;
use crate::diag::Span;
use crate::engine::table::Value;
use crate::engine::value::{Word, encode_lookup, literal_number};
use crate::lang::ast::{Expr, Item, Program};
use crate::lang::schema::Schema;
use crate::lang::types::ColumnType;
use rustc_hash::FxHashMap;

/// One column of a stated fact, compared without the interner: symbols by
/// their text (an index built before evaluation interned them stays
/// valid), numbers by their word.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Cell {
    Symbol(String),
    Word(Word),
}

/// The span of the first fact item stating each tuple, per relation.
#[derive(Debug, Default)]
pub(super) struct FactOrigins(FxHashMap<String, FxHashMap<Vec<Cell>, Span>>);

impl FactOrigins {
    /// Indexes the fact items of `program` whose arguments are literals.
    fn build(program: &Program, schema: &Schema) -> FactOrigins {
        let mut by_rel: FxHashMap<String, FxHashMap<Vec<Cell>, Span>> = FxHashMap::default();
        for item in &program.items {
            let Item::Fact(a) = item else { continue };
            let Some(rel) = schema.relations.get(&a.relation.name) else {
                continue;
            };
            if a.args.len() != rel.types.len() {
                continue;
            }
            let Some(cells) = a
                .args
                .iter()
                .zip(&rel.types)
                .map(|(e, &t)| literal_cell(e, t))
                .collect::<Option<Vec<Cell>>>()
            else {
                continue;
            };
            by_rel
                .entry(a.relation.name.clone())
                .or_default()
                .entry(cells)
                .or_insert(a.span);
        }
        FactOrigins(by_rel)
    }
}

/// The cell of a literal argument of a fact.
fn literal_cell(e: &Expr, ty: ColumnType) -> Option<Cell> {
    match (e, ty) {
        (Expr::Str(s, _), ColumnType::Symbol) => Some(Cell::Symbol(s.clone())),
        _ => literal_number(e, ty).map(Cell::Word),
    }
}

impl Session {
    /// Where a stated tuple comes from, for `:why`: the fact file line
    /// (and the document line the importer noted on it) of a stored fact
    /// or a fact in program text. Tuples read from `.input` files have none.
    pub fn fact_provenance(&self, rel: &str, row: &[Value]) -> Option<crate::kb::Provenance> {
        if let Some(span) = self.fact_origin(rel, row) {
            return crate::kb::provenance(&self.sources, span);
        }
        let types = &self.schema.relations.get(rel)?.types;
        let words: Vec<Word> = row
            .iter()
            .zip(types)
            .map(|(v, &t)| encode_lookup(v, t, &self.symbols))
            .collect::<Option<_>>()?;
        self.stored.provenance(rel, &words)
    }

    /// The fact item (program text) that stated this tuple, for `:why`.
    /// Tuples read from `.input` files have none.
    pub fn fact_origin(&self, rel: &str, row: &[Value]) -> Option<Span> {
        let types = &self.schema.relations.get(rel)?.types;
        if types.len() != row.len() {
            return None;
        }
        let cells: Vec<Cell> = row
            .iter()
            .zip(types)
            .map(|(v, &t)| match v {
                Value::Symbol(s) if t == ColumnType::Symbol => Some(Cell::Symbol(s.clone())),
                _ if t == ColumnType::Symbol => None,
                _ => encode_lookup(v, t, &self.symbols).map(Cell::Word),
            })
            .collect::<Option<_>>()?;
        let origins = self
            .origins
            .get_or_init(|| FactOrigins::build(&self.program, &self.schema));
        origins.0.get(rel)?.get(&cells).copied()
    }
}
