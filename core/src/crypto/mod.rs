//! The one module that calls cipher and hash crates.
//!
//! SRTP ([`crate::srtp`]) and DTLS ([`crate::dtls`]) use only the types here, so a
//! backend can be swapped per primitive without touching a protocol layer.
//! Every type schedules its key once, in its constructor; the per-packet
//! calls take a nonce or IV and work in place on the caller's buffer, with no
//! heap allocation and no key schedule.
//!
//! | primitive | type | backend | why |
//! |---|---|---|---|
//! | AES-128-GCM, AES-256-GCM (RFC 5116, RFC 7714) | [`AeadKey`] | `aws-lc-rs` 1.19 (`LessSafeKey`) | fastest GCM measured here (VAES + AVX-512): 20–27 % faster than `ring` at 160 and 1200 B |
//! | AES-128/256 in counter mode (SRTP AES-CM, RFC 3711 §4.1.1; the SRTP KDF, §4.3) | [`AesCtr`] | RustCrypto `aes` 0.8 + `ctr` 0.9 | fastest CTR here, 2× aws-lc-rs at 160 B; `ring` has no raw CTR |
//! | HMAC-SHA1 (RFC 2104, SRTP auth, RFC 3711 §4.2.1) | [`HmacSha1`] | RustCrypto `hmac` 0.12 + `sha1` 0.10 | fastest (SHA-NI); 3.7× `ring`'s HMAC-SHA1 on this CPU |
//! | SHA-256/384, HMAC-SHA256/384 (DTLS 1.2 PRF and handshake hash, STUN MESSAGE-INTEGRITY-SHA256) | [`Digest`], [`HmacKey`] | `ring` 0.17 | not on a per-packet path |
//! | MD5 (STUN/TURN long-term credential key only, RFC 8489 §9.2.2) | [`md5`] | RustCrypto `md-5` 0.10 | legacy key derivation, never for integrity |
//! | TLS 1.2 PRF `P_SHA256`/`P_SHA384` (RFC 5246 §5) | [`tls12_prf`] | `ring` HMAC | handshake only |
//! | ECDHE X25519 / P-256 (RFC 8422) | [`EcdheKeyPair`] | `aws-lc-rs` 1.19 / RustCrypto `p256` 0.14 | handshake only; secret keys from a caller's (seedable) RNG, which `ring`'s `agreement` does not accept |
//! | ECDSA P-256 signing (RFC 6979 deterministic nonces) | [`EcdsaSigningKey`] | RustCrypto `p256` 0.14 (`precomputed-tables`) | handshake only; signatures reproducible under a seed, which `ring` and `aws-lc-rs` cannot give (see below) |
//! | ECDSA P-256/P-384, RSA PKCS#1/PSS verification | [`PeerPublicKey`] | `ring` `signature` | handshake only |
//! | self-signed certificates, fingerprints, peer key extraction | [`Certificate`], [`Fingerprint`], [`peer_public_key`] | `rcgen` 0.14 (signed by our `p256` key), `x509-cert` 0.3, `ring` digests | handshake only |
//!
//! Figures behind the choice: `reports/crypto-backends.md`, measured by the
//! lab (`benches/src/backends.rs`: criterion suite `crypto_backends` and the
//! interleaved `examples/srtp_goals.rs`, which gives every backend the same
//! load on this shared machine). AMD EPYC Zen 4, keys scheduled once, in
//! place, no `target-cpu=native`; ns per call / MB/s:
//!
//! | operation | RustCrypto | ring 0.17 | aws-lc-rs 1.19 | OpenSSL 3 EVP |
//! |---|---|---|---|---|
//! | AES-128-GCM seal, 160 B | 131 / 1225 | 79 / 2019 | **71 / 2250** | 205 / 779 |
//! | AES-128-GCM seal, 1200 B | 378 / 3178 | 172 / 6967 | **136 / 8814** | 371 / 3236 |
//! | AES-128-GCM seal, SRTP shape (28 B header as AAD + 1172 B) | 419 | 199 | **165** | 399 |
//! | AES-128-GCM open, 1200 B | 369 / 3250 | 156 / 7692 | **135 / 8892** | 380 / 3155 |
//! | AES-256-GCM seal, 1200 B | 407 / 2952 | 187 / 6417 | **153 / 7859** | 394 / 3049 |
//! | AES-128-CTR, 160 B | **21 / 7674** | — | 44 / 3604 | 86 / 1860 |
//! | AES-128-CTR, 1200 B | **109 / 10994** | — | 130 / 9195 | 169 / 7086 |
//! | HMAC-SHA1, 160 B | **164 / 977** | 529 / 303 | 220 / 729 | 188 / 851 |
//! | HMAC-SHA1, 1200 B | **642 / 1869** | 2289 / 524 | 698 / 1720 | 662 / 1812 |
//!
//! The GCM backend moved from `ring` to `aws-lc-rs` on these figures
//! (AEAD_AES_128_GCM protect of a 1200-byte packet went from 198 to 173 ns
//! when it did). The price is aws-lc's C build, ~3 min cold on two cores
//! (ring's: 16 s), paid once per cold build; the swap lives in `aead.rs`
//! only. SRTP itself ([`crate::srtp`]) in the same runs: AEAD_AES_128_GCM
//! protect 106 ns at 160 B, 178 ns at 1200 B (6760 MB/s, 5.6 M packets/s),
//! 74 % of the fastest raw GCM seal of 1200 bytes and 88 % of the same seal
//! in SRTP shape, 2.1× OpenSSL's bare seal; AES_CM_128_HMAC_SHA1_80 protect
//! 204 ns / 774 ns (1550 MB/s), 96 % of raw CTR + HMAC-SHA1 over the same
//! bytes.
//!
//! Hardware support: `aes` picks its AES-NI backend at run time
//! ([`aes_ni_in_use`] reports what it detected); `aws-lc-rs` (GCM) and
//! `sha1` (SHA-NI) do their own CPU feature detection. None is built with
//! `target-cpu=native`.
//!
//! Tags are compared in constant time: `aws-lc-rs` verifies GCM tags itself, and
//! [`HmacSha1::verify_truncated`] uses the `hmac` crate's constant-time
//! `verify_truncated_left`.

mod aead;
mod aes_ctr;
mod agreement;
mod certificate;
mod digest;
mod hmac_sha1;
mod md5;
mod prf;
mod signature;

pub use aead::{AEAD_NONCE_LEN, AEAD_TAG_LEN, AeadAlgorithm, AeadKey};
pub use aes_ctr::{AES_BLOCK_LEN, AesCtr, aes_ni_in_use};
pub use agreement::{ECDHE_MAX_PUBLIC_LEN, EcdheGroup, EcdheKeyPair};
pub use certificate::{Certificate, Fingerprint, FingerprintAlgorithm, peer_public_key};
pub use digest::{Digest, DigestAlgorithm, HmacKey};
pub use hmac_sha1::{HMAC_SHA1_LEN, HmacSha1};
pub use md5::{MD5_LEN, md5};
pub use prf::tls12_prf;
pub use signature::{EcdsaSigningKey, PeerPublicKey, PublicKeyKind, SignatureScheme};

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

/// Fills `out` from the operating system's CSPRNG (the seed of a DTLS
/// connection's RNG when the caller gives none).
///
/// # Errors
/// [`CryptoError::Backend`] when the system RNG fails.
pub fn fill_random(out: &mut [u8]) -> Result<(), CryptoError> {
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), out)
        .map_err(|_| CryptoError::Backend)
}

/// Constant-time equality of two byte strings (false for different lengths).
#[must_use]
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    bool::from(subtle::ConstantTimeEq::ct_eq(a, b))
}
