//! `:output FILE`: the next answer goes to a file instead of the screen, in
//! the format its extension names (`.csv`, `.tsv`, `.json`, `.md`, `.txt`)
//! or else the current `:mode`. The file is written whole or not at all,
//! and CSV/TSV cells get the same formula safety as `:export`, because both
//! go through `output::csv`.

use crate::diag::Diagnostic;
use crate::engine::table::Table;
use crate::output::csv::{CsvOptions, check_target, to_delimited_bytes, write_atomically};
use crate::output::modes::{Mode, render};
use crate::output::table::{Fit, row_count};
use std::path::PathBuf;

/// Where and how the next answer is written.
#[derive(Clone, Debug)]
pub struct Target {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub mode: Mode,
    /// CSV with the byte order mark Excel needs.
    pub excel: bool,
}

impl Target {
    /// Reads `FILE [--excel]`; the folder must exist now, so a mistyped
    /// path fails before the query runs.
    pub fn parse(args: &str, current: Mode) -> Result<Target, Diagnostic> {
        let mut excel = false;
        let mut path = None;
        for word in args.split_whitespace() {
            match word {
                "--excel" => excel = true,
                w if path.is_none() => path = Some(PathBuf::from(w)),
                w => {
                    return Err(Diagnostic::plain(format!(
                        "usage: :output FILE [--excel] (unexpected `{w}`)"
                    )));
                }
            }
        }
        let Some(path) = path else {
            return Err(Diagnostic::plain("usage: :output FILE [--excel]"));
        };
        check_target(&path)?;
        let mode = Mode::of_path(&path).unwrap_or(current);
        Ok(Target { path, mode, excel })
    }

    /// Writes `table`; returns the line to show (`wrote FILE (N rows)`).
    pub fn write(&self, table: &Table, headers: bool) -> Result<String, Diagnostic> {
        let bytes = match self.mode {
            Mode::Csv | Mode::Tsv => {
                let delimiter = if self.mode == Mode::Csv { b',' } else { b'\t' };
                let options = CsvOptions { excel: self.excel };
                to_delimited_bytes(table, options, headers, delimiter).map_err(|e| {
                    Diagnostic::at_file(
                        format!("cannot write `{}`: {e}", self.path.display()),
                        &self.path,
                    )
                })?
            }
            mode => render(
                table,
                mode,
                Fit {
                    headers,
                    ..Fit::default()
                },
            )
            .into_bytes(),
        };
        write_atomically(&self.path, &bytes)?;
        Ok(format!(
            "wrote {} ({}, {})\n",
            self.path.display(),
            self.mode.name(),
            row_count(table.len())
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::table::{ColumnType, Value};

    #[test]
    fn writes_in_the_format_of_the_extension() {
        let dir = tempfile::tempdir().expect("temp dir");
        let t = Table {
            name: "q".into(),
            columns: vec!["a".into()],
            types: vec![ColumnType::Symbol],
            rows: vec![vec![Value::Symbol("=1+1".into())]],
        };
        let csv = dir.path().join("a.csv");
        let target = Target::parse(&format!("{} --excel", csv.display()), Mode::Table)
            .expect("a file in an existing folder");
        assert_eq!(target.mode, Mode::Csv);
        let said = target.write(&t, true).expect("written");
        assert!(said.contains("1 row"), "{said}");
        let bytes = std::fs::read(&csv).expect("file");
        assert_eq!(bytes, b"\xEF\xBB\xBFa\r\n'=1+1\r\n");
        let md = dir.path().join("a.md");
        Target::parse(md.to_str().expect("utf-8"), Mode::Table)
            .and_then(|t2| t2.write(&t, true))
            .expect("markdown");
        assert!(
            std::fs::read_to_string(&md)
                .expect("md")
                .starts_with("| a |")
        );
        assert!(Target::parse("/no/such/folder/x.csv", Mode::Table).is_err());
        assert!(Target::parse("", Mode::Table).is_err());
    }
}
