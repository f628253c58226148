//! HMAC-SHA1 (RFC 2104) keyed once, for the SRTP/SRTCP authentication tag
//! (RFC 3711 §4.2.1).

use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::CryptoError;

/// Length of a full HMAC-SHA1 output, in bytes.
pub const HMAC_SHA1_LEN: usize = 20;

/// An HMAC-SHA1 key whose inner and outer pads are hashed once, at
/// construction. Each tag starts from a copy of that prepared state (a
/// stack copy of two SHA-1 states), so nothing is re-keyed per packet.
#[derive(Clone)]
pub struct HmacSha1 {
    prepared: Hmac<Sha1>,
}

impl core::fmt::Debug for HmacSha1 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HmacSha1").finish_non_exhaustive()
    }
}

impl HmacSha1 {
    /// Prepares the key (any length; SRTP uses 20 bytes).
    ///
    /// # Errors
    /// Never in practice (HMAC takes keys of any length); kept for a uniform
    /// constructor signature.
    pub fn new(key: &[u8]) -> Result<Self, CryptoError> {
        let prepared =
            <Hmac<Sha1> as Mac>::new_from_slice(key).map_err(|_| CryptoError::Backend)?;
        Ok(Self { prepared })
    }

    #[inline]
    fn keyed(&self, parts: &[&[u8]]) -> Hmac<Sha1> {
        let mut mac = self.prepared.clone();
        for part in parts {
            mac.update(part);
        }
        mac
    }

    /// The full 20-byte tag over the concatenation of `parts`.
    #[inline]
    #[must_use]
    pub fn sign(&self, parts: &[&[u8]]) -> [u8; HMAC_SHA1_LEN] {
        self.keyed(parts).finalize().into_bytes().into()
    }

    /// Checks that `tag` equals the leftmost `tag.len()` bytes of the tag over
    /// `parts`, in constant time.
    ///
    /// # Errors
    /// [`CryptoError::AuthenticationFailed`] when it does not, or when `tag`
    /// is empty or longer than 20 bytes.
    #[inline]
    pub fn verify_truncated(&self, parts: &[&[u8]], tag: &[u8]) -> Result<(), CryptoError> {
        self.keyed(parts)
            .verify_truncated_left(tag)
            .map_err(|_| CryptoError::AuthenticationFailed)
    }
}
