//! rustyline glue: tab completion of `:commands`, relation names, column
//! names and whole argument lists (`flow(` + Tab gives every column), and
//! file paths for `:load`, `:export` and `:output`.

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

/// What completion offers; refreshed by the driver after each input.
#[derive(Default)]
pub struct ReplHelper {
    /// Relation names.
    pub relations: Vec<String>,
    /// Column names per relation.
    pub columns: Vec<(String, Vec<String>)>,
    /// Paths, for the file arguments of `:load` and `:export`.
    files: FilenameCompleter,
}

/// Is `c` part of an identifier (relation, variable, command)?
fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == ':' || c == '-'
}

impl ReplHelper {
    /// The candidates for the word ending at `pos`, and where it starts.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let before = &line[..pos];
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !ident_char(*c))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let word = &before[start..];
        let mut out: Vec<String> = Vec::new();
        if start == 0 && word.starts_with(':') {
            out.extend(
                super::COMMANDS
                    .iter()
                    .map(|(c, _)| c.to_string())
                    .filter(|c| c.starts_with(word)),
            );
            return (start, out);
        }
        // Inside `rel(…`: offer that relation's column names first; right
        // after the `(`, the whole argument list at once.
        if let Some(rel) = enclosing_relation(before)
            && let Some((_, cols)) = self.columns.iter().find(|(r, _)| *r == rel)
        {
            if before.ends_with('(') {
                return (start, vec![format!("{})", cols.join(", "))]);
            }
            out.extend(cols.iter().filter(|c| c.starts_with(word)).cloned());
        }
        out.extend(
            self.relations
                .iter()
                .filter(|r| r.starts_with(word))
                .cloned(),
        );
        out.dedup();
        (start, out)
    }
}

/// Is the cursor on a file argument: `:load FILE`, `:export rel FILE`?
fn file_argument(before: &str) -> bool {
    let words = before.split_whitespace().count();
    let typing_new_word = before.ends_with(char::is_whitespace);
    let position = if typing_new_word { words + 1 } else { words };
    ((before.starts_with(":load ") || before.starts_with(":output ")) && position == 2)
        || (before.starts_with(":export ") && position == 3)
}

/// The relation whose argument list the cursor is in, if any.
fn enclosing_relation(before: &str) -> Option<String> {
    let mut depth = 0i32;
    let mut in_str = false;
    let chars: Vec<(usize, char)> = before.char_indices().collect();
    let mut open = None;
    for &(i, c) in &chars {
        match c {
            '"' => in_str = !in_str,
            '(' if !in_str => {
                depth += 1;
                open = Some((i, depth));
            }
            ')' if !in_str => depth -= 1,
            _ => {}
        }
    }
    let (i, d) = open?;
    if d != depth || depth <= 0 {
        return None;
    }
    let name: String = before[..i]
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!name.is_empty()).then_some(name)
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        if file_argument(&line[..pos]) {
            return self.files.complete_path(line, pos);
        }
        let (start, words) = self.candidates(line, pos);
        Ok((
            start,
            words
                .into_iter()
                .map(|w| Pair {
                    display: w.clone(),
                    replacement: w,
                })
                .collect(),
        ))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Highlighter for ReplHelper {}

// Every line is accepted as typed: the driver collects the lines of an open
// statement itself, with a `...>` prompt for each (rustyline's own
// multi-line editing shows no prompt on continuation lines).
impl Validator for ReplHelper {}

impl Helper for ReplHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn helper() -> ReplHelper {
        ReplHelper {
            relations: vec!["flow".into(), "flow_lacks".into(), "file".into()],
            columns: vec![("flow".into(), vec!["a".into(), "from".into(), "to".into()])],
            ..ReplHelper::default()
        }
    }

    #[test]
    fn completes_commands_relations_and_columns() {
        let h = helper();
        assert_eq!(
            h.candidates(":wh", 3),
            (0, vec![":why".into(), ":whynot".into()])
        );
        assert_eq!(
            h.candidates("?- flo", 6),
            (3, vec!["flow".into(), "flow_lacks".into()])
        );
        assert_eq!(h.candidates("?- flow(a, fr", 13), (11, vec!["from".into()]));
        assert_eq!(
            h.candidates("?- flow(", 8),
            (8, vec!["a, from, to)".into()])
        );
        assert!(file_argument(":load qu"));
        assert!(file_argument(":export flow "));
        assert!(!file_argument(":export fl"));
        assert!(!file_argument("?- flow("));
    }
}
