//! The same DTLS 1.2 work on zerortc and three other implementations, side
//! by side in one run (criterion, `--features peers`): a full handshake,
//! both sides in memory, with and without the cookie exchange, and one
//! application record sealed and opened at 1200 B and 160 B per suite.
//! Keys `peers_dtls_<op>/<impl>/<case>`, `impl` ∈ `zerortc`, `dimpl`,
//! `rtc`, `openssl`; each case measures its implementations one after the
//! other so they share the machine's load.
//!
//! - zerortc: seeded configurations and certificates
//!   (`zerortc_benches::DtlsCertificates`), `DtlsConnection`; seal with
//!   `seal_application_data` into a caller buffer, open with
//!   `handle_read_in_place` (zero-copy).
//! - `dimpl` 0.9 (str0m's DTLS), webrtc-rs `rtc-dtls` 0.21 and OpenSSL via
//!   the `openssl` crate: how each is configured and driven is in
//!   `zerortc_benches::peers_dtls` (`dimpl`, `rtc`, `openssl` modules).
//!   rtc-dtls has no AES-256-GCM suite and always does the cookie
//!   exchange, so it appears in `aes128gcm_cookie` and the aes128gcm
//!   record cases only.
//!
//! Open needs a fresh record each time (every implementation keeps a replay
//! window): the pair's client seals batches of 256 records untimed, then
//! the server opens them in order, timed (`iter_custom`). The record
//! benches call every implementation through one `dyn RecordPair` call,
//! the same indirection for all.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc::dtls::CipherSuite;
use zerortc_benches::ops::{self, DTLS_DATAGRAM_LEN, DtlsPair};
use zerortc_benches::peers_dtls::{
    DimplPair, DimplSetup, OpensslPair, OpensslSetup, RtcPair, RtcSetup, dimpl_handshake,
    openssl_handshake, rtc_handshake,
};
use zerortc_benches::{DTLS_SUITES, DtlsCertificates, dtls_payloads};

fn handshake(c: &mut Criterion) {
    let certs = DtlsCertificates::seeded();
    let now = Instant::now();
    let rtc = RtcSetup::new();
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
            if suite == CipherSuite::EcdheEcdsaAes128GcmSha256 && cookie {
                assert!(rtc_handshake(&rtc, now).1 > 0, "rtc {case}");
                group.bench_function(BenchmarkId::new("rtc", &case), |b| {
                    b.iter(|| rtc_handshake(black_box(&rtc), now).1)
                });
            }
            let setup = OpensslSetup::new(suite, cookie);
            assert!(openssl_handshake(&setup).is_some(), "openssl {case}");
            group.bench_function(BenchmarkId::new("openssl", &case), |b| {
                b.iter(|| openssl_handshake(black_box(&setup)).map(|(_, bytes)| bytes))
            });
        }
    }
    group.finish();
}

/// One implementation's connected pair, as the record benches use it.
trait RecordPair {
    /// Seals `payload` from the client into `out`; the record length.
    fn seal(&mut self, payload: &[u8], out: &mut [u8]) -> usize;
    /// The server opens `record`; the plaintext length.
    fn open(&mut self, record: &mut [u8]) -> usize;
}

impl RecordPair for DtlsPair {
    fn seal(&mut self, payload: &[u8], out: &mut [u8]) -> usize {
        ops::dtls_seal(&mut self.client, payload, out)
    }
    fn open(&mut self, record: &mut [u8]) -> usize {
        ops::dtls_open(&mut self.server, self.now, record)
    }
}

impl RecordPair for DimplPair {
    fn seal(&mut self, payload: &[u8], out: &mut [u8]) -> usize {
        DimplPair::seal(self, payload, out)
    }
    fn open(&mut self, record: &mut [u8]) -> usize {
        DimplPair::open(self, record)
    }
}

impl RecordPair for RtcPair {
    fn seal(&mut self, payload: &[u8], out: &mut [u8]) -> usize {
        RtcPair::seal(self, payload, out)
    }
    fn open(&mut self, record: &mut [u8]) -> usize {
        RtcPair::open(self, record)
    }
}

impl RecordPair for OpensslPair {
    fn seal(&mut self, payload: &[u8], out: &mut [u8]) -> usize {
        OpensslPair::seal(self, payload, out)
    }
    fn open(&mut self, record: &mut [u8]) -> usize {
        OpensslPair::open(self, record)
    }
}

/// Records opened per untimed sealing batch.
const OPEN_BATCH: u64 = 256;

/// Times `open` only: records are sealed in untimed batches of
/// [`OPEN_BATCH`], then opened one after the other (in order, so every
/// replay window takes them).
fn bench_open(b: &mut criterion::Bencher<'_>, pair: &mut dyn RecordPair, payload: &[u8]) {
    b.iter_custom(|iters| {
        let mut total = Duration::ZERO;
        let mut left = iters;
        while left > 0 {
            let n = left.min(OPEN_BATCH);
            let mut records: Vec<Vec<u8>> = (0..n)
                .map(|_| {
                    let mut d = vec![0u8; DTLS_DATAGRAM_LEN + 64];
                    let len = pair.seal(payload, &mut d);
                    d.truncate(len);
                    d
                })
                .collect();
            let start = Instant::now();
            for r in &mut records {
                black_box(pair.open(black_box(r)));
            }
            total += start.elapsed();
            left -= n;
        }
        total
    })
}

fn records(c: &mut Criterion) {
    let certs = DtlsCertificates::seeded();
    let now = Instant::now();
    let rtc_setup = RtcSetup::new();
    for (suite_id, suite) in DTLS_SUITES {
        let (dimpl, bytes) = dimpl_handshake(DimplSetup::new(suite, false), now);
        assert!(bytes > 0, "dimpl connects");
        let (openssl, _) = openssl_handshake(&OpensslSetup::new(suite, false)).expect("openssl");
        let mut pairs: Vec<(&str, Box<dyn RecordPair>)> = vec![
            ("zerortc", Box::new(DtlsPair::connected(&certs, suite))),
            ("dimpl", Box::new(dimpl)),
        ];
        if suite == CipherSuite::EcdheEcdsaAes128GcmSha256 {
            let (rtc, bytes) = rtc_handshake(&rtc_setup, now);
            assert!(bytes > 0, "rtc connects");
            pairs.push(("rtc", Box::new(rtc)));
        }
        pairs.push(("openssl", Box::new(openssl)));
        for (size_id, payload) in dtls_payloads() {
            let case = format!("{suite_id}_{size_id}");
            let mut out = vec![0u8; DTLS_DATAGRAM_LEN + 64];
            // Same record size everywhere (header, explicit nonce, tag),
            // and every record opens to the payload.
            for (name, pair) in &mut pairs {
                let n = pair.seal(&payload, &mut out);
                assert_eq!(n, payload.len() + 37, "{name} {case}");
                assert_eq!(pair.open(&mut out[..n]), payload.len(), "{name} {case}");
            }

            let mut group = c.benchmark_group("peers_dtls_seal");
            group.throughput(Throughput::Bytes(payload.len() as u64));
            for (name, pair) in &mut pairs {
                group.bench_function(BenchmarkId::new(*name, &case), |b| {
                    b.iter(|| pair.seal(black_box(&payload), &mut out))
                });
            }
            group.finish();

            let mut group = c.benchmark_group("peers_dtls_open");
            group.throughput(Throughput::Bytes(payload.len() as u64));
            for (name, pair) in &mut pairs {
                group.bench_function(BenchmarkId::new(*name, &case), |b| {
                    bench_open(b, pair.as_mut(), &payload)
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
