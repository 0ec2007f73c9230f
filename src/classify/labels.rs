//! The labelled-measures file: what a security analyst reads each measure
//! text as stating.
//!
//! The format is the one of `../shared/seeds/measure-classes/labels.tsv`:
//! `#` comment lines (the labelling guide) and blank lines are skipped;
//! every other line holds five tab-separated columns, `a` (assessment id),
//! `m` (measure id), `classes` (comma-separated class codes, or `-` for
//! none), `notes` and the whole measure `text` (which may itself hold
//! tabs). The label belongs to the text, so the text is what gets
//! classified; `a` and `m` only name the measure in the report. Texts are
//! NFKC-normalised with folded whitespace, as the importer stores measure
//! text, so a label pasted from a PDF (全角 ＩＤ) reads like an imported one.

use crate::diag::Diagnostic;
use crate::import::normalize::{fold_spaces, nfkc_keep_circled};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// One labelled measure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labelled {
    /// Assessment id.
    pub a: String,
    /// Measure id (`r#k`).
    pub m: String,
    /// The classes the analyst assigned (empty for `-`).
    pub classes: BTreeSet<String>,
    /// The measure text, normalised.
    pub text: String,
    /// 1-based line in the labels file (for messages).
    pub line: usize,
    /// 1-based character column of the classes column (for messages).
    pub classes_col: usize,
}

impl Labelled {
    /// The risk id of the measure: `m` up to its `#`.
    pub fn risk(&self) -> &str {
        self.m.split('#').next().unwrap_or(&self.m)
    }
}

/// A parsed labels file.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    /// Where it was read from (for messages).
    pub path: PathBuf,
    /// The labelled measures in file order.
    pub rows: Vec<Labelled>,
    /// The lines of the file, to quote in messages.
    lines: Vec<String>,
}

/// The columns every data line must have.
const COLUMNS: usize = 5;

impl Labels {
    /// Reads and parses a labels file; an unreadable file is an error
    /// about the file, a malformed line an error located at that line.
    pub fn read(path: &Path) -> Result<Labels, Diagnostic> {
        let bytes = std::fs::read(path).map_err(|e| {
            Diagnostic::at_file(format!("cannot read {}: {e}", path.display()), path)
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            Diagnostic::at_line(format!("{} is not UTF-8 text", path.display()), path, line)
        })?;
        Labels::parse(path, &text)
    }

    /// Parses the text of a labels file named `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Labels, Diagnostic> {
        let mut labels = Labels {
            path: path.to_path_buf(),
            rows: Vec::new(),
            lines: text.lines().map(str::to_string).collect(),
        };
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let raw = raw.trim_end_matches('\r');
            if raw.starts_with('#') || raw.trim().is_empty() {
                continue;
            }
            let cells: Vec<&str> = raw.splitn(COLUMNS, '\t').collect();
            if cells.len() < COLUMNS {
                return Err(labels.error(
                    line,
                    None,
                    format!(
                        "expected {COLUMNS} tab-separated columns (a, m, classes, notes, text), found {}",
                        cells.len()
                    ),
                ));
            }
            let col = |k: usize| column_of(raw, k);
            let a = cells[0].trim();
            let m = cells[1].trim();
            if a.is_empty() {
                return Err(labels.error(line, Some(col(0)), "empty assessment id (column a)"));
            }
            if m.is_empty() {
                return Err(labels.error(line, Some(col(1)), "empty measure id (column m)"));
            }
            let body = fold_spaces(&nfkc_keep_circled(cells[4]));
            if body.is_empty() {
                return Err(labels.error(line, Some(col(4)), "empty measure text (column text)"));
            }
            if let Some(first) = seen.insert((a.to_string(), m.to_string()), line) {
                return Err(labels.error(
                    line,
                    Some(col(1)),
                    format!("measure {a} {m} is labelled twice (first at line {first})"),
                ));
            }
            let list = cells[2].trim();
            let classes = if list.is_empty() || list == "-" {
                BTreeSet::new()
            } else {
                list.split(',')
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect()
            };
            labels.rows.push(Labelled {
                a: a.to_string(),
                m: m.to_string(),
                classes,
                text: body,
                line,
                classes_col: col(2),
            });
        }
        if labels.rows.is_empty() {
            return Err(Diagnostic::at_file(
                format!("{} holds no labelled measure", path.display()),
                path,
            ));
        }
        Ok(labels)
    }

    /// Checks every label against the classes the rules know, so that a
    /// typo in the labels is not scored as a disagreement: an unknown
    /// code is an error at its column with the nearest known code.
    pub fn check_classes(&self, known: &BTreeSet<String>) -> Result<(), Diagnostic> {
        for row in &self.rows {
            for class in &row.classes {
                if known.contains(class) {
                    continue;
                }
                let raw = self.lines.get(row.line - 1).map_or("", String::as_str);
                let col = column_of_word(raw, class, row.classes_col);
                let mut d = self.error(
                    row.line,
                    Some(col),
                    format!("unknown class `{class}` in the labels"),
                );
                if let Some(near) = nearest(class, known) {
                    d = d.with_note(format!("did you mean `{near}`?"));
                }
                let all: Vec<&str> = known.iter().map(String::as_str).collect();
                return Err(d.with_note(format!("the rules' classes: {}", all.join(", "))));
            }
        }
        Ok(())
    }

    fn error(&self, line: usize, col: Option<usize>, message: impl Into<String>) -> Diagnostic {
        let quoted = self.lines.get(line - 1).cloned().unwrap_or_default();
        Diagnostic::at_line(message, &self.path, line).with_line_text(quoted, col)
    }
}

/// 1-based character column where tab-separated cell `k` of `line` starts.
fn column_of(line: &str, k: usize) -> usize {
    let mut col = 1;
    let mut cell = 0;
    for ch in line.chars() {
        if cell == k {
            break;
        }
        if ch == '\t' {
            cell += 1;
        }
        col += 1;
    }
    col
}

/// 1-based character column of `word` in `line`, searching from character
/// column `from`; `from` when it is not there.
fn column_of_word(line: &str, word: &str, from: usize) -> usize {
    let start: usize = line.chars().take(from - 1).map(char::len_utf8).sum();
    match line.get(start..).and_then(|rest| rest.find(word)) {
        Some(at) => from + line[start..start + at].chars().count(),
        None => from,
    }
}

/// The known code closest to `word` by edit distance, when it is close
/// enough to be a likely typo (at most a third of its length away).
fn nearest<'a>(word: &str, known: &'a BTreeSet<String>) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::levenshtein(word, k), k))
        .filter(|(d, k)| *d <= k.chars().count().max(3) / 3 || k.starts_with(word))
        .min()
        .map(|(_, k)| k.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Labels, Diagnostic> {
        Labels::parse(Path::new("l.tsv"), text)
    }

    fn known() -> BTreeSet<String> {
        ["encryption", "audit", "logging"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn reads_rows_skipping_comments_and_blanks() {
        let l = parse("# guide\n\nx/1\tuse/1#2\tencryption, audit\tnote\t暗号化する\n").unwrap();
        assert_eq!(l.rows.len(), 1);
        let r = &l.rows[0];
        assert_eq!(
            (r.a.as_str(), r.m.as_str(), r.risk()),
            ("x/1", "use/1#2", "use/1")
        );
        assert_eq!(
            r.classes.iter().collect::<Vec<_>>(),
            ["audit", "encryption"]
        );
        assert_eq!((r.line, r.classes_col), (3, 13));
    }

    #[test]
    fn a_dash_is_no_class_and_the_text_keeps_its_tabs_and_is_normalised() {
        let l = parse("x/1\tm#1\t-\t\tＩＤ\tと  パスワード\n").unwrap();
        assert!(l.rows[0].classes.is_empty());
        assert_eq!(l.rows[0].text, "ID と パスワード");
    }

    #[test]
    fn a_short_line_is_located() {
        let e = parse("# c\nx/1\tm#1\taudit\n").unwrap_err();
        let text = e.render(&Default::default());
        assert!(text.contains("expected 5 tab-separated columns"), "{text}");
        assert!(text.contains("l.tsv:2"), "{text}");
    }

    #[test]
    fn duplicates_and_empty_fields_are_errors() {
        let e = parse("x/1\tm#1\t-\t\tt\nx/1\tm#1\t-\t\tu\n").unwrap_err();
        assert!(
            e.message.contains("labelled twice (first at line 1)"),
            "{}",
            e.message
        );
        let e = parse("x/1\tm#1\t-\t\t \n").unwrap_err();
        assert!(e.message.contains("empty measure text"), "{}", e.message);
        let e = parse("\tm#1\t-\t\tt\n").unwrap_err();
        assert!(e.message.contains("empty assessment id"), "{}", e.message);
        assert!(parse("# only comments\n").is_err());
    }

    #[test]
    fn an_unknown_class_points_at_its_column_with_the_nearest_code() {
        let l = parse("x/1\tm#1\taudit,encrypt\t\tt\n").unwrap();
        let e = l.check_classes(&known()).unwrap_err();
        let text = e.render(&Default::default());
        assert!(text.contains("unknown class `encrypt`"), "{text}");
        assert!(text.contains("l.tsv:1:15"), "{text}");
        assert!(text.contains("did you mean `encryption`?"), "{text}");
        assert!(
            parse("x/1\tm#1\taudit\t\tt\n")
                .unwrap()
                .check_classes(&known())
                .is_ok()
        );
    }

    #[test]
    fn a_far_word_gets_no_suggestion() {
        assert_eq!(nearest("zzzzzzzz", &known()), None);
        assert_eq!(nearest("loging", &known()), Some("logging"));
    }
}
