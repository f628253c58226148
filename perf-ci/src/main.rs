//! perf-ci: run the lab, compare with baselines, report.
fn main() {}
