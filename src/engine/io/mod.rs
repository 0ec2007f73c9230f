//! Soufflé's file formats: `.facts` input (delimiter-separated text) and
//! `.csv` output (tab-separated, sorted, Soufflé's value text).
//!
//! Reading is built for volume: the file is read once, checked as UTF-8
//! once, split on bytes, and every symbol field is interned straight from
//! the borrowed text (one hash lookup; an allocation only for a new
//! symbol). Every malformed row is an error that names the file and line.
//!
//! - [`read`]: fact files, block by block, beside the parsing of the last
//!   block;
//! - [`parse`]: a block of lines in parallel chunks, new symbols merged in
//!   file order, malformed lines as located diagnostics;
//! - [`lines`]: the line scanners and the words of fields;
//! - [`format`]: rows as Soufflé's output text.

mod format;
mod lines;
mod parse;
mod read;

pub use format::{format_rows, stdout_block};
pub use lines::parse_number;
pub use parse::parse_facts;
pub use read::{probe_facts, read_facts};
