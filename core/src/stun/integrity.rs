//! The integrity and checksum calls of STUN: HMAC-SHA1 (MESSAGE-INTEGRITY),
//! HMAC-SHA256 (MESSAGE-INTEGRITY-SHA256), MD5 and SHA-256 for long-term
//! keys, all through [`crate::crypto`], and CRC-32 (FINGERPRINT, a checksum,
//! not a cryptographic primitive) through `crc32fast`.
//!
//! A key is prepared once per credential ([`IntegrityKey::new`] runs the
//! HMAC key schedules, inner and outer pads included) and reused for every
//! message, with no allocation. Tags are compared in constant time.

use crate::crypto::{Digest, DigestAlgorithm, HmacKey, HmacSha1, md5};

use super::error::StunError;

/// The XOR constant of FINGERPRINT (RFC 8489 §14.7): "STUN" in ASCII.
pub const FINGERPRINT_XOR: u32 = 0x5354_554E;

/// A prepared MESSAGE-INTEGRITY key: HMAC-SHA1 (RFC 8489 §14.5) and
/// HMAC-SHA256 (§14.6) states keyed once.
///
/// For short-term credentials (ICE) the key is the password; for long-term
/// credentials (TURN) it is [`long_term_key_md5`] (or
/// [`long_term_key_sha256`] with PASSWORD-ALGORITHM SHA-256).
#[derive(Clone)]
pub struct IntegrityKey {
    sha1: HmacSha1,
    sha256: HmacKey,
}

impl std::fmt::Debug for IntegrityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IntegrityKey(..)")
    }
}

impl IntegrityKey {
    /// Prepares the HMAC states for `key` (the password bytes for
    /// short-term credentials, already prepared with the OpaqueString
    /// profile of RFC 8265 when that matters; ICE passwords are ASCII).
    pub fn new(key: &[u8]) -> Result<IntegrityKey, StunError> {
        Ok(IntegrityKey {
            sha1: HmacSha1::new(key).map_err(|_| StunError::InvalidKey)?,
            sha256: HmacKey::new(DigestAlgorithm::Sha256, key),
        })
    }

    /// The key of short-term credentials: the password itself.
    pub fn short_term(password: &str) -> Result<IntegrityKey, StunError> {
        IntegrityKey::new(password.as_bytes())
    }

    /// HMAC-SHA1 over the concatenation of `parts`.
    pub fn sha1(&self, parts: &[&[u8]]) -> [u8; 20] {
        self.sha1.sign(parts)
    }

    /// HMAC-SHA256 over the concatenation of `parts`.
    pub fn sha256(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut out = [0u8; 32];
        // The output buffer is exactly SHA-256's length, so this cannot fail.
        let _ = self.sha256.sign_into(parts, &mut out);
        out
    }

    /// Checks a 20-byte HMAC-SHA1 tag over `parts`, in constant time.
    pub fn verify_sha1(&self, parts: &[&[u8]], tag: &[u8]) -> Result<(), StunError> {
        if tag.len() != 20 {
            return Err(StunError::IntegrityMismatch);
        }
        self.sha1
            .verify_truncated(parts, tag)
            .map_err(|_| StunError::IntegrityMismatch)
    }

    /// Checks a HMAC-SHA256 tag over `parts` truncated to the tag's length
    /// (16 to 32 bytes, RFC 8489 §14.6), in constant time.
    pub fn verify_sha256(&self, parts: &[&[u8]], tag: &[u8]) -> Result<(), StunError> {
        if !(16..=32).contains(&tag.len()) {
            return Err(StunError::IntegrityMismatch);
        }
        self.sha256
            .verify_truncated(parts, tag)
            .map_err(|_| StunError::IntegrityMismatch)
    }
}

/// The long-term credential key with the MD5 password algorithm (RFC 8489
/// §9.2.2): `MD5(username ":" realm ":" password)`. The inputs must
/// already be prepared (OpaqueString for the password, RFC 8265).
pub fn long_term_key_md5(username: &str, realm: &str, password: &str) -> [u8; 16] {
    md5(&[
        username.as_bytes(),
        b":",
        realm.as_bytes(),
        b":",
        password.as_bytes(),
    ])
}

/// The long-term credential key with the SHA-256 password algorithm (RFC
/// 8489 §9.2.2): `SHA-256(username ":" realm ":" password)`.
pub fn long_term_key_sha256(username: &str, realm: &str, password: &str) -> [u8; 32] {
    let mut sha = Digest::new(DigestAlgorithm::Sha256);
    for part in [username, ":", realm, ":", password] {
        sha.update(part.as_bytes());
    }
    let mut out = [0u8; 32];
    // The output buffer is exactly SHA-256's length, so this cannot fail.
    let _ = sha.finish_into(&mut out);
    out
}

/// CRC-32 (ISO HDLC, as in FINGERPRINT) over the concatenation of `parts`,
/// XORed with 0x5354554E (RFC 8489 §14.7).
pub fn fingerprint(parts: &[&[u8]]) -> u32 {
    let mut crc = crc32fast::Hasher::new();
    for part in parts {
        crc.update(part);
    }
    crc.finalize() ^ FINGERPRINT_XOR
}
