//! The interop matrix: zerortc's data channels against headless Chromium,
//! headless Firefox ESR and aiortc, every scenario of
//! [`browsers::scenarios::ALL`] with each, on loopback only.
//!
//! The test re-runs itself inside fresh network and PID namespaces
//! (`unshare -n -p -f --mount-proc`, needs root) whose only interface is
//! `lo`, with default routes via `lo` (Firefox gathers only "default"
//! addresses); the kernel ends whatever is left when it exits. Inside, it
//! starts a web server (page + HTTP signaling, `browsers/http.rs`), coturn
//! for the STUN scenario, and one browser process per browser (over
//! WebDriver with fantoccini) or the aiortc helper, reused across
//! scenarios: each scenario makes fresh peer connections on both sides.
//! The zerortc peer is an `RTCPeerConnection` in this process around a
//! `UdpSocket` on 127.0.0.1 (`browsers/zpeer.rs`).
//!
//! At the end it prints the matrix (scenario × peer, pass/fail, seconds)
//! and writes `reports/interop/matrix.md`, logs under
//! `reports/interop/<peer>/` (browser log, page log, zerortc log per
//! scenario) and the remote peers' SDPs under `reports/interop/sdp/`.
//!
//! Arguments (after `--`) select peers (`chromium`, `firefox`, `aiortc`)
//! and scenarios (names from the list); `ZERORTC_INTEROP_PEERS` and
//! `ZERORTC_INTEROP_SCENARIOS` (comma-separated) do the same. A peer that
//! is not installed is reported loudly and skipped, unless
//! `ZERORTC_REQUIRE_BROWSERS=1` or `CI` is set: then the run fails.

#[path = "browsers/http.rs"]
mod http;
#[path = "browsers/msg.rs"]
mod msg;
#[path = "browsers/remote.rs"]
mod remote;
#[path = "browsers/scenarios.rs"]
mod scenarios;
#[path = "browsers/zpeer.rs"]
mod zpeer;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use remote::{Kind, Remote};
use scenarios::{Ctx, Outcome};
use zerortc_interop::coturn::Coturn;

const NETNS_ENV: &str = "ZERORTC_INTEROP_NETNS";
/// Longest a cell may take (the throughput cell at 64 MiB takes ~3 s).
const SCENARIO_LIMIT: Duration = Duration::from_secs(60);

fn out_dir() -> PathBuf {
    std::env::var_os("ZERORTC_INTEROP_OUT").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../reports/interop"),
        PathBuf::from,
    )
}

fn required() -> bool {
    std::env::var_os("ZERORTC_REQUIRE_BROWSERS").is_some_and(|v| v == "1")
        || std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Re-runs this binary inside the namespaces; returns its exit status.
fn run_in_namespace() -> i32 {
    let exe = std::env::current_exe().unwrap();
    let setup = "ip link set lo up && ip route add default dev lo src 127.0.0.1 \
                 && (ip -6 route add default dev lo src ::1 2>/dev/null || true) && exec \"$@\"";
    let status = Command::new("unshare")
        .args(["-n", "-p", "-f", "--mount-proc", "sh", "-c", setup, "ns"])
        .arg(exe)
        .args(std::env::args().skip(1))
        .env(NETNS_ENV, "1")
        .status();
    match status {
        Ok(s) => s.code().unwrap_or(1),
        Err(e) => {
            eprintln!("unshare (util-linux) failed: {e}; the interop matrix needs root");
            1
        }
    }
}

fn installed(kind: Kind) -> Result<(), String> {
    let probe = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    match kind {
        Kind::Chromium => {
            if !probe("chromedriver", "--version") || !Path::new("/usr/bin/chromium").exists() {
                return Err("chromium/chromedriver not installed (apt-get install chromium chromium-driver)".into());
            }
        }
        Kind::Firefox => {
            if !probe("geckodriver", "--version") || !Path::new("/usr/bin/firefox-esr").exists() {
                return Err("firefox-esr/geckodriver not installed (apt-get install firefox-esr; cargo install geckodriver --locked)".into());
            }
        }
        Kind::Aiortc => {
            let ok = Command::new("python3")
                .args(["-c", "import aiortc"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                return Err("aiortc not installed (python3 -m pip install aiortc)".into());
            }
        }
    }
    Ok(())
}

/// tshark on lo for one cell (`ZERORTC_INTEROP_PCAP=1`, set by
/// `scripts/interop`): UDP only (signaling and WebDriver are TCP).
struct Capture(Child);

impl Capture {
    fn start(path: &Path) -> Option<Capture> {
        if std::env::var_os("ZERORTC_INTEROP_PCAP").is_none_or(|v| v != "1") {
            return None;
        }
        let _ = std::fs::remove_file(path);
        // dumpcap (tshark's capture engine) writes every packet out on SIGTERM.
        let child = Command::new("dumpcap")
            .args(["-i", "lo", "-q", "-f", "udp", "-w"])
            .arg(path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| eprintln!("dumpcap: {e} (apt-get install tshark)"))
            .ok()?;
        // Capturing once the file has its section header.
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::fs::metadata(path).map_or(true, |m| m.len() == 0) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        Some(Capture(child))
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        // SIGTERM, so that tshark writes out what it holds.
        std::thread::sleep(Duration::from_millis(200));
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

/// One column of the matrix: the peer, its version, its cells, and why it
/// did not run (if it did not).
type Column = (Kind, String, Vec<Option<Cell>>, Option<String>);

struct Cell {
    outcome: Outcome,
    seconds: f64,
    logs: Vec<PathBuf>,
}

fn write_lines(path: &Path, lines: &[String]) {
    if let Ok(mut f) = std::fs::File::create(path) {
        for l in lines {
            let _ = writeln!(f, "{l}");
        }
    }
}

fn main() {
    msg::self_check();
    if std::env::args().any(|a| a == "--list") {
        // libtest's listing, for tools that ask.
        for peer in ["chromium", "firefox", "aiortc"] {
            for scenario in scenarios::ALL {
                println!("{peer}/{scenario}: test");
            }
        }
        return;
    }
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let env_list = |name: &str| -> Vec<String> {
        std::env::var(name)
            .map(|v| {
                v.split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut peers: Vec<Kind> = args.iter().filter_map(|a| Kind::parse(a)).collect();
    peers.extend(
        env_list("ZERORTC_INTEROP_PEERS")
            .iter()
            .filter_map(|a| Kind::parse(a)),
    );
    let mut wanted: Vec<String> = args
        .iter()
        .filter(|a| Kind::parse(a).is_none())
        .cloned()
        .collect();
    wanted.extend(env_list("ZERORTC_INTEROP_SCENARIOS"));
    if peers.is_empty() {
        peers = vec![Kind::Chromium, Kind::Firefox, Kind::Aiortc];
    }
    let selected: Vec<&'static str> = scenarios::ALL
        .iter()
        .copied()
        .filter(|s| wanted.is_empty() || wanted.iter().any(|w| s.contains(w.as_str())))
        .collect();
    if selected.is_empty() {
        // A libtest-style filter for other tests: nothing here matches.
        println!("test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
        return;
    }
    if std::env::var_os(NETNS_ENV).is_none() {
        std::process::exit(run_in_namespace());
    }
    let code = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run_matrix(&peers, &selected));
    std::process::exit(code);
}

async fn run_matrix(peers: &[Kind], selected: &[&'static str]) -> i32 {
    let out = out_dir();
    let _ = std::fs::create_dir_all(out.join("sdp"));
    let tmp = std::env::temp_dir().join(format!("zerortc-interop-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&tmp);
    let signaling = http::Signaling::default();
    let port = http::serve(signaling.clone());
    let coturn = if selected.contains(&"stun-coturn") {
        Coturn::start(&tmp)
            .inspect_err(|e| eprintln!("coturn: {e}"))
            .ok()
    } else {
        None
    };
    let mut columns: Vec<Column> = Vec::new();
    for &kind in peers {
        let logs = out.join(kind.name());
        let _ = std::fs::create_dir_all(&logs);
        let mut cells: Vec<Option<Cell>> = Vec::new();
        if let Err(e) = installed(kind) {
            eprintln!(
                "\n*** WARNING: {e}: the {} column DID NOT RUN ***\n",
                kind.name()
            );
            columns.push((kind, String::new(), cells, Some(e)));
            continue;
        }
        signaling.set_log(std::fs::File::create(logs.join("page.log")).ok());
        let t0 = Instant::now();
        let profile = tmp.join(kind.name());
        let start = Remote::start(kind, port, &logs, &profile);
        let started = tokio::time::timeout(Duration::from_secs(90), start)
            .await
            .unwrap_or_else(|_| Err("did not start within 90 s".into()));
        let mut remote = match started {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{}: could not start: {e}", kind.name());
                columns.push((kind, String::new(), cells, Some(e)));
                continue;
            }
        };
        eprintln!(
            "== {} ({}) up in {:.1} s",
            kind.name(),
            remote.version,
            t0.elapsed().as_secs_f64()
        );
        let version = remote.version.clone();
        let tag = version.replace(' ', "").replace('.', "_");
        // This run's SDPs replace the last run's of the same peer.
        if let Ok(dir) = std::fs::read_dir(out.join("sdp")) {
            for e in dir.flatten() {
                if e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{tag}-"))
                {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        let mut session = 0;
        let mut timeouts = 0;
        for &scenario in selected {
            let t = Instant::now();
            signaling.log(&format!("===== {scenario}"));
            let pcap = logs.join(format!("{scenario}.pcapng"));
            let capture = Capture::start(&pcap);
            let mut ctx = Ctx {
                remote: &mut remote,
                signaling: signaling.clone(),
                session,
                z: None,
                coturn: coturn.as_ref().map(|c| c.addr),
                zlogs: Vec::new(),
                sdps: Vec::new(),
                scenario,
            };
            let outcome = if timeouts >= 2 {
                // A peer that stopped answering would cost 60 s a cell.
                Outcome::Fail("not run: the peer timed out twice in a row".into())
            } else {
                match tokio::time::timeout(SCENARIO_LIMIT, scenarios::run(scenario, &mut ctx)).await
                {
                    Ok(outcome) => {
                        timeouts = 0;
                        outcome
                    }
                    Err(_) => {
                        timeouts += 1;
                        Outcome::Fail(format!(
                            "scenario timed out after {} s",
                            SCENARIO_LIMIT.as_secs()
                        ))
                    }
                }
            };
            // After a timeout the session is still up: keep its logs too
            // (if the peer still answers).
            let _ = tokio::time::timeout(Duration::from_secs(10), ctx.end()).await;
            if let Some(z) = ctx.z.take() {
                ctx.zlogs.extend(z.stop());
            }
            session = ctx.session;
            drop(capture);
            let zlog = logs.join(format!("{scenario}-zerortc.log"));
            write_lines(&zlog, &ctx.zlogs);
            for (name, sdp) in &ctx.sdps {
                let _ = std::fs::write(out.join("sdp").join(format!("{tag}-{name}.sdp")), sdp);
            }
            let seconds = t.elapsed().as_secs_f64();
            let word = match &outcome {
                Outcome::Pass(_) => "pass",
                Outcome::Fail(_) => "FAIL",
                Outcome::NotApplicable(_) => "n/a",
            };
            let detail = match &outcome {
                Outcome::Pass(s) | Outcome::Fail(s) | Outcome::NotApplicable(s) => s.clone(),
            };
            eprintln!("  {:<28} {word:<5} {seconds:6.1} s  {detail}", scenario);
            cells.push(Some(Cell {
                outcome,
                seconds,
                logs: vec![
                    logs.join("page.log"),
                    zlog,
                    logs.join(format!("{}-browser.log", kind.name())),
                ],
            }));
        }
        remote.quit().await;
        signaling.set_log(None);
        columns.push((kind, version, cells, None));
    }
    drop(coturn);
    let _ = std::fs::remove_dir_all(&tmp);
    report(&out, selected, &columns)
}

fn report(out: &Path, selected: &[&'static str], columns: &[Column]) -> i32 {
    let mut md = String::new();
    md.push_str("| scenario |");
    for (kind, version, _, _) in columns {
        md.push_str(&format!(
            " {} |",
            if version.is_empty() {
                kind.name().to_string()
            } else {
                version.clone()
            }
        ));
    }
    md.push_str("\n|---|");
    md.push_str(&"---|".repeat(columns.len()));
    md.push('\n');
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut failures = String::new();
    let mut notes = String::new();
    for (row, scenario) in selected.iter().enumerate() {
        md.push_str(&format!("| {scenario} |"));
        for (kind, _, cells, missing) in columns {
            let text = match (cells.get(row).and_then(Option::as_ref), missing) {
                (Some(cell), _) => match &cell.outcome {
                    Outcome::Pass(note) => {
                        passed += 1;
                        if *scenario == "throughput" {
                            notes.push_str(&format!("- throughput, {}: {note}\n", kind.name()));
                        }
                        format!("pass {:.1} s", cell.seconds)
                    }
                    Outcome::Fail(e) => {
                        failed += 1;
                        let logs: Vec<String> =
                            cell.logs.iter().map(|p| p.display().to_string()).collect();
                        failures.push_str(&format!(
                            "- {scenario} × {}: {e}\n  logs: {}\n",
                            kind.name(),
                            logs.join(", ")
                        ));
                        format!("**FAIL** {:.1} s", cell.seconds)
                    }
                    Outcome::NotApplicable(why) => {
                        skipped += 1;
                        notes.push_str(&format!("- {scenario} × {}: n/a ({why})\n", kind.name()));
                        "n/a".to_string()
                    }
                },
                (None, Some(_)) => {
                    if required() {
                        failed += 1;
                        "**NOT RUN**".to_string()
                    } else {
                        skipped += 1;
                        "not run".to_string()
                    }
                }
                (None, None) => "-".to_string(),
            };
            md.push_str(&format!(" {text} |"));
        }
        md.push('\n');
    }
    for (kind, _, _, missing) in columns {
        if let Some(why) = missing {
            failures.push_str(&format!("- {}: not run: {why}\n", kind.name()));
        }
    }
    let mut doc = format!("# zerortc interop matrix\n\n{md}\n");
    if !notes.is_empty() {
        doc.push_str(&format!("\n{notes}"));
    }
    if !failures.is_empty() {
        doc.push_str(&format!("\n## Failures\n\n{failures}"));
    }
    let _ = std::fs::write(out.join("matrix.md"), &doc);
    println!("\n{doc}");
    println!(
        "test result: {}. {passed} passed; {failed} failed; {skipped} ignored; 0 measured; 0 filtered out",
        if failed == 0 { "ok" } else { "FAILED" }
    );
    i32::from(failed > 0)
}
