//! Japanese era dates (令和7年8月12日, 平成 28 年 1 月 1 日, 令和元年) -> ISO.
//!
//! The form writes dates in the era calendar; queries compare ISO strings,
//! so every date is converted once, here.

/// Eras and the Gregorian year of their first year (元年).
pub const ERAS: &[(&str, i32)] = &[("令和", 2019), ("平成", 1989), ("昭和", 1926)];

/// Finds the first era date in `text` (after NFKC) and returns it as
/// `YYYY-MM-DD`. Also accepts an ISO-like `2023/5/11`.
pub fn find_date(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let compact: String = chars.iter().collect();
    for (i, _) in compact.char_indices() {
        let rest = &compact[i..];
        for (era, base) in ERAS {
            if let Some(after) = rest.strip_prefix(era)
                && let Some(date) = era_tail(after, *base)
            {
                return Some(date);
            }
        }
        if let Some(date) = slash_date(rest) {
            return Some(date);
        }
    }
    None
}

fn era_tail(text: &str, base: i32) -> Option<String> {
    let (year, rest) = if let Some(r) = text.strip_prefix('元') {
        (1, r)
    } else {
        number(text)?
    };
    let rest = rest.strip_prefix('年')?;
    let (month, rest) = number(rest)?;
    let rest = rest.strip_prefix('月')?;
    let (day, rest) = number(rest)?;
    rest.strip_prefix('日')?;
    iso(base + year - 1, month, day)
}

fn slash_date(text: &str) -> Option<String> {
    let (year, rest) = number(text)?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    let rest = rest.strip_prefix('/')?;
    let (month, rest) = number(rest)?;
    let rest = rest.strip_prefix('/')?;
    let (day, _) = number(rest)?;
    iso(year, month, day)
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
    use super::find_date;

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
}
