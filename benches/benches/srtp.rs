//! Wall clock of SRTP/SRTCP protect and unprotect (criterion) for the four
//! profiles, beside the raw ciphers measured in the same run, so the report
//! can give SRTP as a percentage of the machine's cipher limit.
//!
//! Groups (bytes/s of the packet in the clear; `*_packets` = the same work in
//! packets/s):
//! - `srtp_protect_rtp/<profile>/<input>`, `srtp_unprotect_rtp/…`
//!   (+ `srtp_protect_rtp_packets`, `srtp_unprotect_rtp_packets`), inputs
//!   `video_1200` and `audio_160`;
//! - `srtp_protect_rtcp/<profile>/<input>`, `srtp_unprotect_rtcp/…`, inputs
//!   `rr_sdes` (60 B) and `twcc_50` (76 B);
//! - `srtp_raw_cipher/<op>/<size>`: `zerortc::crypto` with no framing, on
//!   buffers of 160 and 1200 bytes: AES-128/256-GCM seal in place (also in
//!   SRTP shape: the 28-byte video header as associated data), AES-128/256-GCM
//!   open in place (`ops::RawGcmOpen`, a verifying open on every call; also
//!   in SRTP shape), AES-128-CTR, HMAC-SHA1, and CTR + HMAC-SHA1 together
//!   (the AES-CM profiles' cipher work).
//!
//! Profiles: `gcm128` AEAD_AES_128_GCM, `gcm256` AEAD_AES_256_GCM, `cm80`
//! AES_CM_128_HMAC_SHA1_80, `cm32` AES_CM_128_HMAC_SHA1_32. Unprotect is
//! timed over batches of packets protected beforehand (untimed, see
//! `ops::SrtpCase`). Reported, never gated.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc_benches::ops::{
    OUT_LEN, PacketKind, RAW_GCM_OPENS, RawCiphers, RawGcmOpen, RawOp, SRTP_PROFILES, SrtpCase,
    UNPROTECT_BATCH,
};
use zerortc_benches::rtcp_inputs::{compound_rr_sdes, twcc_feedback};
use zerortc_benches::rtp_inputs;

fn inputs(kind: PacketKind) -> Vec<(&'static str, Vec<u8>)> {
    match kind {
        PacketKind::Rtp => rtp_inputs(),
        PacketKind::Rtcp => vec![
            ("rr_sdes", compound_rr_sdes()),
            ("twcc_50", twcc_feedback()),
        ],
    }
}

fn throughput(per_packet: bool, len: usize) -> Throughput {
    if per_packet {
        Throughput::Elements(1)
    } else {
        Throughput::Bytes(len as u64)
    }
}

fn protect(c: &mut Criterion) {
    for (kind, groups) in [
        (
            PacketKind::Rtp,
            &[
                ("srtp_protect_rtp", false),
                ("srtp_protect_rtp_packets", true),
            ][..],
        ),
        (PacketKind::Rtcp, &[("srtp_protect_rtcp", false)][..]),
    ] {
        for &(group_name, per_packet) in groups {
            let mut group = c.benchmark_group(group_name);
            for (profile_id, profile) in SRTP_PROFILES {
                for (input_id, packet) in inputs(kind) {
                    let mut case = SrtpCase::new(kind, profile, &packet);
                    group.throughput(throughput(per_packet, packet.len()));
                    group.bench_function(BenchmarkId::new(profile_id, input_id), |b| {
                        b.iter(|| black_box(case.protect()))
                    });
                }
            }
            group.finish();
        }
    }
}

/// Times `UNPROTECT_BATCH` unprotects at a time; the packets of the next
/// batch are protected between two timed batches.
fn time_unprotect(case: &mut SrtpCase, iters: u64) -> Duration {
    let mut total = Duration::ZERO;
    let mut done = 0u64;
    while done < iters {
        let n = (iters - done).min(UNPROTECT_BATCH as u64) as usize;
        case.prepare_slots(n);
        let start = Instant::now();
        for i in 0..n {
            black_box(case.unprotect_slot(black_box(i)));
        }
        total += start.elapsed();
        done += n as u64;
    }
    total
}

fn unprotect(c: &mut Criterion) {
    for (kind, groups) in [
        (
            PacketKind::Rtp,
            &[
                ("srtp_unprotect_rtp", false),
                ("srtp_unprotect_rtp_packets", true),
            ][..],
        ),
        (PacketKind::Rtcp, &[("srtp_unprotect_rtcp", false)][..]),
    ] {
        for &(group_name, per_packet) in groups {
            let mut group = c.benchmark_group(group_name);
            for (profile_id, profile) in SRTP_PROFILES {
                for (input_id, packet) in inputs(kind) {
                    let mut case = SrtpCase::new(kind, profile, &packet);
                    group.throughput(throughput(per_packet, packet.len()));
                    group.bench_function(BenchmarkId::new(profile_id, input_id), |b| {
                        b.iter_custom(|iters| time_unprotect(&mut case, iters))
                    });
                }
            }
            group.finish();
        }
    }
}

fn raw_ciphers(c: &mut Criterion) {
    let raw = RawCiphers::new();
    let mut buf = vec![0x5au8; OUT_LEN];
    let mut group = c.benchmark_group("srtp_raw_cipher");
    for (op_id, op) in RawOp::ALL {
        for size in [160usize, 1200] {
            group.throughput(Throughput::Bytes(size as u64));
            group.bench_function(BenchmarkId::new(op_id, size), |b| {
                b.iter(|| black_box(raw.run(op, black_box(&mut buf[..size]))))
            });
        }
    }
    for (op_id, algorithm, aad_len) in RAW_GCM_OPENS {
        for size in [160usize, 1200] {
            let mut open = RawGcmOpen::new(algorithm, size, aad_len);
            group.throughput(Throughput::Bytes(size as u64));
            group.bench_function(BenchmarkId::new(op_id, size), |b| {
                b.iter(|| black_box(open.open()))
            });
        }
    }
    group.finish();
}

fn config() -> Criterion {
    // Short defaults (flags still override them): 60 figures, reported only,
    // on a shared machine.
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
}

criterion_group!(name = benches; config = config(); targets = raw_ciphers, protect, unprotect);
criterion_main!(benches);
