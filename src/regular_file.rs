//! Only regular files are read as programs, facts, includes or documents.
//!
//! Why: opening a FIFO for reading blocks until some writer appears (a
//! saved script naming one hangs a CI job forever), and a device such as
//! `/dev/zero` never ends, so reading it fills memory. Every reader asks
//! [`refuse_irregular`] before it opens a path, and reports the refusal at
//! the place that named the path.

use std::path::Path;

/// Why `path` must not be read, when it exists and is not a regular file
/// (after following symbolic links): `"it is a FIFO (named pipe), not a
/// regular file"`. A missing file passes, for the reader's own message.
pub fn refuse_irregular(path: &Path) -> Result<(), String> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err("it is a folder, not a file".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Err("it is a FIFO (named pipe), not a regular file".into());
        }
        if kind.is_socket() {
            return Err("it is a socket, not a regular file".into());
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Err("it is a device, not a regular file".into());
        }
    }
    Err("it is not a regular file".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_pass() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.dl");
        std::fs::write(&file, "").unwrap();
        assert!(refuse_irregular(&file).is_ok());
        assert!(refuse_irregular(&dir.path().join("missing")).is_ok());
        assert!(refuse_irregular(dir.path()).unwrap_err().contains("folder"));
        #[cfg(unix)]
        {
            assert!(
                refuse_irregular(Path::new("/dev/zero"))
                    .unwrap_err()
                    .contains("device")
            );
            let fifo = dir.path().join("pipe");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                assert!(refuse_irregular(&fifo).unwrap_err().contains("FIFO"));
            }
        }
    }
}
