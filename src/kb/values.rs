//! The value check: no mistyped value passes silently.
//!
//! A constant in a query, an assertion or a rule body that no row of its
//! column holds makes the statement match nothing, and an `.assert empty`
//! over it passes whatever the data says. After an evaluation this module
//! compares each such constant with the values its column holds and with
//! the vocabulary of the column (the `vocabulary(column, rel, what)` facts
//! of `queries/std.dl`, read as data: a column named `class` takes the codes
//! of `class_label`, …), and warns where it is in neither, with the nearest
//! known values. A Japanese label given where the code is stored
//! (`"課題が残されている"` for `"issues-remain"`) is translated from the same
//! vocabularies, and a variable named like a stored value
//! (`system(a, 中間サーバー)`, which matches every system) is pointed out.
//!
//! A closed column (one with a vocabulary) is authoritative: a value it does
//! not know makes the statement vacuous. An open column (names, texts) may
//! lack a value for good reason, so it draws a warning only for a near miss
//! (`"中間サーバ"` where rows hold `"中間サーバー"`) that no column of its
//! kind holds either, and never fails an assertion. A column with no
//! vocabulary and no rows (an empty relation, or one a pruned run did not
//! keep) tells nothing, so nothing is said about it.

use crate::diag::{Diagnostic, Span};
use crate::lang::ast::{Atom, Expr, Item, Literal, Program};
use crate::session::Session;
use std::collections::{HashMap, HashSet};

/// The relation whose facts name the vocabulary of each closed column.
pub const VOCABULARY_REL: &str = "vocabulary";

/// How many near values a warning lists.
const NEAREST: usize = 3;
/// How many known values a warning lists when none is near.
const LISTED: usize = 14;
/// A column with more distinct values than this is not searched for near
/// ones (measure texts): the warning then says only that no row holds it.
const SUGGEST_FROM: usize = 5_000;

/// One vocabulary: the codes a closed column takes, with their labels.
#[derive(Clone, Debug, Default, PartialEq)]
struct Vocabulary {
    /// What the codes are, in messages ("measure class").
    what: String,
    /// (code, label) in the order the facts state them.
    entries: Vec<(String, String)>,
}

/// The vocabularies of a program, by column name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vocabularies {
    by_column: HashMap<String, Vec<Vocabulary>>,
}

/// The string constants of a ground fact's arguments.
fn strings(atom: &Atom) -> Vec<Option<&str>> {
    atom.args
        .iter()
        .map(|a| match a {
            Expr::Str(s, _) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

impl Vocabularies {
    /// Reads the vocabularies from the stated facts of `program` (not the
    /// evaluated database: a pruned batch run may not keep them).
    pub fn from_program(program: &Program) -> Vocabularies {
        let mut wanted: Vec<(String, String, String)> = Vec::new();
        for item in &program.items {
            if let Item::Fact(a) = item
                && a.relation.name == VOCABULARY_REL
                && let [Some(column), Some(rel), Some(what)] = strings(a)[..]
            {
                wanted.push((column.into(), rel.into(), what.into()));
            }
        }
        let rels: HashSet<&str> = wanted.iter().map(|(_, r, _)| r.as_str()).collect();
        let mut entries: HashMap<&str, Vec<(String, String)>> = HashMap::new();
        for item in &program.items {
            if let Item::Fact(a) = item
                && rels.contains(a.relation.name.as_str())
                && let [Some(code), Some(label), ..] = strings(a)[..]
            {
                entries
                    .entry(a.relation.name.as_str())
                    .or_default()
                    .push((code.into(), label.into()));
            }
        }
        let mut by_column: HashMap<String, Vec<Vocabulary>> = HashMap::new();
        for (column, rel, what) in &wanted {
            by_column
                .entry(column.clone())
                .or_default()
                .push(Vocabulary {
                    what: what.clone(),
                    entries: entries.get(rel.as_str()).cloned().unwrap_or_default(),
                });
        }
        Vocabularies { by_column }
    }

    fn of(&self, column: &str) -> &[Vocabulary] {
        self.by_column.get(column).map_or(&[], |v| v.as_slice())
    }

    fn all(&self) -> impl Iterator<Item = &Vocabulary> {
        self.by_column.values().flatten()
    }
}

/// What a finding says about its statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A constant of a closed column that its vocabulary does not know and
    /// no row holds: the atom matches nothing, so an assertion over it
    /// holds vacuously.
    UnknownValue,
    /// A label where the column stores its code: matches nothing either.
    LabelForCode,
    /// A value of an open column (names, texts) that no row holds but one
    /// near it does: likely a typo, but an open column may lack a value
    /// for good reason (`.assert empty` says so), so only a warning.
    NearMiss,
    /// A variable named like a value of its column: matches everything.
    VariableNamesValue,
}

/// One warning of the value check.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// What kind of mistake it likely is.
    pub kind: Kind,
    /// The statement it was found in (a query's, an assertion's or a
    /// rule's whole span), to tie it to that statement's verdict.
    pub statement: Span,
    /// The located warning.
    pub diagnostic: Diagnostic,
}

impl Finding {
    /// True when the statement cannot match what its author meant: an
    /// assertion with such a finding is vacuous.
    pub fn makes_vacuous(&self) -> bool {
        matches!(self.kind, Kind::UnknownValue | Kind::LabelForCode)
    }
}

/// The checker over one evaluated session; caches column values.
pub struct ValueCheck<'s> {
    session: &'s Session,
    vocab: Vocabularies,
    /// Values per (relation, column), for suggestions.
    columns: HashMap<(String, usize), Option<HashSet<String>>>,
}

impl<'s> ValueCheck<'s> {
    /// A checker over `session`, which must be evaluated.
    pub fn new(session: &'s Session) -> ValueCheck<'s> {
        ValueCheck {
            session,
            vocab: Vocabularies::from_program(session.program()),
            columns: HashMap::new(),
        }
    }

    /// Checks the queries, assertions and rule bodies among `items`.
    pub fn items<'i>(&mut self, items: impl IntoIterator<Item = &'i Item>) -> Vec<Finding> {
        let mut out = Vec::new();
        for item in items {
            let (body, span) = match item {
                Item::Query(q) => (&q.body, q.span),
                Item::Assert(a) => (&a.body, a.span),
                Item::Rule(r) => (&r.body, r.span),
                _ => continue,
            };
            self.body(body, span, &mut out);
        }
        out
    }

    /// Checks one body (its alternatives), e.g. a query the REPL answered.
    pub fn body(&mut self, body: &[Vec<Literal>], statement: Span, out: &mut Vec<Finding>) {
        for alt in body {
            for lit in alt {
                self.literal(lit, statement, out);
            }
        }
    }

    fn literal(&mut self, lit: &Literal, statement: Span, out: &mut Vec<Finding>) {
        match lit {
            Literal::Atom(a) | Literal::Negated(a) => self.atom(a, statement, out),
            Literal::Compare { lhs, rhs, .. } => {
                self.aggregates(lhs, statement, out);
                self.aggregates(rhs, statement, out);
            }
            _ => {}
        }
    }

    /// Atoms inside aggregates (`n = count : { flow_lacks(…, "encrypt") }`).
    fn aggregates(&mut self, e: &Expr, statement: Span, out: &mut Vec<Finding>) {
        match e {
            Expr::Aggregate { body, .. } => {
                for lit in body {
                    self.literal(lit, statement, out);
                }
            }
            Expr::Binary { lhs, rhs, .. } => {
                self.aggregates(lhs, statement, out);
                self.aggregates(rhs, statement, out);
            }
            Expr::Unary { arg, .. } => self.aggregates(arg, statement, out),
            Expr::Functor { args, .. } => {
                for a in args {
                    self.aggregates(a, statement, out);
                }
            }
            _ => {}
        }
    }

    fn atom(&mut self, atom: &Atom, statement: Span, out: &mut Vec<Finding>) {
        let rel = atom.relation.name.as_str();
        let Some(schema) = self.session.schema().relation(rel) else {
            return;
        };
        let columns = schema.columns.clone();
        for (i, arg) in atom.args.iter().enumerate() {
            let Some(column) = columns.get(i) else {
                continue;
            };
            let finding = match arg {
                Expr::Str(value, span) => self.constant(rel, i, column, value, *span),
                Expr::Var(v) => self.variable(rel, i, column, &v.name, v.span),
                _ => None,
            };
            if let Some((kind, diagnostic)) = finding {
                out.push(Finding {
                    kind,
                    statement,
                    diagnostic,
                });
            }
        }
    }

    /// The values column `i` of `rel` holds, to suggest from: `None` for
    /// a number column, or one with too many values to list.
    fn held(&mut self, rel: &str, i: usize) -> Option<&HashSet<String>> {
        let session = self.session;
        self.columns
            .entry((rel.to_string(), i))
            .or_insert_with(|| {
                let values = session.column_values(rel, i, SUGGEST_FROM)?;
                Some(values.into_iter().collect())
            })
            .as_ref()
    }

    fn constant(
        &mut self,
        rel: &str,
        i: usize,
        column: &str,
        value: &str,
        span: Span,
    ) -> Option<(Kind, Diagnostic)> {
        let vocabs: Vec<Vocabulary> = self.vocab.of(column).to_vec();
        let in_vocab = vocabs
            .iter()
            .any(|v| v.entries.iter().any(|(c, _)| c == value));
        if in_vocab {
            return None;
        }
        // No rows to tell by (a relation computed on demand, for other
        // questions or none yet) still leaves the columns of its kind.
        if self.session.column_holds(rel, i, value) == Some(true) {
            return None;
        }
        let held: HashSet<String> = self.held(rel, i).cloned().unwrap_or_default();
        // A label where the code is stored: from this column's vocabularies,
        // or any vocabulary whose code the column holds.
        let applies =
            |v: &Vocabulary, code: &str| vocabs.iter().any(|w| w == v) || held.contains(code);
        for v in self.vocab.all() {
            if let Some((code, _)) = v.entries.iter().find(|(c, l)| l == value && applies(v, c)) {
                let d = Diagnostic::error(
                    format!(
                        "`{value}` is the label of the {} `{code}`; `{rel}` stores the code",
                        v.what
                    ),
                    span,
                )
                .warning()
                .with_label("a label, not a code")
                .with_note(format!("write \"{code}\" (`{value}` matches no row)"));
                return Some((Kind::LabelForCode, d));
            }
        }
        let mut known: Vec<String> = vocabs
            .iter()
            .flat_map(|v| v.entries.iter().map(|(c, _)| c.clone()))
            .collect();
        let mut extra: Vec<String> = held
            .iter()
            .filter(|h| !known.contains(h))
            .cloned()
            .collect();
        extra.sort();
        known.extend(extra);
        let mut near = nearest(value, &known);
        // An open column: only a near miss that no column of its kind holds
        // is worth a word (`"サンプル町長/2"` in a derived relation that has
        // no row for it is an assessment all the same). Where the column
        // itself offers no near value (a relation computed on demand holds
        // only what was asked of it), the columns of its kind are searched.
        if vocabs.is_empty() {
            let peers = self.same_kind(rel, i);
            if self.held_elsewhere(&peers, value) {
                return None;
            }
            if near.is_empty() {
                near = self.nearest_of_kind(&peers, value);
            }
            if near.is_empty() {
                return None;
            }
        }
        let mut d = if let Some(v) = vocabs.first() {
            let what = v.what.as_str();
            let mut m = format!("`{value}` is not a {what}");
            if !near.is_empty() {
                m.push_str(&format!("; did you mean {}?", quoted(&near)));
            }
            Diagnostic::error(m, span).with_label(format!("not a {what}"))
        } else {
            let mut m = format!("no row of `{rel}` holds `{value}` in column `{column}`");
            if !near.is_empty() {
                m.push_str(&format!("; did you mean {}?", quoted(&near)));
            }
            Diagnostic::error(m, span).with_label("matches no row")
        };
        d = d.warning();
        if near.is_empty() && !vocabs.is_empty() {
            let shown: Vec<String> = known.iter().take(LISTED).cloned().collect();
            let more = if known.len() > LISTED { ", …" } else { "" };
            d = d.with_note(format!("known values: {}{more}", shown.join(", ")));
        }
        let kind = if vocabs.is_empty() {
            Kind::NearMiss
        } else {
            Kind::UnknownValue
        };
        Some((kind, d))
    }

    /// True when one of `peers`, the other columns of the same kind (see
    /// [`ValueCheck::same_kind`]), holds `value`.
    fn held_elsewhere(&self, peers: &[(String, usize)], value: &str) -> bool {
        peers
            .iter()
            .any(|(r, j)| self.session.column_holds(r, *j, value) == Some(true))
    }

    /// The other columns of the same kind as column `i` of `rel`: of the
    /// same declared type (`Assessment`), or, for plain symbols, of the
    /// same name (`vendor`).
    fn same_kind(&self, rel: &str, i: usize) -> Vec<(String, usize)> {
        let schema = self.session.schema();
        let Some(own) = schema.relation(rel) else {
            return Vec::new();
        };
        let (Some(ty), Some(name)) = (own.type_names.get(i), own.columns.get(i)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for r in schema.relations.values() {
            for j in 0..r.columns.len() {
                let same = if ty == "symbol" {
                    r.columns[j] == *name && r.type_names.get(j) == Some(ty)
                } else {
                    r.type_names.get(j) == Some(ty)
                };
                if same && (r.name != rel || j != i) {
                    out.push((r.name.clone(), j));
                }
            }
        }
        out
    }

    /// The values nearest to `value` among those `peers`, the columns of
    /// its kind (see [`ValueCheck::same_kind`]), hold. Only asked once the value is
    /// known to be held nowhere, so a larger column is searched than for
    /// the suggestions of a column of its own (every assessment of a
    /// national knowledge base).
    fn nearest_of_kind(&self, peers: &[(String, usize)], value: &str) -> Vec<String> {
        const KIND_SEARCH: usize = 200_000;
        let mut known: HashSet<String> = HashSet::new();
        for (r, j) in peers {
            if let Some(values) = self.session.column_values(r, *j, KIND_SEARCH) {
                known.extend(values);
            }
        }
        let mut known: Vec<String> = known.into_iter().collect();
        known.sort();
        nearest(value, &known)
    }

    fn variable(
        &mut self,
        rel: &str,
        i: usize,
        column: &str,
        name: &str,
        span: Span,
    ) -> Option<(Kind, Diagnostic)> {
        let held = self.session.column_holds(rel, i, name) == Some(true);
        let coded = self
            .vocab
            .of(column)
            .iter()
            .any(|v| v.entries.iter().any(|(c, l)| c == name || l == name));
        if !held && !coded {
            return None;
        }
        let d = Diagnostic::error(
            format!(
                "`{name}` is a variable here, so it matches every value of `{rel}`'s column `{column}`; did you mean the value \"{name}\"?"
            ),
            span,
        )
        .warning()
        .with_label("a variable")
        .with_note(format!(
            "values are written in double quotes: {rel}(…, \"{name}\", …)"
        ));
        Some((Kind::VariableNamesValue, d))
    }
}

/// Checks the statements of one loaded script (and the files it
/// includes): every item from the script's own file on, as `pialog check`
/// loads the knowledge base first and the script last. Nothing is checked
/// when the script is not among the session's sources.
pub fn check_script(session: &Session, script: &std::path::Path) -> Vec<Finding> {
    let sources = session.sources();
    let Some(first) = (0..sources.len()).find(|&id| {
        sources
            .file(id)
            .is_some_and(|f| f.path == script || f.path.ends_with(script))
    }) else {
        return Vec::new();
    };
    let items = session
        .program()
        .items
        .iter()
        .filter(|i| statement_span(i).is_some_and(|s| s.file >= first));
    ValueCheck::new(session).items(items)
}

/// The span of a statement the check looks into.
fn statement_span(item: &Item) -> Option<Span> {
    match item {
        Item::Query(q) => Some(q.span),
        Item::Assert(a) => Some(a.span),
        Item::Rule(r) => Some(r.span),
        _ => None,
    }
}

/// `a`, `b` or `c` as the message lists them.
fn quoted(values: &[String]) -> String {
    let q: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match q.len() {
        0 => String::new(),
        1 => q[0].clone(),
        _ => format!("{} or {}", q[..q.len() - 1].join(", "), q[q.len() - 1]),
    }
}

/// A value folded for comparison: case, hyphens, underscores and spaces
/// do not tell two codes apart for a typist.
fn folded(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The known values nearest to `value`: within a small edit distance (a
/// third of the length, at least 1), or one a prefix of the other
/// (`encrypt` / `encryption`), best first.
fn nearest(value: &str, known: &[String]) -> Vec<String> {
    let v = folded(value);
    let limit = (v.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &String)> = known
        .iter()
        .filter_map(|k| {
            let f = folded(k);
            let d = strsim::damerau_levenshtein(&v, &f);
            let prefix = v.chars().count() >= 3
                && f.chars().count() >= 3
                && (f.starts_with(&v) || v.starts_with(&f));
            (d <= limit || prefix).then_some((d, k))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(NEAREST)
        .map(|(_, k)| k.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn nearest_values_by_distance_and_prefix() {
        let classes = known(&["encryption", "erasure", "audit", "access-control"]);
        assert_eq!(nearest("encrypt", &classes), ["encryption"]);
        assert_eq!(nearest("Encryption", &classes), ["encryption"]);
        assert_eq!(nearest("acces-control", &classes), ["access-control"]);
        assert!(nearest("zzz", &classes).is_empty());
        let methods = known(&["email", "paper", "media"]);
        assert_eq!(nearest("e-mail", &methods), ["email"]);
        let systems = known(&["中間サーバー", "団体内統合宛名システム"]);
        assert_eq!(nearest("中間サーバ", &systems), ["中間サーバー"]);
    }

    #[test]
    fn lists_read_as_a_sentence() {
        assert_eq!(quoted(&known(&["a"])), "`a`");
        assert_eq!(quoted(&known(&["a", "b", "c"])), "`a`, `b` or `c`");
    }

    #[test]
    fn vocabularies_are_read_from_the_stated_facts() {
        let mut sources = crate::diag::SourceMap::new();
        let program = crate::lang::parser::parse_source(
            &mut sources,
            "v.dl",
            ".decl vocabulary(column: symbol, rel: symbol, what: symbol)\n\
             .decl rating(code: symbol, label: symbol)\n\
             vocabulary(\"rating\", \"rating\", \"rating\").\n\
             rating(\"issues-remain\", \"課題が残されている\").\n",
        )
        .expect("parses");
        let v = Vocabularies::from_program(&program);
        let r = v.of("rating");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].what, "rating");
        assert_eq!(
            r[0].entries,
            [(
                "issues-remain".to_string(),
                "課題が残されている".to_string()
            )]
        );
        assert!(v.of("class").is_empty());
    }
}
