//! Text measured the way a terminal draws it: in display columns, where an
//! East Asian wide character (漢字, かな, full-width forms) takes two and a
//! combining mark none. Counting characters instead makes 40 Japanese
//! characters look like 40 columns when they fill 80, so every writer that
//! lines text up or fits it to a screen measures through here.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The marker put where text was cut.
pub const ELLIPSIS: char = '…';

/// Display columns of `text` (wide characters count two).
pub fn columns(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

fn char_columns(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// A cell's text made safe for one screen line: line breaks shown as `↵`,
/// tabs and other control characters as a space, so a measure text quoted
/// over several lines cannot break a table's frame.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| match c {
            '\n' => '↵',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// The longest prefix of `text` that fits in `max` columns.
fn head(text: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += char_columns(c);
        if used > max {
            return &text[..i];
        }
    }
    text
}

/// The longest suffix of `text` that fits in `max` columns.
fn tail(text: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices().rev() {
        used += char_columns(c);
        if used > max {
            return &text[i + c.len_utf8()..];
        }
    }
    text
}

/// Cuts `text` to at most `max` columns, keeping its beginning and its end
/// with `…` between them: long item names that differ only in their last
/// words (`…(その1)`, `…(その2)`) stay told apart.
pub fn elide(text: &str, max: usize) -> String {
    if columns(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let room = max - 1;
    let front = head(text, room - room / 3);
    let back = tail(text, room - columns(front));
    format!("{front}{ELLIPSIS}{back}")
}

/// Cuts `text` to at most `max` columns from the end (`暗号化…`).
pub fn elide_end(text: &str, max: usize) -> String {
    if columns(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    format!("{}{ELLIPSIS}", head(text, max - 1))
}

/// Breaks `text` into lines of at most `max` columns, at spaces where a
/// line has one and anywhere otherwise (Japanese has no spaces between
/// words). Never returns an empty list.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(2);
    let mut lines = Vec::new();
    let mut rest = text;
    while columns(rest) > max {
        let mut cut = head(rest, max);
        if cut.is_empty() {
            // One character wider than the line: take it anyway.
            let c = rest.chars().next().map_or(1, char::len_utf8);
            cut = &rest[..c];
        } else if let Some(space) = cut.rfind(' ')
            && space > cut.len() / 2
        {
            cut = &rest[..space];
        }
        lines.push(cut.trim_end().to_string());
        rest = rest[cut.len()..].trim_start_matches(' ');
    }
    lines.push(rest.to_string());
    lines
}

/// `text` padded with spaces to `width` columns (left-aligned, or right
/// for numbers).
pub fn pad(text: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(columns(text)));
    if right {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(columns("焼津市長/26"), 11);
        assert_eq!(columns("abc"), 3);
        assert_eq!(pad("暗号", 6, false), "暗号  ");
        assert_eq!(pad("7", 3, true), "  7");
    }

    #[test]
    fn elision_keeps_both_ends_within_the_width() {
        let name = "特定個人情報ファイルの取扱いの委託(その2)";
        let cut = elide(name, 20);
        assert!(columns(&cut) <= 20, "{cut}");
        assert!(cut.starts_with("特定"), "{cut}");
        assert!(cut.ends_with("その2)"), "{cut}");
        assert!(cut.contains(ELLIPSIS));
        assert_eq!(elide("short", 20), "short");
        assert_eq!(elide_end("暗号化された通信回線", 7), "暗号化…");
    }

    #[test]
    fn wrapping_fits_every_line() {
        let text =
            "暗号化された通信回線を使用し、アクセスログを記録する。 and then some English words";
        let lines = wrap(text, 16);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| columns(l) <= 16), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
        assert_eq!(wrap("", 10), vec![String::new()]);
    }

    #[test]
    fn control_characters_stay_on_one_line() {
        assert_eq!(one_line("a\nb\tc"), "a↵b c");
    }
}
