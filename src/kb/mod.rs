//! The shipped knowledge base: which files a command loads when the user
//! names none, and where a fact came from.
//!
//! Every command without FILES loads the same list ([`default_files`]): the
//! schema of the assessment relations, the imported fact files, the curated
//! corrections (last, so their retractions see every imported fact), and the
//! standard derived relations of `queries/std.dl`. [`provenance`] turns the
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
    let listed = if facts.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &facts
    };
    let entries = std::fs::read_dir(listed).map_err(|e| {
        Diagnostic::at_file(format!("cannot read {}: {e}", facts.display()), &facts)
    })?;
    let mut imported = Vec::new();
    let mut curated = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| {
            Diagnostic::at_file(format!("cannot read {}: {e}", facts.display()), &facts)
        })?;
        let path = entry.path();
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
    fn missing_schema_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let err = default_files(dir.path()).unwrap_err();
        assert!(err.message.contains("cannot read"));
        assert!(err.message.contains("schema.dl"));
    }
}
