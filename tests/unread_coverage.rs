//! Coverage that tells a gap in the reading from a gap in the protection:
//! the fixture knowledge base plus small `unread` fact files of the tests'
//! own, run through the real binary.

#[path = "fixtures/workflow/support.rs"]
mod support;
use support::*;

/// The fixture root with one more fact file.
fn root_with(facts: &str) -> tempfile::TempDir {
    let root = kb_root();
    std::fs::write(root.path().join("facts/unread.dl"), facts).expect("write unread facts");
    root
}

/// `pialog check` on one script in `root`: (exit code, stdout, stderr).
fn check(root: &tempfile::TempDir, script: &str) -> (i32, String, String) {
    std::fs::write(root.path().join("q.dl"), script).expect("write script");
    let o = pialog(root.path(), &["check", "--format", "json", "q.dl"]);
    (o.status.code().unwrap_or(-1), stdout(&o), stderr(&o))
}

/// The rows of the first answer of a `check --format json` document.
fn rows(json: &str, answer: usize) -> Vec<Vec<String>> {
    let doc: serde_json::Value = serde_json::from_str(json).expect("json");
    doc["answers"][answer]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            r.as_array()
                .expect("row")
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect()
        })
        .collect()
}

// テスト市長/1 states its entrustment risk with a contract measure only;
// サンプル町長/2 encrypts its entrustment flows. Without unread notes, the
// first lacks encryption for entrustment.
const GAPS: &str = "?- phase_lacks(\"テスト市長/1\", \"entrustment\", c).\n\
                    ?- phase_unknown(\"テスト市長/1\", \"entrustment\", c, note).\n\
                    ?- flow_lacks(\"テスト市長/1\", _, \"株式会社テスト電算\", m, \"encryption\").\n\
                    ?- flow_unknown(\"テスト市長/1\", _, \"株式会社テスト電算\", m, \"encryption\", note).\n\
                    ?- risk_lacks(\"テスト市長/1\", \"entrustment/1\", c).\n\
                    ?- risk_unknown(\"テスト市長/1\", \"entrustment/1\", c, note).\n";

#[test]
fn without_unread_notes_a_missing_measure_is_a_gap() {
    let root = root_with("");
    let (code, out, err) = check(&root, GAPS);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows(&out, 0), [["encryption"]]);
    assert!(rows(&out, 1).is_empty());
    assert_eq!(rows(&out, 2), [["media"]]);
    assert!(rows(&out, 3).is_empty());
    assert_eq!(rows(&out, 4), [["encryption"]]);
    assert!(rows(&out, 5).is_empty());
}

#[test]
fn a_note_on_a_risk_makes_its_phase_unknown_not_lacking() {
    let root = root_with(
        "unread(\"テスト市長/1\", \"entrustment/1\", 61, \"measures printed out of reading order; not attributed\").\n",
    );
    let (code, out, err) = check(&root, GAPS);
    assert_eq!(code, 0, "{err}");
    assert!(rows(&out, 0).is_empty(), "no gap left: {out}");
    let note = "entrustment/1 (line 61): measures printed out of reading order; not attributed";
    assert_eq!(rows(&out, 1), [["encryption", note]]);
    assert!(rows(&out, 2).is_empty());
    assert_eq!(rows(&out, 3), [["media", note]]);
    assert!(rows(&out, 4).is_empty());
    assert_eq!(rows(&out, 5), [["encryption", note]]);
}

#[test]
fn the_forms_numbering_names_a_risk_or_a_whole_phase() {
    // `III-4 リスク1` is entrustment/1; `III-4` alone the whole phase, and
    // so is a risk of it the import found no risk for; a note on another
    // phase, or a number that only begins alike, changes nothing here.
    for (section, unknown) in [
        ("III-4 リスク1", true),
        ("III-4", true),
        ("III", true),
        ("III-7 リスク1", false),
        ("III-4 リスク12", true),
        ("entrustment/12", true),
        ("III-40", false),
        ("entrustment", false),
        ("cover", false),
    ] {
        let root = root_with(&format!(
            "unread(\"テスト市長/1\", \"{section}\", 7, \"not read\").\n"
        ));
        let (code, out, err) = check(&root, GAPS);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            rows(&out, 1).len(),
            usize::from(unknown),
            "{section}: {out}"
        );
        assert_eq!(
            rows(&out, 0).len(),
            usize::from(!unknown),
            "{section}: {out}"
        );
    }
}

#[test]
fn an_unattributed_rating_makes_unrated_risks_rating_unread() {
    let script = "?- weak_risk(\"サンプル町長/2\", r, _, _, rating).\n\
                  ?- rating_unread(a, note).\n";
    let root = root_with("");
    let (code, out, err) = check(&root, script);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        rows(&out, 0),
        [["entrustment/1", "issues-remain"], ["storage/1", "unrated"]]
    );
    let root = root_with(
        "unread(\"サンプル町長/2\", \"III\", 75, \"リスクへの対策は十分か outside any risk block (cells out of reading order); not attributed\").\n",
    );
    let (code, out, err) = check(&root, script);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        rows(&out, 0),
        [
            ["entrustment/1", "issues-remain"],
            ["storage/1", "rating-unread"]
        ]
    );
    assert_eq!(rows(&out, 1).len(), 1);
}

#[test]
fn the_other_risk_blocks_are_not_unrated() {
    // The form rates no その他のリスク block and rates part IV by choices.
    let root = root_with(
        "risk(\"サンプル町長/2\", \"storage/other\", \"storage\", \"その他のリスク\").\n\
         risk(\"サンプル町長/2\", \"other/audit\", \"other\", \"監査\").\n",
    );
    let (code, out, err) = check(&root, "?- unrated(\"サンプル町長/2\", r).\n");
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows(&out, 0), [["storage/1"]]);
}

#[test]
fn the_matrix_shows_unknown_cells_apart_from_gaps() {
    let root = root_with("unread(\"テスト市長/1\", \"entrustment/1\", 61, \"not attributed\").\n");
    let o = pialog(root.path(), &["matrix", "-o", "m.csv", "--svg", "m.svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(root.path().join("m.csv")).expect("csv");
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    assert_eq!(header.last(), Some(&"unread"));
    let enc = header
        .iter()
        .position(|h| *h == "encryption")
        .expect("encryption column");
    let row = csv
        .lines()
        .find(|l| l.starts_with("テスト市長/1,") && l.contains(",entrustment,"))
        .expect("entrustment row");
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells[enc], "0?", "{row}");
    assert_eq!(
        cells.last(),
        Some(&"entrustment/1 (line 61): not attributed")
    );
    // Storage erasure stays a gap: nothing of storage went unread.
    let storage = csv
        .lines()
        .find(|l| l.starts_with("テスト市長/1,") && l.contains(",storage,"))
        .expect("storage row");
    assert!(storage.contains("0!"), "{storage}");
    let svg = std::fs::read_to_string(root.path().join("m.svg")).expect("svg");
    assert!(svg.contains("fill=\"#fdd49e\""), "an amber unknown cell");
    assert!(svg.contains("entrustment/1 (line 61): not attributed"));
    let width: usize = svg
        .split("width=\"")
        .nth(1)
        .and_then(|w| w.split('"').next())
        .and_then(|w| w.parse().ok())
        .expect("width");
    assert!(width <= 1060, "fits a page: {width}");
}
