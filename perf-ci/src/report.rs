//! The report: one set of tables built from a [`Comparison`], rendered as markdown (a PR
//! comment, `reports/latest/report.md`), as a short terminal summary, and as HTML (see
//! [`crate::html`]).

use std::fmt::Write as _;

use crate::compare::{Comparison, FigureKind, GatedRow, Verdict, WallclockRow};
use crate::results::Results;
use crate::units;

/// A table: header and rows of already formatted cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column titles.
    pub header: Vec<String>,
    /// Rows; every row has `header.len()` cells.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|h| (*h).to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Markdown pipe table (`|` in cells escaped).
    pub fn to_markdown(&self) -> String {
        let cell = |c: &String| c.replace('|', "\\|");
        let mut out = String::new();
        let _ = writeln!(
            out,
            "| {} |",
            self.header.iter().map(cell).collect::<Vec<_>>().join(" | ")
        );
        let _ = writeln!(
            out,
            "|{}|",
            self.header
                .iter()
                .map(|_| "---")
                .collect::<Vec<_>>()
                .join("|")
        );
        for row in &self.rows {
            let _ = writeln!(
                out,
                "| {} |",
                row.iter().map(cell).collect::<Vec<_>>().join(" | ")
            );
        }
        out
    }

    /// Plain aligned text for a terminal.
    pub fn to_text(&self) -> String {
        let widths: Vec<usize> = (0..self.header.len())
            .map(|i| {
                std::iter::once(&self.header)
                    .chain(self.rows.iter())
                    .filter_map(|r| r.get(i))
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let w = widths.get(i).copied().unwrap_or(0);
                let pad = w.saturating_sub(c.chars().count());
                if i > 0 {
                    s.push_str("  ");
                }
                s.push_str(c);
                s.push_str(&" ".repeat(pad));
            }
            s.trim_end().to_string()
        };
        let mut out = line(&self.header);
        out.push('\n');
        for row in &self.rows {
            out.push_str(&line(row));
            out.push('\n');
        }
        out
    }
}

/// A titled section: an optional note, a table, and whether it is collapsed by default.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// Text under the heading.
    pub note: String,
    /// The table (may be empty, then only the note shows).
    pub table: Table,
    /// Rendered inside `<details>` (noise, unchanged figures).
    pub collapsed: bool,
}

/// Everything the report shows, before rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Whether the gate passed.
    pub passed: bool,
    /// One-line verdict.
    pub summary: String,
    /// Commit / baseline / machine line.
    pub context: String,
    /// Sections in order.
    pub sections: Vec<Section>,
}

fn value_cell(row: &GatedRow, v: Option<f64>) -> String {
    match (row.kind, v) {
        (_, None) => "—".to_string(),
        (FigureKind::Instructions, Some(v)) => units::figure(v),
        (FigureKind::Allocations, Some(v)) => format!("{} blocks/op", trim_float(v)),
    }
}

fn trim_float(v: f64) -> String {
    if v.fract() == 0.0 {
        units::figure(v)
    } else {
        format!("{v:.4}")
    }
}

fn change_cell(row: &GatedRow) -> String {
    row.change_pct.map(units::pct).unwrap_or_else(|| "—".into())
}

fn verdict_cell(v: Verdict) -> String {
    match v {
        Verdict::Regressed => "❌ regressed".into(),
        Verdict::Missing => "❌ missing".into(),
        Verdict::Worse => "⚠️ worse, within threshold".into(),
        Verdict::Improved => "✅ improved".into(),
        Verdict::New => "🆕 new".into(),
        Verdict::Unchanged => "unchanged".into(),
    }
}

fn gated_table(rows: &[&GatedRow]) -> Table {
    let mut t = Table::new(&["figure", "kind", "baseline", "current", "change", "verdict"]);
    for r in rows {
        t.rows.push(vec![
            format!("`{}`", r.key),
            r.kind.label().to_string(),
            value_cell(r, r.baseline),
            value_cell(r, r.current),
            change_cell(r),
            verdict_cell(r.verdict),
        ]);
    }
    t
}

/// Regressed, then missing, then the rest by magnitude of change (largest first), then key.
fn by_magnitude(rows: &mut [&GatedRow]) {
    rows.sort_by(|a, b| {
        let mag = |r: &GatedRow| r.change_pct.map(f64::abs).unwrap_or(f64::INFINITY);
        let rank = |r: &GatedRow| match r.verdict {
            Verdict::Regressed => 0,
            Verdict::Missing => 1,
            _ => 2,
        };
        rank(a)
            .cmp(&rank(b))
            .then_with(|| mag(b).total_cmp(&mag(a)))
            .then_with(|| a.key.cmp(&b.key))
    });
}

fn allocation_table(cmp: &Comparison, current: &Results, baseline: Option<&Results>) -> Table {
    let mut t = Table::new(&[
        "hot path",
        "ops",
        "blocks/op (base → now)",
        "bytes/op (base → now)",
        "verdict",
    ]);
    let mut rows: Vec<&GatedRow> = cmp
        .gated
        .iter()
        .filter(|r| r.kind == FigureKind::Allocations)
        .collect();
    rows.sort_by(|a, b| {
        b.verdict
            .fails()
            .cmp(&a.verdict.fails())
            .then(a.key.cmp(&b.key))
    });
    let fmt = |v: Option<f64>| v.map(trim_float).unwrap_or_else(|| "—".into());
    for r in rows {
        let ops = current
            .allocations
            .get(&r.key)
            .or_else(|| baseline.and_then(|b| b.allocations.get(&r.key)))
            .map(|f| units::count(f.ops))
            .unwrap_or_default();
        let (bb, bc) = r.bytes_per_op.unwrap_or((None, None));
        t.rows.push(vec![
            format!("`{}`", r.key),
            ops,
            format!("{} → {}", fmt(r.baseline), fmt(r.current)),
            format!("{} → {}", fmt(bb), fmt(bc)),
            verdict_cell(r.verdict),
        ]);
    }
    t
}

fn throughput_cell(f: Option<&crate::results::WallclockFigure>) -> String {
    let Some(f) = f else {
        return "—".into();
    };
    let mut parts = Vec::new();
    if let Some(b) = f.throughput_bytes_per_s {
        parts.push(units::bytes_per_s(b));
    }
    if let Some(e) = f.elements_per_s {
        parts.push(units::elements_per_s(e));
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(", ")
    }
}

fn wallclock_table(rows: &[WallclockRow]) -> Table {
    let mut t = Table::new(&[
        "benchmark",
        "baseline median",
        "current median",
        "time ratio (now/base)",
        "throughput now",
        "throughput base",
    ]);
    for r in rows {
        let median = |f: Option<crate::results::WallclockFigure>| {
            f.map(|f| units::duration_ns(f.median_ns))
                .unwrap_or_else(|| "—".into())
        };
        t.rows.push(vec![
            format!("`{}`", r.key),
            median(r.baseline),
            median(r.current),
            r.time_ratio()
                .map(units::ratio)
                .unwrap_or_else(|| "—".into()),
            throughput_cell(r.current.as_ref()),
            throughput_cell(r.baseline.as_ref()),
        ]);
    }
    t
}

/// Peer comparison: for every wall-clock key with a path segment `zerortc`, the keys that
/// differ only in that segment (`peers/dc_1k/zerortc` vs `peers/dc_1k/str0m`) are other
/// implementations of the same workload; the ratio is their median time over zerortc's
/// (> 1 means zerortc is faster).
pub fn peer_table(current: &Results) -> Table {
    let mut t = Table::new(&[
        "workload",
        "zerortc median",
        "peer",
        "peer median",
        "peer / zerortc",
    ]);
    for (key, ours) in &current.wallclock {
        let segs: Vec<&str> = key.split('/').collect();
        let Some(pos) = segs.iter().position(|s| *s == "zerortc") else {
            continue;
        };
        for (other_key, theirs) in &current.wallclock {
            let other: Vec<&str> = other_key.split('/').collect();
            if other.len() != segs.len() || other_key == key {
                continue;
            }
            let same_elsewhere = segs
                .iter()
                .zip(&other)
                .enumerate()
                .all(|(i, (a, b))| i == pos || a == b);
            if !same_elsewhere {
                continue;
            }
            let mut workload = segs.clone();
            workload.remove(pos);
            let ratio = if ours.median_ns > 0.0 {
                units::ratio(theirs.median_ns / ours.median_ns)
            } else {
                "—".into()
            };
            t.rows.push(vec![
                format!("`{}`", workload.join("/")),
                units::duration_ns(ours.median_ns),
                other.get(pos).copied().unwrap_or_default().to_string(),
                units::duration_ns(theirs.median_ns),
                ratio,
            ]);
        }
    }
    t
}

/// Builds the report. `baseline_label` says where the baseline came from (or why there is none).
pub fn build(
    cmp: &Comparison,
    current: &Results,
    baseline: Option<&Results>,
    baseline_label: &str,
) -> Report {
    let passed = !cmp.failed();
    let summary = if baseline.is_some() {
        cmp.summary_line()
    } else {
        format!(
            "NO BASELINE: {} figures measured, nothing to compare with",
            current.figure_count()
        )
    };
    let context = format!(
        "commit `{}` at {} on {}; baseline: {}",
        current.git_commit, current.generated_at, current.machine, baseline_label
    );
    let mut sections = Vec::new();

    let changed: Vec<&GatedRow> = cmp
        .gated
        .iter()
        .filter(|r| !matches!(r.verdict, Verdict::Unchanged | Verdict::New))
        .collect();
    let (mut significant, mut noise): (Vec<&GatedRow>, Vec<&GatedRow>) = changed
        .into_iter()
        .partition(|r| r.significant || r.verdict.fails());
    by_magnitude(&mut significant);
    by_magnitude(&mut noise);
    if baseline.is_some() {
        sections.push(Section {
            title: "Gated changes".into(),
            note: if significant.is_empty() {
                "No significant change in instruction or allocation counts.".into()
            } else {
                format!(
                    "Instruction counts fail above +{}%, allocation counts fail on any growth, \
                     a figure missing from this run fails. Sorted by magnitude, offenders first.",
                    cmp.config.ir_threshold_pct
                )
            },
            table: gated_table(&significant),
            collapsed: false,
        });
        if !noise.is_empty() {
            sections.push(Section {
                title: format!(
                    "Noise: {} changes below {}%",
                    noise.len(),
                    cmp.config.noise_floor_pct
                ),
                note: String::new(),
                table: gated_table(&noise),
                collapsed: true,
            });
        }
    }
    let new: Vec<&GatedRow> = cmp.with_verdict(Verdict::New).collect();
    if !new.is_empty() {
        sections.push(Section {
            title: format!("New figures ({})", new.len()),
            note: "Not in the baseline: reported, they pass. `perf-ci bless` adds them.".into(),
            table: gated_table(&new),
            collapsed: baseline.is_some() && new.len() > 10,
        });
    }
    let alloc = allocation_table(cmp, current, baseline);
    if !alloc.rows.is_empty() {
        sections.push(Section {
            title: "Allocations per operation (dhat)".into(),
            note: "Blocks per operation are gated (no growth allowed); bytes are reported.".into(),
            table: alloc,
            collapsed: false,
        });
    }
    if !cmp.wallclock.is_empty() {
        sections.push(Section {
            title: "Wall clock (criterion, reported, never gated)".into(),
            note: "Medians on a shared 2-vCPU VM: differences of a few percent are noise.".into(),
            table: wallclock_table(&cmp.wallclock),
            collapsed: false,
        });
    }
    let peers = peer_table(current);
    if !peers.rows.is_empty() {
        sections.push(Section {
            title: "zerortc vs peers (wall clock)".into(),
            note: "Ratio > 1: the peer takes longer than zerortc for the same work.".into(),
            table: peers,
            collapsed: false,
        });
    }
    let unchanged: Vec<&GatedRow> = cmp.with_verdict(Verdict::Unchanged).collect();
    if !unchanged.is_empty() {
        sections.push(Section {
            title: format!("Unchanged ({})", unchanged.len()),
            note: String::new(),
            table: gated_table(&unchanged),
            collapsed: true,
        });
    }
    Report {
        passed,
        summary,
        context,
        sections,
    }
}

impl Report {
    /// Markdown for a PR comment.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let icon = if self.passed { "✅" } else { "❌" };
        let _ = writeln!(out, "## {icon} zerortc perf report\n");
        let _ = writeln!(out, "**{}**\n", self.summary);
        let _ = writeln!(out, "{}\n", self.context);
        for s in &self.sections {
            if s.collapsed {
                let _ = writeln!(out, "<details><summary>{}</summary>\n", s.title);
            } else {
                let _ = writeln!(out, "### {}\n", s.title);
            }
            if !s.note.is_empty() {
                let _ = writeln!(out, "{}\n", s.note);
            }
            if !s.table.rows.is_empty() {
                out.push_str(&s.table.to_markdown());
                out.push('\n');
            }
            if s.collapsed {
                let _ = writeln!(out, "</details>\n");
            }
        }
        out
    }
}

/// The short terminal summary (`scripts/bench` shows it): the verdict and the gated changes
/// that matter (at most `max_rows`), without markdown.
pub fn terminal_summary(report: &Report, cmp: &Comparison, max_rows: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", report.summary);
    let mut rows: Vec<&GatedRow> = cmp
        .gated
        .iter()
        .filter(|r| r.verdict.fails() || (r.significant && r.verdict != Verdict::Unchanged))
        .collect();
    by_magnitude(&mut rows);
    if !rows.is_empty() {
        let mut t = Table::new(&["figure", "kind", "baseline", "current", "change", "verdict"]);
        for r in rows.iter().take(max_rows) {
            t.rows.push(vec![
                r.key.clone(),
                r.kind.label().to_string(),
                value_cell(r, r.baseline),
                value_cell(r, r.current),
                change_cell(r),
                r.verdict.label().to_string(),
            ]);
        }
        out.push('\n');
        out.push_str(&t.to_text());
        if rows.len() > max_rows {
            let _ = writeln!(out, "… and {} more (see the report)", rows.len() - max_rows);
        }
    }
    let fastest: Vec<&WallclockRow> = cmp
        .wallclock
        .iter()
        .filter(|r| r.current.is_some())
        .collect();
    if !fastest.is_empty() {
        let mut t = Table::new(&["wall clock", "median", "throughput", "now/base"]);
        for r in fastest.iter().take(max_rows) {
            t.rows.push(vec![
                r.key.clone(),
                r.current
                    .map(|f| units::duration_ns(f.median_ns))
                    .unwrap_or_default(),
                throughput_cell(r.current.as_ref()),
                r.time_ratio()
                    .map(units::ratio)
                    .unwrap_or_else(|| "—".into()),
            ]);
        }
        out.push('\n');
        out.push_str(&t.to_text());
        if fastest.len() > max_rows {
            let _ = writeln!(
                out,
                "… and {} more (see the report)",
                fastest.len() - max_rows
            );
        }
    }
    out
}
