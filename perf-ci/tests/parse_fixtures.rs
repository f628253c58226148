//! Parsers against real output captured from gungraun 0.20 and criterion 0.8 (see
//! `tests/fixtures/README.md` for how the fixtures were made).

use std::path::{Path, PathBuf};

use perf_ci::{criterion, gungraun};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(fixture(rel)).unwrap()
}

#[test]
fn gungraun_first_run_stdout() {
    // First run: only `new` values, no `change`.
    let parsed = gungraun::parse_json_lines(&read("gungraun/output-first-run.jsonl")).unwrap();
    assert!(parsed.other_lines.is_empty());
    assert!(parsed.unexpected_versions.is_empty());
    let keys: Vec<_> = parsed.figures.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "tiny_ir/arith/noid",
            "tiny_ir/arith/sum/large",
            "tiny_ir/arith/sum/small"
        ]
    );
    assert_eq!(parsed.figures["tiny_ir/arith/sum/small"], 23);
    assert_eq!(parsed.figures["tiny_ir/arith/noid"], 26);
}

#[test]
fn gungraun_changed_run_stdout_takes_new_not_old() {
    // Third run after a code change: `old` is gungraun's previous run, `new` this one.
    let parsed = gungraun::parse_json_lines(&read("gungraun/output-changed.jsonl")).unwrap();
    assert_eq!(parsed.figures.len(), 3);
    assert_eq!(parsed.figures["tiny_ir/arith/sum/small"], 84);
    assert_eq!(parsed.figures["tiny_ir/arith/sum/large"], 7014);
    assert_eq!(parsed.figures["tiny_ir/arith/noid"], 52);
}

#[test]
fn gungraun_summary_file() {
    let text = read("gungraun/summary-sum-large.json");
    let fig = gungraun::parse_summary(&text, "summary-sum-large.json").unwrap();
    assert_eq!(fig.key, "tiny_ir/arith/sum/large");
    assert_eq!(fig.ir, 7014);
    assert_eq!(fig.version, gungraun::SUMMARY_VERSION);
}

#[test]
fn gungraun_summary_files_found_in_a_tree() {
    let dir = std::env::temp_dir().join(format!("perf-ci-gg-{}", std::process::id()));
    let leaf = dir.join("zerortc-benches/tiny_ir/arith/sum.large");
    std::fs::create_dir_all(&leaf).unwrap();
    std::fs::write(
        leaf.join("summary.json"),
        read("gungraun/summary-sum-large.json"),
    )
    .unwrap();
    std::fs::write(leaf.join("callgrind.sum.large.out"), "events: Ir\n").unwrap();
    let found = gungraun::collect_summary_files(&dir, None).unwrap();
    assert_eq!(found.figures.len(), 1);
    assert_eq!(found.figures["tiny_ir/arith/sum/large"], 7014);
    // Files older than the run start are ignored.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    assert!(
        gungraun::collect_summary_files(&dir, Some(later))
            .unwrap()
            .figures
            .is_empty()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn criterion_estimates_and_throughput() {
    let figures = criterion::collect(&fixture("criterion"), None).unwrap();
    let keys: Vec<_> = figures.keys().map(String::as_str).collect();
    // `base/` copies are ignored; only `new/` counts.
    assert_eq!(keys, ["elems/e64", "plain", "sum/1000"]);

    let sum = figures["sum/1000"];
    assert!((sum.median_ns - 325.777_250_123_548_36).abs() < 1e-9);
    assert!((sum.mean_ns - 326.428_206_763_123_8).abs() < 1e-9);
    // 8000 bytes per iteration at the median.
    let expected = 8000.0 * 1e9 / sum.median_ns;
    assert!((sum.throughput_bytes_per_s.unwrap() - expected).abs() < 1e-3);
    assert_eq!(sum.elements_per_s, None);

    let elems = figures["elems/e64"];
    assert_eq!(elems.throughput_bytes_per_s, None);
    assert!((elems.elements_per_s.unwrap() - 64.0 * 1e9 / elems.median_ns).abs() < 1e-3);

    let plain = figures["plain"];
    assert_eq!(plain.throughput_bytes_per_s, None);
    assert_eq!(plain.elements_per_s, None);
    assert!(plain.median_ns > 0.0);
}

#[test]
fn criterion_throughput_variants_and_bad_json() {
    let est = r#"{"mean":{"point_estimate":2000.0},"median":{"point_estimate":1000.0}}"#;
    let bench = |t: &str| format!(r#"{{"full_id":"g/f","throughput":{t}}}"#);
    let dir = Path::new("x");
    let (_, bits) = criterion::parse_benchmark(est, &bench(r#"{"Bits":8000}"#), dir).unwrap();
    assert_eq!(bits.throughput_bytes_per_s, Some(1e9));
    let (_, both) = criterion::parse_benchmark(
        est,
        &bench(r#"{"ElementsAndBytes":{"elements":2,"bytes":1000}}"#),
        dir,
    )
    .unwrap();
    assert_eq!(both.throughput_bytes_per_s, Some(1e9));
    assert_eq!(both.elements_per_s, Some(2e6));
    let err = criterion::parse_benchmark("{}", &bench("null"), dir).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("x/estimates.json: unexpected criterion JSON"),
        "{err}"
    );
}
