//! DTLS 1.2 inputs: seeded certificates and configurations, so every lab
//! tool runs the same, byte-for-byte reproducible handshake
//! (`DtlsConfig::rng_seed`, certificates from fixed seeds, RFC 6979
//! signatures).

use std::sync::Arc;

use zerortc::crypto::{Certificate, FingerprintAlgorithm};
use zerortc::dtls::{CipherSuite, DtlsConfig};

/// The cipher suites measured (the ECDSA ones: we sign with ECDSA P-256
/// only, so TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 needs an RSA peer).
pub const DTLS_SUITES: [(&str, CipherSuite); 2] = [
    ("aes128gcm", CipherSuite::EcdheEcdsaAes128GcmSha256),
    ("aes256gcm", CipherSuite::EcdheEcdsaAes256GcmSha384),
];

/// Application record payloads: a 1200-byte media-sized and a 160-byte
/// audio-sized message (SCTP chunks over DTLS have the same sizes).
pub fn dtls_payloads() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("1200", (0..1200u32).map(|i| (i * 7) as u8).collect()),
        ("160", (0..160u32).map(|i| (i * 13) as u8).collect()),
    ]
}

/// The two certificates of a handshake, generated once from fixed seeds
/// (certificate generation is not part of the measured handshake).
#[derive(Debug, Clone)]
pub struct DtlsCertificates {
    /// The client's certificate.
    pub client: Arc<Certificate>,
    /// The server's certificate.
    pub server: Arc<Certificate>,
}

impl DtlsCertificates {
    /// Certificates from seeds `[1; 32]` (client) and `[2; 32]` (server).
    pub fn seeded() -> Self {
        let make = |seed| {
            Arc::new(
                Certificate::generate_self_signed_from_seed(seed).expect("certificate from a seed"),
            )
        };
        Self {
            client: make([1; 32]),
            server: make([2; 32]),
        }
    }

    /// Client and server configurations: each checks the other's SHA-256
    /// fingerprint, seeded RNGs (`[3; 32]`, `[4; 32]`), the client offers
    /// only `suite`, the server does the cookie exchange when `cookie`.
    pub fn configs(&self, suite: CipherSuite, cookie: bool) -> (DtlsConfig, DtlsConfig) {
        let mut client = DtlsConfig::new(
            self.client.clone(),
            Some(self.server.fingerprint(FingerprintAlgorithm::Sha256)),
        );
        client.cipher_suites = vec![suite];
        client.rng_seed = Some([3; 32]);
        let mut server = DtlsConfig::new(
            self.server.clone(),
            Some(self.client.fingerprint(FingerprintAlgorithm::Sha256)),
        );
        server.cookie_exchange = cookie;
        server.rng_seed = Some([4; 32]);
        (client, server)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::ops::{DTLS_DATAGRAM_LEN, DtlsPair, dtls_handshake, dtls_open, dtls_seal};

    #[test]
    fn handshakes_connect_and_are_reproducible() {
        let certs = DtlsCertificates::seeded();
        let now = Instant::now();
        for (_, suite) in DTLS_SUITES {
            for cookie in [false, true] {
                let (c, s) = certs.configs(suite, cookie);
                let bytes = dtls_handshake(c.clone(), s.clone(), now);
                assert!(bytes > 1000, "{suite:?} cookie {cookie}: {bytes}");
                assert_eq!(dtls_handshake(c, s, now), bytes);
            }
        }
    }

    #[test]
    fn records_seal_and_open_every_payload() {
        let certs = DtlsCertificates::seeded();
        for (_, suite) in DTLS_SUITES {
            let mut pair = DtlsPair::connected(&certs, suite);
            for (_, payload) in dtls_payloads() {
                let mut out = [0u8; DTLS_DATAGRAM_LEN];
                let n = dtls_seal(&mut pair.client, &payload, &mut out);
                // header 13 + explicit nonce 8 + tag 16
                assert_eq!(n, payload.len() + 37);
                let mut copy = out;
                assert_eq!(
                    dtls_open(&mut pair.server, pair.now, &mut out[..n]),
                    payload.len()
                );
                assert_eq!(&out[13 + 8..13 + 8 + payload.len()], payload.as_slice());
                // A replayed record is refused (0), not opened twice.
                assert_eq!(dtls_open(&mut pair.server, pair.now, &mut copy[..n]), 0);
            }
        }
    }
}
