//! The gate: compares current results with a baseline. Pure logic, no I/O.
//!
//! Rules (see the project brief):
//! - An instruction count (`Ir`) fails when it grows by **strictly more** than the threshold
//!   (percent of the baseline). Growing by exactly the threshold passes: with the default 1 %,
//!   1000 → 1010 passes and 1000 → 1011 fails. The test is done in exact arithmetic
//!   (`(current - baseline) * 100 > threshold * baseline`), so no rounding decides the edge.
//! - An allocation figure fails when its blocks per operation grow at all (compared exactly as
//!   `current.blocks * baseline.ops > baseline.blocks * current.ops`). Bytes per operation are
//!   reported but never gated.
//! - A gated figure present in the baseline and missing from the results fails.
//! - A figure only in the results is listed as new and passes.
//! - Wall clock is compared for the report and never gated.

use std::cmp::Ordering;

use crate::results::{AllocFigure, Results, WallclockFigure};

/// Gate settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GateConfig {
    /// Maximum allowed `Ir` growth in percent of the baseline (default 1.0).
    pub ir_threshold_pct: f64,
    /// Changes whose magnitude is below this percentage are "noise" in the report
    /// (default 0.2 %, the floor rustls's ci-bench uses). Never affects pass/fail.
    pub noise_floor_pct: f64,
}

impl Default for GateConfig {
    fn default() -> Self {
        GateConfig {
            ir_threshold_pct: 1.0,
            noise_floor_pct: 0.2,
        }
    }
}

/// Which family a gated figure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FigureKind {
    /// Callgrind instruction count.
    Instructions,
    /// dhat allocation count (blocks per op).
    Allocations,
}

impl FigureKind {
    /// Short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            FigureKind::Instructions => "Ir",
            FigureKind::Allocations => "allocs",
        }
    }
}

/// Outcome of one gated figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Grew beyond the allowed threshold: fails the gate.
    Regressed,
    /// In the baseline but not in the results: fails the gate.
    Missing,
    /// Grew, but within the threshold.
    Worse,
    /// Shrank.
    Improved,
    /// Only in the results.
    New,
    /// Identical.
    Unchanged,
}

impl Verdict {
    /// Whether this verdict fails the gate.
    pub fn fails(self) -> bool {
        matches!(self, Verdict::Regressed | Verdict::Missing)
    }

    /// Short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Regressed => "REGRESSED",
            Verdict::Missing => "MISSING",
            Verdict::Worse => "worse (within threshold)",
            Verdict::Improved => "improved",
            Verdict::New => "new",
            Verdict::Unchanged => "unchanged",
        }
    }
}

/// One gated figure compared with its baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct GatedRow {
    /// Instructions or allocations.
    pub kind: FigureKind,
    /// The figure's key.
    pub key: String,
    /// Baseline value (`Ir`, or blocks per op).
    pub baseline: Option<f64>,
    /// Current value (`Ir`, or blocks per op).
    pub current: Option<f64>,
    /// Relative change in percent; `None` when a side is missing, infinite when growing from 0.
    pub change_pct: Option<f64>,
    /// Bytes per op, baseline and current (allocations only; reported, never gated).
    pub bytes_per_op: Option<(Option<f64>, Option<f64>)>,
    /// The outcome.
    pub verdict: Verdict,
    /// Whether the change is at least the noise floor (for the report).
    pub significant: bool,
}

/// One wall-clock figure compared with its baseline (reported, never gated).
#[derive(Debug, Clone, PartialEq)]
pub struct WallclockRow {
    /// Criterion's benchmark id.
    pub key: String,
    /// Baseline estimates.
    pub baseline: Option<WallclockFigure>,
    /// Current estimates.
    pub current: Option<WallclockFigure>,
}

impl WallclockRow {
    /// current median / baseline median, when both exist.
    pub fn time_ratio(&self) -> Option<f64> {
        match (self.baseline, self.current) {
            (Some(b), Some(c)) if b.median_ns > 0.0 => Some(c.median_ns / b.median_ns),
            _ => None,
        }
    }
}

/// The full comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Settings used.
    pub config: GateConfig,
    /// Gated rows, offenders first, then by decreasing change.
    pub gated: Vec<GatedRow>,
    /// Wall-clock rows, sorted by key.
    pub wallclock: Vec<WallclockRow>,
}

/// Relative change in percent; infinite when growing from zero, 0 when both are zero.
pub fn change_pct(baseline: f64, current: f64) -> f64 {
    if baseline == 0.0 {
        if current == 0.0 {
            0.0
        } else if current > 0.0 {
            f64::INFINITY
        } else {
            f64::NEG_INFINITY
        }
    } else {
        (current - baseline) / baseline * 100.0
    }
}

/// Whether an `Ir` change exceeds the threshold, decided without rounding at the edge.
pub fn ir_exceeds(baseline: u64, current: u64, threshold_pct: f64) -> bool {
    if current <= baseline {
        return false;
    }
    let growth = (current - baseline) as f64 * 100.0;
    // Both sides are exact for counts below 2^53 / 100; the threshold itself is the only
    // inexact number (e.g. 0.1), which is unavoidable.
    growth > threshold_pct * baseline as f64
}

/// Whether allocation blocks per op grew (exact, cross-multiplied in u128).
pub fn blocks_grew(baseline: AllocFigure, current: AllocFigure) -> bool {
    let cur = u128::from(current.blocks) * u128::from(baseline.ops.max(1));
    let base = u128::from(baseline.blocks) * u128::from(current.ops.max(1));
    cur > base
}

fn significant(change: Option<f64>, config: &GateConfig) -> bool {
    change.is_none_or(|c| c.abs() >= config.noise_floor_pct)
}

fn instruction_row(
    key: &str,
    base: Option<u64>,
    cur: Option<u64>,
    config: &GateConfig,
) -> GatedRow {
    let (verdict, change) = match (base, cur) {
        (Some(b), Some(c)) => {
            let change = change_pct(b as f64, c as f64);
            let verdict = match c.cmp(&b) {
                Ordering::Equal => Verdict::Unchanged,
                Ordering::Less => Verdict::Improved,
                Ordering::Greater if ir_exceeds(b, c, config.ir_threshold_pct) => {
                    Verdict::Regressed
                }
                Ordering::Greater => Verdict::Worse,
            };
            (verdict, Some(change))
        }
        (Some(_), None) => (Verdict::Missing, None),
        (None, _) => (Verdict::New, None),
    };
    GatedRow {
        kind: FigureKind::Instructions,
        key: key.to_string(),
        baseline: base.map(|v| v as f64),
        current: cur.map(|v| v as f64),
        change_pct: change,
        bytes_per_op: None,
        verdict,
        significant: significant(change, config),
    }
}

fn allocation_row(key: &str, base: Option<AllocFigure>, cur: Option<AllocFigure>) -> GatedRow {
    let (verdict, change) = match (base, cur) {
        (Some(b), Some(c)) => {
            let change = change_pct(b.blocks_per_op(), c.blocks_per_op());
            let verdict = if blocks_grew(b, c) {
                Verdict::Regressed
            } else if blocks_grew(c, b) {
                Verdict::Improved
            } else {
                Verdict::Unchanged
            };
            (verdict, Some(change))
        }
        (Some(_), None) => (Verdict::Missing, None),
        (None, _) => (Verdict::New, None),
    };
    // Allocation counts are exact: any change is significant, whatever the noise floor.
    let significant = change.is_none_or(|c| c != 0.0);
    GatedRow {
        kind: FigureKind::Allocations,
        key: key.to_string(),
        baseline: base.map(|f| f.blocks_per_op()),
        current: cur.map(|f| f.blocks_per_op()),
        change_pct: change,
        bytes_per_op: Some((
            base.map(|f| f.bytes_per_op()),
            cur.map(|f| f.bytes_per_op()),
        )),
        verdict,
        significant,
    }
}

/// Orders rows: failing first (regressed before missing), then by decreasing change (growth
/// from zero first, rows without a change last), then by kind and key.
fn row_order(a: &GatedRow, b: &GatedRow) -> Ordering {
    let rank = |r: &GatedRow| match r.verdict {
        Verdict::Regressed => 0,
        Verdict::Missing => 1,
        _ => 2,
    };
    let change = |r: &GatedRow| r.change_pct.unwrap_or(f64::NEG_INFINITY);
    rank(a)
        .cmp(&rank(b))
        .then_with(|| change(b).total_cmp(&change(a)))
        .then_with(|| a.kind.cmp(&b.kind))
        .then_with(|| a.key.cmp(&b.key))
}

/// Compares `current` with `baseline`.
pub fn compare(baseline: &Results, current: &Results, config: GateConfig) -> Comparison {
    let mut gated = Vec::new();
    let ir_keys: std::collections::BTreeSet<&String> = baseline
        .instructions
        .keys()
        .chain(current.instructions.keys())
        .collect();
    for key in ir_keys {
        gated.push(instruction_row(
            key,
            baseline.instructions.get(key).copied(),
            current.instructions.get(key).copied(),
            &config,
        ));
    }
    let alloc_keys: std::collections::BTreeSet<&String> = baseline
        .allocations
        .keys()
        .chain(current.allocations.keys())
        .collect();
    for key in alloc_keys {
        gated.push(allocation_row(
            key,
            baseline.allocations.get(key).copied(),
            current.allocations.get(key).copied(),
        ));
    }
    gated.sort_by(row_order);
    let wall_keys: std::collections::BTreeSet<&String> = baseline
        .wallclock
        .keys()
        .chain(current.wallclock.keys())
        .collect();
    let wallclock = wall_keys
        .into_iter()
        .map(|key| WallclockRow {
            key: key.clone(),
            baseline: baseline.wallclock.get(key).copied(),
            current: current.wallclock.get(key).copied(),
        })
        .collect();
    Comparison {
        config,
        gated,
        wallclock,
    }
}

impl Comparison {
    /// Whether any gated figure fails.
    pub fn failed(&self) -> bool {
        self.gated.iter().any(|r| r.verdict.fails())
    }

    /// Rows with the given verdict.
    pub fn with_verdict(&self, verdict: Verdict) -> impl Iterator<Item = &GatedRow> {
        self.gated.iter().filter(move |r| r.verdict == verdict)
    }

    /// Number of rows with the given verdict.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.with_verdict(verdict).count()
    }

    /// One-line summary: `FAIL: 2 regressed, 1 missing; 3 improved, 1 new, 40 unchanged`.
    pub fn summary_line(&self) -> String {
        let status = if self.failed() { "FAIL" } else { "PASS" };
        format!(
            "{status}: {} regressed, {} missing; {} worse within threshold, {} improved, {} new, \
             {} unchanged (Ir threshold {}%, allocation blocks/op must not grow)",
            self.count(Verdict::Regressed),
            self.count(Verdict::Missing),
            self.count(Verdict::Worse),
            self.count(Verdict::Improved),
            self.count(Verdict::New),
            self.count(Verdict::Unchanged),
            self.config.ir_threshold_pct,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(ir: &[(&str, u64)], allocs: &[(&str, u64, u64, u64)]) -> Results {
        let mut r = Results::new("t".into(), "c".into(), "m".into());
        for (k, v) in ir {
            r.instructions.insert((*k).to_string(), *v);
        }
        for (k, ops, blocks, bytes) in allocs {
            r.allocations.insert(
                (*k).to_string(),
                AllocFigure {
                    ops: *ops,
                    blocks: *blocks,
                    bytes: *bytes,
                },
            );
        }
        r
    }

    fn verdict_of(c: &Comparison, key: &str) -> Verdict {
        c.gated.iter().find(|r| r.key == key).unwrap().verdict
    }

    #[test]
    fn two_percent_ir_regression_fails() {
        let c = compare(
            &results(&[("s/g/f", 10_000)], &[]),
            &results(&[("s/g/f", 10_200)], &[]),
            GateConfig::default(),
        );
        assert!(c.failed());
        assert_eq!(verdict_of(&c, "s/g/f"), Verdict::Regressed);
        assert_eq!(c.gated[0].change_pct, Some(2.0));
    }

    #[test]
    fn half_percent_ir_growth_passes() {
        let c = compare(
            &results(&[("s/g/f", 10_000)], &[]),
            &results(&[("s/g/f", 10_050)], &[]),
            GateConfig::default(),
        );
        assert!(!c.failed());
        assert_eq!(verdict_of(&c, "s/g/f"), Verdict::Worse);
    }

    #[test]
    fn exactly_at_threshold_passes_one_more_fails() {
        let base = results(&[("a", 1000), ("b", 1000), ("c", 3)], &[]);
        let cur = results(&[("a", 1010), ("b", 1011), ("c", 3)], &[]);
        let c = compare(&base, &cur, GateConfig::default());
        assert_eq!(verdict_of(&c, "a"), Verdict::Worse);
        assert_eq!(verdict_of(&c, "b"), Verdict::Regressed);
        // Same edge with a fractional threshold: 0.5 % of 200 is exactly 1 instruction.
        assert!(!ir_exceeds(200, 201, 0.5));
        assert!(ir_exceeds(200, 202, 0.5));
        // A threshold of 0 fails any growth.
        assert!(ir_exceeds(1_000_000, 1_000_001, 0.0));
        assert!(!ir_exceeds(5, 5, 0.0));
    }

    #[test]
    fn growth_from_zero_instructions_fails() {
        let c = compare(
            &results(&[("z", 0)], &[]),
            &results(&[("z", 1)], &[]),
            GateConfig::default(),
        );
        assert_eq!(verdict_of(&c, "z"), Verdict::Regressed);
        assert_eq!(c.gated[0].change_pct, Some(f64::INFINITY));
    }

    #[test]
    fn allocation_growth_zero_to_one_fails() {
        let c = compare(
            &results(&[], &[("rtp_parse", 10_000, 0, 0)]),
            &results(&[], &[("rtp_parse", 10_000, 1, 32)]),
            GateConfig::default(),
        );
        assert!(c.failed());
        let row = &c.gated[0];
        assert_eq!(row.verdict, Verdict::Regressed);
        assert_eq!(row.kind, FigureKind::Allocations);
        assert_eq!(row.bytes_per_op, Some((Some(0.0), Some(0.0032))));
    }

    #[test]
    fn allocations_compare_per_op_and_bytes_are_not_gated() {
        // Twice the ops and twice the blocks: same blocks per op, more bytes: passes.
        let c = compare(
            &results(&[], &[("x", 100, 10, 1000)]),
            &results(&[], &[("x", 200, 20, 9000)]),
            GateConfig::default(),
        );
        assert_eq!(verdict_of(&c, "x"), Verdict::Unchanged);
        assert!(!c.failed());
        // Fewer blocks per op is an improvement.
        let c = compare(
            &results(&[], &[("x", 100, 10, 1000)]),
            &results(&[], &[("x", 100, 9, 1000)]),
            GateConfig::default(),
        );
        assert_eq!(verdict_of(&c, "x"), Verdict::Improved);
        // 1 block in 3 ops grows over 1 block in 4 ops even though both round to ~0.3.
        assert!(blocks_grew(
            AllocFigure {
                ops: 4,
                blocks: 1,
                bytes: 0
            },
            AllocFigure {
                ops: 3,
                blocks: 1,
                bytes: 0
            }
        ));
    }

    #[test]
    fn missing_figure_fails_new_figure_passes() {
        let base = results(&[("gone", 5), ("kept", 5)], &[("alloc_gone", 1, 0, 0)]);
        let cur = results(&[("kept", 5), ("fresh", 9)], &[("alloc_new", 1, 4, 4)]);
        let c = compare(&base, &cur, GateConfig::default());
        assert!(c.failed());
        assert_eq!(verdict_of(&c, "gone"), Verdict::Missing);
        assert_eq!(verdict_of(&c, "alloc_gone"), Verdict::Missing);
        assert_eq!(verdict_of(&c, "fresh"), Verdict::New);
        assert_eq!(verdict_of(&c, "alloc_new"), Verdict::New);
        assert_eq!(verdict_of(&c, "kept"), Verdict::Unchanged);

        let only_new = compare(
            &results(&[("kept", 5)], &[]),
            &results(&[("kept", 5), ("fresh", 9)], &[]),
            GateConfig::default(),
        );
        assert!(!only_new.failed());
    }

    #[test]
    fn improvements_pass_and_are_listed() {
        let c = compare(
            &results(&[("a", 1000), ("b", 1000)], &[]),
            &results(&[("a", 500), ("b", 990)], &[]),
            GateConfig::default(),
        );
        assert!(!c.failed());
        let improved: Vec<_> = c.with_verdict(Verdict::Improved).map(|r| &r.key).collect();
        assert_eq!(improved.len(), 2);
        assert!(
            c.summary_line()
                .starts_with("PASS: 0 regressed, 0 missing; 0 worse")
        );
    }

    #[test]
    fn offenders_come_first_sorted_by_change() {
        let base = results(
            &[("small", 1000), ("big", 1000), ("gone", 1), ("ok", 1000)],
            &[],
        );
        let cur = results(
            &[("small", 1020), ("big", 1500), ("ok", 900), ("new", 3)],
            &[],
        );
        let c = compare(&base, &cur, GateConfig::default());
        let keys: Vec<_> = c.gated.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["big", "small", "gone", "ok", "new"]);
        assert!(c.summary_line().starts_with("FAIL: 2 regressed, 1 missing"));
    }

    #[test]
    fn noise_floor_marks_significance_only() {
        let c = compare(
            &results(&[("tiny", 100_000), ("real", 100_000)], &[]),
            &results(&[("tiny", 100_100), ("real", 100_500)], &[]),
            GateConfig::default(),
        );
        let row = |k: &str| c.gated.iter().find(|r| r.key == k).unwrap();
        assert!(!row("tiny").significant);
        assert!(row("real").significant);
        assert!(!c.failed());
    }

    #[test]
    fn wallclock_is_never_gated() {
        let mut base = results(&[], &[]);
        let mut cur = results(&[], &[]);
        let fig = |ns| WallclockFigure {
            median_ns: ns,
            mean_ns: ns,
            throughput_bytes_per_s: None,
            elements_per_s: None,
        };
        base.wallclock.insert("w".into(), fig(10.0));
        base.wallclock.insert("gone".into(), fig(10.0));
        cur.wallclock.insert("w".into(), fig(30.0));
        let c = compare(&base, &cur, GateConfig::default());
        assert!(!c.failed());
        assert_eq!(c.wallclock.len(), 2);
        let w = c.wallclock.iter().find(|r| r.key == "w").unwrap();
        assert_eq!(w.time_ratio(), Some(3.0));
    }
}
