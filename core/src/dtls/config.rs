//! Configuration and events of a DTLS connection.

use std::sync::Arc;
use std::time::Duration;

use crate::crypto::{Certificate, Fingerprint};
use crate::srtp::SrtpProfile;

use super::DtlsError;
use super::suite::CipherSuite;

/// Configuration of one DTLS endpoint.
#[derive(Debug, Clone)]
pub struct DtlsConfig {
    /// Our certificate and key (ECDSA P-256; shared between connections).
    pub certificate: Arc<Certificate>,
    /// The peer's certificate fingerprint from SDP. `None` accepts any
    /// certificate — only for tests and non-WebRTC uses: WebRTC
    /// authenticates the peer by this fingerprint (RFC 8827 §6.5).
    pub remote_fingerprint: Option<Fingerprint>,
    /// SRTP profiles offered (client) or accepted (server), most preferred
    /// first. Empty: no `use_srtp` (a data-channel-only DTLS association).
    pub srtp_profiles: Vec<SrtpProfile>,
    /// Cipher suites, most preferred first.
    pub cipher_suites: Vec<CipherSuite>,
    /// Largest datagram we send; flights are fragmented to fit.
    pub mtu: usize,
    /// First retransmission timeout (RFC 6347 §4.2.4.1 suggests 1 s).
    pub initial_retransmit_timeout: Duration,
    /// Ceiling of the doubling retransmission timeout (60 s in the RFC).
    pub max_retransmit_timeout: Duration,
    /// Retransmissions of one flight before the handshake fails with
    /// [`DtlsError::Timeout`].
    pub max_retransmissions: u32,
    /// Server: answer the first ClientHello with a HelloVerifyRequest
    /// carrying a stateless HMAC cookie (RFC 6347 §4.2.1).
    pub cookie_exchange: bool,
    /// Seed of the connection's RNG (ChaCha20), which draws the hello
    /// randoms, the cookie secret and the ephemeral ECDHE keys. The same
    /// seed, certificate and inputs (datagrams and times) give the same
    /// datagrams and keying material byte for byte: for tests and
    /// benchmarks. `None` (the default) seeds it once from the operating
    /// system at construction — what production wants.
    pub rng_seed: Option<[u8; 32]>,
}

impl DtlsConfig {
    /// Defaults for WebRTC: every SRTP profile in [`SrtpProfile::ALL`]
    /// order, every cipher suite, MTU 1200, 1 s initial timeout doubling up
    /// to 60 s, 7 retransmissions (the handshake gives up 183 s after its
    /// first flight), cookie exchange on, RNG seeded from the operating system.
    #[must_use]
    pub fn new(certificate: Arc<Certificate>, remote_fingerprint: Option<Fingerprint>) -> Self {
        Self {
            certificate,
            remote_fingerprint,
            srtp_profiles: SrtpProfile::ALL.to_vec(),
            cipher_suites: CipherSuite::ALL.to_vec(),
            mtu: 1200,
            initial_retransmit_timeout: Duration::from_secs(1),
            max_retransmit_timeout: Duration::from_secs(60),
            max_retransmissions: 7,
            cookie_exchange: true,
            rng_seed: None,
        }
    }
}

/// What the handshake settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeSummary {
    /// The negotiated cipher suite.
    pub cipher_suite: CipherSuite,
    /// The negotiated SRTP profile, when `use_srtp` was negotiated.
    pub srtp_profile: Option<SrtpProfile>,
    /// The DTLS-SRTP keying material (RFC 5764 §4.2,
    /// `EXTRACTOR-dtls_srtp`, [`SrtpProfile::keying_material_len`] bytes),
    /// ready for [`crate::srtp::SrtpSession::from_dtls_keying_material`].
    pub srtp_keying_material: Option<Vec<u8>>,
    /// The peer's end-entity certificate (DER).
    pub peer_certificate: Vec<u8>,
}

/// What a connection reports through `poll_event`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DtlsEvent {
    /// The handshake completed.
    Connected(HandshakeSummary),
    /// Application data received (after the handshake).
    ApplicationData(Vec<u8>),
    /// The peer sent close_notify.
    Closed,
    /// The handshake or connection failed; nothing more will happen.
    Failed(DtlsError),
}
