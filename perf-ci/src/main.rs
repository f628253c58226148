//! `perf-ci`: run the zerortc lab, compare with the stored baseline, write the report.
//!
//! Exit codes: 0 success / gate passed; 1 gate failed (`compare`) or a suite failed (`run`);
//! 2 usage or I/O error (including a missing baseline for `compare`, unless
//! `--allow-missing-baseline`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use clap::{Args, Parser, Subcommand};
use perf_ci::compare::{self, Comparison, GateConfig, Verdict};
use perf_ci::report::{self, Table};
use perf_ci::results::Results;
use perf_ci::{html, run, units, workspace};

const DEFAULT_RESULTS: &str = "reports/latest/results.json";
const DEFAULT_BASELINE: &str = "reports/baselines/main.json";
const DEFAULT_REPORT_DIR: &str = "reports/latest";

/// Runs the zerortc performance lab and gates changes against the stored baseline.
#[derive(Debug, Parser)]
#[command(name = "perf-ci", version, about)]
struct Cli {
    /// Workspace root (default: walk up from the current directory to the Cargo.toml with
    /// `[workspace]`). Default paths below are relative to it.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Run the gungraun suites, the allocation tests (and criterion suites with --criterion)
    /// and write results.json.
    Run(RunArgs),
    /// Gate: compare results with the baseline; exit 1 on a regression.
    Compare(CompareArgs),
    /// Write reports/latest/report.md and report.html and print a short summary.
    Report(ReportArgs),
    /// Copy the results into the baseline (after an intended change).
    Bless(Files),
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Also run the criterion suites (wall clock; slow) with --noplot.
    #[arg(long)]
    criterion: bool,
    /// Pass --quick to criterion (shorter, less precise measurements).
    #[arg(long)]
    quick: bool,
    /// Only these suites (comma-separated bench names; `allocs` = the allocation tests).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    suites: Vec<String>,
    /// Where to write the results [default: reports/latest/results.json].
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct Files {
    /// Baseline file [default: reports/baselines/main.json].
    #[arg(long, value_name = "PATH")]
    baseline: Option<PathBuf>,
    /// Results file [default: reports/latest/results.json].
    #[arg(long, value_name = "PATH")]
    results: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct CompareArgs {
    #[command(flatten)]
    files: Files,
    /// Maximum allowed growth of an instruction count, percent (growth of exactly this passes).
    #[arg(long, default_value_t = 1.0, value_name = "PCT")]
    ir_threshold: f64,
    /// Pass (exit 0) when the baseline file does not exist.
    #[arg(long)]
    allow_missing_baseline: bool,
}

#[derive(Debug, Args)]
struct ReportArgs {
    #[command(flatten)]
    files: Files,
    /// Maximum allowed growth of an instruction count, percent.
    #[arg(long, default_value_t = 1.0, value_name = "PCT")]
    ir_threshold: f64,
    /// Directory for report.md and report.html [default: reports/latest].
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

/// A failure with its exit code.
struct Failure {
    code: u8,
    message: String,
}

fn io_error(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("perf-ci: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn dispatch(cli: Cli) -> Result<u8, Failure> {
    let root = match cli.root {
        Some(r) => r,
        None => {
            let cwd =
                std::env::current_dir().map_err(|e| io_error(format!("current directory: {e}")))?;
            workspace::find_root(&cwd).unwrap_or(cwd)
        }
    };
    let files = |f: &Files| {
        (
            f.results
                .clone()
                .unwrap_or_else(|| root.join(DEFAULT_RESULTS)),
            f.baseline
                .clone()
                .unwrap_or_else(|| root.join(DEFAULT_BASELINE)),
        )
    };
    match cli.command {
        Cmd::Run(args) => cmd_run(&root, args),
        Cmd::Compare(args) => {
            let (results, baseline) = files(&args.files);
            cmd_compare(
                &results,
                &baseline,
                args.ir_threshold,
                args.allow_missing_baseline,
            )
        }
        Cmd::Report(args) => {
            let (results, baseline) = files(&args.files);
            let out_dir = args
                .out_dir
                .unwrap_or_else(|| root.join(DEFAULT_REPORT_DIR));
            cmd_report(&root, &results, &baseline, &out_dir, args.ir_threshold)
        }
        Cmd::Bless(f) => {
            let (results, baseline) = files(&f);
            cmd_bless(&results, &baseline)
        }
    }
}

fn gate_config(ir_threshold: f64) -> Result<GateConfig, Failure> {
    if !ir_threshold.is_finite() || ir_threshold < 0.0 {
        return Err(io_error(format!(
            "--ir-threshold must be a percentage >= 0, got {ir_threshold}"
        )));
    }
    Ok(GateConfig {
        ir_threshold_pct: ir_threshold,
        ..GateConfig::default()
    })
}

fn load(path: &Path) -> Result<Results, Failure> {
    Results::load(path).map_err(|e| io_error(e.to_string()))
}

fn missing_baseline_help(baseline: &Path, results: &Path) -> String {
    format!(
        "no baseline at {}.\n  To create one from the current results (after checking them):\n    \
         perf-ci bless --results {} --baseline {}\n  then commit it with the reason in the \
         message. (`perf-ci compare --allow-missing-baseline` passes without one.)",
        baseline.display(),
        results.display(),
        baseline.display()
    )
}

fn cmd_run(root: &Path, args: RunArgs) -> Result<u8, Failure> {
    let out = args.out.unwrap_or_else(|| root.join(DEFAULT_RESULTS));
    let mut suites = workspace::discover_suites(root);
    let unknown = workspace::unknown_suites(&suites, &args.suites);
    if !unknown.is_empty() {
        return Err(io_error(format!(
            "unknown suite(s): {} (known: {}, allocs)",
            unknown.join(", "),
            suites
                .ir
                .iter()
                .chain(&suites.criterion)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if !suites.skipped.is_empty() {
        eprintln!(
            "perf-ci: skipping suites that need a cargo feature: {}",
            suites.skipped.join(", ")
        );
    }
    suites.skipped.clear();
    let mut plan = run::RunPlan::new(root.to_path_buf(), &suites, &args.suites, args.criterion);
    plan.criterion_quick = args.quick;
    if plan.ir_suites.is_empty() && args.suites.is_empty() {
        eprintln!(
            "perf-ci: no gungraun suite (benches/benches/*_ir.rs) in {}",
            root.display()
        );
    }
    eprintln!(
        "perf-ci run in {}: {} gungraun suite(s){}{}",
        root.display(),
        plan.ir_suites.len(),
        if plan.allocs {
            ", allocation tests"
        } else {
            ""
        },
        if plan.criterion_suites.is_empty() {
            String::new()
        } else {
            format!(", {} criterion suite(s)", plan.criterion_suites.len())
        }
    );
    let meta = Results::new(
        run::utc_timestamp(SystemTime::now()),
        run::git_commit(root),
        run::machine(),
    );
    let outcome = run::execute(&plan, meta);
    outcome
        .results
        .save(&out)
        .map_err(|e| io_error(e.to_string()))?;
    let r = &outcome.results;
    eprintln!(
        "\nperf-ci: wrote {} ({} instruction counts, {} allocation figures, {} wall-clock figures)",
        out.display(),
        r.instructions.len(),
        r.allocations.len(),
        r.wallclock.len()
    );
    if outcome.failures.is_empty() {
        Ok(0)
    } else {
        eprintln!("perf-ci: {} suite failure(s):", outcome.failures.len());
        for f in &outcome.failures {
            eprintln!("  - {f}");
        }
        Ok(1)
    }
}

fn gated_text_table(cmp: &Comparison) -> Table {
    let mut t = Table {
        header: ["verdict", "kind", "figure", "baseline", "current", "change"]
            .iter()
            .map(|s| (*s).to_string())
            .collect(),
        rows: Vec::new(),
    };
    for r in cmp.gated.iter().filter(|r| r.verdict != Verdict::Unchanged) {
        let v = |x: Option<f64>| x.map(units::figure).unwrap_or_else(|| "-".into());
        t.rows.push(vec![
            r.verdict.label().to_string(),
            r.kind.label().to_string(),
            r.key.clone(),
            v(r.baseline),
            v(r.current),
            r.change_pct.map(units::pct).unwrap_or_else(|| "-".into()),
        ]);
    }
    t
}

fn cmd_compare(
    results_path: &Path,
    baseline_path: &Path,
    ir_threshold: f64,
    allow_missing: bool,
) -> Result<u8, Failure> {
    let config = gate_config(ir_threshold)?;
    let current = load(results_path)?;
    if !baseline_path.exists() {
        let help = missing_baseline_help(baseline_path, results_path);
        if allow_missing {
            println!("perf-ci compare: PASS (no baseline; --allow-missing-baseline)");
            eprintln!("perf-ci: {help}");
            return Ok(0);
        }
        return Err(io_error(help));
    }
    let baseline = load(baseline_path)?;
    let cmp = compare::compare(&baseline, &current, config);
    let table = gated_text_table(&cmp);
    if !table.rows.is_empty() {
        print!("{}", table.to_text());
        println!();
    }
    let unchanged = cmp.count(Verdict::Unchanged);
    if unchanged > 0 {
        println!("{unchanged} figure(s) unchanged.");
    }
    println!(
        "baseline {} ({}), results {} ({})",
        baseline_path.display(),
        baseline.git_commit,
        results_path.display(),
        current.git_commit
    );
    println!("{}", cmp.summary_line());
    if cmp.failed() {
        println!(
            "If the change is intended: perf-ci bless, and give the reason in the commit message."
        );
        Ok(1)
    } else {
        Ok(0)
    }
}

fn cmd_report(
    root: &Path,
    results_path: &Path,
    baseline_path: &Path,
    out_dir: &Path,
    ir_threshold: f64,
) -> Result<u8, Failure> {
    let config = gate_config(ir_threshold)?;
    let current = load(results_path)?;
    let baseline = if baseline_path.exists() {
        Some(load(baseline_path)?)
    } else {
        eprintln!(
            "perf-ci: {}",
            missing_baseline_help(baseline_path, results_path)
        );
        None
    };
    let empty = Results::new(String::new(), String::new(), String::new());
    let cmp = compare::compare(baseline.as_ref().unwrap_or(&empty), &current, config);
    let shown = baseline_path
        .strip_prefix(root)
        .unwrap_or(baseline_path)
        .display();
    let label = match &baseline {
        Some(b) => format!("`{shown}` (commit `{}`, {})", b.git_commit, b.generated_at),
        None => format!("none (`{shown}` does not exist)"),
    };
    let rep = report::build(&cmp, &current, baseline.as_ref(), &label);
    let page = html::render(&rep, &current, baseline.as_ref()).map_err(io_error)?;
    std::fs::create_dir_all(out_dir)
        .map_err(|e| io_error(format!("{}: {e}", out_dir.display())))?;
    let md_path = out_dir.join("report.md");
    let html_path = out_dir.join("report.html");
    std::fs::write(&md_path, rep.to_markdown())
        .map_err(|e| io_error(format!("{}: {e}", md_path.display())))?;
    std::fs::write(&html_path, page)
        .map_err(|e| io_error(format!("{}: {e}", html_path.display())))?;
    print!("{}", report::terminal_summary(&rep, &cmp, 25));
    println!(
        "\nreport: {}\n        {}",
        md_path.display(),
        html_path.display()
    );
    Ok(0)
}

fn cmd_bless(results_path: &Path, baseline_path: &Path) -> Result<u8, Failure> {
    let current = load(results_path)?;
    if current.figure_count() == 0 {
        return Err(io_error(format!(
            "{} holds no figures: nothing to bless",
            results_path.display()
        )));
    }
    if baseline_path.exists() {
        let old = load(baseline_path)?;
        let cmp = compare::compare(&old, &current, GateConfig::default());
        let table = gated_text_table(&cmp);
        if table.rows.is_empty() {
            println!("No gated figure changed.");
        } else {
            print!("{}", table.to_text());
        }
        let walls_changed = cmp
            .wallclock
            .iter()
            .filter(|r| r.baseline != r.current)
            .count();
        println!(
            "{} gated figure(s) unchanged; {walls_changed} wall-clock figure(s) updated.",
            cmp.count(Verdict::Unchanged)
        );
    } else {
        println!(
            "Creating {} with {} figures.",
            baseline_path.display(),
            current.figure_count()
        );
    }
    if current.git_commit.ends_with("-dirty") || current.git_commit == "unknown" {
        eprintln!(
            "perf-ci: note: the results come from commit {:?} (not a clean commit)",
            current.git_commit
        );
    }
    current
        .save(baseline_path)
        .map_err(|e| io_error(e.to_string()))?;
    println!(
        "Blessed {} -> {}. Commit it with the reason in the message.",
        results_path.display(),
        baseline_path.display()
    );
    Ok(0)
}
