//! Opening a session on the knowledge base, shared by every command.
//!
//! A command named with FILES loads exactly those; without, it loads
//! [`super::default_files`] of `--root` (the current folder by default).
//! Errors come back as diagnostics, rendered by the caller where it prints
//! them: a failed [`open_evaluated`] hands back the source map they point
//! into with them ([`LoadError`]), since its session is gone.

use super::{default_files, folder_files};
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::session::Session;
use std::path::{Path, PathBuf};

/// Why a session on the knowledge base could not be opened: the
/// diagnostics and the program texts they point into. Its `Display` is the
/// rendered text (with carets), what every command prints.
#[derive(Debug)]
pub struct LoadError {
    /// What went wrong, with spans.
    pub diagnostics: Diagnostics,
    /// The texts loaded, to render the spans against.
    pub sources: SourceMap,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostics.render(&self.sources))
    }
}

impl std::error::Error for LoadError {}

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
/// Its errors name files and folders only (no spans).
pub fn files_to_load(files: &[PathBuf], root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
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
}

/// [`files_to_load`] where a named folder stands for its files (see
/// [`folder_files`]): `pialog repl DIR`.
pub fn files_or_folders(files: &[PathBuf], root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        if f.is_dir() {
            out.extend(folder_files(f)?);
        } else {
            out.push(f.clone());
        }
    }
    files_to_load(&out, root)
}

/// Loads files into a session (nothing evaluated yet), as one program
/// checked once; fact files are read in parallel straight into rows (see
/// [`Session::load_files`]). Errors point into `session.sources()`.
pub fn load(session: &mut Session, files: &[PathBuf]) -> Result<(), Diagnostics> {
    session.load_files(files)
}

/// A session with the named files (or the knowledge base) loaded and
/// evaluated: what `export`, `graph` and `matrix` read relations from.
pub fn open_evaluated(files: &[PathBuf], root: &Path) -> Result<Session, LoadError> {
    let files = files_to_load(files, root).map_err(|d| LoadError {
        diagnostics: d.into(),
        sources: SourceMap::new(),
    })?;
    // These commands write one thing, where the user asked; the `.output`
    // directives of the loaded files are not theirs to carry out (with
    // `-` they are only collected, and then dropped).
    let mut session = Session::new().with_output_dir(PathBuf::from("-"));
    match load(&mut session, &files).and_then(|()| session.evaluate()) {
        Ok(_) => Ok(session),
        Err(diagnostics) => Err(LoadError {
            diagnostics,
            sources: session.into_sources(),
        }),
    }
}
