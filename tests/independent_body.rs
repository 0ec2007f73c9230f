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

#[test]
fn a_mutual_recursion_of_one_row_a_round_reaches_its_fixpoint() {
    // Soufflé's `independent_body3` shape, smaller: `a` and `b` feed each
    // other one number a round, so every other round each relation's delta
    // is empty and its plans are skipped; none of the rows may be lost.
    let out = run(".decl a(x: number)\n.decl b(x: number)\n\
                   .decl c(x: number)\n.decl d(x: number)\n\
                   a(x) :- b(x), c(y), d(y).\n\
                   b(0). b(x + 1) :- a(x), x < 2000.\n\
                   c(0). c(x + 2) :- c(x), x < 100.\n\
                   d(0). d(x + 3) :- d(x), x < 100.\n\
                   .decl odd(x: number)\n\
                   odd(x) :- a(x), x % 2 = 1, b(x + 1).\n\
                   .printsize a\n.printsize b\n.printsize odd\n");
    assert_eq!(out, "a\t2001\nb\t2001\nodd\t1000\n");
}
