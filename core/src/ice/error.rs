//! The error types of the ICE layer.

/// Why a `candidate` attribute could not be parsed (RFC 8839 §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CandidateError {
    /// The line ends before the `typ` field.
    #[error("candidate line ends early")]
    Truncated,
    /// The foundation is empty, longer than 32 or has a char outside
    /// ALPHA / DIGIT / `+` / `/`.
    #[error("bad candidate foundation")]
    BadFoundation,
    /// The component id is not a number in 1..=256.
    #[error("bad candidate component id")]
    BadComponent,
    /// The transport is neither UDP nor TCP.
    #[error("unknown candidate transport")]
    UnknownTransport,
    /// The priority is not a 32-bit number.
    #[error("bad candidate priority")]
    BadPriority,
    /// The connection address is neither an IP address nor a hostname.
    #[error("bad candidate address")]
    BadAddress,
    /// The port is not a 16-bit number.
    #[error("bad candidate port")]
    BadPort,
    /// `typ` is missing after the port.
    #[error("candidate has no `typ` field")]
    MissingType,
    /// The type is not host, srflx, prflx or relay.
    #[error("unknown candidate type")]
    UnknownType,
    /// `raddr` without `rport` or the other way round.
    #[error("candidate has raddr without rport or rport without raddr")]
    IncompleteRelatedAddress,
    /// `tcptype` is not active, passive or so.
    #[error("bad tcptype")]
    BadTcpType,
    /// An extension name without a value.
    #[error("candidate extension without a value")]
    MissingExtensionValue,
    /// A numeric extension (`generation`, `network-id`, `network-cost`)
    /// that is not a number.
    #[error("bad value of a numeric candidate extension")]
    BadExtension,
}
