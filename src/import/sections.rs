//! The section of the form a document line belongs to, as the form numbers
//! it ("III-3 リスク1", "I-2 システム1", "cover"): where an `unread` fact says
//! the reading failed.
//!
//! The focused (様式3) and full (様式4) forms number their parts and
//! subsections alike up to part III; the table below holds that numbering.
//! Where the forms differ (the basic form, the parts after III), the
//! section is named by its title instead of a number that could be wrong.

use super::doc::{Doc, Place};
use super::form::{ANNEX_TITLES, ITEM_HEADERS, PART_TITLES, Part, Sub};

/// The section name of the cover page (everything before part I).
pub const COVER: &str = "cover";

/// Numerals of the parts both forms number alike.
const PART_NUMERALS: &[(Part, &str)] = &[
    (Part::Basic, "I"),
    (Part::Overview, "II"),
    (Part::Risks, "III"),
];

/// Subsection numbers within a part (full and focused forms); the full
/// form's part IV (その他のリスク対策) is numbered only in that form.
const SUB_NUMBERS: &[(Part, Sub, u32)] = &[
    (Part::Basic, Sub::Affair, 1),
    (Part::Basic, Sub::Systems, 2),
    (Part::Basic, Sub::FileName, 3),
    (Part::Overview, Sub::FileName, 1),
    (Part::Overview, Sub::FileBasics, 2),
    (Part::Overview, Sub::AcquireUse, 3),
    (Part::Overview, Sub::Entrust, 4),
    (Part::Overview, Sub::Provide, 5),
    (Part::Overview, Sub::Store, 6),
    (Part::Risks, Sub::FileName, 1),
    (Part::Risks, Sub::Acquire, 2),
    (Part::Risks, Sub::Use, 3),
    (Part::Risks, Sub::Entrust, 4),
    (Part::Risks, Sub::Provide, 5),
    (Part::Risks, Sub::Network, 6),
    (Part::Risks, Sub::Store, 7),
    (Part::Risks, Sub::Audit, 8),
    (Part::Risks, Sub::Training, 9),
    (Part::Risks, Sub::OtherMeasures, 10),
    (Part::OtherRisks, Sub::Audit, 1),
    (Part::OtherRisks, Sub::Training, 2),
    (Part::OtherRisks, Sub::OtherMeasures, 3),
];

/// The name of a part as the form titles it ("基本情報", "変更箇所").
pub fn part_name(part: Part) -> &'static str {
    if part == Part::Front {
        return COVER;
    }
    PART_TITLES
        .iter()
        .chain(ANNEX_TITLES)
        .find(|(_, p)| *p == part)
        .map_or("", |(t, _)| t)
}

/// The section of `place` in a document of assessment kind `kind`
/// (`full`, `focused`, `basic` or "").
pub fn name(place: &Place, kind: &str) -> String {
    let numbered = matches!(kind, "full" | "focused");
    let numeral = PART_NUMERALS
        .iter()
        .find(|(p, _)| *p == place.part)
        .map(|(_, n)| *n)
        .or((place.part == Part::OtherRisks && kind == "full").then_some("IV"))
        .filter(|_| numbered);
    let sub = SUB_NUMBERS
        .iter()
        .find(|(p, s, _)| *p == place.part && *s == place.sub)
        .map(|(_, _, n)| *n);
    let mut out = match (numeral, sub) {
        (Some(p), Some(s)) => format!("{p}-{s}"),
        (Some(p), None) => format!("{p} {}", part_name(place.part)),
        (None, _) => part_name(place.part).to_string(),
    };
    if let Some(item) = &place.item {
        let word = ITEM_HEADERS
            .iter()
            .find(|(_, k)| *k == item.kind)
            .map_or("", |(w, _)| w);
        out.push_str(&format!(" {word}{}", item.n));
    }
    if let Some(risk) = &place.risk {
        match risk.n {
            Some(n) => out.push_str(&format!(" リスク{n}")),
            None => out.push_str(" その他のリスク"),
        }
    }
    out
}

/// The section of document line `line`: the place of the last field that
/// starts at or before it (the cover before the first field; the change
/// list from its first line on).
pub fn of_line(doc: &Doc, kind: &str, line: usize) -> String {
    if doc.change_list.is_some_and(|c| line + 1 >= c) {
        return part_name(Part::Changes).to_string();
    }
    let i = doc.fields.partition_point(|f| f.line <= line);
    match i.checked_sub(1).and_then(|i| doc.fields.get(i)) {
        Some(f) => name(&f.place, kind),
        None => COVER.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{doc, normalize::lines};

    #[test]
    fn lines_are_named_by_their_place_in_the_form() {
        let d = doc::build(&lines(
            "評価書番号\t1\nI 基本情報\n1. 特定個人情報ファイルを取り扱う事務\n①事務の名称\t予防接種\n(別添2) 変更箇所\n変更日\t項目\t変更前の記載\t変更後の記載\n令和1年1月1日\n",
        ));
        assert_eq!(of_line(&d, "full", 1), COVER);
        assert_eq!(of_line(&d, "full", 4), "I-1");
        assert_eq!(of_line(&d, "basic", 4), "基本情報");
        assert_eq!(of_line(&d, "full", 7), "変更箇所");
    }

    #[test]
    fn risks_and_items_are_named_after_their_subsection() {
        let d = doc::build(&lines(
            "III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策\n3. 特定個人情報の使用\nリスク1: 目的を超えた紐付けが行われるリスク\nリスクに対する措置の内容\t分離する。\n",
        ));
        assert_eq!(of_line(&d, "full", 4), "III-3 リスク1");
    }
}
