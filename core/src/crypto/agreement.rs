//! Ephemeral elliptic-curve Diffie-Hellman (ECDHE) for the DTLS 1.2 key
//! exchange (RFC 8422 §5.4, §5.10): X25519 (RFC 7748) and secp256r1.

use ring::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey};
use ring::rand::SystemRandom;

use super::CryptoError;

/// The key-exchange groups we implement, with their TLS `NamedGroup` codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EcdheGroup {
    /// X25519 (`NamedGroup` 29); 32-byte public keys.
    X25519,
    /// secp256r1 / P-256 (`NamedGroup` 23); 65-byte uncompressed points.
    Secp256r1,
}

impl EcdheGroup {
    /// The TLS `NamedGroup` code point.
    #[must_use]
    pub const fn tls_id(self) -> u16 {
        match self {
            Self::X25519 => 29,
            Self::Secp256r1 => 23,
        }
    }

    /// The group for a TLS `NamedGroup` code point, if we implement it.
    #[must_use]
    pub const fn from_tls_id(id: u16) -> Option<Self> {
        match id {
            29 => Some(Self::X25519),
            23 => Some(Self::Secp256r1),
            _ => None,
        }
    }

    fn ring(self) -> &'static agreement::Algorithm {
        match self {
            Self::X25519 => &agreement::X25519,
            Self::Secp256r1 => &agreement::ECDH_P256,
        }
    }
}

/// Longest public key of the implemented groups (an uncompressed P-256 point).
pub const ECDHE_MAX_PUBLIC_LEN: usize = 65;

/// An ephemeral ECDHE key pair, used for exactly one agreement.
///
/// The private key comes from the operating system's CSPRNG (`ring` does not
/// accept a caller-seeded generator for secret keys).
pub struct EcdheKeyPair {
    private: EphemeralPrivateKey,
    public: arrayvec::ArrayVec<u8, ECDHE_MAX_PUBLIC_LEN>,
    group: EcdheGroup,
}

impl core::fmt::Debug for EcdheKeyPair {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EcdheKeyPair")
            .field("group", &self.group)
            .finish_non_exhaustive()
    }
}

impl EcdheKeyPair {
    /// Generates a key pair in `group`.
    ///
    /// # Errors
    /// [`CryptoError::Backend`] when the system RNG fails.
    pub fn generate(group: EcdheGroup) -> Result<Self, CryptoError> {
        let rng = SystemRandom::new();
        let private =
            EphemeralPrivateKey::generate(group.ring(), &rng).map_err(|_| CryptoError::Backend)?;
        let public_key = private
            .compute_public_key()
            .map_err(|_| CryptoError::Backend)?;
        let mut public = arrayvec::ArrayVec::new();
        public
            .try_extend_from_slice(public_key.as_ref())
            .map_err(|_| CryptoError::Backend)?;
        Ok(Self {
            private,
            public,
            group,
        })
    }

    /// The group of this key pair.
    #[must_use]
    pub const fn group(&self) -> EcdheGroup {
        self.group
    }

    /// Our public key, as sent on the wire (RFC 8422 §5.4 `ECPoint`).
    #[must_use]
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }

    /// Consumes the key pair and computes the shared secret with the peer's
    /// public key, returned as the TLS pre-master secret (the X coordinate
    /// for P-256, RFC 8422 §5.10; the X25519 output, RFC 8422 §5.11).
    ///
    /// # Errors
    /// [`CryptoError::AuthenticationFailed`] for a peer key that is not a
    /// valid point of the group (or an all-zero X25519 result).
    pub fn agree(self, peer_public: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let peer = UnparsedPublicKey::new(self.group.ring(), peer_public);
        agreement::agree_ephemeral(self.private, &peer, |secret| secret.to_vec())
            .map_err(|_| CryptoError::AuthenticationFailed)
    }
}
