//! Japanese era dates (令和7年8月12日, 平成 28 年 1 月 1 日, 令和元年) -> ISO.
//!
//! The form writes dates in the era calendar; queries compare ISO strings,
//! so every date is converted once, here. The era names and date words are
//! the form's, in [`super::template`].

use super::template::{DATE_UNITS, ERAS, FIRST_YEAR};

/// Finds the first era date in `text` (after NFKC) and returns it as
/// `YYYY-MM-DD`. Also accepts an ISO-like `2023/5/11`.
pub fn find_date(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .char_indices()
        .find_map(|(i, _)| date_prefix(&compact[i..]).map(|(d, _)| d))
}

/// The date that `compact` (text without whitespace) starts with, as ISO,
/// and the bytes it takes.
pub fn date_prefix(compact: &str) -> Option<(String, usize)> {
    if let Some((year, month, rest)) = era_month(compact) {
        let (day, rest) = number(rest)?;
        let rest = rest.strip_prefix(DATE_UNITS.2)?;
        return iso(year, month, day).map(|d| (d, compact.len() - rest.len()));
    }
    slash_date(compact)
}

/// The era year and month that `compact` starts with ("平成26年4月" ->
/// 2014, 4) and the rest of the text: the date of a version of the form.
pub fn era_month(compact: &str) -> Option<(i32, i32, &str)> {
    let (era, base) = ERAS.iter().find(|(era, _)| compact.starts_with(era))?;
    let text = &compact[era.len()..];
    let (year, rest) = match text.strip_prefix(FIRST_YEAR) {
        Some(r) => (1, r),
        None => number(text)?,
    };
    let rest = rest.strip_prefix(DATE_UNITS.0)?;
    let (month, rest) = number(rest)?;
    let rest = rest.strip_prefix(DATE_UNITS.1)?;
    (1..=12)
        .contains(&month)
        .then_some((base + year - 1, month, rest))
}

fn slash_date(text: &str) -> Option<(String, usize)> {
    let (year, rest) = number(text)?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    let rest = rest.strip_prefix('/')?;
    let (month, rest) = number(rest)?;
    let rest = rest.strip_prefix('/')?;
    let (day, rest) = number(rest)?;
    iso(year, month, day).map(|d| (d, text.len() - rest.len()))
}

fn iso(year: i32, month: i32, day: i32) -> Option<String> {
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn number(text: &str) -> Option<(i32, &str)> {
    let end = text
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(text.len(), |(i, _)| i);
    if end == 0 || end > 4 {
        return None;
    }
    Some((text[..end].parse().ok()?, &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eras_convert() {
        assert_eq!(find_date("令和7年8月12日").as_deref(), Some("2025-08-12"));
        assert_eq!(
            find_date("平成 28 年 1 月 1 日").as_deref(),
            Some("2016-01-01")
        );
        assert_eq!(find_date("昭和64年1月7日").as_deref(), Some("1989-01-07"));
        assert_eq!(find_date("令和元年5月1日").as_deref(), Some("2019-05-01"));
        assert_eq!(find_date("変更日 2023/5/11").as_deref(), Some("2023-05-11"));
    }

    #[test]
    fn non_dates_are_none() {
        assert_eq!(find_date("令和7年度"), None);
        assert_eq!(find_date("令和7年13月1日"), None);
        assert_eq!(find_date("公表日"), None);
    }

    #[test]
    fn prefixes_say_how_much_they_take() {
        assert_eq!(
            date_prefix("平成31年4月4日千葉市"),
            Some(("2019-04-04".to_string(), "平成31年4月4日".len()))
        );
        assert_eq!(date_prefix("平成26年4月様式2"), None);
        assert_eq!(era_month("平成26年4月様式2"), Some((2014, 4, "様式2")));
        assert_eq!(era_month("令和元年5月"), Some((2019, 5, "")));
    }
}
