//! `pialog gen`: the synthetic corpus is deterministic, has the shape of
//! `facts/schema.dl` and the expected size.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn generate(dir: &Path, n: usize, seed: u64, format: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .args(["gen", "--assessments", &n.to_string(), "--seed"])
        .arg(seed.to_string())
        .arg("-o")
        .arg(dir)
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "gen failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Relation name -> arity, read from `.decl` lines of facts/schema.dl.
fn schema() -> BTreeMap<String, usize> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("facts/schema.dl");
    let text = std::fs::read_to_string(path).unwrap();
    let mut rels = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix(".decl ") else {
            continue;
        };
        let (name, cols) = rest.split_once('(').unwrap();
        let cols = cols.rsplit_once(')').unwrap().0;
        rels.insert(name.trim().to_string(), cols.split(',').count());
    }
    rels
}

fn read_dir_sorted(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    generate(&a, 60, 11, "both");
    generate(&b, 60, 11, "both");
    generate(&c, 60, 12, "facts");
    assert_eq!(read_dir_sorted(&a), read_dir_sorted(&b));
    assert_eq!(
        read_dir_sorted(&a.join("dl")),
        read_dir_sorted(&b.join("dl"))
    );
    assert_ne!(
        std::fs::read(a.join("measure.facts")).unwrap(),
        std::fs::read(c.join("measure.facts")).unwrap()
    );
}

#[test]
fn smaller_corpus_is_a_prefix_of_a_larger_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (small, large) = (tmp.path().join("s"), tmp.path().join("l"));
    generate(&small, 30, 5, "facts");
    generate(&large, 90, 5, "facts");
    for (name, bytes) in read_dir_sorted(&small) {
        let big = std::fs::read(large.join(&name)).unwrap();
        assert!(big.starts_with(&bytes), "{name} is not a prefix");
    }
}

#[test]
fn every_schema_relation_written_with_its_arity() {
    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path(), 200, 3, "facts");
    let rels = schema();
    assert_eq!(rels.len(), 26, "facts/schema.dl changed: {rels:?}");
    let mut counts = BTreeMap::new();
    for (name, arity) in &rels {
        let text = std::fs::read_to_string(tmp.path().join(format!("{name}.facts"))).unwrap();
        assert!(!text.is_empty(), "{name}.facts is empty");
        for (i, line) in text.lines().enumerate() {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), *arity, "{name}.facts:{}: {line}", i + 1);
            assert!(cols.iter().all(|c| !c.contains('\r')));
        }
        let distinct: std::collections::BTreeSet<&str> = text.lines().collect();
        assert_eq!(
            distinct.len(),
            text.lines().count(),
            "{name}.facts repeats a row"
        );
        counts.insert(name.clone(), text.lines().count());
    }
    // One cover row per assessment, and the proportions of the design.
    assert_eq!(counts["assessment"], 200);
    assert_eq!(counts["published"], 200);
    assert_eq!(counts["affair"], 200);
    let per = |r: &str| counts[r] as f64 / 200.0;
    assert!((2.0..=6.0).contains(&per("system")), "{counts:?}");
    assert!((1.0..=3.0).contains(&per("file")), "{counts:?}");
    assert!((8.0..=20.0).contains(&per("risk")), "{counts:?}");
    assert!(per("measure") >= per("risk") && per("measure") <= 4.0 * per("risk"));
    let total: usize = counts.values().sum();
    assert!((80 * 200..=120 * 200).contains(&total), "{total} facts");
}

#[test]
fn corpus_has_the_features_the_coverage_rules_need() {
    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path(), 300, 9, "facts");
    let read = |r: &str| std::fs::read_to_string(tmp.path().join(format!("{r}.facts"))).unwrap();
    let measures = read("measure");
    for kw in [
        "暗号",
        "アクセス権限",
        "ログ",
        "施錠",
        "専用線",
        "LGWAN",
        "研修",
        "契約",
        "監査",
        "消去",
    ] {
        assert!(measures.contains(kw), "no measure mentions {kw}");
    }
    assert!(measures.lines().any(|l| !l.contains("暗号")));
    let adequacy = read("adequacy");
    assert!(adequacy.contains("\tissues-remain\n"));
    assert!(
        read("risk").lines().count() > adequacy.lines().count(),
        "no unrated risk"
    );
    assert!(read("connects").contains("\t情報提供ネットワークシステム\n"));
    assert!(read("reentrust").contains("\tyes\n") && read("reentrust").contains("\tno\n"));
    // Vendors are shared between bodies.
    let mut bodies: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for line in read("entrusted_to").lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let body = cols[0].split('/').next().unwrap().to_string();
        bodies.entry(cols[2].to_string()).or_default().insert(body);
    }
    assert!(
        bodies.values().any(|b| b.len() >= 3),
        "no vendor shared by 3 bodies"
    );
}

#[test]
fn dl_files_one_per_assessment_with_quoted_strings() {
    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path(), 30, 2, "dl");
    let files = read_dir_sorted(&tmp.path().join("dl"));
    assert_eq!(files.len(), 30);
    let (name, bytes) = &files[0];
    assert!(name.ends_with(".dl") && !name.contains('/'));
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.lines().all(|l| l.ends_with(").")), "{text}");
    assert!(text.starts_with("assessment(\""));
    assert!(!tmp.path().join("measure.facts").exists());
}

/// A target that cannot be written (a folder where a `.facts` file goes,
/// a file given as the output folder) is named, exits 2 and leaves no
/// partial corpus behind.
#[test]
fn unwritable_target_is_named_and_leaves_no_partial_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let g5 = tmp.path().join("g5");
    std::fs::create_dir_all(g5.join("system.facts")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .args(["gen", "-n", "3", "-o"])
        .arg(&g5)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("system.facts`: it is a folder"), "{stderr}");
    let left: Vec<String> = std::fs::read_dir(&g5)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["system.facts".to_string()], "partial corpus");

    let file = tmp.path().join("f");
    std::fs::write(&file, "keep").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pialog"))
        .args(["gen", "-n", "3", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("it is a file, not a folder"), "{stderr}");
    assert!(!stderr.contains("os error"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}
