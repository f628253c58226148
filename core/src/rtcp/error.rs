//! The error type of the RTCP layer.

use thiserror::Error;

/// Everything that can go wrong while parsing or marshalling RTCP.
///
/// Parsing never panics: malformed bytes from the network yield one of these
/// variants. The type is `Copy` and allocation-free so that a hot path can
/// drop a bad packet and count the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RtcpError {
    /// The input ends before a field that must be present.
    #[error("RTCP input too short: needed {needed} bytes, got {got}")]
    TooShort {
        /// Bytes needed to read the field.
        needed: usize,
        /// Bytes available.
        got: usize,
    },
    /// The version field is not 2.
    #[error("RTCP version {0}, expected 2")]
    BadVersion(u8),
    /// The header's length field disagrees with the bytes available.
    #[error("RTCP length field says {declared} bytes, {available} available")]
    LengthMismatch {
        /// Packet length declared by the header, in bytes.
        declared: usize,
        /// Bytes actually available.
        available: usize,
    },
    /// The padding count is zero or larger than the packet body.
    #[error("RTCP padding of {pad} bytes does not fit a body of {body} bytes")]
    BadPadding {
        /// Padding count read from the last byte.
        pad: usize,
        /// Body length (after the 4-byte header) that must contain it.
        body: usize,
    },
    /// A packet that is not the last of a compound packet has the P bit set
    /// (reported by [`check_compound`](super::check_compound) in full mode).
    #[error("RTCP padding on a packet that is not the last of the compound")]
    PaddingNotLast,
    /// More items than the field or the bounded storage can hold.
    #[error("too many RTCP items: {got}, at most {max}")]
    TooManyReports {
        /// The most that fits.
        max: usize,
        /// How many there were.
        got: usize,
    },
    /// The caller's output buffer cannot hold the marshalled packet.
    #[error("output buffer too small: needed {needed} bytes, got {got}")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes offered.
        got: usize,
    },
    /// A packet would be longer than the 16-bit length field allows.
    #[error("RTCP packet of {0} bytes exceeds the 16-bit length field")]
    PacketTooLarge(usize),
    /// A variable-length field is not a multiple of 32 bits.
    #[error("RTCP field of {0} bytes is not a multiple of 4")]
    Misaligned(usize),
    /// A value does not fit its wire field (e.g. a 24-bit field, an 8-bit count).
    #[error("RTCP field {0} out of range")]
    FieldOutOfRange(&'static str),
    /// The packet type does not match what the typed parser expects.
    #[error("unexpected RTCP packet type {packet_type} / count-or-FMT {count}")]
    UnexpectedPacketType {
        /// Packet type found.
        packet_type: u8,
        /// Count or FMT field found.
        count: u8,
    },
    /// A source description chunk or item is malformed.
    #[error("invalid SDES: {0}")]
    InvalidSdes(SdesError),
    /// A transport-wide congestion control feedback is malformed.
    #[error("invalid transport-cc feedback: {0}")]
    InvalidTwcc(TwccError),
    /// An extended report block is malformed.
    #[error("invalid XR block of type {0}")]
    InvalidXrBlock(u8),
    /// A compound packet breaks an RFC 3550 section 6.1 rule.
    #[error("compound RTCP rule broken: {0}")]
    CompoundRule(CompoundRule),
}

/// What is wrong with a source description packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SdesError {
    /// An item's declared length runs past the end of the packet.
    #[error("item runs past the end of the packet")]
    ItemOverrun,
    /// A chunk has no terminating null item before the packet ends.
    #[error("chunk not terminated by a null item")]
    MissingTerminator,
    /// Fewer chunks than the source count announces.
    #[error("fewer chunks than the source count")]
    MissingChunk,
    /// Bytes left over after the last announced chunk.
    #[error("trailing bytes after the last chunk")]
    TrailingBytes,
    /// An item value longer than 255 bytes (marshal) or a PRIV prefix longer
    /// than the item.
    #[error("item value too long")]
    ValueTooLong,
    /// Item type 0 (END) used as a regular item when building.
    #[error("item type 0 is the terminator")]
    EndItem,
}

/// What is wrong with a transport-wide congestion control feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TwccError {
    /// The packet chunks end before `packet status count` symbols are covered.
    #[error("packet chunks cover fewer symbols than the status count")]
    MissingChunks,
    /// The receive deltas section is shorter than the symbols require.
    #[error("receive deltas section too short: needed {needed}, got {got}")]
    MissingDeltas {
        /// Delta bytes required by the symbols.
        needed: usize,
        /// Delta bytes available.
        got: usize,
    },
    /// A symbol with the reserved value 3.
    #[error("reserved packet status symbol")]
    ReservedSymbol,
    /// More bytes after the deltas than 32-bit alignment padding explains.
    #[error("trailing bytes after the receive deltas")]
    TrailingBytes,
    /// A receive delta does not fit 16 signed bits of 250 µs: start a new
    /// feedback packet.
    #[error("receive delta out of range")]
    DeltaOutOfRange,
    /// The reference time does not fit 24 signed bits of 64 ms.
    #[error("reference time out of range")]
    ReferenceTimeOutOfRange,
    /// A sequence number not after the previous one, or more than 65535 statuses.
    #[error("sequence number out of order or too many packets")]
    SequenceOutOfOrder,
    /// A received packet arrived before the reference time of the feedback.
    #[error("arrival before the reference time")]
    ArrivalBeforeReference,
}

/// A compound-packet rule of RFC 3550 section 6.1 (as checked by
/// [`check_compound`](super::check_compound)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CompoundRule {
    /// The compound packet is empty.
    #[error("empty compound packet")]
    Empty,
    /// The first packet is neither SR nor RR.
    #[error("first packet is not SR or RR")]
    FirstNotReport,
    /// No SDES packet carries a CNAME item.
    #[error("no CNAME")]
    MissingCname,
}

impl From<SdesError> for RtcpError {
    fn from(e: SdesError) -> Self {
        RtcpError::InvalidSdes(e)
    }
}

impl From<TwccError> for RtcpError {
    fn from(e: TwccError) -> Self {
        RtcpError::InvalidTwcc(e)
    }
}

impl From<CompoundRule> for RtcpError {
    fn from(e: CompoundRule) -> Self {
        RtcpError::CompoundRule(e)
    }
}
