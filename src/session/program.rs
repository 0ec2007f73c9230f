//! Keeping and checking the program: loading text and files, adding
//! items, checkpoints and `:undo`.

use super::stored;
use super::stored::Scan;
use super::{Session, trace};
use crate::diag::Diagnostics;
use crate::lang::ast::Item;
use crate::lang::check::{CheckOptions, check, check_added};
use crate::lang::checked::RuleTypes;
use crate::lang::parser;
use crate::lang::schema::Schema;
use std::path::{Path, PathBuf};

/// What checking a load gave: the whole program again, or the added
/// items' rule types alone (the schema stays).
enum Checked {
    Whole(crate::lang::checked::CheckedProgram),
    Added(RuleTypes),
}

/// What a session held before one load (see [`Session::undo`]).
pub(super) struct Checkpoint {
    pub(super) items: usize,
    pub(super) stored: stored::Mark,
    pub(super) schema: Schema,
    pub(super) rule_types: RuleTypes,
    pub(super) answered: usize,
    /// The text or file loaded after it, to say what was taken back.
    pub(super) what: String,
}

/// Text on one line, cut to a length a message can hold.
fn one_line(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line,
    }
}

impl Session {
    /// Loads a program file (with its `#include`s).
    pub fn load_file(&mut self, path: &Path) -> Result<(), Diagnostics> {
        let cp = self.checkpoint(path.display().to_string());
        let program = parser::parse_file(&mut self.sources, path)?;
        self.add(program.items)?;
        self.loads.push(cp);
        Ok(())
    }

    /// Loads program text that has no file (REPL input, tests); returns the
    /// items added.
    pub fn load_source(&mut self, name: &str, text: &str) -> Result<Vec<Item>, Diagnostics> {
        let cp = self.checkpoint(text.trim().to_string());
        let program = parser::parse_source(&mut self.sources, name, text)?;
        let items = self.add(program.items)?;
        self.loads.push(cp);
        Ok(items)
    }

    /// Loads files as one program, checked once: files of simple facts
    /// (what `pialog import` and `pialog gen` write) are read in parallel
    /// straight into rows (see [`stored`]); every other file is parsed and
    /// checked as a program. Nothing is kept when any file fails.
    pub fn load_files(&mut self, paths: &[PathBuf]) -> Result<(), Diagnostics> {
        let what = match paths {
            [one] => one.display().to_string(),
            _ => format!("{} files", paths.len()),
        };
        let cp = self.checkpoint(what);
        let symbols = self.symbols.len();
        match self.load_files_in(paths) {
            Ok(()) => {
                self.loads.push(cp);
                Ok(())
            }
            Err(d) => {
                self.restore(cp);
                self.symbols.truncate(symbols);
                Err(d)
            }
        }
    }

    /// What the session holds now, to come back to.
    fn checkpoint(&self, what: String) -> Checkpoint {
        Checkpoint {
            items: self.program.items.len(),
            stored: self.stored.mark(),
            schema: self.schema.clone(),
            rule_types: self.rule_types.clone(),
            answered: self.answered,
            what,
        }
    }

    /// Goes back to a checkpoint: what was loaded since is forgotten and
    /// the next question evaluates the program as it was.
    fn restore(&mut self, cp: Checkpoint) {
        self.program.items.truncate(cp.items);
        self.stored.rollback(cp.stored);
        self.schema = cp.schema;
        self.rule_types = cp.rule_types;
        // Records are read, printed and lowered by the program's types.
        self.symbols.records.types = std::sync::Arc::new(self.schema.records.clone());
        self.answered = self.answered.min(cp.answered);
        self.dirty = true;
        self.origins.take();
        // Its rows may hold what was taken back.
        self.db = None;
    }

    /// Takes back the last load (a statement typed at the REPL prompt, a
    /// file): its rules, facts, retractions and directives are gone and
    /// the next question evaluates without them. Returns what was taken
    /// back (its text or file name), `None` when nothing was loaded.
    pub fn undo(&mut self) -> Option<String> {
        let cp = self.loads.pop()?;
        let what = cp.what.clone();
        self.restore(cp);
        self.good = self.good.min(self.loads.len());
        Some(what)
    }

    /// How many loads [`Session::undo`] could take back, newest first.
    pub fn loads(&self) -> usize {
        self.loads.len()
    }

    /// After an evaluation that failed or was interrupted, takes back
    /// everything loaded since the last one that succeeded, so that the
    /// statement that caused it (a rule too slow to finish) does not stay
    /// in the session; a note on `d` says what was taken back.
    pub(super) fn back_to_good(&mut self, d: Diagnostics) -> Diagnostics {
        if self.good >= self.loads.len() {
            return d;
        }
        let taken: Vec<Checkpoint> = self.loads.drain(self.good..).collect();
        let what: Vec<String> = taken.iter().map(|c| one_line(&c.what)).collect();
        if let Some(first) = taken.into_iter().next() {
            self.restore(first);
        }
        let note = format!("taken back: {}", what.join("; "));
        Diagnostics(
            d.0.into_iter()
                .enumerate()
                .map(|(i, e)| if i == 0 { e.with_note(note.clone()) } else { e })
                .collect(),
        )
    }

    fn load_files_in(&mut self, paths: &[PathBuf]) -> Result<(), Diagnostics> {
        let started = std::time::Instant::now();
        let scans = stored::scan_files(paths, &mut self.symbols);
        trace(&format!(
            "files scanned {:.3}s",
            started.elapsed().as_secs_f64()
        ));
        let mut programs = Vec::new();
        let mut facts = Vec::new();
        for scan in scans {
            match scan {
                Scan::Program(p) => programs.push(p),
                Scan::Facts(f) => facts.push(f),
            }
        }
        let parse = |session: &mut Session, paths: &[PathBuf]| {
            let mut items = Vec::new();
            let mut errors = Vec::new();
            for path in paths {
                match parser::parse_file(&mut session.sources, path) {
                    Ok(p) => items.extend(p.items),
                    Err(d) => errors.extend(d.0),
                }
            }
            if errors.is_empty() {
                Ok(items)
            } else {
                Err(Diagnostics(errors))
            }
        };
        let items = parse(self, &programs)?;
        // A program that does not check alone may need the facts (a REPL
        // relation declared by its facts only): then every file goes
        // through the grammar and the checker, which has the last word.
        let before = self.program.items.len();
        if self.add(items.clone()).is_err() {
            self.program.items.truncate(before);
            let rest: Vec<PathBuf> = facts.into_iter().map(|f| f.path).collect();
            let mut all = items;
            all.extend(parse(self, &rest)?);
            return self.add(all).map(|_| ());
        }
        trace(&format!(
            "programs checked {:.3}s",
            started.elapsed().as_secs_f64()
        ));
        let mut refused = Vec::new();
        for f in facts {
            if let Err(f) = self.stored.add(f, &self.schema) {
                refused.push(f.path);
            }
        }
        self.dirty = true;
        trace(&format!(
            "facts stored {:.3}s",
            started.elapsed().as_secs_f64()
        ));
        if !refused.is_empty() {
            let items = parse(self, &refused)?;
            self.add(items)?;
        }
        Ok(())
    }

    /// Adds items to the program once they check: against the schema
    /// already checked when they cannot change it (rules, facts, queries,
    /// directives), the whole program again when they can (a `.decl`, a
    /// `.type`, a REPL relation inferred from its heads). Nothing is kept
    /// when they fail.
    fn add(&mut self, items: Vec<Item>) -> Result<Vec<Item>, Diagnostics> {
        let before = self.program.items.len();
        self.program.items.extend(items.iter().cloned());
        let options = CheckOptions {
            infer_undeclared: self.infer_undeclared,
        };
        // Either the added items alone (their rules' types then join those
        // of the program checked before), or the whole program.
        let checked = match check_added(&self.program, &self.schema, &items, &options) {
            Some(result) => result.map(Checked::Added),
            None => check(&self.program, &options).map(Checked::Whole),
        };
        let checked = match checked {
            Ok(checked) => checked,
            Err(d) => {
                self.program.items.truncate(before);
                return Err(d);
            }
        };
        let changes_db = items.iter().any(|i| {
            !matches!(
                i,
                Item::Query(_) | Item::Assert(_) | Item::Export(_) | Item::Pragma(_)
            )
        });
        if changes_db {
            self.dirty = true;
        }
        match checked {
            Checked::Whole(whole) => {
                self.schema = whole.schema;
                self.rule_types = whole.rules;
            }
            Checked::Added(added) => self.rule_types.append(before, added),
        }
        self.origins.take();
        // Records are read, printed and lowered by the program's types.
        self.symbols.records.types = std::sync::Arc::new(self.schema.records.clone());
        Ok(items)
    }
}
