//! Caches that let one run of a plan compute a sub-result once per
//! distinct binding of the registers it depends on.
//!
//! Two things in a pipeline give the same answer every time their input
//! registers repeat: an aggregate (`n = count : { big(_, k) }` for the same
//! `k`) and a filtered cross product ([`super::plan::MemoOp`]). Without a
//! cache, a grouped count over a million rows recounts its group for each
//! of them, which is quadratic. A [`Cache`] lives for one run of one plan
//! (the relations it reads do not change during the run), stores answers
//! as rows of words in one arena, and switches itself off when keys
//! seldom repeat, so a plan never pays much more than it did uncached.

use super::plan::MEMO_KEY_MAX;
use super::value::Word;
use rustc_hash::FxHashMap;

/// The values of the key registers, padded to a fixed size so that a key
/// is a plain value (no allocation per lookup).
pub type Key = [Word; MEMO_KEY_MAX];

/// Lookups after which the hit rate is judged.
const JUDGE_AFTER: u64 = 4096;
/// Words the arena may hold (16 MB); later answers are computed directly.
const ARENA_MAX: usize = 4 << 20;

/// The stored answer of one key: where its rows start in the arena and how
/// many there are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stored {
    /// First word in the arena.
    pub start: usize,
    /// Number of rows.
    pub rows: usize,
}

/// What a lookup found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The answer is stored.
    Hit(Stored),
    /// Not stored yet: compute it, then [`Cache::store`] it.
    Miss,
    /// The cache gave up (keys do not repeat): compute without storing.
    Off,
}

/// One cache: key -> rows of words.
#[derive(Debug, Default)]
pub struct Cache {
    map: FxHashMap<Key, Stored>,
    arena: Vec<Word>,
    lookups: u64,
    misses: u64,
    off: bool,
}

/// The key of the current binding of `regs` (at most [`MEMO_KEY_MAX`]).
#[inline]
pub fn key_of(key_regs: &[usize], regs: &[Word]) -> Key {
    let mut k = [0 as Word; MEMO_KEY_MAX];
    for (slot, &r) in k.iter_mut().zip(key_regs) {
        *slot = regs[r];
    }
    k
}

impl Cache {
    /// Looks a key up; after [`JUDGE_AFTER`] lookups a cache whose keys
    /// missed three times in four turns itself off and frees its memory.
    #[inline]
    pub fn lookup(&mut self, key: &Key) -> Lookup {
        if self.off {
            return Lookup::Off;
        }
        self.lookups += 1;
        if let Some(&s) = self.map.get(key) {
            return Lookup::Hit(s);
        }
        self.misses += 1;
        if self.lookups >= JUDGE_AFTER && self.misses * 4 > self.lookups * 3 {
            self.off = true;
            self.map = FxHashMap::default();
            self.arena = Vec::new();
            return Lookup::Off;
        }
        Lookup::Miss
    }

    /// Stores the answer of a key (`rows` rows of `words.len() / rows`
    /// words each); `None` when the arena is full.
    pub fn store(&mut self, key: Key, words: &[Word], rows: usize) -> Option<Stored> {
        if self.arena.len() + words.len() > ARENA_MAX {
            return None;
        }
        let stored = Stored {
            start: self.arena.len(),
            rows,
        };
        self.arena.extend_from_slice(words);
        self.map.insert(key, stored);
        Some(stored)
    }

    /// Word `i` of the arena.
    #[inline]
    pub fn word(&self, i: usize) -> Word {
        self.arena[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_replays_answers_per_key() {
        let mut c = Cache::default();
        let k = key_of(&[1], &[9, 7]);
        assert_eq!(k[0], 7);
        assert_eq!(c.lookup(&k), Lookup::Miss);
        let s = c.store(k, &[3, 4, 5, 6], 2).unwrap();
        assert_eq!(c.lookup(&k), Lookup::Hit(s));
        assert_eq!((c.word(s.start + 2), s.rows), (5, 2));
        // An empty answer is an answer too.
        let e = key_of(&[0], &[1]);
        c.lookup(&e);
        let s = c.store(e, &[], 0).unwrap();
        assert_eq!(c.lookup(&e), Lookup::Hit(s));
    }

    #[test]
    fn gives_up_when_keys_do_not_repeat() {
        let mut c = Cache::default();
        let mut off_at = None;
        for i in 0..10_000u32 {
            match c.lookup(&key_of(&[0], &[i])) {
                Lookup::Miss => {
                    c.store(key_of(&[0], &[i]), &[i], 1);
                }
                Lookup::Off => {
                    off_at = Some(i);
                    break;
                }
                Lookup::Hit(_) => panic!("key {i} was never stored"),
            }
        }
        assert_eq!(off_at, Some(JUDGE_AFTER as u32 - 1));
        assert!(c.arena.is_empty() && c.map.is_empty());
    }

    #[test]
    fn a_full_arena_refuses_more() {
        let mut c = Cache::default();
        let big = vec![0; ARENA_MAX];
        assert!(c.store(key_of(&[], &[]), &big, 1).is_some());
        assert!(c.store(key_of(&[0], &[1]), &[1], 1).is_none());
    }
}
