//! Cipher suites (RFC 5289 AES-GCM ECDHE suites) and the extension code
//! points this layer reads or writes.

use crate::crypto::{AeadAlgorithm, DigestAlgorithm};

/// The cipher suites we implement, all ECDHE with AES-GCM (RFC 5289).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CipherSuite {
    /// TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (0xC02B).
    EcdheEcdsaAes128GcmSha256,
    /// TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (0xC02C).
    EcdheEcdsaAes256GcmSha384,
    /// TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F).
    EcdheRsaAes128GcmSha256,
}

impl CipherSuite {
    /// Every suite, most preferred first.
    pub const ALL: [Self; 3] = [
        Self::EcdheEcdsaAes128GcmSha256,
        Self::EcdheEcdsaAes256GcmSha384,
        Self::EcdheRsaAes128GcmSha256,
    ];

    /// The TLS code point.
    #[must_use]
    pub const fn id(self) -> u16 {
        match self {
            Self::EcdheEcdsaAes128GcmSha256 => 0xC02B,
            Self::EcdheEcdsaAes256GcmSha384 => 0xC02C,
            Self::EcdheRsaAes128GcmSha256 => 0xC02F,
        }
    }

    /// The suite for a code point, if we implement it.
    #[must_use]
    pub const fn from_id(id: u16) -> Option<Self> {
        match id {
            0xC02B => Some(Self::EcdheEcdsaAes128GcmSha256),
            0xC02C => Some(Self::EcdheEcdsaAes256GcmSha384),
            0xC02F => Some(Self::EcdheRsaAes128GcmSha256),
            _ => None,
        }
    }

    /// The PRF and transcript hash.
    #[must_use]
    pub const fn hash(self) -> DigestAlgorithm {
        match self {
            Self::EcdheEcdsaAes256GcmSha384 => DigestAlgorithm::Sha384,
            _ => DigestAlgorithm::Sha256,
        }
    }

    /// The record AEAD.
    #[must_use]
    pub const fn aead(self) -> AeadAlgorithm {
        match self {
            Self::EcdheEcdsaAes256GcmSha384 => AeadAlgorithm::Aes256Gcm,
            _ => AeadAlgorithm::Aes128Gcm,
        }
    }

    /// Whether the server authenticates with an ECDSA key (else RSA).
    #[must_use]
    pub const fn is_ecdsa(self) -> bool {
        !matches!(self, Self::EcdheRsaAes128GcmSha256)
    }
}

/// Extension code points (IANA "TLS ExtensionType Values").
pub mod ext {
    /// server_name (RFC 6066)
    pub const SERVER_NAME: u16 = 0;
    /// supported_groups (RFC 8422)
    pub const SUPPORTED_GROUPS: u16 = 10;
    /// ec_point_formats (RFC 8422)
    pub const EC_POINT_FORMATS: u16 = 11;
    /// signature_algorithms (RFC 5246)
    pub const SIGNATURE_ALGORITHMS: u16 = 13;
    /// use_srtp (RFC 5764)
    pub const USE_SRTP: u16 = 14;
    /// application_layer_protocol_negotiation (RFC 7301)
    pub const ALPN: u16 = 16;
    /// extended_master_secret (RFC 7627)
    pub const EXTENDED_MASTER_SECRET: u16 = 23;
    /// record_size_limit (RFC 8449)
    pub const RECORD_SIZE_LIMIT: u16 = 28;
    /// delegated_credentials (RFC 9345)
    pub const DELEGATED_CREDENTIALS: u16 = 34;
    /// supported_versions (RFC 8446)
    pub const SUPPORTED_VERSIONS: u16 = 43;
    /// key_share (RFC 8446)
    pub const KEY_SHARE: u16 = 51;
    /// renegotiation_info (RFC 5746)
    pub const RENEGOTIATION_INFO: u16 = 0xFF01;
}

/// TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3).
pub const EMPTY_RENEGOTIATION_INFO_SCSV: u16 = 0x00FF;
