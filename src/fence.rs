//! The fence: the folders a script may read and write.
//!
//! Why: `pialog check` runs saved scripts from pull requests in CI. Without
//! a fence, `.input pw(filename="/etc/passwd")` reads any file the runner
//! can (and a failing assertion prints it into the log), `#include` quotes
//! a secret in its syntax error, and `.output`/`.export` write anywhere.
//! Under a fence, every path a script names (`.input` filename, `#include`,
//! `.output` filename, `.export` path) is resolved first (`..` and
//! symbolic links, so neither can step outside) and must lie inside one of
//! the fence's folders; anything else is an error at the directive that
//! names the path and the flag that allows it. Files named on the command
//! line are the user's own choice and are admitted by name.
//!
//! The fence is one per process, set by the command before anything is
//! read ([`install`]): it is a property of the run, like the user's
//! permissions, and every reader (parser, facts, writers) consults it.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};

static ACTIVE: RwLock<Option<Arc<Fence>>> = RwLock::new(None);

/// Folders (and single files) a run may touch.
#[derive(Clone, Debug, Default)]
pub struct Fence {
    folders: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

/// Whether a path is read or written (for the message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// `.input`, `#include`.
    Read,
    /// `.output`, `.export`.
    Write,
}

impl Fence {
    /// A fence around these folders (resolved now; a missing one admits
    /// nothing until it exists, and is resolved as far as it does).
    pub fn around<I: IntoIterator<Item = PathBuf>>(folders: I) -> Fence {
        let mut resolved: Vec<PathBuf> = Vec::new();
        for f in folders {
            let f = resolve(&f);
            if !resolved.contains(&f) {
                resolved.push(f);
            }
        }
        Fence {
            folders: resolved,
            files: Vec::new(),
        }
    }

    /// Also admits these files, by name (the scripts on the command line).
    pub fn admitting<I: IntoIterator<Item = PathBuf>>(mut self, files: I) -> Fence {
        self.files.extend(files.into_iter().map(|f| resolve(&f)));
        self
    }

    /// True when `path`, resolved, is an admitted file or lies inside one
    /// of the folders.
    pub fn admits(&self, path: &Path) -> bool {
        let real = resolve(path);
        self.files.contains(&real) || self.folders.iter().any(|f| real.starts_with(f))
    }

    /// `Ok` when admitted; otherwise the message naming the path, the
    /// fence and the flag that widens it.
    pub fn check(&self, path: &Path, access: Access) -> Result<(), String> {
        if self.admits(path) {
            return Ok(());
        }
        let real = resolve(path);
        let folder = real.parent().unwrap_or(&real);
        let verb = match access {
            Access::Read => "read",
            Access::Write => "write",
        };
        let inside: Vec<String> = self
            .folders
            .iter()
            .map(|f| format!("`{}`", f.display()))
            .collect();
        Err(format!(
            "cannot {verb} `{}`: it is outside the folders this run may use ({}); allow it with --allow-path {}",
            path.display(),
            if inside.is_empty() {
                "none".to_string()
            } else {
                inside.join(", ")
            },
            folder.display()
        ))
    }
}

/// Puts a fence around everything the process reads and writes from now
/// on (`None` lifts it).
pub fn install(fence: Option<Fence>) {
    if let Ok(mut active) = ACTIVE.write() {
        *active = fence.map(Arc::new);
    }
}

/// Checks a path against the installed fence (always `Ok` without one).
pub fn check(path: &Path, access: Access) -> Result<(), String> {
    let fence = ACTIVE.read().ok().and_then(|a| a.clone());
    match fence {
        Some(f) => f.check(path, access),
        None => Ok(()),
    }
}

/// The absolute path with symbolic links and `..` resolved as far as the
/// path exists; the rest (a file still to be written) is joined lexically.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest: Vec<Component> = Vec::new();
    let base = loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            break real;
        }
        let mut parts = existing.components();
        match parts.next_back() {
            Some(c) => {
                rest.push(c);
                existing = parts.as_path();
            }
            None => break PathBuf::from("/"),
        }
    };
    let mut out = base;
    for c in rest.into_iter().rev() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_outside_dotdot_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("kb");
        std::fs::create_dir_all(root.join("facts")).unwrap();
        std::fs::write(root.join("facts/a.facts"), "").unwrap();
        std::fs::write(dir.path().join("secret"), "").unwrap();
        let fence = Fence::around([root.clone()]);
        assert!(fence.admits(&root.join("facts/a.facts")));
        assert!(fence.admits(&root.join("new/file.csv")));
        assert!(!fence.admits(&root.join("facts/../../secret")));
        assert!(!fence.admits(&root.join("nope/../../x.csv")));
        assert!(!fence.admits(Path::new("/etc/passwd")));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret"), root.join("link")).unwrap();
            assert!(!fence.admits(&root.join("link")));
        }
        let err = fence
            .check(Path::new("/etc/passwd"), Access::Read)
            .unwrap_err();
        assert!(err.contains("--allow-path /etc"), "{err}");
        assert!(err.contains("cannot read `/etc/passwd`"), "{err}");
        let named = fence.admitting([dir.path().join("secret")]);
        assert!(named.admits(&dir.path().join("secret")));
    }

    #[test]
    fn resolve_folds_dotdot_of_missing_parts() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(resolve(&dir.path().join("a/b/../c")), real.join("a/c"));
        assert_eq!(resolve(&dir.path().join("a/../..")), real.parent().unwrap());
    }
}
