//! The error type of the SRTP layer.

use crate::crypto::CryptoError;

/// Everything that can go wrong when setting up an SRTP context or
/// protecting / unprotecting a packet. Every per-packet error is also
/// counted in [`SrtpCounters`](super::SrtpCounters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SrtpError {
    /// The packet is shorter than its header plus the SRTP trailer.
    #[error("packet too short: need {needed} bytes, got {got}")]
    TooShort {
        /// Bytes needed for what the packet announces so far.
        needed: usize,
        /// Bytes available.
        got: usize,
    },
    /// The version field of the RTP/RTCP header is not 2.
    #[error("RTP/RTCP version {0}, expected 2")]
    BadVersion(u8),
    /// The caller's buffer has no room for the authentication tag (and, for
    /// SRTCP, the index word) after the packet.
    #[error("buffer of {available} bytes cannot hold the {needed} bytes of the protected packet")]
    BufferTooSmall {
        /// Bytes the protected packet needs.
        needed: usize,
        /// Length of the buffer.
        available: usize,
    },
    /// The authentication tag does not verify (a forged, corrupted or
    /// wrongly keyed packet).
    #[error("authentication tag does not verify")]
    AuthenticationFailed,
    /// The packet index was already received (RFC 3711 §3.3.2).
    #[error("replayed packet (index {index})")]
    Replayed {
        /// The estimated packet index (SRTP: ROC·2^16 + SEQ; SRTCP: the SRTCP index).
        index: u64,
    },
    /// The packet index is older than the replay window.
    #[error("packet index {index} is older than the replay window")]
    TooOld {
        /// The estimated packet index.
        index: u64,
    },
    /// A new SSRC when the context already tracks its configured maximum.
    #[error("SSRC {ssrc:#010x} would exceed the limit of {limit} streams")]
    TooManySsrcs {
        /// The SSRC that was refused.
        ssrc: u32,
        /// The configured limit.
        limit: usize,
    },
    /// The packet index space of this key is used up (SRTCP index 2^31, or
    /// SRTP ROC 2^32): the session must be re-keyed.
    #[error("packet index space exhausted for SSRC {ssrc:#010x}: re-key")]
    IndexExhausted {
        /// The stream whose index ran out.
        ssrc: u32,
    },
    /// Master key, master salt or DTLS keying material of the wrong length.
    #[error("keying material of {got} bytes, expected {expected}")]
    BadKeyLength {
        /// Bytes the profile needs.
        expected: usize,
        /// Bytes given.
        got: usize,
    },
    /// A replay window size of zero or beyond the supported maximum.
    #[error("replay window of {0} packets is not supported (1..=32768)")]
    BadReplayWindow(usize),
    /// The crypto backend refused a key.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}
