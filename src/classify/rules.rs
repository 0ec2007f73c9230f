//! Running the classification rules over labelled texts, and naming the
//! line of the rules behind every class they give or drop.
//!
//! The rules are loaded as any program (by default `facts/schema.dl` and
//! `queries/std.dl`), the labelled measures are added as `measure` and
//! `risk` facts built from the labels' own texts, and the session is
//! evaluated once. What the report needs is then read back:
//! `measure_keyword(a, m, class, word)` (the cue that put a measure in a
//! class), `measure_dropped(a, m, class, word, phrase)` (a cue that did not
//! count, and the exclusion or negation that dropped it), and the class
//! vocabulary (`class`). Each cue and phrase is traced to the fact that
//! states it (`keyword`, `keyword_pattern`, `keyword_except`, `negation`),
//! so the report can say `queries/std.dl:120` and an analyst can go there.

use super::labels::Labels;
use crate::engine::table::{Table, Value};
use crate::import::facts::quote;
use crate::kb::load::load;
use crate::session::Session;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// A line of the rules: where it is and what it says.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleLine {
    /// File index and byte offset: the order lines appear in the rules.
    pub order: (usize, usize),
    /// `path:line`.
    pub at: String,
    /// The fact as written (`keyword("audit", "監査")`).
    pub text: String,
}

/// A cue (keyword or pattern) that put a measure in a class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The class.
    pub class: String,
    /// The keyword or pattern.
    pub cue: String,
    /// The line stating it, when it is a fact of the loaded rules.
    pub line: Option<RuleLine>,
}

/// A cue that occurs in a measure but did not count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drop {
    /// The class the cue would have given.
    pub class: String,
    /// The keyword or pattern.
    pub cue: String,
    /// Its line.
    pub cue_line: Option<RuleLine>,
    /// The exclusion or negation phrase found in the text.
    pub phrase: String,
    /// The `keyword_except` or `negation` line behind the phrase.
    pub drop_line: Option<RuleLine>,
}

/// What the rules made of the labelled measures.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The classes the rules know (their vocabulary).
    pub classes: BTreeSet<String>,
    /// Hits by (a, m).
    pub hits: HashMap<(String, String), Vec<Hit>>,
    /// Dropped cues by (a, m).
    pub drops: HashMap<(String, String), Vec<Drop>>,
}

impl Outcome {
    /// The classes the rules gave measure (a, m).
    pub fn classes_of(&self, a: &str, m: &str) -> BTreeSet<String> {
        self.hits
            .get(&(a.to_string(), m.to_string()))
            .map(|hs| hs.iter().map(|h| h.class.clone()).collect())
            .unwrap_or_default()
    }
}

/// The rule files loaded when none are named: the schema and the standard
/// relations of the knowledge base at `root` (not its assessments, whose
/// measures would mix with the labelled ones).
pub fn default_rule_files(root: &Path) -> Vec<PathBuf> {
    let root = if root == Path::new(".") {
        Path::new("")
    } else {
        root
    };
    vec![
        root.join(crate::kb::FACTS_DIR).join(crate::kb::SCHEMA_FILE),
        root.join(crate::kb::STD_FILE),
    ]
}

/// Loads the rule files, adds the labelled measures, evaluates and reads
/// back hits and drops. Errors come back rendered, ready to print.
pub fn run(files: &[PathBuf], labels: &Labels) -> Result<Outcome, String> {
    let mut session = Session::new().with_output_dir(PathBuf::from("-"));
    load(&mut session, files).map_err(|d| d.render(session.sources()))?;
    for rel in ["measure", "risk"] {
        if !session.schema().relations.contains_key(rel) {
            return Err(format!(
                "error: the loaded files declare no `{rel}` relation (load facts/schema.dl before the rules)\n"
            ));
        }
    }
    let name = format!("<labels {}>", labels.path.display());
    session
        .load_source(&name, &measure_facts(labels))
        .map_err(|d| d.render(session.sources()))?;
    session
        .evaluate()
        .map_err(|d| d.render(session.sources()))?;
    let Some(keywords) = session.relation("measure_keyword") else {
        return Err(
            "error: the loaded rules define no `measure_keyword(a, m, class, word)` relation\n"
                .to_string(),
        );
    };
    let mut lines = Lines::new(&session);
    let mut outcome = Outcome::default();
    for row in &keywords.rows {
        let [a, m, class, cue] = symbols(row);
        let line = lines.cue(class, cue);
        outcome
            .hits
            .entry((a.into(), m.into()))
            .or_default()
            .push(Hit {
                class: class.into(),
                cue: cue.into(),
                line,
            });
    }
    if let Some(dropped) = session.relation("measure_dropped") {
        for row in &dropped.rows {
            let [a, m, class, cue, phrase] = symbols(row);
            let drop = Drop {
                class: class.into(),
                cue: cue.into(),
                cue_line: lines.cue(class, cue),
                phrase: phrase.into(),
                drop_line: lines.drop(cue, phrase),
            };
            outcome
                .drops
                .entry((a.into(), m.into()))
                .or_default()
                .push(drop);
        }
    }
    outcome.classes = vocabulary(&session, &keywords);
    Ok(outcome)
}

/// The `measure` and `risk` facts of the labelled measures (the phase of
/// a risk is the part of its id before `/`, as in the form's risk ids).
fn measure_facts(labels: &Labels) -> String {
    let mut text = String::new();
    let mut risks = BTreeSet::new();
    for row in &labels.rows {
        let (a, r) = (quote(&row.a), quote(row.risk()));
        if risks.insert((a.clone(), r.clone())) {
            let phase = quote(row.risk().split('/').next().unwrap_or(""));
            text.push_str(&format!("risk({a}, {r}, {phase}, \"\").\n"));
        }
        let (m, t) = (quote(&row.m), quote(&row.text));
        text.push_str(&format!("measure({a}, {r}, {m}, {t}).\n"));
    }
    text
}

/// The first N columns of a row as strings (numbers print as text).
fn symbols<const N: usize>(row: &[Value]) -> [&str; N] {
    std::array::from_fn(|i| match row.get(i) {
        Some(Value::Symbol(s)) => s.as_str(),
        _ => "",
    })
}

/// The class vocabulary: `class(c)` when the rules have it, else the
/// classes of `class_label`, else those the rules gave.
fn vocabulary(session: &Session, keywords: &Table) -> BTreeSet<String> {
    for rel in ["class", "class_label"] {
        if let Some(t) = session.relation(rel)
            && !t.is_empty()
        {
            return t
                .rows
                .iter()
                .map(|r| symbols::<1>(r)[0].to_string())
                .collect();
        }
    }
    keywords
        .rows
        .iter()
        .map(|r| symbols::<4>(r)[2].to_string())
        .collect()
}

/// Finds and remembers the fact lines behind cues and phrases.
struct Lines<'s> {
    session: &'s Session,
    seen: HashMap<(String, String, String), Option<RuleLine>>,
}

impl<'s> Lines<'s> {
    fn new(session: &'s Session) -> Self {
        Lines {
            session,
            seen: HashMap::new(),
        }
    }

    /// The `keyword` or `keyword_pattern` fact of a cue.
    fn cue(&mut self, class: &str, cue: &str) -> Option<RuleLine> {
        self.find("keyword", &[class, cue])
            .or_else(|| self.find("keyword_pattern", &[class, cue]))
    }

    /// The `keyword_except` fact of a phrase, or the `negation` fact whose
    /// ending follows the cue in it.
    fn drop(&mut self, cue: &str, phrase: &str) -> Option<RuleLine> {
        self.find("keyword_except", &[cue, phrase]).or_else(|| {
            let ending = phrase.strip_prefix(cue)?;
            self.find("negation", &[ending])
        })
    }

    fn find(&mut self, rel: &str, args: &[&str]) -> Option<RuleLine> {
        let key = (rel.to_string(), args.join("\u{1f}"), String::new());
        if let Some(hit) = self.seen.get(&key) {
            return hit.clone();
        }
        let values: Vec<Value> = args.iter().map(|a| Value::Symbol(a.to_string())).collect();
        let found = self.session.fact_origin(rel, &values).and_then(|span| {
            let sources = self.session.sources();
            let file = sources.file(span.file)?;
            let (line, _) = file.line_col(span.start);
            Some(RuleLine {
                order: (span.file, span.start),
                at: format!("{}:{line}", file.path.display()),
                text: sources.snippet(span).trim_end_matches('.').to_string(),
            })
        });
        self.seen.insert(key, found.clone());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = r#"
.decl risk(a: symbol, r: symbol, phase: symbol, title: symbol)
.decl measure(a: symbol, r: symbol, m: symbol, text: symbol)
.decl class(c: symbol)
class("encryption"). class("audit").
.decl keyword(class: symbol, word: symbol)
keyword("encryption", "暗号").
keyword("audit", "監査").
.decl keyword_except(word: symbol, phrase: symbol)
keyword_except("監査", "監査法人").
.decl negation(ending: symbol)
negation("していない").
.decl measure_keyword(a: symbol, m: symbol, class: symbol, word: symbol)
measure_keyword(a, m, c, w) :- measure(a, _, m, t), keyword(c, w), contains(w, t),
    !dropped(t, c, w).
.decl dropped(t: symbol, c: symbol, w: symbol)
dropped(t, c, w) :- measure_dropped(_, _, c, w, p), measure(_, _, _, t), contains(p, t).
.decl measure_dropped(a: symbol, m: symbol, class: symbol, word: symbol, phrase: symbol)
measure_dropped(a, m, c, w, p) :- measure(a, _, m, t), keyword(c, w), contains(w, t),
    keyword_except(w, p), contains(p, t).
measure_dropped(a, m, c, w, p) :- measure(a, _, m, t), keyword(c, w), negation(e),
    p = cat(w, e), contains(p, t).
"#;

    fn outcome(labels: &str) -> Outcome {
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules.dl");
        std::fs::write(&rules, RULES).unwrap();
        let labels = Labels::parse(Path::new("l.tsv"), labels).unwrap();
        run(&[rules], &labels).unwrap()
    }

    #[test]
    fn hits_and_drops_name_their_lines() {
        let o = outcome(
            "x/1\tuse/1#1\tencryption\t\t通信を暗号化する。\n\
             x/1\tuse/1#2\t-\t\t監査法人の名称\n\
             x/1\tuse/1#3\t-\t\t監査していない。\n",
        );
        assert_eq!(
            o.classes,
            ["audit", "encryption"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        );
        assert_eq!(
            o.classes_of("x/1", "use/1#1")
                .into_iter()
                .collect::<Vec<_>>(),
            ["encryption"]
        );
        let hit = &o.hits[&("x/1".to_string(), "use/1#1".to_string())][0];
        let line = hit.line.as_ref().unwrap();
        assert!(line.at.ends_with("rules.dl:7"), "{}", line.at);
        assert_eq!(line.text, "keyword(\"encryption\", \"暗号\")");
        let drop = &o.drops[&("x/1".to_string(), "use/1#2".to_string())][0];
        assert_eq!(
            (drop.cue.as_str(), drop.phrase.as_str()),
            ("監査", "監査法人")
        );
        let at = &drop.drop_line.as_ref().unwrap().at;
        assert!(at.ends_with("rules.dl:10"), "{at}");
        let neg = &o.drops[&("x/1".to_string(), "use/1#3".to_string())][0];
        assert!(
            neg.drop_line
                .as_ref()
                .unwrap()
                .text
                .starts_with("negation(")
        );
        assert!(o.classes_of("x/1", "use/1#3").is_empty());
    }

    #[test]
    fn rules_without_the_relations_are_explained() {
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules.dl");
        std::fs::write(&rules, ".decl p(x: number)\n").unwrap();
        let labels = Labels::parse(Path::new("l.tsv"), "x/1\tm#1\t-\t\tt\n").unwrap();
        let e = run(&[rules], &labels).unwrap_err();
        assert!(e.contains("declare no `measure` relation"), "{e}");
    }
}
