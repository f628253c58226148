//! `perf-ci run` end to end with a stand-in `cargo` (a shell script named by `$CARGO`) that
//! replays the real gungraun and criterion fixtures, so the whole pipeline (discovery, process
//! running, parsing, results.json) is tested without valgrind or a bench build.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use perf_ci::results::Results;
use perf_ci::run::IrBuildEnv;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn write_exe(path: &Path, body: &str) {
    std::fs::write(path, body).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

struct Setup {
    root: PathBuf,
    bin: PathBuf,
    log: PathBuf,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn setup(name: &str, alloc_lines: &str) -> Setup {
    let root = std::env::temp_dir().join(format!("perf-ci-run-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let bin = root.join("fakebin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(root.join("benches/benches")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"benches\"]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("benches/Cargo.toml"),
        "[package]\nname = \"zerortc-benches\"\n\n[[bench]]\nname = \"tiny_ir\"\nharness = false\n\n\
         [[bench]]\nname = \"tiny\"\nharness = false\n\n[[bench]]\nname = \"peers\"\nharness = false\n\
         required-features = [\"peers\"]\n",
    )
    .unwrap();
    let log = root.join("cargo-calls.log");
    let fx = fixtures();
    write_exe(
        &bin.join("cargo"),
        &format!(
            r#"#!/bin/sh
echo "$@" >> '{log}'
case "$*" in
  *"--bench tiny_ir"*)
    echo "LD_LIBRARY_PATH=${{LD_LIBRARY_PATH-unset}} LD_PRELOAD=${{LD_PRELOAD-unset}}" >> '{log}.env'
    echo "   Compiling zerortc-benches (fake)" >&2
    cat '{fx}/gungraun/output-changed.jsonl' ;;
  *"--bench tiny "*)
    mkdir -p "$CARGO_TARGET_DIR/criterion"
    cp -r '{fx}/criterion/.' "$CARGO_TARGET_DIR/criterion/"
    find "$CARGO_TARGET_DIR/criterion" -name '*.json' -exec touch {{}} +
    echo "sum/1000   time: [1 ns 2 ns 3 ns]" ;;
  test*)
    printf '%s\n' "running 1 test" {alloc_lines} "test result: ok. 1 passed" ;;
  *) echo "unexpected: $*" >&2; exit 101 ;;
esac
"#,
            log = log.display(),
            fx = fx.display(),
        ),
    );
    write_exe(&bin.join("valgrind"), "#!/bin/sh\nexit 0\n");
    write_exe(&bin.join("gungraun-runner"), "#!/bin/sh\nexit 0\n");
    Setup { root, bin, log }
}

fn run(s: &Setup, args: &[&str]) -> Output {
    let path = format!(
        "{}:{}",
        s.bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new(env!("CARGO_BIN_EXE_perf-ci"))
        .args(args)
        .current_dir(s.root.join("benches"))
        .env("CARGO", s.bin.join("cargo"))
        .env("CARGO_TARGET_DIR", s.root.join("target"))
        // As `cargo run -p perf-ci` would leave it: must not reach the Ir suites.
        .env("LD_LIBRARY_PATH", "/leaked/by/cargo/run")
        .env("PATH", path)
        .env_remove("GUNGRAUN_RUNNER")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn run_collects_all_three_kinds() {
    let s = setup(
        "all",
        r#"'test one ... ZERORTC_ALLOC {"name":"rtp_parse","ops":100,"blocks":0,"bytes":0}' 'ok'"#,
    );
    let o = run(&s, &["run", "--criterion"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // Progress: which suite, n of m.
    assert!(err.contains("[1/3] gungraun tiny_ir"), "{err}");
    assert!(err.contains("[2/3] allocation tests"), "{err}");
    assert!(err.contains("[3/3] criterion tiny"), "{err}");
    assert!(
        err.contains("skipping suites that need a cargo feature: peers"),
        "{err}"
    );
    assert!(err.contains("tiny_ir/arith/sum/large"), "{err}");

    let r = Results::load(&s.root.join("reports/latest/results.json")).unwrap();
    assert_eq!(r.instructions.len(), 3);
    assert_eq!(r.instructions["tiny_ir/arith/sum/large"], 7014);
    assert_eq!(r.allocations["rtp_parse"].ops, 100);
    assert_eq!(r.wallclock.len(), 3);
    assert!(r.wallclock["sum/1000"].throughput_bytes_per_s.is_some());
    assert!(r.machine.contains("cores"));
    assert!(r.generated_at.ends_with('Z'));

    // Instruction-count suites build through the fixed-length link to the root.
    let ir = IrBuildEnv::prepare(&s.root).unwrap();
    assert_eq!(
        std::fs::read_link(&ir.link).unwrap(),
        s.root.canonicalize().unwrap()
    );
    let link = ir.link.to_str().unwrap();
    assert!(link.starts_with("/tmp/zerortc-ir-"), "{link}");
    assert_eq!(link.len(), "/tmp/zerortc-ir-".len() + 16, "{link}");
    assert_eq!(
        ir.vars,
        [("CARGO_TARGET_DIR".to_string(), format!("{link}/target/ir"))]
    );
    assert_eq!(ir.unset, ["LD_LIBRARY_PATH", "LD_PRELOAD"]);
    // gungraun would hand these to the benchmark under valgrind (its stack layout).
    let env_seen = std::fs::read_to_string(format!("{}.env", s.log.display())).unwrap_or_default();
    assert_eq!(env_seen.trim(), "LD_LIBRARY_PATH=unset LD_PRELOAD=unset");
    let calls = std::fs::read_to_string(&s.log).unwrap();
    let lines: Vec<&str> = calls.lines().collect();
    let first = format!(
        "bench --manifest-path {link}/Cargo.toml -p zerortc-benches --bench tiny_ir \
         -- --output-format=json --save-summary=json"
    );
    assert_eq!(
        lines,
        [
            first.as_str(),
            "test -p zerortc-allocs --release --no-fail-fast -- --nocapture --test-threads=1",
            "bench -p zerortc-benches --bench tiny -- --noplot",
        ]
    );
}

#[test]
fn run_selected_suites_and_failures() {
    let s = setup("sel", r#"'ZERORTC_ALLOC {"name":"x","ops":1,' 'ok'"#);
    // Only the gungraun suite, to another file.
    let out = s.root.join("custom/out.json");
    let o = run(
        &s,
        &["run", "--suites", "tiny_ir", "--out", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = Results::load(&out).unwrap();
    assert_eq!(r.instructions.len(), 3);
    assert!(r.allocations.is_empty());

    // Malformed allocation line: the run reports it and exits 1, results still written.
    let o = run(&s, &["run", "--suites", "allocs"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("malformed ZERORTC_ALLOC JSON"),
        "{}",
        stderr(&o)
    );
    assert!(s.root.join("reports/latest/results.json").is_file());

    // Unknown suite: usage error before anything runs.
    let o = run(&s, &["run", "--suites", "nope"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("unknown suite(s): nope"));

    // A missing runner is a suite failure with install instructions.
    std::fs::remove_file(s.bin.join("gungraun-runner")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_perf-ci"))
        .args(["run", "--suites", "tiny_ir"])
        .current_dir(&s.root)
        .env("CARGO", s.bin.join("cargo"))
        .env("PATH", format!("{}:/usr/bin:/bin", s.bin.display()))
        .env_remove("GUNGRAUN_RUNNER")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cargo install gungraun-runner --version 0.20.0"),
        "{}",
        stderr(&o)
    );
    // GUNGRAUN_RUNNER pointing nowhere is reported too.
    let o = Command::new(env!("CARGO_BIN_EXE_perf-ci"))
        .args(["run", "--suites", "tiny_ir"])
        .current_dir(&s.root)
        .env("CARGO", s.bin.join("cargo"))
        .env("PATH", format!("{}:/usr/bin:/bin", s.bin.display()))
        .env("GUNGRAUN_RUNNER", "/nonexistent/gungraun-runner")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("GUNGRAUN_RUNNER=/nonexistent/gungraun-runner does not exist"));
}

#[test]
fn run_with_no_allocation_lines_warns_and_passes() {
    let s = setup("empty", "'nothing measured here'");
    let o = run(&s, &["run", "--suites", "allocs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: no ZERORTC_ALLOC line printed"));
    let r = Results::load(&s.root.join("reports/latest/results.json")).unwrap();
    assert!(r.allocations.is_empty());
}
