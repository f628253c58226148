//! SRTP session key derivation with the AES-CM PRF, key derivation rate 0
//! (RFC 3711 §4.3.1 and §4.3.3; RFC 7714 §11 for the GCM profiles, where the
//! PRF is AES-CM with the master key's size and the salt is 96 bits).

use crate::crypto::{AES_BLOCK_LEN, AesCtr};

use super::SrtpError;

/// Key derivation labels (RFC 3711 §4.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Label {
    RtpEncryption = 0x00,
    RtpAuthentication = 0x01,
    RtpSalt = 0x02,
    RtcpEncryption = 0x03,
    RtcpAuthentication = 0x04,
    RtcpSalt = 0x05,
}

/// The PRF keyed with one master key and salt.
pub(crate) struct KeyDerivation<'a> {
    prf: AesCtr,
    master_salt: &'a [u8],
}

impl<'a> KeyDerivation<'a> {
    /// Keys the PRF with `master_key` (16 or 32 bytes). `master_salt` is 14
    /// bytes (AES-CM) or 12 bytes (GCM).
    pub(crate) fn new(master_key: &[u8], master_salt: &'a [u8]) -> Result<Self, SrtpError> {
        if master_salt.len() > 14 {
            return Err(SrtpError::BadKeyLength {
                expected: 14,
                got: master_salt.len(),
            });
        }
        Ok(Self {
            prf: AesCtr::new(master_key)?,
            master_salt,
        })
    }

    /// Fills `out` with the session key for `label`: the AES-CM keystream
    /// with IV `(master_salt XOR (label || r)) · 2^16`, r = index DIV kdr = 0.
    /// `label || r` is seven bytes right-aligned under the 14-byte salt
    /// field, so the label lands on byte 7; a 12-byte salt sits left-aligned
    /// in that field.
    pub(crate) fn derive(&self, label: Label, out: &mut [u8]) {
        let mut iv = [0u8; AES_BLOCK_LEN];
        if let Some(dst) = iv.get_mut(..self.master_salt.len()) {
            dst.copy_from_slice(self.master_salt);
        }
        if let Some(byte) = iv.get_mut(7) {
            *byte ^= label as u8;
        }
        out.fill(0);
        self.prf.apply_keystream(&iv, out);
    }
}
