//! All-or-nothing output: every file a command writes (`.output`,
//! `.export`, `-o`, `--junit`) appears whole, and either all of them change
//! or none does.
//!
//! Why: a CI job or a spreadsheet user reads the outputs of a run together;
//! an exit 2 after some targets were replaced and others not leaves a
//! mixture no one asked for. So a run first *stages* each output in a
//! temporary file beside its target (same folder, so the final rename is
//! atomic and never copies), and only when every one is complete does
//! [`Transaction::commit`] rename them into place. A rename that fails
//! half-way (a name too long for the file system, a folder made read-only
//! meanwhile) puts back what the earlier renames replaced.
//!
//! Temporary files are named `.pialog-<pid>-<random>.tmp` so they can be
//! recognised: SIGINT and SIGTERM remove the live ones of this process
//! ([`clean_up_on_signals`]), and the next run into the same folder removes
//! those of processes that no longer exist (SIGKILL, a power cut).

use crate::diag::Diagnostic;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// Start of every temporary name; followed by the process id.
const PREFIX: &str = ".pialog-";
/// End of a staged output's temporary name.
const STAGED: &str = ".tmp";
/// End of a replaced target's copy kept until the commit is done.
const BACKUP: &str = ".bak";
/// Longest file name most file systems accept (bytes).
const NAME_MAX: usize = 255;

/// Temporary files of this process that exist right now. The commit holds
/// the lock while it renames, so a signal arriving then waits for a
/// consistent state before cleaning up.
static LIVE: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();

fn live() -> MutexGuard<'static, HashSet<PathBuf>> {
    let m = LIVE.get_or_init(|| Mutex::new(HashSet::new()));
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every live temporary file of this process (the fatal paths:
/// a signal, out of memory). With `wait` false it gives up rather than
/// wait for a commit that holds the lock (a caller that must not block,
/// such as the allocator's out-of-memory exit).
pub fn remove_live_files(wait: bool) {
    let Some(m) = LIVE.get() else {
        return;
    };
    let guard = if wait {
        Some(m.lock().unwrap_or_else(|e| e.into_inner()))
    } else {
        m.try_lock().ok()
    };
    if let Some(mut files) = guard {
        for path in files.iter() {
            let _ = std::fs::remove_file(path);
        }
        files.clear();
    }
}

/// Installs handlers so that SIGINT and SIGTERM remove this process's
/// temporary files before it dies of the signal as it would have (exit
/// status and all). Commands that write files call it first; the REPL,
/// which uses Ctrl-C to stop a statement, does not.
pub fn clean_up_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        static ONCE: OnceLock<()> = OnceLock::new();
        ONCE.get_or_init(|| {
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    remove_live_files(true);
                    let _ = signal_hook::low_level::emulate_default_handler(sig);
                    std::process::exit(128 + sig);
                }
            });
        });
    }
}

/// One output waiting for the commit.
enum Staged {
    /// A regular file (existing or not) written to `tmp` beside it.
    File {
        /// The path as the user named it (for messages).
        shown: PathBuf,
        /// What asked for it (`asked for by the .output at p.dl:3:1`),
        /// noted on an error.
        origin: Option<String>,
        /// The file the rename replaces (a symbolic link is followed, so
        /// the link stays and its target changes).
        real: PathBuf,
        tmp: PathBuf,
    },
    /// A device or pipe (`/dev/stdout`, a FIFO): written in place, before
    /// any rename, since renaming over it would replace the device.
    Stream {
        path: PathBuf,
        bytes: Vec<u8>,
        origin: Option<String>,
    },
}

/// A set of outputs that become visible together or not at all.
#[derive(Default)]
pub struct Transaction {
    staged: Vec<Staged>,
}

impl std::fmt::Debug for Transaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Transaction({} outputs)", self.staged.len())
    }
}

impl Transaction {
    /// An empty transaction.
    pub fn new() -> Transaction {
        Transaction::default()
    }

    /// Number of outputs staged.
    pub fn len(&self) -> usize {
        self.staged.len()
    }

    /// True when nothing is staged.
    pub fn is_empty(&self) -> bool {
        self.staged.is_empty()
    }

    /// The targets, as the user named them, in staging order.
    pub fn targets(&self) -> Vec<PathBuf> {
        self.staged
            .iter()
            .map(|s| match s {
                Staged::File { shown, .. } => shown.clone(),
                Staged::Stream { path, .. } => path.clone(),
            })
            .collect()
    }

    /// Writes `bytes` for `path` now (into a temporary file beside it,
    /// flushed to disk), so that a full disk or a bad folder fails before
    /// anything is replaced. Staging the same path twice keeps the later.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.stage_for(path, bytes, None)
    }

    /// [`Transaction::stage`] for an output a directive asked for: errors,
    /// now or at the commit, carry `origin` as a note (a string, since a
    /// transaction outlives the session whose sources could render a span).
    pub fn stage_for(
        &mut self,
        path: &Path,
        bytes: &[u8],
        origin: Option<String>,
    ) -> Result<(), Diagnostic> {
        check_target(path).map_err(|d| noted(d, &origin))?;
        let staged = match target_of(path) {
            Target::Stream => Staged::Stream {
                path: path.to_path_buf(),
                bytes: bytes.to_vec(),
                origin,
            },
            Target::File(real) => {
                sweep_stale(folder_of(&real));
                let tmp = stage_file(path, &real, bytes).map_err(|d| noted(d, &origin))?;
                Staged::File {
                    shown: path.to_path_buf(),
                    origin,
                    real,
                    tmp,
                }
            }
        };
        self.discard_target(path);
        self.staged.push(staged);
        Ok(())
    }

    /// Moves everything staged in `other` into this transaction.
    pub fn absorb(&mut self, mut other: Transaction) {
        for s in std::mem::take(&mut other.staged) {
            let shown = match &s {
                Staged::File { shown, .. } => shown.clone(),
                Staged::Stream { path, .. } => path.clone(),
            };
            self.discard_target(&shown);
            self.staged.push(s);
        }
    }

    fn discard_target(&mut self, path: &Path) {
        self.staged.retain(|s| match s {
            Staged::File { shown, tmp, .. } if shown == path => {
                forget(tmp);
                false
            }
            Staged::Stream { path: p, .. } => p != path,
            _ => true,
        });
    }

    /// Makes every staged output visible: streams are written first (a
    /// failing one stops the commit before any file changes), then the
    /// files are renamed into place; if a rename fails, the targets
    /// replaced so far get their old contents back (or disappear, if they
    /// did not exist) and the error names the file that failed.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, Diagnostic> {
        let staged = std::mem::take(&mut self.staged);
        let mut written = Vec::with_capacity(staged.len());
        let mut files = Vec::new();
        for s in staged {
            match s {
                Staged::Stream {
                    path,
                    bytes,
                    origin,
                } => {
                    if let Err(e) = std::fs::write(&path, &bytes) {
                        for f in &files {
                            if let Staged::File { tmp, .. } = f {
                                forget(tmp);
                            }
                        }
                        return Err(noted(write_error(&path, "write failed", e), &origin));
                    }
                    written.push(path);
                }
                file => files.push(file),
            }
        }
        let mut registry = live();
        let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        let mut failure = None;
        let mut rest = files.into_iter();
        for s in rest.by_ref() {
            let Staged::File {
                shown,
                real,
                tmp,
                origin,
            } = s
            else {
                continue;
            };
            let backup = match keep_old(&real) {
                Ok(b) => b,
                Err(e) => {
                    failure = Some((shown, "cannot keep the old file", e, tmp, origin));
                    break;
                }
            };
            if let Some(b) = &backup {
                registry.insert(b.clone());
            }
            match std::fs::rename(&tmp, &real) {
                Ok(()) => {
                    registry.remove(&tmp);
                    done.push((real, backup));
                    written.push(shown);
                }
                Err(e) => {
                    if let Some(b) = backup {
                        let _ = std::fs::remove_file(&b);
                        registry.remove(&b);
                    }
                    failure = Some((shown, "rename failed", e, tmp, origin));
                    break;
                }
            }
        }
        match failure {
            None => {
                for (_, backup) in done {
                    if let Some(b) = backup {
                        let _ = std::fs::remove_file(&b);
                        registry.remove(&b);
                    }
                }
                Ok(written)
            }
            Some((shown, what, err, tmp, origin)) => {
                // Undo in reverse order, then drop what was never renamed.
                for (real, backup) in done.into_iter().rev() {
                    match backup {
                        Some(b) => {
                            let _ = std::fs::rename(&b, &real);
                            registry.remove(&b);
                        }
                        None => {
                            let _ = std::fs::remove_file(&real);
                        }
                    }
                }
                let _ = std::fs::remove_file(&tmp);
                registry.remove(&tmp);
                for s in rest {
                    if let Staged::File { tmp, .. } = s {
                        let _ = std::fs::remove_file(&tmp);
                        registry.remove(&tmp);
                    }
                }
                Err(noted(write_error(&shown, what, err), &origin))
            }
        }
    }
}

impl Drop for Transaction {
    /// A transaction dropped without a commit (an error elsewhere) leaves
    /// no temporary file behind.
    fn drop(&mut self) {
        for s in self.staged.drain(..) {
            if let Staged::File { tmp, .. } = s {
                forget(&tmp);
            }
        }
    }
}

/// An error about a file with a note on what asked for it.
fn noted(d: Diagnostic, origin: &Option<String>) -> Diagnostic {
    match origin {
        Some(note) => d.with_note(note.clone()),
        None => d,
    }
}

/// Removes a temporary file and its registration.
fn forget(tmp: &Path) {
    let _ = std::fs::remove_file(tmp);
    live().remove(tmp);
}

/// A hard link to the file a rename is about to replace (a copy where the
/// file system has no hard links), so that a failed commit can put it
/// back; `None` when there is no file there yet.
fn keep_old(real: &Path) -> std::io::Result<Option<PathBuf>> {
    match std::fs::symlink_metadata(real) {
        Ok(m) if m.is_file() => {}
        _ => return Ok(None),
    }
    let backup = temp_name(folder_of(real), BACKUP);
    if std::fs::hard_link(real, &backup).is_err() {
        std::fs::copy(real, &backup)?;
    }
    Ok(Some(backup))
}

/// A fresh recognisable temporary name in `dir` (not created).
fn temp_name(dir: &Path, suffix: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    dir.join(format!(
        "{PREFIX}{}-{n:x}{nanos:x}{suffix}",
        std::process::id()
    ))
}

/// The folder a path's file is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes the temporary file for `real`, flushed to disk, with the
/// permissions a plain write would give (the old file's, or rw-r--r--).
fn stage_file(shown: &Path, real: &Path, bytes: &[u8]) -> Result<PathBuf, Diagnostic> {
    let fail = |what: &str, err: std::io::Error| write_error(shown, what, err);
    let dir = folder_of(real);
    let mut registry = live();
    let (tmp, mut file) = loop {
        let tmp = temp_name(dir, STAGED);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(fail("cannot create a file in its folder", e)),
        }
    };
    registry.insert(tmp.clone());
    drop(registry);
    let result = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| fail("write failed", e));
    #[cfg(unix)]
    let result = result.and_then(|()| {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(real)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o644);
        file.set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| fail("cannot set permissions", e))
    });
    drop(file);
    match result {
        Ok(()) => Ok(tmp),
        Err(d) => {
            forget(&tmp);
            Err(d)
        }
    }
}

/// Removes temporary files that processes which no longer run left in
/// `dir` (once per folder and process).
fn sweep_stale(dir: &Path) {
    static SWEPT: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    {
        let mut swept = SWEPT
            .get_or_init(|| Mutex::new(HashSet::new()))
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if !swept.insert(key) {
            return;
        }
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(stale_pid) else {
            continue;
        };
        if pid != me && !process_exists(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in one of our temporary names, `None` for any other name.
fn stale_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?;
    if !(rest.ends_with(STAGED) || rest.ends_with(BACKUP)) {
        return None;
    }
    let (pid, tail) = rest.split_once('-')?;
    if tail.len() <= 4
        || !tail[..tail.len() - 4]
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    pid.parse().ok()
}

/// Whether a process of this id runs (where that cannot be told, it is
/// assumed to run, so nothing of a live process is ever removed).
fn process_exists(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// What a path names when we write to it.
enum Target {
    /// A regular file, existing or not, at this real path.
    File(PathBuf),
    /// A device, pipe or socket: written in place.
    Stream,
}

fn target_of(path: &Path) -> Target {
    let real = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    };
    match std::fs::metadata(&real) {
        Ok(m) if !m.is_file() && !m.is_dir() => Target::Stream,
        _ => Target::File(real),
    }
}

/// The message for a failed write: the path the user named, what failed,
/// and the system's reason.
fn write_error(path: &Path, what: &str, err: std::io::Error) -> Diagnostic {
    Diagnostic::at_file(
        format!("cannot write `{}`: {what}: {err}", path.display()),
        path,
    )
}

/// Fails when `path` cannot be a file we write: it names no file, it is a
/// folder, its name is too long, or its folder is missing or is a file.
/// Commands call it before long work so that a mistyped `-o` fails at
/// once; [`Transaction::stage`] calls it too.
pub fn check_target(path: &Path) -> Result<(), Diagnostic> {
    let text = path.to_string_lossy();
    let fail = |why: String| Diagnostic::at_file(format!("cannot write `{text}`: {why}"), path);
    let Some(name) = path.file_name() else {
        return Err(fail("the path names no file".into()));
    };
    if text.ends_with(std::path::MAIN_SEPARATOR) {
        return Err(fail("the path names no file".into()));
    }
    if name.len() > NAME_MAX {
        return Err(fail(format!(
            "the file name is {} bytes long; file systems allow {NAME_MAX}",
            name.len()
        )));
    }
    if path.is_dir() {
        return Err(fail("it is a folder".into()));
    }
    let dir = folder_of(path);
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(fail(format!("`{}` is not a folder", dir.display()))),
        Err(_) => Err(fail(format!(
            "the folder `{}` does not exist",
            dir.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn commit_writes_all_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        std::fs::write(&a, "old").unwrap();
        let mut t = Transaction::new();
        t.stage(&a, b"new a").unwrap();
        t.stage(&b, b"new b").unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old");
        assert_eq!(t.commit().unwrap(), vec![a.clone(), b.clone()]);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new b");
        assert_eq!(names(dir.path()), vec!["a.csv", "b.csv"]);
    }

    #[test]
    fn dropped_transaction_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "old").unwrap();
        let mut t = Transaction::new();
        t.stage(&a, b"new").unwrap();
        drop(t);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old");
        assert_eq!(names(dir.path()), vec!["a.csv"]);
    }

    #[test]
    fn failed_rename_puts_back_earlier_targets() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        std::fs::write(&a, "old a").unwrap();
        let mut t = Transaction::new();
        t.stage(&a, b"new a").unwrap();
        t.stage(&b, b"new b").unwrap();
        // The folder changes under the transaction: `b.csv` becomes a
        // non-empty folder, which no rename can replace.
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("x"), "").unwrap();
        let err = t.commit().unwrap_err();
        assert!(err.message.contains("b.csv"), "{}", err.message);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        assert_eq!(names(dir.path()), vec!["a.csv", "b.csv"]);
    }

    #[test]
    fn long_names_and_missing_folders_fail_at_staging() {
        let dir = tempfile::tempdir().unwrap();
        let long = dir.path().join(format!("{}.csv", "r".repeat(300)));
        let err = Transaction::new().stage(&long, b"x").unwrap_err();
        assert!(err.message.contains("304 bytes"), "{}", err.message);
        let missing = dir.path().join("nope").join("a.csv");
        let err = Transaction::new().stage(&missing, b"x").unwrap_err();
        assert!(err.message.contains("does not exist"), "{}", err.message);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn stale_temporaries_of_dead_processes_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        // No process has this id (above the kernel's pid_max).
        let dead = dir.path().join(".pialog-4294967-1f.tmp");
        let mine = dir
            .path()
            .join(format!(".pialog-{}-2e.tmp", std::process::id()));
        let other = dir.path().join(".pialog-notes.tmp");
        for p in [&dead, &mine, &other] {
            std::fs::write(p, "").unwrap();
        }
        let mut t = Transaction::new();
        t.stage(&dir.path().join("a.csv"), b"a").unwrap();
        t.commit().unwrap();
        let left = names(dir.path());
        assert!(!left.contains(&".pialog-4294967-1f.tmp".to_string()));
        assert!(left.contains(&".pialog-notes.tmp".to_string()));
        assert!(
            left.iter()
                .any(|n| n.starts_with(&format!(".pialog-{}-", std::process::id())))
        );
    }

    #[test]
    fn names_are_recognised() {
        assert_eq!(stale_pid(".pialog-123-ab12.tmp"), Some(123));
        assert_eq!(stale_pid(".pialog-123-ab12.bak"), Some(123));
        assert_eq!(stale_pid(".pialog-123-zz.tmp"), None);
        assert_eq!(stale_pid("pialog-123-ab.tmp"), None);
        assert_eq!(stale_pid(".pialog-x-ab.tmp"), None);
    }
}
