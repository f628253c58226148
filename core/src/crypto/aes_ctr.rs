//! AES in counter mode with a 128-bit big-endian counter block: the SRTP
//! AES-CM cipher (RFC 3711 §4.1.1) and the keystream of the SRTP key
//! derivation PRF (RFC 3711 §4.3.3).

use aes::cipher::{InnerIvInit, KeyInit, StreamCipher, StreamCipherCoreWrapper};
use aes::{Aes128Enc, Aes256Enc};

use super::CryptoError;

/// Length of an AES block and of a counter-mode IV, in bytes.
pub const AES_BLOCK_LEN: usize = 16;

/// Counter mode over a borrowed, already scheduled block cipher.
type Ctr128<C> = StreamCipherCoreWrapper<ctr::CtrCore<C, ctr::flavors::Ctr128BE>>;

// Inline on purpose: one per key, read on every packet.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum Scheduled {
    Aes128(Aes128Enc),
    Aes256(Aes256Enc),
}

/// An AES-128 or AES-256 key scheduled once for counter mode. Each call to
/// [`apply_keystream`](Self::apply_keystream) borrows the scheduled key and
/// starts a fresh counter at the given IV: nothing is re-keyed per packet.
#[derive(Clone)]
pub struct AesCtr {
    scheduled: Scheduled,
}

impl core::fmt::Debug for AesCtr {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let bits = match self.scheduled {
            Scheduled::Aes128(_) => 128,
            Scheduled::Aes256(_) => 256,
        };
        f.debug_struct("AesCtr")
            .field("key_bits", &bits)
            .finish_non_exhaustive()
    }
}

impl AesCtr {
    /// Schedules a 16-byte (AES-128) or 32-byte (AES-256) key.
    ///
    /// # Errors
    /// [`CryptoError::BadKeyLength`] for any other length.
    pub fn new(key: &[u8]) -> Result<Self, CryptoError> {
        let scheduled = match key.len() {
            16 => {
                Scheduled::Aes128(Aes128Enc::new_from_slice(key).map_err(|_| CryptoError::Backend)?)
            }
            32 => {
                Scheduled::Aes256(Aes256Enc::new_from_slice(key).map_err(|_| CryptoError::Backend)?)
            }
            got => return Err(CryptoError::BadKeyLength { expected: 16, got }),
        };
        Ok(Self { scheduled })
    }

    /// XORs `data` in place with the keystream that starts at counter block
    /// `iv` (incremented as a 128-bit big-endian integer per block).
    #[inline]
    pub fn apply_keystream(&self, iv: &[u8; AES_BLOCK_LEN], data: &mut [u8]) {
        let iv = (*iv).into();
        match &self.scheduled {
            Scheduled::Aes128(key) => {
                Ctr128::<&Aes128Enc>::from_core(ctr::CtrCore::inner_iv_init(key, &iv))
                    .apply_keystream(data);
            }
            Scheduled::Aes256(key) => {
                Ctr128::<&Aes256Enc>::from_core(ctr::CtrCore::inner_iv_init(key, &iv))
                    .apply_keystream(data);
            }
        }
    }
}

/// Whether the `aes` crate found AES-NI on this CPU and uses it (it falls
/// back to a constant-time software implementation otherwise).
#[must_use]
pub fn aes_ni_in_use() -> bool {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        std::arch::is_x86_feature_detected!("aes") && std::arch::is_x86_feature_detected!("sse2")
    }
    #[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
    {
        false
    }
}
