//! The process's memory as `/proc` reports it, in one place: the bench
//! reports peaks per workload, `PIALOG_TRACE` prints the peak so far after
//! each stage, and a child's resident set is watched by its parent.

/// The value in KiB of `key` (`VmHWM:`, `VmRSS:`) in a `/proc/*/status`
/// file, 0 where the file or the line is missing (not Linux).
pub fn status_kib(path: &str, key: &str) -> u64 {
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0;
    };
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The peak resident set of this process in KiB (VmHWM), 0 where `/proc`
/// is not available.
pub fn peak_rss_kib() -> u64 {
    status_kib("/proc/self/status", "VmHWM:")
}

/// The peak so far as a trace line shows it (`123456 kB`).
pub fn peak_text() -> String {
    format!("{} kB", peak_rss_kib())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_status_line_and_misses_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("status");
        std::fs::write(&p, "Name:\tx\nVmHWM:\t  1234 kB\nVmRSS:\t 99 kB\n").unwrap();
        let p = p.to_str().unwrap();
        assert_eq!(status_kib(p, "VmHWM:"), 1234);
        assert_eq!(status_kib(p, "VmRSS:"), 99);
        assert_eq!(status_kib(p, "VmSwap:"), 0);
        assert_eq!(status_kib("/no/such/status", "VmHWM:"), 0);
    }
}
