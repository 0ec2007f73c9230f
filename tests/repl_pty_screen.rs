//! The REPL on pseudo-terminals 80 and 100 columns wide: every line of an
//! answer with long Japanese cells fits the screen (measured in display
//! columns), `:show N` prints a cut row whole, an open statement gets the
//! `...>` prompt, and a long answer goes through the pager.

#[path = "fixtures/workflow/support.rs"]
mod support;
use rexpect::session::PtySession;
use std::process::Command;
use support::*;
use unicode_width::UnicodeWidthStr;

const PROMPT: &str = "pialog> ";

/// A measure text far wider than any screen, different at its end.
const LONG: &str = "特定個人情報の入手に係るリスク対策として、暗号化された通信回線を使用し、アクセスログを記録し、定期的に確認している(その";

fn start(root: &std::path::Path, columns: usize, lines: usize, pager: &str) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pialog"));
    cmd.arg("repl")
        .current_dir(root)
        .env("PIALOG_HISTORY", root.join("history"))
        .env("TERM", "xterm")
        .env("COLUMNS", columns.to_string())
        .env("LINES", lines.to_string())
        .env("PAGER", pager);
    let mut p = rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn on a pty");
    p.exp_string("relations").expect("banner");
    p.exp_string(PROMPT).expect("prompt");
    p.send_line(":time off").unwrap();
    p.exp_string(PROMPT).unwrap();
    p
}

/// rexpect reads bytes as Latin-1: the UTF-8 text back, without the
/// terminal's escape sequences.
fn decode(latin1: &str) -> String {
    let bytes: Vec<u8> = latin1.chars().map(|c| c as u32 as u8).collect();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let escapes = regex::Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]").unwrap();
    escapes.replace_all(&text, "").replace('\r', "")
}

/// Defines a relation of 12 rows with long cells.
fn define_long(p: &mut PtySession) {
    p.send_line(".decl m(a: symbol, r: symbol, text: symbol, n: number)")
        .unwrap();
    p.exp_string(PROMPT).unwrap();
    let facts: String = (1..=12)
        .map(|i| format!("m(\"焼津市長/26\", \"acquisition/other\", \"{LONG}{i})\", {i}). "))
        .collect();
    p.send_line(&facts).unwrap();
    p.exp_string("statements added").unwrap();
    p.exp_string(PROMPT).unwrap();
}

#[test]
fn answers_fit_80_and_100_columns_and_rows_can_be_shown_whole() {
    for columns in [80, 100] {
        let root = kb_root();
        let mut p = start(root.path(), columns, 200, "cat");
        define_long(&mut p);
        p.send_line("?- m(a, r, text, n).").unwrap();
        let answer = decode(&p.exp_string("12 rows").unwrap());
        let rest = decode(&p.exp_string(PROMPT).unwrap());
        let table: Vec<&str> = answer.lines().filter(|l| l.contains('│')).collect();
        assert_eq!(table.len(), 13, "header and 12 rows:\n{answer}");
        for line in answer.lines().chain(rest.lines()) {
            assert!(
                line.width() <= columns,
                "{} columns > {columns}: {line}",
                line.width()
            );
        }
        // Narrow columns whole, the long one cut in the middle, rows numbered.
        assert!(answer.contains("acquisition/other"), "{answer}");
        assert!(answer.contains("(その12)"), "end kept: {answer}");
        assert!(answer.contains('…'), "{answer}");
        assert!(rest.contains(":show N"), "{rest}");
        p.send_line(":show 12").unwrap();
        let row = decode(&p.exp_string(PROMPT).unwrap());
        let whole: String = row
            .lines()
            .filter_map(|l| l.split_once(" │ ").map(|(_, v)| v.to_string()))
            .collect();
        // (Rows are in symbol order: the 12th ends in `(その9)`.)
        assert!(whole.contains(&format!("{LONG}9)")), "{row}");
        assert!(row.lines().all(|l| l.width() <= columns), "{row}");
        p.send_line(":quit").unwrap();
        p.exp_eof().unwrap();
    }
}

#[test]
fn an_open_statement_gets_a_continuation_prompt() {
    let root = kb_root();
    let mut p = start(root.path(), 80, 200, "cat");
    p.send_line("?- assessment(a,").unwrap();
    p.exp_string("...> ").unwrap();
    p.send_line("  _, _, _, _), a = \"nope\"").unwrap();
    p.exp_string("...> ").unwrap();
    p.send_line(".").unwrap();
    p.exp_string("0 rows").unwrap();
    p.exp_string(PROMPT).unwrap();
    // An error on the second line of a statement points at that line.
    p.send_line("?- assessment(a, _, _, _, _),").unwrap();
    p.exp_string("...> ").unwrap();
    p.send_line("   nosuch(a).").unwrap();
    let err = decode(&p.exp_string(PROMPT).unwrap());
    assert!(err.contains(":2:4"), "{err}");
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn long_answers_go_through_the_pager() {
    let root = kb_root();
    let paged = root.path().join("paged.txt");
    let pager = format!("cat > '{}'", paged.display());
    let mut p = start(root.path(), 80, 10, &pager);
    define_long(&mut p);
    p.send_line("?- m(a, r, _, n).").unwrap();
    p.exp_string(PROMPT).unwrap();
    let text = std::fs::read_to_string(&paged).expect("the pager got the answer");
    assert!(text.contains("12 rows"), "{text}");
    // A short answer is printed directly.
    std::fs::remove_file(&paged).unwrap();
    p.send_line("?- m(a, r, _, 1).").unwrap();
    p.exp_string("1 row").unwrap();
    p.exp_string(PROMPT).unwrap();
    assert!(!paged.exists());
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
}
