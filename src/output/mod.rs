//! Writers for rows leaving the engine: CSV (RFC 4180, atomic, spreadsheet
//! safe), and more as they land.

pub mod csv;
