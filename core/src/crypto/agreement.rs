//! Ephemeral elliptic-curve Diffie-Hellman (ECDHE) for the DTLS 1.2 key
//! exchange (RFC 8422 §5.4, §5.10): X25519 (RFC 7748, on `aws-lc-rs`) and
//! secp256r1 (RustCrypto `p256`).

use aws_lc_rs::agreement;
use p256::elliptic_curve::sec1::ToSec1Point;
use rand_core::RngCore;

use super::{CryptoError, fill_random};

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
}

/// Longest public key of the implemented groups (an uncompressed P-256 point).
pub const ECDHE_MAX_PUBLIC_LEN: usize = 65;

/// The private half of an [`EcdheKeyPair`].
enum EcdhePrivate {
    X25519(aws_lc_rs::agreement::PrivateKey),
    Secp256r1(p256::NonZeroScalar),
}

/// An ephemeral ECDHE key pair, used for exactly one agreement.
///
/// The private key is drawn from a caller's RNG ([`Self::generate_with_rng`],
/// what a DTLS connection does with its seedable generator) or from the
/// operating system's CSPRNG ([`Self::generate`]). X25519 runs on
/// `aws-lc-rs` (`PrivateKey::from_private_key`, 2.2× faster than
/// `x25519-dalek` here), P-256 on RustCrypto `p256`: both take the secret
/// as bytes, which `ring`'s sealed `SystemRandom`-only API does not.
pub struct EcdheKeyPair {
    private: EcdhePrivate,
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

/// Bytes read from the RNG for P-256 before giving up (a 32-byte string is
/// not a valid scalar with probability ~2^-32, so this never happens).
const P256_SCALAR_ATTEMPTS: usize = 16;

impl EcdheKeyPair {
    /// Generates a key pair in `group` from the system CSPRNG.
    ///
    /// # Errors
    /// [`CryptoError::Backend`] when the system RNG fails.
    pub fn generate(group: EcdheGroup) -> Result<Self, CryptoError> {
        let mut seed = [0u8; 32];
        fill_random(&mut seed)?;
        let mut rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::from_seed(seed);
        Self::generate_with_rng(group, &mut rng)
    }

    /// Generates a key pair in `group` with secret bytes from `rng`: the same
    /// RNG state gives the same key pair.
    ///
    /// # Errors
    /// [`CryptoError::Backend`] if `rng` keeps producing strings that are not
    /// a valid P-256 scalar (practically impossible for a real RNG).
    pub fn generate_with_rng(
        group: EcdheGroup,
        rng: &mut impl RngCore,
    ) -> Result<Self, CryptoError> {
        let mut public = arrayvec::ArrayVec::new();
        let private = match group {
            EcdheGroup::X25519 => {
                let mut bytes = [0u8; 32];
                rng.fill_bytes(&mut bytes);
                // Clamped as RFC 7748 §5 says by the backend.
                let secret = agreement::PrivateKey::from_private_key(&agreement::X25519, &bytes)
                    .map_err(|_| CryptoError::Backend)?;
                let point = secret
                    .compute_public_key()
                    .map_err(|_| CryptoError::Backend)?;
                public
                    .try_extend_from_slice(point.as_ref())
                    .map_err(|_| CryptoError::Backend)?;
                EcdhePrivate::X25519(secret)
            }
            EcdheGroup::Secp256r1 => {
                let scalar = p256_scalar_from_rng(rng)?;
                let point = p256::PublicKey::from_secret_scalar(&scalar).to_sec1_point(false);
                public
                    .try_extend_from_slice(point.as_bytes())
                    .map_err(|_| CryptoError::Backend)?;
                EcdhePrivate::Secp256r1(scalar)
            }
        };
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
        match self.private {
            EcdhePrivate::X25519(secret) => {
                if peer_public.len() != 32 {
                    return Err(CryptoError::AuthenticationFailed);
                }
                // RFC 7748 §6.1 / RFC 8422 §5.11: an all-zero output (a
                // small-order peer key) is refused by AWS-LC's X25519.
                agreement::agree(
                    &secret,
                    agreement::UnparsedPublicKey::new(&agreement::X25519, peer_public),
                    CryptoError::AuthenticationFailed,
                    |shared| Ok(shared.to_vec()),
                )
            }
            EcdhePrivate::Secp256r1(scalar) => {
                // Uncompressed points only (RFC 8422 §5.1.2, ec_point_formats).
                if peer_public.first() != Some(&4) || peer_public.len() != 65 {
                    return Err(CryptoError::AuthenticationFailed);
                }
                let peer = p256::PublicKey::from_sec1_bytes(peer_public)
                    .map_err(|_| CryptoError::AuthenticationFailed)?;
                let shared = p256::ecdh::diffie_hellman(scalar, peer.as_affine());
                Ok(shared.raw_secret_bytes().to_vec())
            }
        }
    }
}

/// A non-zero P-256 scalar from 32-byte strings drawn from `rng` (rejection
/// sampling: strings at or above the group order are drawn again).
pub(super) fn p256_scalar_from_rng(
    rng: &mut impl RngCore,
) -> Result<p256::NonZeroScalar, CryptoError> {
    for _ in 0..P256_SCALAR_ATTEMPTS {
        let mut bytes = p256::FieldBytes::default();
        rng.fill_bytes(&mut bytes);
        if let Some(scalar) = Option::from(p256::NonZeroScalar::from_repr(bytes)) {
            return Ok(scalar);
        }
    }
    Err(CryptoError::Backend)
}
