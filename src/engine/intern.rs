//! Symbol interning: every string the engine sees becomes a 32-bit id.
//!
//! Joins, deduplication and sorting inside the engine then compare machine
//! words, never strings; strings come back only when rows leave the engine.
//! Ids are handed out in order of first appearance (Soufflé's `ord`
//! returns exactly this number), and one interner lives as long as a
//! [`crate::session::Session`], so ids stay valid across evaluations.
//!
//! The strings live end to end in one buffer and the hash table holds only
//! ids: one allocation for all symbols instead of two per symbol, and a
//! dense table that stays in cache. Callers that see the same text many
//! times (the facts reader) hash it once with [`hash`] and pass the hash
//! to [`Interner::find_hashed`] / [`Interner::intern_hashed`].

use hashbrown::HashTable;
use std::hash::Hasher;

/// The hash of a symbol's text, as the interner's table uses it.
///
/// Public so that the facts reader can hash a field once and use the
/// value both in its own chunk-local table and in the session's.
#[inline]
pub fn hash(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

#[inline]
fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(b);
    h.finish()
}

/// Two-way map between strings and dense `u32` ids.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    /// Every symbol's place in `text` and id, found by the hash of its
    /// text; comparing a candidate needs no look-up in `ends`.
    table: HashTable<Entry>,
    /// Every symbol's text, one after the other.
    text: String,
    /// `ends[id]` is where symbol `id` ends in `text` (it starts where
    /// `id - 1` ends).
    ends: Vec<usize>,
    /// The records, interned beside the symbols: both are values that
    /// evaluation may create and that rows keep as words.
    pub records: super::record::RecordStore,
}

/// A symbol in the hash table: where its text is, and its id.
#[derive(Debug, Clone, Copy)]
struct Entry {
    start: usize,
    len: u32,
    id: u32,
}

impl Entry {
    #[inline]
    fn text<'t>(&self, text: &'t str) -> &'t [u8] {
        text.as_bytes()
            .get(self.start..self.start + self.len as usize)
            .unwrap_or(&[])
    }
}

/// The text of `id` (empty for ids not handed out).
#[inline]
fn slice<'t>(text: &'t str, ends: &[usize], id: u32) -> &'t str {
    let i = id as usize;
    let Some(&end) = ends.get(i) else {
        return "";
    };
    let start = if i == 0 { 0 } else { ends[i - 1] };
    text.get(start..end).unwrap_or("")
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of `s`, adding it when it is new.
    pub fn intern(&mut self, s: &str) -> u32 {
        self.intern_hashed(hash(s), s)
    }

    /// [`Interner::intern`] with `hash(s)` already computed.
    pub fn intern_hashed(&mut self, h: u64, s: &str) -> u32 {
        if let Some(id) = self.find_hashed(h, s) {
            return id;
        }
        let id = self.ends.len() as u32;
        let entry = Entry {
            start: self.text.len(),
            len: s.len() as u32,
            id,
        };
        self.text.push_str(s);
        self.ends.push(self.text.len());
        let text = &self.text;
        self.table
            .insert_unique(h, entry, |e| hash_bytes(e.text(text)));
        id
    }

    /// The id of `s` if it was ever interned (lookups must not grow the
    /// table, e.g. when a REPL user asks about an unknown constant).
    pub fn get(&self, s: &str) -> Option<u32> {
        self.find_hashed(hash(s), s)
    }

    /// [`Interner::get`] with `hash(s)` already computed; takes `&self`,
    /// so parsing threads can share one interner while they read.
    #[inline]
    pub fn find_hashed(&self, h: u64, s: &str) -> Option<u32> {
        let b = s.as_bytes();
        self.table
            .find(h, |e| e.len as usize == b.len() && e.text(&self.text) == b)
            .map(|e| e.id)
    }

    /// Forgets every symbol from id `len` on: a load that failed leaves
    /// the ids (and so `ord`) as they were before it.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.ends.len() {
            return;
        }
        self.table.retain(|e| (e.id as usize) < len);
        self.ends.truncate(len);
        let end = self.ends.last().copied().unwrap_or(0);
        self.text.truncate(end);
    }

    /// The string behind an id; ids not handed out read as empty.
    pub fn resolve(&self, id: u32) -> &str {
        slice(&self.text, &self.ends, id)
    }

    /// Number of distinct symbols.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True before the first symbol.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// For every id, its rank in byte-wise string order: output sorting
    /// then compares ranks (words) instead of strings.
    pub fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.resolve(a).cmp(self.resolve(b)));
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
        assert_eq!(i.resolve(7), "");
        assert_eq!(i.get("zz"), None);
        assert_eq!(i.ranks(), vec![1, 0]);
    }

    #[test]
    fn empty_string_and_growth_keep_ids() {
        let mut i = Interner::new();
        assert_eq!(i.intern(""), 0);
        for n in 0..10_000 {
            assert_eq!(i.intern(&n.to_string()), n + 1);
        }
        assert_eq!(i.get(""), Some(0));
        assert_eq!(i.get("9999"), Some(10_000));
        assert_eq!(i.resolve(0), "");
        assert_eq!(i.resolve(10_000), "9999");
        let h = hash("x");
        assert_eq!(i.find_hashed(h, "x"), None);
        assert_eq!(i.intern_hashed(h, "x"), 10_001);
        assert_eq!(i.intern("x"), 10_001);
        i.truncate(2);
        assert_eq!(i.len(), 2);
        assert_eq!(i.get("x"), None);
        assert_eq!(i.get("0"), Some(1));
        assert_eq!(i.intern("y"), 2);
        assert_eq!(i.resolve(2), "y");
    }
}
