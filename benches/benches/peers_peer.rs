//! The whole peer connection on zerortc, str0m 0.25 and webrtc-rs `rtc`
//! 0.21, side by side in one criterion run (`--features peers`): the
//! workloads of `benches/peer.rs` (two peers in memory on one core,
//! sans-I/O, virtual clock) on each stack, driven as described in
//! `zerortc_benches::peers_peer`.
//!
//! - `peers_peer_setup/<impl>/<case>`: CPU time from creating both peers
//!   (certificates made beforehand) to connected, case ∈ `data` (channel
//!   open on both sides), `audio_video` (one Opus and one VP8 track from
//!   A); teardown is left out;
//! - `peers_peer_datachannel/<impl>/<size>` in bytes/s: reliable ordered
//!   messages of 64 B, 1 KiB and 16 KiB from A to B through ICE, DTLS and
//!   SCTP, SACKs back (~1 MiB or at most 1000 messages per iteration);
//! - `peers_peer_messages/<impl>/64` in messages/s;
//! - `peers_peer_latency/<impl>/1024`: one 1 KiB message from A's send to
//!   its delivery by B on an idle pair (what it leaves behind runs outside
//!   the measurement); percentiles are printed by
//!   `examples/peer_goals.rs`;
//! - `peers_peer_rtp/<impl>/1200` in packets/s: 1200-byte RTP packets
//!   (12-byte header + 1188 bytes) written on A's video sender, through
//!   SRTP AEAD_AES_128_GCM, read on B (100 per iteration).
//!
//! impl ∈ `zerortc`, `str0m`, `rtc`. Every workload is available through
//! each stack's public API: no cell is left out. Criterion measures one
//! benchmark after the other, so on a loaded machine the ratios move
//! between runs; `examples/peer_goals.rs` runs the same workloads
//! interleaved. Reported, never gated.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc_benches::peers_peer::{
    PEER_MESSAGE_SIZES, PEER_STACKS, PeerCase, PeerSetups, PeerWorkload,
};

/// Messages per iteration: about 1 MiB of payload, at most 1000 messages
/// (as `benches/peer.rs`).
fn batch(size: usize) -> u64 {
    ((1024 * 1024 / size) as u64).clamp(1, 1000)
}

/// RTP packets per iteration (as `benches/peer.rs`).
const RTP_BATCH: u64 = 100;

/// A connected data pair of stack `stack`, warmed up with `size`.
fn data_pair(setups: &PeerSetups, stack: usize, size: usize) -> Box<dyn PeerWorkload> {
    let mut pair = setups.connect(stack, PeerCase::Data);
    pair.set_message_size(size);
    pair.transfer(200);
    pair
}

fn setup(c: &mut Criterion) {
    let setups = PeerSetups::new();
    let mut group = c.benchmark_group("peers_peer_setup");
    for case in PeerCase::ALL {
        for (stack, name) in PEER_STACKS.iter().enumerate() {
            group.bench_function(BenchmarkId::new(*name, case.id()), |b| {
                b.iter_with_large_drop(|| setups.connect(stack, black_box(case)))
            });
        }
    }
    group.finish();
}

fn datachannel(c: &mut Criterion) {
    let setups = PeerSetups::new();
    let mut group = c.benchmark_group("peers_peer_datachannel");
    for (id, size) in PEER_MESSAGE_SIZES {
        let n = batch(size);
        group.throughput(Throughput::Bytes(n * size as u64));
        for (stack, name) in PEER_STACKS.iter().enumerate() {
            let mut pair = data_pair(&setups, stack, size);
            group.bench_function(BenchmarkId::new(*name, id), |b| {
                b.iter(|| black_box(pair.transfer(black_box(n))))
            });
        }
    }
    group.finish();
    let mut group = c.benchmark_group("peers_peer_messages");
    let n = batch(64);
    group.throughput(Throughput::Elements(n));
    for (stack, name) in PEER_STACKS.iter().enumerate() {
        let mut pair = data_pair(&setups, stack, 64);
        group.bench_function(BenchmarkId::new(*name, "64"), |b| {
            b.iter(|| black_box(pair.transfer(black_box(n))))
        });
    }
    group.finish();
}

fn latency(c: &mut Criterion) {
    let setups = PeerSetups::new();
    let mut group = c.benchmark_group("peers_peer_latency");
    for (stack, name) in PEER_STACKS.iter().enumerate() {
        let mut pair = data_pair(&setups, stack, 1024);
        group.bench_function(BenchmarkId::new(*name, "1024"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    pair.one_way();
                    total += start.elapsed();
                    pair.settle();
                }
                total
            })
        });
    }
    group.finish();
}

fn rtp(c: &mut Criterion) {
    let setups = PeerSetups::new();
    let mut group = c.benchmark_group("peers_peer_rtp");
    group.throughput(Throughput::Elements(RTP_BATCH));
    for (stack, name) in PEER_STACKS.iter().enumerate() {
        let mut pair = setups.connect(stack, PeerCase::AudioVideo);
        pair.send_rtp(500);
        group.bench_function(BenchmarkId::new(*name, "1200"), |b| {
            b.iter(|| black_box(pair.send_rtp(black_box(RTP_BATCH))))
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

criterion_group!(name = benches; config = config(); targets = setup, datachannel, latency, rtp);
criterion_main!(benches);
