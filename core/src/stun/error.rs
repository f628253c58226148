//! The error type of the STUN layer.

/// Everything that can go wrong when parsing, verifying or writing a STUN
/// message (RFC 8489).
///
/// Parsers return these for malformed input from the network; the writer
/// returns them when the caller's buffer is too small or a value cannot be
/// carried by the wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StunError {
    /// The buffer is shorter than the 20-byte header (RFC 8489 §5).
    #[error("STUN message too short: {0} bytes, the header needs 20")]
    TooShort(usize),
    /// One of the two most significant bits of the first byte is set, so
    /// this is not a STUN message (RFC 8489 §5, RFC 7983 demultiplexing).
    #[error("first two bits of a STUN message must be zero")]
    NotStun,
    /// The magic cookie is not 0x2112A442 (RFC 8489 §5).
    #[error("wrong STUN magic cookie {0:#010x}")]
    BadMagicCookie(u32),
    /// The message length is not a multiple of 4 (RFC 8489 §5).
    #[error("STUN message length {0} is not a multiple of 4")]
    UnalignedLength(u16),
    /// The message length field disagrees with the bytes available.
    #[error("STUN length field says {declared} bytes of attributes, {available} available")]
    LengthMismatch {
        /// Bytes announced by the length field.
        declared: usize,
        /// Bytes after the header in the buffer.
        available: usize,
    },
    /// An attribute header or value runs past the end of the message.
    #[error("STUN attribute {attr_type:#06x} at offset {offset} runs past the end of the message")]
    AttributeOverrun {
        /// The attribute type.
        attr_type: u16,
        /// Byte offset of the attribute header in the message.
        offset: usize,
    },
    /// A known attribute has a value that its definition does not allow
    /// (wrong length, bad address family, invalid UTF-8, error class out
    /// of range...).
    #[error("malformed STUN attribute {0:#06x}")]
    MalformedAttribute(u16),
    /// An attribute follows FINGERPRINT, which must be last (RFC 8489 §14.7).
    #[error("STUN attribute after FINGERPRINT")]
    AttributeAfterFingerprint,
    /// The message carries no MESSAGE-INTEGRITY (or -SHA256) attribute to
    /// verify.
    #[error("STUN message has no MESSAGE-INTEGRITY attribute")]
    NoIntegrity,
    /// The MESSAGE-INTEGRITY (or -SHA256) value does not match the key.
    #[error("STUN MESSAGE-INTEGRITY does not match")]
    IntegrityMismatch,
    /// The message carries no FINGERPRINT attribute.
    #[error("STUN message has no FINGERPRINT attribute")]
    NoFingerprint,
    /// The FINGERPRINT value does not match the message.
    #[error("STUN FINGERPRINT {found:#010x} does not match the computed {computed:#010x}")]
    FingerprintMismatch {
        /// The value in the attribute.
        found: u32,
        /// The CRC-32 computed over the message, XORed with 0x5354554E.
        computed: u32,
    },
    /// The caller's output buffer is too small for what is being written.
    #[error("output buffer too small: need {needed} bytes, have {available}")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// A value is too long for an attribute (the 16-bit length field, or
    /// the limit the RFC sets for that attribute).
    #[error("value too long for STUN attribute {0:#06x}")]
    ValueTooLong(u16),
    /// An ERROR-CODE outside 300..=699 cannot be written (RFC 8489 §14.8).
    #[error("STUN error code {0} outside 300..=699")]
    BadErrorCode(u16),
    /// The message has more attributes than the writer or a bounded list
    /// can hold.
    #[error("too many STUN attributes for a bounded list")]
    TooManyAttributes,
    /// Something was added after FINGERPRINT or MESSAGE-INTEGRITY that the
    /// RFC does not allow there (RFC 8489 §14.5-14.7).
    #[error("STUN attribute {0:#06x} cannot follow the integrity or fingerprint attributes")]
    AttributeAfterIntegrity(u16),
    /// A key of a length the HMAC cannot take (never happens for HMAC,
    /// kept so the crypto crate's errors map to something typed).
    #[error("invalid STUN integrity key")]
    InvalidKey,
}
