//! `:why` and `:whynot`: explaining a fact from the rules and facts loaded.
//!
//! The engine keeps no derivation records (that would cost memory on every
//! tuple of a national corpus); instead an explanation is recomputed on
//! demand. For a fact `r(v…)`, each rule with an `r` head is tried: the head
//! is matched against the values, the matched variables are replaced by
//! constants in the body, and the body is asked as a query. A row that comes
//! back names the body facts that derive it, and each of those is explained
//! the same way, down to stated facts (shown with their fact file line and
//! the document line). A fact already on the path being explained is not
//! used again, so recursive rules (`reaches`) cannot loop. `:whynot` asks
//! growing prefixes of each candidate body and reports the first literal
//! that no longer matches.

use super::pretty;
use crate::diag::{Diagnostics, Span};
use crate::engine::table::{Table, Value};
use crate::kb::provenance;
use crate::lang::ast::{Atom, CompareOp, Expr, Ident, Item, Literal, Query};
use crate::session::Session;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

/// How many queries one explanation may ask before it gives up (a guard
/// against pathological programs, far above what real derivations need).
const BUDGET: usize = 2_000;
/// Rows of one body tried before moving to the next rule.
const ROWS_TRIED: usize = 16;

/// A ground fact as text (`rel("a", 1)`): the key of the path being
/// explained (values hold floats, so they cannot be hashed themselves).
pub type Fact = String;

/// One candidate rule alternative with the head matched: the body to ask.
struct Candidate {
    /// `file:line` of the rule.
    at: String,
    /// The rule as written.
    text: String,
    /// Body literals with the head's variables replaced by constants.
    body: Vec<Literal>,
}

/// Resolves the fact pattern typed after `:why`/`:whynot` (`rel(args)`,
/// where args may be `_` or variables) into the matching rows of `rel`.
pub fn matching_facts(session: &mut Session, pattern: &str) -> Result<(String, Table), String> {
    let pattern = pattern.trim().trim_end_matches('.').trim();
    let Some(open) = pattern.find('(') else {
        return Err(format!(
            "error: expected a fact such as `rel(\"a\", 1)`, found `{pattern}`\n"
        ));
    };
    let rel = pattern[..open].trim().to_string();
    let Some(schema) = session.schema().relations.get(&rel).cloned() else {
        return Err(format!("error: unknown relation `{rel}`\n"));
    };
    let arity = schema.columns.len();
    let Some(inner) = pattern[open + 1..].strip_suffix(')') else {
        return Err(format!("error: expected `)` at the end of `{pattern}`\n"));
    };
    let args = split_args(inner);
    if args.len() != arity {
        return Err(format!(
            "error: arity mismatch: `{rel}` has {arity} columns, the pattern gives {}\n",
            args.len()
        ));
    }
    // Ask `rel(p0, …, pn), p0 = arg0, …` so every column comes back bound,
    // whatever the pattern leaves open (`_` or a variable).
    let render = |session: &Session, d: Diagnostics| d.render(session.sources());
    let parsed = session
        .parse_query(&format!("?- {pattern}."))
        .map_err(|d| render(session, d))?;
    let atom = match parsed.body.as_slice() {
        [alt] => match alt.as_slice() {
            [Literal::Atom(a)] if a.relation.name == rel && a.args.len() == arity => {
                Some(a.clone())
            }
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| {
        format!("error: expected a fact such as `rel(\"a\", 1)`, found `{pattern}`\n")
    })?;
    let names: Vec<String> = (0..arity).map(|i| format!("why_p{i}")).collect();
    let var = |i: usize, span: Span| {
        Expr::Var(Ident {
            name: names[i].clone(),
            span,
        })
    };
    let mut body = vec![Literal::Atom(Atom {
        relation: atom.relation.clone(),
        args: (0..arity).map(|i| var(i, atom.span)).collect(),
        span: atom.span,
    })];
    let mut vars: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, arg) in atom.args.iter().enumerate() {
        let same = |rhs: Expr| Literal::Compare {
            op: CompareOp::Eq,
            lhs: var(i, arg.span()),
            rhs,
            span: arg.span(),
        };
        match arg {
            Expr::Wildcard(_) => {}
            Expr::Var(id) => match vars.get(id.name.as_str()) {
                Some(&j) => body.push(same(var(j, arg.span()))),
                None => {
                    vars.insert(&id.name, i);
                }
            },
            other => body.push(same(other.clone())),
        }
    }
    let table = ask_body(session, &body).map_err(|d| render(session, d))?;
    let rows = table
        .rows
        .iter()
        .map(|r| {
            names
                .iter()
                .map(|n| {
                    let i = table.columns.iter().position(|c| c == n).unwrap_or(0);
                    r.get(i).cloned().unwrap_or(Value::Number(0))
                })
                .collect()
        })
        .collect();
    Ok((
        rel,
        Table {
            name: pattern.to_string(),
            columns: schema.columns.clone(),
            types: schema.types.clone(),
            rows,
        },
    ))
}

/// Splits the arguments of a fact pattern at top-level commas (not inside
/// strings or parentheses).
pub fn split_args(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut in_str, mut escaped, mut start) = (0i32, false, false, 0);
    for (i, c) in text.char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = text[start..].trim();
    if !last.is_empty() || !out.is_empty() {
        out.push(last);
    }
    out
}

/// True when Ctrl-C stopped the last query (the flag stays set until the
/// next query starts).
fn cancelled(session: &Session) -> bool {
    session
        .cancel_flag()
        .load(std::sync::atomic::Ordering::SeqCst)
}

/// Explains one fact as an indented derivation tree.
pub fn why(session: &mut Session, rel: &str, row: &[Value]) -> String {
    let mut out = String::new();
    let mut budget = BUDGET;
    let mut path = HashSet::new();
    match derive(session, rel, row, &mut path, &mut budget) {
        Some(node) => node.render(&mut out, 0),
        None => {
            let _ = writeln!(
                out,
                "{} does not hold (try :whynot)",
                pretty::ground_atom(rel, row)
            );
        }
    }
    if cancelled(session) {
        let _ = writeln!(out, "(explanation interrupted)");
    } else if budget == 0 {
        let _ = writeln!(out, "(explanation cut short: too many steps)");
    }
    out
}

/// A derivation tree.
enum Node {
    /// A stated fact and where it was stated.
    Stated { fact: String, origin: String },
    /// Derived by a rule from the children.
    Derived {
        fact: String,
        rule_at: String,
        rule: String,
        children: Vec<Node>,
    },
    /// A literal that holds without facts: a comparison, a builtin, a
    /// negation (holds because no such fact exists).
    Check(String),
}

impl Node {
    /// Renders what makes the fact hold, without the fact itself (the
    /// caller has just named it).
    fn render_reasons(&self, out: &mut String, depth: usize) {
        let pad = "  ".repeat(depth);
        match self {
            Node::Stated { origin, .. } => {
                let _ = writeln!(out, "{pad}fact at {origin}");
            }
            Node::Derived {
                rule_at,
                rule,
                children,
                ..
            } => {
                let _ = writeln!(out, "{pad}by rule {rule_at}: {rule}");
                for c in children {
                    c.render(out, depth + 1);
                }
            }
            Node::Check(text) => {
                let _ = writeln!(out, "{pad}{text}");
            }
        }
    }

    fn render(&self, out: &mut String, depth: usize) {
        let pad = "  ".repeat(depth);
        match self {
            Node::Stated { fact, origin } => {
                let _ = writeln!(out, "{pad}{fact}");
                let _ = writeln!(out, "{pad}  fact at {origin}");
            }
            Node::Derived {
                fact,
                rule_at,
                rule,
                children,
            } => {
                let _ = writeln!(out, "{pad}{fact}");
                let _ = writeln!(out, "{pad}  by rule {rule_at}: {rule}");
                for c in children {
                    c.render(out, depth + 2);
                }
            }
            Node::Check(text) => {
                let _ = writeln!(out, "{pad}{text}");
            }
        }
    }
}

fn derive(
    session: &mut Session,
    rel: &str,
    row: &[Value],
    path: &mut HashSet<Fact>,
    budget: &mut usize,
) -> Option<Node> {
    let fact = pretty::ground_atom(rel, row);
    if let Some(origin) = session.fact_provenance(rel, row) {
        return Some(Node::Stated {
            fact,
            origin: origin.to_string(),
        });
    }
    let key: Fact = fact.clone();
    if !path.insert(key.clone()) {
        return None;
    }
    let result = derive_by_rules(session, rel, row, &fact, path, budget);
    path.remove(&key);
    if result.is_none() && !has_rules(session, rel) && *budget > 0 {
        // Loaded from an .input file or another source without a span.
        if holds(session, rel, row) {
            return Some(Node::Stated {
                fact,
                origin: "input data (no source line recorded)".into(),
            });
        }
    }
    result
}

fn has_rules(session: &Session, rel: &str) -> bool {
    session
        .program()
        .items
        .iter()
        .any(|item| matches!(item, Item::Rule(r) if r.heads.iter().any(|h| h.relation.name == rel)))
}

fn derive_by_rules(
    session: &mut Session,
    rel: &str,
    row: &[Value],
    fact: &str,
    path: &mut HashSet<Fact>,
    budget: &mut usize,
) -> Option<Node> {
    let pattern: Vec<Option<Value>> = row.iter().cloned().map(Some).collect();
    for cand in candidates(session, rel, &pattern) {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        let Ok(table) = ask_body(session, &cand.body) else {
            if cancelled(session) {
                // Ctrl-C: the next query would clear the flag, so stop here.
                *budget = 0;
                return None;
            }
            continue;
        };
        'rows: for r in table.rows.iter().take(ROWS_TRIED) {
            let bindings: BTreeMap<&str, &Value> = table
                .columns
                .iter()
                .map(String::as_str)
                .zip(r.iter())
                .collect();
            let mut children = Vec::new();
            for lit in &cand.body {
                match lit {
                    Literal::Atom(a) => {
                        let Some(values) = ground(a, &bindings) else {
                            children.push(Node::Check(pretty::literal(lit)));
                            continue;
                        };
                        match derive(session, &a.relation.name, &values, path, budget) {
                            Some(node) => children.push(node),
                            None => continue 'rows,
                        }
                    }
                    other => {
                        let text = pretty::literal(&substitute_lit(other, &as_exprs(&bindings)));
                        children.push(Node::Check(format!("✓ {text}")));
                    }
                }
            }
            return Some(Node::Derived {
                fact: fact.to_string(),
                rule_at: cand.at.clone(),
                rule: cand.text.clone(),
                children,
            });
        }
    }
    None
}

/// Every rule alternative whose head can produce `row`, with the head
/// variables replaced by the row's values and wildcards of positive atoms
/// given names (so the row that comes back says what they were).
fn candidates(session: &Session, rel: &str, row: &[Option<Value>]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for item in &session.program().items {
        let Item::Rule(rule) = item else { continue };
        let at = {
            let pos = session.sources().position(rule.span);
            pos.rsplit_once(':')
                .map(|(p, _)| p.to_string())
                .unwrap_or(pos)
        };
        let text = session
            .sources()
            .snippet(rule.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for head in rule.heads.iter().filter(|h| h.relation.name == rel) {
            if head.args.len() != row.len() {
                continue;
            }
            for alt in &rule.body {
                let mut subst: BTreeMap<String, Expr> = BTreeMap::new();
                let mut extra = Vec::new();
                let mut ok = true;
                for (arg, v) in head.args.iter().zip(row) {
                    // A column the pattern leaves open (`_`) binds nothing.
                    let Some(v) = v else { continue };
                    let c = constant(v, arg.span());
                    match arg {
                        Expr::Var(id) => match subst.get(&id.name) {
                            Some(prev) if pretty::expr(prev) != pretty::expr(&c) => ok = false,
                            _ => {
                                subst.insert(id.name.clone(), c);
                            }
                        },
                        Expr::Wildcard(_) => {}
                        Expr::Str(..) | Expr::Number(..) | Expr::Unsigned(..) | Expr::Float(..) => {
                            if pretty::expr(arg) != pretty::expr(&c) {
                                ok = false;
                            }
                        }
                        other => extra.push(Literal::Compare {
                            op: CompareOp::Eq,
                            lhs: other.clone(),
                            rhs: c,
                            span: other.span(),
                        }),
                    }
                }
                if !ok {
                    continue;
                }
                let mut fresh = 0;
                let mut body: Vec<Literal> = alt
                    .iter()
                    .map(|l| name_wildcards(&substitute_lit(l, &subst), &mut fresh))
                    .collect();
                body.extend(extra.iter().map(|l| substitute_lit(l, &subst)));
                out.push(Candidate {
                    at: at.clone(),
                    text: text.clone(),
                    body,
                });
            }
        }
    }
    out
}

/// Asks a conjunction built here as AST, with the spans of the rule it
/// came from: nothing is printed as text to be parsed back. An empty body
/// holds once (`?- true.`).
fn ask_body(session: &mut Session, body: &[Literal]) -> Result<Table, Diagnostics> {
    let body = match body {
        [] => vec![Literal::Bool(true, Span::default())],
        _ => body.to_vec(),
    };
    session.ask(&Query {
        body: vec![body],
        span: Span::default(),
    })
}

/// Whether the ground fact `rel(row…)` holds.
fn holds(session: &mut Session, rel: &str, row: &[Value]) -> bool {
    let atom = Atom {
        relation: Ident {
            name: rel.to_string(),
            span: Span::default(),
        },
        args: row.iter().map(|v| constant(v, Span::default())).collect(),
        span: Span::default(),
    };
    ask_body(session, &[Literal::Atom(atom)]).is_ok_and(|t| !t.rows.is_empty())
}

fn constant(v: &Value, span: Span) -> Expr {
    match v {
        Value::Symbol(s) => Expr::Str(s.clone(), span),
        Value::Number(n) => Expr::Number(*n, span),
        Value::Unsigned(n) => Expr::Unsigned(*n, span),
        Value::Float(x) => Expr::Float(*x, span),
    }
}

fn as_exprs(bindings: &BTreeMap<&str, &Value>) -> BTreeMap<String, Expr> {
    bindings
        .iter()
        .map(|(k, v)| (k.to_string(), constant(v, Default::default())))
        .collect()
}

/// The values of an atom under the bindings, when every argument is a
/// variable or a constant.
fn ground(a: &Atom, bindings: &BTreeMap<&str, &Value>) -> Option<Vec<Value>> {
    a.args
        .iter()
        .map(|e| match e {
            Expr::Var(id) => bindings.get(id.name.as_str()).map(|v| (*v).clone()),
            Expr::Str(s, _) => Some(Value::Symbol(s.clone())),
            Expr::Number(n, _) => Some(Value::Number(*n)),
            Expr::Unsigned(n, _) => Some(Value::Unsigned(*n)),
            Expr::Float(x, _) => Some(Value::Float(*x)),
            _ => None,
        })
        .collect()
}

fn substitute_lit(l: &Literal, s: &BTreeMap<String, Expr>) -> Literal {
    match l {
        Literal::Atom(a) => Literal::Atom(substitute_atom(a, s)),
        Literal::Negated(a) => Literal::Negated(substitute_atom(a, s)),
        Literal::Compare { op, lhs, rhs, span } => Literal::Compare {
            op: *op,
            lhs: substitute(lhs, s),
            rhs: substitute(rhs, s),
            span: *span,
        },
        Literal::Builtin { pred, args, span } => Literal::Builtin {
            pred: *pred,
            args: args.iter().map(|e| substitute(e, s)).collect(),
            span: *span,
        },
        Literal::Bool(b, span) => Literal::Bool(*b, *span),
    }
}

fn substitute_atom(a: &Atom, s: &BTreeMap<String, Expr>) -> Atom {
    Atom {
        relation: a.relation.clone(),
        args: a.args.iter().map(|e| substitute(e, s)).collect(),
        span: a.span,
    }
}

fn substitute(e: &Expr, s: &BTreeMap<String, Expr>) -> Expr {
    match e {
        Expr::Var(id) => s.get(&id.name).cloned().unwrap_or_else(|| e.clone()),
        Expr::Binary { op, lhs, rhs, span } => Expr::Binary {
            op: *op,
            lhs: Box::new(substitute(lhs, s)),
            rhs: Box::new(substitute(rhs, s)),
            span: *span,
        },
        Expr::Unary { op, arg, span } => Expr::Unary {
            op: *op,
            arg: Box::new(substitute(arg, s)),
            span: *span,
        },
        Expr::Functor { func, args, span } => Expr::Functor {
            func: *func,
            args: args.iter().map(|a| substitute(a, s)).collect(),
            span: *span,
        },
        Expr::Aggregate {
            kind,
            target,
            body,
            span,
        } => Expr::Aggregate {
            kind: *kind,
            target: target.as_ref().map(|t| Box::new(substitute(t, s))),
            body: body.iter().map(|l| substitute_lit(l, s)).collect(),
            span: *span,
        },
        other => other.clone(),
    }
}

/// Rewrites every argument of a positive atom; other literals stay as they are.
fn map_atom_args(l: &Literal, mut f: impl FnMut(&Expr) -> Expr) -> Literal {
    match l {
        Literal::Atom(a) => Literal::Atom(Atom {
            relation: a.relation.clone(),
            args: a.args.iter().map(&mut f).collect(),
            span: a.span,
        }),
        other => other.clone(),
    }
}

/// Gives each `_` of a positive atom a fresh name, so the query's answer
/// binds it and the body fact can be explained in turn.
fn name_wildcards(l: &Literal, fresh: &mut usize) -> Literal {
    map_atom_args(l, |e| match e {
        Expr::Wildcard(span) => {
            *fresh += 1;
            Expr::Var(Ident {
                name: format!("why_w{fresh}"),
                span: *span,
            })
        }
        other => other.clone(),
    })
}

/// Turns the names given by [`name_wildcards`] back into `_` for display.
fn unname_wildcards(l: &Literal) -> Literal {
    map_atom_args(l, |e| match e {
        Expr::Var(id) if id.name.starts_with("why_w") => Expr::Wildcard(id.span),
        other => other.clone(),
    })
}

/// The values of a pattern typed after `:whynot` (`rel("a", _, 2)`), typed
/// by the relation's columns: `None` for `_` or a variable (an open
/// column), `Some` for a constant. `None` overall when the pattern is not
/// of that shape (the caller has already reported why).
pub fn pattern_values(session: &Session, rel: &str, pattern: &str) -> Option<Vec<Option<Value>>> {
    use crate::engine::table::ColumnType;
    let schema = session.schema().relations.get(rel)?;
    let inner = pattern.trim().trim_end_matches('.').trim();
    let inner = inner.get(inner.find('(')? + 1..)?.strip_suffix(')')?;
    let args = split_args(inner);
    if args.len() != schema.types.len() {
        return None;
    }
    let open = |a: &str| {
        a.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && a.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    args.iter()
        .zip(&schema.types)
        .map(|(a, t)| {
            if open(a) {
                return Some(None);
            }
            let v = match t {
                ColumnType::Symbol => {
                    let s = a.strip_prefix('"')?.strip_suffix('"')?;
                    Value::Symbol(s.replace("\\\"", "\"").replace("\\\\", "\\"))
                }
                ColumnType::Number => Value::Number(a.parse().ok()?),
                ColumnType::Unsigned => Value::Unsigned(a.trim_end_matches('u').parse().ok()?),
                ColumnType::Float => Value::Float(a.parse().ok()?),
                ColumnType::Record(_) => return None,
            };
            Some(Some(v))
        })
        .collect()
}

/// The pattern as text, `_` where a column is open.
fn pattern_text(rel: &str, row: &[Option<Value>]) -> String {
    let args: Vec<String> = row
        .iter()
        .map(|v| v.as_ref().map_or("_".to_string(), pretty::value))
        .collect();
    format!("{rel}({})", args.join(", "))
}

/// True when a stated atom (constants only) agrees with the pattern.
fn agrees(a: &Atom, row: &[Option<Value>]) -> bool {
    let empty = BTreeMap::new();
    ground(a, &empty).is_some_and(|values| {
        values.len() == row.len()
            && values
                .iter()
                .zip(row)
                .all(|(v, p)| p.as_ref().is_none_or(|p| p == v))
    })
}

/// `file:line` of a span, with the document line when the fact file names
/// one.
fn origin(session: &Session, span: Span) -> String {
    provenance(session.sources(), span)
        .map(|p| p.to_string())
        .unwrap_or_else(|| session.sources().position(span))
}

/// Facts matching the pattern that a file states and a `!fact.` retracts:
/// each as "`fact` is stated at … and retracted at …".
fn retractions(session: &Session, rel: &str, row: &[Option<Value>]) -> Vec<String> {
    let items = &session.program().items;
    let mut out = Vec::new();
    for item in items {
        let Item::Retract(r) = item else { continue };
        if r.relation.name != rel || !agrees(r, row) {
            continue;
        }
        let fact = pretty::atom(r);
        let mut stated: Vec<String> = items
            .iter()
            .filter_map(|i| match i {
                Item::Fact(a) if a.relation.name == rel && pretty::atom(a) == fact => {
                    Some(origin(session, a.span))
                }
                _ => None,
            })
            .collect();
        // Fact files are loaded straight into rows, without program items:
        // the stored rows keep their file and line.
        if stated.is_empty()
            && let Some(values) = ground(r, &BTreeMap::new())
            && let Some(p) = session.fact_provenance(rel, &values)
        {
            stated.push(p.to_string());
        }
        let retracted = origin(session, r.span);
        out.push(if stated.is_empty() {
            format!("{fact} is retracted at {retracted} (and stated in no loaded file)")
        } else {
            format!(
                "{fact} is stated at {} but retracted by `!{fact}.` at {retracted}",
                stated.join(", ")
            )
        });
    }
    out
}

/// Explains why a fact (or a pattern with `_`) does not hold: a `!fact.`
/// that retracted it, and for each rule that could derive it, the first
/// body literal that fails once the literals before it are satisfied. A
/// negation that fails is told in positive words: the fact that holds, and
/// where it comes from.
pub fn why_not(session: &mut Session, rel: &str, row: &[Option<Value>]) -> String {
    why_not_at(session, rel, row, 0, &mut HashSet::new())
}

/// How deep `:whynot` follows a derived literal that has no match.
const WHYNOT_DEPTH: usize = 4;

/// [`why_not`] indented by `depth` levels (a derived body literal with no
/// match is explained in turn, one level deeper).
/// `shown` holds the facts already explained, so a negation that blocks
/// several rules is derived once.
fn why_not_at(
    session: &mut Session,
    rel: &str,
    row: &[Option<Value>],
    depth: usize,
    shown: &mut HashSet<Fact>,
) -> String {
    let text = why_not_here(session, rel, row, depth, shown);
    // Each nested explanation sits one step inside the one that asked.
    let pad = if depth > 0 { "    " } else { "" };
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

fn why_not_here(
    session: &mut Session,
    rel: &str,
    row: &[Option<Value>],
    depth: usize,
    shown: &mut HashSet<Fact>,
) -> String {
    let fact = pattern_text(rel, row);
    let mut out = String::new();
    if let Some(values) = row.iter().cloned().collect::<Option<Vec<Value>>>() {
        if holds(session, rel, &values) {
            let _ = writeln!(out, "{fact} holds (see :why)");
            return out;
        }
        debug_assert_eq!(pretty::ground_atom(rel, &values), fact);
    }
    let retracted = retractions(session, rel, row);
    let cands = candidates(session, rel, row);
    if cands.is_empty() && retracted.is_empty() {
        let _ = writeln!(
            out,
            "{fact} is not stated in any loaded file, and no rule derives `{rel}` facts of this shape"
        );
        return out;
    }
    let _ = writeln!(out, "{fact} does not hold:");
    for r in &retracted {
        let _ = writeln!(out, "  {r}");
    }
    for cand in cands {
        let mut blocker = None;
        for i in 0..cand.body.len() {
            let prefix = &cand.body[..=i];
            match ask_body(session, prefix) {
                Ok(t) if t.rows.is_empty() => {
                    blocker = Some(i);
                    break;
                }
                Err(_) if cancelled(session) => {
                    let _ = writeln!(out, "(interrupted)");
                    return out;
                }
                // Holds, or cannot be asked alone yet (a filter whose
                // variables come later): look further.
                _ => {}
            }
        }
        match blocker {
            Some(i) => {
                let _ = writeln!(out, "  rule {}: {}", cand.at, cand.text);
                out.push_str(&blocked(session, &cand.body, i, depth, shown));
            }
            None => {
                let _ = writeln!(
                    out,
                    "  rule {}: the body matches but not with these values\n    {}",
                    cand.at, cand.text
                );
            }
        }
    }
    out
}

/// Why literal `i` of `body` fails after the ones before it hold: an atom
/// with no match, or a negated atom that holds (shown with its derivation).
fn blocked(
    session: &mut Session,
    body: &[Literal],
    i: usize,
    depth: usize,
    shown: &mut HashSet<Fact>,
) -> String {
    let mut out = String::new();
    let lit = &body[i];
    // The literals before it hold: their rows bind its variables.
    let before = &body[..i];
    let rows = if before.is_empty() {
        Ok(Table {
            rows: vec![Vec::new()],
            ..Table::default()
        })
    } else {
        ask_body(session, before)
    };
    let Literal::Negated(atom) = lit else {
        let _ = writeln!(
            out,
            "    no `{}` fact matches `{}`",
            literal_rel(lit),
            pretty::literal(&unname_wildcards(lit))
        );
        // A derived atom: say in turn why it has no match.
        if let (Literal::Atom(a), Ok(table)) = (lit, &rows)
            && depth < WHYNOT_DEPTH
            && has_rules(session, &a.relation.name)
            && let Some(r) = table.rows.first()
        {
            let bindings: BTreeMap<&str, &Value> = table
                .columns
                .iter()
                .map(String::as_str)
                .zip(r.iter())
                .collect();
            let open: Vec<Option<Value>> = a
                .args
                .iter()
                .map(|e| ground(&single(e), &bindings).and_then(|mut v| v.pop()))
                .collect();
            out.push_str(&why_not_at(
                session,
                &a.relation.name,
                &open,
                depth + 1,
                shown,
            ));
        }
        return out;
    };
    let Ok(table) = rows else {
        let _ = writeln!(out, "    {} holds", pretty::atom(atom));
        return out;
    };
    let mut found = 0;
    for r in table.rows.iter().take(ROWS_TRIED) {
        let bindings: BTreeMap<&str, &Value> = table
            .columns
            .iter()
            .map(String::as_str)
            .zip(r.iter())
            .collect();
        let Some(values) = ground(atom, &bindings) else {
            continue;
        };
        let fact = pretty::ground_atom(&atom.relation.name, &values);
        if shown.contains(&fact) {
            let _ = writeln!(out, "    {fact} holds (as above)");
            found += 1;
            break;
        }
        let mut budget = BUDGET;
        let mut path = HashSet::new();
        let Some(node) = derive(
            session,
            &atom.relation.name,
            &values,
            &mut path,
            &mut budget,
        ) else {
            continue;
        };
        let _ = writeln!(out, "    {fact} holds:");
        node.render_reasons(&mut out, 3);
        shown.insert(fact);
        found += 1;
        break;
    }
    if found == 0 {
        let _ = writeln!(
            out,
            "    {} holds",
            pretty::atom(&substitute_atom(atom, &BTreeMap::new()))
        );
    }
    out
}

/// A one-argument atom holding `e`, to ground a single term with [`ground`].
fn single(e: &Expr) -> Atom {
    Atom {
        relation: Ident {
            name: String::new(),
            span: e.span(),
        },
        args: vec![e.clone()],
        span: e.span(),
    }
}

/// The relation a literal reads ("" for a comparison).
fn literal_rel(l: &Literal) -> &str {
    match l {
        Literal::Atom(a) | Literal::Negated(a) => &a.relation.name,
        _ => "",
    }
}
