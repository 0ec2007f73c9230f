//! The shipped knowledge base: which files a command loads when the user
//! names none, and where a fact came from.
//!
//! Every command without FILES loads the same list ([`default_files`]): the
//! schema of the assessment relations, the imported fact files, the curated
//! corrections (last, so their retractions see every imported fact), and the
//! standard derived relations of `queries/std.dl`. [`provenance()`] turns the
//! span of a fact into the fact file line and the document line the importer
//! noted in its trailing `// doc.txt:123` comment, so an answer can be traced
//! back to the page.

pub mod load;
pub mod overview;
pub mod provenance;
pub mod values;
pub mod views;

/// The phase codes of the fact contract (DESIGN "Phases") in the order the
/// form prints them; readers and writers that need the form order share it.
pub const PHASES: [&str; 7] = [
    "acquisition",
    "use",
    "entrustment",
    "provision",
    "network",
    "storage",
    "other",
];

pub use provenance::{Provenance, provenance};

use crate::diag::Diagnostic;
use std::path::{Path, PathBuf};

/// Folder of fact files under the project root.
pub const FACTS_DIR: &str = "facts";
/// The schema file, always loaded first.
pub const SCHEMA_FILE: &str = "schema.dl";
/// The standard derived relations, always loaded last.
pub const STD_FILE: &str = "queries/std.dl";
/// Suffix of hand-written corrections, loaded after every imported file.
pub const CURATED_SUFFIX: &str = ".curated.dl";

/// The files every command loads when none are given, in load order:
/// `facts/schema.dl`, every other `facts/*.dl` sorted by name (not the
/// curated ones), then `facts/*.curated.dl` sorted, then `queries/std.dl`.
/// A missing schema or std file is an error that says where it looked.
pub fn default_files(root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    // `facts/x.dl` reads better in messages than `./facts/x.dl`.
    let root = if root == Path::new(".") {
        Path::new("")
    } else {
        root
    };
    let facts = root.join(FACTS_DIR);
    let schema = facts.join(SCHEMA_FILE);
    if !schema.is_file() {
        return Err(Diagnostic::at_file(
            format!(
                "cannot read {}: not found (run pialog from the project root, pass --root DIR, or name the files to load)",
                schema.display()
            ),
            &schema,
        ));
    }
    let (imported, curated) = fact_files(&facts)?;
    let std = root.join(STD_FILE);
    if !std.is_file() {
        return Err(Diagnostic::at_file(
            format!("cannot read {}: not found", std.display()),
            &std,
        ));
    }
    let mut files = vec![schema];
    files.extend(imported);
    files.extend(curated);
    files.push(std);
    Ok(files)
}

/// The `.dl` files of a folder other than `schema.dl`, sorted by name:
/// imported ones, then curated ones (`*.curated.dl`).
fn fact_files(facts: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Diagnostic> {
    let listed = if facts.as_os_str().is_empty() {
        Path::new(".")
    } else {
        facts
    };
    let fail = |e: std::io::Error| {
        Diagnostic::at_file(format!("cannot read {}: {e}", facts.display()), facts)
    };
    let mut imported = Vec::new();
    let mut curated = Vec::new();
    for entry in std::fs::read_dir(listed).map_err(fail)? {
        let path = entry.map_err(fail)?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name == SCHEMA_FILE || !name.ends_with(".dl") || !path.is_file() {
            continue;
        }
        if name.ends_with(CURATED_SUFFIX) {
            curated.push(path);
        } else {
            imported.push(path);
        }
    }
    imported.sort();
    curated.sort();
    Ok((imported, curated))
}

/// The files of a folder named where files are expected (`pialog repl
/// DIR`): a project root with `facts/schema.dl` loads as the knowledge
/// base ([`default_files`]); any other folder loads its `.dl` files in the
/// same order (`schema.dl` first when there is one, curated files last).
pub fn folder_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.join(FACTS_DIR).join(SCHEMA_FILE).is_file() {
        return default_files(dir);
    }
    let (imported, curated) = fact_files(dir)?;
    let schema = dir.join(SCHEMA_FILE);
    let mut files: Vec<PathBuf> = schema.is_file().then_some(schema).into_iter().collect();
    files.extend(imported);
    files.extend(curated);
    if files.is_empty() {
        return Err(Diagnostic::at_file(
            format!(
                "cannot read `{}`: the folder has no .dl files and no facts/schema.dl",
                dir.display()
            ),
            dir,
        ));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_schema_imported_curated_std() {
        let dir = tempfile::tempdir().unwrap();
        let facts = dir.path().join("facts");
        std::fs::create_dir_all(&facts).unwrap();
        std::fs::create_dir_all(dir.path().join("queries")).unwrap();
        for name in [
            "zz.curated.dl",
            "b.dl",
            "schema.dl",
            "a.dl",
            "notes.txt",
            "a.curated.dl",
        ] {
            std::fs::write(facts.join(name), "").unwrap();
        }
        std::fs::write(dir.path().join("queries/std.dl"), "").unwrap();
        let names: Vec<String> = default_files(dir.path())
            .unwrap()
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "facts/schema.dl",
                "facts/a.dl",
                "facts/b.dl",
                "facts/a.curated.dl",
                "facts/zz.curated.dl",
                "queries/std.dl"
            ]
        );
    }

    #[test]
    fn folders_load_as_knowledge_bases_or_fact_folders() {
        let dir = tempfile::tempdir().unwrap();
        let facts = dir.path().join("facts");
        std::fs::create_dir_all(&facts).unwrap();
        std::fs::create_dir_all(dir.path().join("queries")).unwrap();
        for name in ["b.dl", "schema.dl", "a.curated.dl", "a.dl"] {
            std::fs::write(facts.join(name), "").unwrap();
        }
        std::fs::write(dir.path().join("queries/std.dl"), "").unwrap();
        let root = folder_files(dir.path()).unwrap();
        assert_eq!(root.len(), 5);
        assert!(root[4].ends_with("queries/std.dl"));
        let names: Vec<_> = folder_files(&facts)
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["schema.dl", "a.dl", "b.dl", "a.curated.dl"]);
        let empty = dir.path().join("queries/none");
        std::fs::create_dir_all(&empty).unwrap();
        assert!(
            folder_files(&empty)
                .unwrap_err()
                .message
                .contains("no .dl files")
        );
    }

    #[test]
    fn missing_schema_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let err = default_files(dir.path()).unwrap_err();
        assert!(err.message.contains("cannot read"));
        assert!(err.message.contains("schema.dl"));
    }
}
