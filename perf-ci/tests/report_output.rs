//! Report rendering: markdown and HTML carry the expected rows and inline SVG charts.

use perf_ci::compare::{GateConfig, compare};
use perf_ci::results::{AllocFigure, Results, WallclockFigure};
use perf_ci::{html, report};

fn wall(median_ns: f64, bytes: Option<f64>, elements: Option<f64>) -> WallclockFigure {
    WallclockFigure {
        median_ns,
        mean_ns: median_ns * 1.01,
        throughput_bytes_per_s: bytes,
        elements_per_s: elements,
    }
}

fn pair() -> (Results, Results) {
    let mut base = Results::new(
        "2026-11-24T20:00:00Z".into(),
        "base123".into(),
        "EPYC (2 cores)".into(),
    );
    let mut cur = Results::new(
        "2026-11-24T21:00:00Z".into(),
        "head456".into(),
        "EPYC (2 cores)".into(),
    );
    base.instructions
        .insert("rtp_ir/parse/parse/small".into(), 1000);
    cur.instructions
        .insert("rtp_ir/parse/parse/small".into(), 1100); // +10 %: regressed
    base.instructions
        .insert("rtp_ir/parse/parse/large".into(), 100_000);
    cur.instructions
        .insert("rtp_ir/parse/parse/large".into(), 100_050); // +0.05 %: noise
    base.instructions
        .insert("rtp_ir/marshal/write/small".into(), 2000);
    cur.instructions
        .insert("rtp_ir/marshal/write/small".into(), 1500); // improved
    base.instructions
        .insert("stun_ir/parse/binding".into(), 700); // missing
    cur.instructions.insert("sctp_ir/chunk/data".into(), 4242); // new
    base.instructions.insert("rtcp_ir/parse/sr".into(), 321);
    cur.instructions.insert("rtcp_ir/parse/sr".into(), 321); // unchanged
    let zero = AllocFigure {
        ops: 10_000,
        blocks: 0,
        bytes: 0,
    };
    base.allocations.insert("rtp_parse".into(), zero);
    cur.allocations.insert(
        "rtp_parse".into(),
        AllocFigure {
            ops: 10_000,
            blocks: 10_000,
            bytes: 640_000,
        },
    );
    base.allocations.insert("srtp_protect".into(), zero);
    cur.allocations.insert("srtp_protect".into(), zero);
    base.wallclock
        .insert("rtp/parse/1200".into(), wall(12.0, Some(1e11), None));
    cur.wallclock
        .insert("rtp/parse/1200".into(), wall(15.0, Some(8e10), None));
    cur.wallclock
        .insert("dc/messages/1k".into(), wall(1500.0, None, Some(6.6e5)));
    cur.wallclock
        .insert("peers/dc_1k/zerortc".into(), wall(1000.0, None, None));
    cur.wallclock
        .insert("peers/dc_1k/str0m".into(), wall(2500.0, None, None));
    (base, cur)
}

#[test]
fn markdown_has_summary_gated_rows_in_order_and_sections() {
    let (base, cur) = pair();
    let cmp = compare(&base, &cur, GateConfig::default());
    let rep = report::build(&cmp, &cur, Some(&base), "`reports/baselines/main.json`");
    assert!(!rep.passed);
    let md = rep.to_markdown();
    assert!(md.starts_with("## ❌ zerortc perf report"));
    assert!(md.contains("**FAIL: 2 regressed, 1 missing;"));
    assert!(md.contains("commit `head456`"));
    // Offenders first: the allocation regression (+inf), then +10 %, then the missing figure,
    // then the improvement.
    let pos = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s} not in\n{md}"));
    let gated = pos("### Gated changes");
    let alloc_row =
        pos("| `rtp_parse` | allocs | 0 blocks/op | 1 blocks/op | +inf % | ❌ regressed |");
    let ir_row =
        pos("| `rtp_ir/parse/parse/small` | Ir | 1,000 | 1,100 | +10.00 % | ❌ regressed |");
    let missing = pos("| `stun_ir/parse/binding` | Ir | 700 | — | — | ❌ missing |");
    let improved =
        pos("| `rtp_ir/marshal/write/small` | Ir | 2,000 | 1,500 | -25.00 % | ✅ improved |");
    assert!(gated < alloc_row && alloc_row < ir_row && ir_row < missing && missing < improved);
    // Noise is separated, new figures listed, unchanged collapsed.
    let noise = pos("<details><summary>Noise: 1 changes below 0.2%</summary>");
    assert!(pos("| `rtp_ir/parse/parse/large` | Ir | 100,000 | 100,050 | +0.05 % |") > noise);
    assert!(md.contains("| `sctp_ir/chunk/data` | Ir | — | 4,242 | — | 🆕 new |"));
    assert!(md.contains("<details><summary>Unchanged (2)</summary>"));
    // Allocation table with bytes per op.
    assert!(md.contains("| `rtp_parse` | 10,000 | 0 → 1 | 0 → 64 | ❌ regressed |"));
    // Wall clock with human units and ratio; peers ratio.
    assert!(
        md.contains(
            "| `rtp/parse/1200` | 12.00 ns | 15.00 ns | 1.25× | 80.00 GB/s | 100.00 GB/s |"
        )
    );
    assert!(md.contains("| `dc/messages/1k` | — | 1.50 µs | — | 660.00 k elem/s | — |"));
    assert!(md.contains("| `peers/dc_1k` | 1.00 µs | str0m | 2.50 µs | 2.50× |"));
}

#[test]
fn passing_report_and_no_baseline_report() {
    let (_, cur) = pair();
    let cmp = compare(&cur, &cur, GateConfig::default());
    let rep = report::build(&cmp, &cur, Some(&cur), "self");
    assert!(rep.passed);
    let md = rep.to_markdown();
    assert!(md.starts_with("## ✅ zerortc perf report"));
    assert!(md.contains("No significant change in instruction or allocation counts."));

    let empty = Results::new(String::new(), String::new(), String::new());
    let cmp = compare(&empty, &cur, GateConfig::default());
    let rep = report::build(&cmp, &cur, None, "none");
    assert!(rep.passed);
    assert!(rep.summary.starts_with("NO BASELINE: 11 figures measured"));
    let md = rep.to_markdown();
    assert!(!md.contains("### Gated changes"));
    assert!(md.contains("### New figures (7)"));
}

#[test]
fn html_is_self_contained_with_tables_and_svg_charts() {
    let (base, cur) = pair();
    let cmp = compare(&base, &cur, GateConfig::default());
    let rep = report::build(&cmp, &cur, Some(&base), "`main.json`");
    let page = html::render(&rep, &cur, Some(&base)).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    // Three charts: instructions, byte throughput, element throughput.
    assert_eq!(page.matches("<svg").count(), 3, "{page}");
    assert!(!page.contains("<?xml"));
    assert!(page.contains("Instructions per benchmark"));
    assert!(page.contains("Wall-clock throughput, bytes"));
    // Chart labels are SVG text, benchmark names included.
    assert!(page.contains(">rtp_ir/parse/parse/small<"), "label missing");
    assert!(page.contains("<td><code>rtp_ir/parse/parse/small</code></td>"));
    assert!(page.contains("<span class=\"fail\">regressed</span>"));
    assert!(page.contains("<td>1.25×</td>"));
    // Nothing external.
    assert!(!page.contains("src=\"http"));
    assert!(!page.contains("<script"));
    assert!(!page.contains("<link"));
}

#[test]
fn terminal_summary_lists_offenders() {
    let (base, cur) = pair();
    let cmp = compare(&base, &cur, GateConfig::default());
    let rep = report::build(&cmp, &cur, Some(&base), "b");
    let text = report::terminal_summary(&rep, &cmp, 25);
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("FAIL: 2 regressed"));
    let lines: Vec<&str> = text.lines().collect();
    let row = |needle: &str| lines.iter().position(|l| l.starts_with(needle)).unwrap();
    assert!(row("rtp_parse ") < row("rtp_ir/parse/parse/small "));
    assert!(row("rtp_ir/parse/parse/small ") < row("stun_ir/parse/binding "));
    assert!(text.contains("REGRESSED"));
    assert!(text.contains("rtp/parse/1200"));
    // Noise is not in the terminal summary.
    assert!(!text.contains("rtp_ir/parse/parse/large"));
}

#[test]
fn html_escapes_names_and_skips_charts_without_data() {
    let mut cur = Results::new("t".into(), "c".into(), "m".into());
    cur.allocations.insert(
        "<evil>&".into(),
        AllocFigure {
            ops: 1,
            blocks: 0,
            bytes: 0,
        },
    );
    let empty = Results::new(String::new(), String::new(), String::new());
    let cmp = compare(&empty, &cur, GateConfig::default());
    let rep = report::build(&cmp, &cur, None, "none");
    let page = html::render(&rep, &cur, None).unwrap();
    assert!(page.contains("&lt;evil&gt;&amp;"));
    assert!(!page.contains("<evil>"));
    assert!(page.contains("No figures to chart."));
    assert_eq!(page.matches("<svg").count(), 0);
}
