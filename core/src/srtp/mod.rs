//! SRTP and SRTCP: RFC 3711 (AES-CM + HMAC-SHA1), RFC 7714 (AES-GCM) and
//! RFC 5764 §4.2 (keys from DTLS-SRTP).
//!
//! Profiles: `AES_CM_128_HMAC_SHA1_80`, `AES_CM_128_HMAC_SHA1_32`,
//! `AEAD_AES_128_GCM`, `AEAD_AES_256_GCM` ([`SrtpProfile`]). Session keys
//! are derived once with the AES-CM PRF at key derivation rate 0
//! (RFC 3711 §4.3), and every cipher and HMAC context is keyed once, in the
//! constructor ([`crate::crypto`]).
//!
//! One [`SrtpSession`] holds the two directions: an [`SrtpProtector`] for
//! what we send and an [`SrtpUnprotector`] for what we receive — separate
//! types, because the two directions have different keys and state, and
//! using one for the other would be a bug. Both work in place on the
//! caller's buffer:
//!
//! ```
//! use zerortc::srtp::{DtlsRole, SrtpConfig, SrtpProfile, SrtpSession};
//! let profile = SrtpProfile::AeadAes128Gcm;
//! let material = [7u8; 56]; // exported by DTLS, profile.keying_material_len() bytes
//! let mut ours = SrtpSession::from_dtls_keying_material(
//!     profile, &material, DtlsRole::Client, SrtpConfig::default())?;
//! let mut theirs = SrtpSession::from_dtls_keying_material(
//!     profile, &material, DtlsRole::Server, SrtpConfig::default())?;
//!
//! let mut buf = [0u8; 1500];
//! let rtp = [0x80, 96, 0, 1, 0, 0, 0, 10, 0xca, 0xfe, 0xba, 0xbe, 1, 2, 3];
//! buf[..rtp.len()].copy_from_slice(&rtp);
//! let srtp_len = ours.protector.protect_rtp(&mut buf, rtp.len())?;   // + 16-byte tag
//! let rtp_len = theirs.unprotector.unprotect_rtp(&mut buf[..srtp_len])?;
//! assert_eq!(&buf[..rtp_len], &rtp);
//! # Ok::<(), zerortc::srtp::SrtpError>(())
//! ```
//!
//! Receiving: the rollover counter is estimated per RFC 3711 §3.3.1 /
//! Appendix A; a replay window (default 1024 packets for SRTP, 128 for
//! SRTCP) refuses duplicates and packets older than the window; state for an
//! SSRC is created only once one of its packets has authenticated, up to
//! [`SrtpConfig::max_ssrcs`]; and a rejected packet never moves the window or
//! the ROC. Every rejection returns a typed [`SrtpError`] and bumps a counter
//! in [`SrtpCounters`]. A stream starts at ROC 0 (RFC 3711 §3.3.1), so its
//! first packet must come from before any wrap. Sending: the ROC is
//! estimated from the sequence numbers given, an index already used is
//! refused unless [`SrtpConfig::allow_repeat_tx`] (keystream and GCM nonce
//! reuse), the SRTCP index starts at 0 per SSRC (RFC 3711 §3.4), and every
//! SRTCP packet we send is encrypted (E = 1); we accept E = 0 packets from
//! peers.
//!
//! Not done here: MKI (unused by DTLS-SRTP in WebRTC), key derivation rates
//! other than 0, NULL ciphers, encrypted header extensions (RFC 6904).
//!
//! Steady state is allocation-free: per-packet work is finding the SSRC's
//! stream (one comparison while the SSRC stays the same, a hash lookup when
//! it changes), the cipher call, and a few words of replay state; the SSRC
//! table is pre-sized for `max_ssrcs`, and a stream's replay bitmap is
//! allocated once when its SSRC is first authenticated.

mod cipher;
mod context;
mod dtls;
mod error;
mod header;
mod kdf;
mod profile;
mod replay;
mod streams;

pub use context::{SrtpConfig, SrtpCounters, SrtpProtector, SrtpUnprotector};
pub use dtls::{DTLS_SRTP_EXPORTER_LABEL, DtlsRole, SrtpSession};
pub use error::SrtpError;
pub use profile::SrtpProfile;
pub use replay::MAX_REPLAY_WINDOW;

/// Length of the E flag + SRTCP index word.
pub const SRTCP_INDEX_LEN: usize = 4;
/// The E (encrypted) flag of the SRTCP index word.
pub(crate) const SRTCP_E_FLAG: u32 = 0x8000_0000;

#[cfg(test)]
mod tests;
