//! Part III of the form as data: each phase's risks in the order the form
//! numbers them, and which fields the form prints under which risk.
//!
//! The 全項目 (様式4) and 重点項目 (様式3) forms print the same risks with the
//! same titles and the same fields in every published version (平成26年4月,
//! 平成28年1月, 平成30年5月, 令和7年5月). A reader that knows this does not
//! depend on where a converted PDF happened to put a cell: a field the form
//! prints under one risk only is that risk's wherever it stands, and a
//! detail field (具体的な方法 …) belongs to the choice item it follows.

/// Phase codes in form order, each with the standard titles of its risks
/// (リスク1, リスク2, …). The full form's 委託 block has one unnumbered risk.
pub const RISK_TITLES: &[(&str, &[&str])] = &[
    (
        "acquisition",
        &[
            "目的外の入手が行われるリスク",
            "不適切な方法で入手が行われるリスク",
            "入手した特定個人情報が不正確であるリスク",
            "入手の際に特定個人情報が漏えい・紛失するリスク",
        ],
    ),
    (
        "use",
        &[
            "目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスク",
            "権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク",
            "従業者が事務外で使用するリスク",
            "特定個人情報ファイルが不正に複製されるリスク",
        ],
    ),
    ("entrustment", &["委託先における不正な使用等のリスク"]),
    (
        "provision",
        &[
            "不正な提供・移転が行われるリスク",
            "不適切な方法で提供・移転が行われるリスク",
            "誤った情報を提供・移転してしまうリスク、誤った相手に提供・移転してしまうリスク",
        ],
    ),
    (
        "network",
        &[
            "目的外の入手が行われるリスク",
            "安全が保たれない方法によって入手が行われるリスク",
            "入手した特定個人情報が不正確であるリスク",
            "入手の際に特定個人情報が漏えい・紛失するリスク",
            "不正な提供が行われるリスク",
            "不適切な方法で提供されるリスク",
            "誤った情報を提供してしまうリスク、誤った相手に提供してしまうリスク",
        ],
    ),
    (
        "storage",
        &[
            "特定個人情報の漏えい・滅失・毀損リスク",
            "特定個人情報が古い情報のまま保管され続けるリスク",
            "特定個人情報が消去されずいつまでも存在するリスク",
        ],
    ),
];

/// The blocks of Ⅳ その他のリスク対策 that hold measures, with the titles
/// the form prints (the full form numbers them 1. 監査, 2. 従業者に対する
/// 教育・啓発, 3. その他のリスク対策; the focused form 8., 9., 10.).
pub const OTHER_BLOCKS: &[(&str, &str)] = &[
    ("other/audit", "監査"),
    ("other/training", "従業者に対する教育・啓発"),
    ("other/other", "その他のリスク対策"),
];

/// The form's title of a Ⅳ block (`other/audit` …).
pub fn other_block_title(id: &str) -> Option<&'static str> {
    OTHER_BLOCKS.iter().find(|(k, _)| *k == id).map(|(_, t)| *t)
}

/// The phases whose standard risks include `title`.
pub fn phases_of_title(title: &str) -> Vec<&'static str> {
    RISK_TITLES
        .iter()
        .filter(|(_, titles)| titles.contains(&title))
        .map(|(phase, _)| *phase)
        .collect()
}

/// True for a title the form prints for some risk.
pub fn is_standard_title(title: &str) -> bool {
    !phases_of_title(title).is_empty()
}

/// Measure fields the form prints under exactly one risk (or Ⅳ block),
/// label -> risk id. Fields shared by several risks (リスクに対する措置の
/// 内容, その他の措置の内容, 具体的な方法 …) are not here: their place
/// decides, or the choice item they detail.
pub const MEASURE_HOMES: &[(&str, &str)] = &[
    (
        "対象者以外の情報の入手を防止するための措置の内容",
        "acquisition/1",
    ),
    (
        "必要な情報以外を入手することを防止するための措置の内容",
        "acquisition/1",
    ),
    ("入手の際の本人確認の措置の内容", "acquisition/3"),
    ("個人番号の真正性確認の措置の内容", "acquisition/3"),
    ("特定個人情報の正確性確保の措置の内容", "acquisition/3"),
    ("宛名システム等における措置の内容", "use/1"),
    ("事務で使用するその他のシステムにおける措置の内容", "use/1"),
    ("具体的な管理方法", "use/2"),
    ("情報保護管理体制の確認", "entrustment/1"),
    ("具体的な制限方法", "entrustment/1"),
    ("規定の内容", "entrustment/1"),
    (
        "委託先から他者への提供に関するルールの内容及びルール遵守の確認方法",
        "entrustment/1",
    ),
    (
        "委託元と委託先間の提供に関するルールの内容及びルール遵守の確認方法",
        "entrustment/1",
    ),
    ("具体的な対策の内容", "storage/1"),
    ("具体的な保管方法", "storage/1"),
    ("再発防止策の内容", "storage/1"),
    ("手順の内容", "storage/3"),
    ("具体的なチェック方法", "other/audit"),
    ("具体的な内容", "other/audit"),
];

/// The risk a measure label belongs to by the form, if only one.
pub fn measure_home(label: &str) -> Option<&'static str> {
    MEASURE_HOMES
        .iter()
        .find(|(l, _)| *l == label)
        .map(|(_, home)| *home)
}

/// Fields that only detail the choice item printed just above them
/// (ユーザ認証の管理 -> 具体的な管理方法): they belong to that item's risk.
pub const DETAIL_LABELS: &[&str] = &[
    "具体的な方法",
    "具体的な管理方法",
    "具体的な制限方法",
    "ルールの内容及びルール遵守の確認方法",
    "規定の内容",
    "具体的な対策の内容",
    "具体的な保管方法",
    "手順の内容",
    "具体的なチェック方法",
    "具体的な内容",
    "その内容",
    "再発防止策の内容",
];

const ACTION: &str = "リスクに対する措置の内容";
const OTHER_ACTION: &str = "その他の措置の内容";
const RATING: &str = "リスクへの対策は十分か";

/// The labelled fields the full form (様式4) prints under each risk, in
/// order (choice items and their detail fields included). Every numbered
/// risk also prints リスクに対する措置の内容 and its rating.
pub const RISK_FIELDS: &[(&str, &[&str])] = &[
    (
        "acquisition/1",
        &[
            "対象者以外の情報の入手を防止するための措置の内容",
            "必要な情報以外を入手することを防止するための措置の内容",
            OTHER_ACTION,
            RATING,
        ],
    ),
    (
        "acquisition/3",
        &[
            "入手の際の本人確認の措置の内容",
            "個人番号の真正性確認の措置の内容",
            "特定個人情報の正確性確保の措置の内容",
            OTHER_ACTION,
            RATING,
        ],
    ),
    (
        "use/1",
        &[
            "宛名システム等における措置の内容",
            "事務で使用するその他のシステムにおける措置の内容",
            OTHER_ACTION,
            RATING,
        ],
    ),
    (
        "use/2",
        &[
            "ユーザ認証の管理",
            "具体的な管理方法",
            "アクセス権限の発効・失効の管理",
            "アクセス権限の管理",
            "特定個人情報の使用の記録",
            "具体的な方法",
            OTHER_ACTION,
            RATING,
        ],
    ),
    (
        "entrustment/1",
        &[
            "情報保護管理体制の確認",
            "特定個人情報ファイルの閲覧者・更新者の制限",
            "具体的な制限方法",
            "特定個人情報ファイルの取扱いの記録",
            "具体的な方法",
            "特定個人情報の提供ルール",
            "委託先から他者への提供に関するルールの内容及びルール遵守の確認方法",
            "委託元と委託先間の提供に関するルールの内容及びルール遵守の確認方法",
            "特定個人情報の消去ルール",
            "ルールの内容及びルール遵守の確認方法",
            "委託契約書中の特定個人情報ファイルの取扱いに関する規定",
            "規定の内容",
            "再委託先による特定個人情報ファイルの適切な取扱いの確保",
            OTHER_ACTION,
            RATING,
        ],
    ),
    (
        "provision/1",
        &[
            "特定個人情報の提供・移転の記録",
            "具体的な方法",
            "特定個人情報の提供・移転に関するルール",
            "ルールの内容及びルール遵守の確認方法",
            OTHER_ACTION,
            RATING,
        ],
    ),
    (
        "storage/1",
        &[
            "具体的な対策の内容",
            "その内容",
            "再発防止策の内容",
            "具体的な保管方法",
            OTHER_ACTION,
            RATING,
        ],
    ),
    (
        "storage/3",
        &["消去手順", "手順の内容", OTHER_ACTION, RATING],
    ),
    ("other/audit", &["具体的なチェック方法", "具体的な内容"]),
    ("other/training", &["具体的な方法"]),
];

/// Whether the form prints a field with `label` under `risk`. A phase's
/// その他のリスク block and Ⅳ その他のリスク対策 hold free text only.
pub fn prints(risk: &str, label: &str) -> bool {
    if risk.ends_with("/other") {
        return false;
    }
    // Every numbered risk may carry リスクに対する措置の内容 (the focused
    // form and the older editions use it where the full form lists fields).
    if label == ACTION || label == RATING {
        return !risk.starts_with("other/");
    }
    RISK_FIELDS
        .iter()
        .find(|(r, _)| *r == risk)
        .is_some_and(|(_, labels)| labels.contains(&label))
}

/// The risks whose block prints a field with `label` (every numbered risk
/// of the form, full form numbering).
pub fn risks_printing(label: &str) -> Vec<String> {
    RISK_TITLES
        .iter()
        .flat_map(|(phase, titles)| (1..=titles.len()).map(move |n| format!("{phase}/{n}")))
        .chain(["other/audit".to_string(), "other/training".to_string()])
        .filter(|r| prints(r, label))
        .collect()
}

/// Risks the form rates (リスクへの対策は十分か): the numbered risks only.
/// A phase's その他のリスク block and the Ⅳ blocks carry no rating.
pub fn is_rated(risk: &str) -> bool {
    risk.rsplit_once('/')
        .is_some_and(|(_, n)| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_their_phases() {
        assert_eq!(
            phases_of_title("入手した特定個人情報が不正確であるリスク"),
            vec!["acquisition", "network"]
        );
        assert!(is_standard_title("従業者が事務外で使用するリスク"));
        assert!(!is_standard_title("その他"));
    }

    #[test]
    fn homes_and_ratings() {
        assert_eq!(measure_home("規定の内容"), Some("entrustment/1"));
        assert_eq!(measure_home("リスクに対する措置の内容"), None);
        assert!(is_rated("use/2"));
        assert!(!is_rated("use/other"));
        assert!(!is_rated("other/audit"));
        assert!(prints("use/3", "リスクに対する措置の内容"));
        assert!(!prints("use/3", "ルールの内容及びルール遵守の確認方法"));
        assert!(!prints("use/other", "リスクに対する措置の内容"));
        assert_eq!(
            risks_printing("ルールの内容及びルール遵守の確認方法"),
            vec!["entrustment/1", "provision/1"]
        );
    }
}
