//! The error type of the RTP layer.

/// Everything that can go wrong when parsing or marshalling RTP packets,
/// header extension blocks (RFC 8285) or typed extension values.
///
/// Parsers return these for malformed input from the network; marshal
/// functions return them when the caller's buffer is too small or the
/// header asks for something the wire format cannot carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RtpError {
    /// The buffer ends before the fixed header, the CSRC list or the
    /// extension header it announces (RFC 3550 §5.1).
    #[error("RTP packet too short: need {needed} bytes, got {got}")]
    TooShort {
        /// Bytes needed to hold what the packet announces so far.
        needed: usize,
        /// Bytes actually available.
        got: usize,
    },
    /// The version field is not 2.
    #[error("RTP version {0}, expected 2")]
    BadVersion(u8),
    /// The header extension length field points past the end of the buffer.
    #[error("RTP header extension claims {declared} bytes, only {available} available")]
    ExtensionTooLong {
        /// Bytes announced by the extension length field (words × 4).
        declared: usize,
        /// Bytes left in the buffer after the extension header.
        available: usize,
    },
    /// The P bit is set but the last byte (the padding count) is zero.
    #[error("RTP padding bit set with a padding count of zero")]
    ZeroPadding,
    /// The padding count is larger than the space left after the header.
    #[error("RTP padding of {padding} bytes exceeds the {available} bytes after the header")]
    PaddingTooLong {
        /// The padding count found in the last byte.
        padding: usize,
        /// Bytes between the end of the header and the end of the packet.
        available: usize,
    },
    /// An element of an RFC 8285 extension block runs past the end of the block.
    #[error("RTP header extension element with id {id} at offset {offset} overruns the block")]
    ExtensionElementOverrun {
        /// Local identifier of the element.
        id: u8,
        /// Offset of the element header inside the extension block data.
        offset: usize,
    },
    /// An extension id that the chosen form cannot carry (0, 15 in the
    /// one-byte form, or an id outside an `ExtensionMap`'s range).
    #[error("RTP header extension id {0} is not valid here")]
    BadExtensionId(u16),
    /// An extension value longer than the form allows (16 bytes in the
    /// one-byte form, 255 in the two-byte form) or empty in the one-byte form.
    #[error("RTP header extension id {id}: value of {len} bytes does not fit the form")]
    BadExtensionValueLength {
        /// Local identifier of the element.
        id: u8,
        /// Length of the value.
        len: usize,
    },
    /// The extension block would exceed 65535 32-bit words.
    #[error("RTP header extension block too large")]
    ExtensionBlockTooLarge,
    /// A raw extension block whose length is not a multiple of 4.
    #[error("RTP raw header extension block of {0} bytes is not a multiple of 4")]
    UnalignedExtensionBlock(usize),
    /// More extension elements than the header type can hold.
    #[error("too many RTP header extension elements")]
    TooManyExtensions,
    /// More than 15 CSRCs.
    #[error("too many CSRCs (at most 15)")]
    TooManyCsrcs,
    /// Padding of 0 bytes, or raw padding bytes whose last byte is not their count.
    #[error("RTP padding is malformed")]
    BadPadding,
    /// A typed extension value has the wrong length.
    #[error("RTP extension value has {got} bytes, expected {expected}")]
    BadValueLength {
        /// Bytes the value needs.
        expected: usize,
        /// Bytes found.
        got: usize,
    },
    /// A typed extension value is out of its range or not well formed
    /// (e.g. an SDES string that is empty or not valid UTF-8).
    #[error("RTP extension value is invalid: {0}")]
    BadValue(&'static str),
    /// The caller's output buffer is too small.
    #[error("output buffer too small: need {needed} bytes, got {got}")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        got: usize,
    },
}
