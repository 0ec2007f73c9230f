//! Regular expressions written in a program, checked before evaluation.
//!
//! Why: the engine can only say `invalid regular expression "[" in match`
//! when a bad pattern is first used, with no place; a literal pattern is
//! known the moment the rule is loaded, so its warning points at the
//! pattern inside the rule. (A pattern computed from data still gets the
//! engine's warning.)

use super::ast::{BuiltinPred, Expr, Item, Literal, Program};
use crate::diag::Diagnostic;

/// A warning for every literal `match` pattern that is not a valid
/// regular expression, at the pattern, in program order; with the
/// patterns themselves, so that the engine's unplaced warnings about them
/// can be dropped.
pub fn bad_patterns(program: &Program) -> Vec<(String, Diagnostic)> {
    let mut out = Vec::new();
    for item in &program.items {
        let bodies: Vec<&Vec<Literal>> = match item {
            Item::Rule(r) => r.body.iter().collect(),
            Item::Query(q) => q.body.iter().collect(),
            Item::Assert(a) => a.body.iter().collect(),
            _ => continue,
        };
        for body in bodies {
            literals(body, &mut out);
        }
    }
    out
}

fn literals(body: &[Literal], out: &mut Vec<(String, Diagnostic)>) {
    for lit in body {
        match lit {
            Literal::Builtin { pred, args, .. } => {
                if matches!(pred, BuiltinPred::Match | BuiltinPred::NotMatch)
                    && let Some(Expr::Str(pat, span)) = args.first()
                    && let Err(e) = regex::Regex::new(&format!("^(?:{pat})$"))
                {
                    let why = e.to_string();
                    let why = why.lines().last().unwrap_or("").trim().to_string();
                    let d = Diagnostic::error(
                        format!(
                            "invalid regular expression \"{pat}\" in match: it matches nothing"
                        ),
                        *span,
                    )
                    .warning()
                    .with_label(why);
                    out.push((pat.clone(), d));
                }
                args.iter().for_each(|a| exprs(a, out));
            }
            Literal::Compare { lhs, rhs, .. } => {
                exprs(lhs, out);
                exprs(rhs, out);
            }
            Literal::Atom(a) | Literal::Negated(a) => a.args.iter().for_each(|e| exprs(e, out)),
            Literal::Bool(..) => {}
        }
    }
}

fn exprs(e: &Expr, out: &mut Vec<(String, Diagnostic)>) {
    match e {
        Expr::Aggregate { body, target, .. } => {
            literals(body, out);
            if let Some(t) = target {
                exprs(t, out);
            }
        }
        Expr::Binary { lhs, rhs, .. } => {
            exprs(lhs, out);
            exprs(rhs, out);
        }
        Expr::Unary { arg, .. } => exprs(arg, out),
        Expr::Functor { args, .. } | Expr::Record(args, _) | Expr::Adt { args, .. } => {
            args.iter().for_each(|a| exprs(a, out))
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;

    #[test]
    fn a_bad_literal_pattern_is_placed_in_its_rule() {
        let mut sources = SourceMap::new();
        let text = ".decl s(x: symbol)\n.decl t(x: symbol)\nt(x) :- s(x), match(\"[a\", x).\nt(x) :- s(x), match(\"a.*\", x).\n";
        let program = crate::lang::parser::parse_source(&mut sources, "p.dl", text).unwrap();
        let found = bad_patterns(&program);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "[a");
        let shown = found[0].1.render(&sources);
        assert!(
            shown.starts_with("warning: invalid regular expression \"[a\""),
            "{shown}"
        );
        assert!(shown.contains("p.dl:3:21"), "{shown}");
    }
}
