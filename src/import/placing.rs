//! Which risk a field of part III belongs to.
//!
//! In tab rows and in PDF text read in order, a field belongs to the risk
//! block it stands in. Converted PDF text prints cells out of reading order:
//! a risk's last fields before its own header, a subsection heading in the
//! middle of a block, the ratings of three risks in a row. The form
//! ([`template`]) says what may stand where, and that decides:
//! - a field the form prints under one risk only is that risk's;
//! - in PDF text, a field its block does not print goes to the choice item
//!   it details, else to the nearest field whose risk prints it, else to the
//!   one block beside it that prints it;
//! - each numbered risk has one rating: a rating goes to the risk of the
//!   nearest field with a fixed place, else to its own block, else to the
//!   one unrated block beside it.
//!
//! Anything else is left unattributed, and the caller warns.

use super::doc::Field;
use super::form::{self, label};
use super::template;
use std::collections::HashSet;

/// The fields of parts III/IV in document order, with what is known of
/// their places.
pub struct Placer<'a> {
    fields: Vec<&'a Field>,
    /// Positional scope of each field (its block's risk id).
    blocks: Vec<Option<String>>,
    /// Risk headers: (line, risk id).
    heads: Vec<(usize, String)>,
    pdf: bool,
    rated: HashSet<String>,
}

/// How far a search for a neighbouring field with a fixed place goes.
const REACH: usize = 4;

impl<'a> Placer<'a> {
    /// `blocks[i]` is the positional scope of `fields[i]`; `heads` the risk
    /// headers with their ids.
    pub fn new(
        fields: Vec<&'a Field>,
        blocks: Vec<Option<String>>,
        heads: Vec<(usize, String)>,
        pdf: bool,
    ) -> Self {
        Placer {
            fields,
            blocks,
            heads,
            pdf,
            rated: HashSet::new(),
        }
    }

    /// The fields, in document order.
    pub fn fields(&self) -> &[&'a Field] {
        &self.fields
    }

    /// The positional scope of field `i`.
    pub fn block(&self, i: usize) -> Option<&String> {
        self.blocks[i].as_ref()
    }

    /// The risk a measure field belongs to, or `None` when it cannot be told.
    pub fn measure_scope(&self, i: usize) -> Option<String> {
        let f = self.fields[i];
        if let Some(home) = template::measure_home(&f.label) {
            return Some(home.to_string());
        }
        let block = self.blocks[i].clone();
        if !self.pdf || f.label.is_empty() {
            return block;
        }
        if block
            .as_deref()
            .is_some_and(|b| template::prints(b, &f.label))
        {
            return block;
        }
        if template::DETAIL_LABELS.contains(&f.label.as_str())
            && let Some(prev) = self.labelled(i, false).next()
            && let Some(home) = fixed_home(&self.fields[prev].label)
            && template::prints(home, &f.label)
        {
            return Some(home.to_string());
        }
        let candidates = template::risks_printing(&f.label);
        let near = self
            .neighbours(i)
            .filter_map(|j| fixed_home(&self.fields[j].label))
            .find(|home| candidates.iter().any(|c| c == home));
        if let Some(home) = near {
            return Some(home.to_string());
        }
        let beside: Vec<String> = self
            .beside(i)
            .into_iter()
            .filter(|id| candidates.contains(id) && !self.has_field(id, &f.label))
            .collect();
        match beside.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    /// The risk a rating (リスクへの対策は十分か) belongs to, marking it
    /// rated; `None` when it cannot be told.
    pub fn rating_scope(&mut self, i: usize) -> Option<String> {
        let block = self.blocks[i].clone();
        let free = |me: &Self, id: &str| template::is_rated(id) && !me.rated.contains(id);
        let chosen = if self.pdf {
            let before = self
                .labelled(i, false)
                .filter_map(|j| fixed_home(&self.fields[j].label))
                .find(|h| free(self, h))
                .map(str::to_string);
            let after = || {
                self.labelled(i, true)
                    .filter_map(|j| fixed_home(&self.fields[j].label))
                    .find(|h| free(self, h))
                    .map(str::to_string)
            };
            let beside = || {
                let ids: Vec<String> = self
                    .beside(i)
                    .into_iter()
                    .filter(|id| free(self, id) && !self.has_rating_field(id))
                    .collect();
                match ids.as_slice() {
                    [one] => Some(one.clone()),
                    _ => None,
                }
            };
            before
                .or_else(|| block.clone().filter(|b| free(self, b)))
                .or_else(after)
                .or_else(beside)
        } else {
            block.filter(|b| free(self, b))
        };
        if let Some(id) = &chosen {
            self.rated.insert(id.clone());
        }
        chosen
    }

    /// Labelled fields before (`forward` false) or after field `i`, nearest
    /// first, within its block, stopping at a rating (which ends a risk in
    /// the form).
    fn labelled(&self, i: usize, forward: bool) -> impl Iterator<Item = usize> + '_ {
        let block_of = |j: usize| self.fields[j].place.risk.as_ref().map(|r| r.line);
        let own = block_of(i);
        let order: Box<dyn Iterator<Item = usize>> = if forward {
            Box::new(i + 1..self.fields.len())
        } else {
            Box::new((0..i).rev())
        };
        order
            .take_while(move |&j| block_of(j) == own && self.fields[j].label != label::ADEQUACY)
            .filter(|&j| !self.fields[j].label.is_empty())
            .take(REACH)
    }

    /// Labelled fields on both sides of `i`, nearest first.
    fn neighbours(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let before: Vec<usize> = self.labelled(i, false).collect();
        let after: Vec<usize> = self.labelled(i, true).collect();
        let mut out = Vec::new();
        for k in 0..before.len().max(after.len()) {
            out.extend(before.get(k));
            out.extend(after.get(k));
        }
        out.into_iter()
    }

    /// The risk blocks right before and right after the block of field `i`.
    fn beside(&self, i: usize) -> Vec<String> {
        let f = self.fields[i];
        let start = f.place.risk.as_ref().map_or(f.line, |r| r.line);
        let prev = self.heads.iter().rev().find(|(line, _)| *line < start);
        let next = self.heads.iter().find(|(line, _)| *line > f.line);
        prev.into_iter()
            .chain(next)
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// Whether a rating field stands inside the block of risk `id`.
    fn has_rating_field(&self, id: &str) -> bool {
        self.has_field(id, label::ADEQUACY)
    }

    /// Whether a field with `label` stands inside the block of risk `id`.
    fn has_field(&self, id: &str, label: &str) -> bool {
        self.fields
            .iter()
            .zip(&self.blocks)
            .any(|(f, b)| f.label == label && b.as_deref() == Some(id))
    }
}

/// The risk a field's label fixes by the form: a measure field printed
/// under one risk only, or a choice item.
fn fixed_home(label: &str) -> Option<&'static str> {
    template::measure_home(label).or_else(|| choice_home(label))
}

/// The (item code, risk) of a choice item label, tolerating a label cut by
/// a PDF line wrap ("安全管理体制・規程の職") or wrapped in other words.
pub fn choice_item(label: &str) -> Option<(&'static str, &'static str)> {
    if label.is_empty() {
        return None;
    }
    let table = form::CHOICE_ITEMS;
    if let Some((_, v)) = table.iter().find(|(k, _)| *k == label) {
        return Some(*v);
    }
    let truncated: Vec<_> = table
        .iter()
        .filter(|(k, _)| label.chars().count() >= 5 && k.starts_with(label))
        .collect();
    if let [(_, v)] = truncated.as_slice() {
        return Some(*v);
    }
    table
        .iter()
        .filter(|(k, _)| label.contains(k) && k.chars().count() > 4)
        .max_by_key(|(k, _)| k.len())
        .map(|(_, v)| *v)
}

/// The block of a choice item's scope: a risk id, or for the Ⅳ sections
/// (choice scope `audit`, `training`) their measure block.
fn choice_home(label: &str) -> Option<&'static str> {
    choice_item(label).map(|(_, home)| match home {
        "audit" => "other/audit",
        "training" => "other/training",
        risk => risk,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::doc::build;
    use crate::import::normalize::lines;

    fn placer(text: &str, pdf: bool) -> (Vec<String>, Vec<Option<String>>) {
        let doc = build(&lines(text));
        let fields: Vec<&Field> = doc.fields.iter().filter(|f| !f.label.is_empty()).collect();
        let blocks: Vec<Option<String>> = fields
            .iter()
            .map(|f| {
                f.place
                    .risk
                    .as_ref()
                    .map(|r| format!("{}/{}", r.phase, r.n.unwrap_or(0)))
            })
            .collect();
        let heads: Vec<(usize, String)> = doc
            .risks
            .iter()
            .map(|(_, h)| (h.line, format!("{}/{}", h.phase, h.n.unwrap_or(0))))
            .collect();
        let labels = fields.iter().map(|f| f.label.clone()).collect();
        let mut p = Placer::new(fields, blocks, heads, pdf);
        let scopes = (0..p.fields().len())
            .map(|i| {
                if p.fields()[i].label == label::ADEQUACY {
                    p.rating_scope(i)
                } else {
                    p.measure_scope(i)
                }
            })
            .collect();
        (labels, scopes)
    }

    #[test]
    fn fixed_fields_and_ratings_follow_the_form() {
        // The last fields of acquisition/1 printed at the end of リスク2's
        // block, before リスク1's own header.
        let text = "III リスク対策\n2. 特定個人情報の入手\nリスク2: 不適切な方法で入手が行われるリスク\nリスクに対する措置の内容 窓口で確認する\nリスクへの対策は十分か [ 十分である ]\n必要な情報以外を入手することを防止するための措置の内容 様式を限る\nその他の措置の内容 -\nリスクへの対策は十分か [ 十分である ]\nリスク1: 目的外の入手が行われるリスク\n対象者以外の情報の入手を防止するための措置の内容 本人確認\n";
        let (labels, scopes) = placer(text, true);
        let got: Vec<(String, Option<String>)> = labels.into_iter().zip(scopes).collect();
        let want = |l: &str, s: &str| (l.to_string(), Some(s.to_string()));
        assert_eq!(got[0], want("リスクに対する措置の内容", "acquisition/2"));
        assert_eq!(got[1], want("リスクへの対策は十分か", "acquisition/2"));
        assert_eq!(
            got[2],
            want(
                "必要な情報以外を入手することを防止するための措置の内容",
                "acquisition/1"
            )
        );
        assert_eq!(got[4], want("リスクへの対策は十分か", "acquisition/1"));
        // In order text the place decides; a second rating is not placed.
        let (_, scopes) = placer(text, false);
        assert_eq!(scopes[4], None);
    }

    #[test]
    fn detail_fields_follow_their_choice_item() {
        let text = "IV その他のリスク対策\n1. 監査\n従業者に対する教育・啓発 [ 十分に行っている ]\n具体的な方法 研修を行う\n";
        let doc = build(&lines(text));
        let fields: Vec<&Field> = doc.fields.iter().filter(|f| !f.label.is_empty()).collect();
        let n = fields.len();
        let p = Placer::new(fields, vec![Some("other/audit".into()); n], vec![], true);
        assert_eq!(p.measure_scope(n - 1), Some("other/training".to_string()));
        assert_eq!(
            choice_item("安全管理体制・規程の職"),
            Some(("safety-awareness", "storage/1"))
        );
    }
}
