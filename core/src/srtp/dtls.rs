//! SRTP keys from DTLS-SRTP (RFC 5764 §4.2).

use super::cipher::SessionCiphers;
use super::{SrtpConfig, SrtpError, SrtpProfile, SrtpProtector, SrtpUnprotector};

/// The TLS exporter label for DTLS-SRTP keying material (RFC 5764 §4.2).
pub const DTLS_SRTP_EXPORTER_LABEL: &str = "EXTRACTOR-dtls_srtp";

/// Our role in the DTLS handshake, which decides which half of the keying
/// material protects what we send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DtlsRole {
    /// We sent the ClientHello: we protect with the client write key.
    Client,
    /// We answered it: we protect with the server write key.
    Server,
}

/// Both directions of an SRTP session: [`protector`](Self::protector) for
/// what we send, [`unprotector`](Self::unprotector) for what we receive.
#[derive(Debug)]
pub struct SrtpSession {
    /// Protects our outgoing RTP/RTCP with our write key.
    pub protector: SrtpProtector,
    /// Unprotects incoming SRTP/SRTCP with the peer's write key.
    pub unprotector: SrtpUnprotector,
}

impl SrtpSession {
    /// Splits the exported keying material — `client_write_master_key |
    /// server_write_master_key | client_write_master_salt |
    /// server_write_master_salt`, [`SrtpProfile::keying_material_len`] bytes
    /// exported with [`DTLS_SRTP_EXPORTER_LABEL`] — and keys both directions
    /// for `role`.
    ///
    /// # Errors
    /// [`SrtpError::BadKeyLength`] when `material` has the wrong length,
    /// [`SrtpError::BadReplayWindow`] for a bad configuration.
    pub fn from_dtls_keying_material(
        profile: SrtpProfile,
        material: &[u8],
        role: DtlsRole,
        config: SrtpConfig,
    ) -> Result<Self, SrtpError> {
        let key_len = profile.master_key_len();
        let salt_len = profile.master_salt_len();
        let expected = profile.keying_material_len();
        if material.len() != expected {
            return Err(SrtpError::BadKeyLength {
                expected,
                got: material.len(),
            });
        }
        let bad = SrtpError::BadKeyLength {
            expected,
            got: material.len(),
        };
        let (client_key, rest) = material.split_at_checked(key_len).ok_or(bad)?;
        let (server_key, rest) = rest.split_at_checked(key_len).ok_or(bad)?;
        let (client_salt, server_salt) = rest.split_at_checked(salt_len).ok_or(bad)?;
        let (local, remote) = match role {
            DtlsRole::Client => ((client_key, client_salt), (server_key, server_salt)),
            DtlsRole::Server => ((server_key, server_salt), (client_key, client_salt)),
        };
        let protector = SrtpProtector::new(profile, local.0, local.1, config)?;
        let unprotector = SrtpUnprotector::from_ciphers(
            SessionCiphers::new(profile, remote.0, remote.1)?,
            config,
        );
        Ok(Self {
            protector,
            unprotector,
        })
    }
}
