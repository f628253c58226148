//! The `zerortc` command line.
fn main() {}
