//! Opening a session on the knowledge base, shared by every command.
//!
//! A command named with FILES loads exactly those; without, it loads
//! [`super::default_files`] of `--root` (the current folder by default).
//! Errors come back rendered (with carets, against the session's own source
//! map), ready to print, because every caller prints them the same way.

use super::{default_files, folder_files};
use crate::session::Session;
use std::path::{Path, PathBuf};

/// Where the knowledge base lives; flattened into the commands that load it.
#[derive(clap::Args, Debug, Clone)]
pub struct KbArgs {
    /// Project root whose facts/ and queries/std.dl are loaded when no files
    /// are named (`--kb DIR` says the same).
    #[arg(long, visible_alias = "kb", value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// The files to load: the named ones, or the knowledge base of `root`
/// (a folder of fact files without the project layout loads too).
pub fn files_to_load(files: &[PathBuf], root: &Path) -> Result<Vec<PathBuf>, String> {
    let render = |d: crate::diag::Diagnostic| d.render(&Default::default());
    if !files.is_empty() {
        return Ok(files.to_vec());
    }
    // The current folder must have the layout (its message says how).
    let layout = root == Path::new(".") || root.join(super::FACTS_DIR).is_dir() || !root.is_dir();
    if layout {
        default_files(root)
    } else {
        folder_files(root)
    }
    .map_err(render)
}

/// [`files_to_load`] where a named folder stands for its files (see
/// [`folder_files`]): `pialog repl DIR`.
pub fn files_or_folders(files: &[PathBuf], root: &Path) -> Result<Vec<PathBuf>, String> {
    let render = |d: crate::diag::Diagnostic| d.render(&Default::default());
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        if f.is_dir() {
            out.extend(folder_files(f).map_err(render)?);
        } else {
            out.push(f.clone());
        }
    }
    files_to_load(&out, root)
}

/// Loads files into a session (nothing evaluated yet), as one program
/// checked once; fact files are read in parallel straight into rows (see
/// [`Session::load_files`]).
pub fn load(session: &mut Session, files: &[PathBuf]) -> Result<(), String> {
    session
        .load_files(files)
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
