//! A tiny seeded PRNG (splitmix64) so that a corpus is the same bytes for the
//! same seed on every machine and every build, without depending on the
//! stream stability of an external crate.

/// splitmix64: one 64-bit state word, full period, good enough statistical
/// quality for synthetic data, and cheap to derive independent streams from
/// (seed, index) pairs.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// An independent stream for item `index` of a run seeded with `seed`:
    /// item `i` is generated identically whatever the total count, so a
    /// small corpus is a prefix of a larger one.
    pub fn stream(seed: u64, index: u64) -> Rng {
        let mut mixer = Rng::new(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Rng::new(mixer.next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` (`n > 0`; returns 0 for `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // Lemire's multiply-shift; the bias is negligible for our small n.
        ((self.next_u64() >> 32).wrapping_mul(n as u64) >> 32) as usize
    }

    /// A uniform integer in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u32) -> bool {
        (self.below(100) as u32) < percent
    }

    /// One element of a non-empty slice (copied: the vocabularies are
    /// slices of `&'static str` and small tuples).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `count` draws of `pick` with the repeats left out, in draw order: a
    /// document names a source, a method or a vendor of one item once.
    pub fn distinct<T: PartialEq>(
        &mut self,
        count: usize,
        mut pick: impl FnMut(&mut Rng) -> T,
    ) -> Vec<T> {
        let mut out: Vec<T> = Vec::with_capacity(count);
        for _ in 0..count {
            let x = pick(self);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_draws_leave_repeats_out() {
        let mut r = Rng::stream(1, 1);
        let mut seq = [3, 3, 5, 3].into_iter();
        assert_eq!(r.distinct(4, |_| seq.next()), [Some(3), Some(5)]);
        assert!(r.distinct(0, |r| r.below(9)).is_empty());
    }

    #[test]
    fn same_seed_same_stream() {
        let mut a = Rng::stream(7, 3);
        let mut b = Rng::stream(7, 3);
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let mut c = Rng::stream(7, 4);
        assert_ne!(xs[0], c.next_u64());
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::new(1);
        for n in 1..50 {
            for _ in 0..100 {
                assert!(r.below(n) < n);
            }
        }
        assert_eq!(r.below(0), 0);
        let hits = (0..10_000).filter(|_| r.chance(30)).count();
        assert!((2_500..3_500).contains(&hits), "{hits}");
    }
}
