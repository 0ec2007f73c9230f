//! The cover page of each published version of the form, as tables.
//!
//! The Personal Information Protection Commission publishes every 様式 with
//! fixed labels in a fixed order. The cover reader ([`super::cover`]) finds
//! these labels in the document text with all whitespace removed and takes
//! what lies between them, so a label is written here exactly as the form
//! prints it after NFKC and with no spaces. Every Japanese word the cover
//! reader compares against lives in this module: a new edition of the form
//! is a new row here, not new code.

/// What a cover label introduces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    /// 特定個人情報保護評価書(…評価書): the form title, naming the kind.
    FormTitle(&'static str),
    /// 評価書番号.
    Number,
    /// 評価書名.
    Name,
    /// 個人のプライバシー等の権利利益の保護の宣言.
    Declaration,
    /// 特記事項.
    Notes,
    /// 評価実施機関名.
    Org,
    /// (特定)個人情報保護委員会 承認日 【行政機関等のみ】.
    Approval,
    /// 公表日.
    Published,
    /// 【行政機関等のみ】 when it stands apart from its label.
    Noise,
    /// The end of the cover: 項目一覧 or the title of part I.
    End,
}

/// The cover labels of one version of the form, in the order the form
/// prints them. `approval` is the 承認日 label of the full form (様式4).
#[derive(Debug)]
pub struct CoverTemplate {
    /// The version as the 様式 line dates it ("平成26年4月").
    pub version: &'static str,
    /// The 承認日 label of this version, with no spaces.
    pub approval: &'static str,
}

/// The versions of the form whose covers pialog knows. They differ on the
/// cover only in the commission's name of the 承認日 row (特定個人情報保護委員会
/// until 2016, 個人情報保護委員会 after).
pub const VERSIONS: &[CoverTemplate] = &[
    CoverTemplate {
        version: "平成26年4月",
        approval: "特定個人情報保護委員会承認日",
    },
    CoverTemplate {
        version: "平成28年1月",
        approval: "個人情報保護委員会承認日",
    },
    CoverTemplate {
        version: "平成30年5月",
        approval: "個人情報保護委員会承認日",
    },
    CoverTemplate {
        version: "令和7年5月",
        approval: "個人情報保護委員会承認日",
    },
];

/// The form's own title, which every cover prints with the kind in
/// parentheses.
pub const FORM_TITLE: &str = "特定個人情報保護評価書";

/// The kinds of assessment: the words of the title, the code, and the
/// number of the 様式 (form sheet) that kind uses.
pub const KINDS: &[(&str, &str, u32)] = &[
    ("全項目評価書", "full", 4),
    ("重点項目評価書", "focused", 3),
    ("基礎項目評価書", "basic", 2),
];

/// The labels of every version, as (text without spaces, slot). Matched
/// leftmost-longest, so "特定個人情報保護委員会承認日" wins over its tail.
pub fn labels() -> Vec<(String, Slot)> {
    let mut out: Vec<(String, Slot)> = vec![
        ("評価書番号".into(), Slot::Number),
        ("評価書名".into(), Slot::Name),
        (
            "個人のプライバシー等の権利利益の保護の宣言".into(),
            Slot::Declaration,
        ),
        ("特記事項".into(), Slot::Notes),
        ("評価実施機関名".into(), Slot::Org),
        ("公表日".into(), Slot::Published),
        ("項目一覧".into(), Slot::End),
    ];
    for (words, code, _) in KINDS {
        out.push((format!("{FORM_TITLE}({words})"), Slot::FormTitle(code)));
    }
    for v in VERSIONS {
        for note in APPROVAL_NOTES {
            out.push((format!("{}{note}", v.approval), Slot::Approval));
        }
        out.push((v.approval.to_string(), Slot::Approval));
    }
    for note in APPROVAL_NOTES {
        out.push(((*note).to_string(), Slot::Noise));
    }
    for title in PART_ONE_TITLES {
        out.push(((*title).to_string(), Slot::End));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// The note the full form prints after the 承認日 label, as extracted
/// text gives it (with and without its brackets).
pub const APPROVAL_NOTES: &[&str] = &["【行政機関等のみ】", "行政機関等のみ"];

/// Titles of part I after NFKC (Ⅰ -> I): 基本情報 in the focused and full
/// forms, 関連情報 in the basic form. Either ends the cover.
pub const PART_ONE_TITLES: &[&str] = &["I基本情報", "I関連情報"];

/// The 様式 line: "[平成26年4月 様式2]"; the brackets are often lost.
pub const FORM_SHEET: &str = "様式";

/// The brackets around the 様式 line, often lost in extraction.
pub const SHEET_BRACKETS: (char, char) = ('[', ']');

/// Era names and the Gregorian year of their first year (元年).
pub const ERAS: &[(&str, i32)] = &[("令和", 2019), ("平成", 1989), ("昭和", 1926)];

/// The first year of an era, written instead of 1.
pub const FIRST_YEAR: char = '元';

/// Date words: year, month, day.
pub const DATE_UNITS: (char, char, char) = ('年', '月', '日');

/// The mark of a draft, printed after the title of an assessment that is
/// not yet final.
pub const DRAFT_MARK: &str = "(案)";

/// How the title of an assessment ends: with its kind, often followed by
/// the draft mark or a bracketed note (【令和6年3月31日終了】).
pub const TITLE_END: &str = "評価書";

/// I-1 ①事務の名称, the name of the affair (the first field of part I).
pub const AFFAIR_LABEL: &str = "事務の名称";

/// How the name of an affair ends ("…に関する事務"): a name wrapped onto
/// the next line is joined while it does not.
pub const AFFAIR_END: &str = "事務";

/// The fields that follow 事務の名称 in part I (their circled numbers
/// differ between forms); the affair's value ends at the first of them.
pub const AFTER_AFFAIR: &[&str] = &[
    "事務の内容",
    "事務の概要",
    "システムの名称",
    "対象人数",
    "特定個人情報ファイルを取り扱う事務において使用するシステム",
];

/// How the name of a body that carries out assessments ends (市長, 知事,
/// 教育委員会, 企業管理者, 広域連合長 …): used to recognise an
/// organisation that stands away from its label.
pub const ORG_ENDINGS: &[&str] = &["長", "知事", "委員会", "管理者", "議会"];

/// Words of a municipality (市, 町, 村, 区): a prefecture printed before the
/// head of one is dropped from the id ("静岡県焼津市長" is 焼津市長), while any
/// other body keeps it ("兵庫県教育委員会", "静岡県焼津市教育委員会").
pub const MUNICIPALITY_WORDS: &[char] = &['市', '町', '村', '区'];

/// The end of a municipality head's name after its 市/町/村/区.
pub const MUNICIPAL_HEAD: &str = "長";

/// The longest municipality name before its 市/町/村/区 that the rule
/// above takes (郡 included: "虻田郡洞爺湖町").
pub const MUNICIPALITY_NAME_MAX: usize = 8;

/// The brackets of a note printed after a title (【令和6年3月31日終了】).
pub const NOTE_BRACKETS: (char, char) = ('【', '】');

/// The separator of a page number as extraction prints it ("1/5").
pub const PAGE_OF: char = '/';

/// The end of a sentence: a value holding one has run into prose.
pub const SENTENCE_END: char = '。';

/// Characters a body's name never holds (prose, lists, brackets).
pub const NOT_IN_ORG: &[char] = &['。', '、', ',', '(', '['];

/// What may stand between the 公表日 label and its date.
pub const BEFORE_DATE: &[char] = &['(', '[', ':', '：'];

/// The circled numbers of a part's fields (①…⑳).
pub const ITEM_NUMBERS: (char, char) = ('①', '⑳');

/// How text after ①事務の名称 starts when it is not the name: a heading
/// (【概要】), a bullet or a note.
pub const NOT_AFFAIR_START: &[char] = &['【', '・', '('];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_has_its_approval_label_and_labels_are_unique() {
        let labels = labels();
        for v in VERSIONS {
            assert!(
                labels
                    .iter()
                    .any(|(t, s)| t == v.approval && *s == Slot::Approval)
            );
        }
        let mut texts: Vec<&String> = labels.iter().map(|(t, _)| t).collect();
        texts.dedup();
        assert_eq!(texts.len(), labels.len());
        assert!(labels.iter().all(|(t, _)| !t.contains(char::is_whitespace)));
    }
}
