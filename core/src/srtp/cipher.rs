//! The per-packet transforms of each profile, on session keys derived once:
//! AES-CM + HMAC-SHA1 (RFC 3711 §3.3, §3.4, §4.1.1, §4.2) and AES-GCM
//! (RFC 7714 §8, §9). They know the packet layouts but keep no stream state.

use crate::crypto::{
    AEAD_NONCE_LEN, AEAD_TAG_LEN, AES_BLOCK_LEN, AeadAlgorithm, AeadKey, AesCtr, HmacSha1,
};

use super::kdf::{KeyDerivation, Label};
use super::{SRTCP_E_FLAG, SRTCP_INDEX_LEN, SrtpError, SrtpProfile};

/// Length of the fixed RTCP header covered but not encrypted (RFC 3711 §3.4).
pub(crate) const RTCP_HEADER_LEN: usize = 8;

/// AES-CM session keys: cipher, salt (14 bytes) and HMAC key, per direction
/// of RTP and RTCP.
pub(crate) struct CmKeys {
    cipher: AesCtr,
    salt: [u8; 14],
    auth: HmacSha1,
}

/// GCM session keys: AEAD key and salt (12 bytes, as a number: see
/// [`gcm_iv`]).
pub(crate) struct GcmKeys {
    aead: AeadKey,
    salt: u128,
}

// Inline on purpose: one per context, read on every packet.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Transform {
    Cm { rtp: CmKeys, rtcp: CmKeys },
    Gcm { rtp: GcmKeys, rtcp: GcmKeys },
}

/// Session ciphers of one direction, derived from one master key and salt.
pub(crate) struct SessionCiphers {
    pub(crate) profile: SrtpProfile,
    /// SRTP tag length, read on every packet (kept here so reading it does
    /// not decode the `Transform` variant).
    rtp_tag_len: usize,
    transform: Transform,
}

impl core::fmt::Debug for SessionCiphers {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SessionCiphers")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

fn cm_keys(
    kdf: &KeyDerivation<'_>,
    enc: Label,
    auth: Label,
    salt: Label,
) -> Result<CmKeys, SrtpError> {
    let mut key = [0u8; 16];
    let mut auth_key = [0u8; 20];
    let mut session_salt = [0u8; 14];
    kdf.derive(enc, &mut key);
    kdf.derive(auth, &mut auth_key);
    kdf.derive(salt, &mut session_salt);
    Ok(CmKeys {
        cipher: AesCtr::new(&key)?,
        salt: session_salt,
        auth: HmacSha1::new(&auth_key)?,
    })
}

fn gcm_keys(
    kdf: &KeyDerivation<'_>,
    algorithm: AeadAlgorithm,
    enc: Label,
    salt: Label,
) -> Result<GcmKeys, SrtpError> {
    let mut key = [0u8; 32];
    let key = key
        .get_mut(..algorithm.key_len())
        .ok_or(SrtpError::BadKeyLength {
            expected: algorithm.key_len(),
            got: 32,
        })?;
    let mut session_salt = [0u8; 12];
    kdf.derive(enc, key);
    kdf.derive(salt, &mut session_salt);
    Ok(GcmKeys {
        aead: AeadKey::new(algorithm, key)?,
        salt: salt_word(&session_salt),
    })
}

/// The AES-CM IV (RFC 3711 §4.1.1): `salt·2^16 XOR SSRC·2^64 XOR index·2^16`.
fn cm_iv(salt: &[u8; 14], ssrc: u32, index: u64) -> [u8; AES_BLOCK_LEN] {
    let mut iv = [0u8; AES_BLOCK_LEN];
    let ssrc = ssrc.to_be_bytes();
    let index = index.to_be_bytes(); // 8 bytes, top two are zero for a 48-bit index
    for (i, byte) in iv.iter_mut().enumerate().take(14) {
        let s = salt.get(i).copied().unwrap_or(0);
        let x = match i {
            4..=7 => ssrc.get(i - 4).copied().unwrap_or(0),
            8..=13 => index.get(i - 6).copied().unwrap_or(0),
            _ => 0,
        };
        *byte = s ^ x;
    }
    iv
}

/// The GCM IV (RFC 7714 §8.1, §9.1): the 12-byte salt XOR
/// `00 00 || SSRC || low`, where `low` is the 48-bit SRTP index
/// (`ROC || SEQ`) for SRTP and `00 00 || 0 + SRTCP index` for SRTCP. The
/// salt is kept as the number its 12 bytes spell, so this is two XORs.
fn gcm_iv(salt: u128, ssrc: u32, low: u64) -> [u8; AEAD_NONCE_LEN] {
    let word = salt ^ (u128::from(ssrc) << 48) ^ u128::from(low & 0xffff_ffff_ffff);
    let bytes = word.to_be_bytes();
    let mut iv = [0u8; AEAD_NONCE_LEN];
    iv.copy_from_slice(&bytes[16 - AEAD_NONCE_LEN..]);
    iv
}

/// The GCM salt as the big-endian number of its 12 bytes.
fn salt_word(salt: &[u8; 12]) -> u128 {
    let mut bytes = [0u8; 16];
    bytes[16 - AEAD_NONCE_LEN..].copy_from_slice(salt);
    u128::from_be_bytes(bytes)
}

fn too_short(needed: usize, got: usize) -> SrtpError {
    SrtpError::TooShort { needed, got }
}

impl SessionCiphers {
    /// Derives the six session keys of `profile` from a master key and salt.
    pub(crate) fn new(
        profile: SrtpProfile,
        master_key: &[u8],
        master_salt: &[u8],
    ) -> Result<Self, SrtpError> {
        if master_key.len() != profile.master_key_len() {
            return Err(SrtpError::BadKeyLength {
                expected: profile.master_key_len(),
                got: master_key.len(),
            });
        }
        if master_salt.len() != profile.master_salt_len() {
            return Err(SrtpError::BadKeyLength {
                expected: profile.master_salt_len(),
                got: master_salt.len(),
            });
        }
        let kdf = KeyDerivation::new(master_key, master_salt)?;
        let transform = match profile {
            SrtpProfile::Aes128CmHmacSha1_80 | SrtpProfile::Aes128CmHmacSha1_32 => Transform::Cm {
                rtp: cm_keys(
                    &kdf,
                    Label::RtpEncryption,
                    Label::RtpAuthentication,
                    Label::RtpSalt,
                )?,
                rtcp: cm_keys(
                    &kdf,
                    Label::RtcpEncryption,
                    Label::RtcpAuthentication,
                    Label::RtcpSalt,
                )?,
            },
            SrtpProfile::AeadAes128Gcm | SrtpProfile::AeadAes256Gcm => {
                let algorithm = if profile == SrtpProfile::AeadAes128Gcm {
                    AeadAlgorithm::Aes128Gcm
                } else {
                    AeadAlgorithm::Aes256Gcm
                };
                Transform::Gcm {
                    rtp: gcm_keys(&kdf, algorithm, Label::RtpEncryption, Label::RtpSalt)?,
                    rtcp: gcm_keys(&kdf, algorithm, Label::RtcpEncryption, Label::RtcpSalt)?,
                }
            }
        };
        Ok(Self {
            profile,
            rtp_tag_len: profile.rtp_tag_len(),
            transform,
        })
    }

    /// GCM ciphers keyed directly with session keys (RFC 7714's vectors
    /// publish session keys, not master keys).
    #[cfg(test)]
    pub(crate) fn gcm_from_session_keys(
        profile: SrtpProfile,
        key: &[u8],
        salt: [u8; 12],
    ) -> Result<Self, SrtpError> {
        let algorithm = if profile == SrtpProfile::AeadAes128Gcm {
            AeadAlgorithm::Aes128Gcm
        } else {
            AeadAlgorithm::Aes256Gcm
        };
        Ok(Self {
            profile,
            rtp_tag_len: profile.rtp_tag_len(),
            transform: Transform::Gcm {
                rtp: GcmKeys {
                    aead: AeadKey::new(algorithm, key)?,
                    salt: salt_word(&salt),
                },
                rtcp: GcmKeys {
                    aead: AeadKey::new(algorithm, key)?,
                    salt: salt_word(&salt),
                },
            },
        })
    }

    pub(crate) const fn rtp_tag_len(&self) -> usize {
        self.rtp_tag_len
    }

    pub(crate) const fn rtcp_tag_len(&self) -> usize {
        self.profile.rtcp_tag_len()
    }

    /// Encrypts `buf[header_len..len]` and writes the tag at `buf[len..]`;
    /// returns the protected length. The caller checked the buffer size.
    pub(crate) fn seal_rtp(
        &self,
        buf: &mut [u8],
        header_len: usize,
        len: usize,
        ssrc: u32,
        index: u64,
    ) -> Result<usize, SrtpError> {
        let tag_len = self.rtp_tag_len();
        let total = len + tag_len;
        let available = buf.len();
        let buf = buf.get_mut(..total).ok_or(SrtpError::BufferTooSmall {
            needed: total,
            available,
        })?;
        let roc = super::replay::roc_of(index);
        match &self.transform {
            Transform::Cm { rtp, .. } => {
                let (packet, tag_out) = buf.split_at_mut(len);
                let payload = packet
                    .get_mut(header_len..)
                    .ok_or(too_short(header_len, len))?;
                rtp.cipher
                    .apply_keystream(&cm_iv(&rtp.salt, ssrc, index), payload);
                let tag = rtp.auth.sign(&[packet, &roc.to_be_bytes()]);
                let tag = tag.get(..tag_len).ok_or(SrtpError::AuthenticationFailed)?;
                tag_out.copy_from_slice(tag);
            }
            Transform::Gcm { rtp, .. } => {
                let (header, rest) = buf
                    .split_at_mut_checked(header_len)
                    .ok_or(too_short(header_len, len))?;
                let (payload, tag_out) = rest.split_at_mut(len - header_len);
                let tag_out: &mut [u8; AEAD_TAG_LEN] =
                    tag_out.try_into().map_err(|_| SrtpError::BufferTooSmall {
                        needed: total,
                        available,
                    })?;
                let iv = gcm_iv(rtp.salt, ssrc, index);
                rtp.aead
                    .seal_in_place_tag_into(&iv, header, payload, tag_out)?;
            }
        }
        Ok(total)
    }

    /// Verifies and decrypts a whole SRTP packet `buf` in place; returns the
    /// plaintext RTP length. On error the bytes after the header are
    /// unspecified for GCM (AES-CM verifies before decrypting).
    pub(crate) fn open_rtp(
        &self,
        buf: &mut [u8],
        header_len: usize,
        ssrc: u32,
        index: u64,
    ) -> Result<usize, SrtpError> {
        let tag_len = self.rtp_tag_len();
        let len = buf.len();
        let auth_end = len
            .checked_sub(tag_len)
            .filter(|end| *end >= header_len)
            .ok_or(too_short(header_len + tag_len, len))?;
        let roc = super::replay::roc_of(index);
        let (packet, tag) = buf.split_at_mut(auth_end);
        match &self.transform {
            Transform::Cm { rtp, .. } => {
                rtp.auth
                    .verify_truncated(&[packet, &roc.to_be_bytes()], tag)
                    .map_err(|_| SrtpError::AuthenticationFailed)?;
                let payload = packet
                    .get_mut(header_len..)
                    .ok_or(too_short(header_len, len))?;
                rtp.cipher
                    .apply_keystream(&cm_iv(&rtp.salt, ssrc, index), payload);
            }
            Transform::Gcm { rtp, .. } => {
                let tag: &[u8; AEAD_TAG_LEN] = (&*tag)
                    .try_into()
                    .map_err(|_| SrtpError::AuthenticationFailed)?;
                let (header, payload) = packet.split_at_mut(header_len);
                let iv = gcm_iv(rtp.salt, ssrc, index);
                rtp.aead
                    .open_in_place(&iv, header, payload, tag)
                    .map_err(|_| SrtpError::AuthenticationFailed)?;
            }
        }
        Ok(auth_end)
    }

    /// Encrypts `buf[8..len]`, appends the E flag + `index` word and the tag
    /// in the profile's order; returns the protected length.
    pub(crate) fn seal_rtcp(
        &self,
        buf: &mut [u8],
        len: usize,
        ssrc: u32,
        index: u32,
    ) -> Result<usize, SrtpError> {
        let tag_len = self.rtcp_tag_len();
        let total = len + SRTCP_INDEX_LEN + tag_len;
        let available = buf.len();
        let buf = buf.get_mut(..total).ok_or(SrtpError::BufferTooSmall {
            needed: total,
            available,
        })?;
        let esrtcp = (index | SRTCP_E_FLAG).to_be_bytes();
        match &self.transform {
            Transform::Cm { rtcp, .. } => {
                // header | ciphertext | E+index | tag (RFC 3711 §3.4)
                let (authenticated, tag_out) = buf.split_at_mut(len + SRTCP_INDEX_LEN);
                let (packet, index_out) = authenticated.split_at_mut(len);
                index_out.copy_from_slice(&esrtcp);
                let payload = packet
                    .get_mut(RTCP_HEADER_LEN..)
                    .ok_or(too_short(RTCP_HEADER_LEN, len))?;
                rtcp.cipher
                    .apply_keystream(&cm_iv(&rtcp.salt, ssrc, u64::from(index)), payload);
                let tag = rtcp.auth.sign(&[authenticated]);
                let tag = tag.get(..tag_len).ok_or(SrtpError::AuthenticationFailed)?;
                tag_out.copy_from_slice(tag);
            }
            Transform::Gcm { rtcp, .. } => {
                // header | ciphertext | tag | E+index (RFC 7714 §9.2);
                // AAD = header || E+index.
                let (header, rest) = buf
                    .split_at_mut_checked(RTCP_HEADER_LEN)
                    .ok_or(too_short(RTCP_HEADER_LEN, len))?;
                let (payload, trailer) = rest.split_at_mut(len - RTCP_HEADER_LEN);
                let mut aad = [0u8; RTCP_HEADER_LEN + SRTCP_INDEX_LEN];
                aad[..RTCP_HEADER_LEN].copy_from_slice(header);
                aad[RTCP_HEADER_LEN..].copy_from_slice(&esrtcp);
                let iv = gcm_iv(rtcp.salt, ssrc, u64::from(index & !SRTCP_E_FLAG));
                let (tag_out, index_out) = trailer.split_at_mut(AEAD_TAG_LEN);
                let tag_out: &mut [u8; AEAD_TAG_LEN] =
                    tag_out.try_into().map_err(|_| SrtpError::BufferTooSmall {
                        needed: total,
                        available,
                    })?;
                rtcp.aead
                    .seal_in_place_tag_into(&iv, &aad, payload, tag_out)?;
                index_out.copy_from_slice(&esrtcp);
            }
        }
        Ok(total)
    }

    /// Reads the E flag + SRTCP index word of a whole SRTCP packet.
    pub(crate) fn srtcp_index_word(&self, buf: &[u8]) -> Result<u32, SrtpError> {
        let tag_len = self.rtcp_tag_len();
        let needed = RTCP_HEADER_LEN + SRTCP_INDEX_LEN + tag_len;
        if buf.len() < needed {
            return Err(too_short(needed, buf.len()));
        }
        let at = match self.transform {
            Transform::Cm { .. } => buf.len() - tag_len - SRTCP_INDEX_LEN,
            Transform::Gcm { .. } => buf.len() - SRTCP_INDEX_LEN,
        };
        let word = buf
            .get(at..at + SRTCP_INDEX_LEN)
            .and_then(|w| <[u8; 4]>::try_from(w).ok())
            .ok_or(too_short(needed, buf.len()))?;
        Ok(u32::from_be_bytes(word))
    }

    /// Verifies and (when the E flag is set) decrypts a whole SRTCP packet in
    /// place; returns the RTCP length. `word` is the E flag + index word.
    pub(crate) fn open_rtcp(
        &self,
        buf: &mut [u8],
        ssrc: u32,
        word: u32,
    ) -> Result<usize, SrtpError> {
        let tag_len = self.rtcp_tag_len();
        let len = buf.len();
        let needed = RTCP_HEADER_LEN + SRTCP_INDEX_LEN + tag_len;
        let rtcp_len = len
            .checked_sub(SRTCP_INDEX_LEN + tag_len)
            .filter(|l| *l >= RTCP_HEADER_LEN)
            .ok_or(too_short(needed, len))?;
        let encrypted = word & SRTCP_E_FLAG != 0;
        let index = word & !SRTCP_E_FLAG;
        match &self.transform {
            Transform::Cm { rtcp, .. } => {
                let (authenticated, tag) = buf.split_at_mut(rtcp_len + SRTCP_INDEX_LEN);
                rtcp.auth
                    .verify_truncated(&[authenticated], tag)
                    .map_err(|_| SrtpError::AuthenticationFailed)?;
                if encrypted {
                    let payload = authenticated
                        .get_mut(RTCP_HEADER_LEN..rtcp_len)
                        .ok_or(too_short(needed, len))?;
                    rtcp.cipher
                        .apply_keystream(&cm_iv(&rtcp.salt, ssrc, u64::from(index)), payload);
                }
            }
            Transform::Gcm { rtcp, .. } => {
                let iv = gcm_iv(rtcp.salt, ssrc, u64::from(index & !SRTCP_E_FLAG));
                let esrtcp = word.to_be_bytes();
                let (body, trailer) = buf.split_at_mut(rtcp_len);
                let tag: [u8; AEAD_TAG_LEN] = trailer
                    .get(..AEAD_TAG_LEN)
                    .and_then(|t| t.try_into().ok())
                    .ok_or(too_short(needed, len))?;
                if encrypted {
                    let (header, payload) = body.split_at_mut(RTCP_HEADER_LEN);
                    let mut aad = [0u8; RTCP_HEADER_LEN + SRTCP_INDEX_LEN];
                    aad[..RTCP_HEADER_LEN].copy_from_slice(header);
                    aad[RTCP_HEADER_LEN..].copy_from_slice(&esrtcp);
                    rtcp.aead
                        .open_in_place(&iv, &aad, payload, &tag)
                        .map_err(|_| SrtpError::AuthenticationFailed)?;
                } else {
                    // Tagged only (RFC 7714 §9.3): AAD = the whole RTCP packet
                    // || E+index, ciphertext empty. Move the index word next
                    // to the packet so the AAD is contiguous; the packet is
                    // returned without the trailer either way.
                    let aad_len = rtcp_len + SRTCP_INDEX_LEN;
                    let aad = buf.get_mut(..aad_len).ok_or(too_short(needed, len))?;
                    if let Some(dst) = aad.get_mut(rtcp_len..) {
                        dst.copy_from_slice(&esrtcp);
                    }
                    rtcp.aead
                        .open_in_place(&iv, aad, &mut [], &tag)
                        .map_err(|_| SrtpError::AuthenticationFailed)?;
                }
            }
        }
        Ok(rtcp_len)
    }
}
