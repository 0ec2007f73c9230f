//! The coverage matrix as an SVG heat map, drawn as text by pialog itself
//! (no Graphviz, no browser): one row per assessment, one block of columns
//! per phase, one column per measure class, labelled in Japanese.
//!
//! Colours: greens for covered cells (darker = more measures), red for a gap
//! (another body has such a measure for that phase), amber with `?` where
//! that gap may be one of the reading (part of the phase was not read; the
//! notes are listed under the legend and in the tooltip), pale grey where no
//! body has one, white with a dash where the assessment states no risk of the
//! phase. Phases wrap into bands to stay within a page width. Each cell
//! carries a `<title>` so a browser shows the numbers on hover.

use super::matrix::{Cell, Matrix};
use std::fmt::Write as _;

const CELL: usize = 20;
const LEFT: usize = 200;
/// Height of a band's headings (phase label and rotated class labels).
const HEAD: usize = 120;
const GAP: usize = 8;
/// The widest the picture may get: an A4 page at 96 dpi, landscape, less
/// its margins. Phases that do not fit side by side are stacked in bands.
const PAGE_WIDTH: usize = 1060;
/// CJK families first (Linux, macOS, Windows, then the IPA and Takao fonts
/// of older distributions), then the generic fallback.
const FONT: &str = "'Noto Sans CJK JP','Noto Sans JP','Source Han Sans JP','Hiragino Kaku Gothic ProN','Hiragino Sans','Yu Gothic','Meiryo','IPAexGothic','IPAGothic','TakaoGothic',sans-serif";

use super::xml::esc;

/// Fill colour and short text of a cell.
fn paint(cell: Cell) -> (&'static str, String) {
    match cell {
        Cell::NotAssessed => ("#ffffff", "–".to_string()),
        Cell::Covered(1) => ("#c7e9c0", "1".to_string()),
        Cell::Covered(n) if n <= 3 => ("#74c476", n.to_string()),
        Cell::Covered(n) => ("#238b45", n.to_string()),
        Cell::Gap => ("#de2d26", "0".to_string()),
        Cell::Unknown => ("#fdd49e", "?".to_string()),
        Cell::Absent => ("#eeeeee", String::new()),
    }
}

fn describe(cell: Cell) -> String {
    match cell {
        Cell::NotAssessed => "評価対象外の段階 (phase not assessed)".to_string(),
        Cell::Covered(n) => format!("措置 {n} 件 ({n} measures)"),
        Cell::Gap => "措置なし・他団体にはあり (gap: another body has one)".to_string(),
        Cell::Unknown => {
            "措置の記載なし・読み取れない部分あり (unknown: part of the phase was not read)"
                .to_string()
        }
        Cell::Absent => "措置なし (none, and no other body has one)".to_string(),
    }
}

/// How many phases fit side by side on a page.
fn phases_per_band(classes: usize, phases: usize) -> usize {
    let block = classes * CELL + GAP;
    ((PAGE_WIDTH - LEFT - 20) / block.max(1)).clamp(1, phases.max(1))
}

/// Renders the heat map: phases side by side as far as a page's width
/// allows, the rest stacked below in bands that repeat the row headings;
/// unknown cells (a gap in the reading) apart from red gaps, their notes
/// listed under the legend.
pub fn heat_map(m: &Matrix) -> String {
    let block = m.classes.len() * CELL + GAP;
    let per_band = phases_per_band(m.classes.len(), m.phases.len());
    let bands: Vec<&[(String, String)]> = m.phases.chunks(per_band).collect();
    let band_height = HEAD + m.assessments.len() * CELL + 24;
    let notes: Vec<(usize, usize, Vec<&str>)> = m.all_notes().collect();
    let note_lines: usize = notes.iter().map(|(_, _, n)| n.len()).sum();
    let width = LEFT + per_band * block + 20;
    let top = 30;
    let legend_y = top + bands.len().max(1) * band_height + 10;
    let height = legend_y + 40 + note_lines * 16 + 20;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">"#
    );
    let _ = writeln!(
        s,
        r#"<title>対策の網羅状況 (coverage matrix): 評価書 × 段階 × 措置の種類</title>"#
    );
    let _ = writeln!(
        s,
        r#"<desc>Japanese labels need a CJK font (Noto Sans CJK JP, Hiragino, Yu Gothic, Meiryo or IPAexGothic); without one they show as boxes.</desc>"#
    );
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        s,
        r#"<text x="10" y="20" font-size="14" font-weight="bold">対策の網羅状況 — 評価書 × 段階 × 措置の種類</text>"#
    );
    for (bi, band) in bands.iter().enumerate() {
        let y0 = top + bi * band_height;
        let first = bi * per_band;
        for (k, (code, label)) in band.iter().enumerate() {
            let x0 = LEFT + k * block;
            let _ = writeln!(
                s,
                r#"<text x="{x0}" y="{}" font-weight="bold"><title>{}</title>{}</text>"#,
                y0 + 14,
                esc(code),
                esc(&shorten(label, m.classes.len()))
            );
            for (ci, (ccode, clabel)) in m.classes.iter().enumerate() {
                let x = x0 + ci * CELL + CELL / 2 + 4;
                let y = y0 + HEAD - 6;
                let _ = writeln!(
                    s,
                    r#"<text x="{x}" y="{y}" transform="rotate(-90 {x} {y})"><title>{}</title>{}</text>"#,
                    esc(ccode),
                    esc(clabel)
                );
            }
        }
        for (ai, head) in m.assessments.iter().enumerate() {
            let y = y0 + HEAD + ai * CELL;
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
                LEFT - 6,
                y + CELL - 6,
                esc(&head.id)
            );
            for k in 0..band.len() {
                let pi = first + k;
                for ci in 0..m.classes.len() {
                    let x = LEFT + k * block + ci * CELL;
                    cell(&mut s, m, (ai, pi, ci), x, y);
                }
            }
        }
    }
    legend(&mut s, legend_y);
    let mut y = legend_y + 40;
    for (ai, pi, lines) in &notes {
        for n in lines {
            let _ = writeln!(
                s,
                r#"<text x="10" y="{y}">? {} / {}: {}</text>"#,
                esc(&m.assessments[*ai].id),
                esc(&m.phases[*pi].1),
                esc(n)
            );
            y += 16;
        }
    }
    let _ = writeln!(s, "</svg>");
    s
}

/// One cell: its square, its number and a tooltip (with the unread notes
/// of an unknown cell).
fn cell(s: &mut String, m: &Matrix, (ai, pi, ci): (usize, usize, usize), x: usize, y: usize) {
    let c = m.cell(ai, pi, ci);
    let (fill, text) = paint(c);
    let mut tip = format!(
        "{} / {} / {}: {}",
        m.assessments[ai].id,
        m.phases[pi].1,
        m.classes[ci].1,
        describe(c)
    );
    if c == Cell::Unknown {
        for n in m.notes(ai, pi) {
            tip.push_str("\n読み取れなかった部分: ");
            tip.push_str(n);
        }
    }
    let _ = write!(
        s,
        r##"<g><title>{}</title><rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill}" stroke="#999999" stroke-width="0.5"/>"##,
        esc(&tip)
    );
    if !text.is_empty() {
        let colour = if matches!(c, Cell::Gap | Cell::Covered(4..)) {
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

/// The colour key, on one line.
fn legend(s: &mut String, ly: usize) {
    let legend = [
        (Cell::Covered(1), "措置あり (1件)"),
        (Cell::Covered(2), "2–3件"),
        (Cell::Covered(4), "4件以上"),
        (Cell::Gap, "不足 (他団体にはあり)"),
        (Cell::Unknown, "? 読み取れない部分あり"),
        (Cell::Absent, "どの団体にもなし"),
        (Cell::NotAssessed, "評価対象外"),
    ];
    let mut x = 10;
    for (c, label) in legend {
        let (fill, _) = paint(c);
        let _ = writeln!(
            s,
            r##"<rect x="{x}" y="{ly}" width="14" height="14" fill="{fill}" stroke="#999999"/><text x="{}" y="{}">{}</text>"##,
            x + 18,
            ly + 11,
            esc(label)
        );
        x += 26 + label.chars().count() * 11;
    }
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
    fn unknown_cells_are_amber_with_their_note() {
        let svg = heat_map(&crate::output::matrix::tests::sample_unread());
        // one unknown cell + the legend swatch; no red gap left
        assert_eq!(svg.matches("fill=\"#fdd49e\"").count(), 2);
        assert_eq!(svg.matches("fill=\"#de2d26\"").count(), 1);
        assert!(svg.contains("読み取れなかった部分: III-7 (line 9): not read"));
        assert!(svg.contains(">? B/1 / 保管・消去: III-7 (line 9): not read</text>"));
    }

    #[test]
    fn names_cjk_fonts_with_a_generic_fallback() {
        let svg = heat_map(&crate::output::matrix::tests::sample());
        for family in [
            "'Noto Sans CJK JP'",
            "'Hiragino Sans'",
            "'Yu Gothic'",
            "sans-serif",
        ] {
            assert!(svg.contains(family), "{family}");
        }
    }

    #[test]
    fn phases_stack_to_stay_within_a_page() {
        let m = crate::output::matrix::tests::sample();
        let svg = heat_map(&m);
        let width: usize = svg
            .split("width=\"")
            .nth(1)
            .and_then(|w| w.split('"').next())
            .and_then(|w| w.parse().ok())
            .unwrap_or(usize::MAX);
        assert!(width <= PAGE_WIDTH, "{width}");
        // Thirteen classes make a block of 268 px: three phases to a band,
        // so the seven phases of the form stack in three bands.
        assert_eq!(phases_per_band(13, 7), 3);
        assert_eq!(phases_per_band(2, 7), 7);
        assert_eq!(phases_per_band(40, 7), 1);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
