//! Aligned text tables for people at a terminal: query answers in the REPL
//! and in `pialog run`/`check`, offending rows of a failed assertion.
//!
//! Text is measured in display columns ([`super::width`]), so Japanese
//! cells line up. Given a screen width, a table is fitted to it: narrow
//! columns (ids, numbers, codes) keep their full width and the widest ones
//! share what is left, their cells cut in the middle with `…` (both ends of
//! an item name stay readable); a `#` column then numbers the rows so that
//! one can be shown whole (`:show N`). A table that cannot fit even so is
//! drawn one field per line instead ([`super::vertical`]). Without a width
//! (a pipe, a file) nothing is ever cut. No colour codes, so output reads
//! the same everywhere.

use super::width::{columns, elide, elide_end, one_line, pad};
use crate::engine::table::{Table, Value};

/// The narrowest a cut column is made (columns of text).
const MIN_CELL: usize = 4;

/// How a table is fitted to where it is shown.
#[derive(Clone, Copy, Debug)]
pub struct Fit {
    /// The screen's width in columns; `None` never cuts (pipes, files).
    pub width: Option<usize>,
    /// Cut every cell to at most this many columns (`--width`, `:width`).
    pub cell: Option<usize>,
    /// Print the header row.
    pub headers: bool,
    /// Number the rows (`#` column) when cells were cut, for `:show N`.
    pub numbered: bool,
}

impl Default for Fit {
    fn default() -> Fit {
        Fit {
            width: None,
            cell: None,
            headers: true,
            numbered: false,
        }
    }
}

/// A drawn table and whether any cell of it was cut to fit.
#[derive(Clone, Debug, Default)]
pub struct Drawn {
    /// The lines, each ending in a newline.
    pub text: String,
    /// Some cell or header was shortened.
    pub cut: bool,
    /// It was drawn one field per line because no table could fit.
    pub vertical: bool,
}

/// Shortens a cell to `max` display columns, keeping both ends.
pub fn clip(text: &str, max: Option<usize>) -> String {
    match max {
        Some(m) if m > 0 => elide(text, m),
        _ => text.to_string(),
    }
}

/// Renders a table with a header row, without the row count, never cut.
pub fn render(table: &Table) -> String {
    render_clipped(table, None)
}

/// Renders a table whose cells are cut to `max` display columns.
pub fn render_clipped(table: &Table, max: Option<usize>) -> String {
    draw(
        table,
        Fit {
            cell: max,
            ..Fit::default()
        },
    )
    .text
}

/// The texts of a table's cells, on one line each.
fn cells(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| one_line(&v.to_string()).into_owned())
                .collect()
        })
        .collect()
}

/// Which columns hold numbers (drawn right-aligned, aligned right in
/// Markdown too), as the first row says.
pub(super) fn numeric(table: &Table) -> Vec<bool> {
    (0..table.columns.len())
        .map(|i| {
            table
                .rows
                .first()
                .and_then(|r| r.get(i))
                .is_some_and(|v| !matches!(v, Value::Symbol(_)))
        })
        .collect()
}

/// Columns at most this wide (ids, codes, dates, numbers) keep their full
/// width as long as each wider column can still get [`MIN_WIDE`].
const NARROW: usize = 20;
/// The least a wide (text) column is given before narrow ones are cut too.
const MIN_WIDE: usize = 10;

/// Column widths that fit `budget` columns of text. Narrow columns (ids,
/// codes: at most [`NARROW`]) keep their width and the wide ones share the
/// rest when that leaves each of them [`MIN_WIDE`]; otherwise every column
/// no wider than its fair share keeps its width and the others share the
/// rest. `None` when even [`MIN_CELL`] per column does not fit.
pub fn fit_widths(natural: &[usize], budget: usize) -> Option<Vec<usize>> {
    if natural.iter().sum::<usize>() <= budget {
        return Some(natural.to_vec());
    }
    let narrow: usize = natural.iter().filter(|w| **w <= NARROW).sum();
    let wide: Vec<usize> = natural.iter().copied().filter(|w| *w > NARROW).collect();
    if !wide.is_empty() && narrow + MIN_WIDE * wide.len() <= budget {
        let shares = share(&wide, budget - narrow)?;
        let mut shares = shares.into_iter();
        return Some(
            natural
                .iter()
                .map(|&w| {
                    if w <= NARROW {
                        w
                    } else {
                        shares.next().unwrap_or(w)
                    }
                })
                .collect(),
        );
    }
    share(natural, budget)
}

/// Water-filling: columns no wider than their fair share of `budget` keep
/// their width, the wider ones split what is left.
fn share(natural: &[usize], budget: usize) -> Option<Vec<usize>> {
    let least: usize = natural.iter().map(|w| (*w).min(MIN_CELL)).sum();
    if least > budget {
        return None;
    }
    let mut order: Vec<usize> = (0..natural.len()).collect();
    order.sort_by_key(|&i| natural[i]);
    let mut widths = vec![0; natural.len()];
    let mut left = budget;
    for (k, &i) in order.iter().enumerate() {
        let share = left / (natural.len() - k);
        let w = natural[i].min(share.max(natural[i].min(MIN_CELL)));
        widths[i] = w;
        left = left.checked_sub(w)?;
    }
    Some(widths)
}

/// Frame overhead of `n` columns: `│ ` + ` ┆ ` between + ` │`.
fn frame(n: usize) -> usize {
    4 + 3 * n.saturating_sub(1)
}

/// Draws a table fitted as `fit` says.
pub fn draw(table: &Table, fit: Fit) -> Drawn {
    if table.columns.is_empty() {
        // A query without variables answers yes or no: no frame.
        return Drawn::default();
    }
    let mut heads: Vec<String> = table.columns.clone();
    let mut body = cells(table);
    let mut right = numeric(table);
    let natural = |heads: &[String], body: &[Vec<String>]| -> Vec<usize> {
        (0..heads.len())
            .map(|i| {
                let h = if fit.headers { columns(&heads[i]) } else { 1 };
                body.iter()
                    .map(|r| r.get(i).map_or(0, |c| columns(c)))
                    .fold(h.max(1), usize::max)
            })
            .collect()
    };
    let mut widths = natural(&heads, &body);
    if let Some(max) = fit.cell {
        widths.iter_mut().for_each(|w| *w = (*w).min(max.max(2)));
    }
    if let Some(screen) = fit.width {
        let budget = |n: usize| screen.saturating_sub(frame(n));
        let over = widths.iter().sum::<usize>() > budget(widths.len());
        if over && fit.numbered {
            heads.insert(0, "#".into());
            right.insert(0, true);
            for (n, r) in body.iter_mut().enumerate() {
                r.insert(0, (n + 1).to_string());
            }
            widths.insert(0, columns(&body.len().to_string()));
        }
        match fit_widths(&widths, budget(widths.len())) {
            Some(w) => widths = w,
            None => {
                return Drawn {
                    text: super::vertical::render(table, screen),
                    cut: false,
                    vertical: true,
                };
            }
        }
    }
    let mut cut = false;
    let mut line = |cells: &[String], heading: bool| -> String {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .zip(&right)
            .map(|((c, &w), &r)| {
                let shown = if columns(c) <= w {
                    c.clone()
                } else {
                    cut = true;
                    if heading {
                        elide_end(c, w)
                    } else {
                        elide(c, w)
                    }
                };
                pad(&shown, w, r && !heading)
            })
            .collect();
        format!("│ {} │", parts.join(" ┆ ")).trim_end().to_string() + "\n"
    };
    let rule = |l: &str, fill: &str, mid: &str, r: &str| -> String {
        let segs: Vec<String> = widths.iter().map(|w| fill.repeat(w + 2)).collect();
        format!("{l}{}{r}\n", segs.join(mid))
    };
    let mut text = rule("┌", "─", "┬", "┐");
    if fit.headers {
        text.push_str(&line(&heads, true));
        text.push_str(&rule("╞", "═", "╪", "╡"));
    }
    for r in &body {
        text.push_str(&line(r, false));
    }
    text.push_str(&rule("└", "─", "┴", "┘"));
    Drawn {
        text,
        cut,
        vertical: false,
    }
}

/// `1 row` / `N rows`.
pub fn row_count(n: usize) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}

/// Renders a table followed by its row count, each on its own line, the
/// form every command prints an answer in. A query without variables prints
/// `true` or `false` instead of a table.
pub fn render_answer(table: &Table) -> String {
    render_answer_clipped(table, None)
}

/// [`render_answer`] with cells cut to `max` display columns.
pub fn render_answer_clipped(table: &Table, max: Option<usize>) -> String {
    answer(
        table,
        Fit {
            cell: max,
            ..Fit::default()
        },
    )
}

/// [`render_answer`] fitted as `fit` says.
pub fn answer(table: &Table, fit: Fit) -> String {
    answer_noting(table, fit).0
}

/// [`answer`], and whether a cell had to be cut (so the caller can say how
/// to see it whole).
pub fn answer_noting(table: &Table, fit: Fit) -> (String, bool) {
    if table.columns.is_empty() {
        let yes = !table.rows.is_empty();
        return (format!("{yes}\n"), false);
    }
    let drawn = draw(table, fit);
    (
        format!("{}{}\n", drawn.text, row_count(table.len())),
        drawn.cut,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::table::ColumnType;
    use crate::output::fixture::{sym, table};

    fn sample() -> Table {
        table(
            &["a", "n"],
            vec![
                vec![sym("焼津市長/26"), Value::Number(7)],
                vec![sym("x"), Value::Number(123)],
            ],
        )
    }

    fn wide() -> Table {
        let long = "特定個人情報の入手に係るリスク対策として、暗号化された通信回線を使用し、アクセスログを記録している(その2)";
        Table {
            name: "q".into(),
            columns: vec!["a".into(), "r".into(), "text".into(), "n".into()],
            types: vec![
                ColumnType::Symbol,
                ColumnType::Symbol,
                ColumnType::Symbol,
                ColumnType::Number,
            ],
            rows: (0..12)
                .map(|i| {
                    vec![
                        Value::Symbol("焼津市長/26".into()),
                        Value::Symbol("acquisition/other".into()),
                        Value::Symbol(format!("{long}{i}")),
                        Value::Number(i),
                    ]
                })
                .collect(),
        }
    }

    #[test]
    fn aligns_wide_characters_and_counts_rows() {
        let text = render_answer(&sample());
        assert!(text.ends_with("\n2 rows\n"));
        let widths: Vec<usize> = text
            .lines()
            .filter(|l| !l.ends_with("rows"))
            .map(columns)
            .collect();
        assert!(widths.len() >= 4);
        assert!(widths.iter().all(|w| *w == widths[0]), "{text}");
        assert!(text.contains("│ x           ┆ 123 │"), "{text}");
    }

    #[test]
    fn fits_the_screen_keeping_narrow_columns_whole() {
        for screen in [80, 100] {
            let fit = Fit {
                width: Some(screen),
                numbered: true,
                ..Fit::default()
            };
            let d = draw(&wide(), fit);
            assert!(d.cut && !d.vertical);
            for l in d.text.lines() {
                assert!(columns(l) <= screen, "{} > {screen}: {l}", columns(l));
            }
            assert!(d.text.contains("acquisition/other"), "{}", d.text);
            assert!(d.text.contains("焼津市長/26"));
            assert!(d.text.contains("(その2)11"), "{}", d.text);
            assert!(d.text.contains("│ 12 ┆"), "numbered: {}", d.text);
        }
        // Never cut without a width.
        let whole = draw(&wide(), Fit::default());
        assert!(!whole.cut && whole.text.contains("(その2)11"));
    }

    #[test]
    fn too_many_columns_are_drawn_vertically() {
        let d = draw(
            &wide(),
            Fit {
                width: Some(20),
                ..Fit::default()
            },
        );
        assert!(d.vertical);
        assert!(d.text.lines().all(|l| columns(l) <= 20), "{}", d.text);
    }

    #[test]
    fn fair_shares() {
        assert_eq!(fit_widths(&[3, 10, 100], 50), Some(vec![3, 10, 37]));
        assert_eq!(fit_widths(&[60, 60], 50), Some(vec![25, 25]));
        // An id of 17 stays whole; the long title takes the cut.
        assert_eq!(
            fit_widths(&[1, 11, 17, 11, 70, 7], 61),
            Some(vec![1, 11, 17, 11, 14, 7])
        );
        // Too little room for that: everything shares.
        assert_eq!(
            fit_widths(&[18, 18, 18, 70], 50),
            Some(vec![12, 12, 13, 13])
        );
        assert_eq!(fit_widths(&[3, 4], 100), Some(vec![3, 4]));
        assert_eq!(fit_widths(&[30, 30, 30], 9), None);
    }

    #[test]
    fn headers_can_be_left_out() {
        let d = draw(
            &sample(),
            Fit {
                headers: false,
                ..Fit::default()
            },
        );
        assert!(!d.text.contains('╞'), "{}", d.text);
        assert_eq!(d.text.lines().count(), 4);
    }

    #[test]
    fn clips_long_cells() {
        assert_eq!(clip("暗号化された通信回線", Some(9)), "暗号化…線");
        assert_eq!(clip("短い", Some(4)), "短い");
        assert_eq!(clip("abcdef", None), "abcdef");
    }

    #[test]
    fn boolean_query_prints_true_or_false() {
        let t = table(&[], vec![vec![]]);
        assert_eq!(render_answer(&t), "true\n");
        assert_eq!(row_count(1), "1 row");
    }
}
