//! The same DTLS 1.2 work on zerortc and str0m's DTLS crate `dimpl` 0.9,
//! side by side in one run (criterion, `--features peers`): a full
//! handshake, both sides in memory, with and without the cookie exchange,
//! and one application record sealed and opened at 1200 B and 160 B per
//! suite. Keys `peers_dtls_<op>/<impl>/<case>`, `impl` ∈ `zerortc`, `dimpl`.
//!
//! - zerortc: seeded configurations and certificates
//!   (`zerortc_benches::DtlsCertificates`), `DtlsConnection`; seal with
//!   `seal_application_data` into a caller buffer, open with
//!   `handle_read_in_place` (zero-copy).
//! - dimpl 0.9, its `rust-crypto` provider (RustCrypto AES-GCM, p256,
//!   x25519-dalek; its default provider is aws-lc-rs), DTLS 1.2 only
//!   (`Dtls::new_12`), RNG seeded (`dangerously_set_rng_seed`), one suite
//!   offered, certificates from rcgen. Seal: `send_application_data` then
//!   `poll_output` copies the record into our buffer; open: `handle_packet`
//!   then `poll_output` yields the plaintext.
//! - webrtc-rs `rtc-dtls` 0.21: not included (see `benches/README.md`).
//!
//! Open needs a fresh record each time (both implementations keep a replay
//! window): the peer's client seals it in criterion's untimed setup.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dimpl::crypto::Dtls12CipherSuite;
use dimpl::{Config, Dtls, DtlsCertificate, Output};
use zerortc::dtls::CipherSuite;
use zerortc_benches::ops::{self, DTLS_DATAGRAM_LEN, DtlsPair};
use zerortc_benches::{DTLS_SUITES, DtlsCertificates, dtls_payloads};

fn dimpl_suite(suite: CipherSuite) -> Dtls12CipherSuite {
    match suite {
        CipherSuite::EcdheEcdsaAes256GcmSha384 => Dtls12CipherSuite::ECDHE_ECDSA_AES256_GCM_SHA384,
        _ => Dtls12CipherSuite::ECDHE_ECDSA_AES128_GCM_SHA256,
    }
}

fn dimpl_certificate() -> DtlsCertificate {
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
struct DimplSetup {
    client: Arc<Config>,
    server: Arc<Config>,
    client_cert: DtlsCertificate,
    server_cert: DtlsCertificate,
}

impl DimplSetup {
    fn new(suite: CipherSuite, cookie: bool) -> Self {
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
            client_cert: dimpl_certificate(),
            server_cert: dimpl_certificate(),
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

struct DimplPair {
    client: Dtls,
    server: Dtls,
    buf: Vec<u8>,
}

/// A whole dimpl handshake; returns the pair and the bytes exchanged (0 if
/// it did not connect).
fn dimpl_handshake(setup: DimplSetup, now: Instant) -> (DimplPair, usize) {
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
                return (
                    DimplPair {
                        client,
                        server,
                        buf,
                    },
                    0,
                );
            }
        }
        server_up |= drain(&mut server, &mut buf, &mut flight).0;
        for d in flight.drain(..) {
            bytes += d.len();
            if client.handle_packet(&d).is_err() {
                return (
                    DimplPair {
                        client,
                        server,
                        buf,
                    },
                    0,
                );
            }
        }
        client_up |= drain(&mut client, &mut buf, &mut flight).0;
        if client_up && server_up {
            return (
                DimplPair {
                    client,
                    server,
                    buf,
                },
                bytes,
            );
        }
    }
    (
        DimplPair {
            client,
            server,
            buf,
        },
        0,
    )
}

/// dimpl seal: one record of `payload`, copied into `out`; its length.
fn dimpl_seal(dtls: &mut Dtls, payload: &[u8], poll_buf: &mut [u8], out: &mut [u8]) -> usize {
    if dtls.send_application_data(payload).is_err() {
        return 0;
    }
    match dtls.poll_output(poll_buf) {
        Output::Packet(p) => {
            let n = p.len().min(out.len());
            out[..n].copy_from_slice(&p[..n]);
            n
        }
        _ => 0,
    }
}

/// dimpl open: feed one record, return the plaintext length.
fn dimpl_open(dtls: &mut Dtls, record: &[u8], poll_buf: &mut [u8]) -> usize {
    if dtls.handle_packet(record).is_err() {
        return 0;
    }
    for _ in 0..4 {
        match dtls.poll_output(poll_buf) {
            Output::ApplicationData(d) => return d.len(),
            Output::Timeout(_) | Output::BufferTooSmall { .. } => return 0,
            _ => {}
        }
    }
    0
}

fn handshake(c: &mut Criterion) {
    let certs = DtlsCertificates::seeded();
    let now = Instant::now();
    let mut group = c.benchmark_group("peers_dtls_handshake");
    group.throughput(Throughput::Elements(1));
    for (suite_id, suite) in DTLS_SUITES {
        for (cookie_id, cookie) in [("no_cookie", false), ("cookie", true)] {
            let case = format!("{suite_id}_{cookie_id}");
            let (client, server) = certs.configs(suite, cookie);
            assert!(ops::dtls_handshake(client.clone(), server.clone(), now) > 0);
            group.bench_function(BenchmarkId::new("zerortc", &case), |b| {
                b.iter_batched(
                    || (client.clone(), server.clone()),
                    |(c, s)| ops::dtls_handshake(black_box(c), black_box(s), now),
                    BatchSize::SmallInput,
                )
            });
            let setup = DimplSetup::new(suite, cookie);
            assert!(dimpl_handshake(setup.clone(), now).1 > 0, "dimpl {case}");
            group.bench_function(BenchmarkId::new("dimpl", &case), |b| {
                b.iter_batched(
                    || setup.clone(),
                    |s| dimpl_handshake(black_box(s), now).1,
                    BatchSize::SmallInput,
                )
            });
        }
    }
    group.finish();
}

fn records(c: &mut Criterion) {
    let certs = DtlsCertificates::seeded();
    let now = Instant::now();
    for (suite_id, suite) in DTLS_SUITES {
        let mut ours = DtlsPair::connected(&certs, suite);
        let (mut theirs, bytes) = dimpl_handshake(DimplSetup::new(suite, false), now);
        assert!(bytes > 0, "dimpl connects");
        let mut poll_buf = vec![0u8; 2048];
        for (size_id, payload) in dtls_payloads() {
            let case = format!("{suite_id}_{size_id}");
            let mut out = vec![0u8; DTLS_DATAGRAM_LEN + 64];
            // Same record size on both (header, explicit nonce, tag).
            let ours_len = ops::dtls_seal(&mut ours.client, &payload, &mut out);
            let theirs_len = dimpl_seal(&mut theirs.client, &payload, &mut poll_buf, &mut out);
            assert_eq!(ours_len, theirs_len, "{case}");
            assert_eq!(
                dimpl_open(&mut theirs.server, &out[..theirs_len], &mut theirs.buf),
                payload.len()
            );

            let mut group = c.benchmark_group("peers_dtls_seal");
            group.throughput(Throughput::Bytes(payload.len() as u64));
            group.bench_function(BenchmarkId::new("zerortc", &case), |b| {
                b.iter(|| ops::dtls_seal(&mut ours.client, black_box(&payload), &mut out))
            });
            group.bench_function(BenchmarkId::new("dimpl", &case), |b| {
                b.iter(|| {
                    dimpl_seal(
                        &mut theirs.client,
                        black_box(&payload),
                        &mut poll_buf,
                        &mut out,
                    )
                })
            });
            group.finish();

            let mut group = c.benchmark_group("peers_dtls_open");
            group.throughput(Throughput::Bytes(payload.len() as u64));
            {
                let DtlsPair {
                    client,
                    server,
                    now,
                } = &mut ours;
                group.bench_function(BenchmarkId::new("zerortc", &case), |b| {
                    b.iter_batched_ref(
                        || {
                            let mut d = vec![0u8; DTLS_DATAGRAM_LEN];
                            let n = ops::dtls_seal(client, &payload, &mut d);
                            d.truncate(n);
                            d
                        },
                        |d| ops::dtls_open(server, *now, black_box(d)),
                        BatchSize::SmallInput,
                    )
                });
            }
            {
                let DimplPair {
                    client,
                    server,
                    buf,
                } = &mut theirs;
                group.bench_function(BenchmarkId::new("dimpl", &case), |b| {
                    b.iter_batched_ref(
                        || {
                            let mut d = vec![0u8; DTLS_DATAGRAM_LEN + 64];
                            let n = dimpl_seal(client, &payload, &mut poll_buf, &mut d);
                            d.truncate(n);
                            d
                        },
                        |d| dimpl_open(server, black_box(d), buf),
                        BatchSize::SmallInput,
                    )
                });
            }
            group.finish();
        }
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group!(name = benches; config = config(); targets = handshake, records);
criterion_main!(benches);
