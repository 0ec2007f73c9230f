//! Declarations: `.type`s reduced to primitives, `.decl`s turned into
//! relation schemas, and (for the REPL) schemas inferred for relations that
//! are defined by rules but never declared.

use std::collections::{BTreeMap, HashMap};

use super::typing::{Pending, Relations, Ty, Typer};
use crate::diag::{Diagnostic, Span};
use crate::lang::ast::{Atom, Column, Expr, Item, Program, TypeDecl, TypeDef};
use crate::lang::record_types::{Branch, Field, RecordKind, RecordType, RecordTypes};
use crate::lang::schema::{RelationSchema, Schema, primitive};
use crate::lang::types::ColumnType;

/// Resolves every `.type` to its primitive.
pub fn resolve_types(
    program: &Program,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, ColumnType> {
    let mut decls: HashMap<&str, &TypeDecl> = HashMap::new();
    for item in &program.items {
        if let Item::Type(t) = item {
            if primitive(&t.name.name).is_some() {
                errors.push(Diagnostic::error(
                    format!(
                        "type `{}` is predefined and cannot be declared",
                        t.name.name
                    ),
                    t.name.span,
                ));
            } else if decls.insert(&t.name.name, t).is_some() {
                errors.push(
                    Diagnostic::error(
                        format!("type `{}` declared twice", t.name.name),
                        t.name.span,
                    )
                    .with_label("declared again here"),
                );
            }
        }
    }
    let mut resolved = BTreeMap::new();
    // Record types and ADTs are types of their own, numbered in source
    // order; known before anything else so that fields may refer to them.
    for (i, t) in structured(program).enumerate() {
        resolved.insert(t.name.name.clone(), ColumnType::Record(i as u32));
    }
    let mut order: Vec<&&TypeDecl> = decls.values().collect();
    order.sort_by_key(|t| t.span.start);
    for t in order {
        let mut visiting = Vec::new();
        if let Some(p) = resolve(
            &t.name.name,
            t.name.span,
            &decls,
            &mut resolved,
            &mut visiting,
            errors,
        ) {
            resolved.insert(t.name.name.clone(), p);
        }
    }
    resolved
}

fn resolve(
    name: &str,
    span: Span,
    decls: &HashMap<&str, &TypeDecl>,
    resolved: &mut BTreeMap<String, ColumnType>,
    visiting: &mut Vec<String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<ColumnType> {
    if let Some(p) = primitive(name) {
        return Some(p);
    }
    if let Some(p) = resolved.get(name) {
        return Some(*p);
    }
    let Some(decl) = decls.get(name) else {
        errors.push(
            Diagnostic::error(format!("unknown type `{name}`"), span).with_label("not declared"),
        );
        return None;
    };
    if visiting.iter().any(|v| v == name) {
        errors.push(Diagnostic::error(
            format!("type `{name}` is defined in terms of itself"),
            decl.span,
        ));
        return None;
    }
    visiting.push(name.to_string());
    let result = match &decl.def {
        TypeDef::Alias(base) => resolve(&base.name, base.span, decls, resolved, visiting, errors),
        TypeDef::Union(parts) => {
            let mut prim: Option<ColumnType> = None;
            let mut ok = true;
            for p in parts {
                match resolve(&p.name, p.span, decls, resolved, visiting, errors) {
                    Some(t) => match prim {
                        Some(q) if q != t => {
                            errors.push(Diagnostic::error(
                                format!(
                                    "type mismatch: union `{name}` mixes {} and {}",
                                    q.name(),
                                    t.name()
                                ),
                                p.span,
                            ));
                            ok = false;
                        }
                        _ => prim = Some(t),
                    },
                    None => ok = false,
                }
            }
            if ok { prim } else { None }
        }
        TypeDef::Record(_) | TypeDef::Adt(_) => resolved.get(name).copied(),
    };
    visiting.pop();
    if let Some(p) = result {
        resolved.insert(name.to_string(), p);
    }
    result
}

/// The record types and ADTs of a program in source order (the first
/// declaration of a name only): their index is their number.
fn structured(program: &Program) -> impl Iterator<Item = &TypeDecl> {
    let mut seen = std::collections::HashSet::new();
    program.items.iter().filter_map(move |item| match item {
        Item::Type(t)
            if matches!(t.def, TypeDef::Record(_) | TypeDef::Adt(_))
                && seen.insert(t.name.name.as_str()) =>
        {
            Some(t)
        }
        _ => None,
    })
}

/// What each record type and ADT is made of, with its fields' types
/// resolved (`types` from [`resolve_types`]).
pub fn record_types(
    program: &Program,
    types: &BTreeMap<String, ColumnType>,
    errors: &mut Vec<Diagnostic>,
) -> RecordTypes {
    let field = |c: &Column, errors: &mut Vec<Diagnostic>| {
        let ty = primitive(&c.ty.name)
            .or_else(|| types.get(&c.ty.name).copied())
            .unwrap_or_else(|| {
                if !types.contains_key(&c.ty.name) && primitive(&c.ty.name).is_none() {
                    errors.push(
                        Diagnostic::error(format!("unknown type `{}`", c.ty.name), c.ty.span)
                            .with_label("not declared"),
                    );
                }
                ColumnType::Number
            });
        Field {
            name: c.name.name.clone(),
            ty,
        }
    };
    let mut out = RecordTypes::default();
    let mut constructors: HashMap<String, Span> = HashMap::new();
    for t in structured(program) {
        let kind = match &t.def {
            TypeDef::Adt(branches) => {
                let mut bs = Vec::new();
                for b in branches {
                    if constructors
                        .insert(b.name.name.clone(), b.name.span)
                        .is_some()
                    {
                        errors.push(
                            Diagnostic::error(
                                format!("constructor `{}` declared twice", b.name.name),
                                b.name.span,
                            )
                            .with_label("declared again here"),
                        );
                    }
                    bs.push(Branch {
                        name: b.name.name.clone(),
                        fields: b.fields.iter().map(|c| field(c, errors)).collect(),
                    });
                }
                // Soufflé numbers the branches in name order.
                bs.sort_by(|a, b| a.name.cmp(&b.name));
                RecordKind::Adt(bs)
            }
            TypeDef::Record(fields) => {
                RecordKind::Record(fields.iter().map(|c| field(c, errors)).collect())
            }
            _ => continue,
        };
        out.types.push(RecordType {
            name: t.name.name.clone(),
            kind,
        });
    }
    out
}

/// Adds a schema for every `.decl`, reporting duplicates and unknown types.
pub fn collect_decls(program: &Program, schema: &mut Schema, errors: &mut Vec<Diagnostic>) {
    for item in &program.items {
        let Item::Decl(d) = item else { continue };
        if schema.relations.contains_key(&d.name.name) {
            errors.push(
                Diagnostic::error(
                    format!("relation `{}` declared twice", d.name.name),
                    d.name.span,
                )
                .with_label("declared again here"),
            );
            continue;
        }
        let mut columns = Vec::new();
        let mut types = Vec::new();
        let mut type_names = Vec::new();
        for c in &d.columns {
            if columns.contains(&c.name.name) {
                errors.push(Diagnostic::error(
                    format!(
                        "column `{}` declared twice in `{}`",
                        c.name.name, d.name.name
                    ),
                    c.name.span,
                ));
            }
            columns.push(c.name.name.clone());
            let ty = match primitive(&c.ty.name).or_else(|| schema.types.get(&c.ty.name).copied()) {
                Some(t) => t,
                None => {
                    // Unresolvable user types were reported where declared.
                    if !program
                        .items
                        .iter()
                        .any(|i| matches!(i, Item::Type(t) if t.name.name == c.ty.name))
                    {
                        errors.push(
                            Diagnostic::error(format!("unknown type `{}`", c.ty.name), c.ty.span)
                                .with_label("not declared"),
                        );
                    }
                    ColumnType::Symbol
                }
            };
            types.push(ty);
            type_names.push(c.ty.name.clone());
        }
        if d.qualifiers.iter().any(|q| q.name == "eqrel") {
            eqrel_shape(d, &type_names, errors);
        }
        let choice = choice_keys(d, errors);
        schema.relations.insert(
            d.name.name.clone(),
            RelationSchema {
                name: d.name.name.clone(),
                columns,
                types,
                type_names,
                span: d.span,
                inferred: false,
                qualifiers: d.qualifiers.iter().map(|q| q.name.clone()).collect(),
                choice,
            },
        );
    }
}

/// The `choice-domain` keys of a `.decl` as column positions; a name that
/// is no column is an error. Keys that name the same columns count once; a
/// key of every column changes nothing (a relation is a set) and is dropped.
fn choice_keys(d: &crate::lang::ast::Decl, errors: &mut Vec<Diagnostic>) -> Vec<Vec<usize>> {
    let mut keys: Vec<Vec<usize>> = Vec::new();
    for key in &d.choice {
        let mut cols = Vec::new();
        for name in key {
            match d.columns.iter().position(|c| c.name.name == name.name) {
                Some(i) if !cols.contains(&i) => cols.push(i),
                Some(_) => {}
                None => errors.push(
                    Diagnostic::error(
                        format!("`{}` is not a column of `{}`", name.name, d.name.name),
                        name.span,
                    )
                    .with_label("not a column")
                    .with_note("a `choice-domain` key names columns of the relation"),
                ),
            }
        }
        if cols.is_empty() {
            continue;
        }
        if cols.len() == d.columns.len() {
            // A key of every column is what a set is anyway.
            continue;
        }
        cols.sort_unstable();
        if !keys.contains(&cols) {
            keys.push(cols);
        }
    }
    keys
}

/// An `eqrel` relates elements of one domain: it has two columns of the
/// same type, as Soufflé requires.
fn eqrel_shape(d: &crate::lang::ast::Decl, type_names: &[String], errors: &mut Vec<Diagnostic>) {
    if type_names.len() != 2 {
        errors.push(Diagnostic::error(
            format!(
                "the equivalence relation `{}` must have two columns",
                d.name.name
            ),
            d.span,
        ));
    } else if type_names[0] != type_names[1] {
        errors.push(
            Diagnostic::error(
                format!(
                    "the columns of the equivalence relation `{}` have different types, `{}` and `{}`",
                    d.name.name, type_names[0], type_names[1]
                ),
                d.span,
            )
            .with_note("an eqrel relates elements of one type"),
        );
    }
}

/// REPL mode: relations that appear as a head (of a rule or a fact) but
/// have no `.decl` get columns named after the head's variables and types
/// inferred from the bodies, repeated until nothing changes (recursive
/// rules learn from their base case).
pub fn infer_undeclared(program: &Program, schema: &mut Schema, errors: &mut Vec<Diagnostic>) {
    let mut pending: Pending = BTreeMap::new();
    let mut first_span: BTreeMap<String, Span> = BTreeMap::new();
    let mut defining: Vec<(&Atom, Option<&[Vec<crate::lang::ast::Literal>]>)> = Vec::new();
    for item in &program.items {
        let (heads, body): (Vec<&Atom>, Option<&[Vec<_>]>) = match item {
            Item::Fact(a) => (vec![a], None),
            Item::Rule(r) => (r.heads.iter().collect(), Some(&r.body[..])),
            _ => continue,
        };
        for h in heads {
            let name = &h.relation.name;
            if schema.relations.contains_key(name) {
                continue;
            }
            defining.push((h, body));
            if !pending.contains_key(name) {
                pending.insert(
                    name.clone(),
                    (column_names(h), vec![Ty::Unknown; h.args.len()]),
                );
                first_span.insert(name.clone(), h.span);
            }
        }
    }
    if pending.is_empty() {
        return;
    }
    for _ in 0..32 {
        let mut changed = false;
        for (head, body) in &defining {
            let Some((_, current)) = pending.get(&head.relation.name) else {
                continue;
            };
            if current.len() != head.args.len() {
                continue; // arity mismatch, reported by the clause checks
            }
            let mut learned = current.clone();
            {
                let rels = Relations {
                    schema,
                    pending: &pending,
                };
                match body {
                    None => {
                        let mut typer = Typer::new(&rels);
                        for (i, a) in head.args.iter().enumerate() {
                            learned[i] = merge(learned[i], typer.constant_type(a));
                        }
                    }
                    Some(alternatives) => {
                        for conj in alternatives.iter() {
                            let mut typer = Typer::new(&rels);
                            typer.run(std::slice::from_ref(*head), conj);
                            for (i, a) in head.args.iter().enumerate() {
                                let t = match a {
                                    Expr::Var(v) => typer.var_type(&v.name),
                                    other => typer.constant_type(other),
                                };
                                learned[i] = merge(learned[i], t);
                            }
                        }
                    }
                }
            }
            if let Some(entry) = pending.get_mut(&head.relation.name)
                && entry.1 != learned
            {
                entry.1 = learned;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (name, (columns, tys)) in pending {
        let span = first_span.get(&name).copied().unwrap_or_default();
        let mut types = Vec::new();
        for (col, t) in columns.iter().zip(&tys) {
            match t.resolved() {
                Some(p) => types.push(p),
                None => {
                    errors.push(Diagnostic::error(
                        format!("cannot infer the type of column `{col}` of `{name}`: declare it with `.decl`"),
                        span,
                    ));
                    types.push(ColumnType::Symbol);
                }
            }
        }
        schema.relations.insert(
            name.clone(),
            RelationSchema {
                name,
                type_names: types.iter().map(|t| t.name().to_string()).collect(),
                columns,
                types,
                span,
                inferred: true,
                qualifiers: Vec::new(),
                choice: Vec::new(),
            },
        );
    }
}

/// Only fills in what is unknown: a conflict is a type error that the
/// clause checks report with a better span.
fn merge(cur: Ty, new: Ty) -> Ty {
    match (cur, new) {
        (Ty::Unknown, t) => t,
        (Ty::Int, Ty::Known(t)) if t != ColumnType::Symbol => Ty::Known(t),
        (c, _) => c,
    }
}

/// `x` for a variable argument, `c<i>` otherwise or when repeated.
fn column_names(head: &Atom) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (i, a) in head.args.iter().enumerate() {
        let candidate = match a {
            Expr::Var(v) => v.name.clone(),
            _ => format!("c{}", i + 1),
        };
        if names.contains(&candidate) {
            names.push(format!("c{}", i + 1));
        } else {
            names.push(candidate);
        }
    }
    names
}
