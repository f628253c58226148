//! Reading instruction counts from gungraun 0.20.
//!
//! gungraun writes one *benchmark summary* (schema version `"7"`) per benchmark run:
//! - as one JSON object per line on the bench binary's stdout with `--output-format=json`, and
//! - as `target/gungraun/<package>/<suite>/<group>/<function>[.<id>]/summary.json` with
//!   `--save-summary=json`.
//!
//! Both carry the same object. perf-ci reads the stdout lines (they describe exactly the
//! benchmarks of this run; files under `target/gungraun/` may be left from earlier runs) and
//! falls back to the `summary.json` files written since the run started. The figure is
//! `profiles[tool == "Callgrind"].data.total.metrics.Ir.values.new`: `total` sums all parts
//! (threads, subprocesses) of the run, `new` is this run (`old` is gungraun's previous run,
//! which perf-ci ignores: the baseline is perf-ci's own file).
//!
//! The key is `<suite>/<group>/<function>` from `module_path`
//! (`suite::group::function`), followed by `/<id>` when the benchmark has an id
//! (`#[bench::small(..)]` → `rtp_ir/parse/parse_packet/small`). The function is part of the key
//! because ids repeat across the functions of one group (`small`, `large`).
//!
//! Real output kept as test fixtures: `perf-ci/tests/fixtures/gungraun/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value;

/// The summary format version perf-ci was written against.
pub const SUMMARY_VERSION: &str = "7";

/// Errors reading gungraun summaries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GungraunError {
    /// Not JSON, or not a gungraun summary object.
    #[error("{origin}: not a gungraun summary: {reason}")]
    NotASummary {
        /// Where it came from (file or `stdout line N`).
        origin: String,
        /// What is wrong.
        reason: String,
    },
    /// A summary without a callgrind `Ir` total.
    #[error("{origin}: benchmark {key} has no Callgrind Ir total (tools: {tools})")]
    NoIr {
        /// Where it came from.
        origin: String,
        /// The benchmark's key.
        key: String,
        /// Tools present in the summary.
        tools: String,
    },
    /// Two summaries produce the same key.
    #[error("{origin}: benchmark key {key} appears twice")]
    Duplicate {
        /// Where the second one came from.
        origin: String,
        /// The repeated key.
        key: String,
    },
    /// A directory or file could not be read.
    #[error("{path}: {reason}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error text.
        reason: String,
    },
}

/// One benchmark's instruction count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IrFigure {
    /// `<suite>/<group>/<function>[/<id>]`.
    pub key: String,
    /// Callgrind `Ir` of this run.
    pub ir: u64,
    /// Summary format version found (a warning is due when it is not [`SUMMARY_VERSION`]).
    pub version: String,
}

fn not_summary(origin: &str, reason: impl Into<String>) -> GungraunError {
    GungraunError::NotASummary {
        origin: origin.to_string(),
        reason: reason.into(),
    }
}

/// A metric value: an integer, a float, or (for perf-style annotated metrics) `{"value": n}`.
fn metric_value(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f.round() as u64)
        }),
        Value::Object(map) => map.get("value").and_then(metric_value),
        _ => None,
    }
}

/// The benchmark key of a summary object.
pub fn summary_key(summary: &Value, origin: &str) -> Result<String, GungraunError> {
    let module_path = summary
        .get("module_path")
        .and_then(Value::as_str)
        .ok_or_else(|| not_summary(origin, "no module_path"))?;
    let mut key = module_path.split("::").collect::<Vec<_>>().join("/");
    if let Some(id) = summary.get("id").and_then(Value::as_str) {
        key.push('/');
        key.push_str(id);
    }
    Ok(key)
}

/// Extracts the key and `Ir` from one summary object.
pub fn parse_summary_value(summary: &Value, origin: &str) -> Result<IrFigure, GungraunError> {
    if !summary.is_object() {
        return Err(not_summary(origin, "not a JSON object"));
    }
    let key = summary_key(summary, origin)?;
    let version = summary
        .get("version")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string();
    let profiles = summary
        .get("profiles")
        .and_then(Value::as_array)
        .ok_or_else(|| not_summary(origin, "no profiles array"))?;
    let tool_of = |p: &Value| {
        p.get("tool")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let ir_of = |p: &Value| {
        p.pointer("/data/total/metrics/Ir/values/new")
            .and_then(metric_value)
    };
    // Callgrind first; Cachegrind also counts Ir when a suite makes it the default tool.
    let ir = ["Callgrind", "Cachegrind"].iter().find_map(|tool| {
        profiles
            .iter()
            .filter(|p| tool_of(p) == *tool)
            .find_map(ir_of)
    });
    match ir {
        Some(ir) => Ok(IrFigure { key, ir, version }),
        None => Err(GungraunError::NoIr {
            origin: origin.to_string(),
            key,
            tools: profiles.iter().map(tool_of).collect::<Vec<_>>().join(", "),
        }),
    }
}

/// Parses one summary from JSON text.
pub fn parse_summary(text: &str, origin: &str) -> Result<IrFigure, GungraunError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| not_summary(origin, e.to_string()))?;
    parse_summary_value(&value, origin)
}

/// What [`parse_json_lines`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StdoutFigures {
    /// Instruction counts by key.
    pub figures: BTreeMap<String, u64>,
    /// Lines that are not summaries (kept for the log; a bench may print its own text).
    pub other_lines: Vec<String>,
    /// Summary format versions other than [`SUMMARY_VERSION`] seen.
    pub unexpected_versions: Vec<String>,
}

/// Reads the stdout of a gungraun bench run with `--output-format=json`: every line that is a
/// JSON object is a summary and must yield an `Ir`; other lines are collected, not parsed.
pub fn parse_json_lines(stdout: &str) -> Result<StdoutFigures, GungraunError> {
    let mut out = StdoutFigures::default();
    for (index, line) in stdout.lines().enumerate() {
        let trimmed = line.trim();
        if !trimmed.starts_with('{') {
            if !trimmed.is_empty() {
                out.other_lines.push(line.to_string());
            }
            continue;
        }
        let origin = format!("stdout line {}", index + 1);
        let figure = parse_summary(trimmed, &origin)?;
        insert(
            &mut out.figures,
            figure,
            &origin,
            &mut out.unexpected_versions,
        )?;
    }
    Ok(out)
}

fn insert(
    figures: &mut BTreeMap<String, u64>,
    figure: IrFigure,
    origin: &str,
    versions: &mut Vec<String>,
) -> Result<(), GungraunError> {
    if figure.version != SUMMARY_VERSION && !versions.contains(&figure.version) {
        versions.push(figure.version.clone());
    }
    if figures.insert(figure.key.clone(), figure.ir).is_some() {
        return Err(GungraunError::Duplicate {
            origin: origin.to_string(),
            key: figure.key,
        });
    }
    Ok(())
}

/// Finds `summary.json` files below `dir` (e.g. `target/gungraun/zerortc-benches/rtp_ir`),
/// only those modified at or after `since` when given.
pub fn find_summary_files(
    dir: &Path,
    since: Option<SystemTime>,
) -> Result<Vec<PathBuf>, GungraunError> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| GungraunError::Io {
            path: d.clone(),
            reason: e.to_string(),
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if entry.file_name() == "summary.json" {
                let fresh = since.is_none_or(|t| {
                    std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .is_ok_and(|m| m >= t)
                });
                if fresh {
                    found.push(path);
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Reads the `summary.json` files below `dir` (see [`find_summary_files`]).
pub fn collect_summary_files(
    dir: &Path,
    since: Option<SystemTime>,
) -> Result<StdoutFigures, GungraunError> {
    let mut out = StdoutFigures::default();
    if !dir.is_dir() {
        return Ok(out);
    }
    for path in find_summary_files(dir, since)? {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| GungraunError::Io {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let figure = parse_summary(&text, &origin)?;
        insert(
            &mut out.figures,
            figure,
            &origin,
            &mut out.unexpected_versions,
        )?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_values() {
        assert_eq!(metric_value(&serde_json::json!(42)), Some(42));
        assert_eq!(metric_value(&serde_json::json!(41.6)), Some(42));
        assert_eq!(metric_value(&serde_json::json!({"value": 7})), Some(7));
        assert_eq!(metric_value(&serde_json::json!(-1)), None);
        assert_eq!(metric_value(&serde_json::json!("7")), None);
    }

    #[test]
    fn key_with_and_without_id() {
        let with = serde_json::json!({"module_path": "rtp_ir::parse::parse_packet", "id": "small"});
        assert_eq!(
            summary_key(&with, "t").unwrap(),
            "rtp_ir/parse/parse_packet/small"
        );
        let without = serde_json::json!({"module_path": "rtp_ir::parse::parse_packet", "id": null});
        assert_eq!(
            summary_key(&without, "t").unwrap(),
            "rtp_ir/parse/parse_packet"
        );
        assert!(summary_key(&serde_json::json!({}), "t").is_err());
    }

    #[test]
    fn summary_without_callgrind_ir_is_an_error() {
        let text =
            r#"{"module_path":"s::g::f","version":"7","profiles":[{"tool":"DHAT","data":{}}]}"#;
        let err = parse_summary(text, "x").unwrap_err();
        assert_eq!(
            err,
            GungraunError::NoIr {
                origin: "x".into(),
                key: "s/g/f".into(),
                tools: "DHAT".into()
            }
        );
        assert!(matches!(
            parse_summary("[1]", "x").unwrap_err(),
            GungraunError::NotASummary { .. }
        ));
        assert!(matches!(
            parse_summary("{\"module_path\":\"a::b\"}", "x").unwrap_err(),
            GungraunError::NotASummary { .. }
        ));
    }

    #[test]
    fn duplicate_keys_and_broken_lines_are_errors() {
        let line = r#"{"module_path":"s::g::f","version":"7","profiles":[{"tool":"Callgrind","data":{"total":{"metrics":{"Ir":{"values":{"new":5}}}}}}]}"#;
        let ok = parse_json_lines(&format!("bench says hi\n{line}\n")).unwrap();
        assert_eq!(ok.figures["s/g/f"], 5);
        assert_eq!(ok.other_lines, ["bench says hi"]);
        let err = parse_json_lines(&format!("{line}\n{line}\n")).unwrap_err();
        assert!(matches!(err, GungraunError::Duplicate { .. }), "{err}");
        let err = parse_json_lines("{\"module_path\": \n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("stdout line 1: not a gungraun summary")
        );
    }
}
