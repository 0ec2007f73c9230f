//! The coverage matrix: assessments × phases × measure classes.
//!
//! One cell says how many measures of a class an assessment states for the
//! risks of a phase, and whether a zero is a gap (another body has such a
//! measure for that phase) or just absent everywhere. `pialog matrix` writes
//! it as a wide CSV (one row per assessment and phase, one column per class)
//! and as an SVG heat map ([`super::svg`]).

use crate::engine::table::{ColumnType, Table, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What one cell of the matrix says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// The assessment states no risk of this phase (e.g. a focused form).
    NotAssessed,
    /// This many measures of the class answer risks of the phase.
    Covered(usize),
    /// None, while another body has at least one for the same phase.
    Gap,
    /// None stated, another body has one, and part of the phase could not
    /// be read (`phase_unknown`): a gap in the reading, not known to be a
    /// gap in the protection. [`Matrix::notes`] says what was not read.
    Unknown,
    /// None, and no other body has one either.
    Absent,
}

/// An assessment row heading.
#[derive(Clone, Debug, PartialEq)]
pub struct RowHead {
    /// Assessment id.
    pub id: String,
    /// Organisation (the body), used to tell "another body".
    pub org: String,
}

/// The matrix with its headings in display order.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    /// Assessments, sorted by id.
    pub assessments: Vec<RowHead>,
    /// Phases as (code, label).
    pub phases: Vec<(String, String)>,
    /// Measure classes as (code, label).
    pub classes: Vec<(String, String)>,
    cells: HashMap<(usize, usize, usize), Cell>,
    /// Unread notes per (assessment, phase) with an unknown cell.
    notes: BTreeMap<(usize, usize), BTreeSet<String>>,
}

/// The relations the matrix is built from, as tables read off a session:
/// `assessment(a, org, …)`, `phase(p, label)`, `class_label(c, label,
/// order)`,
/// `assessed_phase(a, p)`, `measure_phase(a, m, p)`, `measure_class(a, m, c)`,
/// `phase_unknown(a, p, c, note)`.
pub struct Inputs<'a> {
    /// `assessment`.
    pub assessment: &'a Table,
    /// `phase` (code, label).
    pub phase: &'a Table,
    /// `class_label` (code, label, order).
    pub class_label: &'a Table,
    /// `assessed_phase`.
    pub assessed_phase: &'a Table,
    /// `measure_phase`.
    pub measure_phase: &'a Table,
    /// `measure_class`.
    pub measure_class: &'a Table,
    /// `phase_unknown` (a, phase, class, note): the cells whose gap may be
    /// one of the reading; `None` where std.dl has no such relation.
    pub phase_unknown: Option<&'a Table>,
    /// The phase codes in the order the form prints them (the fact
    /// contract's, `kb::PHASES`): `phase` rows come sorted, so the columns
    /// are put back in this order, phases it does not name last.
    pub phase_order: &'a [&'a str],
}

fn sym(v: Option<&Value>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn pairs(t: &Table) -> Vec<(String, String)> {
    t.rows
        .iter()
        .map(|r| (sym(r.first()), sym(r.get(1))))
        .collect()
}

impl Matrix {
    /// Builds the matrix. Phases keep the order of the form
    /// ([`Inputs::phase_order`], unknown phases last); classes follow the
    /// `order` column of `class_label`.
    pub fn build(input: &Inputs<'_>) -> Matrix {
        let order = input.phase_order;
        let mut phases = pairs(input.phase);
        phases.sort_by_key(|(code, _)| order.iter().position(|p| p == code).unwrap_or(order.len()));
        let mut ordered: Vec<(i64, (String, String))> = input
            .class_label
            .rows
            .iter()
            .map(|r| {
                let order = match r.get(2) {
                    Some(Value::Number(n)) => *n,
                    _ => i64::MAX,
                };
                (order, (sym(r.first()), sym(r.get(1))))
            })
            .collect();
        ordered.sort_by_key(|(order, _)| *order);
        let classes: Vec<(String, String)> = ordered.into_iter().map(|(_, c)| c).collect();
        let mut assessments: Vec<RowHead> = input
            .assessment
            .rows
            .iter()
            .map(|r| RowHead {
                id: sym(r.first()),
                org: sym(r.get(1)),
            })
            .collect();
        assessments.sort_by(|a, b| a.id.cmp(&b.id));
        assessments.dedup_by(|a, b| a.id == b.id);

        let a_ix: HashMap<&str, usize> = assessments
            .iter()
            .enumerate()
            .map(|(i, h)| (h.id.as_str(), i))
            .collect();
        let p_ix: HashMap<&str, usize> = phases
            .iter()
            .enumerate()
            .map(|(i, p)| (p.0.as_str(), i))
            .collect();
        let c_ix: HashMap<&str, usize> = classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.0.as_str(), i))
            .collect();

        let assessed: BTreeSet<(usize, usize)> = pairs(input.assessed_phase)
            .iter()
            .filter_map(|(a, p)| Some((*a_ix.get(a.as_str())?, *p_ix.get(p.as_str())?)))
            .collect();
        // measure -> phases, then count distinct measures per cell.
        let mut phase_of: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for r in &input.measure_phase.rows {
            if let Some(&p) = p_ix.get(sym(r.get(2)).as_str()) {
                phase_of
                    .entry((sym(r.first()), sym(r.get(1))))
                    .or_default()
                    .push(p);
            }
        }
        let mut counts: BTreeMap<(usize, usize, usize), BTreeSet<String>> = BTreeMap::new();
        for r in &input.measure_class.rows {
            let (a, m, c) = (sym(r.first()), sym(r.get(1)), sym(r.get(2)));
            let (Some(&ai), Some(&ci)) = (a_ix.get(a.as_str()), c_ix.get(c.as_str())) else {
                continue;
            };
            for &pi in phase_of.get(&(a, m.clone())).into_iter().flatten() {
                counts.entry((ai, pi, ci)).or_default().insert(m.clone());
            }
        }
        // Which bodies have a class in a phase.
        let mut bodies: HashMap<(usize, usize), BTreeSet<&str>> = HashMap::new();
        for &(ai, pi, ci) in counts.keys() {
            bodies
                .entry((pi, ci))
                .or_default()
                .insert(assessments[ai].org.as_str());
        }
        // Cells std.dl calls unknown, with their notes.
        let mut unknown: BTreeSet<(usize, usize, usize)> = BTreeSet::new();
        let mut notes: BTreeMap<(usize, usize), BTreeSet<String>> = BTreeMap::new();
        for r in input
            .phase_unknown
            .map(|t| t.rows.as_slice())
            .unwrap_or(&[])
        {
            let (a, p, c) = (sym(r.first()), sym(r.get(1)), sym(r.get(2)));
            let (Some(&ai), Some(&pi), Some(&ci)) = (
                a_ix.get(a.as_str()),
                p_ix.get(p.as_str()),
                c_ix.get(c.as_str()),
            ) else {
                continue;
            };
            unknown.insert((ai, pi, ci));
            notes.entry((ai, pi)).or_default().insert(sym(r.get(3)));
        }
        let mut cells = HashMap::new();
        for (ai, head) in assessments.iter().enumerate() {
            for pi in 0..phases.len() {
                for ci in 0..classes.len() {
                    let cell = if let Some(ms) = counts.get(&(ai, pi, ci)) {
                        Cell::Covered(ms.len())
                    } else if unknown.contains(&(ai, pi, ci)) {
                        Cell::Unknown
                    } else if !assessed.contains(&(ai, pi)) {
                        Cell::NotAssessed
                    } else if bodies
                        .get(&(pi, ci))
                        .is_some_and(|b| b.iter().any(|o| *o != head.org))
                    {
                        Cell::Gap
                    } else {
                        Cell::Absent
                    };
                    cells.insert((ai, pi, ci), cell);
                }
            }
        }
        Matrix {
            assessments,
            phases,
            classes,
            cells,
            notes,
        }
    }

    /// What could not be read of a phase of an assessment (the unread
    /// notes behind its unknown cells), in order; empty where none.
    pub fn notes(&self, a: usize, p: usize) -> Vec<&str> {
        self.notes
            .get(&(a, p))
            .map(|n| n.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Every (assessment, phase) with unknown cells and its notes.
    pub fn all_notes(&self) -> impl Iterator<Item = (usize, usize, Vec<&str>)> + '_ {
        self.notes
            .iter()
            .map(|(&(a, p), n)| (a, p, n.iter().map(String::as_str).collect()))
    }

    /// The cell at (assessment, phase, class) indexes.
    pub fn cell(&self, a: usize, p: usize, c: usize) -> Cell {
        self.cells.get(&(a, p, c)).copied().unwrap_or(Cell::Absent)
    }

    /// The wide table written as CSV: `assessment, org, phase, <class…>,
    /// unread`; a cell is the number of measures, empty where the phase is
    /// not assessed, `0!` where another body has such a measure (a gap),
    /// `0?` where that gap may be one of the reading; `unread` holds the
    /// notes of what was not read of the phase (joined by ` | `).
    pub fn to_table(&self) -> Table {
        let mut columns = vec!["assessment".to_string(), "org".into(), "phase".into()];
        columns.extend(self.classes.iter().map(|(c, _)| c.clone()));
        columns.push("unread".into());
        let mut types = vec![ColumnType::Symbol; 3];
        types.extend(std::iter::repeat_n(
            ColumnType::Symbol,
            self.classes.len() + 1,
        ));
        let mut rows = Vec::new();
        for (ai, head) in self.assessments.iter().enumerate() {
            for (pi, (phase, _)) in self.phases.iter().enumerate() {
                let mut row = vec![
                    Value::Symbol(head.id.clone()),
                    Value::Symbol(head.org.clone()),
                    Value::Symbol(phase.clone()),
                ];
                for ci in 0..self.classes.len() {
                    row.push(Value::Symbol(match self.cell(ai, pi, ci) {
                        Cell::NotAssessed => String::new(),
                        Cell::Covered(n) => n.to_string(),
                        Cell::Gap => "0!".to_string(),
                        Cell::Unknown => "0?".to_string(),
                        Cell::Absent => "0".to_string(),
                    }));
                }
                row.push(Value::Symbol(self.notes(ai, pi).join(" | ")));
                rows.push(row);
            }
        }
        Table {
            name: "matrix".into(),
            columns,
            types,
            rows,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn t(rows: &[&[&str]]) -> Table {
        Table {
            name: String::new(),
            columns: vec![],
            types: vec![],
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| Value::Symbol(s.to_string())).collect())
                .collect(),
        }
    }

    /// Two bodies: A encrypts in storage, B states storage risks without;
    /// `unknown` rows say which cells a note marks as not read.
    fn sample_with(unknown: Option<&Table>) -> Matrix {
        let assessment = t(&[&["A/1", "A"], &["B/1", "B"]]);
        let phase = t(&[&["storage", "保管・消去"], &["acquisition", "入手"]]);
        let mut class_label = t(&[&["encryption", "暗号化"], &["audit", "監査・点検"]]);
        for (i, row) in class_label.rows.iter_mut().enumerate() {
            row.push(Value::Number(i as i64));
        }
        let assessed = t(&[&["A/1", "storage"], &["B/1", "storage"]]);
        let mp = t(&[&["A/1", "storage/1#1", "storage"]]);
        let mc = t(&[&["A/1", "storage/1#1", "encryption"]]);
        Matrix::build(&Inputs {
            assessment: &assessment,
            phase: &phase,
            class_label: &class_label,
            assessed_phase: &assessed,
            measure_phase: &mp,
            measure_class: &mc,
            phase_unknown: unknown,
            phase_order: &["acquisition", "use", "storage"],
        })
    }

    /// Two bodies: A encrypts in storage, B states storage risks without.
    pub(crate) fn sample() -> Matrix {
        sample_with(None)
    }

    #[test]
    fn tells_gaps_from_absence_and_unassessed_phases() {
        let m = sample();
        assert_eq!(m.phases[0].0, "acquisition");
        assert_eq!(m.cell(0, 1, 0), Cell::Covered(1));
        assert_eq!(m.cell(1, 1, 0), Cell::Gap);
        assert_eq!(m.cell(1, 1, 1), Cell::Absent);
        assert_eq!(m.cell(1, 0, 0), Cell::NotAssessed);
        let table = m.to_table();
        assert_eq!(table.columns[3], "encryption");
        assert_eq!(table.rows.len(), 4);
        assert_eq!(table.rows[3][3], Value::Symbol("0!".into()));
        assert_eq!(table.columns.last().map(String::as_str), Some("unread"));
    }

    /// The sample with B's storage encryption cell unknown (a note says part
    /// of B's storage phase was not read).
    pub(crate) fn sample_unread() -> Matrix {
        let unknown = t(&[&["B/1", "storage", "encryption", "III-7 (line 9): not read"]]);
        sample_with(Some(&unknown))
    }

    #[test]
    fn unknown_cells_stand_apart_from_gaps_with_their_note() {
        let m = sample_unread();
        assert_eq!(m.cell(1, 1, 0), Cell::Unknown);
        assert_eq!(m.cell(1, 1, 1), Cell::Absent);
        assert_eq!(m.notes(1, 1), ["III-7 (line 9): not read"]);
        assert!(m.notes(0, 1).is_empty());
        let table = m.to_table();
        assert_eq!(table.rows[3][3], Value::Symbol("0?".into()));
        assert_eq!(
            table.rows[3].last(),
            Some(&Value::Symbol("III-7 (line 9): not read".into()))
        );
    }
}
