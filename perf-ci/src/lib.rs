//! perf-ci: runs the zerortc lab (gungraun instruction counts, dhat allocation counts,
//! criterion wall clock), compares the results with a stored baseline, and writes the report.
//!
//! The pure parts (schema, parsers, gate, report rendering) live in this library so they can be
//! unit-tested; `main.rs` is the command line around them.
#![warn(missing_docs)]

pub mod allocs;
pub mod compare;
pub mod criterion;
pub mod gungraun;
pub mod html;
pub mod report;
pub mod results;
pub mod run;
pub mod units;
pub mod workspace;
