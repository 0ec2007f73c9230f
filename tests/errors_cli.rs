//! Bad input through every command of the real binary: each class of
//! mistake must give `error: <key phrase>`, a `file:line:col` (or the data
//! file and line) with the source line and a caret, exit code 2, no panic,
//! no Rust debug dump, and no output file left behind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A scratch folder for one test; removed when dropped.
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Self {
        Scratch(tempfile::tempdir().unwrap())
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    /// Writes a file (creating its folders) and returns its path.
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Every file and folder under the scratch folder, relative.
    fn listing(&self) -> BTreeSet<String> {
        fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                out.insert(path.strip_prefix(base).unwrap().display().to_string());
                if path.is_dir() {
                    walk(base, &path, out);
                }
            }
        }
        let mut out = BTreeSet::new();
        walk(self.path(), self.path(), &mut out);
        out
    }

    /// Runs pialog in the scratch folder.
    fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pialog"))
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .env("HOME", self.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write as _;
            let mut input = child.stdin.take().unwrap();
            input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
        }
        child.wait_with_output().unwrap()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// No panic, no backtrace hint and nothing printed with `{:?}` of an
/// error type or a temporary file's name.
fn assert_no_dump(o: &Output) {
    let all = format!("{}{}", stderr(o), stdout(o));
    for bad in [
        "panicked",
        "RUST_BACKTRACE",
        "Os {",
        "kind: ",
        "Custom {",
        "Error {",
        "Some(",
        "at path \"",
    ] {
        assert!(!all.contains(bad), "debug output `{bad}` in:\n{all}");
    }
}

/// Exit code 2, `error: <phrase>…` and a `--> at` line.
fn assert_error(o: &Output, phrase: &str, at: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "exit code; stderr:\n{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("error: ") && l.contains(phrase)),
        "no `error: …{phrase}…` in:\n{err}"
    );
    assert!(
        err.lines().any(|l| l == format!("  --> {at}")),
        "no `  --> {at}` in:\n{err}"
    );
    assert_no_dump(o);
}

/// The quoted source line `line | text` and, under it, a caret at `col`
/// (1-based, in characters of an ASCII line).
fn assert_caret(o: &Output, line: usize, text: &str, col: usize) {
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().collect();
    let quoted = format!("{line} | {text}");
    let i = lines
        .iter()
        .position(|l| *l == quoted)
        .unwrap_or_else(|| panic!("source line `{quoted}` not quoted in:\n{err}"));
    let caret = lines.get(i + 1).copied().unwrap_or("");
    let prefix = format!("{line} | ").chars().count();
    let at = caret.chars().position(|c| c == '^');
    assert_eq!(
        at,
        Some(prefix + col - 1),
        "caret not under column {col}:\n{quoted}\n{caret}"
    );
}

/// `dir` is absent or holds no file (the importer may create its output
/// folder before it finds that a document is unusable).
fn assert_no_files_under(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        let names: Vec<_> = entries.map(|e| e.unwrap().file_name()).collect();
        assert!(
            names.is_empty(),
            "files left in {}: {names:?}",
            dir.display()
        );
    }
}

const BASE: &str = ".decl e(x: symbol, y: number)\ne(\"a\", 1).\n";

/// One program error through `run` and `check`: message, position, caret.
fn program_error(program: &str, phrase: &str, line: usize, col: usize) {
    let s = Scratch::new();
    s.write("prog.dl", program);
    let text = program.lines().nth(line - 1).unwrap();
    let before = s.listing();
    for args in [
        &["run", "prog.dl", "-D", "out"][..],
        &["check", "--no-kb", "prog.dl"][..],
        &["export", "e", "prog.dl", "-o", "e.csv"][..],
    ] {
        let o = s.run(args);
        assert_error(&o, phrase, &format!("prog.dl:{line}:{col}"));
        assert_caret(&o, line, text, col);
        assert_eq!(s.listing(), before, "{args:?} left files behind");
    }
}

#[test]
fn malformed_query() {
    program_error(&format!("{BASE}?- e(x, .\n"), "syntax error", 3, 9);
}

#[test]
fn syntax_error_in_a_rule() {
    program_error(
        &format!("{BASE}.decl p(x: symbol)\np(x) :- e(x, _) e(x, _).\n"),
        "syntax error",
        4,
        17,
    );
}

#[test]
fn wrong_arity() {
    program_error(
        &format!("{BASE}.decl p(x: symbol)\np(x) :- e(x).\n"),
        "arity mismatch",
        4,
        9,
    );
}

#[test]
fn unknown_relation() {
    program_error(
        &format!("{BASE}.decl p(x: symbol)\np(x) :- nothere(x).\n"),
        "unknown relation `nothere`",
        4,
        9,
    );
}

#[test]
fn type_mismatch() {
    program_error(
        &format!("{BASE}.decl p(x: number)\np(x) :- e(x, _).\n"),
        "type mismatch",
        4,
        3,
    );
}

#[test]
fn ungrounded_variable() {
    program_error(
        &format!("{BASE}.decl p(x: symbol, z: symbol)\np(x, z) :- e(x, _).\n"),
        "ungrounded variable `z`",
        4,
        6,
    );
}

#[test]
fn unstratifiable_program_names_the_cycle() {
    let program = format!(
        "{BASE}.decl a(x: symbol)\n.decl b(x: symbol)\na(x) :- e(x, _), !b(x).\nb(x) :- e(x, _), !a(x).\n"
    );
    program_error(&program, "unstratifiable", 5, 19);
    let s = Scratch::new();
    s.write("prog.dl", &program);
    let err = stderr(&s.run(&["run", "prog.dl"]));
    assert!(err.contains("a, b"), "cycle not named:\n{err}");
}

#[test]
fn huge_number_in_a_program() {
    program_error(
        &format!("{BASE}e(\"b\", 99999999999999999999999).\n"),
        "does not fit",
        3,
        8,
    );
}

#[test]
fn deeply_nested_expression_is_an_error_not_a_crash() {
    let deep = format!(
        "{BASE}e(\"b\", {}1{}).\n",
        "(".repeat(20_000),
        ")".repeat(20_000)
    );
    let long = format!("{BASE}e(\"b\", {}1).\n", "1 + ".repeat(20_000));
    for program in [deep, long] {
        let s = Scratch::new();
        s.write("prog.dl", &program);
        let o = s.run(&["run", "prog.dl"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("nested too deeply"), "{}", stderr(&o));
        assert!(stderr(&o).contains("  --> prog.dl:3:"), "{}", stderr(&o));
        assert_no_dump(&o);
    }
}

#[test]
fn include_cycle() {
    let s = Scratch::new();
    s.write("a.dl", "#include \"b.dl\"\n");
    s.write("b.dl", "// b\n#include \"a.dl\"\n");
    let o = s.run(&["run", "a.dl"]);
    assert_error(&o, "include cycle", "b.dl:2:1");
    assert_caret(&o, 2, "#include \"a.dl\"", 1);
}

#[test]
fn tsv_with_wrong_column_count_writes_nothing() {
    let s = Scratch::new();
    s.write(
        "prog.dl",
        ".decl e(x: symbol, y: number)\n.input e\n.output e\n",
    );
    s.write("in/e.facts", "a\t1\nb\t2\t3\n");
    std::fs::create_dir(s.path().join("out")).unwrap();
    let o = s.run(&["run", "prog.dl", "-F", "in", "-D", "out"]);
    assert_error(&o, "wrong number of columns", "in/e.facts:2:5");
    assert!(stderr(&o).contains("2 | b\t2\t3"), "{}", stderr(&o));
    assert!(s.listing().iter().all(|f| !f.starts_with("out/")));
}

#[test]
fn tsv_with_a_non_number_points_at_the_cell() {
    let s = Scratch::new();
    s.write(
        "prog.dl",
        ".decl e(x: symbol, y: number)\n.input e\n.output e\n",
    );
    for cell in ["x", "99999999999999999999"] {
        s.write("in/e.facts", format!("a\t1\nbb\t{cell}\n"));
        let o = s.run(&["run", "prog.dl", "-F", "in", "-D", "."]);
        assert_error(&o, "not a number", "in/e.facts:2:4");
        let err = stderr(&o);
        let i = err.find(&format!("2 | bb\t{cell}\n")).expect(&err);
        // The caret line repeats the tab so that the caret lines up.
        assert!(
            err[i..].lines().nth(1).unwrap().ends_with("|   \t^"),
            "{err}"
        );
        assert!(!s.path().join("e.csv").exists());
    }
}

#[test]
fn broken_fact_file_of_the_knowledge_base_stops_every_command() {
    let s = Scratch::new();
    s.write(
        "facts/schema.dl",
        ".decl assessment(a: symbol, org: symbol)\n.decl system(a: symbol, sys: symbol)\n",
    );
    s.write(
        "facts/x-1.dl",
        "assessment(\"x/1\", \"x\"). // d.txt:1\nsystem(\"x/1\" \"s\"). // d.txt:2\n",
    );
    s.write("queries/std.dl", "");
    s.write("ok.dl", ".assert count system(_, _) >= 0\n");
    let before = s.listing();
    for args in [
        &["repl"][..],
        &["check", "ok.dl"][..],
        &["export", "system", "-o", "s.csv"][..],
        &["graph", "-o", "g.dot"][..],
        &["matrix", "-o", "m.csv", "--svg", "m.svg"][..],
    ] {
        let o = s.run(args);
        assert_error(&o, "syntax error", "facts/x-1.dl:2:14");
        assert_caret(&o, 2, "system(\"x/1\" \"s\"). // d.txt:2", 14);
        assert_eq!(s.listing(), before, "{args:?} left files behind");
    }
}

#[test]
fn missing_file_and_folder_given_as_a_file() {
    let s = Scratch::new();
    std::fs::create_dir(s.path().join("dir.dl")).unwrap();
    s.write("inc.dl", "// x\n#include \"gone.dl\"\n");
    let o = s.run(&["run", "gone.dl"]);
    assert_error(&o, "cannot read `gone.dl`", "gone.dl");
    let o = s.run(&["run", "dir.dl"]);
    assert_error(&o, "cannot read `dir.dl`: it is a folder", "dir.dl");
    if Path::new("/dev/zero").exists() {
        // Would be read for ever.
        let o = s.run(&["run", "/dev/zero"]);
        assert_error(&o, "it is a device", "/dev/zero");
    }
    let o = s.run(&["check", "--no-kb", "dir.dl"]);
    assert_error(&o, "cannot read `dir.dl`", "dir.dl");
    let o = s.run(&["export", "e", "dir.dl"]);
    assert_error(&o, "cannot read `dir.dl`", "dir.dl");
    let o = s.run(&["run", "inc.dl"]);
    assert_error(&o, "cannot read included file", "inc.dl:2:1");
    assert_caret(&o, 2, "#include \"gone.dl\"", 1);
    s.write("p.dl", ".decl e(x: symbol)\n.input e\n");
    let o = s.run(&["run", "p.dl", "-F", "nothere"]);
    assert_error(&o, "cannot read", "nothere/e.facts");
}

#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    // A read error that even root gets (Linux): offset 0 of a process's
    // memory is never mapped.
    let mem = "/proc/self/mem";
    if Path::new(mem).exists() {
        s.write(
            "in.dl",
            format!(".decl e(x: symbol)\n.input e(filename=\"{mem}\")\n"),
        );
        for args in [
            &["run", mem][..],
            &["check", "--no-kb", mem][..],
            &["run", "in.dl"][..],
            &["import", mem, "-o", "out"][..],
        ] {
            let o = s.run(args);
            assert_error(&o, "cannot read", mem);
        }
    }
    let path = s.write("secret.dl", BASE);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        eprintln!("note: running as root, file permissions are not enforced; skipped");
        return;
    }
    let o = s.run(&["run", "secret.dl"]);
    assert_error(&o, "cannot read `secret.dl`", "secret.dl");
}

#[test]
fn unwritable_output_paths_leave_no_file() {
    let s = Scratch::new();
    s.write("prog.dl", format!("{BASE}.output e\n"));
    s.write("exp.dl", format!("{BASE}.export e to \"nodir/e.csv\"\n"));
    s.write("exp2.dl", format!("{BASE}.export e to \"afolder\"\n"));
    s.write("afile", "x");
    std::fs::create_dir(s.path().join("afolder")).unwrap();
    let before = s.listing();
    let cases: &[(&[&str], &str)] = &[
        (&["run", "prog.dl", "-D", "nodir"], "nodir/e.csv"),
        (&["run", "prog.dl", "-D", "afile"], "afile/e.csv"),
        (&["run", "exp.dl"], "nodir/e.csv"),
        (&["run", "exp2.dl"], "afolder"),
        (
            &["export", "e", "prog.dl", "-o", "nodir/e.csv"],
            "nodir/e.csv",
        ),
        (&["export", "e", "prog.dl", "-o", "afolder"], "afolder"),
        (
            &["check", "--no-kb", "prog.dl", "--junit", "nodir/j.xml"],
            "nodir/j.xml",
        ),
    ];
    for (args, at) in cases {
        let o = s.run(args);
        assert_error(&o, "cannot write", at);
        assert_eq!(s.listing(), before, "{args:?} left files behind");
    }
}

#[test]
fn read_only_output_folder() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    s.write("prog.dl", format!("{BASE}.output e\n"));
    let ro = s.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("probe"), "").is_ok() {
        eprintln!("note: running as root, folder permissions are not enforced; skipped");
        return;
    }
    let o = s.run(&["run", "prog.dl", "-D", "ro"]);
    assert_error(&o, "cannot write", "ro/e.csv");
    assert_eq!(std::fs::read_dir(&ro).unwrap().count(), 0);
}

#[test]
fn non_utf8_program_points_at_the_first_bad_byte() {
    let s = Scratch::new();
    // `e("あ").` in Shift_JIS on line 3.
    s.write(
        "sjis.dl",
        b".decl e(x: symbol)\ne(\"a\").\ne(\"\x82\xa0\").\n",
    );
    for args in [
        &["run", "sjis.dl"][..],
        &["check", "--no-kb", "sjis.dl"][..],
    ] {
        let o = s.run(args);
        assert_error(&o, "not UTF-8", "sjis.dl:3:4");
        assert!(stderr(&o).contains("   ^ first byte"), "{}", stderr(&o));
    }
}

#[test]
fn binary_files() {
    let s = Scratch::new();
    let mut bytes = b"\x7fELF\x02\x01\x01\x00\xff".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    s.write("bin.dl", &bytes);
    let o = s.run(&["run", "bin.dl"]);
    assert_error(&o, "not UTF-8", "bin.dl:1:9");
    let quoted = stderr(&o);
    assert!(
        !quoted
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "control characters printed: {quoted:?}"
    );
    let o = s.run(&["import", "bin.dl", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("binary"), "{}", stderr(&o));
    assert!(stderr(&o).contains("  --> bin.dl"), "{}", stderr(&o));
    assert_no_dump(&o);
    assert_no_files_under(&s.path().join("out"));
}

#[test]
fn empty_files_are_empty_programs() {
    let s = Scratch::new();
    s.write("empty.dl", "");
    s.write("blank.dl", "\n\n  // nothing\n/* at all */\n");
    for f in ["empty.dl", "blank.dl"] {
        let o = s.run(&["run", f]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o), "");
        assert_eq!(stderr(&o), "");
    }
    let o = s.run(&["import", "empty.dl", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("empty"), "{}", stderr(&o));
    assert_no_files_under(&s.path().join("out"));
}

#[test]
fn failed_assertion_exits_1_with_its_own_text() {
    let s = Scratch::new();
    s.write(
        "prog.dl",
        format!("{BASE}\n// the check\n.assert empty e(_, _)\n// trailing comment\n\n.assert count e(_, _) >= 1 // ok\n\n"),
    );
    let o = s.run(&["run", "prog.dl"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l == "FAIL prog.dl:5: .assert empty e(_, _): 1 row"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l == "ok prog.dl:8: .assert count e(_, _) >= 1"),
        "{out}"
    );
    let o = s.run(&["check", "--no-kb", "prog.dl"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l == "FAIL prog.dl:5: .assert empty e(_, _): 1 row"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn import_refuses_what_is_not_an_assessment() {
    let s = Scratch::new();
    s.write(
        "letter.txt",
        "拝啓 時下ますますご清栄のこととお慶び申し上げます。\n",
    );
    let mut broken = "特定個人情報保護評価書\n".as_bytes().to_vec();
    broken.extend(b"\xff\xfe\xfd\x80\x80\n");
    s.write("broken.txt", broken);
    std::fs::create_dir(s.path().join("adir")).unwrap();
    // Undecodable bytes are located: doc:line:col of the first one.
    for (doc, phrase, at) in [
        ("letter.txt", "not a 特定個人情報保護評価書", "letter.txt"),
        (
            "broken.txt",
            "neither UTF-8 nor Shift_JIS",
            "broken.txt:2:1",
        ),
        // A folder is read for its documents; an empty one is an error.
        ("adir", "holds no documents", "adir"),
        ("gone.txt", "cannot read", "gone.txt"),
    ] {
        let o = s.run(&["import", doc, "-o", "out"]);
        assert_error(&o, phrase, at);
        assert_no_files_under(&s.path().join("out"));
    }
}

#[test]
fn bad_option_values_are_usage_errors() {
    let s = Scratch::new();
    s.write("prog.dl", BASE);
    for args in [
        &["run", "prog.dl", "--format", "xml"][..],
        &["check", "prog.dl", "--format", "xml"][..],
        &["export", "e", "prog.dl", "--format", "xml"][..],
        &["graph", "prog.dl", "--format", "png"][..],
        &["gen", "-o", "g", "--format", "xml"][..],
        &["gen", "-o", "g", "-n", "many"][..],
        &["bench", "--only", "everything"][..],
        &["bench", "--tc-sizes", "12", "--only", "tc"][..],
        &["bench", "--timeout", "soon"][..],
        &["run"][..],
        &["nosuchcommand"][..],
    ] {
        let o = s.run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).starts_with("error: "),
            "{args:?}: {}",
            stderr(&o)
        );
        assert_no_dump(&o);
        assert!(!s.path().join("g").exists(), "{args:?} wrote a corpus");
    }
}

#[test]
fn repl_reports_every_error_and_goes_on() {
    let s = Scratch::new();
    s.write("base.dl", BASE);
    s.write("sjis.dl", b"e(\"\x82\xa0\").\n");
    let input = "?- e(x).\n?- ee(x, y).\np(x) :- e(x, _) e(x, _).\n:load gone.dl\n:load sjis.dl\n:export e nodir/e.csv\n?- e(x, y), x = y.\n?- e(x, y).\n";
    let o = s.run_with_stdin(&["repl", "base.dl"], Some(input));
    let err = stderr(&o);
    for (phrase, at) in [
        ("arity mismatch", "<query>:1:4"),
        ("unknown relation `ee`", "<query>:1:4"),
        ("syntax error", "<input 3>:1:17"),
        ("cannot read `gone.dl`", "gone.dl"),
        ("not UTF-8", "sjis.dl:1:4"),
        ("cannot write", "nodir/e.csv"),
        ("type mismatch", "<query>:1:13"),
    ] {
        assert!(
            err.contains(phrase) && err.contains(&format!("  --> {at}\n")),
            "no `{phrase}` at `{at}` in:\n{err}"
        );
    }
    assert!(stdout(&o).contains("│ a ┆ 1 │"), "{}", stdout(&o));
    assert_no_dump(&o);
    assert!(!s.path().join("nodir").exists());
}

#[test]
fn unknown_functor_is_named() {
    program_error(
        &format!("{BASE}.decl p(n: number)\np(n) :- e(x, _), n = lenght(x).\n"),
        "unknown functor `lenght`",
        4,
        22,
    );
}

#[test]
fn generator_refuses_a_file_as_its_output_folder() {
    let s = Scratch::new();
    s.write("taken", "keep me");
    let o = s.run(&["gen", "-n", "1", "-o", "taken"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    assert!(stderr(&o).contains("taken"), "{}", stderr(&o));
    assert_no_dump(&o);
    assert_eq!(
        std::fs::read_to_string(s.path().join("taken")).unwrap(),
        "keep me"
    );
}

#[test]
fn non_utf8_fact_file_of_the_knowledge_base_is_shown_where_it_is_bad() {
    let s = Scratch::new();
    s.write("facts/schema.dl", ".decl system(a: symbol, sys: symbol)\n");
    s.write("facts/x-1.dl", "system(\"x/1\", \"s\").\n");
    s.write("facts/x-2.dl", b"system(\"x/2\", \"\x82\xa0\").\n");
    s.write("queries/std.dl", "");
    let o = s.run(&["export", "system", "-o", "s.csv"]);
    assert_error(&o, "not UTF-8", "facts/x-2.dl:1:16");
    assert!(!stderr(&o).contains("<knowledge base>"), "{}", stderr(&o));
    assert!(!s.path().join("s.csv").exists());
    s.write("inc.dl", "// one\n#include \"facts/x-2.dl\"\n");
    let o = s.run(&["run", "inc.dl"]);
    assert_error(&o, "not UTF-8", "facts/x-2.dl:1:16");
    assert!(
        stderr(&o).contains("included from inc.dl:2:1"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn export_without_a_file_name() {
    program_error(
        &format!("{BASE}.export e to \"\"\n"),
        "`.export` needs a file name",
        3,
        1,
    );
    let s = Scratch::new();
    s.write("prog.dl", format!("{BASE}.output e(filename=\"\")\n"));
    let o = s.run(&["run", "prog.dl", "-D", "out"]);
    assert_error(&o, "the path names no file", "out/");
}

#[test]
fn repl_skips_input_lines_that_are_not_utf8() {
    let s = Scratch::new();
    s.write("base.dl", BASE);
    let mut child = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .args(["repl", "base.dl"])
        .current_dir(s.path())
        .env("HOME", s.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write as _;
        let mut input = child.stdin.take().unwrap();
        input
            .write_all(b"?- e(x, _).\r\n\x7fELF\x02\x01\x00\xff\xfe.\n?- e(_, n).\n")
            .unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error: input line 2 is not UTF-8 text"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("│ a │"), "{}", stdout(&o));
    assert!(stdout(&o).contains("│ 1 │"), "{}", stdout(&o));
    assert_no_dump(&o);
}

#[test]
fn one_unwritable_output_among_several_writes_none() {
    let s = Scratch::new();
    s.write(
        "two.dl",
        ".decl a(x: symbol)\n.decl b(x: symbol)\na(\"1\").\nb(\"2\").\n.output a\n.output b\n",
    );
    std::fs::create_dir_all(s.path().join("out/a.csv")).unwrap();
    s.write(
        "exports.dl",
        ".decl a(x: symbol)\na(\"1\").\n.export a to \"first.csv\"\n.export a to \"nodir/a.csv\"\n",
    );
    let before = s.listing();
    let o = s.run(&["run", "two.dl", "-D", "out"]);
    assert_error(&o, "cannot write", "out/a.csv");
    let o = s.run(&["run", "exports.dl"]);
    assert_error(&o, "cannot write", "nodir/a.csv");
    assert_eq!(s.listing(), before);
}

#[test]
fn non_utf8_tsv_row_is_located() {
    let s = Scratch::new();
    s.write(
        "prog.dl",
        ".decl e(x: symbol, y: number)\n.input e\n.output e\n",
    );
    s.write("in/e.facts", b"ok\t1\nab\xff\t2\n");
    let o = s.run(&["run", "prog.dl", "-F", "in", "-D", "."]);
    assert_error(&o, "not UTF-8", "in/e.facts:2:3");
    assert!(!s.path().join("e.csv").exists());
}

#[test]
fn device_as_input_is_refused() {
    let s = Scratch::new();
    s.write(
        "prog.dl",
        ".decl e(x: symbol)\n.input e(filename=\"/dev/zero\")\n.output e\n",
    );
    let o = s.run(&["run", "prog.dl", "-D", "."]);
    assert_error(&o, "it is a device", "/dev/zero");
}

#[test]
fn multi_line_assertion_gives_one_verdict_line_in_run() {
    let s = Scratch::new();
    s.write(
        "prog.dl",
        format!("{BASE}\n.assert empty e(x, _),\n    // nothing may start here\n    x = \"a\"\n"),
    );
    let o = s.run(&["run", "prog.dl"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with("FAIL prog.dl:4: .assert empty e(x, _), x = \"a\": ")),
        "{out}"
    );
}
