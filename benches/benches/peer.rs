//! Wall clock of the whole peer connection (criterion): two
//! `RTCPeerConnection`s back to back in memory on one core
//! ([`PeerPair`]), every datagram from one `poll_write` into the other's
//! `handle_read`, virtual clock.
//!
//! - `peer_setup/<what>`: CPU time from `new` to connected — both
//!   connections created (certificates made beforehand), offer, answer,
//!   ICE checks, DTLS handshake, SCTP handshake and DCEP for `data`, the
//!   video m-line for `media` (issue goal: at most 3 ms);
//! - `peer_datachannel/<size>` in bytes/s: reliable ordered messages of 64
//!   B to 64 KiB through SCTP, DTLS and the demultiplexer, SACKs back;
//! - `peer_messages/64` in messages/s;
//! - `peer_latency/1024`: one 1 KiB message from `send` on A to its event
//!   on B (the acknowledgement traffic it causes is run outside the
//!   measurement); percentiles p50/p99/p99.9 of 20 000 single sends are
//!   printed after the criterion run (`peer_latency_1024 p50 ...`);
//! - `peer_rtp/1000` in packets/s: RTP with 1000 bytes of payload written
//!   on A's sender (mid extension, SRTP AEAD_AES_128_GCM... as negotiated)
//!   and delivered to B's receiver.
//!
//! Reported, never gated (see `shared/LAB.md`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use zerortc_benches::ops::{PeerCertificates, PeerPair, PeerSetup, SCTP_SIZES};

fn certs() -> PeerCertificates {
    PeerCertificates::new().expect("certificates")
}

fn pair(data: bool, media: bool) -> PeerPair {
    PeerPair::connect(
        PeerSetup {
            data,
            media,
            seed: 42,
        },
        &certs(),
    )
    .expect("pair connects")
}

fn setup(c: &mut Criterion) {
    let certs = certs();
    let mut group = c.benchmark_group("peer_setup");
    for (id, data, media) in [
        ("data", true, false),
        ("media", false, true),
        ("data_media", true, true),
    ] {
        group.bench_function(id, |b| {
            b.iter(|| {
                black_box(
                    PeerPair::connect(
                        PeerSetup {
                            data,
                            media,
                            seed: 42,
                        },
                        &certs,
                    )
                    .expect("pair connects"),
                )
            })
        });
    }
    group.finish();
}

/// Messages per iteration: about 1 MiB of payload, at most 1000 messages.
fn batch(size: usize) -> u64 {
    ((1024 * 1024 / size) as u64).clamp(1, 1000)
}

fn datachannel(c: &mut Criterion) {
    let mut group = c.benchmark_group("peer_datachannel");
    for (id, size) in SCTP_SIZES {
        let n = batch(size);
        let mut pair = pair(true, false);
        pair.set_message_size(size);
        pair.transfer(200).expect("warm-up");
        group.throughput(Throughput::Bytes(n * size as u64));
        group.bench_function(BenchmarkId::from_parameter(id), |b| {
            b.iter(|| black_box(pair.transfer(black_box(n)).expect("transfer")))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("peer_messages");
    let n = batch(64);
    let mut pair = pair(true, false);
    pair.set_message_size(64);
    pair.transfer(200).expect("warm-up");
    group.throughput(Throughput::Elements(n));
    group.bench_function("64", |b| {
        b.iter(|| black_box(pair.transfer(black_box(n)).expect("transfer")))
    });
    group.finish();
}

fn latency(c: &mut Criterion) {
    let mut group = c.benchmark_group("peer_latency");
    let mut pair = pair(true, false);
    pair.set_message_size(1024);
    pair.transfer(200).expect("warm-up");
    group.bench_function("1024", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                pair.one_way().expect("one_way");
                total += start.elapsed();
                pair.settle();
            }
            total
        })
    });
    group.finish();
}

fn rtp(c: &mut Criterion) {
    let mut group = c.benchmark_group("peer_rtp");
    let mut pair = pair(false, true);
    pair.set_rtp_payload(1000);
    pair.send_rtp(500).expect("warm-up");
    let n = 100;
    group.throughput(Throughput::Elements(n));
    group.bench_function("1000", |b| {
        b.iter(|| black_box(pair.send_rtp(black_box(n)).expect("send_rtp")))
    });
    group.finish();
}

/// p50 / p99 / p99.9 of single 1 KiB sends (criterion reports batch
/// statistics only).
fn latency_percentiles() {
    let mut pair = pair(true, false);
    pair.set_message_size(1024);
    pair.transfer(1000).expect("warm-up");
    let mut samples: Vec<Duration> = (0..20_000)
        .map(|_| {
            let start = Instant::now();
            pair.one_way().expect("one_way");
            let d = start.elapsed();
            pair.settle();
            d
        })
        .collect();
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    println!(
        "peer_latency_1024 p50 {:.2} us p99 {:.2} us p99.9 {:.2} us (20000 sends)",
        at(0.5).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
        at(0.999).as_secs_f64() * 1e6
    );
}

fn config() -> Criterion {
    // Short defaults (command-line flags still override them): the figures
    // are reported, not gated, and the machine is shared.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group!(name = benches; config = config(); targets = setup, datachannel, latency, rtp);

fn main() {
    benches();
    if !std::env::args().any(|a| a == "--list") {
        latency_percentiles();
    }
    Criterion::default().configure_from_args().final_summary();
}
