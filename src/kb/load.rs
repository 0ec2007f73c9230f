//! Opening a session on the knowledge base, shared by every command.
//!
//! A command named with FILES loads exactly those; without, it loads
//! [`super::default_files`] of `--root` (the current folder by default).
//! Errors come back rendered (with carets, against the session's own source
//! map), ready to print, because every caller prints them the same way.

use super::default_files;
use crate::session::Session;
use std::path::{Path, PathBuf};

/// Where the knowledge base lives; flattened into the commands that load it.
#[derive(clap::Args, Debug, Clone)]
pub struct KbArgs {
    /// Project root whose facts/ and queries/std.dl are loaded when no files
    /// are named.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// The files to load: the named ones, or the knowledge base of `root`.
pub fn files_to_load(files: &[PathBuf], root: &Path) -> Result<Vec<PathBuf>, String> {
    if files.is_empty() {
        default_files(root).map_err(|d| d.render(&Default::default()))
    } else {
        Ok(files.to_vec())
    }
}

/// Loads files into a session (nothing evaluated yet).
///
/// Several files are loaded as one program of `#include` lines, so the
/// whole knowledge base is parsed and checked once: loading file after file
/// would check everything loaded so far again for each of thousands of
/// assessment files.
pub fn load(session: &mut Session, files: &[PathBuf]) -> Result<(), String> {
    if let [file] = files {
        return session
            .load_file(file)
            .map_err(|d| d.render(session.sources()));
    }
    let mut text = String::new();
    for file in files {
        let path = file.to_string_lossy();
        text.push_str(&format!(
            "#include \"{}\"\n",
            path.replace('\\', "\\\\").replace('"', "\\\"")
        ));
    }
    session
        .load_source("<knowledge base>", &text)
        .map(|_| ())
        .map_err(|d| d.render(session.sources()))
}

/// A session with the named files (or the knowledge base) loaded and
/// evaluated: what `export`, `graph` and `matrix` read relations from.
pub fn open_evaluated(files: &[PathBuf], root: &Path) -> Result<Session, String> {
    let files = files_to_load(files, root)?;
    // These commands write one thing, where the user asked; the `.output`
    // directives of the loaded files are not theirs to carry out (with
    // `-` they are only collected, and then dropped).
    let mut session = Session::new().with_output_dir(PathBuf::from("-"));
    load(&mut session, &files)?;
    session
        .evaluate()
        .map_err(|d| d.render(session.sources()))?;
    Ok(session)
}
