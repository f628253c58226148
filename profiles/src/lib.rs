//! Hot loops shared by the profile binaries.
//!
//! Each binary in `src/bin/` runs one operation of the benchmark suites (same
//! inputs, from `zerortc-benches`) in a loop under pprof's sampling profiler
//! and draws the flamegraph (pprof embeds inferno) into
//! `reports/flamegraphs/<name>.svg`. `scripts/flamegraph NAME` builds and runs
//! one of them with the `bench` profile (optimised, with debug symbols).

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Sampling frequency in Hz: high enough for a few thousand samples in a few
/// seconds, low enough to stay cheap inside a KVM guest.
pub const SAMPLE_HZ: i32 = 997;

/// How long to run the loop: `ZERORTC_PROFILE_SECS` (default 3 s).
pub fn profile_duration() -> Duration {
    let secs = std::env::var("ZERORTC_PROFILE_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(3.0);
    Duration::from_secs_f64(secs)
}

/// Where the flamegraph of `name` goes: `$ZERORTC_FLAMEGRAPH_DIR/<name>.svg`,
/// by default `reports/flamegraphs/` at the workspace root.
pub fn flamegraph_path(name: &str) -> PathBuf {
    let dir = std::env::var_os("ZERORTC_FLAMEGRAPH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../reports/flamegraphs")
        });
    dir.join(format!("{name}.svg"))
}

/// Runs `op` in batches of `batch` calls for [`profile_duration`] under the
/// sampling profiler and writes the flamegraph of `name`. Returns the number
/// of calls made.
pub fn profile_loop(
    name: &str,
    batch: u64,
    mut op: impl FnMut() -> usize,
) -> Result<u64, Box<dyn std::error::Error>> {
    let duration = profile_duration();
    let guard = pprof::ProfilerGuardBuilder::default()
        .frequency(SAMPLE_HZ)
        .blocklist(&["libc", "libgcc", "pthread", "vdso"])
        .build()?;
    let start = Instant::now();
    let mut calls = 0u64;
    let mut sink = 0usize;
    while start.elapsed() < duration {
        for _ in 0..batch {
            sink = sink.wrapping_add(op());
        }
        calls += batch;
    }
    std::hint::black_box(sink);
    let elapsed = start.elapsed();
    let report = guard.report().build()?;
    let path = flamegraph_path(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = pprof::flamegraph::Options::default();
    options.title = format!("zerortc {name}");
    report.flamegraph_with_options(std::fs::File::create(&path)?, &mut options)?;
    println!(
        "{name}: {calls} calls in {:.2} s ({:.1} ns/call) -> {}",
        elapsed.as_secs_f64(),
        elapsed.as_nanos() as f64 / calls as f64,
        path.display()
    );
    Ok(calls)
}
