//! The shipped fact files (every `facts/*.dl`, curated corrections included)
//! parse with the project's own parser and check against `facts/schema.dl`,
//! schema first, as `pialog` loads them.

use pialog::diag::SourceMap;
use pialog::lang::ast::{Item, Program};
use pialog::lang::check::{CheckOptions, check};
use pialog::lang::parser::parse_file;
use std::path::{Path, PathBuf};

fn fact_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("facts");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("facts/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "dl"))
        .filter(|p| !p.ends_with("schema.dl"))
        .collect();
    // Imported facts first, then curated corrections (they win).
    files.sort_by_key(|p| (p.to_string_lossy().ends_with(".curated.dl"), p.clone()));
    let mut all = vec![dir.join("schema.dl")];
    all.extend(files);
    all
}

#[test]
fn shipped_facts_parse_and_check_against_the_schema() {
    let files = fact_files();
    assert!(
        files.len() >= 5,
        "schema + four seeds + a curated file: {files:?}"
    );
    let mut sources = SourceMap::new();
    let mut program = Program { items: Vec::new() };
    for path in &files {
        match parse_file(&mut sources, path) {
            Ok(p) => program.items.extend(p.items),
            Err(d) => panic!("{} does not parse:\n{}", path.display(), d.render(&sources)),
        }
    }
    if let Err(d) = check(
        &program,
        &CheckOptions {
            infer_undeclared: false,
        },
    ) {
        panic!("shipped facts do not check:\n{}", d.render(&sources));
    }
    for path in &files[1..] {
        let text = std::fs::read_to_string(path).unwrap();
        if text.contains("imported by `pialog import`") {
            assert!(
                !text.contains(".decl"),
                "{} declares relations",
                path.display()
            );
        }
    }
    assert!(
        program.items.iter().any(|i| matches!(i, Item::Retract(_))),
        "the curated example retracts a fact"
    );
}

#[test]
fn every_imported_fact_line_names_its_source_line() {
    for path in fact_files()
        .iter()
        .skip(1)
        .filter(|p| !p.to_string_lossy().ends_with(".curated.dl"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains("// unread:"), "{}", path.display());
        for line in text
            .lines()
            .filter(|l| !l.starts_with("//") && !l.is_empty())
        {
            let (_, origin) = line
                .rsplit_once(" // ")
                .unwrap_or_else(|| panic!("no provenance: {line}"));
            let (doc, no) = origin.rsplit_once(':').unwrap();
            assert!(
                doc.ends_with(".txt") && no.parse::<usize>().is_ok(),
                "{line}"
            );
        }
    }
}
