//! Document text with its whitespace taken out, each character mapped back
//! to its line.
//!
//! Extracted text of one form differs most in its spacing: a table cell per
//! line, a page flattened onto one line, labels glued to values, every
//! character spaced apart. With the whitespace removed these layouts read
//! the same, so the cover reader matches the form's labels here; each
//! character remembers its document line (provenance) and what separated
//! it from the previous one (to cut a value into pieces and to put spaces
//! back where the document had them).

use super::normalize::Line;
use std::ops::Range;

/// The cell separator of a Markdown table row (`| 評価書番号 | 評価書名 |`).
const CELL_RULE: char = '|';

/// What stood before a character in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// Nothing: the previous character touches it.
    None,
    /// Spaces or a cell boundary on the same line.
    Space,
    /// A line break (with or without blank lines).
    Break,
}

/// The compact text of a run of lines.
#[derive(Debug, Default)]
pub struct Compact {
    /// The text without whitespace.
    pub text: String,
    /// Byte offset in `text` of each character.
    starts: Vec<usize>,
    /// Document line of each character.
    lines: Vec<usize>,
    /// What stood before each character.
    gaps: Vec<Gap>,
}

impl Compact {
    /// The compact text of the lines numbered below `end`.
    pub fn new(lines: &[Line], end: usize) -> Self {
        let mut c = Compact::default();
        for line in lines.iter().take_while(|l| l.no < end) {
            let mut gap = Gap::Break;
            for ch in line.flat().chars() {
                // A Markdown table's pipe separates cells as a tab does.
                if ch.is_whitespace() || ch == CELL_RULE {
                    if gap == Gap::None {
                        gap = Gap::Space;
                    }
                    continue;
                }
                c.starts.push(c.text.len());
                c.text.push(ch);
                c.lines.push(line.no);
                c.gaps.push(if c.gaps.is_empty() { Gap::None } else { gap });
                gap = Gap::None;
            }
        }
        c
    }

    fn index(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s < byte)
    }

    /// The document line of the character at byte `at` (the last line for
    /// the end of the text).
    pub fn line_of(&self, at: usize) -> usize {
        let i = self.index(at).min(self.lines.len().saturating_sub(1));
        self.lines.get(i).copied().unwrap_or(0)
    }

    /// What stood before the character at byte `at` (a break at the end).
    pub fn gap_before(&self, at: usize) -> Gap {
        self.gaps.get(self.index(at)).copied().unwrap_or(Gap::Break)
    }

    /// Splits `range` where the document had whitespace: its cells and
    /// words, as the layout separated them.
    pub fn pieces(&self, range: Range<usize>) -> Vec<Range<usize>> {
        self.split(range, |g| g != Gap::None)
    }

    /// Splits `range` at line breaks.
    pub fn split_lines(&self, range: Range<usize>) -> Vec<Range<usize>> {
        self.split(range, |g| g == Gap::Break)
    }

    fn split(&self, range: Range<usize>, cut: impl Fn(Gap) -> bool) -> Vec<Range<usize>> {
        let (first, last) = (self.index(range.start), self.index(range.end));
        let mut out = Vec::new();
        let mut start = range.start;
        for i in first + 1..last {
            if cut(self.gaps[i]) {
                out.push(start..self.starts[i]);
                start = self.starts[i];
            }
        }
        if start < range.end {
            out.push(start..range.end);
        }
        out
    }

    /// The text of `range` with the document's spacing put back: one space
    /// where it had whitespace, nothing where a line of Japanese text was
    /// hard-wrapped, and, in a document that spaces every character apart
    /// (`spaced`), spaces only between two ASCII words.
    pub fn render(&self, range: Range<usize>, spaced: bool) -> String {
        let (first, last) = (self.index(range.start), self.index(range.end));
        let mut out = String::new();
        let mut prev: Option<char> = None;
        for i in first..last {
            let Some(ch) = self.text[self.starts[i]..].chars().next() else {
                break;
            };
            if let Some(p) = prev {
                let ascii = p.is_ascii_alphanumeric() && ch.is_ascii_alphanumeric();
                let space = match self.gaps[i] {
                    Gap::None => false,
                    _ if spaced => ascii,
                    Gap::Space => true,
                    Gap::Break => p.is_ascii() || ch.is_ascii(),
                };
                if space {
                    out.push(' ');
                }
            }
            out.push(ch);
            prev = Some(ch);
        }
        out
    }

    /// True when most neighbouring Japanese characters of `range` are
    /// spaced apart ("桑 名 市 長"): the words of such text are not its
    /// pieces.
    pub fn is_spaced(&self, range: Range<usize>) -> bool {
        let (first, last) = (self.index(range.start), self.index(range.end));
        let (mut spaced, mut pairs) = (0, 0);
        let mut prev_cjk = false;
        for i in first..last {
            let cjk = self.text[self.starts[i]..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_ascii());
            if cjk && prev_cjk {
                pairs += 1;
                spaced += usize::from(self.gaps[i] == Gap::Space);
            }
            prev_cjk = cjk;
        }
        pairs >= 8 && spaced * 2 > pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::normalize::lines;

    #[test]
    fn maps_characters_to_lines_and_keeps_the_spacing() {
        let c = Compact::new(
            &lines("評価書番号\n1\n評価書名\n住民 基礎項目評価\n書\n"),
            99,
        );
        assert_eq!(c.text, "評価書番号1評価書名住民基礎項目評価書");
        let name = c.text.find("住民").unwrap();
        assert_eq!(c.line_of(name), 4);
        assert_eq!(c.render(name..c.text.len(), false), "住民 基礎項目評価書");
        assert_eq!(c.pieces(name..c.text.len()).len(), 3);
        assert_eq!(c.split_lines(0..c.text.len()).len(), 5);
        assert!(!c.is_spaced(0..c.text.len()));
    }

    #[test]
    fn markdown_pipes_separate_cells() {
        let c = Compact::new(&lines("| 評価書番号 | 評価書名 |\n| 3 | 予防接種 |"), 99);
        assert_eq!(c.text, "評価書番号評価書名3予防接種");
        let at = c.text.find('3').unwrap();
        assert_eq!(c.pieces(at..c.text.len()).len(), 2);
    }

    #[test]
    fn a_spaced_document_is_told_and_rendered_without_its_spaces() {
        let c = Compact::new(&lines("桑 名 市 長 公 表 日 平 成 28 年 4 月 25 日"), 99);
        assert!(c.is_spaced(0..c.text.len()));
        assert_eq!(
            c.render(0..c.text.len(), true),
            "桑名市長公表日平成28年4月25日"
        );
    }
}
