//! Prints AST nodes back as program text.
//!
//! `:why` and `:whynot` explain a fact by asking the session the bodies of
//! the rules that could derive it, with the head's values substituted; they
//! build those questions as text (the one way into `Session::query`), so they
//! need the body literals written back in the language's own syntax. Also
//! used to show a rule step in a derivation tree.

use crate::engine::table::Value;
use crate::lang::ast::{Atom, BuiltinPred, Expr, Literal, UnOp};

/// A statement's text as written, without the comments and blank lines
/// that follow it (a directive's span runs up to the next statement).
pub fn written(text: &str) -> String {
    let mut lines: Vec<&str> = text.trim().lines().collect();
    while lines
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with("//"))
    {
        lines.pop();
    }
    lines.join("\n").trim().to_string()
}

/// A statement's text on one line: comments dropped and runs of blanks
/// (line breaks included) folded to one space outside strings, so that an
/// assertion spread over lines still makes one `FAIL …`/`ok …` line.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.trim().chars().peekable();
    let mut blank = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                if blank && !out.is_empty() {
                    out.push(' ');
                }
                blank = false;
                out.push('"');
                while let Some(d) = chars.next() {
                    out.push(d);
                    match d {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                out.push(e);
                            }
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
                blank = true;
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for d in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
                blank = true;
            }
            c if c.is_whitespace() => blank = true,
            c => {
                if blank && !out.is_empty() {
                    out.push(' ');
                }
                blank = false;
                out.push(c);
            }
        }
    }
    out
}

/// A string literal with `"` and `\` escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A value as a constant of the language.
pub fn value(v: &Value) -> String {
    match v {
        Value::Symbol(s) => quote(s),
        Value::Number(n) => n.to_string(),
        Value::Unsigned(n) => format!("{n}u"),
        Value::Float(x) => {
            let s = x.to_string();
            if s.contains('.') { s } else { format!("{s}.0") }
        }
    }
}

/// `rel(v1, v2)` for a ground row.
pub fn ground_atom(rel: &str, row: &[Value]) -> String {
    let args: Vec<String> = row.iter().map(value).collect();
    format!("{rel}({})", args.join(", "))
}

/// An atom.
pub fn atom(a: &Atom) -> String {
    let args: Vec<String> = a.args.iter().map(expr).collect();
    format!("{}({})", a.relation.name, args.join(", "))
}

/// A body literal.
pub fn literal(l: &Literal) -> String {
    match l {
        Literal::Atom(a) => atom(a),
        Literal::Negated(a) => format!("!{}", atom(a)),
        Literal::Compare { op, lhs, rhs, .. } => {
            format!("{} {} {}", expr(lhs), op.symbol(), expr(rhs))
        }
        Literal::Builtin { pred, args, .. } => {
            let name = match pred {
                BuiltinPred::Contains => "contains",
                BuiltinPred::Match => "match",
                BuiltinPred::NotContains => "!contains",
                BuiltinPred::NotMatch => "!match",
            };
            let args: Vec<String> = args.iter().map(expr).collect();
            format!("{name}({})", args.join(", "))
        }
        Literal::Bool(b, _) => b.to_string(),
    }
}

/// A conjunction.
pub fn conjunction(body: &[Literal]) -> String {
    body.iter().map(literal).collect::<Vec<_>>().join(", ")
}

/// An expression, fully parenthesised where operators nest.
pub fn expr(e: &Expr) -> String {
    match e {
        Expr::Var(id) => id.name.clone(),
        Expr::Wildcard(_) => "_".to_string(),
        Expr::Str(s, _) => quote(s),
        Expr::Number(n, _) => n.to_string(),
        Expr::Unsigned(n, _) => format!("{n}u"),
        Expr::Float(x, _) => value(&Value::Float(*x)),
        Expr::Binary { op, lhs, rhs, .. } => {
            format!("({} {} {})", expr(lhs), op.symbol(), expr(rhs))
        }
        Expr::Unary { op, arg, .. } => match op {
            UnOp::Neg => format!("-({})", expr(arg)),
            UnOp::BitNot => format!("bnot {}", expr(arg)),
            UnOp::LogNot => format!("lnot {}", expr(arg)),
        },
        Expr::Functor { func, args, .. } => {
            let args: Vec<String> = args.iter().map(expr).collect();
            format!("{}({})", func.name(), args.join(", "))
        }
        Expr::Aggregate {
            kind, target, body, ..
        } => {
            let name = kind.keyword();
            match target {
                Some(t) => format!("{name} {} : {{ {} }}", expr(t), conjunction(body)),
                None => format!("{name} : {{ {} }}", conjunction(body)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use crate::lang::ast::Ident;

    fn id(n: &str) -> Ident {
        Ident {
            name: n.into(),
            span: Span::default(),
        }
    }

    #[test]
    fn written_text_drops_trailing_comments() {
        assert_eq!(
            written(".assert empty r(_)\n\n// next check\n"),
            ".assert empty r(_)"
        );
        assert_eq!(written("?- a(x),\n   b(x)."), "?- a(x),\n   b(x).");
    }

    #[test]
    fn one_line_folds_blanks_and_comments_outside_strings() {
        assert_eq!(
            one_line(".assert empty e(x),\n   // why\n   x = \"a  // b\", /* c */ y = \"\\\"\"\n"),
            ".assert empty e(x), x = \"a  // b\", y = \"\\\"\""
        );
    }

    #[test]
    fn prints_literals_back() {
        let a = Atom {
            relation: id("measure"),
            args: vec![
                Expr::Var(id("a")),
                Expr::Wildcard(Span::default()),
                Expr::Str("say \"暗号\"".into(), Span::default()),
                Expr::Number(-3, Span::default()),
            ],
            span: Span::default(),
        };
        assert_eq!(
            literal(&Literal::Negated(a)),
            r#"!measure(a, _, "say \"暗号\"", -3)"#
        );
        assert_eq!(
            ground_atom("r", &[Value::Symbol("x".into()), Value::Number(2)]),
            r#"r("x", 2)"#
        );
    }
}
