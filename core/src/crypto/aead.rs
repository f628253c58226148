//! AES-GCM sealing and opening in place with a detached tag (RFC 5116), on
//! `aws-lc-rs` (see the module doc of [`crate::crypto`] for why not `ring`).

use aws_lc_rs::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey};

use super::CryptoError;

/// Length of a GCM nonce (IV), in bytes.
pub const AEAD_NONCE_LEN: usize = 12;
/// Length of a full GCM authentication tag, in bytes.
pub const AEAD_TAG_LEN: usize = 16;

/// The AEAD algorithms the stack uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AeadAlgorithm {
    /// AES-128-GCM (16-byte key).
    Aes128Gcm,
    /// AES-256-GCM (32-byte key).
    Aes256Gcm,
}

impl AeadAlgorithm {
    /// Key length in bytes.
    #[must_use]
    pub const fn key_len(self) -> usize {
        match self {
            Self::Aes128Gcm => 16,
            Self::Aes256Gcm => 32,
        }
    }

    fn backend(self) -> &'static aead::Algorithm {
        match self {
            Self::Aes128Gcm => &aead::AES_128_GCM,
            Self::Aes256Gcm => &aead::AES_256_GCM,
        }
    }
}

/// An AES-GCM key, scheduled once; seal and open take an explicit nonce and
/// associated data, so SRTP (RFC 7714) and the DTLS record layer (RFC 5288)
/// can both form their own nonces.
pub struct AeadKey {
    key: LessSafeKey,
    algorithm: AeadAlgorithm,
}

impl core::fmt::Debug for AeadKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AeadKey")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl AeadKey {
    /// Schedules `key` for `algorithm`.
    ///
    /// # Errors
    /// [`CryptoError::BadKeyLength`] when `key` does not fit the algorithm.
    pub fn new(algorithm: AeadAlgorithm, key: &[u8]) -> Result<Self, CryptoError> {
        if key.len() != algorithm.key_len() {
            return Err(CryptoError::BadKeyLength {
                expected: algorithm.key_len(),
                got: key.len(),
            });
        }
        let unbound =
            UnboundKey::new(algorithm.backend(), key).map_err(|_| CryptoError::Backend)?;
        Ok(Self {
            key: LessSafeKey::new(unbound),
            algorithm,
        })
    }

    /// The algorithm of this key.
    #[must_use]
    pub const fn algorithm(&self) -> AeadAlgorithm {
        self.algorithm
    }

    /// Encrypts `in_out` in place and returns the 16-byte tag over `aad` and
    /// the ciphertext. The caller guarantees that `nonce` is never reused
    /// with this key.
    ///
    /// # Errors
    /// [`CryptoError::Backend`] only for inputs beyond GCM's length limit.
    #[inline]
    pub fn seal_in_place(
        &self,
        nonce: &[u8; AEAD_NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<[u8; AEAD_TAG_LEN], CryptoError> {
        let mut tag = [0u8; AEAD_TAG_LEN];
        self.seal_in_place_tag_into(nonce, aad, in_out, &mut tag)?;
        Ok(tag)
    }

    /// As [`seal_in_place`](Self::seal_in_place), but the backend writes the
    /// tag straight into `tag` (for SRTP: the packet's trailer), with no
    /// intermediate copy.
    ///
    /// # Errors
    /// [`CryptoError::Backend`] only for inputs beyond GCM's length limit.
    #[inline]
    pub fn seal_in_place_tag_into(
        &self,
        nonce: &[u8; AEAD_NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
        tag: &mut [u8; AEAD_TAG_LEN],
    ) -> Result<(), CryptoError> {
        self.key
            .seal_in_place_scatter(
                Nonce::assume_unique_for_key(*nonce),
                Aad::from(aad),
                in_out,
                &[],
                tag,
            )
            .map_err(|_| CryptoError::Backend)
    }

    /// Verifies `tag` over `aad` and the ciphertext `in_out`, and decrypts
    /// `in_out` in place. The tag comparison is constant time.
    ///
    /// # Errors
    /// [`CryptoError::AuthenticationFailed`] when the tag does not verify;
    /// `in_out` then holds unspecified bytes and must be discarded.
    #[inline]
    pub fn open_in_place(
        &self,
        nonce: &[u8; AEAD_NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
        tag: &[u8; AEAD_TAG_LEN],
    ) -> Result<(), CryptoError> {
        self.key
            .open_in_place_separate_tag(
                Nonce::assume_unique_for_key(*nonce),
                Aad::from(aad),
                tag,
                in_out,
            )
            .map(|_| ())
            .map_err(|_| CryptoError::AuthenticationFailed)
    }
}
