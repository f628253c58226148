//! str0m's DTLS crate `dimpl` 0.9: its `rust-crypto` provider (RustCrypto
//! AES-GCM, p256, x25519-dalek; its default provider is aws-lc-rs), DTLS 1.2
//! only (`Dtls::new_12`), RNG seeded (`dangerously_set_rng_seed`), one suite
//! offered, certificates from rcgen. Seal: `send_application_data`, then
//! `poll_output` copies the record into our buffer; open: `handle_packet`,
//! then `poll_output` yields the plaintext.

use std::sync::Arc;
use std::time::Instant;

use dimpl::crypto::Dtls12CipherSuite;
use dimpl::{Config, Dtls, DtlsCertificate, Output};
use zerortc::dtls::CipherSuite;

fn dimpl_suite(suite: CipherSuite) -> Dtls12CipherSuite {
    match suite {
        CipherSuite::EcdheEcdsaAes256GcmSha384 => Dtls12CipherSuite::ECDHE_ECDSA_AES256_GCM_SHA384,
        _ => Dtls12CipherSuite::ECDHE_ECDSA_AES128_GCM_SHA256,
    }
}

fn certificate() -> DtlsCertificate {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("key");
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "dimpl");
    let cert = params.self_signed(&key).expect("certificate");
    DtlsCertificate {
        certificate: cert.der().to_vec(),
        private_key: key.serialize_der(),
    }
}

/// What dimpl needs to start a handshake: configurations and certificates.
#[derive(Clone)]
pub struct DimplSetup {
    client: Arc<Config>,
    server: Arc<Config>,
    client_cert: DtlsCertificate,
    server_cert: DtlsCertificate,
}

impl DimplSetup {
    /// Configurations offering only `suite`, the server's cookie exchange
    /// on or off, seeded RNGs.
    pub fn new(suite: CipherSuite, cookie: bool) -> Self {
        let config = |seed| {
            Arc::new(
                Config::builder()
                    .dtls12_cipher_suites(&[dimpl_suite(suite)])
                    .use_server_cookie(cookie)
                    .dangerously_set_rng_seed(seed)
                    .build()
                    .expect("dimpl config"),
            )
        };
        Self {
            client: config(3),
            server: config(4),
            client_cert: certificate(),
            server_cert: certificate(),
        }
    }
}

/// Drains `dtls`: datagrams into `out`, returns whether it reported
/// `Connected` and the plaintext length of any application data.
fn drain(dtls: &mut Dtls, buf: &mut [u8], out: &mut Vec<Vec<u8>>) -> (bool, usize) {
    let mut connected = false;
    let mut data = 0;
    for _ in 0..64 {
        match dtls.poll_output(buf) {
            Output::Packet(p) => out.push(p.to_vec()),
            Output::Connected => connected = true,
            Output::ApplicationData(d) => data += d.len(),
            Output::Timeout(_) | Output::BufferTooSmall { .. } => break,
            _ => {}
        }
    }
    (connected, data)
}

/// A dimpl client and server.
pub struct DimplPair {
    client: Dtls,
    server: Dtls,
    buf: Vec<u8>,
    poll_buf: Vec<u8>,
}

impl DimplPair {
    fn new(client: Dtls, server: Dtls, buf: Vec<u8>) -> Self {
        Self {
            client,
            server,
            buf,
            poll_buf: vec![0u8; 2048],
        }
    }

    /// Seal: one record of `payload` from the client, copied into `out`;
    /// its length (0 on error).
    pub fn seal(&mut self, payload: &[u8], out: &mut [u8]) -> usize {
        if self.client.send_application_data(payload).is_err() {
            return 0;
        }
        match self.client.poll_output(&mut self.poll_buf) {
            Output::Packet(p) => {
                let n = p.len().min(out.len());
                out[..n].copy_from_slice(&p[..n]);
                n
            }
            _ => 0,
        }
    }

    /// Open: the server takes one record, returns the plaintext length.
    pub fn open(&mut self, record: &[u8]) -> usize {
        if self.server.handle_packet(record).is_err() {
            return 0;
        }
        for _ in 0..4 {
            match self.server.poll_output(&mut self.buf) {
                Output::ApplicationData(d) => return d.len(),
                Output::Timeout(_) | Output::BufferTooSmall { .. } => return 0,
                _ => {}
            }
        }
        0
    }
}

/// A whole dimpl handshake; returns the pair and the bytes exchanged (0 if
/// it did not connect).
pub fn dimpl_handshake(setup: DimplSetup, now: Instant) -> (DimplPair, usize) {
    let mut client = Dtls::new_12(setup.client, setup.client_cert, now);
    client.set_active(true);
    let mut server = Dtls::new_12(setup.server, setup.server_cert, now);
    let mut buf = vec![0u8; 2048];
    // dimpl draws its hello random in handle_timeout (its example calls
    // it before every packet): both sides get one before the first datagram.
    let _ = client.handle_timeout(now);
    let _ = server.handle_timeout(now);
    let (mut client_up, mut server_up) = (false, false);
    let mut bytes = 0;
    let mut flight = Vec::new();
    for _ in 0..8 {
        client_up |= drain(&mut client, &mut buf, &mut flight).0;
        for d in flight.drain(..) {
            bytes += d.len();
            if server.handle_packet(&d).is_err() {
                return (DimplPair::new(client, server, buf), 0);
            }
        }
        server_up |= drain(&mut server, &mut buf, &mut flight).0;
        for d in flight.drain(..) {
            bytes += d.len();
            if client.handle_packet(&d).is_err() {
                return (DimplPair::new(client, server, buf), 0);
            }
        }
        client_up |= drain(&mut client, &mut buf, &mut flight).0;
        if client_up && server_up {
            return (DimplPair::new(client, server, buf), bytes);
        }
    }
    (DimplPair::new(client, server, buf), 0)
}
