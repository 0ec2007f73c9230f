//! `pialog import` on small hand-written documents, one per layout trick
//! (HTML lists and checked inputs, lost marks, wrapped full-width PDF text,
//! Shift_JIS, a change list alone), plus inputs that must be refused.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// Runs the importer; returns (exit code, stderr, fact file text if written).
fn import(doc: &Path, out: &Path, extra: &[&str]) -> (i32, String, Option<String>) {
    let output = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .arg("import")
        .arg(doc)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .expect("run pialog");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let written: Vec<PathBuf> = std::fs::read_dir(out)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    let text = written
        .first()
        .and_then(|p| std::fs::read_to_string(p).ok());
    (output.status.code().unwrap_or(-1), stderr, text)
}

fn facts(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.starts_with("//") && !l.is_empty())
        .map(|l| l.split(" // ").next().unwrap_or(l))
        .collect()
}

#[test]
fn html_lists_and_checked_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, text) = import(&fixture("html-lists.txt"), dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(
        dir.path().join("テスト市長-7.dl").exists(),
        "prefecture dropped from the id"
    );
    let text = text.unwrap();
    let f = facts(&text);
    for expected in [
        r#"assessment("テスト市長/7", "テスト市長", "7", "予防接種に関する事務 重点項目評価書", "focused")."#,
        r#"published("テスト市長/7", "2019-05-01")."#,
        r#"system_function("テスト市長/7", "健康管理システム", "対象者の抽出")."#,
        r#"system_function("テスト市長/7", "健康管理システム", "接種券の発行&送付")."#,
        r#"connects("テスト市長/7", "健康管理システム", "庁内連携システム")."#,
        r#"connects("テスト市長/7", "健康管理システム", "中間サーバー")."#,
        r#"connects("テスト市長/7", "健康管理システム", "宛名システム(統合)")."#,
        r#"source("テスト市長/7", "予防接種ファイル", "subject", "")."#,
        r#"acquired_via("テスト市長/7", "予防接種ファイル", "paper", "")."#,
        r#"reentrust("テスト市長/7", 1, "no")."#,
        r#"provision_via("テスト市長/7", 1, "info-network", "")."#,
        r#"adequacy("テスト市長/7", "acquisition/1", "sufficient")."#,
        r#"measure("テスト市長/7", "acquisition/1", "acquisition/1#2", "暗号化する。")."#,
        r#"change("テスト市長/7", 1, "2022-03-31", "I 基本情報", "旧", "新", "before")."#,
    ] {
        assert!(f.contains(&expected), "missing {expected}\n{text}");
    }
    assert!(
        !f.iter().any(|l| l.contains("税務システム")),
        "unchecked box read as a connection"
    );
    assert!(text.contains("// html-lists.txt:20"), "provenance comment");
    assert!(!text.contains(".decl"));
}

#[test]
fn lost_marks_warn_and_write_nothing_invented() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, text) = import(&fixture("lost-marks.txt"), dir.path(), &[]);
    assert_eq!(code, 0);
    let text = text.unwrap();
    let f = facts(&text);
    // Marks lost: the option with words in its parentheses counts, nothing else.
    assert!(f.contains(
        &r#"source("テスト区長/5", "予防接種関連情報ファイル", "internal", "戸籍住民課")."#
    ));
    assert_eq!(f.iter().filter(|l| l.starts_with("source(")).count(), 1);
    assert!(!f.iter().any(|l| l.starts_with("connects(")));
    assert!(!f.iter().any(|l| l.starts_with("adequacy(")));
    assert!(stderr.contains("warning: I-2 保健情報システム ③他のシステムとの接続"));
    assert!(stderr.contains("--> "), "warnings point at doc:line");
    assert!(stderr.contains("lost-marks.txt:14") || stderr.contains("lost-marks.txt:15"));
    assert!(text.contains("// unread:"));
    assert!(
        text.contains("\nunread(\"テスト区長/5\", \""),
        "warnings are unread facts"
    );
    assert!(text.contains("リスクへの対策は十分か: the rating cannot be told"));
}

#[test]
fn strict_turns_warnings_into_exit_2_without_output() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, text) = import(&fixture("lost-marks.txt"), dir.path(), &["--strict"]);
    assert_eq!(code, 2);
    assert!(text.is_none());
}

#[test]
fn wrapped_full_width_pdf_text() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, text) = import(&fixture("wrapped-pdf.txt"), dir.path(), &[]);
    assert_eq!(code, 0);
    let text = text.unwrap();
    let f = facts(&text);
    for expected in [
        r#"assessment("テスト市長/12", "テスト市長", "12", "予防接種に関する事務 全項目評価書", "full")."#,
        r#"published("テスト市長/12", "2024-12-01")."#,
        r#"system("テスト市長/12", "ワクチン接種記録システム(VRS)")."#,
        r#"system_function("テスト市長/12", "ワクチン接種記録システム(VRS)", "接種対象者・接種券発行登録を行い、接種記録を管理する。")."#,
        r#"connects("テスト市長/12", "ワクチン接種記録システム(VRS)", "情報提供ネットワークシステム")."#,
        r#"connects("テスト市長/12", "ワクチン接種記録システム(VRS)", "中間サーバー・プラットフォーム")."#,
        r#"entrusted_to("テスト市長/12", 1, "株式会社ABC")."#,
        r#"reentrust("テスト市長/12", 1, "yes")."#,
        r#"measure("テスト市長/12", "storage/1", "storage/1#1", "1 サーバー室は施錠し、入退室の記録を残す。")."#,
        r#"adequacy("テスト市長/12", "storage/1", "issues-remain")."#,
    ] {
        assert!(f.contains(&expected), "missing {expected}\n{text}");
    }
}

#[test]
fn shift_jis_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, text) = import(&fixture("shift-jis.txt"), dir.path(), &[]);
    assert_eq!(code, 0);
    let text = text.unwrap();
    assert!(text.contains(r#"assessment("テスト町長/9", "テスト町長", "9", "児童手当に関する事務 基礎項目評価書", "basic")."#));
    assert!(text.contains(r#"published("テスト町長/9", "2019-04-01")."#));
    assert!(text.contains(r#"affair("テスト町長/9", "児童手当の支給事務")."#));
}

#[test]
fn change_list_alone_separates_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, text) = import(
        &fixture("change-list.txt"),
        dir.path(),
        &["--id", "テスト市長/3"],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = text.unwrap();
    let f = facts(&text);
    let changes: Vec<&&str> = f.iter().filter(|l| l.starts_with("change(")).collect();
    assert_eq!(changes.len(), 3, "{text}");
    assert!(
        f.contains(&r#"assessment("テスト市長/3", "テスト市長", "3", "", "")."#),
        "--id names the assessment"
    );
    assert!(f.contains(&r#"change("テスト市長/3", 1, "2024-11-19", "II 特定個人情報ファイルの概要委託事項1再委託④再委託の有無", "再委託しない", "再委託する", "before")."#));
    assert!(f.contains(&r#"change("テスト市長/3", 2, "2024-11-19", "II 特定個人情報ファイルの概要提供先1②提供先における用途", "新型コロナウイルス感染症対策に係る予防接種事務", "予防接種法による予防接種の実施に関する事務", "after")."#));
    // Two blocks before, one after: the after block starts like the first.
    assert!(f.contains(&r#"change("テスト市長/3", 3, "2024-11-19", "III リスク対策3.特定個人情報の使用", "・アクセス制御を行う。 ・ログを取得する。 <追加措置> ・端末を限定する。", "・アクセス制御を行う。 ・ログを取得する。", "after")."#), "{text}");
}

#[test]
fn refused_inputs_exit_2_with_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, text) = import(&fixture("not-assessment.txt"), dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a 特定個人情報保護評価書"));
    assert!(text.is_none());
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let out = dir.path().join("out");
    let (code, stderr, _) = import(&empty, &out, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("empty"));
    let binary = dir.path().join("scan.pdf");
    std::fs::write(&binary, b"%PDF-1.7\n\x00\x01\x02binary").unwrap();
    let (code, stderr, _) = import(&binary, &out, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("binary"));
    assert!(std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0) == 0);
}

/// Random bytes and truncated documents never crash the importer (library
/// call, so that many inputs run fast).
#[test]
fn no_panic_on_random_or_truncated_input() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for len in [0usize, 1, 7, 64, 500, 4000] {
        for _ in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|_| (next() & 0xff) as u8).collect();
            let _ = pialog::import::import(
                Path::new("random.txt"),
                &bytes,
                pialog::import::Given::default(),
            );
        }
    }
    let mut docs: Vec<Vec<u8>> = Vec::new();
    for name in [
        "html-lists.txt",
        "wrapped-pdf.txt",
        "change-list.txt",
        "lost-marks.txt",
    ] {
        docs.push(std::fs::read(fixture(name)).unwrap());
    }
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if let Ok(dir) = std::fs::read_dir(&seeds) {
        for e in dir.flatten() {
            if e.path().extension().is_some_and(|x| x == "txt") {
                docs.push(std::fs::read(e.path()).unwrap());
            }
        }
    }
    for doc in &docs {
        let step = (doc.len() / 37).max(1);
        let mut cut = 0;
        while cut < doc.len() {
            let _ = pialog::import::import(
                Path::new("cut.txt"),
                &doc[..cut],
                pialog::import::Given::default(),
            );
            // Cut lines too: keep a random subset of lines.
            cut += step;
        }
        let text = String::from_utf8_lossy(doc);
        let shuffled: String = text
            .lines()
            .filter(|_| next() % 3 != 0)
            .collect::<Vec<_>>()
            .join("\n");
        let _ = pialog::import::import(
            Path::new("holes.txt"),
            shuffled.as_bytes(),
            pialog::import::Given::default(),
        );
    }
}

/// Several documents in one run: each is written in input order and two
/// documents of the same assessment are reported; a bad one among them
/// makes the run exit 2 without writing any fact file.
#[test]
fn many_documents_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let run = |docs: &[&str], out: &Path| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pialog"));
        cmd.arg("import");
        for d in docs {
            cmd.arg(fixture(d));
        }
        cmd.arg("-o").arg(out).output().unwrap()
    };
    let bad = dir.path().join("bad");
    let output = run(
        &[
            "html-lists.txt",
            "not-assessment.txt",
            "wrapped-pdf.txt",
            "html-lists.txt",
        ],
        &bad,
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a 特定個人情報保護評価書"));
    assert!(stderr.contains("no fact file written"), "{stderr}");
    assert!(stderr.contains("not-assessment.txt`"), "{stderr}");
    assert!(!bad.exists(), "nothing is written when a document fails");

    let good = dir.path().join("good");
    let output = run(
        &["html-lists.txt", "wrapped-pdf.txt", "html-lists.txt"],
        &good,
    );
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(good.join("テスト市長-7.dl").exists());
    assert!(good.join("テスト市長-12.dl").exists());
    assert!(
        stderr.contains("are the same assessment `テスト市長/"),
        "{stderr}"
    );
    let first = stderr.find("html-lists.txt ->").unwrap();
    let second = stderr.find("wrapped-pdf.txt ->").unwrap();
    assert!(first < second, "messages follow the input order");
}

/// A document that fails leaves no output folder behind; an output path
/// that is a file is named as a file.
#[test]
fn failed_import_creates_no_folder_and_file_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.dl");
    std::fs::write(&empty, "").unwrap();
    let out = dir.path().join("impE");
    let (code, _, _) = import(&empty, &out, &[]);
    assert_eq!(code, 2);
    assert!(!out.exists(), "no folder for a run that wrote nothing");

    let file = dir.path().join("q.dl");
    std::fs::write(&file, "keep").unwrap();
    let (code, stderr, _) = import(&fixture("html-lists.txt"), &file, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("it is a file, not a folder"), "{stderr}");
    assert!(!stderr.contains("os error"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}

/// Bytes that are neither UTF-8 nor Shift_JIS are located: doc:line:col.
#[test]
fn undecodable_document_gives_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("mixed.txt");
    let mut bytes = "特定個人情報保護評価書\n評価書番号 7\nabc"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"def\n");
    std::fs::write(&doc, &bytes).unwrap();
    let out = dir.path().join("out");
    let (code, stderr, _) = import(&doc, &out, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("neither UTF-8 nor Shift_JIS"), "{stderr}");
    assert!(stderr.contains("mixed.txt:3:4"), "{stderr}");
    assert!(!out.exists());
}

/// Part II repeats its block per file: facts follow the file named at the
/// head of their block; transfers are read like provisions.
#[test]
fn two_files_and_a_transfer() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, text) = import(&fixture("two-files.txt"), dir.path(), &[]);
    assert_eq!(code, 0);
    let text = text.unwrap();
    let f = facts(&text);
    for expected in [
        r#"file("テスト村長/31", "住民情報ファイル")."#,
        r#"file("テスト村長/31", "接種記録ファイル")."#,
        r#"source("テスト村長/31", "住民情報ファイル", "subject", "")."#,
        r#"source("テスト村長/31", "接種記録ファイル", "local-gov", "他市町村")."#,
        r#"transfer("テスト村長/31", "接種記録ファイル", 1, "健康づくり課")."#,
        r#"transfer_via("テスト村長/31", 1, "internal-link", "")."#,
    ] {
        assert!(f.contains(&expected), "missing {expected}\n{text}");
    }
    assert_eq!(f.iter().filter(|l| l.starts_with("source(")).count(), 2);
}

/// Groups drawn with a different glyph for selected and unselected options
/// (●/○, ■/□) instead of boxes.
#[test]
fn different_glyphs_for_selected_options() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, text) = import(&fixture("glyphs.txt"), dir.path(), &[]);
    assert_eq!(code, 0);
    let text = text.unwrap();
    let f = facts(&text);
    let mut got: Vec<&&str> = f
        .iter()
        .filter(|l| l.starts_with("source(") || l.starts_with("acquired_via("))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            &r#"acquired_via("グリフ市長/8", "予防接種ファイル", "info-network", "")."#,
            &r#"acquired_via("グリフ市長/8", "予防接種ファイル", "paper", "")."#,
            &r#"source("グリフ市長/8", "予防接種ファイル", "local-gov", "他市町村")."#,
            &r#"source("グリフ市長/8", "予防接種ファイル", "subject", "")."#,
        ]
    );
    assert!(
        !stderr.contains("入手元"),
        "no warning for a readable group: {stderr}"
    );
}

/// The basic form rates each risk on one line, without risk headers.
#[test]
fn basic_form_risk_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, text) = import(&fixture("basic-form.txt"), dir.path(), &[]);
    assert_eq!(code, 0);
    let text = text.unwrap();
    let f = facts(&text);
    for expected in [
        r#"assessment("ベーシック町長/2", "ベーシック町長", "2", "児童手当に関する事務 基礎項目評価書", "basic")."#,
        r#"risk("ベーシック町長/2", "acquisition/1", "acquisition", "目的外の入手が行われるリスク")."#,
        r#"adequacy("ベーシック町長/2", "acquisition/1", "sufficient")."#,
        r#"risk("ベーシック町長/2", "use/2", "use", "権限のない者によって不正に使用されるリスク")."#,
        r#"adequacy("ベーシック町長/2", "use/1", "emphasized")."#,
        r#"adequacy("ベーシック町長/2", "use/2", "issues-remain")."#,
    ] {
        assert!(f.contains(&expected), "missing {expected}\n{text}");
    }
}

/// DESIGN "marks": the selected options kept the form control while the
/// others print an empty bracket; a select box shows its value inside a
/// checkbox glyph beside empty boxes.
#[test]
fn split_glyphs_mark_the_selected_options() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr, text) = import(&fixture("split-glyphs.txt"), dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let text = text.unwrap();
    let f = facts(&text);
    for expected in [
        r#"source("テスト町長/3", "健康管理ファイル", "internal", "住民課")."#,
        r#"acquired_via("テスト町長/3", "健康管理ファイル", "paper", "")."#,
        r#"acquired_via("テスト町長/3", "健康管理ファイル", "email", "")."#,
        r#"acquired_via("テスト町長/3", "健康管理ファイル", "internal-link", "")."#,
        r#"adequacy("テスト町長/3", "acquisition/1", "sufficient")."#,
        r#"choice("テスト町長/3", "audit", "self-check", "yes")."#,
        r#"choice("テスト町長/3", "audit", "internal", "yes")."#,
        r#"choice("テスト町長/3", "audit", "external", "no")."#,
    ] {
        assert!(f.contains(&expected), "missing {expected}\n{text}");
    }
    assert_eq!(f.iter().filter(|l| l.starts_with("source(")).count(), 1);
    assert_eq!(
        f.iter().filter(|l| l.starts_with("acquired_via(")).count(),
        3
    );
    assert!(!stderr.contains("no option is marked"), "{stderr}");
    assert!(!stderr.contains("監査 実施の有無"), "{stderr}");
}
