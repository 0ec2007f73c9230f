//! `pialog classify --labels FILE`: the measure classes of queries/std.dl
//! scored against labelled measures, with the binary run end to end.
//!
//! A small labelled file written for these tests (tests/fixtures/classify)
//! runs always: one text per class and the guide's hard cases (negations,
//! a word naming something else, a time point). The analyst's labels of
//! ../shared/seeds/measure-classes/labels.tsv are scored when that folder
//! is present, per class and as a whole.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn classify(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pialog"))
        .arg("classify")
        .args(args)
        .current_dir(root())
        .output()
        .expect("pialog runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const FIXTURE: &str = "tests/fixtures/classify/labels.tsv";

/// Per-class F1 from the report's table (`class  P  R  F1  labelled  given`).
fn class_f1(report: &str) -> Vec<(String, f64, usize)> {
    report
        .lines()
        .skip_while(|l| !l.starts_with("class "))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            (
                cells[0].to_string(),
                cells[3].parse().unwrap(),
                cells[4].parse().unwrap(),
            )
        })
        .collect()
}

/// `micro F1 x, exact-set y` from the last line.
fn summary(report: &str) -> (f64, f64) {
    let last = report
        .lines()
        .rev()
        .find(|l| l.starts_with("classes:"))
        .expect("summary line");
    let after = |key: &str| -> f64 {
        let rest = &last[last.find(key).unwrap() + key.len()..];
        rest.split([',', ' '])
            .find(|s| !s.is_empty())
            .unwrap()
            .parse()
            .unwrap()
    };
    (after("micro F1 "), after("exact-set "))
}

#[test]
fn every_class_and_hard_case_of_the_fixture_is_read_as_labelled() {
    let o = classify(&["--labels", FIXTURE]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = stdout(&o);
    let classes = class_f1(&report);
    assert_eq!(classes.len(), 13, "{report}");
    for (class, f1, labelled) in &classes {
        assert!(*labelled >= 1, "{class} has no labelled text: {report}");
        assert_eq!(*f1, 1.0, "{class}: {report}");
    }
    assert!(
        report.contains("measures the rules get wrong: 0"),
        "{report}"
    );
    assert_eq!(summary(&report), (1.0, 1.0), "{report}");
}

#[test]
fn a_negated_protection_does_not_count() {
    // The fixture's negations (暗号化は行っていない, 施錠せず) are labelled
    // without the negated class; an edited copy that labels them with it
    // must show them as missing, dropped by a negation.
    let text = std::fs::read_to_string(root().join(FIXTURE)).unwrap();
    let flipped: String = text
        .lines()
        .map(|l| {
            let l = l.replace(
                "\tuse/1#2\tclosed-network\t",
                "\tuse/1#2\tclosed-network,encryption\t",
            );
            l.replace("\tstorage/1#3\t-\t", "\tstorage/1#3\tphysical\t") + "\n"
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels.tsv");
    std::fs::write(&labels, flipped).unwrap();
    let o = classify(&["--labels", labels.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = stdout(&o);
    assert!(
        report.contains("measures the rules get wrong: 2"),
        "{report}"
    );
    assert!(
        report.contains("dropped by queries/std.dl:")
            && report.contains("negation(\"は行っていない\")"),
        "{report}"
    );
    assert!(report.contains("negation(\"せず\")"), "{report}");
}

#[test]
fn a_disagreement_names_the_line_that_fired() {
    // Labelling the LGWAN terminal text as closed-network: the rules drop
    // LGWAN there (keyword_except "LGWAN端末"), and the report says so.
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("l.tsv");
    std::fs::write(
        &labels,
        "x/1\tuse/1#1\tclosed-network\t\tLGWAN端末からのみ操作できるように制御している。\n",
    )
    .unwrap();
    let o = classify(&["--labels", labels.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = stdout(&o);
    assert!(report.contains("+ access-control"), "{report}");
    assert!(
        report.contains("keyword(\"access-control\", \"制御\")"),
        "{report}"
    );
    assert!(
        report.contains("keyword_except(\"LGWAN\", \"LGWAN端末\")"),
        "{report}"
    );
}

#[test]
fn errors_in_the_labels_are_located_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("l.tsv");
    std::fs::write(
        &labels,
        "# c\nx/1\tuse/1#1\taudit,encrypt\t\t暗号化する。\n",
    )
    .unwrap();
    let o = classify(&["--labels", labels.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("error: unknown class `encrypt` in the labels"),
        "{err}"
    );
    assert!(err.contains("l.tsv:2:19"), "{err}");
    assert!(err.contains("did you mean `encryption`?"), "{err}");
    assert!(stdout(&o).is_empty());

    std::fs::write(&labels, "x/1\tuse/1#1\taudit\n").unwrap();
    let o = classify(&["--labels", labels.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("l.tsv:1"), "{}", stderr(&o));

    let o = classify(&["--labels", "no/such/labels.tsv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read no/such/labels.tsv"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_score_below_the_gate_exits_1() {
    let o = classify(&["--labels", FIXTURE, "--min-f1", "0.9", "--min-exact", "0.9"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("l.tsv");
    std::fs::write(&labels, "x/1\tuse/1#1\taudit\t\t暗号化する。\n").unwrap();
    let o = classify(&["--labels", labels.to_str().unwrap(), "--min-f1", "0.5"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("micro F1 0.000 is below --min-f1 0.5"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_analysts_labels_agree_per_class_and_as_a_whole() {
    let labels = root().join("../shared/seeds/measure-classes/labels.tsv");
    if !Path::new(&labels).is_file() {
        eprintln!("note: ../shared/seeds/measure-classes is absent; labelled-seed test skipped");
        return;
    }
    let o = classify(&["--labels", labels.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = stdout(&o);
    for (class, f1, _) in class_f1(&report) {
        assert!(f1 >= 0.9, "{class} F1 {f1}: {report}");
    }
    let (micro, exact) = summary(&report);
    assert!(micro >= 0.95 && exact >= 0.9, "{report}");
}
