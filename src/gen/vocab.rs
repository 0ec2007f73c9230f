//! The words a synthetic assessment is made of: names of bodies, systems,
//! files, vendors and recipients, the standard risk titles of the form, and
//! measure phrases with and without the keywords that the coverage rules
//! look for. Written in the style of published assessments (see
//! `../shared/seeds`), so that `contains` rules meet realistic text.

/// The 47 prefectures: the first bodies of the national pool (the same
/// list the importer strips from organisation names).
pub use crate::import::form::PREFECTURES;

/// Two of these make a municipality name (40 × 40 distinct names).
pub const PLACE_PARTS: &[&str] = &[
    "山", "川", "田", "中", "北", "南", "東", "西", "大", "小", "松", "本", "高", "岡", "島", "崎",
    "原", "野", "沢", "津", "浜", "宮", "富", "長", "石", "井", "木", "森", "谷", "瀬", "橋", "坂",
    "倉", "塚", "江", "戸", "飯", "福", "若", "志",
];

/// The head of a body that publishes an assessment.
pub const ORG_SUFFIXES: &[&str] = &[
    "市長",
    "市長",
    "町長",
    "町長",
    "村長",
    "区長",
    "市教育委員会",
];

/// Heads of prefectures.
pub const PREFECTURE_SUFFIX: &str = "知事";

/// Names of the affairs (事務) assessed.
pub const AFFAIRS: &[&str] = &[
    "住民基本台帳に関する事務",
    "個人住民税の賦課徴収に関する事務",
    "固定資産税の賦課徴収に関する事務",
    "軽自動車税の賦課徴収に関する事務",
    "国民健康保険に関する事務",
    "後期高齢者医療に関する事務",
    "介護保険に関する事務",
    "国民年金に関する事務",
    "児童手当に関する事務",
    "児童扶養手当に関する事務",
    "生活保護に関する事務",
    "予防接種に関する事務",
    "新型コロナウイルス感染症対策に係る予防接種に関する事務",
    "健康増進事業に関する事務",
    "障害者自立支援給付に関する事務",
    "特別児童扶養手当に関する事務",
    "母子保健に関する事務",
    "就学援助に関する事務",
    "公営住宅の管理に関する事務",
    "子ども・子育て支援に関する事務",
    "被災者生活再建支援に関する事務",
    "戸籍に関する事務",
    "印鑑登録に関する事務",
    "地方税の滞納整理に関する事務",
];

/// Assessment kinds (codes) with the cover title that goes with them.
pub const KINDS: &[(&str, &str)] = &[
    ("full", "全項目評価書"),
    ("full", "全項目評価書"),
    ("focused", "重点項目評価書"),
    ("basic", "基礎項目評価書"),
];

/// Systems a body runs for an affair.
pub const SYSTEMS: &[&str] = &[
    "住民記録システム",
    "既存住民基本台帳システム",
    "団体内統合宛名システム",
    "税務システム",
    "住民税システム",
    "固定資産税システム",
    "国民健康保険システム",
    "後期高齢者医療システム",
    "介護保険システム",
    "国民年金システム",
    "児童手当システム",
    "生活保護システム",
    "保健情報システム",
    "健康管理システム",
    "ワクチン接種記録システム(VRS)",
    "障害福祉システム",
    "子ども・子育て支援システム",
    "就学援助システム",
    "住宅管理システム",
    "滞納整理システム",
    "統合行政システム",
    "文書管理システム",
    "コンビニ交付システム",
    "中間サーバー",
    "庁内連携基盤",
    "地方税ポータルシステム(eLTAX)",
];

/// Systems outside the body that the form lists as connection choices.
pub const EXTERNAL_SYSTEMS: &[&str] = &[
    "情報提供ネットワークシステム",
    "住民基本台帳ネットワークシステム",
    "既存住民基本台帳システム",
    "宛名システム等",
    "税務システム",
    "庁内連携システム",
    "国保総合システム",
];

/// The national information network every network-phase path ends at.
pub const INFO_NETWORK: &str = "情報提供ネットワークシステム";

/// The intermediate server that sits before the information network.
pub const MIDDLE_SERVER: &str = "中間サーバー";

/// ②システムの機能 bullets.
pub const FUNCTIONS: &[&str] = &[
    "住民情報の照会",
    "異動情報の登録・更新",
    "税額の計算及び決定",
    "通知書・納付書の作成",
    "宛名情報の一元管理",
    "団体内統合宛名番号の付番",
    "情報提供ネットワークシステムへの情報照会",
    "情報提供ネットワークシステムからの照会への自動応答",
    "符号の取得及び管理",
    "資格の取得・喪失の管理",
    "給付額の算定",
    "受給者台帳の管理",
    "接種記録の登録・照会",
    "予診票の読み取り",
    "統計資料の作成",
    "収納情報の管理",
    "滞納者の管理",
    "各種証明書の発行",
    "帳票の一括印刷",
    "バックアップデータの取得",
];

/// 特定個人情報ファイル names.
pub const FILES: &[&str] = &[
    "住民基本台帳ファイル",
    "個人住民税ファイル",
    "固定資産税ファイル",
    "国民健康保険ファイル",
    "後期高齢者医療ファイル",
    "介護保険ファイル",
    "国民年金ファイル",
    "児童手当ファイル",
    "生活保護ファイル",
    "予防接種情報ファイル",
    "健康管理情報ファイル",
    "障害者福祉ファイル",
    "宛名情報ファイル",
    "滞納管理ファイル",
    "就学援助ファイル",
    "住宅管理ファイル",
];

/// 記録項目 of a file.
pub const RECORD_ITEMS: &[&str] = &[
    "個人番号",
    "その他識別情報(内部番号)",
    "氏名",
    "生年月日",
    "性別",
    "住所",
    "連絡先(電話番号等)",
    "世帯情報",
    "4情報",
    "地方税関係情報",
    "健康・医療関係情報",
    "医療保険関係情報",
    "児童福祉・子育て関係情報",
    "障害者福祉関係情報",
    "生活保護・社会福祉関係情報",
    "介護・高齢者福祉関係情報",
    "雇用・労働関係情報",
    "年金関係情報",
    "学校・教育関係情報",
    "災害関係情報",
    "口座情報",
    "予防接種履歴",
];

/// ①入手元 codes with the words an assessment puts in the parentheses.
pub const SOURCES: &[(&str, &str)] = &[
    ("subject", ""),
    ("subject", ""),
    ("internal", "住民課"),
    ("internal", "税務課"),
    ("internal", "保険年金課"),
    ("national", "地方公共団体情報システム機構"),
    ("national", "日本年金機構"),
    ("local-gov", "他の市区町村"),
    ("local-gov", "都道府県"),
    ("private", "医療機関"),
    ("private", "特別徴収義務者"),
    ("other", "国民健康保険団体連合会"),
];

/// Method codes of ②入手方法, 提供方法 and 移転方法, weighted by use.
pub const METHODS: &[&str] = &[
    "paper",
    "paper",
    "media",
    "media",
    "flash",
    "email",
    "dedicated-line",
    "dedicated-line",
    "internal-link",
    "internal-link",
    "internal-link",
    "info-network",
    "info-network",
    "other",
];

/// Words in the parentheses of the `other` method.
pub const OTHER_METHODS: &[&str] = &[
    "LGWAN回線",
    "住民基本台帳ネットワークシステム",
    "地方税ポータルシステム(eLTAX)",
    "ワクチン接種記録システム(VRS)",
    "窓口での直接の受け取り",
];

/// 委託事項 tasks.
pub const ENTRUST_TASKS: &[&str] = &[
    "システムの運用保守業務",
    "システムの開発及び改修業務",
    "通知書等の印刷・封入封緘業務",
    "申請書等のデータ入力業務",
    "データセンターにおけるサーバーの管理業務",
    "コールセンター業務",
    "窓口受付業務",
    "予診票の読み取り及び審査業務",
    "ガバメントクラウドへの移行業務",
    "帳票の電子化業務",
    "滞納整理支援業務",
    "住民税特別徴収税額通知の作成業務",
];

/// Stems of vendor names; with [`VENDOR_FORMS`] they make the national pool.
pub const VENDOR_STEMS: &[&str] = &[
    "日本電算",
    "東日本情報",
    "西日本システム",
    "中央計算",
    "富士通",
    "NEC",
    "日立",
    "TKC",
    "RKKCS",
    "両備",
    "北海道総合",
    "東北データ",
    "関東情報サービス",
    "北陸コンピュータ",
    "中部電子",
    "近畿データ",
    "中国情報",
    "四国システム",
    "九州コンピュータ",
    "沖縄電算",
    "ジーシーシー",
    "電算",
    "行政システム",
    "アイネス",
    "内田洋行",
    "大興電子",
    "京セラ",
    "パナソニック",
    "NTTデータ",
    "日本ソフト",
    "さくら情報",
    "みらい計算",
    "やまと印刷",
    "あおば印刷",
    "ひかり事務",
    "共同印刷",
    "凸版",
    "大日本",
    "地域情報",
    "創和",
];

/// Company forms of vendor names.
pub const VENDOR_FORMS: &[&str] = &[
    "株式会社{}",
    "{}株式会社",
    "{}システムズ株式会社",
    "株式会社{}センター",
    "{}ソリューションズ株式会社",
    "一般財団法人{}協会",
    "{}情報サービス株式会社",
];

/// 提供先 / 移転先 recipients.
pub const RECIPIENTS: &[&str] = &[
    "都道府県知事",
    "市町村長",
    "日本年金機構",
    "厚生労働大臣",
    "国税庁長官",
    "地方公共団体情報システム機構",
    "全国健康保険協会",
    "後期高齢者医療広域連合",
    "国民健康保険団体連合会",
    "教育委員会",
    "住民税担当課",
    "福祉事務所",
    "保健所",
    "税務署長",
];

/// 保管場所 bullets.
pub const STORED: &[&str] = &[
    "施錠管理されたサーバー室に設置したサーバー内に保管している。",
    "データセンターに設置したサーバー内に保管し、入退室管理を行っている。",
    "ガバメントクラウド上の当該団体の領域に保管している。",
    "紙媒体は鍵の掛かる書庫に保管している。",
    "中間サーバー・プラットフォームのデータベース内に保管している。",
    "バックアップは遠隔地のデータセンターに保管している。",
    "執務室内のキャビネットに施錠保管している。",
];

/// Phase codes in form order, each with the standard titles of its risks
/// (リスク1, リスク2, …): the form's own table, so that generated
/// assessments carry the titles the importer reads.
pub use crate::import::template::RISK_TITLES as PHASES;

/// Title of a phase's その他のリスク block (`phase/other`).
pub const OTHER_RISK: &str = "その他のリスク対策";

/// Adequacy codes, weighted; `None` slots leave the risk unrated.
pub const RATINGS: &[Option<&str>] = &[
    Some("sufficient"),
    Some("sufficient"),
    Some("sufficient"),
    Some("sufficient"),
    Some("sufficient"),
    Some("sufficient"),
    Some("emphasized"),
    Some("emphasized"),
    Some("issues-remain"),
    None,
];

/// Openings of a measure bullet; `{}` is replaced by one of the body's systems.
pub const MEASURE_LEADS: &[&str] = &[
    "",
    "",
    "",
    "・",
    "システム上、",
    "運用上、",
    "{}では、",
    "{}においては、",
    "<当該団体における措置> ",
    "<中間サーバー・プラットフォームにおける措置> ",
    "委託先においても、",
    "規程に基づき、",
];

/// Measure sentences. Some carry the keywords of the coverage classes
/// (暗号, アクセス権限, 認証, ログ, 施錠, 専用線, LGWAN, 研修, 契約, 監査,
/// 消去, 必要最小限, 照合, 漏えい事案 …) and some carry none.
pub const MEASURE_CORES: &[&str] = &[
    "電子記録媒体で受け渡す場合は、データを暗号化した上で提供している。",
    "通信は暗号化された回線を使用し、情報の漏えいを防止している。",
    "中間サーバーと団体の間はVPN等の技術を利用し、通信を暗号化している。",
    "電子メールで送付する場合はファイルを暗号化し、パスワードを別送している。",
    "操作権限を付与された職員のみがシステムを利用できるようアクセス権限を設定している。",
    "アクセス権限の発効・失効は、異動の都度、書面による申請に基づき管理している。",
    "業務ごとに必要最小限のアクセス権限を付与し、定期的に見直している。",
    "他団体の領域にはアクセスできないようアクセス制御を行っている。",
    "個人ごとに設定したID・パスワードによる認証を行っている。",
    "ログイン時には生体認証による本人確認を行っている。",
    "二要素認証を必須とし、なりすましを防止している。",
    "システムの操作ログを取得し、定期的に確認している。",
    "ログの追跡により不正アクセス者の特定が可能であることを職員に周知している。",
    "アクセスログを一定期間保管し、不正な操作がないか点検している。",
    "サーバー室は施錠管理し、入退室を記録している。",
    "書類は机上に放置せず、キャビネットに施錠保管している。",
    "データセンターでは監視カメラによる監視と入退室管理を行っている。",
    "端末はセキュリティワイヤにより盗難防止を行っている。",
    "情報提供ネットワークシステムとの間は専用線で接続している。",
    "行政専用のネットワーク(LGWAN)を利用し、安全性を確保している。",
    "システムはインターネットに接続しない閉鎖的なネットワークで運用している。",
    "個人情報保護研修及び情報セキュリティ研修を年1回以上実施している。",
    "新規採用職員に対し、特定個人情報の取扱いに関する研修を行っている。",
    "委託契約書に特定個人情報の取扱いに関する特記事項を定め、遵守させている。",
    "委託契約において再委託を原則禁止し、秘密保持義務を課している。",
    "委託先と秘密保持契約を締結している。",
    "内部監査を年1回実施し、その結果を改善に反映している。",
    "外部監査により取扱状況の評価を受けている。",
    "委託先に対し定期的に立入検査を行い、監査結果の報告を受けている。",
    "保存期間を経過した特定個人情報は、システムで一括消去している。",
    "記録媒体は入力完了後すぐにデータを消去している。",
    "紙媒体は保存期間経過後に溶解処理により廃棄している。",
    "不要となったデータは復元できない方法で削除している。",
    "事務に必要な情報のみを入手するよう、入手項目を必要最小限に限定している。",
    "予め定められたデータ仕様に基づき、必要な情報以外は入手しない。",
    "入手した情報は住民票関係情報と突合し、正確性を確保している。",
    "提供の際は送付先と提供内容を複数の職員で照合している。",
    "本人確認書類の提示を受け、番号法第16条に基づき確認している。",
    "漏えい事案が発生した場合の報告体制を整備し、速やかに対応している。",
    "事故発生時の対応手順を定め、職員に周知している。",
    "番号法上認められた情報連携以外の照会を拒否する機能を備えている。",
    "情報提供許可証を受領してから情報照会を実施している。",
    "不正な名寄せが行われないよう、符号を用いて紐付けている。",
    "システムで制御しており、事務に必要のない情報との紐付けは行えない。",
    "事務取扱担当者を明確にし、担当者以外は取り扱わない。",
    "窓口付近に端末を設置せず、のぞき見を防止している。",
    "住民基本台帳システムとの連携処理により日次で更新し、最新の状態を保っている。",
    "正確性に疑義が生じた場合は随時調査を行い、データを修正している。",
    "取扱規程を定め、特定個人情報の適正な取扱いを徹底している。",
    "特定個人情報保護評価書の内容に従い、適切に管理している。",
    "国が示すガイドラインに準拠した運用を行っている。",
    "定期的に運用状況を確認し、必要に応じて見直しを行っている。",
];

/// Endings appended to some bullets.
pub const MEASURE_TAILS: &[&str] = &[
    "",
    "",
    "",
    "",
    "また、委託先にも同様の措置を求めている。",
    "なお、運用状況は年1回確認している。",
    "これにより不正な使用を防止している。",
];

/// Items of the 別添 change list.
pub const CHANGE_ITEMS: &[&str] = &[
    "Ⅰ 基本情報 2. システム1 ③他のシステムとの接続",
    "Ⅰ 基本情報 5. 個人番号の利用 法令上の根拠",
    "Ⅱ 特定個人情報ファイルの概要 4. 委託事項1 委託先名",
    "Ⅱ 特定個人情報ファイルの概要 5. 提供先1",
    "Ⅱ 特定個人情報ファイルの概要 6. 保管場所",
    "Ⅲ リスク対策 3. 特定個人情報の使用 リスク2",
    "Ⅲ リスク対策 7. 保管・消去 リスク1",
    "Ⅳ その他のリスク対策 1. 監査",
    "評価実施機関の名称",
    "事務の概要",
];

/// Before/after texts of change rows.
pub const CHANGE_TEXTS: &[&str] = &[
    "記載なし",
    "既存住民基本台帳システム",
    "ガバメントクラウド上の環境",
    "株式会社日本電算",
    "暗号化した上で電子記録媒体により提供",
    "専用線により提供",
    "年1回の内部監査を実施",
    "外部監査を実施",
    "紙媒体により提供",
    "庁内連携システムにより提供",
];

/// The section choices every assessment states (scope, item, values).
pub const SECTION_CHOICES: &[(&str, &str, &[&str])] = &[
    ("audit", "self-check", &["yes", "yes", "yes", "no"]),
    ("audit", "external", &["yes", "no", "no"]),
    (
        "training",
        "rating",
        &["sufficient", "sufficient", "emphasized", "issues-remain"],
    ),
];
