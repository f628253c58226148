//! Running the suites with cargo and collecting their figures (`perf-ci run`).
//!
//! Order: gungraun suites (one `cargo bench --bench NAME` each), then the allocation tests, then
//! (when asked) the criterion suites. A suite that fails is recorded and the run goes on, so one
//! broken suite does not hide the others; `results.json` is written with whatever was
//! collected, and the caller exits non-zero. A suite that runs fine but yields no figure only
//! gets a warning: whatever the baseline expected from it fails `compare` as missing.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::results::Results;
use crate::workspace::Suites;
use crate::{allocs, criterion, gungraun, units};

/// Package holding the bench suites.
pub const BENCH_PACKAGE: &str = "zerortc-benches";
/// Package holding the allocation tests.
pub const ALLOCS_PACKAGE: &str = "zerortc-allocs";
/// Pseudo-suite name selecting the allocation tests in `--suites`.
pub const ALLOCS_SUITE: &str = "allocs";

/// What to run.
#[derive(Debug, Clone)]
pub struct RunPlan {
    /// Workspace root (cargo runs there).
    pub root: PathBuf,
    /// gungraun suites to run.
    pub ir_suites: Vec<String>,
    /// Whether to run the allocation tests.
    pub allocs: bool,
    /// criterion suites to run.
    pub criterion_suites: Vec<String>,
    /// Pass `--quick` to criterion.
    pub criterion_quick: bool,
}

impl RunPlan {
    /// Plans a run from discovered suites: `wanted` empty means every gungraun suite plus the
    /// allocation tests (plus every criterion suite with `with_criterion`); otherwise exactly the
    /// named suites (`allocs` names the allocation tests).
    pub fn new(root: PathBuf, suites: &Suites, wanted: &[String], with_criterion: bool) -> Self {
        let all = wanted.is_empty();
        let named = |s: &String| all || wanted.contains(s);
        RunPlan {
            root,
            ir_suites: suites.ir.iter().filter(|s| named(s)).cloned().collect(),
            allocs: all || wanted.iter().any(|w| w == ALLOCS_SUITE),
            criterion_suites: suites
                .criterion
                .iter()
                .filter(|s| (all && with_criterion) || wanted.contains(s))
                .cloned()
                .collect(),
            criterion_quick: false,
        }
    }

    /// Number of steps (suites) in the plan.
    pub fn steps(&self) -> usize {
        self.ir_suites.len() + usize::from(self.allocs) + self.criterion_suites.len()
    }
}

/// The results and the suites that failed.
#[derive(Debug)]
pub struct RunOutcome {
    /// Figures collected.
    pub results: Results,
    /// One message per failed suite.
    pub failures: Vec<String>,
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        }
        None => root.join("target"),
    }
}

/// How instruction-count suites are built so their figures do not depend on where the
/// workspace is checked out.
///
/// Under valgrind the heap starts right after the binary's data segment and the stack
/// below `argv`, so a longer checkout path (embedded by `env!("CARGO_MANIFEST_DIR")` and
/// panic locations, and in `argv[0]`) moves every heap and stack address. glibc's `memcpy`
/// takes a different number of instructions for differently aligned buffers, so the same
/// commit measured in `/work/main` and in `/check/work/main` gave 434 and 446 Ir for one
/// RTP marshal. The fix: cargo reaches the workspace through a symlink whose path has the
/// same length for every checkout (`/tmp/zerortc-ir-<16 hex digits of the root's hash>`),
/// and builds into `target/ir` through it. Every path compiled into the binaries, and
/// `argv[0]`, then has the same length wherever the checkout is: same commit, same memory
/// layout, same figures.
///
/// The environment is the other input to that layout: gungraun clears the benchmark's
/// environment but keeps `LD_LIBRARY_PATH` and `LD_PRELOAD`, which then sit on the client's
/// stack. `cargo run -p perf-ci` sets `LD_LIBRARY_PATH` (to its target directories) and
/// running `target/release/perf-ci` does not, and that alone moved the same RTP marshal
/// between 434 and 446 Ir. So the gungraun suites run without those two variables
/// ([`IrBuildEnv::unset`]), however perf-ci was started.
#[derive(Debug, Clone, Default)]
pub struct IrBuildEnv {
    /// Extra environment for `cargo bench` of the gungraun suites.
    pub vars: Vec<(String, String)>,
    /// Variables removed from that environment (those gungraun would pass on to the
    /// benchmark under valgrind).
    pub unset: Vec<String>,
    /// The workspace manifest through the fixed-length link.
    pub manifest_path: PathBuf,
    /// The target directory as cargo sees it (through the link).
    pub target_dir: PathBuf,
    /// The fixed-length link to the workspace root.
    pub link: PathBuf,
}

/// What gungraun keeps in a cleared environment (its `env_clear`): removed for the
/// instruction-count suites, see [`IrBuildEnv`].
pub const IR_UNSET_VARS: [&str; 2] = ["LD_LIBRARY_PATH", "LD_PRELOAD"];

/// FNV-1a, 64 bit: a stable name for a checkout (not security relevant).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl IrBuildEnv {
    /// Creates the fixed-length symlink to the workspace root (replacing a stale one) and
    /// the environment that builds through it into `target/ir`.
    pub fn prepare(root: &Path) -> Result<IrBuildEnv, String> {
        let root = root
            .canonicalize()
            .map_err(|e| format!("cannot resolve {}: {e}", root.display()))?;
        let link = PathBuf::from(format!(
            "/tmp/zerortc-ir-{:016x}",
            fnv1a(root.as_os_str().as_encoded_bytes())
        ));
        let points_here = std::fs::read_link(&link).is_ok_and(|t| t == root);
        if !points_here {
            // A stale link (or anything else) left by an earlier checkout at the same path.
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(&root, &link).map_err(|e| {
                format!("cannot link {} -> {}: {e}", link.display(), root.display())
            })?;
        }
        let target_dir = link.join("target").join("ir");
        Ok(IrBuildEnv {
            vars: vec![(
                "CARGO_TARGET_DIR".to_string(),
                target_dir.display().to_string(),
            )],
            unset: IR_UNSET_VARS.iter().map(|v| (*v).to_string()).collect(),
            manifest_path: link.join("Cargo.toml"),
            target_dir,
            link,
        })
    }
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Checks what gungraun suites need: valgrind, and a runner (`GUNGRAUN_RUNNER` or
/// `gungraun-runner` in `PATH`). Returns a description of the runner used.
pub fn check_gungraun_tools() -> Result<String, String> {
    if find_in_path("valgrind").is_none() {
        return Err("valgrind not found in PATH (apt-get install valgrind)".into());
    }
    match std::env::var_os("GUNGRAUN_RUNNER") {
        Some(r) if Path::new(&r).is_file() => {
            Ok(format!("GUNGRAUN_RUNNER={}", Path::new(&r).display()))
        }
        Some(r) => Err(format!(
            "GUNGRAUN_RUNNER={} does not exist",
            Path::new(&r).display()
        )),
        None => find_in_path("gungraun-runner")
            .map(|p| p.display().to_string())
            .ok_or_else(|| {
                "gungraun-runner not found: cargo install gungraun-runner --version 0.20.0 \
                 --locked (or set GUNGRAUN_RUNNER=/path/to/gungraun-runner)"
                    .to_string()
            }),
    }
}

/// Runs a command in `root`, stderr passed through, stdout read line by line and handed to
/// `on_line` as it arrives. Returns the whole stdout and whether the command succeeded.
fn stream(
    root: &Path,
    args: &[&str],
    env: &[(String, String)],
    unset: &[String],
    on_line: &mut dyn FnMut(&str),
) -> Result<(String, bool), String> {
    let mut command = Command::new(cargo());
    for var in unset {
        command.env_remove(var);
    }
    let mut child = command
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {} {}: {e}", cargo(), args.join(" ")))?;
    let mut all = String::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line.map_err(|e| format!("reading output: {e}"))?;
            on_line(&line);
            all.push_str(&line);
            all.push('\n');
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo: {e}"))?;
    Ok((all, status.success()))
}

fn fmt_elapsed(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}

struct Progress {
    start: Instant,
    step: usize,
    total: usize,
}

impl Progress {
    fn begin(&mut self, what: &str) -> Instant {
        self.step += 1;
        eprintln!(
            "\n==> [{}/{}] {what} (elapsed {})",
            self.step,
            self.total,
            fmt_elapsed(self.start.elapsed())
        );
        Instant::now()
    }

    fn end(&self, what: &str, began: Instant, detail: &str) {
        eprintln!(
            "<== [{}/{}] {what}: {detail} in {:.1} s",
            self.step,
            self.total,
            began.elapsed().as_secs_f64()
        );
    }
}

fn native_cpu_flags() -> bool {
    ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .any(|flags| flags.contains("target-cpu=native"))
}

/// Runs the plan. `results` carries the metadata (commit, time, machine); figures are added.
pub fn execute(plan: &RunPlan, mut results: Results) -> RunOutcome {
    let started = SystemTime::now();
    let mut failures = Vec::new();
    let mut progress = Progress {
        start: Instant::now(),
        step: 0,
        total: plan.steps(),
    };

    let runner = if plan.ir_suites.is_empty() {
        Ok(String::new())
    } else {
        check_gungraun_tools()
    };
    if !plan.ir_suites.is_empty() && native_cpu_flags() {
        eprintln!(
            "perf-ci: warning: RUSTFLAGS/CARGO_ENCODED_RUSTFLAGS has target-cpu=native; \
             valgrind 3.19 dies on AVX-512 code (SIGILL), build instruction-count suites without it"
        );
    }
    let ir_env = if plan.ir_suites.is_empty() {
        IrBuildEnv::default()
    } else {
        match IrBuildEnv::prepare(&plan.root) {
            Ok(env) => {
                eprintln!(
                    "perf-ci: instruction-count suites build through {} into {}",
                    env.link.display(),
                    env.target_dir.display()
                );
                env
            }
            Err(e) => {
                failures.push(format!("gungraun suites: {e}"));
                IrBuildEnv::default()
            }
        }
    };
    for suite in &plan.ir_suites {
        let what = format!("gungraun {suite}");
        let began = progress.begin(&what);
        if ir_env.manifest_path.as_os_str().is_empty() {
            eprintln!("    skipped: no build environment (see above)");
            continue;
        }
        let runner = match &runner {
            Ok(r) => r,
            Err(e) => {
                eprintln!("    skipped: {e}");
                failures.push(format!("{what}: {e}"));
                continue;
            }
        };
        eprintln!("    runner: {runner}");
        let suite_started = SystemTime::now();
        let manifest = ir_env.manifest_path.display().to_string();
        let args = [
            "bench",
            "--manifest-path",
            manifest.as_str(),
            "-p",
            BENCH_PACKAGE,
            "--bench",
            suite.as_str(),
            "--",
            "--output-format=json",
            "--save-summary=json",
        ];
        let mut shown = 0usize;
        let mut print_line = |line: &str| {
            if line.trim_start().starts_with('{') {
                match gungraun::parse_summary(line, "stdout") {
                    Ok(f) => {
                        shown += 1;
                        eprintln!("    {:<60} Ir {:>14}", f.key, units::count(f.ir));
                    }
                    Err(e) => eprintln!("    {e}"),
                }
            } else if !line.trim().is_empty() {
                eprintln!("    | {line}");
            }
        };
        let outcome = stream(
            &plan.root,
            &args,
            &ir_env.vars,
            &ir_env.unset,
            &mut print_line,
        );
        let (stdout, ok) = match outcome {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{what}: {e}"));
                continue;
            }
        };
        let mut parsed = gungraun::parse_json_lines(&stdout);
        if matches!(&parsed, Ok(p) if p.figures.is_empty()) {
            // Fall back to the summary files this run wrote.
            let dir = ir_env
                .target_dir
                .join("gungraun")
                .join(BENCH_PACKAGE)
                .join(suite);
            parsed = gungraun::collect_summary_files(&dir, Some(suite_started));
        }
        match parsed {
            Ok(p) => {
                for v in &p.unexpected_versions {
                    eprintln!(
                        "    warning: gungraun summary version {v}, perf-ci expects {}",
                        gungraun::SUMMARY_VERSION
                    );
                }
                let n = p.figures.len();
                for (key, ir) in p.figures {
                    if key.split('/').next() != Some(suite.as_str()) {
                        eprintln!("    warning: {key} does not start with the suite name {suite}");
                    }
                    results.instructions.insert(key, ir);
                }
                if n == 0 {
                    // Not a failure by itself: figures the baseline has fail `compare` as
                    // missing. A placeholder suite (`fn main() {}`) only earns a warning.
                    eprintln!("    warning: {what} produced no benchmark summary");
                }
                progress.end(&what, began, &format!("{n} benchmarks"));
            }
            Err(e) => {
                failures.push(format!("{what}: {e}"));
                progress.end(&what, began, "unreadable output");
            }
        }
        if !ok {
            failures.push(format!("{what}: cargo bench failed"));
        }
    }

    if plan.allocs {
        let what = "allocation tests (dhat)".to_string();
        let began = progress.begin(&what);
        let args = [
            "test",
            "-p",
            ALLOCS_PACKAGE,
            "--release",
            "--no-fail-fast",
            "--",
            "--nocapture",
            "--test-threads=1",
        ];
        let mut echo = |line: &str| {
            if !line.trim().is_empty() {
                eprintln!("    | {line}");
            }
        };
        match stream(&plan.root, &args, &[], &[], &mut echo) {
            Ok((stdout, ok)) => {
                match allocs::parse_output(&stdout) {
                    Ok(figures) => {
                        let n = figures.len();
                        results.allocations.extend(figures);
                        if n == 0 {
                            eprintln!("    warning: no ZERORTC_ALLOC line printed");
                        }
                        progress.end(&what, began, &format!("{n} hot paths"));
                    }
                    Err(e) => {
                        failures.push(format!("{what}: {e}"));
                        progress.end(&what, began, "unreadable output");
                    }
                }
                if !ok {
                    failures.push(format!(
                        "{what}: cargo test failed (an allocation assert fired or a test broke)"
                    ));
                }
            }
            Err(e) => failures.push(format!("{what}: {e}")),
        }
    }

    if !plan.criterion_suites.is_empty() {
        for suite in &plan.criterion_suites {
            let what = format!("criterion {suite}");
            let began = progress.begin(&what);
            let mut args = vec![
                "bench",
                "-p",
                BENCH_PACKAGE,
                "--bench",
                suite.as_str(),
                "--",
                "--noplot",
            ];
            if plan.criterion_quick {
                args.push("--quick");
            }
            let mut echo = |line: &str| {
                // Criterion's per-benchmark result lines; its progress chatter is dropped.
                if !line.starts_with("Benchmarking ") && !line.trim().is_empty() {
                    eprintln!("    | {line}");
                }
            };
            match stream(&plan.root, &args, &[], &[], &mut echo) {
                Ok((_, true)) => progress.end(&what, began, "done"),
                Ok((_, false)) => failures.push(format!("{what}: cargo bench failed")),
                Err(e) => failures.push(format!("{what}: {e}")),
            }
        }
        let dir = target_dir(&plan.root).join("criterion");
        match criterion::collect(&dir, Some(started)) {
            Ok(figures) => {
                if figures.is_empty() {
                    failures.push(format!(
                        "criterion: no estimates written under {}",
                        dir.display()
                    ));
                }
                results.wallclock.extend(figures);
            }
            Err(e) => failures.push(format!("criterion: {e}")),
        }
    }

    RunOutcome { results, failures }
}

/// `git rev-parse --short=12 HEAD` in `root`, with `-dirty` when tracked files changed;
/// `unknown` outside git.
pub fn git_commit(root: &Path) -> String {
    let run = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match run(&["rev-parse", "--short=12", "HEAD"]) {
        Some(hash) if !hash.is_empty() => {
            let dirty = run(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty { format!("{hash}-dirty") } else { hash }
        }
        _ => "unknown".to_string(),
    }
}

/// `"<model name> (<n> cores)"` from `/proc/cpuinfo`-formatted text.
pub fn machine_from_cpuinfo(cpuinfo: &str) -> Option<String> {
    let model = cpuinfo
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim() == "model name")
        .map(|(_, v)| v.trim().to_string())?;
    let cores = cpuinfo
        .lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.trim() == "processor")
        .count();
    Some(format!("{model} ({cores} cores)"))
}

/// Machine description of this host.
pub fn machine() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| machine_from_cpuinfo(&t))
        .unwrap_or_else(|| {
            let n = std::thread::available_parallelism().map_or(0, |n| n.get());
            format!(
                "{} {} ({n} cores)",
                std::env::consts::OS,
                std::env::consts::ARCH
            )
        })
}

/// RFC 3339 UTC timestamp of `t`, to the second.
pub fn utc_timestamp(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(utc_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_795_988_827);
        assert_eq!(utc_timestamp(t), "2026-11-29T21:47:07Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(utc_timestamp(leap), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn machine_description() {
        let info = "processor\t: 0\nmodel name\t: AMD EPYC 9R14\nflags\t: sse\n\n\
                    processor\t: 1\nmodel name\t: AMD EPYC 9R14\n";
        assert_eq!(
            machine_from_cpuinfo(info).as_deref(),
            Some("AMD EPYC 9R14 (2 cores)")
        );
        assert_eq!(machine_from_cpuinfo("processor : 0\n"), None);
        assert!(!machine().is_empty());
    }

    #[test]
    fn plans() {
        let suites = Suites {
            ir: vec!["rtp_ir".into(), "stun_ir".into()],
            criterion: vec!["rtp".into()],
            skipped: vec![],
        };
        let all = RunPlan::new(PathBuf::from("/r"), &suites, &[], false);
        assert_eq!(all.ir_suites, ["rtp_ir", "stun_ir"]);
        assert!(all.allocs);
        assert!(all.criterion_suites.is_empty());
        assert_eq!(all.steps(), 3);
        let with_crit = RunPlan::new(PathBuf::from("/r"), &suites, &[], true);
        assert_eq!(with_crit.criterion_suites, ["rtp"]);
        let named = RunPlan::new(
            PathBuf::from("/r"),
            &suites,
            &["stun_ir".into(), "rtp".into()],
            false,
        );
        assert_eq!(named.ir_suites, ["stun_ir"]);
        assert!(!named.allocs);
        assert_eq!(named.criterion_suites, ["rtp"]);
        let only_allocs = RunPlan::new(PathBuf::from("/r"), &suites, &["allocs".into()], true);
        assert_eq!(only_allocs.steps(), 1);
    }
}
