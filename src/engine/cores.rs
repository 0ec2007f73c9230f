//! How many cores the engine may use, asked of the system once, and the
//! one thread pool its parallel work runs on.
//!
//! `std::thread::available_parallelism` reads the cgroup files of the
//! process (`/sys/fs/cgroup/…/cpu.max`) on every call: several system calls
//! and path walks. The evaluator decides per batch whether to split work,
//! and a recursive stratum of tens of thousands of small rounds then spent
//! most of its time in the kernel. The answer does not change while a
//! command runs, so it is read once.
//!
//! Every parallel step — sorting two halves of a batch, splitting a plan's
//! leading scan, parsing the chunks of a facts block, importing documents —
//! runs on [`pool`]: one rayon pool of [`cores`] threads, started on first
//! use, so steps reuse threads instead of spawning their own and never ask
//! for more threads than there are cores. When the system refuses to start
//! threads there is no pool and the callers do their work on the calling
//! thread.

use rayon::{ThreadPool, ThreadPoolBuilder};
use std::sync::OnceLock;

/// The number of cores available to this process (at least 1).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The engine's worker threads, one per core (`None` when they could not
/// be started).
pub fn pool() -> Option<&'static ThreadPool> {
    static POOL: OnceLock<Option<ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        ThreadPoolBuilder::new()
            .num_threads(cores())
            .thread_name(|i| format!("pialog-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `a` and `b` in parallel on the [`pool`] (one after the other
/// without it) and returns both results.
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    match pool() {
        Some(p) => p.join(a, b),
        None => (a(), b()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn at_least_one_and_stable() {
        let n = super::cores();
        assert!(n >= 1);
        assert_eq!(super::cores(), n);
    }

    #[test]
    fn the_pool_has_a_thread_per_core_and_joins_both_sides() {
        let pool = super::pool().expect("threads start in tests");
        assert_eq!(pool.current_num_threads(), super::cores());
        let (a, b) = super::join(|| (0..1000u64).sum::<u64>(), || "right");
        assert_eq!((a, b), (499_500, "right"));
    }
}
