//! Self-signed certificates for DTLS-SRTP (RFC 8827 §6.5, RFC 5763 §5):
//! generation (ECDSA P-256, via `rcgen`), fingerprints (RFC 8122 §5: hash of
//! the DER), and extraction of the peer's public key (via `x509-cert`). The
//! certificate chain is never validated: WebRTC authenticates the peer by
//! the fingerprint carried in SDP.

use ring::digest;
use x509_cert::der::{Decode, asn1::ObjectIdentifier};

use super::CryptoError;
use super::signature::{EcdsaSigningKey, PeerPublicKey, PublicKeyKind};

/// A hash function of an SDP `a=fingerprint` (RFC 8122 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FingerprintAlgorithm {
    /// `sha-1`
    Sha1,
    /// `sha-256`
    Sha256,
    /// `sha-384`
    Sha384,
    /// `sha-512`
    Sha512,
}

impl FingerprintAlgorithm {
    /// The SDP name (`sha-256`...).
    #[must_use]
    pub const fn sdp_name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha-1",
            Self::Sha256 => "sha-256",
            Self::Sha384 => "sha-384",
            Self::Sha512 => "sha-512",
        }
    }

    /// The algorithm for an SDP name, case-insensitive.
    #[must_use]
    pub fn from_sdp_name(name: &str) -> Option<Self> {
        [Self::Sha1, Self::Sha256, Self::Sha384, Self::Sha512]
            .into_iter()
            .find(|alg| alg.sdp_name().eq_ignore_ascii_case(name))
    }

    fn ring(self) -> &'static digest::Algorithm {
        match self {
            Self::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
            Self::Sha256 => &digest::SHA256,
            Self::Sha384 => &digest::SHA384,
            Self::Sha512 => &digest::SHA512,
        }
    }
}

/// A certificate fingerprint: the hash of a certificate's DER encoding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// The hash function.
    pub algorithm: FingerprintAlgorithm,
    /// The hash value (20 to 64 bytes).
    pub value: Vec<u8>,
}

impl Fingerprint {
    /// The fingerprint of `der` with `algorithm`.
    #[must_use]
    pub fn of_der(algorithm: FingerprintAlgorithm, der: &[u8]) -> Self {
        Self {
            algorithm,
            value: digest::digest(algorithm.ring(), der).as_ref().to_vec(),
        }
    }

    /// Parses the value of an SDP `a=fingerprint:` attribute, e.g.
    /// `sha-256 AB:CD:...` (RFC 8122 §5).
    #[must_use]
    pub fn parse_sdp(text: &str) -> Option<Self> {
        let (name, hex) = text.trim().split_once(' ')?;
        let algorithm = FingerprintAlgorithm::from_sdp_name(name)?;
        let mut value = Vec::with_capacity(64);
        for pair in hex.trim().split(':') {
            if pair.len() != 2 {
                return None;
            }
            value.push(u8::from_str_radix(pair, 16).ok()?);
        }
        if value.len() != algorithm.ring().output_len() {
            return None;
        }
        Some(Self { algorithm, value })
    }

    /// Whether `der` hashes to this fingerprint (constant-time comparison).
    #[must_use]
    pub fn matches(&self, der: &[u8]) -> bool {
        let computed = Self::of_der(self.algorithm, der);
        bool::from(subtle::ConstantTimeEq::ct_eq(
            computed.value.as_slice(),
            self.value.as_slice(),
        ))
    }
}

impl core::fmt::Display for Fingerprint {
    /// SDP form: `sha-256 AB:CD:...`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.algorithm.sdp_name())?;
        for (i, byte) in self.value.iter().enumerate() {
            let sep = if i == 0 { ' ' } else { ':' };
            write!(f, "{sep}{byte:02X}")?;
        }
        Ok(())
    }
}

/// Our certificate and its private key.
#[derive(Debug)]
pub struct Certificate {
    der: Vec<u8>,
    key: EcdsaSigningKey,
}

impl Certificate {
    /// Generates a self-signed ECDSA P-256 certificate (subject CN
    /// `zerortc`, serial derived from the public key, rcgen's default
    /// validity) with a key from the system CSPRNG.
    ///
    /// # Errors
    /// [`CryptoError::Backend`] when generation fails.
    pub fn generate_self_signed() -> Result<Self, CryptoError> {
        let mut seed = [0u8; 32];
        super::fill_random(&mut seed)?;
        Self::generate_self_signed_from_seed(seed)
    }

    /// [`generate_self_signed`](Self::generate_self_signed) with the key
    /// drawn from a ChaCha20 RNG seeded with `seed`: the same seed gives the
    /// same certificate, byte for byte (ECDSA signing is RFC 6979
    /// deterministic). For tests and reproducible benchmarks.
    ///
    /// # Errors
    /// [`CryptoError::Backend`] when generation fails.
    pub fn generate_self_signed_from_seed(seed: [u8; 32]) -> Result<Self, CryptoError> {
        let mut rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::from_seed(seed);
        let key = EcdsaSigningKey::generate_with_rng(&mut rng)?;
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new())
            .map_err(|_| CryptoError::Backend)?;
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "zerortc");
        let cert = params.self_signed(&key).map_err(|_| CryptoError::Backend)?;
        Ok(Self {
            der: cert.der().to_vec(),
            key,
        })
    }

    /// Wraps an existing certificate (DER) and its PKCS#8 P-256 private key.
    ///
    /// # Errors
    /// [`CryptoError::Backend`] when the key is not P-256 PKCS#8 or does not
    /// belong to the certificate.
    pub fn from_der_and_pkcs8(der: Vec<u8>, pkcs8: &[u8]) -> Result<Self, CryptoError> {
        let key = EcdsaSigningKey::from_pkcs8(pkcs8)?;
        let public = peer_public_key(&der)?;
        if public.kind != PublicKeyKind::EcdsaP256 || public.key != key.public_key() {
            return Err(CryptoError::Backend);
        }
        Ok(Self { der, key })
    }

    /// The DER encoding (what goes into the DTLS Certificate message).
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The private key.
    #[must_use]
    pub fn signing_key(&self) -> &EcdsaSigningKey {
        &self.key
    }

    /// Our fingerprint for SDP.
    #[must_use]
    pub fn fingerprint(&self, algorithm: FingerprintAlgorithm) -> Fingerprint {
        Fingerprint::of_der(algorithm, &self.der)
    }
}

const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// The public key and its kind from a DER certificate.
///
/// # Errors
/// [`CryptoError::Backend`] when the DER does not parse or the key is of a
/// kind we do not implement.
pub fn peer_public_key(der: &[u8]) -> Result<PeerPublicKey, CryptoError> {
    let cert = x509_cert::Certificate::from_der(der).map_err(|_| CryptoError::Backend)?;
    let spki = cert.tbs_certificate().subject_public_key_info();
    let key = spki
        .subject_public_key
        .as_bytes()
        .ok_or(CryptoError::Backend)?
        .to_vec();
    let kind = if spki.algorithm.oid == OID_EC_PUBLIC_KEY {
        let curve: ObjectIdentifier = spki
            .algorithm
            .parameters
            .as_ref()
            .ok_or(CryptoError::Backend)?
            .decode_as()
            .map_err(|_| CryptoError::Backend)?;
        if curve == OID_PRIME256V1 {
            PublicKeyKind::EcdsaP256
        } else if curve == OID_SECP384R1 {
            PublicKeyKind::EcdsaP384
        } else {
            return Err(CryptoError::Backend);
        }
    } else if spki.algorithm.oid == OID_RSA_ENCRYPTION {
        PublicKeyKind::Rsa
    } else {
        return Err(CryptoError::Backend);
    };
    Ok(PeerPublicKey { kind, key })
}
