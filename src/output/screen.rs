//! The size of the terminal the output goes to, or none when it goes to a
//! pipe or a file: tables are fitted to a screen, never to a pipe, so
//! `pialog run q.dl | grep …` always sees every character.

use std::io::IsTerminal;

/// The width of standard output's terminal in columns; `None` when standard
/// output is not a terminal. `COLUMNS`, when set, wins (the shell keeps it
/// current, and tests set it).
pub fn width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    from_env("COLUMNS").or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
}

/// The height of standard output's terminal in lines (`LINES` wins), or
/// `None` when it is not a terminal.
pub fn height() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    from_env("LINES").or_else(|| terminal_size::terminal_size().map(|(_, h)| usize::from(h.0)))
}

/// A positive number from the environment variable `name`.
fn from_env(name: &str) -> Option<usize> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_test_run_is_not_a_terminal_or_has_a_size() {
        // Under `cargo test` stdout is captured: no width at all, or the
        // terminal's when run with --nocapture.
        assert!(super::width().is_none_or(|w| w > 0));
        assert!(super::from_env("PIALOG_SURELY_UNSET_VARIABLE").is_none());
    }
}
