//! CSV export for people who continue in a spreadsheet.
//!
//! Three promises: the file is RFC 4180 with a header row; a cell that a
//! spreadsheet would execute as a formula is neutralised with a leading
//! apostrophe (see [`neutralise_cell`]), while the numbers of numeric
//! columns stay numbers; and the file appears whole or not at all (see
//! [`super::transaction`]), so a failed export never leaves half a file.

use crate::diag::Diagnostic;
use crate::engine::table::{ColumnType, Table, Value};
use std::path::Path;

/// UTF-8 byte order mark: Excel in Japanese locales reads CSV as Shift_JIS
/// unless the file starts with it.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How to write a table as CSV.
#[derive(Clone, Copy, Debug, Default)]
pub struct CsvOptions {
    /// Prefix the UTF-8 BOM for Excel.
    pub excel: bool,
}

/// Makes a cell safe to open in a spreadsheet: text that a spreadsheet
/// would run as a formula gets a leading `'`, which spreadsheets show as
/// plain text. That is text whose first character after leading spaces
/// (ASCII, ideographic U+3000 or any other space) is a formula trigger in
/// its ASCII or full-width form (`=` `+` `-` `@` `|`, `＝` `＋` `－` `＠`
/// `｜`; Japanese input methods produce the full-width ones, and
/// spreadsheets fold them) or a tab or line break.
pub fn neutralise_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let lead = text.trim_start_matches(|c: char| c.is_whitespace() && !is_break(c));
    let trigger = lead.chars().next().is_some_and(|c| {
        is_break(c)
            || matches!(
                c,
                '=' | '+' | '-' | '@' | '|' | '＝' | '＋' | '－' | '＠' | '｜'
            )
    });
    if trigger {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Tab, carriage return and line feed: a cell starting with one can smuggle
/// a formula past a spreadsheet's import.
fn is_break(c: char) -> bool {
    matches!(c, '\t' | '\r' | '\n')
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

use super::transaction::Transaction;
pub use super::transaction::check_target;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed, then renamed over the target.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_all_atomically(&[(path, bytes)])
}

/// Writes several files so that a failure leaves none of them changed (see
/// [`Transaction`]).
pub fn write_all_atomically(files: &[(&Path, &[u8])]) -> Result<(), Diagnostic> {
    let mut t = Transaction::new();
    for (path, bytes) in files {
        t.stage(path, bytes)?;
    }
    t.commit().map(|_| ())
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
    use crate::output::fixture;

    fn sample() -> Table {
        fixture::table(
            &["name", "n"],
            vec![
                vec![fixture::sym("=HYPERLINK(\"x\")"), Value::Number(-3)],
                vec![fixture::sym("a,\"b\"\n焼津"), Value::Number(7)],
            ],
        )
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

    #[test]
    fn formula_triggers_behind_spaces_and_in_full_width_are_neutralised() {
        for cell in [
            "=1+1",
            "  =1+1",
            " @x",
            "\u{3000}=1",
            "＝１+1",
            "＋1",
            "－1",
            "＠x",
            "|calc",
            "｜calc",
            "\nx",
            "\tx",
            "\rx",
            " \t=x",
            "-",
            "+",
        ] {
            assert_eq!(neutralise_cell(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in [
            "a=1",
            "焼津市",
            "",
            "   ",
            "\u{3000}焼津",
            "1-2",
            "\"quoted\"",
            "'=x",
        ] {
            assert_eq!(neutralise_cell(cell), cell, "{cell:?}");
        }
    }

    #[test]
    fn number_columns_stay_numbers() {
        let table = fixture::table(
            &["n", "s"],
            vec![vec![Value::Number(-3), fixture::sym("-3")]],
        );
        let text = String::from_utf8(to_csv_bytes(&table, CsvOptions::default()).unwrap()).unwrap();
        assert_eq!(text, "n,s\r\n-3,'-3\r\n");
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
