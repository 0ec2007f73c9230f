//! The cover page of real assessments of other bodies, in every layout of
//! `../shared/seeds/real-covers/`, against the careful reading in its
//! `gold.tsv` (skipped when ../shared is absent); and what an import does
//! with the body and number a cover gives (ids, --org, --id).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use unicode_normalization::UnicodeNormalization;

fn covers() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/real-covers");
    if dir.join("gold.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!("note: ../shared/seeds/real-covers is absent; cover tests skipped");
        None
    }
}

fn pialog(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Values compared as the scorer does: NFKC, no whitespace.
fn norm(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// The string arguments of a fact line after the id: `rel("id", "a", 1, "b")`.
fn fact(line: &str) -> Option<(String, Vec<String>)> {
    let open = line.find('(')?;
    let rel = line[..open].to_string();
    let mut args = Vec::new();
    let mut chars = line[open + 1..].chars();
    let (mut cur, mut quoted) = (String::new(), false);
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => cur.extend(chars.next()),
            '"' => quoted = !quoted,
            ',' | ')' if !quoted => {
                args.push(cur.trim().to_string());
                cur.clear();
                if c == ')' {
                    break;
                }
            }
            c => cur.push(c),
        }
    }
    args.remove(0);
    Some((rel, args))
}

/// Facts of the relations in `rels` written into `dir`, normalised.
fn read_facts(dir: &Path, rels: &[&str]) -> BTreeSet<(String, Vec<String>)> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines().filter(|l| !l.starts_with("//")) {
            if let Some((rel, args)) = fact(line)
                && rels.contains(&rel.as_str())
            {
                out.insert((rel, args.iter().map(|a| norm(a)).collect()));
            }
        }
    }
    out
}

#[test]
fn real_covers_read_as_the_gold_says() {
    let Some(dir) = covers() else { return };
    let gold = std::fs::read_to_string(dir.join("gold.tsv")).unwrap();
    let mut expected: std::collections::BTreeMap<String, BTreeSet<(String, Vec<String>)>> =
        Default::default();
    for line in gold
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let vals = cols[2..].iter().map(|v| norm(v)).collect();
        expected
            .entry(cols[0].to_string())
            .or_default()
            .insert((cols[1].to_string(), vals));
    }
    assert!(expected.len() >= 12, "gold lists the covers");
    let rels = ["assessment", "published", "affair", "form"];
    let mut wrong = Vec::new();
    for (file, want) in &expected {
        let out = tempfile::tempdir().unwrap();
        let doc = dir.join(file);
        let (code, stderr) = pialog(&[
            "import",
            doc.to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{file}: {stderr}");
        let got = read_facts(out.path(), &rels);
        if &got != want {
            wrong.push(format!(
                "{file}:\n  missing {:?}\n  extra {:?}",
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(want).collect::<Vec<_>>()
            ));
        }
        // What the cover lacks is said, as an unread fact of the cover.
        if !want.iter().any(|(r, _)| r == "published") {
            let unread = read_facts(out.path(), &["unread"]);
            assert!(
                unread
                    .iter()
                    .any(|(_, a)| a[0] == "cover" && a[2].contains("公表日")),
                "{file}: no unread fact for the missing 公表日: {unread:?}"
            );
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn a_cover(org: &str, number: &str) -> String {
    format!(
        "特定個人情報保護評価書(基礎項目評価書)\n評価書番号\n{number}\n評価書名\n住民基本台帳に関する事務 基礎項目評価書\n評価実施機関名\n{org}\n公表日\n令和2年4月1日\n[平成30年5月 様式2]\n"
    )
}

#[test]
fn two_bodies_that_would_share_an_id_are_refused_and_nothing_is_written() {
    let docs = tempfile::tempdir().unwrap();
    let a = write(docs.path(), "a.txt", &a_cover("北海道伊達市長", "1"));
    let b = write(docs.path(), "b.txt", &a_cover("福島県伊達市長", "1"));
    let out = docs.path().join("out");
    let (code, stderr) = pialog(&["import", &a, &b, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("伊達市長/1"), "{stderr}");
    assert!(stderr.contains("--id"), "{stderr}");
    assert!(
        stderr.contains("b.txt:7"),
        "located at the second cover's body: {stderr}"
    );
    assert!(!out.exists(), "nothing written");
    // Settled with --id, one document at a time.
    let (code, stderr) = pialog(&[
        "import",
        &b,
        "-o",
        out.to_str().unwrap(),
        "--id",
        "福島県伊達市長/1",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.join("福島県伊達市長-1.dl").is_file());
}

#[test]
fn a_prefectures_own_body_keeps_its_prefecture_and_a_first_page_says_the_rest_is_absent() {
    let docs = tempfile::tempdir().unwrap();
    let a = write(docs.path(), "a.txt", &a_cover("兵庫県教育委員会", "3"));
    let out = docs.path().join("out");
    let (code, stderr) = pialog(&["import", &a, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let facts = std::fs::read_to_string(out.join("兵庫県教育委員会-3.dl")).unwrap();
    assert!(
        facts.contains("assessment(\"兵庫県教育委員会/3\", \"兵庫県教育委員会\", \"3\""),
        "{facts}"
    );
    assert!(
        facts.contains("form(\"兵庫県教育委員会/3\", \"平成30年5月 様式2\")"),
        "{facts}"
    );
    assert!(
        facts.contains("unread(\"兵庫県教育委員会/3\", \"リスク対策\", 0, \"リスク対策: absent"),
        "{facts}"
    );
}

#[test]
fn a_change_list_alone_becomes_an_assessment_with_org() {
    let docs = tempfile::tempdir().unwrap();
    let a = write(
        docs.path(),
        "changes.txt",
        "(別添2) 変更箇所\n変更日\t項目\t変更前の記載\t変更後の記載\t提出時期\t提出時期に係る説明\n令和6年11月19日\tI 基本情報\t旧\t新\t事後\t\n",
    );
    let out = docs.path().join("out");
    let (code, stderr) = pialog(&[
        "import",
        &a,
        "-o",
        out.to_str().unwrap(),
        "--org",
        "熊谷市長",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let facts = std::fs::read_to_string(out.join("熊谷市長-changes.dl")).unwrap();
    assert!(
        facts.contains("assessment(\"熊谷市長/changes\", \"熊谷市長\", \"\", \"\", \"\")"),
        "{facts}"
    );
    assert!(
        facts.contains("change(\"熊谷市長/changes\", 1, \"2024-11-19\""),
        "{facts}"
    );
    let (code, stderr) = pialog(&["import", &a, &a, "-o", out.to_str().unwrap(), "--org", "x"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("only be given with one document"),
        "{stderr}"
    );
}

#[test]
fn a_folder_imports_its_documents_and_one_bad_document_writes_nothing() {
    let docs = tempfile::tempdir().unwrap();
    write(docs.path(), "a.txt", &a_cover("那賀町長", "1"));
    write(docs.path(), "b.txt", &a_cover("小平市長", "1"));
    write(docs.path(), "notes.pdf", "not a document of the folder");
    let out = docs.path().join("out");
    let dir = docs.path().to_str().unwrap();
    let (code, stderr) = pialog(&["import", dir, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.join("那賀町長-1.dl").is_file() && out.join("小平市長-1.dl").is_file());
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::write(docs.path().join("c.txt"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let (code, stderr) = pialog(&["import", dir, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("c.txt"), "{stderr}");
    assert!(!out.exists(), "nothing written");
    let empty = tempfile::tempdir().unwrap();
    let (code, stderr) = pialog(&["import", empty.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("holds no documents"), "{stderr}");
}
