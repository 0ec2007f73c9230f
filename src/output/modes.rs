//! The shapes one answer can be printed in, chosen with the REPL's `:mode`
//! and the `--format` of `run` and `check`: an aligned table for reading,
//! one field per line for long texts, CSV/TSV for spreadsheets and `cut`,
//! JSON for scripts, Markdown for pasting into a ticket or a wiki.
//!
//! CSV and TSV go through [`super::csv`], so a cell that a spreadsheet would
//! run as a formula is neutralised exactly as `pialog export` does it.

use super::csv::{CsvOptions, to_delimited_bytes};
use super::table::{Fit, answer, answer_noting, numeric, row_count};
use super::{json, vertical};
use crate::engine::table::Table;

/// An output mode.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Aligned table with a row count, fitted to the terminal.
    #[default]
    Table,
    /// One `column │ value` line per field, a block per row.
    Line,
    /// CSV (RFC 4180, formula-safe), a header row unless `:headers off`.
    Csv,
    /// Tab-separated values, quoted like CSV where a cell needs it.
    Tsv,
    /// A JSON array of objects, one per row, keyed by column name.
    Json,
    /// A Markdown (GitHub) table.
    Markdown,
}

impl Mode {
    /// The mode named `name` (`:mode NAME`).
    pub fn parse(name: &str) -> Option<Mode> {
        Some(match name {
            "table" => Mode::Table,
            "line" => Mode::Line,
            "csv" => Mode::Csv,
            "tsv" => Mode::Tsv,
            "json" => Mode::Json,
            "markdown" | "md" => Mode::Markdown,
            _ => return None,
        })
    }

    /// The mode's name as `:mode` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Table => "table",
            Mode::Line => "line",
            Mode::Csv => "csv",
            Mode::Tsv => "tsv",
            Mode::Json => "json",
            Mode::Markdown => "markdown",
        }
    }

    /// Whether the answer is data for a program (no row count, no hint
    /// lines mixed into it).
    pub fn is_data(self) -> bool {
        matches!(self, Mode::Csv | Mode::Tsv | Mode::Json)
    }

    /// The mode a file name asks for by its extension (`-o out.csv`).
    pub fn of_path(path: &std::path::Path) -> Option<Mode> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => Mode::Csv,
            "tsv" | "tab" => Mode::Tsv,
            "json" => Mode::Json,
            "md" | "markdown" => Mode::Markdown,
            "txt" => Mode::Table,
            _ => return None,
        })
    }
}

/// Renders one answer in `mode`. `fit` says how a table or a vertical
/// block fits the screen (and whether to print headers); data modes are
/// never cut.
pub fn render(table: &Table, mode: Mode, fit: Fit) -> String {
    if table.columns.is_empty() && mode != Mode::Json {
        return format!("{}\n", !table.rows.is_empty());
    }
    match mode {
        Mode::Table => answer(table, fit),
        Mode::Line => format!(
            "{}{}\n",
            vertical::render(table, fit.width.unwrap_or(usize::MAX)),
            row_count(table.len())
        ),
        Mode::Csv | Mode::Tsv => {
            let delimiter = if mode == Mode::Csv { b',' } else { b'\t' };
            let bytes = to_delimited_bytes(table, CsvOptions::default(), fit.headers, delimiter)
                .unwrap_or_default();
            // The CSV module ends records with CRLF (RFC 4180); on a screen
            // and in a pipe to `cut` or `sort`, plain newlines read better.
            String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
        }
        Mode::Json => json_rows(table),
        Mode::Markdown => markdown(table, fit.headers),
    }
}

/// [`render`], and whether a table's cell had to be cut to fit.
pub fn render_noting(table: &Table, mode: Mode, fit: Fit) -> (String, bool) {
    match mode {
        Mode::Table => answer_noting(table, fit),
        _ => (render(table, mode, fit), false),
    }
}

/// `[{"col": value, …}, …]`, one object per line.
fn json_rows(table: &Table) -> String {
    if table.columns.is_empty() {
        return format!("{}\n", !table.rows.is_empty());
    }
    let lines: Vec<String> = table
        .rows
        .iter()
        .map(|r| {
            let object: serde_json::Map<String, serde_json::Value> = table
                .columns
                .iter()
                .cloned()
                .zip(r.iter().map(json::value))
                .collect();
            serde_json::Value::Object(object).to_string()
        })
        .collect();
    if lines.is_empty() {
        "[]\n".to_string()
    } else {
        format!("[\n{}\n]\n", lines.join(",\n"))
    }
}

/// A Markdown cell: `|` escaped, line breaks as `<br>`.
fn md_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

fn markdown(table: &Table, headers: bool) -> String {
    let row = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let mut out = String::new();
    // Markdown has no table without a header row: `:headers off` leaves
    // it blank.
    out.push_str(&row(table
        .columns
        .iter()
        .map(|c| if headers { md_cell(c) } else { String::new() })
        .collect()));
    let align: Vec<&str> = numeric(table)
        .into_iter()
        .map(|number| if number { "--:" } else { "---" })
        .collect();
    out.push_str(&format!("|{}|\n", align.join("|")));
    for r in &table.rows {
        out.push_str(&row(r.iter().map(|v| md_cell(&v.to_string())).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::table::Value;
    use crate::output::fixture::{sym, table};

    fn sample() -> Table {
        table(
            &["a", "n"],
            vec![
                vec![sym("焼津|市長"), Value::Number(7)],
                vec![sym("=cmd()"), Value::Number(-1)],
            ],
        )
    }

    #[test]
    fn every_mode() {
        let t = sample();
        let fit = Fit::default();
        assert!(render(&t, Mode::Table, fit).ends_with("2 rows\n"));
        let line = render(&t, Mode::Line, fit);
        assert!(
            line.contains("a │ 焼津|市長\n") && line.contains("-[ 2 ]"),
            "{line}"
        );
        assert_eq!(render(&t, Mode::Csv, fit), "a,n\n焼津|市長,7\n'=cmd(),-1\n");
        let no_head = Fit {
            headers: false,
            ..fit
        };
        assert_eq!(
            render(&t, Mode::Tsv, no_head),
            "焼津|市長\t7\n'=cmd()\t-1\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(&t, Mode::Json, fit)).expect("valid JSON");
        assert_eq!(json[0]["a"], "焼津|市長");
        assert_eq!(json[1]["n"], -1);
        assert_eq!(
            render(&t, Mode::Markdown, fit),
            "| a | n |\n|---|--:|\n| 焼津\\|市長 | 7 |\n| =cmd() | -1 |\n"
        );
    }

    #[test]
    fn names_and_extensions() {
        for m in [
            Mode::Table,
            Mode::Line,
            Mode::Csv,
            Mode::Tsv,
            Mode::Json,
            Mode::Markdown,
        ] {
            assert_eq!(Mode::parse(m.name()), Some(m));
        }
        assert_eq!(
            Mode::of_path(std::path::Path::new("out.CSV")),
            Some(Mode::Csv)
        );
        assert_eq!(Mode::of_path(std::path::Path::new("out")), None);
        let empty = table(&["a"], vec![]);
        assert_eq!(render(&empty, Mode::Json, Fit::default()), "[]\n");
    }
}
