//! Soufflé-like warnings: legal programs that are probably not what was
//! meant. They never fail a run; callers print them if they like.

use std::collections::HashMap;

use super::vars;
use crate::diag::Diagnostic;
use crate::lang::ast::{Ident, Item, Program};

/// A named variable that occurs once in a clause is usually a typo for
/// another variable; `_` (or a name starting with `_`) says "any value".
pub fn singleton_variables(program: &Program) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for item in &program.items {
        let Item::Rule(rule) = item else { continue };
        for conj in &rule.body {
            let mut names: Vec<&Ident> = Vec::new();
            for h in &rule.heads {
                for a in &h.args {
                    vars::deep_expr_vars(a, &mut names);
                }
            }
            for l in conj {
                vars::deep_literal_vars(l, &mut names);
            }
            let mut counts: HashMap<&str, (usize, &Ident)> = HashMap::new();
            for v in &names {
                counts.entry(v.name.as_str()).or_insert((0, v)).0 += 1;
            }
            let mut once: Vec<&Ident> = counts
                .values()
                .filter(|(n, v)| *n == 1 && !v.name.starts_with('_'))
                .map(|(_, v)| *v)
                .collect();
            once.sort_by_key(|v| v.span.start);
            for v in once {
                let d =
                    Diagnostic::error(format!("variable `{}` occurs only once", v.name), v.span)
                        .with_note("write `_` if any value will do")
                        .warning();
                if !out.contains(&d) {
                    out.push(d);
                }
            }
        }
    }
    out
}
