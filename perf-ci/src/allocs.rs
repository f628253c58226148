//! Parsing of the `ZERORTC_ALLOC {json}` lines printed by the allocation tests (`allocs/`).
//!
//! The prefix may appear anywhere in a line: with `--nocapture` libtest prints
//! `test name ... ` before the test's own output, so a measurement often reads
//! `test rtp_parse ... ZERORTC_ALLOC {"name":"rtp_parse","ops":10000,"blocks":0,"bytes":0}`.
//! Text after the JSON object is ignored. Lines without the prefix are ignored.
//!
//! Decision on bad input: a line that carries the prefix but whose JSON is malformed, lacks a
//! field, has `ops == 0`, or repeats a name already seen is an **error** (with the line
//! number), not a warning. A measurement that cannot be read must not silently disappear from
//! the gate: a new hot path would otherwise never be checked.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::results::AllocFigure;

/// The marker the allocation tests print before their JSON.
pub const ALLOC_PREFIX: &str = "ZERORTC_ALLOC ";

/// One allocation measurement as printed by a test.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AllocLine {
    /// Name of the measured operation (`rtp_parse`).
    pub name: String,
    /// Measured operations.
    pub ops: u64,
    /// Blocks allocated in total during the measured operations.
    pub blocks: u64,
    /// Bytes allocated in total during the measured operations.
    pub bytes: u64,
}

/// A `ZERORTC_ALLOC` line that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocParseError {
    /// The JSON after the prefix is malformed or misses a field.
    #[error("line {line}: malformed ZERORTC_ALLOC JSON ({reason}): {text}")]
    Malformed {
        /// 1-based line number in the output.
        line: usize,
        /// What serde_json said.
        reason: String,
        /// The offending line.
        text: String,
    },
    /// `ops` is zero: per-operation figures would be meaningless.
    #[error("line {line}: ZERORTC_ALLOC {name:?} measured zero operations")]
    ZeroOps {
        /// 1-based line number in the output.
        line: usize,
        /// The measurement's name.
        name: String,
    },
    /// Two measurements share one name.
    #[error("line {line}: ZERORTC_ALLOC name {name:?} printed twice (first on line {first})")]
    Duplicate {
        /// 1-based line number of the second occurrence.
        line: usize,
        /// 1-based line number of the first occurrence.
        first: usize,
        /// The repeated name.
        name: String,
    },
}

/// Parses one line: `Ok(None)` when it carries no `ZERORTC_ALLOC` marker.
pub fn parse_line(line_no: usize, line: &str) -> Result<Option<AllocLine>, AllocParseError> {
    let Some(pos) = line.find(ALLOC_PREFIX) else {
        return Ok(None);
    };
    let rest = line.get(pos + ALLOC_PREFIX.len()..).unwrap_or_default();
    let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<AllocLine>();
    let malformed = |reason: String| AllocParseError::Malformed {
        line: line_no,
        reason,
        text: line.trim().to_string(),
    };
    let parsed = match stream.next() {
        Some(Ok(parsed)) => parsed,
        Some(Err(e)) => return Err(malformed(e.to_string())),
        None => return Err(malformed("no JSON after the prefix".into())),
    };
    if parsed.ops == 0 {
        return Err(AllocParseError::ZeroOps {
            line: line_no,
            name: parsed.name,
        });
    }
    Ok(Some(parsed))
}

/// Collects every measurement in the captured output of the allocation tests.
pub fn parse_output(output: &str) -> Result<BTreeMap<String, AllocFigure>, AllocParseError> {
    let mut figures = BTreeMap::new();
    let mut first_seen: BTreeMap<String, usize> = BTreeMap::new();
    for (index, line) in output.lines().enumerate() {
        let line_no = index + 1;
        let Some(parsed) = parse_line(line_no, line)? else {
            continue;
        };
        if let Some(&first) = first_seen.get(&parsed.name) {
            return Err(AllocParseError::Duplicate {
                line: line_no,
                first,
                name: parsed.name,
            });
        }
        first_seen.insert(parsed.name.clone(), line_no);
        figures.insert(
            parsed.name,
            AllocFigure {
                ops: parsed.ops,
                blocks: parsed.blocks,
                bytes: parsed.bytes,
            },
        );
    }
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "\
running 1 test
test rtp_parse_allocates_nothing ... ZERORTC_ALLOC {\"name\":\"rtp_parse\",\"ops\":10000,\"blocks\":0,\"bytes\":0}
ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.02s

ZERORTC_ALLOC {\"name\":\"srtp_protect\",\"ops\":500,\"blocks\":3,\"bytes\":96} trailing words
warning: ZERORTC_ALLOCATIONS is not the marker
";

    #[test]
    fn collects_lines_anywhere_and_ignores_junk() {
        let figures = parse_output(OUTPUT).unwrap();
        assert_eq!(figures.len(), 2);
        assert_eq!(
            figures["rtp_parse"],
            AllocFigure {
                ops: 10_000,
                blocks: 0,
                bytes: 0
            }
        );
        assert_eq!(
            figures["srtp_protect"],
            AllocFigure {
                ops: 500,
                blocks: 3,
                bytes: 96
            }
        );
    }

    #[test]
    fn malformed_json_is_an_error_with_line_number() {
        let out = "hello\nZERORTC_ALLOC {\"name\":\"x\",\"ops\":1,\n";
        let err = parse_output(out).unwrap_err();
        assert!(
            matches!(err, AllocParseError::Malformed { line: 2, .. }),
            "{err}"
        );
        let err =
            parse_output("ZERORTC_ALLOC {\"name\":\"x\",\"ops\":1,\"blocks\":0}").unwrap_err();
        assert!(err.to_string().contains("missing field `bytes`"), "{err}");
        let err = parse_output("ZERORTC_ALLOC ").unwrap_err();
        assert!(
            matches!(err, AllocParseError::Malformed { line: 1, .. }),
            "{err}"
        );
        let err =
            parse_output("ZERORTC_ALLOC {\"name\":\"x\",\"ops\":-1,\"blocks\":0,\"bytes\":0}")
                .unwrap_err();
        assert!(matches!(err, AllocParseError::Malformed { .. }), "{err}");
    }

    #[test]
    fn zero_ops_and_duplicates_are_errors() {
        let err = parse_output("ZERORTC_ALLOC {\"name\":\"x\",\"ops\":0,\"blocks\":0,\"bytes\":0}")
            .unwrap_err();
        assert_eq!(
            err,
            AllocParseError::ZeroOps {
                line: 1,
                name: "x".into()
            }
        );
        let line = "ZERORTC_ALLOC {\"name\":\"x\",\"ops\":1,\"blocks\":0,\"bytes\":0}";
        let err = parse_output(&format!("{line}\njunk\n{line}\n")).unwrap_err();
        assert_eq!(
            err,
            AllocParseError::Duplicate {
                line: 3,
                first: 1,
                name: "x".into()
            }
        );
    }

    #[test]
    fn output_without_markers_is_empty() {
        assert!(parse_output("running 0 tests\n").unwrap().is_empty());
        assert_eq!(parse_line(1, "plain").unwrap(), None);
    }
}
