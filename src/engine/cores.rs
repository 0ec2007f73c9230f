//! How many cores the engine may use, asked of the system once.
//!
//! `std::thread::available_parallelism` reads the cgroup files of the
//! process (`/sys/fs/cgroup/…/cpu.max`) on every call: several system calls
//! and path walks. The evaluator decides per batch whether to split work,
//! and a recursive stratum of tens of thousands of small rounds then spent
//! most of its time in the kernel. The answer does not change while a
//! command runs, so it is read once.

use std::sync::OnceLock;

/// The number of cores available to this process (at least 1).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn at_least_one_and_stable() {
        let n = super::cores();
        assert!(n >= 1);
        assert_eq!(super::cores(), n);
    }
}
