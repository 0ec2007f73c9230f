//! Agreement between the rules' classes and an analyst's labels:
//! precision, recall and F1 per class, their micro average over all
//! classes, and the share of measures whose whole set of classes is right.
//!
//! The same figures as `../shared/tools/score_classes.py`, so a score from
//! `pialog classify` and one from the script can be compared directly.

use std::collections::BTreeSet;

/// Counts of one class (or of all classes pooled, for the micro average).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Measures labelled with the class that the rules put in it.
    pub tp: usize,
    /// Measures the rules put in the class that are not labelled with it.
    pub fp: usize,
    /// Measures labelled with the class that the rules miss.
    pub fn_: usize,
}

impl Counts {
    /// tp / (tp + fp); 0 when the rules never chose the class.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / (tp + fn); 0 when no measure is labelled with the class.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Measures labelled with the class.
    pub fn gold(&self) -> usize {
        self.tp + self.fn_
    }

    /// Measures the rules put in the class.
    pub fn got(&self) -> usize {
        self.tp + self.fp
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The whole score of a labels file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scores {
    /// Per class, sorted by class code.
    pub classes: Vec<(String, Counts)>,
    /// All classes pooled.
    pub micro: Counts,
    /// Measures whose set of classes equals the labelled one.
    pub exact: usize,
    /// Measures scored.
    pub measures: usize,
}

impl Scores {
    /// The share of measures with exactly the labelled set of classes.
    pub fn exact_share(&self) -> f64 {
        ratio(self.exact, self.measures)
    }
}

/// Scores pairs of (labelled classes, classes the rules gave), one pair per
/// measure. Every class that either side names gets a row.
pub fn score<'a>(
    pairs: impl IntoIterator<Item = (&'a BTreeSet<String>, &'a BTreeSet<String>)> + Clone,
) -> Scores {
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for (gold, got) in pairs.clone() {
        names.extend(gold.iter().map(String::as_str));
        names.extend(got.iter().map(String::as_str));
    }
    let mut scores = Scores::default();
    let mut per: Vec<(String, Counts)> = names
        .iter()
        .map(|n| (n.to_string(), Counts::default()))
        .collect();
    for (gold, got) in pairs {
        scores.measures += 1;
        if gold == got {
            scores.exact += 1;
        }
        for (name, c) in per.iter_mut() {
            match (gold.contains(name), got.contains(name)) {
                (true, true) => c.tp += 1,
                (false, true) => c.fp += 1,
                (true, false) => c.fn_ += 1,
                (false, false) => {}
            }
        }
    }
    for (_, c) in &per {
        scores.micro.tp += c.tp;
        scores.micro.fp += c.fp;
        scores.micro.fn_ += c.fn_;
    }
    scores.classes = per;
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &[&str]) -> BTreeSet<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn counts_per_class_micro_and_exact_sets() {
        let gold = [set(&["audit"]), set(&["audit", "logging"]), set(&[])];
        let got = [set(&["audit"]), set(&["logging", "erasure"]), set(&[])];
        let s = score(gold.iter().zip(got.iter()));
        assert_eq!(s.measures, 3);
        assert_eq!(s.exact, 2);
        let by = |n: &str| {
            s.classes
                .iter()
                .find(|(c, _)| c == n)
                .map(|(_, c)| c.clone())
        };
        assert_eq!(
            by("audit"),
            Some(Counts {
                tp: 1,
                fp: 0,
                fn_: 1
            })
        );
        assert_eq!(
            by("erasure"),
            Some(Counts {
                tp: 0,
                fp: 1,
                fn_: 0
            })
        );
        assert_eq!(
            by("logging"),
            Some(Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            })
        );
        assert_eq!(
            s.micro,
            Counts {
                tp: 2,
                fp: 1,
                fn_: 1
            }
        );
        assert!((s.micro.f1() - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.exact_share() - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn empty_sides_score_zero_without_dividing_by_zero() {
        let c = Counts::default();
        assert_eq!((c.precision(), c.recall(), c.f1()), (0.0, 0.0, 0.0));
        let s = score(std::iter::empty::<(&BTreeSet<String>, &BTreeSet<String>)>());
        assert_eq!(s.exact_share(), 0.0);
    }
}
