//! Prints AST nodes back as program text.
//!
//! `:why` and `:whynot` explain a fact by asking the session the bodies of
//! the rules that could derive it, with the head's values substituted; they
//! build those questions as text (the one way into `Session::query`), so they
//! need the body literals written back in the language's own syntax. Also
//! used to show a rule step in a derivation tree.

use crate::engine::table::Value;
use crate::lang::ast::{Atom, BuiltinPred, Expr, Literal, UnOp};

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
        Expr::Record(args, _) => {
            let args: Vec<String> = args.iter().map(expr).collect();
            format!("[{}]", args.join(", "))
        }
        Expr::Nil(_) => "nil".to_string(),
        Expr::Adt { branch, args, .. } if args.is_empty() => format!("${}", branch.name),
        Expr::Adt { branch, args, .. } => {
            let args: Vec<String> = args.iter().map(expr).collect();
            format!("${}({})", branch.name, args.join(", "))
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
