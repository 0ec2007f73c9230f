//! Writers for rows leaving the engine: aligned tables for a terminal, CSV
//! for spreadsheets (RFC 4180, atomic, formula-safe), JSON for scripts, DOT
//! and Mermaid for flow graphs, an SVG heat map for the coverage matrix,
//! JUnit XML for CI dashboards.
//!
//! What a script produced is data here ([`result`]: answers, verdicts,
//! what the program prints, files, warnings), and one [`reporter`] draws
//! it for `run`, `check`, the REPL and `pialog report` alike. Nothing here
//! imports the layers above (session, kb, repl, cli): what they know (the
//! form's phase order, an assertion found vacuous) is passed in.

pub mod csv;
pub mod digest;
pub mod dot;
#[cfg(test)]
mod fixture;
pub mod flow_svg;
pub mod json;
pub mod junit;
pub mod matrix;
pub mod modes;
pub mod offending;
pub mod pager;
pub mod report;
pub mod reporter;
pub mod result;
pub mod screen;
pub mod statement;
pub mod svg;
pub mod table;
pub mod transaction;
pub mod verdict;
pub mod vertical;
pub mod width;
pub mod xml;
