//! Issue 14, cases 4, 5 and 7: only regular files are read (a FIFO or a
//! device is a located error at once), exports are safe to open in a
//! spreadsheet, and errors keep their place (the directive that named a
//! file, the column of a bad row, the rule of a bad pattern).

mod failsafe_common;

use failsafe_common::{mkfifo, pialog, texts, write};

#[test]
fn a_fifo_as_input_script_include_or_document_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    if !mkfifo(&d.join("pipe")) {
        return;
    }
    // `--timeout` only guards the test: the refusal comes before any read.
    write(
        d,
        "input.dl",
        ".decl e(x: number)\n.input e(filename=\"pipe\")\n.output e\n",
    );
    let out = pialog(d, &["run", "--timeout", "20", "input.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot read `./pipe`: it is a FIFO (named pipe), not a regular file"),
        "{err}"
    );
    assert!(err.contains("--> ./pipe"), "{err}");
    assert!(
        err.contains("note: asked for by the `.input` at input.dl:2:1"),
        "{err}"
    );

    let out = pialog(d, &["run", "--timeout", "20", "pipe"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot read `pipe`: it is a FIFO"), "{err}");

    write(d, "include.dl", "#include \"pipe\"\n");
    let out = pialog(d, &["run", "--timeout", "20", "include.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("it is a FIFO"), "{err}");
    assert!(err.contains("--> include.dl:1:1"), "{err}");

    let out = pialog(d, &["import", "pipe", "-o", "facts"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("it is a FIFO"), "{err}");
    assert!(!d.join("facts").exists());
}

#[cfg(unix)]
#[test]
fn a_device_is_not_a_document_or_facts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = pialog(d, &["import", "/dev/zero", "-o", "facts"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("it is a device, not a regular file"), "{err}");
    write(
        d,
        "p.dl",
        ".decl e(x: number)\n.input e(filename=\"/dev/zero\")\n.output e\n",
    );
    let out = pialog(d, &["run", "p.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("note: asked for by the `.input` at p.dl:2:1"),
        "{err}"
    );
}

#[test]
fn exports_neutralise_formulas_and_keep_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "p.dl",
        ".decl cell(k: number, s: symbol)\n\
         cell(1, \"  =1+1\"). cell(2, \" @x\"). cell(3, \"\u{3000}=1\"). cell(4, \"＝１+1\").\n\
         cell(5, \"＋1\"). cell(6, \"－1\"). cell(7, \"＠x\"). cell(8, \"|calc\").\n\
         cell(9, \"\\nx\"). cell(-10, \"plain =text\").\n\
         .export cell to \"cells.csv\"\n",
    );
    let out = pialog(d, &["run", "p.dl"]);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    let csv = std::fs::read_to_string(d.join("cells.csv")).unwrap();
    let expected = "k,s\r\n-10,plain =text\r\n1,'  =1+1\r\n2,' @x\r\n3,'\u{3000}=1\r\n\
                    4,'＝１+1\r\n5,'＋1\r\n6,'－1\r\n7,'＠x\r\n8,'|calc\r\n9,\"'\nx\"\r\n";
    assert_eq!(csv, expected);
}

#[test]
fn a_wrong_column_count_points_at_the_column_and_the_directive() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "e.facts", "1\t2\n3\t4\t5\n");
    write(
        d,
        "p.dl",
        ".decl e(x: number, y: number)\n.input e\n.output e\n",
    );
    let out = pialog(d, &["run", "p.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("wrong number of columns: expected 2, found 3"),
        "{err}"
    );
    assert!(err.contains("--> ./e.facts:2:5"), "{err}");
    assert!(err.contains("^ column 3 is one too many"), "{err}");
    assert!(
        err.contains("note: asked for by the `.input` at p.dl:2:1"),
        "{err}"
    );
}

#[test]
fn an_unreadable_input_file_is_reported_at_its_directive() {
    // A missing file is an empty relation (as in Soufflé); a folder where
    // the file should be cannot be read, and the error names the directive.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("gone.tsv")).unwrap();
    write(
        d,
        "p.dl",
        ".decl e(x: number)\n.input e(filename=\"gone.tsv\")\n.output e\n",
    );
    let out = pialog(d, &["run", "p.dl"]);
    let (_, err) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot read `./gone.tsv`"), "{err}");
    assert!(err.contains("--> ./gone.tsv"), "{err}");
    assert!(
        err.contains("note: asked for by the `.input` at p.dl:2:1"),
        "{err}"
    );
}

#[test]
fn a_bad_pattern_is_warned_about_in_its_rule() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "p.dl",
        ".decl s(x: symbol)\ns(\"a\").\n.decl t(x: symbol)\nt(x) :- s(x), match(\"[a\", x).\n.printsize t\n",
    );
    let out = pialog(d, &["run", "p.dl"]);
    let (stdout, err) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(stdout, "t\t0\n");
    assert!(
        err.starts_with("warning: invalid regular expression \"[a\" in match"),
        "{err}"
    );
    assert!(err.contains("--> p.dl:4:21"), "{err}");
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
}
