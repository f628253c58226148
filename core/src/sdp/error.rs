//! The error type of the SDP layer.

use crate::ice::CandidateError;

/// A session description that could not be parsed: the 1-based number of
/// the offending line and why.
///
/// A missing mandatory line (`v=`, `o=`, `s=`, `t=`) is reported at the
/// line where it was expected (for a missing `t=`, the first `m=` line or
/// one past the last line).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("SDP line {line}: {kind}")]
pub struct SdpError {
    /// 1-based line number (lines end in LF or CRLF).
    pub line: usize,
    /// What is wrong with it.
    pub kind: SdpErrorKind,
}

impl SdpError {
    pub(crate) fn new(line: usize, kind: SdpErrorKind) -> Self {
        Self { line, kind }
    }
}

/// Why a line of a session description was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SdpErrorKind {
    /// The bytes are not UTF-8.
    #[error("not UTF-8")]
    NotUtf8,
    /// The line is not `<letter>=<value>`.
    #[error("not a `<type>=<value>` line")]
    NotTypeValue,
    /// A type letter RFC 8866 does not define (§5: such a description is
    /// rejected as a whole).
    #[error("unknown line type `{0}=`")]
    UnknownLineType(char),
    /// The description does not start with `v=`.
    #[error("the description must start with `v=`")]
    MissingVersion,
    /// `v=` is not `0`.
    #[error("unsupported version (only `v=0`)")]
    BadVersion,
    /// A mandatory session line is missing (`o=`, `s=` or `t=`).
    #[error("missing `{0}=` line")]
    Missing(char),
    /// A line type appears where RFC 8866 §5 does not allow it (`o=` in a
    /// media section, `m=` fields on a session line...).
    #[error("`{0}=` line is not allowed here")]
    Misplaced(char),
    /// A line or attribute that may appear once appears twice.
    #[error("duplicate `{0}`")]
    Duplicate(&'static str),
    /// A malformed value: the line's type or attribute name and the reason.
    #[error("{what}: {reason}")]
    Invalid {
        /// The line type or attribute, e.g. `o=` or `a=rtpmap`.
        what: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A malformed `a=candidate` line.
    #[error("a=candidate: {0}")]
    Candidate(#[from] CandidateError),
}

/// Shorthand for an [`SdpErrorKind::Invalid`].
pub(crate) const fn invalid(what: &'static str, reason: &'static str) -> SdpErrorKind {
    SdpErrorKind::Invalid { what, reason }
}
