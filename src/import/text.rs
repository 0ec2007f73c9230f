//! Splitting field values into the rows the facts want: bullets of a
//! measure, names of a list.

use super::normalize::{ITEM_BREAK, join_wrapped};

/// Splits value lines into bullets: list items, `・` bullets written inline,
/// numbered items; hard-wrapped PDF lines are joined first (`pdf`). Bullet
/// marks, captions in angle brackets and empty words are dropped.
pub fn bullets(lines: &[(usize, String)], pdf: bool) -> Vec<(usize, String)> {
    let mut raw: Vec<(usize, String)> = Vec::new();
    for (no, text) in lines {
        for item in text.split(ITEM_BREAK) {
            for piece in split_inline_bullets(item) {
                raw.push((*no, piece));
            }
        }
    }
    if pdf {
        let mut joined: Vec<(usize, String)> = Vec::new();
        // A select box's remains between two lines end the item before it.
        let mut fresh = true;
        for (no, text) in raw {
            let wrapped = join_wrapped([text.as_str()]);
            let Some(t) = wrapped.into_iter().next() else {
                continue;
            };
            if super::choice::is_option_debris(&t) {
                fresh = true;
                continue;
            }
            let starts = std::mem::replace(&mut fresh, false);
            match joined.last_mut() {
                Some((_, last)) if !starts && !super::normalize::starts_item(&t) => {
                    let re = join_wrapped([last.as_str(), t.as_str()]);
                    *last = re.join("");
                }
                _ => joined.push((no, t)),
            }
        }
        raw = joined;
    }
    raw.into_iter()
        .filter_map(|(no, t)| {
            let t = clean_bullet(&t);
            (!is_caption(&t)
                && !super::form::is_empty_word(&t)
                && !super::choice::is_option_debris(&t))
            .then_some((no, t))
        })
        .collect()
}

fn split_inline_bullets(item: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev: Option<char> = None;
    for c in item.chars() {
        if c == '・' && prev.is_none_or(|p| p == ' ') && !current.trim().is_empty() {
            out.push(current.trim().to_string());
            current.clear();
        }
        current.push(c);
        prev = Some(c);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// Removes a leading bullet mark.
pub fn clean_bullet(text: &str) -> String {
    text.trim()
        .trim_start_matches(['・', '-', '●', '■', '◆'])
        .trim()
        .to_string()
}

/// A caption like `<ワクチン接種記録システムにおける追加措置>`: context, not a row.
pub fn is_caption(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with('<') && t.ends_with('>')) || (t.starts_with('【') && t.ends_with('】'))
}

/// Splits a list of names at top-level `、` / `,` (not inside parentheses).
pub fn split_names(text: &str) -> Vec<String> {
    split_top_level(text, &['、', ',', '/'])
}

/// Splits at top-level separators.
pub fn split_top_level(text: &str, seps: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' | '[' | '「' => depth += 1,
            ')' | ']' | '」' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && seps.contains(&c) {
            out.push(current.trim().to_string());
            current.clear();
        } else {
            current.push(c);
        }
    }
    out.push(current.trim().to_string());
    out.into_iter()
        .filter(|t| !super::form::is_empty_word(t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_bullets_split_and_captions_drop() {
        let lines = vec![(4, "<追加措置>\n・一つ ・二つ目(a・b)\n—".to_string())];
        let b = bullets(&lines, false);
        assert_eq!(b, vec![(4, "一つ".into()), (4, "二つ目(a・b)".into())]);
    }

    #[test]
    fn option_debris_is_not_a_bullet() {
        let lines = vec![(
            1,
            "1) 行っている 2) 行っていない]]\n<選択肢>]\n2) 十分である1) 特に力を入れている\n特に力を入れて行っている\n・ログを取得する".to_string(),
        )];
        assert_eq!(bullets(&lines, true), vec![(1, "ログを取得する".into())]);
    }

    #[test]
    fn names_split_at_top_level() {
        assert_eq!(
            split_names("予防接種システム、システム基盤(市中間サーバー、個人基本)"),
            vec!["予防接種システム", "システム基盤(市中間サーバー、個人基本)"]
        );
    }
}
