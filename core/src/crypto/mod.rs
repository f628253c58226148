//! The one module that calls cipher and hash crates.
//!
//! SRTP ([`crate::srtp`]) and, later, DTLS use only the types here, so a
//! backend can be swapped per primitive without touching a protocol layer.
//! Every type schedules its key once, in its constructor; the per-packet
//! calls take a nonce or IV and work in place on the caller's buffer, with no
//! heap allocation and no key schedule.
//!
//! | primitive | type | backend | why |
//! |---|---|---|---|
//! | AES-128-GCM, AES-256-GCM (RFC 5116, RFC 7714) | [`AeadKey`] | `ring` 0.17 (`LessSafeKey`) | fastest GCM measured here: AES-NI + VAES/VPCLMULQDQ paths |
//! | AES-128/256 in counter mode (SRTP AES-CM, RFC 3711 §4.1.1; the SRTP KDF, §4.3) | [`AesCtr`] | RustCrypto `aes` 0.8 + `ctr` 0.9 | `aes` detects AES-NI at run time; `ring` has no raw CTR |
//! | HMAC-SHA1 (RFC 2104, SRTP auth, RFC 3711 §4.2.1) | [`HmacSha1`] | RustCrypto `hmac` 0.12 + `sha1` 0.10 | uses SHA-NI; ~4× `ring`'s HMAC-SHA1 on this CPU |
//! | SHA-256/384, HMAC-SHA256/384 (DTLS 1.2 PRF and handshake hash) | [`Digest`], [`HmacKey`] | `ring` 0.17 | not on a per-packet path |
//!
//! Figures behind the choice (AMD EPYC Zen 4, 1200-byte packets, one core,
//! median MB/s, from `shared/LAB.md`): GCM seal ring 5900, aws-lc-rs 5200,
//! RustCrypto aes-gcm 0.11 2400, OpenSSL EVP 2600; AES-128-CTR RustCrypto
//! 6500, aws-lc-rs 7100; HMAC-SHA1 RustCrypto 1680, aws-lc-rs 1440, ring
//! 410. aws-lc-rs is a little faster for CTR but would add a C build to the
//! core crate for ~9 %; the lab's crypto suite re-measures all of them.
//!
//! Hardware support: `aes` picks its AES-NI backend at run time
//! ([`aes_ni_in_use`] reports what it detected); `ring` does its own CPU
//! feature detection for GCM. Neither is built with `target-cpu=native`.
//!
//! Tags are compared in constant time: `ring` verifies GCM tags itself, and
//! [`HmacSha1::verify_truncated`] uses the `hmac` crate's constant-time
//! `verify_truncated_left`.

mod aead;
mod aes_ctr;
mod digest;
mod hmac_sha1;

pub use aead::{AEAD_NONCE_LEN, AEAD_TAG_LEN, AeadAlgorithm, AeadKey};
pub use aes_ctr::{AES_BLOCK_LEN, AesCtr, aes_ni_in_use};
pub use digest::{Digest, DigestAlgorithm, HmacKey};
pub use hmac_sha1::{HMAC_SHA1_LEN, HmacSha1};

/// Errors of the crypto layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// A key of the wrong length for the algorithm.
    #[error("key of {got} bytes, expected {expected}")]
    BadKeyLength {
        /// Bytes the algorithm takes.
        expected: usize,
        /// Bytes given.
        got: usize,
    },
    /// An authentication tag that does not verify (or has an impossible length).
    #[error("authentication tag does not verify")]
    AuthenticationFailed,
    /// The backend refused the operation (for GCM: input over 2^36 bytes).
    #[error("cipher backend refused the operation")]
    Backend,
}

#[cfg(test)]
mod tests;
