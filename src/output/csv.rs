//! CSV export for people who continue in a spreadsheet.
//!
//! Three promises: the file is RFC 4180 with a header row; a cell that a
//! spreadsheet would execute as a formula (leading `=`, `+`, `-`, `@`, tab,
//! carriage return) is neutralised with a leading apostrophe, except numbers
//! of numeric columns; and the file appears whole or not at all (written to a
//! temporary file beside the target, then renamed), so a failed export never
//! leaves half a file behind.

use crate::diag::Diagnostic;
use crate::engine::table::{ColumnType, Table, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

/// UTF-8 byte order mark: Excel in Japanese locales reads CSV as Shift_JIS
/// unless the file starts with it.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How to write a table as CSV.
#[derive(Clone, Copy, Debug, Default)]
pub struct CsvOptions {
    /// Prefix the UTF-8 BOM for Excel.
    pub excel: bool,
}

/// Makes a cell safe to open in a spreadsheet: text starting with a formula
/// trigger gets a leading `'`, which spreadsheets show as plain text.
pub fn neutralise_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// The text of one cell: numbers as numbers, symbols neutralised.
fn cell_text(value: &Value, ty: ColumnType) -> String {
    match (value, ty) {
        (Value::Symbol(s), _) => neutralise_cell(s).into_owned(),
        (other, _) => other.to_string(),
    }
}

/// Serialises a table (header + rows) into CSV bytes.
pub fn to_csv_bytes(table: &Table, options: CsvOptions) -> Result<Vec<u8>, csv::Error> {
    to_delimited_bytes(table, options, true, b',')
}

/// Serialises a table with the same quoting and formula safety as CSV but
/// another `delimiter` (`b'\t'` for TSV), with or without the header row
/// (the REPL's `:mode csv|tsv` and `:headers off`).
pub fn to_delimited_bytes(
    table: &Table,
    options: CsvOptions,
    headers: bool,
    delimiter: u8,
) -> Result<Vec<u8>, csv::Error> {
    let mut buf = Vec::new();
    if options.excel {
        buf.extend_from_slice(UTF8_BOM);
    }
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .delimiter(delimiter)
            .from_writer(&mut buf);
        if headers {
            writer.write_record(
                table
                    .columns
                    .iter()
                    .map(|c| neutralise_cell(c).into_owned()),
            )?;
        }
        for row in &table.rows {
            writer.write_record(
                row.iter()
                    .zip(
                        table
                            .types
                            .iter()
                            .copied()
                            .chain(std::iter::repeat(ColumnType::Symbol)),
                    )
                    .map(|(v, t)| cell_text(v, t)),
            )?;
        }
        writer.flush()?;
    }
    Ok(buf)
}

/// Fails when `path` cannot be a file we write: it is a folder, or its
/// folder is missing or is a file. Commands call it before long work so
/// that a mistyped `-o` fails at once; [`write_atomically`] calls it too.
pub fn check_target(path: &Path) -> Result<(), Diagnostic> {
    let text = path.to_string_lossy();
    if text.is_empty() || text.ends_with(std::path::MAIN_SEPARATOR) || path.file_name().is_none() {
        return Err(Diagnostic::at_file(
            format!("cannot write `{text}`: the path names no file"),
            path,
        ));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(Diagnostic::at_file(
            format!("cannot write `{}`: it is a folder", path.display()),
            path,
        ));
    }
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Diagnostic::at_file(
                format!(
                    "cannot write `{}`: `{}` is not a folder",
                    path.display(),
                    dir.display()
                ),
                path,
            ));
        }
        Err(_) => {
            return Err(Diagnostic::at_file(
                format!(
                    "cannot write `{}`: the folder `{}` does not exist",
                    path.display(),
                    dir.display()
                ),
                path,
            ));
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed, then renamed over the target.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_all_atomically(&[(path, bytes)])
}

/// Writes several files so that a failure leaves none of them: every target
/// is checked and every temporary file written and flushed before the
/// first rename. (Only a rename failing half-way, which needs the folder to
/// change under us, could still leave some written.)
pub fn write_all_atomically(files: &[(&Path, &[u8])]) -> Result<(), Diagnostic> {
    for (path, _) in files {
        check_target(path)?;
    }
    let mut staged = Vec::with_capacity(files.len());
    let mut streams = Vec::new();
    for (path, bytes) in files {
        match Target::of(path) {
            Target::File(real) => staged.push((*path, real.clone(), stage(&real, bytes)?)),
            Target::Stream => streams.push((*path, *bytes)),
        }
    }
    for (path, real, tmp) in staged {
        tmp.persist(&real)
            .map_err(|e| write_error(path, "rename failed", e.error))?;
    }
    for (path, bytes) in streams {
        std::fs::write(path, bytes).map_err(|e| write_error(path, "write failed", e))?;
    }
    Ok(())
}

/// What a path names when we write to it.
enum Target {
    /// A regular file, existing or not, at this real path (a symbolic link
    /// is followed, so the link stays and its target is replaced).
    File(PathBuf),
    /// A device, pipe or socket (`/dev/stdout`, a FIFO): written in place;
    /// renaming a file over it would replace the device itself.
    Stream,
}

impl Target {
    fn of(path: &Path) -> Target {
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
}

fn write_error(path: &Path, what: &str, err: std::io::Error) -> Diagnostic {
    // tempfile appends ` at path "<temporary name>"`, a name the user never
    // chose and that no longer exists.
    let err = err.to_string();
    let err = err.split(" at path \"").next().unwrap_or_default();
    Diagnostic::at_file(
        format!("cannot write `{}`: {what}: {err}", path.display()),
        path,
    )
}

/// The temporary file beside `path` holding `bytes`, flushed to disk.
fn stage(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, Diagnostic> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |what: &str, err: std::io::Error| write_error(path, what, err);
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| fail("cannot create a file in its folder", e))?;
    tmp.write_all(bytes).map_err(|e| fail("write failed", e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| fail("write failed", e))?;
    // The temporary file is private (0600); the result should carry the
    // permissions a plain write would give: the old file's, or rw-r--r--.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| fail("cannot set permissions", e))?;
    }
    Ok(tmp)
}

/// Exports a table as CSV with a header, atomically.
pub fn export_table(table: &Table, path: &Path, options: CsvOptions) -> Result<(), Diagnostic> {
    let bytes = to_csv_bytes(table, options)
        .map_err(|e| Diagnostic::at_file(format!("cannot encode CSV: {e}"), path))?;
    write_atomically(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        Table {
            name: "t".into(),
            columns: vec!["name".into(), "n".into()],
            types: vec![ColumnType::Symbol, ColumnType::Number],
            rows: vec![
                vec![Value::Symbol("=HYPERLINK(\"x\")".into()), Value::Number(-3)],
                vec![Value::Symbol("a,\"b\"\n焼津".into()), Value::Number(7)],
            ],
        }
    }

    #[test]
    fn quotes_and_neutralises() {
        let text =
            String::from_utf8(to_csv_bytes(&sample(), CsvOptions::default()).unwrap()).unwrap();
        assert_eq!(
            text,
            "name,n\r\n\"'=HYPERLINK(\"\"x\"\")\",-3\r\n\"a,\"\"b\"\"\n焼津\",7\r\n"
        );
    }

    #[test]
    fn excel_gets_bom() {
        let bytes = to_csv_bytes(&sample(), CsvOptions { excel: true }).unwrap();
        assert!(bytes.starts_with(UTF8_BOM));
    }

    #[cfg(unix)]
    #[test]
    fn written_file_is_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        export_table(&sample(), &target, CsvOptions::default()).unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn failed_write_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-folder").join("out.csv");
        let err = export_table(&sample(), &target, CsvOptions::default()).unwrap_err();
        assert!(err.message.contains("cannot write"));
        assert!(!target.exists());
    }

    #[test]
    fn one_bad_target_among_several_writes_none() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("a.csv");
        let bad = dir.path().join("missing").join("b.csv");
        let err = write_all_atomically(&[(&good, b"a\n".as_slice()), (&bad, b"b\n".as_slice())])
            .unwrap_err();
        assert!(err.message.contains("the folder"), "{}", err.message);
        assert!(!err.message.contains("at path"), "{}", err.message);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_devices_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        // A pipe (like /dev/stdout) must stay a pipe, not become a file.
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let reader = {
                let fifo = fifo.clone();
                std::thread::spawn(move || std::fs::read(fifo).unwrap())
            };
            write_atomically(&fifo, b"through").unwrap();
            assert_eq!(reader.join().unwrap(), b"through");
            assert!(!std::fs::metadata(&fifo).unwrap().is_file());
        }
    }
}
