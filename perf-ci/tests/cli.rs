//! End-to-end: the `perf-ci` binary on synthetic files in a temporary workspace.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use perf_ci::results::{AllocFigure, Results};

struct TempWs(PathBuf);

impl TempWs {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("perf-ci-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub/deeper")).unwrap();
        std::fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        TempWs(dir)
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }
}

impl Drop for TempWs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn perf_ci(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perf-ci"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn results(ir: u64, blocks: u64) -> Results {
    let mut r = Results::new("2026-11-24T21:00:00Z".into(), "abc".into(), "m".into());
    r.instructions.insert("rtp_ir/parse/parse/small".into(), ir);
    r.instructions
        .insert("rtp_ir/parse/parse/large".into(), 50_000);
    r.allocations.insert(
        "rtp_parse".into(),
        AllocFigure {
            ops: 1000,
            blocks,
            bytes: blocks * 16,
        },
    );
    r
}

const BASE: &str = "reports/baselines/main.json";
const LATEST: &str = "reports/latest/results.json";

#[test]
fn compare_exit_codes() {
    let ws = TempWs::new("compare");
    results(10_000, 0).save(&ws.path(BASE)).unwrap();
    // Found from a subdirectory: default paths are relative to the workspace root.
    let sub = ws.path("sub/deeper");

    results(10_000, 0).save(&ws.path(LATEST)).unwrap();
    let o = perf_ci(&sub, &["compare"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("PASS: 0 regressed"));

    results(10_050, 0).save(&ws.path(LATEST)).unwrap(); // +0.5 %
    let o = perf_ci(&sub, &["compare"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("worse (within threshold)"));

    results(10_200, 0).save(&ws.path(LATEST)).unwrap(); // +2 %
    let o = perf_ci(&sub, &["compare"]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("REGRESSED"), "{out}");
    assert!(out.contains("+2.00 %"), "{out}");
    // The threshold is configurable.
    let o = perf_ci(&sub, &["compare", "--ir-threshold", "2"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = perf_ci(&sub, &["compare", "--ir-threshold", "1.99"]);
    assert_eq!(code(&o), 1, "{}", text(&o));

    results(10_000, 1).save(&ws.path(LATEST)).unwrap(); // allocation 0 -> 1
    let o = perf_ci(&sub, &["compare"]);
    assert_eq!(code(&o), 1, "{}", text(&o));

    // Explicit paths, a missing figure.
    let mut fewer = results(10_000, 0);
    fewer.instructions.remove("rtp_ir/parse/parse/large");
    let other = ws.path("other.json");
    fewer.save(&other).unwrap();
    let o = perf_ci(
        &ws.0,
        &[
            "compare",
            "--results",
            other.to_str().unwrap(),
            "--baseline",
            BASE,
        ],
    );
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("MISSING"));
}

#[test]
fn compare_usage_and_io_errors_exit_2() {
    let ws = TempWs::new("errors");
    results(10_000, 0).save(&ws.path(LATEST)).unwrap();

    // No baseline: explain `bless`, exit 2 unless allowed.
    let o = perf_ci(&ws.0, &["compare"]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("no baseline at"), "{out}");
    assert!(out.contains("perf-ci bless"), "{out}");
    let o = perf_ci(&ws.0, &["compare", "--allow-missing-baseline"]);
    assert_eq!(code(&o), 0, "{}", text(&o));

    results(10_000, 0).save(&ws.path(BASE)).unwrap();
    std::fs::write(ws.path(LATEST), "{ not json").unwrap();
    let o = perf_ci(&ws.0, &["compare"]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("not a valid results file"));

    std::fs::remove_file(ws.path(LATEST)).unwrap();
    let o = perf_ci(&ws.0, &["compare"]);
    assert_eq!(code(&o), 2, "{}", text(&o));

    let o = perf_ci(&ws.0, &["compare", "--ir-threshold", "-1"]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    let o = perf_ci(&ws.0, &["compare", "--no-such-flag"]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    let o = perf_ci(&ws.0, &["frobnicate"]);
    assert_eq!(code(&o), 2, "{}", text(&o));
}

#[test]
fn bless_then_compare_then_report() {
    let ws = TempWs::new("bless");
    let mut r = results(10_000, 0);
    r.git_commit = "1234abcd".into();
    r.save(&ws.path(LATEST)).unwrap();

    let o = perf_ci(&ws.0, &["bless"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("Creating"));
    let blessed = std::fs::read_to_string(ws.path(BASE)).unwrap();
    assert_eq!(Results::load(&ws.path(BASE)).unwrap(), r);
    assert!(blessed.find("\"allocations\"") < blessed.find("\"instructions\""));
    assert!(blessed.contains("\n  \"schema\": 1,\n"));

    let o = perf_ci(&ws.0, &["compare"]);
    assert_eq!(code(&o), 0, "{}", text(&o));

    // A change, blessed: bless prints what changed.
    results(9_000, 0).save(&ws.path(LATEST)).unwrap();
    let o = perf_ci(&ws.0, &["report"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let md = std::fs::read_to_string(ws.path("reports/latest/report.md")).unwrap();
    assert!(
        md.contains(
            "| `rtp_ir/parse/parse/small` | Ir | 10,000 | 9,000 | -10.00 % | ✅ improved |"
        ),
        "{md}"
    );
    let page = std::fs::read_to_string(ws.path("reports/latest/report.html")).unwrap();
    assert!(page.contains("<svg"));
    assert!(text(&o).contains("report.md"));

    let o = perf_ci(&ws.0, &["bless"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("improved"), "{}", text(&o));
    assert_eq!(
        Results::load(&ws.path(BASE)).unwrap().instructions["rtp_ir/parse/parse/small"],
        9_000
    );

    // Nothing to bless.
    Results::new("t".into(), "c".into(), "m".into())
        .save(&ws.path(LATEST))
        .unwrap();
    let o = perf_ci(&ws.0, &["bless"]);
    assert_eq!(code(&o), 2, "{}", text(&o));
}

#[test]
fn report_without_baseline_still_writes() {
    let ws = TempWs::new("report");
    results(10_000, 0).save(&ws.path(LATEST)).unwrap();
    let out_dir = ws.path("elsewhere");
    let o = perf_ci(&ws.0, &["report", "--out-dir", out_dir.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("NO BASELINE"));
    let md = std::fs::read_to_string(out_dir.join("report.md")).unwrap();
    assert!(
        md.contains("none (`reports/baselines/main.json` does not exist)"),
        "{md}"
    );
}
