//! The cover page: organisation, assessment number, title, kind, 公表日.

use super::era::find_date;
use super::form;
use super::normalize::Line;

/// What the cover page says.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    /// 評価実施機関名 without the prefecture.
    pub org: Option<(String, usize)>,
    /// 評価書番号.
    pub number: Option<(String, usize)>,
    /// 評価書名.
    pub title: String,
    /// `full`, `focused`, `basic`.
    pub kind: Option<&'static str>,
    /// 公表日 as ISO, or the line of the label when it holds no date.
    pub published: Result<(String, usize), usize>,
    /// Whether the form title 特定個人情報保護評価書 appears.
    pub has_form_title: bool,
}

/// Reads the cover from the lines before `end` (the change list).
pub fn read(lines: &[Line], end: usize) -> Cover {
    let mut cover = Cover {
        org: None,
        number: None,
        title: String::new(),
        kind: None,
        published: Err(0),
        has_form_title: false,
    };
    let mut published_seen = false;
    let upto = lines.iter().take_while(|l| l.no < end);
    let lines: Vec<&Line> = upto.filter(|l| !l.is_blank()).collect();
    for (i, line) in lines.iter().enumerate() {
        let flat = line.flat();
        if flat.contains(form::FORM_TITLE) {
            cover.has_form_title = true;
            if cover.kind.is_none() && flat.chars().count() < 60 {
                cover.kind = kind_of(&flat);
            }
        }
        if cover.number.is_none()
            && flat.starts_with(form::LABEL_NUMBER)
            && let Some(next) = lines.get(i + 1)
        {
            {
                let text = next.flat();
                let digits: String = text
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if !digits.is_empty() && digits.chars().any(|c| c.is_ascii_digit()) {
                    cover.title = text[digits.len()..].trim().to_string();
                    cover.number = Some((digits, next.no));
                    if cover.kind.is_none() {
                        cover.kind = kind_of(&cover.title);
                    }
                }
            }
        }
        if cover.org.is_none() && flat.starts_with(form::LABEL_ORG) {
            let rest = flat[form::LABEL_ORG.len()..].trim();
            let (value, no) = if rest.is_empty() {
                match lines.get(i + 1) {
                    Some(n) => (n.flat(), n.no),
                    None => continue,
                }
            } else {
                (rest.to_string(), line.no)
            };
            cover.org = Some((strip_prefecture(&value), no));
        }
        if !published_seen && flat.starts_with(form::LABEL_PUBLISHED) {
            published_seen = true;
            let rest = flat[form::LABEL_PUBLISHED.len()..].trim().to_string();
            let candidate = if rest.is_empty() {
                lines.get(i + 1).map(|n| (n.flat(), n.no))
            } else {
                Some((rest, line.no))
            };
            cover.published = candidate
                .and_then(|(t, no)| {
                    find_date(&t)
                        .filter(|_| t.chars().count() < 30)
                        .map(|d| (d, no))
                })
                .ok_or(line.no);
        }
    }
    cover
}

fn kind_of(text: &str) -> Option<&'static str> {
    form::KINDS
        .iter()
        .find(|(k, _)| text.contains(k))
        .map(|(_, v)| *v)
}

/// Drops a prefecture in front of a municipality ("静岡県焼津市長" -> "焼津市長").
pub fn strip_prefecture(org: &str) -> String {
    let org = org.trim();
    for p in form::PREFECTURES {
        if let Some(rest) = org.strip_prefix(p)
            && rest.chars().count() >= 2
        {
            return rest.trim().to_string();
        }
    }
    org.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::normalize::lines;

    #[test]
    fn reads_a_cover() {
        let text = "特定個人情報保護評価書(重点項目評価書)\n\n評価書番号\t評価書名\n26\t予防接種 重点項目評価書\n評価実施機関名\n静岡県焼津市長\n公表日\n令和7年8月12日\n";
        let c = read(&lines(text), usize::MAX);
        assert_eq!(c.org, Some(("焼津市長".to_string(), 6)));
        assert_eq!(c.number, Some(("26".to_string(), 4)));
        assert_eq!(c.kind, Some("focused"));
        assert_eq!(c.published, Ok(("2025-08-12".to_string(), 8)));
    }

    #[test]
    fn missing_date_is_reported() {
        let c = read(&lines("## 公表日\n\n[平成30年5月 様式4]\n"), usize::MAX);
        assert_eq!(c.published, Err(1));
        assert_eq!(strip_prefecture("東京都"), "東京都");
    }
}
