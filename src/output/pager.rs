//! Long answers through a pager on a terminal, as `git` and `psql` do: a
//! 222-row table scrolls away otherwise. The pager is `$PAGER`, `less -RFX`
//! when unset (quit at once when the text fits, keep it on screen after),
//! and never used when standard output is not a terminal or `PAGER` is
//! empty or `cat`.

use std::io::Write;
use std::process::{Command, Stdio};

/// The pager command to run, or `None` for none (`PAGER=` or `cat`).
fn command() -> Option<String> {
    match std::env::var("PAGER") {
        Ok(p) if p.trim().is_empty() || p.trim() == "cat" => None,
        Ok(p) => Some(p),
        Err(_) => Some("less -RFX".to_string()),
    }
}

/// Whether `text` is longer than the screen (`lines` high).
pub fn too_long(text: &str, lines: Option<usize>) -> bool {
    lines.is_some_and(|h| text.lines().count() + 1 >= h)
}

/// Prints `text` to standard output, through the pager when it is longer
/// than the terminal. Falls back to printing it when the pager cannot be
/// started.
pub fn show(text: &str) {
    if too_long(text, super::screen::height())
        && let Some(cmd) = command()
        && page(&cmd, text).is_ok()
    {
        return;
    }
    let mut out = std::io::stdout().lock();
    // A closed pipe is not an error worth a panic.
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Runs `cmd` through the shell with `text` on its input and waits for it.
fn page(cmd: &str, text: &str) -> std::io::Result<()> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::piped())
        .spawn()?;
    if let Some(mut input) = child.stdin.take() {
        // The user may quit the pager before reading everything.
        let _ = input.write_all(text.as_bytes());
    }
    child.wait()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_taller_than_the_screen_is_paged() {
        assert!(!too_long("a\nb\n", None));
        assert!(!too_long("a\nb\n", Some(24)));
        assert!(too_long(&"x\n".repeat(30), Some(24)));
    }
}
