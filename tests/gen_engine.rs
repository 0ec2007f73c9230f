//! The generated corpus loads through the engine (`session::Session`, `-F`)
//! with the benchmark's coverage pack, and the engine's answers agree with
//! the same rules computed directly over the TSV files.

use pialog::bench::COVERAGE_PACK;
use pialog::r#gen::{Format, GenOptions, generate};
use pialog::session::Session;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn corpus(dir: &Path, n: usize) {
    let opts = GenOptions {
        assessments: n,
        seed: 77,
        format: Format::Facts,
    };
    generate(&opts, dir).unwrap();
}

fn evaluate(dir: &Path) -> BTreeMap<String, usize> {
    let out = tempfile::tempdir().unwrap();
    let mut s = Session::new()
        .with_fact_dir(dir.to_path_buf())
        .with_output_dir(out.path().to_path_buf());
    if let Err(d) = s.load_source("coverage.dl", COVERAGE_PACK) {
        panic!(
            "{}",
            d.0.iter()
                .map(|x| x.render(s.sources()))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    match s.evaluate() {
        Ok(o) => o.printsizes().map(|(n, c)| (n.to_string(), c)).collect(),
        Err(d) => panic!(
            "{}",
            d.0.iter()
                .map(|x| x.render(s.sources()))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn rows(dir: &Path, rel: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(dir.join(format!("{rel}.facts")))
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn coverage_pack_over_generated_corpus_matches_direct_computation() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path(), 40);
    let sizes = evaluate(tmp.path());
    assert_eq!(sizes.len(), 15, "{sizes:?}");

    // measure_class: (a, m, class) where the text contains a keyword.
    let keywords: Vec<(String, String)> = COVERAGE_PACK
        .lines()
        .filter_map(|l| l.strip_prefix("keyword(\""))
        .map(|rest| {
            let parts: Vec<&str> = rest.split('"').collect();
            (parts[0].to_string(), parts[2].to_string())
        })
        .collect();
    assert!(keywords.len() >= 20);
    let mut classes = BTreeSet::new();
    for m in rows(tmp.path(), "measure") {
        for (class, word) in &keywords {
            if m[3].contains(word.as_str()) {
                classes.insert((m[0].clone(), m[2].clone(), class.clone()));
            }
        }
    }
    assert!(!classes.is_empty());
    assert_eq!(sizes["measure_class"], classes.len());

    // unrated: risks without an adequacy row.
    let rated: BTreeSet<(String, String)> = rows(tmp.path(), "adequacy")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let unrated: BTreeSet<(String, String)> = rows(tmp.path(), "risk")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .filter(|k| !rated.contains(k))
        .collect();
    assert!(!unrated.is_empty());
    assert_eq!(sizes["unrated"], unrated.len());

    // One count row per assessment; reaches includes every connection.
    assert_eq!(sizes["lacks_per_assessment"], 40);
    assert!(sizes["reaches"] >= rows(tmp.path(), "connects").len());
    assert!(sizes["reaches_network"] > 0 && sizes["flow"] > 0);
}

#[test]
fn same_corpus_same_counts_and_prefix_grows() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    corpus(&a, 30);
    corpus(&b, 60);
    let first = evaluate(&a);
    assert_eq!(first, evaluate(&a));
    let larger = evaluate(&b);
    for (rel, n) in &first {
        assert!(larger[rel] >= *n, "{rel}: {} < {n}", larger[rel]);
    }
}

#[test]
fn dl_fact_files_load_with_the_schema_and_match_the_tsv() {
    let tmp = tempfile::tempdir().unwrap();
    let opts = GenOptions {
        assessments: 12,
        seed: 4,
        format: Format::Both,
    };
    generate(&opts, tmp.path()).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut s = Session::new().with_output_dir(tmp.path().to_path_buf());
    s.load_file(&root.join("facts/schema.dl")).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(tmp.path().join("dl"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 12);
    for f in &files {
        if let Err(d) = s.load_file(f) {
            panic!(
                "{}",
                d.0.iter()
                    .map(|x| x.render(s.sources()))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
    s.evaluate().unwrap();
    for rel in pialog::r#gen::Rel::ALL {
        let tsv = rows(tmp.path(), rel.name()).len();
        assert_eq!(s.relation_len(rel.name()), Some(tsv), "{}", rel.name());
    }
}
