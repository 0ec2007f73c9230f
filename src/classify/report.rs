//! The text report of `pialog classify`: the score per class, the rule
//! lines with how often each was right and wrong, and every measure the
//! rules get wrong with the line that fired (or the exclusion that dropped
//! a cue), so that an analyst who adds a line sees what it gains and breaks.

use super::labels::Labels;
use super::rules::{Outcome, RuleLine};
use super::score::Scores;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What the report shows besides the scores.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Every line that fired, not only those that were wrong at least once.
    pub all_lines: bool,
}

/// How often one line decided right and wrong.
#[derive(Default)]
struct Tally {
    right: usize,
    wrong: usize,
}

/// Renders the whole report.
pub fn render(labels: &Labels, outcome: &Outcome, scores: &Scores, options: Options) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} labelled measures of {}",
        scores.measures,
        labels.path.display()
    );
    let _ = writeln!(
        out,
        "\n{:<18} {:>9} {:>6} {:>5} {:>9} {:>6}",
        "class", "precision", "recall", "F1", "labelled", "given"
    );
    for (class, c) in &scores.classes {
        let _ = writeln!(
            out,
            "{class:<18} {:>9.2} {:>6.2} {:>5.2} {:>9} {:>6}",
            c.precision(),
            c.recall(),
            c.f1(),
            c.gold(),
            c.got()
        );
    }
    lines_section(&mut out, labels, outcome, options);
    disagreements(&mut out, labels, outcome);
    let m = &scores.micro;
    let _ = writeln!(
        out,
        "\nclasses: {} measures, micro P {:.3} R {:.3}, micro F1 {:.3}, exact-set {:.3} ({} of {})",
        scores.measures,
        m.precision(),
        m.recall(),
        m.f1(),
        scores.exact_share(),
        scores.exact,
        scores.measures
    );
    out
}

/// The lines that fired, in the order of the rules.
fn lines_section(out: &mut String, labels: &Labels, outcome: &Outcome, options: Options) {
    let mut tally: BTreeMap<RuleLine, Tally> = BTreeMap::new();
    // A line is right when the class it gives is labelled, or the class it
    // drops is not.
    let mut count = |line: &Option<RuleLine>, right: bool| {
        if let Some(line) = line {
            let t = tally.entry(line.clone()).or_default();
            if right {
                t.right += 1;
            } else {
                t.wrong += 1;
            }
        }
    };
    for row in &labels.rows {
        let key = (row.a.clone(), row.m.clone());
        for hit in outcome.hits.get(&key).into_iter().flatten() {
            count(&hit.line, row.classes.contains(&hit.class));
        }
        for drop in outcome.drops.get(&key).into_iter().flatten() {
            count(&drop.drop_line, !row.classes.contains(&drop.class));
        }
    }
    let shown: Vec<_> = tally
        .iter()
        .filter(|(_, t)| options.all_lines || t.wrong > 0)
        .collect();
    let what = if options.all_lines {
        "every line that fired"
    } else {
        "lines that were wrong at least once"
    };
    let _ = writeln!(
        out,
        "\n{what} (right / wrong; an exclusion or negation is right when it drops a class the label lacks):"
    );
    if shown.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for (line, t) in shown {
        let _ = writeln!(
            out,
            "  {:>4} / {:<4} {}  {}",
            t.right, t.wrong, line.at, line.text
        );
    }
}

/// Every measure whose classes differ from its label.
fn disagreements(out: &mut String, labels: &Labels, outcome: &Outcome) {
    let wrong: Vec<_> = labels
        .rows
        .iter()
        .filter(|r| outcome.classes_of(&r.a, &r.m) != r.classes)
        .collect();
    let _ = writeln!(out, "\nmeasures the rules get wrong: {}", wrong.len());
    for row in wrong {
        let key = (row.a.clone(), row.m.clone());
        let got = outcome.classes_of(&row.a, &row.m);
        let _ = writeln!(
            out,
            "\n{} {} ({}:{})\n  labelled: {}   rules: {}",
            row.a,
            row.m,
            labels.path.display(),
            row.line,
            list(&row.classes),
            list(&got)
        );
        for hit in outcome.hits.get(&key).into_iter().flatten() {
            if !row.classes.contains(&hit.class) {
                let _ = writeln!(
                    out,
                    "  + {:<18} {}",
                    hit.class,
                    at(hit.line.as_ref(), &hit.cue)
                );
            }
        }
        for class in row.classes.difference(&got) {
            let drops: Vec<_> = outcome
                .drops
                .get(&key)
                .into_iter()
                .flatten()
                .filter(|d| &d.class == class)
                .collect();
            if drops.is_empty() {
                let _ = writeln!(out, "  - {class:<18} no line fired");
            }
            for d in drops {
                let _ = writeln!(
                    out,
                    "  - {class:<18} {} dropped by {}",
                    at(d.cue_line.as_ref(), &d.cue),
                    at(d.drop_line.as_ref(), &d.phrase)
                );
            }
        }
        let _ = writeln!(out, "  text: {}", row.text);
    }
}

fn list(classes: &BTreeSet<String>) -> String {
    if classes.is_empty() {
        "-".to_string()
    } else {
        classes.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// `path:line  fact` of a line, or the bare word when no fact states it.
fn at(line: Option<&RuleLine>, word: &str) -> String {
    match line {
        Some(l) => format!("{}  {}", l.at, l.text),
        None => format!("`{word}` (no keyword fact states it)"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::rules::{Drop, Hit};
    use super::super::score::score;
    use super::*;
    use std::path::Path;

    fn line(n: usize, text: &str) -> Option<RuleLine> {
        Some(RuleLine {
            order: (0, n),
            at: format!("std.dl:{n}"),
            text: text.to_string(),
        })
    }

    #[test]
    fn shows_what_fired_wrongly_and_what_was_dropped() {
        let labels = Labels::parse(
            Path::new("l.tsv"),
            "x/1\tm#1\taudit\t\t監査を行う\nx/1\tm#2\t-\t\t監査法人\nx/1\tm#3\tlogging\t\t研修の記録を残す\n",
        )
        .unwrap();
        let mut o = Outcome::default();
        for m in ["m#1", "m#2"] {
            o.hits.insert(
                ("x/1".into(), m.into()),
                vec![Hit {
                    class: "audit".into(),
                    cue: "監査".into(),
                    line: line(3, "keyword(\"audit\", \"監査\")"),
                }],
            );
        }
        o.drops.insert(
            ("x/1".into(), "m#3".into()),
            vec![Drop {
                class: "logging".into(),
                cue: "記録を残".into(),
                cue_line: line(5, "keyword(\"logging\", \"記録を残\")"),
                phrase: "研修".into(),
                drop_line: line(9, "keyword_except(\"記録を残\", \"研修\")"),
            }],
        );
        let gold: Vec<_> = labels.rows.iter().map(|r| r.classes.clone()).collect();
        let got: Vec<_> = labels
            .rows
            .iter()
            .map(|r| o.classes_of(&r.a, &r.m))
            .collect();
        let s = score(gold.iter().zip(got.iter()));
        let text = render(&labels, &o, &s, Options::default());
        assert!(text.contains("measures the rules get wrong: 2"), "{text}");
        assert!(
            text.contains("+ audit              std.dl:3  keyword(\"audit\", \"監査\")"),
            "{text}"
        );
        assert!(text.contains("- logging            std.dl:5  keyword(\"logging\", \"記録を残\") dropped by std.dl:9"), "{text}");
        assert!(text.contains("   1 / 1    std.dl:3"), "{text}");
        assert!(text.contains("   0 / 1    std.dl:9"), "{text}");
        assert!(text.contains("exact-set 0.333 (1 of 3)"), "{text}");
    }
}
