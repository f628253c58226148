//! Alerts (RFC 5246 §7.2, RFC 6347 §4.1.2.7).

/// Alert level warning (1).
pub const LEVEL_WARNING: u8 = 1;
/// Alert level fatal (2).
pub const LEVEL_FATAL: u8 = 2;

/// Alert descriptions we send or name.
pub mod description {
    /// close_notify
    pub const CLOSE_NOTIFY: u8 = 0;
    /// unexpected_message
    pub const UNEXPECTED_MESSAGE: u8 = 10;
    /// bad_record_mac
    pub const BAD_RECORD_MAC: u8 = 20;
    /// handshake_failure
    pub const HANDSHAKE_FAILURE: u8 = 40;
    /// bad_certificate
    pub const BAD_CERTIFICATE: u8 = 42;
    /// unsupported_certificate
    pub const UNSUPPORTED_CERTIFICATE: u8 = 43;
    /// certificate_unknown
    pub const CERTIFICATE_UNKNOWN: u8 = 46;
    /// illegal_parameter
    pub const ILLEGAL_PARAMETER: u8 = 47;
    /// decode_error
    pub const DECODE_ERROR: u8 = 50;
    /// decrypt_error
    pub const DECRYPT_ERROR: u8 = 51;
    /// protocol_version
    pub const PROTOCOL_VERSION: u8 = 70;
    /// insufficient_security
    pub const INSUFFICIENT_SECURITY: u8 = 71;
    /// internal_error
    pub const INTERNAL_ERROR: u8 = 80;
    /// no_renegotiation
    pub const NO_RENEGOTIATION: u8 = 100;
    /// unsupported_extension
    pub const UNSUPPORTED_EXTENSION: u8 = 110;
}

/// The RFC name of an alert description, or `"unknown"`.
#[must_use]
pub const fn alert_name(description: u8) -> &'static str {
    match description {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        40 => "handshake_failure",
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        90 => "user_canceled",
        100 => "no_renegotiation",
        110 => "unsupported_extension",
        _ => "unknown",
    }
}

/// The alert we send when failing with `error`.
#[must_use]
pub const fn alert_for(error: &super::DtlsError) -> u8 {
    use super::DtlsError as E;
    match error {
        E::Truncated(_) | E::BadLength(_) | E::BadFragment => description::DECODE_ERROR,
        E::UnexpectedMessage(_) => description::UNEXPECTED_MESSAGE,
        E::NoCommonCipherSuite | E::NoCommonGroup | E::ExtendedMasterSecretMissing => {
            description::HANDSHAKE_FAILURE
        }
        E::NoCommonSrtpProfile => description::HANDSHAKE_FAILURE,
        E::RenegotiationRefused => description::HANDSHAKE_FAILURE,
        E::IllegalParameter(_) => description::ILLEGAL_PARAMETER,
        E::NoCertificate | E::BadCertificate | E::FingerprintMismatch { .. } => {
            description::BAD_CERTIFICATE
        }
        E::BadSignature | E::FinishedMismatch | E::DecryptFailed => description::DECRYPT_ERROR,
        E::UnsupportedVersion(_) => description::PROTOCOL_VERSION,
        _ => description::INTERNAL_ERROR,
    }
}
