//! What pialog knows about the 特定個人情報保護評価書 form, as data.
//!
//! Every body fills in the same form (様式), so its section titles, field
//! labels and option lists are fixed. Keeping them here as tables, rather than
//! as string matches spread through the readers, means a new layout or a new
//! edition of the form is a change to one table. All strings are compared
//! after the normalisation of [`super::normalize`] (NFKC, folded spaces).

/// Top-level parts of the document, recognised by their title (the Roman
/// numeral in front of it differs between the full and focused forms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Everything before the first heading (cover page, council text).
    Front,
    /// I 基本情報.
    Basic,
    /// II 特定個人情報ファイルの概要.
    Overview,
    /// III リスク対策.
    Risks,
    /// IV その他のリスク対策 (full form only).
    OtherRisks,
    /// 開示請求、問合せ.
    Disclosure,
    /// 評価実施手続.
    Procedure,
    /// 別添 事務の内容.
    AffairAnnex,
    /// 別添 特定個人情報ファイル記録項目.
    RecordItems,
    /// 別添 変更箇所.
    Changes,
}

/// Part titles, checked in order (a title may contain a later one).
pub const PART_TITLES: &[(&str, Part)] = &[
    ("その他のリスク対策", Part::OtherRisks),
    ("基本情報", Part::Basic),
    // The basic form (様式2) titles its part I 関連情報.
    ("関連情報", Part::Basic),
    ("特定個人情報ファイルの概要", Part::Overview),
    ("リスク対策", Part::Risks),
    ("開示請求、問合せ", Part::Disclosure),
    ("評価実施手続", Part::Procedure),
];

/// Annex titles (別添N); the annex number differs between forms.
pub const ANNEX_TITLES: &[(&str, Part)] = &[
    ("変更箇所", Part::Changes),
    ("記録項目", Part::RecordItems),
    ("事務の内容", Part::AffairAnnex),
];

/// Numbered subsections ("3. 特定個人情報の入手・使用") and what they hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sub {
    /// No numbered subsection seen yet in this part.
    None,
    /// I-1 事務.
    Affair,
    /// I-2 システム.
    Systems,
    /// I-3 / II-1 / III-1 特定個人情報ファイル名.
    FileName,
    /// II-2 基本情報.
    FileBasics,
    /// II-3 入手・使用.
    AcquireUse,
    /// II-4 / III-4 委託.
    Entrust,
    /// II-5 / III-5 提供・移転.
    Provide,
    /// II-6 / III-7 保管・消去.
    Store,
    /// III-2 入手.
    Acquire,
    /// III-3 使用.
    Use,
    /// III-6 情報提供ネットワークシステムとの接続.
    Network,
    /// 監査.
    Audit,
    /// 従業者に対する教育・啓発.
    Training,
    /// その他のリスク対策.
    OtherMeasures,
    /// Any other numbered subsection (個人番号の利用, 備考 …).
    Other,
}

/// Subsection titles by keyword, checked in order; the first whose every
/// keyword occurs in the title (and which starts the title when `prefix`)
/// wins.
pub const SUB_TITLES: &[(&str, bool, Sub)] = &[
    (
        "特定個人情報ファイルを取り扱う事務において使用するシステム",
        false,
        Sub::Systems,
    ),
    ("特定個人情報ファイルを取り扱う事務", true, Sub::Affair),
    ("特定個人情報ファイル名", true, Sub::FileName),
    ("基本情報", true, Sub::FileBasics),
    ("入手・使用", false, Sub::AcquireUse),
    ("情報提供ネットワークシステムとの接続", true, Sub::Network),
    (
        "情報提供ネットワークシステムによる情報連携",
        true,
        Sub::Other,
    ),
    ("特定個人情報の入手", true, Sub::Acquire),
    ("特定個人情報の使用", true, Sub::Use),
    ("提供・移転", false, Sub::Provide),
    ("委託", false, Sub::Entrust),
    ("保管・消去", false, Sub::Store),
    ("監査", false, Sub::Audit),
    ("教育・啓発", false, Sub::Training),
    ("その他のリスク対策", false, Sub::OtherMeasures),
];

/// The phase code of a risk subsection (DESIGN "Phases").
pub fn phase_of(sub: Sub) -> Option<&'static str> {
    Some(match sub {
        Sub::Acquire => "acquisition",
        Sub::Use => "use",
        Sub::Entrust => "entrustment",
        Sub::Provide => "provision",
        Sub::Network => "network",
        Sub::Store => "storage",
        Sub::OtherMeasures | Sub::Audit | Sub::Training => "other",
        _ => return None,
    })
}

/// Prefectures: dropped from the front of a municipality's head so that
/// "静岡県焼津市長" and "焼津市長" give the same id, kept for a prefecture's
/// own bodies (`cover::org_id`).
pub const PREFECTURES: &[&str] = &[
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// Item headers that open a numbered block inside a subsection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// システムN.
    System,
    /// 委託事項N.
    Entrustment,
    /// 提供先N.
    Provision,
    /// 移転先N.
    Transfer,
}

/// Words of the item headers.
pub const ITEM_HEADERS: &[(&str, ItemKind)] = &[
    ("システム", ItemKind::System),
    ("委託事項", ItemKind::Entrustment),
    ("提供先", ItemKind::Provision),
    ("移転先", ItemKind::Transfer),
];

/// The full form's entrustment block has no "リスクN:" header: it lists its
/// risks, starting with this one, and counts as one risk (`entrustment/1`).
pub const ENTRUSTMENT_RISKS_START: &str = "委託先による特定個人情報の不正入手";

/// Words of a "…におけるその他のリスク" title that name its phase, in order.
pub const OTHER_RISK_PHASES: &[(&str, &str)] = &[
    ("情報提供ネットワークシステムとの接続", "network"),
    ("特定個人情報の入手", "acquisition"),
    ("特定個人情報の使用", "use"),
    ("提供・移転", "provision"),
    ("委託", "entrustment"),
    ("保管・消去", "storage"),
];

/// Field labels (after the circled number and ※ are removed).
pub mod label {
    /// I-1 ①.
    pub const AFFAIR: &str = "事務の名称";
    /// I-2 ①.
    pub const SYSTEM_NAME: &str = "システムの名称";
    /// I-2 ②.
    pub const SYSTEM_FUNCTION: &str = "システムの機能";
    /// I-2 ③.
    pub const CONNECTS: &str = "他のシステムとの接続";
    /// II-3 ①.
    pub const SOURCE: &str = "入手元";
    /// II-3 ②.
    pub const ACQUIRED_VIA: &str = "入手方法";
    /// II-4 委託事項の内容.
    pub const ENTRUST_TASK: &str = "委託内容";
    /// II-4 委託先名.
    pub const VENDOR: &str = "委託先名";
    /// II-4 提供方法 (full form).
    pub const ENTRUST_VIA: &str = "委託先への特定個人情報ファイルの提供方法";
    /// II-4 再委託の有無.
    pub const REENTRUST: &str = "再委託の有無";
    /// II-5 ⑥ (provision).
    pub const PROVISION_VIA: &str = "提供方法";
    /// II-5 ⑥ (transfer).
    pub const TRANSFER_VIA: &str = "移転方法";
    /// II-6 保管場所.
    pub const STORED: &str = "保管場所";
    /// III rating.
    pub const ADEQUACY: &str = "リスクへの対策は十分か";
    /// Focused form 監査 group.
    pub const AUDIT_DONE: &str = "実施の有無";
}

/// Labels that open a field even in untabbed PDF text (after the circled
/// number and ※ are removed).
pub const FIELD_LABELS: &[&str] = &[
    label::AFFAIR,
    label::SYSTEM_NAME,
    label::SYSTEM_FUNCTION,
    label::CONNECTS,
    label::SOURCE,
    label::ACQUIRED_VIA,
    label::ENTRUST_TASK,
    label::ENTRUST_VIA,
    label::VENDOR,
    label::REENTRUST,
    label::PROVISION_VIA,
    label::TRANSFER_VIA,
    label::STORED,
    label::ADEQUACY,
    label::AUDIT_DONE,
    "リスクに対する措置の内容",
    "その他の措置の内容",
    "具体的な管理方法",
    "具体的な方法",
    "具体的な内容",
    "具体的なチェック方法",
    "具体的な対策の内容",
    "規定の内容",
    "手順の内容",
    "具体的な保管方法",
    "具体的な制限方法",
    "ルールの内容及びルール遵守の確認方法",
    "委託先名の確認方法",
    "再委託の許諾方法",
    "再委託事項",
    "取扱いを委託する特定個人情報ファイルの範囲",
    "委託先における取扱者数",
    "委託の有無",
    "提供・移転の有無",
    "法令上の根拠",
    "使用目的",
    "使用方法",
    "保管期間",
    "消去方法",
    "部署",
    "所属長の役職名",
    "事務の内容",
    "対象人数",
    "ファイルの種類",
    "対象となる本人の数",
    "対象となる本人の範囲",
    "記録される項目",
    "主な記録項目",
    "全ての記録項目",
    "保有開始日",
    "事務担当部署",
    "使用開始日",
    "使用の主体",
    "使用部署",
    "使用者数",
    "情報の突合",
    "入手の時期・頻度",
    "入手に係る妥当性",
    "本人への明示",
    "提供先における用途",
    "提供する情報",
    "移転先における用途",
    "移転する情報",
    "時期・頻度",
    "その妥当性",
    "その必要性",
    "実施日",
    "請求先",
    "連絡先",
];

/// Group words that precede the real label in a table row (再委託 ⑦再委託の有無).
pub const GROUP_WORDS: &[&str] = &["再委託", "使用の主体", "監査"];

/// Opening word of a risk header ("リスク2: …"), also the last word of a
/// risk's title.
pub const RISK_WORD: &str = "リスク";

/// The heading of a phase's その他のリスク block.
pub const OTHER_RISK_HEADING: &str = "その他のリスク及びそのリスクに対する措置";

/// The risk blocks' field for measures beyond the listed ones.
pub const OTHER_MEASURES_LABEL: &str = "その他の措置の内容";

/// How the measure fields of a risk end ("…の確認の措置の内容").
pub const MEASURE_SUFFIX: &str = "の措置の内容";

/// The basic form rates each risk on one line: `<risk>への対策は十分か`.
pub const ADEQUACY_SUFFIX: &str = "への対策は十分か";

/// Captions of a select box's option list.
pub const OPTION_CAPTIONS: &[&str] = &["<選択肢>", "[選択肢]"];

/// The heading of the file name block (I-3, II-1).
pub const FILE_NAME_HEADING: &str = "特定個人情報ファイル名";

/// The first field of a 提供先/移転先 (and the one after its recipient cell).
pub const LEGAL_BASIS: &str = "法令上の根拠";

/// Labels whose text becomes `measure` rows (one per bullet): the "…の内容",
/// "…方法" fields of the risk blocks.
pub const MEASURE_LABEL_ENDINGS: &[&str] = &["内容", "方法", "具体的な内容"];

/// Measure labels that are not measures even though they end like one.
pub const NOT_MEASURE_LABELS: &[&str] = &["その内容"];

/// The three-way rating of a risk (リスクへの対策は十分か).
pub const ADEQUACY_OPTIONS: &[(&str, &str)] = &[
    ("特に力を入れている", "emphasized"),
    ("十分である", "sufficient"),
    ("課題が残されている", "issues-remain"),
];

/// Select-box answers of the other choice fields, label -> value code.
pub const ANSWER_OPTIONS: &[(&str, &str)] = &[
    ("特に力を入れて行っている", "emphasized"),
    ("十分に行っている", "sufficient"),
    ("十分に行っていない", "insufficient"),
    ("特に力を入れて遵守している", "emphasized"),
    ("十分に遵守している", "sufficient"),
    ("十分に遵守していない", "insufficient"),
    ("政府機関ではない", "not-applicable"),
    ("特に力を入れて整備している", "emphasized"),
    ("十分に整備している", "sufficient"),
    ("十分に整備していない", "insufficient"),
    ("特に力を入れて周知している", "emphasized"),
    ("十分に周知している", "sufficient"),
    ("十分に周知していない", "insufficient"),
    ("再委託していない", "not-reentrusted"),
    ("記録を残している", "yes"),
    ("記録を残していない", "no"),
    ("行っている", "yes"),
    ("行っていない", "no"),
    ("定めている", "yes"),
    ("定めていない", "no"),
    ("制限している", "yes"),
    ("制限していない", "no"),
    ("保管している", "yes"),
    ("保管していない", "no"),
    ("発生あり", "yes"),
    ("発生なし", "no"),
];

/// Choice fields inside risk blocks and Ⅳ: label -> (item code, the risk
/// or section the form prints it under). Both the full and the focused
/// form place each of these fields under the same risk, so a field found in
/// another block (PDF cells out of reading order) is still attributed right.
pub const CHOICE_ITEMS: &[(&str, (&str, &str))] = &[
    ("ユーザ認証の管理", ("user-auth", "use/2")),
    (
        "アクセス権限の発効・失効の管理",
        ("access-grant-revoke", "use/2"),
    ),
    ("アクセス権限の管理", ("access-rights", "use/2")),
    ("特定個人情報の使用の記録", ("usage-log", "use/2")),
    (
        "特定個人情報ファイルの閲覧者・更新者の制限",
        ("viewer-restriction", "entrustment/1"),
    ),
    (
        "特定個人情報ファイルの取扱いの記録",
        ("handling-log", "entrustment/1"),
    ),
    (
        "特定個人情報の提供ルール",
        ("provision-rules", "entrustment/1"),
    ),
    (
        "特定個人情報の消去ルール",
        ("erasure-rules", "entrustment/1"),
    ),
    (
        "委託契約書中の特定個人情報ファイルの取扱いに関する規定",
        ("contract-clauses", "entrustment/1"),
    ),
    (
        "再委託先による特定個人情報ファイルの適切な取扱いの確保",
        ("reentrust-oversight", "entrustment/1"),
    ),
    (
        "再委託先による特定個人情報ファイルの適切な取扱いの担保",
        ("reentrust-oversight", "entrustment/1"),
    ),
    (
        "特定個人情報の提供・移転の記録",
        ("provision-log", "provision/1"),
    ),
    (
        "特定個人情報の提供・移転に関するルール",
        ("provision-rules", "provision/1"),
    ),
    ("NISC政府機関統一基準群", ("nisc", "storage/1")),
    (
        "安全管理体制・規程の職員への周知",
        ("safety-awareness", "storage/1"),
    ),
    ("安全管理体制", ("safety-organisation", "storage/1")),
    ("安全管理規程", ("safety-rules", "storage/1")),
    ("物理的対策", ("physical", "storage/1")),
    ("技術的対策", ("technical", "storage/1")),
    ("バックアップ", ("backup", "storage/1")),
    (
        "事故発生時手順の策定・周知",
        ("incident-procedure", "storage/1"),
    ),
    ("重大事故が発生したか", ("serious-incident", "storage/1")),
    ("死者の個人番号", ("deceased-numbers", "storage/1")),
    ("消去手順", ("erasure-procedure", "storage/3")),
    ("自己点検", ("self-check", "audit")),
    ("監査", ("audit", "audit")),
    ("従業者に対する教育・啓発", ("rating", "training")),
];

/// Options of the focused form's 監査 group (実施の有無) -> item code.
pub const AUDIT_OPTIONS: &[(&str, &str)] = &[
    ("自己点検", "self-check"),
    ("内部監査", "internal"),
    ("外部監査", "external"),
];

/// I-2 ③ 他のシステムとの接続: option label -> the name written in `connects`
/// (the label itself; その他 takes the words in its parentheses).
pub const CONNECT_OPTIONS: &[(&str, &str)] = &[
    (
        "情報提供ネットワークシステム",
        "情報提供ネットワークシステム",
    ),
    ("庁内連携システム", "庁内連携システム"),
    (
        "住民基本台帳ネットワークシステム",
        "住民基本台帳ネットワークシステム",
    ),
    ("既存住民基本台帳システム", "既存住民基本台帳システム"),
    ("宛名システム等", "宛名システム等"),
    ("税務システム", "税務システム"),
    ("その他", "other"),
];

/// II-3 ① 入手元 -> source kind.
pub const SOURCE_OPTIONS: &[(&str, &str)] = &[
    ("本人又は本人の代理人", "subject"),
    ("評価実施機関内の他部署", "internal"),
    ("行政機関・独立行政法人等", "national"),
    ("地方公共団体・地方独立行政法人", "local-gov"),
    ("民間事業者", "private"),
    ("その他", "other"),
];

/// Transfer methods (入手方法, 提供方法, 移転方法, 委託先への提供方法) -> code.
pub const METHOD_OPTIONS: &[(&str, &str)] = &[
    ("電子記録媒体(フラッシュメモリを除く。)", "media"),
    ("電子記録媒体", "media"),
    ("フラッシュメモリ", "flash"),
    ("電子メール", "email"),
    ("専用線", "dedicated-line"),
    ("庁内連携システム", "internal-link"),
    ("情報提供ネットワークシステム", "info-network"),
    ("紙", "paper"),
    ("その他", "other"),
];

/// 再委託の有無 -> yes/no.
pub const REENTRUST_OPTIONS: &[(&str, &str)] = &[("再委託する", "yes"), ("再委託しない", "no")];

/// Phase switches at the head of a risk subsection ("[ ○ ] 委託しない").
pub const PHASE_SWITCHES: &[(&str, &str)] = &[
    ("委託しない", "not-applicable"),
    ("提供・移転しない", "not-applicable"),
    ("接続しない(入手)", "no-connection-acquire"),
    ("接続しない(提供)", "no-connection-provide"),
];

/// Headings of the attachments of a council document ("別紙3"), which end
/// the assessment it carries.
pub const ATTACHMENT_WORD: &str = "別紙";

/// True for a line that is only an attachment heading ("別紙3", "別紙 ３").
pub fn is_attachment_heading(text: &str) -> bool {
    text.trim()
        .strip_prefix(ATTACHMENT_WORD)
        .is_some_and(|rest| {
            let rest = rest.trim();
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
        })
}

/// The column headers of the change list (別添 変更箇所): a line holding
/// both opens the table.
pub const CHANGE_COLUMNS: [&str; 2] = ["変更前の記載", "変更後の記載"];

/// True for the change list's column header line.
pub fn is_change_header(flat: &str) -> bool {
    CHANGE_COLUMNS.iter().all(|c| flat.contains(c))
}

/// True for the heading of the change-list annex ("(別添3) 変更箇所").
pub fn is_change_heading(flat: &str) -> bool {
    flat.trim().strip_prefix(ANNEX_OPEN).is_some_and(|rest| {
        ANNEX_TITLES
            .iter()
            .any(|(title, part)| *part == Part::Changes && rest.contains(title))
    })
}

/// The 項目 of a change-list row about the cover page.
pub const COVER_ITEM: &str = "表紙";

/// How the 項目 of a change-list row begins: a part numeral with its
/// subsection ("I-2", "Ⅲ-5"), an annex, or the cover (表紙).
pub const CHANGE_ITEM_STARTS: &[&str] =
    &["VI", "IV", "V", "III", "II", "I", "(別添", "別添", "表紙"];

/// Opening of an annex heading: "(別添2) 特定個人情報ファイル記録項目".
pub const ANNEX_OPEN: &str = "(別添";

/// Roman part numerals as NFKC writes them, longest first.
pub const ROMAN_NUMERALS: &[&str] = &["VI", "IV", "V", "III", "II", "I"];

/// Lines that mark a change-list row cut by a page break.
pub const PAGE_CONTINUATIONS: &[&str] = &["(下段に続く)", "(上段からの続き)"];

/// Written after the date of a row continued on the next page.
pub const SAME_AS_ABOVE: &str = "同上";

/// Timing column of the change list.
pub const TIMINGS: &[(&str, &str)] = &[("事前", "before"), ("事後", "after")];

/// Words that stand for an empty answer.
pub const EMPTY_WORDS: &[&str] = &["", "-", "—", "―", "‐", "なし", "無し", "該当なし"];

/// Looks a label up in a table by exact match.
pub fn lookup<'a>(table: &'a [(&str, &'a str)], key: &str) -> Option<&'a str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// True for the words that mean "nothing here".
pub fn is_empty_word(text: &str) -> bool {
    EMPTY_WORDS.contains(&text.trim())
}
