//! Handshake signatures (RFC 5246 §7.4.1.4.1, RFC 8446 §4.2.3 code points):
//! ECDSA P-256/SHA-256 signing with our certificate's key (RustCrypto
//! `p256` 0.14 with its precomputed generator table, deterministic nonces
//! per RFC 6979 so a seeded handshake is reproducible byte for byte), and
//! verification of ECDSA (P-256, P-384) and RSA (PKCS#1 v1.5 and PSS) peer
//! signatures (`ring`, the fastest verifier measured).
//!
//! Why not `ring` or `aws-lc-rs` for signing, 6× faster: neither can sign
//! reproducibly. `ring`'s `EcdsaKeyPair::sign` mixes its nonce from the
//! `SecureRandom` it is given, and that trait is sealed to `SystemRandom`
//! (the only deterministic implementations are in `ring::test`, deprecated,
//! hidden, "will be removed"); `aws-lc-rs` ignores the `rng` argument (AWS-LC
//! draws the nonce itself) and unseals its trait only in debug builds
//! (`dev-tests-only`). Figures: `benches/README.md`, DTLS section
//! (`cargo bench -p zerortc-benches --features backends --bench dtls_signing`).

use p256::ecdsa::signature::Signer;
use p256::pkcs8::DecodePrivateKey;
use rand_core::RngCore;
use ring::signature::{self, UnparsedPublicKey};

use super::CryptoError;

/// A TLS `SignatureScheme` we sign or verify with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureScheme {
    /// `ecdsa_secp256r1_sha256` (0x0403).
    EcdsaP256Sha256,
    /// `ecdsa_secp384r1_sha384` (0x0503), verification only.
    EcdsaP384Sha384,
    /// `rsa_pkcs1_sha256` (0x0401), verification only.
    RsaPkcs1Sha256,
    /// `rsa_pss_rsae_sha256` (0x0804), verification only.
    RsaPssRsaeSha256,
}

impl SignatureScheme {
    /// Every scheme we verify, most preferred first (our
    /// `signature_algorithms` extension).
    pub const VERIFY_ALL: [Self; 4] = [
        Self::EcdsaP256Sha256,
        Self::EcdsaP384Sha384,
        Self::RsaPssRsaeSha256,
        Self::RsaPkcs1Sha256,
    ];

    /// The TLS code point (hash byte, signature byte).
    #[must_use]
    pub const fn tls_id(self) -> u16 {
        match self {
            Self::EcdsaP256Sha256 => 0x0403,
            Self::EcdsaP384Sha384 => 0x0503,
            Self::RsaPkcs1Sha256 => 0x0401,
            Self::RsaPssRsaeSha256 => 0x0804,
        }
    }

    /// The scheme for a TLS code point, if we implement it.
    #[must_use]
    pub const fn from_tls_id(id: u16) -> Option<Self> {
        match id {
            0x0403 => Some(Self::EcdsaP256Sha256),
            0x0503 => Some(Self::EcdsaP384Sha384),
            0x0401 => Some(Self::RsaPkcs1Sha256),
            0x0804 => Some(Self::RsaPssRsaeSha256),
            _ => None,
        }
    }

    /// The kind of public key this scheme verifies with.
    #[must_use]
    pub const fn key_kind(self) -> PublicKeyKind {
        match self {
            Self::EcdsaP256Sha256 => PublicKeyKind::EcdsaP256,
            Self::EcdsaP384Sha384 => PublicKeyKind::EcdsaP384,
            Self::RsaPkcs1Sha256 | Self::RsaPssRsaeSha256 => PublicKeyKind::Rsa,
        }
    }

    fn verification(self) -> &'static dyn signature::VerificationAlgorithm {
        match self {
            Self::EcdsaP256Sha256 => &signature::ECDSA_P256_SHA256_ASN1,
            Self::EcdsaP384Sha384 => &signature::ECDSA_P384_SHA384_ASN1,
            Self::RsaPkcs1Sha256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Self::RsaPssRsaeSha256 => &signature::RSA_PSS_2048_8192_SHA256,
        }
    }
}

/// The kind of a certificate's public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicKeyKind {
    /// `id-ecPublicKey` on prime256v1.
    EcdsaP256,
    /// `id-ecPublicKey` on secp384r1.
    EcdsaP384,
    /// `rsaEncryption`.
    Rsa,
}

/// A peer's public key taken from its certificate: the kind and the raw key
/// (uncompressed EC point, or PKCS#1 `RSAPublicKey` DER).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerPublicKey {
    /// What kind of key this is.
    pub kind: PublicKeyKind,
    /// The `subjectPublicKey` bits.
    pub key: Vec<u8>,
}

impl PeerPublicKey {
    /// Verifies `sig` over `message` with `scheme`.
    ///
    /// # Errors
    /// [`CryptoError::AuthenticationFailed`] when the scheme does not fit
    /// the key or the signature does not verify.
    pub fn verify(
        &self,
        scheme: SignatureScheme,
        message: &[&[u8]],
        sig: &[u8],
    ) -> Result<(), CryptoError> {
        if scheme.key_kind() != self.kind {
            return Err(CryptoError::AuthenticationFailed);
        }
        let joined: Vec<u8> = message.concat();
        UnparsedPublicKey::new(scheme.verification(), &self.key)
            .verify(&joined, sig)
            .map_err(|_| CryptoError::AuthenticationFailed)
    }
}

/// An ECDSA P-256 private key that signs with SHA-256 (ASN.1 DER
/// signatures). Signing is deterministic (RFC 6979): the same key and message
/// give the same signature.
#[derive(Clone)]
pub struct EcdsaSigningKey {
    key: p256::ecdsa::SigningKey,
    public: Vec<u8>,
}

impl core::fmt::Debug for EcdsaSigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EcdsaSigningKey").finish_non_exhaustive()
    }
}

impl EcdsaSigningKey {
    fn from_key(key: p256::ecdsa::SigningKey) -> Self {
        let public = key.verifying_key().to_sec1_point(false).as_bytes().to_vec();
        Self { key, public }
    }

    /// Loads a PKCS#8 (RFC 5958) P-256 private key.
    ///
    /// # Errors
    /// [`CryptoError::Backend`] when the key is not a valid P-256 PKCS#8 key.
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, CryptoError> {
        let key =
            p256::ecdsa::SigningKey::from_pkcs8_der(pkcs8).map_err(|_| CryptoError::Backend)?;
        Ok(Self::from_key(key))
    }

    /// A new key with its secret scalar drawn from `rng`: the same RNG state
    /// gives the same key.
    ///
    /// # Errors
    /// [`CryptoError::Backend`] if `rng` never yields a valid scalar
    /// (practically impossible).
    pub fn generate_with_rng(rng: &mut impl RngCore) -> Result<Self, CryptoError> {
        let scalar = super::agreement::p256_scalar_from_rng(rng)?;
        Ok(Self::from_key(p256::ecdsa::SigningKey::from(scalar)))
    }

    /// The uncompressed public point.
    #[must_use]
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }

    /// Signs the concatenation of `message` (`ecdsa_secp256r1_sha256`,
    /// ASN.1 DER).
    ///
    /// # Errors
    /// [`CryptoError::Backend`] when signing fails.
    pub fn sign(&self, message: &[&[u8]]) -> Result<Vec<u8>, CryptoError> {
        let joined: Vec<u8> = message.concat();
        let sig: p256::ecdsa::Signature = self
            .key
            .try_sign(&joined)
            .map_err(|_| CryptoError::Backend)?;
        Ok(sig.to_der().as_bytes().to_vec())
    }
}

impl rcgen::PublicKeyData for EcdsaSigningKey {
    fn der_bytes(&self) -> &[u8] {
        &self.public
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

impl rcgen::SigningKey for EcdsaSigningKey {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        EcdsaSigningKey::sign(self, &[msg]).map_err(|_| rcgen::Error::RingUnspecified)
    }
}
