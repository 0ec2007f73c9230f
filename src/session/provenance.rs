//! Where a stated tuple comes from, for `:why` and the report.

use super::Session;
use super::compute::constant_word_lookup;
use crate::diag::Span;
use crate::engine::value::{Word, encode_lookup};
use crate::lang::ast::Item;

impl Session {
    /// Where a stated tuple comes from, for `:why`: the fact file line
    /// (and the document line the importer noted on it) of a stored fact
    /// or a fact in program text. Tuples read from `.input` files have none.
    pub fn fact_provenance(
        &self,
        rel: &str,
        row: &[crate::engine::table::Value],
    ) -> Option<crate::kb::Provenance> {
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
    pub fn fact_origin(&self, rel: &str, row: &[crate::engine::table::Value]) -> Option<Span> {
        let types = &self.schema.relations.get(rel)?.types;
        let words: Vec<Word> = row
            .iter()
            .zip(types)
            .map(|(v, &t)| encode_lookup(v, t, &self.symbols))
            .collect::<Option<_>>()?;
        for item in &self.program.items {
            if let Item::Fact(a) = item
                && a.relation.name == rel
                && a.args.len() == words.len()
                && a.args
                    .iter()
                    .zip(types)
                    .zip(&words)
                    .all(|((e, &t), &w)| constant_word_lookup(e, t, &self.symbols) == Some(w))
            {
                return Some(a.span);
            }
        }
        None
    }
}
