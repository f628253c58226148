//! Wall clock of SCTP alone (criterion): two associations back to back in
//! memory on one core ([`SctpPair`]), default WebRTC settings (1200-byte
//! packets, CRC32c), a batch of messages sent by A and delivered by B
//! (SACKs flowing back) per iteration.
//!
//! - `sctp_<channel>/<size>` in bytes/s for `reliable_ordered`,
//!   `reliable_unordered` and `unreliable` (unordered, maxRetransmits 0) at
//!   64 B, 1 KiB, 16 KiB and 64 KiB;
//! - `sctp_messages/<channel>` in messages/s at 64 B;
//! - `sctp_dtls_<channel>/<size>` and `sctp_dtls_messages/<channel>`: the
//!   same with every SCTP packet carried in a DTLS 1.2 AES-128-GCM
//!   application record (RFC 8261; sealed by A's DTLS connection, opened
//!   in place by B's, SACKs back the same way) and RFC 9653 zero checksum
//!   negotiated, as over DTLS in WebRTC (`ops::sctp_over_dtls`).
//!
//! Reported, never gated (see `shared/LAB.md`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc::dtls::CipherSuite;
use zerortc_benches::ops::{SCTP_SIZES, SctpChannel, SctpPair, sctp_over_dtls};

/// Messages per iteration: about 1 MiB of payload, at most 1000 messages.
fn batch(size: usize) -> u64 {
    ((1024 * 1024 / size) as u64).clamp(1, 1000)
}

fn throughput(c: &mut Criterion) {
    for channel in SctpChannel::ALL {
        let mut group = c.benchmark_group(format!("sctp_{}", channel.id()));
        for (id, size) in SCTP_SIZES {
            let n = batch(size);
            let mut pair = SctpPair::established(channel, size).expect("pair connects");
            group.throughput(Throughput::Bytes(n * size as u64));
            group.bench_function(BenchmarkId::from_parameter(id), |b| {
                b.iter(|| black_box(pair.transfer(black_box(n)).expect("transfer")))
            });
        }
        group.finish();
    }
}

fn messages(c: &mut Criterion) {
    let mut group = c.benchmark_group("sctp_messages");
    let n = batch(64);
    group.throughput(Throughput::Elements(n));
    for channel in SctpChannel::ALL {
        let mut pair = SctpPair::established(channel, 64).expect("pair connects");
        group.bench_function(channel.id(), |b| {
            b.iter(|| black_box(pair.transfer(black_box(n)).expect("transfer")))
        });
    }
    group.finish();
}

fn over_dtls(
    channel: SctpChannel,
    size: usize,
) -> zerortc_benches::ops::SctpLink<zerortc_benches::ops::DtlsWire> {
    sctp_over_dtls(CipherSuite::EcdheEcdsaAes128GcmSha256, true, channel, size)
        .expect("pair connects over DTLS")
}

fn throughput_dtls(c: &mut Criterion) {
    for channel in SctpChannel::ALL {
        let mut group = c.benchmark_group(format!("sctp_dtls_{}", channel.id()));
        for (id, size) in SCTP_SIZES {
            let n = batch(size);
            let mut pair = over_dtls(channel, size);
            group.throughput(Throughput::Bytes(n * size as u64));
            group.bench_function(BenchmarkId::from_parameter(id), |b| {
                b.iter(|| black_box(pair.transfer(black_box(n)).expect("transfer")))
            });
        }
        group.finish();
    }
}

fn messages_dtls(c: &mut Criterion) {
    let mut group = c.benchmark_group("sctp_dtls_messages");
    let n = batch(64);
    group.throughput(Throughput::Elements(n));
    for channel in SctpChannel::ALL {
        let mut pair = over_dtls(channel, 64);
        group.bench_function(channel.id(), |b| {
            b.iter(|| black_box(pair.transfer(black_box(n)).expect("transfer")))
        });
    }
    group.finish();
}

fn config() -> Criterion {
    // Short defaults (command-line flags still override them): the figures
    // are reported, not gated, and the machine is shared.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group!(
    name = benches;
    config = config();
    targets = throughput, messages, throughput_dtls, messages_dtls
);
criterion_main!(benches);
