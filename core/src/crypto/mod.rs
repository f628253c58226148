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
//! | AES-128-GCM, AES-256-GCM (RFC 5116, RFC 7714) | [`AeadKey`] | `ring` 0.17 (`LessSafeKey`) | fastest GCM measured here: AES-NI + VAES/VPCLMULQDQ paths |
//! | AES-128/256 in counter mode (SRTP AES-CM, RFC 3711 §4.1.1; the SRTP KDF, §4.3) | [`AesCtr`] | RustCrypto `aes` 0.8 + `ctr` 0.9 | `aes` detects AES-NI at run time; `ring` has no raw CTR |
//! | HMAC-SHA1 (RFC 2104, SRTP auth, RFC 3711 §4.2.1) | [`HmacSha1`] | RustCrypto `hmac` 0.12 + `sha1` 0.10 | uses SHA-NI; ~4× `ring`'s HMAC-SHA1 on this CPU |
//! | SHA-256/384, HMAC-SHA256/384 (DTLS 1.2 PRF and handshake hash, STUN MESSAGE-INTEGRITY-SHA256) | [`Digest`], [`HmacKey`] | `ring` 0.17 | not on a per-packet path |
//! | MD5 (STUN/TURN long-term credential key only, RFC 8489 §9.2.2) | [`md5`] | RustCrypto `md-5` 0.10 | legacy key derivation, never for integrity |
//! | SHA-256/384, HMAC-SHA256/384 (DTLS 1.2 PRF and handshake hash) | [`Digest`], [`HmacKey`] | `ring` 0.17 | not on a per-packet path |
//! | TLS 1.2 PRF `P_SHA256`/`P_SHA384` (RFC 5246 §5) | [`tls12_prf`] | `ring` HMAC | handshake only |
//! | ECDHE X25519 / P-256 (RFC 8422) | [`EcdheKeyPair`] | `x25519-dalek` 2 / RustCrypto `p256` 0.13 | handshake only; secret keys from a caller's (seedable) RNG, which `ring`'s `agreement` does not accept |
//! | ECDSA P-256 signing (RFC 6979 deterministic nonces) | [`EcdsaSigningKey`] | RustCrypto `p256` 0.13 | handshake only; signatures reproducible under a seed |
//! | ECDSA P-256/P-384, RSA PKCS#1/PSS verification | [`PeerPublicKey`] | `ring` `signature` | handshake only |
//! | self-signed certificates, fingerprints, peer key extraction | [`Certificate`], [`Fingerprint`], [`peer_public_key`] | `rcgen` 0.14 (signed by our `p256` key), `x509-cert` 0.3, `ring` digests | handshake only |
//!
//! Figures behind the choice. `shared/LAB.md` (AMD EPYC Zen 4, 1200-byte
//! packets, one core, median MB/s): GCM seal ring 5900, aws-lc-rs 5200,
//! RustCrypto aes-gcm 0.11 2400, OpenSSL EVP 2600; AES-128-CTR RustCrypto
//! 6500, aws-lc-rs 7100; HMAC-SHA1 RustCrypto 1680, aws-lc-rs 1440, ring 410.
//!
//! Re-measured with a throwaway `Instant` harness (not criterion; median of
//! 15 batches of 4000 calls, same machine, other jobs running, release
//! build without `target-cpu=native`), ns per call / MB/s:
//!
//! | operation | 160 B | 1200 B |
//! |---|---|---|
//! | AES-128-GCM seal, ring 0.17 ([`AeadKey`]) | 75 ns / 2140 | 162 ns / 7410 |
//! | AES-128-GCM seal, ring, 12 bytes shorter (the SRTP payload) | 102 ns | 189 ns |
//! | AES-128-GCM seal, aws-lc-rs 1.19 | 73 ns / 2190 | 136 ns / 8850 |
//! | AES-128-GCM seal, aws-lc-rs, 12 bytes shorter | 83 ns | 148 ns |
//! | AES-128-GCM seal, RustCrypto aes-gcm 0.10 | 188 ns / 850 | 884 ns / 1360 |
//! | AES-256-GCM seal, ring | 79 ns / 2015 | 179 ns / 6690 |
//! | AES-128-CTR, aes 0.8 + ctr 0.9, key scheduled once ([`AesCtr`]) | 19 ns / 8440 | 105 ns / 11490 |
//! | AES-128-CTR, same crates, key scheduled per call | 62 ns | 145 ns |
//! | AES-128-CTR, aws-lc-rs | 46 ns / 3470 | 131 ns / 9140 |
//! | HMAC-SHA1, hmac 0.12 + sha1 0.10 ([`HmacSha1`]) | 163 ns / 980 | 636 ns / 1890 |
//! | HMAC-SHA1, aws-lc-rs | 201 ns / 800 | 1049 ns / 1140 |
//! | HMAC-SHA1, ring | 509 ns / 314 | 3620 ns / 332 |
//!
//! Two differences from `LAB.md`: here aws-lc-rs seals GCM ~15 % faster than
//! ring (ring's VAES path is fast on whole blocks but its partial-block tail
//! costs ~27 ns, and SRTP payloads are rarely a multiple of 16), and
//! RustCrypto CTR beats aws-lc-rs. `ring` stays the GCM backend to keep the
//! core build free of aws-lc's C build; the lab's criterion suite should
//! settle it, and a swap touches only `aead.rs`. SRTP itself
//! ([`crate::srtp`]): AEAD_AES_128_GCM protect 111 ns at 160 B, 196 ns at
//! 1200 B (6140 MB/s, 5.1 M packets/s), i.e. 97 % of ring sealing the same
//! payload, 83 % of ring's block-aligned best, 75 % of aws-lc-rs on the same
//! payload; AES_CM_128_HMAC_SHA1_80 protect 176 ns / 743 ns (1616 MB/s),
//! ~100 % of raw CTR + HMAC-SHA1 over the same bytes (739 ns).
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
