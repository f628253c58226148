//! SRTP/SRTCP protect and unprotect on zerortc and webrtc-rs `rtc-srtp` 0.21,
//! side by side in one criterion run (`--features peers`). Keys:
//! `peers_srtp_<op>/<impl>/<profile>_<input>`, op ∈ `protect_rtp`,
//! `unprotect_rtp`, `protect_rtcp`, `unprotect_rtcp`; impl ∈ `zerortc`,
//! `rtc`; profile ∈ `gcm128`, `gcm256`, `cm80`, `cm32`.
//!
//! What each does per packet:
//! - zerortc: in place in the caller's buffer (`ops::SrtpCase`): the sender
//!   bumps the sequence number and protects; the receiver unprotects packets
//!   protected beforehand, in order, with its 1024-packet replay window.
//! - rtc: `Context::encrypt_rtp(&plaintext)` parses the header and returns a
//!   new `BytesMut` (one allocation and a copy per packet);
//!   `decrypt_rtp(&packet)` likewise, with a 1024-packet replay window
//!   (`srtp_replay_protection(1024)`, 128 for SRTCP) so both sides do the
//!   same checks. Crypto provider `RingCrypto`: ring GCM (zerortc uses
//!   aws-lc-rs, ~20 % faster here), RustCrypto AES-CTR and HMAC-SHA1 (the
//!   same as zerortc). Code in `zerortc_benches::peers_srtp`.
//! - str0m 0.25: its `SrtpContext` is `pub(crate)`; the only door is
//!   `TestSrtp` behind `_internal_test_exports` ("UNSTABLE: not public
//!   API"), protect only, which also serializes the header from an
//!   `RtpHeader` and allocates twice per packet, and it needs a str0m crypto
//!   provider feature (not enabled here). No str0m entry: not comparable
//!   and not public.
//!
//! Unprotect is timed over batches of 64 packets protected beforehand
//! (untimed) by each implementation's own sender. On this shared VM the two
//! implementations, measured seconds apart, saw different loads (ratios
//! from 0.5× to 5× on identical work in one run): for ratios use
//! `examples/srtp_goals.rs --features peers`, which interleaves them.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc_benches::ops::{PacketKind, SRTP_PROFILES, SrtpCase, UNPROTECT_BATCH};
use zerortc_benches::peers_srtp::RtcCase;
use zerortc_benches::rtcp_inputs::compound_rr_sdes;
use zerortc_benches::rtp_inputs;

fn inputs(kind: PacketKind) -> Vec<(&'static str, Vec<u8>)> {
    match kind {
        PacketKind::Rtp => rtp_inputs(),
        PacketKind::Rtcp => vec![("rr_sdes", compound_rr_sdes())],
    }
}

fn op_name(kind: PacketKind, protect: bool) -> &'static str {
    match (kind, protect) {
        (PacketKind::Rtp, true) => "peers_srtp_protect_rtp",
        (PacketKind::Rtp, false) => "peers_srtp_unprotect_rtp",
        (PacketKind::Rtcp, true) => "peers_srtp_protect_rtcp",
        (PacketKind::Rtcp, false) => "peers_srtp_unprotect_rtcp",
    }
}

/// Times `unprotect(i)` over batches prepared by `prepare(n)` (untimed).
fn batched<C>(
    case: &mut C,
    iters: u64,
    prepare: impl Fn(&mut C, usize),
    unprotect: impl Fn(&mut C, usize) -> usize,
) -> Duration {
    let mut total = Duration::ZERO;
    let mut done = 0u64;
    while done < iters {
        let n = (iters - done).min(UNPROTECT_BATCH as u64) as usize;
        prepare(case, n);
        let start = Instant::now();
        for i in 0..n {
            black_box(unprotect(case, black_box(i)));
        }
        total += start.elapsed();
        done += n as u64;
    }
    total
}

fn peers_srtp(c: &mut Criterion) {
    for kind in [PacketKind::Rtp, PacketKind::Rtcp] {
        for protect in [true, false] {
            let mut group = c.benchmark_group(op_name(kind, protect));
            for (profile_id, profile) in SRTP_PROFILES {
                for (input_id, packet) in inputs(kind) {
                    let param = format!("{profile_id}_{input_id}");
                    group.throughput(Throughput::Bytes(packet.len() as u64));
                    let mut ours = SrtpCase::new(kind, profile, &packet);
                    let mut theirs = RtcCase::new(kind, profile, &packet);
                    if protect {
                        group.bench_function(BenchmarkId::new("zerortc", &param), |b| {
                            b.iter(|| black_box(ours.protect()))
                        });
                        group.bench_function(BenchmarkId::new("rtc", &param), |b| {
                            b.iter(|| black_box(theirs.protect()))
                        });
                    } else {
                        group.bench_function(BenchmarkId::new("zerortc", &param), |b| {
                            b.iter_custom(|iters| {
                                batched(
                                    &mut ours,
                                    iters,
                                    SrtpCase::prepare_slots,
                                    SrtpCase::unprotect_slot,
                                )
                            })
                        });
                        group.bench_function(BenchmarkId::new("rtc", &param), |b| {
                            b.iter_custom(|iters| {
                                batched(&mut theirs, iters, RtcCase::prepare, RtcCase::unprotect)
                            })
                        });
                    }
                }
            }
            group.finish();
        }
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
}

criterion_group!(name = benches; config = config(); targets = peers_srtp);
criterion_main!(benches);
