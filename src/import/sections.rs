//! The section of the form a document line belongs to, as the form names
//! it: what an `unread` fact says about where the reading failed.

use super::doc::{Doc, Place};
use super::form::{ANNEX_TITLES, PART_TITLES, Part, SUB_TITLES, Sub};

/// The section name of the cover page (everything before part I).
pub const COVER: &str = "cover";

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

fn sub_name(sub: Sub) -> Option<&'static str> {
    SUB_TITLES
        .iter()
        .find(|(_, _, s)| *s == sub && !matches!(sub, Sub::Other | Sub::None))
        .map(|(t, _, _)| *t)
}

/// The section of `place`: its part, subsection, item and risk
/// ("リスク対策 / 特定個人情報の使用 / リスク2").
pub fn name(place: &Place) -> String {
    let mut parts: Vec<String> = vec![part_name(place.part).to_string()];
    if let Some(sub) = sub_name(place.sub) {
        parts.push(sub.to_string());
    }
    if let Some(item) = &place.item {
        let word = super::form::ITEM_HEADERS
            .iter()
            .find(|(_, k)| *k == item.kind)
            .map_or("", |(w, _)| w);
        parts.push(format!("{word}{}", item.n));
    }
    if let Some(risk) = &place.risk {
        parts.push(match risk.n {
            Some(n) => format!("リスク{n}"),
            None => "その他のリスク".to_string(),
        });
    }
    parts.join(" / ")
}

/// The section of document line `line`: the place of the last field that
/// starts at or before it (the cover before the first field; the change
/// list from its first line on).
pub fn of_line(doc: &Doc, line: usize) -> String {
    if doc.change_list.is_some_and(|c| line + 1 >= c) {
        return part_name(Part::Changes).to_string();
    }
    let i = doc.fields.partition_point(|f| f.line <= line);
    match i.checked_sub(1).and_then(|i| doc.fields.get(i)) {
        Some(f) => name(&f.place),
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
        assert_eq!(of_line(&d, 1), COVER);
        assert_eq!(
            of_line(&d, 4),
            "基本情報 / 特定個人情報ファイルを取り扱う事務"
        );
        assert_eq!(of_line(&d, 7), "変更箇所");
    }
}
