//! The error type of the DTLS layer.

use crate::crypto::CryptoError;

/// Errors of the DTLS layer: malformed bytes, handshake failures, alerts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DtlsError {
    /// Input ended before a field was complete.
    #[error("truncated {0}")]
    Truncated(&'static str),
    /// A length field disagrees with the bytes around it.
    #[error("bad length in {0}")]
    BadLength(&'static str),
    /// A record version other than DTLS 1.0 (0xFEFF) or 1.2 (0xFEFD).
    #[error("unsupported record version {0:#06x}")]
    UnsupportedVersion(u16),
    /// A record content type we do not know.
    #[error("unknown content type {0}")]
    UnknownContentType(u8),
    /// A record already received (anti-replay window, RFC 6347 §4.1.2.6) or
    /// too old for the window.
    #[error("replayed or too old record")]
    Replayed,
    /// A record of an epoch we have no keys for.
    #[error("record of epoch {0} not readable now")]
    UnexpectedEpoch(u16),
    /// A protected record whose AEAD tag does not verify.
    #[error("record does not decrypt")]
    DecryptFailed,
    /// The caller's output buffer is too small.
    #[error("output buffer too small: {needed} bytes needed")]
    BufferTooSmall {
        /// Bytes the write needs.
        needed: usize,
    },
    /// A handshake fragment that does not fit its message (offset beyond the
    /// length, or a type/length disagreeing with earlier fragments).
    #[error("inconsistent handshake fragment")]
    BadFragment,
    /// A handshake message longer than we accept.
    #[error("handshake message of {0} bytes is too large")]
    MessageTooLarge(usize),
    /// A handshake message or record arriving where the state machine does
    /// not expect it.
    #[error("unexpected {0}")]
    UnexpectedMessage(&'static str),
    /// The peer offered no cipher suite we implement.
    #[error("no cipher suite in common")]
    NoCommonCipherSuite,
    /// The peer offered no ECDHE group we implement.
    #[error("no key-exchange group in common")]
    NoCommonGroup,
    /// The peer offered no SRTP protection profile we implement (RFC 5764).
    #[error("no SRTP protection profile in common")]
    NoCommonSrtpProfile,
    /// The peer did not negotiate extended_master_secret (RFC 7627), which
    /// we require.
    #[error("peer did not negotiate extended_master_secret")]
    ExtendedMasterSecretMissing,
    /// The peer attempted renegotiation or sent a non-empty renegotiation_info.
    #[error("renegotiation refused")]
    RenegotiationRefused,
    /// A ServerHello choosing something we did not offer.
    #[error("server chose something we did not offer: {0}")]
    IllegalParameter(&'static str),
    /// The peer sent no certificate.
    #[error("peer sent no certificate")]
    NoCertificate,
    /// The peer's certificate does not parse or has an unsupported key.
    #[error("peer certificate unusable")]
    BadCertificate,
    /// The peer's certificate does not hash to the fingerprint from SDP.
    #[error("peer certificate does not match the expected fingerprint ({expected})")]
    FingerprintMismatch {
        /// The fingerprint we expected, in SDP form.
        expected: String,
    },
    /// A ServerKeyExchange or CertificateVerify signature that does not verify.
    #[error("handshake signature does not verify")]
    BadSignature,
    /// The peer's Finished does not match the transcript.
    #[error("Finished verify_data mismatch")]
    FinishedMismatch,
    /// The peer sent a fatal alert.
    #[error("peer sent fatal alert {description} ({})", super::alert::alert_name(*description))]
    AlertReceived {
        /// The alert description code (RFC 5246 §7.2).
        description: u8,
    },
    /// The handshake did not complete after the last retransmission.
    #[error("handshake timed out")]
    Timeout,
    /// The connection is closed or failed; nothing more can be sent.
    #[error("connection closed")]
    Closed,
    /// Application data before the handshake completed.
    #[error("handshake not complete")]
    NotConnected,
    /// A failure of the crypto layer.
    #[error("crypto: {0}")]
    Crypto(#[from] CryptoError),
}
