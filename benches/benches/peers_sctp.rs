//! SCTP alone on zerortc, str0m's `sctp-proto` 0.10 and webrtc-rs's
//! `rtc-sctp` 0.21, side by side in one criterion run
//! (`--features peers`): the workload of `benches/sctp.rs` (two
//! associations back to back in memory on one core, a batch of messages
//! sent by A and delivered by B, SACKs back) on each stack.
//!
//! - `peers_sctp_<channel>/<impl>/<size>` in bytes/s, channel ∈
//!   `reliable_ordered`, `reliable_unordered`, `unreliable`; size 64,
//!   1024, 16384, 65536;
//! - `peers_sctp_messages/<impl>/<channel>` in 64 B messages/s;
//!
//! impl ∈ `zerortc`, `sctp_proto`, `rtc_sctp`. How each stack is driven
//! (same packet size, windows, send queue, virtual clock):
//! `zerortc_benches::peers_sctp`. Reported, never gated.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc_benches::ops::{SCTP_SIZES, SctpChannel, SctpPair, SctpWorkload};
use zerortc_benches::peers_sctp::{proto::ProtoPair, rtc::RtcPair};

/// Messages per iteration: about 1 MiB of payload, at most 1000 messages
/// (as `benches/sctp.rs`).
fn batch(size: usize) -> u64 {
    ((1024 * 1024 / size) as u64).clamp(1, 1000)
}

/// The three stacks, connected and warmed up for `channel` and `size`.
fn pairs(channel: SctpChannel, size: usize) -> Vec<(&'static str, Box<dyn SctpWorkload>)> {
    vec![
        (
            "zerortc",
            Box::new(SctpPair::established(channel, size).expect("zerortc connects")),
        ),
        (
            "sctp_proto",
            Box::new(ProtoPair::established(channel, size)),
        ),
        ("rtc_sctp", Box::new(RtcPair::established(channel, size))),
    ]
}

fn throughput(c: &mut Criterion) {
    for channel in SctpChannel::ALL {
        let mut group = c.benchmark_group(format!("peers_sctp_{}", channel.id()));
        for (id, size) in SCTP_SIZES {
            let n = batch(size);
            group.throughput(Throughput::Bytes(n * size as u64));
            for (name, mut pair) in pairs(channel, size) {
                group.bench_function(BenchmarkId::new(name, id), |b| {
                    b.iter(|| black_box(pair.transfer(black_box(n))))
                });
            }
        }
        group.finish();
    }
}

fn messages(c: &mut Criterion) {
    let mut group = c.benchmark_group("peers_sctp_messages");
    let n = batch(64);
    group.throughput(Throughput::Elements(n));
    for channel in SctpChannel::ALL {
        for (name, mut pair) in pairs(channel, 64) {
            group.bench_function(BenchmarkId::new(name, channel.id()), |b| {
                b.iter(|| black_box(pair.transfer(black_box(n))))
            });
        }
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group!(name = benches; config = config(); targets = throughput, messages);
criterion_main!(benches);
