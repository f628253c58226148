//! ECDSA P-256 / SHA-256 signing, the handshake's costliest step, on every
//! candidate backend (feature `backends`), for the criterion suite
//! `benches/dtls_signing.rs`. Each signs the 100-byte message a DTLS server
//! signs in its ServerKeyExchange (client random, server random, X25519
//! parameters) and returns the ASN.1 DER signature, keys loaded once:
//!
//! - `p256_0_13`: RustCrypto `p256` 0.13, what zerortc signed with before
//!   (RFC 6979 deterministic nonces);
//! - `p256_0_14`: what zerortc signs with,
//!   `zerortc::crypto::EcdsaSigningKey::sign` (RustCrypto `p256` 0.14 with
//!   `precomputed-tables`, a fixed-base table for the generator; RFC 6979
//!   too, so the same signature as 0.13);
//! - `ring`: `ring` 0.17 `EcdsaKeyPair::sign`, its nonce drawn from the
//!   `SystemRandom` it is handed (mixed with the key and the message);
//! - `aws_lc_rs`: `aws-lc-rs` 1.19 `EcdsaKeyPair::sign` (AWS-LC draws the
//!   nonce itself; the `rng` argument is ignored);
//! - `openssl`: the `openssl` crate on the system's libssl 3.0 (random
//!   nonces; RFC 6979 nonces need OpenSSL 3.2).
//!
//! Whether a backend's signatures are reproducible under a seed (what
//! `core/tests/dtls_determinism.rs` requires of zerortc) is checked by the
//! tests below.

use zerortc::crypto::{Certificate, EcdsaSigningKey};

/// The message a ServerKeyExchange signs with X25519: 32 + 32 random
/// bytes, then curve type, group and a 32-byte public key.
pub fn server_key_exchange_message() -> Vec<u8> {
    let mut m: Vec<u8> = (0..64u8).collect();
    m.extend_from_slice(&[3, 0, 29, 32]);
    m.extend((0..32u8).map(|i| i ^ 0x5a));
    m
}

/// The secret scalar every RustCrypto signer uses (a fixed, valid one).
const SCALAR: [u8; 32] = [0x11; 32];

/// One backend's signer: `sign(message)` returns the DER signature.
pub trait P256Signer {
    /// Signs `message` (SHA-256 inside), ASN.1 DER.
    fn sign(&self, message: &[u8]) -> Vec<u8>;
}

/// zerortc's signer (`p256` 0.14).
pub struct Zerortc(EcdsaSigningKey);

impl P256Signer for Zerortc {
    fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.0.sign(&[message]).unwrap_or_default()
    }
}

/// RustCrypto `p256` 0.13.
pub struct P256Prev(p256_prev::ecdsa::SigningKey);

impl P256Signer for P256Prev {
    fn sign(&self, message: &[u8]) -> Vec<u8> {
        use p256_prev::ecdsa::signature::Signer;
        let sig: p256_prev::ecdsa::Signature = self.0.sign(message);
        sig.to_der().as_bytes().to_vec()
    }
}

/// `ring` with the system RNG.
pub struct Ring(ring::signature::EcdsaKeyPair, ring::rand::SystemRandom);

impl P256Signer for Ring {
    fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.0
            .sign(&self.1, message)
            .map(|s| s.as_ref().to_vec())
            .unwrap_or_default()
    }
}

/// `aws-lc-rs`.
pub struct AwsLc(
    aws_lc_rs::signature::EcdsaKeyPair,
    aws_lc_rs::rand::SystemRandom,
);

impl P256Signer for AwsLc {
    fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.0
            .sign(&self.1, message)
            .map(|s| s.as_ref().to_vec())
            .unwrap_or_default()
    }
}

/// OpenSSL.
pub struct Openssl(openssl::pkey::PKey<openssl::pkey::Private>);

impl P256Signer for Openssl {
    fn sign(&self, message: &[u8]) -> Vec<u8> {
        let Ok(mut signer) =
            openssl::sign::Signer::new(openssl::hash::MessageDigest::sha256(), &self.0)
        else {
            return Vec::new();
        };
        signer.sign_oneshot_to_vec(message).unwrap_or_default()
    }
}

/// Every backend, named, with the same key where the API takes one as
/// bytes (the RustCrypto pair and ring/aws-lc-rs through PKCS#8; OpenSSL
/// generates its own).
///
/// # Panics
/// If a backend refuses the key (a broken build).
pub fn signers() -> Vec<(&'static str, Box<dyn P256Signer>)> {
    use p256::pkcs8::EncodePrivateKey;
    let secret = p256::SecretKey::from_slice(&SCALAR).expect("scalar");
    let pkcs8 = secret.to_pkcs8_der().expect("pkcs8");
    let ring_key = ring::signature::EcdsaKeyPair::from_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
        pkcs8.as_bytes(),
        &ring::rand::SystemRandom::new(),
    )
    .expect("ring key");
    let aws_key = aws_lc_rs::signature::EcdsaKeyPair::from_pkcs8(
        &aws_lc_rs::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
        pkcs8.as_bytes(),
    )
    .expect("aws-lc-rs key");
    let group =
        openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).expect("P-256");
    let openssl_key = openssl::pkey::PKey::from_ec_key(
        openssl::ec::EcKey::generate(&group).expect("openssl key"),
    )
    .expect("pkey");
    vec![
        (
            "p256_0_13",
            Box::new(P256Prev(
                p256_prev::ecdsa::SigningKey::from_slice(&SCALAR).expect("p256 0.13 key"),
            )),
        ),
        (
            "p256_0_14",
            Box::new(Zerortc(
                EcdsaSigningKey::from_pkcs8(pkcs8.as_bytes()).expect("zerortc key"),
            )),
        ),
        (
            "ring",
            Box::new(Ring(ring_key, ring::rand::SystemRandom::new())),
        ),
        (
            "aws_lc_rs",
            Box::new(AwsLc(aws_key, aws_lc_rs::rand::SystemRandom::new())),
        ),
        ("openssl", Box::new(Openssl(openssl_key))),
    ]
}

/// The other public-key steps of a handshake on other backends: ECDSA
/// P-256 verification and an X25519 key pair plus agreement. Each returns
/// something derived from the result (verification: 1 when valid).
pub type Step = Box<dyn Fn() -> usize>;

/// ECDSA P-256/SHA-256 verification of a DER signature over `message`,
/// the public key parsed from its uncompressed point on every call (as a
/// handshake parses it once per peer): `ring` (what zerortc uses, through
/// `PeerPublicKey::verify`), `aws-lc-rs`, RustCrypto `p256` 0.14.
pub fn verifiers(
    public: Vec<u8>,
    message: Vec<u8>,
    signature: Vec<u8>,
) -> Vec<(&'static str, Step)> {
    let (p1, m1, s1) = (public.clone(), message.clone(), signature.clone());
    let (p2, m2, s2) = (public.clone(), message.clone(), signature.clone());
    let (p3, m3, s3) = (public, message, signature);
    vec![
        (
            "ring",
            Box::new(move || {
                usize::from(
                    ring::signature::UnparsedPublicKey::new(
                        &ring::signature::ECDSA_P256_SHA256_ASN1,
                        &p1,
                    )
                    .verify(&m1, &s1)
                    .is_ok(),
                )
            }),
        ),
        (
            "aws_lc_rs",
            Box::new(move || {
                usize::from(
                    aws_lc_rs::signature::UnparsedPublicKey::new(
                        &aws_lc_rs::signature::ECDSA_P256_SHA256_ASN1,
                        &p2,
                    )
                    .verify(&m2, &s2)
                    .is_ok(),
                )
            }),
        ),
        (
            "p256_0_14",
            Box::new(move || {
                use p256::ecdsa::signature::Verifier;
                let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(&p3) else {
                    return 0;
                };
                let Ok(sig) = p256::ecdsa::Signature::from_der(&s3) else {
                    return 0;
                };
                usize::from(key.verify(&m3, &sig).is_ok())
            }),
        ),
    ]
}

/// An ephemeral X25519 key pair from 32 secret bytes (what a seeded RNG
/// gives) and the agreement with `peer`: `x25519-dalek` (what zerortc
/// uses, through `EcdheKeyPair`) and `aws-lc-rs`
/// (`PrivateKey::from_private_key`, which also takes the secret as bytes).
pub fn x25519(peer: [u8; 32]) -> Vec<(&'static str, Step)> {
    let secret = [0x42u8; 32];
    vec![
        (
            "x25519_dalek",
            Box::new(move || {
                let key = x25519_dalek::StaticSecret::from(secret);
                let public = x25519_dalek::PublicKey::from(&key);
                let shared = key.diffie_hellman(&x25519_dalek::PublicKey::from(peer));
                usize::from(public.as_bytes()[0] ^ shared.as_bytes()[0])
            }),
        ),
        (
            "aws_lc_rs",
            Box::new(move || {
                use aws_lc_rs::agreement;
                let Ok(key) = agreement::PrivateKey::from_private_key(&agreement::X25519, &secret)
                else {
                    return 0;
                };
                let Ok(public) = key.compute_public_key() else {
                    return 0;
                };
                let first = public.as_ref()[0];
                agreement::agree(
                    &key,
                    agreement::UnparsedPublicKey::new(&agreement::X25519, &peer),
                    aws_lc_rs::error::Unspecified,
                    |shared| Ok(usize::from(first ^ shared[0])),
                )
                .unwrap_or(0)
            }),
        ),
    ]
}

/// A seeded certificate's signer, as a DTLS handshake uses it.
pub fn zerortc_certificate_signer() -> Certificate {
    Certificate::generate_self_signed_from_seed([2; 32]).expect("certificate")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The public key of [`SCALAR`], uncompressed.
    fn public_key() -> Vec<u8> {
        use p256::elliptic_curve::sec1::ToSec1Point;
        p256::SecretKey::from_slice(&SCALAR)
            .unwrap()
            .public_key()
            .to_sec1_point(false)
            .as_bytes()
            .to_vec()
    }

    #[test]
    fn every_signature_verifies_and_only_rfc6979_repeats() {
        let message = server_key_exchange_message();
        assert_eq!(message.len(), 100);
        let mut by_name = std::collections::HashMap::new();
        for (name, signer) in signers() {
            let a = signer.sign(&message);
            let b = signer.sign(&message);
            assert!(a.len() >= 68 && a.len() <= 72, "{name}: {}", a.len());
            if name != "openssl" {
                ring::signature::UnparsedPublicKey::new(
                    &ring::signature::ECDSA_P256_SHA256_ASN1,
                    public_key(),
                )
                .verify(&message, &a)
                .unwrap_or_else(|_| panic!("{name} signature verifies"));
            }
            // RFC 6979 signs the same message with the same key the same
            // way; ring, aws-lc-rs and OpenSSL 3.0 draw fresh nonces.
            let rfc6979 = name.starts_with("p256");
            assert_eq!(a == b, rfc6979, "{name}");
            by_name.insert(name, a);
        }
        // Both RustCrypto versions compute the same RFC 6979 signature: a
        // swap keeps seeded transcripts byte for byte.
        assert_eq!(by_name["p256_0_13"], by_name["p256_0_14"]);
        for (name, verify) in verifiers(public_key(), message.clone(), by_name["ring"].clone()) {
            assert_eq!(verify(), 1, "{name}");
        }
        let mut bad = by_name["ring"].clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        for (name, verify) in verifiers(public_key(), message, bad) {
            assert_eq!(verify(), 0, "{name} refuses a bad signature");
        }
    }

    #[test]
    fn x25519_backends_agree() {
        let peer = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from([9u8; 32]));
        let results: Vec<usize> = x25519(*peer.as_bytes()).iter().map(|(_, f)| f()).collect();
        assert_eq!(results[0], results[1]);
    }
}
