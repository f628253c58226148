//! The error type of the SCTP layer.

/// Everything that can go wrong in the SCTP layer: malformed packets,
/// chunks and parameters from the network, buffers too small to marshal
/// into, and calls on an association that its state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SctpError {
    /// The packet is shorter than the 12-byte common header (RFC 9260 §3.1).
    #[error("SCTP packet of {0} bytes is shorter than the common header")]
    PacketTooShort(usize),
    /// The CRC32c in the common header does not match the packet (RFC 9260 §6.8).
    #[error("SCTP checksum mismatch: packet says {found:#010x}, computed {computed:#010x}")]
    BadChecksum {
        /// Checksum carried by the packet.
        found: u32,
        /// Checksum computed over the packet.
        computed: u32,
    },
    /// A chunk header or a chunk length field that does not fit the packet
    /// (length below 4, or beyond the end of the packet).
    #[error("SCTP chunk at offset {offset} has a bad length {length}")]
    BadChunkLength {
        /// Offset of the chunk header in the packet.
        offset: usize,
        /// The length field found.
        length: u16,
    },
    /// A chunk whose value is too short (or of a wrong size) for its type.
    #[error("SCTP chunk of type {chunk_type} has a malformed value of {len} bytes")]
    MalformedChunk {
        /// The chunk type.
        chunk_type: u8,
        /// Length of the chunk value (after the 4-byte chunk header).
        len: usize,
    },
    /// A TLV parameter (or error cause) whose length field is below 4 or
    /// runs past the end of its chunk.
    #[error("SCTP parameter of type {param_type} has a bad length {length}")]
    BadParameterLength {
        /// The parameter type (or cause code).
        param_type: u16,
        /// The length field found.
        length: u16,
    },
    /// A known parameter whose value has a wrong size.
    #[error("SCTP parameter of type {param_type} has a malformed value of {len} bytes")]
    MalformedParameter {
        /// The parameter type.
        param_type: u16,
        /// Length of the value.
        len: usize,
    },
    /// A field holds a value the protocol forbids (zero initiate tag,
    /// zero streams, empty DATA payload...).
    #[error("SCTP field {0} holds a forbidden value")]
    InvalidField(&'static str),
    /// The caller's buffer cannot hold what is being written.
    #[error("SCTP output buffer too small: need {needed} bytes, have {available}")]
    BufferTooSmall {
        /// Bytes the write needs.
        needed: usize,
        /// Bytes left in the buffer.
        available: usize,
    },
    /// The message is larger than the configured maximum message size.
    #[error("SCTP message of {len} bytes exceeds the maximum message size {max}")]
    MessageTooLarge {
        /// Length of the message.
        len: usize,
        /// The configured maximum.
        max: usize,
    },
    /// The send buffer limit would be exceeded; wait for `BufferedAmountLow`.
    #[error("SCTP send buffer full: {buffered} bytes buffered, limit {limit}")]
    SendBufferFull {
        /// Bytes already buffered.
        buffered: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The association is not in a state that allows the call (not
    /// established yet, shutting down or closed).
    #[error("SCTP association is not established")]
    NotEstablished,
    /// The stream id is at or above the negotiated number of streams.
    #[error("SCTP stream {0} is not available on this association")]
    InvalidStream(u16),
    /// The stream is being reset and cannot carry new messages.
    #[error("SCTP stream {0} is being reset")]
    StreamResetting(u16),
    /// Empty user messages cannot be carried by DATA (RFC 9260 §3.3.1);
    /// data channels send them with the "empty" PPIDs (RFC 8831 §6.6).
    #[error("SCTP cannot send an empty message")]
    EmptyMessage,
}
