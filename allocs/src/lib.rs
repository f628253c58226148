//! Helpers for the allocation-count tests: one hot path per test binary.
//!
//! dhat's heap statistics are process-wide and only one profiler may run per
//! process, so every hot path has its own test binary in `tests/`, each with
//! its own `#[global_allocator] static ALLOC: dhat::Alloc`. The binaries have
//! no libtest harness (`harness = false`): libtest's main thread allocates
//! when it starts waiting for the test thread, which dhat would count
//! against the operation. A failed `dhat::assert_eq!` panics (non-zero exit)
//! and writes `dhat-heap.json` with the allocation stacks. The operations and inputs are those of the benchmark suites
//! (`zerortc_benches::ops`, `zerortc_benches::{rtp_inputs, rtcp_inputs}`).
//!
//! Each measurement prints one line that `perf-ci` collects:
//! `ZERORTC_ALLOC {"name":"rtp_parse/video_1200","ops":10000,"blocks":0,"bytes":0}`.

/// Calls made before measuring, so lazily initialised state (thread locals,
/// stdout's buffer, ...) is not counted against the operation.
pub const WARMUP_OPS: u64 = 100;

/// Calls measured per operation.
pub const MEASURED_OPS: u64 = 10_000;

/// Heap allocations made during a measured run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocCount {
    /// Calls measured.
    pub ops: u64,
    /// Heap blocks allocated during the `ops` calls (all threads).
    pub blocks: u64,
    /// Bytes allocated during the `ops` calls.
    pub bytes: u64,
}

impl AllocCount {
    /// The `ZERORTC_ALLOC {json}` line read by perf-ci.
    pub fn line(&self, name: &str) -> String {
        format!(
            "ZERORTC_ALLOC {{\"name\":\"{name}\",\"ops\":{},\"blocks\":{},\"bytes\":{}}}",
            self.ops, self.blocks, self.bytes
        )
    }
}

/// Warms `op` up, then counts the heap blocks and bytes allocated by
/// [`MEASURED_OPS`] calls, prints the `ZERORTC_ALLOC` line for `name` and
/// returns the counts. A dhat profiler must be running (the test builds one
/// with `dhat::Profiler::builder().testing().build()`).
pub fn measure(name: &str, mut op: impl FnMut()) -> AllocCount {
    for _ in 0..WARMUP_OPS {
        op();
    }
    let before = dhat::HeapStats::get();
    for _ in 0..MEASURED_OPS {
        op();
    }
    let after = dhat::HeapStats::get();
    let count = AllocCount {
        ops: MEASURED_OPS,
        blocks: after.total_blocks - before.total_blocks,
        bytes: after.total_bytes - before.total_bytes,
    };
    println!("{}", count.line(name));
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_is_the_perf_ci_format() {
        let c = AllocCount {
            ops: 10_000,
            blocks: 2,
            bytes: 96,
        };
        assert_eq!(
            c.line("rtp_parse/video_1200"),
            r#"ZERORTC_ALLOC {"name":"rtp_parse/video_1200","ops":10000,"blocks":2,"bytes":96}"#
        );
    }
}
