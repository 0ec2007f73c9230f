//! 別添 特定個人情報ファイル記録項目: one `record_item` per item.

use super::Ctx;
use super::facts::s;
use super::form::Part;
use super::text::{clean_bullet, is_caption, split_top_level};

/// Reads the record items annex.
pub fn read(cx: &mut Ctx) {
    let file = cx.file.clone();
    let doc = cx.doc;
    for f in doc
        .fields
        .iter()
        .filter(|f| f.place.part == Part::RecordItems)
    {
        let mut all = Vec::new();
        if !f.label.is_empty() {
            all.push((f.line, f.label.clone()));
        }
        all.extend(f.lines.iter().cloned());
        for (no, text) in all {
            for piece in text.split('\n') {
                let parts = if piece.matches('/').count() >= 2 {
                    split_top_level(piece, &['/'])
                } else {
                    vec![piece.to_string()]
                };
                for part in parts {
                    let item = clean_item(&part);
                    if item.is_empty() || is_heading(&item) {
                        continue;
                    }
                    cx.sink.add("record_item", vec![s(&file), s(item)], no);
                }
            }
        }
    }
}

fn clean_item(text: &str) -> String {
    let t = clean_bullet(text);
    let t = t.trim_start_matches(|c: char| super::normalize::is_circled(c));
    clean_bullet(t)
}

fn is_heading(text: &str) -> bool {
    // Punctuation alone (a stray "," of the PDF's layout) names nothing.
    !text.chars().any(char::is_alphanumeric)
        || is_caption(text)
        || text.starts_with('※')
        || text.starts_with('(') && text.chars().nth(1).is_some_and(|c| c.is_ascii_digit())
        || text.starts_with('【')
        || text.chars().count() > 80
}
