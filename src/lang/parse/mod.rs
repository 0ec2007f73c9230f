//! The parser's parts: the pest grammar binding, the tree-to-AST builder,
//! normal forms for bodies, and readable syntax errors. The public entry
//! points are in [`crate::lang::parser`].

pub mod build;
pub mod cpp;
pub mod dnf;
pub mod fast;
pub mod syntax_error;

/// The generated pest parser for `grammar/pialog.pest`.
pub mod grammar {
    #![allow(missing_docs)]

    /// pest's parser for the whole surface language.
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/pialog.pest"]
    pub struct PialogParser;
}

#[cfg(test)]
mod tests;
