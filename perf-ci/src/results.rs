//! The results schema shared by `reports/latest/results.json` (written by `perf-ci run`) and
//! `reports/baselines/main.json` (written by `perf-ci bless`).
//!
//! Every map is a `BTreeMap`, and files are written through `serde_json::Value` (whose maps are
//! sorted), so the keys of a saved file are always in sorted order and diffs stay readable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// One run of the lab: instruction counts, allocation counts and wall-clock figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Schema version, always [`SCHEMA_VERSION`].
    pub schema: u32,
    /// UTC timestamp of the run, RFC 3339 (`2026-11-24T21:47:07Z`).
    #[serde(default)]
    pub generated_at: String,
    /// Git commit the run measured (`-dirty` appended when the tree had changes).
    #[serde(default)]
    pub git_commit: String,
    /// Machine description: CPU model and core count.
    #[serde(default)]
    pub machine: String,
    /// Callgrind `Ir` per gungraun benchmark, keyed `<suite>/<group>/<function>[/<id>]`.
    #[serde(default)]
    pub instructions: BTreeMap<String, u64>,
    /// Allocation counts per measured hot path (dhat), keyed by the test's `name`.
    #[serde(default)]
    pub allocations: BTreeMap<String, AllocFigure>,
    /// Criterion wall-clock estimates, keyed by criterion's full benchmark id.
    #[serde(default)]
    pub wallclock: BTreeMap<String, WallclockFigure>,
}

/// Allocations counted during `ops` measured operations (after warm-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocFigure {
    /// Number of measured operations.
    pub ops: u64,
    /// Heap blocks allocated in total during the measured operations.
    pub blocks: u64,
    /// Bytes allocated in total during the measured operations.
    pub bytes: u64,
}

impl AllocFigure {
    /// Blocks allocated per operation (0 when `ops` is 0).
    pub fn blocks_per_op(&self) -> f64 {
        per_op(self.blocks, self.ops)
    }

    /// Bytes allocated per operation (0 when `ops` is 0).
    pub fn bytes_per_op(&self) -> f64 {
        per_op(self.bytes, self.ops)
    }
}

fn per_op(total: u64, ops: u64) -> f64 {
    if ops == 0 {
        0.0
    } else {
        total as f64 / ops as f64
    }
}

/// Criterion estimates of one benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WallclockFigure {
    /// Median time per iteration, nanoseconds.
    pub median_ns: f64,
    /// Mean time per iteration, nanoseconds.
    pub mean_ns: f64,
    /// Bytes per second at the median, when the benchmark declared a byte throughput.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput_bytes_per_s: Option<f64>,
    /// Elements per second at the median, when the benchmark declared an element throughput.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elements_per_s: Option<f64>,
}

/// Errors loading or saving a results file.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid results JSON.
    #[error("{path}: not a valid results file: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// The file has a schema version this build does not know.
    #[error("{path}: schema {found}, this perf-ci reads schema {SCHEMA_VERSION}")]
    Schema {
        /// The file.
        path: PathBuf,
        /// The version found in the file.
        found: u32,
    },
}

impl Results {
    /// Empty results with the current schema version.
    pub fn new(generated_at: String, git_commit: String, machine: String) -> Self {
        Results {
            schema: SCHEMA_VERSION,
            generated_at,
            git_commit,
            machine,
            instructions: BTreeMap::new(),
            allocations: BTreeMap::new(),
            wallclock: BTreeMap::new(),
        }
    }

    /// Parses results JSON; `path` is only used in error messages.
    pub fn from_json(text: &str, path: &Path) -> Result<Self, ResultsError> {
        let results: Results = serde_json::from_str(text).map_err(|source| ResultsError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        if results.schema != SCHEMA_VERSION {
            return Err(ResultsError::Schema {
                path: path.to_path_buf(),
                found: results.schema,
            });
        }
        Ok(results)
    }

    /// Reads a results file.
    pub fn load(path: &Path) -> Result<Self, ResultsError> {
        let text = std::fs::read_to_string(path).map_err(|source| ResultsError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text, path)
    }

    /// Pretty JSON with sorted keys and a trailing newline.
    pub fn to_pretty_json(&self) -> String {
        // `serde_json::Value` keeps object keys in a BTreeMap (no `preserve_order`), so going
        // through it sorts the struct fields too.
        let value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the file (creating parent directories).
    pub fn save(&self, path: &Path) -> Result<(), ResultsError> {
        let io = |source| ResultsError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(path, self.to_pretty_json()).map_err(io)
    }

    /// Total number of figures of all kinds.
    pub fn figure_count(&self) -> usize {
        self.instructions.len() + self.allocations.len() + self.wallclock.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Results {
        let mut r = Results::new(
            "2026-11-24T21:00:00Z".into(),
            "abc123".into(),
            "AMD EPYC (2 cores)".into(),
        );
        r.instructions
            .insert("rtp_ir/parse/parse/small".into(), 123);
        r.instructions.insert("a_ir/g/f".into(), 7);
        r.allocations.insert(
            "rtp_parse".into(),
            AllocFigure {
                ops: 10_000,
                blocks: 0,
                bytes: 0,
            },
        );
        r.wallclock.insert(
            "rtp/parse/1200".into(),
            WallclockFigure {
                median_ns: 12.3,
                mean_ns: 12.5,
                throughput_bytes_per_s: Some(9.7e10),
                elements_per_s: None,
            },
        );
        r
    }

    #[test]
    fn round_trip_through_file() {
        let dir = std::env::temp_dir().join(format!("perf-ci-results-{}", std::process::id()));
        let path = dir.join("sub/results.json");
        let r = sample();
        r.save(&path).unwrap();
        let back = Results::load(&path).unwrap();
        assert_eq!(back, r);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn saved_json_has_sorted_keys_and_omits_absent_throughput() {
        let text = sample().to_pretty_json();
        let pos = |needle: &str| text.find(needle).unwrap();
        assert!(pos("\"allocations\"") < pos("\"generated_at\""));
        assert!(pos("\"generated_at\"") < pos("\"instructions\""));
        assert!(pos("\"schema\"") < pos("\"wallclock\""));
        assert!(pos("\"a_ir/g/f\"") < pos("\"rtp_ir/parse/parse/small\""));
        assert!(!text.contains("elements_per_s"));
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn reads_the_brief_example() {
        let text = r#"{ "schema": 1, "generated_at": "x", "git_commit": "y", "machine": "z",
          "instructions": { "rtp_ir/parse/small": 123 },
          "allocations": { "rtp_parse": { "ops": 10000, "blocks": 0, "bytes": 0 } },
          "wallclock":   { "rtp/parse/1200": { "median_ns": 12.3, "mean_ns": 12.5,
                            "throughput_bytes_per_s": 9.7e10, "elements_per_s": 8.1e7 } } }"#;
        let r = Results::from_json(text, Path::new("x.json")).unwrap();
        assert_eq!(r.instructions["rtp_ir/parse/small"], 123);
        assert_eq!(r.allocations["rtp_parse"].ops, 10_000);
        assert_eq!(r.wallclock["rtp/parse/1200"].elements_per_s, Some(8.1e7));
    }

    #[test]
    fn rejects_other_schema_and_bad_json() {
        let err = Results::from_json(r#"{"schema": 2}"#, Path::new("b.json")).unwrap_err();
        assert!(
            matches!(err, ResultsError::Schema { found: 2, .. }),
            "{err}"
        );
        let err = Results::from_json("{", Path::new("b.json")).unwrap_err();
        assert!(matches!(err, ResultsError::Json { .. }), "{err}");
        assert!(err.to_string().starts_with("b.json: "));
    }

    #[test]
    fn per_op_figures() {
        let a = AllocFigure {
            ops: 4,
            blocks: 2,
            bytes: 100,
        };
        assert_eq!(a.blocks_per_op(), 0.5);
        assert_eq!(a.bytes_per_op(), 25.0);
        let zero = AllocFigure {
            ops: 0,
            blocks: 3,
            bytes: 3,
        };
        assert_eq!(zero.blocks_per_op(), 0.0);
    }
}
