//! Symbol interning: every string the engine sees becomes a 32-bit id.
//!
//! Joins, deduplication and sorting inside the engine then compare machine
//! words, never strings; strings come back only when rows leave the engine.
//! Ids are handed out in order of first appearance (Soufflé's `ord`
//! returns exactly this number), and one interner lives as long as a
//! [`crate::session::Session`], so ids stay valid across evaluations.

use rustc_hash::FxHashMap;

/// Two-way map between strings and dense `u32` ids.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of `s`, adding it when it is new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        let boxed: Box<str> = s.into();
        self.strings.push(boxed.clone());
        self.ids.insert(boxed, id);
        id
    }

    /// The id of `s` if it was ever interned (lookups must not grow the
    /// table, e.g. when a REPL user asks about an unknown constant).
    pub fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    /// The string behind an id; ids not handed out read as empty.
    pub fn resolve(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |s| s)
    }

    /// Number of distinct symbols.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// True before the first symbol.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// For every id, its rank in byte-wise string order: output sorting
    /// then compares ranks (words) instead of strings.
    pub fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.strings.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.strings[a as usize].cmp(&self.strings[b as usize]));
        let mut rank = vec![0u32; order.len()];
        for (r, id) in order.into_iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        rank
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_dense_and_stable() {
        let mut i = Interner::new();
        assert_eq!(i.intern("焼津"), 0);
        assert_eq!(i.intern("a"), 1);
        assert_eq!(i.intern("焼津"), 0);
        assert_eq!(i.resolve(1), "a");
        assert_eq!(i.get("zz"), None);
        assert_eq!(i.ranks(), vec![1, 0]);
    }
}
