//! Wall clock of DTLS 1.2 (criterion): a full handshake, both sides in
//! memory, with and without the cookie exchange (`dtls_handshake/<suite>/
//! {cookie,no_cookie}`, time per handshake), and application records sealed
//! and opened at 1200 B and 160 B per suite (`dtls_seal/<suite>/<size>`,
//! `dtls_open/<suite>/<size>`, bytes/s of payload). Seeded connections and
//! certificates: every run does the same work on the same bytes. Reported,
//! never gated.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc_benches::ops::{self, DTLS_DATAGRAM_LEN, DtlsPair};
use zerortc_benches::{DTLS_SUITES, DtlsCertificates, dtls_payloads};

fn handshake(c: &mut Criterion) {
    let certs = DtlsCertificates::seeded();
    let now = Instant::now();
    let mut group = c.benchmark_group("dtls_handshake");
    group.throughput(Throughput::Elements(1));
    for (suite_id, suite) in DTLS_SUITES {
        for (cookie_id, cookie) in [("no_cookie", false), ("cookie", true)] {
            let (client, server) = certs.configs(suite, cookie);
            group.bench_function(BenchmarkId::new(suite_id, cookie_id), |b| {
                b.iter_batched(
                    || (client.clone(), server.clone()),
                    |(c, s)| ops::dtls_handshake(black_box(c), black_box(s), now),
                    BatchSize::SmallInput,
                )
            });
        }
    }
    group.finish();
}

fn records(c: &mut Criterion) {
    let certs = DtlsCertificates::seeded();
    for (suite_id, suite) in DTLS_SUITES {
        let mut pair = DtlsPair::connected(&certs, suite);
        for (size_id, payload) in dtls_payloads() {
            let id = BenchmarkId::new(suite_id, size_id);
            let mut out = vec![0u8; DTLS_DATAGRAM_LEN];
            let mut group = c.benchmark_group("dtls_seal");
            group.throughput(Throughput::Bytes(payload.len() as u64));
            group.bench_function(id.clone(), |b| {
                b.iter(|| ops::dtls_seal(&mut pair.client, black_box(&payload), &mut out))
            });
            group.finish();
            // Open needs a fresh record each time (the replay window refuses
            // a repeat): the client seals it in the untimed setup.
            let mut group = c.benchmark_group("dtls_open");
            group.throughput(Throughput::Bytes(payload.len() as u64));
            let DtlsPair {
                client,
                server,
                now,
            } = &mut pair;
            group.bench_function(id, |b| {
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
            group.finish();
        }
    }
}

fn config() -> Criterion {
    // Short defaults (command-line flags still override them): the figures
    // are reported, not gated, and the machine is shared.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group!(name = benches; config = config(); targets = handshake, records);
criterion_main!(benches);
