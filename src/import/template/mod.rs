//! The form as templates: what the Personal Information Protection
//! Commission's 様式 prints, in the order it prints it, kept as tables so
//! that a reader finds the form's own labels in a document instead of
//! matching the layouts of the files it was built on. One file per part of
//! the form; both are re-exported here so a reader names `template::X`.

pub mod cover;
pub mod risks;

pub use cover::*;
pub use risks::*;
