//! The cover page and the first field of part I, read by the form's
//! template ([`super::template`]), whatever the layout.
//!
//! The labels of the cover are fixed, so they are found in the text with
//! all whitespace removed ([`super::compact`]) and each value is what lies
//! between one label and the next. Extracted text can repeat the cover
//! (page previews) and can put cells out of reading order, so the labels
//! are grouped into copies of the cover (a label seen twice starts a new
//! copy) and the copy that shows most labels is read. A value is taken only
//! when it has the shape of its field (a number, an era date, a body's
//! name); a field whose value stands away from its label (a date after the
//! number, the body after 公表日) is taken only when the cover holds exactly
//! one value of that shape. Everything else is a warning, never a guess.

use super::compact::{Compact, Gap};
use super::era::{date_prefix, era_month};
use super::form::PREFECTURES;
use super::normalize::Line;
use super::template::{self as t, Slot};
use aho_corasick::{AhoCorasick, MatchKind};
use std::ops::Range;
use std::sync::OnceLock;

/// A value read from the document and the line it stands on.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// The value, with the document's spacing normalised.
    pub text: String,
    /// Its document line.
    pub line: usize,
}

/// What the cover page (and I-1 ①事務の名称) says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cover {
    /// Whether any cover label was found.
    pub found: bool,
    /// 評価実施機関名 as printed (a prefecture kept).
    pub org: Option<Value>,
    /// 評価書番号; an empty text when the cell is blank (a draft).
    pub number: Option<Value>,
    /// 評価書名, whole.
    pub title: Option<Value>,
    /// `full`, `focused` or `basic`, and the line that says so.
    pub kind: Option<(&'static str, usize)>,
    /// 公表日 as ISO.
    pub published: Option<Value>,
    /// The 様式 line without brackets ("平成26年4月 様式2").
    pub form: Option<Value>,
    /// I-1 ①事務の名称.
    pub affair: Option<Value>,
    /// Whether the title carries the draft mark (案).
    pub draft: bool,
    /// The line of the cover's first label (where its warnings point).
    pub line: usize,
    /// What could not be read: (line, message).
    pub warnings: Vec<(usize, String)>,
}

/// A label (or the 様式 line) found in the compact text.
#[derive(Clone, Debug)]
struct Mark {
    slot: Found,
    at: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
enum Found {
    Label(Slot),
    /// The 様式 line: version and sheet number.
    Sheet(String, u32),
}

/// The matcher of every cover label (built once; `None` only if the
/// template's labels could not be compiled, which its tests rule out).
fn matcher() -> &'static Option<(AhoCorasick, Vec<Slot>)> {
    static M: OnceLock<Option<(AhoCorasick, Vec<Slot>)>> = OnceLock::new();
    M.get_or_init(|| {
        let labels = t::labels();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(labels.iter().map(|(l, _)| l.as_str()))
            .ok()?;
        Some((ac, labels.into_iter().map(|(_, s)| s).collect()))
    })
}

/// Reads the cover from the lines before `end` (the change list).
pub fn read(lines: &[Line], end: usize) -> Cover {
    let c = Compact::new(lines, end);
    let marks = find_marks(&c);
    let mut cover = Cover::default();
    let Some(window) = best_copy(&marks) else {
        // No cover page (a document that starts at part I): its affair all
        // the same.
        let spaced = c.is_spaced(0..c.text.len());
        cover.affair = read_affair(&c, 0, spaced, &mut cover.warnings);
        return cover;
    };
    cover.found = true;
    cover.line = c.line_of(marks[window.start].at.start);
    let span = marks[window.start].at.start..segment(&c, &marks, window.end - 1).end;
    let reader = Reader {
        c: &c,
        marks: &marks,
        window: window.clone(),
        spaced: c.is_spaced(span),
    };
    reader.read(&mut cover);
    let after = marks[window.end - 1].at.end;
    cover.affair = read_affair(&c, after, reader.spaced, &mut cover.warnings);
    cover
}

/// Every label and 様式 line of the text, in order.
fn find_marks(c: &Compact) -> Vec<Mark> {
    let Some((ac, slots)) = matcher() else {
        return Vec::new();
    };
    let mut marks: Vec<Mark> = ac
        .find_iter(&c.text)
        .map(|m| Mark {
            slot: Found::Label(slots[m.pattern().as_usize()]),
            at: m.range(),
        })
        .collect();
    for (at, _) in c.text.match_indices(t::FORM_SHEET) {
        if let Some(sheet) = sheet_line(&c.text, at)
            && !marks
                .iter()
                .any(|m| m.at.start < sheet.at.end && sheet.at.start < m.at.end)
        {
            marks.push(sheet);
        }
    }
    marks.sort_by_key(|m| m.at.start);
    marks
}

/// The 様式 line around the word 様式 at byte `at`: "[平成26年4月様式2]".
fn sheet_line(text: &str, at: usize) -> Option<Mark> {
    // One digit: the sheets are 様式2 to 様式4, and flattened text glues the
    // page number on ("様式 3 1/32").
    let tail = &text[at + t::FORM_SHEET.len()..];
    let sheet = tail.chars().next()?.to_digit(10)?;
    t::KINDS.iter().find(|(_, _, s)| *s == sheet)?;
    let mut end = at + t::FORM_SHEET.len() + 1;
    if text[end..].starts_with(t::SHEET_BRACKETS.1) {
        end += 1;
    }
    // The version stands right before: try each start up to 12 characters back.
    let starts = text[..at].char_indices().rev().take(12).map(|(i, _)| i);
    for start in starts {
        if let Some((_, _, rest)) = era_month(&text[start..at])
            && rest.is_empty()
        {
            let begin = if text[..start].ends_with(t::SHEET_BRACKETS.0) {
                start - t::SHEET_BRACKETS.0.len_utf8()
            } else {
                start
            };
            return Some(Mark {
                slot: Found::Sheet(text[start..at].to_string(), sheet),
                at: begin..end,
            });
        }
    }
    None
}

/// The copy of the cover with the most distinct labels (the first among
/// equals), as a range of mark indices ending after its last mark.
fn best_copy(marks: &[Mark]) -> Option<Range<usize>> {
    let mut copies: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    let mut seen: Vec<&Found> = Vec::new();
    for (i, m) in marks.iter().enumerate() {
        let key = &m.slot;
        match &m.slot {
            Found::Label(Slot::End) => {
                copies.push(start..i + 1);
                start = i + 1;
                seen.clear();
                continue;
            }
            Found::Label(Slot::Noise) => continue,
            _ => {}
        }
        let repeated = seen.iter().any(|s| same(s, key));
        if repeated && start < i {
            copies.push(start..i);
            start = i;
            seen.clear();
        }
        seen.push(&m.slot);
    }
    if start < marks.len() {
        copies.push(start..marks.len());
    }
    let labels = |r: &Range<usize>| {
        let mut kinds: Vec<&Found> = Vec::new();
        for m in &marks[r.clone()] {
            if !matches!(m.slot, Found::Label(Slot::End | Slot::Noise))
                && !kinds.iter().any(|k| same(k, &m.slot))
            {
                kinds.push(&m.slot);
            }
        }
        kinds.len()
    };
    let best = copies.iter().map(labels).max().filter(|&n| n >= 2)?;
    copies.into_iter().find(|r| labels(r) == best)
}

fn same(a: &Found, b: &Found) -> bool {
    match (a, b) {
        (Found::Sheet(..), Found::Sheet(..)) => true,
        (Found::Label(Slot::FormTitle(_)), Found::Label(Slot::FormTitle(_))) => true,
        _ => a == b,
    }
}

/// The most pieces a title is cut from when it opens a block of values.
const TITLE_PIECES_MAX: usize = 12;

/// The most characters a value may run past its label when no label
/// follows (the end of a document that is a cover only).
const LAST_SEGMENT_MAX: usize = 1200;

/// The text between mark `i` and the next mark (its value).
fn segment(c: &Compact, marks: &[Mark], i: usize) -> Range<usize> {
    let start = marks[i].at.end;
    let end = marks
        .get(i + 1)
        .map_or((start + LAST_SEGMENT_MAX).min(c.text.len()), |m| m.at.start);
    let end = (start..=end)
        .rev()
        .find(|&e| c.text.is_char_boundary(e))
        .unwrap_or(start);
    start..end.max(start)
}

struct Reader<'a> {
    c: &'a Compact,
    marks: &'a [Mark],
    window: Range<usize>,
    spaced: bool,
}

/// A value's shape: what a field may hold.
fn is_number(text: &str) -> bool {
    (1..=10).contains(&text.chars().count())
        && text.chars().any(|c| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn is_org(text: &str) -> bool {
    let n = text.chars().count();
    (2..=40).contains(&n)
        && !text.contains(t::NOT_IN_ORG)
        && date_prefix(text).is_none()
        && !is_number(text)
}

fn ends_like_org(text: &str) -> bool {
    is_org(text) && t::ORG_ENDINGS.iter().any(|e| text.ends_with(e))
}

impl Reader<'_> {
    fn find(&self, slot: Slot) -> Option<usize> {
        self.window
            .clone()
            .find(|&i| matches!(self.marks[i].slot, Found::Label(s) if s == slot))
    }

    fn seg(&self, i: usize) -> Range<usize> {
        segment(self.c, self.marks, i)
    }

    fn text(&self, r: Range<usize>) -> String {
        self.c.render(r, self.spaced).trim().to_string()
    }

    fn value(&self, r: Range<usize>) -> Value {
        Value {
            line: self.c.line_of(r.start),
            text: self.text(r),
        }
    }

    fn pieces(&self, r: Range<usize>) -> Vec<Range<usize>> {
        if r.is_empty() {
            Vec::new()
        } else if self.spaced {
            // Every character is its own piece there: dates are pieces, and
            // the rest is cut at a change between ASCII and Japanese only.
            spaced_pieces(self.c, r)
        } else {
            self.c.pieces(r)
        }
    }

    fn read(&self, cover: &mut Cover) {
        let mut loose: Vec<Range<usize>> = Vec::new();
        for i in self.window.clone() {
            if let Found::Label(Slot::FormTitle(code)) = self.marks[i].slot {
                cover.kind = Some((code, self.c.line_of(self.marks[i].at.start)));
            }
            if let Found::Sheet(version, sheet) = &self.marks[i].slot {
                cover.form = Some(Value {
                    text: format!("{version} {}{sheet}", t::FORM_SHEET),
                    line: self.c.line_of(self.marks[i].at.start),
                });
                self.check_kind(cover, *sheet, self.c.line_of(self.marks[i].at.start));
            }
        }
        self.number_and_title(cover, &mut loose);
        let org_at = self.find(Slot::Org);
        let published_at = self.find(Slot::Published);
        let approval_at = self.find(Slot::Approval);
        // Segments whose pieces may hold a value that stands away from its
        // label: everything but the title, the number and the org itself.
        for i in self.window.clone() {
            let keep = match self.marks[i].slot {
                Found::Label(Slot::Number | Slot::Name | Slot::Org | Slot::End) => false,
                Found::Label(_) => true,
                Found::Sheet(..) => true,
            };
            if keep {
                loose.extend(self.pieces(self.seg(i)));
            }
        }
        self.org(cover, org_at, &loose);
        self.published(cover, published_at, approval_at, &loose);
        if cover.kind.is_none()
            && let Some(title) = &cover.title
            && let Some((_, code, _)) = t::KINDS.iter().find(|(w, _, _)| title.text.contains(w))
        {
            cover.kind = Some((code, title.line));
        }
    }

    fn check_kind(&self, cover: &mut Cover, sheet: u32, line: usize) {
        let by_sheet = t::KINDS
            .iter()
            .find(|(_, _, s)| *s == sheet)
            .map(|(_, c, _)| *c);
        match (cover.kind, by_sheet) {
            (Some((kind, _)), Some(other)) if kind != other => cover.warnings.push((
                line,
                format!("the title names a {kind} assessment but the 様式 line is 様式{sheet} ({other}); the title's kind is kept"),
            )),
            (None, Some(kind)) => cover.kind = Some((kind, line)),
            _ => {}
        }
    }

    /// 評価書番号 and 評価書名: in their own cells, both after 評価書名
    /// ("評価書番号 評価書名 / 3 予防接種… / …評価書 5"), or after a run of
    /// labels whose values follow together (the label column extracted
    /// before the value column).
    fn number_and_title(&self, cover: &mut Cover, loose: &mut Vec<Range<usize>>) {
        let number_at = self.find(Slot::Number);
        let name_at = self.find(Slot::Name);
        let empty_name = name_at.filter(|&i| self.seg(i).is_empty());
        let mut title_range = name_at.map(|i| self.seg(i));
        let mut in_block = false;
        if let Some(n) = number_at {
            let seg = self.seg(n);
            let line = self.c.line_of(self.marks[n].at.start);
            let pieces = self.pieces(seg.clone());
            match pieces.first() {
                Some(p) if is_number(&self.text(p.clone())) => {
                    cover.number = Some(self.value(p.clone()));
                    loose.extend(pieces[1..].iter().cloned());
                }
                Some(p) => cover.warnings.push((
                    line,
                    format!(
                        "評価書番号: \"{}\" is not an assessment number; no number read",
                        self.text(p.clone())
                    ),
                )),
                None if empty_name.is_some() => {
                    // Both labels empty: the values follow a run of labels.
                    title_range = None;
                    let block = empty_name.and_then(|i| self.run_block(i));
                    let first = block
                        .as_ref()
                        .and_then(|b| self.pieces(b.clone()).first().cloned());
                    match (block, first) {
                        (Some(b), Some(p)) if is_number(&self.text(p.clone())) => {
                            cover.number = Some(self.value(p.clone()));
                            title_range = Some(p.end..b.end);
                            in_block = true;
                        }
                        _ => cover.warnings.push((
                            line,
                            "評価書番号 and 評価書名 stand apart from their values and no number follows them; neither read".into(),
                        )),
                    }
                }
                None => {
                    // Number and title share the row after 評価書名.
                    if let Some(r) = title_range.clone() {
                        let ps = self.pieces(r.clone());
                        let first = ps.first().filter(|p| is_number(&self.text((*p).clone())));
                        let last = ps
                            .last()
                            .filter(|p| ps.len() > 1 && is_number(&self.text((*p).clone())));
                        if let Some(p) = first.or(last) {
                            cover.number = Some(self.value(p.clone()));
                            title_range = Some(if first.is_some() {
                                p.end..r.end
                            } else {
                                r.start..p.start
                            });
                        } else if let Some(at) = glued_number(&self.c.text[r.clone()]) {
                            // "…重点項目評価書5": the number glued to the title.
                            cover.number = Some(self.value(r.start + at..r.end));
                            title_range = Some(r.start..r.start + at);
                        }
                    }
                    if cover.number.is_none() {
                        cover.number = Some(Value {
                            text: String::new(),
                            line,
                        });
                        cover
                            .warnings
                            .push((line, "評価書番号 is blank (a draft?)".into()));
                    }
                }
            }
        }
        if !in_block && let Some(i) = empty_name.filter(|_| cover.number.is_some()) {
            title_range = self.run_block(i);
            in_block = title_range.is_some();
        }
        let Some(r) = title_range else {
            return;
        };
        let line = self.c.line_of(r.start);
        let title = if in_block {
            self.title_in_block(r)
        } else {
            clean_title(&self.text(r))
        };
        match title {
            Some(text) => {
                cover.draft = text.replace(' ', "").ends_with(t::DRAFT_MARK);
                cover.title = Some(Value { text, line });
            }
            None => cover.warnings.push((
                line,
                "評価書名: no title of the shape the form prints; no title read".into(),
            )),
        }
    }

    /// The values after a run of labels whose own cells are empty, starting
    /// at mark `i`: the first segment that holds anything.
    fn run_block(&self, i: usize) -> Option<Range<usize>> {
        let mut j = i;
        while self.seg(j).is_empty() {
            j += 1;
            if j >= self.window.end || matches!(self.marks[j].slot, Found::Label(Slot::End)) {
                return None;
            }
        }
        (j > i).then(|| self.seg(j))
    }

    /// A title at the start of a block of values: its first pieces up to
    /// the form's 評価書 (with a draft mark or bracketed note after it).
    fn title_in_block(&self, r: Range<usize>) -> Option<String> {
        let pieces = self.pieces(r.clone());
        let end = pieces.iter().take(TITLE_PIECES_MAX).position(|p| {
            let text = &self.c.text[r.start..p.end];
            text.ends_with(t::TITLE_END) && !text.contains(t::SENTENCE_END)
        })?;
        let mut stop = pieces[end].end;
        if let Some(next) = pieces.get(end + 1) {
            let text = &self.c.text[next.clone()];
            if text == t::DRAFT_MARK
                || (text.starts_with(t::NOTE_BRACKETS.0) && text.ends_with(t::NOTE_BRACKETS.1))
            {
                stop = next.end;
            }
        }
        Some(self.text(r.start..stop))
    }

    /// 評価実施機関名: its own cell, or the one body's name that stands
    /// elsewhere on the cover when that cell is empty.
    fn org(&self, cover: &mut Cover, org_at: Option<usize>, loose: &[Range<usize>]) {
        let Some(i) = org_at else {
            return;
        };
        let line = self.c.line_of(self.marks[i].at.start);
        let seg = self.seg(i);
        let whole = self.text(seg.clone()).replace(' ', "");
        if is_org(&whole) {
            cover.org = Some(Value {
                text: whole,
                line: self.c.line_of(seg.start),
            });
            return;
        }
        if let Some(first) = self.pieces(seg.clone()).first()
            && ends_like_org(&self.text(first.clone()))
        {
            cover.org = Some(self.value(first.clone()));
            return;
        }
        let mut names: Vec<Value> = loose
            .iter()
            .map(|r| self.value(r.clone()))
            .filter(|v| ends_like_org(&v.text))
            .collect();
        unique(&mut names);
        match names.len() {
            1 => cover.org = names.pop(),
            0 => cover.warnings.push((line, "評価実施機関名: no body's name found".into())),
            _ => cover.warnings.push((
                line,
                format!(
                    "評価実施機関名: its cell is empty and the cover shows {} names ({}); none taken",
                    names.len(),
                    names.iter().map(|v| v.text.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }

    /// 公表日: the date in its cell, or the one date that stands alone
    /// elsewhere on the cover (cells out of order) when that cell has none.
    fn published(
        &self,
        cover: &mut Cover,
        published_at: Option<usize>,
        approval_at: Option<usize>,
        loose: &[Range<usize>],
    ) {
        let Some(i) = published_at else {
            return;
        };
        let line = self.c.line_of(self.marks[i].at.start);
        let seg = self.seg(i);
        let cell = self.c.text[seg.clone()].trim_start_matches(t::BEFORE_DATE);
        if let Some((date, _)) = date_prefix(cell) {
            cover.published = Some(Value {
                text: date,
                line: self.c.line_of(seg.start),
            });
            return;
        }
        let approval = approval_at.map(|a| self.seg(a));
        let mut dates: Vec<Value> = loose
            .iter()
            .filter(|r| approval.as_ref().is_none_or(|a| r.start != a.start))
            .filter_map(|r| {
                let text = &self.c.text[r.clone()];
                date_prefix(text)
                    .filter(|(_, len)| *len == text.len())
                    .map(|(d, _)| Value {
                        text: d,
                        line: self.c.line_of(r.start),
                    })
            })
            .collect();
        unique(&mut dates);
        match dates.len() {
            1 => cover.published = dates.pop(),
            0 => cover.warnings.push((
                line,
                "公表日: no date on the cover (not yet published?); no published fact written"
                    .into(),
            )),
            _ => cover.warnings.push((
                line,
                format!(
                    "公表日: its cell holds no date and the cover shows {} dates ({}); none taken",
                    dates.len(),
                    dates
                        .iter()
                        .map(|v| v.text.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
}

/// Where a number glued to the end of a title starts ("…評価書5"): only
/// right after the form's 評価書, where no title goes on with digits.
fn glued_number(title: &str) -> Option<usize> {
    let digits = title.len() - title.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let at = title.len() - digits;
    (digits > 0 && is_number(&title[at..]) && title[..at].ends_with(t::TITLE_END)).then_some(at)
}

/// A page number as extraction prints it ("1/5").
fn is_page_number(text: &str) -> bool {
    text.split_once(t::PAGE_OF).is_some_and(|(a, b)| {
        [a, b]
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    })
}

/// Keeps the first value of each text (a value printed twice is one).
fn unique(values: &mut Vec<Value>) {
    let mut seen: Vec<String> = Vec::new();
    values.retain(|v| {
        let new = !seen.contains(&v.text);
        seen.push(v.text.clone());
        new
    });
}

/// The pieces of spaced-apart text: each era date whole, the text between
/// them split by [`split_ascii`].
fn spaced_pieces(c: &Compact, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    let mut at = r.start;
    while at < r.end {
        let date = date_prefix(&c.text[at..r.end]).map(|(_, len)| len);
        let step = c.text[at..].chars().next().map_or(1, char::len_utf8);
        match date {
            Some(len) => {
                out.extend(split_ascii(c, start..at));
                out.push(at..at + len);
                at += len;
                start = at;
            }
            None => at += step,
        }
    }
    out.extend(split_ascii(c, start..r.end));
    out
}

/// Splits at every change between ASCII and other characters (the pieces
/// of a document whose every character is spaced apart).
fn split_ascii(c: &Compact, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if r.is_empty() {
        return out;
    }
    let mut start = r.start;
    let mut prev: Option<bool> = None;
    for (i, ch) in c.text[r.clone()].char_indices() {
        let at = r.start + i;
        let ascii = ch.is_ascii();
        if prev.is_some_and(|p| p != ascii) && c.gap_before(at) != Gap::None {
            out.push(start..at);
            start = at;
        }
        prev = Some(ascii);
    }
    if start < r.end {
        out.push(start..r.end);
    }
    out
}

/// The title of the shape the form prints: no sentence; when prose ran
/// into it, cut after the kind's 評価書 (with a draft mark or note).
fn clean_title(title: &str) -> Option<String> {
    if title.is_empty() {
        return None;
    }
    // A page number that extraction put after the title ("… 評価書 1/5").
    let title = match title.rsplit_once(' ') {
        Some((head, last)) if is_page_number(last) => head.trim_end(),
        _ => title,
    };
    if !title.contains(t::SENTENCE_END) && title.chars().count() <= 200 {
        return Some(title.to_string());
    }
    let before = title.split(t::SENTENCE_END).next().unwrap_or("");
    let end = before.rfind(t::TITLE_END)? + t::TITLE_END.len();
    let mut cut = before[..end].to_string();
    if before[end..].trim_start().starts_with(t::DRAFT_MARK) {
        cut.push(' ');
        cut.push_str(t::DRAFT_MARK);
    }
    Some(cut)
}

/// I-1 ①事務の名称: the first cell after its label (or after the run of
/// labels that precedes the values, "①事務の名称 ②事務の概要 … 生活保護関係事務").
fn read_affair(
    c: &Compact,
    from: usize,
    spaced: bool,
    warnings: &mut Vec<(usize, String)>,
) -> Option<Value> {
    let at = c.text[from..].find(t::AFFAIR_LABEL)? + from;
    let label_line = c.line_of(at);
    let mut start = at + t::AFFAIR_LABEL.len();
    // Skip labels that follow at once (with their circled numbers).
    loop {
        let rest = &c.text[start..];
        let rest_trim = rest.trim_start_matches(|ch: char| is_item_number(ch));
        match t::AFTER_AFFAIR.iter().find(|l| rest_trim.starts_with(*l)) {
            Some(l) => start += rest.len() - rest_trim.len() + l.len(),
            None => break,
        }
    }
    let rest = &c.text[start..];
    let stop = t::AFTER_AFFAIR
        .iter()
        .filter_map(|l| rest.find(l))
        .chain(rest.find(|ch: char| is_item_number(ch) && ch != t::ITEM_NUMBERS.0))
        .min()
        .unwrap_or(rest.len())
        .min(600);
    let stop = (0..=stop)
        .rev()
        .find(|&e| rest.is_char_boundary(e))
        .unwrap_or(0);
    let seg = start..start + stop;
    let lines = c.split_lines(seg.clone());
    let first_line = lines.first()?.clone();
    let line_text = c.render(first_line.clone(), spaced);
    let mut value = if line_text.contains(t::SENTENCE_END) || line_text.chars().count() > 60 {
        let piece = c.pieces(first_line.clone()).first()?.clone();
        c.render(piece, spaced)
    } else {
        line_text
    };
    // A long name wrapped onto the next line ("…に関\nする事務").
    if !value.ends_with(t::AFFAIR_END)
        && let Some(next) = lines.get(1)
    {
        let joined = format!("{value}{}", c.render(next.clone(), spaced));
        if joined.ends_with(t::AFFAIR_END)
            && joined.chars().count() <= 80
            && !joined.contains(t::SENTENCE_END)
        {
            value = joined;
        }
    }
    let value = value.trim().to_string();
    let n = value.chars().count();
    if (2..=100).contains(&n)
        && !value.contains(t::SENTENCE_END)
        && !value.starts_with(t::NOT_AFFAIR_START)
    {
        Some(Value {
            text: value,
            line: c.line_of(first_line.start),
        })
    } else {
        warnings.push((
            label_line,
            "I-1 ①事務の名称: no name of the shape the form prints; no affair read".into(),
        ));
        None
    }
}

fn is_item_number(ch: char) -> bool {
    (t::ITEM_NUMBERS.0..=t::ITEM_NUMBERS.1).contains(&ch)
}

/// The part of an organisation's name that makes its id: a prefecture
/// printed before a municipality is dropped ("静岡県焼津市長" -> "焼津市長"),
/// a prefecture's own body keeps it ("兵庫県教育委員会", "福島県知事"), so that
/// no two bodies share an id.
pub fn org_id(org: &str) -> String {
    let org = org.trim();
    for p in PREFECTURES {
        if let Some(rest) = org.strip_prefix(p).map(str::trim)
            && is_municipal_head(rest)
        {
            return rest.to_string();
        }
    }
    org.to_string()
}

/// The head of a municipality: a name and 市/町/村/区, then 長 ("焼津市長",
/// "虻田郡洞爺湖町長"); not a municipality's or prefecture's board.
fn is_municipal_head(name: &str) -> bool {
    let Some(body) = name.strip_suffix(t::MUNICIPAL_HEAD) else {
        return false;
    };
    let mut chars = body.chars();
    chars
        .next_back()
        .is_some_and(|c| t::MUNICIPALITY_WORDS.contains(&c))
        && (1..=t::MUNICIPALITY_NAME_MAX).contains(&chars.count())
}

/// The prefecture an organisation's name starts with, if any.
pub fn prefecture_of(org: &str) -> Option<&'static str> {
    PREFECTURES
        .iter()
        .copied()
        .find(|p| org.trim().starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::normalize::lines;

    fn cover(text: &str) -> Cover {
        read(&lines(text), usize::MAX)
    }

    fn v(c: &Option<Value>) -> &str {
        c.as_ref().map_or("<none>", |v| v.text.as_str())
    }

    #[test]
    fn one_cell_per_line() {
        let c = cover(
            "特定個人情報保護評価書(基礎項目評価書)\n評価書番号\n1\n評価書名\n住民基本台帳に関する事務 基\n礎項目評価書\n個人のプライバシー等の権利利益の保護の宣言\n那賀町は、…宣言する\n特記事項\n評価実施機関名\n兵庫県教育委員会\n公表日\n平成27年3月18日\n[平成26年4月 様式2]\nⅠ 関連情報\n1.特定個人情報ファイルを取り扱う事務\n①事務の名称\n住民基本台帳に関する事務\n那賀町では、…。\n②事務の概要\n",
        );
        assert_eq!(v(&c.number), "1");
        assert_eq!(v(&c.title), "住民基本台帳に関する事務 基礎項目評価書");
        assert_eq!(v(&c.org), "兵庫県教育委員会");
        assert_eq!(c.org.as_ref().map(|o| o.line), Some(11));
        assert_eq!(v(&c.published), "2015-03-18");
        assert_eq!(v(&c.form), "平成26年4月 様式2");
        assert_eq!(v(&c.affair), "住民基本台帳に関する事務");
        assert_eq!(c.kind, Some(("basic", 1)));
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    }

    #[test]
    fn a_flat_page_with_the_number_after_the_title() {
        let c = cover(
            "特定個人情報保護評価書(重点項目評価書) 評価書番号 評価書名 市税の賦課に関する事務 重点項目評価書 5 個人のプライバシー等の権利利益の保護の宣言 浦安市は、…。 特記事項 ― 評価実施機関名 浦安市長 公表日 平成27年4月15日 [平成26年4月 様式3] 項目一覧 Ⅰ 基本情報 Ⅰ 基本情報 1.特定個人情報ファイルを取り扱う事務 ①事務の名称 市税の賦課に関する事務 ・地方税法、その他。 ②事務の内容",
        );
        assert_eq!(v(&c.number), "5");
        assert_eq!(v(&c.title), "市税の賦課に関する事務 重点項目評価書");
        assert_eq!(v(&c.org), "浦安市長");
        assert_eq!(v(&c.published), "2015-04-15");
        assert_eq!(v(&c.affair), "市税の賦課に関する事務");
    }

    #[test]
    fn labels_printed_before_all_their_values() {
        let c = cover(
            "評価書番号\n評価書名\n個人のプライバシー等の権利利益の保護の宣言\n特記事項\n評価実施機関名\n公表日\n[平成26年4月 様式2]\n1\n住民基本台帳に関する事務 基\n礎項目評価書\n那賀町は、…取り組んでいることを宣\n言する\n那賀町長\n平成27年3月18日\n1/5\nⅠ 関連情報\n",
        );
        assert_eq!(v(&c.number), "1");
        assert_eq!(v(&c.title), "住民基本台帳に関する事務 基礎項目評価書");
        assert_eq!((v(&c.org), v(&c.published)), ("那賀町長", "2015-03-18"));
        // No number after the run: nothing is read, and that is said.
        let c = cover(
            "評価書番号\n評価書名\n評価実施機関名\n公表日\n[平成26年4月 様式2]\n住民基本台帳に関する事務 基礎項目評価書\n那賀町長\n",
        );
        assert_eq!((c.number.as_ref(), c.title.as_ref()), (None, None));
        assert!(c.warnings.iter().any(|(_, w)| w.contains("stand apart")));
    }

    #[test]
    fn a_page_number_is_not_part_of_the_title() {
        assert_eq!(
            clean_title("小平市 住民基本台帳に関する事務 基礎項目評価書 1/5").as_deref(),
            Some("小平市 住民基本台帳に関する事務 基礎項目評価書")
        );
    }

    #[test]
    fn a_number_glued_to_the_title() {
        let c =
            cover("評価書番号 評価書名 市税に関する事務 重点項目評価書5 評価実施機関名 浦安市長");
        assert_eq!(
            (v(&c.number), v(&c.title)),
            ("5", "市税に関する事務 重点項目評価書")
        );
    }

    #[test]
    fn glued_labels_and_spaced_characters() {
        let c = cover(
            "特定個人情報保護評価書 ( 重点項目評価書 ) 評価書番号評価書名 1 個人住民税関係事務重点項目評価書 個人のプライバシー等の権利利益の保護の宣言 笛吹市は 特記事項 なし 評価実施機関名笛吹市長公表日平成 30 年 6 月 18 日 [ 平成 26 年 4 月様式 3]",
        );
        assert_eq!((v(&c.number), v(&c.org)), ("1", "笛吹市長"));
        assert_eq!(v(&c.title), "個人住民税関係事務重点項目評価書");
        assert_eq!(v(&c.published), "2018-06-18");
        assert_eq!(v(&c.form), "平成26年4月 様式3");
        let c = cover(
            "特 定 個 人 情 報 保 護 評 価 書 ( 重 点 項 目 評 価 書 ) 評 価 書 番 号 評 価 書 名 2 個 人 住 民 税 賦 課 に 関 する 事 務 重 点 項 目 評 価 書 個 人 のプライバシー 等 の 権 利 利 益 の 保 護 の 宣 言 桑 名 市 は 特 記 事 項 評 価 実 施 機 関 名 桑 名 市 長 公 表 日 平 成 28 年 4 月 25 日 平 成 26 年 4 月 様 式 3 1/32",
        );
        assert_eq!((v(&c.number), v(&c.org)), ("2", "桑名市長"));
        assert_eq!(v(&c.title), "個人住民税賦課に関する事務重点項目評価書");
        assert_eq!(v(&c.published), "2016-04-25");
        assert_eq!(c.kind.map(|k| k.0), Some("focused"));
        assert_eq!(v(&c.form), "平成26年4月 様式3");
    }

    #[test]
    fn cells_out_of_order_are_read_by_shape_and_only_when_one_fits() {
        let c = cover(
            "[平成30年5月 様式4] 個人のプライバシー等の権利利益の保護の宣言 評価書名 千葉市後期高齢者医療事務 全項目評価書 評価書番号 19 平成31年4月4日 千葉市は、…宣言する。 評価実施機関名 特定個人情報保護評価書(全項目評価書) 公表日 千葉市長 個人情報保護委員会 承認日 【行政機関等のみ】 特記事項",
        );
        assert_eq!((v(&c.number), v(&c.org)), ("19", "千葉市長"));
        assert_eq!(v(&c.published), "2019-04-04");
        assert_eq!(c.kind.map(|k| k.0), Some("full"));
        // Two loose dates: neither is taken.
        let c = cover(
            "評価書番号 19 平成31年4月4日 評価書名 X 全項目評価書 特記事項 令和2年1月1日 評価実施機関名 千葉市長 公表日",
        );
        assert_eq!(c.published, None);
        assert!(
            c.warnings.iter().any(|(_, w)| w.contains("2 dates")),
            "{:?}",
            c.warnings
        );
    }

    #[test]
    fn the_richest_copy_is_read_and_a_draft_keeps_its_blank_number() {
        let c = cover(
            "特定個人情報保護評価書(全項目評価書) 評価書番号 評価書名 7 介護保険に関する事務 個人のプライバシー等の権利利益の保護の宣言 札幌市は、…。 特記事項 令和3年3月3日 [平成30年5月 様式4] 評価実施機関名 札幌市長 個人情報保護委員会 承認日 【行政機関等のみ】 公表日\n特定個人情報保護評価書(全項目評価書)...令和2年11月24日 [平成30年5月 様式4] 評価実施機関名 長 市 札幌 行政機関等のみ】 【 承認日",
        );
        assert_eq!((v(&c.number), v(&c.title)), ("7", "介護保険に関する事務"));
        assert_eq!((v(&c.org), v(&c.published)), ("札幌市長", "2021-03-03"));
        let c = cover(
            "特定個人情報保護評価書(全項目評価書) 評価書番号 評価書名 住基ネットに関する事務 全項目評価書 (案) 個人のプライバシー等の権利利益の保護の宣言 福島県は、…。 特記事項 評価実施機関名 福島県知事 特定個人情報保護委員会 承認日 【行政機関等のみ】 公表日 [平成26年4月 様式4] 1 項目一覧",
        );
        assert_eq!(v(&c.number), "");
        assert!(c.draft);
        assert_eq!(v(&c.title), "住基ネットに関する事務 全項目評価書 (案)");
        assert_eq!(v(&c.form), "平成26年4月 様式4");
        assert_eq!(c.published, None);
    }

    #[test]
    fn labels_before_their_values() {
        let c = cover(
            "評価書番号 7 評価書名 生活保護関係事務 基礎項目評価書 評価実施機関名 薩摩川内市長 公表日 平成27年2月25日 [平成26年4月 様式2] Ⅰ 関連情報 1.特定個人情報ファイルを取り扱う事務 ①事務の名称 ②事務の概要 ③システムの名称 生活保護関係事務 病気やケガ、…。",
        );
        assert_eq!(v(&c.affair), "生活保護関係事務");
    }

    #[test]
    fn ids_keep_the_prefecture_of_a_body_that_is_not_a_municipality() {
        assert_eq!(org_id("静岡県焼津市長"), "焼津市長");
        assert_eq!(org_id("北海道虻田郡洞爺湖町長"), "虻田郡洞爺湖町長");
        assert_eq!(org_id("兵庫県教育委員会"), "兵庫県教育委員会");
        assert_eq!(org_id("福島県知事"), "福島県知事");
        assert_eq!(org_id("東京都"), "東京都");
        assert_eq!(
            org_id("東京都特別区人事・厚生事務組合"),
            "東京都特別区人事・厚生事務組合"
        );
        assert_eq!(org_id("静岡県焼津市教育委員会"), "静岡県焼津市教育委員会");
        assert_eq!(prefecture_of("北海道伊達市長"), Some("北海道"));
    }

    #[test]
    fn the_template_compiles() {
        assert!(matcher().is_some());
    }

    #[test]
    fn no_cover_is_not_found_but_part_one_is_read() {
        assert!(!cover("(別添2)変更箇所\n変更日 項目\n").found);
        let c = cover(
            "I 基本情報\n1. 特定個人情報ファイルを取り扱う事務\n①事務の名称\t予防接種に関する事務\n②事務の内容\t…\n",
        );
        assert!(!c.found);
        assert_eq!(v(&c.affair), "予防接種に関する事務");
    }
}
