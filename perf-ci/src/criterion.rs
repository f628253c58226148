//! Reading criterion 0.8's output: `target/criterion/**/new/estimates.json` (point estimates in
//! nanoseconds) and `benchmark.json` next to it (the benchmark's id and declared throughput).
//!
//! The figure's key is criterion's `full_id` (`group/function/value`). Throughput is computed
//! at the median: `bytes per iteration / median time`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Deserialize;

use crate::results::WallclockFigure;

/// Errors reading criterion's files.
#[derive(Debug, thiserror::Error)]
pub enum CriterionError {
    /// A file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not the JSON criterion writes.
    #[error("{path}: unexpected criterion JSON: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The JSON error.
        source: serde_json::Error,
    },
}

#[derive(Debug, Deserialize)]
struct Estimate {
    point_estimate: f64,
}

/// The parts of `estimates.json` perf-ci uses.
#[derive(Debug, Deserialize)]
struct Estimates {
    mean: Estimate,
    median: Estimate,
}

/// Criterion's `Throughput` as serialized in `benchmark.json`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub enum Throughput {
    /// Bits per iteration.
    Bits(u64),
    /// Bytes per iteration.
    Bytes(u64),
    /// Bytes per iteration (reported in decimal units by criterion).
    BytesDecimal(u64),
    /// Elements per iteration.
    Elements(u64),
    /// Both elements and bytes per iteration.
    ElementsAndBytes {
        /// Elements per iteration.
        elements: u64,
        /// Bytes per iteration.
        bytes: u64,
    },
}

/// The parts of `benchmark.json` perf-ci uses.
#[derive(Debug, Deserialize)]
struct BenchmarkJson {
    full_id: String,
    #[serde(default)]
    throughput: Option<Throughput>,
}

/// Builds a figure from the two files' contents. Returns the key and the figure.
pub fn parse_benchmark(
    estimates_json: &str,
    benchmark_json: &str,
    dir: &Path,
) -> Result<(String, WallclockFigure), CriterionError> {
    let json_err = |file: &str| {
        let path = dir.join(file);
        move |source| CriterionError::Json { path, source }
    };
    let estimates: Estimates =
        serde_json::from_str(estimates_json).map_err(json_err("estimates.json"))?;
    let bench: BenchmarkJson =
        serde_json::from_str(benchmark_json).map_err(json_err("benchmark.json"))?;
    let median_ns = estimates.median.point_estimate;
    let per_second = |per_iter: u64| {
        if median_ns > 0.0 {
            Some(per_iter as f64 * 1e9 / median_ns)
        } else {
            None
        }
    };
    let (bytes, elements) = match bench.throughput {
        Some(Throughput::Bits(bits)) => (per_second(bits).map(|b| b / 8.0), None),
        Some(Throughput::Bytes(n) | Throughput::BytesDecimal(n)) => (per_second(n), None),
        Some(Throughput::Elements(n)) => (None, per_second(n)),
        Some(Throughput::ElementsAndBytes { elements, bytes }) => {
            (per_second(bytes), per_second(elements))
        }
        None => (None, None),
    };
    Ok((
        bench.full_id,
        WallclockFigure {
            median_ns,
            mean_ns: estimates.mean.point_estimate,
            throughput_bytes_per_s: bytes,
            elements_per_s: elements,
        },
    ))
}

/// Finds every `new/` directory holding both files below `root`. With `since`, only those
/// whose `estimates.json` was written at or after that time (i.e. by this run).
pub fn find_new_dirs(
    root: &Path,
    since: Option<SystemTime>,
) -> Result<Vec<PathBuf>, CriterionError> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| CriterionError::Io {
            path: dir.clone(),
            source,
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            let name = entry.file_name();
            if name == "new" {
                let estimates = path.join("estimates.json");
                if estimates.is_file() && path.join("benchmark.json").is_file() {
                    let fresh = match since {
                        None => true,
                        Some(t) => std::fs::metadata(&estimates)
                            .and_then(|m| m.modified())
                            .is_ok_and(|m| m >= t),
                    };
                    if fresh {
                        found.push(path);
                    }
                }
            } else if name != "base" && name != "change" && name != "report" {
                stack.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Reads every benchmark under `target/criterion` (see [`find_new_dirs`]).
pub fn collect(
    criterion_dir: &Path,
    since: Option<SystemTime>,
) -> Result<BTreeMap<String, WallclockFigure>, CriterionError> {
    let mut figures = BTreeMap::new();
    if !criterion_dir.is_dir() {
        return Ok(figures);
    }
    for dir in find_new_dirs(criterion_dir, since)? {
        let read = |file: &str| {
            let path = dir.join(file);
            std::fs::read_to_string(&path).map_err(|source| CriterionError::Io { path, source })
        };
        let (key, figure) =
            parse_benchmark(&read("estimates.json")?, &read("benchmark.json")?, &dir)?;
        figures.insert(key, figure);
    }
    Ok(figures)
}
