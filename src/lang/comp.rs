//! Soufflé's components: `.comp` templates, `.init` instances, type and
//! relation parameters, inheritance and `.override`, expanded into plain
//! items before anything else looks at the program.
//!
//! An instance `.init g = Graph<city>` copies the items of `Graph` (and of
//! the components it inherits from, bases first) with every relation and
//! type the component declares renamed `g.name`, every parameter replaced
//! by its argument, and nested instances named `g.inner.name`. A name the
//! component does not declare refers to the enclosing scope, as in
//! Soufflé. A derived component's `.override r` drops the clauses of `r`
//! that its bases define. Doing this on the syntax tree keeps the checker
//! and the engine unaware of components: they see ordinary relations with
//! dotted names, and errors point at the lines inside the component.

use std::collections::{HashMap, HashSet};

use crate::diag::{Diagnostic, Span};
use crate::lang::ast::{Atom, Expr, Ident, Item, Literal, TypeDef};

/// A top-level or component statement as the parser builds it.
#[derive(Clone, Debug)]
pub enum Member {
    /// An ordinary item.
    Item(Item),
    /// `.comp …{ … }`
    Comp(Component),
    /// `.init name = Comp<…>`
    Init(Init),
    /// `.override rel`
    Override(Ident),
}

/// `Name<Arg, …>` where a component is named.
#[derive(Clone, Debug)]
pub struct CompType {
    /// The component's name.
    pub name: Ident,
    /// Its arguments (types or relations), or the parameters of a definition.
    pub args: Vec<Ident>,
}

/// `.comp Name<Params> : Bases { members }`
#[derive(Clone, Debug)]
pub struct Component {
    /// Name and parameters.
    pub head: CompType,
    /// Components inherited from, with their arguments.
    pub bases: Vec<CompType>,
    /// Statements of the body.
    pub members: Vec<Member>,
    /// The whole definition.
    pub span: Span,
}

/// `.init name = Comp<Args>`
#[derive(Clone, Debug)]
pub struct Init {
    /// The instance's name (the prefix of its relations).
    pub name: Ident,
    /// What is instantiated.
    pub comp: CompType,
    /// The whole directive.
    pub span: Span,
}

/// Expands every `.init` of the top level; component definitions produce
/// nothing by themselves.
pub fn expand(members: Vec<Member>) -> (Vec<Item>, Vec<Diagnostic>) {
    let mut ex = Expander {
        out: Vec::new(),
        errors: Vec::new(),
        depth: 0,
    };
    let top = Scope {
        prefix: String::new(),
        rels: HashSet::new(),
        types: HashSet::new(),
        params: HashMap::new(),
        comps: members
            .iter()
            .filter_map(|m| match m {
                Member::Comp(c) => Some((c.head.name.name.clone(), c.clone())),
                _ => None,
            })
            .collect(),
        parent: None,
    };
    for m in members {
        match m {
            Member::Item(i) => ex.out.push(i),
            Member::Comp(_) => {}
            Member::Init(init) => ex.instantiate(&init, &top),
            Member::Override(o) => ex.errors.push(Diagnostic::error(
                "`.override` belongs inside a component that inherits the relation",
                o.span,
            )),
        }
    }
    (ex.out, ex.errors)
}

/// Names visible in one instance: what it declares, its parameters, the
/// components it may instantiate, and the enclosing scope.
struct Scope<'p> {
    /// `inst.` prefix of this instance's names (empty at the top level).
    prefix: String,
    /// Relations and nested instances the instance declares.
    rels: HashSet<String>,
    /// Types the instance declares.
    types: HashSet<String>,
    /// Parameter name → argument, already resolved in the caller's scope.
    params: HashMap<String, String>,
    /// Component definitions visible here.
    comps: HashMap<String, Component>,
    parent: Option<&'p Scope<'p>>,
}

impl Scope<'_> {
    /// The full name of a relation as written in this instance.
    fn relation(&self, name: &str) -> String {
        if let Some(arg) = self.params.get(name) {
            return arg.clone();
        }
        let first = name.split('.').next().unwrap_or(name);
        if self.rels.contains(name) || self.rels.contains(first) {
            return format!("{}{name}", self.prefix);
        }
        match self.parent {
            Some(p) => p.relation(name),
            None => name.to_string(),
        }
    }

    /// The full name of a type as written in this instance.
    fn ty(&self, name: &str) -> String {
        if let Some(arg) = self.params.get(name) {
            return arg.clone();
        }
        if self.types.contains(name) {
            return format!("{}{name}", self.prefix);
        }
        match self.parent {
            Some(p) => p.ty(name),
            None => name.to_string(),
        }
    }

    /// The component a name stands for here (a parameter may name one).
    fn component(&self, name: &str) -> Option<&Component> {
        if let Some(arg) = self.params.get(name) {
            return self.parent.and_then(|p| p.component(arg));
        }
        self.comps
            .get(name)
            .or_else(|| self.parent.and_then(|p| p.component(name)))
    }
}

struct Expander {
    out: Vec<Item>,
    errors: Vec<Diagnostic>,
    depth: usize,
}

/// A member of an instance with the parameter binding of the component it
/// was written in (a base's parameters are bound by the derived one).
struct Placed {
    member: Member,
    params: HashMap<String, String>,
}

impl Expander {
    fn instantiate(&mut self, init: &Init, scope: &Scope) {
        self.depth += 1;
        if self.depth > 32 {
            self.errors.push(Diagnostic::error(
                format!(
                    "component instances nest too deep at `{}` (a component instantiating itself?)",
                    init.name.name
                ),
                init.span,
            ));
            self.depth -= 1;
            return;
        }
        let args: Vec<String> = init.comp.args.iter().map(|a| scope.ty(&a.name)).collect();
        let mut placed = Vec::new();
        let mut seen = Vec::new();
        if !self.collect(&init.comp.name, &args, scope, &mut placed, &mut seen) {
            self.depth -= 1;
            return;
        }
        let mut rels = HashSet::new();
        let mut types = HashSet::new();
        let mut comps = HashMap::new();
        for p in &placed {
            match &p.member {
                Member::Item(Item::Decl(d)) => {
                    rels.insert(d.name.name.clone());
                }
                Member::Item(Item::Type(t)) => {
                    types.insert(t.name.name.clone());
                }
                Member::Init(i) => {
                    rels.insert(i.name.name.clone());
                }
                Member::Comp(c) => {
                    comps.insert(c.head.name.name.clone(), c.clone());
                }
                _ => {}
            }
        }
        let prefix = format!("{}{}.", scope.prefix, init.name.name);
        for p in placed {
            let inner = Scope {
                prefix: prefix.clone(),
                rels: rels.clone(),
                types: types.clone(),
                params: p.params,
                comps: comps.clone(),
                parent: Some(scope),
            };
            match p.member {
                Member::Item(item) => self.out.push(rename_item(item, &inner)),
                Member::Init(i) => self.instantiate(&i, &inner),
                Member::Comp(_) | Member::Override(_) => {}
            }
        }
        self.depth -= 1;
    }

    /// The members of component `name` with arguments `args`: its bases'
    /// first, then its own. False when the component is unknown.
    fn collect(
        &mut self,
        name: &Ident,
        args: &[String],
        scope: &Scope,
        out: &mut Vec<Placed>,
        seen: &mut Vec<String>,
    ) -> bool {
        let Some(comp) = scope.component(&name.name).cloned() else {
            self.errors.push(
                Diagnostic::error(format!("unknown component `{}`", name.name), name.span)
                    .with_label("no `.comp` of this name"),
            );
            return false;
        };
        if seen.contains(&name.name) {
            self.errors.push(Diagnostic::error(
                format!("component `{}` inherits from itself", name.name),
                name.span,
            ));
            return false;
        }
        if comp.head.args.len() != args.len() {
            self.errors.push(Diagnostic::error(
                format!(
                    "component `{}` takes {} parameter(s), found {}",
                    name.name,
                    comp.head.args.len(),
                    args.len()
                ),
                name.span,
            ));
            return false;
        }
        seen.push(name.name.clone());
        let params: HashMap<String, String> = comp
            .head
            .args
            .iter()
            .map(|p| p.name.clone())
            .zip(args.iter().cloned())
            .collect();
        for base in &comp.bases {
            let base_args: Vec<String> = base
                .args
                .iter()
                .map(|a| {
                    params
                        .get(&a.name)
                        .cloned()
                        .unwrap_or_else(|| a.name.clone())
                })
                .collect();
            let base_name = Ident {
                name: params
                    .get(&base.name.name)
                    .cloned()
                    .unwrap_or_else(|| base.name.name.clone()),
                span: base.name.span,
            };
            if !self.collect(&base_name, &base_args, scope, out, seen) {
                seen.pop();
                return false;
            }
        }
        // An override in this component hides what its bases defined.
        let overrides: HashSet<String> = comp
            .members
            .iter()
            .filter_map(|m| match m {
                Member::Override(o) => Some(o.name.clone()),
                _ => None,
            })
            .collect();
        if !overrides.is_empty() {
            out.retain(|p| !matches!(&p.member, Member::Item(i) if defines_any(i, &overrides)));
        }
        for m in comp.members {
            out.push(Placed {
                member: m,
                params: params.clone(),
            });
        }
        seen.pop();
        true
    }
}

/// True for a fact or rule that derives one of `rels`.
fn defines_any(item: &Item, rels: &HashSet<String>) -> bool {
    match item {
        Item::Fact(a) => rels.contains(&a.relation.name),
        Item::Rule(r) => r.heads.iter().any(|h| rels.contains(&h.relation.name)),
        _ => false,
    }
}

fn rename_ident(id: &mut Ident, scope: &Scope) {
    id.name = scope.relation(&id.name);
}

fn rename_type(id: &mut Ident, scope: &Scope) {
    id.name = scope.ty(&id.name);
}

fn rename_item(mut item: Item, scope: &Scope) -> Item {
    match &mut item {
        Item::Decl(d) => {
            rename_ident(&mut d.name, scope);
            for c in &mut d.columns {
                rename_type(&mut c.ty, scope);
            }
        }
        Item::Type(t) => {
            rename_type(&mut t.name, scope);
            match &mut t.def {
                TypeDef::Alias(b) => rename_type(b, scope),
                TypeDef::Union(parts) => parts.iter_mut().for_each(|p| rename_type(p, scope)),
                TypeDef::Record(fields) => fields
                    .iter_mut()
                    .for_each(|f| rename_type(&mut f.ty, scope)),
                TypeDef::Adt(branches) => branches
                    .iter_mut()
                    .flat_map(|b| b.fields.iter_mut())
                    .for_each(|f| rename_type(&mut f.ty, scope)),
            }
        }
        Item::Input(io) | Item::Output(io) | Item::PrintSize(io) => {
            io.relations.iter_mut().for_each(|r| rename_ident(r, scope));
        }
        Item::Fact(a) | Item::Retract(a) => rename_atom(a, scope),
        Item::Rule(r) => {
            r.heads.iter_mut().for_each(|h| rename_atom(h, scope));
            r.body
                .iter_mut()
                .flatten()
                .for_each(|l| rename_literal(l, scope));
        }
        Item::Subsume(s) => {
            rename_atom(&mut s.dominated, scope);
            rename_atom(&mut s.dominating, scope);
            s.body
                .iter_mut()
                .flatten()
                .for_each(|l| rename_literal(l, scope));
        }
        Item::Query(q) => q
            .body
            .iter_mut()
            .flatten()
            .for_each(|l| rename_literal(l, scope)),
        Item::Assert(a) => a
            .body
            .iter_mut()
            .flatten()
            .for_each(|l| rename_literal(l, scope)),
        Item::Export(e) => rename_ident(&mut e.relation, scope),
        Item::Pragma(_) => {}
    }
    item
}

fn rename_atom(a: &mut Atom, scope: &Scope) {
    rename_ident(&mut a.relation, scope);
    a.args.iter_mut().for_each(|e| rename_expr(e, scope));
}

fn rename_literal(l: &mut Literal, scope: &Scope) {
    match l {
        Literal::Atom(a) | Literal::Negated(a) => rename_atom(a, scope),
        Literal::Compare { lhs, rhs, .. } => {
            rename_expr(lhs, scope);
            rename_expr(rhs, scope);
        }
        Literal::Builtin { args, .. } => args.iter_mut().for_each(|e| rename_expr(e, scope)),
        Literal::Bool(..) => {}
    }
}

fn rename_expr(e: &mut Expr, scope: &Scope) {
    match e {
        Expr::Binary { lhs, rhs, .. } => {
            rename_expr(lhs, scope);
            rename_expr(rhs, scope);
        }
        Expr::Unary { arg, .. } => rename_expr(arg, scope),
        Expr::Functor { args, .. } | Expr::Record(args, _) | Expr::Adt { args, .. } => {
            args.iter_mut().for_each(|a| rename_expr(a, scope))
        }
        Expr::Aggregate { target, body, .. } => {
            if let Some(t) = target {
                rename_expr(t, scope);
            }
            body.iter_mut().for_each(|l| rename_literal(l, scope));
        }
        _ => {}
    }
}
