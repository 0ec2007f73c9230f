//! Fields of numbered items (委託事項N) that PDF text printed around the
//! wrong header.
//!
//! Each 委託事項 of the form has the same fields, each once (①委託内容 …
//! ⑨再委託事項). PDF text whose cells came out of reading order prints part
//! of an item before its header and part after the next item's header. The
//! fields are cut into runs (at every header and wherever a label comes a
//! second time), and a run goes to the item whose change-list row
//! (別添 変更箇所: "II-4 委託事項1 ⑨再委託事項") restates one of its values;
//! the one run left goes to the one item left. A field an item would then
//! hold twice goes to the item without it that its place names. Anything
//! else cannot be told: `None`, and the caller keeps its own reading.

use super::Ctx;
use super::changes::Row;
use super::choice::Hit;
use super::doc::Field;
use super::form::{ItemKind, Part, Sub};
use std::collections::{BTreeMap, HashMap};

/// The fields of one 委託事項, as their labels read.
pub const ENTRUSTMENT_FIELDS: &[&str] = &[
    "委託内容",
    "取扱いを委託する特定個人情報ファイルの範囲",
    "対象となる本人の数",
    "対象となる本人の範囲",
    "その妥当性",
    "委託先における取扱者数",
    "委託先への特定個人情報ファイルの提供方法",
    "委託先名の確認方法",
    "委託先名",
    "再委託の有無",
    "再委託の許諾方法",
    "再委託事項",
];

/// The word of an entrustment item in the change list's 項目.
const ITEM_WORD: &str = "委託事項";

/// For PDF text: the item number of every II-4 field (by its line), when
/// the runs of fields can be matched to the items as above.
pub fn entrustment_items(cx: &Ctx, restated: &[Row]) -> Option<HashMap<usize, usize>> {
    if !cx.pdf {
        return None;
    }
    let heads: Vec<(usize, usize)> = cx
        .doc
        .item_heads(Part::Overview, ItemKind::Entrustment)
        .map(|i| (i.line, i.n))
        .collect();
    let fields = entrustment_fields(cx);
    if heads.len() < 2 || fields.is_empty() || in_place(&fields, &heads) {
        return None;
    }
    let runs = runs(&fields, &heads);
    let mut item_of_run: Vec<Option<usize>> = vec![None; runs.len()];
    for (r, run) in runs.iter().enumerate() {
        for f in run {
            for k in restating_items(f, restated) {
                match item_of_run[r] {
                    Some(other) if other != k => return None,
                    _ => item_of_run[r] = Some(k),
                }
            }
        }
    }
    let numbers: Vec<usize> = heads.iter().map(|(_, n)| *n).collect();
    let left: Vec<usize> = numbers
        .iter()
        .copied()
        .filter(|k| !item_of_run.contains(&Some(*k)))
        .collect();
    let open: Vec<usize> = (0..runs.len())
        .filter(|r| item_of_run[*r].is_none())
        .collect();
    match (left.as_slice(), open.as_slice()) {
        (_, []) => {}
        ([k], [r]) => item_of_run[*r] = Some(*k),
        _ => return None,
    }
    let mut items: BTreeMap<usize, Vec<&Field>> = BTreeMap::new();
    for (run, k) in runs.iter().zip(&item_of_run) {
        items.entry((*k)?).or_default().extend(run.iter().copied());
    }
    let mut out: HashMap<usize, usize> = HashMap::new();
    for (k, fs) in &items {
        for f in fs {
            out.insert(f.line, *k);
        }
    }
    // A label twice in one item: the copy whose place names an item
    // without that label moves there.
    for label in ENTRUSTMENT_FIELDS {
        for (k, fs) in &items {
            let twice: Vec<&&Field> = fs.iter().filter(|f| f.label == *label).collect();
            if twice.len() < 2 {
                continue;
            }
            let lacking: Vec<usize> = items
                .iter()
                .filter(|(other, ofs)| *other != k && !ofs.iter().any(|f| f.label == *label))
                .map(|(other, _)| *other)
                .collect();
            let movers: Vec<&&&Field> = twice
                .iter()
                .filter(|f| positional(f.line, &heads).is_some_and(|p| lacking.contains(&p)))
                .collect();
            match movers.as_slice() {
                [f] => {
                    let to = positional(f.line, &heads)?;
                    out.insert(f.line, to);
                }
                _ => return None,
            }
        }
    }
    Some(out)
}

/// The fields of II-4 in document order: from the first field only II-4
/// has (with the shared ones right before it: 対象となる本人の数 …) up to
/// II-5, which may all stand before the subsection's heading in PDF text.
fn entrustment_fields<'a>(cx: &Ctx<'a>) -> Vec<&'a Field> {
    const SHARED: &[&str] = &["対象となる本人の数", "対象となる本人の範囲", "その妥当性"];
    let part: Vec<&Field> = cx
        .doc
        .fields
        .iter()
        .filter(|f| f.place.part == Part::Overview)
        .collect();
    let own = |f: &Field| {
        ENTRUSTMENT_FIELDS.contains(&f.label.as_str()) && !SHARED.contains(&f.label.as_str())
    };
    let Some(mut start) = part.iter().position(|f| own(f)) else {
        return Vec::new();
    };
    while start > 0 && SHARED.contains(&part[start - 1].label.as_str()) {
        start -= 1;
    }
    part[start..]
        .iter()
        .take_while(|f| {
            f.place.sub != Sub::Provide
                && !f
                    .place
                    .item
                    .as_ref()
                    .is_some_and(|i| matches!(i.kind, ItemKind::Provision | ItemKind::Transfer))
        })
        .filter(|f| ENTRUSTMENT_FIELDS.contains(&f.label.as_str()))
        .copied()
        .collect()
}

/// The labels of one 提供先 of the form.
pub const PROVISION_FIELDS: &[&str] = &[
    "法令上の根拠",
    "提供先における用途",
    "提供する情報",
    "提供する情報の対象となる本人の数",
    "提供する情報の対象となる本人の範囲",
    "提供方法",
    "時期・頻度",
];

/// The word of a provision item in the change list's 項目.
const PROVISION_WORD: &str = "提供先";

/// The field that follows the recipient's cell in the form.
const AFTER_RECIPIENT: &str = super::form::LEGAL_BASIS;

/// What the 提供先 items hold once placed.
#[derive(Debug, Default, PartialEq)]
pub struct Provisions {
    /// Item number of each placed field, by its line.
    pub fields: HashMap<usize, usize>,
    /// Recipients read from a cell printed away from its header:
    /// (item, line, name).
    pub recipients: Vec<(usize, usize, String)>,
}

/// For PDF text: the 提供先 item of every II-5 field that PDF text printed
/// in another item's block. Each label is once per item: a field goes to
/// the item its change-list row names, else to its block's item if that
/// has none yet, else to the one item still without it. The recipient's
/// cell, printed apart from its header, is the separate last line of the
/// field right before the item's ①法令上の根拠.
pub fn provision_items(cx: &Ctx, restated: &[Row]) -> Option<Provisions> {
    if !cx.pdf {
        return None;
    }
    let heads: Vec<(usize, usize)> = cx
        .doc
        .item_heads(Part::Overview, ItemKind::Provision)
        .map(|i| (i.line, i.n))
        .collect();
    let region: Vec<&Field> = cx
        .doc
        .fields
        .iter()
        .filter(|f| {
            f.place.part == Part::Overview
                && f.place
                    .item
                    .as_ref()
                    .is_some_and(|i| i.kind == ItemKind::Provision)
        })
        .collect();
    let fields: Vec<&Field> = region
        .iter()
        .copied()
        .filter(|f| PROVISION_FIELDS.contains(&f.label.as_str()))
        .collect();
    let numbers: Vec<usize> = heads.iter().map(|(_, n)| *n).collect();
    let mut out = Provisions::default();
    let mut taken: HashMap<&str, Vec<usize>> = HashMap::new();
    for f in &fields {
        let held = taken.entry(f.label.as_str()).or_default();
        let pinned = restated_in(f, restated, PROVISION_WORD)
            .into_iter()
            .find(|k| !held.contains(k));
        let own = f
            .place
            .item
            .as_ref()
            .map(|i| i.n)
            .filter(|k| !held.contains(k));
        let left: Vec<usize> = numbers
            .iter()
            .copied()
            .filter(|k| !held.contains(k))
            .collect();
        let k = pinned.or(own).or(match left.as_slice() {
            [one] => Some(*one),
            _ => None,
        });
        if let Some(k) = k {
            held.push(k);
            out.fields.insert(f.line, k);
        }
    }
    if out.fields.is_empty() {
        return None;
    }
    for (i, f) in region.iter().enumerate() {
        let Some(k) = out
            .fields
            .get(&f.line)
            .copied()
            .filter(|_| f.label == AFTER_RECIPIENT)
        else {
            continue;
        };
        let named = cx.doc.items.iter().any(|(p, it)| {
            p.part == Part::Overview
                && it.kind == ItemKind::Provision
                && it.n == k
                && !super::form::is_empty_word(&it.text)
        });
        if named || i == 0 {
            continue;
        }
        if let Some((line, name)) = recipient_cell(cx, region[i - 1]) {
            out.recipients.push((k, line, name));
        }
    }
    Some(out)
}

/// The last line of a field's value when a blank line sets it apart and it
/// reads as a name (short, no sentence punctuation).
fn recipient_cell(cx: &Ctx, f: &Field) -> Option<(usize, String)> {
    const NAME_CHARS: usize = 40;
    let (line, text) = f.lines.last()?;
    let separate = f.lines.len() >= 2
        && cx
            .lines
            .iter()
            .find(|l| l.no == line - 1)
            .is_some_and(|l| l.is_blank());
    let name = text.trim();
    (separate
        && !name.is_empty()
        && name.chars().count() <= NAME_CHARS
        && !name.contains(['。', '、', '[', ']', '(']))
    .then(|| (*line, name.to_string()))
}

/// The options of a group as the change list restates its current value
/// (the 変更後 of the last row whose 項目 names `label`, and `item` such
/// as "委託事項1" when given): "紙、電子記録媒体、その他(VRS)", with the
/// row's line.
pub fn restated_options(
    rows: &[Row],
    label: &str,
    item: Option<&str>,
    table: &[(&str, &'static str)],
) -> Option<(Vec<Hit>, usize)> {
    let row = rows.iter().rev().find(|r| {
        let named = squeeze(&r.item);
        named.contains(label) && item.is_none_or(|i| named.contains(i))
    })?;
    let mut hits = Vec::new();
    for piece in super::text::split_names(&row.after) {
        let piece = squeeze(&piece);
        let (option, code) = table
            .iter()
            .filter(|(o, _)| piece.starts_with(o))
            .max_by_key(|(o, _)| o.len())?;
        let (detail, _) = super::choice::parenthesised(&piece[option.len()..]);
        hits.push(Hit {
            code,
            mark: Some(true),
            glyph: None,
            detail,
        });
    }
    (!hits.is_empty()).then_some((hits, row.line))
}

/// True when every field stands after its item's header and no item holds
/// a label twice: the plain reading is right.
fn in_place(fields: &[&Field], heads: &[(usize, usize)]) -> bool {
    let mut seen: HashMap<(usize, &str), ()> = HashMap::new();
    fields.iter().all(|f| {
        positional(f.line, heads).is_some_and(|k| seen.insert((k, f.label.as_str()), ()).is_none())
    })
}

/// The item whose header stands last before `line`.
fn positional(line: usize, heads: &[(usize, usize)]) -> Option<usize> {
    heads
        .iter()
        .rev()
        .find(|(at, _)| *at < line)
        .map(|(_, n)| *n)
}

/// Cuts the fields into runs at every header and at a repeated label.
fn runs<'a>(fields: &[&'a Field], heads: &[(usize, usize)]) -> Vec<Vec<&'a Field>> {
    let mut out: Vec<Vec<&Field>> = Vec::new();
    let mut current: Vec<&Field> = Vec::new();
    let mut segment = positional(fields[0].line, heads);
    for f in fields {
        let here = positional(f.line, heads);
        if here != segment || current.iter().any(|c| c.label == f.label) {
            out.push(std::mem::take(&mut current));
            segment = here;
        }
        current.push(f);
    }
    out.push(current);
    out.retain(|r| !r.is_empty());
    out
}

/// The items whose change-list rows restate this field's value.
fn restating_items(f: &Field, rows: &[Row]) -> Vec<usize> {
    restated_in(f, rows, ITEM_WORD)
}

/// The items (named by `word` + number in the row's 項目) whose
/// change-list rows restate this field's value as their 変更後.
fn restated_in(f: &Field, rows: &[Row], word: &str) -> Vec<usize> {
    let value = squeeze(&f.text());
    if value.chars().count() < 8 {
        return Vec::new();
    }
    rows.iter()
        .filter(|r| squeeze(&r.item).contains(&f.label) && squeeze(&r.after) == value)
        .filter_map(|r| item_number(&squeeze(&r.item), word))
        .collect()
}

/// "II-4委託事項1⑨再委託事項" -> 1 (for the word 委託事項).
fn item_number(item: &str, word: &str) -> Option<usize> {
    let at = item.find(word)? + word.len();
    let digits: String = item[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Text without whitespace, for comparing values however they wrapped.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::doc::{Doc, build};
    use crate::import::facts::Sink;
    use crate::import::normalize::{Line, lines};

    /// The reader's context over PDF text, as `import` builds it.
    fn pdf_ctx<'a>(doc: &'a Doc, ls: &'a [Line]) -> Ctx<'a> {
        Ctx {
            doc,
            lines: ls,
            pdf: true,
            file: String::new(),
            sink: Sink::new("t"),
        }
    }

    #[test]
    fn runs_go_to_the_items_the_change_list_names() {
        // Item 1's last fields printed after item 2's header; item 2's
        // before its own. The change list restates item 1's 再委託事項.
        let text = "II 特定個人情報ファイルの概要\n4. 特定個人情報ファイルの取扱いの委託\n①委託内容 保守作業の全般を行う\n委託事項1 保守業務\n⑥委託先名 甲株式会社\n⑦再委託の有無 [ 再委託しない ]\n委託事項2\n①委託内容 接種記録の管理\n⑥委託先名 乙株式会社\n⑦再委託の有無 [ 再委託する ]\n⑨再委託事項 運用・保守の作業の全般\n";
        let ls = lines(text);
        let doc = build(&ls);
        let cx = pdf_ctx(&doc, &ls);
        let restated = vec![
            Row {
                item: "II-4 委託事項1 ⑨再委託事項".into(),
                after: "運用・保守の 作業の全般".into(),
                ..Row::default()
            },
            Row {
                item: "II-4 委託事項1 ①委託内容".into(),
                after: "保守作業の全般を 行う".into(),
                ..Row::default()
            },
        ];
        let items = entrustment_items(&cx, &restated).expect("placed");
        assert_eq!(items[&9], 1, "乙 goes with item 1's restated 再委託事項");
        assert_eq!(items[&5], 2, "甲 is item 2's");
        assert_eq!(items[&8], 2, "item 1 holds a 委託内容 already");
        assert_eq!(items[&3], 1);
        // Without the change list nothing pins a run: no placement.
        assert_eq!(entrustment_items(&cx, &[]), None);
    }

    #[test]
    fn provision_fields_once_per_item_and_recipient_cells() {
        // Both 提供先's fields under 提供先2's header; 提供先1's header
        // last. Each recipient cell stands alone before its ①法令上の根拠.
        let text = "II 特定個人情報ファイルの概要\n5. 特定個人情報の提供・移転\n提供先2\n⑥提供方法 [ ○ ] その他 ( VRS )\n⑦時期・頻度 転入の都度\n\n市区町村長\n①法令上の根拠 第19条第16号\n⑦時期・頻度 随時\n\n都道府県知事\n①法令上の根拠 第19条第8号\n⑥提供方法 [ ○ ] 情報提供ネットワークシステム\n提供先1\n";
        let ls = lines(text);
        let doc = build(&ls);
        let cx = pdf_ctx(&doc, &ls);
        let p = provision_items(&cx, &[]).expect("placed");
        assert_eq!(p.fields[&4], 2);
        assert_eq!(
            p.fields[&13], 1,
            "the second ⑥ goes to the item without one"
        );
        assert_eq!(p.fields[&12], 1);
        assert_eq!(
            p.recipients,
            vec![
                (2, 7, "市区町村長".to_string()),
                (1, 11, "都道府県知事".to_string())
            ]
        );
    }

    #[test]
    fn the_change_list_restates_a_group() {
        let rows = vec![Row {
            line: 40,
            item: "II-3 ②入手方法".into(),
            after: "紙、庁内連携システム、 その他(ワクチン接種記録 システム(VRS))".into(),
            ..Row::default()
        }];
        let (hits, line) =
            restated_options(&rows, "入手方法", None, crate::import::form::METHOD_OPTIONS)
                .expect("restated");
        assert_eq!(line, 40);
        let got: Vec<(&str, &str)> = hits.iter().map(|h| (h.code, h.detail.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("paper", ""),
                ("internal-link", ""),
                ("other", "ワクチン接種記録システム(VRS)")
            ]
        );
        assert!(
            restated_options(&rows, "入手元", None, crate::import::form::SOURCE_OPTIONS).is_none()
        );
        // An item's row only for that item.
        assert!(
            restated_options(
                &rows,
                "入手方法",
                Some("委託事項1"),
                crate::import::form::METHOD_OPTIONS
            )
            .is_none()
        );
    }
}
