//! Running the REPL on a terminal (rustyline: prompt, history, completion,
//! multi-line editing) or on piped stdin (one statement after another, no
//! prompt, no colour, so tests and scripts can drive it).
//!
//! Ctrl-C at the prompt clears the line; during an evaluation it reaches the
//! process as SIGINT, and the handler installed here sets the session's
//! cancel flag so the engine stops and the session stays usable.

use super::helper::ReplHelper;
use super::input::{Completeness, completeness};
use super::{Repl, Reply};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The prompt for a new statement.
pub const PROMPT: &str = "pialog> ";
/// The prompt while a statement is still open (no closing `.` yet), so a
/// forgotten `.` shows at once instead of looking like a hang.
pub const CONTINUATION: &str = "   ...> ";

/// The cancel flag of the session in use, for the SIGINT handler.
static CANCEL: OnceLock<Mutex<Option<Arc<AtomicBool>>>> = OnceLock::new();

/// Routes Ctrl-C during evaluation to `flag` (installs the handler once).
fn route_ctrl_c(flag: Arc<AtomicBool>) {
    let slot = CANCEL.get_or_init(|| {
        // A second handler cannot be installed; the slot below is what the
        // one handler reads, so failing here only matters the first time.
        let _ = ctrlc::set_handler(|| {
            if let Some(Ok(guard)) = CANCEL.get().map(|m| m.lock())
                && let Some(flag) = guard.as_ref()
            {
                flag.store(true, Ordering::SeqCst);
            }
        });
        Mutex::new(None)
    });
    if let Ok(mut guard) = slot.lock() {
        *guard = Some(flag);
    }
}

/// Where history is kept: `$PIALOG_HISTORY`, else the user's data folder
/// (`$XDG_DATA_HOME/pialog/history` or `~/.local/share/pialog/history`).
pub fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PIALOG_HISTORY") {
        return Some(PathBuf::from(p));
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("pialog").join("history"))
}

/// Runs the REPL until `:quit`, Ctrl-D or the end of input; returns the
/// exit status (2 when piped input had errors, else 0).
pub fn run(repl: &mut Repl) -> u8 {
    let flag = repl.session().cancel_flag();
    route_ctrl_c(flag.clone());
    if std::io::stdin().is_terminal() {
        run_terminal(repl, &flag)
    } else {
        run_piped(repl, &flag, std::io::stdin().lock())
    }
}

fn print(reply: &Reply) {
    if !reply.warn.is_empty() {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(reply.warn.as_bytes());
        let _ = err.flush();
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(reply.out.as_bytes());
    let _ = out.flush();
    print_errors(reply);
}

/// A reply on a terminal: a long answer goes through the pager.
fn show(reply: &Reply) {
    crate::output::pager::show(&reply.out);
    print_errors(reply);
}

fn print_errors(reply: &Reply) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(reply.err.as_bytes());
    let _ = err.flush();
}

fn execute(repl: &mut Repl, flag: &AtomicBool, text: &str) -> Reply {
    flag.store(false, Ordering::SeqCst);
    let reply = repl.execute(text);
    flag.store(false, Ordering::SeqCst);
    reply
}

/// Reads statements from a non-terminal input, one after another.
pub fn run_piped(repl: &mut Repl, flag: &AtomicBool, input: impl BufRead) -> u8 {
    let mut buffer = String::new();
    let mut failed = false;
    if let Some(reply) = repl.take_startup() {
        print(&reply);
    }
    for (n, line) in input.split(b'\n').enumerate() {
        let line = match line {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("error: cannot read the input: {e}");
                failed = true;
                break;
            }
        };
        // A line that is not UTF-8 (a binary or Shift_JIS input) is
        // reported and skipped; the session goes on, as after any error.
        let Ok(mut line) = String::from_utf8(line) else {
            eprintln!(
                "error: input line {} is not UTF-8 text (Shift_JIS or binary?); skipped",
                n + 1
            );
            failed = true;
            continue;
        };
        if line.ends_with('\r') {
            line.pop();
        }
        if buffer.is_empty() && line.trim_start().starts_with(':') {
            let reply = execute(repl, flag, &line);
            print(&reply);
            failed |= reply.failed();
            if reply.quit {
                return if failed { 2 } else { 0 };
            }
            continue;
        }
        buffer.push_str(&line);
        buffer.push('\n');
        match completeness(&buffer) {
            Completeness::Empty => buffer.clear(),
            Completeness::Incomplete => {}
            Completeness::Complete => {
                let reply = execute(repl, flag, &buffer);
                buffer.clear();
                print(&reply);
                failed |= reply.failed();
            }
        }
    }
    if completeness(&buffer) == Completeness::Incomplete {
        eprintln!("error: incomplete statement at the end of input (missing the closing `.`):");
        // Quoted harmlessly: a binary input must not garble the terminal.
        let shown: String = buffer
            .trim_end()
            .chars()
            .map(|c| {
                if c.is_control() && c != '\n' && c != '\t' {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .take(2000)
            .collect();
        eprintln!("{shown}");
        failed = true;
    }
    if failed { 2 } else { 0 }
}

fn refresh(
    editor: &mut rustyline::Editor<ReplHelper, rustyline::history::DefaultHistory>,
    repl: &Repl,
) {
    if let Some(h) = editor.helper_mut() {
        h.relations = repl.relation_names();
        h.columns = repl.columns();
    }
}

/// Adds a whole statement to the history and saves it.
fn remember(
    editor: &mut rustyline::Editor<ReplHelper, rustyline::history::DefaultHistory>,
    history: Option<&std::path::Path>,
    text: &str,
) {
    let _ = editor.add_history_entry(text);
    if let Some(p) = history {
        if let Some(dir) = p.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = editor.save_history(p) {
            eprintln!("warning: cannot save history to {}: {e}", p.display());
        }
    }
}

fn run_terminal(repl: &mut Repl, flag: &AtomicBool) -> u8 {
    // Tab lists every candidate under the line (as bash does) instead of
    // cycling through them in place.
    let config = rustyline::Config::builder()
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut editor =
        match rustyline::Editor::<ReplHelper, rustyline::history::DefaultHistory>::with_config(
            config,
        ) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: cannot start the line editor: {e}");
                return 2;
            }
        };
    editor.set_helper(Some(ReplHelper::default()));
    refresh(&mut editor, repl);
    let history = history_path();
    if let Some(p) = &history {
        // A missing history file is normal on first use.
        let _ = editor.load_history(p);
    }
    if repl.banner().is_empty() {
        println!("pialog — :help lists the commands, Ctrl-D leaves.");
    } else {
        println!("{}", repl.banner());
    }
    if let Some(reply) = repl.take_startup() {
        show(&reply);
    }
    // The lines of a statement typed so far (each line is read with its
    // own prompt, `...>` after the first, until the statement is whole).
    let mut buffer = String::new();
    loop {
        let prompt = if buffer.is_empty() {
            PROMPT
        } else {
            CONTINUATION
        };
        match editor.readline(prompt) {
            Ok(line) => {
                if buffer.is_empty() && line.trim().is_empty() {
                    continue;
                }
                if buffer.is_empty() && line.trim_start().starts_with(':') {
                    buffer = line;
                } else {
                    buffer.push_str(&line);
                    buffer.push('\n');
                    match completeness(&buffer) {
                        Completeness::Empty => {
                            buffer.clear();
                            continue;
                        }
                        Completeness::Incomplete => continue,
                        Completeness::Complete => {}
                    }
                }
                let text = std::mem::take(&mut buffer);
                remember(&mut editor, history.as_deref(), text.trim_end());
                repl.set_screen(crate::output::screen::width());
                let reply = execute(repl, flag, &text);
                show(&reply);
                if reply.quit {
                    break;
                }
                refresh(&mut editor, repl);
            }
            Err(rustyline::error::ReadlineError::Interrupted) => {
                buffer.clear();
                println!("^C (Ctrl-D or :quit leaves)");
            }
            Err(rustyline::error::ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: cannot read input: {e}");
                return 2;
            }
        }
    }
    0
}
