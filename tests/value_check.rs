//! No mistyped value passes silently: the value check of `pialog check`
//! and the REPL, run through the real binary on the fixture knowledge base.

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

/// `pialog check q.dl` with `script` in a fixture root.
fn check(script: &str) -> (i32, String, String) {
    let root = kb_root();
    std::fs::write(root.path().join("q.dl"), script).expect("write script");
    let o = pialog(root.path(), &["check", "q.dl"]);
    (o.status.code().unwrap_or(-1), stdout(&o), stderr(&o))
}

#[test]
fn an_assertion_naming_an_unknown_class_is_vacuous_and_exits_2() {
    let (code, out, err) = check(".assert empty flow_lacks(_, _, _, \"e-mail\", \"encrypt\")\n");
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("warning: `encrypt` is not a measure class; did you mean `encryption`?"),
        "{err}"
    );
    assert!(err.contains("--> q.dl:1:45"), "{err}");
    assert!(
        err.contains("warning: `e-mail` is not a method; did you mean `email`?"),
        "{err}"
    );
    assert!(
        out.contains("FAIL q.dl:1: .assert empty flow_lacks"),
        "{out}"
    );
    assert!(out.contains("vacuous"), "{out}");
    assert!(out.contains("0 passed, 0 failed, 1 vacuous"), "{out}");
}

#[test]
fn a_known_value_no_row_holds_is_not_a_typo() {
    // No flow of the fixtures goes by flash memory, but `flash` is a method
    // and `audit` a class: the assertion holds and says something.
    let (code, out, err) = check(".assert empty flow_lacks(_, _, _, \"flash\", \"audit\")\n");
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("warning"), "{err}");
    assert!(out.contains("1 passed, 0 failed"), "{out}");
}

#[test]
fn a_real_failure_still_exits_1() {
    let (code, out, err) = check(".assert empty phase_lacks(_, _, \"encryption\")\n");
    assert_eq!(code, 1, "{out}{err}");
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn a_label_where_the_code_is_stored_is_translated() {
    let (code, out, err) = check("?- adequacy(a, r, \"課題が残されている\").\n");
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains(
            "warning: `課題が残されている` is the label of the rating `issues-remain`; `adequacy` stores the code"
        ),
        "{err}"
    );
    assert!(err.contains("write \"issues-remain\""), "{err}");
    let (code, _, err) = check(".assert empty risk(_, _, \"委託\", _)\n");
    assert_eq!(code, 2);
    assert!(
        err.contains("`委託` is the label of the phase `entrustment`"),
        "{err}"
    );
}

#[test]
fn a_variable_named_like_a_value_is_pointed_out() {
    let (code, out, err) = check("?- system(a, 中間サーバー).\n");
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("`中間サーバー` is a variable here")
            && err.contains("did you mean the value \"中間サーバー\"?"),
        "{err}"
    );
    assert!(err.contains("--> q.dl:1:14"), "{err}");
}

#[test]
fn an_open_column_suggests_the_values_it_holds() {
    let (_, _, err) = check("?- system(a, \"中間サーバ\").\n");
    assert!(
        err.contains(
            "no row of `system` holds `中間サーバ` in column `sys`; did you mean `中間サーバー`?"
        ),
        "{err}"
    );
    // Far from anything an open column holds: an open column may lack a
    // value for good reason, so nothing is said.
    let (_, _, err) = check("?- system(a, \"まったく別のもの\").\n");
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn an_open_column_value_held_elsewhere_is_no_typo() {
    // サンプル町長/2 has no re-entrusting vendor: the assertion says so, and
    // the id is an assessment all the same.
    let (code, out, err) =
        check(".assert empty reentrusting_vendor(\"サンプル町長/2\", _, _, _)\n");
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn a_near_miss_in_an_open_column_warns_but_the_data_decides() {
    // An open column is not authoritative: the assertion is judged on the
    // rows (none match), with the warning beside it.
    let (code, out, err) = check(".assert empty system(_, \"中間サーバ\")\n");
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("did you mean `中間サーバー`?"), "{err}");
    assert!(out.contains("1 passed, 0 failed"), "{out}");
}

#[test]
fn a_far_typo_of_a_closed_column_lists_the_known_values() {
    let (code, _, err) = check(".assert count flow_lacks(_, _, _, _, \"zzz\") >= 0\n");
    assert_eq!(code, 2);
    assert!(err.contains("`zzz` is not a measure class"), "{err}");
    assert!(
        err.contains("known values: encryption, access-control"),
        "{err}"
    );
}

#[test]
fn typos_in_rules_and_aggregates_warn_too() {
    let script = ".decl e(a: symbol)\n\
                  e(a) :- flow_lacks(a, _, _, _, \"encrypton\").\n\
                  ?- n = count : { phase_lacks(_, \"strage\", _) }.\n";
    let (code, out, err) = check(script);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("`encrypton` is not a measure class; did you mean `encryption`?"),
        "{err}"
    );
    assert!(
        err.contains("`strage` is not a phase; did you mean `storage`?"),
        "{err}"
    );
}

#[test]
fn single_quotes_get_a_hint() {
    let (code, _, err) = check("?- system(a, 'VRS').\n");
    assert_eq!(code, 2);
    assert!(
        err.contains("error: syntax error: strings take double quotes, not single quotes"),
        "{err}"
    );
    assert!(err.contains("--> q.dl:1:14"), "{err}");
    assert!(err.contains("write \"VRS\""), "{err}");
}

#[test]
fn the_repl_warns_and_fails_a_vacuous_assertion() {
    let root = kb_root();
    let o = pialog_stdin(
        root.path(),
        &["repl"],
        ":time off\n\
         ?- adequacy(a, r, \"課題が残されている\").\n\
         .assert empty flow_lacks(_, _, _, \"email\", \"encrypt\")\n\
         ?- risk(a, r, storage, t).\n",
    );
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(
        err.contains("`課題が残されている` is the label of the rating `issues-remain`"),
        "{err}"
    );
    assert!(err.contains("`encrypt` is not a measure class"), "{err}");
    assert!(
        out.contains("FAIL <input 2>:1: .assert empty flow_lacks"),
        "{out}"
    );
    assert!(err.contains("`storage` is a variable here"), "{err}");
}

#[test]
fn the_shipped_queries_draw_no_warning() {
    // No false alarm on the saved questions over the shipped facts.
    let root = crate_dir();
    let mut args = vec!["check".to_string()];
    for entry in std::fs::read_dir(root.join("queries")).expect("queries") {
        let p = entry.expect("entry").path();
        if p.extension().is_some_and(|e| e == "dl") && !p.ends_with("std.dl") {
            args.push(p.display().to_string());
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = pialog(&root, &args);
    let err = stderr(&o);
    assert!(
        !err.contains("warning: `") && !err.contains("warning: no row"),
        "{err}"
    );
    assert_ne!(o.status.code(), Some(2), "{err}");
}

#[test]
fn a_relation_computed_on_demand_still_catches_a_mistyped_assessment() {
    // The REPL computes `weak_risk` only for what is asked, so its own rows
    // cannot tell a typo from an assessment without weak risks; the
    // assessments the knowledge base holds can.
    let root = kb_root();
    let o = pialog_stdin(
        root.path(),
        &["repl"],
        ":time off\n\
         ?- weak_risk(\"テスト市長X/1\", r, p, t, g).\n\
         ?- weak_risk(\"テスト市長/1\", r, p, t, g).\n\
         ?- weak_risk(\"どこにもない/1\", r, p, t, g).\n",
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("warning: ").count(), 1, "{err}");
    assert!(
        err.contains("no row of `weak_risk` holds `テスト市長X/1` in column `a`; did you mean `テスト市長/1`?"),
        "{err}"
    );
}
