//! The REPL on a pseudo-terminal, as a person uses it: the prompt, tab
//! completion, Ctrl-C at the prompt and during an evaluation, Ctrl-D, and
//! the history file.

#[path = "fixtures/workflow/support.rs"]
mod support;
use rexpect::session::PtySession;
use std::process::Command;
use support::*;

const PROMPT: &str = "pialog> ";

fn start(root: &std::path::Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pialog"));
    cmd.arg("repl")
        .current_dir(root)
        .env("PIALOG_HISTORY", root.join("history"))
        .env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn on a pty");
    p.exp_string("relations").expect("banner");
    p.exp_string(PROMPT).expect("prompt");
    p
}

#[test]
fn tab_completes_relation_and_column_names() {
    let root = kb_root();
    let mut p = start(root.path());
    p.send_line(":time off").unwrap();
    p.exp_string("time off").unwrap();
    p.exp_string(PROMPT).unwrap();
    // `reentrusting_v` + Tab -> `reentrusting_vendor`
    p.send("?- reentrusting_v").unwrap();
    p.send("\t").unwrap();
    p.send_line("(a, n, v, t).").unwrap();
    // (rexpect reads bytes as Latin-1, so only ASCII is matched here;
    // without the completion the query would fail with `unknown relation`)
    p.exp_string("1 row").unwrap();
    p.exp_string(PROMPT).unwrap();
    // inside `flow_lacks(`, `fr` + Tab -> the column name `from`
    p.send("?- flow_lacks(a, fr").unwrap();
    p.send("\t").unwrap();
    p.send_line(", to, m, \"training\").").unwrap();
    p.exp_string("from").unwrap();
    p.exp_string(" rows").unwrap();
    p.exp_string(PROMPT).unwrap();
    // `:wh` + Tab lists :why and :whynot (two candidates: completes the
    // common prefix, a second Tab shows both)
    p.send(":whyn").unwrap();
    p.send("\t").unwrap();
    p.send_line(" reentrust(\"サンプル町長/2\", 1, \"yes\")")
        .unwrap();
    p.exp_string("is not stated").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let history = std::fs::read_to_string(root.path().join("history")).unwrap();
    assert!(
        history.contains("reentrusting_vendor(a, n, v, t)."),
        "{history}"
    );
}

#[test]
fn ctrl_c_at_the_prompt_and_during_evaluation_keeps_the_session() {
    let root = kb_root();
    let mut p = start(root.path());
    p.send("?- half typed").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("^C").unwrap();
    p.exp_string(PROMPT).unwrap();
    // A relation of 3,001 numbers and a query over its cube: far too long
    // to finish, so only Ctrl-C ends it.
    p.send_line(".decl n(x: number)").unwrap();
    p.exp_string("statement added").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line("n(0). n(x + 1) :- n(x), x < 3000.").unwrap();
    p.exp_string("statements added").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line("?- n(x), n(y), n(z), x + y + z = -1.").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    p.send_control('c').unwrap();
    p.exp_string("interrupted").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line("?- n(3000).").unwrap();
    p.exp_string("true").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn tab_completes_file_arguments() {
    let root = kb_root();
    std::fs::write(
        root.path().join("extra-script.dl"),
        "?- reentrust(a, n, \"yes\").\n",
    )
    .unwrap();
    let mut p = start(root.path());
    p.send(":load extra-scr").unwrap();
    p.send("\t").unwrap();
    p.send_line("").unwrap();
    p.exp_string("1 row").unwrap();
    p.exp_string("loaded extra-script.dl").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
}
