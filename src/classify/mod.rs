//! Scoring the measure classes of the rules against an analyst's labels
//! (`pialog classify --labels FILE`).
//!
//! `measure_class` is only as useful as its agreement with what a careful
//! reader would say each measure states, and the keyword lines of
//! `queries/std.dl` are edited by analysts. This module lets them measure
//! an edit with pialog itself: [`labels`] reads the labelled-measures file,
//! [`rules`] runs the loaded rules over the labels' own texts and traces
//! every class given or dropped to the line of the rules behind it,
//! [`score`] computes precision, recall, F1 and exact-set agreement, and
//! [`report`] writes it all out with the measures that disagree.

pub mod labels;
pub mod report;
pub mod rules;
pub mod score;

pub use labels::Labels;
pub use rules::{Outcome, default_rule_files, run};
pub use score::Scores;

/// Scores an outcome of [`run`] against the labels it was run on.
pub fn score_outcome(labels: &Labels, outcome: &Outcome) -> Scores {
    let got: Vec<_> = labels
        .rows
        .iter()
        .map(|r| outcome.classes_of(&r.a, &r.m))
        .collect();
    score::score(labels.rows.iter().map(|r| &r.classes).zip(got.iter()))
}
