//! Rules whose body has a part independent of the head (`a(x) :- b(x),
//! c(y), d(y).`) give the rows of the rule as written: every `b` row when
//! the part holds, none when it does not, also inside recursion.

use std::process::Command;

fn run(program: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.dl");
    std::fs::write(&file, program).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .arg("run")
        .arg(&file)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

const CHAINS: &str = "\
.decl b(x: number)
.decl c(x: number)
.decl d(x: number)
.decl a(x: number)
b(0). b(x + 1) :- b(x), x < 300.
c(0). c(x + 1) :- c(x), x < 300.
d(1). d(x + 2) :- d(x), x < 300.
";

#[test]
fn the_part_holds_every_head_row_comes() {
    let out = run(&format!(
        "{CHAINS}a(x) :- b(x), c(y), d(y), y > 5.\n.printsize a\n"
    ));
    assert_eq!(out, "a\t301\n");
}

#[test]
fn the_part_fails_no_row_comes() {
    let out = run(&format!(
        "{CHAINS}a(x) :- b(x), c(y), d(y), y > 400.\n.printsize a\n"
    ));
    assert_eq!(out, "a\t0\n");
}

#[test]
fn inside_recursion_the_part_is_checked_as_it_grows() {
    // `r` only grows once `s` reaches 50, which needs 50 rounds of `s`.
    let out = run(".decl s(x: number)\n.decl r(x: number)\n\
                   s(0). s(x + 1) :- s(x), x < 60.\n\
                   r(0). r(x + 1) :- r(x), x < 20, s(y), y = 50.\n\
                   .printsize r\n");
    assert_eq!(out, "r\t21\n");
}
