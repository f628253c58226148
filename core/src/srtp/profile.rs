//! The SRTP protection profiles (RFC 5764 §4.1.2, RFC 7714 §14.2).

/// An SRTP protection profile: cipher, key and salt lengths, tag lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SrtpProfile {
    /// `SRTP_AES128_CM_HMAC_SHA1_80` (0x0001): AES-128-CM, 80-bit HMAC-SHA1 tags.
    Aes128CmHmacSha1_80,
    /// `SRTP_AES128_CM_HMAC_SHA1_32` (0x0002): AES-128-CM, 32-bit SRTP tag,
    /// 80-bit SRTCP tag.
    Aes128CmHmacSha1_32,
    /// `SRTP_AEAD_AES_128_GCM` (0x0007): AES-128-GCM, 16-byte tag.
    AeadAes128Gcm,
    /// `SRTP_AEAD_AES_256_GCM` (0x0008): AES-256-GCM, 16-byte tag.
    AeadAes256Gcm,
}

impl SrtpProfile {
    /// Every profile, most preferred first (what we offer in DTLS `use_srtp`).
    pub const ALL: [Self; 4] = [
        Self::AeadAes128Gcm,
        Self::AeadAes256Gcm,
        Self::Aes128CmHmacSha1_80,
        Self::Aes128CmHmacSha1_32,
    ];

    /// The two-byte DTLS-SRTP protection profile identifier.
    #[must_use]
    pub const fn dtls_id(self) -> u16 {
        match self {
            Self::Aes128CmHmacSha1_80 => 0x0001,
            Self::Aes128CmHmacSha1_32 => 0x0002,
            Self::AeadAes128Gcm => 0x0007,
            Self::AeadAes256Gcm => 0x0008,
        }
    }

    /// The profile for a DTLS-SRTP identifier, if we implement it.
    #[must_use]
    pub const fn from_dtls_id(id: u16) -> Option<Self> {
        match id {
            0x0001 => Some(Self::Aes128CmHmacSha1_80),
            0x0002 => Some(Self::Aes128CmHmacSha1_32),
            0x0007 => Some(Self::AeadAes128Gcm),
            0x0008 => Some(Self::AeadAes256Gcm),
            _ => None,
        }
    }

    /// Whether this is an AEAD (AES-GCM) profile.
    #[must_use]
    pub const fn is_aead(self) -> bool {
        matches!(self, Self::AeadAes128Gcm | Self::AeadAes256Gcm)
    }

    /// Master (and session) encryption key length in bytes.
    #[must_use]
    pub const fn master_key_len(self) -> usize {
        match self {
            Self::AeadAes256Gcm => 32,
            _ => 16,
        }
    }

    /// Master (and session) salt length in bytes: 14 for AES-CM, 12 for GCM.
    #[must_use]
    pub const fn master_salt_len(self) -> usize {
        if self.is_aead() { 12 } else { 14 }
    }

    /// Session authentication key length (HMAC-SHA1 key), 0 for AEAD.
    #[must_use]
    pub const fn auth_key_len(self) -> usize {
        if self.is_aead() { 0 } else { 20 }
    }

    /// Authentication tag appended to SRTP packets.
    #[must_use]
    pub const fn rtp_tag_len(self) -> usize {
        match self {
            Self::Aes128CmHmacSha1_80 => 10,
            Self::Aes128CmHmacSha1_32 => 4,
            Self::AeadAes128Gcm | Self::AeadAes256Gcm => 16,
        }
    }

    /// Authentication tag appended to SRTCP packets (80 bits for both
    /// AES-CM profiles, RFC 5764 §4.1.2).
    #[must_use]
    pub const fn rtcp_tag_len(self) -> usize {
        if self.is_aead() { 16 } else { 10 }
    }

    /// Bytes [`SrtpProtector::protect_rtp`](super::SrtpProtector::protect_rtp)
    /// appends to an RTP packet.
    #[must_use]
    pub const fn rtp_overhead(self) -> usize {
        self.rtp_tag_len()
    }

    /// Bytes [`SrtpProtector::protect_rtcp`](super::SrtpProtector::protect_rtcp)
    /// appends to an RTCP packet (tag + E flag and SRTCP index).
    #[must_use]
    pub const fn rtcp_overhead(self) -> usize {
        self.rtcp_tag_len() + super::SRTCP_INDEX_LEN
    }

    /// Length of the DTLS-SRTP keying material block for this profile:
    /// two master keys and two master salts (RFC 5764 §4.2).
    #[must_use]
    pub const fn keying_material_len(self) -> usize {
        2 * (self.master_key_len() + self.master_salt_len())
    }
}
