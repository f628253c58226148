//! webrtc-rs `rtc-dtls` 0.21 (sans-I/O), configured as webrtc-rs's peer
//! connection configures it: ECDSA P-256 certificates (rcgen, keys
//! imported into its `ring` crypto provider), extended master secret
//! required, client certificate required, no CA chain check
//! (`insecure_skip_verify`) but the peer's SHA-256 fingerprint checked in
//! `verify_peer_certificate` (with zerortc's [`Fingerprint`], the same work
//! as ours), `use_srtp` with the four profiles. Driven through its
//! documented entry point, one [`Endpoint`] per side keyed by the peer's
//! address. It offers only TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 of our
//! two suites (no AES-256-GCM), its server always does the cookie exchange
//! (HelloVerifyRequest), and its client offers P-256 before X25519, so the
//! handshake agrees on P-256 (ours on X25519). Its RNG is the provider's
//! (not seedable).
//!
//! Seal: `Endpoint::write` (queues a record in a new `BytesMut`), then
//! `poll_transmit` hands it out; we copy it into our buffer. Open:
//! `Endpoint::read` with the record in a `BytesMut`, the plaintext comes
//! back in an `EndpointEvent::ApplicationData`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::BytesMut;
use rtc_dtls::cipher_suite::CipherSuiteId;
use rtc_dtls::config::{
    ClientAuthType, ConfigBuilder, ExtendedMasterSecretType, HandshakeConfig,
    VerifyPeerCertificateFn,
};
use rtc_dtls::crypto::Certificate;
use rtc_dtls::crypto_provider::RTCCryptoProvider;
use rtc_dtls::crypto_provider::providers::RingProvider;
use rtc_dtls::endpoint::{Endpoint, EndpointEvent};
use rtc_dtls::extension::extension_use_srtp::SrtpProtectionProfile;
use rtc_shared::TransportProtocol;
use zerortc::crypto::{Fingerprint, FingerprintAlgorithm};

const CLIENT: &str = "127.0.0.1:5000";
const SERVER: &str = "127.0.0.1:5001";

fn addr(s: &str) -> SocketAddr {
    s.parse().expect("address")
}

/// Configurations for both sides, built once (as an application builds
/// them once per peer connection).
#[derive(Clone)]
pub struct RtcSetup {
    client: Arc<HandshakeConfig>,
    server: Arc<HandshakeConfig>,
}

fn config(
    provider: &Arc<dyn RTCCryptoProvider>,
    ours: Certificate,
    theirs: &Certificate,
    is_client: bool,
    remote: SocketAddr,
) -> Arc<HandshakeConfig> {
    let expected =
        Fingerprint::of_der(FingerprintAlgorithm::Sha256, theirs.certificate[0].as_ref());
    let verify: VerifyPeerCertificateFn =
        Arc::new(move |certs: &[Vec<u8>], _: &[_]| match certs.first() {
            Some(der) if expected.matches(der) => Ok(()),
            _ => Err(rtc_shared::error::Error::Other(
                "fingerprint mismatch".into(),
            )),
        });
    let builder = ConfigBuilder::default()
        .with_crypto_provider(provider.clone())
        .with_certificates(vec![ours])
        .with_cipher_suites(vec![CipherSuiteId::Tls_Ecdhe_Ecdsa_With_Aes_128_Gcm_Sha256])
        .with_srtp_protection_profiles(vec![
            SrtpProtectionProfile::Srtp_Aead_Aes_128_Gcm,
            SrtpProtectionProfile::Srtp_Aead_Aes_256_Gcm,
            SrtpProtectionProfile::Srtp_Aes128_Cm_Hmac_Sha1_80,
            SrtpProtectionProfile::Srtp_Aes128_Cm_Hmac_Sha1_32,
        ])
        .with_extended_master_secret(ExtendedMasterSecretType::Require)
        .with_client_auth(ClientAuthType::RequireAnyClientCert)
        .with_insecure_skip_verify(true)
        .with_verify_peer_certificate(Some(verify));
    Arc::new(
        builder
            .build(is_client, Some(remote))
            .expect("rtc-dtls config"),
    )
}

impl RtcSetup {
    /// Certificates and configurations for both sides.
    pub fn new() -> Self {
        let provider: Arc<dyn RTCCryptoProvider> = Arc::new(RingProvider::default());
        let cert = || {
            Certificate::generate_self_signed_with_alg(
                vec!["rtc".to_owned()],
                &rcgen::PKCS_ECDSA_P256_SHA256,
                provider.crypto(),
            )
            .expect("rtc-dtls certificate")
        };
        let (client_cert, server_cert) = (cert(), cert());
        Self {
            client: config(
                &provider,
                client_cert.clone(),
                &server_cert,
                true,
                addr(SERVER),
            ),
            server: config(&provider, server_cert, &client_cert, false, addr(CLIENT)),
        }
    }
}

impl Default for RtcSetup {
    fn default() -> Self {
        Self::new()
    }
}

/// Two connected rtc-dtls endpoints.
pub struct RtcPair {
    client: Endpoint,
    server: Endpoint,
    now: Instant,
}

/// Moves every queued datagram from `from` to `to`; returns the bytes
/// moved, whether `to` completed its handshake, and `None` on an error.
fn deliver(
    from: &mut Endpoint,
    to: &mut Endpoint,
    from_addr: SocketAddr,
    now: Instant,
) -> Option<(usize, bool)> {
    let mut bytes = 0;
    let mut complete = false;
    while let Some(t) = from.poll_transmit() {
        bytes += t.message.len();
        let events = to.read(now, from_addr, None, t.message).ok()?;
        complete |= events
            .iter()
            .any(|e| matches!(e, EndpointEvent::HandshakeComplete));
    }
    Some((bytes, complete))
}

/// A whole rtc-dtls handshake, both sides in memory, datagrams handed over
/// at once, then the SRTP keying material exported on both sides (as
/// zerortc's handshake does). Returns the pair and the bytes exchanged (0
/// if it did not connect).
pub fn rtc_handshake(setup: &RtcSetup, now: Instant) -> (RtcPair, usize) {
    let mut client = Endpoint::new(addr(CLIENT), TransportProtocol::UDP, None);
    let mut server = Endpoint::new(
        addr(SERVER),
        TransportProtocol::UDP,
        Some(setup.server.clone()),
    );
    let pair = |client, server| RtcPair {
        client,
        server,
        now,
    };
    if client
        .connect(now, addr(SERVER), setup.client.clone(), None)
        .is_err()
    {
        return (pair(client, server), 0);
    }
    let (mut bytes, mut client_up, mut server_up) = (0, false, false);
    for _ in 0..8 {
        let Some((b, up)) = deliver(&mut client, &mut server, addr(CLIENT), now) else {
            return (pair(client, server), 0);
        };
        bytes += b;
        server_up |= up;
        let Some((b, up)) = deliver(&mut server, &mut client, addr(SERVER), now) else {
            return (pair(client, server), 0);
        };
        bytes += b;
        client_up |= up;
        if client_up && server_up {
            let keying = |ep: &Endpoint, remote| {
                ep.get_connection_state(addr(remote))
                    .and_then(|s| {
                        s.export_keying_material("EXTRACTOR-dtls_srtp", &[], 56)
                            .ok()
                    })
                    .map(|k| k.len())
            };
            if keying(&client, SERVER) == Some(56) && keying(&server, CLIENT) == Some(56) {
                return (pair(client, server), bytes);
            }
            return (pair(client, server), 0);
        }
    }
    (pair(client, server), 0)
}

impl RtcPair {
    /// Seal: one record of `payload` from the client, copied into `out`;
    /// its length (0 on error).
    pub fn seal(&mut self, payload: &[u8], out: &mut [u8]) -> usize {
        if self.client.write(self.now, addr(SERVER), payload).is_err() {
            return 0;
        }
        match self.client.poll_transmit() {
            Some(t) => {
                let n = t.message.len().min(out.len());
                out[..n].copy_from_slice(&t.message[..n]);
                n
            }
            None => 0,
        }
    }

    /// Open: the server reads one record, returns the plaintext length.
    pub fn open(&mut self, record: &[u8]) -> usize {
        match self
            .server
            .read(self.now, addr(CLIENT), None, BytesMut::from(record))
        {
            Ok(events) => events
                .iter()
                .map(|e| match e {
                    EndpointEvent::ApplicationData(d) => d.len(),
                    _ => 0,
                })
                .sum(),
            Err(_) => 0,
        }
    }
}
