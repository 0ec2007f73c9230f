//! The coverage matrix as an SVG heat map, drawn as text by pialog itself
//! (no Graphviz, no browser): one row per assessment, one block of columns
//! per phase, one column per measure class, labelled in Japanese.
//!
//! Colours: greens for covered cells (darker = more measures), red for a gap
//! (another body has such a measure for that phase), pale grey where no body
//! has one, white with a dash where the assessment states no risk of the
//! phase. Each cell carries a `<title>` so a browser shows the numbers on
//! hover.

use super::matrix::{Cell, Matrix};
use std::fmt::Write as _;

const CELL: usize = 20;
const LEFT: usize = 240;
const TOP: usize = 150;
const GAP: usize = 8;
const FONT: &str = "'Noto Sans CJK JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif";

use super::xml::esc;

/// Fill colour and short text of a cell.
fn paint(cell: Cell) -> (&'static str, String) {
    match cell {
        Cell::NotAssessed => ("#ffffff", "–".to_string()),
        Cell::Covered(1) => ("#c7e9c0", "1".to_string()),
        Cell::Covered(n) if n <= 3 => ("#74c476", n.to_string()),
        Cell::Covered(n) => ("#238b45", n.to_string()),
        Cell::Gap => ("#de2d26", "0".to_string()),
        Cell::Absent => ("#eeeeee", String::new()),
    }
}

fn describe(cell: Cell) -> String {
    match cell {
        Cell::NotAssessed => "評価対象外の段階 (phase not assessed)".to_string(),
        Cell::Covered(n) => format!("措置 {n} 件 ({n} measures)"),
        Cell::Gap => "措置なし・他団体にはあり (gap: another body has one)".to_string(),
        Cell::Absent => "措置なし (none, and no other body has one)".to_string(),
    }
}

/// Renders the heat map.
pub fn heat_map(m: &Matrix) -> String {
    let block = m.classes.len() * CELL + GAP;
    let width = LEFT + m.phases.len() * block + 20;
    let height = TOP + m.assessments.len() * CELL + 90;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">"#
    );
    let _ = writeln!(
        s,
        r#"<title>対策の網羅状況 (coverage matrix): 評価書 × 段階 × 措置の種類</title>"#
    );
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        s,
        r#"<text x="10" y="20" font-size="14" font-weight="bold">対策の網羅状況 — 評価書 × 段階 × 措置の種類</text>"#
    );
    for (pi, (code, label)) in m.phases.iter().enumerate() {
        let x0 = LEFT + pi * block;
        let _ = writeln!(
            s,
            r#"<text x="{}" y="44" font-weight="bold"><title>{}</title>{}</text>"#,
            x0,
            esc(code),
            esc(&shorten(label, m.classes.len()))
        );
        for (ci, (ccode, clabel)) in m.classes.iter().enumerate() {
            let x = x0 + ci * CELL + CELL / 2 + 4;
            let _ = writeln!(
                s,
                r#"<text x="{x}" y="{}" transform="rotate(-90 {x} {})"><title>{}</title>{}</text>"#,
                TOP - 6,
                TOP - 6,
                esc(ccode),
                esc(clabel)
            );
        }
    }
    for (ai, head) in m.assessments.iter().enumerate() {
        let y = TOP + ai * CELL;
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            LEFT - 6,
            y + CELL - 6,
            esc(&head.id)
        );
        for pi in 0..m.phases.len() {
            for ci in 0..m.classes.len() {
                let cell = m.cell(ai, pi, ci);
                let (fill, text) = paint(cell);
                let x = LEFT + pi * block + ci * CELL;
                let _ = write!(
                    s,
                    r##"<g><title>{} / {} / {}: {}</title><rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill}" stroke="#999999" stroke-width="0.5"/>"##,
                    esc(&head.id),
                    esc(&m.phases[pi].1),
                    esc(&m.classes[ci].1),
                    esc(&describe(cell))
                );
                if !text.is_empty() {
                    let colour = if matches!(cell, Cell::Gap | Cell::Covered(4..)) {
                        "#ffffff"
                    } else {
                        "#333333"
                    };
                    let _ = write!(
                        s,
                        r#"<text x="{}" y="{}" text-anchor="middle" fill="{colour}">{}</text>"#,
                        x + CELL / 2,
                        y + CELL - 6,
                        esc(&text)
                    );
                }
                let _ = writeln!(s, "</g>");
            }
        }
    }
    let ly = TOP + m.assessments.len() * CELL + 30;
    let legend = [
        (Cell::Covered(1), "措置あり (1件)"),
        (Cell::Covered(2), "2–3件"),
        (Cell::Covered(4), "4件以上"),
        (Cell::Gap, "不足 (他団体にはあり)"),
        (Cell::Absent, "どの団体にもなし"),
        (Cell::NotAssessed, "評価対象外の段階"),
    ];
    let mut x = 10;
    for (cell, label) in legend {
        let (fill, _) = paint(cell);
        let _ = writeln!(
            s,
            r##"<rect x="{x}" y="{ly}" width="14" height="14" fill="{fill}" stroke="#999999"/><text x="{}" y="{}">{}</text>"##,
            x + 18,
            ly + 11,
            esc(label)
        );
        x += 30 + label.chars().count() * 12;
    }
    let _ = writeln!(s, "</svg>");
    s
}

/// Cuts a phase label to fit over its block of columns.
fn shorten(label: &str, columns: usize) -> String {
    let max = (columns * CELL) / 11;
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_cells_labels_and_gaps() {
        let svg = heat_map(&crate::output::matrix::tests::sample());
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains(">暗号化</text>"));
        assert!(svg.contains("保管"));
        // one gap cell (B storage encryption) + the legend swatch
        assert_eq!(svg.matches("fill=\"#de2d26\"").count(), 2);
        assert!(svg.contains("B/1 / 保管・消去 / 暗号化"));
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
