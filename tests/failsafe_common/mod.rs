//! What the `failsafe_*` tests share: running the real binary in a folder
//! and writing fixtures.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `pialog ARGS…` in `dir`.
pub fn pialog(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pialog"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the pialog binary runs")
}

/// stdout and stderr of a run, as text.
pub fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes a fixture file (folders created).
pub fn write(dir: &Path, name: &str, content: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("fixture folder");
    }
    std::fs::write(path, content).expect("write fixture");
}

/// The names in a folder, sorted (hidden ones too).
pub fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Makes a FIFO at `path`; false where `mkfifo` is missing.
pub fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}
