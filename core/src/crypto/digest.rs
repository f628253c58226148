//! SHA-2 hashes and HMAC over them, for the DTLS 1.2 handshake hash and PRF
//! (RFC 5246 §5). Not on a per-packet path.

use ring::{digest, hmac};

use super::CryptoError;

/// Hash functions offered to the handshake layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// SHA-256 (32-byte output).
    Sha256,
    /// SHA-384 (48-byte output).
    Sha384,
}

impl DigestAlgorithm {
    /// Output length in bytes.
    #[must_use]
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
        }
    }

    fn digest(self) -> &'static digest::Algorithm {
        match self {
            Self::Sha256 => &digest::SHA256,
            Self::Sha384 => &digest::SHA384,
        }
    }

    fn hmac(self) -> hmac::Algorithm {
        match self {
            Self::Sha256 => hmac::HMAC_SHA256,
            Self::Sha384 => hmac::HMAC_SHA384,
        }
    }
}

/// An incremental hash (the running DTLS handshake transcript hash).
#[derive(Clone)]
pub struct Digest {
    context: digest::Context,
}

impl core::fmt::Debug for Digest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Digest").finish_non_exhaustive()
    }
}

impl Digest {
    /// Starts a hash.
    #[must_use]
    pub fn new(algorithm: DigestAlgorithm) -> Self {
        Self {
            context: digest::Context::new(algorithm.digest()),
        }
    }

    /// Feeds `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.context.update(data);
    }

    /// Writes the hash of everything fed so far into `out` (whose length must
    /// be the output length) without consuming `self`, and returns the
    /// number of bytes written.
    ///
    /// # Errors
    /// [`CryptoError::BadKeyLength`] when `out` is shorter than the output.
    pub fn finish_into(&self, out: &mut [u8]) -> Result<usize, CryptoError> {
        let hash = self.context.clone().finish();
        let bytes = hash.as_ref();
        let got = out.len();
        let dst = out
            .get_mut(..bytes.len())
            .ok_or(CryptoError::BadKeyLength {
                expected: bytes.len(),
                got,
            })?;
        dst.copy_from_slice(bytes);
        Ok(bytes.len())
    }

    /// One-shot hash of `data` into `out`; returns the number of bytes written.
    ///
    /// # Errors
    /// As [`finish_into`](Self::finish_into).
    pub fn hash_into(
        algorithm: DigestAlgorithm,
        data: &[u8],
        out: &mut [u8],
    ) -> Result<usize, CryptoError> {
        let mut digest = Self::new(algorithm);
        digest.update(data);
        digest.finish_into(out)
    }
}

/// An HMAC-SHA256/384 key (the DTLS 1.2 PRF, RFC 5246 §5).
#[derive(Clone)]
pub struct HmacKey {
    key: hmac::Key,
    algorithm: DigestAlgorithm,
}

impl core::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HmacKey")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl HmacKey {
    /// Prepares `key` for HMAC over `algorithm`.
    #[must_use]
    pub fn new(algorithm: DigestAlgorithm, key: &[u8]) -> Self {
        Self {
            key: hmac::Key::new(algorithm.hmac(), key),
            algorithm,
        }
    }

    /// The tag over the concatenation of `parts`, written into `out`;
    /// returns the number of bytes written.
    ///
    /// # Errors
    /// [`CryptoError::BadKeyLength`] when `out` is shorter than the output.
    pub fn sign_into(&self, parts: &[&[u8]], out: &mut [u8]) -> Result<usize, CryptoError> {
        let mut context = hmac::Context::with_key(&self.key);
        for part in parts {
            context.update(part);
        }
        let tag = context.sign();
        let bytes = tag.as_ref();
        let got = out.len();
        let dst = out
            .get_mut(..bytes.len())
            .ok_or(CryptoError::BadKeyLength {
                expected: bytes.len(),
                got,
            })?;
        dst.copy_from_slice(bytes);
        Ok(bytes.len())
    }

    /// Verifies a full-length tag over `parts` in constant time.
    ///
    /// # Errors
    /// [`CryptoError::AuthenticationFailed`] when it does not verify.
    pub fn verify(&self, parts: &[&[u8]], tag: &[u8]) -> Result<(), CryptoError> {
        if tag.len() != self.algorithm.output_len() {
            return Err(CryptoError::AuthenticationFailed);
        }
        self.verify_truncated(parts, tag)
    }

    /// Verifies that `tag` equals the leftmost `tag.len()` bytes of the tag
    /// over `parts`, in constant time (truncated HMACs, e.g. STUN's
    /// MESSAGE-INTEGRITY-SHA256, RFC 8489 §14.6).
    ///
    /// # Errors
    /// [`CryptoError::AuthenticationFailed`] when it does not verify, or when
    /// `tag` is empty or longer than the full output.
    pub fn verify_truncated(&self, parts: &[&[u8]], tag: &[u8]) -> Result<(), CryptoError> {
        let mut computed = [0u8; 64];
        let len = self.sign_into(parts, &mut computed)?;
        let prefix = match computed.get(..tag.len()) {
            Some(prefix) if !tag.is_empty() && tag.len() <= len => prefix,
            _ => return Err(CryptoError::AuthenticationFailed),
        };
        if bool::from(subtle::ConstantTimeEq::ct_eq(prefix, tag)) {
            Ok(())
        } else {
            Err(CryptoError::AuthenticationFailed)
        }
    }
}
