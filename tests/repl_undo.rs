//! `:undo` at the prompt takes back the last statement: the rows answered
//! afterwards are those of the session without it, and the knowledge base
//! loaded before the prompt is never taken back.

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

#[test]
fn undo_takes_back_statements_typed_at_the_prompt() {
    let root = kb_root();
    let input = ":time off\n\
                 .decl two(a: symbol)\n\
                 two(a) :- assessment(a, _, _, _, _).\n\
                 ?- two(a).\n\
                 !assessment(\"テスト市長/1\", \"テスト市長\", \"1\", \"x\", \"y\").\n\
                 :undo\n\
                 :undo\n\
                 ?- two(a).\n\
                 :undo\n\
                 ?- two(a).\n\
                 :undo\n\
                 ?- assessment(a, _, _, _, _).\n";
    let o = pialog_stdin(root.path(), &["repl"], input);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(out.lines().filter(|l| *l == "2 rows").count(), 2, "{out}");
    assert_eq!(out.lines().filter(|l| *l == "0 rows").count(), 1, "{out}");
    assert!(out.contains("taken back: !assessment("), "{out}");
    assert!(out.contains("taken back: two(a) :- assessment"), "{out}");
    assert!(out.contains("taken back: .decl two(a: symbol)"), "{out}");
    assert!(err.contains("unknown relation `two`"), "{err}");
    assert!(
        err.contains("nothing typed or loaded at the prompt"),
        "{err}"
    );
}
